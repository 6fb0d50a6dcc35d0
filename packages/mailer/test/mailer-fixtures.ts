import type { LogFields, Logger, TesseraStore } from '@tessera/core';
import { createTestTessera, goodPassword, type TestTessera } from '@tessera/testkit';
import type { ParsedMail } from 'mailparser';
import type { Transporter } from 'nodemailer';
import { expect } from 'vitest';
import type { DevMailerOptions, Mailer, MailerOptions } from '../src/index.js';
import type { SmtpTestServer } from '@tessera/testkit';

/** The links of the test app: verification straight to Tessera's handler, reset to the app. */
export const testLinks = {
  verifyEmail: 'http://localhost/auth/verify-email?token={token}',
  resetPassword: 'https://app.example.com/reset-password?token={token}',
  confirmEmailChange: 'https://app.example.com/confirm-email?token={token}',
  app: 'https://app.example.com',
} as const;

export const testFrom = { name: 'Tessera Test', address: 'no-reply@tessera.test' } as const;

/** Mailer options for the tests; any can be overridden. */
export function mailerOptions(transport: Transporter | string, overrides: Partial<MailerOptions> = {}): MailerOptions {
  return { transport, from: testFrom, appName: 'Tessera Test', links: testLinks, ...overrides };
}

/** Development-mailer options for the tests. */
export function devMailerOptions(overrides: Partial<DevMailerOptions> = {}): DevMailerOptions {
  return { from: testFrom, appName: 'Tessera Test', links: testLinks, ...overrides };
}

/** A logger that keeps every line, to check that no secret was logged. */
export class CapturingLogger implements Logger {
  readonly lines: string[] = [];
  debug(fields: LogFields, message: string): void {
    this.lines.push(JSON.stringify({ level: 'debug', message, ...fields }));
  }
  info(fields: LogFields, message: string): void {
    this.lines.push(JSON.stringify({ level: 'info', message, ...fields }));
  }
  warn(fields: LogFields, message: string): void {
    this.lines.push(JSON.stringify({ level: 'warn', message, ...fields }));
  }
  error(fields: LogFields, message: string): void {
    this.lines.push(JSON.stringify({ level: 'error', message, ...fields }));
  }
}

/** Tessera on a store with the mailer as its only consumer. */
export async function tesseraWithMailer(store: TesseraStore, mailer: Mailer, logger: Logger = new CapturingLogger()): Promise<TestTessera> {
  return createTestTessera(store, { events: { consumers: [mailer] }, logger });
}

/** A JSON request to Tessera's handler, mounted at `/auth`. */
export function authRequest(method: 'GET' | 'POST', path: string, body?: unknown): Request {
  const init: RequestInit = body === undefined ? { method } : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  return new Request(`http://localhost/auth${path}`, init);
}

/** Sends a request through Tessera's handler, as a host app mounted at `/auth` would. */
export function callHandler(t: TestTessera, request: Request): Promise<Response> {
  return t.tessera.handler(request, { basePath: '/auth' });
}

/** The one link of a received mail that starts with `prefix` (found in the text part, checked in the HTML). */
export function linkIn(mail: ParsedMail, prefix: string): string {
  const links = (mail.text ?? '').match(/https?:\/\/\S+/g)?.filter((link) => link.startsWith(prefix)) ?? [];
  expect(links).toHaveLength(1);
  const link = links[0] ?? '';
  const hrefs = [...(mail.html || '').matchAll(/href="([^"]*)"/g)].map((match) => decodeHtml(match[1] ?? ''));
  expect(hrefs).toContain(link);
  return link;
}

/** Undoes handlebars' escaping of an attribute value. */
export function decodeHtml(value: string): string {
  const entities: Record<string, string> = { '&amp;': '&', '&quot;': '"', '&#x27;': "'", '&lt;': '<', '&gt;': '>', '&#x3D;': '=', '&#x60;': '`' };
  return value.replace(/&(?:amp|quot|#x27|lt|gt|#x3D|#x60);/g, (entity) => entities[entity] ?? entity);
}

/** The token of a link. */
export function tokenOf(link: string): string {
  const token = new URL(link).searchParams.get('token');
  if (token === null) throw new Error('the link has no token');
  return token;
}

/** Registers through the handler, delivers the verification mail and follows its link. */
export async function registerAndVerify(t: TestTessera, server: SmtpTestServer, email: string): Promise<void> {
  expect((await callHandler(t, authRequest('POST', '/register', { email, password: goodPassword }))).status).toBe(201);
  await t.tessera.outbox.drain();
  const [mail] = (await server.messagesTo(email)).slice(-1);
  if (!mail) throw new Error(`no mail reached ${email}`);
  expect((await callHandler(t, new Request(linkIn(mail, 'http://localhost/auth/verify-email?token=')))).status).toBe(200);
}
