// What one soak subscriber received, per topic, in arrival order, with the
// duplicates, reorderings and gap notices it saw on the way. Ids are the SQLite log's
// decimal row ids, so "in order" is numeric order.

export class DeliveryRecord {
  readonly byTopic = new Map<string, string[]>();
  readonly #seen = new Map<string, Set<string>>();
  duplicates = 0;
  outOfOrder = 0;
  gaps = 0;
  /** The newest id received: where this subscriber resumes. */
  lastId: string | null = null;

  /** Record one SSE message (`event` is its type, `data` its JSON). */
  receive(id: string, event: string, data: string): void {
    if (event === 'gap') {
      this.gaps++;
      return;
    }
    const topic = (JSON.parse(data) as { topic: string }).topic;
    let ids = this.byTopic.get(topic);
    let seen = this.#seen.get(topic);
    if (ids === undefined || seen === undefined) {
      this.byTopic.set(topic, (ids = []));
      this.#seen.set(topic, (seen = new Set()));
    }
    if (seen.has(id)) {
      this.duplicates++;
      return;
    }
    const previous = ids[ids.length - 1];
    if (previous !== undefined && BigInt(id) < BigInt(previous)) this.outOfOrder++;
    seen.add(id);
    ids.push(id);
    if (this.lastId === null || BigInt(id) > BigInt(this.lastId)) this.lastId = id;
  }

  /** True once the newest id of every topic in `latest` that matches has arrived. */
  caughtUp(latest: ReadonlyMap<string, string>, matches: (topic: string) => boolean): boolean {
    for (const [topic, id] of latest) {
      if (!matches(topic)) continue;
      if (!this.#seen.get(topic)?.has(id)) return false;
    }
    return true;
  }
}
