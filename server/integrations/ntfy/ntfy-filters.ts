// ntfy's subscribe filters (ntfy docs, "Filter messages"; ntfy's server/types.go
// `queryFilter`): `id`, `message`, `title` match exactly, `priority` is any of a
// comma list (an unset priority counts as 3), `tags` must all be present. Each may be
// a header or a query parameter, with ntfy's aliases.

import { HeraldError } from '../../protocol/errors.ts';
import type { HeraldEvent } from '../../protocol/events.ts';
import { parsePriority } from '../../http/publish-request.ts';
import type { NtfyParams } from './ntfy-params.ts';
import { ntfyMessageOf } from './ntfy-message.ts';

/** The filter a subscribe request asks for, or null when it asks for none. */
export function ntfyFilter(params: NtfyParams): ((event: HeraldEvent) => boolean) | null {
  const id = params.get('x-id', 'id');
  const message = params.get('x-message', 'message', 'm');
  const title = params.get('x-title', 'title', 't');
  const tags = params.list('x-tags', 'tags', 'tag', 'ta');
  const priorities = params.list('x-priority', 'priority', 'prio', 'p').map((p) => {
    try {
      return parsePriority(p);
    } catch (error) {
      throw new HeraldError('bad_request', `expected the priority filter as a comma list of 1 to 5 or min, low, default, high, max, urgent; got ${JSON.stringify(p.slice(0, 20))}`, { cause: error });
    }
  });
  if (id === '' && message === '' && title === '' && tags.length === 0 && priorities.length === 0) return null;
  return (event) => {
    const seen = ntfyMessageOf(event, null);
    if (seen === null) return true;
    if (id !== '' && seen.id !== id) return false;
    if (message !== '' && seen.message !== message) return false;
    if (title !== '' && seen.title !== title) return false;
    if (priorities.length > 0 && !priorities.includes(seen.priority ?? 3)) return false;
    return tags.every((tag) => seen.tags?.includes(tag) === true);
  };
}
