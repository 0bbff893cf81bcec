import { ApiTokenList } from "@taskvault/contract/api-tokens";
import { SessionList } from "@taskvault/contract/auth";
import { AuthEventPage } from "@taskvault/contract/events";
import { OidcLinkStatus } from "@taskvault/contract/oidc";
import type { Metadata } from "next";
import { AppShell } from "@/components/app-shell.tsx";
import { EmailSettings } from "@/features/account-mail/email-settings.tsx";
import { NotificationSettings } from "@/features/account-mail/notification-settings.tsx";
import { loadFromApi } from "@/features/auth/session.server.ts";
import { loadSecurity } from "@/features/mfa/security.server.ts";
import { SecurityPanel } from "@/features/mfa/security-panel.tsx";
import { stepUpMethods } from "@/features/mfa/step-up-proof.ts";
import { ApiTokensPanel } from "@/features/settings/api-tokens-panel.tsx";
import { DataTransfer } from "@/features/settings/data-transfer.tsx";
import { DeleteAccountForm } from "@/features/settings/delete-account-form.tsx";
import { PasswordForm } from "@/features/settings/password-form.tsx";
import { loadProfile, timeZoneNames } from "@/features/settings/profile.server.ts";
import { ProfileForm } from "@/features/settings/profile-form.tsx";
import { SecurityActivity } from "@/features/settings/security-activity.tsx";
import { SessionsPanel } from "@/features/settings/sessions-panel.tsx";
import { TimeZoneForm } from "@/features/settings/time-zone-form.tsx";
import { SsoSettings } from "@/features/sso/sso-settings.tsx";

export const metadata: Metadata = { title: "Settings" };

/** `/settings` – profile, email, notifications, time zone, password, second factors, single sign-on, sessions (devices), security activity, API tokens, sign out everywhere, export/import, delete account. */
export default async function SettingsPage() {
  const [user, sessions, events, security, apiTokens, sso] = await Promise.all([
    loadProfile("/settings"),
    loadFromApi("/api/v1/auth/sessions", SessionList, "/settings"),
    loadFromApi("/api/v1/me/events?limit=50", AuthEventPage, "/settings"),
    loadSecurity("/settings"),
    loadFromApi("/api/v1/me/tokens", ApiTokenList, "/settings"),
    loadFromApi("/api/v1/me/oidc", OidcLinkStatus, "/settings"),
  ]);
  // How sensitive changes are confirmed: the password, or a second factor without one (single sign-on).
  const stepUp = stepUpMethods(sso.hasPassword, security.status);
  return (
    <AppShell user={user} current="settings">
      <h1 className="mb-4 text-2xl font-bold tracking-tight">Settings</h1>
      <div className="space-y-4">
        <ProfileForm user={user} />
        <EmailSettings email={user.email} emailVerified={user.emailVerified} stepUp={stepUp} />
        <NotificationSettings emailReminders={user.emailReminders} />
        <TimeZoneForm profileTimeZone={user.timezone} zones={timeZoneNames()} />
        <PasswordForm email={user.email} stepUp={stepUp} />
        <SecurityPanel
          initialStatus={security.status}
          initialPasskeys={security.passkeys}
          hasPassword={sso.hasPassword}
        />
        {/* Shown while the server offers single sign-on, or the account still has a link to undo. */}
        {sso.enabled || sso.link ? <SsoSettings initialStatus={sso} /> : null}
        <SessionsPanel initialSessions={sessions} />
        <SecurityActivity events={events.items} />
        <ApiTokensPanel initialTokens={apiTokens} stepUp={stepUp} />
        <DataTransfer />
        <DeleteAccountForm email={user.email} stepUp={stepUp} />
      </div>
    </AppShell>
  );
}
