import { describe } from 'vitest';
import { mountBare } from '../src/http/bare-mount.js';
import { postgresLeg } from '../src/legs.js';
import { postgresAvailable } from '../src/postgres.js';
import { describeFuzz } from './support/describe-fuzz.js';

const available = await postgresAvailable();

// pg-mem takes what PostgreSQL refuses (NUL in text, years it cannot store): the core handler
// is fuzzed on the real database too. Skipped only when no PostgreSQL server is reachable
// locally; with CI=true that fails instead.
describe.skipIf(!available)('on PostgreSQL', () => {
  describeFuzz({ framework: 'core', mount: mountBare, leg: postgresLeg() });
});
