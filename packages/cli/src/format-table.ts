/**
 * Lays rows out as aligned columns under a header, for a person at a terminal (scripts use
 * `--json`).
 *
 * @example
 * ```ts
 * formatTable(['email', 'role'], [['ada@example.com', 'ADMIN']]);
 * // email            role
 * // ada@example.com  ADMIN
 * ```
 */
export function formatTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
