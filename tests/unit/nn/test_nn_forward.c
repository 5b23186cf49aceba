// SPDX-License-Identifier: MIT
// Differential tests of the forward pass: every kernel path (scalar, SSE2, AVX2, NEON) and
// thread count gives the reference path's bits on random MLPs of odd sizes, every
// activation, batches 1..N; plus chunking beyond max_batch, NaN canonicalisation and the
// digest layout.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zt.h"
#include "nn_int.h"

static uint64_t rng_state = 0x1234567;

static uint64_t next(void)
{
    return zr__nn_rng64(99, rng_state++);
}

static float frand(float lo, float hi)
{
    return lo + (hi - lo) * (float)(next() >> 40) * 0x1p-24f;
}

/* a Sequential JSON with the given widths and activations */
static char *make_arch(size_t nl, const unsigned *w, const char *const *acts, int bias_off_layer)
{
    zr_buf_t b;
    zr_buf_init(&b, 1 << 20);
    zr_buf_printf(&b, "{\"class_name\":\"Sequential\",\"config\":{\"name\":\"t\",\"layers\":["
                      "{\"class_name\":\"InputLayer\",\"config\":{\"name\":\"in\",\"batch_shape\":[null,%u]}}",
                  w[0]);
    for (size_t i = 1; i <= nl; i++)
        zr_buf_printf(&b, ",{\"class_name\":\"Dense\",\"config\":{\"name\":\"d%zu\",\"units\":%u,"
                          "\"activation\":\"%s\",\"use_bias\":%s}}",
                      i, w[i], acts[i - 1], (int)i == bias_off_layer ? "false" : "true");
    zr_buf_append_str(&b, "]}}");
    return (char *)zr_buf_take(&b, NULL);
}

static void randomise(zr_nn_params_t *p, float scale)
{
    size_t n;
    float *d = zr_nn_params_data(p, &n);
    for (size_t i = 0; i < n; i++)
        d[i] = frand(-scale, scale);
}

static void run(const zr_nn_arch_t *a, const zr_nn_params_t *p, zr_nn_path_t path, unsigned threads,
                const float *in, size_t batch, float *out, uint32_t max_batch)
{
    zr_nn_model_t *m;
    char err[256];
    zr_nn_model_opts_t o = {.max_batch = max_batch, .threads = threads, .path = path};
    int rc = zr_nn_model_new(&m, a, p, &o, err, sizeof err);
    if (rc)
        fail_msg("model_new(%s): %s", zr_nn_path_name(path), err);
    assert_int_equal(zr_nn_model_forward(m, in, batch, out), 0);
    zr_nn_model_free(m);
}

static const char *const all_acts[] = {"linear", "relu", "leaky_relu", "elu", "tanh",
                                       "sigmoid", "softplus", "softmax", "gelu"};

static void test_paths_equal_reference(void **state)
{
    (void)state;
    const zr_nn_path_t paths[] = {ZR_NN_PATH_SCALAR, ZR_NN_PATH_SSE2, ZR_NN_PATH_AVX2, ZR_NN_PATH_NEON,
                                  ZR_NN_PATH_AVX512};
    int compared = 0;
    for (int trial = 0; trial < 24; trial++) {
        unsigned w[5];
        size_t nl = 1 + next() % 4;
        w[0] = 1 + next() % 40;
        const char *acts[4];
        for (size_t i = 1; i <= nl; i++) {
            w[i] = 1 + next() % 70;
            acts[i - 1] = all_acts[next() % ZR_ARRAY_LEN(all_acts)];
        }
        char *js = make_arch(nl, w, acts, (int)(next() % 5));
        zr_nn_arch_t *a;
        char err[256];
        int rc = zr_nn_arch_parse(&a, js, strlen(js), NULL, err, sizeof err);
        if (rc)
            fail_msg("%s: %s", js, err);
        zr_nn_params_t *p;
        assert_int_equal(zr_nn_params_new(&p, a), 0);
        randomise(p, trial % 3 == 0 ? 3.0f : 0.7f);
        size_t batch = 1 + next() % 77;
        float *in = malloc(batch * w[0] * sizeof(float));
        float *ref = malloc(batch * w[nl] * sizeof(float));
        float *got = malloc(batch * w[nl] * sizeof(float));
        for (size_t i = 0; i < batch * w[0]; i++)
            in[i] = frand(-4, 4);
        run(a, p, ZR_NN_PATH_REF, 1, in, batch, ref, 1024);
        for (size_t pi = 0; pi < ZR_ARRAY_LEN(paths); pi++) {
            if (!zr_nn_path_available(paths[pi]))
                continue;
            for (unsigned th = 1; th <= 2; th++) {
                uint32_t mb = th == 2 ? 37 : 1024; /* also exercises chunking */
                memset(got, 0xa5, batch * w[nl] * sizeof(float));
                run(a, p, paths[pi], th, in, batch, got, mb);
                if (memcmp(ref, got, batch * w[nl] * sizeof(float)) != 0)
                    fail_msg("path %s threads %u differs from the reference on %s batch %zu",
                             zr_nn_path_name(paths[pi]), th, js, batch);
                compared++;
            }
        }
        free(in);
        free(ref);
        free(got);
        free(js);
        zr_nn_params_free(p);
        zr_nn_arch_free(a);
    }
    assert_true(compared >= 24 * 4);
}

/* Large batches through both threads and every path, a fixed tanh net. */
static void test_threads_large_batch(void **state)
{
    (void)state;
    unsigned w[] = {3, 33, 17, 2};
    const char *acts[] = {"tanh", "relu", "sigmoid"};
    char *js = make_arch(3, w, acts, 0);
    zr_nn_arch_t *a;
    assert_int_equal(zr_nn_arch_parse(&a, js, strlen(js), NULL, NULL, 0), 0);
    zr_nn_params_t *p;
    assert_int_equal(zr_nn_params_init(&p, a, 7), 0);
    size_t batch = 1000;
    float *in = malloc(batch * 3 * sizeof(float)), *ref = malloc(batch * 2 * sizeof(float)),
          *got = malloc(batch * 2 * sizeof(float));
    for (size_t i = 0; i < batch * 3; i++)
        in[i] = frand(-2, 2);
    run(a, p, ZR_NN_PATH_REF, 1, in, batch, ref, 4096);
    run(a, p, ZR_NN_PATH_AUTO, 2, in, batch, got, 4096);
    assert_memory_equal(ref, got, batch * 2 * sizeof(float));
    run(a, p, ZR_NN_PATH_AUTO, 3, in, batch, got, 100);
    assert_memory_equal(ref, got, batch * 2 * sizeof(float));
    free(in);
    free(ref);
    free(got);
    free(js);
    zr_nn_params_free(p);
    zr_nn_arch_free(a);
}

/* Non-Dense layers: Flatten of a 2-D input, an activation straight on the input, Dropout,
 * Activation and LeakyReLU layers, a Dense without activation before a softmax layer. */
static void test_layer_mix(void **state)
{
    (void)state;
    const char *js =
        "{\"class_name\":\"Sequential\",\"config\":{\"layers\":["
        "{\"class_name\":\"InputLayer\",\"config\":{\"name\":\"in\",\"batch_shape\":[null,3,5]}},"
        "{\"class_name\":\"Flatten\",\"config\":{\"name\":\"f\"}},"
        "{\"class_name\":\"Activation\",\"config\":{\"name\":\"a0\",\"activation\":\"tanh\"}},"
        "{\"class_name\":\"Dense\",\"config\":{\"name\":\"d1\",\"units\":21}},"
        "{\"class_name\":\"Dropout\",\"config\":{\"name\":\"dr\",\"rate\":0.3}},"
        "{\"class_name\":\"LeakyReLU\",\"config\":{\"name\":\"lr\",\"alpha\":0.1}},"
        "{\"class_name\":\"Dense\",\"config\":{\"name\":\"d2\",\"units\":6,\"activation\":\"elu\"}},"
        "{\"class_name\":\"Dense\",\"config\":{\"name\":\"d3\",\"units\":4}},"
        "{\"class_name\":\"Activation\",\"config\":{\"name\":\"sm\",\"activation\":\"softmax\"}}]}}";
    zr_nn_arch_t *a;
    char err[256];
    if (zr_nn_arch_parse(&a, js, strlen(js), NULL, err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(zr_nn_arch_input_dim(a), 15);
    zr_nn_params_t *p;
    assert_int_equal(zr_nn_params_new(&p, a), 0);
    randomise(p, 1.0f);
    size_t batch = 45;
    float in[45 * 15], ref[45 * 4], got[45 * 4];
    for (size_t i = 0; i < ZR_ARRAY_LEN(in); i++)
        in[i] = frand(-3, 3);
    float in_copy[45 * 15];
    memcpy(in_copy, in, sizeof in);
    run(a, p, ZR_NN_PATH_REF, 1, in, batch, ref, 64);
    assert_memory_equal(in, in_copy, sizeof in); /* the input is never written */
    for (size_t r = 0; r < batch; r++) {
        float s = 0;
        for (int j = 0; j < 4; j++)
            s += ref[r * 4 + j];
        assert_true(fabsf(s - 1.0f) < 1e-5f);
    }
    const zr_nn_path_t paths[] = {ZR_NN_PATH_SCALAR, ZR_NN_PATH_SSE2, ZR_NN_PATH_AVX2, ZR_NN_PATH_NEON,
                                  ZR_NN_PATH_AVX512};
    for (size_t pi = 0; pi < ZR_ARRAY_LEN(paths); pi++) {
        if (!zr_nn_path_available(paths[pi]))
            continue;
        run(a, p, paths[pi], 2, in, batch, got, 16);
        assert_memory_equal(ref, got, sizeof ref);
        assert_memory_equal(in, in_copy, sizeof in);
    }
    zr_nn_params_free(p);
    zr_nn_arch_free(a);
}

/* A hand-computed network: y = tanh(w·x + b) for one unit, and the canonical order. */
static void test_known_values(void **state)
{
    (void)state;
    const char *js = "{\"class_name\":\"Sequential\",\"config\":{\"layers\":[{\"class_name\":\"Dense\","
                     "\"config\":{\"name\":\"d\",\"units\":2,\"activation\":\"linear\","
                     "\"batch_input_shape\":[null,3]}}]}}";
    zr_nn_arch_t *a;
    assert_int_equal(zr_nn_arch_parse(&a, js, strlen(js), NULL, NULL, 0), 0);
    zr_nn_params_t *p;
    assert_int_equal(zr_nn_params_new(&p, a), 0);
    float *k, *b;
    assert_int_equal(zr_nn_params_dense(p, 1 - 1, &k, &b), 0);
    /* kernel [3][2]: column 0 sums with cancellation that depends on the order */
    float kv[6] = {1e8f, 1, -1e8f, 2, 1, 3};
    memcpy(k, kv, sizeof kv);
    b[0] = 0.5f;
    b[1] = 0;
    float in[3] = {1, 1, 1}, out[2];
    const zr_nn_path_t paths[] = {ZR_NN_PATH_REF, ZR_NN_PATH_SCALAR, ZR_NN_PATH_AUTO};
    for (size_t i = 0; i < 3; i++) {
        run(a, p, paths[i], 1, in, 1, out, 8);
        /* ((0.5 + 1e8) + -1e8) + 1 = 1e8 - 1e8 + 1 = 1 (0.5 is lost in 1e8) */
        assert_true(out[0] == 1.0f);
        assert_true(out[1] == 6.0f);
    }
    zr_nn_params_free(p);
    zr_nn_arch_free(a);
}

static void test_nan_canonical_and_digest(void **state)
{
    (void)state;
    const char *js = "{\"class_name\":\"Sequential\",\"config\":{\"layers\":[{\"class_name\":\"Dense\","
                     "\"config\":{\"name\":\"d\",\"units\":1,\"batch_input_shape\":[null,2]}}]}}";
    zr_nn_arch_t *a;
    assert_int_equal(zr_nn_arch_parse(&a, js, strlen(js), NULL, NULL, 0), 0);
    zr_nn_params_t *p;
    assert_int_equal(zr_nn_params_init(&p, a, 1), 0);
    float in[4] = {INFINITY, -INFINITY, 1, 2}, out[2];
    float *k, *b;
    zr_nn_params_dense(p, 0, &k, &b);
    k[0] = 1;
    k[1] = 1; /* inf + -inf = NaN */
    run(a, p, ZR_NN_PATH_AUTO, 1, in, 2, out, 8);
    uint32_t u;
    memcpy(&u, &out[0], 4);
    assert_int_equal(u, 0x7fc00000u);
    assert_true(out[1] == 3.0f);
    /* digest = keccak256(u32 LE shape || f32 LE data) */
    zr_nn_digest_t d;
    uint32_t shape[2] = {2, 1};
    zr_nn_digest_init(&d);
    zr_nn_digest_tensor(&d, shape, 2, out);
    uint8_t h1[32], h2[32];
    zr_nn_digest_final(&d, h1);
    uint8_t raw[16] = {2, 0, 0, 0, 1, 0, 0, 0, 0x00, 0x00, 0xc0, 0x7f, 0x00, 0x00, 0x40, 0x40};
    zr_keccak256(h2, raw, sizeof raw);
    assert_memory_equal(h1, h2, 32);
    /* a NaN with another payload digests the same */
    float other;
    uint32_t ob = 0xffc01234u;
    memcpy(&other, &ob, 4);
    float v2[2] = {other, 3.0f};
    zr_nn_digest_init(&d);
    zr_nn_digest_tensor(&d, shape, 2, v2);
    zr_nn_digest_final(&d, h1);
    assert_memory_equal(h1, h2, 32);
    zr_nn_params_free(p);
    zr_nn_arch_free(a);
}

static void test_fpenv(void **state)
{
    (void)state;
    assert_int_equal(zr_nn_fpenv_enter(), 0);
    assert_int_equal(zr_nn_fpenv_check(), 0);
#if defined(__x86_64__)
    uint32_t v;
    __asm__ volatile("stmxcsr %0" : "=m"(v));
    uint32_t ftz = v | (1u << 15) | (1u << 6);
    __asm__ volatile("ldmxcsr %0" : : "m"(ftz));
    assert_int_equal(zr_nn_fpenv_check(), ZR_EFPENV);
    assert_int_equal(zr_nn_fpenv_enter(), 0); /* restores */
    __asm__ volatile("stmxcsr %0" : "=m"(v));
    assert_int_equal(v & ((1u << 15) | (1u << 6)), 0);
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paths_equal_reference),
        cmocka_unit_test(test_threads_large_batch),
        cmocka_unit_test(test_layer_mix),
        cmocka_unit_test(test_known_values),
        cmocka_unit_test(test_nan_canonical_and_digest),
        cmocka_unit_test(test_fpenv),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
