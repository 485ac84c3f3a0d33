// A server process holds many long-lived streams, and V8 grows its young generation
// whenever many new objects survive a scavenge, as they do while thousands of streams
// connect: it then keeps up to tens of MiB of young-generation pages for good (about
// 6 KiB per stream at 10,000; bench/results/subscriber-memory.md). Setting the growth
// factor to 1 keeps the young generation at its starting size instead, which
// `--max-semi-space-size` does too but only as a flag on the node command line; this
// flag V8 reads when it would grow, so it works when set at run time.

import { setFlagsFromString } from 'node:v8';

/** Keep V8's young generation from growing in this process (`herald serve`, the bundled server). */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}
