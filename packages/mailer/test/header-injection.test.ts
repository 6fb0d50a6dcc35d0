import type { TesseraStore, UserId } from '@tessera/core';
import { createPgMemStore } from '@tessera/kysely/pg-mem';
import { goodPassword, uniqueEmail } from '@tessera/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMailer, sampleEvents, type Mailer } from '../src/index.js';
import { mailerOptions, tesseraWithMailer } from './mailer-fixtures.js';
import { addressesOf, SmtpTestServer } from '@tessera/testkit';

let store: TesseraStore;
let closeStore: () => Promise<void>;
let server: SmtpTestServer;
let mailer: Mailer;

beforeEach(async () => {
  ({ store, close: closeStore } = await createPgMemStore());
  server = await SmtpTestServer.start();
});
afterEach(async () => {
  await mailer.close();
  await server.stop();
  await closeStore();
});

/** The header block of a raw message, one unfolded header per line. */
function headerLines(raw: string): string[] {
  return raw.slice(0, raw.search(/\r?\n\r?\n/)).replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/);
}

describe('hostile names', () => {
  // The core refuses control characters in names; these arrive as if written to the database
  // by something else (an import, an older version), to show the mailer does not rely on that.
  it('lets a first name with CR LF inject no header and no recipient, and escapes <script> in the HTML', async () => {
    mailer = createMailer(mailerOptions(server.url, { templates: { mails: { 'reset-password': { subject: 'Hello {{user.firstName}}, reset your password' } } } }));
    const t = await tesseraWithMailer(store, mailer);
    const email = uniqueEmail('eve');
    const { user } = await t.tessera.api.register({ email, password: goodPassword });
    await store.users.update(user.id as UserId, {
      profile: { firstName: '<script>alert(1)</script>Eve\r\nBcc: attacker@example.com', lastName: 'Doe' },
      updatedAt: t.clock.now(),
    });
    await t.tessera.api.forgotPassword({ email });
    await t.tessera.outbox.drain();

    const reset = server.received.find((message) => message.raw.includes('reset your password'));
    if (!reset) throw new Error('no reset mail');
    expect(reset.rcptTo).toEqual([email]);
    expect(server.received.flatMap((message) => message.rcptTo)).not.toContain('attacker@example.com');
    const headers = headerLines(reset.raw);
    expect(headers.filter((line) => /^bcc:/i.test(line))).toEqual([]);
    expect(headers.filter((line) => /^to:/i.test(line))).toHaveLength(1);
    expect(headers.find((line) => /^subject:/i.test(line))).toBe('Subject: Hello <script>alert(1)</script>Eve Bcc: attacker@example.com, reset your password');

    const [, mail] = await server.parsed();
    expect(mail?.bcc).toBeUndefined();
    expect(addressesOf(mail?.to)).toEqual([email]);
    expect(mail?.to && !Array.isArray(mail.to) ? mail.to.value[0]?.name : null).toBe('<script>alert(1)</script>Eve Bcc: attacker@example.com Doe');
    expect(mail?.html).not.toContain('<script>');
    expect(mail?.html).toContain('Hi &lt;script&gt;alert(1)&lt;/script&gt;Eve Bcc: attacker@example.com,');
    expect(mail?.text).toContain('Hi <script>alert(1)</script>Eve Bcc: attacker@example.com,');
  });

  it('strips control characters from the sender name, and escapes every user value in the HTML', async () => {
    mailer = createMailer(mailerOptions(server.url, { from: { name: 'Acme\r\nBcc: attacker@example.com', address: 'no-reply@tessera.test' } }));
    const event = sampleEvents().find((sample) => sample.type === 'pro.rejected');
    if (event?.type !== 'pro.rejected') throw new Error('no sample');
    const hostile = '<img src=x onerror=alert(1)>"\'&';
    await mailer.handle({
      ...event,
      payload: { user: { ...event.payload.user, firstName: hostile, username: hostile }, reason: `${hostile}\nsecond line\u0007` },
    });

    const [received] = server.received;
    expect(received?.rcptTo).toEqual(['ada@example.com']);
    expect(headerLines(received?.raw ?? '').filter((line) => /^(bcc|from):/i.test(line))).toEqual(['From: "Acme Bcc: attacker@example.com" <no-reply@tessera.test>']);
    const [mail] = await server.parsed();
    expect(mail?.html).not.toContain('<img');
    expect(mail?.html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;&quot;&#x27;&amp;');
    expect(mail?.text).toContain(`${hostile}\nsecond line`);
    expect(mail?.text).not.toContain('\u0007');
  });
});
