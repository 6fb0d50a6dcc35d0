import { join } from 'node:path';
import { describeExampleSmoke } from '@tessera/example-shared/testing';

describeExampleSmoke('Fastify', join(import.meta.dirname, '..'));
