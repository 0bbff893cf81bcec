"use client";

import { type FormEvent, useState } from "react";
import { signInAgain } from "@/lib/bff-client.ts";
import { FormStatus, SettingsCard } from "./settings-card.tsx";

type Status = { tone: "ok" | "error"; message: string } | null;

/**
 * Export (a JSON download of profile, lists and todos) and import (that JSON, or a Todoist CSV
 * export). The upload goes through XMLHttpRequest because fetch reports no upload progress; the
 * API imports all or nothing and answers how many todos it added.
 */
export function DataTransfer() {
  const [exportStatus, setExportStatus] = useState<Status>(null);
  const [isExporting, setIsExporting] = useState(false);
  const [importStatus, setImportStatus] = useState<Status>(null);
  const [progress, setProgress] = useState<number | null>(null);

  async function exportData() {
    setIsExporting(true);
    setExportStatus(null);
    try {
      const response = await fetch("/api/export", { cache: "no-store" });
      if (response.status === 401) return signInAgain();
      if (!response.ok) throw new Error(await problemDetail(response.text(), response.status));
      const text = await response.text();
      const document = JSON.parse(text) as { todos?: unknown[]; lists?: unknown[] };
      const link = window.document.createElement("a");
      link.href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
      link.download = `taskvault-export-${new Date().toISOString().slice(0, 10)}.json`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      const todos = document.todos?.length ?? 0;
      const lists = document.lists?.length ?? 0;
      setExportStatus({
        tone: "ok",
        message: `Exported ${todos} ${todos === 1 ? "todo" : "todos"} and ${lists} ${lists === 1 ? "list" : "lists"}.`,
      });
    } catch (error) {
      setExportStatus({ tone: "error", message: error instanceof Error ? error.message : "Could not export." });
    } finally {
      setIsExporting(false);
    }
  }

  function importData(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const file = (form.elements.namedItem("file") as HTMLInputElement).files?.[0];
    if (!file) return setImportStatus({ tone: "error", message: "Choose a file to import." });
    const isCsv = /\.csv$/i.test(file.name) || file.type.includes("csv");
    setImportStatus(null);
    setProgress(0);
    const request = new XMLHttpRequest();
    request.open("POST", "/api/import");
    request.setRequestHeader("content-type", isCsv ? "text/csv" : "application/json");
    request.upload.onprogress = (progressEvent) => {
      if (progressEvent.lengthComputable) setProgress(Math.round((progressEvent.loaded / progressEvent.total) * 100));
    };
    request.onload = async () => {
      setProgress(null);
      if (request.status === 401) return signInAgain();
      if (request.status >= 200 && request.status < 300) {
        const imported = (JSON.parse(request.responseText) as { imported?: number }).imported ?? 0;
        setImportStatus({
          tone: "ok",
          message: `Imported ${imported} ${imported === 1 ? "todo" : "todos"} from ${file.name}.`,
        });
        form.reset();
      } else {
        setImportStatus({
          tone: "error",
          message: `Nothing was imported: ${await problemDetail(Promise.resolve(request.responseText), request.status)}`,
        });
      }
    };
    request.onerror = () => {
      setProgress(null);
      setImportStatus({ tone: "error", message: "Nothing was imported: Taskvault could not be reached." });
    };
    request.send(file);
  }

  return (
    <SettingsCard
      title="Your data"
      description="Download everything as JSON, or import a Taskvault export or a Todoist CSV export."
    >
      <div className="space-y-4">
        <div className="space-y-2">
          <button type="button" className="btn-secondary" onClick={exportData} disabled={isExporting}>
            {isExporting ? "Exporting…" : "Export data"}
          </button>
          <FormStatus status={exportStatus} />
        </div>
        <form className="space-y-2" onSubmit={importData}>
          <label className="block text-sm font-medium" htmlFor="import-file">
            Import file
          </label>
          <input
            id="import-file"
            name="file"
            type="file"
            accept=".json,.csv,application/json,text/csv"
            className="block text-sm"
          />
          <button type="submit" className="btn-secondary" disabled={progress !== null}>
            {progress !== null ? "Importing…" : "Import"}
          </button>
          {progress !== null ? (
            <progress className="block w-full" aria-label="Import progress" max={100} value={progress}>
              {progress}%
            </progress>
          ) : null}
          <FormStatus status={importStatus} />
        </form>
      </div>
    </SettingsCard>
  );
}

async function problemDetail(body: Promise<string>, status: number): Promise<string> {
  try {
    const problem = JSON.parse(await body) as { detail?: string; title?: string };
    return problem.detail || problem.title || `the server answered ${status}`;
  } catch {
    return `the server answered ${status}`;
  }
}
