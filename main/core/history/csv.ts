// CSV as RFC 4180 says: fields separated by commas, records by CRLF; a field that
// holds a comma, a double quote, CR or LF is enclosed in double quotes, and a double
// quote inside it is doubled (RFC 4180 section 2, rules 5-7). The one CSV writer of
// Herald: the history export and the window's "export the current view" use it.
//
// Spreadsheets also run a cell that starts with =, +, -, @, TAB or CR as a formula
// (OWASP "CSV Injection"), and many read `;` or TAB as the separator (Excel in many
// locales, LibreOffice's import dialog), so text written by others (titles, bodies)
// is made safe for any of them:
// - a field holding `,` `;` TAB, CR or LF (or a double quote) is quoted;
// - a single quote is put before a formula start at the beginning of the field AND
//   after each of those separator candidates, so no cell starts a formula however the
//   text is split ("x;=1+1;y" is written "x;'=1+1;y", quoted).
// Numbers are written as they are, and JSON in a cell (csvJson) keeps reading back
// to the same value: it is guarded with JSON's own escapes and whitespace instead.

const NEEDS_QUOTES = /[",;\t\r\n]/;
const FORMULA_AT_START = /^(?=[=+\-@\t\r])/;
const FORMULA_AFTER_SEPARATOR = /([,;\t\r\n])(?=[=+\-@\t\r])/g;

export type CsvValue = string | number | boolean | null;

export interface CsvOptions {
  /** Guard formula starts (default true); false writes the text exactly, quoted where needed. */
  spreadsheetSafe?: boolean;
}

export function csvField(value: CsvValue, options: CsvOptions = {}): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const text = options.spreadsheetSafe === false ? value : value.replace(FORMULA_AT_START, "'").replace(FORMULA_AFTER_SEPARATOR, "$1'");
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, CRLF-terminated. */
export function csvRecord(values: readonly CsvValue[], options: CsvOptions = {}): string {
  return `${values.map((value) => csvField(value, options)).join(',')}\r\n`;
}

const JSON_FORMULA_CHAR = /[=+\-@]/;

/**
 * `value` as JSON for a CSV cell: no formula start after a `,` or `;`, yet JSON.parse
 * gives back exactly `value`. Inside a string the formula character is written as a
 * \u escape ("x;=1" as "x;\u003d1"); between values a space goes before a negative
 * number ("[1, -2]"), and before a negative number alone. JSON.stringify leaves no
 * raw TAB, CR or LF, so nothing else needs a guard.
 */
export function csvJson(value: unknown): string {
  const json = JSON.stringify(value) ?? 'null';
  let out = '';
  let inString = false;
  for (let index = 0; index < json.length; index++) {
    const char = json[index]!;
    const next = json[index + 1] ?? '';
    out += char;
    if (inString) {
      if (char === '\\') {
        out += next;
        index++;
      } else if (char === '"') {
        inString = false;
      } else if ((char === ',' || char === ';') && JSON_FORMULA_CHAR.test(next)) {
        out += `\\u${next.charCodeAt(0).toString(16).padStart(4, '0')}`;
        index++;
      }
    } else if (char === '"') {
      inString = true;
    } else if (char === ',' && next === '-') {
      out += ' ';
    }
  }
  return out.startsWith('-') ? ` ${out}` : out;
}
