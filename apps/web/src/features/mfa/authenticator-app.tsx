"use client";

import type { MfaStatus, TotpEnrolment } from "@taskvault/contract/mfa";
import { useMemo, useState } from "react";
import { renderSVG } from "uqr";
import { CodeField } from "./code-field.tsx";
import { FactorForm } from "./factor-form.tsx";
import { describeStepUpFailure } from "./failure-messages.ts";
import { confirmTotp, regenerateRecoveryCodes, removeTotp, startTotpEnrolment } from "./mfa-api.ts";
import { RecoveryCodesView } from "./recovery-codes-view.tsx";
import { SignOutOthersCheckbox, type Status, StepUpForm } from "./step-up-form.tsx";
import type { StepUpMethods } from "./step-up-proof.ts";

type Step =
  | { name: "idle" }
  | { name: "password" }
  | { name: "scan"; enrolment: TotpEnrolment }
  | { name: "codes"; codes: string[] }
  | { name: "turn-off" }
  | { name: "regenerate" };

type Props = {
  status: MfaStatus;
  /** How a change here is confirmed: the password, or a second factor for an account without one. */
  stepUp: StepUpMethods;
  onChanged: (change: Partial<MfaStatus>, message: string) => void;
  setStatus: (status: Status) => void;
};

/** Settings → Security: set up, turn off and renew the codes of an authenticator app (TOTP, RFC 6238). */
export function AuthenticatorApp({ status, stepUp, onChanged, setStatus }: Props) {
  const [step, setStep] = useState<Step>({ name: "idle" });
  const idle = () => setStep({ name: "idle" });

  return (
    <div>
      <h3 className="font-semibold">Authenticator app</h3>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        {status.totp
          ? "On. After your password, sign-in asks for a code from your app."
          : "Off. Turn it on and sign-in asks, after your password, for a code from an app such as Aegis or 1Password."}
        {status.totp || status.passkeys > 0
          ? ` ${status.recoveryCodesLeft} recovery code${status.recoveryCodesLeft === 1 ? "" : "s"} left.`
          : ""}
      </p>

      {step.name === "idle" ? (
        <div className="mt-3 flex flex-wrap gap-2">
          {status.totp ? (
            <button type="button" className="btn-secondary" onClick={() => setStep({ name: "turn-off" })}>
              Turn off authenticator app
            </button>
          ) : (
            <button type="button" className="btn-secondary" onClick={() => setStep({ name: "password" })}>
              Set up authenticator app
            </button>
          )}
          {/* Recovery codes stand in for any lost factor, so a passkey-only account may have them too. */}
          {status.totp || status.passkeys > 0 ? (
            <button type="button" className="btn-secondary" onClick={() => setStep({ name: "regenerate" })}>
              {status.recoveryCodesLeft > 0 ? "Regenerate recovery codes" : "Create recovery codes"}
            </button>
          ) : null}
        </div>
      ) : null}
      {step.name === "password" ? (
        <StepUpForm
          label="Set up authenticator app"
          submit="Continue"
          stepUp={stepUp}
          onCancel={idle}
          onSubmit={async ({ proof }) => setStep({ name: "scan", enrolment: await startTotpEnrolment(proof) })}
        >
          <p className="text-sm">Confirm it is you before adding a second factor.</p>
        </StepUpForm>
      ) : null}
      {step.name === "scan" ? (
        <ScanAndConfirm
          enrolment={step.enrolment}
          onCancel={idle}
          onConfirmed={(codes) => {
            setStep({ name: "codes", codes });
            onChanged({ totp: true, recoveryCodesLeft: codes.length }, "Authenticator app turned on.");
          }}
        />
      ) : null}
      {step.name === "codes" ? <RecoveryCodesView codes={step.codes} onDone={idle} /> : null}
      {step.name === "turn-off" ? (
        <StepUpForm
          label="Turn off authenticator app"
          submit="Turn off"
          stepUp={stepUp}
          offersSignOut
          onCancel={idle}
          onSubmit={async ({ proof, endOtherSessions }) => {
            await removeTotp(proof, endOtherSessions);
            idle();
            // Recovery codes die with the last second factor; the API keeps them while a passkey remains.
            onChanged(
              { totp: false, ...(status.passkeys === 0 && { recoveryCodesLeft: 0 }) },
              "Authenticator app turned off.",
            );
          }}
        />
      ) : null}
      {step.name === "regenerate" ? (
        <StepUpForm
          label="Regenerate recovery codes"
          submit="Regenerate"
          stepUp={stepUp}
          onCancel={idle}
          onSubmit={async ({ proof }) => {
            const codes = await regenerateRecoveryCodes(proof);
            setStatus(null);
            setStep({ name: "codes", codes });
            onChanged({ recoveryCodesLeft: codes.length }, "New recovery codes made; the old ones no longer work.");
          }}
        >
          <p className="text-sm">The codes you have now stop working.</p>
        </StepUpForm>
      ) : null}
    </div>
  );
}

function ScanAndConfirm({
  enrolment,
  onCancel,
  onConfirmed,
}: {
  enrolment: TotpEnrolment;
  onCancel: () => void;
  onConfirmed: (codes: string[]) => void;
}) {
  const [copied, setCopied] = useState(false);
  // An <img> of the SVG: the page's CSP allows data: images, and no markup is injected into the DOM.
  const qrSource = useMemo(
    () => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(renderSVG(enrolment.otpauthUri, { border: 2 }))}`,
    [enrolment.otpauthUri],
  );

  return (
    <div className="mt-3 space-y-3">
      <p className="text-sm">Scan this QR code with your authenticator app, then enter the code it shows.</p>
      {/* biome-ignore lint/performance/noImgElement: a generated data: SVG, nothing for next/image to optimise */}
      <img src={qrSource} alt="QR code for your authenticator app" width={192} height={192} className="bg-white p-1" />
      <div className="text-sm">
        <p>Cannot scan it? Enter this key instead:</p>
        <div className="mt-1 flex flex-wrap items-center gap-2">
          <input
            aria-label="Setup key"
            readOnly
            value={enrolment.secret}
            className="field w-auto grow font-mono"
            onFocus={(event) => event.currentTarget.select()}
          />
          <button
            type="button"
            className="btn-secondary"
            onClick={() =>
              navigator.clipboard.writeText(enrolment.secret).then(
                () => setCopied(true),
                () => setCopied(false),
              )
            }
          >
            Copy key
          </button>
          <span role="status" aria-live="polite">
            {copied ? "Copied." : ""}
          </span>
        </div>
      </div>
      <FactorForm
        label="Confirm authenticator app"
        submit="Turn on"
        className="space-y-3"
        describeFailure={describeStepUpFailure}
        onCancel={onCancel}
        onSubmit={async (data) =>
          onConfirmed(await confirmTotp(String(data.get("code") ?? ""), data.get("endOtherSessions") === "on"))
        }
      >
        <CodeField label="Authentication code" name="code" kind="totp" autoFocus />
        <SignOutOthersCheckbox />
      </FactorForm>
    </div>
  );
}
