// `herald publish <topic> <message>`: post a message and print its id.

import type { PublishResult } from '../../server/protocol/events.ts';
import { topicProblem } from '../../server/protocol/topics.ts';
import { parseCommandArgs, stringFlag, UsageError } from './args.ts';
import type { Command } from './command.ts';
import { SERVER_OPTIONS_HELP, requestServer, ServerError, serverTarget } from './server-api.ts';

const help = `usage: herald publish <topic> <message> [options]

Publish a message (a notify event) to a topic and print its id.

options:
  --title TEXT       a title for the notification
  --priority P       1-5 or min, low, default, high, max, urgent (default 3)
  --tags A,B         comma-separated tags
  --click URL        an http(s) URL to open when the notification is clicked
${SERVER_OPTIONS_HELP}
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
    const target = serverTarget('publish', parsed, io.env);
    const message: Record<string, unknown> = { body: words.join(' ') };
    for (const field of ['title', 'priority', 'tags', 'click'] as const) {
      const value = stringFlag(parsed, field);
      if (value !== undefined) message[field] = value;
    }
    const path = `topics/${topic.split('/').map(encodeURIComponent).join('/')}`;
    try {
      const { body, text } = await requestServer(target, path, { method: 'POST', body: message });
      const id = (body as PublishResult | null)?.id;
      if (typeof id === 'string') {
        io.out(id);
        return 0;
      }
      io.err(`herald publish: unexpected answer from ${target.base.origin}: ${JSON.stringify(text.slice(0, 80))}`);
      return 1;
    } catch (error) {
      if (!(error instanceof ServerError)) throw error;
      io.err(`herald publish: ${error.message}`);
      return 1;
    }
  },
};
