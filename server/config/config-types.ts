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
  /** Largest webhook body (POST /hooks/...), default 1 MiB. */
  maxHookBodyBytes?: number;
  /** Serve GET /metrics to loopback clients without a credential (--metrics-open-loopback). */
  metricsOpenLoopback?: boolean;
  /** Finished connections the kernel queues before the server accepts them (--listen-backlog). */
  listenBacklog?: number;
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

/** A template field, or a template whose rendered text is looked up in `map` (else `default`). */
export type MappedTemplate = string | { from: string; map?: Record<string, string | number>; default?: string | number };

/** A webhook at POST /hooks/NAME whose fields are templates over the JSON it receives. */
export interface HookConfig {
  topic: string;
  title?: string;
  body?: string;
  priority?: MappedTemplate;
  /** With a level, each request is an `alert` (published when the topic's level changes); without, a `notify`. */
  level?: MappedTemplate;
  click?: string;
  tags?: string;
  /** Checked instead of Herald's token: an HMAC-SHA256 signature of the body, or the secret itself in a header. */
  secret?: string;
  /** The header holding the HMAC-SHA256 signature, hex, `sha256=` prefix allowed (default X-Hub-Signature-256). */
  signatureHeader?: string;
  /** The header holding the secret itself (instead of a signature). */
  secretHeader?: string;
}

/** The APIs and webhooks of other tools that Herald speaks (docs/integrations.md). */
export interface IntegrationsConfig {
  /** Prometheus Alertmanager's (and Grafana's) webhook at POST /hooks/alertmanager. */
  alertmanager?: AlertmanagerConfig;
  /** GitHub's webhooks at POST /hooks/github. */
  github?: GithubConfig;
  /** Gotify-compatible publishing at `POST /message`: the topic its messages go to (default `gotify`). */
  gotify?: { topic?: string };
}

export interface AlertmanagerConfig {
  /** The topic of each alert, a template over the alert (default `alertmanager/{{ labels.alertname }}`). */
  topic?: string;
}

export interface GithubConfig {
  /** The webhook's secret: requests must carry its X-Hub-Signature-256. */
  secret?: string;
}

export interface HeraldConfig {
  server?: ServerConfig;
  redis?: string;
  system?: SystemConfig;
  jobs?: Record<string, JobConfig>;
  probes?: Record<string, ProbeConfig>;
  integrations?: IntegrationsConfig;
  hooks?: Record<string, HookConfig>;
}
