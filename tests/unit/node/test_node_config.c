// SPDX-License-Identifier: MIT
// Node configuration from file, environment and arguments, with precedence and errors,
// and the Prometheus metrics registry's text output.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zt.h"
#include "zara/metrics.h"
#include "zara/node.h"

static void test_config_sources(void **state)
{
    (void)state;
    char *dir = zt_tmpdir();
    char path[600];
    snprintf(path, sizeof path, "%s/node.conf", dir);
    const char *text = "# operator 1\nrpc = http://127.0.0.1:9999\naggregator = true\n"
                       "confirmations = 3  # after three blocks\nnode_name = \"op one\"\n";
    assert_int_equal(zr_file_write_atomic(path, text, strlen(text), 0600), 0);
    zr_node_config_t c;
    char err[400];
    zr_node_config_init(&c);
    assert_int_equal(zr_node_config_load_file(&c, path, err, sizeof err), 0);
    assert_string_equal(c.rpc, "http://127.0.0.1:9999");
    assert_int_equal(c.aggregator, 1);
    assert_int_equal(c.confirmations, 3);
    assert_string_equal(c.node_name, "op one");

    setenv("ZARA_CONFIRMATIONS", "5", 1);
    assert_int_equal(zr_node_config_load_env(&c, err, sizeof err), 0);
    assert_int_equal(c.confirmations, 5);
    unsetenv("ZARA_CONFIRMATIONS");

    char *argv[] = {"node", "--confirmations", "7", "--poll-ms=100", "--aggregator", "--db", "x.db"};
    assert_int_equal(zr_node_config_load_args(&c, 7, argv, 1, err, sizeof err), 0);
    assert_int_equal(c.confirmations, 7);
    assert_int_equal(c.poll_ms, 100);
    assert_string_equal(c.db, "x.db");

    char *bad[] = {"node", "--confirmations", "-1"};
    assert_int_equal(zr_node_config_load_args(&c, 3, bad, 1, err, sizeof err), ZR_EINVAL);
    assert_non_null(strstr(err, "confirmations"));
    char *unknown[] = {"node", "--colour", "blue"};
    assert_int_equal(zr_node_config_load_args(&c, 3, unknown, 1, err, sizeof err), ZR_EINVAL);
    assert_non_null(strstr(err, "colour"));
    char *last[] = {"node", "--bogus"};
    assert_int_equal(zr_node_config_load_args(&c, 2, last, 1, err, sizeof err), ZR_EINVAL);
    assert_non_null(strstr(err, "unknown option --bogus"));

    const char *broken = "rpc = a\nthis line has no equals\n";
    assert_int_equal(zr_file_write_atomic(path, broken, strlen(broken), 0600), 0);
    assert_int_equal(zr_node_config_load_file(&c, path, err, sizeof err), ZR_EPARSE);
    assert_non_null(strstr(err, ":2:"));
    zt_rmtree(dir);
    free(dir);
}

static void test_metrics_text(void **state)
{
    (void)state;
    zr_metrics_t *m = zr_metrics_new();
    static const double b[] = {0.01, 0.1, 1};
    assert_int_equal(zr_metrics_declare(m, "eigen_rpc_request_total", ZR_METRIC_COUNTER, "RPC requests", NULL, 0), 0);
    assert_int_equal(zr_metrics_declare(m, "eigen_rpc_request_duration_seconds", ZR_METRIC_HISTOGRAM,
                                        "RPC latency", b, 3), 0);
    assert_int_equal(zr_metrics_declare(m, "eigen_performance_score", ZR_METRIC_GAUGE, "score", NULL, 0), 0);
    assert_int_equal(zr_metrics_declare(m, "bad name", ZR_METRIC_GAUGE, "", NULL, 0), ZR_EINVAL);
    zr_metrics_add(m, "eigen_rpc_request_total", 1, "method", "eth_call", "rpc_service_name", "chain", NULL);
    zr_metrics_add(m, "eigen_rpc_request_total", 2, "method", "eth_call", "rpc_service_name", "chain", NULL);
    assert_int_equal(zr_metrics_add(m, "eigen_rpc_request_total", -1, NULL), ZR_EINVAL);
    zr_metrics_observe(m, "eigen_rpc_request_duration_seconds", 0.05, "method", "eth_call", NULL);
    zr_metrics_set(m, "eigen_performance_score", 100, NULL);
    zr_metrics_add(m, "eigen_rpc_request_total", 1, "method", "a\"b", NULL);
    assert_true(zr_metrics_get(m, "eigen_rpc_request_total", "method", "eth_call", "rpc_service_name", "chain",
                               NULL) == 3.0);
    zr_buf_t out;
    zr_buf_init(&out, 1 << 16);
    assert_int_equal(zr_metrics_render(m, &out), 0);
    const char *t = zr_buf_cstr(&out);
    assert_non_null(strstr(t, "# TYPE eigen_rpc_request_total counter\n"));
    assert_non_null(strstr(t, "eigen_rpc_request_total{method=\"eth_call\",rpc_service_name=\"chain\"} 3\n"));
    assert_non_null(strstr(t, "eigen_rpc_request_total{method=\"a\\\"b\"} 1\n"));
    assert_non_null(strstr(t, "eigen_rpc_request_duration_seconds_bucket{method=\"eth_call\",le=\"0.01\"} 0\n"));
    assert_non_null(strstr(t, "eigen_rpc_request_duration_seconds_bucket{method=\"eth_call\",le=\"0.10000000000000001\"} 1\n"));
    assert_non_null(strstr(t, "eigen_rpc_request_duration_seconds_bucket{method=\"eth_call\",le=\"+Inf\"} 1\n"));
    assert_non_null(strstr(t, "eigen_rpc_request_duration_seconds_count{method=\"eth_call\"} 1\n"));
    assert_non_null(strstr(t, "eigen_performance_score 100\n"));
    zr_buf_cleanup(&out);
    zr_metrics_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_sources),
        cmocka_unit_test(test_metrics_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
