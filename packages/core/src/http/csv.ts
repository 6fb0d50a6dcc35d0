/**
 * CSV as RFC 4180 writes it, made safe for spreadsheets: a cell that begins with `=`, `+`,
 * `-`, `@`, a tab or a carriage return would be read as a formula (CSV injection), so it is
 * prefixed with a single quote; cells with a comma, quote or line break are quoted.
 */
export function csvRow(cells: ReadonlyArray<string | number | boolean | null>): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
