import type { AddressInfo } from 'node:net';
import type { AddressObject, ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

/** One message as the server received it. */
export interface ReceivedMessage {
  readonly raw: string;
  readonly mailFrom: string | null;
  /** The envelope's recipients (RCPT TO). */
  readonly rcptTo: readonly string[];
  /** The user the client authenticated as, if it did. */
  readonly user: string | null;
  /** The `Message-ID` header (the same for every retry of one event's mail). */
  readonly messageId: string;
  readonly subject: string;
}

/** Options of {@link SmtpTestServer.start}. */
export interface SmtpTestServerOptions {
  /** When set, the client must authenticate with these (over plain TCP: a test server). */
  readonly credentials?: { readonly user: string; readonly pass: string };
  /** The port to listen on (another process may have been given it before). @default an ephemeral one */
  readonly port?: number;
  /** How long `stop()` lets a transfer under way finish. @default 1000 */
  readonly closeTimeoutMs?: number;
}

/**
 * A real SMTP server (the `smtp-server` package) on 127.0.0.1, collecting every message it
 * accepts. It can be stopped (connections are refused) and started again on the same port, and
 * told to misbehave: refuse the next messages (451), refuse mailboxes for good (550), answer
 * slowly, or read a message and never answer, like a server that hangs.
 */
export class SmtpTestServer {
  readonly received: ReceivedMessage[] = [];
  /** Messages that arrived whole but were refused (see {@link refuseNext}). */
  readonly refused: ReceivedMessage[] = [];
  /** How many of the next messages to refuse with a temporary failure (451). */
  refuseNext = 0;
  /** Recipients refused for good at RCPT TO (550, no such mailbox). */
  readonly unknownMailboxes = new Set<string>();
  /**
   * When set, the server reads each message and then answers nothing (the client waits, and the
   * message is not kept: it was never acknowledged).
   */
  isHangingAfterData = false;
  /** How long the server thinks before it takes a message (a slow server). @default 0 */
  answerDelayMs = 0;
  #server: SMTPServer | undefined;
  #port: number;
  readonly #options: SmtpTestServerOptions;

  private constructor(options: SmtpTestServerOptions) {
    this.#options = options;
    this.#port = options.port ?? 0;
  }

  /** Starts a server. */
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

  /** Whether the server is listening. */
  get isListening(): boolean {
    return this.#server !== undefined;
  }

  /** Listens again, on the same port as before (or the first time, the configured or an ephemeral one). */
  async resume(): Promise<void> {
    if (this.#server) return;
    const server = new SMTPServer({
      authOptional: this.#options.credentials === undefined,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      closeTimeout: this.#options.closeTimeoutMs ?? 1000,
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
    // A client that drops its connection mid-message must not end the test process.
    server.on('error', () => undefined);
    this.#port = (server.server.address() as AddressInfo).port;
    this.#server = server;
  }

  /** Stops listening: connecting fails (ECONNREFUSED) until {@link resume}. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The received messages to one address (envelope), oldest first. */
  mailsTo(address: string): ReceivedMessage[] {
    return this.received.filter((message) => message.rcptTo.includes(address));
  }

  /** How many received messages carry each Message-ID. */
  countsByMessageId(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const message of this.received) counts.set(message.messageId, (counts.get(message.messageId) ?? 0) + 1);
    return counts;
  }

  /** Every received message, parsed. */
  async parsed(): Promise<ParsedMail[]> {
    return parseAll(this.received);
  }

  /** The messages sent to one address, parsed, oldest first. */
  async messagesTo(address: string): Promise<ParsedMail[]> {
    return parseAll(this.mailsTo(address));
  }

  #collect(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (error?: Error | null) => void): void {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      if (this.isHangingAfterData) return;
      const raw = Buffer.concat(chunks).toString('utf8');
      const message: ReceivedMessage = {
        raw,
        mailFrom: session.envelope.mailFrom === false ? null : session.envelope.mailFrom.address,
        rcptTo: session.envelope.rcptTo.map((recipient) => recipient.address),
        user: typeof session.user === 'string' ? session.user : null,
        messageId: headerOf(raw, 'message-id'),
        subject: headerOf(raw, 'subject'),
      };
      setTimeout(() => {
        if (this.refuseNext > 0) {
          this.refuseNext -= 1;
          this.refused.push(message);
          callback(Object.assign(new Error('Temporary failure, try again later'), { responseCode: 451 }));
          return;
        }
        this.received.push(message);
        callback(null);
      }, this.answerDelayMs);
    });
  }
}

// mailparser is loaded by the tests that read mails, not by every test that imports the testkit.
async function parseAll(messages: readonly ReceivedMessage[]): Promise<ParsedMail[]> {
  const { simpleParser } = await import('mailparser');
  return Promise.all(messages.map((message) => simpleParser(message.raw)));
}

/** One header of a raw message, unfolded; empty when it has none. */
function headerOf(raw: string, name: string): string {
  const head = raw.slice(0, raw.search(/\r?\n\r?\n/) >>> 0).replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((candidate) => candidate.toLowerCase().startsWith(`${name}:`));
  return line ? line.slice(name.length + 1).trim() : '';
}

/** The addresses of a parsed address header. */
export function addressesOf(field: AddressObject | AddressObject[] | undefined): string[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return objects.flatMap((object) => object.value.map((mailbox) => mailbox.address ?? ''));
}

/** The one-time token in a mail's link (`?token=…`), read from its quoted-printable text. */
export function tokenInMail(mail: Pick<ReceivedMessage, 'raw' | 'subject'>): string {
  const text = mail.raw.replace(/=\r?\n/g, '').replace(/=3D/gi, '=');
  const token = /[?&]token=([A-Za-z0-9_-]{43})/.exec(text)?.[1];
  if (!token) throw new Error(`no token in the mail "${mail.subject}"`);
  return token;
}
