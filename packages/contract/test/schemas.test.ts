import { describe, expect, it } from "vitest";
import { SignUp } from "../src/auth.ts";
import { CreateTodo, ListTodosQuery, UpdateTodo } from "../src/todos.ts";

describe("SignUp", () => {
  it("normalizes the email: trimmed and lower-cased", () => {
    const parsed = SignUp.parse({ email: "  Ann@Example.COM ", password: "a long passphrase" });
    expect(parsed.email).toBe("ann@example.com");
  });

  it("counts password length in characters, not UTF-16 units", () => {
    expect(SignUp.safeParse({ email: "a@b.co", password: "🔑🔑🔑🔑🔑🔑🔑" }).success).toBe(false);
    expect(SignUp.safeParse({ email: "a@b.co", password: "🔑🔑🔑🔑🔑🔑🔑🔑" }).success).toBe(true);
  });

  it("refuses unknown fields", () => {
    expect(SignUp.safeParse({ email: "a@b.co", password: "a long passphrase", role: "admin" }).success).toBe(false);
  });
});

describe("CreateTodo", () => {
  it("trims the title and refuses an empty one", () => {
    expect(CreateTodo.parse({ title: "  Buy milk " }).title).toBe("Buy milk");
    expect(CreateTodo.safeParse({ title: "   " }).success).toBe(false);
  });

  it("refuses duplicate tags and more than 20", () => {
    expect(CreateTodo.safeParse({ title: "x", tags: ["a", "a"] }).success).toBe(false);
    const many = Array.from({ length: 21 }, (_, index) => `t${index}`);
    expect(CreateTodo.safeParse({ title: "x", tags: many }).success).toBe(false);
  });

  it("refuses fields a client may not set", () => {
    for (const field of ["id", "version", "createdAt", "userId"]) {
      expect(CreateTodo.safeParse({ title: "x", [field]: "1" }).success).toBe(false);
      expect(UpdateTodo.safeParse({ [field]: "1" }).success).toBe(false);
    }
  });
});

describe("ListTodosQuery", () => {
  it("applies the documented defaults", () => {
    expect(ListTodosQuery.parse({})).toMatchObject({ status: "all", sort: "position", limit: 50 });
    // No zone named: "today" is each todo's own day, so the absence must survive parsing.
    expect(ListTodosQuery.parse({}).tz).toBeUndefined();
  });

  it("refuses an unknown time zone and a limit out of range", () => {
    expect(ListTodosQuery.safeParse({ tz: "Mars/Olympus" }).success).toBe(false);
    expect(ListTodosQuery.safeParse({ limit: "0" }).success).toBe(false);
    expect(ListTodosQuery.safeParse({ limit: "201" }).success).toBe(false);
  });
});
