import type { ListColor } from "@taskvault/contract/lists";

/** The contract's palette, each colour with its name and its swatch (full class names, so Tailwind sees them). */
export const COLORS: Record<ListColor, { name: string; swatch: string }> = {
  red: { name: "Red", swatch: "bg-red-500" },
  orange: { name: "Orange", swatch: "bg-orange-500" },
  amber: { name: "Amber", swatch: "bg-amber-500" },
  yellow: { name: "Yellow", swatch: "bg-yellow-400" },
  lime: { name: "Lime", swatch: "bg-lime-500" },
  green: { name: "Green", swatch: "bg-green-600" },
  teal: { name: "Teal", swatch: "bg-teal-500" },
  cyan: { name: "Cyan", swatch: "bg-cyan-500" },
  blue: { name: "Blue", swatch: "bg-blue-600" },
  indigo: { name: "Indigo", swatch: "bg-indigo-500" },
  purple: { name: "Purple", swatch: "bg-purple-500" },
  pink: { name: "Pink", swatch: "bg-pink-500" },
  brown: { name: "Brown", swatch: "bg-amber-800" },
  gray: { name: "Gray", swatch: "bg-slate-500" },
};
export const PALETTE = Object.keys(COLORS) as ListColor[];
