import type { Options } from 'tsup';

/** How every @tessera package is built: ESM and CommonJS with type declarations, for Node 20+. */
export function packageBuild(entry: string[]): Options {
  return { entry, format: ['esm', 'cjs'], dts: true, clean: true, sourcemap: true, target: 'node20' };
}
