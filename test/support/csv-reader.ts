// An RFC 4180 reader for tests: proves what the CSV writers produce reads back, with
// the separator a spreadsheet may be set to (`,`, `;` or TAB).

export function parseCsv(text: string, separator = ','): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === separator) record.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') record.push(field), records.push(record), (record = []), (field = ''), i++;
    else field += c;
  }
  return records;
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** Cells a spreadsheet would run as a formula, whichever separator it splits on, quote-aware or not. */
export function formulaCells(csv: string): string[] {
  const quoteAware = [',', ';', '\t'].flatMap((separator) => parseCsv(csv, separator).flat());
  const naive = csv.split(/[,;\t\r\n]/).map((piece) => piece.replace(/^"/, ''));
  return [...quoteAware, ...naive].filter((cell) => FORMULA_START.test(cell));
}
