// A publisher that outlasts a server restart: each message is POSTed, one at a time,
// until the server answers 201; a refused connection, a cut one or any other answer
// is retried with the same message after a short pause. Used by the reconnect-storm
// scenario and its test, which publish while the server is down. The messages are
// sent in order and only after the previous one was accepted, so the ids returned
// are the order every subscriber must see them in.

export interface RetriedPublish {
  /** The id the server gave each message, in publish order. */
  ids: string[];
  /** Attempts that were not accepted, by reason (`ECONNREFUSED`, `HTTP 503`, ...). */
  failures: Record<string, number>;
  /** performance.now() when each message was accepted. */
  acceptedAt: number[];
}

export interface RetryingPublishOptions {
  url: string;
  topic: string;
  bodies: readonly string[];
  /** Pause between attempts of one message. */
  pauseMs: number;
  /** Give up (throw) once this much time has passed. */
  deadlineMs: number;
  /** Called after each acceptance, e.g. to follow progress. */
  onAccepted?: (index: number, id: string) => void;
}

export async function publishUntilAccepted(options: RetryingPublishOptions): Promise<RetriedPublish> {
  const result: RetriedPublish = { ids: [], failures: {}, acceptedAt: [] };
  const giveUpAt = performance.now() + options.deadlineMs;
  const target = `${options.url}/topics/${options.topic}`;
  for (const [index, body] of options.bodies.entries()) {
    for (;;) {
      const outcome = await postOnce(target, body);
      if (outcome.id !== null) {
        result.ids.push(outcome.id);
        result.acceptedAt.push(performance.now());
        options.onAccepted?.(index, outcome.id);
        break;
      }
      result.failures[outcome.failure] = (result.failures[outcome.failure] ?? 0) + 1;
      if (performance.now() > giveUpAt) {
        throw new Error(`message ${index + 1} of ${options.bodies.length} not accepted within ${options.deadlineMs} ms; attempts failed with ${JSON.stringify(result.failures)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
    }
  }
  return result;
}

async function postOnce(target: string, body: string): Promise<{ id: string; failure?: undefined } | { id: null; failure: string }> {
  try {
    const response = await fetch(target, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    if (response.status === 201) {
      const id = (JSON.parse(text) as { id?: unknown }).id;
      if (typeof id === 'string') return { id };
      return { id: null, failure: `201 without an id: ${text.slice(0, 80)}` };
    }
    return { id: null, failure: `HTTP ${response.status}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { id: null, failure: cause?.code ?? (error as Error).name };
  }
}
