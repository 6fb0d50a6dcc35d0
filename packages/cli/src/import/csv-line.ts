/**
 * One CSV line (RFC 4180) that keeps every cell exactly as it was, for files meant to be
 * fixed and imported again (rejected rows, temporary passwords). The user export uses core's
 * `csvRow`, which also defuses spreadsheet formulas.
 */
export function csvLine(cells: ReadonlyArray<string | number>): string {
  return `${cells.map((cell) => (typeof cell === 'string' && /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : String(cell))).join(',')}\r\n`;
}
