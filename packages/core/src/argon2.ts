/**
 * The default password hasher: argon2id through `@node-rs/argon2`. Imported from its own
 * subpath (`@tessera/core/argon2`) so bundlers and runtimes without native modules never meet it.
 *
 * @packageDocumentation
 */
import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { availableParallelism } from 'node:os';
import type { PasswordHash, PasswordHasher } from './password/password-hasher.js';

/** argon2id cost parameters. */
export interface Argon2idParameters {
  /** Memory in KiB. @default 19456 (19 MiB, OWASP) */
  readonly memoryKiB?: number;
  /** Iterations. @default 2 (OWASP) */
  readonly iterations?: number;
  /** Lanes. @default 1 (OWASP) */
  readonly parallelism?: number;
  /**
   * An optional pepper mixed into every hash, kept outside the database (e.g. from a secret
   * manager). Changing it invalidates every stored hash.
   */
  readonly pepper?: string;
  /**
   * Hashes and verifications computed at once; more wait their turn. argon2 runs on libuv's
   * thread pool, which WebCrypto (token digests, outbox encryption), `fs` and DNS share: a
   * burst of logins that took every thread would make the short crypto steps inside database
   * transactions wait behind it, holding locks until other transactions time out. More than one
   * hash per core adds no throughput anyway.
   * Raise it only together with `UV_THREADPOOL_SIZE`.
   * @default the number of cores, at most 3 (libuv's pool has 4 threads by default)
   */
  readonly maxConcurrent?: number;
}

/** OWASP Password Storage Cheat Sheet minimum for argon2id: m = 19 MiB, t = 2, p = 1. */
export const owaspArgon2idParameters = { memoryKiB: 19_456, iterations: 2, parallelism: 1 } as const;

/** `Algorithm.Argon2id`; the enum is a `const enum`, which isolated modules cannot read. */
const argon2id = 2 as Algorithm;

const phcParameters = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/;

/**
 * Creates the argon2id hasher. The parameters are always passed explicitly because the
 * library's own defaults (m = 4 MiB, t = 3) are weaker than OWASP's.
 *
 * @example
 * ```ts
 * import { argon2idHasher } from '@tessera/core/argon2';
 * const tessera = createTessera({ store, passwordHasher: argon2idHasher(), ... });
 * ```
 * @throws TypeError when a parameter is below the OWASP floor.
 */
export function argon2idHasher(parameters: Argon2idParameters = {}): PasswordHasher {
  const memoryKiB = parameters.memoryKiB ?? owaspArgon2idParameters.memoryKiB;
  const iterations = parameters.iterations ?? owaspArgon2idParameters.iterations;
  const parallelism = parameters.parallelism ?? owaspArgon2idParameters.parallelism;
  if (!Number.isInteger(memoryKiB) || memoryKiB < 7_168) throw new TypeError('argon2id memoryKiB must be an integer >= 7168 (7 MiB).');
  if (!Number.isInteger(iterations) || iterations < 1) throw new TypeError('argon2id iterations must be an integer >= 1.');
  if (!Number.isInteger(parallelism) || parallelism < 1) throw new TypeError('argon2id parallelism must be an integer >= 1.');
  const maxConcurrent = parameters.maxConcurrent ?? defaultMaxConcurrent();
  if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) throw new TypeError('argon2id maxConcurrent must be an integer >= 1.');
  const slots = new Slots(maxConcurrent);
  const secret = parameters.pepper === undefined ? undefined : new TextEncoder().encode(parameters.pepper);
  const options = {
    algorithm: argon2id,
    memoryCost: memoryKiB,
    timeCost: iterations,
    parallelism,
    outputLen: 32,
    ...(secret && { secret }),
  };

  return {
    hash: (password) => slots.run(async () => (await hash(password, options)) as PasswordHash),
    verify: (storedHash, password) =>
      slots.run(async () => {
        try {
          return await verify(storedHash, password, secret ? { secret } : {});
        } catch {
          return false;
        }
      }),
    needsRehash(storedHash) {
      const match = phcParameters.exec(storedHash);
      if (!match) return true;
      return Number(match[1]) !== memoryKiB || Number(match[2]) !== iterations || Number(match[3]) !== parallelism;
    },
  };
}

/** One per core, leaving at least one of libuv's 4 default threads free. */
function defaultMaxConcurrent(): number {
  return Math.max(1, Math.min(availableParallelism(), 3));
}

/** At most `size` tasks at once; the others wait in arrival order. */
class Slots {
  readonly #size: number;
  readonly #waiting: Array<() => void> = [];
  #running = 0;

  constructor(size: number) {
    this.#size = size;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#size) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#running += 1;
    try {
      return await task();
    } finally {
      // The slot passes straight to the next waiter, so the count never drops below the queue.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running -= 1;
    }
  }
}
