import { TextField } from "../auth/text-field.tsx";

type Props = {
  label: string;
  name: string;
  /** `totp`: six digits from an app (numeric keyboard, one-time-code autofill); `recovery`: a printed code. */
  kind: "totp" | "recovery";
  errors?: string[] | undefined;
  autoFocus?: boolean;
};

/** A labelled field for a one-time code: TextField with a code's keyboard, autofill and length. */
export function CodeField({ label, name, kind, errors, autoFocus }: Props) {
  const totp = kind === "totp";
  return (
    <TextField
      label={label}
      name={name}
      required
      errors={errors}
      autoFocus={autoFocus}
      autoComplete={totp ? "one-time-code" : "off"}
      inputMode={totp ? "numeric" : "text"}
      spellCheck={false}
      maxLength={totp ? 32 : 64}
      inputClassName="font-mono tracking-widest"
    />
  );
}
