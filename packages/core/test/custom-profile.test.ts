import { validate } from '@readme/openapi-parser';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { createTessera } from '../src/create-tessera.js';
import type { Principal } from '../src/tokens/access-token.js';
import { generateSigningKey } from '../src/tokens/access-token.js';
import { fakeHasher, fakeStore } from './fakes.js';

const custom = z.object({ company: z.string().max(100), seats: z.number().int().min(1) }).partial();
const tessera = createTessera({
  store: fakeStore,
  passwordHasher: fakeHasher,
  secret: 's'.repeat(32),
  tokens: { keys: [await generateSigningKey()] },
  profile: { custom },
});

describe('the host app’s own profile fields', () => {
  it('are typed end to end from the host schema: service input and stored value', () => {
    type Me = Awaited<ReturnType<typeof tessera.api.getMe>>;
    expectTypeOf<Me['profile']['custom']>().toEqualTypeOf<{ company?: string | undefined; seats?: number | undefined }>();
    type Page = Awaited<ReturnType<typeof tessera.api.listUsers>>;
    expectTypeOf<Page['items'][number]['profile']['custom']['seats']>().toEqualTypeOf<number | undefined>();
    const update = (principal: Principal) => tessera.api.updateMe(principal, { profile: { custom: { company: 'Acme' } } });
    expectTypeOf(update).returns.resolves.toHaveProperty('profile');
    // @ts-expect-error seats is a number in the host schema
    const wrong = (principal: Principal) => tessera.api.updateMe(principal, { profile: { custom: { seats: 'many' } } });
    expect(typeof wrong).toBe('function');
  });

  it('are described in the OpenAPI document by the host schema, which stays valid', async () => {
    const document = tessera.openapi('http://localhost:3000/auth');
    const schemas = (document.components as { schemas: Record<string, { properties: Record<string, { properties: Record<string, unknown> }> }> }).schemas;
    expect(schemas.UserView?.properties.profile?.properties.custom).toMatchObject({
      type: 'object',
      properties: { company: { type: 'string', maxLength: 100 }, seats: { type: 'integer', minimum: 1 } },
    });
    const updateMe = document.paths['/me']!.patch as { requestBody: { content: Record<string, { schema: { properties: { profile: { properties: { custom: unknown } } } } }> } };
    expect(updateMe.requestBody.content['application/json']?.schema.properties.profile.properties.custom).toMatchObject({ properties: { company: { type: 'string' } } });
    const result = await validate(structuredClone(document) as never);
    expect(result.valid ? [] : result.errors).toEqual([]);
  });

  it('are refused at start-up when the option is not a zod object schema', () => {
    expect(() => createTessera({ store: fakeStore, passwordHasher: fakeHasher, secret: 's'.repeat(32), tokens: tessera.options.tokens, profile: { custom: z.string() as never } })).toThrow(/profile\.custom/);
  });
});
