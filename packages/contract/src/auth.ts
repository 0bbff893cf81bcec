import { z } from "zod";
import { characterCount, DateTime, hasNoNul, Id, NO_NUL_MESSAGE } from "./common.ts";
import { StepUp, StepUpFactors } from "./mfa.ts";
import { TimeZone } from "./todos.ts";

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "Email must be at most 254 characters")
  .pipe(z.email("Enter a valid email address"));
export type Email = z.infer<typeof Email>;

/** Length only: no composition rules (NIST 800-63B); the API also refuses common passwords. */
export const Password = z
  .string()
  .refine((value) => characterCount(value) >= PASSWORD_MIN, `Password must be at least ${PASSWORD_MIN} characters`)
  .refine((value) => characterCount(value) <= PASSWORD_MAX, `Password must be at most ${PASSWORD_MAX} characters`);

export const UserName = z
  .string()
  .trim()
  .max(100, "Name must be at most 100 characters")
  .refine(hasNoNul, NO_NUL_MESSAGE);

export const SignUp = z.strictObject({
  email: Email,
  password: Password,
  name: UserName.optional(),
});
export type SignUp = z.infer<typeof SignUp>;

export const SignIn = z.strictObject({
  email: Email,
  // Only bounded so an oversized value cannot make hashing expensive; policy applies at sign-up.
  password: z.string().min(1, "Enter your password").max(1024),
});
export type SignIn = z.infer<typeof SignIn>;

export const Refresh = z.strictObject({
  refreshToken: z.string().min(1).max(512),
});
export type Refresh = z.infer<typeof Refresh>;

export const User = z.object({
  id: Id,
  email: z.string(),
  name: z.string(),
  createdAt: DateTime,
  /** The address was proven to reach the user (verification link, password reset or confirmed change). */
  emailVerified: z.boolean(),
});
export type User = z.infer<typeof User>;

export const Session = z.object({
  user: User,
  accessToken: z.string(),
  tokenType: z.literal("Bearer"),
  /** Seconds until the access token expires. */
  expiresIn: z.number().int(),
  refreshToken: z.string(),
  /** Seconds until the refresh token expires if unused. */
  refreshExpiresIn: z.number().int(),
});
export type Session = z.infer<typeof Session>;

export const SessionInfo = z.object({
  id: Id,
  createdAt: DateTime,
  lastUsedAt: DateTime,
  userAgent: z.string().nullable(),
  ip: z.string().nullable(),
  current: z.boolean(),
  /** How the session was opened when not with a password or passkey: the single sign-on's name. */
  via: z.string().nullable(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

export const SessionList = z.array(SessionInfo);
export type SessionList = z.infer<typeof SessionList>;

export const SessionParams = z.object({ id: z.string() });

/** Both optional: `{name}` alone keeps working; `timezone` is the default zone of new todos. */
export const UpdateMe = z.strictObject({
  name: UserName.optional(),
  timezone: TimeZone.optional(),
});
export type UpdateMe = z.infer<typeof UpdateMe>;

/**
 * `GET /api/v1/me/preferences`: settings that are not part of the contract's `User`. `timezone` is
 * the zone "today" and new todos default to (also changed with `PATCH /api/v1/me`);
 * `emailReminders`: each todo's `remindAt` also sends an email.
 */
export const Preferences = z.object({ timezone: z.string(), emailReminders: z.boolean() });
export type Preferences = z.infer<typeof Preferences>;

/** `PATCH /api/v1/me/preferences` → 200 `Preferences`. */
export const UpdatePreferences = z.strictObject({
  timezone: TimeZone.optional(),
  emailReminders: z.boolean().optional(),
});
export type UpdatePreferences = z.infer<typeof UpdatePreferences>;

/**
 * `GET /api/v1/auth/config` (public): what a sign-in page offers. `signup` is the deployment's
 * AUTH_SIGNUP, so the web app hides sign-up when the API would refuse it.
 */
export const AuthConfig = z.object({ signup: z.enum(["open", "closed"]) });
export type AuthConfig = z.infer<typeof AuthConfig>;

/** A token from an emailed link: 256 bits, base64url. Only bounded here; an unknown one is 400 invalid_token. */
export const EmailToken = z.string().min(1, "The link's token is missing").max(200);

/** `POST /api/v1/auth/email/verify` → 200 `User`: confirms a sign-up's address or an email change. */
export const VerifyEmail = z.strictObject({ token: EmailToken });
export type VerifyEmail = z.infer<typeof VerifyEmail>;

/** `POST /api/v1/auth/password/forgot` → 202 `Accepted`, the same whether or not the account exists. */
export const ForgotPassword = z.strictObject({ email: Email });
export type ForgotPassword = z.infer<typeof ForgotPassword>;

/** `POST /api/v1/auth/password/reset` → 204. */
export const ResetPassword = z.strictObject({ token: EmailToken, newPassword: Password });
export type ResetPassword = z.infer<typeof ResetPassword>;

/** `PUT /api/v1/me/email` → 202 `Accepted`: a confirmation link goes to the new address. */
// An account without a password (single sign-on) confirms with a second factor (StepUp): the
// password is required only of accounts that have one, which the API checks.
export const ChangeEmail = StepUp.extend({ email: Email });
export type ChangeEmail = z.infer<typeof ChangeEmail>;

/** The body of a 202: the request is taken and a message is on its way (or, for forgot, may be). */
export const Accepted = z.object({ message: z.string() });
export type Accepted = z.infer<typeof Accepted>;

/** An account without a password sets its first one, confirming with a second factor if it has one. */
export const ChangePassword = z.strictObject({
  currentPassword: z.string().min(1, "Enter your current password").max(1024).optional(),
  ...StepUpFactors,
  newPassword: Password,
});
export type ChangePassword = z.infer<typeof ChangePassword>;

export const DeleteMe = StepUp;
export type DeleteMe = z.infer<typeof DeleteMe>;
