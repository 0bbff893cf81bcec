import type { Session } from "@taskvault/contract/auth";
import { sql } from "drizzle-orm";
import { expect } from "vitest";
import { as, signUp, type TestApp } from "../helpers/app.ts";

export interface Person {
  session: Session;
  id: string;
  email: string;
  call: ReturnType<typeof as>;
}

/** A new account whose email is verified (invitations match verified addresses only). */
export async function person(t: TestApp, { verified = true } = {}): Promise<Person> {
  const session = await signUp(t.app);
  if (verified) {
    await t.database.handle.db.execute(sql`update users set email_verified_at = now() where id = ${session.user.id}`);
  }
  return { session, id: session.user.id, email: session.user.email, call: as(t.app, session) };
}

export async function createList(owner: Person, name = `List ${crypto.randomUUID()}`): Promise<{ id: string }> {
  const response = await owner.call({ method: "POST", url: "/api/v1/lists", payload: { name } });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

export async function createTodo(who: Person, payload: Record<string, unknown>): Promise<{ id: string }> {
  const response = await who.call({ method: "POST", url: "/api/v1/todos", payload });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

export async function invite(owner: Person, listId: string, invitee: Person, role: "editor" | "viewer") {
  const response = await owner.call({
    method: "POST",
    url: `/api/v1/lists/${listId}/invitations`,
    payload: { email: invitee.email, role },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string };
}

/** Invites and accepts: `member` sees the list with `role` from now on. */
export async function share(owner: Person, listId: string, member: Person, role: "editor" | "viewer") {
  const invitation = await invite(owner, listId, member, role);
  const accepted = await member.call({ method: "POST", url: `/api/v1/invitations/${invitation.id}/accept` });
  expect(accepted.statusCode, accepted.body).toBe(200);
}

export async function removeMember(owner: Person, listId: string, member: Person) {
  const response = await owner.call({ method: "DELETE", url: `/api/v1/lists/${listId}/members/${member.id}` });
  expect(response.statusCode, response.body).toBe(204);
}

export async function changesOf(who: Person, since = 0) {
  const response = await who.call({ method: "GET", url: `/api/v1/changes?since=${since}` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as {
    changes: { seq: number; type: string; id: string; data: Record<string, unknown> | null }[];
    seq: number;
  };
}
