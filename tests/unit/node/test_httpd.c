// SPDX-License-Identifier: MIT
// The node's HTTP server and JSON-RPC dispatcher over real loopback connections (libcurl):
// routing, 413 for oversized bodies, 429 from the rate limiter, JSON-RPC errors, batches
// and notifications.
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "zt.h"
#include "zara/httpd.h"

static int m_echo(void *ud, json_t *params, json_t **result, char *errmsg, size_t cap)
{
    (void)ud;
    (void)errmsg;
    (void)cap;
    *result = json_incref(params ? params : json_null());
    return 0;
}

static int m_fail(void *ud, json_t *params, json_t **result, char *errmsg, size_t cap)
{
    (void)ud;
    (void)params;
    (void)result;
    snprintf(errmsg, cap, "signature from an unregistered key");
    return -32001;
}

static const zr_jsonrpc_method_t methods[] = {{"echo", m_echo}, {"fail", m_fail}};

static void handler(void *ud, const zr_http_request_t *req, zr_http_response_t *resp)
{
    (void)ud;
    if (strcmp(req->path, "/rpc") == 0 && strcmp(req->method, "POST") == 0) {
        if (zr_jsonrpc_handle(methods, 2, NULL, req->body, req->body_len, 10, &resp->body) == 1)
            resp->status = 204;
        return;
    }
    if (strcmp(req->path, "/hello") == 0) {
        snprintf(resp->content_type, sizeof resp->content_type, "text/plain");
        zr_buf_append_str(&resp->body, "hi");
        return;
    }
    resp->status = 404;
    zr_buf_append_str(&resp->body, "{\"error\":\"not found\"}");
}

static size_t sink(char *p, size_t sz, size_t n, void *ud)
{
    zr_buf_append(ud, p, sz * n);
    return sz * n;
}

static long request(int port, const char *path, const char *body, size_t body_len, zr_buf_t *out)
{
    CURL *c = curl_easy_init();
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, path);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)body_len);
    }
    long code = 0;
    zr_buf_reset(out);
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return code;
}

static void test_routes_and_limits(void **state)
{
    (void)state;
    zr_httpd_opts_t o = {.max_body = 1000, .rate_per_sec = 1000, .rate_burst = 1000};
    int err;
    zr_httpd_t *h = zr_httpd_start(&o, handler, NULL, &err);
    assert_non_null(h);
    int port = zr_httpd_port(h);
    assert_true(port > 0);
    zr_buf_t b;
    zr_buf_init(&b, 1 << 20);
    assert_int_equal(request(port, "/hello", NULL, 0, &b), 200);
    assert_string_equal(zr_buf_cstr(&b), "hi");
    assert_int_equal(request(port, "/nope", NULL, 0, &b), 404);

    const char *call = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"echo\",\"params\":[1,\"x\"]}";
    assert_int_equal(request(port, "/rpc", call, strlen(call), &b), 200);
    assert_string_equal(zr_buf_cstr(&b), "{\"jsonrpc\":\"2.0\",\"result\":[1,\"x\"],\"id\":7}");

    const char *bad = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":";
    assert_int_equal(request(port, "/rpc", bad, strlen(bad), &b), 200);
    assert_non_null(strstr(zr_buf_cstr(&b), "-32700"));

    const char *unknown = "{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"nope\"}";
    request(port, "/rpc", unknown, strlen(unknown), &b);
    assert_non_null(strstr(zr_buf_cstr(&b), "-32601"));

    const char *failing = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"fail\",\"params\":{}}";
    request(port, "/rpc", failing, strlen(failing), &b);
    assert_non_null(strstr(zr_buf_cstr(&b), "unregistered"));
    assert_non_null(strstr(zr_buf_cstr(&b), "-32001"));

    const char *batch = "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":[1]},"
                        "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[2]},"
                        "{\"jsonrpc\":\"1.0\",\"id\":3,\"method\":\"echo\"}, 5]";
    request(port, "/rpc", batch, strlen(batch), &b);
    json_t *j;
    char e[100];
    assert_int_equal(zr_json_parse((const char *)b.data, b.len, b.len, &j, e, sizeof e), 0);
    assert_int_equal(json_array_size(j), 3); /* the notification has no answer */
    assert_int_equal(json_integer_value(json_object_get(json_array_get(j, 0), "id")), 1);
    assert_non_null(json_object_get(json_array_get(j, 1), "error"));
    assert_non_null(json_object_get(json_array_get(j, 2), "error"));
    json_decref(j);

    const char *note = "{\"jsonrpc\":\"2.0\",\"method\":\"echo\"}";
    assert_int_equal(request(port, "/rpc", note, strlen(note), &b), 204);

    char big[4000];
    memset(big, ' ', sizeof big);
    assert_int_equal(request(port, "/rpc", big, sizeof big, &b), 413);
    /* the server keeps serving after bad input */
    assert_int_equal(request(port, "/hello", NULL, 0, &b), 200);
    zr_buf_cleanup(&b);
    zr_httpd_stop(h);
}

static void test_rate_limit(void **state)
{
    (void)state;
    zr_httpd_opts_t o = {.rate_per_sec = 0.5, .rate_burst = 3};
    int err;
    zr_httpd_t *h = zr_httpd_start(&o, handler, NULL, &err);
    assert_non_null(h);
    zr_buf_t b;
    zr_buf_init(&b, 1 << 20);
    int ok = 0, limited = 0;
    for (int i = 0; i < 8; i++) {
        long code = request(zr_httpd_port(h), "/hello", NULL, 0, &b);
        ok += code == 200;
        limited += code == 429;
    }
    assert_int_equal(ok, 3);
    assert_int_equal(limited, 5);
    zr_buf_cleanup(&b);
    zr_httpd_stop(h);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_routes_and_limits),
        cmocka_unit_test(test_rate_limit),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
