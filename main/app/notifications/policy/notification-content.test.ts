// The notification made for one event: its key, what a click opens, and the words and
// urgency the event vocabulary gives it (with the update rule's field and priority).

import { describe, expect, it } from 'vitest';
import { notificationForEvent } from './notification-content.ts';
import { parseEvent } from '../../../../server/protocol/event-parse.ts';
import { SERVER, alert, notify, update } from '../../../../test/support/policy-fixtures.ts';

describe('notificationForEvent', () => {
  it('keys a notification by server and event id, and keeps the click URL of a notify', () => {
    const shown = notificationForEvent(SERVER, notify('a', 3, { click: 'https://example.com/1' }));
    expect(shown).toMatchObject({ serverId: SERVER, topic: 'a', type: 'notify', kind: 'event', count: 1, click: 'https://example.com/1' });
    expect(shown.key).toBe(`${SERVER}/${shown.eventId}`);
    const other = notificationForEvent('other', alert('a', 'warn'));
    expect(other.key).toBe(`other/${other.eventId}`);
    expect(other.click).toBeNull();
    expect(notificationForEvent(SERVER, notify('a')).click).toBeNull();
  });

  it('opens nothing on click for an update or an end, even one carrying a "click" field a newer server added', () => {
    // A client keeps fields it does not know (parseEvent), so such events arrive with the field.
    const messages = [
      { type: 'update', id: '8', data: { topic: 'a', time: 1, status: { up: true }, click: 'https://example.com/u' } },
      { type: 'end', id: '9', data: { topic: 'a', time: 1, state: 'succeeded', exitCode: 0, durationMs: 5, summary: 'built', click: 'https://example.com/e' } },
    ];
    for (const message of messages) {
      const parsed = parseEvent({ ...message, data: JSON.stringify(message.data) });
      if (!parsed.ok) throw new Error(parsed.problem);
      expect(parsed.event.data).toMatchObject({ click: message.data.click });
      expect(notificationForEvent(SERVER, parsed.event).click).toBeNull();
    }
  });

  it("names an update by the rule's field and takes the rule's priority", () => {
    const shown = notificationForEvent(SERVER, update('ci/web', { state: 'failed' }), { field: 'state', priority: 5 });
    expect(shown).toMatchObject({ title: 'ci/web: state is failed', urgency: 'critical' });
    expect(notificationForEvent(SERVER, update('ci/web', { state: 'failed' })).urgency).toBe('normal');
  });
});
