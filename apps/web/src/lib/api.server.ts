import "server-only";
import { headers as incomingHeaders } from "next/headers";
import { clientAddressOf } from "./client-address.server.ts";
import { env } from "./env.server.ts";

/** One HTTP call from the web server to the Taskvault API. Tokens travel only on this hop. */
export type ApiRequest = {
  method?: string;
  accessToken?: string | null;
  /** Already-serialised JSON, so a BFF route can replay the exact body after a refresh. */
  body?: string | null;
  headers?: Record<string, string | null | undefined>;
  signal?: AbortSignal;
  /**
   * The browser's address, sent as X-Forwarded-For so the API throttles each client on its own.
   * Left out, it is read from the request being handled (route handlers, server components);
   * the proxy passes it explicitly, and `null` sends none (calls not made for a browser).
   */
  clientAddress?: string | null;
};

export async function callApi(
  path: string,
  { method = "GET", accessToken, body, headers = {}, signal, clientAddress }: ApiRequest = {},
) {
  const outgoing = new Headers({ accept: "application/json" });
  for (const [name, value] of Object.entries(headers)) if (value) outgoing.set(name, value);
  const address = clientAddress === undefined ? await currentClientAddress() : clientAddress;
  if (address) outgoing.set("x-forwarded-for", address);
  else outgoing.delete("x-forwarded-for");
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

/** The address of the request being handled, or null outside one (scripts, tests). */
async function currentClientAddress(): Promise<string | null> {
  try {
    return clientAddressOf(await incomingHeaders());
  } catch {
    return null;
  }
}
