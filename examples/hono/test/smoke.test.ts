import { join } from 'node:path';
import { describeExampleSmoke } from '@tessera/example-shared/testing';

describeExampleSmoke('Hono', join(import.meta.dirname, '..'));
