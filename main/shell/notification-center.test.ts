import { describe, expect, it } from 'vitest';
import type { HeraldEvent } from '../../server/protocol/events.ts';
import { utcCalendar } from '../core/clock.ts';
import { ManualClock } from '../../test/support/manual-clock.ts';
import { defaultSettings } from '../core/settings/settings-schema.ts';
import { NotificationCenter } from './notification-center.ts';
import type { NativeNotification, NativeNotificationOptions } from './notification-presenter.ts';

function center(clock: ManualClock, supported = true) {
  const shown: NativeNotificationOptions[] = [];
  const clicks: Array<() => void> = [];
  const create = (options: NativeNotificationOptions): NativeNotification => ({
    show: () => void shown.push(options),
    onClick: (listener) => void clicks.push(listener),
    onClose() {},
    onFailed() {},
  });
  const clicked: string[] = [];
  const c = new NotificationCenter({
    settings: { ...structuredClone(defaultSettings), coalesce: { maxPerWindow: 2, windowMs: 60_000 } },
    calendar: utcCalendar,
    clock,
    createNotification: create,
    supported,
    onClick: (n) => void clicked.push(n.eventId),
    log() {},
  });
  return { c, shown, clicks, clicked };
}

let seq = 0;
function message(topic: string, priority = 3): HeraldEvent {
  seq++;
  return { id: String(seq), type: 'notify', data: { topic, time: 0, title: `m${seq}`, body: 'b', priority, tags: [] } };
}

function alert(topic: string, level: 'critical' | 'ok'): HeraldEvent {
  seq++;
  return { id: String(seq), type: 'alert', data: { topic, time: 0, level, message: `disk ${level}` } };
}

describe('notification center', () => {
  it('shows a burst as its first notifications, then one digest when the window closes, without sleeping', () => {
    const clock = new ManualClock();
    const { c, shown } = center(clock);
    for (let i = 0; i < 6; i++) c.offer('bundled', message('probe/btc'));
    expect(shown.map((n) => n.title)).toHaveLength(2);
    clock.advance(60_000);
    expect(shown).toHaveLength(3);
    expect(shown[2]!.title).toBe('4 updates on probe/btc');
    c.stop();
  });

  it('repeats an unacknowledged critical alert, and a click stops the repeats', () => {
    const clock = new ManualClock();
    const { c, shown, clicks, clicked } = center(clock);
    c.offer('bundled', alert('system', 'critical'));
    expect(shown).toHaveLength(1);
    expect(shown[0]!.urgency).toBe('critical');
    clock.advance(defaultSettings.reAlert.afterMs);
    expect(shown).toHaveLength(2);
    clicks[1]!();
    expect(clicked).toHaveLength(1);
    clock.advance(defaultSettings.reAlert.afterMs * 3);
    expect(shown).toHaveLength(2);
    expect(clock.pending).toBe(0);
  });

  it('where notifications are not supported, creates none and records none as shown', () => {
    const clock = new ManualClock();
    const { c, shown } = center(clock, false);
    c.offer('bundled', message('run/build', 4));
    c.offer('bundled', alert('system', 'critical'));
    expect(shown).toEqual([]);
    expect(c.shown).toEqual([]);
    c.stop();
  });

  it('leaves no timer behind when stopped', () => {
    const clock = new ManualClock();
    const { c } = center(clock);
    for (let i = 0; i < 5; i++) c.offer('bundled', message('probe/eth'));
    expect(clock.pending).toBeGreaterThan(0);
    c.stop();
    expect(clock.pending).toBe(0);
  });
});
