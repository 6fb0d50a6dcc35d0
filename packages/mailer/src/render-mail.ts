import type { TesseraEvent } from '@tessera/core';
import type { CompiledTemplates } from './compile-templates.js';
import { findLinks } from './find-links.js';
import { isPlainAddress, toHeaderText } from './header-text.js';
import { fillLinkTemplate } from './link-templates.js';
import { formatUtc, mailDefinitionOf } from './mail-catalog.js';
import { isMailedEventType, type MailedEventType, type MailTemplateName } from './mailed-events.js';
import type { ResolvedMailerOptions } from './mailer-options.js';

/** A sender or recipient of a rendered mail. */
export interface Mailbox {
  /** The display name, free of control characters; `null` for none. */
  readonly name: string | null;
  readonly address: string;
}

/** A mail as it is sent: rendered from one event. */
export interface RenderedMail {
  readonly eventId: string;
  readonly eventType: MailedEventType;
  readonly template: MailTemplateName;
  /** `<eventId.consumerName@domain>`: the same for every retry of the event. */
  readonly messageId: string;
  readonly from: Mailbox;
  readonly to: Mailbox;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  /** The link that carries the one-time token (verification, reset, confirmation), or `null`. */
  readonly link: string | null;
  /** Every http(s) link in the mail, `link` first. */
  readonly links: readonly string[];
}

/** Thrown when a template fails to render; names the template and the part. */
export class MailRenderError extends Error {
  override readonly name = 'MailRenderError';
  readonly template: MailTemplateName;
  readonly part: 'subject' | 'html' | 'text' | 'layout.html' | 'layout.text' | 'recipient';

  constructor(template: MailTemplateName, part: MailRenderError['part'], message: string, options?: { cause?: unknown }) {
    super(`rendering ${part.startsWith('layout') ? part : `${template}.${part}`} failed: ${message}`, options);
    this.template = template;
    this.part = part;
  }
}

const maxSubjectLength = 250;
const maxNameLength = 100;

/**
 * Renders the mail of one event: recipient from the payload, the token link from the
 * configured template, subject, HTML and text from the templates inside the layout.
 *
 * @throws MailRenderError when a template fails or the recipient is not a plain address.
 * @throws TypeError for an event type the mailer does not mail.
 */
export function renderMail(event: TesseraEvent<MailedEventType>, templates: CompiledTemplates, options: ResolvedMailerOptions): RenderedMail {
  if (!isMailedEventType(event.type)) throw new TypeError(`@tessera/mailer has no mail for "${String(event.type)}" events`);
  if (!/^[A-Za-z0-9-]{1,64}$/.test(event.id)) throw new TypeError('@tessera/mailer: the event id is not a plain identifier');
  const definition = mailDefinitionOf(event.type);
  const template = definition.template;
  const address = definition.recipient(event).trim();
  if (!isPlainAddress(address)) throw new MailRenderError(template, 'recipient', 'the recipient is not one plain email address');

  const user = event.payload.user;
  const firstName = inlineOrNull(user.firstName);
  const lastName = inlineOrNull(user.lastName);
  const username = toHeaderText(user.username, maxNameLength);
  const displayName = [firstName, lastName].filter((part) => part !== null).join(' ') || null;
  const token = tokenVariables(event, options);
  const variables = {
    appName: options.appName,
    appUrl: options.appUrl,
    recipient: address,
    occurredAt: event.occurredAt.toISOString(),
    user: { id: user.id, email: user.email, username, firstName, lastName, displayName },
    greetingName: firstName ?? username,
    ...token,
    ...definition.variables(event),
  };

  const subject = toHeaderText(step(template, 'subject', () => templates.mail(template, 'subject')(variables)), maxSubjectLength);
  if (subject === '') throw new MailRenderError(template, 'subject', 'the subject is empty');
  const withSubject = { ...variables, subject };
  const htmlBody = step(template, 'html', () => templates.mail(template, 'html')(withSubject));
  const html = step(template, 'layout.html', () => templates.layout('html')({ ...withSubject, body: htmlBody }));
  const textBody = step(template, 'text', () => templates.mail(template, 'text')(withSubject));
  const text = tidyText(step(template, 'layout.text', () => templates.layout('text')({ ...withSubject, body: tidyText(textBody) })));

  return {
    eventId: event.id,
    eventType: event.type,
    template,
    messageId: `<${event.id}.${options.name}@${options.messageIdDomain}>`,
    from: options.from,
    to: { name: displayName, address },
    subject,
    html,
    text,
    link: token.link,
    links: findLinks(html, text, token.link),
  };
}

interface TokenVariables {
  readonly link: string | null;
  readonly expiresAt: string | null;
  readonly expiresAtText: string | null;
  readonly validForMinutes: number | null;
  readonly validFor: string | null;
}

function tokenVariables(event: TesseraEvent<MailedEventType>, options: ResolvedMailerOptions): TokenVariables {
  const definition = mailDefinitionOf(event.type);
  if (definition.tokenLink === null) return { link: null, expiresAt: null, expiresAtText: null, validForMinutes: null, validFor: null };
  const delivered = definition.token(event);
  if (delivered === null) throw new TypeError(`@tessera/mailer: the ${event.type} event carries no token`);
  const linkTemplate = options.tokenLinks[definition.tokenLink];
  if (linkTemplate === undefined) throw new TypeError(`@tessera/mailer: links.${definition.tokenLink} is not configured`);
  const validForMinutes = Math.max(1, Math.round((Date.parse(delivered.expiresAt) - event.occurredAt.getTime()) / 60_000));
  return {
    link: fillLinkTemplate(linkTemplate, delivered.token),
    expiresAt: delivered.expiresAt,
    expiresAtText: formatUtc(delivered.expiresAt),
    validForMinutes,
    validFor: describeMinutes(validForMinutes),
  };
}

/** `30 minutes`, `1 hour`, `24 hours`, `7 days`. */
function describeMinutes(minutes: number): string {
  const unit = (count: number, name: string): string => `${count} ${name}${count === 1 ? '' : 's'}`;
  if (minutes >= 2880 && minutes % 1440 === 0) return unit(minutes / 1440, 'day');
  if (minutes >= 60 && minutes % 60 === 0) return unit(minutes / 60, 'hour');
  return unit(minutes, 'minute');
}

function inlineOrNull(value: string | null): string | null {
  const text = value === null ? '' : toHeaderText(value, maxNameLength);
  return text === '' ? null : text;
}

function step(template: MailTemplateName, part: MailRenderError['part'], render: () => string): string {
  try {
    return render();
  } catch (error) {
    if (error instanceof MailRenderError) throw error;
    throw new MailRenderError(template, part, error instanceof Error ? error.message : String(error), { cause: error });
  }
}

/** Unix line ends, no trailing spaces, at most one blank line in a row, one final newline. */
function tidyText(text: string): string {
  return `${text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}
