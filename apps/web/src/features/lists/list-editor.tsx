"use client";

import type { List } from "@taskvault/contract/lists";
import type { FormEvent } from "react";
import { COLORS, PALETTE } from "./list-colors.ts";

/** Renaming and recolouring a list: its name, and a colour from the palette (or none). */
export default function ListEditor({
  list,
  onSubmit,
  onCancel,
}: {
  list: List;
  onSubmit(event: FormEvent<HTMLFormElement>, list: List): void;
  onCancel(): void;
}) {
  return (
    <form
      className="flex-1 space-y-2 rounded-lg border border-slate-200 p-2 dark:border-slate-700"
      onSubmit={(event) => onSubmit(event, list)}
      onKeyDown={(event) => event.key === "Escape" && onCancel()}
    >
      <input
        name="name"
        aria-label="List name"
        defaultValue={list.name}
        maxLength={60}
        className="field py-1 text-sm"
        // biome-ignore lint/a11y/noAutofocus: the user just asked to rename this list
        autoFocus
      />
      <fieldset>
        <legend className="mb-1 text-xs font-medium text-slate-600 dark:text-slate-400">Colour</legend>
        <div className="flex flex-wrap gap-1.5">
          {[null, ...PALETTE].map((color) => (
            <input
              key={color ?? "none"}
              type="radio"
              name="color"
              value={color ?? ""}
              aria-label={color ? COLORS[color].name : "No colour"}
              title={color ? COLORS[color].name : "No colour"}
              defaultChecked={list.color === color}
              className={`size-6 cursor-pointer appearance-none rounded-full border-2 checked:ring-2 checked:ring-brand-500 checked:ring-offset-1 dark:ring-offset-slate-900 ${
                color ? `border-transparent ${COLORS[color].swatch}` : "border-slate-400 bg-transparent"
              }`}
            />
          ))}
        </div>
      </fieldset>
      <div className="flex gap-1">
        <button type="submit" className="btn-primary min-h-8 px-3 py-1 text-sm">
          Save
        </button>
        <button type="button" className="btn-ghost text-sm" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
