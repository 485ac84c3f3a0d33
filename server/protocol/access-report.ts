// What `GET /access` answers (docs/protocol.md): the caller's token and what it
// allows, never a secret. The web dashboard reads it to hide what it may not do.

export interface AccessReport {
  /** The token's name; `server` for the server's own token, `anonymous` on an open server. */
  name: string;
  admin: boolean;
  /** Topic patterns it may publish to and read. */
  publish: readonly string[];
  subscribe: readonly string[];
  /** Jobs it may start and cancel; `*` is every job. */
  jobs: readonly string[];
  /** Where a client that names no topic publishes, or null. */
  defaultTopic: string | null;
}
