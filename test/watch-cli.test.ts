// `herald watch` as a user runs it: a child process against a real server on port 0.

import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/herald-test-server.ts';
import { killAllHerald, spawnHerald } from './watch-support.ts';

const servers: TestServer[] = [];
afterEach(async () => {
  await killAllHerald();
  for (const server of servers.splice(0)) {
    server.server.http.closeAllConnections();
    await server.close();
  }
});

async function herald(token?: string): Promise<TestServer & { streamRequests: IncomingMessage[] }> {
  const server = await startTestServer({ heartbeatMs: 60_000, retryMs: 200, ...(token ? { token } : {}) });
  servers.push(server);
  const streamRequests: IncomingMessage[] = [];
  server.server.http.on('request', (req: IncomingMessage) => {
    if (req.url?.startsWith('/events')) streamRequests.push(req);
  });
  return Object.assign(server, { streamRequests });
}

const end = (summary: string) => ({ event: 'end', state: 'failed', exitCode: 2, durationMs: 83_000, summary });

describe('herald watch', () => {
  it('prints one line per event, states on stderr, and exits 0 when every topic ended', async () => {
    const server = await herald();
    const watcher = spawnHerald(['watch', server.url, '--topics', 'backups,job/build'], { TZ: 'UTC' });
    await watcher.waitForLine('stderr', (l) => l.startsWith('-- live'));
    await server.publish('backups', { title: 'Backup', body: 'nightly backup done' });
    await server.publish('backups', { event: 'alert', level: 'critical', message: 'disk 97% full' });
    await server.publish('backups', { event: 'end', state: 'succeeded', exitCode: 0, durationMs: 5000, summary: 'done' });
    await server.publish('job/build', { status: { step: 'test', progress: 40 } });
    await server.publish('job/build', end('tests failed'));

    expect(await watcher.exited).toBe(0);
    expect(watcher.stdout.filter((l) => l !== '').map((l) => l.replace(/^\d\d:\d\d:\d\d /, ''))).toEqual([
      'notify  backups  Backup: nightly backup done',
      'alert   backups  Critical: disk 97% full',
      'end     backups  succeeded: done (exit 0, 5.0 s)',
      'update  job/build  step=test, progress=40',
      'end     job/build  failed: tests failed (exit 2, 1 min 23 s)',
    ]);
    expect(watcher.stderr.filter((l) => l !== '')).toEqual([
      `-- connecting to ${server.url} (backups, job/build)`,
      '-- live: backups, job/build',
      '-- closed: every topic has ended',
    ]);
  });

  it('prints JSON lines with --json', async () => {
    const server = await herald();
    const watcher = spawnHerald(['watch', server.url, '--topics', 'job/x', '--json']);
    await watcher.waitForLine('stdout', (l) => l.includes('"live"'));
    const { body } = await server.publish('job/x', end('boom'));
    expect(await watcher.exited).toBe(0);
    const lines = watcher.stdout.filter((l) => l !== '').map((l) => JSON.parse(l));
    expect(lines.find((l) => l.kind === 'event')).toMatchObject({ kind: 'event', id: body.id, type: 'end', data: { topic: 'job/x', summary: 'boom', state: 'failed' } });
    expect(lines.map((l) => l.kind === 'state' ? l.connection.kind : l.type)).toEqual(['connecting', 'live', 'end', 'closed']);
  });

  it('prints what was retained first with --since all', async () => {
    const server = await herald();
    await server.publish('backups', 'from before');
    await server.publish('backups', end('over'));
    const watcher = spawnHerald(['watch', server.url, '--topics', 'backups', '--since', 'all']);
    expect(await watcher.exited).toBe(0);
    expect(watcher.stdout.filter((l) => l !== '').map((l) => l.slice(9))).toEqual(['notify  backups  from before', 'end     backups  failed: over (exit 2, 1 min 23 s)']);
  });

  it('fails on a wrong token with one line naming it, exit 1, and one request only', async () => {
    const server = await herald('right-token');
    const watcher = spawnHerald(['watch', server.url, '--topics', 'a'], { HERALD_TOKEN: 'wrong-token' });
    expect(await watcher.exited).toBe(1);
    expect(watcher.stderr.filter((l) => l.startsWith('herald watch:'))).toEqual([
      "herald watch: the server refused the token (HTTP 401): the token does not match this server's token. Set the server's token (herald watch --token, or the server's settings)",
    ]);
    expect(server.streamRequests).toHaveLength(1);
    expect(server.streamRequests[0]?.headers.authorization).toBe('Bearer wrong-token');
  });

  it('shows control characters and unpaired bidi controls in titles and bodies as escapes, never raw', async () => {
    const server = await herald();
    const watcher = spawnHerald(['watch', server.url, '--topics', 'evil'], { TZ: 'UTC' });
    await watcher.waitForLine('stderr', (l) => l.startsWith('-- live'));
    const published = [
      { title: 'Clip\u001b]52;c;cm0gLXJmIH4=\u0007board', body: 'colours \u001b[31mred\u001b[0m and \u001b]0;window title\u0007' },
      { title: 'paid\b\b\b\bdue!', body: 'nul\u0000here, vt\u000bff\u000cline\u2028para\u2029nel\u0085csi\u009b2J' },
      { title: 'Invoice \u202efdp.exe', body: 'Safe body text here' },
    ];
    for (const message of published) expect((await server.publish('evil', message)).status).toBe(201);
    await server.publish('evil', end('done'));
    expect(await watcher.exited).toBe(0);

    const printed = [...watcher.stdout, ...watcher.stderr].join('\n');
    expect(printed).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
    expect(watcher.stdout.filter((l) => l !== '').map((l) => l.replace(/^\d\d:\d\d:\d\d /, ''))).toEqual([
      'notify  evil  Clip\\u001b]52;c;cm0gLXJmIH4=\\u0007board: colours \\u001b[31mred\\u001b[0m and \\u001b]0;window title\\u0007',
      'notify  evil  paid\\u0008\\u0008\\u0008\\u0008due!: nul\\u0000here, vt\\u000bff\\u000cline\\u2028para\\u2029nel\\u0085csi\\u009b2J',
      'notify  evil  Invoice \\u202efdp.exe: Safe body text here',
      'end     evil  failed: done (exit 2, 1 min 23 s)',
    ]);
  });

  it('escapes in --json what JSON.stringify leaves raw, and the JSON still reads back to the same text', async () => {
    const server = await herald();
    const watcher = spawnHerald(['watch', server.url, '--topics', 'evil', '--json']);
    await watcher.waitForLine('stdout', (l) => l.includes('"live"'));
    const title = 'esc\u001b csi\u009b line\u2028 rlo\u202e del\u007f';
    await server.publish('evil', { title, body: 'b' });
    await server.publish('evil', end('done'));
    expect(await watcher.exited).toBe(0);
    const line = watcher.stdout.find((l) => l.includes('"notify"'))!;
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/);
    expect(JSON.parse(line).data.title).toBe(title);
  });

  it('explains bad arguments with exit 2', async () => {
    const noTopics = spawnHerald(['watch', 'http://127.0.0.1:1']);
    expect(await noTopics.exited).toBe(2);
    expect(noTopics.stderr[0]).toBe('herald watch: expected --topics a,b naming at least one topic or pattern, e.g. herald watch --topics backups,job/*');
    const badUrl = spawnHerald(['watch', 'ftp://x', '--topics', 'a']);
    expect(await badUrl.exited).toBe(2);
    expect(badUrl.stderr[0]).toBe('herald watch: expected the server as an http(s) URL like http://127.0.0.1:8080, got "ftp://x"');
    const longHeartbeat = spawnHerald(['watch', 'http://127.0.0.1:1', '--topics', 'a', '--heartbeat-sec', '1000000']);
    expect(await longHeartbeat.exited).toBe(2);
    expect(longHeartbeat.stderr[0]).toBe('herald watch: expected --heartbeat-sec to be a number from 0.1 to 3600, got "1000000"');
  });
});
