import type { UpdateMe, User } from "@taskvault/contract/auth";
import { bff } from "@/lib/bff-client.ts";

/** Browser-side change of the profile (name, time zone) through the BFF. */
export async function updateProfile(changes: UpdateMe): Promise<User> {
  const { data } = await bff<User>("/api/me", { method: "PATCH", body: changes });
  return data;
}
