// SPDX-License-Identifier: MIT
// Cross-check of the ABI code against Foundry's cast (node_modules/.bin/cast): for the
// signatures in tests/vectors/abi_cast_cases.txt and for randomly generated types and
// values (fixed seed), cast's abi-encode, calldata, abi-decode and abi-decode --json must
// equal zara's bytes and text exactly, decode(encode(x)) must re-encode to the same bytes,
// and the `zara abi` command must print what cast prints.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zt.h"
#include "zara/abi.h"

#define OUT_CAP (1u << 20)

static char *out_a, *out_b;

/* Appends s to b quoted for the shell. */
static void shq(zr_buf_t *b, const char *s)
{
    zr_buf_append_byte(b, '\'');
    for (; *s; s++) {
        if (*s == '\'')
            zr_buf_append_str(b, "'\\''");
        else
            zr_buf_append_byte(b, (uint8_t)*s);
    }
    zr_buf_append_byte(b, '\'');
}

static const char *cast_path(void)
{
    static char p[4096];
    if (!p[0])
        snprintf(p, sizeof p, "%s", zt_src_path("node_modules/.bin/cast"));
    return p;
}

static char *tmpdir;

/* Appends one shell word for s: quoted inline when short, otherwise "$(cat FILE)" with s
 * written to a temporary file (zt_run's command buffer is 8 KiB). */
static void shell_arg(zr_buf_t *cmd, const char *s)
{
    static unsigned seq;
    if (strlen(s) < 1000) {
        shq(cmd, s);
        return;
    }
    char path[4200];
    snprintf(path, sizeof path, "%s/arg%u", tmpdir, seq++);
    if (zr_file_write_atomic(path, s, strlen(s), 0600) != 0)
        fail_msg("cannot write %s", path);
    zr_buf_append_str(cmd, "\"$(cat ");
    shq(cmd, path);
    zr_buf_append_str(cmd, ")\"");
}

/* Runs `<prog> <a0> [flag] <sig> args... </dev/null` and returns its stdout in out. */
static int run_tool(char *out, const char *prog, const char *a0, const char *flag, const char *sig, int argc,
                    char **argv)
{
    zr_buf_t cmd;
    zr_buf_init(&cmd, 1 << 20);
    shq(&cmd, prog);
    zr_buf_printf(&cmd, " %s ", a0);
    if (flag)
        zr_buf_printf(&cmd, "%s ", flag);
    shell_arg(&cmd, sig);
    for (int i = 0; i < argc; i++) {
        zr_buf_append_byte(&cmd, ' ');
        shell_arg(&cmd, argv[i]);
    }
    zr_buf_append_str(&cmd, " </dev/null 2>/dev/null");
    if (cmd.len >= 8000)
        fail_msg("command too long for zt_run (%zu bytes)", cmd.len);
    int st = zt_run(out, OUT_CAP, "%s", zr_buf_cstr(&cmd));
    zr_buf_cleanup(&cmd);
    return st;
}

static char *hex0x(const uint8_t *p, size_t n)
{
    char *s = malloc(2 * n + 3);
    assert_non_null(s);
    s[0] = '0', s[1] = 'x';
    zr_hex_encode(s + 2, p, n);
    return s;
}

static int n_checked;

/* The whole comparison for one signature and its arguments. */
static void check_case(const char *types, int argc, char **argv, int with_cli)
{
    char sig[8192], outsig[8192];
    snprintf(sig, sizeof sig, "f(%s)", types);
    snprintf(outsig, sizeof outsig, "f()(%s)", types);
    zr_abi_diag_t d = {0};
    zr_abi_sig_t *s;
    if (zr_abi_sig_parse(&s, sig, ZR_ABI_FUNCTION, &d) != 0)
        fail_msg("%s: %s", sig, d.msg);
    zr_abi_value_t *v;
    if (zr_abi_value_parse_args(&v, s->inputs, argc, argv, &d) != 0)
        fail_msg("%s: %s", sig, d.msg);

    /* encode: abi-encode and calldata */
    zr_buf_t enc;
    zr_buf_init(&enc, 1 << 20);
    assert_int_equal(zr_abi_encode(&enc, s->inputs, v, &d), 0);
    char *mine = hex0x(enc.data, enc.len);
    assert_int_equal(run_tool(out_a, cast_path(), "abi-encode", NULL, sig, argc, argv), 0);
    if (strcmp(out_a, mine) != 0)
        fail_msg("%s encode differs\n cast %s\n zara %s", sig, out_a, mine);
    zr_buf_t call;
    zr_buf_init(&call, 1 << 20);
    assert_int_equal(zr_abi_encode_call(&call, s, v, &d), 0);
    char *mycall = hex0x(call.data, call.len);
    if (with_cli) {
        assert_int_equal(run_tool(out_a, cast_path(), "calldata", NULL, sig, argc, argv), 0);
        assert_string_equal(out_a, mycall);
    }

    /* decode what cast produced, print as cast does */
    zr_abi_type_t *outs;
    char list[8192];
    snprintf(list, sizeof list, "(%s)", types); /* "(a,b)" alone would be the list a,b */
    assert_int_equal(zr_abi_type_parse_list(&outs, list, NULL), 0);
    zr_abi_value_t *dec;
    if (zr_abi_decode(&dec, outs, enc.data, enc.len, &d) != 0)
        fail_msg("%s: decode: %s", sig, d.msg);
    zr_buf_t txt;
    zr_buf_init(&txt, 4u << 20);
    for (size_t i = 0; i < dec->count; i++) {
        assert_int_equal(zr_abi_value_format(&txt, dec->items[i]), 0);
        if (i + 1 < dec->count)
            zr_buf_append_byte(&txt, '\n');
    }
    char *hexarg[1] = {mine};
    assert_int_equal(run_tool(out_a, cast_path(), "abi-decode", NULL, outsig, 1, hexarg), 0);
    if (strcmp(out_a, zr_buf_cstr(&txt)) != 0)
        fail_msg("%s decode text differs\n--- cast\n%s\n--- zara\n%s", sig, out_a, zr_buf_cstr(&txt));
    zr_buf_reset(&txt);
    assert_int_equal(zr_abi_value_format_json(&txt, dec, 0), 0);
    assert_int_equal(run_tool(out_a, cast_path(), "abi-decode", "--json", outsig, 1, hexarg), 0);
    if (strcmp(out_a, zr_buf_cstr(&txt)) != 0)
        fail_msg("%s decode --json differs\n--- cast\n%s\n--- zara\n%s", sig, out_a, zr_buf_cstr(&txt));

    /* round trip */
    zr_buf_t again;
    zr_buf_init(&again, 1 << 20);
    assert_int_equal(zr_abi_encode(&again, outs, dec, &d), 0);
    assert_int_equal(again.len, enc.len);
    assert_memory_equal(again.data, enc.data, enc.len);

    /* the zara command prints what cast prints */
    if (with_cli) {
        const char *zara = getenv("ZARA_BIN");
        assert_non_null(zara);
        assert_int_equal(run_tool(out_b, zara, "abi encode", "--", sig, argc, argv), 0);
        assert_string_equal(out_b, mine);
        assert_int_equal(run_tool(out_b, zara, "abi calldata", "--", sig, argc, argv), 0);
        assert_string_equal(out_b, mycall);
        assert_int_equal(run_tool(out_a, cast_path(), "abi-decode", NULL, outsig, 1, hexarg), 0);
        assert_int_equal(run_tool(out_b, zara, "abi decode", NULL, outsig, 1, hexarg), 0);
        assert_string_equal(out_b, out_a);
        assert_int_equal(run_tool(out_a, cast_path(), "abi-decode", "--json", outsig, 1, hexarg), 0);
        assert_int_equal(run_tool(out_b, zara, "abi decode", "--json", outsig, 1, hexarg), 0);
        assert_string_equal(out_b, out_a);
        /* --input decodes call data with or without the selector */
        char *callarg[1] = {mycall};
        assert_int_equal(run_tool(out_a, cast_path(), "abi-decode", "--input", sig, 1, hexarg), 0);
        assert_int_equal(run_tool(out_b, zara, "abi decode", "--input", sig, 1, callarg), 0);
        assert_string_equal(out_b, out_a);
        assert_int_equal(run_tool(out_a, cast_path(), "sig", NULL, sig, 0, NULL), 0);
        assert_int_equal(run_tool(out_b, zara, "abi selector", NULL, sig, 0, NULL), 0);
        assert_string_equal(out_b, out_a);
    }
    n_checked++;
    free(mine);
    free(mycall);
    zr_buf_cleanup(&enc);
    zr_buf_cleanup(&call);
    zr_buf_cleanup(&txt);
    zr_buf_cleanup(&again);
    zr_abi_value_free(v);
    zr_abi_value_free(dec);
    zr_abi_type_free(outs);
    zr_abi_sig_free(s);
}

static void test_cases_file(void **state)
{
    (void)state;
    zr_buf_t f;
    zt_read_file("tests/vectors/abi_cast_cases.txt", &f);
    char *save = NULL;
    int lines = 0;
    for (char *l = strtok_r((char *)f.data, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        if (l[0] == '#')
            continue;
        char *fields[64];
        int n = 0;
        char *p = l;
        for (;;) {
            char *sep = strstr(p, " | ");
            fields[n++] = p;
            if (!sep || n == 63)
                break;
            *sep = 0;
            p = sep + 3;
        }
        check_case(fields[0], n - 1, fields + 1, lines % 3 == 0);
        lines++;
    }
    assert_true(lines >= 25);
    zr_buf_cleanup(&f);
}

/* ---- random types and values ------------------------------------------------------------ */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
    /* splitmix64: a fixed, reproducible sequence */
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static unsigned rn(unsigned n)
{
    return (unsigned)(rnd() % n);
}

/* A random type into t (canonical text), at most `depth` more container levels. */
static void gen_type(zr_buf_t *t, int depth)
{
    unsigned k = rn(depth > 0 ? 11 : 7);
    switch (k) {
    case 0: zr_buf_printf(t, "uint%u", 8 * (1 + rn(32))); break;
    case 1: zr_buf_printf(t, "int%u", 8 * (1 + rn(32))); break;
    case 2: zr_buf_append_str(t, "address"); break;
    case 3: zr_buf_append_str(t, "bool"); break;
    case 4: zr_buf_printf(t, "bytes%u", 1 + rn(32)); break;
    case 5: zr_buf_append_str(t, "bytes"); break;
    case 6: zr_buf_append_str(t, "string"); break;
    case 7:
    case 8:
        gen_type(t, depth - 1);
        if (k == 7)
            zr_buf_printf(t, "[%u]", 1 + rn(3));
        else
            zr_buf_append_str(t, "[]");
        break;
    default: {
        unsigned n = 1 + rn(3);
        zr_buf_append_byte(t, '(');
        for (unsigned i = 0; i < n; i++) {
            if (i)
                zr_buf_append_byte(t, ',');
            gen_type(t, depth - 1);
        }
        zr_buf_append_byte(t, ')');
    }
    }
}

static void rand_hex(zr_buf_t *b, size_t nbytes)
{
    for (size_t i = 0; i < nbytes; i++)
        zr_buf_printf(b, "%02x", (unsigned)rn(256));
}

/* A random value of t in cast's syntax; top says whether it is a whole argument. */
static void gen_value(zr_buf_t *b, const zr_abi_type_t *t, int top)
{
    switch (t->kind) {
    case ZR_ABI_UINT:
    case ZR_ABI_INT: {
        unsigned bits = t->size - (t->kind == ZR_ABI_INT);
        int neg = t->kind == ZR_ABI_INT && rn(2);
        unsigned style = rn(4);
        if (style == 0) { /* small decimal */
            zr_buf_printf(b, "%s%u", neg ? "-" : "", bits >= 16 ? rn(100000) : rn(1u << bits));
        } else if (style == 1) { /* edge: the largest magnitude, -2^bits or 2^bits - 1 */
            if (neg) {
                zr_buf_printf(b, "-0x%x", 1u << (bits % 4));
                for (unsigned i = 0; i < bits / 4; i++)
                    zr_buf_append_byte(b, '0');
            } else {
                zr_buf_append_str(b, "0x");
                if (bits % 4)
                    zr_buf_printf(b, "%x", (1u << (bits % 4)) - 1);
                for (unsigned i = 0; i < bits / 4; i++)
                    zr_buf_append_byte(b, 'f');
            }
        } else { /* random hex digits, fewer than the type holds */
            unsigned digits = 1 + rn(bits / 4);
            zr_buf_printf(b, "%s0x%x", neg ? "-" : "", 1 + rn(15));
            for (unsigned i = 1; i < digits; i++)
                zr_buf_printf(b, "%x", rn(16));
        }
        break;
    }
    case ZR_ABI_ADDRESS:
        zr_buf_append_str(b, "0x");
        rand_hex(b, 20);
        break;
    case ZR_ABI_BOOL:
        zr_buf_append_str(b, rn(2) ? "true" : "false");
        break;
    case ZR_ABI_FIXED_BYTES:
        zr_buf_append_str(b, "0x");
        rand_hex(b, t->size);
        break;
    case ZR_ABI_BYTES:
        zr_buf_append_str(b, "0x");
        rand_hex(b, rn(3) ? rn(70) : 0);
        break;
    case ZR_ABI_STRING: {
        static const char *pieces[] = {"a", "Z", "0", " ", "é", "😀", "x_y", "-", "\\", "%", "hello"};
        unsigned n = rn(4) ? rn(6) : 0;
        if (!top)
            zr_buf_append_byte(b, '"');
        for (unsigned i = 0; i < n; i++) {
            const char *p = pieces[rn(ZR_ARRAY_LEN(pieces))];
            /* no spaces at the ends: cast trims them */
            if (p[0] == ' ' && (i == 0 || i + 1 == n))
                p = "s";
            zr_buf_append_str(b, p);
        }
        if (!top)
            zr_buf_append_byte(b, '"');
        break;
    }
    case ZR_ABI_ARRAY:
    case ZR_ABI_DYN_ARRAY: {
        unsigned n = t->kind == ZR_ABI_ARRAY ? t->size : rn(4);
        zr_buf_append_byte(b, '[');
        for (unsigned i = 0; i < n; i++) {
            if (i)
                zr_buf_append_str(b, rn(2) ? ", " : ",");
            gen_value(b, t->elem, 0);
        }
        zr_buf_append_byte(b, ']');
        break;
    }
    case ZR_ABI_TUPLE:
        zr_buf_append_byte(b, '(');
        for (size_t i = 0; i < t->nfields; i++) {
            if (i)
                zr_buf_append_str(b, ", ");
            gen_value(b, t->fields[i], 0);
        }
        zr_buf_append_byte(b, ')');
        break;
    }
}

static void test_random(void **state)
{
    (void)state;
    /* 32 random cases of 1..4 parameters, four to a signature (fewer process launches) */
    for (int g = 0; g < 8; g++) {
        zr_buf_t types;
        zr_buf_init(&types, 1 << 16);
        unsigned n = 0;
        for (int c = 0; c < 4; c++) {
            unsigned k = 1 + rn(4);
            for (unsigned i = 0; i < k; i++, n++) {
                if (n)
                    zr_buf_append_byte(&types, ',');
                gen_type(&types, 3);
            }
        }
        zr_abi_type_t *t;
        zr_abi_diag_t d = {0};
        char list[16384];
        snprintf(list, sizeof list, "(%s)", zr_buf_cstr(&types));
        if (zr_abi_type_parse_list(&t, list, &d) != 0)
            fail_msg("generated type %s: %s", zr_buf_cstr(&types), d.msg);
        char *argv[16];
        zr_buf_t vals[16];
        for (unsigned i = 0; i < n; i++) {
            zr_buf_init(&vals[i], 1 << 16);
            gen_value(&vals[i], t->fields[i], 1);
            argv[i] = (char *)zr_buf_cstr(&vals[i]);
        }
        check_case(zr_buf_cstr(&types), (int)n, argv, g % 4 == 0);
        for (unsigned i = 0; i < n; i++)
            zr_buf_cleanup(&vals[i]);
        zr_abi_type_free(t);
        zr_buf_cleanup(&types);
    }
}

/* Strings with control characters, invalid UTF-8, combining marks and private use: the
 * printed forms (Rust escapes, lossy UTF-8, JSON escapes) must be cast's. */
static void test_decode_strings(void **state)
{
    (void)state;
    static const char *raw[] = {
        "00", "7f", "c285", "e2808b", "e282", "eda080", "f4908080", "65cc81", "efbbbf", "e280a8",
        "c0af", "f09f9880", "e0808080", "0a0d09085c22", "ee8080", "d8b1d98e", "e0b8aae0b8b1",
        "e381a6e38299", "f3b08080", "e2808c", "61ff62", "0c1b", "e1b4", "cd8f",
    };
    /* one signature with every string, decoded once by cast and once by zara */
    zr_buf_t types;
    zr_buf_init(&types, 4096);
    zr_abi_value_t *v = zr_abi_value_new(ZR_ABI_V_TUPLE);
    for (size_t i = 0; i < ZR_ARRAY_LEN(raw); i++) {
        size_t n;
        uint8_t *b = zt_unhex(raw[i], &n);
        assert_int_equal(zr_abi_value_push(v, zr_abi_string_n((const char *)b, n)), 0);
        zr_buf_append_str(&types, i ? ",string" : "string");
        free(b);
    }
    char list[4200], outsig[4200];
    snprintf(list, sizeof list, "(%s)", zr_buf_cstr(&types));
    snprintf(outsig, sizeof outsig, "f()(%s)", zr_buf_cstr(&types));
    zr_abi_type_t *t;
    assert_int_equal(zr_abi_type_parse_list(&t, list, NULL), 0);
    zr_buf_t enc, txt;
    zr_buf_init(&enc, 1 << 16);
    zr_buf_init(&txt, 1 << 16);
    assert_int_equal(zr_abi_encode(&enc, t, v, NULL), 0);
    char *hex = hex0x(enc.data, enc.len);
    char *hexarg[1] = {hex};
    for (size_t i = 0; i < v->count; i++) {
        if (i)
            zr_buf_append_byte(&txt, '\n');
        assert_int_equal(zr_abi_value_format(&txt, v->items[i]), 0);
    }
    assert_int_equal(run_tool(out_a, cast_path(), "abi-decode", NULL, outsig, 1, hexarg), 0);
    if (strcmp(out_a, zr_buf_cstr(&txt)) != 0)
        fail_msg("strings differ:\n--- cast\n%s\n--- zara\n%s", out_a, zr_buf_cstr(&txt));
    zr_buf_reset(&txt);
    assert_int_equal(zr_abi_value_format_json(&txt, v, 0), 0);
    assert_int_equal(run_tool(out_a, cast_path(), "abi-decode", "--json", outsig, 1, hexarg), 0);
    if (strcmp(out_a, zr_buf_cstr(&txt)) != 0)
        fail_msg("strings --json differ:\n--- cast\n%s\n--- zara\n%s", out_a, zr_buf_cstr(&txt));
    free(hex);
    zr_buf_cleanup(&enc);
    zr_buf_cleanup(&txt);
    zr_buf_cleanup(&types);
    zr_abi_value_free(v);
    zr_abi_type_free(t);
}

static void test_event_topics(void **state)
{
    (void)state;
    static const char *events[] = {
        "Transfer(address indexed from, address indexed to, uint256 value)",
        "Submitted(uint256 indexed taskId, address indexed optimizer, string cid, bytes32 commitment)",
        "Named(string indexed,int8 indexed,(uint256,uint256,uint256,bytes32,uint8,int256,int256,bytes32))",
        "E((uint8,string)[2],uint[] xs)",
    };
    const char *zara = getenv("ZARA_BIN");
    assert_non_null(zara);
    for (size_t i = 0; i < ZR_ARRAY_LEN(events); i++) {
        uint8_t topic[32];
        assert_int_equal(zr_abi_event_topic(topic, events[i]), 0);
        char *mine = hex0x(topic, 32);
        assert_int_equal(run_tool(out_a, cast_path(), "sig-event", NULL, events[i], 0, NULL), 0);
        assert_string_equal(out_a, mine);
        assert_int_equal(run_tool(out_b, zara, "abi event", NULL, events[i], 0, NULL), 0);
        assert_string_equal(out_b, mine);
        free(mine);
    }
}

/* The command line reports bad input as one line on stderr and a non-zero status. */
static void test_cli_errors(void **state)
{
    (void)state;
    const char *zara = getenv("ZARA_BIN");
    assert_non_null(zara);
    static const char *bad[] = {
        "abi encode 'f(uint8)' 256",
        "abi encode 'f(uint7)' 1",
        "abi encode 'f(uint256,bool)' 1",
        "abi decode 'f()(uint256)' 0x01",
        "abi decode 'f()(bool)' 0x0000000000000000000000000000000000000000000000000000000000000002",
        "abi decode 'f()(bytes)' 0x00000000000000000000000000000000000000000000000000000000000000ff",
        "abi decode 'f()(uint256)' 0xzz",
        "abi selector",
        "abi frobnicate x",
    };
    for (size_t i = 0; i < ZR_ARRAY_LEN(bad); i++) {
        char cmd[512];
        snprintf(cmd, sizeof cmd, "'%s' %s </dev/null 2>&1 >/dev/null; echo \"rc=$?\"", zara, bad[i]);
        int st = zt_run(out_a, OUT_CAP, "%s", cmd);
        assert_int_equal(st, 0);
        const char *rc = strstr(out_a, "rc=");
        assert_non_null(rc);
        if (strcmp(rc, "rc=0") == 0)
            fail_msg("`zara %s` succeeded", bad[i]);
        /* exactly one line of error text before the status line */
        size_t lines = 0;
        for (const char *p = out_a; p < rc; p++)
            lines += *p == '\n';
        if (lines != 1)
            fail_msg("`zara %s` printed %zu lines: %s", bad[i], lines, out_a);
    }
}

/* --abi FILE: signatures by name from the solc-generated artifact; event logs by name,
 * with topics and data produced by cast. */
static void test_cli_artifact(void **state)
{
    (void)state;
    const char *zara = getenv("ZARA_BIN");
    assert_non_null(zara);
    char abi[4200];
    snprintf(abi, sizeof abi, "--abi '%s'", zt_src_path("tests/vectors/abi_sample_artifact.json"));
    char *args[] = {("(1,2,3,0x0000000000000000000000000000000000000000000000000000000000000001,2,-3,4,"
                     "0x00000000000000000000000000000000000000000000000000000000000000ff)"),
                    "0xabcdef", "[5,6]", "[7,8,9,10]", "[0,1,4294967295]"};
    assert_int_equal(run_tool(out_a, cast_path(), "calldata", NULL,
                              "submitResult((uint256,uint256,uint256,bytes32,uint8,int256,int256,bytes32),bytes,"
                              "uint256[2],uint256[4],uint32[])",
                              5, args),
                     0);
    assert_int_equal(run_tool(out_b, zara, "abi calldata", abi, "submitResult", 5, args), 0);
    assert_string_equal(out_b, out_a);
    assert_true(strncmp(out_a, "0x4d7b7a67", 10) == 0);

    /* a Submitted(uint256 indexed taskId, address indexed optimizer, string cid,
     * bytes32 commitment) log */
    char t0[128], t1[128], t2[128], data[1024];
    assert_int_equal(run_tool(t0, cast_path(), "sig-event", NULL, "Submitted(uint256,address,string,bytes32)", 0, NULL), 0);
    char *v1[] = {"5"}, *v2[] = {"0x70997970c51812dc3a010c7d01b50e0d17dc79c8"},
         *v3[] = {"bafy", "0x1111111111111111111111111111111111111111111111111111111111111111"};
    assert_int_equal(run_tool(t1, cast_path(), "abi-encode", NULL, "f(uint256)", 1, v1), 0);
    assert_int_equal(run_tool(t2, cast_path(), "abi-encode", NULL, "f(address)", 1, v2), 0);
    assert_int_equal(run_tool(data, cast_path(), "abi-encode", NULL, "f(string,bytes32)", 2, v3), 0);
    char *logargs[] = {data, t0, t1, t2};
    assert_int_equal(run_tool(out_b, zara, "abi log", abi, "Submitted", 4, logargs), 0);
    assert_string_equal(out_b, "taskId: 5\n"
                               "optimizer: 0x70997970C51812dc3A010C7d01b50e0d17dc79C8\n"
                               "cid: \"bafy\"\n"
                               "commitment: 0x1111111111111111111111111111111111111111111111111111111111111111");
    char flags[4300];
    snprintf(flags, sizeof flags, "%s --json", abi);
    assert_int_equal(run_tool(out_b, zara, "abi log", flags, "Submitted", 4, logargs), 0);
    json_t *j;
    char err[160];
    assert_int_equal(zr_json_parse(out_b, strlen(out_b), 1 << 20, &j, err, sizeof err), 0);
    assert_int_equal(json_integer_value(json_object_get(j, "taskId")), 5);
    assert_string_equal(zr_json_str(j, "cid"), "bafy");
    json_decref(j);
    /* the same log with the signature on the command line */
    assert_int_equal(run_tool(out_a, zara, "abi log", NULL,
                              "event Submitted(uint256 indexed taskId, address indexed optimizer, string cid, bytes32 commitment)",
                              4, logargs),
                     0);
    assert_int_equal(run_tool(out_b, zara, "abi log", abi, "Submitted", 4, logargs), 0);
    assert_string_equal(out_a, out_b);
    /* a missing topic is an error */
    assert_true(run_tool(out_b, zara, "abi log", abi, "Submitted", 3, logargs) != 0);
}

static int setup(void **state)
{
    (void)state;
    out_a = malloc(OUT_CAP);
    out_b = malloc(OUT_CAP);
    tmpdir = zt_tmpdir();
    return out_a && out_b ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(out_a);
    free(out_b);
    zt_rmtree(tmpdir);
    free(tmpdir);
    printf("cross-checked %d signatures with cast\n", n_checked);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases_file),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_decode_strings),
        cmocka_unit_test(test_event_topics),
        cmocka_unit_test(test_cli_errors),
        cmocka_unit_test(test_cli_artifact),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
