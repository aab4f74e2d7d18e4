/**
 * CSV as RFC 4180 writes it (CRLF rows; a field with a quote, comma or line break is quoted and
 * its quotes doubled), made safe to open in a spreadsheet: a field that starts like a formula
 * (=, +, -, @, tab, carriage return) gets a leading apostrophe, so audit data typed by anyone
 * (key names, user agents) is shown as text and never evaluated.
 */

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export type CsvValue = string | number | boolean | null | undefined;

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
