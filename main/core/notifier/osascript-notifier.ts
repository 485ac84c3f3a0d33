// macOS: `osascript` runs AppleScript's `display notification`. Title and body are
// passed as arguments to an `on run argv` handler, never pasted into the script, so
// no quote in them can change the script. The first argument is a fixed word: osascript
// stops reading its own options at the first non-option, so a title starting with
// "-" cannot be taken for one. macOS has no urgency; a critical one plays a sound.
//
// No npm package was used: node-notifier (the common one) ships prebuilt helper apps
// and has had no release since 2022; osascript is part of every macOS.

import type { DesktopNotification } from '../policy/desktop-notification.ts';
import { notificationWords, runCommand, runNotifyCommand, type CommandRunner, type Notifier } from './notifier.ts';

export function osascriptArgs(notification: DesktopNotification): string[] {
  const sound = notification.urgency === 'critical' ? ' sound name "Sosumi"' : '';
  const { title, body } = notificationWords(notification);
  return [
    '-e', 'on run argv',
    '-e', `display notification (item 3 of argv) with title (item 2 of argv) subtitle "Herald"${sound}`,
    '-e', 'end run',
    'herald',
    title,
    body,
  ];
}

export function osascriptNotifier(run: CommandRunner = runCommand): Notifier {
  return {
    name: 'osascript',
    show: (notification) => runNotifyCommand(run, 'osascript', osascriptArgs(notification), 'it is part of macOS; is this macOS?'),
  };
}
