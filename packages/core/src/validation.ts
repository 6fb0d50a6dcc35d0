import type { z } from 'zod';
import { TesseraError, type FieldIssue } from './errors.js';

/** Turns a zod issue into Tessera's field issues (one per unknown key). */
export function toFieldIssues(issue: z.core.$ZodIssue): FieldIssue[] {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: path ? `${path}.${key}` : key, code: 'unrecognized_key', message: 'is not allowed here' }));
  }
  return [{ path, code: issue.code, message: issue.message }];
}

/**
 * Validates input against a schema: every service does this, so the service API and the HTTP
 * handler refuse the same things in the same words.
 *
 * @throws TesseraError `validation_failed` with one field issue per problem.
 */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new TesseraError('validation_failed', undefined, { details: { fields: result.error.issues.flatMap(toFieldIssues) } });
}
