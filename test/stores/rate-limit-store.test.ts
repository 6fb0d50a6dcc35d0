import { describe } from 'vitest';
import { postgresAvailable } from '../src/index.js';
import { describeRateLimitStoreContract } from './rate-limit-store-contract.js';
import { memoryLeg, pgliteRateLimitLeg, pgMemRateLimitLeg, postgresRateLimitLeg, redisAvailable, redisRateLimitLeg } from './rate-limit-store-legs.js';

// With CI=true an unreachable PostgreSQL or Redis fails here; locally its leg is skipped with a notice.
const [postgres, redis] = await Promise.all([postgresAvailable(), redisAvailable()]);

describeRateLimitStoreContract(memoryLeg());
describeRateLimitStoreContract(pgMemRateLimitLeg());
describeRateLimitStoreContract(pgliteRateLimitLeg());

describe.skipIf(!postgres)('PostgreSQL leg', () => {
  describeRateLimitStoreContract(postgresRateLimitLeg());
});

describe.skipIf(!redis)('Redis leg', () => {
  describeRateLimitStoreContract(redisRateLimitLeg());
});
