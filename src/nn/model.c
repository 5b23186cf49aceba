// SPDX-License-Identifier: MIT
// The model instance: one arena allocated up front (packed weights padded to the kernel's
// tile width, two activation buffers for max_batch samples), a fixed pool of worker
// threads, and the forward pass — the reference path or a kernel path — run over disjoint
// sample ranges so that the thread count never changes a bit. Also the outputsDigest.
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "nn_int.h"

#define ZR__NN_MAX_ARENA ((size_t)1 << 30)
#define ZR__NN_MIN_ROWS_PER_THREAD 16

typedef struct mlayer {
    float *w;    /* in × ws */
    float *b;    /* ws, or NULL */
    size_t ws;   /* padded output stride of the weights */
} mlayer_t;

struct zr_nn_model;

typedef struct worker {
    struct zr_nn_model *m;
    pthread_t tid;
    size_t idx;
} worker_t;

struct zr_nn_model {
    const zr_nn_arch_t *arch; /* borrowed */
    zr_nn_path_t path;
    const zr__nn_kern_t *kern; /* NULL for the reference */
    size_t nb, max_batch, stride;
    mlayer_t *ml;
    float *arena;
    float *buf[2];
    /* thread pool */
    size_t nthreads;
    worker_t *workers;
    pthread_mutex_t mu;
    pthread_cond_t start, done;
    uint64_t gen;
    size_t pending;
    int stop, pool_ok, job_err;
    const float *job_in;
    float *job_out;
    size_t job_rows, job_per;
};

static void ref_dense(const float *X, size_t xs, size_t R, size_t C, const float *W, size_t ws,
                      const float *bias, float *Y, size_t ys, size_t J)
{
    for (size_t r = 0; r < R; r++)
        for (size_t j = 0; j < J; j++) {
            float acc = bias ? bias[j] : 0.0f;
            for (size_t c = 0; c < C; c++) {
                float prod = W[c * ws + j] * X[r * xs + c];
                acc = acc + prod;
            }
            Y[r * ys + j] = acc;
        }
}

/* The whole network for rows [r0, r0+rows) of one chunk. */
static void run_rows(struct zr_nn_model *m, const float *in, float *out, size_t r0, size_t rows)
{
    const zr_nn_arch_t *a = m->arch;
    const float *cur = in + r0 * a->in_dim;
    size_t cs = a->in_dim, dim = a->in_dim;
    int which = 0, is_input = 1;
    for (size_t i = 0; i < a->n; i++) {
        const zr__nn_layer_t *L = &a->layers[i];
        if (L->kind == ZR_NN_LAYER_DENSE) {
            float *Y = m->buf[which] + r0 * m->stride;
            const mlayer_t *ml = &m->ml[i];
            if (m->kern)
                m->kern->dense(cur, cs, 1, rows, L->in_dim, ml->w, ml->ws, ml->b, Y, m->stride, ml->ws);
            else
                ref_dense(cur, cs, rows, L->in_dim, ml->w, ml->ws, ml->b, Y, m->stride, L->out_dim);
            cur = Y;
            cs = m->stride;
            dim = L->out_dim;
            which ^= 1;
            is_input = 0;
        } else if (L->kind == ZR_NN_LAYER_ACTIVATION && L->act != ZR_NN_ACT_LINEAR) {
            if (is_input) {
                float *Y = m->buf[which] + r0 * m->stride;
                for (size_t r = 0; r < rows; r++) {
                    memcpy(Y + r * m->stride, cur + r * cs, dim * sizeof(float));
                    memset(Y + r * m->stride + dim, 0, (zr__nn_round_up(dim, m->nb) - dim) * sizeof(float));
                }
                cur = Y;
                cs = m->stride;
                which ^= 1;
                is_input = 0;
            }
        } else {
            continue;
        }
        if (L->act == ZR_NN_ACT_LINEAR)
            continue;
        float *Y = (float *)cur;
        if (L->act == ZR_NN_ACT_SOFTMAX)
            zr__nn_softmax_rows(Y, rows, dim, cs);
        else if (m->kern)
            for (size_t r = 0; r < rows; r++)
                m->kern->act(L->act, L->alpha, Y + r * cs, zr__nn_round_up(dim, m->nb));
        else
            for (size_t r = 0; r < rows; r++)
                zr__nn_act_scalar(L->act, L->alpha, Y + r * cs, dim);
    }
    for (size_t r = 0; r < rows; r++) {
        float *o = out + (r0 + r) * dim;
        const float *c = cur + r * cs;
        for (size_t j = 0; j < dim; j++) {
            float v = c[j];
            if (v != v) {
                uint32_t qnan = 0x7fc00000u;
                memcpy(&v, &qnan, 4);
            }
            o[j] = v;
        }
    }
}

static void *worker_main(void *arg)
{
    worker_t *w = arg;
    struct zr_nn_model *m = w->m;
    uint64_t seen = 0;
    pthread_mutex_lock(&m->mu);
    for (;;) {
        while (!m->stop && m->gen == seen)
            pthread_cond_wait(&m->start, &m->mu);
        if (m->stop)
            break;
        seen = m->gen;
        size_t r0 = (w->idx + 1) * m->job_per;
        size_t rows = r0 < m->job_rows ? m->job_rows - r0 : 0;
        if (rows > m->job_per)
            rows = m->job_per;
        const float *in = m->job_in;
        float *out = m->job_out;
        pthread_mutex_unlock(&m->mu);
        int rc = zr_nn_fpenv_enter();
        if (rc == 0 && rows)
            run_rows(m, in, out, r0, rows);
        pthread_mutex_lock(&m->mu);
        if (rc)
            m->job_err = rc;
        if (--m->pending == 0)
            pthread_cond_signal(&m->done);
    }
    pthread_mutex_unlock(&m->mu);
    return NULL;
}

static int run_chunk(struct zr_nn_model *m, const float *in, float *out, size_t rows)
{
    if (m->nthreads <= 1 || rows < 2 * ZR__NN_MIN_ROWS_PER_THREAD) {
        run_rows(m, in, out, 0, rows);
        return 0;
    }
    size_t t = m->nthreads;
    if (rows < t * ZR__NN_MIN_ROWS_PER_THREAD)
        t = rows / ZR__NN_MIN_ROWS_PER_THREAD;
    size_t per = zr__nn_round_up((rows + t - 1) / t, 4);
    pthread_mutex_lock(&m->mu);
    m->job_in = in;
    m->job_out = out;
    m->job_rows = rows;
    m->job_per = per;
    m->job_err = 0;
    m->pending = m->nthreads - 1;
    m->gen++;
    pthread_cond_broadcast(&m->start);
    pthread_mutex_unlock(&m->mu);
    run_rows(m, in, out, 0, per < rows ? per : rows);
    pthread_mutex_lock(&m->mu);
    while (m->pending)
        pthread_cond_wait(&m->done, &m->mu);
    int rc = m->job_err;
    pthread_mutex_unlock(&m->mu);
    return rc;
}

int zr_nn_model_forward(zr_nn_model_t *m, const float *in, size_t batch, float *out)
{
    if (!m || (batch && (!in || !out)))
        return ZR_EINVAL;
    int rc = zr_nn_fpenv_enter();
    if (rc)
        return rc;
    size_t ind = m->arch->in_dim, outd = m->arch->out_dim;
    for (size_t c0 = 0; c0 < batch; c0 += m->max_batch) {
        size_t rows = batch - c0 < m->max_batch ? batch - c0 : m->max_batch;
        if ((rc = run_chunk(m, in + c0 * ind, out + c0 * outd, rows)) != 0)
            return rc;
    }
    return 0;
}

int zr_nn_model_set_params(zr_nn_model_t *m, const zr_nn_params_t *p)
{
    const zr_nn_arch_t *a = m->arch;
    if (p->count != a->params || p->arch->n != a->n)
        return ZR_EINVAL;
    for (size_t i = 0; i < a->n; i++) {
        const zr__nn_layer_t *L = &a->layers[i];
        if (L->kind != ZR_NN_LAYER_DENSE)
            continue;
        mlayer_t *ml = &m->ml[i];
        for (size_t k = 0; k < L->in_dim; k++) {
            memcpy(ml->w + k * ml->ws, p->data + L->kernel_off + k * L->out_dim, L->out_dim * sizeof(float));
            memset(ml->w + k * ml->ws + L->out_dim, 0, (ml->ws - L->out_dim) * sizeof(float));
        }
        if (ml->b) {
            memset(ml->b, 0, ml->ws * sizeof(float));
            if (L->use_bias)
                memcpy(ml->b, p->data + L->bias_off, L->out_dim * sizeof(float));
        }
    }
    return 0;
}

static void pool_stop(struct zr_nn_model *m)
{
    if (!m->workers)
        return;
    pthread_mutex_lock(&m->mu);
    m->stop = 1;
    pthread_cond_broadcast(&m->start);
    pthread_mutex_unlock(&m->mu);
    for (size_t i = 0; i + 1 < m->nthreads; i++)
        if (m->workers[i].m == m)
            pthread_join(m->workers[i].tid, NULL);
    free(m->workers);
    m->workers = NULL;
}

int zr_nn_model_new(zr_nn_model_t **out, const zr_nn_arch_t *a, const zr_nn_params_t *p,
                    const zr_nn_model_opts_t *opts, char *err, size_t err_cap)
{
    *out = NULL;
    zr_nn_model_opts_t o = {0};
    if (opts)
        o = *opts;
    if (o.max_batch == 0)
        o.max_batch = 1024;
    if (o.threads == 0)
        o.threads = 1;
    if (o.threads > 64)
        o.threads = 64;
    if (p && (p->arch != a && (p->count != a->params || p->arch->n != a->n))) {
        zr__nn_errf(err, err_cap, "model: parameters belong to a different architecture");
        return ZR_EINVAL;
    }
    struct zr_nn_model *m = calloc(1, sizeof *m);
    if (!m)
        return ZR_ENOMEM;
    int rc = ZR_ENOMEM;
    m->arch = a;
    m->path = o.path;
    if (o.path != ZR_NN_PATH_REF) {
        m->kern = zr__nn_kern_get(o.path);
        if (!m->kern) {
            zr__nn_errf(err, err_cap, "model: path %s is not available on this machine", zr_nn_path_name(o.path));
            rc = ZR_EUNSUPPORTED;
            goto fail;
        }
        m->path = m->kern->path;
    }
    m->nb = m->kern ? m->kern->nb : 1;
    m->max_batch = o.max_batch;
    m->stride = zr__nn_round_up(a->max_dim, m->nb);
    /* arena size, with overflow checks against the 1 GiB bound */
    size_t total = 0, lim = ZR__NN_MAX_ARENA / sizeof(float);
    for (size_t i = 0; i < a->n; i++) {
        const zr__nn_layer_t *L = &a->layers[i];
        if (L->kind != ZR_NN_LAYER_DENSE)
            continue;
        size_t ws = zr__nn_round_up(L->out_dim, m->nb);
        total += (size_t)L->in_dim * ws + ws + 16;
        if (total > lim)
            break;
    }
    if (total > lim || m->stride > lim / 2 / m->max_batch || total + 2 * m->max_batch * m->stride + 32 > lim) {
        zr__nn_errf(err, err_cap, "model: the arena for max_batch %zu would exceed 1 GiB", m->max_batch);
        rc = ZR_ELIMIT;
        goto fail;
    }
    total += 2 * m->max_batch * m->stride + 32;
    m->ml = calloc(a->n, sizeof *m->ml);
    m->arena = aligned_alloc(ZR__NN_ALIGN, zr__nn_round_up(total * sizeof(float), ZR__NN_ALIGN));
    if (!m->ml || !m->arena)
        goto fail;
    memset(m->arena, 0, total * sizeof(float));
    float *q = m->arena;
    for (size_t i = 0; i < a->n; i++) {
        const zr__nn_layer_t *L = &a->layers[i];
        if (L->kind != ZR_NN_LAYER_DENSE)
            continue;
        mlayer_t *ml = &m->ml[i];
        ml->ws = zr__nn_round_up(L->out_dim, m->nb);
        ml->w = q;
        q += zr__nn_round_up((size_t)L->in_dim * ml->ws, 16);
        /* the vector kernels always read a bias vector (zeros without use_bias) */
        ml->b = (L->use_bias || m->kern) ? q : NULL;
        q += zr__nn_round_up(ml->ws, 16);
    }
    m->buf[0] = q;
    q += zr__nn_round_up(m->max_batch * m->stride, 16);
    m->buf[1] = q;
    if (p && (rc = zr_nn_model_set_params(m, p)) != 0)
        goto fail;
    rc = ZR_ENOMEM;
    pthread_mutex_init(&m->mu, NULL);
    pthread_cond_init(&m->start, NULL);
    pthread_cond_init(&m->done, NULL);
    m->pool_ok = 1;
    m->nthreads = o.threads;
    if (m->nthreads > 1) {
        m->workers = calloc(m->nthreads - 1, sizeof *m->workers);
        if (!m->workers)
            goto fail;
        for (size_t i = 0; i + 1 < m->nthreads; i++) {
            m->workers[i].idx = i;
            m->workers[i].m = m;
            if (pthread_create(&m->workers[i].tid, NULL, worker_main, &m->workers[i]) != 0) {
                m->workers[i].m = NULL;
                m->nthreads = i + 1;
                zr__nn_errf(err, err_cap, "model: cannot start worker threads");
                goto fail;
            }
        }
    }
    *out = m;
    return 0;
fail:
    zr_nn_model_free(m);
    return rc;
}

void zr_nn_model_free(zr_nn_model_t *m)
{
    if (!m)
        return;
    if (m->pool_ok) {
        pool_stop(m);
        pthread_mutex_destroy(&m->mu);
        pthread_cond_destroy(&m->start);
        pthread_cond_destroy(&m->done);
    }
    free(m->arena);
    free(m->ml);
    free(m);
}

zr_nn_path_t zr_nn_model_path(const zr_nn_model_t *m)
{
    return m->path;
}

const zr_nn_arch_t *zr_nn_model_arch(const zr_nn_model_t *m)
{
    return m->arch;
}

/* ---- outputsDigest ---- */
void zr_nn_digest_init(zr_nn_digest_t *d)
{
    zr_keccak_init(&d->k);
}

void zr_nn_digest_tensor(zr_nn_digest_t *d, const uint32_t *shape, size_t ndim, const float *data)
{
    uint64_t n = 1;
    for (size_t i = 0; i < ndim; i++) {
        uint8_t b[4] = {(uint8_t)shape[i], (uint8_t)(shape[i] >> 8), (uint8_t)(shape[i] >> 16),
                        (uint8_t)(shape[i] >> 24)};
        zr_keccak_update(&d->k, b, 4);
        n *= shape[i];
    }
    uint8_t blk[256];
    size_t fill = 0;
    for (uint64_t i = 0; i < n; i++) {
        uint32_t u;
        memcpy(&u, &data[i], 4);
        if ((u & 0x7f800000u) == 0x7f800000u && (u & 0x007fffffu))
            u = 0x7fc00000u;
        blk[fill++] = (uint8_t)u;
        blk[fill++] = (uint8_t)(u >> 8);
        blk[fill++] = (uint8_t)(u >> 16);
        blk[fill++] = (uint8_t)(u >> 24);
        if (fill == sizeof blk) {
            zr_keccak_update(&d->k, blk, fill);
            fill = 0;
        }
    }
    zr_keccak_update(&d->k, blk, fill);
}

void zr_nn_digest_final(zr_nn_digest_t *d, uint8_t out[32])
{
    zr_keccak_final(&d->k, out);
}
