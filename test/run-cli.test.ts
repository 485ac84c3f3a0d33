// `herald run` as a real child process against a real server, where its output or
// its command misbehave: a reader that closes the pipe early (`| head`), output whose
// summary is long in bytes (CJK, emoji), a server that refuses the statuses, and a
// command that leaves a background process holding its pipes.

import { spawn } from 'node:child_process';
import { existsSync, readlinkSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HERALD_BIN, runHerald } from './support/herald-cli.ts';
import { openEventSource, startTestServer, waitUntil, type EventSourceClient, type Received, type TestServer } from './support/herald-test-server.ts';

let server: TestServer | undefined;
let dir: string;
const clients: EventSourceClient[] = [];
const orphans: number[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'herald-run-'));
});
afterEach(async () => {
  for (const pid of orphans.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const client of clients.splice(0)) client.close();
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** Every event of `topic` up to its `end`. */
async function eventsUntilEnd(topic: string): Promise<Received[]> {
  const client = openEventSource(`${server!.url}/events?topics=${topic}&since=all`);
  clients.push(client);
  await waitUntil(() => client.events.some((e) => e.type === 'end'), () => JSON.stringify(client.events), 10_000);
  return client.events;
}

const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('herald run', () => {
  it('keeps running the command when its reader closes the pipe, and still ends the topic with the exit code', async () => {
    server = await startTestServer();
    const flag = join(dir, 'reader-gone');
    // The command waits until the test has closed herald's stdout, then writes far more
    // than a pipe holds, so herald's echo meets EPIPE.
    const script = `echo first; while [ ! -e '${flag}' ]; do sleep 0.05; done; seq 1 200000; echo '::progress 0.5'; echo last line; exit 4`;
    const child = spawn(process.execPath, [HERALD_BIN, 'run', '--server', server.url, '--topic', 'pipe/closed', '--', 'sh', '-c', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    const safety = setTimeout(() => child.kill('SIGKILL'), 15_000);
    try {
      // Like `| head -1`: read the first line, then close the read end.
      const first = await new Promise<string>((resolve) => child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString())));
      expect(first).toBe('first\n');
      child.stdout.destroy();
      await writeFile(flag, '');
      expect(await exited, stderr).toBe(4);
    } finally {
      clearTimeout(safety);
    }
    expect(stderr).not.toMatch(/EPIPE|Error/);

    const events = await eventsUntilEnd('pipe/closed');
    const end = events.at(-1)!;
    expect(end.data).toMatchObject({ state: 'failed', exitCode: 4 });
    // The output after the reader left was still read: the summary has its last lines.
    expect(end.data.summary).toMatch(/^failed with exit code 4 after (\d+ ms|\d+\.\d s)\n199998\n199999\n200000\n::progress 0\.5\nlast line$/);
    expect(events.at(-2)?.data.status).toMatchObject({ state: 'failed', exitCode: 4, progress: 0.5, lastLine: 'last line' });
  });

  it('ends the topic when the output is long in bytes (CJK, emoji), cutting lines on character boundaries', async () => {
    server = await startTestServer(); // the default publish body limit: 4 KiB
    const cjk = '漢字かな交じり文'.repeat(50); // 400 characters, 1,200 bytes
    const emoji = `x${'🎉'.repeat(300)}`; // a cut at 300 UTF-16 units would split a pair
    const result = await runHerald(
      ['run', '--server', server.url, '--topic', 'wide/text', '--', 'sh', '-c', 'for i in 1 2 3 4; do printf "%s\\n" "$CJK"; done; printf "%s\\n" "$EMOJI"'],
      { env: { CJK: cjk, EMOJI: emoji } },
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`${cjk}\n${cjk}\n${cjk}\n${cjk}\n${emoji}\n`);

    const events = await eventsUntilEnd('wide/text');
    const end = events.at(-1)!;
    expect(end.data).toMatchObject({ state: 'succeeded', exitCode: 0 });
    const [headline, ...lines] = (end.data.summary as string).split('\n');
    expect(headline).toMatch(/^succeeded in /);
    expect(lines).toHaveLength(5);
    lines.forEach((line, i) => {
      const full = i < 4 ? cjk : emoji;
      expect(line.endsWith('…')).toBe(true);
      expect(full.startsWith(line.slice(0, -1))).toBe(true);
      expect(utf8Bytes(line.slice(0, -1))).toBeLessThanOrEqual(300);
      expect(utf8Bytes(line.slice(0, -1))).toBeGreaterThan(295);
      expect(loneSurrogate.test(line)).toBe(false);
    });
    const lastLine = events.at(-2)?.data.status.lastLine as string;
    expect(emoji.startsWith(lastLine.slice(0, -1))).toBe(true);
    expect(loneSurrogate.test(lastLine)).toBe(false);
  });

  it('still publishes the end when the server refuses its statuses as too large', async () => {
    // Updates carrying a 300-byte last line do not fit; the end is sent again with
    // only its headline when the full summary does not fit either.
    server = await startTestServer({ maxBodyBytes: 400 });
    const line = 'y'.repeat(500);
    const result = await runHerald(['run', '--server', server.url, '--topic', 'small/bodies', '--', 'sh', '-c', `echo ${line}; echo ${line}; exit 6`]);
    expect(result.code).toBe(6);
    const warnings = result.stderr.split('\n').filter((l) => l.startsWith('herald run:'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('refused the status (413');

    const events = await eventsUntilEnd('small/bodies');
    expect(events.at(-1)?.data).toMatchObject({ state: 'failed', exitCode: 6 });
    expect(events.at(-1)?.data.summary).toMatch(/^failed with exit code 6 after (\d+ ms|\d+\.\d s)$/);
  });

  it('ends with the command, not with a background process that still holds its pipes', async () => {
    server = await startTestServer();
    // The orphan outlives the test's safety bound by far; what the command wrote before
    // it exited (more than a pipe holds) is still all passed through.
    const result = await runHerald(
      ['run', '--server', server.url, '--topic', 'orphan/pipes', '--', 'sh', '-c', 'sleep 300 & echo $!; seq 1 30000; echo started; exit 3'],
      { timeoutMs: 15_000 },
    );
    const [pidLine, ...rest] = result.stdout.split('\n');
    const orphan = Number(pidLine);
    orphans.push(orphan);
    expect(result.code, result.stderr).toBe(3);
    expect(rest.join('\n')).toBe(`${Array.from({ length: 30000 }, (_, i) => i + 1).join('\n')}\nstarted\n`);
    // herald is gone while the orphan lives on, its stdout still the pipe herald read.
    expect(existsSync(`/proc/${orphan}`)).toBe(true);
    expect(readlinkSync(`/proc/${orphan}/fd/1`)).toMatch(/^(pipe|socket):/);

    const events = await eventsUntilEnd('orphan/pipes');
    expect(events.at(-1)?.data).toMatchObject({ state: 'failed', exitCode: 3 });
    expect(events.at(-1)?.data.summary).toMatch(/\n29999\n30000\nstarted$/);
  }, 30_000);
});
