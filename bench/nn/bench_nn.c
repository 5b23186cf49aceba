// SPDX-License-Identifier: MIT
// Forward-pass samples/s for MLPs 1→64→64→1 (tanh) and 784→256→128→10 (relu) at batch 1,
// 64 and 4096, and Adam steps/s (batch 256, the square example's 1→64→64→1 tanh MLP), with
// the engine's bit-exact kernels. Prints "zara <case> <value>" lines for run.sh.
// Usage: bench_nn [--threads T] [--path auto|ref|scalar|sse2|avx2|neon] [--seconds S]
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zara/nn.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static zr_nn_arch_t *mk(const char *js)
{
    zr_nn_arch_t *a;
    char err[256];
    if (zr_nn_arch_parse(&a, js, strlen(js), NULL, err, sizeof err)) {
        fprintf(stderr, "bench_nn: %s\n", err);
        exit(1);
    }
    return a;
}

static const char *small_js =
    "{\"class_name\":\"Sequential\",\"config\":{\"layers\":["
    "{\"class_name\":\"Dense\",\"config\":{\"name\":\"h1\",\"units\":64,\"activation\":\"tanh\",\"batch_input_shape\":[null,1]}},"
    "{\"class_name\":\"Dense\",\"config\":{\"name\":\"h2\",\"units\":64,\"activation\":\"tanh\"}},"
    "{\"class_name\":\"Dense\",\"config\":{\"name\":\"out\",\"units\":1}}]}}";
static const char *large_js =
    "{\"class_name\":\"Sequential\",\"config\":{\"layers\":["
    "{\"class_name\":\"Dense\",\"config\":{\"name\":\"h1\",\"units\":256,\"activation\":\"relu\",\"batch_input_shape\":[null,784]}},"
    "{\"class_name\":\"Dense\",\"config\":{\"name\":\"h2\",\"units\":128,\"activation\":\"relu\"}},"
    "{\"class_name\":\"Dense\",\"config\":{\"name\":\"out\",\"units\":10}}]}}";

int main(int argc, char **argv)
{
    unsigned threads = 1;
    double secs = 0.5;
    zr_nn_path_t path = ZR_NN_PATH_AUTO;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
            threads = (unsigned)atoi(argv[++i]);
        else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
            secs = atof(argv[++i]);
        else if (strcmp(argv[i], "--path") == 0 && i + 1 < argc && zr_nn_path_parse(argv[i + 1]) >= 0)
            path = (zr_nn_path_t)zr_nn_path_parse(argv[++i]);
        else {
            fprintf(stderr, "usage: bench_nn [--threads T] [--path P] [--seconds S]\n");
            return 2;
        }
    }
    const char *names[2] = {"small", "large"};
    const char *jss[2] = {small_js, large_js};
    const size_t batches[3] = {1, 64, 4096};
    for (int mi = 0; mi < 2; mi++) {
        zr_nn_arch_t *a = mk(jss[mi]);
        zr_nn_params_t *p;
        zr_nn_params_init(&p, a, 1);
        zr_nn_model_t *m;
        zr_nn_model_opts_t o = {.max_batch = 4096, .threads = threads, .path = path};
        char err[256];
        if (zr_nn_model_new(&m, a, p, &o, err, sizeof err)) {
            fprintf(stderr, "bench_nn: %s\n", err);
            return 1;
        }
        if (mi == 0)
            printf("# path %s, %u thread(s)\n", zr_nn_path_name(zr_nn_model_path(m)), threads);
        size_t ind = zr_nn_arch_input_dim(a), outd = zr_nn_arch_output_dim(a);
        float *in = malloc(4096 * ind * sizeof(float)), *out = malloc(4096 * outd * sizeof(float));
        for (size_t i = 0; i < 4096 * ind; i++)
            in[i] = (float)((i * 2654435761u) % 2000) / 1000.0f - 1.0f;
        for (int bi = 0; bi < 3; bi++) {
            size_t b = batches[bi];
            zr_nn_model_forward(m, in, b, out); /* warm up */
            size_t iters = 0;
            double t0 = now(), t;
            do {
                for (int k = 0; k < 8; k++)
                    zr_nn_model_forward(m, in, b, out);
                iters += 8;
                t = now() - t0;
            } while (t < secs);
            printf("zara forward_%s_b%zu %.0f\n", names[mi], b, (double)(iters * b) / t);
            fflush(stdout);
        }
        free(in);
        free(out);
        zr_nn_model_free(m);
        zr_nn_params_free(p);
        zr_nn_arch_free(a);
    }
    /* Adam on square: 1000 steps of batch 256 */
    zr_nn_arch_t *a = mk(small_js);
    zr_nn_params_t *p;
    zr_nn_params_init(&p, a, 1);
    zr_nn_trainer_t *t;
    zr_nn_train_opts_t o = {.loss = ZR_NN_LOSS_MSE, .lr = 1e-3f, .threads = threads, .path = path};
    char err[256];
    if (zr_nn_trainer_new(&t, a, p, &o, err, sizeof err)) {
        fprintf(stderr, "bench_nn: %s\n", err);
        return 1;
    }
    float xs[256], ys[256], loss = 0;
    for (int i = 0; i < 256; i++) {
        xs[i] = (float)i / 128.0f - 1.0f;
        ys[i] = xs[i] * xs[i];
    }
    double t0 = now();
    for (int s = 0; s < 1000; s++)
        zr_nn_trainer_step(t, xs, ys, 256, &loss);
    double el = now() - t0;
    printf("zara adam_steps_per_s %.0f\n", 1000.0 / el);
    printf("# 1000 Adam steps in %.3f s, final loss %.6f\n", el, (double)loss);
    zr_nn_trainer_free(t);
    zr_nn_params_free(p);
    zr_nn_arch_free(a);
    return 0;
}
