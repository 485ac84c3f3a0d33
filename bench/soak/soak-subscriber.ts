// Soak subscribers. The raw one (node:http, frames parsed by eventsource-parser)
// misbehaves at random: it drops its connection, or stalls (stops reading, so the
// socket pushes back and the server may drop it for overflow), and always resumes
// with Last-Event-ID. The other is the real `eventsource` client, which only meets
// the server's kills and resumes by itself. Both first connect with ?since=all, so
// each must end up with every event of its topics, exactly once, in order.

import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { EventSource } from 'eventsource';
import { createParser } from 'eventsource-parser';
import { TopicFilter } from '../../server/protocol/topics.ts';
import { EVENT_TYPES } from '../../server/protocol/events.ts';
import { DeliveryRecord } from './delivery-record.ts';
import { between, sleep, type Random } from './seeded-random.ts';

export interface SoakSubscriber {
  readonly name: string;
  readonly topics: string;
  readonly record: DeliveryRecord;
  /** Connections opened (the first included). */
  connects: number;
  drops: number;
  stalls: number;
  matches(topic: string): boolean;
  run(signal: AbortSignal): Promise<void>;
}

export class RawSoakSubscriber implements SoakSubscriber {
  readonly name: string;
  readonly topics: string;
  readonly record = new DeliveryRecord();
  connects = 0;
  drops = 0;
  stalls = 0;
  /** Answers other than 200 (e.g. 503 while the server starts). */
  refusals = 0;
  readonly #filter: TopicFilter;
  readonly #url: string;
  readonly #random: Random;
  readonly #chaos: boolean;

  constructor(options: { name: string; url: string; topics: string; random: Random; chaos: boolean }) {
    this.name = options.name;
    this.topics = options.topics;
    this.#filter = TopicFilter.parse(options.topics);
    this.#url = options.url;
    this.#random = options.random;
    this.#chaos = options.chaos;
  }

  matches(topic: string): boolean {
    return this.#filter.matches(topic);
  }

  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.#connectOnce(signal);
      await sleep(between(this.#random, 100, 400), signal);
    }
  }

  /** One connection, until it ends for any reason (or `signal` aborts). */
  #connectOnce(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const resume = this.record.lastId;
      const query = resume === null ? '&since=all' : '';
      const headers: Record<string, string> = { Accept: 'text/event-stream' };
      if (resume !== null) headers['Last-Event-ID'] = resume;
      let chaosTimer: NodeJS.Timeout | undefined;
      let req: ClientRequest;
      const finish = (): void => {
        clearTimeout(chaosTimer);
        signal.removeEventListener('abort', abort);
        resolve();
      };
      const abort = (): void => {
        req.destroy();
      };
      this.connects++;
      req = request(`${this.#url}/events?topics=${this.topics}${query}`, { headers }, (res) => {
        if (res.statusCode !== 200) {
          this.refusals++;
          res.resume();
          res.once('end', finish);
          res.once('close', finish);
          return;
        }
        const parser = createParser({ onEvent: (m) => this.record.receive(m.id ?? '', m.event ?? 'message', m.data) });
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => parser.feed(chunk));
        res.once('close', finish);
        res.once('error', finish);
        if (this.#chaos) chaosTimer = this.#scheduleChaos(req, res);
      });
      req.once('error', finish);
      signal.addEventListener('abort', abort, { once: true });
      req.end();
    });
  }

  /** Every 1-4 s: 20% drop the connection, 20% stall for 1-4 s, otherwise carry on. */
  #scheduleChaos(req: ClientRequest, res: IncomingMessage): NodeJS.Timeout {
    return setTimeout(() => {
      const roll = this.#random();
      if (roll < 0.2) {
        this.drops++;
        req.destroy();
        return;
      }
      if (roll < 0.4) {
        this.stalls++;
        res.pause();
        setTimeout(() => {
          res.resume();
          this.#scheduleChaos(req, res);
        }, between(this.#random, 1000, 4000));
        return;
      }
      this.#scheduleChaos(req, res);
    }, between(this.#random, 1000, 4000));
  }
}

/** The real `eventsource` client (what the desktop app uses): resumes on its own. */
export class EventSourceSoakSubscriber implements SoakSubscriber {
  readonly name: string;
  readonly topics: string;
  readonly record = new DeliveryRecord();
  connects = 0;
  drops = 0;
  stalls = 0;
  /** Times the client gave up (it does on an answer other than 200); the run then reopens it. */
  gaveUp = 0;
  readonly #filter: TopicFilter;
  readonly #url: string;

  constructor(options: { name: string; url: string; topics: string }) {
    this.name = options.name;
    this.topics = options.topics;
    this.#filter = TopicFilter.parse(options.topics);
    this.#url = options.url;
  }

  matches(topic: string): boolean {
    return this.#filter.matches(topic);
  }

  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const since = this.record.lastId ?? 'all';
      const es = new EventSource(`${this.#url}/events?topics=${this.topics}&since=${since}`);
      es.addEventListener('open', () => this.connects++);
      for (const type of EVENT_TYPES) es.addEventListener(type, (e) => this.record.receive(e.lastEventId, type, e.data as string));
      await new Promise<void>((resolve) => {
        signal.addEventListener('abort', () => resolve(), { once: true });
        es.addEventListener('error', () => {
          if (es.readyState === EventSource.CLOSED) resolve();
        });
      });
      if (es.readyState === EventSource.CLOSED && !signal.aborted) this.gaveUp++;
      es.close();
      await sleep(500, signal);
    }
  }
}
