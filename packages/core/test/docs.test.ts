import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { errorTable } from '../src/errors.js';
import { tesseraOptionsSchema } from '../src/options.js';

const docs = join(import.meta.dirname, '..', '..', '..', 'docs');

/** Every option path of a zod object schema, e.g. `tokens.keys[].kid`. */
function optionPaths(schema: z.core.$ZodType, prefix = ''): string[] {
  const def = schema._zod.def as { type: string; innerType?: z.core.$ZodType; in?: z.core.$ZodType; element?: z.core.$ZodType; shape?: Record<string, z.core.$ZodType> };
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nullable':
      return optionPaths(def.innerType!, prefix);
    case 'pipe':
      return optionPaths(def.in!, prefix);
    case 'array':
      return def.element!._zod.def.type === 'object' ? optionPaths(def.element!, `${prefix}[]`) : [];
    case 'object':
      return Object.entries(def.shape!).flatMap(([key, value]) => {
        const path = prefix ? `${prefix}.${key}` : key;
        const nested = optionPaths(value, path);
        // A JWK is documented as one value, not field by field.
        return nested.length > 0 && !path.endsWith('.jwk') ? nested : [path];
      });
    default:
      return [];
  }
}

describe('the documentation', () => {
  it('documents every option of the options schema in docs/configuration.md', () => {
    const page = readFileSync(join(docs, 'configuration.md'), 'utf8');
    const paths = optionPaths(tesseraOptionsSchema);
    expect(paths).toContain('tokens.keys[].kid');
    expect(paths).toContain('lockout.maxLockSeconds');
    const missing = paths.filter((path) => !page.includes(`\`${path}\``));
    expect(missing).toEqual([]);
  });

  it('lists every error code with its HTTP status in docs/errors.md', () => {
    const page = readFileSync(join(docs, 'errors.md'), 'utf8');
    const missing = Object.entries(errorTable)
      .filter(([code, { status }]) => !page.includes(`| \`${code}\` | ${status} |`))
      .map(([code]) => code);
    expect(missing).toEqual([]);
  });
});
