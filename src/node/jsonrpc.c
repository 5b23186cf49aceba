// SPDX-License-Identifier: MIT
// JSON-RPC 2.0 server-side dispatch: single calls and batches, notifications, and the
// standard error objects for parse errors, invalid requests and unknown methods.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zara/httpd.h"

static json_t *error_obj(json_t *id, int code, const char *msg)
{
    return json_pack("{s:s, s:{s:i, s:s}, s:O}", "jsonrpc", "2.0", "error", "code", code, "message", msg, "id",
                     id ? id : json_null());
}

/* Returns a new response object, or NULL for a notification. */
static json_t *handle_one(const zr_jsonrpc_method_t *methods, size_t n, void *ud, json_t *req)
{
    if (!json_is_object(req))
        return error_obj(NULL, ZR_JSONRPC_INVALID_REQUEST, "request must be an object");
    json_t *id = json_object_get(req, "id");
    int notification = id == NULL;
    if (id && !json_is_string(id) && !json_is_integer(id) && !json_is_null(id))
        return error_obj(NULL, ZR_JSONRPC_INVALID_REQUEST, "id must be a string, an integer or null");
    const char *ver = zr_json_str(req, "jsonrpc");
    const char *method = zr_json_str(req, "method");
    json_t *params = json_object_get(req, "params");
    if (!ver || strcmp(ver, "2.0") != 0)
        return error_obj(id, ZR_JSONRPC_INVALID_REQUEST, "jsonrpc must be \"2.0\"");
    if (!method)
        return error_obj(id, ZR_JSONRPC_INVALID_REQUEST, "method must be a string");
    if (params && !json_is_array(params) && !json_is_object(params))
        return error_obj(id, ZR_JSONRPC_INVALID_REQUEST, "params must be an array or an object");
    for (size_t i = 0; i < n; i++) {
        if (strcmp(methods[i].name, method) != 0)
            continue;
        json_t *result = NULL;
        char msg[512] = "";
        int code = methods[i].fn(ud, params, &result, msg, sizeof msg);
        if (notification) {
            json_decref(result);
            return NULL;
        }
        if (code != 0) {
            json_decref(result);
            return error_obj(id, code, msg[0] ? msg : "error");
        }
        return json_pack("{s:s, s:o, s:O}", "jsonrpc", "2.0", "result", result ? result : json_null(), "id", id);
    }
    if (notification)
        return NULL;
    char msg[300];
    snprintf(msg, sizeof msg, "method not found: %.200s", method);
    return error_obj(id, ZR_JSONRPC_METHOD_NOT_FOUND, msg);
}

int zr_jsonrpc_handle(const zr_jsonrpc_method_t *methods, size_t n_methods, void *ud, const uint8_t *body,
                      size_t len, size_t max_batch, zr_buf_t *out)
{
    json_t *req = NULL, *resp = NULL;
    char err[200];
    json_t *scalar = NULL;
    if (zr_json_parse((const char *)body, len, len + 1, &req, err, sizeof err) != 0) {
        /* valid JSON that is neither an object nor a batch (42, "x", null) is an invalid
         * request, not a parse error (JSON-RPC 2.0 §5.1) */
        if ((scalar = json_loadb((const char *)body, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL)) != NULL) {
            json_decref(scalar);
            resp = error_obj(NULL, ZR_JSONRPC_INVALID_REQUEST, "request must be an object or a batch (an array)");
        } else {
            char msg[256];
            snprintf(msg, sizeof msg, "parse error: %s", err);
            resp = error_obj(NULL, ZR_JSONRPC_PARSE_ERROR, msg);
        }
    } else if (json_is_array(req)) {
        size_t n = json_array_size(req);
        if (n == 0 || n > max_batch) {
            resp = error_obj(NULL, ZR_JSONRPC_INVALID_REQUEST, n ? "batch too large" : "empty batch");
        } else {
            resp = json_array();
            for (size_t i = 0; i < n; i++) {
                json_t *r = handle_one(methods, n_methods, ud, json_array_get(req, i));
                if (r)
                    json_array_append_new(resp, r);
            }
            if (json_array_size(resp) == 0) {
                json_decref(resp);
                resp = NULL;
            }
        }
    } else {
        resp = handle_one(methods, n_methods, ud, req);
    }
    json_decref(req);
    if (!resp)
        return 1;
    char *s = json_dumps(resp, JSON_COMPACT);
    json_decref(resp);
    if (!s)
        return ZR_ENOMEM;
    int rc = zr_buf_append_str(out, s);
    free(s);
    return rc;
}
