import { afterEach, describe, expect, it } from 'vitest';
import { createTestTessera, expectTesseraError, pgMemLeg, signIn } from '../../../test/src/index.js';

// The cache remembers what a token says; whether its session still stands is the store's to
// say. These tests hold the two apart on a real (pg-mem) store with the testkit's manual clock.
const leg = pgMemLeg();
afterEach(() => leg.close());

describe('the verified-token cache and revocation', () => {
  it('still refuses a remembered token once the user is locked (sessions revoked)', async () => {
    const t = await createTestTessera(await leg.open());
    const { user, tokens } = await signIn(t);
    const principal = await t.tessera.verifyAccessToken(tokens.accessToken);
    expect(await t.tessera.api.getMe(principal!)).toMatchObject({ id: user.id });
    t.clock.advance(1);
    await t.tessera.api.lockUser({ operator: 'test' }, user.id);
    const remembered = await t.tessera.verifyAccessToken(tokens.accessToken);
    expect(remembered).toEqual(principal);
    await expectTesseraError(t.tessera.api.getMe(remembered!), 'unauthenticated');
    const response = await t.tessera.handler(new Request('http://app.test/me', { headers: { authorization: `Bearer ${tokens.accessToken}` } }));
    expect(response.status).toBe(401);
  });

  it('refuses a remembered token once its lifetime and the clock tolerance have passed', async () => {
    const t = await createTestTessera(await leg.open());
    const { tokens } = await signIn(t);
    const me = () => t.tessera.handler(new Request('http://app.test/me', { headers: { authorization: `Bearer ${tokens.accessToken}` } }));
    expect((await me()).status).toBe(200);
    t.clock.advance(900 + 29);
    expect(await t.tessera.verifyAccessToken(tokens.accessToken)).not.toBeNull();
    t.clock.advance(1);
    expect(await t.tessera.verifyAccessToken(tokens.accessToken)).toBeNull();
    expect((await me()).status).toBe(401);
  });
});
