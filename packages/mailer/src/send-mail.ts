import { PermanentDeliveryFailure } from '@tessera/core';
import type { SentMessageInfo, Transporter } from 'nodemailer';
import { MailDeliveryError } from './mail-delivery-error.js';
import type { Mailbox, RenderedMail } from './render-mail.js';

/**
 * Hands a rendered mail to a nodemailer transport. The SMTP envelope is set explicitly to the
 * one recipient, so whatever a header might say, nobody else receives the mail; names and
 * the subject were already stripped of control characters. Local files and URLs are never
 * read into the message.
 *
 * @throws MailDeliveryError when the transport did not take the mail; PermanentDeliveryFailure when the
 * server refused the recipient for good (5xx at RCPT TO).
 */
export async function sendMail(transport: Transporter, mail: RenderedMail): Promise<SentMessageInfo> {
  try {
    return await transport.sendMail({
      from: mailboxField(mail.from),
      to: mailboxField(mail.to),
      envelope: { from: mail.from.address, to: [mail.to.address] },
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: mail.messageId,
      // RFC 3834: an automatic message; out-of-office replies should not answer it.
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
      disableFileAccess: true,
      disableUrlAccess: true,
    });
  } catch (error) {
    const failure = new MailDeliveryError(mail, error);
    // A permanent SMTP refusal of the recipient (5xx: no such mailbox, refused) will not change
    // on retry: the outbox marks the message dead at once instead of trying ten times.
    if (failure.responseCode !== null && failure.responseCode >= 500 && failure.transportCode === 'EENVELOPE') {
      throw new PermanentDeliveryFailure(failure.message, { cause: failure });
    }
    throw failure;
  }
}

function mailboxField(mailbox: Mailbox): string | { name: string; address: string } {
  return mailbox.name === null ? mailbox.address : { name: mailbox.name, address: mailbox.address };
}
