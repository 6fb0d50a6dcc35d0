import { z } from 'zod';
import { auditActionSchema, listAuditEventsInputSchema } from '../../services/audit-listing.js';
import { auditPageSchema } from '../http-schemas.js';
import { pageLinks } from '../page-links.js';
import { flagParam, instantParam, wholeParam } from '../query-params.js';
import { defineRoute, type AnyRoute } from '../route.js';

const auditActions = [
  'user.created',
  'user.updated',
  'user.deleted',
  'user.role_changed',
  'user.locked',
  'user.unlocked',
  'user.suspended',
  'user.reactivated',
  'user.password_reset_started',
  'pro.requested',
  'pro.approved',
  'pro.rejected',
  'pro.revoked',
] as const;

/** The query string of `listAuditEvents`, mapped onto the service's input. */
const listAuditEventsQuerySchema = z
  .strictObject({
    actor: z.uuid().meta({ description: 'Entries by this user (id).' }).optional(),
    target: z.uuid().meta({ description: 'Entries about this user (id).' }).optional(),
    action: z
      .string()
      .max(500)
      .meta({ description: `Comma-separated actions, e.g. ${auditActions.join(', ')}.` })
      .transform((text) => text.split(',').map((part) => part.trim()))
      .pipe(z.array(auditActionSchema).min(1).max(20))
      .optional(),
    from: instantParam('At or after.').optional(),
    to: instantParam('At or before.').optional(),
    limit: wholeParam(1, 100, 'Entries per page, 1–100 (default 20).').optional(),
    cursor: z.string().max(1024).meta({ description: '`nextCursor` or `prevCursor` of a previous page.' }).optional(),
    page: wholeParam(1, 10_000, 'Page number (not with `cursor`).').optional(),
    total: flagParam('Also count every matching entry.').optional(),
  })
  .transform(({ actor, target, total, ...rest }) => ({
    ...rest,
    ...(actor !== undefined && { actorId: actor }),
    ...(target !== undefined && { targetId: target }),
    ...(total !== undefined && { includeTotal: total }),
  }))
  .pipe(listAuditEventsInputSchema);

/** The audit log, for admins. */
export const auditRoutes: AnyRoute[] = [
  defineRoute({
    operationId: 'listAuditEvents',
    method: 'GET',
    path: '/audit-events',
    tags: ['Audit'],
    summary: 'List the audit log',
    description: 'Every administrative action, newest first: actor, target, action, before and after, time, IP and user agent. Read-only.',
    auth: 'bearer',
    query: listAuditEventsQuerySchema,
    responses: { 200: { description: 'A page of audit entries.', schema: auditPageSchema } },
    errors: ['validation_failed', 'unauthenticated', 'forbidden'],
    handle: async ({ deps, principal, basePath, query, url }) => {
      const page = await deps.api.listAuditEvents(principal, query);
      return {
        status: 200,
        body: {
          items: page.items,
          page: { limit: page.limit, number: page.page, nextCursor: page.nextCursor, prevCursor: page.prevCursor, total: page.total, totalIsExact: page.totalIsExact },
          _links: pageLinks(`${basePath}/audit-events`, url, page),
        },
      };
    },
  }),
];
