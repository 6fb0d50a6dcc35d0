import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.package.js';

export default defineConfig(packageBuild(['src/index.ts', 'src/postgres.ts', 'src/pglite.ts', 'src/pg-mem.ts']));
