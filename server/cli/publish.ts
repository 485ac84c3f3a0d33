// `herald publish <topic> <message>`: post a message and print its id.

import type { ErrorBody, PublishResult } from '../protocol/events.ts';
import { topicProblem } from '../protocol/topics.ts';
import { parseCommandArgs, stringFlag, UsageError } from './args.ts';
import type { Command } from './command.ts';

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8080';

const help = `usage: herald publish <topic> <message> [options]

Publish a message (a notify event) to a topic and print its id.

options:
  --title TEXT       a title for the notification
  --priority P       1-5 or min, low, default, high, max, urgent (default 3)
  --tags A,B         comma-separated tags
  --click URL        an http(s) URL to open when the notification is clicked
  --server URL       the server (default: $HERALD_URL or ${DEFAULT_SERVER_URL})
  --token TOKEN      the server's token (default: $HERALD_TOKEN)
  -h, --help         show this help`;

export const publishCommand: Command = {
  summary: 'publish a message to a topic and print its id',
  help,
  async run(argv, io) {
    const parsed = parseCommandArgs('publish', argv, {
      title: { type: 'string' },
      priority: { type: 'string' },
      tags: { type: 'string' },
      click: { type: 'string' },
      server: { type: 'string' },
      token: { type: 'string' },
    });
    const [topic, ...words] = parsed.positionals;
    if (topic === undefined || words.length === 0) {
      throw new UsageError('herald publish: expected a topic and a message, e.g. herald publish backups "nightly backup done"');
    }
    const problem = topicProblem(topic);
    if (problem) throw new UsageError(`herald publish: ${problem}`);
    const base = stringFlag(parsed, 'server') ?? (io.env.HERALD_URL || DEFAULT_SERVER_URL);
    let url: URL;
    try {
      url = new URL(`topics/${topic.split('/').map(encodeURIComponent).join('/')}`, base.endsWith('/') ? base : `${base}/`);
    } catch {
      throw new UsageError(`herald publish: expected --server to be a URL like ${DEFAULT_SERVER_URL}, got ${JSON.stringify(base)}`);
    }
    const token = stringFlag(parsed, 'token') ?? (io.env.HERALD_TOKEN || undefined);
    const message: Record<string, unknown> = { body: words.join(' ') };
    for (const field of ['title', 'priority', 'tags', 'click'] as const) {
      const value = stringFlag(parsed, field);
      if (value !== undefined) message[field] = value;
    }
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(message),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      io.err(`herald publish: cannot reach the server at ${url.origin} (${cause}); is \`herald serve\` running there?`);
      return 1;
    }
    const text = await response.text();
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      // Not Herald answering; reported below with the status.
    }
    if (response.ok && typeof (body as PublishResult | null)?.id === 'string') {
      io.out((body as PublishResult).id);
      return 0;
    }
    const reason = typeof (body as ErrorBody | null)?.error === 'string' ? (body as ErrorBody).error : `unexpected answer ${JSON.stringify(text.slice(0, 80))}`;
    io.err(`herald publish: ${response.status} from ${url.origin}: ${reason}`);
    return 1;
  },
};
