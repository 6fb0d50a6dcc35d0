import { join } from 'node:path';
import { describeExampleSmoke } from '@tessera/example-shared/testing';

describeExampleSmoke('Express', join(import.meta.dirname, '..'));
