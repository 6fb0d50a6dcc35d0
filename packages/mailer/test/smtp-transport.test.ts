import { uniqueEmail } from '@tessera/testkit';
import { createTransport } from 'nodemailer';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMailer, createSmtpTransport, MailDeliveryError, sampleEvents, smtpTimeouts } from '../src/index.js';
import { mailerOptions } from './mailer-fixtures.js';
import { SmtpTestServer } from '@tessera/testkit';

const servers: SmtpTestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

const registered = () => {
  const event = sampleEvents().find((sample) => sample.type === 'user.registered');
  if (!event || event.type !== 'user.registered') throw new Error('no sample');
  return { ...event, payload: { user: { ...event.payload.user, email: uniqueEmail('smtp') } } };
};

describe('the SMTP transport built from a URL', () => {
  it('has connect, greeting and socket timeouts of 10, 10 and 30 seconds', () => {
    expect(smtpTimeouts).toEqual({ connectionTimeoutMs: 10_000, greetingTimeoutMs: 10_000, socketTimeoutMs: 30_000 });
    const transport = createSmtpTransport('smtp://mailer:secret@smtp.example.com:587');
    expect(transport.options).toMatchObject({ host: 'smtp.example.com', port: 587, secure: false, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
    transport.close();
  });

  it('requires STARTTLS on smtp: to a remote host, but not on the loopback nor with smtps:', () => {
    const options = (url: string) => {
      const transport = createSmtpTransport(url);
      transport.close();
      return transport.options;
    };
    expect(options('smtp://smtp.example.com:587')).toMatchObject({ requireTLS: true });
    expect(options('smtp://smtp.example.com:587?requireTLS=false')).toMatchObject({ requireTLS: false });
    expect(options('smtp://127.0.0.1:1025')).toMatchObject({ requireTLS: false });
    expect(options('smtps://smtp.example.com')).toMatchObject({ secure: true, requireTLS: false });
  });

  it('logs in with the credentials of the URL', async () => {
    const server = await SmtpTestServer.start({ credentials: { user: 'mailer', pass: 'p@ss:word' } });
    servers.push(server);
    const mailer = createMailer(mailerOptions(server.url));
    const event = registered();
    await mailer.handle(event);
    expect(server.received).toMatchObject([{ user: 'mailer', rcptTo: [event.payload.user.email] }]);
    await mailer.close();
  });

  it('rejects with a MailDeliveryError, without the link, when nothing listens', async () => {
    const server = await SmtpTestServer.start();
    await server.stop();
    const mailer = createMailer(mailerOptions(server.url));
    const failure: unknown = await mailer.handle(registered()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MailDeliveryError);
    expect(failure).toMatchObject({ transportCode: expect.stringMatching(/^E[A-Z]+$/) });
    expect(String(failure)).toMatch(/^MailDeliveryError: the verify-email mail of event [0-9a-f-]+ was not sent/);
    expect(String(failure)).not.toContain('sample-one-time-token');
    await mailer.close();
  });
});

describe('closing', () => {
  it('closes the transport it built, and refuses events afterwards (they stay in the outbox)', async () => {
    const server = await SmtpTestServer.start();
    servers.push(server);
    const mailer = createMailer(mailerOptions(server.url));
    await mailer.handle(registered());
    await mailer.close();
    await expect(mailer.handle(registered())).rejects.toThrow(/closed/);
    expect(server.received).toHaveLength(1);
  });

  it('leaves a transporter it was given open: it belongs to the caller', async () => {
    const transport = createTransport({ jsonTransport: true });
    const close = vi.spyOn(transport, 'close');
    const mailer = createMailer(mailerOptions(transport));
    await mailer.handle(registered());
    await mailer.close();
    expect(close).not.toHaveBeenCalled();
  });

  it('sends a mail it already delivered only once when its event comes back to the same process', async () => {
    const transport = createTransport({ jsonTransport: true });
    const sendMail = vi.spyOn(transport, 'sendMail');
    const mailer = createMailer(mailerOptions(transport));
    const event = registered();
    await mailer.handle(event);
    await mailer.handle({ ...event, attempt: 2 });
    expect(sendMail).toHaveBeenCalledTimes(1);
  });
});
