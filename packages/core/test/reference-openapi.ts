import { createTessera } from '../src/create-tessera.js';
import type { OpenApiDocument } from '../src/http/openapi.js';
import { generateSigningKey } from '../src/tokens/access-token.js';
import { fakeHasher, fakeStore } from './fakes.js';

/** The server URL of the committed document: the examples mount Tessera at /auth on port 3000. */
export const referenceServerUrl = 'http://localhost:3000/auth';

/** The OpenAPI document of a default configuration, as committed in docs/openapi.json. */
export async function referenceOpenApiDocument(): Promise<OpenApiDocument> {
  const tessera = createTessera({
    store: fakeStore,
    passwordHasher: fakeHasher,
    secret: 'reference-document-secret-32-chars!!',
    tokens: { keys: [await generateSigningKey('reference')] },
  });
  return tessera.openapi(referenceServerUrl);
}
