import { openFileSink, type FileSink } from '../open-file-sink.js';
import { csvLine } from './csv-line.js';
import type { ColumnMapping } from './map-columns.js';

/** A rejected row as written to the rejects file. */
export interface RejectedRow {
  readonly line: number;
  readonly reason: string;
  readonly fields: readonly string[];
}

/**
 * The rejects file: the line, the reason, then the row's own cells under the file's own
 * header, so it can be fixed and imported again. Password cells are left empty: a password
 * is never written anywhere but the temporary-passwords file.
 */
export class RejectsFile {
  readonly #sink: FileSink;
  readonly #passwordColumns: readonly number[];

  private constructor(sink: FileSink, passwordColumns: readonly number[]) {
    this.#sink = sink;
    this.#passwordColumns = passwordColumns;
  }

  /** Creates the file (mode 0600) and writes its header. */
  static async create(path: string, mapping: ColumnMapping): Promise<RejectsFile> {
    const sink = await openFileSink(path);
    await sink.write(csvLine(['line', 'reason', ...mapping.header]));
    return new RejectsFile(sink, mapping.fields.flatMap((field, index) => (field === 'password' ? [index] : [])));
  }

  /** Appends a rejected row (in file order: the import reports outcomes in order). */
  async add(row: RejectedRow): Promise<void> {
    const cells = row.fields.map((cell, index) => (this.#passwordColumns.includes(index) ? '' : cell));
    await this.#sink.write(csvLine([row.line, row.reason, ...cells]));
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    await this.#sink.close();
  }
}
