// Runs tasks one after another. The webhooks that read a topic's state before
// deciding what to publish (an alert repeated, an alert resolved) run through one,
// so two deliveries for the same alert cannot both see it as new.

export class Serial {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task);
    this.#tail = result.catch(() => {});
    return result;
  }
}
