// Whether a tray icon can be seen. Electron's Tray on Linux is a StatusNotifierItem:
// it shows only where a StatusNotifier host runs, which registers the name
// org.kde.StatusNotifierWatcher on the session bus (KDE, Xfce, Cinnamon, Ubuntu's
// GNOME; vanilla GNOME needs the "AppIndicator and KStatusNotifierItem Support"
// extension). macOS and Windows always have one.
import { DbusConnection, sessionBusAddress } from './dbus-connection.ts';

export const STATUS_NOTIFIER_WATCHER = 'org.kde.StatusNotifierWatcher';

export const GNOME_TRAY_EXTENSION = 'AppIndicator and KStatusNotifierItem Support';

/**
 * True or false when the session bus answered; null when it could not be asked in
 * time (the app's start waits for this, so it is bounded as a whole).
 */
export async function trayVisible(input: { platform: NodeJS.Platform; env: NodeJS.ProcessEnv; uid: number; timeoutMs?: number }): Promise<boolean | null> {
  if (input.platform === 'darwin' || input.platform === 'win32') return true;
  const timeoutMs = input.timeoutMs ?? 2000;
  let connection: DbusConnection | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const ask = async (): Promise<boolean | null> => {
    connection = await DbusConnection.open(sessionBusAddress(input.env, input.uid), { uid: input.uid, timeoutMs });
    return connection.nameHasOwner(STATUS_NOTIFIER_WATCHER);
  };
  try {
    return await Promise.race([ask(), new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)))]);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
    (connection as DbusConnection | null)?.close();
  }
}
