import { afterEach, describe, expect, it } from 'vitest';
import { createTestTessera, pgMemLeg, signIn } from '../../../test/src/index.js';
import { bearerToken } from '../src/http/handler.js';

// The guard reads the header without a pattern over the token (a remembered token is found by
// its exact string); these tests pin that what it accepts is what the bearer syntax allows.
const leg = pgMemLeg();
afterEach(() => leg.close());

describe('bearer authentication', () => {
  it('bearerToken reads RFC 6750 credentials and nothing else', () => {
    expect(bearerToken('Bearer abc.DEF-_~+/.x==')).toBe('abc.DEF-_~+/.x==');
    expect(bearerToken('  bearer    abc  ')).toBe('abc');
    expect(bearerToken('BEARER abc')).toBe('abc');
    for (const refused of [undefined, null, '', 'Bearer', 'Bearer ', 'Bearer\tabc', 'Basic abc', 'Bearerabc', 'Bearer a b', 'Bearer a=b', 'Bearer é']) {
      expect({ refused, token: bearerToken(refused) }).toEqual({ refused, token: null });
    }
  });

  it('authenticates a remembered token under any spelling of the scheme, and only the exact token', async () => {
    const t = await createTestTessera(await leg.open());
    const { user, tokens } = await signIn(t);
    const token = tokens.accessToken;
    expect(await t.tessera.authenticate(`Bearer ${token}`)).toMatchObject({ userId: user.id });
    for (const accepted of [`bearer ${token}`, `BEARER   ${token}`, ` Bearer ${token}\t`]) {
      expect(await t.tessera.authenticate(accepted)).toMatchObject({ userId: user.id });
    }
    const [header, payload, signature] = token.split('.') as [string, string, string];
    for (const refused of [`Bearer ${token} extra`, `Bearer ${token}.`, `Bearer x${token}`, `Bearer ${signature}`, `Bearer ${header}.${payload}`, `Bearer\t${token}`, token]) {
      expect({ refused: refused.slice(-12), auth: await t.tessera.authenticate(refused) }).toEqual({ refused: refused.slice(-12), auth: null });
    }
  });

  it('gives the auth context of the token: role, permissions and the permission table', async () => {
    const t = await createTestTessera(await leg.open());
    const { user, tokens } = await signIn(t, { role: 'MANAGER' });
    const auth = await t.tessera.authenticate(`Bearer ${tokens.accessToken}`);
    expect(auth).toMatchObject({ userId: user.id, role: 'MANAGER', sessionId: auth!.principal.sessionId, expiresAt: auth!.principal.expiresAt });
    expect(auth!.permissions).toEqual(t.tessera.authorizer.actionsFor({ id: user.id, role: 'MANAGER' }));
    expect(auth!.can('users:list')).toBe(t.tessera.authorizer.can({ id: user.id, role: 'MANAGER' }, 'users:list'));
    expect(auth!.can('users:set-role', { id: user.id, role: 'MANAGER' })).toBe(false);
    expect(auth!.can('users:set-role', { id: '019ab6f2-1111-7000-8000-000000000002', role: 'AUTHENTICATED' })).toBe(true);
    expect(auth!.can('users:set-role', { id: '019ab6f2-1111-7000-8000-000000000002', role: 'ADMIN' })).toBe(false);
    expect(JSON.parse(JSON.stringify(auth))).toEqual({
      userId: user.id,
      role: 'MANAGER',
      sessionId: auth!.sessionId,
      expiresAt: auth!.expiresAt.toISOString(),
      principal: JSON.parse(JSON.stringify(auth!.principal)),
      permissions: auth!.permissions,
    });
  });
});
