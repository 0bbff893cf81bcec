/**
 * A real OpenID provider in this process (`oidc-provider`, the certified Node implementation) on a
 * loopback port, for single sign-on tests of the API and the web app. One confidential client is
 * registered; its login page is ours and tiny (a **Username** field, **Continue** and **Cancel**
 * buttons) so both a browser and `loginAt` below can drive it. The person signing in is picked by
 * username from `accounts`, each with the claims and `amr` the provider reports for them.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair } from "jose";
import Provider from "oidc-provider";

export interface ProviderAccount {
  email?: string;
  email_verified?: boolean;
  name?: string;
  /** RFC 8176 values reported in the ID token; default ["pwd"]. */
  amr?: string[];
}

export interface TestOpenIdProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Username (the subject) → the person's claims. */
  accounts: Map<string, ProviderAccount>;
  /** The OIDC_* environment for an API whose PUBLIC_URL is `publicUrl`. */
  env: Record<string, string>;
  close(): Promise<void>;
}

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

export async function startOpenIdProvider(options: {
  publicUrl: string;
  name?: string;
  accounts?: Record<string, ProviderAccount>;
}): Promise<TestOpenIdProvider> {
  const accounts = new Map(Object.entries(options.accounts ?? {}));
  const clientId = "taskvault";
  const clientSecret = randomBytes(24).toString("base64url");
  let provider: Provider | undefined;

  const server: Server = createServer((request, response) => {
    const handle = request.url?.startsWith("/interaction/") ? interaction : provider!.callback();
    Promise.resolve(handle(request, response)).catch((error: unknown) => {
      response.statusCode = 500;
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), alg: "RS256", use: "sig", kid: "test-key" };

  provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [`${options.publicUrl}/auth/oidc/callback`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(16).toString("hex")] },
    claims: { openid: ["sub", "acr", "amr", "auth_time"], email: ["email", "email_verified"], profile: ["name"] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx, sub) {
      const account = accounts.get(sub);
      if (!account) return undefined;
      // amr comes from the login (the session), not from the account's claims.
      const { amr: _amr, ...claims } = account;
      return { accountId: sub, claims: () => ({ sub, ...claims }) };
    },
    // A first-party client: no consent screen (the grant covers what the client asks for).
    async loadExistingGrant(ctx) {
      const { Grant } = ctx.oidc.provider;
      const grant = new Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope("openid email profile");
      await grant.save();
      return grant;
    },
  });

  async function interaction(request: IncomingMessage, response: ServerResponse) {
    const [, , uid, action] = (request.url ?? "").split("?")[0]!.split("/");
    if (request.method === "GET" && !action) {
      await provider!.interactionDetails(request, response);
      response.setHeader("content-type", "text/html; charset=utf-8");
      response.end(`<!doctype html><html><head><title>Test provider – sign in</title></head><body>
<h1>Sign in to the test provider</h1>
<form method="post" action="/interaction/${escapeHtml(uid!)}/login">
<label for="login">Username</label> <input id="login" name="login" autocomplete="off">
<button type="submit">Continue</button>
</form>
<form method="post" action="/interaction/${escapeHtml(uid!)}/abort"><button type="submit">Cancel</button></form>
</body></html>`);
      return;
    }
    if (request.method === "POST" && action === "login") {
      const login = (await readForm(request)).get("login") ?? "";
      const account = accounts.get(login);
      if (!account) {
        response.statusCode = 400;
        response.end("unknown user");
        return;
      }
      await provider!.interactionFinished(
        request,
        response,
        { login: { accountId: login, amr: account.amr ?? ["pwd"] } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    if (request.method === "POST" && action === "abort") {
      await provider!.interactionFinished(
        request,
        response,
        { error: "access_denied", error_description: "End-User aborted interaction" },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    response.statusCode = 404;
    response.end();
  }

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    env: {
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: clientId,
      OIDC_CLIENT_SECRET: clientSecret,
      ...(options.name ? { OIDC_NAME: options.name } : {}),
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Plays the browser at the provider without a browser: follows the authorization URL, signs in
 * as `username` on the login page (or cancels it), and returns the URL the provider redirects to
 * at the client's redirect URI (with `code`, or `error`).
 */
export async function loginAt(
  authorizationUrl: string,
  username: string | { cancel: true },
  redirectUri: string,
): Promise<string> {
  const cookies = new Map<string, string>();
  const request = async (url: string, init: RequestInit = {}) => {
    const response = await fetch(url, {
      ...init,
      redirect: "manual",
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join("; "),
      },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair!.indexOf("=");
      cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    await response.arrayBuffer();
    return response;
  };
  let url = authorizationUrl;
  for (let hop = 0; hop < 10; hop++) {
    const response = await request(url);
    const location = response.headers.get("location");
    if (!location) throw new Error(`the provider stopped at ${url} with ${response.status}`);
    const next = new URL(location, url).href;
    if (next.startsWith(redirectUri)) return next;
    const interaction = /\/interaction\/([^/?]+)$/.exec(new URL(next).pathname);
    if (!interaction) {
      url = next;
      continue;
    }
    await request(next);
    const form =
      typeof username === "string"
        ? { action: "login", body: new URLSearchParams({ login: username }).toString() }
        : { action: "abort", body: "" };
    const submitted = await request(`${new URL(next).origin}/interaction/${interaction[1]}/${form.action}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form.body,
    });
    const after = submitted.headers.get("location");
    if (!after) throw new Error(`the login form answered ${submitted.status}`);
    url = new URL(after, next).href;
    if (url.startsWith(redirectUri)) return url;
  }
  throw new Error("too many redirects at the provider");
}
