import { createPgMemStore } from '@tessera/kysely/pg-mem';
import { goodPassword, uniqueEmail } from '@tessera/testkit';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { createDevMailer, createMailer, sampleEvents, type CapturedMail } from '../src/index.js';
import { callHandler, devMailerOptions, mailerOptions, tesseraWithMailer } from './mailer-fixtures.js';
import { SmtpTestServer } from '@tessera/testkit';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('the development mailer', () => {
  it('captures the very mail production sends over SMTP', async () => {
    const server = await SmtpTestServer.start();
    cleanups.push(() => server.stop());
    const production = createMailer(mailerOptions(server.url));
    cleanups.push(() => production.close());
    const development = createDevMailer(devMailerOptions());
    const event = sampleEvents().find((sample) => sample.type === 'user.password_reset_requested');
    if (!event) throw new Error('no sample');

    await production.handle(event);
    await development.handle(event);
    const [sent, captured] = await Promise.all([simpleParser(server.received[0]?.raw ?? ''), simpleParser(development.messages[0]?.raw ?? '')]);
    for (const field of ['subject', 'text', 'html', 'messageId'] as const) expect(captured[field]).toEqual(sent[field]);
    expect(captured.from?.text).toBe(sent.from?.text);
    expect(JSON.stringify(captured.to)).toBe(JSON.stringify(sent.to));
    expect(captured.headers.get('auto-submitted')).toBe(sent.headers.get('auto-submitted'));

    const [mail] = development.messages;
    expect(mail).toEqual({ ...production.preview(event), raw: expect.any(String) });
    expect(mail?.link).toBe('https://app.example.com/reset-password?token=sample-one-time-token');
    expect(mail?.links).toEqual([mail?.link, 'https://app.example.com']);
  });

  it('keeps the newest mails first, up to maxMessages, and reports each to onMail', async () => {
    const lines: string[] = [];
    const onMail = (mail: CapturedMail): void => void lines.push(`[dev mail] to ${mail.to.address}: ${mail.subject} → ${mail.link ?? '(no link)'}`);
    const mailer = createDevMailer(devMailerOptions({ maxMessages: 2, onMail }));
    const [registered, resent, reset] = sampleEvents();
    for (const event of [registered, resent, reset]) if (event) await mailer.handle(event);

    expect(mailer.messages.map((mail) => mail.eventType)).toEqual(['user.password_reset_requested', 'user.verification_resent']);
    expect(lines).toEqual([
      '[dev mail] to ada@example.com: Verify your email address for Tessera Test → http://localhost/auth/verify-email?token=sample-one-time-token',
      '[dev mail] to bob@example.com: Verify your email address for Tessera Test → http://localhost/auth/verify-email?token=sample-one-time-token',
      '[dev mail] to ada@example.com: Reset your Tessera Test password → https://app.example.com/reset-password?token=sample-one-time-token',
    ]);
    mailer.clear();
    expect(mailer.messages).toEqual([]);
  });

  it('serves as Tessera’s consumer: its link verifies, and unmailed events are not even queued for it', async () => {
    const { store, close } = await createPgMemStore();
    cleanups.push(close);
    const mailer = createDevMailer(devMailerOptions());
    const t = await tesseraWithMailer(store, mailer);
    const email = uniqueEmail('dev');
    await t.tessera.api.register({ email, password: goodPassword });
    await t.tessera.outbox.drain();

    const [verification] = mailer.messages;
    expect(verification).toMatchObject({ eventType: 'user.registered', to: { address: email } });
    expect((await callHandler(t, new Request(verification?.link ?? ''))).status).toBe(200);
    // Verifying published user.email_verified, which the mailer does not subscribe to.
    expect(await store.outbox.countByState()).toEqual({ pending: 0, delivered: 1, dead: 0 });

    await t.tessera.api.forgotPassword({ email });
    await t.tessera.outbox.drain();
    expect(mailer.messages.map((mail) => mail.subject)).toEqual(['Reset your Tessera Test password', 'Verify your email address for Tessera Test']);
  });
});
