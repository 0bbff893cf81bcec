import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.ts";

describe("configuration", () => {
  it("has the contract's defaults", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      API_PORT: 4000,
      HOST: "127.0.0.1",
      DATA_DIR: "./data",
      AUTH_ACCESS_TTL: 600,
      AUTH_REFRESH_TTL: 2_592_000,
      AUTH_REFRESH_REUSE_GRACE: 10,
      AUTH_RATE_LIMIT: "on",
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.AUTH_KEY_SECRET).toBeUndefined();
  });

  it("reads each documented variable", () => {
    const config = loadConfig({
      API_PORT: "4100",
      HOST: "0.0.0.0",
      DATA_DIR: "/tmp/tv",
      DATABASE_URL: "postgres://u@h/db",
      REDIS_URL: "redis://h:6379",
      AUTH_ACCESS_TTL: "60",
      AUTH_REFRESH_TTL: "3600",
      AUTH_REFRESH_REUSE_GRACE: "0",
      AUTH_RATE_LIMIT: "off",
      TRUST_PROXY: "10.0.0.0/8",
    });
    expect(config).toMatchObject({
      API_PORT: 4100,
      HOST: "0.0.0.0",
      DATA_DIR: "/tmp/tv",
      DATABASE_URL: "postgres://u@h/db",
      REDIS_URL: "redis://h:6379",
      AUTH_ACCESS_TTL: 60,
      AUTH_REFRESH_TTL: 3600,
      AUTH_REFRESH_REUSE_GRACE: 0,
      AUTH_RATE_LIMIT: "off",
      TRUST_PROXY: "10.0.0.0/8",
    });
  });

  it.each([
    ["API_PORT", "not-a-port"],
    ["API_PORT", "70000"],
    ["AUTH_ACCESS_TTL", "-5"],
    ["AUTH_REFRESH_TTL", "soon"],
    ["AUTH_RATE_LIMIT", "maybe"],
    ["DATABASE_URL", "mysql://x"],
    ["REDIS_URL", "http://x"],
    ["AUTH_KEY_SECRET", "c2hvcnQ="],
    ["NODE_ENV", "staging"],
    ["PUBLIC_URL", "ftp://example.com"],
    ["PUBLIC_URL", "not a url"],
    ["SMTP_URL", "http://mail.example.com"],
    ["AUTH_SIGNUP", "sometimes"],
    ["AUTH_REQUIRE_VERIFIED_EMAIL", "yes"],
  ])("a bad %s names the variable", (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });

  it("refuses NODE_ENV=production without AUTH_KEY_SECRET, with a clear message", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(/AUTH_KEY_SECRET.*required.*production/);
    const secret = Buffer.alloc(32, 7).toString("base64");
    expect(loadConfig({ NODE_ENV: "production", AUTH_KEY_SECRET: secret }).AUTH_KEY_SECRET).toBe(secret);
  });

  it("has the mail and recovery defaults of the contract, and reads each of their variables", () => {
    const defaults = loadConfig({});
    expect(defaults).toMatchObject({
      PUBLIC_URL: "http://localhost:3000",
      MAIL_FROM: "Taskvault <taskvault@localhost>",
      AUTH_SIGNUP: "open",
      AUTH_REQUIRE_VERIFIED_EMAIL: false,
    });
    expect(defaults.SMTP_URL).toBeUndefined();
    expect(loadConfig({ PORT: "3100" }).PUBLIC_URL).toBe("http://localhost:3100");
    expect(
      loadConfig({
        PUBLIC_URL: "https://todo.example.com/",
        SMTP_URL: "smtps://user:pass@mail.example.com:465",
        MAIL_FROM: "Todos <todos@example.com>",
        AUTH_SIGNUP: "closed",
        AUTH_REQUIRE_VERIFIED_EMAIL: "true",
      }),
    ).toMatchObject({
      PUBLIC_URL: "https://todo.example.com",
      SMTP_URL: "smtps://user:pass@mail.example.com:465",
      MAIL_FROM: "Todos <todos@example.com>",
      AUTH_SIGNUP: "closed",
      AUTH_REQUIRE_VERIFIED_EMAIL: true,
    });
  });

  it("treats empty variables as unset", () => {
    const config = loadConfig({ API_PORT: "", DATABASE_URL: "" });
    expect(config.API_PORT).toBe(4000);
    expect(config.DATABASE_URL).toBeUndefined();
  });
});
