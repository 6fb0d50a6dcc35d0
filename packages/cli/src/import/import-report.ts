import type { RowOutcome } from './import-row.js';

/** A rejected row in the report (without its cells: they are in the rejects file). */
export interface ReportedReject {
  readonly line: number;
  readonly email: string | null;
  readonly column: string | null;
  readonly code: string;
  readonly message: string;
}

/** What an import did (or, in a dry run, would do). */
export interface ImportReport {
  readonly file: string;
  readonly dryRun: boolean;
  /** Data rows in the file (the header not counted). */
  readonly rows: number;
  readonly created: number;
  readonly updated: number;
  /** Existing accounts the row matched already. */
  readonly unchanged: number;
  /** Existing accounts left alone (`--on-existing skip`). */
  readonly skipped: number;
  readonly rejected: number;
  /** New users sent a "set your password" mail. */
  readonly invited: number;
  /** New users given a temporary password. */
  readonly temporaryPasswords: number;
  readonly rejects: readonly ReportedReject[];
  readonly rejectsFile: string | null;
  readonly temporaryPasswordsFile: string | null;
  readonly seconds: number;
  readonly rowsPerSecond: number;
}

/** Counts outcomes as they arrive. */
export class ImportTally {
  created = 0;
  updated = 0;
  unchanged = 0;
  skipped = 0;
  invited = 0;
  temporaryPasswords = 0;
  readonly rejects: ReportedReject[] = [];

  add(outcome: RowOutcome): void {
    switch (outcome.kind) {
      case 'created':
        this.created += 1;
        if (outcome.invited) this.invited += 1;
        if (outcome.temporaryPassword !== undefined) this.temporaryPasswords += 1;
        return;
      case 'rejected':
        this.rejects.push({ line: outcome.line, email: outcome.email, column: outcome.column, code: outcome.code, message: outcome.message });
        return;
      default:
        this[outcome.kind] += 1;
    }
  }

  /** Rows handled so far. */
  get handled(): number {
    return this.created + this.updated + this.unchanged + this.skipped + this.rejects.length;
  }
}

/** The reason written for a rejected row. */
export function rejectReason(reject: Pick<ReportedReject, 'column' | 'code' | 'message'>): string {
  return `${reject.column ?? 'row'}: ${reject.message} (${reject.code})`;
}

const shownRejects = 20;

/** The report for a person: counts, the first rejected rows by line, where the files are. */
export function describeImportReport(report: ImportReport): string {
  const would = report.dryRun ? 'would be ' : '';
  const counts = [
    `${report.created} ${would}created`,
    report.updated > 0 && `${report.updated} ${would}updated`,
    report.unchanged > 0 && `${report.unchanged} unchanged`,
    report.skipped > 0 && `${report.skipped} skipped (already exist)`,
    `${report.rejected} rejected`,
  ].filter(Boolean);
  const lines = [
    report.dryRun ? `Dry run of ${report.file}: nothing was written to the database.` : `Imported ${report.file}.`,
    `${report.rows} row${report.rows === 1 ? '' : 's'}: ${counts.join(', ')}.`,
  ];
  if (report.invited > 0) lines.push(`${report.invited} ${report.dryRun ? 'would be invited' : 'invited'} to set a password (the mail is queued for the app).`);
  if (report.temporaryPasswords > 0) lines.push(`${report.temporaryPasswords} temporary password${report.temporaryPasswords === 1 ? '' : 's'} written to ${report.temporaryPasswordsFile ?? '(no file)'}.`);
  if (report.rejects.length > 0) {
    lines.push('Rejected rows:');
    for (const reject of report.rejects.slice(0, shownRejects)) lines.push(`  line ${reject.line}: ${rejectReason(reject)}`);
    if (report.rejects.length > shownRejects) lines.push(`  ... and ${report.rejects.length - shownRejects} more${report.rejectsFile ? '' : ' (write them all with --rejects FILE)'}.`);
    if (report.rejectsFile) lines.push(`Rejected rows written to ${report.rejectsFile}.`);
  }
  lines.push(`Took ${report.seconds.toFixed(1)} s (${report.rowsPerSecond} rows/s).`);
  return lines.join('\n');
}
