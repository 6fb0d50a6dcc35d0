import { mountHono } from '../../packages/hono/test/mount-app.js';
import { describeFuzz } from './support/describe-fuzz.js';

describeFuzz({ framework: 'hono', mount: mountHono });
