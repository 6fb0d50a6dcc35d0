import { TesseraConfigError, type FieldIssue } from '@tessera/core';
import { createTransport, type SMTPSentMessageInfo, type SMTPTransportOptions, type Transporter } from 'nodemailer';

/** The SMTP timeouts of a transport built from a URL (SECURITY.md: 10/10/30 s). */
export const smtpTimeouts = Object.freeze({ connectionTimeoutMs: 10_000, greetingTimeoutMs: 10_000, socketTimeoutMs: 30_000 });

/**
 * Builds a nodemailer SMTP transport from a URL such as `smtp://user:pass@smtp.example.com:587`
 * or `smtps://user:pass@smtp.example.com` (TLS from the first byte), with connection and
 * greeting timeouts of 10 s and a socket timeout of 30 s, so a dead server makes a delivery
 * fail (and be retried) instead of hanging. On `smtp:` to a host other than the loopback,
 * STARTTLS is required (`requireTLS`), so a server or an attacker that strips it cannot make
 * the mail, with its links, travel in clear. Query parameters set other nodemailer options
 * (e.g. `?pool=true`, `?requireTLS=false`).
 *
 * @param url - an `smtp:` or `smtps:` URL; credentials percent-encoded.
 * @returns a nodemailer transporter, to close when done.
 * @throws TesseraConfigError naming `transport` when the URL is not an SMTP URL (the URL itself,
 * which may hold a password, is never part of the message).
 *
 * @example
 * ```ts
 * const transport = createSmtpTransport(process.env.SMTP_URL ?? 'smtp://127.0.0.1:1025');
 * const mailer = createMailer({ transport, from: 'no-reply@example.com', appName: 'Acme', links });
 * ```
 */
export function createSmtpTransport(url: string): Transporter<SMTPSentMessageInfo, SMTPTransportOptions> {
  const issues: FieldIssue[] = [];
  const parsed = checkSmtpUrl(url, 'transport', issues);
  if (parsed === undefined) throw new TesseraConfigError(issues);
  return createTransport({
    url,
    connectionTimeout: smtpTimeouts.connectionTimeoutMs,
    greetingTimeout: smtpTimeouts.greetingTimeoutMs,
    socketTimeout: smtpTimeouts.socketTimeoutMs,
    requireTLS: parsed.protocol === 'smtp:' && !isLoopback(parsed.hostname),
    // nodemailer's logger would print the whole conversation, links included.
    logger: false,
  });
}

/** Checks an SMTP URL; records an issue at `path` and returns `undefined` when it is not one. */
export function checkSmtpUrl(url: unknown, path: string, issues: FieldIssue[]): URL | undefined {
  let parsed: URL | undefined;
  try {
    parsed = typeof url === 'string' ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') || parsed.hostname === '') {
    issues.push({ path, code: 'invalid_format', message: 'must be a nodemailer transporter or an smtp:// or smtps:// URL with a host' });
    return undefined;
  }
  return parsed;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}
