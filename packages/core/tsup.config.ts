import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.package.js';

export default defineConfig(packageBuild(['src/index.ts', 'src/argon2.ts', 'src/node.ts']));
