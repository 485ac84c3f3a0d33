// Sends `herald run`'s lifecycle to the server as it happens: JSON posts with an
// explicit `"event"` (update or end) to POST /topics/:topic, one at a time and in
// order. The command matters more than its status: when the server cannot be
// reached (or refuses), say so once on stderr and stop sending updates; the run
// goes on. The `end` is tried whatever happened before (a refused update must not
// leave the topic "running" for ever), and when it is too large for the server, it
// is sent again with only the summary's headline.

import type { ErrorBody } from '../../server/protocol/events.ts';
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
    this.chain = this.chain.then(async () => {
      if (!this.failed) await this.send(body);
    });
  }

  /** The run's `end` (its summary's first line is the headline): sent even after a failed update. */
  end(body: Record<string, unknown> & { summary: string }): void {
    this.chain = this.chain.then(async () => {
      const status = await this.send({ event: 'end', ...body });
      if (status === 413) await this.send({ event: 'end', ...body, summary: body.summary.split('\n')[0] });
    });
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

  /** POST `body`: the answer's status, or null when the server could not be reached. */
  private async send(body: Record<string, unknown>): Promise<number | null> {
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
      return response.status;
    } catch (error) {
      this.giveUp(`cannot reach the server at ${this.url.origin} (${networkCause(error)})`);
      return null;
    }
  }

  /** Warn once; updates stop, the end is still tried. */
  private giveUp(reason: string): void {
    if (this.failed) return;
    this.failed = true;
    this.warn(`herald run: ${reason}; the command runs on, its status is not published`);
  }
}
