import "server-only";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { headers as incomingHeaders } from "next/headers";
import { API_TIMEOUT_MS, createApiAgents } from "../../server/api-url.mjs";
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

// Every BFF request makes one API call, so this hop is on the busiest path. fetch (with Next's
// instrumentation around it) and a streamed relay cost the web server about a millisecond of CPU
// more per call than node:http on kept-alive connections with the answer read whole (JSON answers
// are small; bodies are capped at 64 KB on the way in).
const agents = createApiAgents();

function requestWhole(
  url: string,
  method: string,
  headers: Headers,
  body: string | null,
  signal: AbortSignal | undefined,
): Promise<Response> {
  const target = new URL(url);
  const send = target.protocol === "https:" ? httpsRequest : httpRequest;
  // Stated, because node:http would send a DELETE's body neither chunked nor with a length.
  if (body !== null) headers.set("content-length", String(Buffer.byteLength(body)));
  return new Promise((resolve, reject) => {
    const outgoing = send(
      target,
      {
        method,
        headers: Object.fromEntries(headers),
        agent: agents[target.protocol as "http:" | "https:"],
        ...(signal && { signal }),
      },
      (incoming: IncomingMessage) => {
        const chunks: Buffer[] = [];
        incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
        incoming.on("error", reject);
        incoming.on("end", () => {
          const status = incoming.statusCode ?? 502;
          const answer = new Headers();
          for (let index = 0; index < incoming.rawHeaders.length; index += 2) {
            answer.append(incoming.rawHeaders[index] as string, incoming.rawHeaders[index + 1] as string);
          }
          const hasBody = status !== 204 && status !== 304 && method !== "HEAD";
          resolve(new Response(hasBody ? Buffer.concat(chunks) : null, { status, headers: answer }));
        });
      },
    );
    outgoing.setTimeout(API_TIMEOUT_MS, () => outgoing.destroy(new Error("The API did not answer in time")));
    outgoing.on("error", reject);
    outgoing.end(body ?? undefined);
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
