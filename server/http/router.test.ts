import { describe, expect, it } from 'vitest';
import { Router, type Route } from './router.ts';

const route = (method: string, path: string): Route => ({ method, path, auth: 'none', handle: () => {} });

describe('Router', () => {
  const runs = route('POST', '/jobs/:name/runs');
  const cancel = route('DELETE', '/jobs/:name/runs/:run');
  const publish = route('POST', '/topics/:topic*');
  const events = route('GET', '/events');
  const router = new Router([events, runs, cancel, publish]);

  it('matches parameters, decoding them', () => {
    expect(router.match('POST', '/jobs/back%20up/runs')).toEqual({ kind: 'found', route: runs, params: { name: 'back up' } });
    expect(router.match('DELETE', '/jobs/b/runs/7')).toEqual({ kind: 'found', route: cancel, params: { name: 'b', run: '7' } });
  });

  it('lets a trailing :name* take the rest of the path', () => {
    expect(router.match('POST', '/topics/job/backup/7')).toEqual({ kind: 'found', route: publish, params: { topic: 'job/backup/7' } });
    expect(router.match('POST', '/topics')).toEqual({ kind: 'not-found' });
  });

  it('tells a wrong method (with what is allowed) from an unknown path, and serves HEAD from GET', () => {
    expect(router.match('GET', '/jobs/b/runs')).toEqual({ kind: 'wrong-method', allowed: ['POST'] });
    expect(router.match('GET', '/nope')).toEqual({ kind: 'not-found' });
    expect(router.match('GET', '/jobs//runs')).toEqual({ kind: 'not-found' });
    expect(router.match('HEAD', '/events')).toMatchObject({ kind: 'found', route: events });
  });

  it('refuses a path that is not absolute, saying how to write it', () => {
    expect(() => new Router([route('GET', 'events')])).toThrow(/must start with "\/", got "events"/);
  });
});
