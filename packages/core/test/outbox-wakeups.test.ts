import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestTessera, createVerifiedUser, expectTesseraError, goodPassword, pgMemLeg, uniqueEmail } from '../../../test/src/index.js';

// A running dispatcher is woken after a commit so that mail goes out at once instead of at the
// next poll; a transaction that enqueued nothing (a login, a profile edit) must not wake it:
// each wake-up is a claim query against the outbox.
const leg = pgMemLeg();
afterEach(() => leg.close());

describe('waking the outbox dispatcher', () => {
  it('wakes it after a transaction that enqueued events, and only then', async () => {
    const t = await createTestTessera(await leg.open(), { lockout: { maxFailedAttempts: 2 } });
    const user = await createVerifiedUser(t);
    const nudge = vi.spyOn(t.tessera.outbox, 'nudge');

    await t.tessera.api.login({ email: user.email, password: goodPassword });
    await t.tessera.api.login({ email: user.email, password: goodPassword });
    expect(nudge).not.toHaveBeenCalled();

    await t.tessera.api.register({ email: uniqueEmail(), password: goodPassword });
    expect(nudge).toHaveBeenCalledTimes(1);

    // The first failure only counts; the second locks the account and publishes user.account_locked.
    await expectTesseraError(t.tessera.api.login({ email: user.email, password: `${goodPassword}-wrong` }), 'invalid_credentials');
    expect(nudge).toHaveBeenCalledTimes(1);
    await expectTesseraError(t.tessera.api.login({ email: user.email, password: `${goodPassword}-wrong` }), 'account_locked');
    expect(nudge).toHaveBeenCalledTimes(2);
    await t.deliver();
    expect(t.events.received.map((event) => event.type)).toContain('user.account_locked');
  });
});
