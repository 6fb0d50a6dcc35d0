import type { FieldIssue } from '@tessera/core';
import { createTransport, type SentMessageInfo } from 'nodemailer';
import { createMailConsumer, type Mailer } from './mail-consumer.js';
import type { MailRenderingOptions } from './mailer-options.js';
import { prepareRendering } from './prepare-rendering.js';
import type { RenderedMail } from './render-mail.js';
import { sendMail } from './send-mail.js';

/** A mail the development mailer kept instead of sending. */
export interface CapturedMail extends RenderedMail {
  /** The whole message as it would go on the wire: headers and MIME parts. */
  readonly raw: string;
}

/** Options of {@link createDevMailer}: the mailer's, without a transport. */
export interface DevMailerOptions extends MailRenderingOptions {
  /** How many mails `messages` keeps (the oldest go first). @default 50 */
  readonly maxMessages?: number | undefined;
  /** Called with every mail, e.g. to print its link on the terminal. */
  readonly onMail?: ((mail: CapturedMail) => void) | undefined;
}

/** The development mailer: a {@link Mailer} whose mails stay in memory. */
export interface DevMailer extends Mailer {
  /** The mails, newest first. */
  readonly messages: readonly CapturedMail[];
  /** Forgets every kept mail. */
  clear(): void;
}

/**
 * Creates a mailer for development and tests: the same options, templates, rendering and
 * nodemailer message building as {@link createMailer}, but the mails are kept in memory (and
 * handed to `onMail`) instead of being sent. Nothing leaves the process.
 *
 * @throws TesseraConfigError naming every wrong option or broken template.
 *
 * @example
 * ```ts
 * const mailer = createDevMailer({
 *   from: 'no-reply@localhost',
 *   appName: 'Acme (dev)',
 *   links: {
 *     verifyEmail: 'http://localhost:3000/auth/verify-email?token={token}',
 *     resetPassword: 'http://localhost:3000/reset-password?token={token}',
 *   },
 *   onMail: (mail) => console.log(`[dev mail] to ${mail.to.address}: ${mail.subject} → ${mail.link ?? '(no link)'}`),
 * });
 * ```
 */
export function createDevMailer(options: DevMailerOptions): DevMailer {
  const issues: FieldIssue[] = [];
  const given = options as Partial<DevMailerOptions> | undefined;
  const maxMessages = given?.maxMessages ?? 50;
  if (!Number.isInteger(maxMessages) || maxMessages < 1 || maxMessages > 10_000) {
    issues.push({ path: 'maxMessages', code: 'invalid_format', message: 'must be an integer from 1 to 10000' });
  }
  const onMail = given?.onMail;
  if (onMail !== undefined && typeof onMail !== 'function') issues.push({ path: 'onMail', code: 'invalid_type', message: 'must be a function' });
  const rendering = prepareRendering(options, ['maxMessages', 'onMail'], issues);
  const transport = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const messages: CapturedMail[] = [];
  const mailer = createMailConsumer(
    rendering,
    async (mail) => {
      const captured: CapturedMail = { ...mail, raw: rawMessageOf(await sendMail(transport, mail)) };
      messages.unshift(captured);
      messages.splice(maxMessages);
      onMail?.(captured);
    },
    () => transport.close(),
  );
  return { ...mailer, messages, clear: () => void messages.splice(0) };
}

function rawMessageOf(info: SentMessageInfo): string {
  const message: unknown = info.message;
  return Buffer.isBuffer(message) ? message.toString('utf8') : '';
}
