import { describe, expect, it } from 'vitest';
import { TesseraConfigError } from '../src/errors.js';
import { landingLocation, redirectTargetProblem } from '../src/http/redirect-target.js';
import { resolveOptions } from '../src/options.js';
import { generateSigningKey } from '../src/tokens/access-token.js';
import { fakeHasher, fakeStore } from './fakes.js';

const key = await generateSigningKey('k1');
const valid = { store: fakeStore, passwordHasher: fakeHasher, secret: 's'.repeat(32), tokens: { keys: [key] } };

function redirectIssues(http: Record<string, string>): string[] {
  try {
    resolveOptions({ ...valid, http });
    return [];
  } catch (error) {
    if (error instanceof TesseraConfigError) return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    throw error;
  }
}

const accepted = [
  '/welcome',
  '/account/email?from=mail',
  '/',
  'https://app.example.com/welcome',
  'https://app.example.com:8443/a/b?x=1#top',
  'http://localhost:3000/account/email',
  'http://127.0.0.1:8080/',
  'http://[::1]/',
  'http://app.localhost/',
];

const refused = [
  '//evil.example/phish',
  '/\\evil.example',
  '\\\\evil.example',
  '/\t/evil.example',
  '/%0a/evil.example x',
  'javascript:alert(1)',
  'JavaScript:alert(document.cookie)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  'http://app.example.com/welcome',
  'http://192.168.1.10/',
  'https://user:secret@app.example.com/',
  'https://app.example.com\\@evil.example/',
  'evil.example/welcome',
  'welcome',
  'https:evil.example',
  'ftp://app.example.com/',
  'file:///etc/passwd',
  ' https://app.example.com/',
];

describe('redirect targets of the mailed links', () => {
  it('accepts paths of the app and https: URLs (http: only on loopback hosts)', () => {
    for (const target of accepted) expect(redirectTargetProblem(target), target).toBeUndefined();
  });

  it('refuses protocol-relative, backslash, script, data, plain-http, credential and bare-host targets', () => {
    for (const target of refused) expect(redirectTargetProblem(target), target).toBeTypeOf('string');
  });

  it('checks both options at start-up, naming the option', () => {
    expect(redirectIssues({ verifyEmailRedirectUrl: '//evil.example', confirmEmailChangeRedirectUrl: 'javascript:alert(1)' })).toEqual([
      expect.stringMatching(/^http\.verifyEmailRedirectUrl: .*another host/),
      expect.stringMatching(/^http\.confirmEmailChangeRedirectUrl: must be a path of the app/),
    ]);
    for (const target of accepted) expect(redirectIssues({ verifyEmailRedirectUrl: target, confirmEmailChangeRedirectUrl: target }), target).toEqual([]);
    for (const target of refused) expect(redirectIssues({ verifyEmailRedirectUrl: target }), target).toHaveLength(1);
  });

  it('adds the status to the query, before the fragment, and keeps relative targets relative', () => {
    expect(landingLocation('https://app.example.com/welcome', 'verified')).toBe('https://app.example.com/welcome?status=verified');
    expect(landingLocation('https://app.example.com/welcome?from=mail#top', 'invalid')).toBe('https://app.example.com/welcome?from=mail&status=invalid#top');
    expect(landingLocation('/account/email?tab=security', 'confirmed')).toBe('/account/email?tab=security&status=confirmed');
    expect(landingLocation('/', 'verified')).toBe('/?status=verified');
  });

  it('lands every accepted target on the origin it names', () => {
    for (const target of accepted) {
      const location = landingLocation(target, 'verified');
      if (target.startsWith('/')) expect(new URL(location, 'https://mount.example').origin, target).toBe('https://mount.example');
      else expect(new URL(location).origin, target).toBe(new URL(target).origin);
    }
  });
});
