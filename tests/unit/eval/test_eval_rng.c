// SPDX-License-Identifier: MIT
// The evaluation rng against tests/vectors/eval_rng.txt (generated independently from
// `cast keccak` and Python by gen_eval_rng.py), the same draws through the Lua binding,
// and loose statistical sanity of uniform, normal, int and permutation.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval_int.h"
#include "zt.h"

typedef struct vec {
    uint8_t seed[32];
    char u64[512], uniform[512], normal[512], int16[256], int55[256], perm10[256];
} vec_t;

static int load_vectors(vec_t *v, int max)
{
    zr_buf_t f;
    zt_read_file("tests/vectors/eval_rng.txt", &f);
    int n = -1;
    char *save = NULL;
    for (char *line = strtok_r((char *)f.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#')
            continue;
        char *sp = strchr(line, ' ');
        assert_non_null(sp);
        *sp = 0;
        const char *rest = sp + 1;
        if (!strcmp(line, "seed")) {
            n++;
            assert_true(n < max);
            assert_int_equal(zr_hex_decode_exact(v[n].seed, 32, rest), 0);
            continue;
        }
        assert_true(n >= 0);
        char *dst = !strcmp(line, "u64") ? v[n].u64 : !strcmp(line, "uniform") ? v[n].uniform
                  : !strcmp(line, "normal") ? v[n].normal : !strcmp(line, "int16") ? v[n].int16
                  : !strcmp(line, "int55") ? v[n].int55 : !strcmp(line, "perm10") ? v[n].perm10 : NULL;
        assert_non_null(dst);
        snprintf(dst, 256, "%s", rest);
    }
    zr_buf_cleanup(&f);
    return n + 1;
}

static void test_vectors_c(void **state)
{
    (void)state;
    vec_t v[8];
    int n = load_vectors(v, 8);
    assert_true(n >= 4);
    for (int s = 0; s < n; s++) {
        zr_eval_rng_t r;
        char got[512];
        size_t o = 0;
        zr_eval_rng_init(&r, v[s].seed);
        for (int i = 0; i < 10; i++)
            o += (size_t)snprintf(got + o, sizeof got - o, "%s%016llx", i ? " " : "",
                                  (unsigned long long)zr_eval_rng_u64(&r));
        assert_string_equal(got, v[s].u64);

        zr_eval_rng_init(&r, v[s].seed);
        o = 0;
        for (int i = 0; i < 6; i++)
            o += (size_t)snprintf(got + o, sizeof got - o, "%s%.17g", i ? " " : "", zr_eval_rng_uniform(&r));
        assert_string_equal(got, v[s].uniform);

        zr_eval_rng_init(&r, v[s].seed);
        char *p = v[s].normal;
        for (int i = 0; i < 6; i++) {
            double want = strtod(p, &p);
            double z = zr_eval_rng_normal(&r);
            assert_true(fabs(z - want) <= 1e-13);
        }

        zr_eval_rng_init(&r, v[s].seed);
        o = 0;
        for (int i = 0; i < 12; i++)
            o += (size_t)snprintf(got + o, sizeof got - o, "%s%lld", i ? " " : "",
                                  (long long)zr_eval_rng_int(&r, 1, 6));
        assert_string_equal(got, v[s].int16);

        zr_eval_rng_init(&r, v[s].seed);
        o = 0;
        for (int i = 0; i < 12; i++)
            o += (size_t)snprintf(got + o, sizeof got - o, "%s%lld", i ? " " : "",
                                  (long long)zr_eval_rng_int(&r, -5, 5));
        assert_string_equal(got, v[s].int55);
    }
}

/* the Lua methods draw the same sequence */
static void test_vectors_lua(void **state)
{
    (void)state;
    vec_t v[8];
    int n = load_vectors(v, 8);
    zr_eval_limits_t lim;
    zr_eval_limits_default(&lim);
    const char *src =
        "function draw(rng, kind)\n"
        "  local parts = {}\n"
        "  if kind == 'uniform' then for i = 1, 6 do parts[i] = string.format('%.17g', rng:uniform()) end\n"
        "  elseif kind == 'int16' then for i = 1, 12 do parts[i] = tostring(rng:int(6)) end\n"
        "  elseif kind == 'int55' then for i = 1, 12 do parts[i] = tostring(rng:int(-5, 5)) end\n"
        "  elseif kind == 'perm10' then parts = rng:permutation(10)\n"
        "  elseif kind == 'tensor' then\n"
        "    local t = rng:uniform_tensor({2, 3}, -1, 1)\n"
        "    for i = 1, 6 do parts[i] = string.format('%.9g', t:reshape(6)[i]) end\n"
        "  end\n"
        "  return table.concat(parts, ' ')\n"
        "end\n";
    static const char *const kinds[] = {"uniform", "int16", "int55", "perm10", "tensor"};
    for (int s = 0; s < n; s++) {
        for (size_t k = 0; k < ZR_ARRAY_LEN(kinds); k++) {
            zr__sbx_t sb;
            memset(&sb, 0, sizeof sb);
            assert_int_equal(zr__sbx_open(&sb, &lim), 0);
            char msg[256];
            assert_int_equal(zr__sbx_load(&sb, src, strlen(src), msg, sizeof msg), 0);
            lua_getglobal(sb.L, "draw");
            zr__rng_push(sb.L, v[s].seed);
            lua_pushstring(sb.L, kinds[k]);
            assert_int_equal(zr__sbx_call(&sb, 2, 1, msg, sizeof msg), 0);
            const char *got = lua_tostring(sb.L, -1);
            const char *want = k == 0 ? v[s].uniform : k == 1 ? v[s].int16 : k == 2 ? v[s].int55 : v[s].perm10;
            if (k < 4) {
                assert_string_equal(got, want);
            } else {
                /* fill: element i = float32(a + (b − a)·uniform_i) in row-major order */
                zr_eval_rng_t r;
                zr_eval_rng_init(&r, v[s].seed);
                char exp[256];
                size_t o = 0;
                for (int i = 0; i < 6; i++)
                    o += (size_t)snprintf(exp + o, sizeof exp - o, "%s%.9g", i ? " " : "",
                                          (double)(float)(-1.0 + 2.0 * zr_eval_rng_uniform(&r)));
                assert_string_equal(got, exp);
            }
            zr__sbx_close(&sb);
        }
    }
}

static void test_statistics(void **state)
{
    (void)state;
    uint8_t seed[32] = {42};
    zr_eval_rng_t r;
    zr_eval_rng_init(&r, seed);
    const int n = 40000;
    double su = 0, sn = 0, sn2 = 0;
    int counts[6] = {0};
    for (int i = 0; i < n; i++) {
        double u = zr_eval_rng_uniform(&r);
        assert_true(u >= 0 && u < 1);
        su += u;
        double z = zr_eval_rng_normal(&r);
        sn += z;
        sn2 += z * z;
        int64_t k = zr_eval_rng_int(&r, 1, 6);
        assert_true(k >= 1 && k <= 6);
        counts[k - 1]++;
    }
    assert_true(fabs(su / n - 0.5) < 0.01);
    assert_true(fabs(sn / n) < 0.03);
    assert_true(fabs(sn2 / n - 1.0) < 0.04);
    double chi = 0;
    for (int k = 0; k < 6; k++)
        chi += (counts[k] - n / 6.0) * (counts[k] - n / 6.0) / (n / 6.0);
    assert_true(chi < 30); /* 5 degrees of freedom: p < 1e-5 */
    /* full-range and one-value intervals */
    assert_int_equal(zr_eval_rng_int(&r, 7, 7), 7);
    (void)zr_eval_rng_int(&r, INT64_MIN, INT64_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors_c),
        cmocka_unit_test(test_vectors_lua),
        cmocka_unit_test(test_statistics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
