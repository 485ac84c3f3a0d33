import { describe, expect, it } from 'vitest';
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
