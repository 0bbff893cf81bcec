"use client";

import { useState } from "react";

/**
 * **Sign in with <OIDC_NAME>**: a plain navigation to the BFF's start route, which redirects to the
 * provider. Not a form submission: the page's CSP (`form-action 'self'`) would stop a form's
 * redirect to another origin.
 */
export function SsoSignInButton({ name, next }: { name: string; next: string }) {
  const [isPending, setIsPending] = useState(false);
  const href = next === "/" ? "/auth/oidc/start" : `/auth/oidc/start?${new URLSearchParams({ next })}`;
  return (
    <button
      type="button"
      className="btn-secondary w-full"
      disabled={isPending}
      aria-label={`Sign in with ${name}`}
      onClick={() => {
        setIsPending(true);
        window.location.assign(href);
      }}
    >
      {isPending ? `Going to ${name}…` : `Sign in with ${name}`}
    </button>
  );
}
