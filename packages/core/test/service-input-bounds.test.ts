import { afterEach, describe, expect, it } from 'vitest';
import { createTestTessera, expectTesseraError, pgMemLeg } from '../../../test/src/index.js';

// The HTTP layer parses query strings into these shapes; the service API and the CLI hand them
// over directly. Whatever reaches the store must be something it can hold: a refusal there
// would be a 5xx, not an answer naming the field.
const leg = pgMemLeg();
afterEach(() => leg.close());
const operator = { operator: 'bounds-test' };

describe('service inputs the store could not take', () => {
  it('refuses dates outside the years 1 to 9999 in listings, naming the field', async () => {
    const t = await createTestTessera(await leg.open());
    const farFuture = new Date(8.64e15);
    const yearZero = new Date('0000-06-01T00:00:00.000Z');
    const cases: Array<[string, Promise<unknown>]> = [
      ['createdFrom', t.tessera.api.listUsers(operator, { createdFrom: farFuture })],
      ['lastLoginTo', t.tessera.api.listUsers(operator, { lastLoginTo: yearZero })],
      ['createdTo', t.tessera.api.countUsers(operator, { createdTo: farFuture })],
      ['from', t.tessera.api.listAuditEvents(operator, { from: yearZero })],
      ['to', t.tessera.api.listAuditEvents(operator, { to: farFuture })],
    ];
    for (const [field, call] of cases) {
      const error = await expectTesseraError(call, 'validation_failed');
      expect(error.details).toMatchObject({ fields: [{ path: field, message: 'must be in the years 1 to 9999' }] });
    }
    const edges = { createdFrom: new Date('0001-01-01T00:00:00.000Z'), createdTo: new Date('9999-12-31T23:59:59.999Z') };
    expect((await t.tessera.api.listUsers(operator, edges)).items).toEqual([]);
  });

  it('refuses audit action filters that are not action names', async () => {
    const t = await createTestTessera(await leg.open());
    for (const action of ['user.role\u0000changed', 'USER.LOCKED', 'user', `user.${'x'.repeat(80)}`, '']) {
      const error = await expectTesseraError(t.tessera.api.listAuditEvents(operator, { action: [action] }), 'validation_failed');
      expect(error.details).toMatchObject({ fields: [{ path: 'action.0' }] });
    }
    expect((await t.tessera.api.listAuditEvents(operator, { action: ['user.role_changed'] })).items).toEqual([]);
  });
});
