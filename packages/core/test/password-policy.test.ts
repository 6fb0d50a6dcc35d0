import { describe, expect, it } from 'vitest';
import { isTesseraError } from '../src/errors.js';
import { checkNewPassword, normalizePassword } from '../src/password/password-policy.js';

const policy = { minLength: 15, maxLength: 256 };

async function rejection(password: string, extra: Partial<Parameters<typeof checkNewPassword>[0]> = {}) {
  try {
    await checkNewPassword({ ...policy, ...extra }, password, 'password');
    return null;
  } catch (error) {
    if (!isTesseraError(error, 'weak_password')) throw error;
    return error.details?.fields?.[0]?.code;
  }
}

describe('the password policy (NIST SP 800-63B)', () => {
  it('counts length in Unicode code points, not UTF-16 units or bytes', async () => {
    expect(await rejection('🔐'.repeat(14))).toBe('too_short');
    expect(await rejection('🔐'.repeat(15))).toBeNull();
    expect(await rejection('é'.repeat(15))).toBeNull();
  });

  it('has no composition rules: a long lowercase passphrase is fine', async () => {
    expect(await rejection('correct horse battery staple')).toBeNull();
  });

  it('allows 256 characters and refuses more, or more than 1 KiB of UTF-8', async () => {
    expect(await rejection('a'.repeat(256))).toBeNull();
    expect(await rejection('a'.repeat(257))).toBe('too_long');
    expect(await rejection('𝄞'.repeat(256), { maxLength: 1024 })).toBeNull();
    expect(await rejection('𝄞'.repeat(257), { maxLength: 1024 })).toBe('too_long');
  });

  it('refuses lone surrogates', async () => {
    expect(await rejection(`${'a'.repeat(20)}\uD800`)).toBe('not_well_formed');
  });

  it('normalises with NFKC and never trims or case-folds', async () => {
    expect(normalizePassword('ﬁne Ｐassword')).toBe('fine Password');
    expect(normalizePassword('  Spaces Count  ')).toBe('  Spaces Count  ');
    expect(await checkNewPassword(policy, 'e\u0301'.repeat(15), 'password')).toBe('é'.repeat(15));
  });

  it('asks the pluggable breach check with the normalised password', async () => {
    const seen: string[] = [];
    const isBreached = async (password: string) => {
      seen.push(password);
      return password === 'fine password 123';
    };
    expect(await rejection('ﬁne password 123', { isBreached })).toBe('breached');
    expect(seen).toEqual(['fine password 123']);
    expect(await rejection('a different long one', { isBreached })).toBeNull();
  });
});
