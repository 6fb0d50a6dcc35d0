import type { z } from 'zod';
import { TesseraError, type FieldIssue } from './errors.js';

/** The most field issues one refusal lists: a body of thousands of unknown keys gets a short answer. */
export const maxFieldIssues = 50;

/** The longest key an unknown-key issue repeats; a longer one is cut and ends in `…`. */
const maxEchoedKeyLength = 64;

/** Turns a zod issue into Tessera's field issues (one per unknown key). */
export function toFieldIssues(issue: z.core.$ZodIssue): FieldIssue[] {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const shown = key.length > maxEchoedKeyLength ? `${key.slice(0, maxEchoedKeyLength)}…` : key;
      return { path: path ? `${path}.${shown}` : shown, code: 'unrecognized_key', message: 'is not allowed here' };
    });
  }
  return [{ path, code: issue.code, message: issue.message }];
}

/**
 * Validates input against a schema: every service does this, so the service API and the HTTP
 * handler refuse the same things in the same words.
 *
 * @throws TesseraError `validation_failed` with one field issue per problem (the first
 * {@link maxFieldIssues}).
 */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new TesseraError('validation_failed', undefined, { details: { fields: result.error.issues.flatMap(toFieldIssues).slice(0, maxFieldIssues) } });
}
