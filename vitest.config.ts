import { defineConfig } from 'vitest/config';

/**
 * One run for the whole workspace. Workspace packages resolve to their TypeScript sources
 * through the `@tessera/source` export condition, so tests need no build.
 */
// Vite's defaults for server code, after our own condition.
const conditions = ['@tessera/source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    projects: [
      { extends: true, test: { name: 'core', include: ['packages/core/test/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'adapters', include: ['packages/{express,fastify,hono,mailer,redis}/test/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
      },
      { extends: true, test: { name: 'stores', include: ['test/stores/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 } },
      { extends: true, test: { name: 'http', include: ['test/http/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 } },
      { extends: true, test: { name: 'cli', include: ['packages/cli/test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 180_000 } },
      { extends: true, test: { name: 'examples', include: ['examples/*/test/**/*.test.ts'], testTimeout: 120_000 } },
      // Property-based fuzzing of every operation through every adapter (fast-check; see docs/security.md):
      // each file is one CPU-bound request loop, so two run at a time, in a group of their own
      // after the other projects (vitest runs projects with another worker count in another group).
      {
        extends: true,
        test: { name: 'fuzz', include: ['test/fuzz/**/*.test.ts'], testTimeout: 300_000, hookTimeout: 120_000, maxWorkers: 2, sequence: { groupOrder: 1 } },
      },
      {
        extends: true,
        // Real PostgreSQL, SMTP and app processes, broken on purpose: generous bounds, and one
        // file at a time so that two fault scenarios never share the machine's two cores.
        test: { name: 'reliability', include: ['test/reliability/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000, fileParallelism: false },
      },
    ],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
