import type { FieldIssue } from '@tessera/core';
import type { Transporter } from 'nodemailer';
import { createMailConsumer, type Mailer } from './mail-consumer.js';
import type { MailRenderingOptions } from './mailer-options.js';
import { prepareRendering } from './prepare-rendering.js';
import { sendMail } from './send-mail.js';
import { checkSmtpUrl, createSmtpTransport } from './smtp-transport.js';

/** Options of {@link createMailer}. */
export interface MailerOptions extends MailRenderingOptions {
  /**
   * How mails leave: a nodemailer transporter you configured (and close yourself), or an SMTP
   * URL (`smtp://user:pass@host:587`, `smtps://user:pass@host`) from which the mailer builds
   * one with connect/greeting/socket timeouts of 10/10/30 s (see `createSmtpTransport`), closed
   * by `mailer.close()`.
   */
  readonly transport: Transporter | string;
}

/**
 * Creates the mailer: an outbox consumer that turns Tessera's events into mails (verification,
 * password reset, security notices, ...) and sends them through nodemailer. Every option is
 * checked and every template compiled and rendered once here, so a mistake fails at start-up.
 * Delivery is at least once: a mail that fails is retried by the outbox with backoff, and
 * carries the same `Message-ID` (`<eventId.name@domain>`) each time.
 *
 * @param options - the transport, the sender, the app's name, the links, optional overrides.
 * @returns the consumer to list in `events.consumers`, with `preview()` and `close()`.
 * @throws TesseraConfigError naming every wrong option or broken template.
 *
 * @example
 * ```ts
 * import { createTessera } from '@tessera/core';
 * import { createMailer } from '@tessera/mailer';
 *
 * const mailer = createMailer({
 *   transport: process.env.SMTP_URL!,
 *   from: { name: 'Acme', address: 'no-reply@acme.example' },
 *   appName: 'Acme',
 *   links: {
 *     verifyEmail: 'https://acme.example/auth/verify-email?token={token}',
 *     resetPassword: 'https://acme.example/reset-password?token={token}',
 *   },
 * });
 * const tessera = createTessera({ ...options, events: { consumers: [mailer] } });
 * tessera.outbox.start();
 * // on shutdown: await tessera.close(); await mailer.close();
 * ```
 */
export function createMailer(options: MailerOptions): Mailer {
  const issues: FieldIssue[] = [];
  const transport: unknown = (options as Partial<MailerOptions> | undefined)?.transport;
  const isTransporter = typeof transport === 'object' && transport !== null && typeof (transport as Partial<Transporter>).sendMail === 'function';
  if (!isTransporter) checkSmtpUrl(transport, 'transport', issues);
  const rendering = prepareRendering(options, ['transport'], issues);
  const transporter = isTransporter ? (transport as Transporter) : createSmtpTransport(transport as string);
  return createMailConsumer(
    rendering,
    async (mail) => void (await sendMail(transporter, mail)),
    () => {
      if (!isTransporter) transporter.close();
    },
  );
}
