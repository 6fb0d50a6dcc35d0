import { describeStoreContract, pgliteLeg } from '../src/index.js';

// The embedded default runs the storage contract; the identity rules above the store are the
// same code on every engine and run on pg-mem and Postgres.
describeStoreContract(pgliteLeg());
