import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';

/** One message as the SMTP server accepted it. */
export interface AcceptedMail {
  readonly messageId: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly raw: string;
}

/**
 * A real SMTP server (the `smtp-server` package) on 127.0.0.1 that keeps every message it
 * accepts. It can be stopped, so that connections are refused, and started again on the same
 * port.
 */
export class SmtpSink {
  readonly accepted: AcceptedMail[] = [];
  /**
   * When set, the server reads each message and then answers nothing, like a server that hangs
   * (the client waits, and the message is not kept: it was never acknowledged).
   */
  isHangingAfterData = false;
  /** How long the server thinks before it takes a message (a slow server). @default 0 */
  answerDelayMs = 0;
  #server: SMTPServer | undefined;
  #port = 0;

  private constructor() {}

  /** Starts on an ephemeral port, or on `port` (another process may have known it before). */
  static async start(port = 0): Promise<SmtpSink> {
    const sink = new SmtpSink();
    sink.#port = port;
    await sink.resume();
    return sink;
  }

  get port(): number {
    return this.#port;
  }

  /** The SMTP URL of this server. */
  get url(): string {
    return `smtp://127.0.0.1:${this.#port}`;
  }

  /** Whether the server is listening. */
  get isListening(): boolean {
    return this.#server !== undefined;
  }

  /** Listens again, on the same port. */
  async resume(): Promise<void> {
    if (this.#server) return;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      closeTimeout: 2000,
      onData: (stream, _session, callback) => this.#collect(stream, callback),
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, '127.0.0.1', () => resolve());
    });
    server.on('error', () => undefined);
    this.#port = (server.server.address() as AddressInfo).port;
    this.#server = server;
  }

  /**
   * Stops listening: connecting fails (ECONNREFUSED) until {@link resume}. A mail already being
   * transferred may finish (within 2 s), as with a real server shutting down.
   */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** How many accepted messages carry each Message-ID. */
  countsByMessageId(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const mail of this.accepted) counts.set(mail.messageId, (counts.get(mail.messageId) ?? 0) + 1);
    return counts;
  }

  /** The accepted messages to one address. */
  mailsTo(address: string): AcceptedMail[] {
    return this.accepted.filter((mail) => mail.to.includes(address));
  }

  #collect(stream: SMTPServerDataStream, callback: (error?: Error | null) => void): void {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      if (this.isHangingAfterData) return;
      const raw = Buffer.concat(chunks).toString('utf8');
      setTimeout(() => {
        this.accepted.push({ raw, messageId: header(raw, 'message-id'), to: addresses(header(raw, 'to')), subject: header(raw, 'subject') });
        callback(null);
      }, this.answerDelayMs);
    });
  }
}

/** One header of a raw message, unfolded. */
function header(raw: string, name: string): string {
  const head = raw.slice(0, raw.search(/\r?\n\r?\n/) >>> 0).replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((candidate) => candidate.toLowerCase().startsWith(`${name}:`));
  return line ? line.slice(name.length + 1).trim() : '';
}

function addresses(field: string): string[] {
  return [...field.matchAll(/<([^>]+)>|([^\s,<>"]+@[^\s,<>"]+)/g)].map((match) => (match[1] ?? match[2] ?? '').toLowerCase());
}

/** The one-time token in a mail's link (`?token=…`), read from its quoted-printable text. */
export function tokenInMail(mail: AcceptedMail): string {
  const text = mail.raw.replace(/=\r?\n/g, '').replace(/=3D/gi, '=');
  const token = /[?&]token=([A-Za-z0-9_-]{43})/.exec(text)?.[1];
  if (!token) throw new Error(`no token in the mail "${mail.subject}"`);
  return token;
}
