import { z } from 'zod';
import { userRoles } from '../auth/roles.js';
import { emailSchema, opaqueTokenSchema, passwordSchema, usernameInputSchema } from './common.js';
import { profileUpdateSchema } from './profile.js';
import { userViewSchema, type CustomProfile, type UserView } from './user-view.js';

/** `register` input. */
export const registerInputSchema = z.strictObject({
  email: emailSchema,
  password: passwordSchema,
  /** A username of the user's choice; without one, a random one is generated. */
  username: usernameInputSchema.optional(),
  profile: profileUpdateSchema.optional(),
});

/** `changeUsername` input. */
export const changeUsernameInputSchema = z.strictObject({
  username: usernameInputSchema,
});

/** `login` input. */
export const loginInputSchema = z.strictObject({
  email: emailSchema,
  password: passwordSchema,
});

/** `refresh` and `logout` input. */
export const refreshTokenInputSchema = z.strictObject({
  refreshToken: opaqueTokenSchema,
});

/** `verifyEmail` input. */
export const tokenInputSchema = z.strictObject({
  token: opaqueTokenSchema,
});

/** `resendVerification` and `forgotPassword` input. */
export const emailInputSchema = z.strictObject({
  email: emailSchema,
});

/** `resetPassword` input. */
export const resetPasswordInputSchema = z.strictObject({
  token: opaqueTokenSchema,
  password: passwordSchema,
});

/** `changePassword` input. */
export const changePasswordInputSchema = z.strictObject({
  currentPassword: passwordSchema,
  newPassword: passwordSchema,
});

/** `updateMe` input: the profile fields to change. Role, status, verification and pro status are not here. */
export const updateMeInputSchema = z.strictObject({
  profile: profileUpdateSchema,
});

/** `deleteMe` input: the password confirms a destructive action. */
export const deleteAccountInputSchema = z.strictObject({
  password: passwordSchema,
});

/** `requestEmailChange` input: the new address, confirmed by the current password. */
export const requestEmailChangeInputSchema = z.strictObject({
  newEmail: emailSchema,
  password: passwordSchema,
});

/** `createUser` input (admin). Without a password, the user sets one through a reset. */
export const createUserInputSchema = z.strictObject({
  email: emailSchema,
  password: passwordSchema.optional(),
  username: usernameInputSchema.optional(),
  role: z.enum(userRoles).default('AUTHENTICATED'),
  emailVerified: z.boolean().default(false),
  profile: profileUpdateSchema.optional(),
});

/** `updateUser` input (admin). Role and status have operations of their own. */
export const updateUserInputSchema = z.strictObject({
  email: emailSchema.optional(),
  username: usernameInputSchema.optional(),
  emailVerified: z.boolean().optional(),
  profile: profileUpdateSchema.optional(),
});

/** `createAdmin` input (CLI and bootstrap path). */
export const createAdminInputSchema = z.strictObject({
  email: emailSchema,
  password: passwordSchema,
});

/** What a successful login or refresh returns. */
export const sessionTokensSchema = z.object({
  tokenType: z.literal('Bearer'),
  accessToken: z.string(),
  accessTokenExpiresAt: z.iso.datetime(),
  /** Seconds until the access token expires (as in OAuth 2 `expires_in`). */
  expiresIn: z.number().int(),
  refreshToken: z.string(),
  refreshTokenExpiresAt: z.iso.datetime(),
  user: userViewSchema,
});

/** Profile fields as a service takes them; `custom` typed by the host app's schema (input side). */
export type ProfileInput<CustomInput extends Record<string, unknown> = Record<string, unknown>> = Omit<z.input<typeof profileUpdateSchema>, 'custom'> & {
  readonly custom?: Partial<CustomInput>;
};
type WithProfileInput<Input, CustomInput extends Record<string, unknown>> = Omit<Input, 'profile'> &
  (undefined extends Input[keyof Input & 'profile'] ? { readonly profile?: ProfileInput<CustomInput> } : { readonly profile: ProfileInput<CustomInput> });

export type RegisterInput<CustomInput extends Record<string, unknown> = Record<string, unknown>> = WithProfileInput<z.input<typeof registerInputSchema>, CustomInput>;
export type LoginInput = z.input<typeof loginInputSchema>;
export type RefreshTokenInput = z.input<typeof refreshTokenInputSchema>;
export type TokenInput = z.input<typeof tokenInputSchema>;
export type EmailInput = z.input<typeof emailInputSchema>;
export type ResetPasswordInput = z.input<typeof resetPasswordInputSchema>;
export type ChangeUsernameInput = z.input<typeof changeUsernameInputSchema>;
export type ChangePasswordInput = z.input<typeof changePasswordInputSchema>;
export type UpdateMeInput<CustomInput extends Record<string, unknown> = Record<string, unknown>> = WithProfileInput<z.input<typeof updateMeInputSchema>, CustomInput>;
export type DeleteAccountInput = z.input<typeof deleteAccountInputSchema>;
export type RequestEmailChangeInput = z.input<typeof requestEmailChangeInputSchema>;
export type CreateUserInput<CustomInput extends Record<string, unknown> = Record<string, unknown>> = WithProfileInput<z.input<typeof createUserInputSchema>, CustomInput>;
export type UpdateUserInput<CustomInput extends Record<string, unknown> = Record<string, unknown>> = WithProfileInput<z.input<typeof updateUserInputSchema>, CustomInput>;
export type CreateAdminInput = z.input<typeof createAdminInputSchema>;
/** Tokens of a login session, plus the user. */
export type SessionTokens<Custom extends CustomProfile = CustomProfile> = Omit<z.output<typeof sessionTokensSchema>, 'user'> & { readonly user: UserView<Custom> };
