// Which instance runs the work that must run once per deployment: scheduled jobs,
// probes and the system sampler (docs/scaling.md). Alone, a server is always the leader; over
// Redis, the holder of a lease is (redis-lease.ts).

export interface Leadership {
  readonly isLeader: boolean;
  /** Told every time this instance gains or loses leadership. */
  onChange(listener: (isLeader: boolean) => void): () => void;
}

/** A server with no peers: always the leader. */
export const soleInstance: Leadership = {
  isLeader: true,
  onChange: () => () => {},
};
