import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeControls, neutraliseBidi, notificationText, terminalText } from './safe-text.ts';

const RLO = '\u202e';
const PDF = '\u202c';
const RLE = '\u202b';
const LRI = '\u2066';
const RLI = '\u2067';
const FSI = '\u2068';
const PDI = '\u2069';
/** Anything a terminal or a notification service could act on, or a bidi control. */
const ACTIVE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

describe('escaping controls', () => {
  it('shows every C0 and C1 control, DEL, NEL and U+2028/2029 as a visible escape', () => {
    expect(terminalText('\u001b]52;c;cHduZWQ=\u0007')).toBe('\\u001b]52;c;cHduZWQ=\\u0007');
    expect(terminalText('\u001b[2J\u001b]0;owned\u0007')).toBe('\\u001b[2J\\u001b]0;owned\\u0007');
    expect(terminalText('paid\b\b\b\bdue!')).toBe('paid\\u0008\\u0008\\u0008\\u0008due!');
    expect(terminalText('a\u0000b\u000bc\u000cd\te\rf\ng')).toBe('a\\u0000b\\u000bc\\u000cd\\u0009e\\u000df\\u000ag');
    expect(terminalText('x\u007fy\u0085z\u009b31m\u2028w\u2029v')).toBe('x\\u007fy\\u0085z\\u009b31m\\u2028w\\u2029v');
  });

  it('leaves printable text alone: accents, emoji, right-to-left words, backslashes', () => {
    for (const text of ['Café ✓ 🚀', 'שלום עולם 42', 'مرحبا', 'C:\\Users\\me', 'tab-less & <b>']) expect(terminalText(text)).toBe(text);
  });

  it('keeps a body’s line feeds for notifications, with CRLF as LF and a lone CR escaped', () => {
    expect(notificationText('one\r\ntwo\nthree\rfour\u2028five', { multiline: true })).toBe('one\ntwo\nthree\\u000dfour\\u2028five');
    expect(notificationText('one\ntwo')).toBe('one\\u000atwo');
  });

  it('never leaves an active character, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(ACTIVE.test(terminalText(text))).toBe(false);
        expect(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/.test(notificationText(text, { multiline: true }))).toBe(false);
      }),
    );
  });

  it('escapes only what it must: without controls the text is unchanged', () => {
    fc.assert(fc.property(fc.string(), (text) => !ACTIVE.test(text) ? escapeControls(text) === text : true));
  });
});

describe('neutralising bidi controls', () => {
  it('escapes an unclosed RLO, so "Invoice \\u202Efdp.exe" cannot read as "Invoice exe.pdf"', () => {
    expect(neutraliseBidi(`Invoice ${RLO}fdp.exe`)).toBe('Invoice \\u202efdp.exe');
  });

  it('keeps embeddings and isolates that are closed within the text', () => {
    for (const text of [`a ${RLO}b${PDF} c`, `${RLI}שלום${PDI} 5`, `${FSI}x ${RLE}y${PDF} z${PDI}`, `${LRI}${RLI}deep${PDI}${PDI}`]) {
      expect(neutraliseBidi(text)).toBe(text);
    }
  });

  it('escapes closers with nothing to close', () => {
    expect(neutraliseBidi(`a${PDF}b${PDI}c`)).toBe('a\\u202cb\\u2069c');
  });

  it('escapes a text that is nothing but unpaired bidi controls (a title of one RLO)', () => {
    expect(neutraliseBidi(RLO)).toBe('\\u202e');
    expect(neutraliseBidi(`${PDF}${PDI}`)).toBe('\\u202c\\u2069');
  });

  it('does not let a PDI close more than its own isolate, nor a PDF reach out of one', () => {
    // The PDI closes the RLI; the RLE opened inside it was never closed.
    expect(neutraliseBidi(`${RLI}a${RLE}b${PDI}c`)).toBe(`${RLI}a\\u202bb${PDI}c`);
    // A PDF inside an isolate cannot close the RLO outside it.
    expect(neutraliseBidi(`${RLO}a${LRI}b${PDF}${PDI}`)).toBe(`\\u202ea${LRI}b\\u202c${PDI}`);
  });

  it('pairs only within a paragraph: a line break ends every embedding', () => {
    expect(neutraliseBidi(`${RLO}one\ntwo${PDF}`)).toBe('\\u202eone\ntwo\\u202c');
    expect(neutraliseBidi(`${RLI}one\u2029two${PDI}`)).toBe('\\u2067one\u2029two\\u2069');
  });

  it('ends a paragraph at every bidi paragraph separator (CR, FS, GS, RS, NEL, LF, U+2029) and nowhere else', () => {
    for (const end of ['\r', '\u001c', '\u001d', '\u001e', '\u0085']) {
      expect(neutraliseBidi(`${RLO}one${end}two${PDF}`), JSON.stringify(end)).toBe(`\\u202eone${end}two\\u202c`);
    }
    for (const inside of ['\t', '\u000b', '\u001b', '\u001f', ' ', '\u0084', '\u2028']) {
      const text = `${RLO}one${inside}two${PDF}`;
      expect(neutraliseBidi(text), JSON.stringify(inside)).toBe(text);
    }
  });

  it('treats LRE, the first embedding control, like the others', () => {
    expect(neutraliseBidi(`a\u202ab${PDF}c`)).toBe(`a\u202ab${PDF}c`);
    expect(neutraliseBidi('a\u202ab')).toBe('a\\u202ab');
  });

  it('leaves every remaining bidi control paired: neutralising twice changes nothing', () => {
    const bidi = fc.constantFrom('\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', 'a', 'ש', '\n', ' ');
    fc.assert(
      fc.property(fc.array(bidi, { maxLength: 24 }), (chars) => {
        const once = neutraliseBidi(chars.join(''));
        expect(neutraliseBidi(once)).toBe(once);
      }),
    );
  });

  it('is part of both terminal and notification text', () => {
    expect(terminalText(`Invoice ${RLO}fdp.exe`)).toBe('Invoice \\u202efdp.exe');
    expect(notificationText(`${PDI}Invoice ${RLO}fdp.exe`, { multiline: true })).toBe('\\u2069Invoice \\u202efdp.exe');
  });
});
