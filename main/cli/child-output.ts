// A child's stdout or stderr copied to ours byte for byte, and decoded for whoever
// watches it (`herald run`'s status). Two things must not stop the watching:
// - our reader going away (`| head -2`: EPIPE): echoing stops, reading goes on;
// - a process the child left behind holding the pipe (`sleep 20 &`): once the child
//   has exited, `settle` reads what is already there for a bounded time, then lets go.

import { StringDecoder } from 'node:string_decoder';
import type { Readable, Writable } from 'node:stream';

/**
 * After the child exits, stop reading once this many checks in a row (25 ms apart,
 * about 200 ms) found no new data. Counted in checks, not measured in time: each
 * check is a separate turn of the event loop, which reads a pipe whenever it has data,
 * so a stalled loop (a loaded machine) cannot mistake data not yet read for quiet.
 */
export const QUIET_CHECKS = 8;
const CHECK_MS = 25;
/**
 * ...or after this many checks (about 2 s) while something else the command started
 * keeps writing; checks while we wait for our own reader do not count.
 */
export const DRAIN_CHECKS = 80;

/**
 * Where the copy goes: our stdout or stderr. A write error (EPIPE: the reader went
 * away) closes it for good, quietly; whoever waits for it to drain is let go.
 */
export class Echo {
  private readonly to: Writable;
  private isClosed = false;
  private readonly waiting = new Set<() => void>();

  constructor(to: Writable) {
    this.to = to;
    to.on('error', () => this.close());
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Write `chunk`; when the reader is slow, `resume` is called once it may take more (or is gone). */
  write(chunk: Buffer, resume: () => void): 'written' | 'wait' {
    if (this.isClosed) return 'written';
    if (this.to.write(chunk)) return 'written';
    const done = (): void => {
      this.to.off('drain', done);
      this.waiting.delete(done);
      resume();
    };
    this.waiting.add(done);
    this.to.once('drain', done);
    return 'wait';
  }

  private close(): void {
    this.isClosed = true;
    for (const done of [...this.waiting]) done();
  }
}

export class ChildOutput {
  private readonly from: Readable;
  private ended = false;
  /** Paused until our reader takes what was written. */
  private blocked = false;
  /** Chunks read so far: a check that sees the same count found nothing new. */
  private chunks = 0;
  private readonly decoder = new StringDecoder('utf8');
  private readonly onText: (text: string) => void;

  constructor(from: Readable, to: Echo, onText: (text: string) => void) {
    this.from = from;
    this.onText = onText;
    from.on('data', (chunk: Buffer) => {
      this.chunks++;
      if (to.write(chunk, () => this.unblock()) === 'wait') {
        this.blocked = true;
        from.pause();
      }
      onText(this.decoder.write(chunk));
    });
    const finish = (): void => {
      if (this.ended) return;
      this.ended = true;
      onText(this.decoder.end());
    };
    from.once('end', finish);
    from.once('close', finish);
    from.once('error', finish);
  }

  /**
   * The child has exited: resolve once the pipe ends, or once `QUIET_CHECKS` checks
   * found nothing new, or after `DRAIN_CHECKS` checks of reading; then stop reading it.
   */
  settle(): Promise<void> {
    if (this.ended) return Promise.resolve();
    let spent = 0;
    let seen = this.chunks;
    let quietChecks = 0;
    return new Promise((resolve) => {
      const timer = setInterval(() => {
        if (!this.blocked) spent++;
        quietChecks = this.blocked || this.chunks !== seen ? 0 : quietChecks + 1;
        seen = this.chunks;
        if (this.ended || quietChecks >= QUIET_CHECKS || spent >= DRAIN_CHECKS) {
          clearInterval(timer);
          // Whoever else holds the pipe may write on; nobody reads it any more.
          if (!this.ended) {
            this.from.destroy();
            this.ended = true;
            this.onText(this.decoder.end());
          }
          resolve();
        }
      }, CHECK_MS);
    });
  }

  private unblock(): void {
    this.blocked = false;
    this.from.resume();
  }
}
