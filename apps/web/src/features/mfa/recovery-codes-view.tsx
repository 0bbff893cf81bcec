"use client";

import { useState } from "react";

/**
 * Recovery codes, shown exactly once (the API keeps only their hashes): the person copies or
 * downloads them before leaving this view.
 */
export function RecoveryCodesView({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const text = `Taskvault recovery codes (each works once)\n\n${codes.join("\n")}\n`;

  async function copy() {
    await navigator.clipboard.writeText(text).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  }

  function download() {
    const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = "taskvault-recovery-codes.txt";
    link.click();
    URL.revokeObjectURL(url);
  }

  return (
    <div className="space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-4 dark:border-amber-800 dark:bg-amber-950">
      <h4 className="font-semibold">Save your recovery codes</h4>
      <p className="text-sm">
        If you lose your device, each of these codes signs you in once instead of a code from your app. They are shown
        only now.
      </p>
      <ul aria-label="Recovery codes" className="grid grid-cols-2 gap-1 font-mono text-sm">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
      <div className="flex flex-wrap items-center gap-2">
        <button type="button" className="btn-secondary" onClick={copy}>
          Copy codes
        </button>
        <button type="button" className="btn-secondary" onClick={download}>
          Download codes
        </button>
        <button type="button" className="btn-primary" onClick={onDone}>
          I have saved them
        </button>
        <span role="status" aria-live="polite" className="text-sm">
          {copied ? "Copied." : ""}
        </span>
      </div>
    </div>
  );
}
