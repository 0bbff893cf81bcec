import { useId } from "react";

type Props = {
  label: string;
  name: string;
  type?: "text" | "email";
  autoComplete?: string;
  required?: boolean;
  defaultValue?: string;
  errors?: string[] | undefined;
  maxLength?: number;
  inputMode?: "text" | "numeric";
  spellCheck?: boolean;
  autoFocus?: boolean | undefined;
  /** Classes added to the input's own `field` class. */
  inputClassName?: string;
};

/** A labelled input with its field errors tied to it by aria-describedby. */
export function TextField({
  label,
  name,
  type = "text",
  autoComplete,
  required,
  defaultValue,
  errors,
  maxLength,
  inputMode,
  spellCheck,
  autoFocus,
  inputClassName,
}: Props) {
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
        type={type}
        autoComplete={autoComplete}
        required={required}
        defaultValue={defaultValue}
        maxLength={maxLength}
        inputMode={inputMode}
        spellCheck={spellCheck}
        // biome-ignore lint/a11y/noAutofocus: only fields that appear because the person asked for them focus themselves
        autoFocus={autoFocus}
        className={inputClassName ? `field ${inputClassName}` : "field"}
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
