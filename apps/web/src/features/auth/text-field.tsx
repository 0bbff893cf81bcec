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
        className="field"
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
