import type { MouseEvent } from "react";

export type MoveDirection = "up" | "down";

/** The frame that will put the focus back after the latest move, if it has not run yet. */
let pendingFocus: number | undefined;

/**
 * "Move <name> up" / "Move <name> down" for an item of a reorderable list. After `onMove` the
 * focus returns to the button pressed: React moves DOM nodes to reorder them, and a moved node
 * loses focus, which would leave keyboard users at the top of the page. Once the item reaches an
 * end that button turns disabled, so focus goes to its enabled twin instead.
 */
export function MoveButtons({
  name,
  className,
  canMoveUp,
  canMoveDown,
  onMove,
}: {
  name: string;
  className: string;
  canMoveUp: boolean;
  canMoveDown: boolean;
  onMove(direction: MoveDirection): void;
}) {
  function move(event: MouseEvent<HTMLButtonElement>, direction: MoveDirection) {
    const button = event.currentTarget;
    onMove(direction);
    // Only the latest move restores focus: a frame can come late, after the next move.
    if (pendingFocus !== undefined) cancelAnimationFrame(pendingFocus);
    pendingFocus = requestAnimationFrame(() => {
      pendingFocus = undefined;
      // Only if the move lost it: by now the user may have gone on to another control.
      const active = document.activeElement;
      if (active && active !== document.body && active !== button) return;
      const target = button.disabled
        ? button.parentElement?.querySelector<HTMLButtonElement>("button[data-move]:not(:disabled)")
        : button;
      target?.focus();
    });
  }

  return (
    <>
      {(["up", "down"] as const).map((direction) => (
        <button
          key={direction}
          type="button"
          data-move={direction}
          className={className}
          aria-label={`Move ${name} ${direction}`}
          disabled={direction === "up" ? !canMoveUp : !canMoveDown}
          onClick={(event) => move(event, direction)}
        >
          <span aria-hidden="true">{direction === "up" ? "↑" : "↓"}</span>
        </button>
      ))}
    </>
  );
}
