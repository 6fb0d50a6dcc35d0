import { defineConfig } from 'tsup';

// A CLI needs no CommonJS build: ESM only. `index` is the in-process API (`runCli`), `cli`
// the executable that bin/tessera.js loads. Commands load their work on use (split chunks).
export default defineConfig({
  entry: ['src/index.ts', 'src/cli.ts'],
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  clean: true,
  sourcemap: true,
  target: 'node20',
  splitting: true,
});
