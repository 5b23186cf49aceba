// SPDX-License-Identifier: MIT
// The node's HTTP surface over loopback: the EigenLayer AVS Node API (node info, health
// 200/206/503, services), /metrics as valid Prometheus text, static files without path
// traversal, and 404/405 answers.
#include <curl/curl.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "node_int.h"
#include "zt.h"

static size_t sink(char *p, size_t sz, size_t n, void *ud)
{
    zr_buf_append(ud, p, sz * n);
    return sz * n;
}

static long get(int port, const char *path, zr_buf_t *out)
{
    CURL *c = curl_easy_init();
    char url[256];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, path);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
    curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
    zr_buf_reset(out);
    long code = 0;
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_cleanup(c);
    return code;
}

/* Every line of a Prometheus text exposition is a comment or `name{labels} value`. */
static void assert_prometheus(const char *text)
{
    regex_t re;
    assert_int_equal(regcomp(&re,
                             "^[a-zA-Z_:][a-zA-Z0-9_:]*(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\.)*\""
                             "(,[a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\.)*\")*\\})? "
                             "(-?[0-9.eE+-]+|NaN|\\+Inf|-Inf)$",
                             REG_EXTENDED | REG_NOSUB),
                     0);
    char *copy = strdup(text), *save = NULL;
    int samples = 0;
    for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        if (strncmp(l, "# HELP ", 7) == 0 || strncmp(l, "# TYPE ", 7) == 0)
            continue;
        if (regexec(&re, l, 0, NULL, 0) != 0)
            fail_msg("not a Prometheus sample line: %s", l);
        samples++;
    }
    assert_true(samples > 0);
    free(copy);
    regfree(&re);
}

static void test_eigen_api_and_metrics(void **state)
{
    (void)state;
    char *dir = zt_tmpdir();
    char idx[600];
    snprintf(idx, sizeof idx, "%s/index.html", dir);
    assert_int_equal(zr_file_write_atomic(idx, "<h1>dash</h1>", 13, 0644), 0);

    zr__node_http_t n;
    memset(&n, 0, sizeof n);
    n.metrics = zr_metrics_new();
    assert_int_equal(zr__node_metrics_declare(n.metrics), 0);
    n.node_name = "op-1";
    n.web_dir = dir;
    n.aggregator_enabled = 1;
    zr_httpd_opts_t o = {.rate_per_sec = 1000, .rate_burst = 1000};
    int err;
    zr_httpd_t *h = zr_httpd_start(&o, zr__node_http_handle, &n, &err);
    assert_non_null(h);
    int port = zr_httpd_port(h);
    zr_buf_t b;
    zr_buf_init(&b, 1 << 20);

    assert_int_equal(get(port, "/eigen/node", &b), 200);
    json_t *j;
    char e[100];
    assert_int_equal(zr_json_parse((char *)b.data, b.len, b.len, &j, e, sizeof e), 0);
    assert_string_equal(zr_json_str(j, "node_name"), "op-1");
    assert_non_null(zr_json_str(j, "spec_version"));
    assert_non_null(zr_json_str(j, "node_version"));
    json_decref(j);

    assert_int_equal(get(port, "/eigen/node/health", &b), 503); /* initializing */
    atomic_store(&n.svc[ZR__SVC_CHAIN], ZR__SVC_UP);
    assert_int_equal(get(port, "/eigen/node/health", &b), 206);
    atomic_store(&n.svc[ZR__SVC_EVALUATOR], ZR__SVC_UP);
    atomic_store(&n.svc[ZR__SVC_AGGREGATOR], ZR__SVC_UP);
    assert_int_equal(get(port, "/eigen/node/health", &b), 200);
    atomic_store(&n.svc[ZR__SVC_AGGREGATOR], ZR__SVC_DOWN);
    assert_int_equal(get(port, "/eigen/node/health", &b), 206);
    assert_int_equal(get(port, "/eigen/node/services/aggregator/health", &b), 503);
    assert_int_equal(get(port, "/eigen/node/services/chain/health", &b), 200);
    assert_int_equal(get(port, "/eigen/node/services/nope/health", &b), 404);

    assert_int_equal(get(port, "/eigen/node/services", &b), 200);
    assert_int_equal(zr_json_parse((char *)b.data, b.len, b.len, &j, e, sizeof e), 0);
    json_t *svcs = json_object_get(j, "services");
    assert_int_equal(json_array_size(svcs), 3);
    assert_string_equal(zr_json_str(json_array_get(svcs, 0), "id"), "chain");
    assert_string_equal(zr_json_str(json_array_get(svcs, 0), "status"), "Up");
    assert_string_equal(zr_json_str(json_array_get(svcs, 2), "status"), "Down");
    json_decref(j);

    zr_metrics_set(n.metrics, "eigen_performance_score", 100, NULL);
    zr_metrics_set(n.metrics, "eigen_registered_stakes", 32e18, "quorum_number", "0", "quorum_name", "stake", NULL);
    zr_metrics_add(n.metrics, "eigen_rpc_request_total", 1, "method", "eth_getLogs", "rpc_service_name", "chain", NULL);
    zr_metrics_observe(n.metrics, "eigen_rpc_request_duration_seconds", 0.02, "method", "eth_getLogs", NULL);
    assert_int_equal(get(port, "/metrics", &b), 200);
    assert_prometheus(zr_buf_cstr(&b));
    assert_non_null(strstr(zr_buf_cstr(&b), "eigen_performance_score 100"));
    assert_non_null(strstr(zr_buf_cstr(&b), "zara_http_requests_total{route=\"eigen\"}"));

    assert_int_equal(get(port, "/", &b), 200);
    assert_string_equal(zr_buf_cstr(&b), "<h1>dash</h1>");
    assert_int_equal(get(port, "/../../etc/passwd", &b), 404);
    assert_int_equal(get(port, "/missing.js", &b), 404);
    assert_int_equal(get(port, "/api/tasks", &b), 404);

    zr_buf_cleanup(&b);
    zr_httpd_stop(h);
    zr_metrics_free(n.metrics);
    zt_rmtree(dir);
    free(dir);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_eigen_api_and_metrics)};
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
