// The Markdown report: figures per database, then each target of issue 5 with its verdict.

const LABELS = {
  list: "(1) list 50 todos",
  create: "(2) create",
  toggle: "(3) PATCH toggle",
  mixed: "(4) mixed 80/20",
  flood: "(5) list during sign-in flood",
  rate: "list at fixed 1,000 req/s",
};
const DB_LABEL = { postgres: "PostgreSQL", pglite: "embedded (PGlite)" };

const num = (value, digits = 0) => (value === null || value === undefined ? "–" : value.toFixed(digits));
const pct = (value) => (value === null || value === undefined ? "–" : `${(value * 100).toFixed(0)} %`);

function figuresTable(db) {
  const rows = [
    "| scenario | Taskvault req/s | p50 ms | p99 ms | CPU µs/req | baseline req/s | p50 ms | p99 ms | CPU µs/req | throughput ratio | CPU-cost ratio |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  const row = (label, run, base, ratio) =>
    rows.push(
      `| ${label} | ${num(run.rps)} | ${num(run.p50, 2)} | ${num(run.p99, 2)} | ${num(run.cpuUs)} | ${num(base?.rps)} | ${num(base?.p50, 2)} | ${num(base?.p99, 2)} | ${num(base?.cpuUs)} | ${pct(ratio)} | ${pct(run.cpuUs && base?.cpuUs ? base.cpuUs / run.cpuUs : null)} |`,
    );
  const baselineList = db.runs.list?.baseline;
  for (const [scenario, label] of Object.entries(LABELS)) {
    const run = db.runs[scenario];
    if (!run?.api) continue;
    // The flood has no baseline of its own: it is set against the list baseline.
    const base = scenario === "flood" ? baselineList : run.baseline;
    const ratio = scenario === "flood" ? run.api.rps / baselineList?.rps : db.ratios[scenario]?.api;
    row(label, run.api, base, ratio);
  }
  if (db.runs.list?.authOff)
    row("list, auth off (same build, no token check)", db.runs.list.authOff, baselineList, db.ratios.list.authOff);
  if (db.runs.list?.bff)
    row("(6) list through the web app's BFF", db.runs.list.bff, baselineList, db.runs.list.bff.rps / baselineList?.rps);
  if (db.runs.bffRate?.bff) row("(6) BFF list at fixed 200 req/s", db.runs.bffRate.bff, null, null);
  return rows.join("\n");
}

function verdict(ok) {
  if (ok === null) return "–";
  return ok ? "met" : "**missed**";
}

function targets(results) {
  const rows = ["| database | target | measured | verdict |", "|---|---|---|---|"];
  const add = (db, target, measured, ok) => rows.push(`| ${DB_LABEL[db]} | ${target} | ${measured} | ${verdict(ok)} |`);
  for (const db of results) {
    const { runs, ratios } = db;
    const cpuRatio = (run, base) =>
      run?.cpuUs && base?.cpuUs ? ` (CPU-cost ratio ${pct(base.cpuUs / run.cpuUs)})` : "";
    if (ratios.list?.api != null) {
      add(
        db.kind,
        "authenticated list ≥ 80 % of baseline",
        `${pct(ratios.list.api)}${cpuRatio(runs.list.api, runs.list.baseline)}`,
        ratios.list.api >= 0.8,
      );
    }
    if (ratios.create?.api != null) {
      add(
        db.kind,
        "create ≥ 70 % of baseline",
        `${pct(ratios.create.api)}${cpuRatio(runs.create.api, runs.create.baseline)}`,
        ratios.create.api >= 0.7,
      );
    }
    if (ratios.list?.authOffVsApi != null) {
      const signed = (ratio) => `${ratio >= 1 ? "+" : ""}${pct(ratio - 1)}`;
      const cpu =
        runs.list.authOff.cpuUs && runs.list.api.cpuUs ? runs.list.api.cpuUs / runs.list.authOff.cpuUs - 1 : null;
      const paired = ratios.list.authOffPaired;
      const details = [
        paired != null
          ? `${db.authOffPairs.length} ABBA pairs of short runs; rounds: ${signed(ratios.list.authOffVsApi)}`
          : null,
        cpu === null ? null : `auth adds ${pct(cpu)} CPU per request`,
      ].filter(Boolean);
      // The pairs decide when there are any (compareAuthOff in run.mjs), the rounds otherwise.
      const ratio = paired ?? ratios.list.authOffVsApi;
      add(
        db.kind,
        "auth off changes list throughput ≤ 10 %",
        `${signed(ratio)}${details.length ? ` (${details.join("; ")})` : ""}`,
        Math.abs(ratio - 1) <= 0.1,
      );
    }
    if (ratios.flood?.idle != null) {
      const kept = ratios.flood.idle;
      add(
        db.kind,
        "list during sign-in flood ≥ 70 % of idle",
        `${pct(kept)} (${num(db.signinsPerSecond, 1)} sign-ins/s)`,
        kept >= 0.7,
      );
      const growth = runs.flood.api.p99 / runs.list.api.p99;
      add(
        db.kind,
        "list p99 during flood ≤ 2× idle p99",
        `${num(runs.flood.api.p99, 2)} ms vs ${num(runs.list.api.p99, 2)} ms (${num(growth, 2)}×)`,
        growth <= 2,
      );
    }
    if (runs.rate?.api) {
      add(
        db.kind,
        "list p99 ≤ 5 ms at 1,000 req/s",
        `${num(runs.rate.api.p99, 2)} ms (baseline ${num(runs.rate.baseline?.p99, 2)} ms)`,
        runs.rate.api.p99 <= 5,
      );
    }
    if (runs.bffRate?.bff) {
      add(
        db.kind,
        "BFF list p99 ≤ 15 ms at 200 req/s (issue 3)",
        `${num(runs.bffRate.bff.p99, 2)} ms`,
        runs.bffRate.bff.p99 <= 15,
      );
    }
    if (db.rssPeakMb) {
      add(
        db.kind,
        "API RSS ≤ 150 MB under list load",
        `${num(db.rssPeakMb)} MB peak (baseline ${num(db.baselineRssPeakMb)} MB)`,
        db.rssPeakMb <= 150,
      );
    }
    const startup = `${num(db.startupFirstMs)} ms first start (empty database), ${num(db.startupRestartMs)} ms restart; CPU ${num(db.startupFirstCpuMs)} / ${num(db.startupRestartCpuMs)} ms`;
    if (db.kind === "postgres") {
      add(db.kind, "start-up to /readyz ≤ 1.5 s", startup, Math.max(db.startupFirstMs, db.startupRestartMs) <= 1500);
    } else {
      add(db.kind, "start-up to /readyz (reported)", startup, null);
    }
  }
  const pg = results.find((db) => db.kind === "postgres")?.runs.list?.api;
  const embedded = results.find((db) => db.kind === "pglite")?.runs.list?.api;
  if (pg && embedded) {
    rows.push(
      `| both | embedded list ≥ 40 % of PostgreSQL | ${pct(embedded.rps / pg.rps)} | ${verdict(embedded.rps / pg.rps >= 0.4)} |`,
    );
  }
  return rows.join("\n");
}

export function renderReport({ results, skipped, meta }) {
  const lines = [
    `# Benchmark results, ${meta.date.slice(0, 16).replace("T", " ")} UTC`,
    "",
    `Commit ${meta.commit || "unknown"}${meta.dirty ? " (with uncommitted changes)" : ""}, Node ${meta.node}, ${meta.cpu}.`,
    `Each run: ${meta.duration}, ${meta.connections} connections (closed loop) unless a fixed rate is given;`,
    `${meta.rounds} round(s) of interleaved runs: the median run of each is shown, ratios are medians of per-round ratios.`,
    "Load generator, API and database share the same cores. CPU µs/req is the server process's own CPU time",
    "per request (not the database's), which other load on the machine barely affects. Method: docs/benchmarks.md.",
    `Whole run took ${num(meta.elapsedS)} s.`,
    "",
  ];
  if (meta.smoke)
    lines.push("**Smoke run**: a few requests per scenario to prove the script works; not a measurement.", "");
  for (const db of results) {
    lines.push(`## ${DB_LABEL[db.kind]}`, "", figuresTable(db), "");
    const extras = [
      `API start-up to /readyz: ${num(db.startupFirstMs)} ms first start, ${num(db.startupRestartMs)} ms restart (CPU time ${num(db.startupFirstCpuMs)} / ${num(db.startupRestartCpuMs)} ms)`,
      db.rssPeakMb
        ? `peak RSS during the list runs: API ${num(db.rssPeakMb)} MB, baseline ${num(db.baselineRssPeakMb)} MB`
        : null,
      db.floodRssPeakMb ? `peak RSS of the API during the sign-in flood: ${num(db.floodRssPeakMb)} MB` : null,
      `load average (1 min) when this database's runs began: ${num(db.loadAverage, 1)}`,
      db.signinsPerSecond !== undefined ? `sign-ins served during the flood: ${num(db.signinsPerSecond, 1)}/s` : null,
      db.webStartupMs ? `web app start-up: ${num(db.webStartupMs)} ms` : null,
      ...db.notes,
    ].filter(Boolean);
    lines.push(...extras.map((line) => `- ${line}`), "");
  }
  if (results.length > 0 && !meta.smoke) lines.push("## Targets", "", targets(results), "");
  if (skipped.length > 0) lines.push(...skipped.map((line) => `- ${line}`), "");
  return lines.join("\n");
}
