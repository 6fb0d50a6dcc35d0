import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { owaspArgon2idParameters } from '../../packages/core/src/argon2.js';

// jose and @node-rs/argon2 are dependencies of @tessera/core, not of the workspace root:
// load the very copies the server runs.
const requireFromCore = createRequire(new URL('../../packages/core/package.json', import.meta.url));
interface Jose {
  importJWK(jwk: object, algorithm: string): Promise<unknown>;
  jwtVerify(token: string, key: unknown, options: object): Promise<unknown>;
}
interface Argon2 {
  hash(password: string, options: { algorithm: number; memoryCost: number; timeCost: number; parallelism: number }): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}
const jose = (await import(pathToFileURL(requireFromCore.resolve('jose')).href)) as Jose;
const argon2 = (await import(pathToFileURL(requireFromCore.resolve('@node-rs/argon2')).href)) as Argon2;

/** A rate measured by running an operation back to back for a while. */
export interface Ceiling {
  readonly perSecond: number;
  readonly operations: number;
  readonly seconds: number;
  /** This process's CPU time (all threads) per operation; it does nothing else meanwhile. */
  readonly cpuMillisPerOperation: number;
}

/**
 * jose's `jwtVerify` alone, with the verifier options Tessera uses (EdDSA pinned, issuer,
 * audience, `typ`, required claims), over distinct tokens, with `inFlight` verifications at a
 * time: Ed25519 verification runs on libuv's thread pool, so one loop would leave a core idle.
 */
export async function joseVerifyCeiling(tokens: readonly string[], publicJwk: { kty: string; crv: string; x: string }, durationSeconds: number, inFlight = 8): Promise<Ceiling> {
  const key = await jose.importJWK(publicJwk, 'EdDSA');
  const options = { algorithms: ['EdDSA'], issuer: 'tessera', audience: 'tessera', typ: 'at+jwt', requiredClaims: ['exp', 'iat', 'sub', 'jti'], clockTolerance: 30 };
  let next = 0;
  return runLoops(inFlight, durationSeconds, async () => {
    const token = tokens[next++ % tokens.length]!;
    await jose.jwtVerify(token, key, options);
  });
}

/**
 * argon2id verification with `@node-rs/argon2`'s async API at the parameters Tessera's
 * `argon2idHasher()` uses (OWASP: 19 MiB, t=2, p=1), with `loops` verifications at a time
 * (one per core).
 */
export async function argon2VerifyCeiling(durationSeconds: number, loops: number): Promise<Ceiling & { readonly parameters: string }> {
  const { memoryKiB, iterations, parallelism } = owaspArgon2idParameters;
  const password = 'a bench password that is long enough';
  const hash = await argon2.hash(password, { algorithm: 2 /* Argon2id */, memoryCost: memoryKiB, timeCost: iterations, parallelism });
  const ceiling = await runLoops(loops, durationSeconds, async () => {
    if (!(await argon2.verify(hash, password))) throw new Error('argon2 verify failed');
  });
  return { ...ceiling, parameters: `m=${memoryKiB} KiB, t=${iterations}, p=${parallelism}` };
}

async function runLoops(loops: number, durationSeconds: number, operation: () => Promise<void>): Promise<Ceiling> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + durationSeconds * 1000;
  let operations = 0;
  await Promise.all(
    Array.from({ length: loops }, async () => {
      while (performance.now() < deadline) {
        await operation();
        operations += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return { perSecond: operations / seconds, operations, seconds, cpuMillisPerOperation: (cpu.user + cpu.system) / 1000 / operations };
}
