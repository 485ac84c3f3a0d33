// Prometheus Alertmanager's webhook body (its docs/configuration.md, `<webhook_config>`:
// "version": "4", the group's fields, and `alerts`, each with status firing or
// resolved, labels, annotations, startsAt, endsAt, generatorURL, fingerprint).
// Grafana's webhook contact point sends the same shape with "version": "1" and a
// few more fields, so it is read the same way. Checked whole before anything is
// stored: one malformed alert refuses the batch, with its index and what was wrong.

import { HeraldError, describeValue } from '../protocol/errors.ts';
import type { Level } from '../protocol/events.ts';
import { isPlainObject } from '../protocol/event-validation.ts';

/** Alertmanager's webhook version, and Grafana's. */
export const ACCEPTED_VERSIONS = ['4', '1'] as const;

export interface WebhookAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  fingerprint: string;
  generatorURL: string;
  /** The alert as sent, for the topic template. */
  raw: Record<string, unknown>;
}

function fail(message: string): never {
  throw new HeraldError('bad_request', message);
}

function stringMap(value: unknown, where: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) fail(`${where}: expected an object of strings, got ${describeValue(value)}`);
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') fail(`${where}.${key}: expected a string, got ${describeValue(item)}`);
    out[key] = item;
  }
  return out;
}

/** The alerts of a webhook body, or 400 naming the first thing that is not as Alertmanager sends it. */
export function parseAlertmanagerBody(body: Record<string, unknown>): WebhookAlert[] {
  const version = body.version;
  if (!(ACCEPTED_VERSIONS as readonly unknown[]).includes(version)) {
    fail(`expected an Alertmanager webhook body with "version": "4" (or Grafana's "1"), got "version": ${describeValue(version)}`);
  }
  if (!Array.isArray(body.alerts)) fail(`expected "alerts" to be an array, got ${describeValue(body.alerts)}`);
  return body.alerts.map((alert: unknown, i: number): WebhookAlert => {
    const where = `alerts[${i}]`;
    if (!isPlainObject(alert)) fail(`${where}: expected an alert object, got ${describeValue(alert)}`);
    const { status, fingerprint, generatorURL } = alert;
    if (status !== 'firing' && status !== 'resolved') fail(`${where}.status: expected "firing" or "resolved", got ${describeValue(status)}`);
    if (typeof fingerprint !== 'string' || fingerprint === '') fail(`${where}.fingerprint: expected the alert's fingerprint, got ${describeValue(fingerprint)}`);
    if (generatorURL !== undefined && typeof generatorURL !== 'string') fail(`${where}.generatorURL: expected a string, got ${describeValue(generatorURL)}`);
    return {
      status,
      labels: stringMap(alert.labels, `${where}.labels`),
      annotations: stringMap(alert.annotations, `${where}.annotations`),
      fingerprint,
      generatorURL: generatorURL ?? '',
      raw: alert,
    };
  });
}

const CRITICAL_SEVERITIES = new Set(['critical', 'crit', 'page', 'error', 'err', 'fatal', 'emergency', 'emerg', 'alert', 'high', 'major', 'disaster']);

/**
 * A firing alert's level from its `severity` label: critical for critical, page,
 * error, fatal, emergency, alert, high, major, disaster; warn for everything else
 * (warning, info, none, or no label: a firing alert is never ok).
 */
export function levelOfSeverity(severity: string | undefined): Level {
  return severity !== undefined && CRITICAL_SEVERITIES.has(severity.trim().toLowerCase()) ? 'critical' : 'warn';
}

/**
 * What the notification says: the summary and description annotations, else the
 * alert's name with its other labels (so two instances of one alert read apart).
 */
export function alertText(alert: WebhookAlert): string {
  const { summary, description, message } = alert.annotations;
  const { alertname, severity: _severity, ...others } = alert.labels;
  const labels = Object.entries(others).map(([k, v]) => `${k}=${v}`).join(', ');
  const head = summary || message || `${alertname ?? 'alert'}${labels ? ` (${labels})` : ''}`;
  const text = description && description !== head ? `${head}: ${description}` : head;
  return alert.status === 'resolved' ? `Resolved: ${text}` : text;
}

/** The generator URL when it is an http(s) URL (what a click may open), else undefined. */
export function clickOf(alert: WebhookAlert): string | undefined {
  const url = alert.generatorURL;
  if (url === '' || url.length > 2048) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}
