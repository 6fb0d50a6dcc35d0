import { expect, it } from 'vitest';
import { goodPassword, uniqueEmail } from '../fixtures.js';
import { createVerifiedUser } from '../identity/helpers.js';
import type { HttpSuiteContext } from './contract.js';
import { expectFieldIssue, expectProblem, send } from './requests.js';

/** Look-alike and invisible characters in emails and usernames: refused, or folded onto the one account they imitate. */
export function unicodeTricksSuite(context: HttpSuiteContext): void {
  const register = (email: string, extra: Record<string, unknown> = {}) => send(context.app, 'POST', '/auth/register', { json: { email, password: goodPassword, ...extra } });

  it('refuses email local parts with look-alike, invisible or control characters: 400 naming email', async () => {
    for (const email of ['\u0430da@example.com', 'ad\u200ba@example.com', 'ada\u202e@example.com', 'ada\r\nbcc@example.com', 'ad\u0430@example.com']) {
      expectFieldIssue(await expectProblem(await register(email), 400, 'validation_failed'), 'email', 'invalid_format');
    }
  });

  it('folds an address written with another case, full-width or IDN domain letters onto the one account', async () => {
    const local = uniqueEmail('fold').split('@')[0]!;
    // Registered through its Unicode spelling, the address is stored with the punycode domain.
    const registered = await register(`${local}@b\u00fccher.example`);
    expect(registered.status).toBe(201);
    expect(((await registered.json()) as { user: { email: string } }).user.email).toBe(`${local}@xn--bcher-kva.example`);
    for (const email of [`${local.toUpperCase()}@B\u00dcCHER.example`, `${local}@b\u00fccher.example`, `${local}@xn--bcher-kva.example`, `${local}@\uff42\u00fc\uff43\uff48\uff45\uff52.example`]) {
      await expectProblem(await register(email), 409, 'email_taken');
    }
  });

  it('refuses usernames with invisible, bidirectional or look-alike characters, and folds full-width letters onto the one name', async () => {
    const owner = await createVerifiedUser(context.t);
    const taken = await send(context.app, 'POST', '/auth/register', { json: { email: uniqueEmail(), password: goodPassword, username: 'ada-lovelace' } });
    expect(taken.status).toBe(201);
    expect(owner.username).not.toBe('ada-lovelace');
    for (const username of ['ada\u200b-lovelace', 'ada\u202e-lovelace', '\u0430da-lovelace', 'ada lovelace', 'ada\u0000lovelace']) {
      const problem = await expectProblem(await register(uniqueEmail(), { username }), 400, 'validation_failed');
      expect(problem.errors?.map((issue) => issue.path)).toContain('username');
    }
    await expectProblem(await register(uniqueEmail(), { username: '\uff21\uff24\uff21-lovelace' }), 409, 'username_taken');
    await expectProblem(await register(uniqueEmail(), { username: 'ADA-LOVELACE' }), 409, 'username_taken');
  });
}
