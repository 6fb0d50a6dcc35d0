import { expect, it } from 'vitest';
import { createTestTessera, goodPassword, uniqueEmail } from '../fixtures.js';
import { createVerifiedUser } from '../identity/helpers.js';
import type { HttpSuiteContext } from './contract.js';
import { expectProblem, send } from './requests.js';

/** What registering a taken address answers: a clear 409 by default, or nothing to tell apart in `notify` mode. */
export function registrationModesSuite(context: HttpSuiteContext): void {
  it('answers a taken address with 409 email_taken by default', async () => {
    const { app, t } = context;
    const owner = await createVerifiedUser(t);
    await expectProblem(await send(app, 'POST', '/auth/register', { json: { email: owner.email, password: goodPassword } }), 409, 'email_taken');
  });

  it('in notify mode answers a taken address exactly as a free one, for the same work, and mails the owner a notice instead', async () => {
    const t = await createTestTessera(context.store, { registration: { existingEmail: 'notify' }, rateLimits: { enabled: true, mailPerAccount: { limit: 2, windowSeconds: 3600 } } });
    const app = await context.remount(t.tessera);
    const owner = await createVerifiedUser(t);
    const register = async (email: string) => {
      const hashesBefore = t.hasher.hashes;
      const response = await send(app, 'POST', '/auth/register', { json: { email, password: goodPassword } });
      return { status: response.status, type: response.headers.get('content-type'), body: await response.text(), hashes: t.hasher.hashes - hashesBefore };
    };
    const fresh = uniqueEmail('fresh');
    const asNew = await register(fresh);
    const asTaken = await register(owner.email);
    expect(asTaken).toEqual(asNew);
    expect(asNew).toMatchObject({ status: 202, body: JSON.stringify({ status: 'check_your_mail' }), hashes: 1 });

    await t.deliver();
    expect(t.events.ofType('user.registered', fresh)).toHaveLength(1);
    expect(t.events.ofType('user.registration_attempted', owner.email)).toHaveLength(1);
    expect(t.events.ofType('user.registered', owner.email)).toHaveLength(1);
    expect((await t.tessera.api.listUsers({ operator: 'test' }, { search: owner.email })).items).toHaveLength(1);

    // The owner's mailbox cannot be flooded through the form: past the per-account limit, nothing more is sent.
    for (let attempt = 0; attempt < 3; attempt += 1) expect((await register(owner.email)).status).toBe(202);
    await t.deliver();
    expect(t.events.ofType('user.registration_attempted', owner.email)).toHaveLength(2);
    // Other refusals stay what they are.
    await expectProblem(await send(app, 'POST', '/auth/register', { json: { email: uniqueEmail(), password: 'short' } }), 400, 'weak_password');
  });
}
