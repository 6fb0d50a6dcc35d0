import type { MailerOptions } from '@tessera/mailer';

/** The mailer of the app under test, sending through `smtpUrl`. */
export function mailerOptions(smtpUrl: string): MailerOptions {
  return {
    transport: smtpUrl,
    from: { name: 'Reliability', address: 'no-reply@reliability.test' },
    appName: 'Reliability',
    links: { verifyEmail: 'https://app.example.com/auth/verify-email?token={token}', resetPassword: 'https://app.example.com/reset-password?token={token}' },
  };
}
