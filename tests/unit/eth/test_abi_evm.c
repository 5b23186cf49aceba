// SPDX-License-Identifier: MIT
// The ABI against solc's own code running on a real EVM: AbiEcho (tests/vectors/
// abi_echo.sol, compiled by solcjs) is deployed on anvil; its echo() decodes call data
// that zara encoded (solc's strict decoder) and re-encodes it (solc's encoder), which must
// give zara's encoding byte for byte; dirty call data that zara's decoder refuses makes
// solc revert too; emitIt() emits a log with indexed and dynamic fields that zara decodes.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zt.h"
#include "zara/abi.h"
#include "zara/keccak.h"

#define OUT_CAP (1u << 20)

static zt_anvil_t anvil;
static char addr[64];
static char *out;
static zr_abi_json_t *abi;

static const char *cast(void)
{
    static char p[4096];
    if (!p[0])
        snprintf(p, sizeof p, "%s", zt_src_path("node_modules/.bin/cast"));
    return p;
}

/* zt_run formats into an 8 KiB buffer; longer commands would be cut silently. */
#define CMD_MAX 8000

static char *hex0x(const uint8_t *p, size_t n)
{
    char *s = malloc(2 * n + 3);
    assert_non_null(s);
    s[0] = '0', s[1] = 'x';
    zr_hex_encode(s + 2, p, n);
    return s;
}

static int setup(void **state)
{
    (void)state;
    out = malloc(OUT_CAP);
    zr_abi_diag_t d = {0};
    if (zr_abi_json_load_file(&abi, zt_src_path("tests/vectors/abi_echo_artifact.json"), &d) != 0) {
        fprintf(stderr, "%s\n", d.msg);
        return -1;
    }
    zr_buf_t f;
    zt_read_file("tests/vectors/abi_echo_artifact.json", &f);
    json_t *art;
    char err[160];
    if (zr_json_parse((const char *)f.data, f.len, f.max, &art, err, sizeof err) != 0)
        return -1;
    const char *bin = json_string_value(json_object_get(json_object_get(art, "bytecode"), "object"));
    /* the bytecode is longer than zt_run's command buffer: pass it through a file */
    char *dir = zt_tmpdir();
    char binfile[4200];
    snprintf(binfile, sizeof binfile, "%s/bytecode.hex", dir);
    if (!bin || zr_file_write_atomic(binfile, bin, strlen(bin), 0600) != 0)
        return -1;
    zt_anvil_start(&anvil, NULL);
    int st = zt_run(out, OUT_CAP, "'%s' send --rpc-url %s --private-key %s --create \"$(cat '%s')\" --json </dev/null",
                    cast(), anvil.url, ZT_ANVIL_KEY0, binfile);
    zt_rmtree(dir);
    free(dir);
    json_decref(art);
    zr_buf_cleanup(&f);
    json_t *r;
    if (st != 0 || zr_json_parse(out, strlen(out), OUT_CAP, &r, err, sizeof err) != 0) {
        fprintf(stderr, "deploy failed: %s\n", out);
        return -1;
    }
    snprintf(addr, sizeof addr, "%s", zr_json_str(r, "contractAddress") ? zr_json_str(r, "contractAddress") : "");
    json_decref(r);
    return addr[0] ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    zt_anvil_stop(&anvil);
    zr_abi_json_free(abi);
    free(out);
    return 0;
}

/* eth_call with raw call data: 0 with the returned hex in out, or 1 when the call
 * reverted (cast 1.7.1 exits 0 after printing the revert on stderr, so look at both). */
static int call_raw(const uint8_t *cd, size_t n)
{
    char *hex = hex0x(cd, n);
    assert_true(strlen(hex) + 200 < CMD_MAX);
    int st = zt_run(out, OUT_CAP, "'%s' call --rpc-url %s %s %s </dev/null 2>&1", cast(), anvil.url, addr, hex);
    free(hex);
    if (st != 0 || strncmp(out, "0x", 2) != 0 || strstr(out, "revert"))
        return 1;
    return 0;
}

static zr_abi_value_t *parse_args(const zr_abi_sig_t *s, int argc, char **argv)
{
    zr_abi_value_t *v;
    zr_abi_diag_t d = {0};
    if (zr_abi_value_parse_args(&v, s->inputs, argc, argv, &d) != 0)
        fail_msg("%s: %s", s->canonical, d.msg);
    return v;
}

static char *echo_args[][5] = {
    {"(1,2,3,0x0000000000000000000000000000000000000000000000000000000000000001,2,-3,4,"
     "0x00000000000000000000000000000000000000000000000000000000000000ff)",
     "0xabcdef", "[5,6]", "[7,8]", "[(0x70997970C51812dc3A010C7d01b50e0d17dc79C8,hi,[-1,2])]"},
    {"(0,0,0,0x0000000000000000000000000000000000000000000000000000000000000000,0,0,0,"
     "0x0000000000000000000000000000000000000000000000000000000000000000)",
     "0x", "[0,0]", "[]", "[]"},
    {"(115792089237316195423570985008687907853269984665640564039457584007913129639935,1,2,"
     "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff,255,"
     "-57896044618657977807101358286082018474925519520765584734052050286154287226880,"
     "57896044618657977807101358286082018474925519520765584734052050286154287226879,"
     "0x0102030405060708091011121314151617181920212223242526272829303132)",
     "0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f2021222324252627",
     "[115792089237316195423570985008687907853269984665640564039457584007913129639935,1]",
     "[4294967295,0,1,2,3]",
     "[(0x0000000000000000000000000000000000000001,\"\",[]),(0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266,"
     "\"Grüße 😀\",[-32768,32767,0]),(0x70997970C51812dc3A010C7d01b50e0d17dc79C8,x,[1])]"},
};

static void test_echo_matches_solc(void **state)
{
    (void)state;
    const zr_abi_sig_t *echo = zr_abi_json_find(abi, ZR_ABI_FUNCTION, "echo");
    assert_non_null(echo);
    for (size_t c = 0; c < ZR_ARRAY_LEN(echo_args); c++) {
        zr_abi_value_t *v = parse_args(echo, 5, echo_args[c]);
        zr_buf_t cd, want;
        zr_buf_init(&cd, 1 << 20);
        zr_buf_init(&want, 1 << 20);
        assert_int_equal(zr_abi_encode_call(&cd, echo, v, NULL), 0);
        /* solc's return encoding of the same values is zara's encoding of them */
        assert_int_equal(zr_abi_encode(&want, echo->outputs, v, NULL), 0);
        assert_int_equal(call_raw(cd.data, cd.len), 0);
        char *w = hex0x(want.data, want.len);
        if (strcmp(out, w) != 0)
            fail_msg("case %zu: solc returned\n%s\nzara encodes\n%s", c, out, w);
        /* and zara decodes what solc returned */
        size_t n;
        uint8_t *ret = zt_unhex(out, &n);
        zr_abi_value_t *back;
        zr_abi_diag_t d = {0};
        if (zr_abi_decode_output(&back, echo, ret, n, &d) != 0)
            fail_msg("case %zu: %s", c, d.msg);
        zr_buf_t again;
        zr_buf_init(&again, 1 << 20);
        assert_int_equal(zr_abi_encode(&again, echo->outputs, back, NULL), 0);
        assert_int_equal(again.len, n);
        assert_memory_equal(again.data, ret, n);
        zr_buf_cleanup(&again);
        zr_abi_value_free(back);
        free(ret);
        free(w);
        zr_buf_cleanup(&cd);
        zr_buf_cleanup(&want);
        zr_abi_value_free(v);
    }
}

/* Corruptions zara's strict decoder refuses are refused by solc's decoder as well. */
static void test_dirty_calldata_reverts(void **state)
{
    (void)state;
    const zr_abi_sig_t *echo = zr_abi_json_find(abi, ZR_ABI_FUNCTION, "echo");
    zr_abi_value_t *v = parse_args(echo, 5, echo_args[0]);
    zr_buf_t cd;
    zr_buf_init(&cd, 1 << 20);
    assert_int_equal(zr_abi_encode_call(&cd, echo, v, NULL), 0);
    struct {
        size_t at; /* byte offset in the call data (selector included) */
        uint8_t x;
        int err;
        const char *what;
    } bad[] = {
        {4 + 32 * 4 + 30, 0x01, ZR_EABIPADDING, "uint8 verdict with a dirty high byte"},
        {4 + 32 * 8 + 23, 0x01, ZR_EABIBOUNDS, "bytes offset beyond 2^64"},
        {4 + 32 * 8 + 30, 0x10, ZR_EABIBOUNDS, "bytes offset past the end"},
        {4 + 32 * 11 + 29, 0x01, ZR_EABIBOUNDS, "uint32[] offset past the end"},
        {4 + 32 * 13 + 29, 0x01, ZR_EABIBOUNDS, "bytes length past the end"},
    };
    for (size_t i = 0; i < ZR_ARRAY_LEN(bad); i++) {
        zr_buf_t dirty;
        zr_buf_init(&dirty, 1 << 20);
        zr_buf_append(&dirty, cd.data, cd.len);
        dirty.data[bad[i].at] ^= bad[i].x;
        zr_abi_value_t *w = NULL;
        zr_abi_diag_t d = {0};
        int rc = zr_abi_decode_call(&w, echo, dirty.data, dirty.len, &d);
        if (rc != bad[i].err)
            fail_msg("%s: zara says %s (%s)", bad[i].what, zr_err_name(rc), d.msg);
        if (call_raw(dirty.data, dirty.len) == 0)
            fail_msg("%s: solc accepted it (returned %.80s)", bad[i].what, out);
        zr_buf_cleanup(&dirty);
    }
    /* dirty values deep inside the items: the int16 -1 and the address of items[0] */
    size_t words = (cd.len - 4) / 32, at_int = 0, at_addr = 0;
    static const uint8_t who[20] = {0x70, 0x99, 0x79, 0x70, 0xc5, 0x18, 0x12, 0xdc, 0x3a, 0x01,
                                    0x0c, 0x7d, 0x01, 0xb5, 0x0e, 0x0d, 0x17, 0xdc, 0x79, 0xc8};
    for (size_t i = 0; i < words; i++) {
        const uint8_t *wd = cd.data + 4 + 32 * i;
        size_t ff = 0;
        while (ff < 32 && wd[ff] == 0xff)
            ff++;
        if (ff == 32)
            at_int = 4 + 32 * i;
        if (memcmp(wd + 12, who, 20) == 0)
            at_addr = 4 + 32 * i;
    }
    assert_true(at_int > 4 + 32 * 13);
    assert_true(at_addr > 4 + 32 * 13);
    size_t deep[2] = {at_int, at_addr};
    for (size_t i = 0; i < 2; i++) {
        cd.data[deep[i]] ^= 0x80;
        zr_abi_value_t *w = NULL;
        zr_abi_diag_t d = {0};
        assert_int_equal(zr_abi_decode_call(&w, echo, cd.data, cd.len, &d), ZR_EABIPADDING);
        assert_int_equal(call_raw(cd.data, cd.len), 1);
        cd.data[deep[i]] ^= 0x80;
    }
    assert_int_equal(call_raw(cd.data, cd.len), 0);
    /* truncated call data */
    assert_true(call_raw(cd.data, cd.len - 32) != 0);
    zr_abi_value_t *w = NULL;
    assert_true(zr_abi_decode_call(&w, echo, cd.data, cd.len - 32, NULL) != 0);
    zr_buf_cleanup(&cd);
    zr_abi_value_free(v);
}

static void test_event_log(void **state)
{
    (void)state;
    const zr_abi_sig_t *emit = zr_abi_json_find(abi, ZR_ABI_FUNCTION, "emitIt");
    const zr_abi_sig_t *ev = zr_abi_json_find(abi, ZR_ABI_EVENT, "Echoed");
    assert_non_null(emit);
    assert_non_null(ev);
    char *args[] = {echo_args[2][0], "model-7 ✓", "-5", echo_args[2][1], echo_args[2][4]};
    zr_abi_value_t *v = parse_args(emit, 5, args);
    zr_buf_t cd;
    zr_buf_init(&cd, 1 << 20);
    assert_int_equal(zr_abi_encode_call(&cd, emit, v, NULL), 0);
    char *hex = hex0x(cd.data, cd.len);
    assert_true(strlen(hex) + 300 < CMD_MAX);
    int st = zt_run(out, OUT_CAP, "'%s' send --rpc-url %s --private-key %s %s %s --json </dev/null", cast(), anvil.url,
                    ZT_ANVIL_KEY1, addr, hex);
    free(hex);
    assert_int_equal(st, 0);
    json_t *r;
    char err[160];
    assert_int_equal(zr_json_parse(out, strlen(out), OUT_CAP, &r, err, sizeof err), 0);
    assert_string_equal(zr_json_str(r, "status"), "0x1");
    const json_t *log = json_array_get(json_object_get(r, "logs"), 0);
    assert_non_null(log);
    const json_t *jt = json_object_get(log, "topics");
    size_t nt = json_array_size(jt);
    assert_int_equal(nt, 4);
    uint8_t topics[4][32];
    for (size_t i = 0; i < nt; i++)
        assert_int_equal(zr_hex_decode_exact(topics[i], 32, json_string_value(json_array_get(jt, i))), 0);
    size_t dlen;
    uint8_t *data = zt_unhex(zr_json_str(log, "data"), &dlen);
    zr_abi_value_t *lv;
    zr_abi_diag_t d = {0};
    if (zr_abi_decode_log(&lv, ev, (const uint8_t(*)[32])topics, nt, data, dlen, &d) != 0)
        fail_msg("%s", d.msg);
    /* indexed: the task id, the hash of the label, the small int */
    uint8_t w[32];
    assert_int_equal(zr_abi_value_u256(zr_abi_value_field(lv, "taskId"), w), 0);
    assert_memory_equal(w, zr_abi_value_at(v->items[0], 0)->word, 32);
    uint8_t h[32];
    zr_keccak256(h, "model-7 ✓", strlen("model-7 ✓"));
    assert_memory_equal(zr_abi_value_field(lv, "label")->word, h, 32);
    int64_t small;
    assert_int_equal(zr_abi_value_i64(zr_abi_value_field(lv, "small"), &small), 0);
    assert_int_equal(small, -5);
    /* the data part: the same values that were sent */
    zr_abi_type_t *t;
    assert_int_equal(zr_abi_type_parse_list(&t, "(uint256,uint256,uint256,bytes32,uint8,int256,int256,bytes32),bytes,"
                                                "(address,string,int16[])[]",
                                            NULL),
                     0);
    zr_abi_value_t *sent = zr_abi_tuple(3, zr_abi_value_dup(v->items[0]), zr_abi_value_dup(v->items[3]),
                                        zr_abi_value_dup(v->items[4]));
    zr_abi_value_t *got = zr_abi_tuple(3, zr_abi_value_dup(zr_abi_value_field(lv, "r")),
                                       zr_abi_value_dup(zr_abi_value_field(lv, "blob")),
                                       zr_abi_value_dup(zr_abi_value_field(lv, "items")));
    zr_buf_t a, b;
    zr_buf_init(&a, 1 << 20);
    zr_buf_init(&b, 1 << 20);
    assert_int_equal(zr_abi_encode(&a, t, sent, NULL), 0);
    assert_int_equal(zr_abi_encode(&b, t, got, NULL), 0);
    assert_int_equal(a.len, dlen);
    assert_memory_equal(a.data, data, dlen);
    assert_int_equal(b.len, dlen);
    assert_memory_equal(b.data, data, dlen);
    const zr_abi_value_t *items = zr_abi_value_field(lv, "items");
    assert_int_equal(items->count, 3);
    assert_string_equal((const char *)zr_abi_value_field(items->items[1], "label")->data, "Grüße 😀");
    zr_buf_cleanup(&a);
    zr_buf_cleanup(&b);
    zr_abi_value_free(sent);
    zr_abi_value_free(got);
    zr_abi_type_free(t);
    zr_abi_value_free(lv);
    free(data);
    json_decref(r);
    zr_buf_cleanup(&cd);
    zr_abi_value_free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_echo_matches_solc),
        cmocka_unit_test(test_dirty_calldata_reverts),
        cmocka_unit_test(test_event_log),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
