// SPDX-License-Identifier: MIT
// The common module: bounded buffers, hex, error names, JSON limits, log lines, files.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zt.h"

static void test_buf_bounds(void **state)
{
    (void)state;
    zr_buf_t b;
    zr_buf_init(&b, 10);
    assert_int_equal(zr_buf_append(&b, "0123456789", 10), 0);
    assert_int_equal(zr_buf_append_byte(&b, 'x'), ZR_ETOOBIG);
    assert_int_equal(b.len, 10);
    assert_string_equal(zr_buf_cstr(&b), "0123456789");
    zr_buf_reset(&b);
    assert_int_equal(zr_buf_printf(&b, "%d-%s", 42, "ab"), 0);
    assert_string_equal(zr_buf_cstr(&b), "42-ab");
    assert_int_equal(zr_buf_printf(&b, "%s", "too long!"), ZR_ETOOBIG);
    assert_string_equal(zr_buf_cstr(&b), "42-ab");
    size_t n;
    uint8_t *p = zr_buf_take(&b, &n);
    assert_int_equal(n, 5);
    free(p);
    assert_null(b.data);
    zr_buf_cleanup(&b);
    zr_buf_cleanup(NULL);
}

static void test_hex(void **state)
{
    (void)state;
    uint8_t out[8];
    size_t n;
    assert_int_equal(zr_hex_decode(out, sizeof out, &n, "0xDEADbeef", 10), 0);
    assert_int_equal(n, 4);
    assert_int_equal(out[0], 0xde);
    assert_int_equal(out[3], 0xef);
    assert_int_equal(zr_hex_decode(out, sizeof out, &n, "abc", 3), ZR_EHEX);
    assert_int_equal(zr_hex_decode(out, sizeof out, &n, "zz", 2), ZR_EHEX);
    assert_int_equal(zr_hex_decode(out, 1, &n, "abcd", 4), ZR_EBUFSMALL);
    assert_int_equal(zr_hex_decode_exact(out, 2, "0x0102"), 0);
    assert_int_equal(zr_hex_decode_exact(out, 3, "0x0102"), ZR_EHEX);
    char s[9];
    zr_hex_encode(s, (const uint8_t *)"\x01\xab\xff\x00", 4);
    assert_string_equal(s, "01abff00");
    zr_buf_t b;
    zr_buf_init(&b, 100);
    assert_int_equal(zr_hex_append_0x(&b, (const uint8_t *)"\x12", 1), 0);
    assert_string_equal(zr_buf_cstr(&b), "0x12");
    zr_buf_cleanup(&b);
    /* every byte value: the digit's value, -1 for anything else */
    static const char digits[] = "0123456789abcdef", upper[] = "ABCDEF";
    for (int c = 0; c < 256; c++) {
        const char *d = c ? strchr(digits, c) : NULL, *u = c ? strchr(upper, c) : NULL;
        int want = d ? (int)(d - digits) : u ? 10 + (int)(u - upper) : -1;
        assert_int_equal(zr_hex_digit((char)c), want);
    }
}

static void test_errors(void **state)
{
    (void)state;
    assert_string_equal(zr_err_name(ZR_ENOMEM), "NOMEM");
    assert_string_equal(zr_strerror(ZR_ETOOBIG), "input exceeds its size limit");
    assert_string_equal(zr_strerror(0), "success");
    assert_string_equal(zr_strerror(-99999), "unknown error");
}

static void test_json(void **state)
{
    (void)state;
    json_t *j;
    char err[200];
    assert_int_equal(zr_json_parse("{\"a\":\"b\"}", 9, 100, &j, err, sizeof err), 0);
    assert_string_equal(zr_json_str(j, "a"), "b");
    assert_null(zr_json_str(j, "c"));
    json_decref(j);
    assert_int_equal(zr_json_parse("{\"a\":", 5, 100, &j, err, sizeof err), ZR_EJSON);
    assert_non_null(strstr(err, "line"));
    assert_int_equal(zr_json_parse("[1,2,3]", 7, 3, &j, err, sizeof err), ZR_ETOOBIG);
    assert_int_equal(zr_json_parse("{\"a\":1,\"a\":2}", 13, 100, &j, err, sizeof err), ZR_EJSON);
}

static char last_line[2048];
static void capture(void *ud, zr_log_level_t level, const char *line)
{
    (void)ud;
    (void)level;
    snprintf(last_line, sizeof last_line, "%s", line);
}

static void test_log(void **state)
{
    (void)state;
    zr_log_set_callback(capture, NULL);
    zr_log_set_level(ZR_LOG_INFO);
    last_line[0] = 0;
    ZR_DEBUG("hidden", "x=%d", 1);
    assert_string_equal(last_line, "");
    char q[64];
    ZR_WARN("rpc.retry", "attempt=%d url=%s", 3, zr_log_quote(q, sizeof q, "a b\"c"));
    assert_non_null(strstr(last_line, "level=warn event=rpc.retry attempt=3 url=\"a b\\\"c\""));
    assert_int_equal(strncmp(last_line, "ts=", 3), 0);
    zr_log_set_callback(NULL, NULL);
    assert_int_equal(zr_log_level_parse("error"), ZR_LOG_ERROR);
    assert_int_equal(zr_log_level_parse("loud"), -1);
}

static void test_files(void **state)
{
    (void)state;
    char *dir = zt_tmpdir();
    char path[600];
    snprintf(path, sizeof path, "%s/sub/dir/f.bin", dir);
    char sub[600];
    snprintf(sub, sizeof sub, "%s/sub/dir", dir);
    assert_int_equal(zr_mkdirs(sub, 0700), 0);
    assert_int_equal(zr_file_write_atomic(path, "hello", 5, 0600), 0);
    zr_buf_t b;
    zr_buf_init(&b, 100);
    assert_int_equal(zr_file_read(path, 100, &b), 0);
    assert_string_equal(zr_buf_cstr(&b), "hello");
    zr_buf_reset(&b);
    assert_int_equal(zr_file_read(path, 4, &b), ZR_ETOOBIG);
    snprintf(path, sizeof path, "%s/missing", dir);
    assert_int_equal(zr_file_read(path, 4, &b), ZR_ENOENT);
    zr_buf_cleanup(&b);
    zt_rmtree(dir);
    free(dir);
}

static void test_random_and_wipe(void **state)
{
    (void)state;
    uint8_t a[32] = {0}, b[32] = {0};
    assert_int_equal(zr_random_bytes(a, sizeof a), 0);
    assert_int_equal(zr_random_bytes(b, sizeof b), 0);
    assert_int_not_equal(zr_memeq_ct(a, b, 32), 0);
    assert_int_equal(zr_memeq_ct(a, a, 32), 0);
    zr_wipe(a, sizeof a);
    for (size_t i = 0; i < sizeof a; i++)
        assert_int_equal(a[i], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_bounds), cmocka_unit_test(test_hex),
        cmocka_unit_test(test_errors),     cmocka_unit_test(test_json),
        cmocka_unit_test(test_log),        cmocka_unit_test(test_files),
        cmocka_unit_test(test_random_and_wipe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
