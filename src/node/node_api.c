// SPDX-License-Identifier: MIT
// The dashboard's read-only REST API under /api/: a summary of the deployment, tasks with
// their pools and best scores, one task's leaderboard, operators with stakes and rewards,
// optimizers' earnings, one submission. Contract state is read through the node's
// read-only chain handle; submissions and settlements come from an in-memory cache of
// decoded events that is extended block range by block range, so a request never rescans.
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "node_int.h"
#include "zara/keccak.h"

#define API_MAX_TASKS 200          /* newest tasks listed by /api/tasks */
#define API_MAX_SUBS 20000         /* submissions kept in the event cache (oldest dropped) */
#define API_MAX_ROWS 500           /* rows of a leaderboard or the optimizers table */
#define API_MAX_OPERATORS 1000     /* operators listed */
#define API_SCAN_BLOCKS 200000     /* blocks scanned per refresh (a long catch-up spans requests) */
#define API_RESP_SLOTS 32          /* responses kept per head block */
#define API_RESP_MAX (1024 * 1024) /* larger responses are not kept */
#define API_CACHES 4               /* deployments served by one process (tests run several) */

/* What the events say about one submission. */
typedef struct api_sub {
    uint64_t id, task_id, incumbent_id;
    uint8_t optimizer[20];
    char cid[129];
    uint64_t commit_block, reveal_block, seed_block, end_block;
    uint8_t end_tx[32];
    int state; /* ZR_CHAIN_SUB_* */
    uint8_t status;
    int accepted;
    uint8_t challenger_score[32], incumbent_score[32];
    uint8_t reward[32], bond_refund[32], bond_kept[32], fee[32];
} api_sub_t;

typedef struct api_paid {
    uint8_t account[20];
    uint8_t amount[32];
} api_paid_t;

#define API_MAX_PAID 4096 /* accounts whose withdrawals are summed */
#define API_MAX_TASK_CACHE 512 /* tasks kept (the lowest ids go first) */

typedef struct api_resp {
    char path[96];
    uint8_t head_hash[32];
    char *body;
    size_t len;
} api_resp_t;

/* One cache per deployment. Slots are never freed (a thread may be waiting on mu); a slot
 * is re-keyed in place when a fifth deployment shows up. The key (used, chain_id,
 * deploy_block, ms, ac, gov) is guarded by reg_mu, everything else by mu. */
typedef struct api_cache {
    pthread_mutex_t mu;
    int used;
    int stale; /* re-keyed, not emptied yet (guarded by reg_mu) */
    uint64_t last_use;
    uint64_t chain_id, deploy_block;
    uint8_t ms[20], ac[20], gov[20];
    /* immutable protocol constants (read once) */
    int have_consts;
    uint64_t seed_delay, reveal_window, eval_timeout;
    /* events */
    int scanned;
    uint64_t scanned_to;
    uint8_t scanned_hash[32];
    int dropped; /* older submissions were dropped to keep the cache bounded */
    api_sub_t *subs; /* sorted by id */
    size_t n, cap;
    /* AttestationCenter.RewardsWithdrawn summed per account: earned = withdrawn + withdrawable */
    api_paid_t *paid;
    size_t n_paid, cap_paid;
    /* tasks read from the chain, sorted by id; an event that names a task drops its entry */
    zr_task_t *tasks;
    size_t n_tasks, cap_tasks;
    api_resp_t resp[API_RESP_SLOTS];
    size_t resp_next;
} api_cache_t;

static pthread_mutex_t reg_mu = PTHREAD_MUTEX_INITIALIZER;
static api_cache_t caches[API_CACHES];
static int caches_ready;
static uint64_t use_clock;

/* ---- small helpers ------------------------------------------------------------------------ */

static json_t *j_addr(const uint8_t a[20])
{
    char s[43] = "0x";
    zr_hex_encode(s + 2, a, 20);
    return json_string(s);
}

static json_t *j_hash(const uint8_t h[32])
{
    char s[67] = "0x";
    zr_hex_encode(s + 2, h, 32);
    return json_string(s);
}

static json_t *j_u256(const uint8_t v[32])
{
    char s[79];
    zr_proto_u256_to_dec(s, v);
    return json_string(s);
}

static json_t *j_i256(const uint8_t v[32])
{
    char s[80];
    zr_proto_i256_to_dec(s, v);
    return json_string(s);
}

/* A wad (int256, 18 decimals) as a JSON number for display; the exact value is the string. */
static json_t *j_wad(const uint8_t v[32])
{
    char s[80];
    zr_proto_i256_to_dec(s, v);
    return json_real(strtod(s, NULL) / 1e18);
}

static void reply(zr_http_response_t *resp, int status, json_t *j)
{
    resp->status = status;
    zr_buf_reset(&resp->body);
    char *s = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(j);
    if (!s) {
        resp->status = 500;
        zr_buf_append_str(&resp->body, "{\"error\":\"out of memory\"}");
        return;
    }
    if (zr_buf_append_str(&resp->body, s) != 0) {
        zr_buf_reset(&resp->body);
        resp->status = 500;
        zr_buf_append_str(&resp->body, "{\"error\":\"response too large\"}");
    }
    free(s);
}

static void error_reply(zr_http_response_t *resp, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void error_reply(zr_http_response_t *resp, int status, const char *fmt, ...)
{
    char msg[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    reply(resp, status, json_pack("{s:s}", "error", msg));
}

/* A decimal id of 1..19 digits; 0 when the text is not one. */
static int parse_id(const char *s, uint64_t *out)
{
    size_t len = strlen(s);
    if (len == 0 || len > 19 || strspn(s, "0123456789") != len)
        return 0;
    *out = strtoull(s, NULL, 10);
    return 1;
}

/* ---- the event cache ------------------------------------------------------------------------ */

static void cache_reset_events(api_cache_t *c)
{
    c->scanned = 0;
    c->scanned_to = 0;
    c->dropped = 0;
    c->n = 0;
    c->n_paid = 0;
    c->n_tasks = 0;
    for (size_t i = 0; i < API_RESP_SLOTS; i++) {
        free(c->resp[i].body);
        memset(&c->resp[i], 0, sizeof c->resp[i]);
    }
}

static int cache_matches(const api_cache_t *c, const zr_deployment_t *d)
{
    return c->used && c->chain_id == d->chain_id && c->deploy_block == d->deploy_block &&
           memcmp(c->ms, d->model_submission, 20) == 0 && memcmp(c->ac, d->attestation_center, 20) == 0 &&
           memcmp(c->gov, d->governance, 20) == 0;
}

/* Finds (or claims) the cache of deployment d and returns it locked. */
static api_cache_t *cache_acquire(const zr_deployment_t *d)
{
    for (;;) {
        pthread_mutex_lock(&reg_mu);
        if (!caches_ready) {
            for (int i = 0; i < API_CACHES; i++)
                pthread_mutex_init(&caches[i].mu, NULL);
            caches_ready = 1;
        }
        api_cache_t *c = NULL;
        for (int i = 0; i < API_CACHES && !c; i++)
            if (cache_matches(&caches[i], d))
                c = &caches[i];
        int claim = 0;
        if (!c) {
            /* an unused slot, else the least recently used one */
            c = &caches[0];
            for (int i = 0; i < API_CACHES; i++) {
                if (!caches[i].used) {
                    c = &caches[i];
                    break;
                }
                if (caches[i].last_use < c->last_use)
                    c = &caches[i];
            }
            claim = 1;
        }
        c->last_use = ++use_clock;
        if (claim) {
            /* the key changes under reg_mu so no other thread claims the slot twice; its
             * contents are emptied by the next thread that locks it (stale) */
            c->used = 1;
            c->chain_id = d->chain_id;
            c->deploy_block = d->deploy_block;
            memcpy(c->ms, d->model_submission, 20);
            memcpy(c->ac, d->attestation_center, 20);
            memcpy(c->gov, d->governance, 20);
        }
        if (claim)
            c->stale = 1;
        pthread_mutex_unlock(&reg_mu);
        pthread_mutex_lock(&c->mu);
        /* whoever locks a re-keyed slot first empties it, before anyone reads it */
        pthread_mutex_lock(&reg_mu);
        int still = cache_matches(c, d), stale = c->stale;
        if (still)
            c->stale = 0;
        pthread_mutex_unlock(&reg_mu);
        if (still && stale) {
            cache_reset_events(c);
            c->have_consts = 0;
        }
        if (still)
            return c;
        pthread_mutex_unlock(&c->mu); /* re-keyed while we waited: look again */
    }
}

/* The record of submission id, inserted in id order when missing; NULL when the cache is
 * full of newer submissions or out of memory. */
static api_sub_t *sub_upsert(api_cache_t *c, uint64_t id)
{
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c->subs[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < c->n && c->subs[lo].id == id)
        return &c->subs[lo];
    if (c->n >= API_MAX_SUBS) {
        if (lo == 0)
            return NULL; /* older than everything kept */
        /* drop the oldest quarter */
        size_t drop = API_MAX_SUBS / 4;
        memmove(c->subs, c->subs + drop, (c->n - drop) * sizeof *c->subs);
        c->n -= drop;
        lo = lo > drop ? lo - drop : 0;
        c->dropped = 1;
    }
    if (c->n == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 64;
        api_sub_t *p = realloc(c->subs, ncap * sizeof *p);
        if (!p)
            return NULL;
        c->subs = p;
        c->cap = ncap;
    }
    memmove(c->subs + lo + 1, c->subs + lo, (c->n - lo) * sizeof *c->subs);
    c->n++;
    api_sub_t *s = &c->subs[lo];
    memset(s, 0, sizeof *s);
    s->id = id;
    return s;
}

static const api_sub_t *sub_find(const api_cache_t *c, uint64_t id)
{
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c->subs[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->n && c->subs[lo].id == id ? &c->subs[lo] : NULL;
}

static size_t task_pos(const api_cache_t *c, uint64_t id)
{
    size_t lo = 0, hi = c->n_tasks;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c->tasks[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void task_forget(api_cache_t *c, uint64_t id)
{
    size_t i = task_pos(c, id);
    if (i < c->n_tasks && c->tasks[i].id == id) {
        memmove(c->tasks + i, c->tasks + i + 1, (c->n_tasks - i - 1) * sizeof *c->tasks);
        c->n_tasks--;
    }
}

static void task_keep(api_cache_t *c, const zr_task_t *t)
{
    size_t i = task_pos(c, t->id);
    if (i < c->n_tasks && c->tasks[i].id == t->id) {
        c->tasks[i] = *t;
        return;
    }
    if (c->n_tasks >= API_MAX_TASK_CACHE) {
        if (i == 0)
            return; /* older than everything kept */
        memmove(c->tasks, c->tasks + 1, (c->n_tasks - 1) * sizeof *c->tasks);
        c->n_tasks--;
        i--;
    }
    if (c->n_tasks == c->cap_tasks) {
        size_t ncap = c->cap_tasks ? c->cap_tasks * 2 : 16;
        zr_task_t *p = realloc(c->tasks, ncap * sizeof *p);
        if (!p)
            return;
        c->tasks = p;
        c->cap_tasks = ncap;
    }
    memmove(c->tasks + i + 1, c->tasks + i, (c->n_tasks - i) * sizeof *c->tasks);
    c->tasks[i] = *t;
    c->n_tasks++;
}

static void apply_event(api_cache_t *c, const zr_chain_event_t *e)
{
    /* every write to a task's storage emits an event naming the task (TaskFunded, which
     * zr_chain_events does not decode, is fetched beside it) */
    if (e->task_id)
        task_forget(c, e->task_id);
    if (e->kind != ZR_EV_COMMITTED && e->kind != ZR_EV_REVEALED && e->kind != ZR_EV_SETTLED &&
        e->kind != ZR_EV_EXPIRED && e->kind != ZR_EV_SEED_REARMED)
        return;
    if (e->submission_id == 0)
        return;
    api_sub_t *s = sub_upsert(c, e->submission_id);
    if (!s)
        return;
    s->task_id = e->task_id;
    switch (e->kind) {
    case ZR_EV_COMMITTED:
        memcpy(s->optimizer, e->addr, 20);
        s->commit_block = e->block;
        if (s->state < ZR_CHAIN_SUB_COMMITTED)
            s->state = ZR_CHAIN_SUB_COMMITTED;
        break;
    case ZR_EV_REVEALED:
        memcpy(s->optimizer, e->addr, 20);
        snprintf(s->cid, sizeof s->cid, "%s", e->cid);
        s->reveal_block = e->block;
        s->seed_block = e->seed_block;
        if (s->state < ZR_CHAIN_SUB_REVEALED)
            s->state = ZR_CHAIN_SUB_REVEALED;
        break;
    case ZR_EV_SEED_REARMED:
        s->seed_block = e->seed_block;
        break;
    case ZR_EV_SETTLED:
        s->state = ZR_CHAIN_SUB_SETTLED;
        s->incumbent_id = e->incumbent_id;
        s->status = e->status;
        s->accepted = e->accepted;
        memcpy(s->challenger_score, e->challenger_score, 32);
        memcpy(s->incumbent_score, e->incumbent_score, 32);
        memcpy(s->reward, e->reward, 32);
        memcpy(s->bond_refund, e->bond_refund, 32);
        memcpy(s->bond_kept, e->bond_kept, 32);
        memcpy(s->fee, e->fee, 32);
        s->end_block = e->block;
        memcpy(s->end_tx, e->tx_hash, 32);
        break;
    case ZR_EV_EXPIRED:
        s->state = ZR_CHAIN_SUB_EXPIRED;
        s->end_block = e->block;
        memcpy(s->end_tx, e->tx_hash, 32);
        break;
    default:
        break;
    }
}

static void paid_add(api_cache_t *c, const uint8_t account[20], const uint8_t amount[32])
{
    size_t i = 0;
    while (i < c->n_paid && memcmp(c->paid[i].account, account, 20) != 0)
        i++;
    if (i == c->n_paid) {
        if (c->n_paid >= API_MAX_PAID)
            return;
        if (c->n_paid == c->cap_paid) {
            size_t ncap = c->cap_paid ? c->cap_paid * 2 : 16;
            api_paid_t *p = realloc(c->paid, ncap * sizeof *p);
            if (!p)
                return;
            c->paid = p;
            c->cap_paid = ncap;
        }
        memset(&c->paid[i], 0, sizeof c->paid[i]);
        memcpy(c->paid[i].account, account, 20);
        c->n_paid++;
    }
    zr_rpc_u256_add(c->paid[i].amount, c->paid[i].amount, amount);
}

static void paid_get(const api_cache_t *c, const uint8_t account[20], uint8_t out[32])
{
    memset(out, 0, 32);
    for (size_t i = 0; i < c->n_paid; i++)
        if (memcmp(c->paid[i].account, account, 20) == 0)
            memcpy(out, c->paid[i].amount, 32);
}

/* Everything one request needs besides the cache. */
typedef struct api_ctx {
    zr_node_t *n;
    api_cache_t *c;
    zr_rpc_block_t head;
    char err[256];
} api_ctx_t;

static void note_chain_error(api_ctx_t *x, int rc)
{
    /* caller holds n->mu */
    snprintf(x->err, sizeof x->err, "%s: %s", zr_strerror(rc), zr_chain_errmsg(x->n->rpc_chain));
}

static int get_block(api_ctx_t *x, uint64_t number, zr_rpc_block_t *out)
{
    char tag[24];
    if (number == UINT64_MAX)
        snprintf(tag, sizeof tag, "latest");
    else
        snprintf(tag, sizeof tag, "0x%llx", (unsigned long long)number);
    pthread_mutex_lock(&x->n->mu);
    zr_rpc_t *rpc = zr_chain_rpc(x->n->rpc_chain);
    int rc = zr_rpc_get_block(rpc, out, tag);
    if (rc)
        snprintf(x->err, sizeof x->err, "%s: %s", zr_strerror(rc), zr_rpc_errmsg(rpc));
    pthread_mutex_unlock(&x->n->mu);
    return rc;
}

/* Extends the cache to the head block: forgets everything when the block it stopped at is
 * no longer on the chain (a reorganisation, or a new chain at the same addresses). */
static int refresh_events(api_ctx_t *x)
{
    api_cache_t *c = x->c;
    int rc;
    if (c->scanned && memcmp(c->scanned_hash, x->head.hash, 32) == 0)
        return 0;
    if (c->scanned) {
        int keep = 0;
        if (x->head.number > c->scanned_to) {
            zr_rpc_block_t b;
            if ((rc = get_block(x, c->scanned_to, &b)) != 0 && rc != ZR_ENOENT)
                return rc;
            keep = rc == 0 && memcmp(b.hash, c->scanned_hash, 32) == 0;
        }
        if (!keep) {
            ZR_INFO("api.cache_reset", "scanned_to=%llu head=%llu", (unsigned long long)c->scanned_to,
                    (unsigned long long)x->head.number);
            cache_reset_events(c);
        }
    }
    uint64_t from = c->scanned ? c->scanned_to + 1 : x->n->dep.deploy_block;
    if (from > x->head.number)
        return 0;
    uint64_t to = x->head.number - from >= API_SCAN_BLOCKS ? from + API_SCAN_BLOCKS - 1 : x->head.number;
    uint8_t to_hash[32];
    if (to == x->head.number) {
        memcpy(to_hash, x->head.hash, 32);
    } else {
        zr_rpc_block_t b;
        if ((rc = get_block(x, to, &b)) != 0)
            return rc;
        memcpy(to_hash, b.hash, 32);
    }
    uint64_t range = x->n->cfg.log_range > 0 ? (uint64_t)x->n->cfg.log_range : 2000;
    zr_chain_event_t *ev = NULL;
    size_t cnt = 0;
    /* besides the decoded events: RewardsWithdrawn (operators' earnings) and TaskFunded */
    static const char withdrawn_sig[] = "RewardsWithdrawn(address,uint256)";
    static const char funded_sig[] = "TaskFunded(uint256,address,uint256,uint256)";
    uint8_t topic[2][32], addrs[2][20];
    zr_keccak256(topic[0], withdrawn_sig, sizeof withdrawn_sig - 1);
    zr_keccak256(topic[1], funded_sig, sizeof funded_sig - 1);
    memcpy(addrs[0], x->n->dep.attestation_center, 20);
    memcpy(addrs[1], x->n->dep.model_submission, 20);
    zr_rpc_filter_t f = {.from_block = from, .to_block = to, .addresses = (const uint8_t(*)[20])addrs,
                         .n_addresses = 2, .topics = {(const uint8_t(*)[32])topic}, .n_topics = {2},
                         .max_range = range};
    zr_rpc_logs_t wl;
    zr_rpc_logs_init(&wl);
    pthread_mutex_lock(&x->n->mu);
    rc = zr_chain_events(x->n->rpc_chain, from, to, range, &ev, &cnt);
    if (rc) {
        note_chain_error(x, rc);
    } else {
        zr_rpc_t *rpc = zr_chain_rpc(x->n->rpc_chain);
        if ((rc = zr_rpc_get_logs(rpc, &wl, &f)) != 0)
            snprintf(x->err, sizeof x->err, "%s: %s", zr_strerror(rc), zr_rpc_errmsg(rpc));
    }
    pthread_mutex_unlock(&x->n->mu);
    if (rc) {
        free(ev);
        zr_rpc_logs_cleanup(&wl);
        return rc;
    }
    for (size_t i = 0; i < wl.n; i++) {
        const zr_rpc_log_t *l = &wl.v[i];
        if (l->removed || l->n_topics < 2)
            continue;
        if (memcmp(l->topics[0], topic[0], 32) == 0 && memcmp(l->address, addrs[0], 20) == 0 && l->n_topics == 2 &&
            l->data_len == 32) {
            paid_add(c, l->topics[1] + 12, l->data);
        } else if (memcmp(l->topics[0], topic[1], 32) == 0 && memcmp(l->address, addrs[1], 20) == 0) {
            uint64_t tid;
            if (zr_proto_u256_to_u64(l->topics[1], &tid) == 0)
                task_forget(c, tid);
        }
    }
    zr_rpc_logs_cleanup(&wl);
    for (size_t i = 0; i < cnt; i++)
        apply_event(c, &ev[i]);
    free(ev);
    ZR_DEBUG("api.events_scanned", "from=%llu to=%llu events=%zu cached=%zu", (unsigned long long)from,
             (unsigned long long)to, cnt, c->n);
    c->scanned = 1;
    c->scanned_to = to;
    memcpy(c->scanned_hash, to_hash, 32);
    return 0;
}

/* ---- the response cache: one answer per (path, head block) ------------------------------- */

static int resp_lookup(api_cache_t *c, const char *path, const uint8_t head_hash[32], zr_http_response_t *resp)
{
    for (size_t i = 0; i < API_RESP_SLOTS; i++) {
        api_resp_t *r = &c->resp[i];
        if (r->body && strcmp(r->path, path) == 0 && memcmp(r->head_hash, head_hash, 32) == 0) {
            zr_buf_reset(&resp->body);
            if (zr_buf_append(&resp->body, r->body, r->len) != 0)
                return 0;
            resp->status = 200;
            return 1;
        }
    }
    return 0;
}

static void resp_store(api_cache_t *c, const char *path, const uint8_t head_hash[32], const zr_http_response_t *resp)
{
    if (resp->status != 200 || resp->body.len > API_RESP_MAX || strlen(path) >= sizeof c->resp[0].path)
        return;
    char *copy = malloc(resp->body.len ? resp->body.len : 1);
    if (!copy)
        return;
    memcpy(copy, resp->body.data, resp->body.len);
    api_resp_t *r = &c->resp[c->resp_next];
    c->resp_next = (c->resp_next + 1) % API_RESP_SLOTS;
    free(r->body);
    snprintf(r->path, sizeof r->path, "%s", path);
    memcpy(r->head_hash, head_hash, 32);
    r->body = copy;
    r->len = resp->body.len;
}

/* ---- endpoints ------------------------------------------------------------------------------ */

static const char *const status_names[] = {"OK", "INVALID_MODEL", "EVAL_ERROR"};
static const char *const state_names[] = {"none", "committed", "revealed", "settled", "expired"};

static const char *state_name(int s)
{
    return s >= 0 && s <= ZR_CHAIN_SUB_EXPIRED ? state_names[s] : "unknown";
}

static void i256_sub(uint8_t out[32], const uint8_t a[32], const uint8_t b[32]);

/* The event-derived fields of a submission. */
static json_t *sub_json(const api_sub_t *s)
{
    json_t *j = json_pack("{s:I, s:I, s:o, s:s, s:s?, s:I, s:I, s:I}", "id", (json_int_t)s->id, "taskId",
                          (json_int_t)s->task_id, "optimizer", j_addr(s->optimizer), "state", state_name(s->state),
                          "paramsCid", s->cid[0] ? s->cid : NULL, "commitBlock", (json_int_t)s->commit_block,
                          "revealBlock", (json_int_t)s->reveal_block, "seedBlock", (json_int_t)s->seed_block);
    if (!j)
        return NULL;
    if (s->state == ZR_CHAIN_SUB_SETTLED) {
        uint8_t gain[32];
        i256_sub(gain, s->challenger_score, s->incumbent_score);
        json_object_set_new(j, "settlement",
                            json_pack("{s:I, s:s, s:b, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:o}",
                                      "incumbentId", (json_int_t)s->incumbent_id, "status",
                                      s->status < 3 ? status_names[s->status] : "UNKNOWN", "accepted", s->accepted,
                                      "statusCode", (json_int_t)s->status, "challengerScore",
                                      j_i256(s->challenger_score), "incumbentScore", j_i256(s->incumbent_score),
                                      "challengerScoreValue", j_wad(s->challenger_score), "incumbentScoreValue",
                                      j_wad(s->incumbent_score), "reward", j_u256(s->reward), "bondRefund",
                                      j_u256(s->bond_refund), "bondKept", j_u256(s->bond_kept), "fee",
                                      j_u256(s->fee), "block", (json_int_t)s->end_block, "tx", j_hash(s->end_tx)));
        json_t *st = json_object_get(j, "settlement");
        if (st) {
            json_object_set_new(st, "gain", j_i256(gain));
            json_object_set_new(st, "gainValue", j_wad(gain));
        }
    } else if (s->state == ZR_CHAIN_SUB_EXPIRED) {
        json_object_set_new(j, "expiredBlock", json_integer((json_int_t)s->end_block));
    }
    return j;
}

static json_t *task_json(const zr_task_t *t)
{
    return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:i, s:o, s:o, s:o, s:I, s:I, s:I, s:I, s:b, s:{s:s, s:s, "
                     "s:s}}",
                     "id", (json_int_t)t->id, "owner", j_addr(t->owner), "token", j_addr(t->token), "rewardPool",
                     j_u256(t->reward_pool), "rewardPerImprovement", j_u256(t->reward_per_improvement),
                     "evaluationFee", j_u256(t->evaluation_fee), "bond", j_u256(t->bond), "slashBps",
                     (int)t->slash_bps, "minImprovement", j_i256(t->min_improvement), "bestScore",
                     j_i256(t->best_score), "bestScoreValue", j_wad(t->best_score), "bestId", (json_int_t)t->best_id,
                     "queueHead", (json_int_t)t->head, "open", (json_int_t)t->open, "deadline",
                     (json_int_t)t->deadline, "closed", t->closed, "files", "arch", t->arch_cid, "init", t->init_cid,
                     "eval", t->eval_cid);
}

/* Counts of the cached submissions of one task. */
static void task_counts(const api_cache_t *c, uint64_t task_id, json_t *j)
{
    json_int_t total = 0, settled = 0, accepted = 0, pending = 0;
    for (size_t i = 0; i < c->n; i++) {
        const api_sub_t *s = &c->subs[i];
        if (s->task_id != task_id)
            continue;
        total++;
        settled += s->state == ZR_CHAIN_SUB_SETTLED;
        accepted += s->state == ZR_CHAIN_SUB_SETTLED && s->accepted;
        pending += s->state == ZR_CHAIN_SUB_COMMITTED || s->state == ZR_CHAIN_SUB_REVEALED;
    }
    json_object_set_new(j, "submissions",
                        json_pack("{s:I, s:I, s:I, s:I}", "total", total, "settled", settled, "accepted", accepted,
                                  "pending", pending));
}

/* A task from the cache, else from the chain (and then kept: it is read at or after the
 * block the events were scanned to, and any later change names it in an event). */
static int read_task(api_ctx_t *x, uint64_t id, zr_task_t *t)
{
    size_t i = task_pos(x->c, id);
    if (i < x->c->n_tasks && x->c->tasks[i].id == id) {
        *t = x->c->tasks[i];
        return 0;
    }
    pthread_mutex_lock(&x->n->mu);
    int rc = zr_chain_get_task(x->n->rpc_chain, id, t);
    if (rc)
        note_chain_error(x, rc);
    pthread_mutex_unlock(&x->n->mu);
    if (rc == 0)
        task_keep(x->c, t);
    return rc;
}

static int read_u64(api_ctx_t *x, const uint8_t target[20], const char *getter, uint64_t *out)
{
    uint8_t w[32];
    pthread_mutex_lock(&x->n->mu);
    int rc = zr_chain_read_u256(x->n->rpc_chain, target, getter, w);
    if (rc)
        note_chain_error(x, rc);
    pthread_mutex_unlock(&x->n->mu);
    if (rc == 0 && zr_proto_u256_to_u64(w, out) != 0)
        *out = UINT64_MAX;
    return rc;
}

static int counts(api_ctx_t *x, uint64_t *tasks, uint64_t *subs)
{
    pthread_mutex_lock(&x->n->mu);
    int rc = zr_chain_task_count(x->n->rpc_chain, tasks);
    if (rc == 0)
        rc = zr_chain_submission_count(x->n->rpc_chain, subs);
    if (rc)
        note_chain_error(x, rc);
    pthread_mutex_unlock(&x->n->mu);
    return rc;
}

static int active_operators(api_ctx_t *x, zr_operator_t **ops, size_t *cnt)
{
    pthread_mutex_lock(&x->n->mu);
    int rc = zr_chain_active_operators(x->n->rpc_chain, ops, cnt);
    if (rc)
        note_chain_error(x, rc);
    pthread_mutex_unlock(&x->n->mu);
    return rc;
}

static int api_summary(api_ctx_t *x, json_t **out)
{
    const zr_deployment_t *d = &x->n->dep;
    api_cache_t *c = x->c;
    int rc;
    if (!c->have_consts) {
        if ((rc = read_u64(x, d->model_submission, "SEED_DELAY()", &c->seed_delay)) != 0 ||
            (rc = read_u64(x, d->model_submission, "REVEAL_WINDOW()", &c->reveal_window)) != 0 ||
            (rc = read_u64(x, d->model_submission, "EVAL_TIMEOUT()", &c->eval_timeout)) != 0)
            return rc;
        c->have_consts = 1;
    }
    uint64_t ntasks, nsubs;
    if ((rc = counts(x, &ntasks, &nsubs)) != 0)
        return rc;
    zr_operator_t *ops = NULL;
    size_t nops = 0;
    if ((rc = active_operators(x, &ops, &nops)) != 0)
        return rc;
    uint8_t stake[32] = {0};
    for (size_t i = 0; i < nops; i++)
        zr_rpc_u256_add(stake, stake, ops[i].stake);
    free(ops);
    json_int_t settled = 0, accepted = 0;
    uint8_t paid[32] = {0};
    for (size_t i = 0; i < c->n; i++) {
        if (c->subs[i].state != ZR_CHAIN_SUB_SETTLED)
            continue;
        settled++;
        accepted += c->subs[i].accepted;
        zr_rpc_u256_add(paid, paid, c->subs[i].reward);
    }
    json_t *node = json_pack("{s:s, s:o, s:b}", "name", x->n->cfg.node_name, "operator", j_addr(x->n->addr),
                             "aggregator", x->n->cfg.aggregator);
    *out = json_pack("{s:I, s:I, s:o, s:I, s:{s:o, s:o, s:o, s:o}, s:{s:I, s:I, s:I}, s:o, s:{s:I, s:I, s:I, s:I, "
                     "s:I}, s:o, s:o, s:b}",
                     "chainId", (json_int_t)d->chain_id, "head", (json_int_t)x->head.number, "headHash",
                     j_hash(x->head.hash), "deployBlock", (json_int_t)d->deploy_block, "contracts", "modelSubmission",
                     j_addr(d->model_submission), "attestationCenter", j_addr(d->attestation_center), "avsLogic",
                     j_addr(d->avs_logic), "governance", j_addr(d->governance), "parameters", "seedDelay",
                     (json_int_t)c->seed_delay, "revealWindow", (json_int_t)c->reveal_window, "evalTimeout",
                     (json_int_t)c->eval_timeout, "node", node, "counts", "tasks", (json_int_t)ntasks, "submissions",
                     (json_int_t)nsubs, "settled", settled, "accepted", accepted, "operators", (json_int_t)nops,
                     "totalStake", j_u256(stake), "rewardsPaid", j_u256(paid), "partialHistory", c->dropped);
    return *out ? 0 : ZR_ENOMEM;
}

static int api_tasks(api_ctx_t *x, json_t **out)
{
    uint64_t ntasks, nsubs;
    int rc = counts(x, &ntasks, &nsubs);
    if (rc)
        return rc;
    json_t *arr = json_array();
    uint64_t last = ntasks > API_MAX_TASKS ? ntasks - API_MAX_TASKS : 0;
    for (uint64_t id = ntasks; id > last && rc == 0; id--) {
        zr_task_t t;
        if ((rc = read_task(x, id, &t)) != 0)
            break;
        json_t *j = task_json(&t);
        if (!j) {
            rc = ZR_ENOMEM;
            break;
        }
        task_counts(x->c, id, j);
        json_array_append_new(arr, j);
    }
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = json_pack("{s:I, s:b, s:o}", "count", (json_int_t)ntasks, "truncated", ntasks > API_MAX_TASKS, "tasks",
                     arr);
    return *out ? 0 : ZR_ENOMEM;
}

/* a - b in int256 two's complement (wraps like the EVM; scores are far below 2^255). */
static void i256_sub(uint8_t out[32], const uint8_t a[32], const uint8_t b[32])
{
    int borrow = 0;
    for (int i = 31; i >= 0; i--) {
        int d = (int)a[i] - (int)b[i] - borrow;
        borrow = d < 0;
        out[i] = (uint8_t)(d + (borrow ? 256 : 0));
    }
}

/* Signed order of two int256 values. */
static int i256_cmp(const uint8_t a[32], const uint8_t b[32])
{
    uint8_t x[32], y[32];
    memcpy(x, a, 32);
    memcpy(y, b, 32);
    x[0] ^= 0x80; /* flip the sign bit: the unsigned order is then the signed one */
    y[0] ^= 0x80;
    return memcmp(x, y, 32);
}

/* Leaderboard order. Scores of different submissions were measured on different seeds, so
 * they are not compared with each other; what ranks is the paired result. Accepted
 * submissions first, newest first (each one beat the best before it, so the newest is the
 * task's best); then valid results that did not improve enough, by improvement; then
 * invalid models and evaluation errors, oldest first. */
static int board_class(const api_sub_t *s)
{
    return s->status != 0 ? 2 : s->accepted ? 0 : 1;
}

static int board_cmp(const void *a, const void *b)
{
    const api_sub_t *x = *(const api_sub_t *const *)a, *y = *(const api_sub_t *const *)b;
    int cx = board_class(x), cy = board_class(y);
    if (cx != cy)
        return cx - cy;
    if (cx == 0)
        return x->id > y->id ? -1 : x->id < y->id;
    if (cx == 1) {
        uint8_t gx[32], gy[32];
        i256_sub(gx, x->challenger_score, x->incumbent_score);
        i256_sub(gy, y->challenger_score, y->incumbent_score);
        int c = i256_cmp(gy, gx);
        if (c)
            return c;
    }
    return x->id < y->id ? -1 : x->id > y->id;
}

static int api_task(api_ctx_t *x, uint64_t id, json_t **out)
{
    zr_task_t t;
    int rc = read_task(x, id, &t);
    if (rc)
        return rc;
    json_t *j = task_json(&t);
    if (!j)
        return ZR_ENOMEM;
    task_counts(x->c, id, j);
    const api_sub_t **rows = calloc(x->c->n ? x->c->n : 1, sizeof *rows);
    if (!rows) {
        json_decref(j);
        return ZR_ENOMEM;
    }
    size_t nrows = 0;
    json_t *pending = json_array();
    for (size_t i = 0; i < x->c->n; i++) {
        const api_sub_t *s = &x->c->subs[i];
        if (s->task_id != id)
            continue;
        if (s->state == ZR_CHAIN_SUB_SETTLED)
            rows[nrows++] = s;
        else if ((s->state == ZR_CHAIN_SUB_COMMITTED || s->state == ZR_CHAIN_SUB_REVEALED) &&
                 json_array_size(pending) < API_MAX_ROWS)
            json_array_append_new(pending, sub_json(s));
    }
    qsort(rows, nrows, sizeof *rows, board_cmp);
    json_t *board = json_array();
    for (size_t i = 0; i < nrows && i < API_MAX_ROWS; i++) {
        json_t *r = sub_json(rows[i]);
        if (r) {
            json_object_set_new(r, "rank", json_integer((json_int_t)i + 1));
            json_object_set_new(r, "best", json_boolean(rows[i]->id == t.best_id));
        }
        json_array_append_new(board, r);
    }
    free(rows);
    json_object_set_new(j, "leaderboard", board);
    json_object_set_new(j, "pending", pending);
    json_object_set_new(j, "partialHistory", json_boolean(x->c->dropped));
    *out = j;
    return 0;
}

static int api_submission(api_ctx_t *x, uint64_t id, json_t **out)
{
    zr_submission_t s;
    pthread_mutex_lock(&x->n->mu);
    int rc = zr_chain_get_submission(x->n->rpc_chain, id, &s);
    if (rc)
        note_chain_error(x, rc);
    pthread_mutex_unlock(&x->n->mu);
    if (rc)
        return rc;
    if (s.state == ZR_CHAIN_SUB_NONE) {
        snprintf(x->err, sizeof x->err, "submission %llu does not exist", (unsigned long long)id);
        return ZR_ENOENT;
    }
    static const uint8_t zero[32];
    const api_sub_t *c = sub_find(x->c, id);
    json_t *j = c ? sub_json(c) : json_pack("{s:I, s:I, s:o}", "id", (json_int_t)id, "taskId",
                                            (json_int_t)s.task_id, "optimizer", j_addr(s.optimizer));
    if (!j)
        return ZR_ENOMEM;
    /* the contract's word on the state wins over the cache's */
    json_object_set_new(j, "state", json_string(state_name(s.state)));
    json_object_set_new(j, "commitBlock", json_integer((json_int_t)s.commit_block));
    json_object_set_new(j, "seedBlock", json_integer((json_int_t)s.seed_block));
    json_object_set_new(j, "commitment", j_hash(s.commitment));
    json_object_set_new(j, "seed", memcmp(s.seed, zero, 32) ? j_hash(s.seed) : json_null());
    *out = j;
    return 0;
}

static int api_operators(api_ctx_t *x, json_t **out)
{
    zr_operator_t *ops = NULL;
    size_t nops = 0;
    int rc = active_operators(x, &ops, &nops);
    if (rc)
        return rc;
    json_t *arr = json_array();
    uint8_t total[32] = {0};
    for (size_t i = 0; i < nops; i++)
        zr_rpc_u256_add(total, total, ops[i].stake);
    for (size_t i = 0; i < nops && i < API_MAX_OPERATORS; i++) {
        uint8_t w[32];
        pthread_mutex_lock(&x->n->mu);
        rc = zr_chain_rewards(x->n->rpc_chain, ops[i].addr, w);
        if (rc)
            note_chain_error(x, rc);
        pthread_mutex_unlock(&x->n->mu);
        if (rc)
            break;
        uint8_t out[32], earned[32];
        paid_get(x->c, ops[i].addr, out);
        if (zr_rpc_u256_add(earned, out, w) != 0)
            memset(earned, 0xff, 32);
        json_array_append_new(arr, json_pack("{s:o, s:o, s:o, s:s, s:b, s:I, s:o, s:o, s:o, s:b}", "address",
                                             j_addr(ops[i].addr), "operatorId", j_hash(ops[i].id), "stake",
                                             j_u256(ops[i].stake), "endpoint", ops[i].endpoint, "aggregator",
                                             ops[i].aggregator, "index", (json_int_t)ops[i].index,
                                             "rewardsWithdrawable", j_u256(w), "rewardsWithdrawn", j_u256(out),
                                             "rewardsEarned", j_u256(earned), "self",
                                             memcmp(ops[i].addr, x->n->addr, 20) == 0));
    }
    free(ops);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = json_pack("{s:I, s:o, s:o}", "count", (json_int_t)nops, "totalStake", j_u256(total), "operators", arr);
    return *out ? 0 : ZR_ENOMEM;
}

/* Earnings of every optimizer over the cached history, highest rewards first. */
typedef struct api_opt {
    uint8_t addr[20];
    json_int_t subs, settled, accepted;
    uint8_t rewards[32], kept[32], fees[32];
} api_opt_t;

static int opt_cmp(const void *a, const void *b)
{
    const api_opt_t *x = a, *y = b;
    int c = zr_rpc_u256_cmp(y->rewards, x->rewards);
    if (c)
        return c;
    if (x->accepted != y->accepted)
        return y->accepted > x->accepted ? 1 : -1;
    return memcmp(x->addr, y->addr, 20);
}

static int api_optimizers(api_ctx_t *x, json_t **out)
{
    api_cache_t *c = x->c;
    api_opt_t *o = calloc(c->n ? c->n : 1, sizeof *o);
    if (!o)
        return ZR_ENOMEM;
    size_t no = 0;
    for (size_t i = 0; i < c->n; i++) {
        const api_sub_t *s = &c->subs[i];
        size_t k = 0;
        while (k < no && memcmp(o[k].addr, s->optimizer, 20) != 0)
            k++;
        if (k == no)
            memcpy(o[no++].addr, s->optimizer, 20);
        o[k].subs++;
        if (s->state == ZR_CHAIN_SUB_SETTLED) {
            o[k].settled++;
            o[k].accepted += s->accepted;
            zr_rpc_u256_add(o[k].rewards, o[k].rewards, s->reward);
            zr_rpc_u256_add(o[k].kept, o[k].kept, s->bond_kept);
            zr_rpc_u256_add(o[k].fees, o[k].fees, s->fee);
        }
    }
    qsort(o, no, sizeof *o, opt_cmp);
    json_t *arr = json_array();
    for (size_t k = 0; k < no && k < API_MAX_ROWS; k++)
        json_array_append_new(arr, json_pack("{s:o, s:I, s:I, s:I, s:o, s:o, s:o}", "address", j_addr(o[k].addr),
                                             "submissions", o[k].subs, "settled", o[k].settled, "accepted",
                                             o[k].accepted, "rewards", j_u256(o[k].rewards), "bondKept",
                                             j_u256(o[k].kept), "feesPaid", j_u256(o[k].fees)));
    free(o);
    *out = json_pack("{s:I, s:b, s:o}", "count", (json_int_t)no, "partialHistory", c->dropped, "optimizers", arr);
    return *out ? 0 : ZR_ENOMEM;
}

static json_t *api_index(void)
{
    return json_pack("{s:[s,s,s,s,s,s]}", "endpoints", "/api/summary", "/api/tasks", "/api/tasks/{id}",
                     "/api/operators", "/api/optimizers", "/api/submissions/{id}");
}

/* ---- dispatch ---------------------------------------------------------------------------------- */

enum { R_SUMMARY, R_TASKS, R_TASK, R_OPERATORS, R_OPTIMIZERS, R_SUBMISSION };

void zr__node_api_handle(void *ud, const zr_http_request_t *req, zr_http_response_t *resp)
{
    zr_node_t *n = ud;
    const char *path = req->path;
    if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0) {
        error_reply(resp, 405, "the API is read-only: use GET");
        return;
    }
    if (strncmp(path, "/api/", 5) != 0) {
        error_reply(resp, 404, "not found");
        return;
    }
    const char *rest = path + 5;
    int route;
    uint64_t id = 0;
    if (rest[0] == 0) {
        reply(resp, 200, api_index());
        return;
    } else if (strcmp(rest, "summary") == 0) {
        route = R_SUMMARY;
    } else if (strcmp(rest, "tasks") == 0) {
        route = R_TASKS;
    } else if (strcmp(rest, "operators") == 0) {
        route = R_OPERATORS;
    } else if (strcmp(rest, "optimizers") == 0) {
        route = R_OPTIMIZERS;
    } else if (strncmp(rest, "tasks/", 6) == 0 || strncmp(rest, "submissions/", 12) == 0) {
        int task = rest[0] == 't';
        route = task ? R_TASK : R_SUBMISSION;
        const char *ids = rest + (task ? 6 : 12);
        if (!parse_id(ids, &id)) {
            error_reply(resp, 400, "%s id must be a decimal number", task ? "task" : "submission");
            return;
        }
        if (id == 0) {
            error_reply(resp, 404, "%s 0 does not exist (ids start at 1)", task ? "task" : "submission");
            return;
        }
    } else {
        error_reply(resp, 404, "no such endpoint (see /api/)");
        return;
    }
    if (!n || !n->rpc_chain) {
        error_reply(resp, 503, "the node has no chain connection");
        return;
    }

    api_ctx_t x = {.n = n};
    x.c = cache_acquire(&n->dep);
    int rc = get_block(&x, UINT64_MAX, &x.head);
    if (rc) {
        error_reply(resp, 503, "chain unavailable: %s", x.err);
        goto done;
    }
    if (resp_lookup(x.c, path, x.head.hash, resp))
        goto done;
    if ((rc = refresh_events(&x)) != 0) {
        error_reply(resp, 503, "chain unavailable: %s", x.err);
        goto done;
    }
    json_t *j = NULL;
    switch (route) {
    case R_SUMMARY:
        rc = api_summary(&x, &j);
        break;
    case R_TASKS:
        rc = api_tasks(&x, &j);
        break;
    case R_TASK:
        rc = api_task(&x, id, &j);
        break;
    case R_OPERATORS:
        rc = api_operators(&x, &j);
        break;
    case R_OPTIMIZERS:
        rc = api_optimizers(&x, &j);
        break;
    default:
        rc = api_submission(&x, id, &j);
        break;
    }
    if (rc == ZR_ENOENT) {
        error_reply(resp, 404, "%s %llu does not exist", route == R_TASK ? "task" : "submission",
                    (unsigned long long)id);
    } else if (rc == ZR_ENOMEM) {
        error_reply(resp, 500, "out of memory");
    } else if (rc) {
        error_reply(resp, 502, "chain read failed: %s", x.err);
    } else {
        reply(resp, 200, j);
        resp_store(x.c, path, x.head.hash, resp);
    }
done:
    pthread_mutex_unlock(&x.c->mu);
}
