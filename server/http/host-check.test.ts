import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { checkHostAndOrigin, hostName } from './host-check.ts';

const req = (headers: Record<string, string>, localAddress = '127.0.0.1') =>
  ({ headers, socket: { localAddress } }) as unknown as IncomingMessage;

describe('hostName', () => {
  it('reads the name of a Host header, lower-cased, with IPv6 brackets and port removed', () => {
    expect(hostName('LocalHost:8080')).toBe('localhost');
    expect(hostName('[::1]:9')).toBe('::1');
    expect(hostName('127.0.0.1')).toBe('127.0.0.1');
    expect(hostName('a b')).toBeNull();
    expect(hostName('user@127.0.0.1')).toBeNull();
    expect(hostName('127.0.0.1/x')).toBeNull();
  });
});

describe('checkHostAndOrigin', () => {
  it('checks the Host only on loopback connections', () => {
    expect(() => checkHostAndOrigin(req({ host: 'evil.example' }), [])).toThrow(/DNS rebinding/);
    expect(() => checkHostAndOrigin(req({ host: 'evil.example' }, '::ffff:127.0.0.1'), [])).toThrow(/DNS rebinding/);
    // Reached over the LAN (a token is required there), the name is the client's business.
    expect(() => checkHostAndOrigin(req({ host: 'my-box.lan:8080' }, '192.168.1.5'), [])).not.toThrow();
    // HTTP/1.0 clients may send no Host; a browser always sends one.
    expect(() => checkHostAndOrigin(req({}), [])).not.toThrow();
  });

  it('judges the same Host again under another allowed-hosts list, and on every connection', () => {
    const proxied = ['herald.example.org'];
    for (let round = 0; round < 2; round++) {
      expect(() => checkHostAndOrigin(req({ host: 'herald.example.org' }), [])).toThrow(/DNS rebinding/);
      expect(() => checkHostAndOrigin(req({ host: 'herald.example.org' }), proxied)).not.toThrow();
      expect(() => checkHostAndOrigin(req({ host: 'herald.example.org' }, '10.0.0.2'), [])).not.toThrow();
      expect(() => checkHostAndOrigin(req({ host: 'herald.example.org' }), [])).toThrow(/DNS rebinding/);
    }
    // Past the hosts it remembers, it still judges each one.
    for (let i = 0; i < 300; i++) expect(() => checkHostAndOrigin(req({ host: `n${i}.example` }), [])).toThrow(/DNS rebinding/);
    expect(() => checkHostAndOrigin(req({ host: '127.0.0.1:8080' }), [])).not.toThrow();
  });

  it('asks the connection for its own address only when the Host is not one it allows anyway', () => {
    let asked = 0;
    const counting = (host: string) =>
      ({ headers: { host }, socket: { get localAddress() { asked++; return '127.0.0.1'; } } }) as unknown as IncomingMessage;
    checkHostAndOrigin(counting('127.0.0.1:8080'), []);
    checkHostAndOrigin(counting('localhost'), []);
    expect(asked).toBe(0);
    expect(() => checkHostAndOrigin(counting('evil.example'), [])).toThrow(/DNS rebinding/);
    expect(asked).toBe(1);
  });

  it('takes an Origin only when it is the origin the request was addressed to, or an allowed host', () => {
    const own = { host: '127.0.0.1:8080' };
    expect(() => checkHostAndOrigin(req({ ...own, origin: 'http://127.0.0.1:8080' }), [])).not.toThrow();
    expect(() => checkHostAndOrigin(req({ host: 'localhost', origin: 'http://localhost:80' }), [])).not.toThrow();
    expect(() => checkHostAndOrigin(req({ ...own, origin: 'http://127.0.0.1:8081' }), [])).toThrow(/pages from other origins/);
    expect(() => checkHostAndOrigin(req({ ...own, origin: 'http://localhost:8080' }), [])).toThrow(/pages from other origins/);
    expect(() => checkHostAndOrigin(req({ ...own, origin: 'null' }), [])).toThrow(/got "null"/);
    expect(() => checkHostAndOrigin(req({ ...own, origin: 'app://herald' }), [])).toThrow(/forbidden|other origins/);
    expect(() => checkHostAndOrigin(req({ ...own, origin: 'https://herald.example' }), ['herald.example'])).not.toThrow();
  });
});
