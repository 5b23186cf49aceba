// SPDX-License-Identifier: MIT
// The JSON-RPC client against real, misbehaving HTTP servers on loopback ports (zt_http):
// wrong JSON types, error objects, mismatched ids, bodies over the cap, slow servers,
// dropped connections, garbage, HTTP errors, mixed batches, and eth_getLogs range splitting.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zt.h"
#include "zt_http.h"
#include "zara/rpc.h"

/* ---- helpers ----------------------------------------------------------------------------- */

static long long req_id(const char *body, size_t len)
{
    json_t *j = NULL;
    if (zr_json_parse(body, len, 1u << 20, &j, NULL, 0))
        return -1;
    long long id = json_is_integer(json_object_get(j, "id")) ? json_integer_value(json_object_get(j, "id")) : -1;
    json_decref(j);
    return id;
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

/* A server whose handler answers every request with one fixed template; "%lld" in the
 * template (at most one) becomes the request's id (plus id_delta). */
typedef struct canned {
    const char *tmpl;
    int status;
    long long id_delta;
    int delay_ms;
    int close_first;   /* drop this many connections before answering */
    int raw;
    int seen;
    char last_req[4096];
} canned_t;

static void canned_fn(void *ud, const char *path, const char *body, size_t len, zt_http_reply_t *rep)
{
    (void)path;
    canned_t *c = ud;
    snprintf(c->last_req, sizeof c->last_req, "%.*s", (int)len, body);
    if (c->seen++ < c->close_first) {
        rep->close_now = 1;
        return;
    }
    if (c->status)
        rep->status = c->status;
    rep->delay_ms = c->delay_ms;
    rep->raw = c->raw;
    if (strstr(c->tmpl, "%lld"))
        zr_buf_printf(&rep->body, c->tmpl, req_id(body, len) + c->id_delta);
    else
        zr_buf_append_str(&rep->body, c->tmpl);
}

static zr_rpc_opts_t quick_opts(void)
{
    zr_rpc_opts_t o;
    zr_rpc_opts_default(&o);
    o.timeout_ms = 5000;
    o.backoff_ms = 20;
    o.retries = 2;
    return o;
}

/* ---- tests ------------------------------------------------------------------------------- */

static void test_ok_and_request_shape(void **state)
{
    (void)state;
    canned_t c = {.tmpl = "{\"jsonrpc\":\"2.0\",\"id\":%lld,\"result\":\"0x7a69\"}"};
    zt_http_t *s = zt_http_start(canned_fn, &c);
    assert_non_null(s);
    zr_rpc_t *h = zr_rpc_new(zt_http_url(s), NULL);
    assert_non_null(h);
    uint64_t id = 0;
    assert_int_equal(zr_rpc_chain_id(h, &id), 0);
    assert_int_equal(id, 31337);
    assert_int_equal(zr_rpc_attempts(h), 1);
    assert_string_equal(zr_rpc_errmsg(h), "");
    /* the request is a proper JSON-RPC 2.0 object */
    json_t *j = NULL;
    assert_int_equal(zr_json_parse(c.last_req, strlen(c.last_req), 4096, &j, NULL, 0), 0);
    assert_string_equal(zr_json_str(j, "jsonrpc"), "2.0");
    assert_string_equal(zr_json_str(j, "method"), "eth_chainId");
    assert_true(json_is_array(json_object_get(j, "params")));
    assert_true(json_is_integer(json_object_get(j, "id")));
    json_decref(j);
    /* a second call uses a new id, and the answer still matches */
    assert_int_equal(zr_rpc_block_number(h, &id), 0);
    zr_rpc_free(h);
    /* a zeroed options struct means the defaults (not "no timeout") */
    zr_rpc_opts_t zero;
    memset(&zero, 0, sizeof zero);
    h = zr_rpc_new(zt_http_url(s), &zero);
    assert_non_null(h);
    assert_int_equal(zr_rpc_chain_id(h, &id), 0);
    zr_rpc_free(h);
    zt_http_stop(s);
    assert_null(zr_rpc_new("ftp://example.org/", NULL));
    zr_rpc_free(NULL);
}

static void expect_resp_error(const char *tmpl, int want)
{
    canned_t c = {.tmpl = tmpl};
    zt_http_t *s = zt_http_start(canned_fn, &c);
    assert_non_null(s);
    zr_rpc_opts_t o = quick_opts();
    zr_rpc_t *h = zr_rpc_new(zt_http_url(s), &o);
    uint64_t v = 0;
    int rc = zr_rpc_chain_id(h, &v);
    if (rc != want)
        fail_msg("answer %s: got %s (%s), want %s", tmpl, zr_err_name(rc), zr_rpc_errmsg(h), zr_err_name(want));
    assert_true(strlen(zr_rpc_errmsg(h)) > 0);
    assert_non_null(strstr(zr_rpc_errmsg(h), "eth_chainId"));
    assert_int_equal(zr_rpc_attempts(h), 1); /* an answer is never retried */
    assert_int_equal(c.seen, 1);
    zr_rpc_free(h);
    zt_http_stop(s);
}

static void test_wrong_json_types(void **state)
{
    (void)state;
    expect_resp_error("{\"jsonrpc\":\"2.0\",\"id\":%lld,\"result\":31337}", ZR_ERPCRESP);
    expect_resp_error("{\"jsonrpc\":\"2.0\",\"id\":%lld,\"result\":null}", ZR_ERPCRESP);
    expect_resp_error("{\"jsonrpc\":\"2.0\",\"id\":%lld,\"result\":\"7a69\"}", ZR_ERPCRESP);
    expect_resp_error("{\"jsonrpc\":\"2.0\",\"id\":%lld,\"result\":\"0xzz\"}", ZR_ERPCRESP);
    expect_resp_error("{\"jsonrpc\":\"2.0\",\"id\":%lld,\"result\":\"0x10000000000000000\"}", ZR_ERPCRESP);
    expect_resp_error("{\"jsonrpc\":\"2.0\",\"id\":%lld,\"result\":{\"a\":1}}", ZR_ERPCRESP);
    expect_resp_error("{\"id\":%lld,\"result\":\"0x1\"}", ZR_ERPCRESP);
    expect_resp_error("{\"jsonrpc\":\"1.0\",\"id\":%lld,\"result\":\"0x1\"}", ZR_ERPCRESP);
    expect_resp_error("{\"jsonrpc\":\"2.0\",\"id\":\"%lld\",\"result\":\"0x1\"}", ZR_ERPCRESP);
    expect_resp_error("{\"jsonrpc\":\"2.0\",\"id\":%lld}", ZR_ERPCRESP);
    expect_resp_error("{\"jsonrpc\":\"2.0\",\"id\":%lld,\"result\":\"0x1\",\"error\":{\"code\":1,\"message\":\"x\"}}",
                      ZR_ERPCRESP);
    expect_resp_error("{\"jsonrpc\":\"2.0\",\"id\":%lld,\"error\":{\"code\":\"1\",\"message\":\"x\"}}", ZR_ERPCRESP);
    expect_resp_error("{\"jsonrpc\":\"2.0\",\"id\":%lld,\"error\":\"boom\"}", ZR_ERPCRESP);
    expect_resp_error("[{\"jsonrpc\":\"2.0\",\"id\":%lld,\"result\":\"0x1\"}]", ZR_ERPCRESP);
    expect_resp_error("\"0x1\"", ZR_ERPCRESP);
    expect_resp_error("", ZR_ERPCRESP);
    /* garbage bytes with a 200 status */
    expect_resp_error("\x01\x02\xff\xfe<html>oops</html>", ZR_ERPCRESP);
    expect_resp_error("{\"jsonrpc\":\"2.0\",\"id\":%lld,\"result\":\"0x1\"", ZR_ERPCRESP);
}

static void test_remote_error_kept(void **state)
{
    (void)state;
    canned_t c = {.tmpl = "{\"jsonrpc\":\"2.0\",\"id\":%lld,\"error\":{\"code\":-32000,"
                          "\"message\":\"nonce too low: next nonce 5, tx nonce 3\"}}"};
    zt_http_t *s = zt_http_start(canned_fn, &c);
    zr_rpc_opts_t o = quick_opts();
    zr_rpc_t *h = zr_rpc_new(zt_http_url(s), &o);
    json_t *r = (json_t *)1;
    assert_int_equal(zr_rpc_call(h, "eth_sendRawTransaction", json_pack("[s]", "0x00"), &r), ZR_ERPC);
    assert_null(r);
    assert_int_equal(zr_rpc_remote_code(h), -32000);
    assert_string_equal(zr_rpc_remote_message(h), "nonce too low: next nonce 5, tx nonce 3");
    assert_non_null(strstr(zr_rpc_errmsg(h), "nonce too low"));
    assert_non_null(strstr(zr_rpc_errmsg(h), "-32000"));
    assert_int_equal(zr_rpc_attempts(h), 1);
    assert_int_equal(c.seen, 1); /* a JSON-RPC error is never retried */
    /* the next successful call clears the remote error */
    c.tmpl = "{\"jsonrpc\":\"2.0\",\"id\":%lld,\"result\":\"0x1\"}";
    uint64_t v;
    assert_int_equal(zr_rpc_block_number(h, &v), 0);
    assert_int_equal(zr_rpc_remote_code(h), 0);
    assert_string_equal(zr_rpc_remote_message(h), "");
    /* an error answer with a null id (the server could not read the request) is final too */
    c.tmpl = "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"parse error\"}}";
    assert_int_equal(zr_rpc_block_number(h, &v), ZR_ERPC);
    assert_int_equal(zr_rpc_remote_code(h), -32700);
    zr_rpc_free(h);
    zt_http_stop(s);
}

/* Error("boom") as solc encodes it */
#define BOOM_DATA                                                                              \
    "0x08c379a0"                                                                               \
    "0000000000000000000000000000000000000000000000000000000000000020"                         \
    "0000000000000000000000000000000000000000000000000000000000000004"                         \
    "626f6f6d00000000000000000000000000000000000000000000000000000000"

static void test_revert_on_call(void **state)
{
    (void)state;
    canned_t c = {.tmpl = "{\"jsonrpc\":\"2.0\",\"id\":%lld,\"error\":{\"code\":3,"
                          "\"message\":\"execution reverted: boom\",\"data\":\"" BOOM_DATA "\"}}"};
    zt_http_t *s = zt_http_start(canned_fn, &c);
    zr_rpc_t *h = zr_rpc_new(zt_http_url(s), NULL);
    uint8_t to[20] = {1};
    zr_rpc_callmsg_t m = {.to = to, .data = (const uint8_t *)"\x12\x34\x56\x78", .data_len = 4};
    zr_buf_t out;
    zr_buf_init(&out, 1024);
    assert_int_equal(zr_rpc_eth_call(h, &out, &m, NULL), ZR_EREVERTED);
    assert_int_equal(zr_rpc_remote_code(h), 3);
    assert_non_null(strstr(zr_rpc_errmsg(h), "reverted: boom"));
    size_t dl = 0;
    const uint8_t *d = zr_rpc_revert_data(h, &dl);
    assert_non_null(d);
    assert_int_equal(dl, 4 + 96);
    assert_memory_equal(d, "\x08\xc3\x79\xa0", 4);
    /* the request carried the call object */
    assert_non_null(strstr(c.last_req, "\"input\":\"0x12345678\""));
    assert_non_null(strstr(c.last_req, "\"latest\""));
    uint64_t gas = 0;
    assert_int_equal(zr_rpc_estimate_gas(h, &gas, &m), ZR_EREVERTED);
    /* nested data, as some nodes send it */
    c.tmpl = "{\"jsonrpc\":\"2.0\",\"id\":%lld,\"error\":{\"code\":-32015,\"message\":\"VM execution error\","
             "\"data\":{\"data\":\"" BOOM_DATA "\"}}}";
    assert_int_equal(zr_rpc_eth_call(h, &out, &m, "0x10"), ZR_EREVERTED);
    assert_non_null(strstr(zr_rpc_errmsg(h), "boom"));
    /* a plain error that is not a revert stays ZR_ERPC */
    c.tmpl = "{\"jsonrpc\":\"2.0\",\"id\":%lld,\"error\":{\"code\":-32602,\"message\":\"invalid params\"}}";
    assert_int_equal(zr_rpc_eth_call(h, &out, &m, NULL), ZR_ERPC);
    assert_null(zr_rpc_revert_data(h, &dl));
    assert_int_equal(dl, 0);
    /* success */
    c.tmpl = "{\"jsonrpc\":\"2.0\",\"id\":%lld,\"result\":\"0x00ff\"}";
    assert_int_equal(zr_rpc_eth_call(h, &out, &m, NULL), 0);
    assert_int_equal(out.len, 2);
    assert_memory_equal(out.data, "\x00\xff", 2);
    zr_buf_cleanup(&out);
    zr_rpc_free(h);
    zt_http_stop(s);
}

static void test_mismatched_id(void **state)
{
    (void)state;
    canned_t c = {.tmpl = "{\"jsonrpc\":\"2.0\",\"id\":%lld,\"result\":\"0x1\"}", .id_delta = 1};
    zt_http_t *s = zt_http_start(canned_fn, &c);
    zr_rpc_opts_t o = quick_opts();
    zr_rpc_t *h = zr_rpc_new(zt_http_url(s), &o);
    uint64_t v;
    assert_int_equal(zr_rpc_block_number(h, &v), ZR_ERPCRESP);
    assert_non_null(strstr(zr_rpc_errmsg(h), "id"));
    assert_int_equal(zr_rpc_attempts(h), 1);
    /* an error object with someone else's id is not ours either */
    c.tmpl = "{\"jsonrpc\":\"2.0\",\"id\":%lld,\"error\":{\"code\":1,\"message\":\"x\"}}";
    assert_int_equal(zr_rpc_block_number(h, &v), ZR_ERPCRESP);
    zr_rpc_free(h);
    zt_http_stop(s);
}

typedef struct big {
    size_t size;
    int no_length;
    int seen;
} big_t;

static void big_fn(void *ud, const char *path, const char *body, size_t len, zt_http_reply_t *rep)
{
    (void)path;
    big_t *b = ud;
    b->seen++;
    rep->no_length = b->no_length;
    zr_buf_printf(&rep->body, "{\"jsonrpc\":\"2.0\",\"id\":%lld,\"result\":\"0x", req_id(body, len));
    zr_buf_reserve(&rep->body, b->size);
    memset(rep->body.data + rep->body.len, 'a', b->size);
    rep->body.len += b->size;
    zr_buf_append_str(&rep->body, "\"}");
}

static void test_body_over_cap(void **state)
{
    (void)state;
    for (int nolen = 0; nolen < 2; nolen++) {
        big_t b = {.size = 4u << 20, .no_length = nolen};
        zt_http_t *s = zt_http_start(big_fn, &b);
        zr_rpc_opts_t o = quick_opts();
        o.max_response = 64 * 1024;
        zr_rpc_t *h = zr_rpc_new(zt_http_url(s), &o);
        zr_buf_t out;
        zr_buf_init(&out, 16u << 20);
        uint8_t a[20] = {0};
        int rc = zr_rpc_get_code(h, &out, a, NULL);
        if (rc != ZR_ETOOBIG)
            fail_msg("no_length=%d: %s %s", nolen, zr_err_name(rc), zr_rpc_errmsg(h));
        assert_non_null(strstr(zr_rpc_errmsg(h), "cap"));
        assert_int_equal(zr_rpc_attempts(h), 1); /* never retried */
        assert_int_equal(out.len, 0);
        /* under the cap the same server is fine */
        b.size = 1000;
        assert_int_equal(zr_rpc_get_code(h, &out, a, NULL), 0);
        assert_int_equal(out.len, 500);
        zr_buf_cleanup(&out);
        zr_rpc_free(h);
        zt_http_stop(s);
    }
}

static void test_slow_server_times_out(void **state)
{
    (void)state;
    canned_t c = {.tmpl = "{\"jsonrpc\":\"2.0\",\"id\":%lld,\"result\":\"0x1\"}", .delay_ms = 5000};
    zt_http_t *s = zt_http_start(canned_fn, &c);
    zr_rpc_opts_t o = quick_opts();
    o.timeout_ms = 300;
    o.retries = 1;
    zr_rpc_t *h = zr_rpc_new(zt_http_url(s), &o);
    uint64_t v;
    long t0 = now_ms();
    int rc = zr_rpc_block_number(h, &v);
    long took = now_ms() - t0;
    assert_int_equal(rc, ZR_ETIMEOUT);
    assert_non_null(strstr(zr_rpc_errmsg(h), "imed out"));
    assert_non_null(strstr(zr_rpc_errmsg(h), "after 2 attempts"));
    assert_int_equal(zr_rpc_attempts(h), 2);
    assert_true(took >= 600 && took < 4500); /* the server would take 5 s per attempt */
    zr_rpc_free(h);
    zt_http_stop(s);
}

static void test_dropped_connections(void **state)
{
    (void)state;
    /* drops twice, then answers: the retries get through */
    canned_t c = {.tmpl = "{\"jsonrpc\":\"2.0\",\"id\":%lld,\"result\":\"0x2a\"}", .close_first = 2};
    zt_http_t *s = zt_http_start(canned_fn, &c);
    zr_rpc_opts_t o = quick_opts();
    o.retries = 3;
    o.backoff_ms = 50;
    zr_rpc_t *h = zr_rpc_new(zt_http_url(s), &o);
    uint64_t v = 0;
    long t0 = now_ms();
    assert_int_equal(zr_rpc_block_number(h, &v), 0);
    assert_int_equal(v, 42);
    assert_int_equal(zr_rpc_attempts(h), 3);
    assert_true(now_ms() - t0 >= 50 + 100); /* exponential backoff: 50 ms, then 100 ms */
    /* drops every time: a transport error after 1 + retries attempts */
    c.seen = 0;
    c.close_first = 1000;
    assert_int_equal(zr_rpc_block_number(h, &v), ZR_ETRANSPORT);
    assert_int_equal(zr_rpc_attempts(h), 4);
    assert_non_null(strstr(zr_rpc_errmsg(h), "after 4 attempts"));
    assert_int_equal(c.seen, 4);
    zr_rpc_free(h);
    zt_http_stop(s);
    /* nobody listening at all */
    int port = zt_free_port();
    char url[128];
    o.retries = 1;
    snprintf(url, sizeof url, "http://user:pw@127.0.0.1:%d/v3/SECRETKEY?k=SECRET2", port);
    h = zr_rpc_new(url, &o);
    assert_int_equal(zr_rpc_block_number(h, &v), ZR_ETRANSPORT);
    assert_int_equal(zr_rpc_attempts(h), 2);
    /* messages name the endpoint without credentials or the API key in the path */
    assert_non_null(strstr(zr_rpc_errmsg(h), "http://127.0.0.1:"));
    assert_null(strstr(zr_rpc_errmsg(h), "SECRET"));
    assert_null(strstr(zr_rpc_errmsg(h), "pw"));
    zr_rpc_free(h);
}

static void test_garbage_and_http_status(void **state)
{
    (void)state;
    /* not HTTP at all */
    canned_t c = {.tmpl = "\x16\x03\x01garbage\r\n\r\n\xff\xfe", .raw = 1};
    zt_http_t *s = zt_http_start(canned_fn, &c);
    zr_rpc_opts_t o = quick_opts();
    zr_rpc_t *h = zr_rpc_new(zt_http_url(s), &o);
    uint64_t v;
    assert_int_equal(zr_rpc_block_number(h, &v), ZR_ETRANSPORT);
    zr_rpc_free(h);
    zt_http_stop(s);
    /* 503 with an HTML page: a transport failure, retried */
    canned_t d = {.tmpl = "<html>busy</html>", .status = 503};
    s = zt_http_start(canned_fn, &d);
    h = zr_rpc_new(zt_http_url(s), &o);
    assert_int_equal(zr_rpc_block_number(h, &v), ZR_ETRANSPORT);
    assert_non_null(strstr(zr_rpc_errmsg(h), "503"));
    assert_int_equal(zr_rpc_attempts(h), 3);
    zr_rpc_free(h);
    zt_http_stop(s);
    /* 404: final */
    canned_t e = {.tmpl = "not found", .status = 404};
    s = zt_http_start(canned_fn, &e);
    h = zr_rpc_new(zt_http_url(s), &o);
    assert_int_equal(zr_rpc_block_number(h, &v), ZR_ETRANSPORT);
    assert_int_equal(zr_rpc_attempts(h), 1);
    zr_rpc_free(h);
    zt_http_stop(s);
    /* 429 with a JSON-RPC error object: the remote error, not retried */
    canned_t f = {.tmpl = "{\"jsonrpc\":\"2.0\",\"id\":%lld,\"error\":{\"code\":-32005,\"message\":\"rate limited\"}}",
                  .status = 429};
    s = zt_http_start(canned_fn, &f);
    h = zr_rpc_new(zt_http_url(s), &o);
    assert_int_equal(zr_rpc_block_number(h, &v), ZR_ERPC);
    assert_int_equal(zr_rpc_remote_code(h), -32005);
    assert_int_equal(zr_rpc_attempts(h), 1);
    zr_rpc_free(h);
    zt_http_stop(s);
}

/* Answers a batch in reverse order; a call to "fail" gets an error object, a call to "skip"
 * gets no answer, and "alien" makes the server answer with an id nobody asked for. */
static void batch_fn(void *ud, const char *path, const char *body, size_t len, zt_http_reply_t *rep)
{
    (void)path;
    (void)ud;
    json_t *req = NULL, *out = json_array();
    if (zr_json_parse(body, len, 1u << 20, &req, NULL, 0) || !json_is_array(req)) {
        zr_buf_append_str(&rep->body, "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,\"message\":\"not a batch\"}}");
        json_decref(req);
        json_decref(out);
        return;
    }
    for (size_t i = json_array_size(req); i-- > 0;) {
        json_t *r = json_array_get(req, i);
        const char *m = zr_json_str(r, "method");
        json_int_t id = json_integer_value(json_object_get(r, "id"));
        if (strcmp(m, "skip") == 0)
            continue;
        if (strcmp(m, "fail") == 0)
            json_array_append_new(out, json_pack("{sssIs{siss}}", "jsonrpc", "2.0", "id", id, "error", "code",
                                                 -32601, "message", "method not found"));
        else
            json_array_append_new(out, json_pack("{sssIsO}", "jsonrpc", "2.0", "id",
                                                 strcmp(m, "alien") == 0 ? id + 100 : id, "result",
                                                 json_object_get(r, "params")));
    }
    char *s = json_dumps(out, JSON_COMPACT);
    zr_buf_append_str(&rep->body, s);
    free(s);
    json_decref(req);
    json_decref(out);
}

static void test_batch_mixed(void **state)
{
    (void)state;
    zt_http_t *s = zt_http_start(batch_fn, NULL);
    zr_rpc_t *h = zr_rpc_new(zt_http_url(s), NULL);
    zr_rpc_batch_item_t it[4] = {
        {.method = "echo", .params = json_pack("[i]", 1)},
        {.method = "fail", .params = NULL},
        {.method = "echo", .params = json_pack("[s]", "three")},
        {.method = "skip", .params = NULL},
    };
    assert_int_equal(zr_rpc_batch(h, it, 4), 0);
    assert_int_equal(it[0].err, 0);
    assert_int_equal(json_integer_value(json_array_get(it[0].result, 0)), 1);
    assert_int_equal(it[1].err, ZR_ERPC);
    assert_int_equal(it[1].code, -32601);
    assert_string_equal(it[1].message, "method not found");
    assert_null(it[1].result);
    assert_int_equal(it[2].err, 0);
    assert_string_equal(json_string_value(json_array_get(it[2].result, 0)), "three");
    assert_int_equal(it[3].err, ZR_ERPCRESP); /* no answer for it */
    zr_rpc_batch_cleanup(it, 4);
    /* an answer with an id we never sent spoils the whole batch */
    zr_rpc_batch_item_t bad[2] = {{.method = "echo", .params = json_array()}, {.method = "alien"}};
    assert_int_equal(zr_rpc_batch(h, bad, 2), ZR_ERPCRESP);
    assert_int_equal(bad[0].err, ZR_ERPCRESP);
    assert_null(bad[0].result);
    zr_rpc_batch_cleanup(bad, 2);
    /* params that are not an array are refused before sending */
    zr_rpc_batch_item_t inv[1] = {{.method = "echo", .params = json_integer(3)}};
    assert_int_equal(zr_rpc_batch(h, inv, 1), ZR_EINVAL);
    zr_rpc_batch_cleanup(inv, 1);
    zr_rpc_free(h);
    zt_http_stop(s);
}

static void test_batch_parse_offline(void **state)
{
    (void)state;
    zr_rpc_t *h = zr_rpc_new("http://127.0.0.1:9/", NULL);
    zr_rpc_batch_item_t it[2] = {{.method = "a"}, {.method = "b"}};
    const char *single = "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,\"message\":\"batch too large\"}}";
    assert_int_equal(zr_rpc_parse_batch(h, single, strlen(single), 7, it, 2), ZR_ERPC);
    assert_int_equal(zr_rpc_remote_code(h), -32600);
    const char *dup = "[{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":1},{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":2}]";
    assert_int_equal(zr_rpc_parse_batch(h, dup, strlen(dup), 7, it, 2), ZR_ERPCRESP);
    const char *many = "[{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":1},{\"jsonrpc\":\"2.0\",\"id\":8,\"result\":2},"
                       "{\"jsonrpc\":\"2.0\",\"id\":9,\"result\":3}]";
    assert_int_equal(zr_rpc_parse_batch(h, many, strlen(many), 7, it, 2), ZR_ERPCRESP);
    const char *ok = "[{\"jsonrpc\":\"2.0\",\"id\":8,\"result\":2},{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":1}]";
    assert_int_equal(zr_rpc_parse_batch(h, ok, strlen(ok), 7, it, 2), 0);
    assert_int_equal(json_integer_value(it[0].result), 1);
    assert_int_equal(json_integer_value(it[1].result), 2);
    zr_rpc_batch_cleanup(it, 2);
    json_t *r = NULL;
    const char *one = "{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":[1,2]}";
    assert_int_equal(zr_rpc_parse_response(h, one, strlen(one), 5, &r), 0);
    assert_int_equal(json_array_size(r), 2);
    json_decref(r);
    assert_int_equal(zr_rpc_parse_response(h, one, strlen(one), 6, &r), ZR_ERPCRESP);
    assert_null(r);
    zr_rpc_free(h);
}

/* A chain of 100 blocks with one log per block; eth_getLogs refuses ranges of more than
 * 10 blocks the way Infura does. */
typedef struct logs_srv {
    uint64_t widest;
    uint64_t refuse_over; /* ranges wider than this are refused as too large */
    int rate_limited;     /* every request is refused with a rate-limit error */
    int refused;
    int bad;
} logs_srv_t;

static void logs_fn(void *ud, const char *path, const char *body, size_t len, zt_http_reply_t *rep)
{
    (void)path;
    logs_srv_t *ls = ud;
    json_t *req = NULL;
    /* no cmocka asserts here: this runs on the server thread; oddities are counted */
    if (zr_json_parse(body, len, 1u << 20, &req, NULL, 0)) {
        ls->bad++;
        return;
    }
    json_int_t id = json_integer_value(json_object_get(req, "id"));
    const json_t *f = json_array_get(json_object_get(req, "params"), 0);
    uint64_t from = 0, to = 0;
    const char *a = json_string_value(json_array_get(json_object_get(f, "address"), 0));
    if (zr_rpc_u64_parse(&from, zr_json_str(f, "fromBlock")) || zr_rpc_u64_parse(&to, zr_json_str(f, "toBlock")) ||
        !a || strcmp(a, "0x5fbdb2315678afecb367f032d93f642f64180aa3") != 0 || to < from)
        ls->bad++;
    if (to - from + 1 > ls->widest)
        ls->widest = to - from + 1;
    if (ls->rate_limited) {
        ls->refused++;
        zr_buf_printf(&rep->body, "{\"jsonrpc\":\"2.0\",\"id\":%lld,\"error\":{\"code\":-32005,"
                                  "\"message\":\"daily request count exceeded, request rate limited\"}}", (long long)id);
    } else if (to - from + 1 > ls->refuse_over) {
        ls->refused++;
        zr_buf_printf(&rep->body, "{\"jsonrpc\":\"2.0\",\"id\":%lld,\"error\":{\"code\":-32005,"
                                  "\"message\":\"query returned more than 10000 results\"}}", (long long)id);
    } else {
        zr_buf_printf(&rep->body, "{\"jsonrpc\":\"2.0\",\"id\":%lld,\"result\":[", (long long)id);
        for (uint64_t b = from; b <= to && b < 100; b++)
            zr_buf_printf(&rep->body,
                          "%s{\"address\":\"0x5fbdb2315678afecb367f032d93f642f64180aa3\",\"topics\":[\"0x%064llx\"],"
                          "\"data\":\"0x%02llx\",\"blockNumber\":\"0x%llx\",\"blockHash\":\"0x%064llx\","
                          "\"transactionHash\":\"0x%064llx\",\"transactionIndex\":\"0x0\",\"logIndex\":\"0x0\",\"removed\":false}",
                          b == from ? "" : ",", (unsigned long long)b, (unsigned long long)b,
                          (unsigned long long)b, (unsigned long long)b + 1, (unsigned long long)b + 2);
        zr_buf_append_str(&rep->body, "]}");
    }
    json_decref(req);
}

static void test_get_logs_ranges(void **state)
{
    (void)state;
    logs_srv_t ls = {.refuse_over = 10};
    zt_http_t *s = zt_http_start(logs_fn, &ls);
    zr_rpc_t *h = zr_rpc_new(zt_http_url(s), NULL);
    uint8_t addr[1][20];
    assert_int_equal(zr_hex_decode_exact(addr[0], 20, "5fbdb2315678afecb367f032d93f642f64180aa3"), 0);
    zr_rpc_filter_t f = {.from_block = 0, .to_block = 99, .addresses = addr, .n_addresses = 1, .max_range = 40};
    zr_rpc_logs_t logs;
    zr_rpc_logs_init(&logs);
    int rc = zr_rpc_get_logs(h, &logs, &f);
    if (rc)
        fail_msg("%s", zr_rpc_errmsg(h));
    assert_int_equal(logs.n, 100);
    for (size_t i = 0; i < logs.n; i++) {
        assert_int_equal(logs.v[i].block_number, i);
        assert_int_equal(logs.v[i].n_topics, 1);
        assert_int_equal(logs.v[i].topics[0][31], (uint8_t)i);
        assert_int_equal(logs.v[i].data_len, 1);
        assert_int_equal(logs.v[i].data[0], (uint8_t)i);
        assert_int_equal(logs.v[i].tx_hash[31], (uint8_t)(i + 2));
    }
    assert_true(ls.widest <= 40);
    assert_true(ls.refused > 0);
    assert_int_equal(ls.bad, 0);
    assert_true(zr_rpc_get_logs_requests(h) > 10);
    zr_rpc_logs_cleanup(&logs);
    /* a node that refuses even one block: halving stops at one block and the error
     * comes back, without the logs of the failed ranges */
    ls.refuse_over = 0;
    zr_rpc_logs_init(&logs);
    assert_int_equal(zr_rpc_get_logs(h, &logs, &f), ZR_ERPC);
    assert_int_equal(zr_rpc_remote_code(h), -32005);
    assert_int_equal(logs.n, 0);
    assert_int_equal(zr_rpc_get_logs_requests(h), 6); /* 40, 20, 10, 5, 2, 1 blocks */
    /* a rate limit is not a range problem: no halving */
    ls.rate_limited = 1;
    assert_int_equal(zr_rpc_get_logs(h, &logs, &f), ZR_ERPC);
    assert_int_equal(zr_rpc_get_logs_requests(h), 1);
    ls.rate_limited = 0;
    /* answers over the body cap are halved too */
    ls.refuse_over = 1000;
    zr_rpc_opts_t o;
    zr_rpc_opts_default(&o);
    o.max_response = 8 * 1024; /* one log is about 500 bytes */
    zr_rpc_t *small = zr_rpc_new(zt_http_url(s), &o);
    rc = zr_rpc_get_logs(small, &logs, &f);
    if (rc)
        fail_msg("%s", zr_rpc_errmsg(small));
    assert_int_equal(logs.n, 100);
    for (size_t i = 0; i < logs.n; i++)
        assert_int_equal(logs.v[i].block_number, i);
    /* without halving it would be 3 requests of 40 blocks; every answer fits the cap */
    assert_true(zr_rpc_get_logs_requests(small) > 3);
    zr_rpc_logs_cleanup(&logs);
    zr_rpc_free(small);
    zr_rpc_filter_t bad = f;
    bad.from_block = 5;
    bad.to_block = 4;
    assert_int_equal(zr_rpc_get_logs(h, &logs, &bad), ZR_EINVAL);
    zr_rpc_free(h);
    zt_http_stop(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ok_and_request_shape),
        cmocka_unit_test(test_wrong_json_types),
        cmocka_unit_test(test_remote_error_kept),
        cmocka_unit_test(test_revert_on_call),
        cmocka_unit_test(test_mismatched_id),
        cmocka_unit_test(test_body_over_cap),
        cmocka_unit_test(test_slow_server_times_out),
        cmocka_unit_test(test_dropped_connections),
        cmocka_unit_test(test_garbage_and_http_status),
        cmocka_unit_test(test_batch_mixed),
        cmocka_unit_test(test_batch_parse_offline),
        cmocka_unit_test(test_get_logs_ranges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
