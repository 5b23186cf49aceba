// SPDX-License-Identifier: MIT
// The sandbox's own binary64 math: accuracy against glibc's libm (a few ulp) over wide
// grids, special values, the exact cases scripts rely on (pow with small integer
// exponents, log base 2 and 10 of exact powers), and a golden keccak of the outputs over a
// fixed grid (tests/vectors/eval_math.txt) that pins the bits on every machine and build.
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "eval_int.h"
#include "zara/keccak.h"
#include "zt.h"

static double ulp_err(double got, double want)
{
    if (isnan(want))
        return isnan(got) ? 0 : 1e9;
    if (isinf(want))
        return got == want ? 0 : 1e9;
    if (got == want)
        return 0;
    double u = nextafter(fabs(want), INFINITY) - fabs(want);
    if (want == 0)
        u = 4.9406564584124654e-324;
    return fabs(got - want) / u;
}

typedef struct fn1 {
    const char *name;
    double (*ours)(double);
    double (*ref)(double);
    double lo, hi;
    double max_ulp;
} fn1_t;

static void test_accuracy(void **state)
{
    (void)state;
    static const fn1_t fns[] = {
        {"exp", zr__dm_exp, exp, -740, 709, 2},
        {"expm1", zr__dm_expm1, expm1, -5, 5, 2},
        {"log", zr__dm_log, log, 1e-300, 1e300, 2},
        {"sin", zr__dm_sin, sin, -1e5, 1e5, 2},
        {"cos", zr__dm_cos, cos, -1e5, 1e5, 2},
        {"tan", zr__dm_tan, tan, -1.5, 1.5, 4},
        {"atan", zr__dm_atan, atan, -1e3, 1e3, 2},
        {"asin", zr__dm_asin, asin, -1, 1, 4},
        {"acos", zr__dm_acos, acos, -1, 1, 4},
        {"tanh", zr__dm_tanh, tanh, -30, 30, 3},
    };
    for (size_t f = 0; f < ZR_ARRAY_LEN(fns); f++) {
        const fn1_t *d = &fns[f];
        double worst = 0, at = 0;
        const int n = 200000;
        for (int i = 0; i <= n; i++) {
            double x;
            if (d->lo > 0) /* log-spaced */
                x = exp(log(d->lo) + (log(d->hi) - log(d->lo)) * i / n);
            else
                x = d->lo + (d->hi - d->lo) * i / n;
            double e = ulp_err(d->ours(x), d->ref(x));
            if (e > worst) {
                worst = e;
                at = x;
            }
        }
        if (worst > d->max_ulp)
            fprintf(stderr, "%s: %.2f ulp at %.17g\n", d->name, worst, at);
        assert_true(worst <= d->max_ulp);
    }
    /* pow on a grid of bases and exponents (relative error grows with |y·log x|) */
    for (double x = 0.01; x < 100; x *= 1.37)
        for (double y = -20; y <= 20; y += 0.73) {
            double want = pow(x, y), got = zr__dm_pow(x, y);
            assert_true(fabs(got - want) <= 1e-13 * fabs(want));
        }
    /* atan2 in every quadrant */
    for (double y = -3; y <= 3; y += 0.25)
        for (double x = -3; x <= 3; x += 0.25)
            assert_true(ulp_err(zr__dm_atan2(y, x), atan2(y, x)) <= 2);
}

static void test_special_values(void **state)
{
    (void)state;
    assert_true(zr__dm_exp(0) == 1.0);
    assert_true(zr__dm_exp(1000) == INFINITY);
    assert_true(zr__dm_exp(-1000) == 0.0);
    assert_true(isnan(zr__dm_exp(NAN)));
    assert_true(zr__dm_log(1) == 0.0);
    assert_true(zr__dm_log(0) == -INFINITY);
    assert_true(isnan(zr__dm_log(-1)));
    assert_true(zr__dm_log(INFINITY) == INFINITY);
    assert_true(ulp_err(zr__dm_log(4.9406564584124654e-324), log(4.9406564584124654e-324)) <= 2);
    assert_true(zr__dm_sin(0) == 0.0);
    assert_true(zr__dm_cos(0) == 1.0);
    assert_true(isnan(zr__dm_sin(INFINITY)));
    assert_true(zr__dm_atan(INFINITY) == atan(INFINITY));
    assert_true(zr__dm_atan2(0.0, -0.0) == M_PI);
    assert_true(zr__dm_atan2(-0.0, -1.0) == -M_PI);
    assert_true(zr__dm_atan2(1.0, 0.0) == M_PI / 2);
    assert_true(zr__dm_tanh(100) == 1.0 && zr__dm_tanh(-100) == -1.0);
    assert_true(zr__dm_tanh(1e-300) == 1e-300);
    assert_true(isnan(zr__dm_asin(1.5)));
    /* pow: the exact cases scripts rely on */
    for (double x = -10; x <= 10; x += 0.37) {
        assert_true(zr__dm_pow(x, 2) == x * x);
        assert_true(zr__dm_pow(x, 3) == x * x * x);
        assert_true(zr__dm_pow(x, 1) == x);
        assert_true(zr__dm_pow(x, 0) == 1);
    }
    assert_true(zr__dm_pow(2, 10) == 1024);
    assert_true(zr__dm_pow(2, -2) == 0.25);
    assert_true(zr__dm_pow(4, 0.5) == 2);
    assert_true(isnan(zr__dm_pow(-8, 1.0 / 3)));
    assert_true(zr__dm_pow(-2, 3) == -8);
    assert_true(zr__dm_pow(0, -1) == INFINITY);
    assert_true(zr__dm_pow(0.5, INFINITY) == 0);
    assert_true(zr__dm_pow(2, -INFINITY) == 0);
    assert_true(zr__dm_pow(NAN, 0) == 1);
}

/* math.log(x, 2) and (x, 10) are exact on exact powers, through the Lua library */
static void test_lua_math(void **state)
{
    (void)state;
    zr_eval_limits_t lim;
    zr_eval_limits_default(&lim);
    zr__sbx_t s;
    memset(&s, 0, sizeof s);
    assert_int_equal(zr__sbx_open(&s, &lim), 0);
    const char *src =
        "for k = -30, 60 do assert(math.log(math.pow(2, k), 2) == k, k) end\n"
        "for k = 0, 22 do assert(math.log(math.pow(10, k), 10) == k, k) end\n"
        "assert(math.pow(3, 2) == 9 and math.sqrt(16) == 4 and math.floor(-1.5) == -2)\n"
        "assert(math.abs(math.sin(math.pi / 6) - 0.5) < 1e-15)\n"
        "assert(math.atan(1, 1) == math.pi / 4)\n"
        "assert(math.random == nil and math.randomseed == nil)\n"
        "assert(math.type(1) == 'integer' and math.tointeger(3.0) == 3)\n"
        "assert(math.isfinite(1) and not math.isfinite(1/0) and not math.isfinite(0/0))\n"
        "assert(math.fmod(7, 3) == 1 and math.huge == 1/0 and math.maxinteger == 9223372036854775807)\n";
    char msg[256];
    int rc = zr__sbx_load(&s, src, strlen(src), msg, sizeof msg);
    if (rc)
        fprintf(stderr, "%s\n", msg);
    assert_int_equal(rc, 0);
    zr__sbx_close(&s);
}

/* keccak256 over the binary64 results of every function on a fixed grid */
static void grid_digest(char out[67])
{
    zr_keccak_t k;
    zr_keccak_init(&k);
    for (int i = -2000; i <= 2000; i++) {
        double x = i * 0.0173205080756887729;
        double big = i * 12.345678;
        double r[] = {zr__dm_exp(x),        zr__dm_expm1(x * 0.1),  zr__dm_log(fabs(big) + 1e-3),
                      zr__dm_sin(big),      zr__dm_cos(big),        zr__dm_tan(x * 0.04),
                      zr__dm_atan(big),     zr__dm_atan2(x, big),   zr__dm_asin(i / 2000.0),
                      zr__dm_acos(i / 2000.0), zr__dm_tanh(x),      zr__dm_pow(fabs(x) + 0.5, x * 3.7)};
        for (size_t j = 0; j < ZR_ARRAY_LEN(r); j++) {
            uint64_t u;
            memcpy(&u, &r[j], 8);
            uint8_t b[8];
            for (int q = 0; q < 8; q++)
                b[q] = (uint8_t)(u >> (8 * q));
            zr_keccak_update(&k, b, 8);
        }
    }
    uint8_t d[32];
    zr_keccak_final(&k, d);
    out[0] = '0';
    out[1] = 'x';
    zr_hex_encode(out + 2, d, 32);
}

static void test_golden_grid(void **state)
{
    (void)state;
    zr_buf_t f;
    zt_read_file("tests/vectors/eval_math.txt", &f);
    char want[80] = "";
    char *save = NULL;
    for (char *line = strtok_r((char *)f.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        if (line[0] != '#')
            sscanf(line, "grid %79s", want);
    zr_buf_cleanup(&f);
    char got[67];
    grid_digest(got);
    if (strcmp(got, want))
        fprintf(stderr, "grid digest %s\n", got);
    assert_string_equal(got, want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accuracy),
        cmocka_unit_test(test_special_values),
        cmocka_unit_test(test_lua_math),
        cmocka_unit_test(test_golden_grid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
