import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

/** One message as the server received it. */
export interface ReceivedMessage {
  readonly raw: string;
  readonly mailFrom: string | null;
  readonly rcptTo: readonly string[];
  /** The user the client authenticated as, if it did. */
  readonly user: string | null;
}

/** Options of {@link SmtpTestServer.start}. */
export interface SmtpTestServerOptions {
  /** When set, the client must authenticate with these (over plain TCP: a test server). */
  readonly credentials?: { readonly user: string; readonly pass: string };
}

/**
 * A real SMTP server on 127.0.0.1 and an ephemeral port, collecting every message. It can be
 * stopped and started again on the same port, and told to refuse the next messages.
 */
export class SmtpTestServer {
  readonly received: ReceivedMessage[] = [];
  /** Messages that arrived whole but were refused (see {@link refuseNext}). */
  readonly refused: ReceivedMessage[] = [];
  /** How many of the next messages to refuse with a temporary failure (451). */
  refuseNext = 0;
  /** Recipients refused for good at RCPT TO (550, no such mailbox). */
  readonly unknownMailboxes = new Set<string>();
  #server: SMTPServer | undefined;
  #port = 0;
  readonly #options: SmtpTestServerOptions;

  private constructor(options: SmtpTestServerOptions) {
    this.#options = options;
  }

  /** Starts a server on an ephemeral port. */
  static async start(options: SmtpTestServerOptions = {}): Promise<SmtpTestServer> {
    const server = new SmtpTestServer(options);
    await server.resume();
    return server;
  }

  /** The port the server listens on (kept across stop and resume). */
  get port(): number {
    return this.#port;
  }

  /** An SMTP URL for the mailer, with the credentials when the server requires them. */
  get url(): string {
    const credentials = this.#options.credentials;
    const userInfo = credentials ? `${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.pass)}@` : '';
    return `smtp://${userInfo}127.0.0.1:${this.#port}`;
  }

  /** Listens again, on the same port as before (or an ephemeral one the first time). */
  async resume(): Promise<void> {
    const server = new SMTPServer({
      authOptional: this.#options.credentials === undefined,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      closeTimeout: 1000,
      onAuth: (auth, _session, callback) => {
        const expected = this.#options.credentials;
        if (expected && auth.username === expected.user && auth.password === expected.pass) callback(null, { user: auth.username });
        else callback(new Error('Invalid username or password'));
      },
      onRcptTo: (address, _session, callback) => {
        if (this.unknownMailboxes.has(address.address)) callback(Object.assign(new Error('No such mailbox'), { responseCode: 550 }));
        else callback();
      },
      onData: (stream, session, callback) => this.#collect(stream, session, callback),
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, '127.0.0.1', () => resolve());
    });
    this.#port = (server.server.address() as AddressInfo).port;
    this.#server = server;
  }

  /** Stops listening; connecting fails until {@link resume}. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Every received message, parsed. */
  async parsed(): Promise<ParsedMail[]> {
    return Promise.all(this.received.map((message) => simpleParser(message.raw)));
  }

  /** The messages sent to one address, parsed, oldest first. */
  async messagesTo(address: string): Promise<ParsedMail[]> {
    return Promise.all(this.received.filter((message) => message.rcptTo.includes(address)).map((message) => simpleParser(message.raw)));
  }

  #collect(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (error?: Error | null) => void): void {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const message: ReceivedMessage = {
        raw: Buffer.concat(chunks).toString('utf8'),
        mailFrom: session.envelope.mailFrom === false ? null : session.envelope.mailFrom.address,
        rcptTo: session.envelope.rcptTo.map((recipient) => recipient.address),
        user: typeof session.user === 'string' ? session.user : null,
      };
      if (this.refuseNext > 0) {
        this.refuseNext -= 1;
        this.refused.push(message);
        callback(Object.assign(new Error('Temporary failure, try again later'), { responseCode: 451 }));
        return;
      }
      this.received.push(message);
      callback(null);
    });
  }
}

/** The addresses of a parsed address header. */
export function addressesOf(field: AddressObject | AddressObject[] | undefined): string[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return objects.flatMap((object) => object.value.map((mailbox) => mailbox.address ?? ''));
}
