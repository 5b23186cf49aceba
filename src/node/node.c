// SPDX-License-Identifier: MIT
// The operator daemon: start-up (deployment, keystores, state, store, chain, HTTP), the
// main loop that runs the roles in turn, and the watcher that follows the contracts'
// events after N confirmations with a persistent cursor.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "node_int.h"
#include "zara/keystore.h"

int64_t zr__now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int read_password(const char *file, char *out, size_t cap, char *err, size_t err_cap)
{
    zr_buf_t b;
    zr_buf_init(&b, 4096);
    int rc = zr_file_read(file, b.max, &b);
    if (rc) {
        snprintf(err, err_cap, "cannot read password file %s: %s", file, zr_strerror(rc));
        zr_buf_cleanup_secret(&b);
        return rc;
    }
    size_t n = strcspn(zr_buf_cstr(&b), "\r\n");
    if (n >= cap) {
        zr_buf_cleanup_secret(&b);
        snprintf(err, err_cap, "password in %s is too long", file);
        return ZR_ETOOBIG;
    }
    memcpy(out, b.data, n);
    out[n] = 0;
    zr_buf_cleanup_secret(&b);
    return 0;
}

/* The keystore file itself, or the only Ethereum keystore in a folder (what `zara operator
 * keygen` writes: one V3 keystore next to bls.json). */
static int resolve_keystore(const char *p, char *out, size_t cap, char *err, size_t err_cap)
{
    struct stat st;
    if (stat(p, &st) != 0) {
        snprintf(err, err_cap, "keystore %s does not exist", p);
        return ZR_ENOENT;
    }
    if (!S_ISDIR(st.st_mode)) {
        snprintf(out, cap, "%s", p);
        return 0;
    }
    zr_keystore_entry_t *e = NULL;
    size_t n = 0;
    int rc = zr_keystore_list(&e, &n, p);
    if (rc == 0 && n == 1)
        snprintf(out, cap, "%s", e[0].path);
    else
        snprintf(err, err_cap, "keystore folder %s holds %zu Ethereum keystores: name one file", p, n);
    zr_keystore_list_free(e, n);
    return rc ? rc : n == 1 ? 0 : ZR_EINVAL;
}

static int parse_listen(const char *listen, char *host, size_t cap, int *port)
{
    const char *colon = strrchr(listen, ':');
    if (!colon || (size_t)(colon - listen) >= cap)
        return ZR_EINVAL;
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = 0;
    char *end;
    long p = strtol(colon + 1, &end, 10);
    if (*end || p < 0 || p > 65535)
        return ZR_EINVAL;
    *port = (int)p;
    return 0;
}

int zr_node_new(zr_node_t **out, const zr_node_config_t *cfg, char *err, size_t err_cap)
{
    *out = NULL;
    zr_node_t *n = calloc(1, sizeof *n);
    if (!n)
        return ZR_ENOMEM;
    pthread_mutex_init(&n->mu, NULL);
    n->cfg = *cfg;
    int rc;
    char password[1024] = "";
    if (!cfg->deployment[0] || !cfg->keystore[0] || !cfg->bls_keystore[0] || !cfg->password_file[0]) {
        snprintf(err, err_cap, "deployment, keystore, bls_keystore and password_file must be configured");
        rc = ZR_EINVAL;
        goto fail;
    }
    if ((rc = zr_deployment_load(&n->dep, cfg->deployment, err, err_cap)) != 0)
        goto fail;
    if ((rc = read_password(cfg->password_file, password, sizeof password, err, err_cap)) != 0)
        goto fail;
    char kerr[256], kpath[1024];
    if ((rc = resolve_keystore(cfg->keystore, kpath, sizeof kpath, err, err_cap)) != 0)
        goto fail;
    if ((rc = zr_keystore_load(n->ecdsa_sk, n->addr, kpath, password, kerr, sizeof kerr)) != 0) {
        snprintf(err, err_cap, "keystore %s: %s", kpath, kerr);
        goto fail;
    }
    if ((rc = zr_bls_keystore_load(&n->bls_sk, cfg->bls_keystore, password, kerr, sizeof kerr)) != 0) {
        snprintf(err, err_cap, "BLS keystore %s: %s", cfg->bls_keystore, kerr);
        goto fail;
    }
    zr_wipe(password, sizeof password);
    zr_bls_pubkey_from_secret(&n->bls_pk, &n->bls_sk);
    zr_bls_operator_id(n->op_id, &n->bls_pk.g1);

    char dberr[300];
    n->db = zr_nodedb_open(cfg->db, &rc, dberr, sizeof dberr);
    if (!n->db) {
        snprintf(err, err_cap, "state database: %s", dberr);
        goto fail;
    }
    zr_store_config_t sc = {.dir = cfg->store_dir[0] ? cfg->store_dir : "zara-store",
                            .ipfs_api = cfg->ipfs_api[0] ? cfg->ipfs_api : NULL,
                            .gateway = cfg->ipfs_gateway[0] ? cfg->ipfs_gateway : NULL};
    if ((rc = zr_store_open(&n->store, &sc, err, err_cap)) != 0)
        goto fail;
    if ((rc = zr_chain_open(&n->chain, cfg->rpc, &n->dep, n->ecdsa_sk, err, err_cap)) != 0 ||
        (rc = zr_chain_open(&n->rpc_chain, cfg->rpc, &n->dep, NULL, err, err_cap)) != 0)
        goto fail;
    uint8_t w[32];
    if (zr_chain_read_u256(n->chain, n->dep.attestation_center, "PERFORMER_TIMEOUT()", w) != 0 ||
        zr_proto_u256_to_u64(w, &n->performer_timeout) != 0) {
        snprintf(err, err_cap, "cannot read PERFORMER_TIMEOUT: %s", zr_chain_errmsg(n->chain));
        rc = ZR_ESTATE;
        goto fail;
    }

    if ((rc = zr__eval_pool_start(n)) != 0) {
        snprintf(err, err_cap, "cannot start the evaluator's threads");
        goto fail;
    }
    n->metrics = zr_metrics_new();
    if (!n->metrics || zr__node_metrics_declare(n->metrics) != 0) {
        rc = ZR_ENOMEM;
        goto fail;
    }
    n->http.metrics = n->metrics;
    n->http.node_name = n->cfg.node_name;
    n->http.web_dir = n->cfg.web_dir[0] ? n->cfg.web_dir : NULL;
    n->http.aggregator_enabled = cfg->aggregator;
    n->http.methods = zr__node_rpc_methods;
    n->http.n_methods = zr__node_rpc_methods_count;
    n->http.methods_ud = n;
    n->http.api = zr__node_api_handle; /* the dashboard's read-only REST API */
    n->http.api_ud = n;
    char host[64];
    int port;
    if (parse_listen(cfg->listen, host, sizeof host, &port) != 0) {
        snprintf(err, err_cap, "listen: expected host:port, got '%s'", cfg->listen);
        rc = ZR_EINVAL;
        goto fail;
    }
    zr_httpd_opts_t ho = {.host = host, .port = port, .max_body = (size_t)cfg->max_body,
                          .rate_per_sec = cfg->rate_limit, .rate_burst = cfg->rate_limit * 2 + 1};
    n->http.server = zr_httpd_start(&ho, zr__node_http_handle, &n->http, &rc);
    if (!n->http.server) {
        snprintf(err, err_cap, "cannot listen on %s: %s", cfg->listen, zr_strerror(rc));
        goto fail;
    }
    *out = n;
    return 0;
fail:
    zr_wipe(password, sizeof password);
    zr_node_free(n);
    return rc;
}

void zr_node_free(zr_node_t *n)
{
    if (!n)
        return;
    zr_httpd_stop(n->http.server);
    zr__eval_pool_free(n); /* before anything a job could still be using */
    zr__node_aggregate_free(n); /* its wallet borrows the chain's RPC handle */
    zr_chain_free(n->chain);
    zr_chain_free(n->rpc_chain);
    zr_store_free(n->store);
    zr_nodedb_close(n->db);
    zr_metrics_free(n->metrics);
    free(n->ops.ops);
    zr_bls_secret_wipe(&n->bls_sk);
    zr_wipe(n->ecdsa_sk, sizeof n->ecdsa_sk);
    pthread_mutex_destroy(&n->mu);
    free(n);
}

void zr_node_stop(zr_node_t *n)
{
    n->stop = 1;
    n->eval_cancel = 1; /* async-signal-safe: the workers are joined by zr_node_free */
}

int zr_node_http_port(const zr_node_t *n)
{
    return zr_httpd_port(n->http.server);
}

const uint8_t *zr_node_operator(const zr_node_t *n)
{
    return n->addr;
}

/* ---- operators ----------------------------------------------------------------------------- */

int zr__node_refresh_operators(zr_node_t *n)
{
    zr_operator_t *ops = NULL;
    size_t cnt = 0;
    int rc = zr_chain_active_operators(n->chain, &ops, &cnt);
    if (rc) {
        ZR_WARN("node.operators_refresh_failed", "err=%s", zr_err_name(rc));
        return rc;
    }
    uint8_t total[32] = {0};
    double own = 0;
    for (size_t i = 0; i < cnt; i++) {
        zr_rpc_u256_add(total, total, ops[i].stake);
        if (memcmp(ops[i].addr, n->addr, 20) == 0) {
            char dec[80];
            zr_proto_u256_to_dec(dec, ops[i].stake);
            own = strtod(dec, NULL);
        }
    }
    pthread_mutex_lock(&n->mu);
    free(n->ops.ops);
    n->ops.ops = ops;
    n->ops.n = cnt;
    memcpy(n->ops.total_stake, total, 32);
    n->ops.refreshed_block = n->head;
    n->ops.dirty = 0;
    pthread_mutex_unlock(&n->mu);
    zr_metrics_set(n->metrics, "eigen_registered_stakes", own, "quorum_number", "0", "quorum_name", "zarathustra",
                   NULL);
    return 0;
}

int zr__node_find_operator(zr_node_t *n, const uint8_t addr[20], zr_operator_t *out)
{
    int rc = ZR_ENOENT;
    pthread_mutex_lock(&n->mu);
    for (size_t i = 0; i < n->ops.n; i++) {
        if (memcmp(n->ops.ops[i].addr, addr, 20) == 0) {
            *out = n->ops.ops[i];
            rc = 0;
            break;
        }
    }
    pthread_mutex_unlock(&n->mu);
    return rc;
}

/* ---- watcher ------------------------------------------------------------------------------- */

static void addr_hex(char out[43], const uint8_t a[20])
{
    out[0] = '0';
    out[1] = 'x';
    zr_hex_encode(out + 2, a, 20);
}

/* Applies one decoded event to the state database. */
static int apply_event(zr_node_t *n, const zr_chain_event_t *e)
{
    zr_sub_row_t s;
    switch (e->kind) {
    case ZR_EV_REVEALED:
        memset(&s, 0, sizeof s);
        s.submission_id = e->submission_id;
        s.task_id = e->task_id;
        s.reveal_block = e->block;
        s.seed_block = e->seed_block;
        addr_hex(s.submitter, e->addr);
        snprintf(s.params_cid, sizeof s.params_cid, "%s", e->cid);
        s.state = ZR_SUB_REVEALED;
        ZR_INFO("watcher.revealed", "task=%llu submission=%llu seed_block=%llu cid=%s",
                (unsigned long long)e->task_id, (unsigned long long)e->submission_id,
                (unsigned long long)e->seed_block, e->cid);
        return zr_nodedb_sub_put(n->db, &s);
    case ZR_EV_SETTLED:
        ZR_INFO("watcher.settled", "task=%llu submission=%llu status=%u accepted=%d", (unsigned long long)e->task_id,
                (unsigned long long)e->submission_id, e->status, e->accepted);
        if (zr_nodedb_sub_get(n->db, e->submission_id, &s) == 0)
            return zr_nodedb_sub_set_state(n->db, e->submission_id, ZR_SUB_SETTLED, s.evaluated_incumbent);
        return 0;
    case ZR_EV_EXPIRED:
        if (zr_nodedb_sub_get(n->db, e->submission_id, &s) == 0)
            return zr_nodedb_sub_set_state(n->db, e->submission_id, ZR_SUB_EXPIRED, s.evaluated_incumbent);
        return 0;
    case ZR_EV_OPERATOR_REGISTERED:
    case ZR_EV_OPERATOR_EXITED:
    case ZR_EV_OPERATOR_SLASHED:
        n->ops.dirty = 1;
        return 0;
    default:
        return 0;
    }
}

/* One watcher pass: logs of (cursor, head - confirmations], applied and the cursor moved
 * in one database transaction, so a crash never skips or repeats an event. */
static int watch_step(zr_node_t *n)
{
    zr_rpc_t *rpc = zr_chain_rpc(n->chain);
    int64_t t0 = zr__now_ms();
    uint64_t head;
    int rc = zr_rpc_block_number(rpc, &head);
    zr_metrics_add(n->metrics, "eigen_rpc_request_total", 1, "method", "eth_blockNumber", "rpc_service_name",
                   "chain", NULL);
    zr_metrics_observe(n->metrics, "eigen_rpc_request_duration_seconds", (double)(zr__now_ms() - t0) / 1000.0,
                       "method", "eth_blockNumber", NULL);
    if (rc) {
        atomic_store(&n->http.svc[ZR__SVC_CHAIN], ZR__SVC_DOWN);
        ZR_WARN("watcher.rpc_down", "err=%s msg=\"%s\"", zr_err_name(rc), zr_rpc_errmsg(rpc));
        return rc;
    }
    n->head = head;
    zr_metrics_set(n->metrics, "zara_chain_head_block", (double)head, NULL);
    uint64_t cursor;
    if (zr_nodedb_meta_get_u64(n->db, "cursor", &cursor) != 0)
        cursor = n->dep.deploy_block ? n->dep.deploy_block - 1 : 0;
    uint64_t safe = head >= (uint64_t)n->cfg.confirmations ? head - (uint64_t)n->cfg.confirmations : 0;
    if (safe > cursor) {
        /* bounded work per pass so the other roles keep running during a long catch-up */
        uint64_t to = safe - cursor > 50u * (uint64_t)n->cfg.log_range ? cursor + 50u * (uint64_t)n->cfg.log_range : safe;
        zr_chain_event_t *ev = NULL;
        size_t cnt = 0;
        t0 = zr__now_ms();
        rc = zr_chain_events(n->chain, cursor + 1, to, (uint64_t)n->cfg.log_range, &ev, &cnt);
        zr_metrics_add(n->metrics, "eigen_rpc_request_total", 1, "method", "eth_getLogs", "rpc_service_name", "chain",
                       NULL);
        zr_metrics_observe(n->metrics, "eigen_rpc_request_duration_seconds", (double)(zr__now_ms() - t0) / 1000.0,
                           "method", "eth_getLogs", NULL);
        if (rc) {
            atomic_store(&n->http.svc[ZR__SVC_CHAIN], ZR__SVC_DOWN);
            ZR_WARN("watcher.logs_failed", "from=%llu to=%llu msg=\"%s\"", (unsigned long long)cursor + 1,
                    (unsigned long long)to, zr_chain_errmsg(n->chain));
            return rc;
        }
        if ((rc = zr_nodedb_begin(n->db)) == 0) {
            for (size_t i = 0; i < cnt && rc == 0; i++)
                rc = apply_event(n, &ev[i]);
            if (rc == 0)
                rc = zr_nodedb_meta_set_u64(n->db, "cursor", to);
            if (rc == 0)
                rc = zr_nodedb_commit(n->db);
            else
                zr_nodedb_rollback(n->db);
        }
        free(ev);
        if (rc) {
            ZR_ERROR("watcher.db_failed", "err=%s msg=\"%s\"", zr_err_name(rc), zr_nodedb_errmsg(n->db));
            return rc;
        }
        cursor = to;
    }
    zr_metrics_set(n->metrics, "zara_chain_cursor_block", (double)cursor, NULL);
    atomic_store(&n->http.svc[ZR__SVC_CHAIN], ZR__SVC_UP);
    return 0;
}

int zr_node_run(zr_node_t *n)
{
    char a[43];
    addr_hex(a, n->addr);
    ZR_INFO("node.start", "operator=%s port=%d aggregator=%d", a, zr_node_http_port(n), n->cfg.aggregator);
    atomic_store(&n->http.svc[ZR__SVC_EVALUATOR], ZR__SVC_UP);
    if (n->cfg.aggregator)
        atomic_store(&n->http.svc[ZR__SVC_AGGREGATOR], ZR__SVC_UP);
    n->ops.dirty = 1;
    while (!n->stop) {
        int64_t t0 = zr__now_ms();
        int chain_up = watch_step(n) == 0;
        if (chain_up) {
            if (n->ops.dirty || n->head >= n->ops.refreshed_block + 20)
                zr__node_refresh_operators(n);
            zr__node_evaluate_step(n);
        }
        /* deliver before aggregating: this node's own attestation counts in the same pass */
        zr__node_deliver_step(n);
        if (chain_up && n->cfg.aggregator)
            zr__node_aggregate_step(n);
        zr_metrics_set(n->metrics, "eigen_performance_score",
                       atomic_load(&n->http.svc[ZR__SVC_CHAIN]) == ZR__SVC_UP ? 100 : 0, NULL);
        int64_t left = n->cfg.poll_ms - (zr__now_ms() - t0);
        while (left > 0 && !n->stop) {
            int64_t step = left > 50 ? 50 : left;
            usleep((useconds_t)step * 1000);
            left -= step;
        }
    }
    ZR_INFO("node.stop", "operator=%s", a);
    return 0;
}
