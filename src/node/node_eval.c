// SPDX-License-Identifier: MIT
// Evaluator, attester and performer: when a revealed submission reaches the head of its
// task's queue and its seed block is mined, fetch and verify the files, evaluate
// challenger and incumbent on the seed, record the result (one per round, never re-signed
// differently), sign it with BLS and queue it to every aggregator; the elected performer
// (or anyone after the timeout) also signs it with ECDSA. Blind attestation: the result
// signed is always the one computed here. The evaluation itself runs on a small pool of
// worker threads; the main loop prepares each job (inputs fetched and verified, seed and
// incumbent fixed) and, on a later pass, records, signs and queues the finished results.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "node_int.h"
#include "zara/ecdsa.h"
#include "zara/eval.h"

#define MAX_ARCH (4u << 20)
#define MAX_SCRIPT (1u << 20)
#define MAX_PARAMS (256u << 20)

/* ---- the worker pool: only zr_eval_run runs on the workers ---------------------------- */
enum { JOB_QUEUED, JOB_RUNNING, JOB_DONE };

typedef struct eval_job {
    struct eval_job *next;
    int state; /* JOB_*, guarded by the pool's mu */
    zr_sub_row_t row;
    uint64_t inc_id, seed_block;
    zr_proto_result_t r; /* ids and seed fixed; scores filled in by finish() */
    zr_buf_t arch, script, params, incumbent;
    zr_eval_limits_t lim;
    zr_eval_result_t res;
    int rc;     /* of zr_eval_run */
    int64_t ms; /* evaluation time */
} eval_job_t;

struct zr__eval_pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t *th;
    size_t n_th;
    int quit;
    eval_job_t *jobs; /* every job not yet collected, oldest first */
};

static void job_free(eval_job_t *j)
{
    if (!j)
        return;
    zr_buf_cleanup(&j->arch);
    zr_buf_cleanup(&j->script);
    zr_buf_cleanup(&j->params);
    zr_buf_cleanup(&j->incumbent);
    free(j);
}

static void *worker(void *arg)
{
    struct zr__eval_pool *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        eval_job_t *j = p->jobs;
        while (j && j->state != JOB_QUEUED)
            j = j->next;
        if (p->quit)
            break;
        if (!j) {
            pthread_cond_wait(&p->cv, &p->mu);
            continue;
        }
        j->state = JOB_RUNNING;
        pthread_mutex_unlock(&p->mu);
        zr_eval_input_t in = {.arch_json = (const char *)j->arch.data, .arch_len = j->arch.len,
                              .params = j->params.data, .params_len = j->params.len,
                              .incumbent = j->incumbent.data, .incumbent_len = j->incumbent.len,
                              .script = (const char *)j->script.data, .script_len = j->script.len};
        memcpy(in.seed, j->r.seed, 32);
        int64_t t0 = zr__now_ms();
        j->rc = zr_eval_run(&j->res, &in, &j->lim, NULL, NULL);
        j->ms = zr__now_ms() - t0;
        pthread_mutex_lock(&p->mu);
        j->state = JOB_DONE;
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

int zr__eval_pool_start(zr_node_t *n)
{
    struct zr__eval_pool *p = calloc(1, sizeof *p);
    size_t want = n->cfg.eval_threads > 0 ? (size_t)n->cfg.eval_threads : 1;
    if (!p || !(p->th = calloc(want, sizeof *p->th))) {
        free(p);
        return ZR_ENOMEM;
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    n->pool = p;
    for (; p->n_th < want; p->n_th++)
        if (pthread_create(&p->th[p->n_th], NULL, worker, p) != 0)
            return ZR_ENOMEM; /* zr__eval_pool_free joins the ones started */
    return 0;
}

void zr__eval_pool_free(zr_node_t *n)
{
    struct zr__eval_pool *p = n->pool;
    if (!p)
        return;
    n->eval_cancel = 1; /* a running evaluation stops at its next check */
    pthread_mutex_lock(&p->mu);
    p->quit = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    for (size_t i = 0; i < p->n_th; i++)
        pthread_join(p->th[i], NULL);
    /* unfinished or uncollected jobs are dropped: nothing was signed, a restart redoes them */
    while (p->jobs) {
        eval_job_t *j = p->jobs;
        p->jobs = j->next;
        job_free(j);
    }
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p->th);
    free(p);
    n->pool = NULL;
}

/* Whether a job of this submission is queued, running or not yet collected. */
static int in_flight(zr_node_t *n, uint64_t sub_id)
{
    struct zr__eval_pool *p = n->pool;
    int found = 0;
    pthread_mutex_lock(&p->mu);
    for (eval_job_t *j = p->jobs; j && !found; j = j->next)
        found = j->row.submission_id == sub_id;
    pthread_mutex_unlock(&p->mu);
    return found;
}

static void submit(zr_node_t *n, eval_job_t *job)
{
    struct zr__eval_pool *p = n->pool;
    job->state = JOB_QUEUED;
    job->next = NULL;
    pthread_mutex_lock(&p->mu);
    eval_job_t **tail = &p->jobs;
    while (*tail)
        tail = &(*tail)->next;
    *tail = job;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

/* Unlinks and returns the finished jobs, oldest first. */
static eval_job_t *take_done(zr_node_t *n)
{
    struct zr__eval_pool *p = n->pool;
    eval_job_t *done = NULL, **dt = &done;
    pthread_mutex_lock(&p->mu);
    for (eval_job_t **pp = &p->jobs; *pp;) {
        eval_job_t *j = *pp;
        if (j->state != JOB_DONE) {
            pp = &j->next;
            continue;
        }
        *pp = j->next;
        j->next = NULL;
        *dt = j;
        dt = &j->next;
    }
    pthread_mutex_unlock(&p->mu);
    return done;
}

static int fetch(zr_node_t *n, const char *cid_text, size_t max, zr_buf_t *out)
{
    zr_cid_t cid;
    int rc = zr_cid_parse(&cid, cid_text);
    if (rc)
        return rc;
    zr_buf_init(out, max);
    rc = zr_store_get_buf(n->store, &cid, out);
    if (rc)
        ZR_WARN("evaluator.fetch_failed", "cid=%s err=%s msg=\"%s\"", cid_text, zr_err_name(rc),
                zr_store_errmsg(n->store));
    return rc;
}

/* seed mod count, the index of the elected performer. */
static size_t seed_mod(const uint8_t seed[32], size_t count)
{
    unsigned __int128 r = 0;
    for (int i = 0; i < 32; i++)
        r = ((r << 8) | seed[i]) % count;
    return (size_t)r;
}

static void hex0x(char *out, const uint8_t *b, size_t n)
{
    out[0] = '0';
    out[1] = 'x';
    zr_hex_encode(out + 2, b, n);
}

/* Queues method(params) to every registered aggregator's /rpc. params is consumed. */
static int send_to_aggregators(zr_node_t *n, const char *method, json_t *params)
{
    json_t *msg = json_pack("{s:s, s:i, s:s, s:o}", "jsonrpc", "2.0", "id", 1, "method", method, "params", params);
    char *body = json_dumps(msg, JSON_COMPACT);
    json_decref(msg);
    if (!body)
        return ZR_ENOMEM;
    int rc = 0, sent = 0;
    pthread_mutex_lock(&n->mu);
    for (size_t i = 0; i < n->ops.n && rc == 0; i++) {
        const zr_operator_t *o = &n->ops.ops[i];
        if (!o->aggregator || !o->endpoint[0])
            continue;
        char url[600];
        size_t el = strlen(o->endpoint);
        snprintf(url, sizeof url, "%s%s", o->endpoint, el && o->endpoint[el - 1] == '/' ? "rpc" : "/rpc");
        rc = zr_nodedb_outbox_add(n->db, url, body);
        sent++;
    }
    pthread_mutex_unlock(&n->mu);
    free(body);
    if (rc == 0 && sent == 0)
        ZR_WARN("attester.no_aggregators", "method=%s", method);
    return rc;
}

static void proposal_key(char *key, size_t cap, uint64_t sub, uint64_t inc, const uint8_t digest[32])
{
    char d[17];
    zr_hex_encode(d, digest, 8);
    snprintf(key, cap, "proposed:%llu:%llu:%s", (unsigned long long)sub, (unsigned long long)inc, d);
}

/* Sends the ECDSA-signed proposal once per (round, digest) when this node may perform. */
static void maybe_propose(zr_node_t *n, const zr_proto_result_t *r, const uint8_t digest[32], uint64_t sub_id,
                          uint64_t inc_id, uint64_t seed_block)
{
    size_t count;
    int elected = 0;
    pthread_mutex_lock(&n->mu);
    count = n->ops.n;
    if (count > 0)
        elected = memcmp(n->ops.ops[seed_mod(r->seed, count)].addr, n->addr, 20) == 0;
    pthread_mutex_unlock(&n->mu);
    if (count == 0)
        return;
    int timed_out = n->head > seed_block + n->performer_timeout;
    if (!elected && !timed_out)
        return;
    char key[128];
    uint64_t done;
    proposal_key(key, sizeof key, sub_id, inc_id, digest);
    if (zr_nodedb_meta_get_u64(n->db, key, &done) == 0)
        return;
    zr_sig_t sig;
    if (zr_ecdsa_sign(&sig, n->ecdsa_sk, digest) != 0)
        return;
    uint8_t raw[65];
    zr_ecdsa_sig_encode(raw, &sig);
    char sh[133], ah[43];
    hex0x(sh, raw, 65);
    hex0x(ah, n->addr, 20);
    json_t *params = json_pack("{s:o, s:s, s:s}", "result", zr_proto_result_to_json(r), "performer", ah,
                               "signature", sh);
    if (send_to_aggregators(n, "zara_submitProposal", params) == 0) {
        zr_nodedb_meta_set_u64(n->db, key, 1);
        ZR_INFO("performer.proposed", "submission=%llu incumbent=%llu elected=%d", (unsigned long long)sub_id,
                (unsigned long long)inc_id, elected);
    }
}

/* Whether the seed block is mined with the configured confirmations: its hash is then
 * known, and submitResult (mined in a later block) can read it with blockhash. */
static int seed_ready(const zr_node_t *n, uint64_t seed_block)
{
    return n->head >= seed_block + (uint64_t)n->cfg.confirmations;
}

static int finish(zr_node_t *n, eval_job_t *job);

/* Prepares the evaluation of one submission against the current best and hands it to the
 * pool (a round evaluated before is re-published from the database instead). */
static int evaluate_one(zr_node_t *n, const zr_sub_row_t *row)
{
    zr_task_t task;
    zr_submission_t sub;
    if (in_flight(n, row->submission_id))
        return 0; /* queued or running: collected on a later pass */
    int rc = zr_chain_get_submission(n->chain, row->submission_id, &sub);
    if (rc)
        return rc;
    if (sub.state == ZR_CHAIN_SUB_SETTLED || sub.state == ZR_CHAIN_SUB_EXPIRED)
        return zr_nodedb_sub_set_state(n->db, row->submission_id,
                                       sub.state == ZR_CHAIN_SUB_SETTLED ? ZR_SUB_SETTLED : ZR_SUB_EXPIRED,
                                       row->evaluated_incumbent);
    if (sub.state != ZR_CHAIN_SUB_REVEALED || !seed_ready(n, sub.seed_block))
        return 0; /* not its time yet */
    if ((rc = zr_chain_get_task(n->chain, row->task_id, &task)) != 0)
        return rc;
    if (task.head != row->submission_id)
        return 0; /* per-task order: only the queue head is evaluated */
    uint64_t inc_id = task.best_id;

    uint8_t seed[32];
    static const uint8_t zero[32];
    if (memcmp(sub.seed, zero, 32) != 0) {
        memcpy(seed, sub.seed, 32);
    } else {
        char tag[19];
        zr_rpc_u64_format(tag, sub.seed_block);
        zr_rpc_block_t blk;
        if ((rc = zr_rpc_get_block(zr_chain_rpc(n->chain), &blk, tag)) != 0)
            return rc;
        uint8_t tid[32], sid[32];
        zr_proto_u256_from_u64(tid, row->task_id);
        zr_proto_u256_from_u64(sid, row->submission_id);
        zr_proto_seed(seed, blk.hash, n->dep.chain_id, n->dep.model_submission, tid, sid);
    }

    zr_proto_result_t r;
    memset(&r, 0, sizeof r);
    zr_proto_u256_from_u64(r.task_id, row->task_id);
    zr_proto_u256_from_u64(r.submission_id, row->submission_id);
    zr_proto_u256_from_u64(r.incumbent_id, inc_id);
    memcpy(r.seed, seed, 32);

    zr_buf_t existing, sigs;
    zr_buf_init(&existing, 1 << 20);
    zr_buf_init(&sigs, 1 << 20);
    if (zr_nodedb_result_get(n->db, row->submission_id, inc_id, seed, &existing, &sigs) == 0) {
        /* already evaluated this round (e.g. before a restart): reuse, never recompute */
        json_t *j = NULL;
        char e[200];
        if (zr_json_parse((const char *)existing.data, existing.len, existing.max, &j, e, sizeof e) == 0 &&
            zr_proto_result_from_json(&r, j, e, sizeof e) == 0) {
            uint8_t digest[32];
            zr_proto_result_digest(digest, &r, n->dep.chain_id, n->dep.attestation_center);
            /* The round is not marked evaluated: the node stopped (or the outbox failed)
             * between recording the result and queueing its attestation. Queue the stored
             * signature now — the same bytes, so at worst an aggregator answers "already
             * received" — or this operator's vote for the round would be lost for good. */
            json_t *sj = NULL;
            const char *bls = NULL;
            if ((row->state == ZR_SUB_REVEALED || row->evaluated_incumbent != inc_id) &&
                zr_json_parse((const char *)sigs.data, sigs.len, sigs.max, &sj, e, sizeof e) == 0 &&
                (bls = zr_json_str(sj, "bls")) != NULL) {
                char addr_h[43];
                hex0x(addr_h, n->addr, 20);
                json_t *msg = json_pack("{s:o, s:s, s:s}", "result", zr_proto_result_to_json(&r), "operator", addr_h,
                                        "signature", bls);
                if ((rc = send_to_aggregators(n, "zara_submitAttestation", msg)) == 0)
                    ZR_INFO("attester.requeued", "submission=%llu incumbent=%llu", (unsigned long long)row->submission_id,
                            (unsigned long long)inc_id);
            }
            json_decref(sj);
            maybe_propose(n, &r, digest, row->submission_id, inc_id, sub.seed_block);
        }
        json_decref(j);
        zr_buf_cleanup(&existing);
        zr_buf_cleanup(&sigs);
        if (rc)
            return rc; /* the attestation is still not queued: retried on the next pass */
        return zr_nodedb_sub_set_state(n->db, row->submission_id, ZR_SUB_EVALUATED, inc_id);
    }
    zr_buf_cleanup(&existing);
    zr_buf_cleanup(&sigs);

    eval_job_t *job = calloc(1, sizeof *job);
    if (!job)
        return ZR_ENOMEM;
    job->row = *row;
    job->inc_id = inc_id;
    job->seed_block = sub.seed_block;
    job->r = r;
    zr_buf_init(&job->arch, 0);
    zr_buf_init(&job->script, 0);
    zr_buf_init(&job->params, 0);
    zr_buf_init(&job->incumbent, 0);
    char inc_cid[129];
    if (inc_id == 0) {
        snprintf(inc_cid, sizeof inc_cid, "%s", task.init_cid);
    } else {
        zr_sub_row_t best;
        if ((rc = zr_nodedb_sub_get(n->db, inc_id, &best)) != 0) {
            ZR_WARN("evaluator.unknown_incumbent", "submission=%llu incumbent=%llu",
                    (unsigned long long)row->submission_id, (unsigned long long)inc_id);
            goto fail;
        }
        snprintf(inc_cid, sizeof inc_cid, "%s", best.params_cid);
    }
    if ((rc = fetch(n, task.arch_cid, MAX_ARCH, &job->arch)) || (rc = fetch(n, task.eval_cid, MAX_SCRIPT, &job->script)) ||
        (rc = fetch(n, inc_cid, MAX_PARAMS, &job->incumbent)))
        goto fail; /* the owner's or the incumbent's files: retried on the next pass */
    int params_rc = fetch(n, row->params_cid, MAX_PARAMS, &job->params);
    if (params_rc == ZR_ECID || params_rc == ZR_EOBJTOOBIG || params_rc == ZR_EHASHMISMATCH) {
        /* a challenger whose parameters cannot exist or exceed the limits is invalid */
        job->res.status = ZR_EVAL_INVALID_MODEL;
        job->rc = 0;
        job->ms = -1; /* not evaluated */
        rc = finish(n, job);
        job_free(job);
        return rc;
    }
    if (params_rc) {
        rc = params_rc; /* not (yet) available: retried on the next pass */
        goto fail;
    }
    zr_eval_limits_default(&job->lim);
    job->lim.budget = (uint64_t)n->cfg.eval_budget;
    job->lim.mem_cap = (size_t)n->cfg.eval_memory_mb << 20;
    job->lim.wall_ms = (uint32_t)n->cfg.eval_timeout_s * 1000u;
    /* the pool runs eval_threads evaluations side by side, one thread each (with the
     * default single worker this is the same as before) */
    job->lim.threads = 1;
    job->lim.cancel = &n->eval_cancel;
    submit(n, job);
    ZR_DEBUG("evaluator.queued", "submission=%llu incumbent=%llu", (unsigned long long)row->submission_id,
             (unsigned long long)inc_id);
    return 0;
fail:
    job_free(job);
    return rc;
}

/* What follows an evaluation (main thread): record the result once per round, sign it
 * with BLS, queue it to the aggregators, maybe propose, mark the round evaluated. */
static int finish(zr_node_t *n, eval_job_t *job)
{
    const zr_sub_row_t *row = &job->row;
    const zr_eval_result_t *res = &job->res;
    zr_proto_result_t *rp = &job->r;
    uint64_t inc_id = job->inc_id;
    int rc;
    if (job->rc != 0) {
        ZR_ERROR("evaluator.host_failed", "submission=%llu err=%s", (unsigned long long)row->submission_id,
                 zr_err_name(job->rc));
        return job->rc; /* retried on the next pass */
    }
    zr_sub_row_t now;
    if (zr_nodedb_sub_get(n->db, row->submission_id, &now) == 0 &&
        (now.state == ZR_SUB_SETTLED || now.state == ZR_SUB_EXPIRED))
        return 0; /* the watcher saw it settle or expire while it was being evaluated */
    if (job->ms >= 0)
        zr_metrics_observe(n->metrics, "zara_evaluation_seconds", (double)job->ms / 1000.0, NULL);
    rp->status = (uint8_t)res->status;
    if (res->status == ZR_EVAL_OK) {
        memcpy(rp->challenger_score, res->challenger_wad, 32);
        memcpy(rp->incumbent_score, res->incumbent_wad, 32);
        memcpy(rp->outputs_digest, res->outputs_digest, 32);
    }
    zr_metrics_add(n->metrics, "zara_evaluations_total", 1, "status", zr_eval_status_name(res->status), NULL);

    uint8_t digest[32];
    zr_proto_result_digest(digest, rp, n->dep.chain_id, n->dep.attestation_center);
    zr_bn254_g1_t sigma;
    zr_bls_sign(&sigma, &n->bls_sk, digest);
    uint8_t sig_raw[64];
    zr_bn254_g1_encode(sig_raw, &sigma);
    char sig_hex[131], addr_h[43], dig_h[67];
    hex0x(sig_hex, sig_raw, 64);
    hex0x(addr_h, n->addr, 20);
    hex0x(dig_h, digest, 32);

    zr_buf_t existing;
    zr_buf_init(&existing, 1 << 20);
    json_t *rj = zr_proto_result_to_json(rp);
    char *result_json = json_dumps(rj, JSON_COMPACT | JSON_SORT_KEYS);
    char sigs_json[256];
    snprintf(sigs_json, sizeof sigs_json, "{\"bls\":\"%s\",\"digest\":\"%s\"}", sig_hex, dig_h);
    rc = result_json ? zr_nodedb_result_put(n->db, row->submission_id, inc_id, rp->seed, result_json, sigs_json,
                                            &existing)
                     : ZR_ENOMEM;
    free(result_json);
    zr_buf_cleanup(&existing);
    if (rc) {
        json_decref(rj);
        ZR_ERROR("attester.refused_to_resign", "submission=%llu err=%s", (unsigned long long)row->submission_id,
                 zr_err_name(rc));
        return rc;
    }
    ZR_INFO("evaluator.result", "task=%llu submission=%llu incumbent=%llu status=%s challenger=%.9f incumbent_score=%.9f "
            "digest=%s",
            (unsigned long long)row->task_id, (unsigned long long)row->submission_id, (unsigned long long)inc_id,
            zr_eval_status_name(res->status), res->challenger_score, res->incumbent_score, dig_h);
    json_t *params_msg = json_pack("{s:o, s:s, s:s}", "result", rj, "operator", addr_h, "signature", sig_hex);
    if ((rc = send_to_aggregators(n, "zara_submitAttestation", params_msg)) == 0) {
        zr_metrics_add(n->metrics, "zara_attestations_sent_total", 1, NULL);
        maybe_propose(n, rp, digest, row->submission_id, inc_id, job->seed_block);
        rc = zr_nodedb_sub_set_state(n->db, row->submission_id, ZR_SUB_EVALUATED, inc_id);
    }
    return rc;
}

int zr__node_evaluate_step(zr_node_t *n)
{
    for (eval_job_t *j = take_done(n), *next; j; j = next) {
        next = j->next;
        if (!n->stop) {
            int rc = finish(n, j);
            if (rc)
                ZR_DEBUG("evaluator.retry_later", "submission=%llu err=%s",
                         (unsigned long long)j->row.submission_id, zr_err_name(rc));
        }
        job_free(j);
    }
    zr_sub_row_t rows[32];
    int states[2] = {ZR_SUB_REVEALED, ZR_SUB_EVALUATED};
    for (int s = 0; s < 2 && !n->stop; s++) {
        int cnt = zr_nodedb_sub_list(n->db, states[s], rows, 32);
        for (int i = 0; i < cnt && !n->stop; i++) {
            /* the seed block of the reveal is a lower bound (a re-arm only moves it later):
             * before it, nothing to ask the chain */
            if (states[s] == ZR_SUB_REVEALED && !seed_ready(n, rows[i].seed_block))
                continue;
            int rc = evaluate_one(n, &rows[i]);
            if (rc)
                ZR_DEBUG("evaluator.retry_later", "submission=%llu err=%s",
                         (unsigned long long)rows[i].submission_id, zr_err_name(rc));
        }
    }
    return 0;
}
