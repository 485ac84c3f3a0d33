import { describe, expect, it } from 'vitest';
import { NO_FILTER } from './event-filter.ts';
import { EventStore } from './event-store.ts';
import { FilteredView } from './filtered-view.ts';
import { alert, end, notify, received, update } from '../../test/support/test-events.ts';

function storeWith(): EventStore {
  const store = new EventStore();
  store.addLive(
    [
      notify('ci/build', 'build 1 passed', { title: 'CI', time: 1000 }),
      alert('system', 'critical', 'cpu above 90%', { time: 2000 }),
      update('job/backup/7', { state: 'running', progress: 0.5 }, { time: 3000 }),
      end('job/backup/7', { state: 'failed', exitCode: 2 }),
      notify('ci/deploy', 'deploy done', { time: 5000 }),
    ].map((e) => received(e)),
  );
  return store;
}

const topics = (view: FilteredView): string[] => Array.from({ length: view.length }, (_, i) => view.at(i)!.event.data.topic);

describe('the filtered view', () => {
  it('lists events newest first', () => {
    const view = new FilteredView(storeWith());
    expect(topics(view)).toEqual(['ci/deploy', 'job/backup/7', 'job/backup/7', 'system', 'ci/build']);
  });

  it('narrows by topic pattern, type, level, time and every word of the search', () => {
    const view = new FilteredView(storeWith());
    view.setFilter({ ...NO_FILTER, topic: 'ci/*' });
    expect(topics(view)).toEqual(['ci/deploy', 'ci/build']);
    view.setFilter({ ...NO_FILTER, types: ['alert', 'end'] });
    expect(view.newestFirst().map((s) => s.event.type)).toEqual(['end', 'alert']);
    view.setFilter({ ...NO_FILTER, levels: ['critical'] });
    expect(view.length).toBe(2);
    view.setFilter({ ...NO_FILTER, from: 1500, to: 3500 });
    expect(topics(view)).toEqual(['job/backup/7', 'system']);
    view.setFilter({ ...NO_FILTER, text: 'PASSED build' });
    expect(topics(view)).toEqual(['ci/build']);
    view.setFilter({ ...NO_FILTER, text: 'progress=0.5' });
    expect(topics(view)).toEqual(['job/backup/7']);
  });

  it('ignores an invalid topic pattern and says why', () => {
    const view = new FilteredView(storeWith());
    view.setFilter({ ...NO_FILTER, topic: 'ci/**/x' });
    expect(view.topicProblem).toMatch(/"\*\*" may only be the last segment/);
    expect(view.length).toBe(5);
  });

  it('adds matching live events at the top and reports how many it showed', () => {
    const store = storeWith();
    const view = new FilteredView(store, { ...NO_FILTER, topic: 'ci/**' });
    const added = store.addLive([received(notify('ci/build', 'build 2')), received(notify('system', 'other'))]);
    expect(view.addLive(added)).toBe(1);
    expect(view.at(0)!.event.data).toMatchObject({ body: 'build 2' });
    expect(view.indexOf(added[0]!)).toBe(0);
    expect(view.indexOf(added[1]!)).toBe(-1);
  });

  it('drops the events the store forgot', () => {
    const store = new EventStore(3);
    const view = new FilteredView(store);
    for (let n = 0; n < 5; n++) view.addLive(store.addLive([received(notify('a', `m${n}`))]));
    expect(view.length).toBe(3);
    expect(view.newestFirst().map((s) => (s.event.data as { body: string }).body)).toEqual(['m4', 'm3', 'm2']);
  });
});
