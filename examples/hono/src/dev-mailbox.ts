import type { EventConsumer, TesseraEvent } from '@tessera/core';

type MailEvent = TesseraEvent<'user.registered' | 'user.verification_resent' | 'user.password_reset_requested'>;

/** A mail as the developer sees it in the dev mailbox. */
export interface DevMail {
  readonly to: string;
  readonly subject: string;
  readonly link: string;
  readonly at: string;
}

/**
 * Development mail: instead of sending, keeps the mails Tessera's events would send and prints
 * their links, so a developer can follow them without an SMTP server.
 */
export function devMailbox(appUrl: string, print: (line: string) => void): { consumer: EventConsumer; mails: readonly DevMail[] } {
  const mails: DevMail[] = [];
  const consumer: EventConsumer<MailEvent['type']> = {
    name: 'dev-mailbox',
    events: ['user.registered', 'user.verification_resent', 'user.password_reset_requested'],
    async handle(event) {
      const mail = toMail(appUrl, event);
      mails.unshift(mail);
      if (mails.length > 100) mails.pop();
      print(`[dev mail] to ${mail.to}: ${mail.subject} → ${mail.link}`);
    },
  };
  return { consumer: consumer, mails };
}

function toMail(appUrl: string, event: MailEvent): DevMail {
  const at = event.occurredAt.toISOString();
  const to = event.payload.user.email;
  if (event.type === 'user.password_reset_requested') {
    return { to, at, subject: 'Reset your password', link: `${appUrl}/reset-password?token=${event.secrets.reset.token}` };
  }
  return { to, at, subject: 'Verify your email address', link: `${appUrl}/auth/verify-email?token=${event.secrets.verification.token}` };
}
