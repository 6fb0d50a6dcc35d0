import { z } from 'zod';
import { userRoles } from '../auth/roles.js';

/** A comma-separated list in a query parameter. */
export const csvParam = <Values extends readonly [string, ...string[]]>(values: Values) =>
  z
    .string()
    .max(200)
    .meta({ description: `Comma-separated, any of: ${values.join(', ')}.` })
    .transform((text) => text.split(',').map((part) => part.trim()))
    .pipe(z.array(z.enum(values)).min(1));

/** `true` or `false` in a query parameter. */
export const flagParam = (description: string) =>
  z
    .enum(['true', 'false'])
    .meta({ description })
    .transform((text) => text === 'true');

/** An ISO 8601 date or date-time in a query parameter. */
export const instantParam = (description: string) =>
  z.iso
    .datetime({ offset: true })
    .or(z.iso.date())
    .meta({ description: `${description} ISO 8601 date or date-time (UTC without an offset).` })
    .transform((text) => new Date(text));

/** A whole number in a query parameter. */
export const wholeParam = (min: number, max: number, description: string) =>
  z
    .string()
    .regex(/^\d{1,6}$/)
    .meta({ description })
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

/** The user filters of a query string (`listUsers`, `exportUsers`), named as the API names them. */
export const userFilterParams = {
  q: z
    .string()
    .trim()
    .min(3)
    .max(100)
    // eslint-disable-next-line no-control-regex
    .refine((text) => !/[\u0000-\u001f\u007f]/.test(text), 'must not contain control characters')
    .meta({ description: 'Case-insensitive part of the email, username, first or last name; at least 3 characters.' })
    .optional(),
  role: csvParam(userRoles).optional(),
  status: csvParam(['active', 'locked', 'suspended'] as const).optional(),
  pro: csvParam(['none', 'pending', 'approved', 'rejected', 'revoked'] as const).optional(),
  verified: flagParam('Only verified (`true`) or unverified (`false`) email addresses.').optional(),
  createdFrom: instantParam('Created at or after.').optional(),
  createdTo: instantParam('Created at or before.').optional(),
  lastLoginFrom: instantParam('Last login at or after.').optional(),
  lastLoginTo: instantParam('Last login at or before.').optional(),
};

/** Renames the query's user filters to the service's input names. */
export function userFilterInput<Query extends { q?: string; pro?: unknown; verified?: boolean }>({ q, pro, verified, ...rest }: Query) {
  return {
    ...rest,
    ...(q !== undefined && { search: q }),
    ...(pro !== undefined && { proStatus: pro as NonNullable<Query['pro']> }),
    ...(verified !== undefined && { emailVerified: verified }),
  };
}
