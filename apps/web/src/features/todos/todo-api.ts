import type { CreateTodo, ParsedTodo, Todo, TodoPage, UpdateTodo, UpdateTodoResult } from "@taskvault/contract/todos";
import { bff } from "@/lib/bff-client.ts";

/** Browser-side calls to the BFF's todo routes. */
export async function createTodo(input: CreateTodo): Promise<Todo> {
  const { data } = await bff<Todo>("/api/todos", {
    method: "POST",
    body: input,
    // A retried submit (flaky network) must not create the todo twice.
    headers: { "Idempotency-Key": crypto.randomUUID() },
  });
  return data;
}

/** The saved todo, with `next` when completing a recurring todo created its next instance. */
export async function updateTodo(id: string, changes: UpdateTodo, version: number): Promise<UpdateTodoResult> {
  const { data } = await bff<UpdateTodoResult>(`/api/todos/${id}`, {
    method: "PATCH",
    body: changes,
    headers: { "If-Match": `"${version}"` },
  });
  return data;
}

export async function fetchTodo(id: string): Promise<Todo> {
  const { data } = await bff<Todo>(`/api/todos/${id}`);
  return data;
}

export async function deleteTodo(id: string): Promise<void> {
  await bff(`/api/todos/${id}`, { method: "DELETE" });
}

export async function completeAll(): Promise<void> {
  await bff("/api/todos/complete-all", { method: "POST" });
}

export async function clearCompleted(): Promise<void> {
  await bff("/api/todos?status=completed", { method: "DELETE" });
}

/** Every todo of the user, following the API's cursor. */
export async function fetchAllTodos(): Promise<Todo[]> {
  const items: Todo[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 50; page++) {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const { data }: { data: TodoPage } = await bff<TodoPage>(`/api/todos?limit=200${query}`);
    items.push(...data.items);
    cursor = data.nextCursor;
    if (!cursor) break;
  }
  return items;
}

/** What a quick-add line means (`#List @tag !high tomorrow 5pm every week`, days in `tz`); creates nothing. */
export async function parseQuickAdd(text: string, tz: string, signal?: AbortSignal): Promise<ParsedTodo> {
  const { data } = await bff<ParsedTodo>("/api/todos/parse", { method: "POST", body: { text, tz }, signal });
  return data;
}
