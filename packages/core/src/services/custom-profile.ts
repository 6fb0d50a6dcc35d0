import { TesseraError } from '../errors.js';
import type { ProfileUpdate } from '../schemas/profile.js';
import { maxFieldIssues, toFieldIssues } from '../validation.js';
import type { ServiceDeps } from './service-deps.js';

/**
 * The profile change to store, with the host app's own fields (`profile.custom`) merged key by
 * key into the stored ones and validated against the host's schema as a whole, so the stored
 * value always satisfies it. For a new user, `current` is `{}` and the schema is checked even
 * when no custom fields were given (its required fields must be there).
 *
 * @throws TesseraError `validation_failed` with paths under `profile.custom`.
 */
export function withValidatedCustomProfile(
  deps: ServiceDeps,
  profile: ProfileUpdate | undefined,
  current: Readonly<Record<string, unknown>> | undefined,
): ProfileUpdate | undefined {
  const patch = profile?.custom;
  const isNewUser = current === undefined;
  if (patch === undefined && !isNewUser) return profile;
  const schema = deps.options.profile.custom;
  if (!schema) {
    if (patch === undefined || Object.keys(patch).length === 0) return profile && withoutCustom(profile);
    throw new TesseraError('validation_failed', undefined, {
      details: { fields: [{ path: 'profile.custom', code: 'unrecognized_key', message: 'no custom profile fields are configured' }] },
    });
  }
  const result = schema.safeParse({ ...current, ...patch });
  if (!result.success) {
    const fields = result.error.issues
      .flatMap(toFieldIssues)
      .slice(0, maxFieldIssues)
      .map((issue) => ({ ...issue, path: issue.path ? `profile.custom.${issue.path}` : 'profile.custom' }));
    throw new TesseraError('validation_failed', undefined, { details: { fields } });
  }
  return { ...profile, custom: result.data };
}

function withoutCustom(profile: ProfileUpdate): ProfileUpdate {
  const { custom: _custom, ...rest } = profile;
  return rest;
}
