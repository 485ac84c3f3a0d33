// CSV as RFC 4180 says: fields separated by commas, records by CRLF; a field that
// holds a comma, a double quote, CR or LF is enclosed in double quotes, and a double
// quote inside it is doubled (RFC 4180 section 2, rules 5-7).
//
// Spreadsheets also run a cell that starts with =, +, -, @, TAB or CR as a formula
// (OWASP "CSV Injection"), so text written by others (titles, bodies) is prefixed with
// a single quote when it starts with one of those. Numbers are written as they are.

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;

export type CsvValue = string | number | boolean | null;

export function csvField(value: CsvValue, options: { spreadsheetSafe?: boolean } = {}): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const text = options.spreadsheetSafe !== false && FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, CRLF-terminated. */
export function csvRecord(values: readonly CsvValue[], options: { spreadsheetSafe?: boolean } = {}): string {
  return `${values.map((value) => csvField(value, options)).join(',')}\r\n`;
}
