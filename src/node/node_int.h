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
