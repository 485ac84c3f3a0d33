// The seam between the notification policy and a platform's notification service,
// so the policy is tested without one. The Electron shell implements it with Electron's
// Notification; `herald watch --notify` with one of the command adapters here.

import { execFile } from 'node:child_process';
import type { DesktopNotification } from '../policy/desktop-notification.ts';
import { notificationText } from '../text/safe-text.ts';

export interface Notifier {
  /** What it uses, for messages: `notify-send`, `osascript`... */
  readonly name: string;
  /** Resolves once the platform took the notification; rejects with a message saying what to fix. */
  show(notification: DesktopNotification): Promise<void>;
}

export interface CommandResult {
  code: number | null;
  stderr: string;
}

/**
 * Title and body as a command hands them on: the topic when there is no title, and
 * publisher text with its controls and unpaired bidi controls escaped (the body keeps
 * its line breaks), so no notification service or terminal acts on them.
 */
export function notificationWords(notification: DesktopNotification): { title: string; body: string } {
  return { title: notificationText(notification.title || notification.topic), body: notificationText(notification.body, { multiline: true }) };
}

/** Runs a program with arguments (never through a shell, so no quoting can go wrong). */
export type CommandRunner = (file: string, args: readonly string[], env?: Record<string, string>) => Promise<CommandResult>;

export const runCommand: CommandRunner = (file, args, env) =>
  new Promise((resolve, reject) => {
    execFile(file, [...args], { timeout: 10_000, env: env ? { ...process.env, ...env } : process.env, windowsHide: true }, (error, _stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') return reject(error);
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stderr: String(stderr) });
    });
  });

/** Run, and turn a missing program or a failure into an Error that says what to do. */
export async function runNotifyCommand(run: CommandRunner, file: string, args: readonly string[], missingHint: string, env?: Record<string, string>): Promise<void> {
  let result: CommandResult;
  try {
    result = await run(file, args, env);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${file} was not found: ${missingHint}`);
    throw error;
  }
  if (result.code !== 0) {
    throw new Error(`${file} failed (exit ${result.code}): ${result.stderr.trim().slice(0, 300) || 'no message'}`);
  }
}
