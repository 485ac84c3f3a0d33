// A set of listeners that each get every emitted value; `add` returns the remover
// (the Bridge rule: every `on...` returns an unsubscribe function).

export interface Listeners<T> {
  add(listener: (value: T) => void): () => void;
  emit(value: T): void;
  readonly size: number;
}

export function createListeners<T>(): Listeners<T> {
  const listeners = new Set<(value: T) => void>();
  return {
    add(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(value) {
      for (const listener of [...listeners]) listener(value);
    },
    get size() {
      return listeners.size;
    },
  };
}
