// A token no client can send (a space, a non-ASCII character) is refused where it is
// given, before anything starts, with what was expected and what arrived, and
// without the token in the message: `herald serve` (--token, HERALD_TOKEN, the config
// file), the server as a library, and every client command (publish, run, job, watch).
// The desktop settings are checked in main/core/settings/settings.test.ts.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHeraldServer } from '../server/app.ts';
import { tokenProblem } from '../server/protocol/token-format.ts';
import { runHerald } from './support/herald-cli.ts';
import { startTestServer, type TestServer } from './support/herald-test-server.ts';

const SECRET = 'zq9 secret';
const NON_ASCII = 'zq9-café';
const EXPECTED = /expected a token of visible ASCII characters without spaces \(letters, digits and punctuation, as an "Authorization: Bearer" header carries; RFC 6750\)/;

let dir: string;
// A real server the clients would talk to: on the old code they reached it and got 401.
let server: TestServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'herald-token-format-'));
  server = await startTestServer({ token: 'the-real-token' });
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

function expectRefused(result: { code: number | null; stdout: string; stderr: string }, prefix: string, got: RegExp): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(new RegExp(`^${prefix}: ${EXPECTED.source}, got ${got.source}[^\\n]*\\n$`));
  expect(result.stderr).not.toContain('zq9');
}

describe('the token format', () => {
  it('accepts visible ASCII and describes anything else without showing it', () => {
    expect(tokenProblem('Ab0-._~+/=')).toBeNull();
    expect(tokenProblem('!"#$%&\'()*,:;<>?@[\\]^`{|}')).toBeNull();
    expect(tokenProblem('')).toMatch(/got an empty token$/);
    expect(tokenProblem('ab c')).toMatch(/got a space at character 3 of 4 \(the token is not shown\)$/);
    expect(tokenProblem('abc\n')).toMatch(/got a line break at character 4 of 4/);
    expect(tokenProblem('a\tb')).toMatch(/got a tab at character 2 of 3/);
    expect(tokenProblem('a\u0000b')).toMatch(/got a control character at character 2/);
    expect(tokenProblem('😀ab')).toMatch(/got a non-ASCII character at character 1 of 3/);
  });
});

describe('herald serve refuses it at start', () => {
  it('from --token', async () => {
    const result = await runHerald(['serve', '--port', '0', '--data-dir', join(dir, 'flag'), '--token', SECRET], { timeoutMs: 20_000 });
    expectRefused(result, 'herald serve: --token', /a space at character 4 of 10 \(the token is not shown\)/);
  });

  it('from HERALD_TOKEN', async () => {
    const result = await runHerald(['serve', '--port', '0', '--data-dir', join(dir, 'env')], { env: { HERALD_TOKEN: NON_ASCII }, timeoutMs: 20_000 });
    expectRefused(result, 'herald serve: HERALD_TOKEN', /a non-ASCII character at character 8 of 8 \(the token is not shown\)/);
  });

  it('from --token even when it is empty (which would otherwise mean no token at all)', async () => {
    const result = await runHerald(['serve', '--port', '0', '--data-dir', join(dir, 'empty'), '--token', ''], { timeoutMs: 20_000 });
    expectRefused(result, 'herald serve: --token', /an empty token/);
  });

  it("from the config file's server block", async () => {
    const file = join(dir, 'herald.config.json');
    await writeFile(file, JSON.stringify({ server: { token: SECRET }, system: { enabled: false } }));
    const result = await runHerald(['serve', '--port', '0', '--data-dir', join(dir, 'config'), '--config', file], { env: { HERALD_TOKEN: '' }, timeoutMs: 20_000 });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain(`config file ${file} is invalid (1 problem):`);
    expect(result.stderr).toMatch(new RegExp(`  - server\\.token: ${EXPECTED.source}, got a space at character 4 of 10 \\(the token is not shown\\)`));
    expect(result.stderr).not.toContain('zq9');
  });

  it('when embedded (the desktop app builds the server with createHeraldServer)', async () => {
    await expect(createHeraldServer({ port: 0, dataDir: join(dir, 'embedded'), token: SECRET })).rejects.toThrow(
      expect.objectContaining({ code: 'bad_config', message: expect.stringMatching(/^the server's token: expected a token of visible ASCII.*got a space at character 4 of 10/) }),
    );
  });
});

describe('the client commands refuse it before sending anything', () => {
  const server_ = () => ['--server', server.url];

  it('herald publish --token', async () => {
    const result = await runHerald(['publish', ...server_(), '--token', SECRET, 'a', 'hello']);
    expectRefused(result, 'herald publish: --token', /a space at character 4 of 10 \(the token is not shown\)/);
  });

  it('herald publish with HERALD_TOKEN', async () => {
    const result = await runHerald(['publish', ...server_(), 'a', 'hello'], { env: { HERALD_TOKEN: NON_ASCII } });
    expectRefused(result, 'herald publish: HERALD_TOKEN', /a non-ASCII character at character 8 of 8/);
  });

  it('herald run --token', async () => {
    const result = await runHerald(['run', ...server_(), '--token', SECRET, '--topic', 'a', '--', 'true']);
    expectRefused(result, 'herald run: --token', /a space at character 4 of 10/);
  });

  it('herald job --token', async () => {
    const result = await runHerald(['job', 'list', ...server_(), '--token', SECRET]);
    expectRefused(result, 'herald job: --token', /a space at character 4 of 10/);
  });

  it('herald watch --token', async () => {
    const result = await runHerald(['watch', server.url, '--topics', 'a', '--token', SECRET]);
    expectRefused(result, 'herald watch: --token', /a space at character 4 of 10/);
  });

  it('herald watch with HERALD_TOKEN', async () => {
    const result = await runHerald(['watch', server.url, '--topics', 'a'], { env: { HERALD_TOKEN: NON_ASCII } });
    expectRefused(result, 'herald watch: HERALD_TOKEN', /a non-ASCII character at character 8 of 8/);
  });
});
