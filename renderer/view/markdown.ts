// A message body in Markdown, shown formatted when its publisher asked (`markdown:
// true`, docs/protocol.md "Publish"), built as DOM nodes: never markup from the text.
// A small, safe subset: paragraphs, headings, lists, quotes, fenced code, **bold**,
// *italic*, `code`, [links](https://...) and bare http(s) URLs. Anything else,
// inline HTML included, stays text. A link is made only for an http(s) address
// without credentials; other schemes (javascript:, data:, file:) are shown as text.
// Every run of publisher text is its own bidi isolate (user-text.ts).

import { webLink } from '../../server/protocol/web-link.ts';
import { el } from './element.ts';
import { userText } from './user-text.ts';

/** A link that opens outside the window (the desktop app hands it to the browser). */
export function externalLink(href: string, children: Array<Node | string>, className?: string): HTMLAnchorElement {
  return el('a', { class: className, attrs: { href, target: '_blank', rel: 'noopener noreferrer' } }, children);
}

// Inline: code spans, links, bold, italic, bare URLs; the earliest match wins.
const INLINE = /`([^`\n]+)`|\[([^\]\n]+)\]\(([^)\s]+)\)|\*\*([^*\n]+)\*\*|__([^_\n]+)__|\*([^*\n]+)\*|(?<![\w])_([^_\n]+)_(?![\w])|(https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"])/g;

export function inlineNodes(text: string): Node[] {
  const nodes: Node[] = [];
  let at = 0;
  for (const match of text.matchAll(INLINE)) {
    if (match.index > at) nodes.push(userText(text.slice(at, match.index)));
    const [whole, code, label, url, bold, bold2, italic, italic2, bare] = match;
    if (code !== undefined) nodes.push(el('code', {}, [userText(code)]));
    else if (label !== undefined && url !== undefined) {
      const href = webLink(url);
      nodes.push(href ? externalLink(href, inlineNodes(label)) : userText(whole));
    } else if (bold !== undefined || bold2 !== undefined) nodes.push(el('strong', {}, inlineNodes(bold ?? bold2 ?? '')));
    else if (italic !== undefined || italic2 !== undefined) nodes.push(el('em', {}, inlineNodes(italic ?? italic2 ?? '')));
    else if (bare !== undefined) {
      const href = webLink(bare);
      nodes.push(href ? externalLink(href, [userText(bare)]) : userText(bare));
    }
    at = match.index + whole.length;
  }
  if (at < text.length) nodes.push(userText(text.slice(at)));
  return nodes;
}

/** Lines joined within a paragraph keep their breaks, as a message reads. */
function withBreaks(lines: string[]): Node[] {
  return lines.flatMap((line, i) => (i === 0 ? inlineNodes(line) : [el('br'), ...inlineNodes(line)]));
}

const LIST_ITEM = /^\s*(?:[-*+]|(\d+)[.)])\s+(.*)$/;

/** The body as block elements. */
export function markdownNodes(source: string): HTMLElement[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: HTMLElement[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i++;
      continue;
    }
    if (/^\s*```/.test(line)) {
      const code: string[] = [];
      i++;
      while (i < lines.length && !/^\s*```/.test(lines[i]!)) code.push(lines[i++]!);
      i++;
      blocks.push(el('pre', { class: 'md-code' }, [el('code', {}, [userText(code.join('\n'))])]));
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      blocks.push(el('p', { class: `md-heading md-h${heading[1]!.length}` }, [el('strong', {}, inlineNodes(heading[2]!))]));
      i++;
      continue;
    }
    if (/^\s*>/.test(line)) {
      const quoted: string[] = [];
      while (i < lines.length && /^\s*>/.test(lines[i]!)) quoted.push(lines[i++]!.replace(/^\s*>\s?/, ''));
      blocks.push(el('blockquote', {}, markdownNodes(quoted.join('\n'))));
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      const ordered = item[1] !== undefined;
      const items: HTMLElement[] = [];
      let next: RegExpExecArray | null = item;
      while (next && (next[1] !== undefined) === ordered) {
        items.push(el('li', {}, inlineNodes(next[2]!)));
        i++;
        next = i < lines.length ? LIST_ITEM.exec(lines[i]!) : null;
      }
      blocks.push(el(ordered ? 'ol' : 'ul', {}, items));
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '' && !/^\s*(```|>|#{1,6}\s)/.test(lines[i]!) && !LIST_ITEM.test(lines[i]!)) paragraph.push(lines[i++]!);
    blocks.push(el('p', {}, withBreaks(paragraph)));
  }
  return blocks;
}

/** A plain body: its paragraphs and line breaks kept, URLs linked, nothing else read into it. */
export function plainNodes(source: string): HTMLElement[] {
  return source
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .filter((p) => p.trim() !== '')
    .map((p) => el('p', {}, p.split('\n').flatMap((line, i) => [...(i > 0 ? [el('br')] : []), ...linkedText(line)])));
}

function linkedText(line: string): Node[] {
  const nodes: Node[] = [];
  let at = 0;
  for (const match of line.matchAll(/https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"]/g)) {
    const href = webLink(match[0]);
    if (!href) continue;
    if (match.index > at) nodes.push(userText(line.slice(at, match.index)));
    nodes.push(externalLink(href, [userText(match[0])]));
    at = match.index + match[0].length;
  }
  if (at < line.length) nodes.push(userText(line.slice(at)));
  return nodes;
}
