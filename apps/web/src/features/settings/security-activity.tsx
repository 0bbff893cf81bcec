import type { AuthEvent, AuthEventType } from "@taskvault/contract/events";
import { describeDevice } from "./describe-device.ts";
import { SettingsCard } from "./settings-card.tsx";

const LABELS: Record<AuthEventType, string> = {
  signed_up: "Account created",
  signed_in: "Signed in",
  sign_in_failed: "Failed sign-in attempt",
  refreshed: "Session renewed",
  refresh_token_reused: "Someone used an old sign-in token; that session was ended",
  signed_out: "Signed out",
  signed_out_everywhere: "Signed out everywhere",
  password_changed: "Password changed",
  password_reset: "Password reset with an emailed link",
  email_verified: "Email address verified",
  email_change_requested: "Email change requested",
  email_changed: "Email address changed",
  session_revoked: "A session was signed out",
  totp_enabled: "Authenticator app set up",
  totp_disabled: "Authenticator app removed",
  recovery_codes_generated: "New recovery codes made",
  recovery_code_used: "Signed in with a recovery code",
  passkey_added: "Passkey added",
  passkey_renamed: "Passkey renamed",
  passkey_removed: "Passkey removed",
  second_factor_failed: "Wrong second-factor code",
  api_token_created: "API token created",
  api_token_revoked: "API token revoked",
  sso_sign_in_failed: "Single sign-on with this email refused until it is linked",
  sso_linked: "Single sign-on linked",
  sso_unlinked: "Single sign-on unlinked",
};

// Rendered on the server, so one fixed zone keeps the text stable; the <time> carries the instant.
const timeFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** The account's recent security events, newest first; a detected token reuse stands out. */
export function SecurityActivity({ events }: { events: AuthEvent[] }) {
  // Routine renewals would drown the rest: they happen every few minutes on every device.
  const shown = events.filter((event) => event.type !== "refreshed");
  return (
    <SettingsCard title="Security activity" description="Recent sign-ins and changes to your account.">
      {shown.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">Nothing to show yet.</p>
      ) : (
        <ul aria-label="Security activity" className="divide-y divide-slate-200 dark:divide-slate-800">
          {shown.map((event) => {
            const isAlert = event.type === "refresh_token_reused";
            return (
              <li
                key={event.id}
                className={`py-2 text-sm ${isAlert ? "-mx-2 rounded-md bg-red-50 px-2 font-semibold text-red-800 dark:bg-red-950 dark:text-red-200" : ""}`}
              >
                <p role={isAlert ? "alert" : undefined}>{LABELS[event.type]}</p>
                <p className="font-normal text-slate-600 dark:text-slate-400">
                  <time dateTime={event.createdAt}>{timeFormat.format(new Date(event.createdAt))} UTC</time>
                  {event.userAgent ? ` · ${describeDevice(event.userAgent)}` : ""}
                  {event.ip ? ` · ${event.ip}` : ""}
                </p>
              </li>
            );
          })}
        </ul>
      )}
    </SettingsCard>
  );
}
