// Run ids: the UTC start time to the second, `20250610-143005`, with `-2`, `-3`...
// for further runs in the same second. They sort in start order, stay unique across
// restarts (the event log outlives the process, so a counter from 1 would reuse an
// ended topic), and read well in a topic: `job/backup/20250610-143005`.

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

export function runIdBase(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}-${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
}

export class RunIds {
  private lastBase = '';
  private sameSecond = 0;

  next(now: number): string {
    let base = runIdBase(now);
    // A clock that stepped back must not produce an id that sorts before the last one.
    if (base < this.lastBase) base = this.lastBase;
    if (base === this.lastBase) {
      this.sameSecond++;
      return `${base}-${pad(this.sameSecond + 1, 3)}`;
    }
    this.lastBase = base;
    this.sameSecond = 0;
    return base;
  }
}
