import { it } from "vitest";
import { as, buildTestApp, signUp } from "./helpers/app.ts";
it("dbg", async () => {
  const t = await buildTestApp();
  const api = as(t.app, await signUp(t.app));
  for (const [url, payload] of [["/api/v1/lists", { name: "a\u0000b" }], ["/api/v1/todos/parse", { text: "buy \u0000 milk", tz: "UTC" }], ["/api/v1/todos", { title: "x", recurrence: "FREQ=DAILY\u0000" }]] as const) {
    const r = await api({ method: "POST", url, payload });
    console.log("PROBE", url, r.statusCode);
  }
  await t.close();
});
