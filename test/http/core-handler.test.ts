import { describe } from 'vitest';
import { mountBare } from '../src/http/bare-mount.js';
import { describeHttpContract, pgMemLeg, postgresAvailable, postgresLeg } from '../src/index.js';

const available = await postgresAvailable();

describeHttpContract({ framework: 'core', leg: pgMemLeg(), mount: mountBare });

// Skipped only when no PostgreSQL server is reachable locally; with CI=true that fails instead.
describe.skipIf(!available)('on PostgreSQL', () => {
  describeHttpContract({ framework: 'core', leg: postgresLeg(), mount: mountBare });
});
