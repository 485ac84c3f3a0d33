// The notifier for the platform `herald watch --notify` runs on.

import { notifySendNotifier } from './notify-send-notifier.ts';
import type { CommandRunner, Notifier } from './notifier.ts';
import { runCommand } from './notifier.ts';
import { osascriptNotifier } from './osascript-notifier.ts';
import { windowsToastNotifier } from './windows-toast-notifier.ts';

export function platformNotifier(platform: NodeJS.Platform = process.platform, run: CommandRunner = runCommand): Notifier {
  if (platform === 'darwin') return osascriptNotifier(run);
  if (platform === 'win32') return windowsToastNotifier(run);
  return notifySendNotifier(run);
}
