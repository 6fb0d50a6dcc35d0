import { z } from 'zod';

// Control characters (C0, DEL, C1) and Unicode line separators; written with escapes on purpose.
// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// The same, but tab, line feed and carriage return allowed (for multi-line text).
// eslint-disable-next-line no-control-regex
const controlCharactersButNewlines = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** A short single-line text: trimmed, no control characters, empty means "clear". */
function lineText(maxLength: number) {
  return z
    .string()
    .trim()
    .max(maxLength)
    .refine((value) => !controlCharacters.test(value), 'must not contain control characters or line breaks')
    .transform((value) => (value === '' ? null : value))
    .nullable();
}

/** A longer free text: line breaks allowed, other control characters not. */
function multilineText(maxLength: number) {
  return z
    .string()
    .trim()
    .max(maxLength)
    .refine((value) => !controlCharactersButNewlines.test(value), 'must not contain control characters')
    .transform((value) => (value === '' ? null : value))
    .nullable();
}

/** An https URL of at most 2,048 characters, optionally restricted to some hosts. */
function httpsUrl(allowedHosts?: readonly string[]) {
  return z
    .string()
    .trim()
    .max(2048)
    .refine((value) => {
      if (value === '') return true;
      const url = URL.canParse(value) ? new URL(value) : null;
      if (!url || url.protocol !== 'https:' || url.username !== '' || url.password !== '') return false;
      if (!allowedHosts) return true;
      const host = url.hostname.toLowerCase();
      return allowedHosts.some((allowed) => host === allowed || host.endsWith(`.${allowed}`));
    }, allowedHosts ? `must be an https URL on ${allowedHosts.join(' or ')}` : 'must be an https URL')
    .transform((value) => (value === '' ? null : value))
    .nullable();
}

/** The marker of the host app's own profile fields in generated JSON Schema (replaced by the host's schema). */
export const customProfileMarker = 'x-tessera-custom-profile';

/**
 * Where the host app's own profile fields go (`profile.custom`). Validated by the service
 * against the schema given in the `profile.custom` option; described in OpenAPI by that schema.
 */
export const customProfileSlot = z.record(z.string(), z.unknown()).meta({ description: 'The host app’s own profile fields (`profile.custom` option).', [customProfileMarker]: true });

/** The profile fields a user may set on their own account. `null` or `""` clears a field. */
export const profileUpdateSchema = z.strictObject({
  firstName: lineText(100).optional(),
  lastName: lineText(100).optional(),
  bio: multilineText(500).optional(),
  location: lineText(100).optional(),
  pictureUrl: httpsUrl().optional(),
  linkedinUrl: httpsUrl(['linkedin.com']).optional(),
  githubUrl: httpsUrl(['github.com']).optional(),
  /** The host app's own fields; on update, merged key by key into the stored ones. */
  custom: customProfileSlot.optional(),
});

/** A profile change as the service applies it. */
export type ProfileUpdate = z.output<typeof profileUpdateSchema>;
