import { mountBare } from '../src/http/bare-mount.js';
import { describeFuzz } from './support/describe-fuzz.js';

describeFuzz({ framework: 'core', mount: mountBare });
