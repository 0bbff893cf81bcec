import { useId } from "react";

type Props = {
  label: string;
  name: string;
  /** `totp`: six digits from an app (numeric keyboard, one-time-code autofill); `recovery`: a printed code. */
  kind: "totp" | "recovery";
  errors?: string[] | undefined;
  autoFocus?: boolean;
};

/** A labelled field for a one-time code, with its errors tied to it by aria-describedby. */
export function CodeField({ label, name, kind, errors, autoFocus }: Props) {
  const id = useId();
  const hasErrors = Boolean(errors?.length);
  return (
    <div>
      <label htmlFor={id} className="label">
        {label}
      </label>
      <input
        id={id}
        name={name}
        type="text"
        required
        // biome-ignore lint/a11y/noAutofocus: the field appears because the person asked for this step
        autoFocus={autoFocus}
        autoComplete={kind === "totp" ? "one-time-code" : "off"}
        inputMode={kind === "totp" ? "numeric" : "text"}
        spellCheck={false}
        maxLength={kind === "totp" ? 32 : 64}
        className="field font-mono tracking-widest"
        aria-invalid={hasErrors || undefined}
        aria-describedby={hasErrors ? `${id}-error` : undefined}
      />
      {hasErrors ? (
        <p id={`${id}-error`} className="field-error">
          {errors?.join(" ")}
        </p>
      ) : null}
    </div>
  );
}
