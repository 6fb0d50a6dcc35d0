import { open } from 'node:fs/promises';
import { parse, type CsvError, type Info } from 'csv-parse';
import { CliError } from '../cli-error.js';
import { exitCodes } from '../exit-codes.js';

/** One record of a CSV file, with the line it starts on (1 is the header). */
export interface CsvRecord {
  readonly line: number;
  readonly fields: readonly string[];
}

/** How the file is read. */
export interface CsvReadOptions {
  /** The field separator. @default ',' */
  readonly delimiter?: string;
}

/** The largest number of parsed records held in memory before reading pauses. */
const highWaterMark = 1000;

/**
 * Streams the records of a CSV file (RFC 4180: quotes, doubled quotes, commas and line breaks
 * inside quoted fields; a UTF-8 byte-order mark is skipped; blank lines are skipped). Records
 * may have any number of fields: the caller compares them with the header, so a short row is a
 * rejected row rather than the end of the import. Memory stays flat whatever the file size.
 *
 * @throws CliError `usage` when the file cannot be opened; `refused` at a syntax error (an
 *   unclosed quote, text after a closing quote), naming its line. Records before it are yielded.
 */
export async function* readCsvRecords(path: string, options: CsvReadOptions = {}): AsyncGenerator<CsvRecord, void, undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new CliError(exitCodes.usage, `Cannot read ${path}: ${(error as Error).message}`, 'unreadable_file', { cause: error });
  }
  const input = handle.createReadStream();
  const parser = parse({ bom: true, delimiter: options.delimiter ?? ',', relax_column_count: true, skip_empty_lines: true, info: true });
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);

  // 'data' events rather than async iteration: an async iterator drops the records already
  // parsed when the parser fails further on, and those are still good rows.
  const queue: CsvRecord[] = [];
  let finished = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  // csv-parse counts a CRLF inside a quoted field as two lines; take them off again.
  let overcountedLines = 0;
  parser.on('data', ({ record, info }: { record: string[]; info: Info }) => {
    overcountedLines += crlfsIn(record);
    queue.push({ line: info.lines - overcountedLines - lineBreaksIn(record), fields: record });
    if (queue.length >= highWaterMark) parser.pause();
    wake?.();
  });
  parser.on('end', () => {
    finished = true;
    wake?.();
  });
  parser.on('error', (error) => {
    failure = error;
    finished = true;
    wake?.();
  });
  try {
    for (;;) {
      const record = queue.shift();
      if (record) {
        if (queue.length < highWaterMark / 2 && parser.isPaused()) parser.resume();
        yield record;
      } else if (finished) {
        if (failure !== undefined) throw syntaxError(path, failure, overcountedLines);
        return;
      } else {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    }
  } finally {
    parser.destroy();
    input.destroy();
    await handle.close().catch(() => undefined);
  }
}

/** Quoted fields may hold line breaks; the record then starts that many lines earlier. */
function lineBreaksIn(fields: readonly string[]): number {
  return fields.reduce((count, field) => count + (field.match(/\r\n|\n|\r/g)?.length ?? 0), 0);
}

function crlfsIn(fields: readonly string[]): number {
  return fields.reduce((count, field) => count + (field.match(/\r\n/g)?.length ?? 0), 0);
}

function syntaxError(path: string, error: unknown, overcountedLines: number): unknown {
  if (error instanceof CliError || !(error instanceof Error) || !('code' in error) || !String(error.code).startsWith('CSV_')) return error;
  const counted = (error as CsvError & { lines?: number }).lines;
  const line = counted === undefined ? undefined : counted - overcountedLines;
  return new CliError(exitCodes.refused, `${path}${line === undefined ? '' : ` line ${line}`}: malformed CSV: ${error.message.replace(/ at line \d+/, '')}`, 'malformed_csv', { cause: error });
}

/** A CSV file's header and how many records follow it. */
export interface CsvSurvey {
  readonly header: readonly string[];
  readonly rows: number;
}

/**
 * Reads the whole file once before anything is imported: the header, the number of rows (for
 * the progress bar), and the syntax of every line, so a malformed file is refused whole.
 *
 * @throws CliError `refused` for an empty or malformed file; `usage` when it cannot be read.
 */
export async function surveyCsv(path: string, options: CsvReadOptions = {}): Promise<CsvSurvey> {
  let header: readonly string[] | undefined;
  let rows = 0;
  for await (const record of readCsvRecords(path, options)) {
    if (header === undefined) header = record.fields;
    else rows += 1;
  }
  if (header === undefined) throw new CliError(exitCodes.refused, `${path} is empty: it needs a header row (e.g. "email,firstName,lastName").`, 'empty_file');
  return { header, rows };
}
