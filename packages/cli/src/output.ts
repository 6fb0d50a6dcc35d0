import { once } from 'node:events';
import type { CliIo } from './cli-io.js';

/**
 * Where a command's words go: results to stdout (one JSON document with `--json`, text
 * otherwise), notes and warnings to stderr, so stdout stays clean for a pipe.
 */
export class Output {
  readonly #io: CliIo;
  /** Whether `--json` was given: machine-readable results, no progress bars, no colours. */
  readonly json: boolean;

  constructor(io: CliIo, json: boolean) {
    this.#io = io;
    this.json = json;
  }

  /** Writes a command's result: `data` as one JSON document with `--json`, `text()` otherwise. */
  result(data: unknown, text: () => string): void {
    this.#io.stdout.write(this.json ? `${JSON.stringify(data, null, 2)}\n` : withNewline(text()));
  }

  /** A line for a person, on stderr (kept out of a piped result). */
  note(message: string): void {
    this.#io.stderr.write(withNewline(message));
  }

  /** A warning on stderr, also with `--json`. */
  warn(message: string): void {
    this.#io.stderr.write(withNewline(`warning: ${message}`));
  }

  /** Writes a chunk of streamed data to stdout, waiting while the reader is behind. */
  async write(chunk: string): Promise<void> {
    if (!this.#io.stdout.write(chunk)) await once(this.#io.stdout, 'drain');
  }
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
