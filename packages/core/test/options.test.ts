import { describe, expect, it, vi } from 'vitest';
import { createTessera } from '../src/create-tessera.js';
import { TesseraConfigError } from '../src/errors.js';
import { resolveOptions } from '../src/options.js';
import { generateSigningKey } from '../src/tokens/access-token.js';
import { fakeHasher, fakeStore } from './fakes.js';

const key = await generateSigningKey('k1');
const valid = { store: fakeStore, passwordHasher: fakeHasher, secret: 's'.repeat(32), tokens: { keys: [key] } };

function issuesOf(options: unknown): string[] {
  try {
    resolveOptions(options);
  } catch (error) {
    if (error instanceof TesseraConfigError) return error.issues.map((issue) => issue.path);
    throw error;
  }
  return [];
}

describe('options', () => {
  it('fills in every default and freezes the result', () => {
    const resolved = resolveOptions(valid);
    expect(resolved.tokens).toMatchObject({ algorithm: 'EdDSA', accessTokenTtlSeconds: 900, refreshTokenTtlSeconds: 2_592_000, refreshTokenIdleTtlSeconds: 604_800, clockToleranceSeconds: 30, maxSessionsPerUser: 50 });
    expect(resolved.password).toEqual({ minLength: 15, maxLength: 256 });
    expect(resolved.lockout).toEqual({ maxFailedAttempts: 5, failureWindowSeconds: 900, lockSeconds: 900, maxLockSeconds: 3600 });
    expect(resolved.verification).toEqual({ tokenTtlSeconds: 86_400, requiredToLogin: true });
    expect(resolved.passwordReset).toEqual({ tokenTtlSeconds: 1800 });
    expect(resolved.bootstrap).toEqual({ firstUserBecomesAdmin: false });
    expect(Object.isFrozen(resolved)).toBe(true);
    expect(Object.isFrozen(resolved.tokens)).toBe(true);
    expect(Object.isFrozen(resolved.store)).toBe(false);
  });

  it('names every missing or wrong option in one error at start-up', () => {
    expect(() => createTessera({} as never)).toThrow(TesseraConfigError);
    expect(issuesOf({})).toEqual(expect.arrayContaining(['store', 'passwordHasher', 'secret', 'tokens']));
    expect(issuesOf({ ...valid, secret: 'short' })).toEqual(['secret']);
    expect(issuesOf({ ...valid, password: { minLength: 6 } })).toEqual(['password.minLength']);
    expect(issuesOf({ ...valid, lockout: { maxFailedAttempts: 0 } })).toEqual(['lockout.maxFailedAttempts']);
    expect(issuesOf({ ...valid, tokenz: {} })).toEqual(['tokenz']);
    expect(issuesOf({ ...valid, tokens: { keys: [key], accessTokenTtl: 60 } })).toEqual(['tokens.accessTokenTtl']);
    expect(() => resolveOptions({ ...valid, secret: 'short' })).toThrow(/secret: must be at least 32 characters/);
  });

  it('checks the signing keys against the algorithm', () => {
    expect(issuesOf({ ...valid, tokens: { keys: [] } })).toEqual(['tokens.keys']);
    expect(issuesOf({ ...valid, tokens: { keys: [key, { ...key }] } })).toEqual(['tokens.keys.1.kid']);
    expect(issuesOf({ ...valid, tokens: { algorithm: 'HS256', keys: [key] } })).toEqual(expect.arrayContaining(['tokens.keys.0.jwk', 'tokens.keys.0.secret']));
    expect(issuesOf({ ...valid, tokens: { algorithm: 'HS256', keys: [{ kid: 'h', secret: 'too short' }] } })).toEqual(['tokens.keys.0.secret']);
    expect(issuesOf({ ...valid, tokens: { algorithm: 'HS256', keys: [{ kid: 'h', secret: 'x'.repeat(32) }] } })).toEqual([]);
    const { d: _private, ...publicOnly } = key.jwk;
    expect(issuesOf({ ...valid, tokens: { keys: [{ kid: 'p', jwk: publicOnly }] } })).toEqual(['tokens.keys.0.jwk.d']);
    expect(issuesOf({ ...valid, tokens: { keys: [key, { kid: 'old', jwk: publicOnly }] } })).toEqual([]);
    expect(issuesOf({ ...valid, tokens: { algorithm: 'RS256', keys: [key] } })).toEqual(['tokens.algorithm']);
    expect(issuesOf({ ...valid, tokens: { keys: [key], refreshTokenIdleTtlSeconds: 100 * 86_400 } })).toEqual(['tokens.refreshTokenIdleTtlSeconds']);
  });

  it('warns when the minimum password length is below the NIST floor', () => {
    const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    createTessera({ ...valid, password: { minLength: 10 }, logger });
    expect(logger.warn).toHaveBeenCalledWith({ minLength: 10 }, expect.stringContaining('below 15'));
  });

  it('gives the host app’s actions to tessera.can', () => {
    const tessera = createTessera({ ...valid, permissions: { 'reports:view': { MANAGER: 'any' } } });
    expect(tessera.can({ id: 'm', role: 'MANAGER' }, 'reports:view')).toBe(true);
    expect(tessera.can(null, 'reports:view')).toBe(false);
  });
});
