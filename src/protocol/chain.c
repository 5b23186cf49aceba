// SPDX-License-Identifier: MIT
// Typed access to the contracts: the deployment file, view calls decoded through the ABI
// codec, transactions through the wallet (simulated first), and the contracts' events
// decoded into zr_chain_event_t. The signatures here mirror contracts/src and PROTOCOL.md.
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zara/abi.h"
#include "zara/chain.h"

#define TASK_TUPLE                                                                                   \
    "(address owner,uint64 deadline,bool closed,address token,uint16 slashBps,uint128 bond,"           \
    "uint128 evaluationFee,uint128 rewardPerImprovement,int128 minImprovement,uint128 rewardPool,"     \
    "int128 bestScore,uint48 bestId,uint48 head,uint48 tail,uint48 headSince,uint32 open,"             \
    "string archCid,string initCid,string evalCid)"
#define SUB_TUPLE                                                                                    \
    "(address optimizer,uint48 taskId,uint8 state,uint40 seedBlock,uint64 commitBlock,uint48 next,"    \
    "bytes32 commitment,bytes32 seed)"
#define OP_TUPLE                                                                                     \
    "(bytes32 id,uint96 stake,uint8 status,bool aggregator,uint32 index,uint64 exitableAt,"            \
    "uint256[2] pkG1,uint256[4] pkG2,string endpoint)"
#define RESULT_TUPLE "(uint256,uint256,uint256,bytes32,uint8,int256,int256,bytes32)"

struct zr_chain {
    zr_rpc_t *rpc;
    zr_rpc_wallet_t *wallet;
    zr_deployment_t dep;
    char err[512];
};

static int fail(zr_chain_t *c, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(zr_chain_t *c, int rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err, sizeof c->err, fmt, ap);
    va_end(ap);
    return rc;
}

/* ---- deployment ---------------------------------------------------------------------------- */

static int get_addr(uint8_t out[20], json_t *j, const char *key, char *err, size_t cap)
{
    const char *s = zr_json_str(j, key);
    json_t *contracts = json_object_get(j, "contracts");
    if (!s && json_is_object(contracts))
        s = zr_json_str(contracts, key);
    if (!s || zr_hex_decode_exact(out, 20, s) != 0) {
        snprintf(err, cap, "deployment: %s must be an address", key);
        return ZR_EPARSE;
    }
    return 0;
}

static int get_u64(uint64_t *out, json_t *j, const char *key, char *err, size_t cap)
{
    json_t *v = json_object_get(j, key);
    if (json_is_integer(v) && json_integer_value(v) >= 0) {
        *out = (uint64_t)json_integer_value(v);
        return 0;
    }
    uint8_t w[32];
    if (json_is_string(v) && zr_proto_u256_parse(w, json_string_value(v)) == 0 && zr_proto_u256_to_u64(w, out) == 0)
        return 0;
    snprintf(err, cap, "deployment: %s must be a non-negative integer", key);
    return ZR_EPARSE;
}

int zr_deployment_load(zr_deployment_t *d, const char *path, char *err, size_t err_cap)
{
    memset(d, 0, sizeof *d);
    zr_buf_t b;
    zr_buf_init(&b, 1 << 20);
    json_t *j = NULL;
    int rc = zr_file_read(path, b.max, &b);
    if (rc) {
        snprintf(err, err_cap, "cannot read deployment %s: %s", path, zr_strerror(rc));
        goto done;
    }
    char jerr[200];
    if ((rc = zr_json_parse((const char *)b.data, b.len, b.max, &j, jerr, sizeof jerr)) != 0) {
        snprintf(err, err_cap, "deployment %s: %s", path, jerr);
        goto done;
    }
    if ((rc = get_u64(&d->chain_id, j, "chainId", err, err_cap)) ||
        (rc = get_u64(&d->deploy_block, j, "deployBlock", err, err_cap)) ||
        (rc = get_addr(d->model_submission, j, "ModelSubmission", err, err_cap)) ||
        (rc = get_addr(d->attestation_center, j, "AttestationCenter", err, err_cap)) ||
        (rc = get_addr(d->avs_logic, j, "AvsLogic", err, err_cap)) ||
        (rc = get_addr(d->governance, j, "AvsGovernance", err, err_cap)))
        goto done;
done:
    json_decref(j);
    zr_buf_cleanup(&b);
    return rc;
}

/* ---- handle --------------------------------------------------------------------------------- */

int zr_chain_open(zr_chain_t **out, const char *rpc_url, const zr_deployment_t *d, const uint8_t *sk, char *err,
                  size_t err_cap)
{
    *out = NULL;
    zr_chain_t *c = calloc(1, sizeof *c);
    if (!c)
        return ZR_ENOMEM;
    c->dep = *d;
    int rc = 0;
    c->rpc = zr_rpc_new(rpc_url, NULL);
    if (!c->rpc) {
        snprintf(err, err_cap, "bad RPC URL %s", rpc_url);
        rc = ZR_EINVAL;
        goto fail;
    }
    uint64_t id;
    if ((rc = zr_rpc_chain_id(c->rpc, &id)) != 0) {
        /* the RPC message names the endpoint without credentials or path (API keys) */
        snprintf(err, err_cap, "cannot reach the RPC endpoint: %s", zr_rpc_errmsg(c->rpc));
        goto fail;
    }
    if (id != d->chain_id) {
        snprintf(err, err_cap, "the RPC endpoint is chain %llu but the deployment is for chain %llu",
                 (unsigned long long)id, (unsigned long long)d->chain_id);
        rc = ZR_ESTATE;
        goto fail;
    }
    if (sk) {
        c->wallet = zr_rpc_wallet_new(c->rpc, sk);
        if (!c->wallet) {
            snprintf(err, err_cap, "invalid private key");
            rc = ZR_EBADKEY;
            goto fail;
        }
    }
    *out = c;
    return 0;
fail:
    zr_chain_free(c);
    return rc;
}

void zr_chain_free(zr_chain_t *c)
{
    if (!c)
        return;
    zr_rpc_wallet_free(c->wallet);
    zr_rpc_free(c->rpc);
    free(c);
}

const zr_deployment_t *zr_chain_deployment(const zr_chain_t *c)
{
    return &c->dep;
}

zr_rpc_t *zr_chain_rpc(zr_chain_t *c)
{
    return c->rpc;
}

const uint8_t *zr_chain_sender(const zr_chain_t *c)
{
    return c->wallet ? zr_rpc_wallet_address(c->wallet) : NULL;
}

const char *zr_chain_errmsg(const zr_chain_t *c)
{
    return c->err;
}

/* ---- calls ------------------------------------------------------------------------------------ */

/* Encodes sig(args) into out; args is consumed. */
static int encode(zr_chain_t *c, zr_buf_t *out, const char *sig_text, zr_abi_value_t *args, zr_abi_sig_t **sig_out)
{
    zr_abi_sig_t *sig = NULL;
    zr_abi_diag_t diag = {0};
    int rc = zr_abi_sig_parse(&sig, sig_text, ZR_ABI_FUNCTION, &diag);
    if (rc) {
        zr_abi_value_free(args);
        return fail(c, rc, "internal: bad signature %s", sig_text);
    }
    if (!args)
        args = zr_abi_tuple(0);
    rc = zr_abi_encode_call(out, sig, args, &diag);
    zr_abi_value_free(args);
    if (rc) {
        zr_abi_sig_free(sig);
        return fail(c, rc, "cannot encode %s: %s", sig_text, zr_strerror(rc));
    }
    if (sig_out)
        *sig_out = sig;
    else
        zr_abi_sig_free(sig);
    return 0;
}

/* eth_call of sig(args) on target; *ret gets the decoded outputs tuple. */
static int view(zr_chain_t *c, const uint8_t target[20], const char *sig_text, zr_abi_value_t *args,
                zr_abi_value_t **ret)
{
    zr_buf_t data, res;
    zr_buf_init(&data, 1 << 20);
    zr_buf_init(&res, 16 << 20);
    zr_abi_sig_t *sig = NULL;
    int rc = encode(c, &data, sig_text, args, &sig);
    if (rc)
        goto done;
    zr_rpc_callmsg_t m = {.to = target, .data = data.data, .data_len = data.len};
    if ((rc = zr_rpc_eth_call(c->rpc, &res, &m, NULL)) != 0) {
        rc = fail(c, rc, "%s: %s", sig->name, zr_rpc_errmsg(c->rpc));
        goto done;
    }
    zr_abi_diag_t diag = {0};
    if ((rc = zr_abi_decode_output(ret, sig, res.data, res.len, &diag)) != 0)
        rc = fail(c, rc, "%s: cannot decode the answer: %s", sig->name, zr_strerror(rc));
done:
    zr_abi_sig_free(sig);
    zr_buf_cleanup(&data);
    zr_buf_cleanup(&res);
    return rc;
}

/* Sends sig(args) to target with value (NULL = 0) and waits for the receipt. */
static int transact(zr_chain_t *c, const uint8_t target[20], const char *sig_text, zr_abi_value_t *args,
                    const uint8_t *value, zr_rpc_receipt_t *receipt)
{
    if (!c->wallet) {
        zr_abi_value_free(args);
        return fail(c, ZR_ESTATE, "a key is needed to send transactions");
    }
    zr_buf_t data;
    zr_buf_init(&data, 1 << 20);
    zr_rpc_receipt_t own;
    zr_rpc_receipt_init(&own);
    zr_abi_sig_t *sig = NULL;
    int rc = encode(c, &data, sig_text, args, &sig);
    if (rc)
        goto done;
    zr_rpc_txreq_t req = {.to = target, .data = data.data, .data_len = data.len, .value = value};
    rc = zr_rpc_wallet_transact(c->wallet, receipt ? receipt : &own, &req);
    if (rc)
        rc = fail(c, rc, "%s: %s", sig->name, zr_rpc_errmsg(c->rpc));
done:
    zr_abi_sig_free(sig);
    zr_rpc_receipt_cleanup(&own);
    zr_buf_cleanup(&data);
    return rc;
}

static uint64_t num_u64(const zr_abi_value_t *v)
{
    uint64_t x = 0;
    if (v)
        zr_abi_value_u64(v, &x);
    return x;
}

static void num_word(uint8_t out[32], const zr_abi_value_t *v)
{
    if (v)
        memcpy(out, v->word, 32);
    else
        memset(out, 0, 32);
}

static void addr_of(uint8_t out[20], const zr_abi_value_t *v)
{
    if (v)
        memcpy(out, v->word + 12, 20);
    else
        memset(out, 0, 20);
}

static void str_of(char *out, size_t cap, const zr_abi_value_t *v)
{
    out[0] = 0;
    if (v && v->data)
        snprintf(out, cap, "%.*s", (int)v->len, (const char *)v->data);
}

#define AT(v, i) zr_abi_value_at((v), (i))
#define F(v, name) zr_abi_value_field((v), (name))

int zr_chain_task_count(zr_chain_t *c, uint64_t *out)
{
    uint8_t w[32];
    int rc = zr_chain_read_u256(c, c->dep.model_submission, "taskCount()", w);
    if (rc == 0 && zr_proto_u256_to_u64(w, out) != 0)
        rc = fail(c, ZR_ERANGE, "taskCount out of range");
    return rc;
}

int zr_chain_submission_count(zr_chain_t *c, uint64_t *out)
{
    uint8_t w[32];
    int rc = zr_chain_read_u256(c, c->dep.model_submission, "submissionCount()", w);
    if (rc == 0 && zr_proto_u256_to_u64(w, out) != 0)
        rc = fail(c, ZR_ERANGE, "submissionCount out of range");
    return rc;
}

int zr_chain_read_u256(zr_chain_t *c, const uint8_t target[20], const char *getter, uint8_t out[32])
{
    char sig[256];
    snprintf(sig, sizeof sig, "%s(uint256)", getter);
    zr_abi_value_t *ret = NULL;
    int rc = view(c, target, sig, NULL, &ret);
    if (rc == 0)
        num_word(out, AT(ret, 0));
    zr_abi_value_free(ret);
    return rc;
}

int zr_chain_get_task(zr_chain_t *c, uint64_t task_id, zr_task_t *out)
{
    memset(out, 0, sizeof *out);
    zr_abi_value_t *ret = NULL;
    int rc = view(c, c->dep.model_submission, "getTask(uint256)(" TASK_TUPLE ")",
                  zr_abi_tuple(1, zr_abi_uint_u64(task_id)), &ret);
    if (rc)
        return rc;
    const zr_abi_value_t *t = AT(ret, 0);
    out->id = task_id;
    addr_of(out->owner, F(t, "owner"));
    out->deadline = num_u64(F(t, "deadline"));
    out->slash_bps = (uint16_t)num_u64(F(t, "slashBps"));
    out->closed = F(t, "closed") ? F(t, "closed")->word[31] : 0;
    addr_of(out->token, F(t, "token"));
    num_word(out->bond, F(t, "bond"));
    num_word(out->evaluation_fee, F(t, "evaluationFee"));
    num_word(out->reward_pool, F(t, "rewardPool"));
    num_word(out->reward_per_improvement, F(t, "rewardPerImprovement"));
    num_word(out->min_improvement, F(t, "minImprovement"));
    num_word(out->best_score, F(t, "bestScore"));
    out->best_id = num_u64(F(t, "bestId"));
    out->head = num_u64(F(t, "head"));
    out->tail = num_u64(F(t, "tail"));
    out->head_since = num_u64(F(t, "headSince"));
    out->open = num_u64(F(t, "open"));
    str_of(out->arch_cid, sizeof out->arch_cid, F(t, "archCid"));
    str_of(out->init_cid, sizeof out->init_cid, F(t, "initCid"));
    str_of(out->eval_cid, sizeof out->eval_cid, F(t, "evalCid"));
    zr_abi_value_free(ret);
    static const uint8_t zero[20];
    if (memcmp(out->owner, zero, 20) == 0)
        return fail(c, ZR_ENOENT, "task %llu does not exist", (unsigned long long)task_id);
    return 0;
}

int zr_chain_get_submission(zr_chain_t *c, uint64_t submission_id, zr_submission_t *out)
{
    memset(out, 0, sizeof *out);
    zr_abi_value_t *ret = NULL;
    int rc = view(c, c->dep.model_submission, "getSubmission(uint256)(" SUB_TUPLE ")",
                  zr_abi_tuple(1, zr_abi_uint_u64(submission_id)), &ret);
    if (rc)
        return rc;
    const zr_abi_value_t *s = AT(ret, 0);
    out->id = submission_id;
    addr_of(out->optimizer, F(s, "optimizer"));
    out->task_id = num_u64(F(s, "taskId"));
    out->state = (int)num_u64(F(s, "state"));
    out->seed_block = num_u64(F(s, "seedBlock"));
    out->commit_block = num_u64(F(s, "commitBlock"));
    out->next = num_u64(F(s, "next"));
    num_word(out->commitment, F(s, "commitment"));
    num_word(out->seed, F(s, "seed"));
    zr_abi_value_free(ret);
    if (out->state == ZR_CHAIN_SUB_NONE)
        return fail(c, ZR_ENOENT, "submission %llu does not exist", (unsigned long long)submission_id);
    return 0;
}

static void fill_operator(zr_operator_t *o, const zr_abi_value_t *t)
{
    num_word(o->id, F(t, "id"));
    num_word(o->stake, F(t, "stake"));
    o->status = (int)num_u64(F(t, "status"));
    o->aggregator = F(t, "aggregator") ? F(t, "aggregator")->word[31] : 0;
    o->index = num_u64(F(t, "index"));
    o->exitable_at = num_u64(F(t, "exitableAt"));
    for (int i = 0; i < 2; i++)
        num_word(o->pk_g1 + 32 * i, AT(F(t, "pkG1"), (size_t)i));
    for (int i = 0; i < 4; i++)
        num_word(o->pk_g2 + 32 * i, AT(F(t, "pkG2"), (size_t)i));
    str_of(o->endpoint, sizeof o->endpoint, F(t, "endpoint"));
}

int zr_chain_operator_info(zr_chain_t *c, const uint8_t addr[20], zr_operator_t *out)
{
    memset(out, 0, sizeof *out);
    memcpy(out->addr, addr, 20);
    zr_abi_value_t *ret = NULL;
    int rc = view(c, c->dep.governance, "operatorInfo(address)(" OP_TUPLE ")", zr_abi_tuple(1, zr_abi_address(addr)),
                  &ret);
    if (rc)
        return rc;
    fill_operator(out, AT(ret, 0));
    zr_abi_value_free(ret);
    return 0;
}

int zr_chain_active_operators(zr_chain_t *c, zr_operator_t **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    zr_abi_value_t *ret = NULL;
    int rc = view(c, c->dep.governance, "activeOperators()(address[])", NULL, &ret);
    if (rc)
        return rc;
    const zr_abi_value_t *arr = AT(ret, 0);
    size_t count = arr ? arr->count : 0;
    zr_operator_t *ops = calloc(count ? count : 1, sizeof *ops);
    if (!ops) {
        zr_abi_value_free(ret);
        return ZR_ENOMEM;
    }
    for (size_t i = 0; i < count && rc == 0; i++) {
        uint8_t a[20];
        addr_of(a, AT(arr, i));
        rc = zr_chain_operator_info(c, a, &ops[i]);
    }
    zr_abi_value_free(ret);
    if (rc) {
        free(ops);
        return rc;
    }
    *out = ops;
    *n = count;
    return 0;
}

int zr_chain_claimable(zr_chain_t *c, const uint8_t token[20], const uint8_t account[20], uint8_t out[32])
{
    zr_abi_value_t *ret = NULL;
    int rc = view(c, c->dep.model_submission, "claimable(address,address)(uint256)",
                  zr_abi_tuple(2, zr_abi_address(token), zr_abi_address(account)), &ret);
    if (rc == 0)
        num_word(out, AT(ret, 0));
    zr_abi_value_free(ret);
    return rc;
}

int zr_chain_rewards(zr_chain_t *c, const uint8_t account[20], uint8_t out[32])
{
    zr_abi_value_t *ret = NULL;
    int rc = view(c, c->dep.attestation_center, "withdrawable(address)(uint256)",
                  zr_abi_tuple(1, zr_abi_address(account)), &ret);
    if (rc == 0)
        num_word(out, AT(ret, 0));
    zr_abi_value_free(ret);
    return rc;
}

/* ---- transactions ------------------------------------------------------------------------------ */

/* The first log of the receipt from `from` with topic0 = keccak(event_sig); its topic[idx]
 * as a u64. */
static int receipt_topic_u64(const zr_rpc_receipt_t *r, const uint8_t from[20], const char *event_sig, size_t idx,
                             uint64_t *out)
{
    uint8_t t0[32];
    if (zr_abi_event_topic(t0, event_sig) != 0)
        return ZR_EINVAL;
    for (size_t i = 0; i < r->logs.n; i++) {
        const zr_rpc_log_t *l = &r->logs.v[i];
        if (memcmp(l->address, from, 20) == 0 && l->n_topics > idx && memcmp(l->topics[0], t0, 32) == 0)
            return zr_proto_u256_to_u64(l->topics[idx], out);
    }
    return ZR_ENOENT;
}

int zr_chain_create_task(zr_chain_t *c, const zr_task_params_t *p, uint64_t *task_id, zr_rpc_receipt_t *receipt)
{
    static const uint8_t zero[20];
    const uint8_t *value = memcmp(p->token, zero, 20) == 0 ? p->reward_pool : NULL;
    zr_abi_value_t *params = zr_abi_tuple(
        11, zr_abi_address(p->token), zr_abi_uint_be(p->reward_pool), zr_abi_uint_be(p->reward_per_improvement),
        zr_abi_uint_be(p->evaluation_fee), zr_abi_uint_be(p->bond), zr_abi_uint_u64(p->slash_bps),
        zr_abi_int_be(p->min_improvement), zr_abi_uint_u64(p->deadline), zr_abi_string(p->arch_cid),
        zr_abi_string(p->init_cid), zr_abi_string(p->eval_cid));
    zr_rpc_receipt_t own;
    zr_rpc_receipt_init(&own);
    zr_rpc_receipt_t *r = receipt ? receipt : &own;
    int rc = transact(c, c->dep.model_submission,
                      "createTask((address,uint256,uint256,uint256,uint256,uint16,int256,uint64,string,string,string))",
                      zr_abi_tuple(1, params), value, r);
    if (rc == 0 && task_id &&
        receipt_topic_u64(r, c->dep.model_submission,
                          "TaskCreated(uint256,address,address,uint256,uint256,uint256,uint256,uint16,int256,uint64)", 1,
                          task_id) != 0)
        rc = fail(c, ZR_ESTATE, "createTask: no TaskCreated event in the receipt");
    zr_rpc_receipt_cleanup(&own);
    return rc;
}

int zr_chain_close_task(zr_chain_t *c, uint64_t task_id, zr_rpc_receipt_t *receipt)
{
    return transact(c, c->dep.model_submission, "closeTask(uint256)", zr_abi_tuple(1, zr_abi_uint_u64(task_id)), NULL,
                    receipt);
}

int zr_chain_erc20_approve(zr_chain_t *c, const uint8_t token[20], const uint8_t spender[20],
                           const uint8_t amount[32], zr_rpc_receipt_t *receipt)
{
    return transact(c, token, "approve(address,uint256)", zr_abi_tuple(2, zr_abi_address(spender), zr_abi_uint_be(amount)),
                    NULL, receipt);
}

int zr_chain_commit(zr_chain_t *c, uint64_t task_id, const uint8_t commitment[32], const uint8_t value[32],
                    uint64_t *submission_id, zr_rpc_receipt_t *receipt)
{
    zr_rpc_receipt_t own;
    zr_rpc_receipt_init(&own);
    zr_rpc_receipt_t *r = receipt ? receipt : &own;
    int rc = transact(c, c->dep.model_submission, "commit(uint256,bytes32)",
                      zr_abi_tuple(2, zr_abi_uint_u64(task_id), zr_abi_bytes32(commitment)), value, r);
    if (rc == 0 && submission_id &&
        receipt_topic_u64(r, c->dep.model_submission, "SubmissionCommitted(uint256,uint256,address,bytes32)", 2,
                          submission_id) != 0)
        rc = fail(c, ZR_ESTATE, "commit: no SubmissionCommitted event in the receipt");
    zr_rpc_receipt_cleanup(&own);
    return rc;
}

int zr_chain_reveal(zr_chain_t *c, uint64_t submission_id, const char *params_cid, const uint8_t salt[32],
                    zr_rpc_receipt_t *receipt)
{
    return transact(c, c->dep.model_submission, "reveal(uint256,string,bytes32)",
                    zr_abi_tuple(3, zr_abi_uint_u64(submission_id), zr_abi_string(params_cid), zr_abi_bytes32(salt)),
                    NULL, receipt);
}

int zr_chain_expire(zr_chain_t *c, uint64_t submission_id, zr_rpc_receipt_t *receipt)
{
    return transact(c, c->dep.model_submission, "expire(uint256)", zr_abi_tuple(1, zr_abi_uint_u64(submission_id)),
                    NULL, receipt);
}

int zr_chain_withdraw(zr_chain_t *c, const uint8_t token[20], zr_rpc_receipt_t *receipt)
{
    return transact(c, c->dep.model_submission, "withdraw(address)", zr_abi_tuple(1, zr_abi_address(token)), NULL,
                    receipt);
}

static zr_abi_value_t *words(const uint8_t *w, size_t n)
{
    zr_abi_value_t *a = zr_abi_value_new(ZR_ABI_V_ARRAY);
    for (size_t i = 0; a && i < n; i++)
        zr_abi_value_push(a, zr_abi_uint_be(w + 32 * i));
    return a;
}

int zr_chain_register(zr_chain_t *c, const uint8_t pk_g1[64], const uint8_t pk_g2[128], const uint8_t pop[64],
                      const char *endpoint, int aggregator, const uint8_t stake[32], zr_rpc_receipt_t *receipt)
{
    return transact(c, c->dep.governance, "register(uint256[2],uint256[4],uint256[2],string,bool)",
                    zr_abi_tuple(5, words(pk_g1, 2), words(pk_g2, 4), words(pop, 2), zr_abi_string(endpoint),
                                 zr_abi_bool(aggregator)),
                    stake, receipt);
}

int zr_chain_request_exit(zr_chain_t *c, zr_rpc_receipt_t *receipt)
{
    return transact(c, c->dep.governance, "requestExit()", NULL, NULL, receipt);
}

int zr_chain_complete_exit(zr_chain_t *c, zr_rpc_receipt_t *receipt)
{
    return transact(c, c->dep.governance, "completeExit()", NULL, NULL, receipt);
}

int zr_chain_rewards_withdraw(zr_chain_t *c, zr_rpc_receipt_t *receipt)
{
    return transact(c, c->dep.attestation_center, "withdraw()", NULL, NULL, receipt);
}

static zr_abi_value_t *result_value(const zr_proto_result_t *r)
{
    return zr_abi_tuple(8, zr_abi_uint_be(r->task_id), zr_abi_uint_be(r->submission_id), zr_abi_uint_be(r->incumbent_id),
                        zr_abi_bytes32(r->seed), zr_abi_uint_u64(r->status), zr_abi_int_be(r->challenger_score),
                        zr_abi_int_be(r->incumbent_score), zr_abi_bytes32(r->outputs_digest));
}

#define SUBMIT_SIG "submitResult(" RESULT_TUPLE ",bytes,uint256[2],uint256[4],uint256[2][])"

static zr_abi_value_t *submit_args(const zr_proto_result_t *r, const uint8_t perf_sig[65], const uint8_t sigma[64],
                                   const uint8_t apk_g2[128], const uint8_t (*non_signers)[64], size_t n)
{
    zr_abi_value_t *ns = zr_abi_value_new(ZR_ABI_V_ARRAY);
    for (size_t i = 0; ns && i < n; i++)
        zr_abi_value_push(ns, words(non_signers[i], 2));
    return zr_abi_tuple(5, result_value(r), zr_abi_bytes(perf_sig, 65), words(sigma, 2), words(apk_g2, 4), ns);
}

int zr_chain_submit_result_calldata(zr_buf_t *out, const zr_proto_result_t *r, const uint8_t perf_sig[65],
                                    const uint8_t sigma[64], const uint8_t apk_g2[128],
                                    const uint8_t (*non_signers)[64], size_t n_non_signers)
{
    zr_chain_t tmp;
    memset(&tmp, 0, sizeof tmp);
    return encode(&tmp, out, SUBMIT_SIG, submit_args(r, perf_sig, sigma, apk_g2, non_signers, n_non_signers), NULL);
}

int zr_chain_submit_result(zr_chain_t *c, const zr_proto_result_t *r, const uint8_t perf_sig[65],
                           const uint8_t sigma[64], const uint8_t apk_g2[128], const uint8_t (*non_signers)[64],
                           size_t n_non_signers, zr_rpc_receipt_t *receipt)
{
    if (!c->wallet)
        return fail(c, ZR_ESTATE, "a key is needed to send transactions");
    zr_buf_t data, res;
    zr_buf_init(&data, 1 << 20);
    zr_buf_init(&res, 1 << 20);
    int rc = zr_chain_submit_result_calldata(&data, r, perf_sig, sigma, apk_g2, non_signers, n_non_signers);
    if (rc) {
        rc = fail(c, rc, "cannot encode submitResult");
        goto done;
    }
    zr_rpc_callmsg_t m = {.from = zr_rpc_wallet_address(c->wallet), .to = c->dep.attestation_center,
                          .data = data.data, .data_len = data.len};
    if ((rc = zr_rpc_eth_call(c->rpc, &res, &m, "pending")) != 0) {
        rc = fail(c, rc, "submitResult simulation: %s", zr_rpc_errmsg(c->rpc));
        goto done;
    }
    zr_rpc_receipt_t own;
    zr_rpc_receipt_init(&own);
    zr_rpc_txreq_t req = {.to = c->dep.attestation_center, .data = data.data, .data_len = data.len};
    rc = zr_rpc_wallet_transact(c->wallet, receipt ? receipt : &own, &req);
    if (rc)
        rc = fail(c, rc, "submitResult: %s", zr_rpc_errmsg(c->rpc));
    zr_rpc_receipt_cleanup(&own);
done:
    zr_buf_cleanup(&data);
    zr_buf_cleanup(&res);
    return rc;
}

int zr_chain_report_equivocation(zr_chain_t *c, const uint8_t op[20], const zr_proto_result_t *a,
                                 const uint8_t sig_a[64], const zr_proto_result_t *b, const uint8_t sig_b[64],
                                 zr_rpc_receipt_t *receipt)
{
    return transact(c, c->dep.attestation_center,
                    "reportEquivocation(address," RESULT_TUPLE ",uint256[2]," RESULT_TUPLE ",uint256[2])",
                    zr_abi_tuple(5, zr_abi_address(op), result_value(a), words(sig_a, 2), result_value(b), words(sig_b, 2)),
                    NULL, receipt);
}

/* ---- events ----------------------------------------------------------------------------------- */

typedef struct {
    zr_chain_event_kind_t kind;
    int contract; /* 0 ModelSubmission, 1 AttestationCenter, 2 AvsGovernance */
    const char *sig;
} evdef_t;

static const evdef_t events[] = {
    {ZR_EV_TASK_CREATED, 0,
     "TaskCreated(uint256 indexed taskId,address indexed owner,address indexed token,uint256 rewardPool,"
     "uint256 rewardPerImprovement,uint256 evaluationFee,uint256 bond,uint16 slashBps,int256 minImprovement,"
     "uint64 deadline)"},
    {ZR_EV_TASK_CLOSED, 0, "TaskClosed(uint256 indexed taskId,uint256 refund)"},
    {ZR_EV_COMMITTED, 0,
     "SubmissionCommitted(uint256 indexed taskId,uint256 indexed submissionId,address indexed optimizer,"
     "bytes32 commitment)"},
    {ZR_EV_REVEALED, 0,
     "SubmissionRevealed(uint256 indexed taskId,uint256 indexed submissionId,address indexed optimizer,"
     "string paramsCid,uint256 seedBlock)"},
    {ZR_EV_SEED_FIXED, 0, "SeedFixed(uint256 indexed taskId,uint256 indexed submissionId,bytes32 seed)"},
    {ZR_EV_SEED_REARMED, 0, "SeedRearmed(uint256 indexed taskId,uint256 indexed submissionId,uint256 seedBlock)"},
    {ZR_EV_SETTLED, 0,
     "SubmissionSettled(uint256 indexed taskId,uint256 indexed submissionId,uint256 indexed incumbentId,"
     "uint8 status,bool accepted,int256 challengerScore,int256 incumbentScore,uint256 reward,uint256 bondRefund,"
     "uint256 bondKept,uint256 fee)"},
    {ZR_EV_EXPIRED, 0,
     "SubmissionExpired(uint256 indexed taskId,uint256 indexed submissionId,bool revealed,uint256 bondRefund,"
     "uint256 feeRefund)"},
    {ZR_EV_RESULT_SUBMITTED, 1,
     "ResultSubmitted(uint256 indexed taskId,uint256 indexed submissionId,bytes32 indexed digest,uint8 status,"
     "address performer,address aggregator,uint256 signedStake,uint256 totalStake,uint256 nonSigners,uint256 fee,"
     "uint256 performerReward,uint256 aggregatorReward,uint256 signersReward)"},
    {ZR_EV_EQUIVOCATION, 1,
     "EquivocationReported(address indexed operator,address indexed reporter,uint256 indexed submissionId,"
     "uint256 slashed,uint256 bounty)"},
    {ZR_EV_OPERATOR_REGISTERED, 2,
     "OperatorRegistered(address indexed operator,bytes32 indexed operatorId,uint256 stake,uint256[2] pkG1,"
     "uint256[4] pkG2,string endpoint,bool aggregator)"},
    {ZR_EV_OPERATOR_EXITED, 2, "OperatorExited(address indexed operator,uint256 stakeReturned)"},
    {ZR_EV_OPERATOR_SLASHED, 2, "OperatorSlashed(address indexed operator,uint256 amount)"},
};

static const zr_abi_value_t *field(const zr_abi_value_t *v, const char *name)
{
    return zr_abi_value_field(v, name);
}

static void decode_event(zr_chain_event_t *e, zr_chain_event_kind_t kind, const zr_abi_value_t *v)
{
    e->kind = kind;
    e->task_id = num_u64(field(v, "taskId"));
    e->submission_id = num_u64(field(v, "submissionId"));
    e->incumbent_id = num_u64(field(v, "incumbentId"));
    switch (kind) {
    case ZR_EV_TASK_CREATED:
        addr_of(e->addr, field(v, "owner"));
        break;
    case ZR_EV_COMMITTED:
    case ZR_EV_REVEALED:
        addr_of(e->addr, field(v, "optimizer"));
        str_of(e->cid, sizeof e->cid, field(v, "paramsCid"));
        e->seed_block = num_u64(field(v, "seedBlock"));
        break;
    case ZR_EV_SEED_REARMED:
        e->seed_block = num_u64(field(v, "seedBlock"));
        break;
    case ZR_EV_SEED_FIXED:
        num_word(e->seed, field(v, "seed"));
        break;
    case ZR_EV_SETTLED:
        e->status = (uint8_t)num_u64(field(v, "status"));
        e->accepted = field(v, "accepted") ? field(v, "accepted")->word[31] : 0;
        num_word(e->challenger_score, field(v, "challengerScore"));
        num_word(e->incumbent_score, field(v, "incumbentScore"));
        num_word(e->reward, field(v, "reward"));
        num_word(e->bond_refund, field(v, "bondRefund"));
        num_word(e->bond_kept, field(v, "bondKept"));
        num_word(e->fee, field(v, "fee"));
        break;
    case ZR_EV_RESULT_SUBMITTED:
        e->status = (uint8_t)num_u64(field(v, "status"));
        num_word(e->digest, field(v, "digest"));
        addr_of(e->addr, field(v, "aggregator"));
        break;
    case ZR_EV_OPERATOR_REGISTERED:
    case ZR_EV_OPERATOR_EXITED:
    case ZR_EV_OPERATOR_SLASHED:
    case ZR_EV_EQUIVOCATION:
        addr_of(e->addr, field(v, "operator"));
        break;
    default:
        break;
    }
}

int zr_chain_events(zr_chain_t *c, uint64_t from, uint64_t to, uint64_t max_range, zr_chain_event_t **out,
                    size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t nev = ZR_ARRAY_LEN(events);
    zr_abi_sig_t *sigs[ZR_ARRAY_LEN(events)] = {0};
    uint8_t topics[ZR_ARRAY_LEN(events)][32];
    int rc = 0;
    for (size_t i = 0; i < nev; i++) {
        zr_abi_diag_t diag = {0};
        if ((rc = zr_abi_sig_parse(&sigs[i], events[i].sig, ZR_ABI_EVENT, &diag)) != 0) {
            rc = fail(c, rc, "internal: bad event signature %s", events[i].sig);
            goto done;
        }
        memcpy(topics[i], sigs[i]->topic0, 32);
    }
    uint8_t addrs[3][20];
    memcpy(addrs[0], c->dep.model_submission, 20);
    memcpy(addrs[1], c->dep.attestation_center, 20);
    memcpy(addrs[2], c->dep.governance, 20);
    zr_rpc_filter_t f = {.from_block = from, .to_block = to, .addresses = (const uint8_t(*)[20])addrs, .n_addresses = 3,
                         .max_range = max_range};
    f.topics[0] = (const uint8_t(*)[32])topics;
    f.n_topics[0] = nev;
    zr_rpc_logs_t logs;
    zr_rpc_logs_init(&logs);
    if ((rc = zr_rpc_get_logs(c->rpc, &logs, &f)) != 0) {
        rc = fail(c, rc, "eth_getLogs [%llu, %llu]: %s", (unsigned long long)from, (unsigned long long)to,
                  zr_rpc_errmsg(c->rpc));
        zr_rpc_logs_cleanup(&logs);
        goto done;
    }
    zr_chain_event_t *ev = calloc(logs.n ? logs.n : 1, sizeof *ev);
    if (!ev) {
        zr_rpc_logs_cleanup(&logs);
        rc = ZR_ENOMEM;
        goto done;
    }
    size_t k = 0;
    for (size_t i = 0; i < logs.n; i++) {
        const zr_rpc_log_t *l = &logs.v[i];
        if (l->removed || l->n_topics == 0)
            continue;
        for (size_t j = 0; j < nev; j++) {
            const uint8_t *want = events[j].contract == 0   ? c->dep.model_submission
                                  : events[j].contract == 1 ? c->dep.attestation_center
                                                            : c->dep.governance;
            if (memcmp(l->topics[0], topics[j], 32) != 0 || memcmp(l->address, want, 20) != 0)
                continue;
            zr_abi_value_t *v = NULL;
            zr_abi_diag_t diag = {0};
            if (zr_abi_decode_log(&v, sigs[j], (const uint8_t(*)[32])l->topics, l->n_topics, l->data, l->data_len,
                                  &diag) != 0) {
                ZR_WARN("chain.event_undecodable", "block=%llu log_index=%llu event=%s",
                        (unsigned long long)l->block_number, (unsigned long long)l->log_index, sigs[j]->name);
                break;
            }
            zr_chain_event_t *e = &ev[k++];
            decode_event(e, events[j].kind, v);
            e->block = l->block_number;
            e->log_index = l->log_index;
            memcpy(e->tx_hash, l->tx_hash, 32);
            zr_abi_value_free(v);
            break;
        }
    }
    zr_rpc_logs_cleanup(&logs);
    *out = ev;
    *n = k;
done:
    for (size_t i = 0; i < nev; i++)
        zr_abi_sig_free(sigs[i]);
    return rc;
}
