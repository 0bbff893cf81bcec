import { describe, expect, test } from "vitest";
import { safeNextPath } from "@/lib/safe-next.ts";

describe("the next parameter after sign-in", () => {
  test.each([
    ["/", "/"],
    ["/settings", "/settings"],
    ["/?status=active&q=milk", "/?status=active&q=milk"],
    ["/settings#sessions", "/settings#sessions"],
    ["/a/../settings", "/settings"],
  ])("keeps the same-site path %s", (raw, expected) => {
    expect(safeNextPath(raw)).toBe(expected);
  });

  test.each([
    "https://evil.example/",
    "HTTPS://evil.example",
    "http:evil.example",
    "javascript:alert(1)",
    "//evil.example",
    "//evil.example/path",
    "/\\evil.example",
    "\\\\evil.example",
    "/%2Fevil.example",
    "/%2fevil.example",
    "%2F%2Fevil.example",
    "/%5Cevil.example",
    "/%5cevil.example",
    "/%252F%252Fevil.example",
    "/\t/evil.example",
    "/%09/evil.example",
    "/\n/evil.example",
    "evil.example",
    "",
    "/%E0%A4%A",
  ])("refuses %j and falls back to /", (raw) => {
    expect(safeNextPath(raw)).toBe("/");
  });

  test("refuses a missing value and an overlong one", () => {
    expect(safeNextPath(null)).toBe("/");
    expect(safeNextPath(undefined)).toBe("/");
    expect(safeNextPath(`/${"a".repeat(3000)}`)).toBe("/");
  });

  test("never sends a signed-in user back to a sign-in page", () => {
    expect(safeNextPath("/signin")).toBe("/");
    expect(safeNextPath("/signup?next=/settings")).toBe("/");
  });
});
