// SPDX-License-Identifier: MIT
// Parity with PyTorch: tests/vectors/nn_torch_parity.py writes random MLPs (Keras-style
// JSON + safetensors in F32/F64/F16, written by Python, not by the engine), inputs and
// torch float32 outputs, and 5-step Adam runs on MSE and the three cross-entropy forms
// (gradients through every activation); the engine must agree within float32 tolerance.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zt.h"
#include "zara/nn.h"

static char *dir;

static void readf(const char *sub, const char *name, zr_buf_t *b)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s/%s", dir, sub, name);
    zr_buf_init(b, 1u << 28);
    int rc = zr_file_read(p, b->max, b);
    if (rc)
        fail_msg("cannot read %s", p);
}

static int setup(void **state)
{
    (void)state;
    dir = zt_tmpdir();
    char out[256];
    int st = zt_run(out, sizeof out, "/usr/bin/python3 '%s' '%s'", zt_src_path("tests/vectors/nn_torch_parity.py"),
                    dir);
    if (st != 0) {
        fprintf(stderr, "nn_torch_parity.py failed (%d): %s\n", st, out);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    zt_rmtree(dir);
    free(dir);
    return 0;
}

static void close_enough(const float *got, const float *want, size_t n, float atol, float rtol, const char *what)
{
    for (size_t i = 0; i < n; i++) {
        float d = fabsf(got[i] - want[i]);
        if (!(d <= atol + rtol * fabsf(want[i])))
            fail_msg("%s: element %zu: engine %.9g, torch %.9g", what, i, (double)got[i], (double)want[i]);
    }
}

static void test_forward_parity(void **state)
{
    (void)state;
    zr_buf_t man;
    readf(".", "manifest.txt", &man);
    int cases = 0;
    char *save = NULL;
    for (char *line = strtok_r((char *)man.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char kind[16], name[32];
        unsigned batch, in, outd;
        if (sscanf(line, "%15s %31s %u %u %u", kind, name, &batch, &in, &outd) != 5 || strcmp(kind, "forward"))
            continue;
        zr_buf_t arch, par, x, y;
        readf(name, "arch.json", &arch);
        readf(name, "params.safetensors", &par);
        readf(name, "inputs.bin", &x);
        readf(name, "expected.bin", &y);
        zr_nn_arch_t *a;
        zr_nn_params_t *p;
        char err[256];
        if (zr_nn_arch_parse(&a, (char *)arch.data, arch.len, NULL, err, sizeof err))
            fail_msg("%s: %s", name, err);
        if (zr_nn_params_load(&p, a, par.data, par.len, err, sizeof err))
            fail_msg("%s: %s", name, err);
        assert_int_equal(x.len, (size_t)batch * in * 4);
        assert_int_equal(y.len, (size_t)batch * outd * 4);
        float *got = malloc(y.len);
        const zr_nn_path_t paths[] = {ZR_NN_PATH_REF, ZR_NN_PATH_AUTO};
        for (size_t pi = 0; pi < 2; pi++) {
            zr_nn_model_t *m;
            zr_nn_model_opts_t o = {.path = paths[pi], .threads = 2};
            assert_int_equal(zr_nn_model_new(&m, a, p, &o, err, sizeof err), 0);
            assert_int_equal(zr_nn_model_forward(m, (float *)x.data, batch, got), 0);
            close_enough(got, (float *)y.data, (size_t)batch * outd, 2e-5f, 2e-4f, name);
            zr_nn_model_free(m);
        }
        free(got);
        zr_nn_params_free(p);
        zr_nn_arch_free(a);
        zr_buf_cleanup(&arch);
        zr_buf_cleanup(&par);
        zr_buf_cleanup(&x);
        zr_buf_cleanup(&y);
        cases++;
    }
    zr_buf_cleanup(&man);
    assert_int_equal(cases, 5);
}

static void test_train_parity(void **state)
{
    (void)state;
    zr_buf_t man;
    readf(".", "manifest.txt", &man);
    int cases = 0;
    char *save = NULL;
    for (char *line = strtok_r((char *)man.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char kind[16], name[32];
        unsigned steps, batch, dims;
        if (sscanf(line, "%15s %31s %u %u %u", kind, name, &steps, &batch, &dims) != 5 || strncmp(kind, "train_", 6))
            continue;
        unsigned in = dims / 1000, outd = dims % 1000;
        zr_buf_t arch, init, xs, ts, ls, want;
        readf(name, "arch.json", &arch);
        readf(name, "init.safetensors", &init);
        readf(name, "inputs.bin", &xs);
        readf(name, "targets.bin", &ts);
        readf(name, "losses.bin", &ls);
        readf(name, "expected.safetensors", &want);
        zr_nn_arch_t *a;
        zr_nn_params_t *p, *wp, *got;
        char err[256];
        assert_int_equal(zr_nn_arch_parse(&a, (char *)arch.data, arch.len, NULL, err, sizeof err), 0);
        assert_int_equal(zr_nn_params_load(&p, a, init.data, init.len, err, sizeof err), 0);
        assert_int_equal(zr_nn_params_load(&wp, a, want.data, want.len, err, sizeof err), 0);
        assert_int_equal(zr_nn_params_new(&got, a), 0);
        zr_nn_trainer_t *t;
        zr_nn_train_opts_t o = {.loss = strcmp(kind, "train_mse") == 0 ? ZR_NN_LOSS_MSE : ZR_NN_LOSS_CROSS_ENTROPY,
                                .lr = 1e-2f, .eps = 1e-7f};
        if (zr_nn_trainer_new(&t, a, p, &o, err, sizeof err))
            fail_msg("%s: %s", name, err);
        const float *x = (const float *)xs.data, *y = (const float *)ts.data, *l = (const float *)ls.data;
        for (unsigned s = 0; s < steps; s++) {
            float loss;
            assert_int_equal(zr_nn_trainer_step(t, x + s * batch * in, y + s * batch * outd, batch, &loss), 0);
            close_enough(&loss, &l[s], 1, 1e-6f, 1e-4f, name);
        }
        assert_int_equal(zr_nn_trainer_get_params(t, got), 0);
        size_t n;
        float *gv = zr_nn_params_data(got, &n), *wv = zr_nn_params_data(wp, NULL);
        close_enough(gv, wv, n, 2e-5f, 2e-4f, name);
        zr_nn_trainer_free(t);
        zr_nn_params_free(p);
        zr_nn_params_free(wp);
        zr_nn_params_free(got);
        zr_nn_arch_free(a);
        zr_buf_cleanup(&arch);
        zr_buf_cleanup(&init);
        zr_buf_cleanup(&xs);
        zr_buf_cleanup(&ts);
        zr_buf_cleanup(&ls);
        zr_buf_cleanup(&want);
        cases++;
    }
    zr_buf_cleanup(&man);
    assert_int_equal(cases, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forward_parity),
        cmocka_unit_test(test_train_parity),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
