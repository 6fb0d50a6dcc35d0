import { describeHttpContract, pgMemLeg, postgresAvailable, postgresLeg } from '@tessera/testkit';
import { describe } from 'vitest';
import { mountExpress } from './mount-express.js';

const available = await postgresAvailable();

describeHttpContract({ framework: 'express', leg: pgMemLeg(), mount: mountExpress });

// Skipped only when no PostgreSQL server is reachable locally; with CI=true that fails instead.
describe.skipIf(!available)('PostgreSQL', () => {
  describeHttpContract({ framework: 'express', leg: postgresLeg(), mount: mountExpress });
});
