// Text written by publishers, made safe for the places it is shown outside a web page:
// a terminal (`herald watch`) and native notifications. One rule for both, plus the
// bidi neutraliser the dashboard also uses (docs/security.md, "Text from publishers").
//
// - Controls: every C0 control (U+0000-U+001F), DEL, every C1 control (U+0080-U+009F,
//   NEL among them) and the line and paragraph separators U+2028/U+2029 are replaced
//   by a visible escape in JSON's spelling, `\u001b` for ESC. A terminal then cannot
//   be sent escape sequences (colours, window title, OSC 52 clipboard writes, screen
//   clears), backspaces that overwrite what was printed, or NULs.
// - Bidi: an explicit bidi control (LRE, RLE, PDF, LRO, RLO: U+202A-U+202E; LRI, RLI,
//   FSI, PDI: U+2066-U+2069) that is not closed (or does not close anything) within
//   its own text is escaped the same way, so an unclosed RLO cannot reverse what is
//   shown after it ("Invoice \u202Efdp.exe" stays readable). Paired ones, which
//   right-to-left text uses legitimately, are kept.
//
// Pure: no Node API, so the renderer can use it too.

const ESCAPED_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const ESCAPED_CONTROLS_BUT_LF = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;

/** `\u001b` for ESC: the escape JSON uses, lower-case hex. */
export function visibleEscape(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

const PDF = 0x202c;
const PDI = 0x2069;
const isIsolateInitiator = (code: number): boolean => code >= 0x2066 && code <= 0x2068;
const isEmbeddingInitiator = (code: number): boolean => code >= 0x202a && code <= 0x202e && code !== PDF;
/** What ends a paragraph for the bidi algorithm (UAX #9, class B): nothing stays open across it. */
const isParagraphEnd = (code: number): boolean => code === 0x0a || code === 0x0d || (code >= 0x1c && code <= 0x1e) || code === 0x85 || code === 0x2029;

/**
 * Escape the bidi controls of `text` that are not paired within it (UAX #9, BD9 and
 * X6a-X7, simplified): an isolate initiator is paired with the next PDI at its level,
 * an embedding or override with the next PDF inside the same isolate. An embedding
 * still open when its isolate's PDI comes, and anything open at the end of a
 * paragraph, counts as unpaired.
 */
export function neutraliseBidi(text: string): string {
  if (!BIDI_CONTROL.test(text)) return text;
  const unpaired = new Set<number>();
  const open: Array<{ index: number; isolate: boolean }> = [];
  const closeParagraph = (): void => {
    for (const opener of open) unpaired.add(opener.index);
    open.length = 0;
  };
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (isIsolateInitiator(code) || isEmbeddingInitiator(code)) {
      open.push({ index, isolate: isIsolateInitiator(code) });
    } else if (code === PDF) {
      const top = open.at(-1);
      if (top && !top.isolate) open.pop();
      else unpaired.add(index);
    } else if (code === PDI) {
      const isolateAt = open.findLastIndex((opener) => opener.isolate);
      if (isolateAt < 0) {
        unpaired.add(index);
        continue;
      }
      for (const opener of open.splice(isolateAt + 1)) unpaired.add(opener.index);
      open.pop();
    } else if (isParagraphEnd(code)) {
      closeParagraph();
    }
  }
  closeParagraph();
  if (unpaired.size === 0) return text;
  let out = '';
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    out += unpaired.has(index) ? visibleEscape(char) : char;
  }
  return out;
}

/** Every control character and U+2028/U+2029 as a visible escape (a line feed too, unless `keepLineFeeds`). */
export function escapeControls(text: string, options: { keepLineFeeds?: boolean } = {}): string {
  if (!options.keepLineFeeds) return text.replace(ESCAPED_CONTROLS, visibleEscape);
  return text.replace(/\r\n/g, '\n').replace(ESCAPED_CONTROLS_BUT_LF, visibleEscape);
}

/** One field of publisher text for a terminal line: no control acts, no bidi control leaks past it. */
export function terminalText(text: string): string {
  return escapeControls(neutraliseBidi(text));
}

/**
 * One field of publisher text for a native notification: the terminal's rule, except
 * that a body may keep its line breaks (CRLF becomes LF), which notification services
 * show as lines.
 */
export function notificationText(text: string, options: { multiline?: boolean } = {}): string {
  return escapeControls(neutraliseBidi(text), { keepLineFeeds: options.multiline === true });
}
