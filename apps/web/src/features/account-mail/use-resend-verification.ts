"use client";

import { useState } from "react";
import { BffError, bff, retryAdvice } from "@/lib/bff-client.ts";

export type ResendStatus = { tone: "ok" | "error"; message: string } | null;

/** Sends a fresh verification link (the banner's and the settings' Resend), saying when it is throttled. */
export function useResendVerification() {
  const [isPending, setIsPending] = useState(false);
  const [status, setStatus] = useState<ResendStatus>(null);

  async function resend() {
    setIsPending(true);
    setStatus(null);
    try {
      await bff("/api/me/email/verification", { method: "POST" });
      setStatus({ tone: "ok", message: "Sent. Check your inbox for the new link." });
    } catch (error) {
      const message =
        error instanceof BffError && error.status === 429
          ? `A link was sent moments ago. ${retryAdvice(error.retryAfterSeconds)}`
          : error instanceof Error
            ? error.message
            : "Could not send the link.";
      setStatus({ tone: "error", message });
    } finally {
      setIsPending(false);
    }
  }

  return { resend, isPending, status };
}
