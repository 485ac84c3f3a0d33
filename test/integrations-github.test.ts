// POST /hooks/github on a real server, with GitHub's payloads (octokit/webhooks'
// examples in test/fixtures/github/) signed as GitHub signs them: HMAC-SHA256 of
// the raw body with the webhook's secret, in X-Hub-Signature-256.

import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { integrationsPlugin } from '../server/integrations/index.ts';
import type { HeraldConfig } from '../server/config/config-types.ts';
import type { HeraldServerOptions } from '../server/plugin.ts';
import { startTestServer, type TestServer } from './support/herald-test-server.ts';
import { fixture, fixtureJson, postHook, storedEvents } from './support/webhooks.ts';

const SECRET = 'gh-webhook-secret-42';
const TOKEN = 'gh-test-token-1234';
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(config: HeraldConfig = { integrations: { github: { secret: SECRET } } }, options: Partial<HeraldServerOptions> = {}): Promise<TestServer> {
  server = await startTestServer({ plugins: [integrationsPlugin({ config })], ...options });
  return server;
}

/** What GitHub sends: the body's bytes and its signature under `secret`. */
function delivery(event: string, body: Buffer, secret = SECRET, contentType = 'application/json') {
  const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  return { body, headers: { 'Content-Type': contentType, 'X-GitHub-Event': event, 'X-GitHub-Delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958', 'X-Hub-Signature-256': signature } };
}

const send = (s: TestServer, d: ReturnType<typeof delivery>) => postHook(s.url, '/hooks/github', d.body, d.headers);
const json = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('GitHub events become notify events on github/OWNER/REPO', () => {
  it('maps each published event, signed, to a notification with its result and link', async () => {
    const s = await start();
    const cases: Array<[string, string]> = [
      ['workflow_run', 'github/workflow_run-completed.json'],
      ['check_suite', 'github/check_suite-completed.json'],
      ['deployment_status', 'github/deployment_status.json'],
      ['release', 'github/release-published.json'],
      ['ping', 'github/ping.json'],
    ];
    for (const [event, file] of cases) {
      const answer = await send(s, delivery(event, fixture(file)));
      expect(answer.status, `${event}: ${JSON.stringify(answer.body)}`).toBe(201);
    }
    const data = (await storedEvents(s.server)).map((e) => e.data);
    expect(data).toMatchObject([
      {
        topic: 'github/octo-org/octo-repo',
        title: 'octo-org/octo-repo: test succeeded',
        body: 'ci(action): update actions/setup-node digest to 8c91899 · master · run #163',
        priority: 2,
        tags: ['github', 'workflow_run', 'success', 'ok'],
        click: 'https://github.com/octo-org/octo-repo/actions/runs/289782451',
      },
      {
        topic: 'github/Codertocat/Hello-World',
        title: 'Codertocat/Hello-World: octocoders-linter succeeded',
        tags: ['github', 'check_suite', 'success', 'ok'],
        click: 'https://github.com/Codertocat/Hello-World/commit/ec26c3e57ca3a959ca5aad62de7213c562f8c821',
      },
      { topic: 'github/Codertocat/Hello-World', title: 'Codertocat/Hello-World: deployment to production succeeded', click: 'https://github.com/Codertocat/Hello-World/deployments' },
      { title: 'Codertocat/Hello-World: release 0.0.1', priority: 3, click: 'https://github.com/Codertocat/Hello-World/releases/tag/0.0.1' },
      { topic: 'github/Octocoders/Hello-World', title: 'GitHub webhook connected: Octocoders/Hello-World', body: 'Anything added dilutes everything else. · events: *' },
    ]);
  });

  it('a failed run is critical, priority 4 (the example payload with its conclusion changed)', async () => {
    const s = await start();
    const failed = fixtureJson('github/workflow_run-completed.json');
    failed.workflow_run.conclusion = 'failure';
    expect((await send(s, delivery('workflow_run', json(failed)))).status).toBe(201);
    const [event] = await storedEvents(s.server);
    expect(event!.data).toMatchObject({ title: 'octo-org/octo-repo: test failed', priority: 4, tags: ['github', 'workflow_run', 'failure', 'critical'] });
  });

  it('accepts and ignores with 202 what is not a result: other events, runs not completed, pending deployments', async () => {
    const s = await start();
    const requested = { ...fixtureJson('github/workflow_run-completed.json'), action: 'requested' };
    const pending = fixtureJson('github/deployment_status.json');
    pending.deployment_status.state = 'pending';
    const answers = [
      await send(s, delivery('star', fixture('github/star-created.json'))),
      await send(s, delivery('workflow_run', json(requested))),
      await send(s, delivery('deployment_status', json(pending))),
    ];
    expect(answers.map((a) => [a.status, a.body.ignored])).toEqual([
      [202, '"star" events are not published (only workflow_run, check_suite, deployment_status, release, ping)'],
      [202, 'workflow_run "requested": only completed runs are published'],
      [202, 'deployment_status "pending": only success, failure and error are published'],
    ]);
    expect(await storedEvents(s.server)).toEqual([]);
  });

  it("takes GitHub's form encoding (payload=...), signed over the form body", async () => {
    const s = await start();
    const form = Buffer.from(new URLSearchParams({ payload: fixture('github/ping.json').toString('utf8') }).toString());
    expect((await send(s, delivery('ping', form, SECRET, 'application/x-www-form-urlencoded'))).status).toBe(201);
  });
});

describe('who may post', () => {
  it('with a secret: a tampered body, another secret, a bad or missing signature are 401 and store nothing', async () => {
    const s = await start(undefined, { authFailures: { freeFailures: 100 } });
    const good = delivery('workflow_run', fixture('github/workflow_run-completed.json'));
    const tampered = Buffer.from(good.body);
    tampered[tampered.indexOf('success')] = 'S'.charCodeAt(0);
    const cases = [
      { ...good, body: tampered },
      delivery('workflow_run', good.body, 'another-secret'),
      { ...good, headers: { ...good.headers, 'X-Hub-Signature-256': 'sha256=not-hex' } },
      { ...good, headers: { ...good.headers, 'X-Hub-Signature-256': good.headers['X-Hub-Signature-256'].replace('sha256=', 'sha1=') } },
      { ...good, headers: { 'Content-Type': 'application/json', 'X-GitHub-Event': 'workflow_run' } },
      // Herald's token does not stand in for the signature when a secret is set.
      { ...good, headers: { 'Content-Type': 'application/json', 'X-GitHub-Event': 'workflow_run', Authorization: `Bearer ${TOKEN}` } },
    ];
    for (const [i, d] of cases.entries()) {
      const answer = await send(s, d as ReturnType<typeof delivery>);
      expect(answer.status, `case ${i}`).toBe(401);
      expect(answer.body.code).toBe('unauthorized');
    }
    expect((await send(s, cases[4] as ReturnType<typeof delivery>)).body.error).toBe(
      "expected the HMAC-SHA256 signature of the body made with the webhook's secret in the X-Hub-Signature-256 header, got no such header",
    );
    expect(await storedEvents(s.server)).toEqual([]);
    expect((await send(s, good)).status).toBe(201);
  });

  it('wrong signatures count as failed authentications: past the free ones, the address waits (429), even with a good one', async () => {
    const s = await start(undefined, { authFailures: { freeFailures: 2 } });
    const forged = delivery('ping', fixture('github/ping.json'), 'guessed-secret');
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await send(s, forged)).status);
    expect(statuses).toEqual([401, 401, 401]);
    const next = await send(s, delivery('ping', fixture('github/ping.json')));
    expect(next.status).toBe(429);
    expect(Number(next.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it("without a secret: Herald's token is needed (on a server that has one)", async () => {
    const s = await start({}, { token: TOKEN });
    const unsigned = { body: fixture('github/ping.json'), headers: { 'Content-Type': 'application/json', 'X-GitHub-Event': 'ping' } };
    const signed = delivery('ping', fixture('github/ping.json'));
    expect((await postHook(s.url, '/hooks/github', unsigned.body, unsigned.headers)).status).toBe(401);
    // A signature means nothing when no secret is configured.
    expect((await send(s, signed)).status).toBe(401);
    expect((await postHook(s.url, '/hooks/github', unsigned.body, { ...unsigned.headers, Authorization: `Bearer ${TOKEN}` })).status).toBe(201);
  });
});

describe('malformed deliveries', () => {
  it('no X-GitHub-Event, a body that is not JSON, a published event without its object: 400', async () => {
    const s = await start();
    const noEvent = delivery('ping', fixture('github/ping.json'));
    delete (noEvent.headers as Record<string, string>)['X-GitHub-Event'];
    const answers = [
      await send(s, noEvent),
      await send(s, delivery('ping', Buffer.from('{"zen": '))),
      await send(s, delivery('release', json({ action: 'published', repository: { full_name: 'a/b' } }))),
    ];
    expect(answers.map((a) => [a.status, a.body.error])).toEqual([
      [400, 'expected an X-GitHub-Event header naming the event (GitHub sends one with every delivery), got none'],
      [400, expect.stringMatching(/^expected a GitHub ping payload \(a JSON object\), got invalid JSON/)],
      [400, 'expected a "release" object in a release event, got nothing'],
    ]);
    expect(await storedEvents(s.server)).toEqual([]);
  });

  it('a body over the limit: 413', async () => {
    const s = await start(undefined, { maxHookBodyBytes: 4096 });
    const answer = await send(s, delivery('workflow_run', fixture('github/workflow_run-completed.json')));
    expect(answer.status).toBe(413);
  });
});
