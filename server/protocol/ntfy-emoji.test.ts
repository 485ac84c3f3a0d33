import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emojiOfTag, knownShortCodes, splitTags, tagEmoji } from './ntfy-emoji.ts';

// ntfy's own alias -> emoji list, as its web app reads it (test/fixtures/README.md
// names the commit): 1,855 short codes.
const NTFY: Readonly<Record<string, string>> = (
  JSON.parse(readFileSync(new URL('../../test/fixtures/ntfy/emoji.json', import.meta.url), 'utf8')) as { emoji: Record<string, string> }
).emoji;

describe('tags as emoji', () => {
  it('shows known shortcodes as emoji (any case) and keeps the other tags as words', () => {
    expect(tagEmoji('warning')).toBe('⚠️');
    expect(tagEmoji('Rotating_Light')).toBe('🚨');
    expect(tagEmoji('+1')).toBe('👍');
    expect(tagEmoji('backup')).toBeNull();
    expect(splitTags(['white_check_mark', 'backup', 'tada', 'nas'])).toEqual({ emoji: ['✅', '🎉'], words: ['backup', 'nas'] });
  });

  it('holds the codes of both the dashboard and the ntfy follower, in one table', () => {
    // Once only in the dashboard's table, now read by the ntfy follower too
    // (`pencil` is ntfy's memo 📝; the pencil ✏️ is `pencil2`).
    expect(['pencil', 'pencil2', 'books', 'pill', 'test_tube'].map(emojiOfTag)).toEqual(['📝', '✏️', '📚', '💊', '🧪']);
    // Once only in the ntfy follower's table, now shown by the dashboard too.
    expect(['sos', 'Purple_Circle', 'cockroach'].map(tagEmoji)).toEqual(['🆘', '🟣', '🪳']);
  });

  it('keeps names of Object.prototype as plain words', () => {
    expect(splitTags(['constructor', 'Constructor', '__proto__', 'toString'])).toEqual({ emoji: [], words: ['constructor', 'Constructor', '__proto__', 'toString'] });
  });
});

describe("the table against ntfy's emoji list", () => {
  it('shows every short code of its table as the emoji ntfy shows for it, variation selector included', () => {
    const codes = knownShortCodes();
    // The common codes docs/integrations.md promises ("about 200").
    expect(codes.length).toBeGreaterThanOrEqual(200);
    const differing = codes.filter((code) => emojiOfTag(code) !== NTFY[code]).map((code) => `${code}: Herald ${emojiOfTag(code)}, ntfy ${NTFY[code]}`);
    expect(differing).toEqual([]);
  });

  it('shows a code in any case as ntfy shows the code in lower case', () => {
    const differing = knownShortCodes().filter((code) => tagEmoji(code.toUpperCase()) !== NTFY[code] || tagEmoji(code) !== NTFY[code]);
    expect(differing).toEqual([]);
  });

  it('lists exactly the codes it shows as emoji: a code only ntfy knows stays a word', () => {
    const known = new Set(knownShortCodes());
    const onlyNtfy = Object.keys(NTFY).filter((code) => !known.has(code));
    expect(onlyNtfy.length).toBeGreaterThan(1000);
    expect(onlyNtfy.filter((code) => emojiOfTag(code) !== undefined || tagEmoji(code) !== null)).toEqual([]);
    // Some that notifications could plausibly send, which Herald leaves as words.
    expect(['unicorn', 'coffin', 'firecracker', 'radioactive', 'spiral_calendar'].map((code) => [NTFY[code] !== undefined, tagEmoji(code)])).toEqual(Array(5).fill([true, null]));
    expect(splitTags(['unicorn', 'warning'])).toEqual({ emoji: ['⚠️'], words: ['unicorn'] });
  });
});

describe('tags that are not short codes', () => {
  it('keeps unknown tags, near misses and the empty tag as words, as ntfy does', () => {
    const tags = ['backup', 'nas', 'prod', '', ' warning', 'warning ', 'warn', 'warnings', 'white-check-mark', ':warning:', '⚠️'];
    for (const tag of tags) expect(NTFY[tag]).toBeUndefined();
    expect(tags.map(emojiOfTag)).toEqual(tags.map(() => undefined));
    expect(tags.map(tagEmoji)).toEqual(tags.map(() => null));
    expect(splitTags(tags)).toEqual({ emoji: [], words: tags });
  });

  it('matches a code exactly in emojiOfTag, as ntfy does, and in any case in tagEmoji and splitTags', () => {
    expect(['Warning', 'WARNING', 'Tada'].map(emojiOfTag)).toEqual([undefined, undefined, undefined]);
    expect(['warning', 'Warning', 'WARNING', 'wArNiNg', 'TADA', 'White_Check_Mark'].map(tagEmoji)).toEqual(['⚠️', '⚠️', '⚠️', '⚠️', '🎉', '✅']);
    // The word keeps the case it was sent in.
    expect(splitTags(['Backup', 'WARNING', 'NAS'])).toEqual({ emoji: ['⚠️'], words: ['Backup', 'NAS'] });
  });

  it('keeps every name Object.prototype has as a plain word, in any case, not a function or a crash', () => {
    const names = Object.getOwnPropertyNames(Object.prototype);
    expect(names).toEqual(expect.arrayContaining(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']));
    const cased = names.flatMap((name) => [name, name.toUpperCase(), name.toLowerCase()]);
    expect(cased.map(emojiOfTag)).toEqual(cased.map(() => undefined));
    expect(cased.map(tagEmoji)).toEqual(cased.map(() => null));
    expect(splitTags(cased)).toEqual({ emoji: [], words: cased });
  });
});

describe('splitting tags', () => {
  it('puts the emoji first in the order of their tags, then the words in the order of theirs', () => {
    expect(splitTags(['backup', 'warning', 'nas', 'tada', 'white_check_mark', 'prod', 'rotating_light'])).toEqual({
      emoji: ['⚠️', '🎉', '✅', '🚨'],
      words: ['backup', 'nas', 'prod'],
    });
    expect(splitTags(['tada', 'warning'])).toEqual({ emoji: ['🎉', '⚠️'], words: [] });
    expect(splitTags(['warning', 'tada'])).toEqual({ emoji: ['⚠️', '🎉'], words: [] });
  });

  it('splits no tags into no emoji and no words', () => {
    expect(splitTags([])).toEqual({ emoji: [], words: [] });
  });
});
