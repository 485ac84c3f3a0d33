// GitHub webhook deliveries -> Herald notify events (docs/integrations.md, "GitHub").
// The event name is the X-GitHub-Event header; the fields read are those of GitHub's
// webhook payloads (as in the payload examples of octokit/webhooks, some of which
// are this repo's test/fixtures/github/). Only results are published: a workflow
// run or check suite that completed, a deployment that succeeded or failed, a
// release published, and the ping GitHub sends when a webhook is created. Runs
// requested or in progress, and every other event, are accepted and ignored.
//
// The result's level sets the priority (ok 2, warn 3, critical 4) and is a tag, with
// the event name and the result: a failed run is `["github", "workflow_run",
// "failure", "critical"]`.

import { HeraldError, describeValue } from '../protocol/errors.ts';
import type { Level, NotifyData } from '../protocol/events.ts';
import { topicSegment } from '../protocol/json-template.ts';
import { isPlainObject } from '../protocol/event-validation.ts';
import { MAX_TITLE_LENGTH } from '../protocol/event-validation.ts';

export const GITHUB_EVENTS = ['workflow_run', 'check_suite', 'deployment_status', 'release', 'ping'] as const;

export type GithubMapping = { kind: 'notify'; data: Omit<NotifyData, 'time'> } | { kind: 'ignored'; reason: string };

type Json = Record<string, unknown>;

const PRIORITY: Record<Level, number> = { ok: 2, warn: 3, critical: 4 };

/** A check or workflow conclusion (GitHub's `conclusion` values) as a level. */
export function levelOfConclusion(conclusion: unknown): Level {
  switch (conclusion) {
    case 'success':
    case 'neutral':
    case 'skipped':
      return 'ok';
    case 'failure':
    case 'timed_out':
    case 'startup_failure':
      return 'critical';
    default:
      // cancelled, action_required, stale, or none given
      return 'warn';
  }
}

const RESULT_WORDS: Record<string, string> = {
  success: 'succeeded',
  failure: 'failed',
  error: 'errored',
  timed_out: 'timed out',
  startup_failure: 'failed to start',
  action_required: 'needs action',
  cancelled: 'cancelled',
  neutral: 'finished (neutral)',
  skipped: 'skipped',
  stale: 'went stale',
};

function resultWord(result: unknown): string {
  return typeof result === 'string' ? (RESULT_WORDS[result] ?? result.replace(/_/g, ' ')) : 'finished';
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

function object(payload: Json, key: string, event: string): Json {
  const value = payload[key];
  if (!isPlainObject(value)) throw new HeraldError('bad_request', `expected a "${key}" object in a ${event} event, got ${describeValue(value)}`);
  return value;
}

/** An http(s) URL or undefined: only those are clickable. */
function url(...candidates: unknown[]): string | undefined {
  for (const candidate of candidates) {
    if (typeof candidate !== 'string' || candidate === '' || candidate.length > 2048) continue;
    try {
      const parsed = new URL(candidate);
      if (parsed.protocol === 'https:' || parsed.protocol === 'http:') return candidate;
    } catch {
      // not a URL: try the next
    }
  }
  return undefined;
}

/** `github/OWNER/REPO` for a repository's events, `github/ORG` for an organization's, else `github`. */
export function githubTopic(payload: Json): string {
  const repository = isPlainObject(payload.repository) ? payload.repository : null;
  const owner = repository && isPlainObject(repository.owner) ? text(repository.owner.login) : '';
  const [fullOwner, fullName] = text(repository?.full_name).split('/');
  const parts = [owner || fullOwner || '', text(repository?.name) || fullName || ''].map(topicSegment).filter((s) => s !== '');
  if (parts.length === 2) return `github/${parts[0]}/${parts[1]}`;
  const organization = isPlainObject(payload.organization) ? topicSegment(text(payload.organization.login)) : '';
  return organization ? `github/${organization}` : 'github';
}

function repoName(payload: Json): string {
  const repository = isPlainObject(payload.repository) ? payload.repository : null;
  return text(repository?.full_name) || (isPlainObject(payload.organization) ? text(payload.organization.login) : '') || 'GitHub';
}

function repoUrl(payload: Json): string | undefined {
  return isPlainObject(payload.repository) ? url(payload.repository.html_url) : undefined;
}

function notify(payload: Json, event: string, result: string, level: Level, title: string, body: string, click: string | undefined, priority = PRIORITY[level]): GithubMapping {
  const clipped = title.length > MAX_TITLE_LENGTH ? `${title.slice(0, MAX_TITLE_LENGTH - 1)}…` : title;
  const tags = ['github', event, result, level].filter((t, i, all) => t !== '' && all.indexOf(t) === i).map((t) => t.slice(0, 64));
  const data: Omit<NotifyData, 'time'> = { topic: githubTopic(payload), title: clipped, body, priority, tags };
  if (click !== undefined) data.click = click;
  return { kind: 'notify', data };
}

function firstLine(value: unknown, max = 300): string {
  const line = text(value).split(/\r?\n/)[0]!.trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function joined(...parts: string[]): string {
  return parts.filter((p) => p !== '').join(' · ');
}

function workflowRun(payload: Json): GithubMapping {
  const run = object(payload, 'workflow_run', 'workflow_run');
  if (payload.action !== 'completed') return { kind: 'ignored', reason: `workflow_run "${text(payload.action)}": only completed runs are published` };
  const workflow = isPlainObject(payload.workflow) ? payload.workflow : {};
  const name = text(run.name) || text(workflow.name) || 'workflow';
  const conclusion = text(run.conclusion);
  const level = levelOfConclusion(run.conclusion);
  const number = text(run.run_number);
  return notify(
    payload,
    'workflow_run',
    conclusion,
    level,
    `${repoName(payload)}: ${name} ${resultWord(run.conclusion)}`,
    joined(firstLine(run.display_title), text(run.head_branch), number ? `run #${number}` : ''),
    url(run.html_url, repoUrl(payload)),
  );
}

function checkSuite(payload: Json): GithubMapping {
  const suite = object(payload, 'check_suite', 'check_suite');
  if (payload.action !== 'completed') return { kind: 'ignored', reason: `check_suite "${text(payload.action)}": only completed suites are published` };
  const app = isPlainObject(suite.app) ? text(suite.app.name) : '';
  const sha = text(suite.head_sha);
  const headCommit = isPlainObject(suite.head_commit) ? suite.head_commit : {};
  const repo = repoUrl(payload);
  return notify(
    payload,
    'check_suite',
    text(suite.conclusion),
    levelOfConclusion(suite.conclusion),
    `${repoName(payload)}: ${app || 'checks'} ${resultWord(suite.conclusion)}`,
    joined(firstLine(headCommit.message), text(suite.head_branch), sha.slice(0, 7)),
    url(repo && /^[0-9a-f]{7,64}$/.test(sha) ? `${repo}/commit/${sha}` : undefined, repo),
  );
}

const DEPLOYMENT_LEVELS: Record<string, Level> = { success: 'ok', failure: 'critical', error: 'critical' };

function deploymentStatus(payload: Json): GithubMapping {
  const status = object(payload, 'deployment_status', 'deployment_status');
  const deployment = isPlainObject(payload.deployment) ? payload.deployment : {};
  const state = text(status.state);
  const level = DEPLOYMENT_LEVELS[state];
  if (level === undefined) return { kind: 'ignored', reason: `deployment_status "${state}": only success, failure and error are published` };
  const environment = text(status.environment) || text(deployment.environment) || 'an environment';
  const repo = repoUrl(payload);
  return notify(
    payload,
    'deployment_status',
    state,
    level,
    `${repoName(payload)}: deployment to ${environment} ${resultWord(state)}`,
    joined(firstLine(status.description) || firstLine(deployment.description), text(deployment.ref)),
    url(status.target_url, status.environment_url, status.log_url, repo ? `${repo}/deployments` : undefined),
  );
}

function release(payload: Json): GithubMapping {
  const rel = object(payload, 'release', 'release');
  if (payload.action !== 'published') return { kind: 'ignored', reason: `release "${text(payload.action)}": only published releases are published` };
  const name = text(rel.name) || text(rel.tag_name) || 'a release';
  const kind = rel.prerelease === true ? 'pre-release' : 'release';
  return notify(payload, 'release', 'published', 'ok', `${repoName(payload)}: ${kind} ${name}`, firstLine(rel.body) || text(rel.tag_name), url(rel.html_url, repoUrl(payload)), 3);
}

function ping(payload: Json): GithubMapping {
  const hook = isPlainObject(payload.hook) ? payload.hook : {};
  const events = Array.isArray(hook.events) ? hook.events.filter((e) => typeof e === 'string').join(', ') : '';
  return notify(
    payload,
    'ping',
    '',
    'ok',
    `GitHub webhook connected: ${repoName(payload)}`,
    joined(text(payload.zen), events ? `events: ${events}` : ''),
    repoUrl(payload),
  );
}

const MAPPERS: Record<(typeof GITHUB_EVENTS)[number], (payload: Json) => GithubMapping> = {
  workflow_run: workflowRun,
  check_suite: checkSuite,
  deployment_status: deploymentStatus,
  release,
  ping,
};

/** What to publish for a delivery of `event`, or why it is ignored. */
export function mapGithubEvent(event: string, payload: Json): GithubMapping {
  const mapper = (GITHUB_EVENTS as readonly string[]).includes(event) ? MAPPERS[event as keyof typeof MAPPERS] : undefined;
  if (mapper === undefined) return { kind: 'ignored', reason: `"${event.slice(0, 64)}" events are not published (only ${GITHUB_EVENTS.join(', ')})` };
  return mapper(payload);
}
