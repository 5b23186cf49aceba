// SPDX-License-Identifier: MIT
// The trainer: Adam fits the square example (f(x) = x² on [-1, 1], 1→64→64→1 tanh) to
// R² ≥ 0.999; two runs with the same seed and data give identical bits; a diverging run
// stops with ZR_ENONFINITE without touching the parameters; bad options are refused.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zt.h"
#include "nn_int.h"

static const char *square_js =
    "{\"class_name\":\"Sequential\",\"config\":{\"layers\":["
    "{\"class_name\":\"InputLayer\",\"config\":{\"name\":\"x\",\"batch_shape\":[null,1]}},"
    "{\"class_name\":\"Dense\",\"config\":{\"name\":\"h1\",\"units\":64,\"activation\":\"tanh\"}},"
    "{\"class_name\":\"Dense\",\"config\":{\"name\":\"h2\",\"units\":64,\"activation\":\"tanh\"}},"
    "{\"class_name\":\"Dense\",\"config\":{\"name\":\"y\",\"units\":1}}]}}";

static void batch_square(uint64_t seed, uint64_t step, float *x, float *y, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        x[i] = (float)(zr__nn_rng64(seed, step * n + i) >> 40) * 0x1p-23f - 1.0f;
        y[i] = x[i] * x[i];
    }
}

static double r2_square(const zr_nn_arch_t *a, const zr_nn_params_t *p)
{
    zr_nn_model_t *m;
    assert_int_equal(zr_nn_model_new(&m, a, p, NULL, NULL, 0), 0);
    float x[401], y[401];
    for (int i = 0; i <= 400; i++)
        x[i] = -1.0f + (float)i / 200.0f;
    assert_int_equal(zr_nn_model_forward(m, x, 401, y), 0);
    double mean = 0, ss_res = 0, ss_tot = 0;
    for (int i = 0; i <= 400; i++)
        mean += (double)x[i] * x[i] / 401.0;
    for (int i = 0; i <= 400; i++) {
        double t = (double)x[i] * x[i];
        ss_res += (y[i] - t) * (y[i] - t);
        ss_tot += (t - mean) * (t - mean);
    }
    zr_nn_model_free(m);
    return 1.0 - ss_res / ss_tot;
}

static void test_square_converges(void **state)
{
    (void)state;
    zr_nn_arch_t *a;
    assert_int_equal(zr_nn_arch_parse(&a, square_js, strlen(square_js), NULL, NULL, 0), 0);
    zr_nn_params_t *p;
    assert_int_equal(zr_nn_params_init(&p, a, 42), 0);
    double r2_before = r2_square(a, p);
    zr_nn_trainer_t *t;
    zr_nn_train_opts_t o = {.loss = ZR_NN_LOSS_MSE, .lr = 3e-3f};
    assert_int_equal(zr_nn_trainer_new(&t, a, p, &o, NULL, 0), 0);
    float x[256], y[256], loss = 0, first = 0;
    for (int s = 0; s < 3000; s++) {
        batch_square(7, (uint64_t)s, x, y, 256);
        assert_int_equal(zr_nn_trainer_step(t, x, y, 256, &loss), 0);
        if (s == 0)
            first = loss;
    }
    assert_int_equal(zr_nn_trainer_steps(t), 3000);
    assert_int_equal(zr_nn_trainer_get_params(t, p), 0);
    double r2 = r2_square(a, p);
    printf("square: loss %.3g -> %.3g, R² %.4f -> %.6f\n", (double)first, (double)loss, r2_before, r2);
    assert_true(r2 >= 0.999);
    zr_nn_trainer_free(t);
    zr_nn_params_free(p);
    zr_nn_arch_free(a);
}

static void test_deterministic(void **state)
{
    (void)state;
    zr_nn_arch_t *a;
    assert_int_equal(zr_nn_arch_parse(&a, square_js, strlen(square_js), NULL, NULL, 0), 0);
    zr_nn_params_t *p, *r1, *r2;
    assert_int_equal(zr_nn_params_init(&p, a, 9), 0);
    assert_int_equal(zr_nn_params_new(&r1, a), 0);
    assert_int_equal(zr_nn_params_new(&r2, a), 0);
    const zr_nn_path_t paths[2] = {ZR_NN_PATH_AUTO, ZR_NN_PATH_SCALAR};
    zr_nn_params_t *res[2] = {r1, r2};
    for (int run = 0; run < 2; run++) {
        zr_nn_trainer_t *t;
        zr_nn_train_opts_t o = {.loss = ZR_NN_LOSS_MSE, .lr = 5e-3f, .path = paths[run], .threads = 2};
        assert_int_equal(zr_nn_trainer_new(&t, a, p, &o, NULL, 0), 0);
        float x[100], y[100], loss;
        for (int s = 0; s < 40; s++) {
            batch_square(3, (uint64_t)s, x, y, 100);
            assert_int_equal(zr_nn_trainer_step(t, x, y, 100, &loss), 0);
        }
        assert_int_equal(zr_nn_trainer_get_params(t, res[run]), 0);
        zr_nn_trainer_free(t);
    }
    size_t n;
    const float *d1 = zr_nn_params_data(r1, &n);
    assert_memory_equal(d1, zr_nn_params_data(r2, NULL), n * sizeof(float));
    assert_memory_not_equal(zr_nn_params_data(r1, NULL), zr_nn_params_data(p, NULL), n * sizeof(float));
    zr_nn_params_free(p);
    zr_nn_params_free(r1);
    zr_nn_params_free(r2);
    zr_nn_arch_free(a);
}

static void test_nonfinite_and_options(void **state)
{
    (void)state;
    zr_nn_arch_t *a;
    assert_int_equal(zr_nn_arch_parse(&a, square_js, strlen(square_js), NULL, NULL, 0), 0);
    zr_nn_params_t *p, *before, *after;
    assert_int_equal(zr_nn_params_init(&p, a, 1), 0);
    assert_int_equal(zr_nn_params_new(&before, a), 0);
    assert_int_equal(zr_nn_params_new(&after, a), 0);
    zr_nn_trainer_t *t;
    zr_nn_train_opts_t o = {.loss = ZR_NN_LOSS_MSE, .max_batch = 8};
    assert_int_equal(zr_nn_trainer_new(&t, a, p, &o, NULL, 0), 0);
    float x[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9}, y[9] = {0};
    float loss;
    assert_int_equal(zr_nn_trainer_step(t, x, y, 9, &loss), ZR_EINVAL); /* over max_batch */
    assert_int_equal(zr_nn_trainer_get_params(t, before), 0);
    y[0] = INFINITY;
    assert_int_equal(zr_nn_trainer_step(t, x, y, 8, &loss), ZR_ENONFINITE);
    assert_int_equal(zr_nn_trainer_get_params(t, after), 0);
    size_t n;
    const float *d1 = zr_nn_params_data(before, &n);
    assert_memory_equal(d1, zr_nn_params_data(after, NULL), n * sizeof(float));
    assert_int_equal(zr_nn_trainer_steps(t), 0);
    zr_nn_trainer_free(t);
    /* cross-entropy needs a softmax, sigmoid or linear output; this one ends in tanh */
    const char *js = "{\"class_name\":\"Sequential\",\"config\":{\"layers\":[{\"class_name\":\"Dense\",\"config\":"
                     "{\"name\":\"d\",\"units\":2,\"activation\":\"tanh\",\"batch_input_shape\":[null,1]}}]}}";
    zr_nn_arch_t *a2;
    assert_int_equal(zr_nn_arch_parse(&a2, js, strlen(js), NULL, NULL, 0), 0);
    char err[256];
    zr_nn_train_opts_t o2 = {.loss = ZR_NN_LOSS_CROSS_ENTROPY};
    assert_int_equal(zr_nn_trainer_new(&t, a2, NULL, &o2, err, sizeof err), ZR_EINVAL);
    assert_non_null(strstr(err, "not tanh"));
    zr_nn_train_opts_t o3 = {.loss = ZR_NN_LOSS_MSE, .lr = -1};
    assert_int_equal(zr_nn_trainer_new(&t, a2, NULL, &o3, err, sizeof err), ZR_EINVAL);
    zr_nn_arch_free(a2);
    zr_nn_params_free(p);
    zr_nn_params_free(before);
    zr_nn_params_free(after);
    zr_nn_arch_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_square_converges),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_nonfinite_and_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
