// The config file's shape (server/config/herald.config.schema.json describes the
// same shape for editors and is what the validator checks against). Every field is
// optional in the file; the sources fill in their own defaults.

/** [warn, critical] */
export type Lines = [number, number];

export interface ServerConfig {
  host?: string;
  port?: number;
  token?: string;
  dataDir?: string;
  heartbeatSec?: number;
  retention?: { maxEventsPerTopic?: number; maxAgeDays?: number };
  rateLimitPerMinute?: number;
  /** Job runs going at once, all jobs together (default 16). */
  maxConcurrentJobRuns?: number;
}

export interface SystemConfig {
  enabled?: boolean;
  intervalSec?: number;
  deadBand?: number;
  holdSec?: number;
  marginPct?: number;
  mounts?: string[];
  thresholds?: { cpu?: Lines; memory?: Lines; disk?: Lines; load?: Lines };
}

export interface JobConfig {
  command: string;
  cwd?: string;
  env?: Record<string, string>;
  timeoutSec?: number;
  schedule?: string;
  overlap?: boolean;
  /** With overlap: runs of this job going at once (default 4). */
  maxConcurrentRuns?: number;
}

export interface ProbeConfig {
  http?: string;
  method?: 'GET' | 'HEAD' | 'POST';
  headers?: Record<string, string>;
  expectStatus?: number;
  json?: string;
  command?: string;
  cwd?: string;
  everySec?: number;
  timeoutSec?: number;
  changePct?: number;
  latencyMs?: Lines;
  above?: Lines;
  below?: Lines;
  holdSec?: number;
  marginPct?: number;
}

export interface HeraldConfig {
  server?: ServerConfig;
  redis?: string;
  system?: SystemConfig;
  jobs?: Record<string, JobConfig>;
  probes?: Record<string, ProbeConfig>;
}
