import { z } from 'zod';
import type { AuditEventRecord, AuditListQuery } from '../ports/store.js';
import { storableDateSchema } from '../schemas/common.js';
import { parseInput } from '../validation.js';
import { cursorInstant, decodeCursor, invalidCursor, readPage, type PageNavigation } from './keyset-page.js';
import { authorize, resolveActor, type Caller, type ServiceDeps } from './service-deps.js';

/** An action name of the audit log, e.g. `user.role_changed`. */
export const auditActionSchema = z.string().max(64).regex(/^[a-z_]+\.[a-z_]+$/, 'is not an action name');

/** `listAuditEvents` input (service API). The HTTP query string maps onto it. */
export const listAuditEventsInputSchema = z
  .strictObject({
    /** Entries by this user. */
    actorId: z.uuid().optional(),
    /** Entries about this user. */
    targetId: z.uuid().optional(),
    /** Entries of these actions, e.g. `user.role_changed`. */
    action: z.array(auditActionSchema).min(1).max(20).optional(),
    from: storableDateSchema.optional(),
    to: storableDateSchema.optional(),
    limit: z.number().int().min(1).max(100).default(20),
    cursor: z.string().min(1).max(1024).optional(),
    page: z.number().int().min(1).max(10_000).optional(),
    includeTotal: z.boolean().default(false),
  })
  .refine((input) => !(input.cursor && input.page), { message: 'use either cursor or page, not both', path: ['page'] });
export type ListAuditEventsInput = z.input<typeof listAuditEventsInputSchema>;

/** An audit entry as the API shows it. */
export interface AuditEventView {
  readonly id: string;
  readonly at: string;
  readonly actor: { readonly id: string | null; readonly label: string };
  readonly action: string;
  readonly targetId: string | null;
  readonly before: Readonly<Record<string, unknown>> | null;
  readonly after: Readonly<Record<string, unknown>> | null;
  readonly ipAddress: string | null;
  readonly userAgent: string | null;
}

/** One page of the audit log, newest first. */
export interface AuditPage extends PageNavigation {
  readonly items: AuditEventView[];
}

const listing = 'audit';

/**
 * Lists the audit log for admins, newest first, filtered by actor, target, action and time,
 * with the same pagination as `listUsers`. Entries cannot be changed or deleted through the
 * library.
 *
 * @throws TesseraError `forbidden`, `validation_failed`.
 */
export async function listAuditEvents(deps: ServiceDeps, caller: Caller, input: ListAuditEventsInput): Promise<AuditPage> {
  const parsed = parseInput(listAuditEventsInputSchema, input);
  const acting = await resolveActor(deps, caller);
  authorize(deps, acting.actor, 'audit:read');
  const cursor = parsed.cursor === undefined ? undefined : decodeCursor(parsed.cursor, listing);
  const at = cursor ? cursorInstant(cursor.position.value) : null;
  if (cursor && !at) throw invalidCursor();
  const position = cursor && at ? { at, id: cursor.position.id } : undefined;
  const filter = {
    ...(parsed.actorId && { actorId: parsed.actorId }),
    ...(parsed.targetId && { targetId: parsed.targetId }),
    ...(parsed.action && { actions: parsed.action }),
    ...(parsed.from && { from: parsed.from }),
    ...(parsed.to && { to: parsed.to }),
  };
  const query: AuditListQuery = {
    filter,
    limit: parsed.limit + 1,
    ...(cursor?.direction === 'after' && { after: position }),
    ...(cursor?.direction === 'before' && { before: position }),
    ...(parsed.page !== undefined && { offset: (parsed.page - 1) * parsed.limit }),
  };
  const { rows, ...navigation } = await readPage(deps, {
    listing,
    limit: parsed.limit,
    page: parsed.page,
    direction: cursor?.direction,
    includeTotal: parsed.includeTotal,
    list: () => deps.store.audit.list(query),
    count: (upTo) => deps.store.audit.count(filter, { upTo }),
    positionOf: (entry) => ({ value: entry.at, id: entry.id }),
  });
  return { items: rows.map(toAuditEventView), ...navigation };
}

function toAuditEventView(entry: AuditEventRecord): AuditEventView {
  return {
    id: entry.id,
    at: entry.at.toISOString(),
    actor: { id: entry.actorId, label: entry.actorLabel },
    action: entry.action,
    targetId: entry.targetId,
    before: entry.before,
    after: entry.after,
    ipAddress: entry.ipAddress,
    userAgent: entry.userAgent,
  };
}
