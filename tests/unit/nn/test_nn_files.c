// SPDX-License-Identifier: MIT
// Architecture JSON and safetensors: the accepted dialects (Keras 2, Keras 3, TF.js), and
// hostile input — unknown layers and activations, 10⁹-unit layers, malformed, oversized
// and overlapping safetensors headers, offsets out of range, shape mismatches, NaN/Inf
// weights — each a specific error and message, fast, without large allocations. Also the
// importers and dtype conversion.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zt.h"
#include "zara/nn.h"

#define SEQ(layers) "{\"class_name\":\"Sequential\",\"config\":{\"name\":\"m\",\"layers\":[" layers "]}}"
#define DENSE_IN(name, units, act, in) \
    "{\"class_name\":\"Dense\",\"config\":{\"name\":\"" name "\",\"units\":" #units ",\"activation\":\"" act \
    "\",\"batch_input_shape\":[null," #in "]}}"
#define DENSE(name, units, act) \
    "{\"class_name\":\"Dense\",\"config\":{\"name\":\"" name "\",\"units\":" #units ",\"activation\":\"" act "\"}}"

static int parse(const char *js, zr_nn_arch_t **a, char *err, size_t cap)
{
    return zr_nn_arch_parse(a, js, strlen(js), NULL, err, cap);
}

static void expect_arch_error(const char *js, int code, const char *needle)
{
    zr_nn_arch_t *a = NULL;
    char err[512] = "";
    int rc = parse(js, &a, err, sizeof err);
    if (rc != code || !strstr(err, needle))
        fail_msg("expected %s containing '%s', got %s: %s", zr_err_name(code), needle, zr_err_name(rc), err);
    assert_null(a);
}

static void test_arch_dialects(void **state)
{
    (void)state;
    zr_nn_arch_t *a;
    char err[512];
    /* Keras 3 with InputLayer batch_shape, Flatten of a 2-D input, Dropout, Activation */
    const char *k3 = SEQ("{\"module\":\"keras.layers\",\"class_name\":\"InputLayer\",\"config\":{\"batch_shape\":[null,4,7],"
                         "\"dtype\":\"float32\",\"name\":\"input_layer\"}},"
                         "{\"class_name\":\"Flatten\",\"config\":{\"name\":\"flatten\",\"data_format\":\"channels_last\"}},"
                         DENSE("dense", 16, "relu") ",{\"class_name\":\"Dropout\",\"config\":{\"name\":\"dr\",\"rate\":0.5}},"
                         "{\"class_name\":\"Dense\",\"config\":{\"name\":\"d2\",\"units\":3,\"use_bias\":false}},"
                         "{\"class_name\":\"Activation\",\"config\":{\"name\":\"act\",\"activation\":\"softmax\"}}");
    if (parse(k3, &a, err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(zr_nn_arch_input_dim(a), 28);
    assert_int_equal(zr_nn_arch_output_dim(a), 3);
    assert_int_equal(zr_nn_arch_param_count(a), 28 * 16 + 16 + 16 * 3);
    assert_int_equal(zr_nn_arch_layer_count(a), 6);
    zr_nn_layer_info_t li;
    zr_nn_arch_layer(a, 5, &li);
    assert_int_equal(li.act, ZR_NN_ACT_SOFTMAX);
    assert_int_equal(zr_nn_arch_flops(a), (2 * 28 * 16 + 16 + 16) + (2 * 16 * 3) + 3);
    zr_nn_arch_free(a);
    /* Keras 2: config is a list; TF.js model.json wrapper with modelTopology */
    const char *k2 = "{\"class_name\":\"Sequential\",\"config\":[" DENSE_IN("d", 2, "tanh", 3) "]}";
    assert_int_equal(parse(k2, &a, err, sizeof err), 0);
    assert_int_equal(zr_nn_arch_input_dim(a), 3);
    zr_nn_arch_free(a);
    const char *tfjs = "{\"format\":\"layers-model\",\"modelTopology\":{\"class_name\":\"Sequential\",\"config\":{\"name\":\"s\","
                       "\"layers\":[" DENSE_IN("dense_Dense1", 8, "elu", 2) "," DENSE("dense_Dense2", 1, "sigmoid") "]}},"
                       "\"weightsManifest\":[]}";
    assert_int_equal(parse(tfjs, &a, err, sizeof err), 0);
    assert_int_equal(zr_nn_arch_param_count(a), 2 * 8 + 8 + 8 + 1);
    zr_nn_arch_free(a);
    /* LeakyReLU layer with Keras 3's negative_slope */
    const char *lk = SEQ(DENSE_IN("d", 2, "linear", 3) ",{\"class_name\":\"LeakyReLU\",\"config\":{\"name\":\"l\",\"negative_slope\":0.1}}");
    assert_int_equal(parse(lk, &a, err, sizeof err), 0);
    zr_nn_arch_layer(a, 1, &li);
    assert_true(li.act == ZR_NN_ACT_LEAKY_RELU && li.alpha == 0.1f);
    zr_nn_arch_free(a);
}

static void test_arch_rejects(void **state)
{
    (void)state;
    expect_arch_error(SEQ(DENSE_IN("d", 4, "tanh", 3) ",{\"class_name\":\"Conv2D\",\"config\":{\"name\":\"conv\"}}"),
                      ZR_EARCH, "'conv' (Conv2D): layer type not supported");
    expect_arch_error(SEQ(DENSE_IN("d", 4, "swish", 3)), ZR_EARCH, "'d' (Dense): unsupported activation swish");
    expect_arch_error(SEQ(DENSE("d", 4, "tanh")), ZR_EARCH, "must declare the input shape");
    expect_arch_error(SEQ(DENSE_IN("d", 4, "tanh", 3) "," DENSE("d", 2, "tanh")), ZR_EARCH, "duplicate layer name");
    expect_arch_error("{\"class_name\":\"Functional\",\"config\":{}}", ZR_EARCH, "only Sequential");
    expect_arch_error("{\"class_name\":", ZR_EJSON, "architecture:");
    expect_arch_error(SEQ("{\"class_name\":\"InputLayer\",\"config\":{\"name\":\"i\",\"batch_shape\":[null,4,4]}},"
                          DENSE("d", 2, "relu")),
                      ZR_EARCH, "add a Flatten layer");
    expect_arch_error(SEQ(DENSE_IN("d", 4, "tanh", 3) ",{\"class_name\":\"Dense\",\"config\":{\"name\":\"e\",\"units\":2,"
                                                      "\"dtype\":\"float16\"}}"),
                      ZR_EARCH, "only float32");
    expect_arch_error(SEQ(DENSE_IN("d", 0, "tanh", 3)), ZR_EARCH, "positive integer");
    /* 10^9 units: refused by the width limit before anything is allocated */
    clock_t c0 = clock();
    expect_arch_error(SEQ(DENSE_IN("huge", 1000000000, "relu", 3)), ZR_ELIMIT, "exceed the width limit");
    expect_arch_error(SEQ(DENSE_IN("d", 4, "relu", 1000000000)), ZR_ELIMIT, "input dimension");
    /* wide layers: the parameter limit; deep models: the depth limit; a task's own limits */
    zr_buf_t b;
    zr_buf_init(&b, 1 << 20);
    zr_buf_append_str(&b, "{\"class_name\":\"Sequential\",\"config\":{\"layers\":[" DENSE_IN("d0", 16000, "relu", 16000));
    for (int i = 1; i < 70; i++)
        zr_buf_printf(&b, ",{\"class_name\":\"Dense\",\"config\":{\"name\":\"d%d\",\"units\":16000}}", i);
    zr_buf_append_str(&b, "]}}");
    expect_arch_error(zr_buf_cstr(&b), ZR_ELIMIT, "70 layers exceed the depth limit 64");
    zr_nn_limits_t lim;
    zr_nn_limits_default(&lim);
    lim.max_depth = 100;
    zr_nn_arch_t *a = NULL;
    char err[256];
    assert_int_equal(zr_nn_arch_parse(&a, (char *)b.data, b.len, &lim, err, sizeof err), ZR_ELIMIT);
    assert_non_null(strstr(err, "'d0': the model's 256016000 parameters exceed the limit"));
    lim.max_params = 1000;
    lim.max_width = 10;
    const char *small = SEQ(DENSE_IN("d", 11, "relu", 3));
    assert_int_equal(zr_nn_arch_parse(&a, small, strlen(small), &lim, err, sizeof err), ZR_ELIMIT);
    zr_buf_cleanup(&b);
    assert_true((double)(clock() - c0) / CLOCKS_PER_SEC < 2.0);
}

/* ---- safetensors ---- */
static void put_u64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* header JSON + data bytes as a file */
static uint8_t *mkfile(const char *hdr, const void *data, size_t dlen, size_t *len)
{
    size_t h = strlen(hdr);
    uint8_t *f = malloc(8 + h + dlen + 1);
    put_u64(f, h);
    memcpy(f + 8, hdr, h);
    if (dlen)
        memcpy(f + 8 + h, data, dlen);
    *len = 8 + h + dlen;
    return f;
}

static void expect_st_error(const char *hdr, size_t dlen, const char *needle)
{
    uint8_t data[64] = {0};
    size_t len;
    uint8_t *f = mkfile(hdr, data, dlen, &len);
    zr_nn_st_t st;
    char err[512] = "";
    int rc = zr_nn_st_parse(&st, f, len, err, sizeof err);
    if (rc != ZR_ESAFETENSORS || !strstr(err, needle))
        fail_msg("header %s: expected SAFETENSORS '%s', got %s: %s", hdr, needle, zr_err_name(rc), err);
    free(f);
}

static void test_safetensors_hostile(void **state)
{
    (void)state;
    zr_nn_st_t st;
    char err[256];
    uint8_t tiny[7] = {0};
    assert_int_equal(zr_nn_st_parse(&st, tiny, sizeof tiny, err, sizeof err), ZR_ESAFETENSORS);
    /* header length larger than the file, and absurdly large */
    uint8_t f[32] = {0};
    put_u64(f, 100);
    assert_int_equal(zr_nn_st_parse(&st, f, sizeof f, err, sizeof err), ZR_ESAFETENSORS);
    assert_non_null(strstr(err, "header length 100"));
    put_u64(f, UINT64_MAX);
    assert_int_equal(zr_nn_st_parse(&st, f, sizeof f, err, sizeof err), ZR_ESAFETENSORS);
    put_u64(f, (uint64_t)1 << 40);
    assert_int_equal(zr_nn_st_parse(&st, f, sizeof f, err, sizeof err), ZR_ESAFETENSORS);
    expect_st_error("[1,2]", 0, "does not start with");
    expect_st_error("{\"a\":", 0, "not JSON");
    expect_st_error("{\"a\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "dtype I32");
    expect_st_error("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4, "shape needs 8 bytes");
    expect_st_error("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,8]}}", 4, "beyond the 4 bytes");
    expect_st_error("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", 4, "begin <= end");
    expect_st_error("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4, "non-negative");
    expect_st_error("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                    "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[2,6]}}",
                    8, "overlaps");
    expect_st_error("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "gap");
    expect_st_error("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 12, "cover 4 of the 12");
    expect_st_error("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", 4, "must be an object");
    expect_st_error("{\"__metadata__\":{\"k\":1}}", 0, "not a string");
    expect_st_error("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}\n\t", 4, "padded");
    expect_st_error("{\"a\\u0000x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                    "\"a\\u0000y\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
                    8, "NUL byte in object key");
    expect_st_error("{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,4294967296],\"data_offsets\":[0,4]}}", 4,
                    "shape needs");
    expect_st_error("{\"a\":{\"dtype\":\"F32\",\"shape\":[1,1,1,1,1,1,1,1,1],\"data_offsets\":[0,4]}}", 4,
                    "more than 8 dimensions");
    expect_st_error("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                    "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                    4, "not JSON");
}

static void test_safetensors_roundtrip_and_dtypes(void **state)
{
    (void)state;
    float v1[6] = {1, -2, 3.5f, 0, -0.0f, 1e-40f};
    float v2[2] = {7, 8};
    uint64_t s1[2] = {2, 3}, s2[1] = {2};
    zr_nn_st_entry_t e[2] = {{"z/kernel", 2, s1, v1}, {"a/bias", 1, s2, v2}};
    zr_buf_t b;
    zr_buf_init(&b, 1 << 20);
    assert_int_equal(zr_nn_st_write(&b, e, 2, NULL), 0);
    assert_int_equal((b.len - 8 - 24 - 8) % 8, 0);
    zr_nn_st_t st;
    char err[256];
    assert_int_equal(zr_nn_st_parse(&st, b.data, b.len, err, sizeof err), 0);
    assert_int_equal(st.count, 2);
    assert_string_equal(st.tensors[0].name, "a/bias");
    const zr_nn_st_tensor_t *t = zr_nn_st_find(&st, "z/kernel");
    assert_non_null(t);
    assert_int_equal(t->ndim, 2);
    float got[6];
    assert_int_equal(zr_nn_st_read_f32(t, got, err, sizeof err), 0);
    assert_memory_equal(got, v1, sizeof v1);
    zr_nn_st_cleanup(&st);
    zr_buf_cleanup(&b);
    /* F16 / BF16 / F64 conversion, exact values */
    uint8_t h16[8] = {0x00, 0x3c, 0x00, 0xc0, 0x01, 0x00, 0xff, 0x7b}; /* 1, -2, 2^-24, 65504 */
    size_t len;
    uint8_t *f = mkfile("{\"h\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,8]}}", h16, 8, &len);
    assert_int_equal(zr_nn_st_parse(&st, f, len, err, sizeof err), 0);
    assert_int_equal(zr_nn_st_read_f32(&st.tensors[0], got, err, sizeof err), 0);
    assert_true(got[0] == 1.0f && got[1] == -2.0f && got[2] == 0x1p-24f && got[3] == 65504.0f);
    zr_nn_st_cleanup(&st);
    free(f);
    uint8_t bf[4] = {0x80, 0x3f, 0x49, 0xc0}; /* 1.0, -3.140625 */
    f = mkfile("{\"h\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", bf, 4, &len);
    assert_int_equal(zr_nn_st_parse(&st, f, len, err, sizeof err), 0);
    assert_int_equal(zr_nn_st_read_f32(&st.tensors[0], got, err, sizeof err), 0);
    assert_true(got[0] == 1.0f && got[1] == -3.140625f);
    zr_nn_st_cleanup(&st);
    free(f);
    /* non-finite values: F32 NaN, F16 Inf, F64 overflow */
    uint8_t nan32[4] = {0, 0, 0xc0, 0x7f};
    f = mkfile("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", nan32, 4, &len);
    assert_int_equal(zr_nn_st_parse(&st, f, len, err, sizeof err), 0);
    assert_int_equal(zr_nn_st_read_f32(&st.tensors[0], got, err, sizeof err), ZR_ENONFINITE);
    assert_non_null(strstr(err, "tensor 'w': element 0 is NaN"));
    zr_nn_st_cleanup(&st);
    free(f);
    uint8_t inf16[2] = {0x00, 0x7c};
    f = mkfile("{\"w\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]}}", inf16, 2, &len);
    assert_int_equal(zr_nn_st_parse(&st, f, len, err, sizeof err), 0);
    assert_int_equal(zr_nn_st_read_f32(&st.tensors[0], got, err, sizeof err), ZR_ENONFINITE);
    zr_nn_st_cleanup(&st);
    free(f);
    double big = 1e300;
    f = mkfile("{\"w\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[0,8]}}", &big, 8, &len);
    assert_int_equal(zr_nn_st_parse(&st, f, len, err, sizeof err), 0);
    assert_int_equal(st.tensors[0].count, 1);
    assert_int_equal(zr_nn_st_read_f32(&st.tensors[0], got, err, sizeof err), ZR_ENONFINITE);
    assert_non_null(strstr(err, "overflows float32"));
    zr_nn_st_cleanup(&st);
    free(f);
}

static void test_params_against_arch(void **state)
{
    (void)state;
    const char *js = SEQ(DENSE_IN("d1", 3, "tanh", 2) "," DENSE("d2", 1, "linear"));
    zr_nn_arch_t *a;
    char err[256];
    assert_int_equal(parse(js, &a, err, sizeof err), 0);
    zr_nn_params_t *p, *q;
    assert_int_equal(zr_nn_params_init(&p, a, 5), 0);
    zr_buf_t b;
    zr_buf_init(&b, 1 << 20);
    assert_int_equal(zr_nn_params_save(p, &b), 0);
    assert_int_equal(zr_nn_params_load(&q, a, b.data, b.len, err, sizeof err), 0);
    size_t n;
    assert_memory_equal(zr_nn_params_data(p, &n), zr_nn_params_data(q, NULL), 13 * sizeof(float));
    assert_int_equal(n, 13);
    zr_nn_params_free(q);
    /* the same seed gives the same bits; another seed differs; Glorot bound holds */
    zr_nn_params_t *p2, *p3;
    assert_int_equal(zr_nn_params_init(&p2, a, 5), 0);
    assert_int_equal(zr_nn_params_init(&p3, a, 6), 0);
    assert_memory_equal(zr_nn_params_data(p, NULL), zr_nn_params_data(p2, NULL), 13 * sizeof(float));
    assert_memory_not_equal(zr_nn_params_data(p, NULL), zr_nn_params_data(p3, NULL), 6 * sizeof(float));
    float *k, *bias;
    zr_nn_params_dense(p, 0, &k, &bias);
    for (int i = 0; i < 6; i++)
        assert_true(fabsf(k[i]) <= 1.0954452f && k[i] != 0.0f); /* sqrt(6/5) */
    assert_true(bias[0] == 0.0f);
    zr_nn_params_free(p2);
    zr_nn_params_free(p3);
    /* a file for another architecture: wrong shape, missing and extra tensors */
    const char *js2 = SEQ(DENSE_IN("d1", 4, "tanh", 2) "," DENSE("d2", 1, "linear"));
    zr_nn_arch_t *a2;
    assert_int_equal(parse(js2, &a2, err, sizeof err), 0);
    assert_int_equal(zr_nn_params_load(&q, a2, b.data, b.len, err, sizeof err), ZR_ESHAPE);
    assert_non_null(strstr(err, "'d1/kernel' has shape [2,3], layer 'd1' needs [2,4]"));
    const char *js3 = SEQ(DENSE_IN("d1", 3, "tanh", 2) "," DENSE("other", 1, "linear"));
    zr_nn_arch_t *a3;
    assert_int_equal(parse(js3, &a3, err, sizeof err), 0);
    assert_int_equal(zr_nn_params_load(&q, a3, b.data, b.len, err, sizeof err), ZR_ESHAPE);
    assert_non_null(strstr(err, "'other/kernel' of layer 'other' is missing"));
    const char *js4 = SEQ(DENSE_IN("d1", 3, "tanh", 2));
    zr_nn_arch_t *a4;
    assert_int_equal(parse(js4, &a4, err, sizeof err), 0);
    assert_int_equal(zr_nn_params_load(&q, a4, b.data, b.len, err, sizeof err), ZR_ESHAPE);
    assert_non_null(strstr(err, "'d2/bias' matches no layer"));
    zr_nn_arch_free(a2);
    zr_nn_arch_free(a3);
    zr_nn_arch_free(a4);
    zr_buf_cleanup(&b);
    zr_nn_params_free(p);
    zr_nn_arch_free(a);
}

static void test_import_weight_list(void **state)
{
    (void)state;
    const char *js = SEQ(DENSE_IN("d1", 2, "tanh", 1) "," DENSE("d2", 1, "linear"));
    zr_nn_arch_t *a;
    assert_int_equal(parse(js, &a, NULL, 0), 0);
    const char *wl = "[{\"tensor\":[[0.5,-1]],\"shape\":[1,2],\"dtype\":\"float32\"},"
                     "{\"tensor\":[0.25,0],\"shape\":[2],\"dtype\":\"float32\"},"
                     "{\"tensor\":[2,3],\"shape\":[2,1],\"dtype\":\"float32\"},"
                     "{\"tensor\":[-1],\"shape\":[1],\"dtype\":\"float32\"}]";
    zr_buf_t b;
    zr_buf_init(&b, 1 << 20);
    char err[256];
    if (zr_nn_import_weight_list(&b, a, wl, strlen(wl), err, sizeof err))
        fail_msg("%s", err);
    zr_nn_params_t *p;
    assert_int_equal(zr_nn_params_load(&p, a, b.data, b.len, err, sizeof err), 0);
    const float want[] = {0.5f, -1, 0.25f, 0, 2, 3, -1};
    assert_memory_equal(zr_nn_params_data(p, NULL), want, sizeof want);
    zr_nn_params_free(p);
    zr_buf_reset(&b);
    const char *bad = "[{\"tensor\":[0.5],\"shape\":[1,2],\"dtype\":\"float32\"}]";
    assert_int_equal(zr_nn_import_weight_list(&b, a, bad, strlen(bad), err, sizeof err), ZR_ESHAPE);
    zr_buf_cleanup(&b);
    zr_nn_arch_free(a);
}

static void test_import_tfjs(void **state)
{
    (void)state;
    char *dir = zt_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/group1-shard1of1.bin", dir);
    float w[] = {1, 2, 3, 4, 5, 6, 0.5f, -0.5f, 9, 8, 7, -1, 2}; /* k1 [2,3], b1 [3], k2 [3,1], b2 [1] */
    assert_int_equal(zr_file_write_atomic(path, w, sizeof w, 0644), 0);
    const char *mj = "{\"modelTopology\":{\"class_name\":\"Sequential\",\"config\":{\"layers\":["
                     DENSE_IN("dense_Dense1", 3, "relu", 2) "," DENSE("dense_Dense2", 1, "linear") "]}},"
                     "\"weightsManifest\":[{\"paths\":[\"group1-shard1of1.bin\"],\"weights\":["
                     "{\"name\":\"dense_Dense1/kernel\",\"shape\":[2,3],\"dtype\":\"float32\"},"
                     "{\"name\":\"dense_Dense1/bias\",\"shape\":[3],\"dtype\":\"float32\"},"
                     "{\"name\":\"dense_Dense2/kernel\",\"shape\":[3,1],\"dtype\":\"float32\"},"
                     "{\"name\":\"dense_Dense2/bias\",\"shape\":[1],\"dtype\":\"float32\"}]}]}";
    zr_nn_arch_t *a;
    char err[256];
    assert_int_equal(parse(mj, &a, err, sizeof err), 0);
    zr_buf_t b;
    zr_buf_init(&b, 1 << 20);
    int rc = zr_nn_import_tfjs(&b, a, mj, strlen(mj), dir, err, sizeof err);
    if (rc)
        fail_msg("%s: %s", zr_err_name(rc), err);
    zr_nn_params_t *p;
    assert_int_equal(zr_nn_params_load(&p, a, b.data, b.len, err, sizeof err), 0);
    assert_memory_equal(zr_nn_params_data(p, NULL), w, sizeof w);
    zr_nn_params_free(p);
    /* a truncated shard */
    assert_int_equal(zr_file_write_atomic(path, w, 20, 0644), 0);
    zr_buf_reset(&b);
    assert_int_equal(zr_nn_import_tfjs(&b, a, mj, strlen(mj), dir, err, sizeof err), ZR_ETRUNCATED);
    zr_buf_cleanup(&b);
    zr_nn_arch_free(a);
    zt_rmtree(dir);
    free(dir);
}

static void test_cli(void **state)
{
    (void)state;
    char *dir = zt_tmpdir();
    char out[4096], cmd[2048];
    const char *bin = getenv("ZARA_BIN");
    assert_non_null(bin);
    snprintf(cmd, sizeof cmd, "%s/arch.json", dir);
    const char *js = SEQ(DENSE_IN("h", 64, "tanh", 1) "," DENSE("o", 1, "linear"));
    assert_int_equal(zr_file_write_atomic(cmd, js, strlen(js), 0644), 0);
    assert_int_equal(zt_run(out, sizeof out, "'%s' model init '%s/arch.json' --seed 3 --out '%s/p.safetensors' 2>&1",
                            bin, dir, dir), 0);
    assert_int_equal(zt_run(out, sizeof out, "'%s' model inspect '%s/arch.json' --params '%s/p.safetensors' --json",
                            bin, dir, dir), 0);
    assert_non_null(strstr(out, "\"params\":193"));
    assert_non_null(strstr(out, "\"flops_per_sample\":385"));
    assert_non_null(strstr(out, "\"params_ok\":true"));
    assert_int_equal(zt_run(out, sizeof out, "'%s' model inspect '%s/nope.json' 2>&1", bin, dir), 1);
    assert_non_null(strstr(out, "cannot read"));
    assert_int_equal(zt_run(out, sizeof out, "'%s' model frobnicate 2>&1", bin), 2);
    zt_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arch_dialects),
        cmocka_unit_test(test_arch_rejects),
        cmocka_unit_test(test_safetensors_hostile),
        cmocka_unit_test(test_safetensors_roundtrip_and_dtypes),
        cmocka_unit_test(test_params_against_arch),
        cmocka_unit_test(test_import_weight_list),
        cmocka_unit_test(test_import_tfjs),
        cmocka_unit_test(test_cli),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
