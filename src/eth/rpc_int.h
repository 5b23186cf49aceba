/* SPDX-License-Identifier: MIT
 * Private to the JSON-RPC client (src/eth/rpc*.c): the handle's layout and the helpers the
 * typed eth_* wrappers share. */
#ifndef ZARA_RPC_INT_H
#define ZARA_RPC_INT_H

#include <stdarg.h>

#include <curl/curl.h>

#include "zara/rpc.h"

struct zr_rpc {
    CURL *curl;
    char *url;
    char where[256]; /* the URL without user info, path or query, for messages */
    struct curl_slist *headers;
    zr_rpc_opts_t opts;
    uint64_t next_id;
    zr_buf_t body; /* the last response body, bounded by opts.max_response */
    int too_big;
    int attempts;
    int logs_requests;
    char curlerr[CURL_ERROR_SIZE];
    char errmsg[512];
    long remote_code;
    char remote_message[512];
    zr_buf_t revert; /* decoded "data" of the last error object */
    int has_revert;
};

void zr__rpc_fail(zr_rpc_t *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void zr__rpc_reset_error(zr_rpc_t *h);
int zr__rpc_post(zr_rpc_t *h, const char *req, size_t len);
/* zr_rpc_call for params built by the caller: NULL params means building them ran out of
 * memory (ZR_ENOMEM), not "no params". */
int zr__rpc_call_p(zr_rpc_t *h, const char *method, json_t *params, json_t **result);

/* JSON helpers for answers: each returns ZR_ERPCRESP with a message naming what when the
 * value is missing or has the wrong type/shape. */
int zr__rpc_json_u64(zr_rpc_t *h, uint64_t *out, const json_t *v, const char *what);
int zr__rpc_json_u256(zr_rpc_t *h, uint8_t out[32], const json_t *v, const char *what);
int zr__rpc_json_fixed(zr_rpc_t *h, uint8_t *out, size_t n, const json_t *v, const char *what);

/* JSON values for requests (new references, NULL when out of memory). */
json_t *zr__rpc_hex_json(const uint8_t *p, size_t n);
json_t *zr__rpc_u64_json(uint64_t v);

#endif
