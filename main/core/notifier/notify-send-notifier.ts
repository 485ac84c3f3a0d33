// Linux: the freedesktop notification service on the session D-Bus, through
// libnotify's `notify-send` (Desktop Notifications Specification: urgency hint
// low/normal/critical; a notification server such as GNOME Shell, KDE Plasma or
// dunst shows it). `--` ends the options, so a title or body starting with "-" is
// text, not a flag.

import type { DesktopNotification } from '../policy/desktop-notification.ts';
import { notificationWords, runCommand, runNotifyCommand, type CommandRunner, type Notifier } from './notifier.ts';

export const NOTIFY_SEND_HINT = 'install libnotify-bin (Debian, Ubuntu) or libnotify (Fedora, Arch)';

export function notifySendArgs(notification: DesktopNotification): string[] {
  const { title, body } = notificationWords(notification);
  return [
    '--app-name=Herald',
    `--urgency=${notification.urgency}`,
    `--hint=string:x-herald-topic:${notification.topic}`,
    '--',
    title,
    body.replaceAll('\\', '\\\\'),
  ];
}

export function notifySendNotifier(run: CommandRunner = runCommand): Notifier {
  return {
    name: 'notify-send',
    show: (notification) => runNotifyCommand(run, 'notify-send', notifySendArgs(notification), NOTIFY_SEND_HINT),
  };
}
