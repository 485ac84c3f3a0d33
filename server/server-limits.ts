// Every limit the HTTP server and the hub enforce, in one place, with its default and
// the answer a client gets past it. docs/security.md ("Limits") lists the same table;
// change both together. The publish body limit (`maxBodyBytes`, 413), the slow-subscriber
// queue (`maxQueueBytes`, dropped, resumes by id) and the publish rate limit (429)
// have their own options in HeraldServerOptions.

export interface ServerLimits {
  /** Longest request target (path and query), in bytes: 414 `uri_too_long`. */
  maxUrlBytes: number;
  /** Request line plus headers, in bytes (Node's `maxHeaderSize`): 431 `headers_too_large`. */
  maxHeaderBytes: number;
  /** Time to send the request line and headers, from the connection or the previous request: 408. */
  headersTimeoutMs: number;
  /**
   * Time to send a whole request, body included: 408. Node stops this clock once the
   * request is received, so a long-lived SSE response is never cut by it.
   */
  requestTimeoutMs: number;
  /** Time for a publish body to arrive once the handler starts reading it: 408. */
  bodyTimeoutMs: number;
  /** An idle keep-alive connection (between requests) is closed after this. */
  keepAliveTimeoutMs: number;
  /** Topics and patterns on one `GET /events`: 400 `bad_topic`. */
  maxTopicsPerConnection: number;
  /** Open event streams in total: 503 `unavailable` with Retry-After. */
  maxSubscribers: number;
  /** Open event streams from one client address: 429 `too_many` with Retry-After. */
  maxSubscribersPerClient: number;
  /**
   * Open event streams from loopback (127.0.0.0/8 and ::1, counted together: any
   * local account can use every address of 127/8): 429 `too_many` with Retry-After.
   * Generous, for the desktop app, dashboards and local scripts that share it.
   */
  maxLoopbackSubscribers: number;
  /**
   * Host names (no port) accepted in the Host header of requests that arrive over
   * loopback, and in the Origin header, besides localhost and loopback addresses:
   * the public name of a reverse proxy in front of Herald.
   */
  allowedHosts: string[];
  /**
   * Connections the kernel holds finished but not yet accepted (listen's backlog). Past
   * it, new connections' SYNs are dropped and the client's TCP retries 1 s, 3 s, 7 s
   * later: what a reconnect storm waits on. The kernel caps it at net.core.somaxconn.
   */
  listenBacklog: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxUrlBytes: 8 * 1024,
  maxHeaderBytes: 16 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  bodyTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  // The desktop settings allow 500 topics per server, all on one connection.
  maxTopicsPerConnection: 500,
  // The idle-subscriber benchmark holds 10,000; each open stream is one descriptor.
  maxSubscribers: 15_000,
  maxSubscribersPerClient: 100,
  maxLoopbackSubscribers: 1000,
  allowedHosts: [],
  // Node's default is 511; 10,000 clients reconnecting at once overflow it (docs/scaling.md).
  listenBacklog: 4096,
};

/** The defaults with `overrides` laid over them (undefined keeps the default). */
export function serverLimits(overrides: Partial<ServerLimits> = {}): ServerLimits {
  const limits = { ...DEFAULT_LIMITS };
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined) (limits as Record<string, unknown>)[key] = value;
  }
  return limits;
}
