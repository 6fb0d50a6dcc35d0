import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TesseraEvent } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { bundledTemplatesDirectory, createDevMailer, mailedEventTypes, mailTemplateNames, sampleEvents, type MailedEventType } from '../src/index.js';
import { decodeHtml, devMailerOptions, testLinks } from './mailer-fixtures.js';

const mailer = createDevMailer(devMailerOptions());
const samples = sampleEvents();

/** The template, recipient, token link and a phrase that only this variant's wording has. */
function expectationsFor(event: TesseraEvent<MailedEventType>): { template: string; to: string; linkPrefix: string | null; phrases: string[] } {
  const to = event.payload.user.email;
  switch (event.type) {
    case 'user.registered':
      return { template: 'verify-email', to, linkPrefix: testLinks.verifyEmail, phrases: ['Welcome to Tessera Test!', 'for 24 hours: it expires at 2026-11-25 12:00 UTC'] };
    case 'user.verification_resent':
      return { template: 'verify-email', to, linkPrefix: testLinks.verifyEmail, phrases: ['Here is a new link', 'Hi quiet-otter-4821,'] };
    case 'user.password_reset_requested':
      return {
        template: 'reset-password',
        to,
        linkPrefix: testLinks.resetPassword,
        phrases: event.payload.initiatedBy === 'admin' ? ['An administrator of Tessera Test started a password reset'] : ['asked to reset the password', 'for 30 minutes: it expires at 2026-11-24 12:30 UTC'],
      };
    case 'user.password_changed':
      return {
        template: 'password-changed',
        to,
        linkPrefix: null,
        phrases: [{ reset: 'was reset with the link', admin: 'An administrator changed the password', change: 'The password of your Tessera Test account was changed.' }[event.payload.via]],
      };
    case 'user.account_locked':
      return { template: 'account-locked', to, linkPrefix: null, phrases: [event.payload.reason === 'admin' ? 'An administrator locked' : 'is locked until 2026-11-24 12:15 UTC'] };
    case 'user.account_unlocked':
      return { template: 'account-unlocked', to, linkPrefix: null, phrases: [event.payload.reason === 'admin' ? 'An administrator unlocked' : 'unlocked when its password was reset'] };
    case 'user.suspended':
      return { template: 'account-suspended', to, linkPrefix: null, phrases: ['An administrator suspended your Tessera Test account'] };
    case 'user.reactivated':
      return { template: 'account-reactivated', to, linkPrefix: null, phrases: ['reactivated your Tessera Test account'] };
    case 'user.role_changed':
      return { template: 'role-changed', to, linkPrefix: null, phrases: [event.payload.to === 'MANAGER' ? 'from member to manager. You can now do more' : 'from administrator to member.'] };
    case 'user.deleted':
      return { template: 'account-deleted', to, linkPrefix: null, phrases: [event.payload.by === 'admin' ? 'An administrator deleted' : 'As you asked'] };
    case 'user.registration_attempted':
      return { template: 'registration-attempted', to, linkPrefix: null, phrases: ['You already have an account with this address'] };
    case 'user.email_change_requested':
      return { template: 'confirm-email-change', to: event.payload.newEmail, linkPrefix: testLinks.confirmEmailChange, phrases: ['from ada@example.com to', 'for 1 hour: it expires at 2026-11-24 13:00 UTC'] };
    case 'user.email_changed':
      return { template: 'email-changed', to: event.payload.previousEmail, linkPrefix: null, phrases: [event.payload.by === 'admin' ? 'An administrator changed the email address of your Tessera Test account from ada@example.com to' : 'as confirmed from the new address, from ada@example.com to', 'a•••@example.org'] };
    case 'pro.requested':
      return { template: 'pro-requested', to, linkPrefix: null, phrases: ['An administrator will review it'] };
    case 'pro.approved':
      return { template: 'pro-approved', to, linkPrefix: null, phrases: ['was approved'] };
    case 'pro.rejected':
    case 'pro.revoked':
      return {
        template: event.type === 'pro.rejected' ? 'pro-rejected' : 'pro-revoked',
        to,
        linkPrefix: null,
        phrases: event.payload.reason === null ? [] : [event.payload.reason.split('\n')[0] ?? ''],
      };
  }
}

describe('the bundled templates', () => {
  it('have a sample of every mailed event type, and every template is used', () => {
    expect(new Set(samples.map((event) => event.type))).toEqual(new Set(mailedEventTypes));
    expect(new Set(samples.map((event) => mailer.preview(event).template))).toEqual(new Set(mailTemplateNames));
  });

  it.each(samples.map((event) => [`${event.type} #${event.id.slice(-2)}`, event] as const))('render %s with a subject, both parts and the right recipient', (_label, event) => {
    const expected = expectationsFor(event);
    const mail = mailer.preview(event);
    expect(mail.template).toBe(expected.template);
    expect(mail.to.address).toBe(expected.to);
    expect(mail.subject).not.toBe('');
    expect(mail.subject).not.toMatch(/[\r\n\p{Cc}]/u);
    expect(mail.messageId).toBe(`<${event.id}.mailer@tessera.test>`);
    expect(mail.html).toMatch(/^<!doctype html>/);
    expect(mail.html).toContain(`<title>${mail.subject}</title>`);
    expect(mail.html).toContain('https://app.example.com');
    expect(mail.text).toMatch(/^Tessera Test\n\nHi /);
    expect(mail.text).toContain('You received this automatic mail at');
    for (const part of [mail.html, mail.text]) expect(part).not.toMatch(/\{\{|\}\}|undefined|\[object Object\]/);
    for (const phrase of expected.phrases) {
      expect(mail.text).toContain(phrase);
      expect(decodeHtml(mail.html.replace(/<[^>]*>/g, ''))).toContain(phrase);
    }
    if (expected.linkPrefix === null) {
      expect(mail.link).toBeNull();
    } else {
      expect(mail.link).toBe(expected.linkPrefix.replace('{token}', 'sample-one-time-token'));
      expect(mail.links[0]).toBe(mail.link);
      expect(mail.text).toContain(mail.link);
      expect(decodeHtml(mail.html)).toContain(`href="${mail.link}"`);
    }
  });

  it('never output a value unescaped in HTML, except the body in the layout', () => {
    const directory = bundledTemplatesDirectory();
    const files = [...readdirSync(directory).filter((name) => name.endsWith('.html.hbs')), ...readdirSync(join(directory, 'partials')).map((name) => `partials/${name}`)];
    expect(files.length).toBeGreaterThan(16);
    const raw = files.flatMap((file) => [...readFileSync(join(directory, file), 'utf8').matchAll(/\{\{\{\s*([^}]*)\}\}\}|\{\{&\s*([^}]*)\}\}/g)].map((match) => `${file}: ${match[0]}`));
    expect(raw).toEqual(['layout.html.hbs: {{{body}}}']);
  });

  it('leave out a reason that was not given', () => {
    const [withReason, withoutReason] = samples.filter((event) => event.type === 'pro.rejected').map((event) => mailer.preview(event));
    expect(withReason?.text).toContain('The reviewer wrote:');
    expect(withoutReason?.text).not.toContain('The reviewer wrote:');
  });
});
