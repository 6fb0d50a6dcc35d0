import { TesseraConfigError, type FieldIssue } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { createDevMailer, createMailer, mailedEventTypes, type MailerOptions } from '../src/index.js';
import { mailerOptions, testLinks } from './mailer-fixtures.js';

/** The issues `createMailer` throws for some options (none: `[]`). */
function issuesOf(options: Partial<MailerOptions> | Record<string, unknown>): FieldIssue[] {
  try {
    void createMailer({ ...mailerOptions('smtp://127.0.0.1:2525'), ...options }).close();
  } catch (error) {
    if (error instanceof TesseraConfigError) return [...error.issues];
    throw error;
  }
  return [];
}

const pathsOf = (options: Partial<MailerOptions> | Record<string, unknown>): string[] => issuesOf(options).map((issue) => issue.path);
const withLinks = (links: Record<string, unknown>): Partial<MailerOptions> => ({ links: { ...testLinks, ...links } });

describe('mailer options', () => {
  it('accept https links, and http links on the loopback only', () => {
    expect(issuesOf(withLinks({ verifyEmail: 'http://127.0.0.1:3000/verify#token={token}', resetPassword: 'http://app.localhost/reset/{token}' }))).toEqual([]);
    expect(pathsOf(withLinks({ resetPassword: 'http://app.example.com/reset?token={token}' }))).toEqual(['links.resetPassword']);
  });

  it.each([
    ['without {token}', 'https://app.example.com/verify'],
    ['with {token} twice', 'https://app.example.com/verify?token={token}&again={token}'],
    ['with {token} in the host', 'https://{token}.example.com/verify'],
    ['with credentials', 'https://user:pass@app.example.com/verify?token={token}'],
    ['with a line break', 'https://app.example.com/verify?token={token}\r\nBcc: x@example.com'],
    ['relative', '/verify?token={token}'],
    ['with another scheme', 'javascript:alert({token})'],
    ['not a string', 42],
  ])('refuse a link template %s', (_label, verifyEmail) => {
    expect(issuesOf(withLinks({ verifyEmail }))).toEqual([expect.objectContaining({ path: 'links.verifyEmail' })]);
  });

  it('require the links of the mailed token events, and subscribe only to mailed events', () => {
    expect(pathsOf({ links: { verifyEmail: testLinks.verifyEmail } as MailerOptions['links'] })).toEqual(['links.resetPassword']);
    expect(pathsOf({ links: { verifyEmail: testLinks.verifyEmail, resetPassword: testLinks.resetPassword }, events: ['user.email_change_requested'] })).toEqual([
      'links.confirmEmailChange',
    ]);
    expect(pathsOf({ events: ['user.email_verified'] as never })).toEqual(['events']);
    expect(pathsOf({ events: [] })).toEqual(['events']);

    const withoutConfirmation = createDevMailer({ from: 'a@example.com', appName: 'A', links: { verifyEmail: testLinks.verifyEmail, resetPassword: testLinks.resetPassword } });
    expect(withoutConfirmation.events).toEqual(mailedEventTypes.filter((type) => type !== 'user.email_change_requested'));
    const everything = createDevMailer({ from: 'a@example.com', appName: 'A', links: testLinks });
    expect(everything.events).toEqual(mailedEventTypes);
    expect(everything.events).not.toContain('user.email_verified');
    expect(createDevMailer({ from: 'a@example.com', appName: 'A', links: testLinks, events: ['user.registered'] }).events).toEqual(['user.registered']);
  });

  it('refuse a sender that is not one plain address, and a name or domain unfit for a Message-ID', () => {
    expect(pathsOf({ from: 'Acme <no-reply@acme.example>' })).toEqual(['from']);
    expect(pathsOf({ from: 'no-reply@acme.example\r\nBcc: attacker@example.com' })).toEqual(['from']);
    expect(pathsOf({ from: { name: 'Acme', address: 'two@acme.example, three@acme.example' } })).toEqual(['from']);
    expect(pathsOf({ name: 'mail er' })).toEqual(['name']);
    expect(pathsOf({ messageIdDomain: 'not a domain' })).toEqual(['messageIdDomain']);
    expect(pathsOf({ appName: '  ' })).toEqual(['appName']);
  });

  it('name every unknown or wrong option in one error', () => {
    expect(pathsOf({ link: testLinks, links: { ...testLinks, home: 'https://app.example.com' }, transport: 'http://smtp.example.com' })).toEqual([
      'transport',
      'link',
      'links.home',
    ]);
    expect(() => createMailer(undefined as never)).toThrow(TesseraConfigError);
  });

  it('never show an SMTP password in the error about the transport', () => {
    let message = '';
    try {
      createMailer(mailerOptions('smtpx://mailer:hunter2-secret@smtp.example.com'));
    } catch (error) {
      message = String(error);
    }
    expect(message).toContain('transport');
    expect(message).not.toContain('hunter2-secret');
  });
});
