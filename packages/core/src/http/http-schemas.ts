import { z } from 'zod';
import { errorCodes } from '../errors.js';
import { sessionTokensSchema } from '../schemas/account.js';
import { adminUserViewSchema, userViewSchema } from '../schemas/user-view.js';
import { userSortValues } from '../services/user-listing.js';
import { linksSchema } from './links.js';

/**
 * The schemas that become named components of the OpenAPI document. A registry of our own
 * (not zod's global one, whose ids must be unique per process).
 */
export const openApiComponents = z.registry<{ id: string }>();

function named<Schema extends z.ZodType>(schema: Schema, id: string): Schema {
  openApiComponents.add(schema, { id });
  return schema;
}

named(userViewSchema, 'UserView');
named(sessionTokensSchema, 'SessionTokens');

/** RFC 9457 problem details, as every error response carries them. */
export const problemSchema = named(z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.enum(errorCodes),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })).optional(),
    retryAfterSeconds: z.number().int().optional(),
  })
  .meta({ description: 'RFC 9457 problem details with a stable `code`.' }), 'Problem');

/** The caller's own account, with links to what it can do. */
export const userResourceSchema = named(userViewSchema.extend({ _links: linksSchema }), 'User');

/** A user as managers and admins see it, with links to the actions the caller may take. */
export const adminUserResourceSchema = named(adminUserViewSchema.extend({ _links: linksSchema }), 'AdminUser');

/** A page of users. */
export const userPageSchema = named(z
  .object({
    items: z.array(adminUserResourceSchema),
    page: z.object({
      limit: z.number().int(),
      number: z.number().int().nullable(),
      sort: z.enum(userSortValues),
      nextCursor: z.string().nullable(),
      prevCursor: z.string().nullable(),
      total: z.number().int().nullable().meta({ description: 'With `total=true`: the matching rows, counted up to the `listing.totalUpTo` option.' }),
      totalIsExact: z.boolean().nullable().meta({ description: '`false` when counting stopped at `listing.totalUpTo`: more than `total` match.' }),
    }),
    _links: linksSchema,
  })
  , 'UserPage');

/** What `countUsers` answers. */
export const userCountSchema = named(z.object({ count: z.number().int().min(0) }), 'UserCount');

/** What `health` answers. */
export const healthSchema = named(z
  .object({
    status: z.enum(['ok', 'degraded']),
    checks: z.record(z.string(), z.object({ status: z.enum(['ok', 'failing']), latencyMs: z.number().optional() })),
  })
  , 'Health');

/** An OAuth 2.0 token response (RFC 6749 §5.1). */
export const oauthTokenResponseSchema = named(z
  .object({
    access_token: z.string(),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int(),
    refresh_token: z.string(),
  })
  , 'OAuthTokenResponse');

/** An OAuth 2.0 error (RFC 6749 §5.2), which is also a problem details object. */
export const oauthErrorSchema = named(problemSchema
  .extend({
    error: z.enum(['invalid_request', 'invalid_grant', 'unsupported_grant_type']),
    error_description: z.string(),
  })
  , 'OAuthError');

/** An audit entry. */
export const auditEventSchema = named(
  z.object({
    id: z.uuid(),
    at: z.iso.datetime(),
    actor: z.object({ id: z.uuid().nullable(), label: z.string() }),
    action: z.string(),
    targetId: z.uuid().nullable(),
    before: z.record(z.string(), z.unknown()).nullable(),
    after: z.record(z.string(), z.unknown()).nullable(),
    ipAddress: z.string().nullable(),
    userAgent: z.string().nullable(),
  }),
  'AuditEvent',
);

/** A page of the audit log. */
export const auditPageSchema = named(
  z.object({
    items: z.array(auditEventSchema),
    page: z.object({
      limit: z.number().int(),
      number: z.number().int().nullable(),
      nextCursor: z.string().nullable(),
      prevCursor: z.string().nullable(),
      total: z.number().int().nullable().meta({ description: 'With `total=true`: the matching rows, counted up to the `listing.totalUpTo` option.' }),
      totalIsExact: z.boolean().nullable().meta({ description: '`false` when counting stopped at `listing.totalUpTo`: more than `total` match.' }),
    }),
    _links: linksSchema,
  }),
  'AuditPage',
);

/** Per-user results of a bulk action. */
export const bulkResultsSchema = named(
  z.object({
    results: z.array(
      z.union([
        z.object({ id: z.string(), ok: z.literal(true), user: adminUserViewSchema.nullable() }),
        z.object({ id: z.string(), ok: z.literal(false), code: z.enum(errorCodes), message: z.string() }),
      ]),
    ),
  }),
  'BulkResults',
);
