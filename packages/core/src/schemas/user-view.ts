import { z } from 'zod';
import { userRoles } from '../auth/roles.js';
import type { UserRecord } from '../ports/store.js';
import { customProfileSlot } from './profile.js';

const isoDate = z.iso.datetime();

const profileViewSchema = z.object({
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  bio: z.string().nullable(),
  location: z.string().nullable(),
  pictureUrl: z.string().nullable(),
  linkedinUrl: z.string().nullable(),
  githubUrl: z.string().nullable(),
  custom: customProfileSlot,
});

/** A user as its owner (and the API) sees it: no hash, no counters. */
export const userViewSchema = z.object({
  id: z.uuid(),
  email: z.email(),
  username: z.string(),
  role: z.enum(userRoles),
  status: z.enum(['active', 'locked', 'suspended']),
  emailVerified: z.boolean(),
  emailVerifiedAt: isoDate.nullable(),
  pro: z.object({
    status: z.enum(['none', 'pending', 'approved', 'rejected', 'revoked']),
    changedAt: isoDate.nullable(),
    reason: z.string().nullable(),
  }),
  profile: profileViewSchema,
  lastLoginAt: isoDate.nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
});

/** A user as managers and admins see it: with the sign-in state. */
export const adminUserViewSchema = userViewSchema.extend({
  hasPassword: z.boolean(),
  failedLoginCount: z.number().int(),
  lockedUntil: isoDate.nullable(),
});

/** The host app's own profile fields as stored (the output of its `profile.custom` schema). */
export type CustomProfile = Record<string, unknown>;

type WithCustomProfile<View extends { profile: { custom: unknown } }, Custom> = Omit<View, 'profile'> & {
  readonly profile: Omit<View['profile'], 'custom'> & { readonly custom: Custom };
};

/** A user as its owner sees it; `profile.custom` typed by the host app's schema. */
export type UserView<Custom extends CustomProfile = CustomProfile> = WithCustomProfile<z.output<typeof userViewSchema>, Custom>;
/** A user as managers and admins see it. */
export type AdminUserView<Custom extends CustomProfile = CustomProfile> = WithCustomProfile<z.output<typeof adminUserViewSchema>, Custom>;

const iso = (date: Date | null): string | null => date?.toISOString() ?? null;

/** Projects a stored user to what its owner may see. */
export function toUserView(user: UserRecord): UserView {
  return {
    id: user.id,
    email: user.email,
    username: user.username,
    role: user.role,
    status: user.status,
    emailVerified: user.emailVerifiedAt !== null,
    emailVerifiedAt: iso(user.emailVerifiedAt),
    pro: { status: user.proStatus, changedAt: iso(user.proStatusChangedAt), reason: user.proStatusReason },
    profile: { ...user.profile, custom: { ...user.profile.custom } },
    lastLoginAt: iso(user.lastLoginAt),
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}

/** Projects a stored user to what managers and admins may see. */
export function toAdminUserView(user: UserRecord): AdminUserView {
  return {
    ...toUserView(user),
    hasPassword: user.passwordHash !== null,
    failedLoginCount: user.failedLoginCount,
    lockedUntil: iso(user.lockedUntil),
  };
}
