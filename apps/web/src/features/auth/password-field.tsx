"use client";

import { useId, useState } from "react";

type Props = {
  label: string;
  name: string;
  autoComplete: "current-password" | "new-password";
  errors?: string[] | undefined;
  hint?: string;
  minLength?: number;
};

/** A password input with a show/hide toggle whose name ("Show"/"Hide") never collides with the field's label. */
export function PasswordField({ label, name, autoComplete, errors, hint, minLength }: Props) {
  const id = useId();
  const [isVisible, setIsVisible] = useState(false);
  const describedBy = [hint ? `${id}-hint` : null, errors?.length ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div>
      <label htmlFor={id} className="label">
        {label}
      </label>
      <div className="relative">
        <input
          id={id}
          name={name}
          type={isVisible ? "text" : "password"}
          autoComplete={autoComplete}
          required
          minLength={minLength}
          className="field pr-20"
          aria-invalid={errors?.length ? true : undefined}
          aria-describedby={describedBy || undefined}
        />
        <button
          type="button"
          className="btn-ghost absolute inset-y-0 right-1 my-auto h-8 text-xs font-semibold"
          aria-pressed={isVisible}
          aria-controls={id}
          onClick={() => setIsVisible((visible) => !visible)}
        >
          {isVisible ? "Hide" : "Show"}
        </button>
      </div>
      {hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600 dark:text-slate-400">
          {hint}
        </p>
      ) : null}
      {errors?.length ? (
        <p id={`${id}-error`} className="field-error">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}
