/**
 * Writes docs/openapi.json from the route table (run: `pnpm openapi:write`). A test fails
 * when the committed document drifts from the code.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { referenceOpenApiDocument } from '../packages/core/test/reference-openapi.js';

const target = fileURLToPath(new URL('../docs/openapi.json', import.meta.url));
writeFileSync(target, `${JSON.stringify(await referenceOpenApiDocument(), null, 2)}\n`);
console.log(`wrote ${target}`);
