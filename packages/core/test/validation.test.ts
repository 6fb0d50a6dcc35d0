import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { TesseraError } from '../src/errors.js';
import { maxFieldIssues, parseInput } from '../src/validation.js';

const refusal = (schema: z.ZodType, input: unknown) => {
  try {
    parseInput(schema, input);
  } catch (error) {
    if (error instanceof TesseraError) return { fields: error.details?.fields ?? [] };
  }
  throw new Error('expected a validation_failed refusal');
};

describe('validation refusals', () => {
  it('lists at most 50 field issues, however many unknown keys come', () => {
    const input = Object.fromEntries(Array.from({ length: 5000 }, (_, index) => [`k${index}`, 1]));
    const { fields } = refusal(z.strictObject({ name: z.string().optional() }), input);
    expect(maxFieldIssues).toBe(50);
    expect(fields).toHaveLength(50);
    expect(fields[0]).toEqual({ path: 'k0', code: 'unrecognized_key', message: 'is not allowed here' });
  });

  it('repeats at most 64 characters of an unknown key', () => {
    const key = 'x'.repeat(10_000);
    const { fields } = refusal(z.strictObject({ inner: z.strictObject({}) }), { inner: { [key]: 1 } });
    expect(fields).toEqual([{ path: `inner.${'x'.repeat(64)}…`, code: 'unrecognized_key', message: 'is not allowed here' }]);
    const short = refusal(z.strictObject({}), { ['y'.repeat(64)]: 1 });
    expect(short.fields[0]?.path).toBe('y'.repeat(64));
  });
});
