import { describe, expect, it } from 'vitest';
import { isTesseraError, type FieldIssue } from '../src/errors.js';
import { commonPasswordCount, commonPasswordLines } from '../src/password/common-passwords.js';
import { contextWordIn, isCommonPassword, type PasswordContext } from '../src/password/password-blocklist.js';
import { checkNewPassword, type PasswordPolicy } from '../src/password/password-policy.js';

/** The policy at its lowest minimum, where the whole list matters. */
const lowest: PasswordPolicy = { minLength: 8, maxLength: 256 };
const byDefault: PasswordPolicy = { minLength: 15, maxLength: 256 };
const goodPassword = 'correct horse battery staple';

async function issueOf(password: string, context: PasswordContext = {}, policy: PasswordPolicy = lowest): Promise<FieldIssue | null> {
  try {
    await checkNewPassword(policy, password, 'password', context);
    return null;
  } catch (error) {
    if (!isTesseraError(error, 'weak_password')) throw error;
    return error.details?.fields?.[0] ?? null;
  }
}

describe('the common-password blocklist', () => {
  const entries = commonPasswordLines.split('\n');

  it('bundles more than 10,000 distinct, lower-cased passwords, each within the length policy floor of 8', () => {
    expect(entries).toHaveLength(commonPasswordCount);
    expect(commonPasswordCount).toBeGreaterThanOrEqual(10_000);
    expect(new Set(entries).size).toBe(entries.length);
    expect(entries.filter((entry) => [...entry].length < 8)).toEqual([]);
    expect(entries.filter((entry) => entry !== entry.normalize('NFKC').toLowerCase() || /\s/.test(entry))).toEqual([]);
    expect(entries.slice(0, 3)).toEqual(['password', '12345678', '123456789']);
  });

  it('refuses a listed password as `common`, whatever its case, naming the field', async () => {
    for (const password of ['password', 'PassWord', 'QWERTYUIOP', 'iloveyou', 'pa$$w0rd', 'passwordpassword']) {
      expect(await issueOf(password), password).toMatchObject({ path: 'password', code: 'common' });
    }
    await expect(checkNewPassword(lowest, 'Trustno1', 'newPassword')).rejects.toMatchObject({
      code: 'weak_password',
      details: { fields: [{ path: 'newPassword', code: 'common', message: expect.stringMatching(/commonly used/) }] },
    });
  });

  it('compares after NFKC, so full-width letters do not slip past it', async () => {
    expect(await issueOf('ｐａｓｓｗｏｒｄ')).toMatchObject({ code: 'common' });
  });

  it('matches whole passwords only: a passphrase around a common word is fine, and so is the test kit password', async () => {
    expect(isCommonPassword(goodPassword)).toBe(false);
    expect(await issueOf(goodPassword, {}, byDefault)).toBeNull();
    expect(await issueOf('password is not my password')).toBeNull();
  });

  it('reports a too-short listed password as too short (the length rule comes first)', async () => {
    expect(await issueOf('password', {}, byDefault)).toMatchObject({ code: 'too_short' });
    expect(await issueOf('passwordpassword', {}, byDefault)).toMatchObject({ code: 'common' });
  });

  it('never case-folds or truncates what is hashed, and takes 64 and more characters', async () => {
    const long = 'Ab'.repeat(40) + ' Zz';
    expect(await checkNewPassword(byDefault, long, 'password')).toBe(long);
    expect(await checkNewPassword(byDefault, 'Correct Horse Battery Staple', 'password')).toBe('Correct Horse Battery Staple');
  });
});

describe('context words in a password', () => {
  const context = { appName: 'Acme Cloud', email: 'ada.lovelace+shop@example.com', username: 'countess-ada' };

  it('refuses the app name, with or without its spaces, and "tessera", whatever the case', async () => {
    for (const password of ['my acme cloud passphrase', 'MyAcmeCloudPassphrase', 'i love TESSERA so much', 'TeSsErA2026!!']) {
      expect(await issueOf(password, context), password).toMatchObject({ path: 'password', code: 'context', message: expect.stringMatching(/name of the service/) });
    }
    expect(await issueOf('tessera at the default', {})).toMatchObject({ code: 'context' });
  });

  it('refuses the local part of the email address, and its base before a "+"', async () => {
    expect(await issueOf('x Ada.Lovelace+Shop x', context)).toMatchObject({ code: 'context', message: expect.stringMatching(/email/) });
    expect(await issueOf('my name is ada.lovelace', context)).toMatchObject({ code: 'context' });
    expect(contextWordIn('dear ada.lovelace', context)).toBe('email');
  });

  it('refuses the username', async () => {
    expect(await issueOf('Countess-Ada rules the engine', context)).toMatchObject({ code: 'context', message: expect.stringMatching(/username/) });
  });

  it('ignores words shorter than 4 characters, and words of other accounts', async () => {
    const short = { appName: 'Zed', email: 'ada@example.com', username: 'bob' };
    expect(await issueOf('zed ada and bob went walking', short)).toBeNull();
    expect(await issueOf('lovelace wrote the first program', { email: 'grace@example.com', username: 'grace' })).toBeNull();
    expect(await issueOf(goodPassword, context, byDefault)).toBeNull();
  });

  it('compares after NFKC and case folding on both sides', () => {
    expect(contextWordIn('ＡＣＭＥ CLOUD forever', { appName: 'acme cloud' })).toBe('appName');
    expect(contextWordIn('the ｔｅｓｓｅｒａ way', {})).toBe('appName');
  });
});

describe('the breached-password check in the policy', () => {
  it('is asked last, with the normalised password, only once the other rules passed', async () => {
    const asked: string[] = [];
    const isBreached = async (password: string) => {
      asked.push(password);
      return password === 'ﬁve breached words'.normalize('NFKC');
    };
    expect(await issueOf('ﬁve breached words', {}, { ...lowest, isBreached })).toMatchObject({ code: 'breached', path: 'password' });
    expect(await issueOf('password', {}, { ...lowest, isBreached })).toMatchObject({ code: 'common' });
    expect(await issueOf('tessera tessera', {}, { ...lowest, isBreached })).toMatchObject({ code: 'context' });
    expect(asked).toEqual(['five breached words']);
  });

  it('fails closed with a retryable 503 when the check itself throws', async () => {
    const isBreached = () => Promise.reject(new Error('network down'));
    await expect(checkNewPassword({ ...lowest, isBreached }, goodPassword, 'password')).rejects.toMatchObject({ code: 'store_unavailable', status: 503 });
  });
});
