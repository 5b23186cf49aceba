// SPDX-License-Identifier: MIT
// ABI unit tests from data files: the Solidity spec's worked examples (call data), type
// strings good and hostile, cast-style text arguments, malformed data with the exact error
// each must give, plus the C value API, event logs, JSON ABIs and the decoder's memory cap.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zt.h"
#include "zara/abi.h"
#include "zara/keccak.h"

/* Splits a vector line at " | " into at most max fields (in place); returns the count. */
static size_t split_fields(char *line, char **f, size_t max)
{
    size_t n = 0;
    char *p = line;
    while (n + 1 < max) {
        char *s = strstr(p, " | ");
        if (!s)
            break;
        *s = 0;
        f[n++] = p;
        p = s + 3;
    }
    f[n++] = p;
    return n;
}

/* Calls fn(line) for every non-comment line of a vector file; returns the count. */
static int each_line(const char *rel, void (*fn)(char *line, void *ud), void *ud)
{
    zr_buf_t f;
    zt_read_file(rel, &f);
    int count = 0;
    char *save = NULL;
    for (char *l = strtok_r((char *)f.data, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        if (l[0] == '#')
            continue;
        fn(l, ud);
        count++;
    }
    zr_buf_cleanup(&f);
    return count;
}

static char *hex_of(const uint8_t *p, size_t n)
{
    char *s = malloc(2 * n + 3);
    assert_non_null(s);
    s[0] = '0', s[1] = 'x';
    zr_hex_encode(s + 2, p, n);
    return s;
}

/* ---- spec call-data vectors ------------------------------------------------------------ */

static void calldata_line(char *line, void *ud)
{
    (void)ud;
    char *f[16];
    size_t n = split_fields(line, f, 16);
    assert_true(n >= 2);
    zr_abi_diag_t d = {0};
    zr_abi_sig_t *sig;
    if (zr_abi_sig_parse(&sig, f[0], ZR_ABI_FUNCTION, &d) != 0)
        fail_msg("%s: %s", f[0], d.msg);
    zr_abi_value_t *args;
    if (zr_abi_value_parse_args(&args, sig->inputs, (int)(n - 2), f + 1, &d) != 0)
        fail_msg("%s: %s", f[0], d.msg);
    zr_buf_t out;
    zr_buf_init(&out, 1 << 20);
    assert_int_equal(zr_abi_encode_call(&out, sig, args, &d), 0);
    char *got = hex_of(out.data, out.len);
    assert_string_equal(got, f[n - 1]);
    /* decode the call data back and encode again: the same bytes */
    zr_abi_value_t *back;
    if (zr_abi_decode_call(&back, sig, out.data, out.len, &d) != 0)
        fail_msg("%s: decode: %s", f[0], d.msg);
    zr_buf_t again;
    zr_buf_init(&again, 1 << 20);
    assert_int_equal(zr_abi_encode_call(&again, sig, back, &d), 0);
    assert_int_equal(again.len, out.len);
    assert_memory_equal(again.data, out.data, out.len);
    /* a wrong selector is refused */
    out.data[0] ^= 1;
    zr_abi_value_t *none;
    assert_int_equal(zr_abi_decode_call(&none, sig, out.data, out.len, &d), ZR_EABI);
    assert_null(none);
    free(got);
    zr_buf_cleanup(&out);
    zr_buf_cleanup(&again);
    zr_abi_value_free(args);
    zr_abi_value_free(back);
    zr_abi_sig_free(sig);
}

static void test_spec_calldata(void **state)
{
    (void)state;
    assert_true(each_line("tests/vectors/abi_calldata.txt", calldata_line, NULL) >= 5);
}

/* ---- type strings ---------------------------------------------------------------------- */

static void type_line(char *line, void *ud)
{
    (void)ud;
    char *f[4];
    size_t n = split_fields(line, f, 4);
    zr_abi_diag_t d = {0};
    zr_abi_type_t *t = NULL;
    if (n == 1 && strcmp(f[0], "bad |") == 0) /* "bad |": the empty type string */
        f[0][3] = 0;
    if (strcmp(f[0], "ok") == 0) {
        assert_int_equal(n, 3);
        if (zr_abi_type_parse(&t, f[1], &d) != 0)
            fail_msg("'%s' should parse: %s", f[1], d.msg);
        zr_buf_t b;
        zr_buf_init(&b, 4096);
        assert_int_equal(zr_abi_type_canonical(t, &b), 0);
        assert_string_equal(zr_buf_cstr(&b), f[2]);
        zr_buf_cleanup(&b);
    } else {
        assert_string_equal(f[0], "bad");
        const char *s = n > 1 ? f[1] : "";
        int rc = zr_abi_type_parse(&t, s, &d);
        if (rc != ZR_EABITYPE)
            fail_msg("'%s' should be rejected with ABITYPE, got %s", s, zr_err_name(rc));
        assert_null(t);
        assert_true(d.msg[0] != 0);
    }
    zr_abi_type_free(t);
}

static void test_types(void **state)
{
    (void)state;
    assert_true(each_line("tests/vectors/abi_types.txt", type_line, NULL) >= 30);
}

static void expect_type(const char *s, int want)
{
    zr_abi_type_t *t = NULL;
    zr_abi_diag_t d = {0};
    int rc = zr_abi_type_parse(&t, s, &d);
    if (rc != want)
        fail_msg("type of %zu chars: got %s, want %s (%s)", strlen(s), zr_err_name(rc), zr_err_name(want), d.msg);
    zr_abi_type_free(t);
}

static void test_hostile_types(void **state)
{
    (void)state;
    char *s = malloc(ZR_ABI_MAX_TYPE_LEN * 2 + 16);
    assert_non_null(s);
    /* nesting: exactly ZR_ABI_MAX_DEPTH levels is fine, one more is not */
    for (int depth = ZR_ABI_MAX_DEPTH; depth <= ZR_ABI_MAX_DEPTH + 1; depth++) {
        strcpy(s, "uint8");
        for (int i = 0; i < depth; i++)
            strcat(s, "[]");
        expect_type(s, depth <= ZR_ABI_MAX_DEPTH ? 0 : ZR_EABITYPE);
        size_t k = 0;
        for (int i = 0; i < depth; i++)
            s[k++] = '(';
        memcpy(s + k, "bool", 4), k += 4;
        for (int i = 0; i < depth; i++)
            s[k++] = ')';
        s[k] = 0;
        expect_type(s, depth <= ZR_ABI_MAX_DEPTH ? 0 : ZR_EABITYPE);
    }
    /* very deep parentheses must not overflow the stack */
    size_t k = 0;
    for (int i = 0; i < 60000; i++)
        s[k++] = '(';
    s[k] = 0;
    expect_type(s, ZR_EABITYPE);
    /* longer than ZR_ABI_MAX_TYPE_LEN */
    memset(s, ' ', ZR_ABI_MAX_TYPE_LEN + 10);
    memcpy(s + ZR_ABI_MAX_TYPE_LEN + 10, "bool", 5);
    expect_type(s, ZR_EABITYPE);
    /* static sizes that would overflow */
    expect_type("uint256[65536][65536][65536]", ZR_EABITYPE);
    expect_type("(uint256[262144],uint256[262144])", 0);
    expect_type("(uint256[262144],uint256[262144],bool)", ZR_EABITYPE);
    expect_type("uint256[4294967296]", ZR_EABITYPE);
    /* dynamic arrays of huge static elements are fine to describe */
    expect_type("uint256[524288][]", 0);
    free(s);
}

static void test_signatures(void **state)
{
    (void)state;
    static const struct {
        const char *sig, *canonical, *hash;
    } v[] = {
        /* well-known selectors and topics (ERC-20) */
        {"transfer(address,uint256)", "transfer(address,uint256)", "a9059cbb"},
        {"function transfer(address to, uint amount) external returns (bool)", "transfer(address,uint256)",
         "a9059cbb"},
        {"balanceOf(address)(uint256)", "balanceOf(address)", "70a08231"},
        {"event Transfer(address indexed from, address indexed to, uint256 value)",
         "Transfer(address,address,uint256)", "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"},
        /* checked with cast sig / cast sig-event */
        {"submitResult((uint256,uint256,uint256,bytes32,uint8,int256,int256,bytes32),bytes,uint256[2],uint256[4],"
         "uint32[])",
         "submitResult((uint256,uint256,uint256,bytes32,uint8,int256,int256,bytes32),bytes,uint256[2],uint256[4],"
         "uint32[])",
         "4d7b7a67"},
        {"f(uint256,string,(address,bool)[])", "f(uint256,string,(address,bool)[])", "ccb20287"},
        {"get(bytes32 key) view returns (uint256)", "get(bytes32)", "8eaa6ac0"},
        {"event Submitted(uint256 indexed taskId, address indexed optimizer, string cid, bytes32 commitment)",
         "Submitted(uint256,address,string,bytes32)",
         "d5115dd4b61556006907757cbf8ef762b186b1f39e5e2fd016fb95d3e19c5c82"},
    };
    for (size_t i = 0; i < ZR_ARRAY_LEN(v); i++) {
        zr_abi_sig_t *s;
        zr_abi_diag_t d = {0};
        if (zr_abi_sig_parse(&s, v[i].sig, ZR_ABI_FUNCTION, &d) != 0)
            fail_msg("%s: %s", v[i].sig, d.msg);
        assert_string_equal(s->canonical, v[i].canonical);
        char hex[65];
        size_t n = strlen(v[i].hash) / 2;
        zr_hex_encode(hex, n == 4 ? s->selector : s->topic0, n);
        assert_string_equal(hex, v[i].hash);
        zr_abi_sig_free(s);
    }
    /* outputs, names and indexed flags are kept */
    zr_abi_sig_t *s;
    assert_int_equal(zr_abi_sig_parse(&s, "event E(address indexed a, string b, uint8 indexed c) anonymous",
                                      ZR_ABI_FUNCTION, NULL),
                     0);
    assert_int_equal(s->kind, ZR_ABI_EVENT);
    assert_true(s->anonymous);
    assert_int_equal(s->inputs->nfields, 3);
    assert_int_equal(s->indexed[0], 1);
    assert_int_equal(s->indexed[1], 0);
    assert_int_equal(s->indexed[2], 1);
    assert_int_equal(zr_abi_sig_input_index(s, "c"), 2);
    assert_int_equal(zr_abi_sig_input_index(s, "zz"), -1);
    zr_abi_sig_free(s);
    assert_int_equal(zr_abi_sig_parse(&s, "f(uint a)(bool ok, (string,int8)[] xs)", ZR_ABI_FUNCTION, NULL), 0);
    assert_int_equal(s->outputs->nfields, 2);
    assert_string_equal(s->outputs->names[1], "xs");
    zr_abi_sig_free(s);
    /* malformed signatures */
    static const char *bad[] = {"", "f", "(uint256)", "f(uint256", "f(uint256))", "1f(uint256)", "f(uint7)",
                                "f(uint256 indexed a)", "f(uint256) garbage", "f(uint256 a b)"};
    for (size_t i = 0; i < ZR_ARRAY_LEN(bad); i++) {
        zr_abi_diag_t d = {0};
        int rc = zr_abi_sig_parse(&s, bad[i], ZR_ABI_FUNCTION, &d);
        if (rc != ZR_EABITYPE)
            fail_msg("signature '%s' should be rejected, got %s", bad[i], zr_err_name(rc));
        assert_true(d.msg[0] != 0);
    }
    uint8_t sel[4], topic[32];
    assert_int_equal(zr_abi_selector(sel, "approve(address,uint256)"), 0);
    assert_memory_equal(sel, "\x09\x5e\xa7\xb3", 4);
    assert_int_equal(zr_abi_event_topic(topic, "Approval(address,address,uint256)"), 0);
    assert_int_equal(topic[0], 0x8c);
    assert_int_equal(topic[31], 0x25);
}

/* ---- text arguments -------------------------------------------------------------------- */

static void text_line(char *line, void *ud)
{
    int *count = ud;
    /* TYPE | TEXT | HEX, where TEXT may be empty or hold spaces */
    char *a = strstr(line, " | ");
    char *b = NULL;
    for (char *p = a ? a + 3 : NULL; p && (p = strstr(p, " | ")) != NULL; p += 3)
        b = p;
    assert_non_null(a);
    assert_non_null(b);
    *a = 0;
    *b = 0;
    const char *type = line, *want = b + 3;
    char *text = a + 3;
    if (b == a) /* "T |  | HEX": empty text */
        text = "";
    zr_abi_type_t *t;
    zr_abi_diag_t d = {0};
    char list[512];
    snprintf(list, sizeof list, "(%s)", type);
    if (zr_abi_type_parse_list(&t, list, &d) != 0)
        fail_msg("%s: %s", type, d.msg);
    char *argv[1] = {text};
    zr_abi_value_t *v = NULL;
    int rc = zr_abi_value_parse_args(&v, t, 1, argv, &d);
    if (strcmp(want, "!") == 0) {
        if (rc == 0)
            fail_msg("'%s' as %s should be rejected", text, type);
        assert_true(d.msg[0] != 0);
    } else {
        if (rc != 0)
            fail_msg("'%s' as %s: %s", text, type, d.msg);
        zr_buf_t out;
        zr_buf_init(&out, 1 << 20);
        assert_int_equal(zr_abi_encode(&out, t, v, &d), 0);
        char *got = hex_of(out.data, out.len);
        if (strcmp(got, want) != 0)
            fail_msg("'%s' as %s:\n got %s\nwant %s", text, type, got, want);
        free(got);
        zr_buf_cleanup(&out);
    }
    zr_abi_value_free(v);
    zr_abi_type_free(t);
    (*count)++;
}

static void test_text_args(void **state)
{
    (void)state;
    int count = 0;
    each_line("tests/vectors/abi_text.txt", text_line, &count);
    assert_true(count >= 60);
}

/* ---- malformed data -------------------------------------------------------------------- */

static void bad_line(char *line, void *ud)
{
    (void)ud;
    char *f[4];
    assert_int_equal(split_fields(line, f, 4), 3);
    zr_abi_type_t *t;
    assert_int_equal(zr_abi_type_parse_list(&t, f[0], NULL), 0);
    size_t len;
    uint8_t *data = zt_unhex(f[1], &len);
    zr_abi_value_t *v = (zr_abi_value_t *)1;
    zr_abi_diag_t d = {0};
    int rc = zr_abi_decode(&v, t, data, len, &d);
    if (strcmp(zr_err_name(rc), f[2]) != 0)
        fail_msg("(%s) %s: got %s (%s), want %s", f[0], f[1], zr_err_name(rc), d.msg, f[2]);
    assert_null(v);
    assert_true(d.msg[0] != 0);
    free(data);
    zr_abi_type_free(t);
}

static void test_bad_data(void **state)
{
    (void)state;
    assert_true(each_line("tests/vectors/abi_bad.txt", bad_line, NULL) >= 25);
}

/* Every prefix of a valid encoding fails cleanly; every single-byte corruption either
 * decodes or fails with an ABI error code (never a crash, leak or other code). */
static void test_truncations_and_flips(void **state)
{
    (void)state;
    zr_abi_type_t *t;
    assert_int_equal(zr_abi_type_parse_list(&t, "(uint8,int16,string,(bytes,address)[],bool[2],bytes3,uint256[][])", NULL),
                     0);
    zr_abi_value_t *v;
    zr_abi_diag_t d = {0};
    char *argv[] = {"7", "-300", "hello world", "[(0x01,0x00000000000000000000000000000000000000ff),(0x,f39fd6e51aad88f6f4ce6ab8827279cfffb92266)]",
                    "[true,false]", "0xabcdef", "[[1,2],[],[3]]"};
    if (zr_abi_value_parse_args(&v, t, 7, argv, &d) != 0)
        fail_msg("%s", d.msg);
    zr_buf_t enc;
    zr_buf_init(&enc, 1 << 20);
    assert_int_equal(zr_abi_encode(&enc, t, v, NULL), 0);
    for (size_t n = 0; n < enc.len; n++) {
        zr_abi_value_t *w;
        int rc = zr_abi_decode(&w, t, enc.data, n, &d);
        if (rc != ZR_ETRUNCATED && rc != ZR_EABIBOUNDS)
            fail_msg("prefix of %zu bytes: %s", n, zr_err_name(rc));
    }
    uint8_t *copy = malloc(enc.len);
    for (size_t i = 0; i < enc.len; i++) {
        for (int bit = 0; bit < 8; bit += 7) {
            memcpy(copy, enc.data, enc.len);
            copy[i] ^= (uint8_t)(1u << bit);
            zr_abi_value_t *w = NULL;
            int rc = zr_abi_decode(&w, t, copy, enc.len, &d);
            if (rc != 0 && rc != ZR_ETRUNCATED && rc != ZR_EABIBOUNDS && rc != ZR_EABIPADDING)
                fail_msg("flip at %zu: %s", i, zr_err_name(rc));
            if (rc == 0) {
                zr_buf_t re;
                zr_buf_init(&re, 1 << 20);
                assert_int_equal(zr_abi_encode(&re, t, w, NULL), 0);
                zr_buf_cleanup(&re);
            }
            zr_abi_value_free(w);
        }
    }
    free(copy);
    zr_buf_cleanup(&enc);
    zr_abi_value_free(v);
    zr_abi_type_free(t);
}

/* Overlapping offsets make a small input describe a huge tree: the memory cap stops it. */
static void test_decode_memory_cap(void **state)
{
    (void)state;
    zr_abi_type_t *t;
    assert_int_equal(zr_abi_type_parse(&t, "uint8[][]", NULL), 0);
    const size_t n = 1000, m = 1000;
    size_t len = 32 * (1 + n + 1 + m);
    uint8_t *data = calloc(1, len);
    assert_non_null(data);
    data[31] = (uint8_t)n, data[30] = (uint8_t)(n >> 8);
    size_t inner = 32 * n; /* offset of the shared inner array, from the element heads */
    for (size_t i = 0; i < n; i++) {
        data[32 * (1 + i) + 31] = (uint8_t)inner;
        data[32 * (1 + i) + 30] = (uint8_t)(inner >> 8);
        data[32 * (1 + i) + 29] = (uint8_t)(inner >> 16);
    }
    data[32 * (1 + n) + 31] = (uint8_t)m, data[32 * (1 + n) + 30] = (uint8_t)(m >> 8);
    /* the data is `uint8[][]` without the outer offset: decode the array itself */
    zr_abi_value_t *v = NULL;
    zr_abi_diag_t d = {.max_bytes = 4u << 20};
    assert_int_equal(zr_abi_decode(&v, t, data, len, &d), ZR_ETOOBIG);
    assert_null(v);
    assert_non_null(strstr(d.msg, "limit"));
    /* the default cap holds as well (1e6 nodes would be ~100 MB) */
    d.max_bytes = 0;
    assert_int_equal(zr_abi_decode(&v, t, data, len, &d), ZR_ETOOBIG);
    /* with a small inner array the same layout decodes */
    data[32 * (1 + n) + 31] = 2, data[32 * (1 + n) + 30] = 0;
    assert_int_equal(zr_abi_decode(&v, t, data, len, &d), 0);
    assert_int_equal(v->count, n);
    assert_int_equal(v->items[999]->count, 2);
    zr_abi_value_free(v);
    free(data);
    zr_abi_type_free(t);
}

/* ---- the C value API ------------------------------------------------------------------- */

static void test_c_api(void **state)
{
    (void)state;
    zr_abi_sig_t *sig;
    assert_int_equal(zr_abi_sig_parse(&sig,
                                      "submitResult((uint256 taskId,uint256,uint256,bytes32,uint8,int256 scoreNew,int256,"
                                      "bytes32),bytes sig,uint256[2],uint256[4],uint32[] signers)",
                                      ZR_ABI_FUNCTION, NULL),
                     0);
    uint8_t seed[32], digest[32], big[32];
    for (int i = 0; i < 32; i++)
        seed[i] = (uint8_t)i, digest[i] = (uint8_t)(0xff - i), big[i] = 0xee;
    const uint64_t g2[4] = {1, 2, 3, 4};
    const uint8_t sigbytes[3] = {0xaa, 0xbb, 0xcc};
    zr_abi_value_t *args = zr_abi_tuple(5,
                                        zr_abi_tuple(8, zr_abi_uint_u64(7), zr_abi_uint_u64(8), zr_abi_uint_u64(0),
                                                     zr_abi_bytes32(seed), zr_abi_uint_u64(1), zr_abi_int_i64(-12345),
                                                     zr_abi_int_i64(INT64_MIN), zr_abi_bytes32(digest)),
                                        zr_abi_bytes(sigbytes, 3), zr_abi_array(2, zr_abi_uint_be(big), zr_abi_uint_u64(5)),
                                        zr_abi_array_u64(g2, 4), zr_abi_array(3, zr_abi_uint_u64(0), zr_abi_uint_u64(2), zr_abi_uint_u64(4294967295u)));
    assert_non_null(args);
    zr_buf_t out;
    zr_buf_init(&out, 1 << 16);
    zr_abi_diag_t d = {0};
    if (zr_abi_encode_call(&out, sig, args, &d) != 0)
        fail_msg("%s", d.msg);
    assert_memory_equal(out.data, "\x4d\x7b\x7a\x67", 4);
    /* head: 8 tuple words + offset(bytes) + 2 + 4 + offset(uint32[]) = 16 words */
    assert_int_equal(out.len, 4 + 32 * (16 + 2 + 4));
    zr_abi_value_t *back;
    assert_int_equal(zr_abi_decode_call(&back, sig, out.data, out.len, &d), 0);
    const zr_abi_value_t *r = zr_abi_value_at(back, 0);
    uint64_t u;
    int64_t i64;
    assert_int_equal(zr_abi_value_u64(zr_abi_value_field(r, "taskId"), &u), 0);
    assert_int_equal(u, 7);
    assert_int_equal(zr_abi_value_i64(zr_abi_value_field(r, "scoreNew"), &i64), 0);
    assert_int_equal(i64, -12345);
    assert_int_equal(zr_abi_value_i64(zr_abi_value_at(r, 6), &i64), 0);
    assert_true(i64 == INT64_MIN);
    assert_int_equal(zr_abi_value_u64(zr_abi_value_at(r, 5), &u), ZR_ERANGE); /* negative */
    assert_memory_equal(zr_abi_value_at(r, 3)->word, seed, 32);
    const zr_abi_value_t *sb = zr_abi_value_field(back, "sig");
    assert_int_equal(sb->kind, ZR_ABI_V_BYTES);
    const uint8_t *bp;
    size_t bn;
    assert_int_equal(zr_abi_value_data(sb, &bp, &bn), 0);
    assert_int_equal(bn, 3);
    assert_memory_equal(bp, sigbytes, 3);
    assert_int_equal(zr_abi_value_data(zr_abi_value_at(r, 3), &bp, &bn), 0);
    assert_int_equal(bn, 32);
    assert_memory_equal(bp, seed, 32);
    assert_int_equal(zr_abi_value_data(zr_abi_value_at(r, 0), &bp, &bn), ZR_EINVAL);
    uint8_t w[32];
    assert_int_equal(zr_abi_value_u256(zr_abi_value_at(zr_abi_value_at(back, 2), 0), w), 0);
    assert_memory_equal(w, big, 32);
    assert_int_equal(zr_abi_value_u64(zr_abi_value_at(zr_abi_value_at(back, 2), 0), &u), ZR_ERANGE);
    assert_int_equal(zr_abi_value_u64(zr_abi_value_at(zr_abi_value_field(back, "signers"), 2), &u), 0);
    assert_int_equal(u, 4294967295u);
    assert_null(zr_abi_value_at(back, 5));
    assert_null(zr_abi_value_field(back, "nope"));

    /* a deep copy encodes the same */
    zr_abi_value_t *dup = zr_abi_value_dup(back);
    zr_buf_t again;
    zr_buf_init(&again, 1 << 16);
    assert_int_equal(zr_abi_encode_call(&again, sig, dup, NULL), 0);
    assert_int_equal(again.len, out.len);
    assert_memory_equal(again.data, out.data, out.len);

    /* mismatches are refused with a message that says where */
    zr_abi_value_t *bad = zr_abi_tuple(5, zr_abi_value_dup(zr_abi_value_at(back, 0)), zr_abi_bytes(sigbytes, 3),
                                       zr_abi_array(2, zr_abi_uint_u64(1), zr_abi_int_i64(-1)), zr_abi_array_u64(g2, 4),
                                       zr_abi_array(0));
    size_t before = out.len;
    assert_int_equal(zr_abi_encode(&out, sig->inputs, bad, &d), ZR_EABIVALUE);
    assert_int_equal(out.len, before); /* nothing appended on failure */
    assert_non_null(strstr(d.msg, ".2[1]"));
    zr_abi_value_free(bad);
    bad = zr_abi_tuple(2, zr_abi_uint_u64(1), zr_abi_bool(1));
    assert_int_equal(zr_abi_encode(&out, sig->inputs, bad, &d), ZR_EABIVALUE);
    zr_abi_value_free(bad);
    /* uint8 range, bytesN length, address kind */
    zr_abi_type_t *t;
    assert_int_equal(zr_abi_type_parse_list(&t, "uint8,bytes4,address,int8", NULL), 0);
    const uint8_t four[4] = {1, 2, 3, 4}, addr[20] = {0};
    bad = zr_abi_tuple(4, zr_abi_uint_u64(256), zr_abi_fixed_bytes(four, 4), zr_abi_address(addr), zr_abi_int_i64(-1));
    assert_int_equal(zr_abi_encode(&out, t, bad, &d), ZR_EABIVALUE);
    zr_abi_value_free(bad);
    bad = zr_abi_tuple(4, zr_abi_uint_u64(255), zr_abi_fixed_bytes(four, 3), zr_abi_address(addr), zr_abi_int_i64(-1));
    assert_int_equal(zr_abi_encode(&out, t, bad, &d), ZR_EABIVALUE);
    zr_abi_value_free(bad);
    bad = zr_abi_tuple(4, zr_abi_uint_u64(255), zr_abi_fixed_bytes(four, 4), zr_abi_uint_u64(1), zr_abi_int_i64(-1));
    assert_int_equal(zr_abi_encode(&out, t, bad, &d), ZR_EABIVALUE);
    zr_abi_value_free(bad);
    bad = zr_abi_tuple(4, zr_abi_uint_u64(255), zr_abi_fixed_bytes(four, 4), zr_abi_address(addr), zr_abi_int_i64(-129));
    assert_int_equal(zr_abi_encode(&out, t, bad, &d), ZR_EABIVALUE);
    zr_abi_value_free(bad);
    bad = zr_abi_tuple(4, zr_abi_uint_u64(255), zr_abi_fixed_bytes(four, 4), zr_abi_address(addr), zr_abi_int_i64(-128));
    assert_int_equal(zr_abi_encode(&out, t, bad, &d), 0);
    zr_abi_value_free(bad);
    /* a NULL child (allocation failure) makes the whole container NULL, without leaks */
    assert_null(zr_abi_tuple(3, zr_abi_uint_u64(1), NULL, zr_abi_string("x")));
    assert_null(zr_abi_array(2, zr_abi_fixed_bytes(four, 33), zr_abi_bool(0)));
    /* an output buffer limit is reported, not overrun */
    zr_buf_t tiny;
    zr_buf_init(&tiny, 40);
    assert_int_equal(zr_abi_encode_call(&tiny, sig, args, &d), ZR_ETOOBIG);
    assert_int_equal(tiny.len, 0);
    zr_buf_cleanup(&tiny);

    zr_abi_type_free(t);
    zr_buf_cleanup(&out);
    zr_buf_cleanup(&again);
    zr_abi_value_free(dup);
    zr_abi_value_free(back);
    zr_abi_value_free(args);
    zr_abi_sig_free(sig);
}

static void test_format(void **state)
{
    (void)state;
    zr_abi_type_t *t;
    assert_int_equal(zr_abi_type_parse_list(&t, "uint256,int16,address,bytes2,string,(bool,uint32[])", NULL), 0);
    char *argv[] = {"123456789", "-10000", "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", "0xbeef",
                    "tab\there \"q\" \\ \x01 \xc3\xa9 \xff", "(true,[1,99999])"};
    zr_abi_value_t *v;
    zr_abi_diag_t d = {0};
    if (zr_abi_value_parse_args(&v, t, 6, argv, &d) != 0)
        fail_msg("%s", d.msg);
    zr_buf_t b;
    zr_buf_init(&b, 4096);
    for (size_t i = 0; i < v->count; i++) {
        assert_int_equal(zr_abi_value_format(&b, v->items[i]), 0);
        zr_buf_append_byte(&b, '\n');
    }
    assert_string_equal(zr_buf_cstr(&b), "123456789 [1.234e8]\n"
                                         "-10000 [-1e4]\n"
                                         "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\n"
                                         "0xbeef\n"
                                         "\"tab\\there \\\"q\\\" \\\\ \\u{1} \xc3\xa9 \xef\xbf\xbd\"\n"
                                         "(true, [1, 99999 [9.999e4]])\n");
    zr_buf_reset(&b);
    assert_int_equal(zr_abi_value_format_json(&b, v, 0), 0);
    assert_string_equal(zr_buf_cstr(&b), "[\n  123456789,\n  -10000,\n  \"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\",\n"
                                         "  \"0xbeef\",\n  \"tab\\there \\\"q\\\" \\\\ \\u0001 \xc3\xa9 \xef\xbf\xbd\",\n"
                                         "  [\n    true,\n    [\n      1,\n      99999\n    ]\n  ]\n]");
    zr_buf_cleanup(&b);
    zr_abi_value_free(v);
    zr_abi_type_free(t);
}

/* ---- logs and JSON ABIs ---------------------------------------------------------------- */

static void test_logs(void **state)
{
    (void)state;
    zr_abi_sig_t *ev;
    assert_int_equal(zr_abi_sig_parse(&ev, "event Transfer(address indexed from, address indexed to, uint256 value)",
                                      ZR_ABI_EVENT, NULL),
                     0);
    uint8_t topics[4][32] = {{0}};
    memcpy(topics[0], ev->topic0, 32);
    zr_hex_decode_exact(topics[1] + 12, 20, "f39fd6e51aad88f6f4ce6ab8827279cfffb92266");
    zr_hex_decode_exact(topics[2] + 12, 20, "70997970c51812dc3a010c7d01b50e0d17dc79c8");
    uint8_t data[32] = {0};
    data[31] = 0x2a;
    zr_abi_value_t *v;
    zr_abi_diag_t d = {0};
    assert_int_equal(zr_abi_decode_log(&v, ev, (const uint8_t(*)[32])topics, 3, data, 32, &d), 0);
    uint8_t a[20];
    uint64_t u;
    assert_int_equal(zr_abi_value_address(zr_abi_value_field(v, "to"), a), 0);
    assert_memory_equal(a, topics[2] + 12, 20);
    assert_int_equal(zr_abi_value_u64(zr_abi_value_field(v, "value"), &u), 0);
    assert_int_equal(u, 42);
    zr_abi_value_free(v);
    /* wrong topic count, wrong topic0, dirty indexed address, short data */
    assert_int_equal(zr_abi_decode_log(&v, ev, (const uint8_t(*)[32])topics, 2, data, 32, &d), ZR_EABI);
    assert_int_equal(zr_abi_decode_log(&v, ev, (const uint8_t(*)[32])topics + 1, 3, data, 32, &d), ZR_EABI);
    topics[1][0] = 1;
    assert_int_equal(zr_abi_decode_log(&v, ev, (const uint8_t(*)[32])topics, 3, data, 32, &d), ZR_EABIPADDING);
    topics[1][0] = 0;
    assert_int_equal(zr_abi_decode_log(&v, ev, (const uint8_t(*)[32])topics, 3, data, 31, &d), ZR_ETRUNCATED);
    zr_abi_sig_free(ev);

    /* from the solc-generated ABI: indexed string is a hash, indexed int8 is sign-extended */
    zr_abi_json_t *abi;
    assert_int_equal(zr_abi_json_load_file(&abi, zt_src_path("tests/vectors/abi_sample_artifact.json"), &d), 0);
    const zr_abi_sig_t *named = zr_abi_json_find(abi, ZR_ABI_EVENT, "Named");
    assert_non_null(named);
    assert_string_equal(named->canonical, "Named(string,int8,(uint256,uint256,uint256,bytes32,uint8,int256,int256,bytes32))");
    char hex[65];
    zr_hex_encode(hex, named->topic0, 32);
    assert_string_equal(hex, "7dd782c7c8cea888c84c7fab907b0c8f44e2b5b06b2b51517233fab5f4723c8f"); /* cast sig-event */
    assert_ptr_equal(zr_abi_json_event_by_topic(abi, named->topic0), named);
    memcpy(topics[0], named->topic0, 32);
    zr_keccak256(topics[1], "label", 5);
    memset(topics[2], 0xff, 32);
    topics[2][31] = 0xfd; /* -3 */
    uint8_t body[8 * 32] = {0};
    body[31] = 9;
    body[5 * 32 + 0] = 0xff; /* scoreNew very negative */
    zr_abi_value_t *lv;
    assert_int_equal(zr_abi_decode_log(&lv, named, (const uint8_t(*)[32])topics, 3, body, sizeof body, &d), 0);
    const zr_abi_value_t *label = zr_abi_value_field(lv, "label");
    assert_int_equal(label->kind, ZR_ABI_V_FIXED_BYTES);
    assert_memory_equal(label->word, topics[1], 32);
    int64_t i64;
    assert_int_equal(zr_abi_value_i64(zr_abi_value_field(lv, "delta"), &i64), 0);
    assert_int_equal(i64, -3);
    const zr_abi_value_t *r = zr_abi_value_field(lv, "r");
    assert_int_equal(zr_abi_value_u64(zr_abi_value_field(r, "taskId"), &u), 0);
    assert_int_equal(u, 9);
    assert_true(zr_abi_value_field(r, "scoreNew")->neg);
    zr_abi_value_free(lv);
    /* anonymous: no topic0 */
    const zr_abi_sig_t *anon = zr_abi_json_find(abi, ZR_ABI_EVENT, "Anon");
    assert_true(anon->anonymous);
    assert_null(zr_abi_json_event_by_topic(abi, anon->topic0));
    assert_int_equal(zr_abi_decode_log(&lv, anon, (const uint8_t(*)[32])topics + 2, 1, body, 32, &d), 0);
    assert_int_equal(zr_abi_value_u64(zr_abi_value_field(lv, "b"), &u), 0);
    assert_int_equal(u, 9);
    assert_true(zr_abi_value_field(lv, "a")->word[0] == 0xff);
    zr_abi_value_free(lv);
    zr_abi_json_free(abi);
}

static void test_json_abi(void **state)
{
    (void)state;
    zr_abi_json_t *abi;
    zr_abi_diag_t d = {0};
    if (zr_abi_json_load_file(&abi, zt_src_path("tests/vectors/abi_sample_artifact.json"), &d) != 0)
        fail_msg("%s", d.msg);
    /* constructor, error, 3 events, 4 functions; fallback and receive skipped */
    assert_int_equal(zr_abi_json_count(abi), 9);
    const zr_abi_sig_t *f = zr_abi_json_find(abi, ZR_ABI_FUNCTION, "submitResult");
    assert_non_null(f);
    assert_string_equal(f->canonical, "submitResult((uint256,uint256,uint256,bytes32,uint8,int256,int256,bytes32),bytes,"
                                      "uint256[2],uint256[4],uint32[])");
    assert_memory_equal(f->selector, "\x4d\x7b\x7a\x67", 4);
    assert_string_equal(f->inputs->names[0], "r");
    assert_string_equal(f->inputs->fields[0]->names[4], "verdict");
    assert_int_equal(f->outputs->nfields, 1);
    assert_ptr_equal(zr_abi_json_function_by_selector(abi, f->selector), f);
    /* a copy outlives the ABI it came from */
    zr_abi_sig_t *kept = zr_abi_sig_dup(f);
    assert_non_null(kept);
    /* every function's canonical signature and selector are the ones solc computed */
    zr_buf_t raw;
    zt_read_file("tests/vectors/abi_sample_artifact.json", &raw);
    json_t *root;
    char jerr[160];
    assert_int_equal(zr_json_parse((const char *)raw.data, raw.len, raw.max, &root, jerr, sizeof jerr), 0);
    const json_t *mi = json_object_get(root, "methodIdentifiers");
    size_t nfun = 0;
    for (size_t i = 0; i < zr_abi_json_count(abi); i++) {
        const zr_abi_sig_t *s = zr_abi_json_at(abi, i);
        if (s->kind != ZR_ABI_FUNCTION)
            continue;
        const char *want = json_string_value(json_object_get(mi, s->canonical));
        if (!want)
            fail_msg("solc has no selector for %s", s->canonical);
        char hex[9];
        zr_hex_encode(hex, s->selector, 4);
        assert_string_equal(hex, want);
        nfun++;
    }
    assert_int_equal(nfun, json_object_size(mi));
    json_decref(root);
    zr_buf_cleanup(&raw);
    /* overloads by canonical signature */
    const zr_abi_sig_t *g1 = zr_abi_json_find(abi, ZR_ABI_FUNCTION, "get(uint256)");
    const zr_abi_sig_t *g2 = zr_abi_json_find(abi, ZR_ABI_FUNCTION, "get(bytes32)");
    assert_non_null(g1);
    assert_non_null(g2);
    assert_memory_equal(g1->selector, "\x95\x07\xd3\x9a", 4);
    assert_memory_equal(g2->selector, "\x8e\xaa\x6a\xc0", 4);
    assert_int_equal(g1->outputs->nfields, 3);
    assert_null(zr_abi_json_find(abi, ZR_ABI_FUNCTION, "Submitted"));
    const zr_abi_sig_t *err = zr_abi_json_find(abi, ZR_ABI_ERROR, "Bad");
    assert_non_null(err);
    const zr_abi_sig_t *ctor = zr_abi_json_find(abi, ZR_ABI_CONSTRUCTOR, "");
    assert_non_null(ctor);
    assert_int_equal(ctor->inputs->nfields, 1);
    /* decode the outputs of get(uint256) as a node would */
    zr_abi_value_t *out = zr_abi_tuple(3, zr_abi_tuple(8, zr_abi_uint_u64(1), zr_abi_uint_u64(2), zr_abi_uint_u64(3),
                                                       zr_abi_bytes32((const uint8_t *)"0123456789abcdef0123456789abcdef"),
                                                       zr_abi_uint_u64(2), zr_abi_int_i64(-1), zr_abi_int_i64(1),
                                                       zr_abi_bytes32((const uint8_t *)"fedcba9876543210fedcba9876543210")),
                                       zr_abi_string("bafkqaaa"), zr_abi_array(0));
    zr_buf_t b;
    zr_buf_init(&b, 1 << 16);
    assert_int_equal(zr_abi_encode(&b, g1->outputs, out, &d), 0);
    zr_abi_value_t *dec;
    assert_int_equal(zr_abi_decode_output(&dec, g1, b.data, b.len, &d), 0);
    assert_string_equal((const char *)zr_abi_value_field(dec, "cid")->data, "bafkqaaa");
    assert_int_equal(zr_abi_value_field(zr_abi_value_field(dec, "r"), "verdict")->word[31], 2);
    zr_abi_value_free(dec);
    zr_abi_value_free(out);
    zr_buf_cleanup(&b);
    zr_abi_json_free(abi);
    assert_string_equal(kept->canonical, "submitResult((uint256,uint256,uint256,bytes32,uint8,int256,int256,bytes32),"
                                         "bytes,uint256[2],uint256[4],uint32[])");
    assert_string_equal(kept->inputs->fields[0]->names[5], "scoreNew");
    assert_memory_equal(kept->selector, "\x4d\x7b\x7a\x67", 4);
    zr_abi_sig_free(kept);
    zr_abi_sig_t *ev = NULL;
    assert_int_equal(zr_abi_sig_parse(&ev, "event E(uint8 indexed a, string b)", ZR_ABI_EVENT, NULL), 0);
    zr_abi_sig_t *ev2 = zr_abi_sig_dup(ev);
    zr_abi_sig_free(ev);
    assert_int_equal(ev2->indexed[0], 1);
    assert_int_equal(ev2->indexed[1], 0);
    zr_abi_sig_free(ev2);

    /* malformed ABIs */
    static const char *bad[] = {"{", "{\"x\":1}", "[1]", "[{\"type\":\"function\",\"inputs\":[]}]",
                                "[{\"type\":\"function\",\"name\":\"f\",\"inputs\":[{\"name\":\"a\"}]}]",
                                "[{\"type\":\"function\",\"name\":\"f\",\"inputs\":[{\"type\":\"uint7\"}]}]",
                                "[{\"type\":\"function\",\"name\":\"f\",\"inputs\":[{\"type\":\"tuple[]\"}]}]",
                                "[{\"type\":\"function\",\"name\":\"f\",\"inputs\":[{\"type\":\"tuple[x]\",\"components\":[{\"type\":\"bool\"}]}]}]"};
    for (size_t i = 0; i < ZR_ARRAY_LEN(bad); i++) {
        int rc = zr_abi_json_load(&abi, bad[i], strlen(bad[i]), &d);
        if (rc != ZR_EJSON && rc != ZR_EABITYPE)
            fail_msg("ABI %s: got %s", bad[i], zr_err_name(rc));
        assert_null(abi);
        assert_true(d.msg[0] != 0);
    }
    /* a plain array works too, and deep component nesting is bounded */
    const char *plain = "[{\"type\":\"event\",\"name\":\"E\",\"inputs\":[{\"type\":\"tuple[2]\",\"indexed\":true,"
                        "\"components\":[{\"type\":\"uint8\"},{\"type\":\"string\"}]}]}]";
    assert_int_equal(zr_abi_json_load(&abi, plain, strlen(plain), &d), 0);
    assert_string_equal(zr_abi_json_at(abi, 0)->canonical, "E((uint8,string)[2])");
    zr_abi_json_free(abi);
    zr_buf_t deep;
    zr_buf_init(&deep, 1 << 20);
    zr_buf_append_str(&deep, "[{\"type\":\"function\",\"name\":\"f\",\"inputs\":");
    for (int i = 0; i < 40; i++)
        zr_buf_append_str(&deep, "[{\"type\":\"tuple\",\"components\":");
    zr_buf_append_str(&deep, "[{\"type\":\"bool\"}]");
    for (int i = 0; i < 40; i++)
        zr_buf_append_str(&deep, "}]");
    zr_buf_append_str(&deep, "}]");
    assert_int_equal(zr_abi_json_load(&abi, (const char *)deep.data, deep.len, &d), ZR_EABITYPE);
    zr_buf_cleanup(&deep);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spec_calldata),   cmocka_unit_test(test_types),
        cmocka_unit_test(test_hostile_types),   cmocka_unit_test(test_signatures),
        cmocka_unit_test(test_text_args),       cmocka_unit_test(test_bad_data),
        cmocka_unit_test(test_truncations_and_flips), cmocka_unit_test(test_decode_memory_cap),
        cmocka_unit_test(test_c_api),           cmocka_unit_test(test_format),
        cmocka_unit_test(test_logs),            cmocka_unit_test(test_json_abi),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
