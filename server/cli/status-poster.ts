// Sends `herald run`'s lifecycle to the server as it happens: JSON posts with an
// explicit `"event"` (update or end) to POST /topics/:topic, one at a time and in
// order. The command matters more than its status: when the server cannot be
// reached (or refuses), say so once on stderr and stop trying; the run goes on.

import type { ErrorBody } from '../protocol/events.ts';
import { authHeaders, networkCause, serverUrl, type ServerTarget } from './server-api.ts';

export class StatusPoster {
  private readonly url: URL;
  private readonly target: ServerTarget;
  private readonly warn: (line: string) => void;
  private chain: Promise<void> = Promise.resolve();
  private failed = false;

  constructor(target: ServerTarget, topic: string, warn: (line: string) => void) {
    this.target = target;
    this.url = serverUrl(target, `topics/${topic.split('/').map(encodeURIComponent).join('/')}`);
    this.warn = warn;
  }

  /** True once a post failed (and posting stopped). */
  get gaveUp(): boolean {
    return this.failed;
  }

  post(body: Record<string, unknown>): void {
    this.chain = this.chain.then(() => this.send(body));
  }

  /** Wait for what is queued, at most `timeoutMs`. */
  async settle(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([this.chain, limit]);
    clearTimeout(timer);
  }

  private async send(body: Record<string, unknown>): Promise<void> {
    if (this.failed) return;
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...authHeaders(this.target) },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(5000),
      });
      const text = await response.text();
      if (!response.ok) {
        let reason = text.slice(0, 200);
        try {
          reason = (JSON.parse(text) as ErrorBody).error ?? reason;
        } catch {
          // not JSON: keep the text
        }
        this.giveUp(`the server at ${this.url.origin} refused the status (${response.status}: ${reason})`);
      }
    } catch (error) {
      this.giveUp(`cannot reach the server at ${this.url.origin} (${networkCause(error)})`);
    }
  }

  private giveUp(reason: string): void {
    this.failed = true;
    this.warn(`herald run: ${reason}; the command runs on, its status is not published`);
  }
}
