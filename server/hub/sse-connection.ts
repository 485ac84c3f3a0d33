// One open `text/event-stream` response. Frames are queued and written once per
// flush (the hub flushes after each batch of events), so a burst costs one socket
// write per subscriber, not one per event. When the socket pushes back
// (res.write returned false) the queue waits for 'drain'; if it then grows past
// `maxQueueBytes` the connection is dropped: the client reconnects with its
// Last-Event-ID and replays from the log, so dropping it loses nothing, and one
// stalled reader can neither hold memory without bound nor slow anyone else. A
// replay that cannot get its pages out in time is dropped the same way ('stalled').
//
// Until `begin` the connection only watches its response (the client may leave while
// the log is read); `begin` sends the head and from then on frames go to the stream's
// output, normally the socket taken over from node:http (stream-output.ts), so the
// response object is let go.

import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { startStream, type StreamOutput } from './stream-output.ts';

export interface SseConnectionOptions {
  maxQueueBytes: number;
  /** Called once when the response is finished, destroyed or dropped. */
  onClose(reason: CloseReason): void;
}

/**
 * Why a connection closed: the client left, its queue overflowed, its replay did not
 * drain before the deadline, every topic ended, or the server is shutting down.
 */
export type CloseReason = 'client' | 'overflow' | 'stalled' | 'ended' | 'shutdown';

export class SseConnection {
  /** The response until the stream begins on a taken-over socket, then null. */
  #res: ServerResponse | null;
  #out: StreamOutput;
  readonly #maxQueueBytes: number;
  readonly #onClose: (reason: CloseReason) => void;
  #queue: Buffer[] = [];
  #queuedBytes = 0;
  #waitingForDrain = false;
  #endWhenFlushed = false;
  #closed = false;
  #drainWaiters: Array<() => void> = [];

  constructor(res: ServerResponse, options: SseConnectionOptions) {
    this.#res = res;
    this.#out = res;
    this.#maxQueueBytes = options.maxQueueBytes;
    this.#onClose = options.onClose;
    res.on('drain', this.#handleDrain);
    res.on('close', this.#handleClose);
  }

  /** Whether the response's head has been sent (from then on an error can no longer be answered). */
  get started(): boolean {
    return this.#res === null || this.#res.headersSent;
  }

  /** Send the stream's 200 head with `headers`; frames then go out on the stream's output. */
  begin(headers: OutgoingHttpHeaders): void {
    if (this.#closed || this.#res === null) return;
    const res = this.#res;
    res.off('drain', this.#handleDrain);
    res.off('close', this.#handleClose);
    this.#out = startStream(res, headers);
    if (this.#out !== res) this.#res = null;
    this.#out.on('drain', this.#handleDrain);
    this.#out.on('close', this.#handleClose);
  }

  get closed(): boolean {
    return this.#closed;
  }

  get queuedBytes(): number {
    return this.#queuedBytes;
  }

  /** Bytes this process holds for the client: queued here plus written but not yet taken by the socket. */
  get pendingBytes(): number {
    return this.#closed ? 0 : this.#queuedBytes + this.#out.writableLength;
  }

  /** True while the socket has asked us to wait for 'drain'. */
  get pushedBack(): boolean {
    return this.#waitingForDrain;
  }

  /** Queue a frame (shared between subscribers: never mutated). False if the connection is closed or this overflowed it. */
  enqueue(frame: Buffer): boolean {
    if (this.#closed) return false;
    this.#queue.push(frame);
    this.#queuedBytes += frame.length;
    // Only what piles up while the socket pushes back counts: a burst queued within
    // one batch is written at the batch's end whatever its size.
    if (this.#waitingForDrain && this.#queuedBytes > this.#maxQueueBytes) {
      this.#close('overflow');
      return false;
    }
    return true;
  }

  /** Write everything queued in one write, unless the socket asked us to wait. */
  flush(): void {
    if (this.#closed || this.#waitingForDrain) return;
    if (this.#queue.length > 0) {
      const chunk = this.#queue.length === 1 ? this.#queue[0]! : Buffer.concat(this.#queue, this.#queuedBytes);
      this.#queue = [];
      this.#queuedBytes = 0;
      if (!this.#out.write(chunk)) this.#waitingForDrain = true;
    }
    if (this.#endWhenFlushed && !this.#waitingForDrain) this.#close('ended');
  }

  /** Flush, then resolve once the socket has room again (or the connection closed). */
  async flushAndWait(): Promise<void> {
    this.flush();
    if (this.#closed || !this.#waitingForDrain) return;
    await new Promise<void>((resolve) => this.#drainWaiters.push(resolve));
  }

  /** Finish the response after what is queued has been written (every topic ended). */
  endAfterFlush(): void {
    this.#endWhenFlushed = true;
    this.flush();
  }

  /** Close now without writing what is queued (shutdown). */
  close(reason: CloseReason = 'shutdown'): void {
    this.#close(reason);
  }

  #handleDrain = (): void => {
    this.#waitingForDrain = false;
    this.flush();
    this.#wakeDrainWaiters();
  };

  #handleClose = (): void => {
    this.#close('client');
  };

  #close(reason: CloseReason): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue = [];
    this.#queuedBytes = 0;
    this.#out.off('drain', this.#handleDrain);
    this.#out.off('close', this.#handleClose);
    // A reader that does not read would never take what is buffered for it: free it now.
    if (reason === 'overflow' || reason === 'stalled') this.#out.destroy();
    // Before the status line is sent, the caller still owns the response (an error answer).
    else if (this.#res === null) this.#out.end();
    else if (this.#res.headersSent && !this.#res.writableEnded) this.#res.end();
    this.#wakeDrainWaiters();
    this.#onClose(reason);
  }

  #wakeDrainWaiters(): void {
    const waiters = this.#drainWaiters;
    this.#drainWaiters = [];
    for (const wake of waiters) wake();
  }
}
