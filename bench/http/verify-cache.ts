/**
 * The verified-token cache in isolation, in this process (no HTTP):
 * `pnpm exec tsx --conditions=@tessera/source bench/http/verify-cache.ts`.
 *
 * Verifies a pool of distinct tokens with the cache on (`tokens.verifiedCacheSize` 10,000, every
 * token a miss) and off, in alternating rounds, and then one token over and over (every verify
 * a hit). Prints the rate and the CPU time per verification. See docs/performance.md.
 */
import { cryptoRandom, generateSigningKey, resolveOptions, systemClock, type PasswordHash, type TesseraStore, type UserId } from '../../packages/core/src/index.js';
import { AccessTokens } from '../../packages/core/src/tokens/access-token.js';

const poolSize = 30_000;
const inFlight = 8;
const hits = 300_000;

const unusedStore = { transaction: () => Promise.reject(new Error('unused')), ping: () => Promise.resolve() } as unknown as TesseraStore;
const unusedHasher = { hash: async () => '' as PasswordHash, verify: async () => false, needsRehash: () => false };
const key = await generateSigningKey('bench');
const tokensWith = (verifiedCacheSize: number) =>
  new AccessTokens(resolveOptions({ store: unusedStore, passwordHasher: unusedHasher, secret: 'x'.repeat(40), tokens: { keys: [key], verifiedCacheSize } }).tokens, systemClock, cryptoRandom);

const signer = tokensWith(0);
const pool: string[] = [];
while (pool.length < poolSize) {
  const batch = await Promise.all(Array.from({ length: 256 }, (_, index) => signer.sign({ userId: '019ab6f2-1111-7000-8000-000000000001' as UserId, role: 'AUTHENTICATED', sessionId: `s-${pool.length + index}` })));
  pool.push(...batch.map((signed) => signed.token));
}

for (const round of [1, 2, 3]) {
  for (const verifiedCacheSize of [10_000, 0]) {
    const verifier = tokensWith(verifiedCacheSize);
    let next = 0;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < pool.length) {
          if ((await verifier.verify(pool[next++]!)) === null) throw new Error('a pool token did not verify');
        }
      }),
    );
    const cpu = process.cpuUsage(cpuBefore);
    const seconds = (performance.now() - started) / 1000;
    console.log(`round ${round}, distinct tokens, cache ${verifiedCacheSize === 0 ? 'off' : 'on (all misses)'}: ${Math.round(pool.length / seconds)}/s, ${((cpu.user + cpu.system) / 1000 / pool.length).toFixed(3)} ms CPU per verify`);
  }
}

const verifier = tokensWith(10_000);
await verifier.verify(pool[0]!);
const started = performance.now();
for (let count = 0; count < hits; count += 1) await verifier.verify(pool[0]!);
console.log(`one token repeated, cache on (all hits): ${(((performance.now() - started) * 1000) / hits).toFixed(2)} µs per verify`);
