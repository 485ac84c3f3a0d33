// POST /hooks/alertmanager: Prometheus Alertmanager's webhook receiver (and Grafana's
// webhook contact point, which sends the same body). Each alert is keyed by its
// fingerprint on a topic made from its labels (default `alertmanager/<alertname>`):
//   - firing, not known or at another level: an `alert` at its severity's level;
//   - resolved, known as firing: an `alert` at level ok (it clears);
//   - anything else (a repeat Alertmanager sends every repeat_interval, a group
//     re-sent because another alert joined it, a resolve already seen): nothing.
// What is firing is kept as the topic's status (`{level, firing, alerts: {fingerprint:
// level}}`, an `update` published when it changes), so it survives a restart and
// is shared over Redis like any status. A request's events are appended in one write:
// all or nothing (docs/integrations.md, "Prometheus Alertmanager").

import { worstLevel, type AlertData, type Level, type NewEvent } from '../protocol/events.ts';
import { HeraldError } from '../protocol/errors.ts';
import { renderTemplate, type JsonTemplate } from '../protocol/json-template.ts';
import { topicProblem } from '../protocol/topics.ts';
import { isPlainObject } from '../protocol/event-validation.ts';
import { changedKeys } from '../core/status-diff.ts';
import { sendJson } from '../http/respond.ts';
import type { Route } from '../http/router.ts';
import { requirePublish } from '../http/access.ts';
import { alertText, clickOf, levelOfSeverity, parseAlertmanagerBody, type WebhookAlert } from './alertmanager-payload.ts';
import { bodyObject, hookRoute, readHookBody, type HookDeps } from './hook-request.ts';

interface Planned {
  alert: WebhookAlert;
  topic: string;
}

/** The alerts firing on a topic, by fingerprint, as its status keeps them. */
function firingOf(status: Record<string, unknown> | null | undefined): Map<string, Level> {
  const firing = new Map<string, Level>();
  const alerts = status?.alerts;
  if (!isPlainObject(alerts)) return firing;
  for (const [fingerprint, level] of Object.entries(alerts)) {
    if (level === 'warn' || level === 'critical') firing.set(fingerprint, level);
  }
  return firing;
}

function statusOf(firing: Map<string, Level>): Record<string, unknown> {
  let level: Level = 'ok';
  for (const each of firing.values()) level = worstLevel(level, each);
  return { level, firing: firing.size, alerts: Object.fromEntries([...firing].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
}

function topicOf(template: JsonTemplate, alert: WebhookAlert, index: number): string {
  const { text, missing } = renderTemplate(template, alert.raw, { topic: true });
  const problem = missing.length > 0 ? `it has no ${missing.join(', ')}` : topicProblem(text);
  if (problem) throw new HeraldError('bad_request', `alerts[${index}]: expected values for the topic template ${JSON.stringify(template.source)}, but ${problem}`);
  return text;
}

function alertEvent(topic: string, time: number, level: Level, previous: Level, alert: WebhookAlert): NewEvent<'alert'> {
  const data: AlertData = { topic, time, level, previous, metric: alert.fingerprint, message: alertText(alert) };
  const click = clickOf(alert);
  if (click !== undefined) data.click = click;
  return { type: 'alert', data };
}

/** The events that change something, with each topic's new status after its alerts. */
async function changesOf(deps: HookDeps, planned: readonly Planned[]): Promise<NewEvent[]> {
  const byTopic = new Map<string, Planned[]>();
  for (const item of planned) byTopic.set(item.topic, [...(byTopic.get(item.topic) ?? []), item]);
  const now = deps.clock.now();
  const events: NewEvent[] = [];
  for (const [topic, items] of byTopic) {
    const previous = (await deps.log.topic(topic))?.status ?? null;
    const firing = firingOf(previous);
    let changed = false;
    for (const { alert } of items) {
      const known = firing.get(alert.fingerprint);
      if (alert.status === 'firing') {
        const level = levelOfSeverity(alert.labels.severity);
        if (known === level) continue;
        firing.set(alert.fingerprint, level);
        events.push(alertEvent(topic, now, level, known ?? 'ok', alert));
      } else {
        if (known === undefined) continue;
        firing.delete(alert.fingerprint);
        events.push(alertEvent(topic, now, 'ok', known, alert));
      }
      changed = true;
    }
    if (!changed) continue;
    const status = statusOf(firing);
    events.push({ type: 'update', data: { topic, time: now, status, changed: changedKeys(previous, status) } });
  }
  return events;
}

/** `template`: the topic of each alert (`integrations.alertmanager.topic`, parsed at start-up). */
export function alertmanagerRoute(deps: HookDeps, template: JsonTemplate): Route {
  return hookRoute(deps, { path: '/hooks/alertmanager', auth: 'publish', hook: () => 'alertmanager' }, async ({ req, res, client, access }) => {
    deps.rateLimiter.take(client);
    const { raw, form } = await readHookBody(req, deps);
    const alerts = parseAlertmanagerBody(bodyObject(raw, form, 'an Alertmanager webhook body (a JSON object)'));
    const planned = alerts.map((alert, i) => ({ alert, topic: topicOf(template, alert, i) }));
    const topics = [...new Set(planned.map((p) => p.topic))];
    // Every topic is checked before anything is stored: a batch is all or nothing.
    for (const topic of topics) requirePublish(access, topic);
    const stored = await deps.serial.run(async () => deps.publisher.publishAll(await changesOf(deps, planned), 'alertmanager'));
    const changedAlerts = stored.filter((e) => e.type === 'alert').length;
    sendJson(res, 200, {
      alerts: alerts.length,
      changed: changedAlerts,
      ids: stored.map((e) => e.id),
      topics,
    });
    return changedAlerts > 0 ? 'published' : 'unchanged';
  });
}
