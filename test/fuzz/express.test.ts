import { mountExpress } from '../../packages/express/test/mount-express.js';
import { describeFuzz } from './support/describe-fuzz.js';

describeFuzz({ framework: 'express', mount: mountExpress });
