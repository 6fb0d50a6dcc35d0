import { fileURLToPath } from 'node:url';
import { TesseraConfigError, type FieldIssue } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { createDevMailer, sampleEvents, type DevMailerOptions, type MailTemplateOptions } from '../src/index.js';
import { devMailerOptions } from './mailer-fixtures.js';

const overrideDirectory = fileURLToPath(new URL('./fixtures/override-templates', import.meta.url));
const misnamedDirectory = fileURLToPath(new URL('./fixtures/misnamed-templates', import.meta.url));
const sample = (type: string): Parameters<ReturnType<typeof createDevMailer>['preview']>[0] => {
  const event = sampleEvents().find((candidate) => candidate.type === type);
  if (!event) throw new Error(`no sample ${type}`);
  return event;
};

/** The issues `createDevMailer` throws for some options (none: `[]`). */
function issuesOf(options: Partial<DevMailerOptions>): FieldIssue[] {
  try {
    createDevMailer(devMailerOptions(options));
  } catch (error) {
    if (error instanceof TesseraConfigError) return [...error.issues];
    throw error;
  }
  return [];
}

const templates = (value: MailTemplateOptions): Partial<DevMailerOptions> => ({ templates: value });

describe('template overrides', () => {
  it('take files from a directory: a subject, a text body, a text layout, a partial and a new partial', () => {
    const mailer = createDevMailer(devMailerOptions(templates({ directory: overrideDirectory })));
    const verify = mailer.preview(sample('user.registered'));
    expect(verify.subject).toBe('Bitte bestätigen Sie Ihre Adresse für Tessera Test');
    expect(verify.text).toBe(`=== Tessera Test ===\n\nHallo Ada,\n\nbitte bestätigen Sie Ihre Adresse:\n\n${verify.link}\n\nDer Link gilt 1440 Minuten.\n\n=== Ende ===\n`);
    expect(verify.html).toContain('Welcome to Tessera Test!');
    expect(verify.html).toContain('<p>Sent to ada@example.com by the directory footer.</p>');

    const reset = mailer.preview(sample('user.password_reset_requested'));
    expect(reset.subject).toBe('Reset your Tessera Test password');
    expect(reset.html).toContain('<p>Reset it here: <a href="https://app.example.com/reset-password?token&#x3D;sample-one-time-token">');
    expect(reset.html).toContain('<p>The Tessera Test team</p>');
  });

  it('take sources from an object, which wins over the directory', () => {
    const mailer = createDevMailer(
      devMailerOptions(
        templates({
          directory: overrideDirectory,
          mails: {
            'verify-email': { subject: 'Confirm {{recipient}}' },
            'pro-approved': { subject: 'Pro for {{user.username}}', text: 'Approved, {{greetingName}}!' },
          },
          partials: { header: { text: '[{{appName}}]' } },
        }),
      ),
    );
    expect(mailer.preview(sample('user.registered')).subject).toBe('Confirm ada@example.com');
    const approved = mailer.preview(sample('pro.approved'));
    expect(approved.subject).toBe('Pro for ada-lovelace');
    expect(approved.text).toBe('=== Tessera Test ===\n\nApproved, Ada!\n\n=== Ende ===\n');
    expect(approved.html).toContain('Good news: your request for pro status');
  });

  it('replace the layout', () => {
    const mailer = createDevMailer(
      devMailerOptions(templates({ layout: { html: '<html><body><main>{{{body}}}</main><footer>{{appName}} custom layout</footer></body></html>', text: '{{body}}\n-- {{appName}}' } })),
    );
    const mail = mailer.preview(sample('user.suspended'));
    expect(mail.html).toMatch(/^<html><body><main><p style="margin:0 0 16px 0;">Hi Ada,<\/p>/);
    expect(mail.html).toContain('<footer>Tessera Test custom layout</footer>');
    expect(mail.html).not.toContain('<table');
    expect(mail.text).toMatch(/^Hi Ada,\n\nAn administrator suspended your Tessera Test account\./);
    expect(mail.text.endsWith('-- Tessera Test\n')).toBe(true);
  });
});

describe('broken overrides fail at createMailer, naming the option', () => {
  it.each([
    ['a syntax error', templates({ mails: { 'verify-email': { html: '<p>{{#if link}}</p>' } } }), 'templates.mails.verify-email.html', 'invalid_template'],
    ['an unknown variable', templates({ mails: { 'pro-approved': { text: 'Hi {{user.nickname}}' } } }), 'templates.mails.pro-approved.text', 'render_failed'],
    ['an unknown partial', templates({ layout: { html: '{{> sidebar}}{{{body}}}' } }), 'templates.layout.html', 'render_failed'],
    ['an unescaped value in HTML', templates({ mails: { 'pro-approved': { html: '<p>{{{user.firstName}}}</p>' } } }), 'templates.mails.pro-approved.html', 'unescaped_output'],
    ['an unescaped value with {{&}}', templates({ partials: { footer: { html: '<p>{{& recipient}}</p>' } } }), 'templates.partials.footer.html', 'unescaped_output'],
    ['a token mail without its link', templates({ mails: { 'reset-password': { text: 'Reset your password.' } } }), 'templates.mails.reset-password.text', 'missing_link'],
    ['a layout without the body', templates({ layout: { text: '{{appName}}' } }), 'templates.layout.text', 'missing_body'],
    ['the log helper, which would print links', templates({ mails: { 'verify-email': { text: '{{log link}}{{link}}' } } }), 'templates.mails.verify-email.text', 'render_failed'],
    ['an unknown template name', templates({ mails: { welcome: { subject: 'Hi' } } as MailTemplateOptions['mails'] }), 'templates.mails.welcome', 'unknown_template'],
    ['a misnamed file in the directory', templates({ directory: misnamedDirectory }), 'templates.directory', 'unknown_template'],
    ['a missing directory', templates({ directory: `${misnamedDirectory}-nowhere` }), 'templates.directory', 'unreadable'],
    ['an empty subject', templates({ mails: { 'pro-approved': { subject: '{{#if appUrl}}{{/if}}' } } }), 'templates.mails.pro-approved.subject', 'render_failed'],
  ])('%s', (_label, options, path, code) => {
    expect(issuesOf(options)).toEqual([expect.objectContaining({ path, code })]);
  });

  it('reports every broken override at once, with the file of a directory', () => {
    const issues = issuesOf(templates({ directory: misnamedDirectory, mails: { 'pro-approved': { html: '{{{x}}}' } } }));
    expect(issues.map((issue) => issue.path)).toEqual(['templates.directory', 'templates.mails.pro-approved.html']);
    expect(issues[0]?.message).toContain('verify-emial.html.hbs');
    expect(() => createDevMailer(devMailerOptions(templates({ directory: misnamedDirectory })))).toThrow(/templates\.directory: verify-emial\.html\.hbs is not a template file name/);
  });
});
