/**
 * Small ports for what the core would otherwise take from the environment: time, randomness
 * and logging. Tests inject their own; production uses the defaults below.
 */

/** The source of "now". Every expiry and timestamp Tessera computes comes from here. */
export interface Clock {
  now(): Date;
}

/** A source of cryptographically secure random bytes. */
export interface RandomSource {
  bytes(length: number): Uint8Array;
}

/** Structured log fields. Never put a password, token, hash or link in here. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * A structured logger. The signature matches pino's (and so Fastify's `request.log`):
 * fields first, then a message.
 */
export interface Logger {
  debug(fields: LogFields, message: string): void;
  info(fields: LogFields, message: string): void;
  warn(fields: LogFields, message: string): void;
  error(fields: LogFields, message: string): void;
}

/** The system clock. */
export const systemClock: Clock = { now: () => new Date() };

/** The platform's CSPRNG (Web Crypto `getRandomValues`, available in Node, Bun, Deno, workers). */
export const cryptoRandom: RandomSource = {
  bytes(length) {
    const out = new Uint8Array(length);
    // getRandomValues fills at most 65,536 bytes per call.
    for (let offset = 0; offset < length; offset += 65_536) {
      crypto.getRandomValues(out.subarray(offset, Math.min(length, offset + 65_536)));
    }
    return out;
  },
};

/** A logger that drops everything. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
