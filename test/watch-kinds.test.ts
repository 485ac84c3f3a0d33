// `herald watch --kind ntfy|sse` as a user runs it: a child process against small
// local servers on port 0 (an ntfy JSON stream replaying ntfy's documented stream, a
// plain SSE endpoint), and the usage errors of the new flags.

import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runHerald } from './support/herald-cli.ts';
import { runCleanups, tinyServer } from './support/subscription-watch.ts';
import { killAllHerald, spawnHerald } from './watch-support.ts';

afterEach(async () => {
  await killAllHerald();
  await runCleanups();
});

const DOCS_STREAM = readFileSync(new URL('fixtures/ntfy/docs-stream.ndjson', import.meta.url), 'utf8');
const withoutTime = (lines: string[]) => lines.filter((l) => l !== '').map((l) => l.replace(/^\d\d:\d\d:\d\d /, ''));

describe('herald watch --kind ntfy', () => {
  it("prints an ntfy server's messages with emoji tags, sending the user and password as Basic", async () => {
    const server = await tinyServer((req, res) => {
      if (new URL(req.url!, 'http://x').searchParams.get('poll') === '1') return res.writeHead(200, { 'Content-Type': 'application/x-ndjson' }).end();
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson; charset=utf-8' });
      res.write(DOCS_STREAM);
    });
    const watcher = spawnHerald(['watch', server.url, '--kind', 'ntfy', '--topics', 'mytopic,phil_alerts,myhome', '--user', 'phil:s3cret'], { TZ: 'UTC' });
    await watcher.waitForLine('stdout', (l) => l.includes('Turn down the A/C'));
    expect(withoutTime(watcher.stdout)).toEqual([
      'notify  mytopic  ⚠️ 💀 Unauthorized access detected: Movement detected in the yard. You better go check',
      'notify  phil_alerts  Remote access to phils-laptop detected. Act right away.',
      'notify  myhome  You left the house. Turn down the A/C?',
    ]);
    expect(server.requests[0]?.url).toBe('/mytopic,phil_alerts,myhome/json');
    expect(server.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from('phil:s3cret').toString('base64')}`);
    expect(watcher.stderr.filter((l) => l !== '')).toEqual([`-- connecting to ${server.url} (mytopic, phil_alerts, myhome)`, '-- live: mytopic, phil_alerts, myhome']);
  });

  it('exits 1 naming refused credentials', async () => {
    const server = await tinyServer((_req, res) => res.writeHead(403, { 'Content-Type': 'application/json' }).end('{"code":40301,"http":403,"error":"forbidden"}'));
    const watcher = spawnHerald(['watch', server.url, '--kind', 'ntfy', '--topics', 'a', '--token', 'tk_wrong']);
    expect(await watcher.exited).toBe(1);
    expect(watcher.stderr).toContain("herald watch: the server refused the credentials (HTTP 403): forbidden. Set the server's token, or its user and password (herald watch --token or --user, or the server's settings)");
    expect(server.requests[0]?.headers.authorization).toBe('Bearer tk_wrong');
  });
});

describe('herald watch --kind sse', () => {
  it("prints each event of a plain SSE URL, mapped by --template", async () => {
    const server = await tinyServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write('event: status\ndata: {"service":"db","state":"down"}\n\n');
      res.write('data: just text\n\n');
    });
    // A Herald token in the environment is not sent to another kind of server.
    const watcher = spawnHerald(['watch', `${server.url}/feed`, '--kind', 'sse', '--topics', 'status', '--template', 'title={{ data.service }} is {{ data.state }}', '--json'], {
      HERALD_TOKEN: 'local-herald-secret',
    });
    await watcher.waitForLine('stdout', (l) => l.includes('just text'));
    const events = watcher.stdout.filter((l) => l.startsWith('{"kind":"event"')).map((l) => JSON.parse(l));
    expect(events.map((e) => [e.type, e.data.topic, e.data.title, e.data.body])).toEqual([
      ['notify', 'status', 'db is down', '{"service":"db","state":"down"}'],
      ['notify', 'status', 'status', 'just text'],
    ]);
    expect(server.requests[0]?.url).toBe('/feed');
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
  });
});

describe('herald watch flags for other kinds', () => {
  const usage = async (args: string[]) => {
    const result = await runHerald(['watch', ...args], { env: { HERALD_URL: '', HERALD_TOKEN: '' } });
    return { code: result.code, line: result.stderr.trim().split('\n')[0] };
  };

  it('refuses what a kind cannot take, saying what it expected', async () => {
    expect(await usage(['http://127.0.0.1:9', '--kind', 'gotify', '--topics', 'a'])).toEqual({ code: 2, line: 'herald watch: expected --kind to be one of herald, ntfy, sse, got "gotify"' });
    expect(await usage(['--kind', 'ntfy', '--topics', 'a'])).toEqual({
      code: 2,
      line: "herald watch: expected the ntfy server's base URL with --kind ntfy, e.g. herald watch https://ntfy.sh --kind ntfy --topics mytopic",
    });
    expect(await usage(['http://127.0.0.1:9', '--kind', 'ntfy', '--topics', 'job/*'])).toEqual({
      code: 2,
      line: 'herald watch: expected ntfy topic names of 1 to 64 letters, digits, "-" or "_", got "job/*"',
    });
    expect(await usage(['http://127.0.0.1:9', '--topics', 'a', '--user', 'phil:x'])).toEqual({ code: 2, line: 'herald watch: --user is for --kind ntfy or sse; a Herald server takes --token' });
    expect(await usage(['http://127.0.0.1:9', '--kind', 'sse', '--template', 'title'])).toEqual({
      code: 2,
      line: "herald watch: expected --template FIELD=TEMPLATE, e.g. --template 'title={{ data.name }}', got \"title\"",
    });
    expect(await usage(['http://127.0.0.1:9', '--kind', 'sse', '--template', 'title={{ oops'])).toEqual({
      code: 2,
      line: 'herald watch: --template title: expected "}}" to close the "{{" at character 1, got the end of the template',
    });
    expect(await usage(['http://127.0.0.1:9', '--kind', 'sse', '--topics', 'a,b'])).toEqual({ code: 2, line: "herald watch: expected one topic for a plain SSE URL's events, got 2: a,b" });
  });
});
