// A message's body on one line, for a list row or a card: the first lines joined, and
// for a Markdown body its markers dropped (**bold** reads "bold", [a](https://...) reads
// "a"; a link the card would not make stays as written).

export function previewOf(body: string, markdown: boolean): string {
  let text = body.replace(/\s*\n\s*/g, ' ').trim();
  if (markdown) {
    text = text
      .replace(/\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g, '$1')
      .replace(/(\*\*|__|`)/g, '')
      .replace(/(^|\s)[*_]([^*_]+)[*_](?=\s|$|[.,;:!?])/g, '$1$2')
      .replace(/(^|\s)(#{1,6}|>|[-*+])\s+/g, '$1');
  }
  return text;
}
