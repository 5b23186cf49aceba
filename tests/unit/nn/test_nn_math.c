// SPDX-License-Identifier: MIT
// The nn float32 math against MPFR (correctly rounded references): thousands of inputs per
// function — random bit patterns, a dense sweep of the interesting range, special values —
// must all be within one ulp, and the share not correctly rounded must be tiny. The
// exhaustive check over all 2³² inputs is `make check-math`.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zt.h"
#include "nn_int.h"
#include "nn_mpfr_ref.h"

static float ours(nnf_t f, float x)
{
    switch (f) {
    case NNF_EXP: return zr_nn_expf(x);
    case NNF_EXPM1: return zr_nn_expm1f(x);
    case NNF_LOG: return zr_nn_logf(x);
    case NNF_TANH: return zr_nn_tanhf(x);
    case NNF_SIGMOID: return zr_nn_sigmoidf(x);
    case NNF_SOFTPLUS: return zr_nn_softplusf(x);
    case NNF_ERF: return zr_nn_erff(x);
    case NNF_GELU: return zr_nn_geluf(x);
    default: return 0;
    }
}

static int64_t ordered(float f)
{
    int32_t i;
    memcpy(&i, &f, 4);
    return i < 0 ? -(int64_t)(i & 0x7fffffff) : i;
}

static void test_against_mpfr(void **state)
{
    (void)state;
    nnref_t r;
    if (nnref_open(&r) != 0)
        fail_msg("cannot load libmpfr.so.6 (Debian libmpfr6)");
    uint64_t ctr = 0;
    for (int f = 0; f < NNF_COUNT; f++) {
        unsigned n = 0, wrong = 0;
        for (int i = 0; i < 30000; i++) {
            float x;
            if (i < 20000) { /* random finite bit patterns */
                uint32_t u = (uint32_t)zr__nn_rng64(77, ctr++);
                memcpy(&x, &u, 4);
                if (x != x || isinf(x))
                    continue;
            } else { /* a sweep of [-20, 20] */
                x = -20.0f + 40.0f * (float)(i - 20000) / 10000.0f;
            }
            if (f == NNF_LOG && x <= 0)
                x = -x;
            if (x == 0 && f == NNF_LOG)
                continue;
            float want = nnref_eval(&r, (nnf_t)f, x), got = ours((nnf_t)f, x);
            n++;
            if (memcmp(&want, &got, 4) != 0) {
                int64_t d = ordered(got) - ordered(want);
                if (d > 1 || d < -1)
                    fail_msg("%s(%a): got %a, correctly rounded %a", nnf_names[f], (double)x, (double)got,
                             (double)want);
                wrong++;
            }
        }
        printf("%-8s %u inputs, %u not correctly rounded (1 ulp)\n", nnf_names[f], n, wrong);
        assert_true(wrong <= n / 5000);
    }
    nnref_close(&r);
}

static void test_special_values(void **state)
{
    (void)state;
    assert_true(zr_nn_expf(0) == 1.0f);
    assert_true(zr_nn_expf(-INFINITY) == 0.0f);
    assert_true(isinf(zr_nn_expf(INFINITY)) && isinf(zr_nn_expf(89.0f)));
    assert_true(zr_nn_expf(-104.0f) == 0.0f);
    assert_true(isnan(zr_nn_expf(NAN)) && isnan(zr_nn_tanhf(NAN)) && isnan(zr_nn_erff(NAN)) &&
                isnan(zr_nn_geluf(NAN)) && isnan(zr_nn_sigmoidf(NAN)) && isnan(zr_nn_softplusf(NAN)));
    assert_true(zr_nn_logf(1.0f) == 0.0f);
    assert_true(isinf(zr_nn_logf(0.0f)) && zr_nn_logf(0.0f) < 0);
    assert_true(isnan(zr_nn_logf(-1.0f)));
    assert_true(zr_nn_tanhf(INFINITY) == 1.0f && zr_nn_tanhf(-INFINITY) == -1.0f);
    float nz = zr_nn_tanhf(-0.0f);
    assert_true(nz == 0.0f && signbit(nz));
    assert_true(zr_nn_sigmoidf(0) == 0.5f && zr_nn_sigmoidf(INFINITY) == 1.0f && zr_nn_sigmoidf(-INFINITY) == 0.0f);
    assert_true(zr_nn_erff(INFINITY) == 1.0f && zr_nn_erff(-INFINITY) == -1.0f);
    assert_true(zr_nn_softplusf(INFINITY) == INFINITY && zr_nn_softplusf(-INFINITY) == 0.0f);
    assert_true(zr_nn_geluf(INFINITY) == INFINITY && zr_nn_geluf(-INFINITY) == 0.0f);
    /* subnormal inputs keep their value where the function is x-like */
    assert_true(zr_nn_tanhf(0x1p-140f) == 0x1p-140f);
    assert_true(zr_nn_erff(0x1p-140f) == 0x1.20dd76p-140f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_mpfr),
        cmocka_unit_test(test_special_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
