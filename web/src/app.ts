// SPDX-License-Identifier: MIT
// The Zarathustra dashboard: an overview (network summary, tasks with pools and best
// scores, operators with stakes and rewards, optimizers' earnings), a page per task with
// its leaderboard and files, and a page per submission. Routes live in the URL hash
// (#/, #/tasks/1, #/submissions/3); the current page re-renders from the node's REST API
// every few seconds.
import {
  ApiError,
  get,
  type OperatorList,
  type OptimizerList,
  type Submission,
  type Summary,
  type TaskDetail,
  type TaskList,
} from "./api.js";
import { h, replace, table, type Child } from "./dom.js";
import { bps, deadline, eth, score, short } from "./format.js";

const REFRESH_MS = 3000;

const main = document.getElementById("main") as HTMLElement;
const status = document.getElementById("status") as HTMLElement;
const netInfo = document.getElementById("network") as HTMLElement;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function addr(a: string): HTMLElement {
  return h("code", { class: "addr", title: a }, short(a));
}

function cid(c: string | undefined): Child {
  if (!c) return h("span", { class: "muted" }, "—");
  return h("code", { class: "cid", title: c }, c);
}

function link(href: string, text: Child): HTMLElement {
  return h("a", { href }, text);
}

function badge(text: string, kind: string): HTMLElement {
  return h("span", { class: `badge ${kind}` }, text);
}

function card(label: string, value: Child, sub?: Child): HTMLElement {
  return h("div", { class: "card" }, h("div", { class: "label" }, label), h("div", { class: "value" }, value), sub ? h("div", { class: "sub" }, sub) : null);
}

function tokenName(token: string): string {
  return /^0x0{40}$/i.test(token) ? "ETH" : short(token);
}

function verdict(s: Submission): HTMLElement {
  if (s.state !== "settled" || !s.settlement) return badge(s.state, s.state);
  const st = s.settlement;
  if (st.status !== "OK") return badge(st.status === "INVALID_MODEL" ? "invalid model" : "evaluation error", "bad");
  return st.accepted ? badge("accepted", "good") : badge("not better", "neutral");
}

// ---- pages ------------------------------------------------------------------------------

async function overview(signal: AbortSignal): Promise<HTMLElement> {
  const [sum, tasks, ops, opts] = await Promise.all([
    get<Summary>("summary", signal),
    get<TaskList>("tasks", signal),
    get<OperatorList>("operators", signal),
    get<OptimizerList>("optimizers", signal),
  ]);
  const cards = h(
    "section",
    { class: "cards" },
    card("Tasks", sum.counts.tasks, plural(sum.counts.submissions, "submission")),
    card("Settled", sum.counts.settled, `${sum.counts.accepted} accepted`),
    card("Rewards paid", `${eth(sum.rewardsPaid)} ETH`, "to optimizers"),
    card("Operators", sum.counts.operators, `${eth(sum.totalStake)} ETH staked`),
  );
  const taskRows = tasks.tasks.map((t) => [
    link(`#/tasks/${t.id}`, `#${t.id}`),
    t.closed ? badge("closed", "neutral") : t.deadline * 1000 < Date.now() ? badge("ended", "neutral") : badge("open", "good"),
    h("span", { class: "num" }, `${eth(t.rewardPool)} ${tokenName(t.token)}`),
    h("span", { class: "num" }, `${eth(t.rewardPerImprovement)} ${tokenName(t.token)}`),
    t.bestId ? h("span", { class: "num score" }, score(t.bestScore)) : h("span", { class: "muted" }, "initial"),
    t.bestId ? link(`#/submissions/${t.bestId}`, `#${t.bestId}`) : h("span", { class: "muted" }, "—"),
    h("span", { class: "num" }, `${t.submissions.settled} / ${t.submissions.total}`),
    h("span", { class: "num" }, t.open),
    h("span", { class: "small" }, deadline(t.deadline)),
  ]);
  const opRows = ops.operators.map((o) => [
    addr(o.address),
    h("span", { class: "num" }, `${eth(o.stake)} ETH`),
    h("span", { class: "num" }, `${eth(o.rewardsEarned, 6)} ETH`),
    h("span", { class: "num" }, `${eth(o.rewardsWithdrawable, 6)} ETH`),
    o.aggregator ? badge("aggregator", "good") : h("span", { class: "muted" }, "attester"),
    h("code", { class: "endpoint" }, o.endpoint),
    o.self ? badge("this node", "neutral") : null,
  ]);
  const optRows = opts.optimizers.map((o, i) => [
    h("span", { class: "num" }, i + 1),
    addr(o.address),
    h("span", { class: "num" }, `${eth(o.rewards)} ETH`),
    h("span", { class: "num" }, `${o.accepted} / ${o.settled}`),
    h("span", { class: "num" }, o.submissions),
    h("span", { class: "num" }, `${eth(o.bondKept)} ETH`),
  ]);
  return h(
    "div",
    null,
    cards,
    h("h2", null, "Tasks", tasks.truncated ? h("span", { class: "muted small" }, ` (newest ${tasks.tasks.length} of ${tasks.count})`) : null),
    table(
      "tasks",
      ["Task", "State", "Pool", "Reward", "Best score", "Best", "Settled", "Queue", "Deadline"],
      taskRows,
      "No tasks yet. Create one with `zara task create`.",
    ),
    h("h2", null, "Operators"),
    table("operators", ["Operator", "Stake", "Earned", "Withdrawable", "Role", "Endpoint", ""], opRows, "No active operators."),
    h("h2", null, "Optimizers"),
    table("optimizers", ["#", "Optimizer", "Earned", "Accepted", "Submissions", "Bond kept"], optRows, "No submissions yet."),
  );
}

function boardRows(rows: Submission[]): Child[][] {
  return rows.map((s) => {
    const st = s.settlement;
    return [
      h("span", { class: "num" }, s.rank ?? ""),
      link(`#/submissions/${s.id}`, `#${s.id}`),
      addr(s.optimizer),
      h("span", null, verdict(s), s.best ? badge("best", "best") : null),
      st && st.status === "OK" ? h("span", { class: "num score" }, score(st.challengerScore)) : h("span", { class: "muted" }, "—"),
      st && st.status === "OK" ? h("span", { class: "num score" }, score(st.incumbentScore)) : h("span", { class: "muted" }, "—"),
      st && st.status === "OK" ? h("span", { class: `num score ${st.gainValue >= 0 ? "up" : "down"}` }, (st.gainValue >= 0 ? "+" : "") + score(st.gain)) : h("span", { class: "muted" }, "—"),
      st ? h("span", { class: "num" }, `${eth(st.reward)} ETH`) : "",
      st ? h("span", { class: "num" }, `${eth(st.bondKept)} ETH`) : "",
    ];
  });
}

async function taskPage(id: string, signal: AbortSignal): Promise<HTMLElement> {
  const t = await get<TaskDetail>(`tasks/${id}`, signal);
  const tok = tokenName(t.token);
  const facts: [string, Child][] = [
    ["Owner", addr(t.owner)],
    ["Reward pool", `${eth(t.rewardPool)} ${tok}`],
    ["Reward per improvement", `${eth(t.rewardPerImprovement)} ${tok}`],
    ["Bond", `${eth(t.bond)} ${tok}`],
    ["Evaluation fee", `${eth(t.evaluationFee)} ETH`],
    ["Kept from a valid model that does not improve", bps(t.slashBps)],
    ["Minimum improvement", score(t.minImprovement)],
    ["Best score", t.bestId ? h("span", null, score(t.bestScore), " by ", link(`#/submissions/${t.bestId}`, `#${t.bestId}`)) : "initial parameters"],
    ["Deadline", deadline(t.deadline)],
    ["State", t.closed ? "closed" : `${plural(t.open, "submission")} in the queue`],
  ];
  return h(
    "div",
    null,
    h("p", { class: "crumbs" }, link("#/", "← all tasks")),
    h("h2", null, `Task #${t.id}`, " ", t.closed ? badge("closed", "neutral") : badge("open", "good")),
    h("div", { class: "columns" },
      h("dl", { class: "facts" }, facts.map(([k, v]) => [h("dt", null, k), h("dd", null, v)])),
      h("div", null,
        h("h3", null, "Files"),
        h("dl", { class: "facts files" },
          h("dt", null, "Architecture"), h("dd", null, cid(t.files.arch)),
          h("dt", null, "Initial parameters"), h("dd", null, cid(t.files.init)),
          h("dt", null, "Evaluation script"), h("dd", null, cid(t.files.eval)),
        ),
        h("p", { class: "muted small" }, `zara task pull ${t.id} fetches and verifies them.`),
      ),
    ),
    h("h3", null, "Leaderboard"),
    h("p", { class: "muted small" },
      "Each submission is scored against the best model of its time on the same fresh seed; accepted ones, newest first, lead the board."),
    table("leaderboard", ["Rank", "Submission", "Optimizer", "Verdict", "Score", "Incumbent", "Gain", "Reward", "Bond kept"], boardRows(t.leaderboard), "No settled submissions yet."),
    h("h3", null, "In the queue"),
    table(
      "pending",
      ["Submission", "Optimizer", "State", "Parameters", "Seed block"],
      t.pending.map((s) => [link(`#/submissions/${s.id}`, `#${s.id}`), addr(s.optimizer), badge(s.state, s.state), cid(s.paramsCid), h("span", { class: "num" }, s.seedBlock || "—")]),
      "Nothing waiting.",
    ),
  );
}

async function submissionPage(id: string, signal: AbortSignal): Promise<HTMLElement> {
  const s = await get<Submission>(`submissions/${id}`, signal);
  const st = s.settlement;
  const facts: [string, Child][] = [
    ["Task", link(`#/tasks/${s.taskId}`, `#${s.taskId}`)],
    ["Optimizer", h("code", null, s.optimizer)],
    ["State", verdict(s)],
    ["Parameters", cid(s.paramsCid)],
    ["Commit block", s.commitBlock],
    ["Seed block", s.seedBlock || "—"],
    ["Seed", s.seed ? h("code", { class: "hash" }, s.seed) : h("span", { class: "muted" }, "not fixed yet")],
  ];
  if (st) {
    facts.push(
      ["Measured against", st.incumbentId ? link(`#/submissions/${st.incumbentId}`, `#${st.incumbentId}`) : "the initial parameters"],
      ["Status", st.status],
      ["Score", score(st.challengerScore)],
      ["Incumbent's score", score(st.incumbentScore)],
      ["Gain", score(st.gain)],
      ["Reward", `${eth(st.reward)} ETH`],
      ["Bond refunded", `${eth(st.bondRefund)} ETH`],
      ["Bond kept", `${eth(st.bondKept)} ETH`],
      ["Evaluation fee", `${eth(st.fee)} ETH`],
      ["Settled in", h("span", null, `block ${st.block}, tx `, h("code", { class: "hash", title: st.tx }, short(st.tx, 8)))],
    );
  }
  return h(
    "div",
    null,
    h("p", { class: "crumbs" }, link(`#/tasks/${s.taskId}`, `← task #${s.taskId}`)),
    h("h2", null, `Submission #${s.id}`),
    h("dl", { class: "facts" }, facts.map(([k, v]) => [h("dt", null, k), h("dd", null, v)])),
  );
}

// ---- routing and refresh ------------------------------------------------------------------

type Page = (signal: AbortSignal) => Promise<HTMLElement>;

function route(): Page {
  const hash = location.hash.replace(/^#\/?/, "");
  let m = /^tasks\/(\d{1,19})$/.exec(hash);
  if (m) {
    const id = m[1];
    return (s) => taskPage(id, s);
  }
  m = /^submissions\/(\d{1,19})$/.exec(hash);
  if (m) {
    const id = m[1];
    return (s) => submissionPage(id, s);
  }
  return overview;
}

let timer: number | undefined;
let inflight: AbortController | undefined;
let generation = 0;

async function refresh(): Promise<void> {
  window.clearTimeout(timer);
  inflight?.abort();
  const ctl = new AbortController();
  inflight = ctl;
  const gen = ++generation;
  try {
    const [page, sum] = await Promise.all([route()(ctl.signal), get<Summary>("summary", ctl.signal)]);
    if (gen !== generation) return;
    replace(main, page);
    replace(
      netInfo,
      `chain ${sum.chainId} · block ${sum.head} · node ${sum.node.name}`,
    );
    status.className = "ok";
    replace(status, `updated ${new Date().toLocaleTimeString()}`);
    document.body.dataset.loaded = "1";
  } catch (e) {
    if (gen !== generation || ctl.signal.aborted) return;
    status.className = "error";
    if (e instanceof ApiError && (e.status === 404 || e.status === 400)) {
      replace(main, h("div", { class: "notfound" }, h("h2", null, "Not found"), h("p", null, e.message), link("#/", "← back to the overview")));
      replace(status, e.message);
    } else {
      replace(status, `cannot reach the node: ${e instanceof Error ? e.message : String(e)} — retrying`);
    }
  } finally {
    if (gen === generation) timer = window.setTimeout(refresh, REFRESH_MS);
  }
}

window.addEventListener("hashchange", () => {
  replace(main, h("p", { class: "muted" }, "Loading…"));
  void refresh();
});
void refresh();
