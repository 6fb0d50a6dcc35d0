import { z } from 'zod';
import { bulkUsersInputSchema, exportUsersInputSchema } from '../../services/account-actions.js';
import { userSortValues } from '../../services/user-listing.js';
import type { AdminUserView } from '../../schemas/user-view.js';
import { csvRow } from '../csv.js';
import { bulkResultsSchema } from '../http-schemas.js';
import { userFilterInput, userFilterParams } from '../query-params.js';
import { defineRoute, type AnyRoute } from '../route.js';

const tags = ['Users'];

const exportQuerySchema = z
  .strictObject({
    ...userFilterParams,
    format: z.enum(['csv', 'json']).meta({ description: '`csv` (default) or `json`.' }).optional(),
    sort: z.enum(userSortValues).meta({ description: 'Default `createdAt` (oldest first).' }).optional(),
  })
  .transform(({ format, ...rest }) => ({ format: format ?? 'csv', ...userFilterInput(rest) }))
  .pipe(exportUsersInputSchema.extend({ format: z.enum(['csv', 'json']) }));

/** The columns of the CSV export. */
const csvColumns = ['id', 'email', 'username', 'role', 'status', 'emailVerified', 'proStatus', 'firstName', 'lastName', 'location', 'createdAt', 'lastLoginAt'] as const;

function csvCells(user: AdminUserView): Array<string | boolean | null> {
  return [user.id, user.email, user.username, user.role, user.status, user.emailVerified, user.pro.status, user.profile.firstName, user.profile.lastName, user.profile.location, user.createdAt, user.lastLoginAt];
}

/** Bulk actions and the export. */
export const userBulkRoutes: AnyRoute[] = [
  defineRoute({
    operationId: 'bulkUsers',
    method: 'POST',
    path: '/users/bulk',
    tags,
    summary: 'Apply one action to up to 100 users',
    description: 'Each user is handled on its own (permission check, transaction, audit entry); the answer lists the outcome per id.',
    auth: 'bearer',
    body: { schema: bulkUsersInputSchema, formats: ['json'], example: { action: 'lock', ids: ['01a2…'] } },
    responses: { 200: { description: 'The outcome for each id.', schema: bulkResultsSchema } },
    errors: ['validation_failed', 'unauthenticated'],
    handle: async ({ deps, principal, body, meta }) => ({ status: 200, body: { results: await deps.api.bulkUsers(principal, body, meta) } }),
  }),
  defineRoute({
    operationId: 'exportUsers',
    method: 'GET',
    path: '/users/export',
    tags,
    summary: 'Export users as CSV or JSON',
    description: 'Streams every user matching the filters (memory stays flat however many). CSV cells that a spreadsheet would read as a formula are escaped.',
    auth: 'bearer',
    query: exportQuerySchema,
    responses: {
      200: { description: 'The users, streamed: `text/csv` or a JSON array.', mediaType: 'text/csv', headers: { 'Content-Disposition': 'attachment; filename="users-<date>.<format>"' } },
    },
    errors: ['validation_failed', 'unauthenticated', 'forbidden'],
    handle: async ({ deps, principal, query }) => {
      const { format, ...input } = query;
      const users = deps.api.exportUsers(principal, input)[Symbol.asyncIterator]();
      // The first user is read before answering, so a refusal is still a proper problem response.
      const first = await users.next();
      const isCsv = format === 'csv';
      const encoder = new TextEncoder();
      let started = false;
      const stream = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (!started) {
            started = true;
            controller.enqueue(encoder.encode(isCsv ? csvRow(csvColumns) : '['));
            if (first.done) return finish(controller);
            controller.enqueue(encoder.encode(isCsv ? csvRow(csvCells(first.value)) : `\n${JSON.stringify(first.value)}`));
            return;
          }
          const next = await users.next();
          if (next.done) return finish(controller);
          controller.enqueue(encoder.encode(isCsv ? csvRow(csvCells(next.value)) : `,\n${JSON.stringify(next.value)}`));
        },
        async cancel() {
          await users.return?.(undefined);
        },
      });
      const finish = (controller: ReadableStreamDefaultController<Uint8Array>) => {
        if (!isCsv) controller.enqueue(encoder.encode('\n]\n'));
        controller.close();
      };
      const date = new Date().toISOString().slice(0, 10);
      return {
        status: 200,
        headers: {
          'content-type': isCsv ? 'text/csv; charset=utf-8' : 'application/json',
          'content-disposition': `attachment; filename="users-${date}.${format}"`,
        },
        body: stream,
      };
    },
  }),
];
