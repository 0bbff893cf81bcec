import { ListCollection } from "@taskvault/contract/lists";
import type { Metadata } from "next";
import { AppShell } from "@/components/app-shell.tsx";
import { loadFromApi } from "@/features/auth/session.server.ts";
import { loadProfile } from "@/features/settings/profile.server.ts";
import { loadTodos } from "@/features/todos/load-todos.server.ts";
import { TodoApp } from "@/features/todos/todo-app.tsx";

export const metadata: Metadata = { title: "Todos" };

/** `/` – the user's todos, rendered on the server so the first paint already shows them. */
export default async function TodosPage() {
  const [user, todos, lists] = await Promise.all([
    loadProfile("/"),
    loadTodos("/"),
    loadFromApi("/api/v1/lists", ListCollection, "/"),
  ]);
  return (
    <AppShell user={user} current="todos">
      <h1 className="sr-only">Your todos</h1>
      <TodoApp initialTodos={todos} initialLists={lists.items} profileTimeZone={user.timezone} userId={user.id} />
    </AppShell>
  );
}
