// What the app does on start, decided from the settings alone: whether to launch the
// bundled server (and where its data, token and log go), and which servers to
// subscribe to. The bundled server joins the list once it reports its URL.
import { BUNDLED_SERVER_ID, bundledServerPaths, type BundledServerPlan } from '../bundled-server/bundled-server-plan.ts';
import type { ServerSettings, Settings } from '../settings/settings-schema.ts';

export interface StartupPlan {
  bundledServer: BundledServerPlan | null;
  /** Servers from the settings to connect now (enabled ones; disabled ones stay listed in the tray). */
  servers: ServerSettings[];
  /** Things in the settings the app skipped, each a sentence for the log. */
  warnings: string[];
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
