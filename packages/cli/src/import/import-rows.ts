import { normalizeUsername } from '@tessera/core';
import type { Session } from '../with-session.js';
import type { ColumnMapping } from './map-columns.js';
import type { CsvRecord } from './read-csv-records.js';
import { importRow, type RejectedOutcome, type RowOutcome, type RowPlan } from './import-row.js';
import { columnOf, isRowInput, readRowInput } from './read-row-input.js';

/** How the rows of a file are imported. */
export interface ImportPlan extends RowPlan {
  /** Rows in flight at once (each is its own transaction). */
  readonly concurrency: number;
}

/** The import stopped at a row because of something other than the row (the database went away). */
export class ImportStoppedError extends Error {
  override readonly name = 'ImportStoppedError';

  constructor(
    readonly line: number,
    options: { cause: unknown },
  ) {
    super(`The import stopped at line ${line}.`, options);
  }
}

/**
 * Imports the records after the header: each row is read, checked against the rows before it
 * (an address or username twice in the file is rejected, also in a dry run, where nothing
 * stays in the database to collide with), and imported through the services, several at a
 * time. Outcomes are reported in file order.
 *
 * @throws ImportStoppedError when a row fails for a reason other than the row itself; the
 *   rows in flight finish (and are reported) first.
 */
export async function importRows(
  session: Session,
  plan: ImportPlan,
  mapping: ColumnMapping,
  records: AsyncIterable<CsvRecord>,
  onOutcome: (outcome: RowOutcome) => Promise<void>,
): Promise<void> {
  const firstLineOfEmail = new Map<string, number>();
  const firstLineOfUsername = new Map<string, number>();
  const inFlight: Array<Promise<RowOutcome | { kind: 'stopped'; error: ImportStoppedError }>> = [];
  let stopped: ImportStoppedError | undefined;

  const start = (record: CsvRecord): (typeof inFlight)[number] => {
    const input = readRowInput(record, mapping);
    const rejected = (problem: Omit<RejectedOutcome, 'kind' | 'line' | 'email' | 'fields'>, email: string | null) =>
      Promise.resolve<RejectedOutcome>({ kind: 'rejected', line: record.line, email, fields: record.fields, ...problem });
    if (!isRowInput(input)) return rejected(input, record.fields[mapping.fields.indexOf('email')]?.trim() || null);
    const emailLine = firstLineOfEmail.get(input.normalizedEmail);
    if (emailLine !== undefined) return rejected({ column: columnOf(mapping, 'email'), code: 'duplicate_in_file', message: `repeats the address of line ${emailLine}` }, input.email);
    const username = input.username === undefined ? undefined : normalizeUsername(input.username);
    const usernameLine = username === undefined ? undefined : firstLineOfUsername.get(username);
    if (usernameLine !== undefined) return rejected({ column: columnOf(mapping, 'username'), code: 'duplicate_in_file', message: `repeats the username of line ${usernameLine}` }, input.email);
    firstLineOfEmail.set(input.normalizedEmail, record.line);
    if (username !== undefined) firstLineOfUsername.set(username, record.line);
    return importRow(session, plan, mapping, record, input).catch((error: unknown) => ({ kind: 'stopped' as const, error: new ImportStoppedError(record.line, { cause: error }) }));
  };

  const settle = async (next: (typeof inFlight)[number]) => {
    const outcome = await next;
    if (outcome.kind === 'stopped') stopped ??= outcome.error;
    else await onOutcome(outcome);
  };

  for await (const record of records) {
    inFlight.push(start(record));
    if (inFlight.length >= plan.concurrency) await settle(inFlight.shift()!);
    if (stopped) break;
  }
  while (inFlight.length > 0) await settle(inFlight.shift()!);
  if (stopped) throw stopped;
}
