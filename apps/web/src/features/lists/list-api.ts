import type { List, ListCollection, UpdateList } from "@taskvault/contract/lists";
import { bff } from "@/lib/bff-client.ts";

/** Browser-side calls to the BFF's list routes. */
export async function fetchLists(): Promise<List[]> {
  const { data } = await bff<ListCollection>("/api/lists");
  return data.items;
}

export async function createList(name: string): Promise<List> {
  const { data } = await bff<List>("/api/lists", { method: "POST", body: { name } });
  return data;
}

/** Rename, recolour or move (`position`) a list. */
export async function updateList(id: string, changes: UpdateList): Promise<List> {
  const { data } = await bff<List>(`/api/lists/${id}`, { method: "PATCH", body: changes });
  return data;
}

/** `todos`: what happens to the list's todos (needed when it has any). */
export async function deleteList(id: string, todos?: "delete" | "inbox"): Promise<void> {
  await bff(`/api/lists/${id}${todos ? `?todos=${todos}` : ""}`, { method: "DELETE" });
}
