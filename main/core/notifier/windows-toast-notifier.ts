// Windows: a toast through the Windows.UI.Notifications API from Windows PowerShell.
// The script is fixed and passed as -EncodedCommand (base64 of UTF-16LE, as
// powershell.exe -? documents); title and body travel in environment variables and
// are XML-escaped inside the script, so nothing in them can change the script or the
// toast XML. The toast is shown under PowerShell's own AppUserModelID, which Windows
// always knows, since a CLI has no Start-menu shortcut of its own. A critical one
// stays on screen longer (duration="long").

import type { DesktopNotification } from '../policy/desktop-notification.ts';
import { notificationWords, runCommand, runNotifyCommand, type CommandRunner, type Notifier } from './notifier.ts';

const POWERSHELL_APP_ID = '{1AC14E77-02E7-4E5D-B744-2EB1AE5198B7}\\WindowsPowerShell\\v1.0\\powershell.exe';

export const TOAST_SCRIPT = [
  '$ErrorActionPreference = "Stop"',
  '[Windows.UI.Notifications.ToastNotificationManager, Windows.UI.Notifications, ContentType = WindowsRuntime] > $null',
  '[Windows.Data.Xml.Dom.XmlDocument, Windows.Data.Xml.Dom.XmlDocument, ContentType = WindowsRuntime] > $null',
  '$title = [System.Security.SecurityElement]::Escape($env:HERALD_TITLE)',
  '$body = [System.Security.SecurityElement]::Escape($env:HERALD_BODY)',
  '$xml = New-Object Windows.Data.Xml.Dom.XmlDocument',
  '$xml.LoadXml("<toast duration=`"$env:HERALD_DURATION`"><visual><binding template=`"ToastGeneric`"><text>$title</text><text>$body</text></binding></visual></toast>")',
  `[Windows.UI.Notifications.ToastNotificationManager]::CreateToastNotifier('${POWERSHELL_APP_ID}').Show([Windows.UI.Notifications.ToastNotification]::new($xml))`,
].join('\n');

export function windowsToastCommand(notification: DesktopNotification): { args: string[]; env: Record<string, string> } {
  const { title, body } = notificationWords(notification);
  return {
    args: ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', Buffer.from(TOAST_SCRIPT, 'utf16le').toString('base64')],
    env: {
      HERALD_TITLE: title,
      HERALD_BODY: body,
      HERALD_DURATION: notification.urgency === 'critical' ? 'long' : 'short',
    },
  };
}

export function windowsToastNotifier(run: CommandRunner = runCommand): Notifier {
  return {
    name: 'powershell toast',
    show(notification) {
      const { args, env } = windowsToastCommand(notification);
      return runNotifyCommand(run, 'powershell.exe', args, 'Windows PowerShell is part of Windows 10 and later', env);
    },
  };
}
