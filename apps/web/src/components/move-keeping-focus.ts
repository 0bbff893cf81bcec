/**
 * Runs `move` (which reorders the list the button sits in) and gives focus back to the button:
 * React moves DOM nodes to reorder them, and a moved node loses focus, which would leave keyboard
 * users at the top of the page. Once the item reaches an end the button turns disabled, so focus
 * goes to its enabled twin (the buttons marked `data-move` next to it) instead.
 */
export function moveKeepingFocus(button: HTMLButtonElement, move: () => void): void {
  move();
  requestAnimationFrame(() => {
    const target = button.disabled
      ? button.parentElement?.querySelector<HTMLButtonElement>("button[data-move]:not(:disabled)")
      : button;
    target?.focus();
  });
}
