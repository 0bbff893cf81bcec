import "server-only";
import { headers as incomingHeaders } from "next/headers";
import { callApiWhole } from "../../server/api-call.mjs";
import { createApiAgents } from "../../server/api-url.mjs";
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
  /** Relay the body as it arrives (server-sent events); otherwise the answer is read whole. */
  isStream?: boolean;
  /**
   * The browser's address, sent as X-Forwarded-For so the API throttles each client on its own.
   * Left out, it is read from the request being handled (route handlers, server components);
   * the proxy passes it explicitly, and `null` sends none (calls not made for a browser).
   */
  clientAddress?: string | null;
};

export async function callApi(
  path: string,
  { method = "GET", accessToken, body, headers = {}, signal, clientAddress, isStream = false }: ApiRequest = {},
): Promise<Response> {
  const outgoing = new Headers({ accept: "application/json" });
  for (const [name, value] of Object.entries(headers)) if (value) outgoing.set(name, value);
  const address = clientAddress === undefined ? await currentClientAddress() : clientAddress;
  if (address) outgoing.set("x-forwarded-for", address);
  else outgoing.delete("x-forwarded-for");
  if (accessToken) outgoing.set("authorization", `Bearer ${accessToken}`);
  if (body != null && !outgoing.has("content-type")) outgoing.set("content-type", "application/json");
  const url = `${env.apiUrl}${path}`;
  if (isStream) {
    // A stream lives as long as the browser's signal; fetch hands its body over as it arrives.
    return fetch(url, { method, headers: outgoing, body: body ?? null, cache: "no-store", redirect: "manual", signal });
  }
  return requestWhole(url, method, outgoing, body ?? null, signal);
}

// Every BFF request makes one API call, so this hop is on the busiest path (server/api-call.mjs).
const agents = createApiAgents();

async function requestWhole(
  url: string,
  method: string,
  headers: Headers,
  body: string | null,
  signal: AbortSignal | undefined,
): Promise<Response> {
  const answer = await callApiWhole(new URL(url), {
    method,
    headers: Object.fromEntries(headers),
    body,
    agents,
    ...(signal && { signal }),
  });
  const answerHeaders = new Headers();
  for (let index = 0; index < answer.rawHeaders.length; index += 2) {
    answerHeaders.append(answer.rawHeaders[index] as string, answer.rawHeaders[index + 1] as string);
  }
  return new Response(answer.body, { status: answer.status, headers: answerHeaders });
}

/** The address of the request being handled, or null outside one (scripts, tests). */
async function currentClientAddress(): Promise<string | null> {
  try {
    return clientAddressOf(await incomingHeaders());
  } catch {
    return null;
  }
}
