import { describe, expect, it } from 'vitest';
import { EventStore } from './event-store.ts';
import { formulaCells, parseCsv } from '../../test/support/csv-reader.ts';
import { exportFileName, toCsv, toJson } from './export-format.ts';
import { notify, received, update } from '../../test/support/test-events.ts';

describe('exporting the view', () => {
  const store = new EventStore();
  const rows = store.addLive([received(notify('ci', 'said "hi", then\nleft', { id: '7', title: '=SUM(A1)', time: Date.UTC(2026, 10, 25, 14, 0, 0) }))]);

  it('writes RFC 4180 CSV: quotes, doubled quotes, CRLF, and no formula can run', () => {
    const csv = toCsv(rows);
    const [header, line, last] = csv.split('\r\n');
    expect(header).toBe('time,server,topic,type,level,id,summary,data');
    expect(line?.startsWith(`2026-11-25T14:00:00.000Z,local,ci,notify,info,7,"'=SUM(A1): said ""hi"", then\nleft",`)).toBe(true);
    expect(last).toBe('');
  });

  it('writes with the history export’s writer: no formula after a ; or TAB either, and the data column stays JSON', () => {
    const tricky = new EventStore().addLive([
      received(notify('ci', 'x\t=2+2', { id: '8', title: 'x;=1+1;y', time: Date.UTC(2026, 10, 25, 14, 0, 0) })),
      received(update('ci', { deltas: [3, -2], note: 'a;@b' }, { id: '9' })),
    ]);
    const csv = toCsv(tricky);
    const [, first, second] = parseCsv(csv);
    expect(first?.[6]).toBe(`x;'=1+1;y: x\t'=2+2`);
    expect(JSON.parse(first![7]!)).toEqual(tricky[0]!.event.data);
    expect(JSON.parse(second![7]!)).toEqual(tricky[1]!.event.data);
    expect(formulaCells(csv)).toEqual([]);
  });

  it('writes JSON that reads back to the same events', () => {
    const parsed = JSON.parse(toJson(rows)) as Array<{ id: string; data: { body: string } }>;
    expect(parsed).toEqual([{ server: 'local', id: '7', type: 'notify', level: 'info', data: rows[0]!.event.data }]);
  });

  it('names files by time so they sort and are valid on every OS', () => {
    expect(exportFileName('csv', Date.UTC(2026, 10, 25, 14, 40, 58))).toBe('herald-events-2026-11-25T14-40-58.csv');
  });
});
