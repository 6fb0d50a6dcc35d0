/**
 * `@tessera/testkit`: the contract suites every store (and, later, every adapter) runs, and
 * the fixtures they share. Private to the workspace.
 */
export { describeStoreContract } from './store-contract.js';
export { describeIdentitySuite } from './identity/index.js';
export { createVerifiedUser, expectTesseraError, mailedToken, signIn, type SignedIn } from './identity/helpers.js';
export {
  CapturingConsumer,
  CountingHasher,
  createTestTessera,
  goodPassword,
  ManualClock,
  productionHasher,
  testSigningKey,
  uniqueEmail,
  type StoreLeg,
  type TestTessera,
} from './fixtures.js';
export { checkPostgres, createTestDatabase, postgresAdminUrl, postgresAvailable, type TestDatabase } from './postgres.js';
export { pgliteLeg, pgMemLeg, postgresLeg } from './legs.js';
export { chunkedBody } from './http/requests.js';
export { addressesOf, SmtpTestServer, tokenInMail, type ReceivedMessage, type SmtpTestServerOptions } from './smtp-test-server.js';
export { describeHttpContract, type HttpContractOptions, type HttpMount, type HttpSuiteContext, type MountApp } from './http/contract.js';
