// A soak run as Markdown (bench/results/soak.md): the figures the issue asks for
// (events, reconnects, kills, losses) and the server's memory and descriptors at
// the start and end of each life, with the descriptors no open connection explains.

import type { ProcessSample } from './soak-server.ts';
import type { SoakResult } from './soak-run.ts';

const mib = (kib: number | undefined) => (kib === undefined ? '–' : (kib / 1024).toFixed(1));
/** Descriptors that are not one of the server's open connections. */
export const unexplainedFds = (s: ProcessSample) => s.fds - s.connections;

export function soakReport(result: SoakResult, context: { command: string; date: string; machine: string[] }): string {
  const o = result.options;
  const lives = result.incarnations.filter((l) => l.start && l.end);
  const first = lives[0];
  const last = lives[lives.length - 1];
  const lines = [
    '# Herald soak',
    '',
    `${context.date}. Command: \`${context.command}\`. Seed ${o.seed}.`,
    '',
    ...context.machine.map((m) => `- ${m}`),
    '',
    `\`herald serve\` ran as a child process on 127.0.0.1 with its SQLite log on disk and was SIGKILLed and started again on the same port and data dir every ${o.killEveryMs / 1000} s. ` +
      `${o.publishers} publishers POSTed to ${o.topics} topics, retrying every failed publish until it was acknowledged with 201. ` +
      `${o.subscribers} raw subscribers dropped their connection or stalled (stopped reading for 1-4 s) at random every 1-4 s and resumed with Last-Event-ID; ` +
      `${o.eventSourceSubscribers} \`eventsource\` clients resumed by themselves after each kill. ` +
      'At the end, publishing stopped, subscribers caught up, the server was stopped cleanly, and each subscriber was held to the log read from the SQLite file.',
    '',
    '## Figures',
    '',
    '| figure | value |',
    '|---|---:|',
    `| ran for | ${(result.ranMs / 60_000).toFixed(1)} min |`,
    `| kills (SIGKILL + restart) | ${result.kills} |`,
    `| events in the log | ${result.events} |`,
    `| publishes acknowledged (201) | ${result.acknowledged} |`,
    `| acknowledged but not in the log | ${result.acknowledgedLost} |`,
    `| stored without an acknowledgement (connection cut by a kill, then retried) | ${result.storedUnacknowledged} |`,
    `| publish attempts retried | ${result.publishRetries} |`,
    `| subscriber reconnects | ${result.reconnects} |`,
    `| deliveries checked | ${result.subscribers.reduce((n, s) => n + s.received, 0)} |`,
    `| every subscriber caught up | ${result.caughtUp ? 'yes' : 'NO'} |`,
    `| **losses** (missing, duplicate, out of order, gap, unknown, acknowledged-but-lost) | **${result.losses}** |`,
    '',
    `Publish retries by reason: ${Object.entries(result.publishFailures).map(([why, n]) => `${why} ${n}`).join(', ') || 'none'}.`,
    '',
    '## Subscribers',
    '',
    '| subscriber | topics | received | connects | own drops | stalls | missing | duplicates | out of order | gaps |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...result.subscribers.map((s) => `| ${s.name} | ${s.topics.length > 40 ? `${s.topics.slice(0, 40)}…` : s.topics} | ${s.received} | ${s.connects} | ${s.drops} | ${s.stalls} | ${s.missing} | ${s.duplicates} | ${s.outOfOrder} | ${s.gaps} |`),
    '',
    '## Server resources, per life',
    '',
    'Sampled from /proc/<pid> a few seconds after each start (subscribers back) and just before each kill. "Other fds" are open descriptors minus the connections the server counts in GET /health: the log files, the listening socket, pipes and the event loop; a leak would make them grow.',
    '',
    '| life | pid | RSS start (MiB) | RSS end (MiB) | fds start | fds end | connections start | connections end | other fds start | other fds end |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...result.incarnations.map((l, i) =>
      `| ${i + 1} | ${l.pid} | ${mib(l.start?.rssKiB)} | ${mib(l.end?.rssKiB)} | ${l.start?.fds ?? '–'} | ${l.end?.fds ?? '–'} | ${l.start?.connections ?? '–'} | ${l.end?.connections ?? '–'} | ${l.start ? unexplainedFds(l.start) : '–'} | ${l.end ? unexplainedFds(l.end) : '–'} |`,
    ),
    '',
  ];
  if (first?.start && last?.end) {
    lines.push(
      `First life at its start vs last life at its end: RSS ${mib(first.start.rssKiB)} -> ${mib(last.end.rssKiB)} MiB, ` +
        `open fds ${first.start.fds} -> ${last.end.fds}, other fds ${unexplainedFds(first.start)} -> ${unexplainedFds(last.end)}.`,
      '',
    );
  }
  return lines.join('\n');
}
