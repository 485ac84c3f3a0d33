import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formulaCells, parseCsv } from '../../../test/support/csv-reader.ts';
import { csvField, csvJson, csvRecord } from './csv.ts';

describe('CSV cells that a spreadsheet could run', () => {
  it('quotes and guards the cells of the report: a formula after ; or TAB, not only at the start', () => {
    expect(csvField('x;=1+1;y')).toBe(`"x;'=1+1;y"`);
    expect(csvField('x\t=2+2')).toBe(`"x\t'=2+2"`);
    expect(csvField('a,@SUM(1),-2;+3')).toBe(`"a,'@SUM(1),'-2;'+3"`);
    expect(csvField('line\n=cmd|calc')).toBe(`"line\n'=cmd|calc"`);
    expect(csvField('tab\t\t=1')).toBe(`"tab\t'\t'=1"`);
    const csv = csvRecord(['x;=1+1;y', 'x\t=2+2', '=HYPERLINK("http://x")', 'plain; text', 'ok']);
    expect(parseCsv(csv)).toEqual([[`x;'=1+1;y`, `x\t'=2+2`, `'=HYPERLINK("http://x")`, 'plain; text', 'ok']]);
    expect(formulaCells(csv)).toEqual([]);
  });

  it('leaves no formula start in any cell, however the file is split', () => {
    const text = fc.string({ unit: fc.constantFrom('=', '+', '-', '@', ',', ';', '\t', '\r', '\n', '"', "'", 'a', '1', ' ') });
    fc.assert(fc.property(fc.array(text, { maxLength: 4 }), (cells) => {
      expect(formulaCells(csvRecord(cells))).toEqual([]);
    }));
  });

  it('reads back exactly what was written when the guard is off', () => {
    fc.assert(fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 4 }), (cells) => {
      expect(parseCsv(csvRecord(cells, { spreadsheetSafe: false }))).toEqual([cells]);
    }));
  });
});

describe('JSON in a CSV cell', () => {
  it('guards with JSON escapes and spaces, so it parses back to the same value', () => {
    const data = { title: 'x;=1+1;y', tab: 'x\t=2+2', list: [1, -2, '-3'], nested: { 'k,@': ',-' } };
    const cell = csvJson(data);
    expect(cell).toBe('{"title":"x;\\u003d1+1;y","tab":"x\\t=2+2","list":[1, -2,"-3"],"nested":{"k,\\u0040":",\\u002d"}}');
    expect(JSON.parse(parseCsv(csvRecord([cell]))[0]![0]!)).toEqual(data);
    expect(formulaCells(csvRecord([cell]))).toEqual([]);
    expect(csvJson(-5)).toBe(' -5');
  });

  it('parses back to the same value for any JSON, with no formula start however it is split', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const csv = csvRecord([csvJson(value)]);
        expect(JSON.parse(parseCsv(csv)[0]![0]!)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(formulaCells(csv)).toEqual([]);
      }),
    );
  });
});
