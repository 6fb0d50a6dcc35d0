import type { FieldIssue } from '@tessera/core';
import { isPlainAddress, toHeaderText } from './header-text.js';
import { checkLinkTemplate, checkPlainUrl } from './link-templates.js';
import { linkNameOf } from './mail-catalog.js';
import { isMailedEventType, mailedEventTypes, type MailedEventType, type MailTemplateName, type TokenLinkName } from './mailed-events.js';

/** A mailbox: an address and, optionally, the display name shown with it. */
export interface MailAddress {
  readonly name?: string | undefined;
  readonly address: string;
}

/**
 * Where the links in mails lead. Each token link is a URL template with `{token}`, which is
 * replaced by the URL-encoded one-time token.
 */
export interface MailLinks {
  /** The verification link (`user.registered`, `user.verification_resent`), e.g. `https://app.example.com/auth/verify-email?token={token}`. */
  readonly verifyEmail: string;
  /** The password-reset page (`user.password_reset_requested`), e.g. `https://app.example.com/reset-password?token={token}`. */
  readonly resetPassword: string;
  /**
   * The page that confirms a new address (`user.email_change_requested`). Without it that event
   * is not subscribed (unless `events` lists it, which then requires this link).
   */
  readonly confirmEmailChange?: string | undefined;
  /** The app's home page (no token), shown in the header, the footer and some notices. */
  readonly app?: string | undefined;
}

/** The parts of one mail template to replace; the others stay bundled. */
export interface MailTemplateParts {
  readonly subject?: string | undefined;
  readonly html?: string | undefined;
  readonly text?: string | undefined;
}

/** The HTML and text versions of the layout or of a partial. */
export interface LayoutParts {
  readonly html?: string | undefined;
  readonly text?: string | undefined;
}

/**
 * Template overrides. Later sources win: the bundled templates, then `directory`, then the
 * objects. Every template is compiled and rendered once at construction, so a broken override
 * fails there.
 */
export interface MailTemplateOptions {
  /**
   * A directory with files named like the bundled ones: `<template>.subject.hbs`,
   * `<template>.html.hbs`, `<template>.text.hbs`, `layout.html.hbs`, `layout.text.hbs`, and
   * partials in `partials/<name>.html.hbs` / `partials/<name>.text.hbs`. Any subset.
   */
  readonly directory?: string | undefined;
  /** Handlebars sources by template name. */
  readonly mails?: { readonly [Name in MailTemplateName]?: MailTemplateParts } | undefined;
  /** The layout every mail is rendered into; the HTML one must output `{{{body}}}`. */
  readonly layout?: LayoutParts | undefined;
  /** Partials by name (`header` and `footer` are bundled; others may be added). */
  readonly partials?: Readonly<Record<string, LayoutParts>> | undefined;
}

/** Options shared by `createMailer` and `createDevMailer`: everything but the transport. */
export interface MailRenderingOptions {
  /** The sender: an address, or `{ name, address }`. */
  readonly from: string | MailAddress;
  /** The product name shown in subjects and bodies. */
  readonly appName: string;
  /** Where the links in mails lead. */
  readonly links: MailLinks;
  /** Template overrides. @default the bundled templates */
  readonly templates?: MailTemplateOptions | undefined;
  /**
   * The event types to mail. @default every mailed type (without `user.email_change_requested`
   * when `links.confirmEmailChange` is not set)
   */
  readonly events?: readonly MailedEventType[] | undefined;
  /** The consumer name: outbox rows wait under it, and it is part of the Message-ID. @default 'mailer' */
  readonly name?: string | undefined;
  /** The domain of the Message-ID header. @default the domain of `from` */
  readonly messageIdDomain?: string | undefined;
}

/** The checked options. */
export interface ResolvedMailerOptions {
  readonly name: string;
  readonly from: { readonly name: string | null; readonly address: string };
  readonly appName: string;
  readonly tokenLinks: Readonly<Partial<Record<TokenLinkName, string>>>;
  readonly appUrl: string | null;
  readonly events: readonly MailedEventType[];
  readonly messageIdDomain: string;
}

const renderingOptionKeys = ['from', 'appName', 'links', 'templates', 'events', 'name', 'messageIdDomain'];
const linkKeys = ['verifyEmail', 'resetPassword', 'confirmEmailChange', 'app'] as const;
const hostname = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/**
 * Checks the rendering options, recording every problem in `issues` (the caller throws them
 * together with the template problems). `extraKeys` are the caller's own option names.
 */
export function resolveMailerOptions(options: MailRenderingOptions, extraKeys: readonly string[], issues: FieldIssue[]): ResolvedMailerOptions {
  reportUnknownKeys(options, [...renderingOptionKeys, ...extraKeys], '', issues);
  const from = resolveFrom(options.from, issues);
  const appName = typeof options.appName === 'string' ? toHeaderText(options.appName, 100) : '';
  if (appName === '') issues.push({ path: 'appName', code: 'invalid_type', message: 'must be the non-empty name of the product, e.g. "Acme"' });
  const name = options.name ?? 'mailer';
  if (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) {
    issues.push({ path: 'name', code: 'invalid_format', message: 'must be 1-64 letters, digits, ".", "_" or "-"' });
  }
  const links = resolveLinks(options.links, issues);
  const events = resolveEvents(options.events, links.tokenLinks, issues);
  const messageIdDomain = options.messageIdDomain ?? from.address.slice(from.address.lastIndexOf('@') + 1);
  if (options.messageIdDomain !== undefined && (typeof messageIdDomain !== 'string' || !hostname.test(messageIdDomain))) {
    issues.push({ path: 'messageIdDomain', code: 'invalid_format', message: 'must be an ASCII host name, e.g. "example.com"' });
  } else if (isPlainAddress(from.address) && !hostname.test(messageIdDomain)) {
    issues.push({ path: 'messageIdDomain', code: 'required', message: `is required: the domain of "from" is not an ASCII host name` });
  }
  return Object.freeze({ name, from, appName, tokenLinks: links.tokenLinks, appUrl: links.appUrl, events, messageIdDomain });
}

function resolveFrom(value: unknown, issues: FieldIssue[]): ResolvedMailerOptions['from'] {
  const given = typeof value === 'string' ? { address: value } : (value as Partial<MailAddress> | undefined);
  const address = typeof given?.address === 'string' ? given.address.trim() : '';
  if (!isPlainAddress(address)) {
    issues.push({ path: 'from', code: 'invalid_format', message: 'must be an email address or { name, address }' });
  }
  if (given?.name !== undefined && typeof given.name !== 'string') {
    issues.push({ path: 'from.name', code: 'invalid_type', message: 'must be a string' });
  }
  const name = typeof given?.name === 'string' ? toHeaderText(given.name, 100) : '';
  return Object.freeze({ name: name === '' ? null : name, address });
}

function resolveLinks(value: MailLinks | undefined, issues: FieldIssue[]): { tokenLinks: ResolvedMailerOptions['tokenLinks']; appUrl: string | null } {
  if (typeof value !== 'object' || value === null) {
    issues.push({ path: 'links', code: 'invalid_type', message: 'must give the link templates, e.g. { verifyEmail, resetPassword }' });
    return { tokenLinks: {}, appUrl: null };
  }
  reportUnknownKeys(value, linkKeys, 'links.', issues);
  const tokenLinks: Partial<Record<TokenLinkName, string>> = {};
  for (const key of ['verifyEmail', 'resetPassword', 'confirmEmailChange'] as const) {
    if (value[key] === undefined) continue;
    const template = checkLinkTemplate(value[key], `links.${key}`, issues);
    if (template !== undefined) tokenLinks[key] = template;
  }
  const appUrl = value.app === undefined ? null : (checkPlainUrl(value.app, 'links.app', issues) ?? null);
  return { tokenLinks: Object.freeze(tokenLinks), appUrl };
}

function resolveEvents(value: unknown, tokenLinks: ResolvedMailerOptions['tokenLinks'], issues: FieldIssue[]): readonly MailedEventType[] {
  if (value === undefined) {
    const events = mailedEventTypes.filter((type) => type !== 'user.email_change_requested' || tokenLinks.confirmEmailChange !== undefined);
    reportMissingLinks(events, tokenLinks, issues);
    return Object.freeze(events);
  }
  if (!Array.isArray(value) || value.length === 0 || !value.every(isMailedEventType) || new Set(value).size !== value.length) {
    issues.push({ path: 'events', code: 'invalid_format', message: `must list distinct event types among: ${mailedEventTypes.join(', ')}` });
    return Object.freeze([]);
  }
  reportMissingLinks(value, tokenLinks, issues);
  return Object.freeze([...value]);
}

function reportMissingLinks(events: readonly MailedEventType[], tokenLinks: ResolvedMailerOptions['tokenLinks'], issues: FieldIssue[]): void {
  const missing = new Set(events.map(linkNameOf).filter((link) => link !== null && tokenLinks[link] === undefined));
  for (const link of missing) {
    if (issues.some((issue) => issue.path === `links.${link}`)) continue;
    issues.push({ path: `links.${link}`, code: 'required', message: 'is required to mail the events that carry its token' });
  }
}

function reportUnknownKeys(value: object, known: readonly string[], prefix: string, issues: FieldIssue[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) issues.push({ path: `${prefix}${key}`, code: 'unrecognized_key', message: `is not an option (known: ${known.join(', ')})` });
  }
}
