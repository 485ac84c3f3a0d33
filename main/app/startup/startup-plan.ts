// What the app does on start, decided from the settings alone: whether to launch the
// bundled server (and where its data, token and log go), and which servers to
// subscribe to. The bundled server joins the list once it reports its URL.
import { join } from 'node:path';
import type { ServerSettings, Settings } from '../settings/settings-schema.ts';

/** The bundled server's id in history, status and the tray; settings may not use it. */
export const BUNDLED_SERVER_ID = 'bundled';
/** Everything the bundled server computes: system health, jobs, probes, `herald run`. */
export const BUNDLED_TOPICS: readonly string[] = ['system', 'job/**', 'probe/**', 'run/**'];

export interface BundledServerPlan {
  /** 0 picks a free loopback port at each launch. */
  port: number;
  dataDir: string;
  tokenFile: string;
}

export interface StartupPlan {
  bundledServer: BundledServerPlan | null;
  /** Servers from the settings to connect now (enabled ones; disabled ones stay listed in the tray). */
  servers: ServerSettings[];
  /** Things in the settings the app skipped, each a sentence for the log. */
  warnings: string[];
}

export function bundledServerPaths(userData: string): { dataDir: string; tokenFile: string } {
  return { dataDir: join(userData, 'server'), tokenFile: join(userData, 'server-token') };
}

/** The bundled server's config file (jobs, probes, system thresholds), used when it exists. */
export function bundledServerConfigFile(userData: string): string {
  return join(userData, 'herald.config.json');
}

export function planStartup(settings: Settings, userData: string): StartupPlan {
  const warnings: string[] = [];
  const servers = settings.servers.filter((server) => {
    if (server.id !== BUNDLED_SERVER_ID) return true;
    warnings.push(`the server "${server.name}" uses the id "${BUNDLED_SERVER_ID}", which is reserved for the bundled server; it was skipped (give it another id)`);
    return false;
  });
  return {
    bundledServer: settings.bundledServer.enabled ? { port: settings.bundledServer.port, ...bundledServerPaths(userData) } : null,
    servers,
    warnings,
  };
}

/** The subscription to the bundled server once it is listening. */
export function bundledServerSettings(endpoint: { url: string; token: string }): ServerSettings {
  return {
    id: BUNDLED_SERVER_ID,
    name: 'This computer',
    url: endpoint.url,
    token: endpoint.token,
    topics: [...BUNDLED_TOPICS],
    enabled: true,
  };
}
