import type { TesseraStore } from '@tessera/core';
import { goodPassword, pgMemLeg, postgresAvailable, postgresLeg, uniqueEmail, type StoreLeg } from '@tessera/testkit';
import { simpleParser } from 'mailparser';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMailer, type Mailer } from '../src/index.js';
import { authRequest, callHandler, CapturingLogger, linkIn, mailerOptions, registerAndVerify, tesseraWithMailer, tokenOf } from './mailer-fixtures.js';
import { addressesOf, SmtpTestServer } from '@tessera/testkit';

// The PostgreSQL leg needs the server at TESSERA_TEST_DATABASE_URL (127.0.0.1:5432 by default);
// without it (and without CI=true) the leg is skipped with a notice, and pg-mem still runs.
const isPostgresUp = await postgresAvailable();
const legs: ReadonlyArray<{ leg: StoreLeg; skip: boolean }> = [
  { leg: pgMemLeg(), skip: false },
  { leg: postgresLeg(), skip: !isPostgresUp },
];

for (const { leg, skip } of legs) {
  describe.skipIf(skip)(`mail over SMTP, from the outbox, on ${leg.name}`, () => {
    let store: TesseraStore;
    let server: SmtpTestServer;
    let mailer: Mailer;

    beforeEach(async () => {
      store = await leg.open();
      server = await SmtpTestServer.start();
      mailer = createMailer(mailerOptions(server.url));
    });
    afterEach(async () => {
      await mailer.close();
      await server.stop();
    });
    afterAll(() => leg.close());

    it('delivers the verification mail, whose link verifies the address through the handler', async () => {
      const t = await tesseraWithMailer(store, mailer);
      const email = uniqueEmail('ada');
      const registered = await callHandler(t, authRequest('POST', '/register', { email, password: goodPassword }));
      expect(registered.status).toBe(201);
      await expect(t.tessera.api.login({ email, password: goodPassword })).rejects.toMatchObject({ code: 'email_not_verified' });

      expect(await t.tessera.outbox.drain()).toMatchObject({ delivered: 1, retried: 0 });
      expect(server.received).toHaveLength(1);
      expect(server.received[0]).toMatchObject({ mailFrom: 'no-reply@tessera.test', rcptTo: [email] });
      const [mail] = await server.parsed();
      if (!mail) throw new Error('no mail');
      expect(addressesOf(mail.to)).toEqual([email]);
      expect(mail.from?.value).toEqual([{ name: 'Tessera Test', address: 'no-reply@tessera.test' }]);
      expect(mail.subject).toBe('Verify your email address for Tessera Test');
      expect(mail.messageId).toMatch(/^<[0-9a-f-]{36}\.mailer@tessera\.test>$/);
      expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
      expect(mail.text).toContain('Welcome to Tessera Test!');
      expect(mail.html).toContain('<title>Verify your email address for Tessera Test</title>');

      const link = linkIn(mail, 'http://localhost/auth/verify-email?token=');
      const landing = await callHandler(t, new Request(link));
      expect(landing.status).toBe(200);
      await expect(t.tessera.api.login({ email, password: goodPassword })).resolves.toMatchObject({ user: { email } });
      expect((await callHandler(t, new Request(link))).status).toBe(400);
    });

    it('mails a reset link whose token sets a new password once and only once', async () => {
      const t = await tesseraWithMailer(store, mailer);
      const email = uniqueEmail('reset');
      await registerAndVerify(t, server, email);

      expect((await callHandler(t, authRequest('POST', '/password/forgot', { email }))).status).toBe(202);
      await t.tessera.outbox.drain();
      const [mail] = (await server.messagesTo(email)).slice(-1);
      if (!mail) throw new Error('no reset mail');
      expect(mail.subject).toBe('Reset your Tessera Test password');
      const token = tokenOf(linkIn(mail, 'https://app.example.com/reset-password?token='));

      const newPassword = 'a brand new passphrase for testing';
      const first = await callHandler(t, authRequest('POST', '/password/reset', { token, password: newPassword }));
      expect(first.status).toBe(204);
      const second = await callHandler(t, authRequest('POST', '/password/reset', { token, password: 'yet another passphrase for testing' }));
      expect(second.status).toBe(400);
      expect(await second.json()).toMatchObject({ code: 'invalid_token' });
      await expect(t.tessera.api.login({ email, password: newPassword })).resolves.toMatchObject({ user: { email } });

      await t.tessera.outbox.drain();
      const notices = await server.messagesTo(email);
      expect(notices.map((notice) => notice.subject)).toEqual([
        'Verify your email address for Tessera Test',
        'Reset your Tessera Test password',
        'Your Tessera Test password was changed',
      ]);
    });

    it('keeps registering while the SMTP server is down, then delivers every mail once when it is back', async () => {
      const logger = new CapturingLogger();
      const t = await tesseraWithMailer(store, mailer, logger);
      await server.stop();
      const emails = Array.from({ length: 4 }, () => uniqueEmail('down'));
      const responses = await Promise.all(emails.map((email) => callHandler(t, authRequest('POST', '/register', { email, password: goodPassword }))));
      expect(responses.map((response) => response.status)).toEqual([201, 201, 201, 201]);

      expect(await t.tessera.outbox.runOnce()).toEqual({ claimed: 4, delivered: 0, retried: 4, dead: 0 });
      expect(logger.lines.filter((line) => line.includes('delivery failed; will retry'))).toHaveLength(4);

      await server.resume();
      expect(await t.tessera.outbox.runOnce()).toMatchObject({ claimed: 0 });
      t.clock.advance(45);
      expect(await t.tessera.outbox.drain()).toMatchObject({ delivered: 4, retried: 0, dead: 0 });
      t.clock.advance(7200);
      expect(await t.tessera.outbox.drain()).toMatchObject({ claimed: 0 });
      expect(await store.outbox.countByState()).toEqual({ pending: 0, delivered: 4, dead: 0 });

      const mails = await server.parsed();
      expect(mails.flatMap((mail) => addressesOf(mail.to)).sort()).toEqual([...emails].sort());
      expect(new Set(mails.map((mail) => mail.messageId)).size).toBe(4);
      const tokens = mails.map((mail) => tokenOf(linkIn(mail, 'http://localhost/auth/verify-email?token=')));
      for (const token of tokens) expect(logger.lines.join('\n')).not.toContain(token);
    });

    it('marks a mail dead at once, without retries, when the server refuses its recipient for good (550)', async () => {
      const logger = new CapturingLogger();
      const t = await tesseraWithMailer(store, mailer, logger);
      const gone = uniqueEmail('gone');
      server.unknownMailboxes.add(gone);
      await t.tessera.api.register({ email: gone, password: goodPassword });
      const kept = uniqueEmail('kept');
      await t.tessera.api.register({ email: kept, password: goodPassword });

      expect(await t.tessera.outbox.runOnce()).toEqual({ claimed: 2, delivered: 1, retried: 0, dead: 1 });
      expect(await store.outbox.countByState()).toEqual({ pending: 0, delivered: 1, dead: 1 });
      expect((await server.parsed()).flatMap((mail) => addressesOf(mail.to))).toEqual([kept]);
      const failure = logger.lines.find((line) => line.includes('delivery failed for good')) ?? '';
      expect(failure).toContain('PermanentDeliveryFailure');
      expect(failure).toContain('550');
    });

    it('does not send a token mail whose token expired while it waited (SMTP down for longer than the token lives)', async () => {
      const t = await tesseraWithMailer(store, mailer);
      await server.stop();
      await t.tessera.api.register({ email: uniqueEmail('late'), password: goodPassword });
      expect(await t.tessera.outbox.runOnce()).toMatchObject({ retried: 1 });
      await server.resume();
      t.clock.advance(86_400 + 60);
      expect(await t.tessera.outbox.drain()).toMatchObject({ delivered: 0, dead: 1 });
      expect(server.received).toHaveLength(0);
    });

    it('sends a retried mail with the same Message-ID, and logs why it failed without the link', async () => {
      const logger = new CapturingLogger();
      const t = await tesseraWithMailer(store, mailer, logger);
      const email = uniqueEmail('retry');
      await t.tessera.api.register({ email, password: goodPassword });
      server.refuseNext = 1;

      expect(await t.tessera.outbox.runOnce()).toMatchObject({ retried: 1 });
      t.clock.advance(45);
      expect(await t.tessera.outbox.runOnce()).toMatchObject({ delivered: 1 });

      const [refused] = await Promise.all(server.refused.map((message) => simpleParser(message.raw)));
      const [delivered] = await server.parsed();
      if (!refused || !delivered) throw new Error('expected one refused and one delivered mail');
      expect(delivered.messageId).toMatch(/\.mailer@tessera\.test>$/);
      expect(refused.messageId).toBe(delivered.messageId);
      expect(refused.text).toBe(delivered.text);

      const failure = logger.lines.find((line) => line.includes('delivery failed; will retry')) ?? '';
      expect(failure).toContain('MailDeliveryError');
      expect(failure).toContain('451');
      const link = linkIn(delivered, 'http://localhost/auth/verify-email?token=');
      expect(failure).not.toContain(tokenOf(link));
      expect(failure).not.toContain('http://localhost');
    });
  });
}
