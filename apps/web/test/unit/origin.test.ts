import { describe, expect, test } from "vitest";
import { isForeignStateChange } from "@/lib/origin.ts";

const base = { method: "POST", origin: "http://localhost:3000", secFetchSite: "same-origin", host: "localhost:3000" };

describe("cross-site request refusal", () => {
  test("a same-origin POST passes", () => {
    expect(isForeignStateChange(base)).toBe(false);
  });

  test("a POST from another origin is refused", () => {
    expect(isForeignStateChange({ ...base, origin: "http://evil.example", secFetchSite: null })).toBe(true);
  });

  test("another port on the same host is another origin", () => {
    expect(isForeignStateChange({ ...base, origin: "http://localhost:4000" })).toBe(true);
  });

  test("Sec-Fetch-Site: cross-site is refused even without an Origin", () => {
    expect(isForeignStateChange({ ...base, origin: null, secFetchSite: "cross-site" })).toBe(true);
  });

  test("the opaque null origin is refused", () => {
    expect(isForeignStateChange({ ...base, origin: "null" })).toBe(true);
  });

  test.each(["PUT", "PATCH", "DELETE"])("%s is checked like POST", (method) => {
    expect(isForeignStateChange({ ...base, method, origin: "https://evil.example" })).toBe(true);
  });

  test("reads (GET, HEAD) are never refused", () => {
    expect(
      isForeignStateChange({ ...base, method: "GET", origin: "http://evil.example", secFetchSite: "cross-site" }),
    ).toBe(false);
    expect(isForeignStateChange({ ...base, method: "HEAD", origin: "http://evil.example" })).toBe(false);
  });

  test("a non-browser client without Origin or fetch metadata passes", () => {
    expect(isForeignStateChange({ ...base, origin: null, secFetchSite: null })).toBe(false);
  });

  test("host comparison ignores case", () => {
    expect(isForeignStateChange({ ...base, origin: "http://LOCALHOST:3000" })).toBe(false);
  });
});
