import { mountFastify } from '../../packages/fastify/test/mount-fastify.js';
import { describeFuzz } from './support/describe-fuzz.js';

describeFuzz({ framework: 'fastify', mount: mountFastify });
