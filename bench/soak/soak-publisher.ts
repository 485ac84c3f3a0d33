// A soak publisher: POSTs numbered messages to random topics, one at a time. A publish
// counts only once the server acknowledged it with 201; anything else (the server is
// down, a connection cut by a kill, a 503) is retried with the same message until it
// is. A retry after a cut connection may store the message twice (the first attempt
// may have committed before the kill): each is then its own event with its own id,
// which the subscribers must also receive, so the check is by id, not by message.

import { between, sleep, type Random } from './seeded-random.ts';

export interface Acknowledged {
  id: string;
  topic: string;
}

export class SoakPublisher {
  readonly name: string;
  readonly acked: Acknowledged[] = [];
  /** Attempts that did not get a 201, by reason. */
  readonly failures = new Map<string, number>();
  retries = 0;
  readonly #url: string;
  readonly #topics: readonly string[];
  readonly #pauseMs: [number, number];
  readonly #random: Random;

  constructor(options: { name: string; url: string; topics: readonly string[]; pauseMs: [number, number]; random: Random }) {
    this.name = options.name;
    this.#url = options.url;
    this.#topics = options.topics;
    this.#pauseMs = options.pauseMs;
    this.#random = options.random;
  }

  /** Publish until `signal` aborts; a publish in flight then is abandoned (not counted). */
  async run(signal: AbortSignal): Promise<void> {
    for (let seq = 0; !signal.aborted; seq++) {
      const topic = this.#topics[between(this.#random, 0, this.#topics.length - 1)]!;
      const message = JSON.stringify({ title: this.name, body: `${this.name} #${seq}`, tags: ['soak'] });
      while (!signal.aborted) {
        const outcome = await this.#publish(topic, message, signal);
        if (outcome === 'acked') break;
        this.retries++;
        this.failures.set(outcome, (this.failures.get(outcome) ?? 0) + 1);
        await sleep(between(this.#random, 50, 250), signal);
      }
      await sleep(between(this.#random, ...this.#pauseMs), signal);
    }
  }

  async #publish(topic: string, body: string, signal: AbortSignal): Promise<string> {
    try {
      const response = await fetch(`${this.#url}/topics/${topic}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
        signal: AbortSignal.any([signal, AbortSignal.timeout(10_000)]),
      });
      const answer = (await response.json()) as { id?: string; code?: string };
      if (response.status === 201 && typeof answer.id === 'string') {
        this.acked.push({ id: answer.id, topic });
        return 'acked';
      }
      return `HTTP ${response.status} ${answer.code ?? ''}`.trim();
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      return cause?.code ?? (error as Error).name;
    }
  }
}
