/* SPDX-License-Identifier: MIT
 * Private state of the operator node shared by its parts (HTTP, watcher, evaluator,
 * attester, aggregator). Not part of the public API. */
#ifndef ZARA_NODE_INT_H
#define ZARA_NODE_INT_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>

#include "zara/httpd.h"
#include "zara/metrics.h"
#include "zara/node.h"
#include "zara/nodedb.h"

/* Health of one service of the node, as the EigenLayer AVS Node API reports it. */
typedef enum {
    ZR__SVC_INITIALIZING = 0,
    ZR__SVC_UP = 1,
    ZR__SVC_DOWN = 2,
} zr__svc_status_t;

enum { ZR__SVC_CHAIN = 0, ZR__SVC_EVALUATOR, ZR__SVC_AGGREGATOR, ZR__SVC_COUNT };

typedef struct zr__node_http {
    zr_httpd_t *server;
    zr_metrics_t *metrics;
    const char *node_name;
    const char *web_dir;
    atomic_int svc[ZR__SVC_COUNT];
    int aggregator_enabled;
    /* JSON-RPC methods of the node (attestations, proposals) */
    const zr_jsonrpc_method_t *methods;
    size_t n_methods;
    void *methods_ud;
    /* optional read-only REST API under /api/ for the dashboard */
    void (*api)(void *ud, const zr_http_request_t *req, zr_http_response_t *resp);
    void *api_ud;
} zr__node_http_t;

/* Declares the node's metric families in m. */
int zr__node_metrics_declare(zr_metrics_t *m);
/* The request handler of the node's HTTP server (ud is a zr__node_http_t). */
void zr__node_http_handle(void *ud, const zr_http_request_t *req, zr_http_response_t *resp);

#endif

/* ---- the daemon's state (node.c and friends) ------------------------------------------ */
#include "zara/bls.h"
#include "zara/chain.h"
#include "zara/store.h"

typedef struct zr__opcache {
    zr_operator_t *ops; /* active operators in contract order */
    size_t n;
    uint8_t total_stake[32];
    uint64_t refreshed_block;
    int dirty;
} zr__opcache_t;

struct zr_node {
    zr_node_config_t cfg;
    zr_deployment_t dep;
    zr_chain_t *chain;     /* main loop thread only */
    zr_chain_t *rpc_chain; /* HTTP threads (read-only), guarded by mu */
    zr_nodedb_t *db;
    zr_store_t *store;
    zr_metrics_t *metrics;
    zr__node_http_t http;
    zr_bls_secret_t bls_sk;
    zr_bls_pubkey_t bls_pk;
    uint8_t ecdsa_sk[32];
    uint8_t addr[20];
    uint8_t op_id[32];
    uint64_t performer_timeout;
    pthread_mutex_t mu; /* guards ops (read by HTTP threads) and rpc_chain */
    zr__opcache_t ops;
    uint64_t head;
    volatile sig_atomic_t stop;
    struct zr__agg_state *agg; /* aggregator: results sent and not yet mined (node_agg.c) */
    struct zr__eval_pool *pool; /* evaluator worker threads and their jobs (node_eval.c) */
    volatile int eval_cancel;   /* set on stop: running evaluations end with no result */
};

/* Refreshes the operator cache from the chain (main thread; takes mu for the swap). */
int zr__node_refresh_operators(zr_node_t *n);
/* Looks up an active operator by address under mu; copies it into out. 0 or ZR_ENOENT. */
int zr__node_find_operator(zr_node_t *n, const uint8_t addr[20], zr_operator_t *out);

/* Starts the evaluator's eval_threads worker threads (0 or ZR_ENOMEM). */
int zr__eval_pool_start(zr_node_t *n);
/* Cancels running evaluations, joins the workers and drops unfinished jobs. */
void zr__eval_pool_free(zr_node_t *n);
/* Evaluator + attester + performer: publishes the evaluations the pool finished, then hands
 * every submission whose turn has come to the pool. */
int zr__node_evaluate_step(zr_node_t *n);
/* Aggregator: aggregates and submits results that reached quorum. */
int zr__node_aggregate_step(zr_node_t *n);
/* Frees the aggregator's state (sends in flight are forgotten; the chain still has them). */
void zr__node_aggregate_free(zr_node_t *n);
/* Delivers queued messages to other operators (with back-off). */
int zr__node_deliver_step(zr_node_t *n);
/* The node's JSON-RPC methods. */
extern const zr_jsonrpc_method_t zr__node_rpc_methods[];
extern const size_t zr__node_rpc_methods_count;
/* Monotonic milliseconds. */
int64_t zr__now_ms(void);
/* The dashboard's read-only REST API under /api/ (node_api.c; ud is the zr_node_t). */
void zr__node_api_handle(void *ud, const zr_http_request_t *req, zr_http_response_t *resp);
