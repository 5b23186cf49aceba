/* SPDX-License-Identifier: MIT
 * The node's HTTP server (libmicrohttpd) and its JSON-RPC 2.0 dispatcher. The server
 * bounds every request body, rate-limits each client address with a token bucket, and
 * hands complete requests to one handler callback on the server's threads. */
#ifndef ZARA_HTTPD_H
#define ZARA_HTTPD_H

#include <stddef.h>
#include <stdint.h>

#include "zara/common.h"

typedef struct zr_http_request {
    const char *method;    /* "GET", "POST", ... */
    const char *path;      /* URL path without the query string */
    const char *client_ip; /* textual address of the peer */
    const uint8_t *body;   /* NUL-terminated; body_len excludes the NUL */
    size_t body_len;
} zr_http_request_t;

typedef struct zr_http_response {
    int status;               /* default 200 */
    char content_type[64];    /* default "application/json" */
    zr_buf_t body;            /* what to send (bounded by the server's max response) */
} zr_http_response_t;

typedef void (*zr_httpd_handler_fn)(void *ud, const zr_http_request_t *req, zr_http_response_t *resp);

typedef struct zr_httpd_opts {
    const char *host;      /* bind address, default "127.0.0.1" */
    int port;              /* 0 = a free port chosen by the OS (see zr_httpd_port) */
    size_t max_body;       /* request bodies above this get 413 (default 1 MiB) */
    size_t max_response;   /* default 16 MiB */
    double rate_per_sec;   /* sustained requests per second per client (default 50; 0 = off) */
    double rate_burst;     /* bucket size (default 100) */
    unsigned max_conns;    /* default 64 */
    unsigned timeout_s;    /* idle connection timeout (default 15) */
} zr_httpd_opts_t;

typedef struct zr_httpd zr_httpd_t;

/* Starts serving on its own threads. Returns NULL and sets *err on failure. */
zr_httpd_t *zr_httpd_start(const zr_httpd_opts_t *opts, zr_httpd_handler_fn fn, void *ud, int *err);
/* The port actually bound. */
int zr_httpd_port(const zr_httpd_t *h);
/* Stops the server and waits for its threads; accepts NULL. */
void zr_httpd_stop(zr_httpd_t *h);

/* ---- JSON-RPC 2.0 -------------------------------------------------------------------- */

/* Standard error codes. */
enum {
    ZR_JSONRPC_PARSE_ERROR = -32700,
    ZR_JSONRPC_INVALID_REQUEST = -32600,
    ZR_JSONRPC_METHOD_NOT_FOUND = -32601,
    ZR_JSONRPC_INVALID_PARAMS = -32602,
    ZR_JSONRPC_INTERNAL_ERROR = -32603,
};

/* A method: on success sets *result (a new reference) and returns 0; on failure returns
 * a JSON-RPC error code and writes a message to errmsg. */
typedef int (*zr_jsonrpc_fn)(void *ud, json_t *params, json_t **result, char *errmsg, size_t errmsg_cap);

typedef struct zr_jsonrpc_method {
    const char *name;
    zr_jsonrpc_fn fn;
} zr_jsonrpc_method_t;

/* Handles one JSON-RPC body (single call or batch, at most max_batch calls) and writes
 * the response JSON to out; notifications produce no entry. Returns 0, or 1 when the
 * answer is empty (only notifications) so the caller can send 204. */
int zr_jsonrpc_handle(const zr_jsonrpc_method_t *methods, size_t n_methods, void *ud,
                      const uint8_t *body, size_t len, size_t max_batch, zr_buf_t *out);

#endif
