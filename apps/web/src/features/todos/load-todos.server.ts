import "server-only";
import { type Todo, TodoPage } from "@taskvault/contract/todos";
import { loadFromApi } from "@/features/auth/session.server.ts";

/** All of the user's todos for the first render; the page filters and sorts them in the browser. */
export async function loadTodos(currentPath: string): Promise<Todo[]> {
  const items: Todo[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 50; page++) {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const data: TodoPage = await loadFromApi(`/api/v1/todos?limit=200${query}`, TodoPage, currentPath);
    items.push(...data.items);
    cursor = data.nextCursor;
    if (!cursor) break;
  }
  return items;
}
