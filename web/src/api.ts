// SPDX-License-Identifier: MIT
// The node's read-only REST API (src/node/node_api.c) as TypeScript types, and one fetch
// helper. Amounts are wei and scores are int256 wads, both as decimal strings.

export interface Summary {
  chainId: number;
  head: number;
  headHash: string;
  deployBlock: number;
  contracts: { modelSubmission: string; attestationCenter: string; avsLogic: string; governance: string };
  parameters: { seedDelay: number; revealWindow: number; evalTimeout: number };
  node: { name: string; operator: string; aggregator: boolean };
  counts: { tasks: number; submissions: number; settled: number; accepted: number; operators: number };
  totalStake: string;
  rewardsPaid: string;
  partialHistory: boolean;
}

export interface SubmissionCounts {
  total: number;
  settled: number;
  accepted: number;
  pending: number;
}

export interface Task {
  id: number;
  owner: string;
  token: string;
  rewardPool: string;
  rewardPerImprovement: string;
  evaluationFee: string;
  bond: string;
  slashBps: number;
  minImprovement: string;
  bestScore: string;
  bestScoreValue: number;
  bestId: number;
  queueHead: number;
  open: number;
  deadline: number;
  closed: boolean;
  files: { arch: string; init: string; eval: string };
  submissions: SubmissionCounts;
}

export interface Settlement {
  incumbentId: number;
  status: "OK" | "INVALID_MODEL" | "EVAL_ERROR" | "UNKNOWN";
  statusCode: number;
  accepted: boolean;
  challengerScore: string;
  incumbentScore: string;
  challengerScoreValue: number;
  incumbentScoreValue: number;
  gain: string;
  gainValue: number;
  reward: string;
  bondRefund: string;
  bondKept: string;
  fee: string;
  block: number;
  tx: string;
}

export interface Submission {
  id: number;
  taskId: number;
  optimizer: string;
  state: "none" | "committed" | "revealed" | "settled" | "expired" | "unknown";
  paramsCid?: string;
  commitBlock: number;
  revealBlock?: number;
  seedBlock: number;
  settlement?: Settlement;
  expiredBlock?: number;
  rank?: number;
  best?: boolean;
  commitment?: string;
  seed?: string | null;
}

export interface TaskDetail extends Task {
  leaderboard: Submission[];
  pending: Submission[];
  partialHistory: boolean;
}

export interface TaskList {
  count: number;
  truncated: boolean;
  tasks: Task[];
}

export interface Operator {
  address: string;
  operatorId: string;
  stake: string;
  endpoint: string;
  aggregator: boolean;
  index: number;
  rewardsWithdrawable: string;
  rewardsWithdrawn: string;
  rewardsEarned: string;
  self: boolean;
}

export interface OperatorList {
  count: number;
  totalStake: string;
  operators: Operator[];
}

export interface Optimizer {
  address: string;
  submissions: number;
  settled: number;
  accepted: number;
  rewards: string;
  bondKept: string;
  feesPaid: string;
}

export interface OptimizerList {
  count: number;
  partialHistory: boolean;
  optimizers: Optimizer[];
}

/** An answer other than 200, with the API's error message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** GET /api/<path> and parse the JSON answer; throws ApiError on a non-200 status. */
export async function get<T>(path: string, signal?: AbortSignal): Promise<T> {
  const resp = await fetch(`/api/${path}`, { signal, headers: { Accept: "application/json" } });
  const text = await resp.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(resp.status, `the node answered ${resp.status} with something that is not JSON`);
  }
  if (!resp.ok) {
    const msg = (body as { error?: string }).error ?? `HTTP ${resp.status}`;
    throw new ApiError(resp.status, msg);
  }
  return body as T;
}
