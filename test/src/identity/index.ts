import { describe } from 'vitest';
import type { StoreLeg } from '../fixtures.js';
import { accountSuite } from './account-suite.js';
import { adminOperationsSuite } from './admin-operations-suite.js';
import { emailChangeSuite } from './email-change-suite.js';
import { administrationSuite } from './administration-suite.js';
import { loginSuite } from './login-suite.js';
import { outboxSuite } from './outbox-suite.js';
import { proAndProfileSuite } from './pro-and-profile-suite.js';
import { registrationSuite } from './registration-suite.js';
import { sessionSuite } from './session-suite.js';
import { usernamesSuite } from './usernames-suite.js';

/**
 * Every rule of the identity engine, through the service API, on one store. Run by each
 * store leg, so the rules hold on every database engine.
 */
export function describeIdentitySuite(leg: StoreLeg): void {
  describe(`identity engine on ${leg.name}`, () => {
    registrationSuite(leg);
    loginSuite(leg);
    sessionSuite(leg);
    accountSuite(leg);
    administrationSuite(leg);
    outboxSuite(leg);
    usernamesSuite(leg);
    proAndProfileSuite(leg);
    adminOperationsSuite(leg);
    emailChangeSuite(leg);
  });
}
