// A list of topics as typed in one field: separated by commas, spaces or new lines.

export function parseTopicList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}

export function formatTopicList(topics: readonly string[]): string {
  return topics.join(', ');
}
