import "server-only";
import { env } from "./env.server.ts";

/** One HTTP call from the web server to the Taskvault API. Tokens travel only on this hop. */
export type ApiRequest = {
  method?: string;
  accessToken?: string | null;
  /** Already-serialised JSON, so a BFF route can replay the exact body after a refresh. */
  body?: string | null;
  headers?: Record<string, string | null | undefined>;
  signal?: AbortSignal;
};

export async function callApi(
  path: string,
  { method = "GET", accessToken, body, headers = {}, signal }: ApiRequest = {},
) {
  const outgoing = new Headers({ accept: "application/json" });
  for (const [name, value] of Object.entries(headers)) if (value) outgoing.set(name, value);
  if (accessToken) outgoing.set("authorization", `Bearer ${accessToken}`);
  if (body != null && !outgoing.has("content-type")) outgoing.set("content-type", "application/json");
  return fetch(`${env.apiUrl}${path}`, {
    method,
    headers: outgoing,
    body: body ?? null,
    cache: "no-store",
    redirect: "manual",
    // Ordinary calls give up after 15 s; a stream passes the browser's signal and lives as long as it.
    signal: signal ?? AbortSignal.timeout(15_000),
  });
}
