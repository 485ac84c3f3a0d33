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

  it('sends to a fallback route only what no other route answers, and never makes a 405 of it', () => {
    const ntfyPublish: Route = { ...route('POST', '/:topic'), fallback: true };
    const ntfyJson: Route = { ...route('GET', '/:topics/json'), fallback: true };
    // The fallbacks come first here, so the order of the list is not what decides.
    const withFallbacks = new Router([ntfyPublish, ntfyJson, events, runs, route('POST', '/login')]);
    expect(withFallbacks.match('POST', '/login')).toMatchObject({ kind: 'found', route: { path: '/login' } });
    expect(withFallbacks.match('POST', '/backups')).toEqual({ kind: 'found', route: ntfyPublish, params: { topic: 'backups' } });
    // /events answers GET only: a POST goes to the fallback (which refuses the reserved name).
    expect(withFallbacks.match('POST', '/events')).toEqual({ kind: 'found', route: ntfyPublish, params: { topic: 'events' } });
    expect(withFallbacks.match('DELETE', '/events')).toEqual({ kind: 'wrong-method', allowed: ['GET'] });
    expect(withFallbacks.match('DELETE', '/backups')).toEqual({ kind: 'not-found' });
    expect(withFallbacks.match('GET', '/backups')).toEqual({ kind: 'not-found' });
    expect(withFallbacks.match('HEAD', '/a,b/json')).toEqual({ kind: 'found', route: ntfyJson, params: { topics: 'a,b' } });
  });

  it('refuses a path that is not absolute, saying how to write it', () => {
    expect(() => new Router([route('GET', 'events')])).toThrow(/must start with "\/", got "events"/);
  });
});
