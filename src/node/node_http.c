// SPDX-License-Identifier: MIT
// The node's HTTP surface: JSON-RPC at POST /rpc, the EigenLayer AVS Node API under
// /eigen/node, Prometheus metrics at /metrics, the dashboard's REST API under /api/ and
// its static files at /. Nothing here ever returns a secret.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "node_int.h"

#define NODE_VERSION "v0.1.0"
#define SPEC_VERSION "v0.0.1"

static const char *const svc_ids[ZR__SVC_COUNT] = {"chain", "evaluator", "aggregator"};
static const char *const svc_names[ZR__SVC_COUNT] = {"Chain watcher", "Evaluator", "Aggregator"};
static const char *const svc_desc[ZR__SVC_COUNT] = {
    "follows the contracts' events through eth_getLogs",
    "evaluates submissions and signs results",
    "collects attestations and submits aggregated results",
};
static const char *const status_names[] = {"Initializing", "Up", "Down"};

static const double latency_buckets[] = {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10};

int zr__node_metrics_declare(zr_metrics_t *m)
{
    int rc = 0;
    rc |= zr_metrics_declare(m, "eigen_performance_score", ZR_METRIC_GAUGE,
                             "Performance score of the node (0-100), as the EigenLayer metrics spec defines", NULL, 0);
    rc |= zr_metrics_declare(m, "eigen_rpc_request_total", ZR_METRIC_COUNTER, "Requests to the Ethereum JSON-RPC",
                             NULL, 0);
    rc |= zr_metrics_declare(m, "eigen_rpc_request_duration_seconds", ZR_METRIC_HISTOGRAM,
                             "Duration of requests to the Ethereum JSON-RPC", latency_buckets,
                             ZR_ARRAY_LEN(latency_buckets));
    rc |= zr_metrics_declare(m, "eigen_registered_stakes", ZR_METRIC_GAUGE,
                             "Stake of this operator registered with the AVS, in wei", NULL, 0);
    rc |= zr_metrics_declare(m, "zara_chain_head_block", ZR_METRIC_GAUGE, "Latest block the watcher saw", NULL, 0);
    rc |= zr_metrics_declare(m, "zara_chain_cursor_block", ZR_METRIC_GAUGE, "Last block whose logs were processed",
                             NULL, 0);
    rc |= zr_metrics_declare(m, "zara_evaluations_total", ZR_METRIC_COUNTER, "Evaluations run, by status", NULL, 0);
    rc |= zr_metrics_declare(m, "zara_evaluation_seconds", ZR_METRIC_HISTOGRAM, "Duration of one evaluation",
                             latency_buckets, ZR_ARRAY_LEN(latency_buckets));
    rc |= zr_metrics_declare(m, "zara_attestations_sent_total", ZR_METRIC_COUNTER, "Attestations delivered to aggregators",
                             NULL, 0);
    rc |= zr_metrics_declare(m, "zara_attestations_received_total", ZR_METRIC_COUNTER,
                             "Attestations received, by outcome", NULL, 0);
    rc |= zr_metrics_declare(m, "zara_results_submitted_total", ZR_METRIC_COUNTER,
                             "Aggregated results this node submitted on chain", NULL, 0);
    rc |= zr_metrics_declare(m, "zara_http_requests_total", ZR_METRIC_COUNTER, "HTTP requests served, by route", NULL, 0);
    return rc ? ZR_EINVAL : 0;
}

static void json_reply(zr_http_response_t *resp, int status, json_t *j)
{
    resp->status = status;
    char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(j);
    if (s) {
        zr_buf_append_str(&resp->body, s);
        free(s);
    }
}

static void error_reply(zr_http_response_t *resp, int status, const char *msg)
{
    json_reply(resp, status, json_pack("{s:s}", "error", msg));
}

/* Overall health: 200 when every enabled service is up, 206 when some are, 503 when none
 * is (or the chain watcher is down: without the chain nothing works). */
static int overall_health(zr__node_http_t *n)
{
    int up = 0, enabled = 0;
    for (int i = 0; i < ZR__SVC_COUNT; i++) {
        if (i == ZR__SVC_AGGREGATOR && !n->aggregator_enabled)
            continue;
        enabled++;
        up += atomic_load(&n->svc[i]) == ZR__SVC_UP;
    }
    if (atomic_load(&n->svc[ZR__SVC_CHAIN]) != ZR__SVC_UP || up == 0)
        return 503;
    return up == enabled ? 200 : 206;
}

static void eigen_api(zr__node_http_t *n, const char *path, zr_http_response_t *resp)
{
    if (strcmp(path, "/eigen/node") == 0) {
        json_reply(resp, 200, json_pack("{s:s, s:s, s:s}", "node_name", n->node_name, "spec_version", SPEC_VERSION,
                                        "node_version", NODE_VERSION));
        return;
    }
    if (strcmp(path, "/eigen/node/health") == 0) {
        resp->status = overall_health(n);
        return;
    }
    if (strcmp(path, "/eigen/node/services") == 0) {
        json_t *arr = json_array();
        for (int i = 0; i < ZR__SVC_COUNT; i++) {
            if (i == ZR__SVC_AGGREGATOR && !n->aggregator_enabled)
                continue;
            json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s}", "id", svc_ids[i], "name", svc_names[i],
                                                 "description", svc_desc[i], "status",
                                                 status_names[atomic_load(&n->svc[i])]));
        }
        json_reply(resp, 200, json_pack("{s:o}", "services", arr));
        return;
    }
    const char *pre = "/eigen/node/services/";
    size_t pl = strlen(pre);
    if (strncmp(path, pre, pl) == 0) {
        const char *rest = path + pl;
        for (int i = 0; i < ZR__SVC_COUNT; i++) {
            size_t il = strlen(svc_ids[i]);
            if (strncmp(rest, svc_ids[i], il) == 0 && strcmp(rest + il, "/health") == 0 &&
                (i != ZR__SVC_AGGREGATOR || n->aggregator_enabled)) {
                resp->status = atomic_load(&n->svc[i]) == ZR__SVC_UP ? 200 : 503;
                return;
            }
        }
    }
    error_reply(resp, 404, "no such service");
}

static const char *mime_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot)
        return "application/octet-stream";
    if (!strcmp(dot, ".html"))
        return "text/html; charset=utf-8";
    if (!strcmp(dot, ".js") || !strcmp(dot, ".mjs"))
        return "text/javascript; charset=utf-8";
    if (!strcmp(dot, ".css"))
        return "text/css; charset=utf-8";
    if (!strcmp(dot, ".svg"))
        return "image/svg+xml";
    if (!strcmp(dot, ".json"))
        return "application/json";
    if (!strcmp(dot, ".png"))
        return "image/png";
    return "application/octet-stream";
}

static void static_file(zr__node_http_t *n, const char *path, zr_http_response_t *resp)
{
    /* only plain relative names: no "..", no hidden files */
    if (strstr(path, "..") || strstr(path, "/.")) {
        error_reply(resp, 404, "not found");
        return;
    }
    char full[2048];
    snprintf(full, sizeof full, "%s%s", n->web_dir, strcmp(path, "/") == 0 ? "/index.html" : path);
    struct stat st;
    if (stat(full, &st) != 0 || !S_ISREG(st.st_mode)) {
        error_reply(resp, 404, "not found");
        return;
    }
    zr_buf_reset(&resp->body);
    int rc = zr_file_read(full, resp->body.max, &resp->body);
    if (rc) {
        error_reply(resp, 500, zr_strerror(rc));
        return;
    }
    snprintf(resp->content_type, sizeof resp->content_type, "%s", mime_of(full));
}

void zr__node_http_handle(void *ud, const zr_http_request_t *req, zr_http_response_t *resp)
{
    zr__node_http_t *n = ud;
    const char *route = "other";
    if (strcmp(req->path, "/rpc") == 0) {
        route = "rpc";
        if (strcmp(req->method, "POST") != 0) {
            error_reply(resp, 405, "use POST for JSON-RPC");
        } else if (zr_jsonrpc_handle(n->methods, n->n_methods, n->methods_ud, req->body, req->body_len, 64,
                                     &resp->body) == 1) {
            resp->status = 204;
        }
    } else if (strcmp(req->method, "GET") != 0) {
        error_reply(resp, 405, "method not allowed");
    } else if (strcmp(req->path, "/metrics") == 0) {
        route = "metrics";
        snprintf(resp->content_type, sizeof resp->content_type, "text/plain; version=0.0.4; charset=utf-8");
        if (zr_metrics_render(n->metrics, &resp->body) != 0)
            resp->status = 500;
    } else if (strncmp(req->path, "/eigen/", 7) == 0 || strcmp(req->path, "/eigen/node") == 0) {
        route = "eigen";
        eigen_api(n, req->path, resp);
    } else if (strncmp(req->path, "/api/", 5) == 0) {
        route = "api";
        if (n->api)
            n->api(n->api_ud, req, resp);
        else
            error_reply(resp, 404, "the dashboard API is not enabled");
    } else if (n->web_dir && n->web_dir[0]) {
        route = "web";
        static_file(n, req->path, resp);
    } else {
        error_reply(resp, 404, "not found");
    }
    zr_metrics_add(n->metrics, "zara_http_requests_total", 1, "route", route, NULL);
}
