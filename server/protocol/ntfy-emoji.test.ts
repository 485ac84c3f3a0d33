import { describe, expect, it } from 'vitest';
import { emojiOfTag, splitTags, tagEmoji } from './ntfy-emoji.ts';

describe('tags as emoji', () => {
  it('shows known shortcodes as emoji (any case) and keeps the other tags as words', () => {
    expect(tagEmoji('warning')).toBe('⚠️');
    expect(tagEmoji('Rotating_Light')).toBe('🚨');
    expect(tagEmoji('+1')).toBe('👍');
    expect(tagEmoji('backup')).toBeNull();
    expect(splitTags(['white_check_mark', 'backup', 'tada', 'nas'])).toEqual({ emoji: ['✅', '🎉'], words: ['backup', 'nas'] });
  });

  it('holds the codes of both the dashboard and the ntfy follower, in one table', () => {
    // Once only in the dashboard's table, now read by the ntfy follower too.
    expect(['pencil', 'books', 'pill', 'test_tube'].map(emojiOfTag)).toEqual(['✏️', '📚', '💊', '🧪']);
    // Once only in the ntfy follower's table, now shown by the dashboard too.
    expect(['sos', 'Purple_Circle', 'cockroach'].map(tagEmoji)).toEqual(['🆘', '🟣', '🪳']);
  });

  it('keeps names of Object.prototype as plain words', () => {
    expect(splitTags(['constructor', 'Constructor', '__proto__', 'toString'])).toEqual({ emoji: [], words: ['constructor', 'Constructor', '__proto__', 'toString'] });
  });
});
