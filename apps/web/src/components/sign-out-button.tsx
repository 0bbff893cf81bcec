"use client";

import { useState } from "react";

/** Ends the session through the BFF, then leaves for the sign-in page whatever the API said. */
export function SignOutButton({
  everywhere = false,
  className = "btn-secondary",
}: {
  everywhere?: boolean;
  className?: string;
}) {
  const [isPending, setIsPending] = useState(false);
  return (
    <button
      type="button"
      className={className}
      disabled={isPending}
      onClick={async () => {
        setIsPending(true);
        await fetch(everywhere ? "/api/auth/signout-all" : "/api/auth/signout", { method: "POST" }).catch(() => null);
        window.location.assign("/signin?reason=signed-out");
      }}
    >
      {everywhere ? "Sign out everywhere" : "Sign out"}
    </button>
  );
}
