// SPDX-License-Identifier: MIT
// Whole evaluations as operators sign them: golden scores and outputsDigests of the
// examples (tests/vectors/eval_examples.txt), the same bytes on every repetition and thread
// count, the digest recomputed by hand from the forward pass, the status mapping
// (INVALID_MODEL for the challenger's faults, EVAL_ERROR for the script's), and the wad
// encoding of scores.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "eval_int.h"
#include "zara/keccak.h"
#include "zt.h"

typedef struct files {
    zr_buf_t arch, params, script;
} files_t;

static void load_example(files_t *f, const char *name, const char *params)
{
    char p[256];
    snprintf(p, sizeof p, "examples/%s/arch.json", name);
    zt_read_file(p, &f->arch);
    snprintf(p, sizeof p, "examples/%s/%s", name, params);
    zt_read_file(p, &f->params);
    snprintf(p, sizeof p, "examples/%s/eval.lua", name);
    zt_read_file(p, &f->script);
}

static void free_files(files_t *f)
{
    zr_buf_cleanup(&f->arch);
    zr_buf_cleanup(&f->params);
    zr_buf_cleanup(&f->script);
}

static void input_of(zr_eval_input_t *in, const files_t *f, const char *script)
{
    memset(in, 0, sizeof *in);
    in->arch_json = (const char *)f->arch.data;
    in->arch_len = f->arch.len;
    in->params = f->params.data;
    in->params_len = f->params.len;
    in->script = script ? script : (const char *)f->script.data;
    in->script_len = script ? strlen(script) : f->script.len;
    for (int i = 0; i < 32; i++)
        in->seed[i] = (uint8_t)(i * 7 + 1);
}

static void test_limits(zr_eval_limits_t *l)
{
    zr_eval_limits_default(l);
    l->budget = 50000000;
    l->mem_cap = 64u << 20;
    l->wall_ms = 20000;
}

static void hex32(char out[67], const uint8_t b[32])
{
    out[0] = '0';
    out[1] = 'x';
    zr_hex_encode(out + 2, b, 32);
}

/* golden: example params seed status score wad digest */
static void test_golden_examples(void **state)
{
    (void)state;
    zr_buf_t v;
    zt_read_file("tests/vectors/eval_examples.txt", &v);
    char *save = NULL;
    int count = 0;
    for (char *line = strtok_r((char *)v.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#' || !line[0])
            continue;
        char ex[64], params[64], seed[80], status[32], score[64], wad[64], digest[80];
        assert_int_equal(sscanf(line, "%63s %63s %79s %31s %63s %63s %79s", ex, params, seed, status, score,
                                wad, digest),
                         7);
        files_t f;
        load_example(&f, ex, params);
        zr_eval_input_t in;
        input_of(&in, &f, NULL);
        assert_int_equal(zr_hex_decode_exact(in.seed, 32, seed), 0);
        zr_eval_result_t res;
        assert_int_equal(zr_eval_run(&res, &in, NULL, NULL, NULL), 0);
        json_t *j = zr_eval_result_json(&res);
        char got_score[64], got_digest[67];
        snprintf(got_score, sizeof got_score, "%.17g", res.challenger_score);
        hex32(got_digest, res.outputs_digest);
        if (strcmp(status, zr_eval_status_name(res.status)) || strcmp(score, got_score) ||
            strcmp(wad, json_string_value(json_object_get(j, "challenger_score_wad"))) ||
            strcmp(digest, got_digest))
            fprintf(stderr, "%s %s: got %s %s %s %s (%s)\n", ex, params, zr_eval_status_name(res.status),
                    got_score, json_string_value(json_object_get(j, "challenger_score_wad")), got_digest,
                    res.reason);
        assert_string_equal(status, zr_eval_status_name(res.status));
        assert_string_equal(score, got_score);
        assert_string_equal(wad, json_string_value(json_object_get(j, "challenger_score_wad")));
        assert_string_equal(digest, got_digest);
        json_decref(j);
        free_files(&f);
        count++;
    }
    assert_true(count >= 6);
    zr_buf_cleanup(&v);
}

/* same inputs → same result bytes, whatever the thread count; incumbent = challenger →
 * same score on the same seed */
static void test_repeatable(void **state)
{
    (void)state;
    files_t f;
    load_example(&f, "spirals", "init.safetensors");
    zr_eval_input_t in;
    input_of(&in, &f, NULL);
    in.incumbent = f.params.data;
    in.incumbent_len = f.params.len;
    zr_eval_limits_t lim;
    zr_eval_limits_default(&lim);
    zr_eval_result_t a, b;
    assert_int_equal(zr_eval_run(&a, &in, &lim, NULL, NULL), 0);
    lim.threads = 2;
    assert_int_equal(zr_eval_run(&b, &in, &lim, NULL, NULL), 0);
    assert_int_equal(a.status, ZR_EVAL_OK);
    assert_memory_equal(a.outputs_digest, b.outputs_digest, 32);
    assert_memory_equal(a.challenger_wad, b.challenger_wad, 32);
    assert_memory_equal(a.incumbent_wad, b.incumbent_wad, 32);
    assert_memory_equal(a.challenger_wad, a.incumbent_wad, 32);
    assert_true(a.challenger_score == b.challenger_score);
    assert_int_equal(a.challenger_work, b.challenger_work);
    assert_int_equal(a.challenger_work, a.incumbent_work);
    /* another seed gives another digest */
    in.seed[0] ^= 1;
    assert_int_equal(zr_eval_run(&b, &in, &lim, NULL, NULL), 0);
    assert_memory_not_equal(a.outputs_digest, b.outputs_digest, 32);
    free_files(&f);
}

static void put_u32(zr_keccak_t *k, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    zr_keccak_update(k, b, 4);
}

static void put_f32(zr_keccak_t *k, const float *x, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t u;
        memcpy(&u, &x[i], 4);
        put_u32(k, u);
    }
}

/* the digest is keccak256 over (shape as u32 LE, data as binary32 LE) of every forward
 * output of the challenger, in call order: recomputed here from the nn engine directly */
static void test_digest_by_hand(void **state)
{
    (void)state;
    files_t f;
    load_example(&f, "square", "init.safetensors");
    const char *script = "function evaluate(model, rng)\n"
                         "  local y = model:forward(tensor.from({{0.5}, {-0.25}, {1}}))\n"
                         "  local z = model:forward(tensor.from({0.75}))\n"
                         "  return y:sum() + z:sum()\n"
                         "end\n";
    zr_eval_input_t in;
    input_of(&in, &f, script);
    zr_eval_result_t res;
    assert_int_equal(zr_eval_run(&res, &in, NULL, NULL, NULL), 0);
    assert_int_equal(res.status, ZR_EVAL_OK);
    assert_int_equal(res.forward_calls, 2);

    zr_nn_arch_t *a;
    zr_nn_params_t *p;
    zr_nn_model_t *m;
    char err[256];
    assert_int_equal(zr_nn_arch_parse(&a, (const char *)f.arch.data, f.arch.len, NULL, err, sizeof err), 0);
    assert_int_equal(zr_nn_params_load(&p, a, f.params.data, f.params.len, err, sizeof err), 0);
    assert_int_equal(zr_nn_model_new(&m, a, p, NULL, err, sizeof err), 0);
    const float x[3] = {0.5f, -0.25f, 1.0f}, x2[1] = {0.75f};
    float y[3], z[1];
    assert_int_equal(zr_nn_model_forward(m, x, 3, y), 0);
    assert_int_equal(zr_nn_model_forward(m, x2, 1, z), 0);
    zr_keccak_t k;
    zr_keccak_init(&k);
    put_u32(&k, 3);
    put_u32(&k, 1);
    put_f32(&k, y, 3);
    put_u32(&k, 1);
    put_f32(&k, z, 1);
    uint8_t want[32];
    zr_keccak_final(&k, want);
    assert_memory_equal(res.outputs_digest, want, 32);
    double score = ((double)y[0] + (double)y[1] + (double)y[2]) + (double)z[0];
    assert_true(res.challenger_score == score);
    zr_nn_model_free(m);
    zr_nn_params_free(p);
    zr_nn_arch_free(a);
    free_files(&f);
}

/* Parameters whose output overflows: the second hidden layer's kernel all 1e30 (every unit
 * saturates to the same sign) and the output kernel all 3e38, so the output is ±inf. */
static void make_overflowing(zr_buf_t *out, const files_t *f)
{
    zr_nn_arch_t *a;
    zr_nn_params_t *p;
    char err[256];
    assert_int_equal(zr_nn_arch_parse(&a, (const char *)f->arch.data, f->arch.len, NULL, err, sizeof err), 0);
    assert_int_equal(zr_nn_params_load(&p, a, f->params.data, f->params.len, err, sizeof err), 0);
    for (size_t i = 0; i < zr_nn_arch_layer_count(a); i++) {
        zr_nn_layer_info_t li;
        zr_nn_arch_layer(a, i, &li);
        float *k, *b;
        float v = strcmp(li.name, "hidden2") == 0 ? 1e30f : strcmp(li.name, "y") == 0 ? 3e38f : 0;
        if (v == 0)
            continue;
        assert_int_equal(zr_nn_params_dense(p, i, &k, &b), 0);
        for (size_t j = 0; j < (size_t)li.in_dim * li.out_dim; j++)
            k[j] = v;
    }
    zr_buf_init(out, 1 << 20);
    assert_int_equal(zr_nn_params_save(p, out), 0);
    zr_nn_params_free(p);
    zr_nn_arch_free(a);
}

typedef struct status_case {
    const char *name;
    const char *script; /* NULL: the example's */
    int params;         /* 0 example, 1 garbage, 2 other arch, 3 huge weights, 4 truncated,
                           5 over a params_max of 100 bytes */
    int incumbent;      /* 0 none, 1 same as example init, 2 garbage, 3 huge weights */
    zr_eval_status_t want;
    int err;
    const char *needle;
} status_case_t;

static const status_case_t CASES[] = {
    {"ok", NULL, 0, 1, ZR_EVAL_OK, 0, NULL},
    {"garbage parameters", NULL, 1, 1, ZR_EVAL_INVALID_MODEL, ZR_ESAFETENSORS, "parameters"},
    {"parameters of another architecture", NULL, 2, 1, ZR_EVAL_INVALID_MODEL, ZR_ESHAPE, "parameters"},
    {"truncated parameters", NULL, 4, 1, ZR_EVAL_INVALID_MODEL, ZR_ESAFETENSORS, "parameters"},
    {"parameters over the task's limit", NULL, 5, 0, ZR_EVAL_INVALID_MODEL, ZR_ETOOBIG, "over the limit"},
    {"non-finite outputs", NULL, 3, 1, ZR_EVAL_INVALID_MODEL, ZR_ENONFINITE, "not finite"},
    {"non-finite outputs caught by pcall",
     "function evaluate(m, r) local ok = pcall(m.forward, m, tensor.full({4, 1}, 1)) return 1 end", 3, 0,
     ZR_EVAL_INVALID_MODEL, ZR_ENONFINITE, "not finite"},
    {"broken incumbent", NULL, 0, 2, ZR_EVAL_EVAL_ERROR, ZR_ESAFETENSORS, "incumbent"},
    {"script returns NaN", "function evaluate(m, r) return 0/0 end", 0, 0, ZR_EVAL_EVAL_ERROR, ZR_ESCORE, "finite"},
    {"script returns inf", "function evaluate(m, r) return 1/0 end", 0, 0, ZR_EVAL_EVAL_ERROR, ZR_ESCORE, "finite"},
    {"script returns -inf", "function evaluate(m, r) return -math.huge end", 0, 0, ZR_EVAL_EVAL_ERROR, ZR_ESCORE, "finite"},
    {"script returns a string", "function evaluate(m, r) return '1.5' end", 0, 0, ZR_EVAL_EVAL_ERROR, ZR_ESCORE, "string"},
    {"script returns nothing", "function evaluate(m, r) end", 0, 0, ZR_EVAL_EVAL_ERROR, ZR_ESCORE, "nil"},
    {"score too large", "function evaluate(m, r) return 9e9 end", 0, 0, ZR_EVAL_EVAL_ERROR, ZR_ESCORE, "9e9"},
    {"largest score", "function evaluate(m, r) return 8999999999.5 end", 0, 0, ZR_EVAL_OK, 0, NULL},
    {"integer score", "function evaluate(m, r) return 3 end", 0, 0, ZR_EVAL_OK, 0, NULL},
    {"no evaluate", "x = 1", 0, 0, ZR_EVAL_EVAL_ERROR, ZR_ENOEVALFN, "evaluate"},
    {"_G whose __index raises", "setmetatable(_G, {__index = function(t, k) error('no ' .. k) end})", 0, 0,
     ZR_EVAL_EVAL_ERROR, ZR_ENOEVALFN, "evaluate"},
    {"evaluate as a callable table", "evaluate = setmetatable({}, {__call = function() return 1 end})", 0, 0,
     ZR_EVAL_EVAL_ERROR, ZR_ENOEVALFN, "evaluate"},
    {"error object is a number", "function evaluate(m, r) error(42) end", 0, 0, ZR_EVAL_EVAL_ERROR, ZR_ESCRIPT, "42"},
    {"script error", "function evaluate(m, r) error('boom') end", 0, 0, ZR_EVAL_EVAL_ERROR, ZR_ESCRIPT, "boom"},
    {"script error beats bad params", "function evaluate(", 1, 0, ZR_EVAL_EVAL_ERROR, ZR_ESCRIPT, "script"},
    {"pow", "function evaluate(m, r) return 2^2 end", 0, 0, ZR_EVAL_EVAL_ERROR, ZR_EPOW, "math.pow"},
    {"budget", "function evaluate(m, r) while true do end end", 0, 0, ZR_EVAL_EVAL_ERROR, ZR_EBUDGET, "budget"},
    {"memory", "function evaluate(m, r) local t = {} while true do t[#t + 1] = tensor.zeros(1000) end end", 0, 0,
     ZR_EVAL_EVAL_ERROR, ZR_EMEMCAP, "memory"},
    {"wrong input width", "function evaluate(m, r) return m:forward(tensor.zeros(3, 2)):sum() end", 0, 0,
     ZR_EVAL_EVAL_ERROR, ZR_ESCRIPT, "[n, 1]"},
    {"non-finite input is the script's fault", "function evaluate(m, r) return m:forward(tensor.full({2, 1}, 0/0)):sum() end",
     3, 0, ZR_EVAL_EVAL_ERROR, ZR_ESCRIPT, "not finite"},
    {"forward on a huge batch is charged",
     "function evaluate(m, r) local x = tensor.zeros(100000, 1) for i = 1, 1000 do m:forward(x) end return 1 end", 0, 0,
     ZR_EVAL_EVAL_ERROR, ZR_EBUDGET, "budget"},
    {"incumbent with non-finite outputs", NULL, 0, 3, ZR_EVAL_EVAL_ERROR, ZR_ENONFINITE, "incumbent"},
};

static void test_status_mapping(void **state)
{
    (void)state;
    files_t f;
    load_example(&f, "square", "init.safetensors");
    files_t other;
    load_example(&other, "spirals", "init.safetensors");
    zr_buf_t huge;
    make_overflowing(&huge, &f);
    static const uint8_t garbage[] = "this is not a safetensors file";
    zr_eval_limits_t lim;
    test_limits(&lim);
    for (size_t i = 0; i < ZR_ARRAY_LEN(CASES); i++) {
        const status_case_t *c = &CASES[i];
        zr_eval_input_t in;
        input_of(&in, &f, c->script);
        switch (c->params) {
        case 1:
            in.params = garbage;
            in.params_len = sizeof garbage - 1;
            break;
        case 2:
            in.params = other.params.data;
            in.params_len = other.params.len;
            break;
        case 3:
            in.params = huge.data;
            in.params_len = huge.len;
            break;
        case 4:
            in.params_len = f.params.len - 3;
            break;
        }
        if (c->incumbent == 1) {
            in.incumbent = f.params.data;
            in.incumbent_len = f.params.len;
        } else if (c->incumbent == 2) {
            in.incumbent = garbage;
            in.incumbent_len = sizeof garbage - 1;
        } else if (c->incumbent == 3) {
            in.incumbent = huge.data;
            in.incumbent_len = huge.len;
        }
        zr_eval_result_t res;
        lim.params_max = c->params == 5 ? 100 : ((size_t)1 << 30);
        assert_int_equal(zr_eval_run(&res, &in, &lim, NULL, NULL), 0);
        if (res.status != c->want || res.err != c->err || (c->needle && !strstr(res.reason, c->needle))) {
            fprintf(stderr, "case '%s': %s %s: %s\n", c->name, zr_eval_status_name(res.status), zr_err_name(res.err),
                    res.reason);
            fail();
        }
        static const uint8_t zero[32];
        if (res.status != ZR_EVAL_OK) {
            assert_memory_equal(res.outputs_digest, zero, 32);
            assert_memory_equal(res.challenger_wad, zero, 32);
            assert_true(res.challenger_score == 0);
        } else {
            assert_memory_not_equal(res.outputs_digest, zero, 32);
        }
    }
    zr_buf_cleanup(&huge);
    free_files(&f);
    free_files(&other);
}

static void test_wad(void **state)
{
    (void)state;
    static const struct {
        double score;
        const char *hex; /* 32 bytes */
    } cases[] = {
        {0.0, "0000000000000000000000000000000000000000000000000000000000000000"},
        {-0.0, "0000000000000000000000000000000000000000000000000000000000000000"},
        {1.0, "0000000000000000000000000000000000000000000000000de0b6b3a7640000"},
        {1.5, "00000000000000000000000000000000000000000000000014d1120d7b160000"},
        {-1.0, "fffffffffffffffffffffffffffffffffffffffffffffffff21f494c589c0000"},
        /* 0.1234567894 → llrint(123456789.4) = 123456789 */
        {0.1234567894, "00000000000000000000000000000000000000000000000001b69b4ba5749200"},
        /* ties round to even: 2.5e-9 × 1e9 = 2.5 → 2 */
        {2.5e-9, "0000000000000000000000000000000000000000000000000000000077359400"},
        /* 8999999999 → 8999999999e18 (values checked with Python integers) */
        {8999999999.0, "00000000000000000000000000000000000000001d14a0219073cbe7b6300000"},
        {-8999999999.0, "ffffffffffffffffffffffffffffffffffffffffe2eb5fde6f8c341849d00000"},
    };
    for (size_t i = 0; i < ZR_ARRAY_LEN(cases); i++) {
        uint8_t out[32];
        char hex[65];
        assert_int_equal(zr_eval_score_wad(out, cases[i].score), 0);
        zr_hex_encode(hex, out, 32);
        if (strcmp(hex, cases[i].hex))
            fprintf(stderr, "score %.17g: %s\n", cases[i].score, hex);
        assert_string_equal(hex, cases[i].hex);
    }
    uint8_t out[32];
    assert_int_equal(zr_eval_score_wad(out, 9e9), ZR_ESCORE);
    assert_int_equal(zr_eval_score_wad(out, -9e9), ZR_ESCORE);
    assert_int_equal(zr_eval_score_wad(out, 0.0 / 0.0), ZR_ESCORE);
    assert_int_equal(zr_eval_score_wad(out, 1.0 / 0.0), ZR_ESCORE);
}

static volatile int g_cancel;

static void *cancel_later(void *arg)
{
    (void)arg;
    struct timespec ts = {0, 300000000};
    nanosleep(&ts, NULL);
    g_cancel = 1;
    return NULL;
}

/* lim.cancel stops an evaluation from another thread: no result, ZR_EINTERRUPTED */
static void test_cancel(void **state)
{
    (void)state;
    files_t f;
    load_example(&f, "square", "init.safetensors");
    zr_eval_input_t in;
    input_of(&in, &f, "function evaluate(m, r) while true do end end");
    zr_eval_limits_t lim;
    zr_eval_limits_default(&lim);
    lim.budget = UINT64_MAX / 2;
    lim.wall_ms = 0;
    g_cancel = 0;
    lim.cancel = &g_cancel;
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, cancel_later, NULL), 0);
    zr_eval_result_t res;
    assert_int_equal(zr_eval_run(&res, &in, &lim, NULL, NULL), ZR_EINTERRUPTED);
    pthread_join(th, NULL);
    assert_int_equal(res.err, ZR_EINTERRUPTED);
    free_files(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_examples), cmocka_unit_test(test_repeatable),
        cmocka_unit_test(test_digest_by_hand),  cmocka_unit_test(test_status_mapping),
        cmocka_unit_test(test_wad),             cmocka_unit_test(test_cancel),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
