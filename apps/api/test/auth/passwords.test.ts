import { existsSync, readdirSync, readFileSync } from "node:fs";
import { Password, SignUp } from "@taskvault/contract/auth";
import { afterAll, describe, expect, it } from "vitest";
import { createPasswordHasher, isCommonPassword } from "../../src/auth/passwords.ts";

describe("password policy", () => {
  it("counts characters, not UTF-16 code units: 8 to 128", () => {
    expect(Password.safeParse("1234567").success).toBe(false);
    expect(Password.safeParse("12345678").success).toBe(true);
    expect(Password.safeParse("x".repeat(128)).success).toBe(true);
    expect(Password.safeParse("x".repeat(129)).success).toBe(false);
    expect(Password.safeParse("🦊".repeat(7)).success).toBe(false);
    expect(Password.safeParse("🦊".repeat(8)).success).toBe(true);
    expect(Password.safeParse("🦊".repeat(128)).success).toBe(true);
    expect(Password.safeParse("🦊".repeat(129)).success).toBe(false);
  });

  it("has no composition rules", () => {
    for (const password of ["abcdefghij", "ABCDEFGHIJ", "zzzzzzzzzz", "pass phrase with spaces"]) {
      expect(Password.safeParse(password).success).toBe(true);
    }
  });

  it("normalises the email of a sign-up", () => {
    const parsed = SignUp.parse({ email: "  Ada@Example.COM ", password: "long enough" });
    expect(parsed.email).toBe("ada@example.com");
  });
});

describe("isCommonPassword", () => {
  it("knows the common-password dictionary, case-insensitively", () => {
    for (const password of ["password", "password123", "PASSWORD123", "qwerty123", "iloveyou", "123456789"]) {
      expect(isCommonPassword(password), password).toBe(true);
    }
  });

  it("lets unusual passwords through", () => {
    for (const password of ["a long and unusual passphrase", "Zq7!xk2m#Lp", "correct horse battery staple zebra"]) {
      expect(isCommonPassword(password), password).toBe(false);
    }
  });
});

/** Niceness of each thread of this process, from /proc (field 19 of a thread's stat). */
function threadNiceness(): number[] {
  return readdirSync("/proc/self/task").map((thread) => {
    const stat = readFileSync(`/proc/self/task/${thread}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
  });
}

describe("password hashing", () => {
  const hasher = createPasswordHasher(2);
  afterAll(() => hasher.close());

  it("hashes with Argon2id and verifies only the right password", async () => {
    const hash = await hasher.hash("a long and unusual passphrase");
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await hasher.verify(hash, "a long and unusual passphrase")).toBe(true);
    expect(await hasher.verify(hash, "a long and unusual passphrasE")).toBe(false);
    expect(await hasher.hash("a long and unusual passphrase")).not.toBe(hash);
  });

  it("never verifies when there is no user, and never throws on a corrupt hash", async () => {
    expect(await hasher.verify(null, "taskvault-dummy-password")).toBe(false);
    expect(await hasher.verify("not a hash", "whatever")).toBe(false);
  });

  it.skipIf(!existsSync("/proc/thread-self"))(
    "hashes on threads of lower CPU priority, which stop when the hasher closes",
    async () => {
      const own = createPasswordHasher(1);
      const before = threadNiceness().filter((nice) => nice === 19).length;
      await own.hash("a long and unusual passphrase");
      expect(threadNiceness().filter((nice) => nice === 19).length).toBe(before + 1);
      await own.close();
      expect(threadNiceness().filter((nice) => nice === 19).length).toBe(before);
    },
  );

  it.skipIf(!existsSync("/proc/thread-self"))(
    "stops a hashing thread left idle, and starts one again when needed",
    async () => {
      const own = createPasswordHasher(1, { idleThreadMs: 50 });
      const lowPriority = () => threadNiceness().filter((nice) => nice === 19).length;
      const before = lowPriority();
      const hash = await own.hash("a long and unusual passphrase");
      expect(lowPriority()).toBe(before + 1);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(lowPriority()).toBe(before);
      expect(await own.verify(hash, "a long and unusual passphrase")).toBe(true);
      await own.close();
    },
  );
});
