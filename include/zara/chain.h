/* SPDX-License-Identifier: MIT
 * Typed access to Zarathustra's contracts for the node and the CLI: the deployment file,
 * reads of tasks, submissions and operators, the transactions each role sends, and the
 * contracts' events decoded into one flat struct. Built on the JSON-RPC client, the wallet
 * and the ABI codec; docs/PROTOCOL.md is the reference for every call. */
#ifndef ZARA_CHAIN_H
#define ZARA_CHAIN_H

#include <stddef.h>
#include <stdint.h>

#include "zara/common.h"
#include "zara/protocol.h"
#include "zara/rpc.h"

/* deployments/<chainId>.json as the deploy script writes it. */
typedef struct zr_deployment {
    uint64_t chain_id;
    uint64_t deploy_block;
    uint8_t model_submission[20];
    uint8_t attestation_center[20];
    uint8_t avs_logic[20];
    uint8_t governance[20];
} zr_deployment_t;

/* Reads and checks a deployment file; ZR_EPARSE with a message naming the member. */
int zr_deployment_load(zr_deployment_t *d, const char *path, char *err, size_t err_cap);

typedef struct zr_chain zr_chain_t;

/* A handle on the contracts through rpc_url. sk (32 bytes, copied and wiped on free) may
 * be NULL for read-only use. The chain id is checked against the deployment. */
int zr_chain_open(zr_chain_t **out, const char *rpc_url, const zr_deployment_t *d, const uint8_t *sk, char *err,
                  size_t err_cap);
void zr_chain_free(zr_chain_t *c);
const zr_deployment_t *zr_chain_deployment(const zr_chain_t *c);
zr_rpc_t *zr_chain_rpc(zr_chain_t *c);
/* The sender's address (NULL when read-only). */
const uint8_t *zr_chain_sender(const zr_chain_t *c);
/* The message of the last failure (revert reasons decoded). */
const char *zr_chain_errmsg(const zr_chain_t *c);

/* ---- reads ------------------------------------------------------------------------------ */
typedef struct zr_task {
    uint64_t id;
    uint8_t owner[20];
    uint64_t deadline;
    uint16_t slash_bps;
    int closed;
    uint8_t token[20];
    uint8_t bond[32], evaluation_fee[32], reward_pool[32], reward_per_improvement[32];
    uint8_t min_improvement[32]; /* int256 wad */
    uint8_t best_score[32];      /* int256 wad */
    uint64_t best_id, head, tail, head_since, open;
    char arch_cid[129], init_cid[129], eval_cid[129];
} zr_task_t;

typedef enum zr_sub_chain_state {
    ZR_CHAIN_SUB_NONE = 0,
    ZR_CHAIN_SUB_COMMITTED = 1,
    ZR_CHAIN_SUB_REVEALED = 2,
    ZR_CHAIN_SUB_SETTLED = 3,
    ZR_CHAIN_SUB_EXPIRED = 4,
} zr_sub_chain_state_t;

typedef struct zr_submission {
    uint64_t id;
    uint8_t optimizer[20];
    uint64_t task_id;
    int state;
    uint64_t seed_block;
    uint64_t commit_block;
    uint64_t next;
    uint8_t commitment[32];
    uint8_t seed[32]; /* zero until fixed on chain */
} zr_submission_t;

typedef struct zr_operator {
    uint8_t addr[20];
    uint8_t id[32];
    uint8_t stake[32];
    int status; /* AvsGovernance.Status */
    int aggregator;
    uint64_t index;
    uint64_t exitable_at;
    uint8_t pk_g1[64];  /* x, y */
    uint8_t pk_g2[128]; /* on-chain order [x1, x0, y1, y0] */
    char endpoint[257];
} zr_operator_t;

int zr_chain_task_count(zr_chain_t *c, uint64_t *out);
int zr_chain_get_task(zr_chain_t *c, uint64_t task_id, zr_task_t *out);
int zr_chain_submission_count(zr_chain_t *c, uint64_t *out);
int zr_chain_get_submission(zr_chain_t *c, uint64_t submission_id, zr_submission_t *out);
/* The active operators in the contract's order (the order performer election uses);
 * *out is malloc'd (free it). */
int zr_chain_active_operators(zr_chain_t *c, zr_operator_t **out, size_t *n);
int zr_chain_operator_info(zr_chain_t *c, const uint8_t addr[20], zr_operator_t *out);
/* claimable[token][account] in ModelSubmission. */
int zr_chain_claimable(zr_chain_t *c, const uint8_t token[20], const uint8_t account[20], uint8_t out[32]);
/* AttestationCenter.withdrawable(account). */
int zr_chain_rewards(zr_chain_t *c, const uint8_t account[20], uint8_t out[32]);
/* A uint256 constant or state variable without arguments (e.g. "SEED_DELAY()") of one of
 * the contracts (target: the address). */
int zr_chain_read_u256(zr_chain_t *c, const uint8_t target[20], const char *getter, uint8_t out[32]);

/* ---- transactions (need a key) -------------------------------------------------------
 * Each waits for the receipt; a revert is ZR_EREVERTED with the reason in
 * zr_chain_errmsg. receipt may be NULL; when given it must be initialised. */
typedef struct zr_task_params {
    uint8_t token[20];
    uint8_t reward_pool[32];
    uint8_t reward_per_improvement[32];
    uint8_t evaluation_fee[32];
    uint8_t bond[32];
    uint16_t slash_bps;
    uint8_t min_improvement[32]; /* int256 wad */
    uint64_t deadline;
    const char *arch_cid, *init_cid, *eval_cid;
} zr_task_params_t;

int zr_chain_create_task(zr_chain_t *c, const zr_task_params_t *p, uint64_t *task_id, zr_rpc_receipt_t *receipt);
int zr_chain_close_task(zr_chain_t *c, uint64_t task_id, zr_rpc_receipt_t *receipt);
/* ERC-20 approve(spender, amount) on token. */
int zr_chain_erc20_approve(zr_chain_t *c, const uint8_t token[20], const uint8_t spender[20],
                           const uint8_t amount[32], zr_rpc_receipt_t *receipt);
/* commit with value = bond (ETH tasks) + fee. */
int zr_chain_commit(zr_chain_t *c, uint64_t task_id, const uint8_t commitment[32], const uint8_t value[32],
                    uint64_t *submission_id, zr_rpc_receipt_t *receipt);
int zr_chain_reveal(zr_chain_t *c, uint64_t submission_id, const char *params_cid, const uint8_t salt[32],
                    zr_rpc_receipt_t *receipt);
int zr_chain_expire(zr_chain_t *c, uint64_t submission_id, zr_rpc_receipt_t *receipt);
int zr_chain_withdraw(zr_chain_t *c, const uint8_t token[20], zr_rpc_receipt_t *receipt);
int zr_chain_register(zr_chain_t *c, const uint8_t pk_g1[64], const uint8_t pk_g2[128], const uint8_t pop[64],
                      const char *endpoint, int aggregator, const uint8_t stake[32], zr_rpc_receipt_t *receipt);
int zr_chain_request_exit(zr_chain_t *c, zr_rpc_receipt_t *receipt);
int zr_chain_complete_exit(zr_chain_t *c, zr_rpc_receipt_t *receipt);
int zr_chain_rewards_withdraw(zr_chain_t *c, zr_rpc_receipt_t *receipt);

/* The calldata of AttestationCenter.submitResult (for simulation and sending). sigma is
 * G1 (x, y); apk_g2 in the on-chain order; non_signers are G1 keys sorted by operator id
 * ascending. */
int zr_chain_submit_result_calldata(zr_buf_t *out, const zr_proto_result_t *r, const uint8_t perf_sig[65],
                                    const uint8_t sigma[64], const uint8_t apk_g2[128],
                                    const uint8_t (*non_signers)[64], size_t n_non_signers);
/* Simulates (eth_call) then sends submitResult. A simulation revert is ZR_EREVERTED and
 * nothing is sent. */
int zr_chain_submit_result(zr_chain_t *c, const zr_proto_result_t *r, const uint8_t perf_sig[65],
                           const uint8_t sigma[64], const uint8_t apk_g2[128], const uint8_t (*non_signers)[64],
                           size_t n_non_signers, zr_rpc_receipt_t *receipt);
/* AttestationCenter.reportEquivocation(operator, a, sigA, b, sigB). */
int zr_chain_report_equivocation(zr_chain_t *c, const uint8_t op[20], const zr_proto_result_t *a,
                                 const uint8_t sig_a[64], const zr_proto_result_t *b, const uint8_t sig_b[64],
                                 zr_rpc_receipt_t *receipt);

/* ---- events ------------------------------------------------------------------------------- */
typedef enum zr_chain_event_kind {
    ZR_EV_TASK_CREATED = 1,
    ZR_EV_TASK_CLOSED,
    ZR_EV_COMMITTED,
    ZR_EV_REVEALED,
    ZR_EV_SEED_FIXED,
    ZR_EV_SEED_REARMED,
    ZR_EV_SETTLED,
    ZR_EV_EXPIRED,
    ZR_EV_RESULT_SUBMITTED,
    ZR_EV_OPERATOR_REGISTERED,
    ZR_EV_OPERATOR_EXITED,
    ZR_EV_OPERATOR_SLASHED,
    ZR_EV_EQUIVOCATION,
} zr_chain_event_kind_t;

typedef struct zr_chain_event {
    zr_chain_event_kind_t kind;
    uint64_t block;
    uint64_t log_index;
    uint8_t tx_hash[32];
    uint64_t task_id, submission_id, incumbent_id;
    uint8_t addr[20];        /* optimizer, operator, owner (by kind) */
    char cid[129];           /* REVEALED: paramsCid */
    uint64_t seed_block;     /* REVEALED, SEED_REARMED */
    uint8_t seed[32];        /* SEED_FIXED */
    uint8_t status;          /* SETTLED, RESULT_SUBMITTED */
    int accepted;            /* SETTLED */
    uint8_t challenger_score[32], incumbent_score[32]; /* SETTLED (int256) */
    uint8_t reward[32], bond_refund[32], bond_kept[32], fee[32]; /* SETTLED */
    uint8_t digest[32];      /* RESULT_SUBMITTED */
} zr_chain_event_t;

/* Fetches and decodes the contracts' events in [from, to] (bounded getLogs ranges of
 * max_range blocks), in chain order. *out is malloc'd (free it). Logs that do not decode
 * are skipped with a warning in the log. */
int zr_chain_events(zr_chain_t *c, uint64_t from, uint64_t to, uint64_t max_range, zr_chain_event_t **out,
                    size_t *n);

#endif
