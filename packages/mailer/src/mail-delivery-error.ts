import type { RenderedMail } from './render-mail.js';

/**
 * A mail the transport did not take (SMTP server down, recipient refused, timeout, ...). The
 * outbox retries the event later. The message holds the transport's error code and reply,
 * never the mail's content: no link, no token.
 */
export class MailDeliveryError extends Error {
  override readonly name = 'MailDeliveryError';
  /** The event whose mail was not sent. */
  readonly eventId: string;
  /** The transport's error code, e.g. `ECONNECTION`, `ETIMEDOUT`, `EENVELOPE`. */
  readonly transportCode: string | null;
  /** The SMTP reply code, e.g. `550`, when the server answered. */
  readonly responseCode: number | null;

  constructor(mail: Pick<RenderedMail, 'eventId' | 'template'>, cause: unknown) {
    const details = cause as { code?: unknown; responseCode?: unknown; command?: unknown; message?: unknown } | null;
    const transportCode = typeof details?.code === 'string' ? details.code : null;
    const responseCode = typeof details?.responseCode === 'number' ? details.responseCode : null;
    const command = typeof details?.command === 'string' ? ` during ${details.command}` : '';
    const reason = typeof details?.message === 'string' ? redact(details.message) : 'unknown error';
    super(`the ${mail.template} mail of event ${mail.eventId} was not sent${command}: ${[transportCode, reason].filter(Boolean).join(' ')}`, { cause });
    this.eventId = mail.eventId;
    this.transportCode = transportCode;
    this.responseCode = responseCode;
  }
}

/** A server reply could quote a line of the message; links and tokens never reach a log. */
function redact(message: string): string {
  return message
    .replace(/\bhttps?:\/\/\S+/gi, '[link]')
    .replace(/token=[^\s&]+/gi, 'token=[redacted]')
    .replace(/\p{Cc}+/gu, ' ')
    .slice(0, 300);
}
