// SPDX-License-Identifier: MIT
// The dashboard in a real browser (Debian's chromium driven by playwright-core), against
// a running node: every figure the page shows is compared with what the node's REST API
// says, formatted by the dashboard's own format module. Prints one line per check and a
// last line "N passed, N failed"; exits non-zero when a check failed.
//   node web/test/dashboard.mjs --url http://127.0.0.1:PORT --shots DIR [--chromium PATH]
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { eth, score } from "../dist/format.js";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const base = (args.url ?? "").replace(/\/$/, "");
const shots = args.shots ?? join(tmpdir(), "zara-web-shots");
const exe = args.chromium ?? "/usr/bin/chromium";
if (!base) {
  console.error("usage: dashboard.mjs --url http://127.0.0.1:PORT [--shots DIR] [--chromium PATH]");
  process.exit(2);
}
mkdirSync(shots, { recursive: true });

let passed = 0;
let failed = 0;
function check(name, ok, detail = "") {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok" : "not ok"} - ${name}${ok || !detail ? "" : ` (${detail})`}`);
}

async function api(path) {
  const r = await fetch(`${base}/api/${path}`);
  if (!r.ok) throw new Error(`GET /api/${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

const profile = mkdtempSync(join(tmpdir(), "zara-chromium-"));
let ctx;
try {
  ctx = await chromium.launchPersistentContext(profile, {
    executablePath: exe,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  const consoleErrors = [];
  const pageErrors = [];
  const foreign = [];
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  page.on("response", (r) => r.status() >= 400 && consoleErrors.push(`${r.status()} for ${r.url()}`));
  page.on("request", (r) => {
    if (!r.url().startsWith(base + "/") && !r.url().startsWith("data:")) foreign.push(r.url());
  });

  // ---- overview -------------------------------------------------------------------------
  await page.goto(`${base}/`);
  await page.waitForSelector("body[data-loaded='1'] table.tasks", { timeout: 30000 });
  const tasks = await api("tasks");
  const ops = await api("operators");
  const opts = await api("optimizers");
  check("the overview renders a tasks table", true);

  const rows = await page.$$eval("table.tasks tbody tr", (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim())));
  check("one row per task the API lists", rows.length === tasks.tasks.length, `${rows.length} rows, ${tasks.tasks.length} tasks`);
  for (const t of tasks.tasks) {
    const row = rows.find((r) => r[0] === `#${t.id}`);
    check(`task #${t.id} has a row`, !!row);
    if (!row) continue;
    check(`task #${t.id} shows its pool`, row[2] === `${eth(t.rewardPool)} ETH`, `${row[2]} vs ${eth(t.rewardPool)} ETH`);
    const best = t.bestId ? score(t.bestScore) : "initial";
    check(`task #${t.id} shows its best score`, row[4] === best, `${row[4]} vs ${best}`);
    check(`task #${t.id} shows settled/total`, row[6] === `${t.submissions.settled} / ${t.submissions.total}`, row[6]);
  }
  const opRows = await page.$$eval("table.operators tbody tr", (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim())));
  check("one row per active operator", opRows.length === ops.operators.length, `${opRows.length} vs ${ops.operators.length}`);
  for (const o of ops.operators) {
    const row = opRows.find((r) => r[5] === o.endpoint);
    check(`operator ${o.endpoint} shows its stake`, !!row && row[1] === `${eth(o.stake)} ETH`, row ? row[1] : "no row");
    check(`operator ${o.endpoint} shows its earnings`, !!row && row[2] === `${eth(o.rewardsEarned, 6)} ETH`, row ? row[2] : "no row");
    check(`operator ${o.endpoint} shows what it can withdraw`, !!row && row[3] === `${eth(o.rewardsWithdrawable, 6)} ETH`, row ? row[3] : "no row");
  }
  const optRows = await page.$$eval("table.optimizers tbody tr", (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim())));
  check("one row per optimizer", optRows.length === opts.optimizers.length, `${optRows.length} vs ${opts.optimizers.length}`);
  if (opts.optimizers.length) check("the top optimizer's earnings", optRows[0][2] === `${eth(opts.optimizers[0].rewards)} ETH`, optRows[0][2]);
  await page.screenshot({ path: join(shots, "overview.png"), fullPage: true });

  // ---- auto-refresh ----------------------------------------------------------------------
  const s0 = await page.textContent("#status");
  let refreshed = false;
  for (let i = 0; i < 40 && !refreshed; i++) {
    await page.waitForTimeout(250);
    refreshed = (await page.textContent("#status")) !== s0;
  }
  check("the page refreshes itself", refreshed, s0);

  // ---- a task page with its leaderboard ---------------------------------------------------
  const withBoard = tasks.tasks.find((t) => t.submissions.settled > 0) ?? tasks.tasks[0];
  if (withBoard) {
    const detail = await api(`tasks/${withBoard.id}`);
    await page.click(`table.tasks a[href='#/tasks/${withBoard.id}']`);
    await page.waitForSelector(`h2:has-text("Task #${withBoard.id}")`, { timeout: 10000 });
    check(`task #${withBoard.id}'s page opens from the table`, true);
    const files = await page.$$eval("dl.files dd", (dds) => dds.map((d) => d.textContent.trim()));
    check("the task page lists its files' CIDs", files.join(" ") === [detail.files.arch, detail.files.init, detail.files.eval].join(" "), files.join(" "));
    const board = await page.$$eval("table.leaderboard tbody tr", (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim())));
    check("one leaderboard row per settled submission", board.length === detail.leaderboard.length, `${board.length} vs ${detail.leaderboard.length}`);
    detail.leaderboard.forEach((s, i) => {
      const r = board[i] ?? [];
      check(`leaderboard row ${i + 1} is submission #${s.id}`, r[1] === `#${s.id}`, r[1]);
      if (s.settlement && s.settlement.status === "OK")
        check(`leaderboard row ${i + 1} shows its score`, r[4] === score(s.settlement.challengerScore), r[4]);
      if (s.settlement) check(`leaderboard row ${i + 1} shows its reward`, r[7] === `${eth(s.settlement.reward)} ETH`, r[7]);
      check(`leaderboard row ${i + 1} marks the best`, (r[3] ?? "").includes("best") === !!s.best, r[3]);
    });
    if (detail.submissions.settled > 0) check("the best submission leads the board", detail.leaderboard[0]?.best === true);
    await page.screenshot({ path: join(shots, "task.png"), fullPage: true });

    if (detail.leaderboard.length) {
      const sid = detail.leaderboard[0].id;
      await page.click(`table.leaderboard a[href='#/submissions/${sid}']`);
      await page.waitForSelector(`h2:has-text("Submission #${sid}")`, { timeout: 10000 });
      const text = await page.textContent("main");
      check(`submission #${sid}'s page shows its parameters' CID`, !!detail.leaderboard[0].paramsCid && text.includes(detail.leaderboard[0].paramsCid));
      await page.screenshot({ path: join(shots, "submission.png"), fullPage: true });
    }
  } else {
    check("the network has a task to show", false, "no tasks");
  }

  check("no script errors", consoleErrors.length === 0, consoleErrors.join(" | "));

  // ---- a task that does not exist (the browser logs the 404 itself: not counted) ----------
  await page.goto(`${base}/#/tasks/999999`);
  await page.waitForSelector(".notfound", { timeout: 10000 }).catch(() => null);
  check("an unknown task says it does not exist", ((await page.textContent("main")) ?? "").includes("does not exist"));
  check("no uncaught exceptions", pageErrors.length === 0, pageErrors.join(" | "));
  check("no request leaves the node", foreign.length === 0, foreign.join(" "));
} catch (e) {
  check("the browser run completed", false, e instanceof Error ? e.message : String(e));
} finally {
  await ctx?.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
}
console.log(`screenshots in ${shots}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
