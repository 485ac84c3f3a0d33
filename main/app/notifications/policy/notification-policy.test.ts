// The notification policy's decisions: which events notify, with what urgency and
// words, under mute, pause and quiet hours, coalescing and re-alerts.

import { describe, expect, it } from 'vitest';
import type { HeraldEvent, Level } from '../../../../server/protocol/events.ts';
import { utcCalendar } from './calendar.ts';
import { defaultSettings, type UpdateRule } from '../../settings/settings-schema.ts';
import { validateSettings } from '../../settings/settings-validator.ts';
import type { DesktopNotification, Urgency } from './desktop-notification.ts';
import { NotificationPolicy, type SuppressReason } from './notification-policy.ts';
import { describePause, isPaused, notPaused, pauseFor, pauseUntilResumed, pauseUntilTomorrow } from './pause.ts';
import { HOUR, MINUTE, NOON, SERVER, alert, end, gap, notify, policy, settings, titles, update } from '../../../../test/support/policy-fixtures.ts';
import { inQuietHours, parseTimeOfDay } from './quiet-hours.ts';

describe('which events notify', () => {
  it('notify, alert, end and gap notify by default; update does not', () => {
    const p = policy();
    expect(p.decide(SERVER, notify('backup'), NOON).suppressed).toBeNull();
    expect(p.decide(SERVER, alert('host/cpu', 'warn'), NOON).suppressed).toBeNull();
    expect(p.decide(SERVER, end('job/build/1'), NOON).suppressed).toBeNull();
    expect(p.decide(SERVER, gap('backup'), NOON).suppressed).toBeNull();
    expect(p.decide(SERVER, update('price', { value: 3 }), NOON)).toEqual({ show: [], suppressed: 'not-notifiable' });
  });

  describe('an update notifies only through a rule', () => {
    const rule = (patch: Partial<UpdateRule>): UpdateRule => ({ topic: 'ci/*', field: 'state', equals: 'failed', priority: 4, ...patch });

    it('when the field changed to the given value', () => {
      const p = policy({ rules: [rule({})] });
      expect(p.decide(SERVER, update('ci/web', { state: 'running' }, ['state']), NOON).suppressed).toBe('not-notifiable');
      const verdict = p.decide(SERVER, update('ci/web', { state: 'failed', step: 3 }, ['state']), NOON);
      expect(verdict.suppressed).toBeNull();
      expect(verdict.show[0]).toMatchObject({ title: 'ci/web: state is failed', body: 'state=failed, step=3', urgency: 'normal' });
    });

    it('not when another field changed and this one kept the value', () => {
      const p = policy({ rules: [rule({})] });
      expect(p.decide(SERVER, update('ci/web', { state: 'failed', step: 4 }, ['step']), NOON).suppressed).toBe('not-notifiable');
    });

    it('compares with the previous status when the server sent no `changed` list', () => {
      const p = policy({ rules: [rule({ equals: null })] });
      expect(p.decide(SERVER, update('ci/web', { state: 'ok', n: 1 }), NOON).suppressed).toBeNull();
      expect(p.decide(SERVER, update('ci/web', { state: 'ok', n: 2 }), NOON).suppressed).toBe('not-notifiable');
      expect(p.decide(SERVER, update('ci/web', { state: 'failed', n: 2 }), NOON).suppressed).toBeNull();
    });

    it('keeps comparing with the last update when events of other types come between', () => {
      const p = policy({ rules: [rule({ equals: null })] });
      expect(p.decide(SERVER, update('ci/web', { state: 'ok' }), NOON).suppressed).toBeNull();
      p.decide(SERVER, notify('ci/web'), NOON);
      p.decide(SERVER, alert('ci/web', 'warn'), NOON);
      expect(p.decide(SERVER, update('ci/web', { state: 'ok' }), NOON).suppressed).toBe('not-notifiable');
    });

    it("forgets a topic's status when it ends, so the first update of its next run counts as a change", () => {
      const p = policy({ rules: [rule({ equals: null })] });
      expect(p.decide(SERVER, update('ci/web', { state: 'ok' }), NOON).suppressed).toBeNull();
      p.decide(SERVER, end('ci/web'), NOON);
      expect(p.decide(SERVER, update('ci/web', { state: 'ok' }), NOON).suppressed).toBeNull();
    });

    it('on any change when the rule names no field, for its topic pattern only', () => {
      const p = policy({ rules: [rule({ topic: 'price/**', field: '', equals: null, priority: 1 })] });
      expect(p.decide(SERVER, update('price/eur/usd', { v: 1.1 }), NOON).show[0]?.urgency).toBe('low');
      expect(p.decide(SERVER, update('weather', { v: 1 }), NOON).suppressed).toBe('not-notifiable');
    });

    it('uses the first matching rule for the urgency', () => {
      const p = policy({ rules: [rule({ priority: 5 }), rule({ priority: 1 })] });
      expect(p.decide(SERVER, update('ci/web', { state: 'failed' }, ['state']), NOON).show[0]?.urgency).toBe('critical');
    });
  });
});

describe('urgency', () => {
  it('maps priority 1-2 to low, 3-4 to normal, 5 to critical', () => {
    const p = policy();
    expect([1, 2, 3, 4, 5].map((priority) => p.decide(SERVER, notify(`t/${priority}`, priority), NOON).show[0]?.urgency)).toEqual(['low', 'low', 'normal', 'normal', 'critical']);
  });

  it('makes a critical alert critical, a warning normal and a recovery low', () => {
    const p = policy();
    const levels: Level[] = ['critical', 'warn', 'ok'];
    expect(levels.map((level) => p.decide(SERVER, alert(`t/${level}`, level), NOON).show[0]?.urgency)).toEqual(['critical', 'normal', 'low']);
  });
});

describe('what a notification says', () => {
  it('uses the published title, or the topic when there is none, and keeps the click URL', () => {
    const p = policy();
    expect(p.decide(SERVER, notify('deploy', 3, { title: 'Deployed', click: 'https://example.com/d/1' }), NOON).show[0]).toMatchObject({
      title: 'Deployed',
      body: 'the body',
      click: 'https://example.com/d/1',
      kind: 'event',
      count: 1,
    });
    expect(p.decide(SERVER, notify('cron', 3, { title: undefined }), NOON).show[0]?.title).toBe('cron');
  });

  it("keeps an alert's click URL (an Alertmanager alert's generator URL), and none when it has none", () => {
    const p = policy();
    expect(p.decide(SERVER, alert('am/DiskFull', 'critical', { click: 'http://prometheus.example:9090/graph' }), NOON).show[0]?.click).toBe('http://prometheus.example:9090/graph');
    expect(p.decide(SERVER, alert('disk', 'warn'), NOON).show[0]?.click).toBeNull();
  });

  it('names the level of an alert and a recovery', () => {
    const p = policy();
    expect(titles(p.decide(SERVER, alert('disk', 'critical'), NOON).show)).toEqual(['Critical: disk']);
    expect(titles(p.decide(SERVER, alert('disk', 'ok', { previous: 'critical' }), NOON).show)).toEqual(['Recovered: disk']);
  });

  it('says how a job ended, with its exit code and duration', () => {
    const shown = policy().decide(SERVER, end('job/build/7', { state: 'failed', exitCode: 2, summary: 'tests failed' }), NOON).show[0];
    expect(shown).toMatchObject({ title: 'job/build/7 failed', body: 'tests failed (exit 2, 1 min 23 s)', urgency: 'normal' });
  });

  it('tells the user about a gap', () => {
    expect(policy().decide(SERVER, gap('backup'), NOON).show[0]).toMatchObject({ title: 'Missed events on backup', body: '4 events were dropped by retention' });
  });
});

describe('mute, pause and quiet hours', () => {
  it('never notifies a muted topic or pattern, critical included', () => {
    const p = policy({ mutedTopics: ['noisy', 'job/*'] });
    expect(p.decide(SERVER, notify('noisy', 5), NOON).suppressed).toBe('muted');
    expect(p.decide(SERVER, end('job/build'), NOON).suppressed).toBe('muted');
    expect(p.decide(SERVER, end('job/build/1'), NOON).suppressed).toBeNull();
  });

  it('pauses for an hour, then notifies again', () => {
    const p = policy({ pause: pauseFor(NOON, HOUR) });
    expect(p.decide(SERVER, notify('a'), NOON + HOUR - 1).suppressed).toBe('paused');
    expect(p.decide(SERVER, notify('a'), NOON + HOUR).suppressed).toBeNull();
  });

  it('pauses until 08:00 tomorrow', () => {
    const pause = pauseUntilTomorrow(NOON, utcCalendar);
    expect(pause.until).toBe(Date.UTC(2025, 0, 7, 8, 0, 0));
    expect(pauseUntilTomorrow(Date.UTC(2025, 0, 31, 23, 30), utcCalendar).until).toBe(Date.UTC(2025, 1, 1, 8, 0, 0));
    const p = policy({ pause });
    expect(p.decide(SERVER, notify('a', 5), Date.UTC(2025, 0, 7, 7, 59)).suppressed).toBe('paused');
    expect(p.decide(SERVER, notify('a', 5), Date.UTC(2025, 0, 7, 8, 0)).suppressed).toBeNull();
  });

  it('pauses until resumed, critical included', () => {
    const p = policy({ pause: pauseUntilResumed() });
    expect(p.decide(SERVER, alert('disk', 'critical'), NOON + 1000 * HOUR).suppressed).toBe('paused');
    p.setSettings(settings({ pause: notPaused }));
    expect(p.decide(SERVER, alert('disk', 'critical'), NOON + 1000 * HOUR).suppressed).toBeNull();
  });

  it('reports the settings it decides with, including changed ones', () => {
    const first = settings({ mutedTopics: ['a'] });
    const p = new NotificationPolicy(first, utcCalendar);
    expect(p.settings).toBe(first);
    const next = settings({ mutedTopics: ['b'] });
    p.setSettings(next);
    expect(p.settings).toBe(next);
  });

  it('resumes to a pause setting the settings file accepts', () => {
    expect(validateSettings({ ...structuredClone(defaultSettings), pause: pauseUntilResumed() }).ok).toBe(true);
    const resumed = validateSettings({ ...structuredClone(defaultSettings), pause: notPaused });
    expect(resumed.ok).toBe(true);
    expect(isPaused(notPaused, NOON)).toBe(false);
  });

  it('describes the pause for the tray', () => {
    const format = (ms: number) => new Date(ms).toISOString().slice(11, 16);
    expect(describePause(pauseFor(NOON, HOUR), NOON, format)).toBe('Notifications paused until 13:00');
    expect(describePause(pauseFor(NOON, HOUR), NOON + HOUR, format)).toBeNull();
    expect(describePause(pauseUntilResumed(), NOON, format)).toBe('Notifications paused until resumed');
    expect(isPaused(notPaused, NOON)).toBe(false);
  });

  it('keeps quiet hours across midnight: start included, end excluded', () => {
    const quiet = { enabled: true, start: '22:00', end: '07:00' };
    const at = (h: number, m: number) => h * 60 + m;
    expect([at(21, 59), at(22, 0), at(23, 59), at(0, 0), at(6, 59), at(7, 0), at(12, 0)].map((m) => inQuietHours(quiet, m))).toEqual([
      false, true, true, true, true, false, false,
    ]);
    expect(inQuietHours({ enabled: true, start: '09:00', end: '17:00' }, at(12, 0))).toBe(true);
    expect(inQuietHours({ enabled: true, start: '09:00', end: '17:00' }, at(9, 0))).toBe(true);
    expect(inQuietHours({ enabled: true, start: '09:00', end: '17:00' }, at(8, 59))).toBe(false);
    expect(inQuietHours({ enabled: true, start: '09:00', end: '17:00' }, at(17, 0))).toBe(false);
    expect(inQuietHours({ enabled: true, start: '09:00', end: '09:00' }, at(9, 0))).toBe(false);
    expect(inQuietHours({ ...quiet, enabled: false }, at(23, 0))).toBe(false);
  });

  it('reads quiet-hour times as H:MM or HH:MM and refuses anything else', () => {
    expect(['0:00', '7:05', '07:30', '23:59'].map(parseTimeOfDay)).toEqual([0, 425, 450, 1439]);
    for (const bad of ['', '7:5', '0730', '07:300', 'x07:30', '07:30pm', ' 07:30']) {
      expect(() => parseTimeOfDay(bad), bad).toThrow(new TypeError(`expected a time of day as HH:MM, got ${JSON.stringify(bad)}`));
    }
  });

  it('lets only critical notifications through quiet hours', () => {
    const p = policy({ quietHours: { enabled: true, start: '11:00', end: '13:00' } });
    expect(p.decide(SERVER, notify('a', 4), NOON).suppressed).toBe('quiet-hours');
    expect(p.decide(SERVER, notify('a', 5), NOON).suppressed).toBeNull();
    expect(p.decide(SERVER, alert('disk', 'critical'), NOON).suppressed).toBeNull();
  });

  it('decides every combination of type, urgency, mute, pause and quiet hours by the documented order', () => {
    const events: Array<{ make: () => HeraldEvent; urgency: Urgency }> = [
      { make: () => notify('t', 1), urgency: 'low' },
      { make: () => notify('t', 3), urgency: 'normal' },
      { make: () => notify('t', 5), urgency: 'critical' },
      { make: () => alert('t', 'ok'), urgency: 'low' },
      { make: () => alert('t', 'warn'), urgency: 'normal' },
      { make: () => alert('t', 'critical'), urgency: 'critical' },
      { make: () => end('t'), urgency: 'normal' },
      { make: () => gap('t'), urgency: 'normal' },
    ];
    let checked = 0;
    for (const { make, urgency } of events) {
      for (const muted of [false, true]) {
        for (const paused of [false, true]) {
          for (const quiet of [false, true]) {
            const p = policy({
              mutedTopics: muted ? ['t'] : [],
              pause: paused ? pauseUntilResumed() : notPaused,
              quietHours: { enabled: quiet, start: '00:00', end: '23:59' },
            });
            const expected: SuppressReason | null = muted
              ? 'muted'
              : paused
                ? 'paused'
                : quiet && urgency !== 'critical'
                  ? 'quiet-hours'
                  : null;
            const verdict = p.decide(SERVER, make(), NOON);
            expect(verdict.suppressed, `${urgency} muted=${muted} paused=${paused} quiet=${quiet}`).toBe(expected);
            expect(verdict.show.length).toBe(expected === null ? 1 : 0);
            if (expected === null) expect(verdict.show[0]?.urgency).toBe(urgency);
            checked++;
          }
        }
      }
    }
    expect(checked).toBe(64);
  });
});

describe('coalescing bursts', () => {
  const coalesce = { maxPerWindow: 3, windowMs: MINUTE };

  it('shows the first few of a burst, then one digest when the window closes', () => {
    const p = policy({ coalesce });
    const verdicts = Array.from({ length: 10 }, (_, i) => p.decide(SERVER, notify('job/build'), NOON + i * 1000));
    expect(verdicts.map((v) => v.suppressed)).toEqual([null, null, null, ...Array(7).fill('coalesced')]);
    expect(p.nextDueAt()).toBe(NOON + MINUTE);
    expect(p.due(NOON + MINUTE - 1)).toEqual([]);
    const [digest, ...rest] = p.due(NOON + MINUTE);
    expect(rest).toEqual([]);
    expect(digest).toMatchObject({ kind: 'digest', count: 7, title: '7 updates on job/build', body: 'Latest: Title of job/build: the body' });
    expect(p.nextDueAt()).toBeNull();
  });

  it('gives the digest the highest urgency it holds', () => {
    const p = policy({ coalesce });
    for (const priority of [3, 3, 3, 1, 4, 2]) p.decide(SERVER, notify('a', priority), NOON);
    expect(p.due(NOON + MINUTE)[0]?.urgency).toBe('normal');
  });

  it('turns a ticker at 50 updates/s into a few notifications a minute', () => {
    const p = policy({ coalesce, rules: [{ topic: 'ticker', field: 'price', equals: null, priority: 3 }] });
    const shown: DesktopNotification[] = [];
    const tenMinutes = 10 * 60 * 50;
    for (let i = 0; i < tenMinutes; i++) {
      const now = NOON + i * 20;
      shown.push(...p.due(now), ...p.decide(SERVER, update('ticker', { price: 100 + i }, ['price']), now).show);
    }
    shown.push(...p.due(NOON + 11 * MINUTE));
    // 3 shown one by one, then one digest per minute for the 10 minutes.
    expect(shown.filter((n) => n.kind === 'event')).toHaveLength(3);
    expect(shown.filter((n) => n.kind === 'digest')).toHaveLength(10);
    expect(shown.reduce((sum, n) => sum + n.count, 0)).toBe(tenMinutes);
  });

  it('starts afresh after a quiet window', () => {
    const p = policy({ coalesce });
    for (let i = 0; i < 5; i++) p.decide(SERVER, notify('a'), NOON);
    expect(p.due(NOON + MINUTE)).toHaveLength(1);
    expect(p.due(NOON + 2 * MINUTE)).toEqual([]);
    expect(p.decide(SERVER, notify('a'), NOON + 2 * MINUTE).suppressed).toBeNull();
  });

  it('shows a digest that closed while no timer ran before the next event', () => {
    const p = policy({ coalesce });
    for (let i = 0; i < 4; i++) p.decide(SERVER, notify('a'), NOON);
    const verdict = p.decide(SERVER, notify('a'), NOON + 5 * MINUTE);
    expect(verdict.show.map((n) => n.kind)).toEqual(['digest', 'event']);
  });

  it('never holds back a critical notification, and keeps topics apart', () => {
    const p = policy({ coalesce });
    for (let i = 0; i < 3; i++) p.decide(SERVER, notify('a'), NOON);
    expect(p.decide(SERVER, notify('a', 5), NOON).suppressed).toBeNull();
    expect(p.decide(SERVER, notify('b'), NOON).suppressed).toBeNull();
    expect(p.decide('other-server', notify('a'), NOON).suppressed).toBeNull();
    expect(p.decide(SERVER, notify('a'), NOON).suppressed).toBe('coalesced');
  });

  it("shows a topic's held burst before its end", () => {
    const p = policy({ coalesce });
    for (let i = 0; i < 5; i++) p.decide(SERVER, notify('job/x'), NOON);
    const verdict = p.decide(SERVER, end('job/x'), NOON + 1000);
    expect(titles(verdict.show)).toEqual(['2 updates on job/x', 'job/x succeeded']);
    expect(p.nextDueAt()).toBeNull();
  });

  it('drops a digest that falls due while paused', () => {
    const p = policy({ coalesce });
    for (let i = 0; i < 5; i++) p.decide(SERVER, notify('a'), NOON);
    p.setSettings(settings({ coalesce, pause: pauseUntilResumed() }));
    expect(p.due(NOON + MINUTE)).toEqual([]);
  });
});

describe('re-alerting an unacknowledged critical alert', () => {
  const reAlert = { enabled: true, afterMs: 10 * MINUTE, maxRepeats: 3 };

  it('repeats it after the delay, up to the limit', () => {
    const p = policy({ reAlert });
    p.decide(SERVER, alert('disk', 'critical'), NOON);
    expect(p.nextDueAt()).toBe(NOON + 10 * MINUTE);
    expect(p.due(NOON + 10 * MINUTE - 1)).toEqual([]);
    const repeats = [1, 2, 3, 4].flatMap((n) => p.due(NOON + n * 10 * MINUTE));
    expect(repeats.map((n) => [n.kind, n.title, n.urgency])).toEqual([
      ['re-alert', 'Still critical: disk', 'critical'],
      ['re-alert', 'Still critical: disk', 'critical'],
      ['re-alert', 'Still critical: disk', 'critical'],
    ]);
    expect(new Set(repeats.map((n) => n.key)).size).toBe(3);
    expect(p.nextDueAt()).toBeNull();
  });

  it('stops when acknowledged', () => {
    const p = policy({ reAlert });
    p.decide(SERVER, alert('disk', 'critical'), NOON);
    expect(p.isRepeating(SERVER, 'disk')).toBe(true);
    p.acknowledge(SERVER, 'disk');
    expect(p.due(NOON + HOUR)).toEqual([]);
  });

  it('stops when the topic recovers or ends', () => {
    const p = policy({ reAlert });
    p.decide(SERVER, alert('disk', 'critical'), NOON);
    p.decide(SERVER, alert('disk', 'warn'), NOON + MINUTE);
    p.decide(SERVER, alert('job/1', 'critical'), NOON);
    p.decide(SERVER, end('job/1'), NOON + MINUTE);
    expect(p.due(NOON + HOUR)).toEqual([]);
  });

  it('does not repeat a critical notify, nor when re-alerting is off', () => {
    const p = policy({ reAlert });
    p.decide(SERVER, notify('a', 5), NOON);
    expect(p.nextDueAt()).toBeNull();
    const off = policy({ reAlert: { ...reAlert, enabled: false } });
    off.decide(SERVER, alert('disk', 'critical'), NOON);
    expect(off.nextDueAt()).toBeNull();
  });

  it('skips a repeat that falls due while the topic is muted, and counts it', () => {
    const p = policy({ reAlert });
    p.decide(SERVER, alert('disk', 'critical'), NOON);
    p.setSettings(settings({ reAlert, mutedTopics: ['disk'] }));
    expect(p.due(NOON + 10 * MINUTE)).toEqual([]);
    p.setSettings(settings({ reAlert }));
    expect(p.due(NOON + 20 * MINUTE)).toHaveLength(1);
    expect(p.due(NOON + 30 * MINUTE)).toHaveLength(1);
    expect(p.nextDueAt()).toBeNull();
  });

  it('does not start repeating an alert that was not shown', () => {
    const p = policy({ reAlert, mutedTopics: ['disk'] });
    p.decide(SERVER, alert('disk', 'critical'), NOON);
    expect(p.isRepeating(SERVER, 'disk')).toBe(false);
  });
});
