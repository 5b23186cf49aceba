// SPDX-License-Identifier: MIT
// `make check-math`: runs every float32 function of the nn engine on all 2³² inputs (or every
// S-th with --stride S) and counts the results that are not correctly rounded, against a
// libm double filter that escalates to MPFR (256 bits) whenever the rounding is not settled
// by a safe margin. Also checks that each vector path's activations (SSE2/AVX2/NEON) give
// the scalar bits for every input. Not part of ctest; built by scripts/check-math.sh.
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* libm estimate and its relative error bound (with margin) */
static double filt(nnf_t f, float xf, double *margin)
{
    double x = xf;
    *margin = 0x1p-45;
    switch (f) {
    case NNF_EXP: return exp(x);
    case NNF_EXPM1: return expm1(x);
    case NNF_LOG: return log(x);
    case NNF_TANH: return tanh(x);
    case NNF_SIGMOID: return 1.0 / (1.0 + exp(-x));
    case NNF_SOFTPLUS: return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x));
    case NNF_ERF: return erf(x);
    case NNF_GELU:
        *margin = 0x1p-40;
        return 0.5 * x * erfc(-x * 0x1.6a09e667f3bccp-1);
    default: return 0;
    }
}

static int act_of(nnf_t f)
{
    return f == NNF_TANH ? ZR_NN_ACT_TANH : f == NNF_SIGMOID ? ZR_NN_ACT_SIGMOID : -1;
}

typedef struct job {
    nnf_t f;
    uint64_t start, end, stride;
    uint64_t n, wrong, escalated, vec_mismatch, big_error;
    int64_t max_ulp;
} job_t;

static int64_t ordered(float v)
{
    int32_t i;
    memcpy(&i, &v, 4);
    return i < 0 ? -(int64_t)(i & 0x7fffffff) : i;
}

static void *worker(void *arg)
{
    job_t *j = arg;
    nnref_t r;
    if (nnref_open(&r) != 0) {
        fprintf(stderr, "cannot load libmpfr.so.6\n");
        exit(2);
    }
    zr_nn_fpenv_enter();
    enum { BLK = 4096 };
    float xs[BLK], ys[BLK], vs[BLK];
    size_t nx = 0;
    const zr_nn_path_t vpaths[] = {ZR_NN_PATH_SSE2, ZR_NN_PATH_AVX2, ZR_NN_PATH_NEON, ZR_NN_PATH_AVX512};
    for (uint64_t u = j->start; u < j->end; u += j->stride) {
        uint32_t b = (uint32_t)u;
        float x;
        memcpy(&x, &b, 4);
        float y = ours(j->f, x);
        xs[nx] = x;
        ys[nx++] = y;
        if (nx == BLK || u + j->stride >= j->end) {
            int act = act_of(j->f);
            for (size_t p = 0; act >= 0 && p < 4; p++) {
                const zr__nn_kern_t *k = zr__nn_kern_get(vpaths[p]);
                if (!k)
                    continue;
                size_t n = nx - nx % k->nb;
                memcpy(vs, xs, n * sizeof(float));
                k->act((zr_nn_act_t)act, 0, vs, n);
                for (size_t i = 0; i < n; i++)
                    if (memcmp(&vs[i], &ys[i], 4) != 0 && !(vs[i] != vs[i] && ys[i] != ys[i]))
                        j->vec_mismatch++;
            }
            nx = 0;
        }
        if (x != x) { /* NaN in, NaN out */
            j->n++;
            if (y == y)
                j->wrong++, j->big_error++;
            continue;
        }
        if (isinf(x) || (j->f == NNF_LOG && x < 0))
            continue; /* special values are unit-tested */
        j->n++;
        double margin;
        double e = filt(j->f, x, &margin);
        float want;
        float lo = (float)(e - fabs(e) * margin), hi = (float)(e + fabs(e) * margin);
        if (e == 0 || isinf(e)) {
            /* libm is exact at zeros and overflows/underflows binary64: far beyond binary32 */
            want = (float)e;
        } else if (e == e && memcmp(&lo, &hi, 4) == 0) {
            want = lo;
        } else {
            want = nnref_eval(&r, j->f, x);
            j->escalated++;
        }
        if (memcmp(&want, &y, 4) != 0 && !(want == 0 && y == 0 && j->f != NNF_GELU)) {
            if (want != want && y != y)
                continue;
            j->wrong++;
            int64_t d = llabs(ordered(y) - ordered(want));
            if (d > j->max_ulp)
                j->max_ulp = d;
            if (d > 1)
                j->big_error++;
        }
    }
    nnref_close(&r);
    return NULL;
}

int main(int argc, char **argv)
{
    uint64_t stride = 1;
    int threads = 2;
    const char *only = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--stride") == 0 && i + 1 < argc)
            stride = strtoull(argv[++i], NULL, 0);
        else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
            threads = atoi(argv[++i]);
        else if (strcmp(argv[i], "--func") == 0 && i + 1 < argc)
            only = argv[++i];
        else {
            fprintf(stderr, "usage: nn_check_math [--stride S] [--threads T] [--func NAME]\n");
            return 2;
        }
    }
    if (stride < 1 || threads < 1 || threads > 64)
        return 2;
    int status = 0;
    printf("%-9s %12s %12s %10s %8s %10s\n", "function", "inputs", "not CR", "max ulp", ">1 ulp", "vec diff");
    for (int f = 0; f < NNF_COUNT; f++) {
        if (only && strcmp(only, nnf_names[f]) != 0)
            continue;
        job_t jobs[64];
        pthread_t tid[64];
        uint64_t total = 1ull << 32, per = (total / (uint64_t)threads / stride) * stride;
        for (int t = 0; t < threads; t++) {
            memset(&jobs[t], 0, sizeof jobs[t]);
            jobs[t].f = (nnf_t)f;
            jobs[t].stride = stride;
            jobs[t].start = (uint64_t)t * per;
            jobs[t].end = t == threads - 1 ? total : (uint64_t)(t + 1) * per;
            pthread_create(&tid[t], NULL, worker, &jobs[t]);
        }
        job_t s = {0};
        for (int t = 0; t < threads; t++) {
            pthread_join(tid[t], NULL);
            s.n += jobs[t].n;
            s.wrong += jobs[t].wrong;
            s.escalated += jobs[t].escalated;
            s.vec_mismatch += jobs[t].vec_mismatch;
            s.big_error += jobs[t].big_error;
            if (jobs[t].max_ulp > s.max_ulp)
                s.max_ulp = jobs[t].max_ulp;
        }
        printf("%-9s %12llu %12llu %10lld %8llu %10llu   (MPFR consulted %llu times)\n", nnf_names[f],
               (unsigned long long)s.n, (unsigned long long)s.wrong, (long long)s.max_ulp,
               (unsigned long long)s.big_error, (unsigned long long)s.vec_mismatch,
               (unsigned long long)s.escalated);
        fflush(stdout);
        if (s.big_error || s.vec_mismatch)
            status = 1;
    }
    return status;
}
