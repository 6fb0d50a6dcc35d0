import { csvRow, type AdminUserView } from '@tessera/core';
import type { CommandContext } from '../command-context.js';
import type { ExportUsersOptions } from '../commands/export-command.js';
import { openFileSink } from '../open-file-sink.js';
import { userFilterInput } from '../user-filter-options.js';
import { withSession } from '../with-session.js';

/** The columns of the API's CSV export (`GET /users/export`), in its order. */
const csvColumns = ['id', 'email', 'username', 'role', 'status', 'emailVerified', 'proStatus', 'firstName', 'lastName', 'location', 'createdAt', 'lastLoginAt'] as const;

function csvCells(user: AdminUserView): Array<string | boolean | null> {
  return [user.id, user.email, user.username, user.role, user.status, user.emailVerified, user.pro.status, user.profile.firstName, user.profile.lastName, user.profile.location, user.createdAt, user.lastLoginAt];
}

/**
 * Streams `tessera.api.exportUsers` (keyset batches: memory stays flat) as CSV through core's
 * `csvRow`, a JSON array, or NDJSON, to a file or stdout.
 */
export async function exportUsers(context: CommandContext, options: ExportUsersOptions): Promise<void> {
  const format = options.format ?? formatOfFile(options.output) ?? (context.output.json && options.output === undefined ? 'json' : 'csv');
  await withSession(context, { queuesSecretMail: false }, async ({ tessera, caller, output }) => {
    const users = tessera.api.exportUsers(caller, { sort: 'createdAt', ...userFilterInput(options) })[Symbol.asyncIterator]();
    // The first user is read before anything is written, so a refusal leaves no empty file behind.
    let next = await users.next();
    const sink = options.output === undefined ? { write: (chunk: string) => output.write(chunk), close: async () => undefined } : await openFileSink(options.output);
    let count = 0;
    try {
      await sink.write(format === 'csv' ? csvRow(csvColumns) : format === 'json' ? '[' : '');
      for (; !next.done; next = await users.next()) {
        const user = next.value;
        await sink.write(format === 'csv' ? csvRow(csvCells(user)) : format === 'json' ? `${count === 0 ? '' : ','}\n${JSON.stringify(user)}` : `${JSON.stringify(user)}\n`);
        count += 1;
      }
      if (format === 'json') await sink.write(count === 0 ? ']\n' : '\n]\n');
    } finally {
      await sink.close();
    }
    if (options.output !== undefined) {
      output.result({ exported: count, format, output: options.output }, () => `Exported ${count} user${count === 1 ? '' : 's'} to ${options.output} (${format}).`);
    } else if (context.io.isTTY) {
      output.note(`Exported ${count} user${count === 1 ? '' : 's'}.`);
    }
  });
}

/** The format a file name asks for: `.json`, `.ndjson` / `.jsonl`, `.csv`. */
function formatOfFile(path: string | undefined): ExportUsersOptions['format'] {
  const extension = path?.toLowerCase().match(/\.(json|ndjson|jsonl|csv)$/)?.[1];
  return extension === 'jsonl' ? 'ndjson' : (extension as ExportUsersOptions['format']);
}
