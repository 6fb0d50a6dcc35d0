import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/**
 * Asks a question and reads one line of the answer; resolves `''` when the input ends first.
 */
export async function readLine(input: Readable, output: Writable, question: string): Promise<string> {
  output.write(question);
  const lines = createInterface({ input, terminal: false, crlfDelay: Infinity });
  try {
    return await new Promise<string>((resolve) => {
      lines.once('line', resolve);
      lines.once('close', () => resolve(''));
    });
  } finally {
    lines.close();
  }
}
