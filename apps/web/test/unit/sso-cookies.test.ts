import { NextRequest, NextResponse } from "next/server";
import { describe, expect, test } from "vitest";
import { readSsoFlow, readSsoLink, setSsoFlow, setSsoLink } from "@/features/sso/sso-cookies.server.ts";
import { describeSsoFailure } from "@/features/sso/sso-messages.ts";

const BINDING = "Qm9uZGluZy12YWx1ZS1mb3ItdGhlLWZsb3ctMzJieXRlcw";

/** The cookies a response sets, as the next request from that browser would carry them. */
function jarOf(response: NextResponse): Map<string, { value: string }> {
  return new Map(response.cookies.getAll().map((cookie) => [cookie.name, { value: cookie.value }]));
}

describe("single sign-on cookies", () => {
  test("the flow's binding and next survive the round trip in an HttpOnly, SameSite=Lax cookie", () => {
    const request = new NextRequest("http://taskvault.test/auth/oidc/start");
    const response = new NextResponse(null);
    setSsoFlow(response, request, { binding: BINDING, next: "/?list=inbox&q=a.b" }, 600);
    const [header] = response.headers.getSetCookie();
    expect(header).toMatch(/^tv_sso=/);
    expect(header).toMatch(/; HttpOnly/i);
    expect(header).toMatch(/; SameSite=lax/i);
    expect(header).toMatch(/Max-Age=600/);
    expect(readSsoFlow(jarOf(response), false)).toEqual({ binding: BINDING, next: "/?list=inbox&q=a.b" });
  });

  test("over HTTPS the cookies carry the __Host- prefix and Secure", () => {
    const request = new NextRequest("https://todo.example/auth/oidc/callback");
    const response = new NextResponse(null);
    setSsoLink(response, request, { ticket: "tvl_ticket-value", email: "pat@example.com" }, 600);
    const [header] = response.headers.getSetCookie();
    expect(header).toMatch(/^__Host-tv_sso_link=/);
    expect(header).toMatch(/; Secure/i);
    expect(readSsoLink(jarOf(response), true)).toEqual({ ticket: "tvl_ticket-value", email: "pat@example.com" });
    expect(readSsoLink(jarOf(response), false)).toBeNull();
  });

  test("a planted cookie cannot turn next into a redirect to another site", () => {
    const planted = new Map([
      ["tv_sso", { value: `${BINDING}.${Buffer.from("//evil.example").toString("base64url")}` }],
    ]);
    expect(readSsoFlow(planted, false)).toEqual({ binding: BINDING, next: "/" });
  });
});

describe("single sign-on failure messages", () => {
  test("come from a fixed list by code, naming the provider, and unknown reasons show nothing", () => {
    expect(describeSsoFailure("sso-cancelled", "Keycloak")).toBe(
      "Signing in with Keycloak was cancelled. Nobody was signed in.",
    );
    expect(describeSsoFailure("<script>", "Keycloak")).toBeNull();
    expect(describeSsoFailure("toString", "Keycloak")).toBeNull();
  });
});
