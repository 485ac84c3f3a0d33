import { describe, expect, it } from 'vitest';
import { LineSplitter, OutputLog } from './output-log.ts';
import { isProgressDirective, parseProgress } from './progress.ts';

describe('progress in output', () => {
  it('reads percentages, fractions and ::progress lines', () => {
    expect(parseProgress('downloading 42%')).toBe(0.42);
    expect(parseProgress('step 3/10')).toBe(0.3);
    expect(parseProgress('[ 7 / 8 ] linking')).toBe(0.875);
    expect(parseProgress('::progress 0.42')).toBe(0.42);
    expect(isProgressDirective('::progress 1')).toBe(true);
  });

  it('takes the last mention on a line', () => {
    expect(parseProgress('file 2/5 at 80%')).toBe(0.8);
    expect(parseProgress('80% of file 2/5')).toBe(0.4);
  });

  it('ignores lines without progress, dates, paths and impossible values', () => {
    expect(parseProgress('hello world')).toBeNull();
    expect(parseProgress('backup of 2024/01/02')).toBeNull();
    expect(parseProgress('wrote /var/lib/x/3/10/y')).toBeNull();
    expect(parseProgress('12/5 items')).toBeNull();
    expect(parseProgress('150%')).toBeNull();
    expect(parseProgress('::progress 7')).toBeNull();
    expect(parseProgress('0/0')).toBeNull();
  });
});

describe('output lines', () => {
  it('splits on LF, CRLF and CR across chunk boundaries', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('a\nb\r')).toEqual(['a']);
    expect(splitter.push('\nc 10%\rc 20%\rtail')).toEqual(['b', 'c 10%', 'c 20%']);
    expect(splitter.flush()).toEqual(['tail']);
    expect(splitter.flush()).toEqual([]);
  });

  it('caps a line that never ends', () => {
    const splitter = new LineSplitter(10);
    expect(splitter.push('x'.repeat(25))).toEqual([`${'x'.repeat(10)}…`]);
  });

  it('keeps only the newest lines and says how many it dropped', () => {
    const log = new OutputLog({ maxLines: 3, maxChars: 1000 });
    for (let i = 1; i <= 5; i++) log.append(`line ${i}`);
    expect(log.lastLines(2)).toEqual(['line 4', 'line 5']);
    expect(log.dropped).toBe(2);
    expect(log.text()).toBe('[2 earlier lines dropped]\nline 3\nline 4\nline 5\n');
  });

  it('bounds the characters kept too', () => {
    const log = new OutputLog({ maxLines: 1000, maxChars: 20 });
    for (let i = 0; i < 10; i++) log.append('123456789');
    expect(log.text().length).toBeLessThan(60);
    expect(log.lastLines(5)).toEqual(['123456789', '123456789']);
  });
});
