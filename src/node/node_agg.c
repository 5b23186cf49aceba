// SPDX-License-Identifier: MIT
// Aggregator: the JSON-RPC methods that receive attestations (BLS) and proposals (ECDSA)
// — each checked against the sender's registration before it is stored — and the step
// that groups signatures by result, aggregates once two thirds of the active stake agree,
// simulates and sends submitResult without waiting for it to be mined (every result ready
// in a pass goes into the next block), and reports equivocations. The aggregator the seed
// designates sends at once, the others only two blocks later, so a race to the same result
// is rare; a lost race is then noticed by the simulation and no failing transaction is sent.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "node_int.h"
#include "zara/ecdsa.h"

enum { ERR_NOT_OPERATOR = -32001, ERR_DUPLICATE = -32002, ERR_BAD_SIGNATURE = -32003 };

static void hex0x(char *out, const uint8_t *b, size_t n)
{
    out[0] = '0';
    out[1] = 'x';
    zr_hex_encode(out + 2, b, n);
}

/* Common parsing of {result, <who>, signature}. */
static int parse_msg(json_t *params, const char *who, size_t sig_len, zr_proto_result_t *r, uint8_t addr[20],
                     uint8_t *sig, char *errmsg, size_t cap)
{
    if (!json_is_object(params)) {
        snprintf(errmsg, cap, "params must be an object {result, %s, signature}", who);
        return ZR_JSONRPC_INVALID_PARAMS;
    }
    char e[200];
    if (zr_proto_result_from_json(r, json_object_get(params, "result"), e, sizeof e) != 0) {
        snprintf(errmsg, cap, "result.%s", e);
        return ZR_JSONRPC_INVALID_PARAMS;
    }
    const char *a = zr_json_str(params, who);
    if (!a || zr_hex_decode_exact(addr, 20, a) != 0) {
        snprintf(errmsg, cap, "%s must be a 0x address", who);
        return ZR_JSONRPC_INVALID_PARAMS;
    }
    const char *s = zr_json_str(params, "signature");
    if (!s || zr_hex_decode_exact(sig, sig_len, s) != 0) {
        snprintf(errmsg, cap, "signature must be 0x and %zu hex digits", 2 * sig_len);
        return ZR_JSONRPC_INVALID_PARAMS;
    }
    return 0;
}

static int store_att(zr_node_t *n, const uint8_t digest[32], const zr_proto_result_t *r, const char *addr_h,
                     const char *kind, json_t *params, char *errmsg, size_t cap)
{
    uint64_t sub;
    if (zr_proto_u256_to_u64(r->submission_id, &sub) != 0) {
        snprintf(errmsg, cap, "submissionId out of range");
        return ZR_JSONRPC_INVALID_PARAMS;
    }
    char *payload = json_dumps(params, JSON_COMPACT | JSON_SORT_KEYS);
    if (!payload)
        return ZR_JSONRPC_INTERNAL_ERROR;
    int rc = zr_nodedb_att_put(n->db, digest, sub, addr_h, kind, payload);
    free(payload);
    if (rc == ZR_EEXISTS) {
        zr_metrics_add(n->metrics, "zara_attestations_received_total", 1, "outcome", "duplicate", NULL);
        snprintf(errmsg, cap, "this %s was already received", kind[0] == 'b' ? "attestation" : "proposal");
        return ERR_DUPLICATE;
    }
    if (rc) {
        snprintf(errmsg, cap, "cannot store: %s", zr_strerror(rc));
        return ZR_JSONRPC_INTERNAL_ERROR;
    }
    zr_metrics_add(n->metrics, "zara_attestations_received_total", 1, "outcome", "accepted", NULL);
    return 0;
}

static int rpc_attestation(void *ud, json_t *params, json_t **result, char *errmsg, size_t cap)
{
    zr_node_t *n = ud;
    zr_proto_result_t r;
    uint8_t addr[20], sig[64];
    int rc = parse_msg(params, "operator", 64, &r, addr, sig, errmsg, cap);
    if (rc)
        return rc;
    zr_operator_t op;
    if (zr__node_find_operator(n, addr, &op) != 0) {
        zr_metrics_add(n->metrics, "zara_attestations_received_total", 1, "outcome", "unregistered", NULL);
        snprintf(errmsg, cap, "operator is not an active registered operator");
        return ERR_NOT_OPERATOR;
    }
    zr_bn254_g1_t sigma;
    zr_bn254_g2_t pk;
    uint8_t digest[32];
    zr_proto_result_digest(digest, &r, n->dep.chain_id, n->dep.attestation_center);
    if (zr_bn254_g1_decode(&sigma, sig) != 0 || zr_bn254_g2_decode(&pk, op.pk_g2) != 0 ||
        zr_bls_verify_g2(&pk, digest, &sigma) != 0) {
        zr_metrics_add(n->metrics, "zara_attestations_received_total", 1, "outcome", "bad_signature", NULL);
        snprintf(errmsg, cap, "BLS signature does not verify against the operator's registered key");
        return ERR_BAD_SIGNATURE;
    }
    char ah[43];
    hex0x(ah, addr, 20);
    if ((rc = store_att(n, digest, &r, ah, "bls", params, errmsg, cap)) != 0)
        return rc;
    char dh[67];
    hex0x(dh, digest, 32);
    *result = json_pack("{s:b, s:s}", "accepted", 1, "digest", dh);
    return 0;
}

static int rpc_proposal(void *ud, json_t *params, json_t **result, char *errmsg, size_t cap)
{
    zr_node_t *n = ud;
    zr_proto_result_t r;
    uint8_t addr[20], raw[65];
    int rc = parse_msg(params, "performer", 65, &r, addr, raw, errmsg, cap);
    if (rc)
        return rc;
    uint8_t digest[32], rec[20];
    zr_proto_result_digest(digest, &r, n->dep.chain_id, n->dep.attestation_center);
    zr_sig_t sig;
    if (zr_ecdsa_sig_decode(&sig, raw) != 0 || zr_ecdsa_recover_address(rec, &sig, digest) != 0 ||
        memcmp(rec, addr, 20) != 0) {
        snprintf(errmsg, cap, "ECDSA signature does not recover to the performer");
        return ERR_BAD_SIGNATURE;
    }
    zr_operator_t op;
    if (zr__node_find_operator(n, addr, &op) != 0) {
        snprintf(errmsg, cap, "performer is not an active registered operator");
        return ERR_NOT_OPERATOR;
    }
    char ah[43];
    hex0x(ah, addr, 20);
    if ((rc = store_att(n, digest, &r, ah, "ecdsa", params, errmsg, cap)) != 0)
        return rc;
    *result = json_pack("{s:b}", "accepted", 1);
    return 0;
}

const zr_jsonrpc_method_t zr__node_rpc_methods[] = {
    {"zara_submitAttestation", rpc_attestation},
    {"zara_submitProposal", rpc_proposal},
};
const size_t zr__node_rpc_methods_count = ZR_ARRAY_LEN(zr__node_rpc_methods);

/* ---- results in flight ----------------------------------------------------------------------- */

#define AGG_BACKUP_BLOCKS 2 /* a non-designated aggregator waits this long after quorum */
#define AGG_DROP_BLOCKS 20  /* a send not mined after this many blocks may be sent again */
#define AGG_FORGET_BLOCKS 256

typedef struct {
    uint64_t sub;
    uint8_t digest[32];
    uint64_t ready_head; /* head when this node first found the result ready to send */
    int sent;
    uint8_t tx[32];
    uint64_t sent_head;
    int signers;
    size_t non_signers;
    uint8_t status;
} agg_entry_t;

struct zr__agg_state {
    zr_rpc_wallet_t *wallet; /* borrows the chain's RPC handle (main thread only) */
    agg_entry_t *e;
    size_t n, cap;
};

static struct zr__agg_state *agg_state(zr_node_t *n)
{
    if (n->agg)
        return n->agg;
    struct zr__agg_state *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->wallet = zr_rpc_wallet_new(zr_chain_rpc(n->chain), n->ecdsa_sk);
    if (!st->wallet) {
        free(st);
        return NULL;
    }
    n->agg = st;
    return st;
}

void zr__node_aggregate_free(zr_node_t *n)
{
    if (!n->agg)
        return;
    zr_rpc_wallet_free(n->agg->wallet);
    free(n->agg->e);
    free(n->agg);
    n->agg = NULL;
}

static agg_entry_t *entry_find(struct zr__agg_state *st, uint64_t sub, const uint8_t digest[32])
{
    for (size_t i = 0; i < st->n; i++)
        if (st->e[i].sub == sub && memcmp(st->e[i].digest, digest, 32) == 0)
            return &st->e[i];
    return NULL;
}

/* Whether a submitResult of ours for this submission is sent and not yet mined. */
static int in_flight(const struct zr__agg_state *st, uint64_t sub)
{
    for (size_t i = 0; i < st->n; i++)
        if (st->e[i].sub == sub && st->e[i].sent)
            return 1;
    return 0;
}

static agg_entry_t *entry_get(struct zr__agg_state *st, uint64_t sub, const uint8_t digest[32], uint64_t head)
{
    agg_entry_t *e = entry_find(st, sub, digest);
    if (e)
        return e;
    if (st->n == st->cap) {
        size_t nc = st->cap ? st->cap * 2 : 16;
        agg_entry_t *p = realloc(st->e, nc * sizeof *p);
        if (!p)
            return NULL;
        st->e = p;
        st->cap = nc;
    }
    e = &st->e[st->n++];
    memset(e, 0, sizeof *e);
    e->sub = sub;
    memcpy(e->digest, digest, 32);
    e->ready_head = head;
    return e;
}

static void entry_remove(struct zr__agg_state *st, agg_entry_t *e)
{
    *e = st->e[--st->n];
}

/* Follows the submitResult transactions sent earlier: mined (our aggregate counted, or a
 * lost race), or not mined for too long (forgotten, so the result may be sent again). */
static void poll_sent(zr_node_t *n, struct zr__agg_state *st)
{
    zr_rpc_t *rpc = zr_chain_rpc(n->chain);
    for (size_t i = 0; i < st->n;) {
        agg_entry_t *e = &st->e[i];
        if (!e->sent) {
            if (n->head > e->ready_head + AGG_FORGET_BLOCKS)
                entry_remove(st, e);
            else
                i++;
            continue;
        }
        zr_rpc_receipt_t rec;
        zr_rpc_receipt_init(&rec);
        int rc = zr_rpc_get_receipt(rpc, &rec, e->tx);
        char th[67];
        hex0x(th, e->tx, 32);
        if (rc == 0 && rec.status == 1) {
            zr_metrics_add(n->metrics, "zara_results_submitted_total", 1, NULL);
            ZR_INFO("aggregator.submitted", "submission=%llu status=%u signers=%d non_signers=%zu gas=%llu block=%llu "
                    "tx=%s",
                    (unsigned long long)e->sub, e->status, e->signers, e->non_signers,
                    (unsigned long long)rec.gas_used, (unsigned long long)rec.block_number, th);
        } else if (rc == 0) {
            /* another aggregator's result was mined first in the same block */
            ZR_INFO("aggregator.stand_down", "submission=%llu reason=\"submitResult %s reverted in block %llu\"",
                    (unsigned long long)e->sub, th, (unsigned long long)rec.block_number);
        } else if (rc == ZR_ENOENT && n->head > e->sent_head + AGG_DROP_BLOCKS) {
            ZR_WARN("aggregator.not_mined", "submission=%llu tx=%s sent_block=%llu", (unsigned long long)e->sub, th,
                    (unsigned long long)e->sent_head);
            zr_rpc_wallet_resync(st->wallet);
            rc = 0;
        }
        zr_rpc_receipt_cleanup(&rec);
        if (rc == 0)
            entry_remove(st, e);
        else
            i++;
    }
}

/* Whether this node is the aggregator the seed designates among the active aggregators. */
static int designated(const zr_node_t *n, const zr_operator_t *ops, size_t n_ops, const uint8_t seed[32])
{
    size_t count = 0;
    for (size_t i = 0; i < n_ops; i++)
        count += ops[i].aggregator != 0;
    if (count == 0)
        return 0;
    unsigned __int128 r = 0;
    for (int i = 0; i < 32; i++)
        r = ((r << 8) | seed[i]) % count;
    for (size_t i = 0, k = 0; i < n_ops; i++) {
        if (!ops[i].aggregator)
            continue;
        if (k++ == (size_t)r)
            return memcmp(ops[i].addr, n->addr, 20) == 0;
    }
    return 0;
}

/* Simulates submitResult and sends it without waiting for the receipt; 0 when sent. */
static int send_result(zr_node_t *n, struct zr__agg_state *st, const zr_proto_result_t *r, const uint8_t perf_sig[65],
                       const uint8_t sigma[64], const uint8_t apk[128], const uint8_t (*ns)[64], size_t n_ns,
                       uint8_t tx[32])
{
    zr_rpc_t *rpc = zr_chain_rpc(n->chain);
    zr_buf_t data, res;
    zr_buf_init(&data, 1 << 20);
    zr_buf_init(&res, 1 << 20);
    int rc = zr_chain_submit_result_calldata(&data, r, perf_sig, sigma, apk, ns, n_ns);
    if (rc == 0) {
        zr_rpc_callmsg_t m = {.from = n->addr, .to = n->dep.attestation_center, .data = data.data,
                              .data_len = data.len};
        rc = zr_rpc_eth_call(rpc, &res, &m, "pending");
    }
    if (rc == 0) {
        zr_rpc_txreq_t req = {.to = n->dep.attestation_center, .data = data.data, .data_len = data.len};
        rc = zr_rpc_wallet_send(st->wallet, tx, &req);
    }
    zr_buf_cleanup(&data);
    zr_buf_cleanup(&res);
    return rc;
}

/* ---- aggregation ---------------------------------------------------------------------------- */

typedef struct {
    zr_node_t *n;
    zr_operator_t *ops;
    size_t n_ops;
    uint8_t *signed_mask; /* per active operator */
    zr_bn254_g1_t sigma;
    zr_bn254_g2_t apk_g2;
    uint8_t stake[32];
    int count;
    /* proposal */
    int have_proposal;
    uint8_t perf_sig[65];
    size_t elected;
    int any_performer;
} agg_t;

static int collect_bls(void *ud, const char *op_h, const char *payload)
{
    agg_t *a = ud;
    uint8_t addr[20];
    if (zr_hex_decode_exact(addr, 20, op_h) != 0)
        return 0;
    for (size_t i = 0; i < a->n_ops; i++) {
        if (memcmp(a->ops[i].addr, addr, 20) != 0 || a->signed_mask[i])
            continue;
        json_t *j = NULL;
        char e[100];
        uint8_t raw[64];
        zr_bn254_g1_t s;
        zr_bn254_g2_t pk;
        if (zr_json_parse(payload, strlen(payload), 1 << 20, &j, e, sizeof e) != 0)
            return 0;
        const char *sh = zr_json_str(j, "signature");
        int ok = sh && zr_hex_decode_exact(raw, 64, sh) == 0 && zr_bn254_g1_decode(&s, raw) == 0 &&
                 zr_bn254_g2_decode(&pk, a->ops[i].pk_g2) == 0;
        json_decref(j);
        if (!ok)
            return 0;
        zr_bn254_g1_add(&a->sigma, &a->sigma, &s);
        zr_bn254_g2_add(&a->apk_g2, &a->apk_g2, &pk);
        zr_rpc_u256_add(a->stake, a->stake, a->ops[i].stake);
        a->signed_mask[i] = 1;
        a->count++;
    }
    return 0;
}

static int collect_proposal(void *ud, const char *op_h, const char *payload)
{
    agg_t *a = ud;
    if (a->have_proposal)
        return 0;
    uint8_t addr[20];
    if (zr_hex_decode_exact(addr, 20, op_h) != 0)
        return 0;
    int ok_performer = a->any_performer || memcmp(a->ops[a->elected].addr, addr, 20) == 0;
    if (!ok_performer)
        return 0;
    json_t *j = NULL;
    char e[100];
    if (zr_json_parse(payload, strlen(payload), 1 << 20, &j, e, sizeof e) != 0)
        return 0;
    const char *sh = zr_json_str(j, "signature");
    if (sh && zr_hex_decode_exact(a->perf_sig, 65, sh) == 0)
        a->have_proposal = 1;
    json_decref(j);
    return 0;
}

static int cmp_id(const void *x, const void *y)
{
    return memcmp(((const zr_operator_t *const *)x)[0]->id, ((const zr_operator_t *const *)y)[0]->id, 32);
}

static size_t seed_mod(const uint8_t seed[32], size_t count)
{
    unsigned __int128 r = 0;
    for (int i = 0; i < 32; i++)
        r = ((r << 8) | seed[i]) % count;
    return (size_t)r;
}

/* Tries to aggregate one result (digest) of a submission; 1 when a result was sent. */
static int try_digest(zr_node_t *n, struct zr__agg_state *st, const uint8_t digest[32], zr_operator_t *ops,
                      size_t n_ops, const uint8_t total[32], const zr_submission_t *sub, const zr_task_t *task)
{
    /* the result itself, from any attestation carrying it */
    agg_t a;
    memset(&a, 0, sizeof a);
    a.n = n;
    a.ops = ops;
    a.n_ops = n_ops;
    a.signed_mask = calloc(n_ops, 1);
    if (!a.signed_mask)
        return ZR_ENOMEM;
    zr_bn254_g1_infinity(&a.sigma);
    zr_bn254_g2_infinity(&a.apk_g2);
    zr_nodedb_att_each(n->db, digest, "bls", collect_bls, &a);
    int rc = 0;
    /* quorum: signed * 3 >= total * 2 (QUORUM 2/3, as the contract checks) */
    uint8_t lhs[32], rhs[32];
    if (a.count == 0 || zr_rpc_u256_mul_u64(lhs, a.stake, 3) != 0 || zr_rpc_u256_mul_u64(rhs, total, 2) != 0 ||
        zr_rpc_u256_cmp(lhs, rhs) < 0)
        goto done;
    zr_proto_result_t r;
    {
        /* read the result back from one of the signers' payloads */
        zr_buf_t p;
        zr_buf_init(&p, 1 << 20);
        char oh[43];
        for (size_t i = 0; i < n_ops; i++) {
            if (!a.signed_mask[i])
                continue;
            hex0x(oh, ops[i].addr, 20);
            if (zr_nodedb_att_get(n->db, digest, "bls", oh, &p) == 0)
                break;
        }
        json_t *j = NULL;
        char e[200];
        int ok = zr_json_parse((const char *)p.data, p.len, p.max, &j, e, sizeof e) == 0 &&
                 zr_proto_result_from_json(&r, json_object_get(j, "result"), e, sizeof e) == 0;
        json_decref(j);
        zr_buf_cleanup(&p);
        if (!ok)
            goto done;
    }
    uint64_t inc;
    if (zr_proto_u256_to_u64(r.incumbent_id, &inc) != 0 || inc != task->best_id) {
        ZR_INFO("aggregator.stale_result", "submission=%llu result_incumbent_differs_from_best=%llu",
                (unsigned long long)sub->id, (unsigned long long)task->best_id);
        goto done;
    }
    a.elected = seed_mod(r.seed, n_ops);
    a.any_performer = n->head > sub->seed_block + n->performer_timeout;
    zr_nodedb_att_each(n->db, digest, "ecdsa", collect_proposal, &a);
    if (!a.have_proposal) {
        ZR_DEBUG("aggregator.waiting_for_performer", "submission=%llu signers=%d", (unsigned long long)sub->id,
                 a.count);
        goto done;
    }
    agg_entry_t *entry = entry_get(st, sub->id, digest, n->head);
    if (!entry) {
        rc = ZR_ENOMEM;
        goto done;
    }
    if (!designated(n, ops, n_ops, r.seed) && n->head < entry->ready_head + AGG_BACKUP_BLOCKS) {
        ZR_DEBUG("aggregator.backup_waiting", "submission=%llu ready_block=%llu", (unsigned long long)sub->id,
                 (unsigned long long)entry->ready_head);
        goto done;
    }
    /* non-signers: active operators that did not sign, sorted by operator id */
    const zr_operator_t **ns = calloc(n_ops ? n_ops : 1, sizeof *ns);
    uint8_t(*ns_pk)[64] = calloc(n_ops ? n_ops : 1, 64);
    size_t n_ns = 0;
    if (!ns || !ns_pk) {
        free(ns);
        free(ns_pk);
        rc = ZR_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < n_ops; i++)
        if (!a.signed_mask[i])
            ns[n_ns++] = &ops[i];
    qsort(ns, n_ns, sizeof *ns, cmp_id);
    for (size_t i = 0; i < n_ns; i++)
        memcpy(ns_pk[i], ns[i]->pk_g1, 64);
    uint8_t sigma[64], apk[128];
    zr_bn254_g1_encode(sigma, &a.sigma);
    zr_bn254_g2_encode(apk, &a.apk_g2);
    uint8_t tx[32];
    rc = send_result(n, st, &r, a.perf_sig, sigma, apk, (const uint8_t(*)[64])ns_pk, n_ns, tx);
    if (rc == 0) {
        char th[67];
        hex0x(th, tx, 32);
        entry->sent = 1;
        memcpy(entry->tx, tx, 32);
        entry->sent_head = n->head;
        entry->signers = a.count;
        entry->non_signers = n_ns;
        entry->status = r.status;
        ZR_INFO("aggregator.sent", "submission=%llu status=%u signers=%d non_signers=%zu tx=%s",
                (unsigned long long)sub->id, r.status, a.count, n_ns, th);
        rc = 1;
    } else {
        /* another aggregator was faster, or the round changed: stand down */
        ZR_INFO("aggregator.stand_down", "submission=%llu reason=\"submitResult: %s\"", (unsigned long long)sub->id,
                zr_rpc_errmsg(zr_chain_rpc(n->chain)));
        rc = 0;
    }
    free(ns);
    free(ns_pk);
done:
    free(a.signed_mask);
    return rc;
}

/* Reports an operator that signed two different results for one submission. */
static void check_equivocation(zr_node_t *n, uint64_t sub_id, const zr_operator_t *ops, size_t n_ops)
{
    for (size_t i = 0; i < n_ops; i++) {
        char oh[43];
        hex0x(oh, ops[i].addr, 20);
        uint8_t ds[2][32];
        if (zr_nodedb_att_operator_digests(n->db, sub_id, oh, "bls", ds, 2) < 2)
            continue;
        char key[128];
        uint64_t done;
        snprintf(key, sizeof key, "equivocation:%s:%llu", oh, (unsigned long long)sub_id);
        if (zr_nodedb_meta_get_u64(n->db, key, &done) == 0)
            continue;
        zr_proto_result_t r[2];
        uint8_t sig[2][64];
        int ok = 1;
        for (int k = 0; k < 2 && ok; k++) {
            zr_buf_t p;
            zr_buf_init(&p, 1 << 20);
            json_t *j = NULL;
            char e[200];
            ok = zr_nodedb_att_get(n->db, ds[k], "bls", oh, &p) == 0 &&
                 zr_json_parse((const char *)p.data, p.len, p.max, &j, e, sizeof e) == 0 &&
                 zr_proto_result_from_json(&r[k], json_object_get(j, "result"), e, sizeof e) == 0 &&
                 zr_json_str(j, "signature") && zr_hex_decode_exact(sig[k], 64, zr_json_str(j, "signature")) == 0;
            json_decref(j);
            zr_buf_cleanup(&p);
        }
        if (!ok)
            continue;
        int rc = zr_chain_report_equivocation(n->chain, ops[i].addr, &r[0], sig[0], &r[1], sig[1], NULL);
        ZR_WARN("aggregator.equivocation", "operator=%s submission=%llu reported=%d reason=\"%s\"", oh,
                (unsigned long long)sub_id, rc == 0, rc ? zr_chain_errmsg(n->chain) : "");
        zr_nodedb_meta_set_u64(n->db, key, rc == 0 ? 1 : 2);
    }
}

int zr__node_aggregate_step(zr_node_t *n)
{
    /* a private copy of the operator set for this pass */
    pthread_mutex_lock(&n->mu);
    size_t n_ops = n->ops.n;
    zr_operator_t *ops = malloc((n_ops ? n_ops : 1) * sizeof *ops);
    uint8_t total[32];
    if (ops)
        memcpy(ops, n->ops.ops, n_ops * sizeof *ops);
    memcpy(total, n->ops.total_stake, 32);
    pthread_mutex_unlock(&n->mu);
    if (!ops)
        return ZR_ENOMEM;
    struct zr__agg_state *st = agg_state(n);
    if (!st) {
        free(ops);
        return ZR_ENOMEM;
    }
    poll_sent(n, st);
    if (n_ops == 0) {
        free(ops);
        return 0;
    }
    zr_sub_row_t rows[32];
    int states[2] = {ZR_SUB_REVEALED, ZR_SUB_EVALUATED};
    for (int s = 0; s < 2 && !n->stop; s++) {
        int cnt = zr_nodedb_sub_list(n->db, states[s], rows, 32);
        for (int i = 0; i < cnt && !n->stop; i++) {
            uint8_t ds[8][32];
            int nd = zr_nodedb_att_digests(n->db, rows[i].submission_id, ds, 8);
            if (nd <= 0)
                continue;
            check_equivocation(n, rows[i].submission_id, ops, n_ops);
            if (in_flight(st, rows[i].submission_id))
                continue; /* our aggregate is on its way */
            zr_submission_t sub;
            zr_task_t task;
            if (zr_chain_get_submission(n->chain, rows[i].submission_id, &sub) != 0 ||
                sub.state != ZR_CHAIN_SUB_REVEALED || zr_chain_get_task(n->chain, sub.task_id, &task) != 0 ||
                task.head != sub.id)
                continue;
            for (int d = 0; d < nd; d++)
                if (try_digest(n, st, ds[d], ops, n_ops, total, &sub, &task) == 1)
                    break;
        }
    }
    /* Two signatures of one operator on different results stay a proof after the verdict:
     * an operator that signs a wrong result, then the true one once the round is settled,
     * must not escape. Pairs received in the last hour are checked whatever the state of
     * their submission (check_equivocation acts once per operator and submission). */
    uint64_t recent[32];
    int nr = zr_nodedb_att_equivocations(n->db, (int64_t)time(NULL) - 3600, recent, 32);
    for (int i = 0; i < nr && !n->stop; i++)
        check_equivocation(n, recent[i], ops, n_ops);
    free(ops);
    return 0;
}
