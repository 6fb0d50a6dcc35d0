import { z } from 'zod';
import { normalizeEmail } from '../email-address.js';

/** An email address, normalised (see `normalizeEmail`) and validated; at most 254 characters. */
export const emailSchema = z
  .string()
  .max(320)
  .meta({ format: 'email', examples: ['ada@example.com'] })
  .transform(normalizeEmail)
  .pipe(z.email({ message: 'must be a valid email address' }).max(254));

/** A password as typed; the policy (length, breach check) is applied by the service. */
export const passwordSchema = z.string().min(1).max(4096);

/** An opaque token from a mail or a token response. */
export const opaqueTokenSchema = z.string().min(1).max(512);

/** A user id (UUID). */
export const userIdSchema = z.uuid();

/** A username as typed; the rules (length, characters, reserved names) are the service's. */
export const usernameInputSchema = z.string().min(1).max(256).meta({ examples: ['brave-otter-4821'] });

const firstStorableInstant = new Date('0001-01-01T00:00:00.000Z');
const lastStorableInstant = new Date('9999-12-31T23:59:59.999Z');

/**
 * An instant the store can hold and compare: the years 1 to 9999, the ones ISO 8601 writes with
 * four digits (a JavaScript date reaches 275,760 years either way; PostgreSQL refuses some of
 * those, and a refusal there would be a 5xx, not an answer).
 */
export const storableDateSchema = z.date().min(firstStorableInstant, 'must be in the years 1 to 9999').max(lastStorableInstant, 'must be in the years 1 to 9999');
