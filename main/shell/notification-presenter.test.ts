import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../test/support/manual-clock.ts';
import type { DesktopNotification } from '../core/policy/desktop-notification.ts';
import { MAX_HELD, NotificationPresenter, type NativeNotification, type NativeNotificationOptions } from './notification-presenter.ts';

/** A stand-in for Electron's Notification: records options, lets the test fire its events. */
class FakeNotification implements NativeNotification {
  static all: FakeNotification[] = [];
  shown = false;
  readonly #listeners: Record<'click' | 'close' | 'failed', Array<(arg?: string) => void>> = { click: [], close: [], failed: [] };
  readonly options: NativeNotificationOptions;
  constructor(options: NativeNotificationOptions) {
    this.options = options;
    FakeNotification.all.push(this);
  }
  show(): void {
    this.shown = true;
  }
  onClick(listener: () => void): void {
    this.#listeners.click.push(listener);
  }
  onClose(listener: () => void): void {
    this.#listeners.close.push(listener);
  }
  onFailed(listener: (error: string) => void): void {
    this.#listeners.failed.push((error) => listener(error ?? ''));
  }
  emit(event: 'click' | 'close' | 'failed', arg?: string): void {
    for (const listener of this.#listeners[event]) listener(arg);
  }
}

function note(key: string, patch: Partial<DesktopNotification> = {}): DesktopNotification {
  return {
    key,
    serverId: 'bundled',
    topic: 'job/build/1',
    eventId: `id-${key}`,
    type: 'end',
    kind: 'event',
    count: 1,
    title: 'job/build/1 succeeded',
    body: 'exit 0 in 12 s',
    urgency: 'normal',
    click: null,
    ...patch,
  };
}

function presenter() {
  FakeNotification.all = [];
  const clicked: DesktopNotification[] = [];
  const failed: string[] = [];
  const p = new NotificationPresenter({
    create: (options) => new FakeNotification(options),
    clock: new ManualClock(1_000_000),
    onClick: (n) => clicked.push(n),
    onFailed: (_n, error) => failed.push(error),
  });
  return { p, clicked, failed };
}

describe('notification presenter', () => {
  it('shows a native notification with urgency, and a critical one stays until dismissed', () => {
    const { p } = presenter();
    p.show(note('a'));
    p.show(note('b', { urgency: 'critical', title: 'disk full' }));
    expect(FakeNotification.all.map((n) => [n.shown, n.options])).toEqual([
      [true, { title: 'job/build/1 succeeded', body: 'exit 0 in 12 s', urgency: 'normal', timeoutType: 'default' }],
      [true, { title: 'disk full', body: 'exit 0 in 12 s', urgency: 'critical', timeoutType: 'never' }],
    ]);
  });

  it('hands Electron the text with controls and unpaired bidi controls escaped, line breaks kept', () => {
    const { p } = presenter();
    p.show(note('a', { title: 'Invoice \u202efdp.exe', body: 'one\u001b[2J\r\ntwo' }));
    expect(FakeNotification.all[0]!.options).toMatchObject({ title: 'Invoice \\u202efdp.exe', body: 'one\\u001b[2J\ntwo' });
    expect(p.shown[0]).toMatchObject({ title: 'Invoice \\u202efdp.exe', body: 'one\\u001b[2J\ntwo' });
  });

  it('holds each notification until it closes or fails', () => {
    const { p, failed } = presenter();
    p.show(note('a'));
    p.show(note('b'));
    expect(p.held).toBe(2);
    FakeNotification.all[0]!.emit('close');
    expect(p.held).toBe(1);
    FakeNotification.all[1]!.emit('failed', 'no notification server');
    expect(p.held).toBe(0);
    expect(failed).toEqual(['no notification server']);
  });

  it('hands the clicked notification (its server and event) to the app', () => {
    const { p, clicked } = presenter();
    p.show(note('a'));
    FakeNotification.all[0]!.emit('click');
    expect(clicked.map((n) => [n.serverId, n.eventId])).toEqual([['bundled', 'id-a']]);
  });

  it('never holds more than its bound', () => {
    const { p } = presenter();
    for (let i = 0; i < MAX_HELD + 25; i++) p.show(note(`n${i}`));
    expect(p.held).toBe(MAX_HELD);
  });

  it('records what it showed, with the time', () => {
    const { p } = presenter();
    p.show(note('a', { kind: 'digest', title: '7 updates on job/build/1' }));
    expect(p.shown).toEqual([
      { key: 'a', serverId: 'bundled', topic: 'job/build/1', eventId: 'id-a', kind: 'digest', title: '7 updates on job/build/1', body: 'exit 0 in 12 s', urgency: 'normal', shownAt: 1_000_000 },
    ]);
  });
});
