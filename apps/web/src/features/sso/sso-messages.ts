/**
 * Why a single sign-on ended back on /signin (`?reason=…`). The message is picked here by code:
 * nothing the provider put in its redirect is ever shown.
 */
const FAILURES = {
  "sso-failed": (name: string) =>
    `Signing in with ${name} did not work: the answer from ${name} could not be verified. Nobody was signed in. Please try again.`,
  "sso-expired": (name: string) =>
    `That sign-in with ${name} has expired, was already used or was started in another browser. Nobody was signed in. Please try again.`,
  "sso-cancelled": (name: string) => `Signing in with ${name} was cancelled. Nobody was signed in.`,
  "sso-signup-closed": (name: string) =>
    `This server does not accept new accounts, and your ${name} account is not linked to one. Nobody was signed in.`,
  "sso-unavailable": (name: string) => `${name} cannot be reached right now. Please try again in a moment.`,
  "sso-throttled": () => "Too many attempts. Wait a moment and try again.",
  "sso-off": () => "Single sign-on is not set up on this server.",
} satisfies Record<string, (name: string) => string>;

export type SsoFailure = keyof typeof FAILURES;

export function describeSsoFailure(reason: string, name: string): string | null {
  return Object.hasOwn(FAILURES, reason) ? FAILURES[reason as SsoFailure](name || "single sign-on") : null;
}
