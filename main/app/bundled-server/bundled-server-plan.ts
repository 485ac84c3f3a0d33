// The bundled server as the settings and the app's data folder define it: its id among
// the servers, the topics the app subscribes to on it, where its data, token and config
// live, and the subscription to it once it listens.
import { join } from 'node:path';
import type { ServerSettings } from '../settings/settings-schema.ts';

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

export function bundledServerPaths(userData: string): { dataDir: string; tokenFile: string } {
  return { dataDir: join(userData, 'server'), tokenFile: join(userData, 'server-token') };
}

/** The bundled server's config file (jobs, probes, system thresholds), used when it exists. */
export function bundledServerConfigFile(userData: string): string {
  return join(userData, 'herald.config.json');
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
