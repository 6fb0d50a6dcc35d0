import { createDevMailer, createMailer, type CapturedMail, type MailLinks, type Mailer } from '@tessera/mailer';
import type { ExampleConfig } from './example-config.js';

/** How the example sends mail. */
export interface ExampleMail {
  /** The outbox consumer to list in `events.consumers`. */
  readonly mailer: Mailer;
  /** The mails kept in memory by the dev mailbox, newest first; `null` with real SMTP. */
  readonly devMails: readonly CapturedMail[] | null;
  /** For the start-up banner; never contains a password. */
  readonly description: string;
}

/** The pages the mailed links lead to: Tessera's own link endpoints, and the app's reset form. */
export function mailLinks(appUrl: string): MailLinks {
  return {
    verifyEmail: `${appUrl}/auth/verify-email?token={token}`,
    resetPassword: `${appUrl}/reset-password?token={token}`,
    confirmEmailChange: `${appUrl}/auth/email-change/confirm?token={token}`,
    app: appUrl,
  };
}

/**
 * Real mail through the SMTP server in `SMTP_URL`, or, without it, the dev mailbox: every mail
 * is rendered exactly as it would be sent, kept in memory for the `/dev/mail` page, and its
 * link printed on the terminal (development only: a link carries a one-time token, which is
 * why it goes to the terminal and never into the logs).
 *
 * @param printDevMail - where the dev mailbox announces each mail.
 * @throws Error in production (`NODE_ENV=production`) without `SMTP_URL`.
 */
export function createExampleMail(
  config: Pick<ExampleConfig, 'smtpUrl' | 'mailFrom' | 'appUrl' | 'isProduction'>,
  appName: string,
  printDevMail: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): ExampleMail {
  const rendering = { from: { name: appName, address: config.mailFrom }, appName, links: mailLinks(config.appUrl) };
  if (config.smtpUrl !== null) {
    const host = new URL(config.smtpUrl).host;
    return { mailer: createMailer({ ...rendering, transport: config.smtpUrl }), devMails: null, description: `SMTP via ${host}` };
  }
  if (config.isProduction) throw new Error('NODE_ENV=production: set SMTP_URL; the dev mailbox shows one-time links to anyone who can open /dev/mail.');
  const mailer = createDevMailer({
    ...rendering,
    maxMessages: 100,
    onMail: (mail) => printDevMail(`[dev mail] to ${mail.to.address}: ${mail.subject} → ${mail.link ?? '(no link)'}`),
  });
  return { mailer, devMails: mailer.messages, description: 'dev mailbox (terminal and /dev/mail)' };
}
