import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.package.js';

// `shims` gives the CommonJS build an `import.meta.url`, which locates the bundled templates.
export default defineConfig({ ...packageBuild(['src/index.ts']), shims: true });
