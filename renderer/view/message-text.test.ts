import { describe, expect, it } from 'vitest';
import { splitTags, tagEmoji } from './emoji-tags.ts';
import { previewOf } from './message-text.ts';

describe('a message on one line', () => {
  it('joins lines, and drops Markdown markers only when the body is Markdown', () => {
    expect(previewOf('line one\n\nline two', false)).toBe('line one line two');
    expect(previewOf('# Build\n**2 tests** failed, see [the log](https://ci/x) and `make test`', true)).toBe('Build 2 tests failed, see the log and make test');
    expect(previewOf('- a\n- b *now*', true)).toBe('a b now');
    expect(previewOf('[bad](javascript:alert(1))', true)).toBe('[bad](javascript:alert(1))');
    expect(previewOf('**kept** as written', false)).toBe('**kept** as written');
  });
});

describe('tags as emoji', () => {
  it('shows known shortcodes as emoji (any case) and keeps the other tags as words', () => {
    expect(tagEmoji('warning')).toBe('⚠️');
    expect(tagEmoji('Rotating_Light')).toBe('🚨');
    expect(tagEmoji('+1')).toBe('👍');
    expect(tagEmoji('backup')).toBeNull();
    expect(splitTags(['white_check_mark', 'backup', 'tada', 'nas'])).toEqual({ emoji: ['✅', '🎉'], words: ['backup', 'nas'] });
  });
});
