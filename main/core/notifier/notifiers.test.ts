import { describe, expect, it } from 'vitest';
import type { HeraldEvent } from '../../../server/protocol/events.ts';
import { utcCalendar } from '../clock.ts';
import { ManualClock } from '../../../test/support/manual-clock.ts';
import type { DesktopNotification } from '../policy/desktop-notification.ts';
import { NotificationPolicy } from '../policy/notification-policy.ts';
import { defaultSettings } from '../settings/settings-schema.ts';
import { NotificationDispatcher } from './notification-dispatcher.ts';
import { notifySendArgs, notifySendNotifier } from './notify-send-notifier.ts';
import type { CommandRunner, Notifier } from './notifier.ts';
import { osascriptArgs } from './osascript-notifier.ts';
import { platformNotifier } from './platform-notifier.ts';
import { TOAST_SCRIPT, windowsToastCommand } from './windows-toast-notifier.ts';

const tricky: DesktopNotification = {
  key: 'k',
  serverId: 'local',
  topic: 'job/build',
  eventId: '1',
  type: 'notify',
  kind: 'event',
  count: 1,
  title: '-rf "quoted" & <b>bold</b>',
  body: "it's $(whoami) `date`\nsecond line",
  urgency: 'critical',
  click: null,
};

describe('command notifiers pass text as data, never as code', () => {
  it('notify-send ends its options before the title and body', () => {
    const args = notifySendArgs(tricky);
    expect(args).toContain('--urgency=critical');
    expect(args.slice(-3)).toEqual(['--', tricky.title, tricky.body]);
  });

  it('osascript gets title and body as arguments after a fixed first word', () => {
    const args = osascriptArgs(tricky);
    expect(args.slice(-3)).toEqual(['herald', tricky.title, tricky.body]);
    expect(args.filter((a) => a.includes(tricky.title))).toEqual([tricky.title]);
    expect(args.join(' ')).toContain('sound name');
  });

  it('the Windows toast gets title and body through the environment, escaped in the script', () => {
    const { args, env } = windowsToastCommand(tricky);
    const script = Buffer.from(args.at(-1)!, 'base64').toString('utf16le');
    expect(script).toBe(TOAST_SCRIPT);
    expect(script).not.toContain('whoami');
    expect(script).toContain('SecurityElement]::Escape($env:HERALD_TITLE)');
    expect(env).toEqual({ HERALD_TITLE: tricky.title, HERALD_BODY: tricky.body, HERALD_DURATION: 'long' });
  });

  it('every adapter hands on controls and unpaired bidi controls as escapes, and notify-send gets no C escape to expand', () => {
    const evil: DesktopNotification = { ...tricky, title: 'Invoice \u202efdp.exe\u001b]0;x\u0007', body: 'a\u0000b\r\nline two \\033[2J' };
    const title = 'Invoice \\u202efdp.exe\\u001b]0;x\\u0007';
    const body = 'a\\u0000b\nline two \\033[2J';
    expect(notifySendArgs(evil).slice(-2)).toEqual([title, body.replaceAll('\\', '\\\\')]);
    expect(osascriptArgs(evil).slice(-2)).toEqual([title, body]);
    expect(windowsToastCommand(evil).env).toMatchObject({ HERALD_TITLE: title, HERALD_BODY: body });
    expect(notifySendArgs({ ...evil, title: '' }).at(-2)).toBe(evil.topic);
  });

  it('picks the adapter for the platform', () => {
    expect(['linux', 'freebsd', 'darwin', 'win32'].map((p) => platformNotifier(p as NodeJS.Platform).name)).toEqual([
      'notify-send', 'notify-send', 'osascript', 'powershell toast',
    ]);
  });

  it('says which package to install when notify-send is missing, and reports a failure', async () => {
    const missing: CommandRunner = () => Promise.reject(Object.assign(new Error('spawn notify-send ENOENT'), { code: 'ENOENT' }));
    await expect(notifySendNotifier(missing).show(tricky)).rejects.toThrow('notify-send was not found: install libnotify-bin (Debian, Ubuntu)');
    const failing: CommandRunner = async () => ({ code: 1, stderr: 'Cannot autolaunch D-Bus without X11 $DISPLAY\n' });
    await expect(notifySendNotifier(failing).show(tricky)).rejects.toThrow('notify-send failed (exit 1): Cannot autolaunch D-Bus without X11 $DISPLAY');
  });
});

describe('NotificationDispatcher', () => {
  function setup() {
    const clock = new ManualClock();
    const shown: DesktopNotification[] = [];
    const errors: string[] = [];
    const notifier: Notifier = {
      name: 'recording',
      show: async (n) => {
        if (n.title.includes('boom')) throw new Error('daemon gone');
        shown.push(n);
      },
    };
    const { rules, quietHours, pause, mutedTopics, coalesce, reAlert } = defaultSettings;
    const policy = new NotificationPolicy({ rules, quietHours, pause, mutedTopics, coalesce: { maxPerWindow: 2, windowMs: 60_000 }, reAlert }, utcCalendar);
    const dispatcher = new NotificationDispatcher({ policy, notifier, clock, onError: (e, n) => errors.push(`${n.title}: ${e.message}`) });
    return { clock, shown, errors, dispatcher, policy };
  }
  let id = 0;
  const notify = (title: string, now: number): HeraldEvent => ({ id: String(++id), type: 'notify', data: { topic: 't', time: now, title, body: 'b', priority: 3, tags: [] } });

  it('shows a digest when the burst window closes, on its own timer', async () => {
    const { clock, shown, dispatcher } = setup();
    for (let i = 0; i < 5; i++) dispatcher.handle('s', notify(`n${i}`, clock.now()));
    await dispatcher.settled();
    expect(shown.map((n) => n.title)).toEqual(['n0', 'n1']);
    clock.advance(60_000);
    await dispatcher.settled();
    expect(shown.map((n) => n.title)).toEqual(['n0', 'n1', '3 updates on t']);
    expect(clock.pending).toBe(0);
  });

  it('repeats a critical alert on its own timer until acknowledged', async () => {
    const { clock, shown, dispatcher, policy } = setup();
    dispatcher.handle('s', { id: 'a', type: 'alert', data: { topic: 'disk', time: clock.now(), level: 'critical', message: 'full' } });
    clock.advance(10 * 60_000);
    await dispatcher.settled();
    expect(shown.map((n) => n.title)).toEqual(['Critical: disk', 'Still critical: disk']);
    policy.acknowledge('s', 'disk');
    dispatcher.reschedule();
    expect(clock.pending).toBe(0);
  });

  it('reports a notifier failure and keeps going', async () => {
    const { shown, errors, dispatcher, clock } = setup();
    dispatcher.handle('s', notify('boom', clock.now()));
    dispatcher.handle('s', notify('fine', clock.now()));
    await dispatcher.settled();
    expect(errors).toEqual(['boom: daemon gone']);
    expect(shown.map((n) => n.title)).toEqual(['fine']);
  });
});
