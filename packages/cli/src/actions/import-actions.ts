import { CliError } from '../cli-error.js';
import type { CommandContext } from '../command-context.js';
import type { ImportUsersOptions } from '../commands/import-command.js';
import { describeFailure } from '../describe-failure.js';
import { parseEventConsumers } from '../parse-event-consumers.js';
import { exitCodes, type ExitCode } from '../exit-codes.js';
import { mapColumns, parseColumnMap } from '../import/map-columns.js';
import { readCsvRecords, surveyCsv } from '../import/read-csv-records.js';
import { dryRunHasher, dryRunStore } from '../import/dry-run-store.js';
import { describeImportReport, ImportTally, rejectReason, type ImportReport } from '../import/import-report.js';
import { startProgress, type ImportProgress } from '../import/start-progress.js';
import { ImportStoppedError, importRows, type ImportPlan } from '../import/import-rows.js';
import { RejectsFile } from '../import/rejects-file.js';
import { TemporaryPasswordsFile } from '../import/temporary-passwords.js';
import { withSession } from '../with-session.js';

/**
 * Imports users from a CSV file: surveys the whole file first (header, row count, syntax),
 * then imports each row through the services with progress, writes rejected rows and
 * temporary passwords to their files, and reports. Exit 4 when rows were rejected, unless
 * `--allow-rejects`.
 *
 * @throws CliError `usage` for contradictory options or missing mail settings; `refused` for a
 *   file without an email column or with a syntax error (nothing is imported then).
 */
export async function importUsersFromFile(context: CommandContext, file: string, options: ImportUsersOptions): Promise<ExitCode> {
  const { output, settings } = context;
  if (options.invite && options.temporaryPasswords !== undefined) {
    throw new CliError(exitCodes.usage, 'Choose --invite or --temporary-passwords, not both.', 'conflicting_options');
  }
  if (options.delimiter !== undefined && [...options.delimiter].length !== 1) throw new CliError(exitCodes.usage, '--delimiter must be one character.', 'invalid_delimiter');
  if (options.concurrency !== undefined && (options.concurrency < 1 || options.concurrency > 64)) throw new CliError(exitCodes.usage, '--concurrency must be 1 to 64.', 'invalid_concurrency');
  const csv = { delimiter: options.delimiter ?? ',' };
  const columnMap = parseColumnMap(options.map ?? []);
  const survey = await surveyCsv(file, csv);
  const mapping = mapColumns(survey.header, columnMap);
  if (mapping.ignored.length > 0) output.warn(`not imported (no such field; map them with --map): ${mapping.ignored.join(', ')}.`);
  const dryRun = options.dryRun === true;
  const queuesMail = !dryRun && (options.invite === true || options.verified !== true);
  if (queuesMail && !parseEventConsumers(settings.eventConsumers).isConfigured) {
    throw new CliError(
      exitCodes.usage,
      `This import sends mail (${options.invite ? 'invitations' : 'verification mails to unverified users'}), which the app delivers from its outbox: set TESSERA_EVENT_CONSUMERS to the app's consumers (e.g. "mailer") and TESSERA_SECRET to its secret. Or pass --verified, or set TESSERA_EVENT_CONSUMERS=none to import without mail.`,
      'mail_not_configured',
    );
  }
  const maxConnections = (options.concurrency ?? 8) + 2;
  const sessionOptions = { queuesSecretMail: queuesMail, maxConnections, ...(dryRun && { wrapStore: dryRunStore, passwordHasher: dryRunHasher }) };

  return withSession(context, sessionOptions, async (session) => {
    const plan: ImportPlan = {
      dryRun,
      onExisting: options.onExisting ?? 'skip',
      verified: options.verified === true,
      invite: options.invite === true,
      temporaryPasswords: options.temporaryPasswords !== undefined,
      defaultRole: options.defaultRole ?? 'AUTHENTICATED',
      concurrency: options.concurrency ?? (session.database.engine === 'postgres' ? 8 : 1),
    };
    const tally = new ImportTally();
    const records = readCsvRecords(file, csv);
    let passwordsFile: TemporaryPasswordsFile | undefined;
    let rejectsFile: RejectsFile | undefined;
    let progress: ImportProgress | undefined;
    const started = performance.now();
    try {
      // The passwords file first: it refuses to exist already, before anything else is touched.
      if (options.temporaryPasswords !== undefined && !dryRun) passwordsFile = await TemporaryPasswordsFile.create(options.temporaryPasswords);
      if (options.rejects !== undefined) rejectsFile = await RejectsFile.create(options.rejects, mapping);
      progress = startProgress(context.io, { total: survey.rows, json: output.json, label: dryRun ? 'dry run' : 'import' });
      await records.next(); // the header, read by the survey
      await importRows(session, plan, mapping, records, async (outcome) => {
        tally.add(outcome);
        if (outcome.kind === 'rejected') await rejectsFile?.add({ line: outcome.line, reason: rejectReason(outcome), fields: outcome.fields });
        if (outcome.kind === 'created' && outcome.temporaryPassword !== undefined) await passwordsFile?.add(outcome.email, outcome.temporaryPassword);
        progress?.update(tally.handled);
      });
    } catch (error) {
      if (!(error instanceof ImportStoppedError)) throw error;
      const failure = describeFailure(error.cause);
      const done = `${tally.created} created, ${tally.updated} updated before it${passwordsFile ? ` (their temporary passwords are in ${options.temporaryPasswords})` : ''}`;
      throw new CliError(failure.exitCode, `Stopped at line ${error.line}: ${failure.message}. ${done}; running the import again continues where it stopped.`, failure.code, { cause: error });
    } finally {
      progress?.stop();
      await records.return(undefined);
      await rejectsFile?.close();
      await passwordsFile?.close();
    }
    const seconds = (performance.now() - started) / 1000;
    const report: ImportReport = {
      file,
      dryRun,
      rows: survey.rows,
      created: tally.created,
      updated: tally.updated,
      unchanged: tally.unchanged,
      skipped: tally.skipped,
      rejected: tally.rejects.length,
      invited: tally.invited,
      temporaryPasswords: tally.temporaryPasswords,
      rejects: tally.rejects,
      rejectsFile: options.rejects ?? null,
      temporaryPasswordsFile: passwordsFile ? (options.temporaryPasswords ?? null) : null,
      seconds: Math.round(seconds * 100) / 100,
      rowsPerSecond: Math.round(survey.rows / Math.max(seconds, 0.001)),
    };
    output.result(report, () => describeImportReport(report));
    return report.rejected > 0 && options.allowRejects !== true ? exitCodes.refused : exitCodes.ok;
  });
}
