"use client";

import type { MfaStatus, Passkey } from "@taskvault/contract/mfa";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { FormStatus, SettingsCard } from "@/features/settings/settings-card.tsx";
import { AuthenticatorApp } from "./authenticator-app.tsx";
import { PasskeysSection } from "./passkeys-section.tsx";
import type { Status } from "./step-up-form.tsx";
import { stepUpMethods } from "./step-up-proof.ts";

/** Settings → Security: the account's second factors (authenticator app, recovery codes) and passkeys. */
export function SecurityPanel({
  initialStatus,
  initialPasskeys,
  hasPassword,
}: {
  initialStatus: MfaStatus;
  initialPasskeys: Passkey[];
  /** An account without a password (single sign-on) confirms its changes with a second factor. */
  hasPassword: boolean;
}) {
  const router = useRouter();
  const [status, setMfaStatus] = useState(initialStatus);
  const [passkeys, setPasskeys] = useState(initialPasskeys);
  const [message, setMessage] = useState<Status>(null);
  const stepUp = stepUpMethods(hasPassword, status);
  const ok = (text: string) => {
    setMessage({ tone: "ok", message: text });
    // Without a password, the other settings forms confirm with these factors: let them see the change.
    if (!hasPassword) router.refresh();
  };

  return (
    <SettingsCard
      title="Security"
      description="Second factors and passkeys keep your account safe even if your password leaks."
    >
      <div className="space-y-6">
        <AuthenticatorApp
          status={status}
          stepUp={stepUp}
          setStatus={setMessage}
          onChanged={(change, text) => {
            setMfaStatus((current) => ({ ...current, ...change }));
            ok(text);
          }}
        />
        <PasskeysSection
          passkeys={passkeys}
          stepUp={stepUp}
          setStatus={setMessage}
          isLastFactor={() => !status.totp && passkeys.length === 1}
          onAdded={(passkey) => {
            setPasskeys((current) => [...current, passkey]);
            setMfaStatus((current) => ({ ...current, passkeys: current.passkeys + 1 }));
            ok(`Passkey “${passkey.name}” added.`);
          }}
          onRenamed={(passkey) => {
            setPasskeys((current) => current.map((item) => (item.id === passkey.id ? passkey : item)));
            ok("Passkey renamed.");
          }}
          onRemoved={(passkey) => {
            setPasskeys((current) => current.filter((item) => item.id !== passkey.id));
            setMfaStatus((current) => {
              const left = current.passkeys - 1;
              // The API drops the recovery codes with the last second factor.
              return { ...current, passkeys: left, ...(left === 0 && !current.totp && { recoveryCodesLeft: 0 }) };
            });
            ok(`Passkey “${passkey.name}” removed.`);
          }}
        />
        <FormStatus status={message} />
      </div>
    </SettingsCard>
  );
}
