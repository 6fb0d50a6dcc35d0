import { expect } from 'vitest';
import { mountBare } from '../src/http/bare-mount.js';
import { describeFuzz } from './support/describe-fuzz.js';

// The other runs turn rate limits off so that requests reach the services; this smaller one
// keeps the defaults on, so refusals are 429 problems too, with Retry-After.
describeFuzz({
  framework: 'core',
  mount: mountBare,
  label: 'rate limits on',
  scale: 0.1,
  options: { rateLimits: { enabled: true } },
  afterRun: (observations) => {
    expect(observations.filter((observation) => observation.status === 429).length, '429 answers').toBeGreaterThan(0);
  },
});
