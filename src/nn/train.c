// SPDX-License-Identifier: MIT
// The trainer: forward pass keeping every layer's pre- and post-activation values,
// backpropagation through Dense and activation layers for MSE and cross-entropy, and Adam
// in float32. Every sum runs in one fixed order (the dense kernels' canonical order, and
// sample order for bias gradients), so a run is reproducible bit for bit on any machine.
#include <stdlib.h>
#include <string.h>

#include "nn_int.h"

typedef struct tlayer {
    float *w, *b;    /* packed: in × ws, ws (b NULL without bias) */
    float *wt;       /* transposed copy: out × wst */
    float *gw, *gb;  /* gradients, same layouts as w, b */
    float *mw, *vw, *mb, *vb;
    size_t ws, wst;
    const float *x;  /* input of the layer in the last forward (stride xs) */
    size_t xs;
    float *z, *a;    /* pre-/post-activation, stride S */
} tlayer_t;

struct zr_nn_trainer {
    const zr_nn_arch_t *arch;
    zr_nn_train_opts_t o;
    const zr__nn_kern_t *kern;
    size_t nb, S, max_batch;
    tlayer_t *tl;
    float *arena;
    float *g[2]; /* backward buffers, max_batch × S */
    float b1t, b2t;
    uint64_t steps;
    size_t final_layer; /* last Dense or Activation layer */
};

static int isfinite_f(float v)
{
    return v - v == 0.0f;
}

static void repack_transpose(zr_nn_trainer_t *t, size_t i)
{
    const zr__nn_layer_t *L = &t->arch->layers[i];
    tlayer_t *l = &t->tl[i];
    for (size_t k = 0; k < L->in_dim; k++)
        for (size_t j = 0; j < L->out_dim; j++)
            l->wt[j * l->wst + k] = l->w[k * l->ws + j];
}

int zr_nn_trainer_new(zr_nn_trainer_t **out, const zr_nn_arch_t *a, const zr_nn_params_t *init,
                      const zr_nn_train_opts_t *opts, char *err, size_t err_cap)
{
    *out = NULL;
    zr_nn_trainer_t *t = calloc(1, sizeof *t);
    if (!t)
        return ZR_ENOMEM;
    int rc = ZR_ENOMEM;
    t->arch = a;
    if (opts)
        t->o = *opts;
    if (t->o.lr == 0)
        t->o.lr = 1e-3f;
    if (t->o.beta1 == 0)
        t->o.beta1 = 0.9f;
    if (t->o.beta2 == 0)
        t->o.beta2 = 0.999f;
    if (t->o.eps == 0)
        t->o.eps = 1e-7f;
    if (t->o.max_batch == 0)
        t->o.max_batch = 4096;
    if (!(t->o.lr > 0 && t->o.lr < 1e3f) || !(t->o.beta1 > 0 && t->o.beta1 < 1) ||
        !(t->o.beta2 > 0 && t->o.beta2 < 1) || !(t->o.eps > 0) || t->o.max_batch > (1u << 20)) {
        zr__nn_errf(err, err_cap, "trainer: lr, beta1, beta2, eps or max_batch out of range");
        rc = ZR_EINVAL;
        goto fail;
    }
    if (init && init->count != a->params) {
        zr__nn_errf(err, err_cap, "trainer: parameters belong to a different architecture");
        rc = ZR_EINVAL;
        goto fail;
    }
    t->kern = zr__nn_kern_get(t->o.path == ZR_NN_PATH_REF ? ZR_NN_PATH_SCALAR : t->o.path);
    if (!t->kern) {
        zr__nn_errf(err, err_cap, "trainer: path %s is not available", zr_nn_path_name(t->o.path));
        rc = ZR_EUNSUPPORTED;
        goto fail;
    }
    t->nb = t->kern->nb;
    t->max_batch = t->o.max_batch;
    t->S = zr__nn_round_up(a->max_dim, t->nb);
    t->final_layer = a->n;
    for (size_t i = 0; i < a->n; i++)
        if (a->layers[i].kind == ZR_NN_LAYER_DENSE || a->layers[i].kind == ZR_NN_LAYER_ACTIVATION)
            t->final_layer = i;
    if (t->o.loss == ZR_NN_LOSS_CROSS_ENTROPY) {
        zr_nn_act_t fa = t->final_layer < a->n ? a->layers[t->final_layer].act : ZR_NN_ACT_LINEAR;
        if (fa != ZR_NN_ACT_SOFTMAX && fa != ZR_NN_ACT_SIGMOID && fa != ZR_NN_ACT_LINEAR) {
            zr__nn_errf(err, err_cap, "trainer: cross-entropy needs a final softmax, sigmoid or linear output, not %s",
                        zr_nn_act_name(fa));
            rc = ZR_EINVAL;
            goto fail;
        }
    } else if (t->o.loss != ZR_NN_LOSS_MSE) {
        rc = ZR_EINVAL;
        goto fail;
    }
    /* one arena: per Dense 8 weight-sized arrays; per layer z and a; two gradient buffers */
    size_t total = 0, mb = t->max_batch;
    for (size_t i = 0; i < a->n; i++) {
        const zr__nn_layer_t *L = &a->layers[i];
        if (L->kind == ZR_NN_LAYER_DENSE) {
            size_t ws = zr__nn_round_up(L->out_dim, t->nb), wst = zr__nn_round_up(L->in_dim, t->nb);
            total += 4 * ((size_t)L->in_dim * ws + 16) + 4 * (ws + 16) + (size_t)L->out_dim * wst + 16;
        }
        if (L->kind == ZR_NN_LAYER_DENSE || L->kind == ZR_NN_LAYER_ACTIVATION)
            total += 2 * (mb * t->S + 16);
    }
    total += 2 * (mb * t->S + 16);
    if (total > ((size_t)1 << 28)) {
        zr__nn_errf(err, err_cap, "trainer: the arena for max_batch %zu would exceed 1 GiB", mb);
        rc = ZR_ELIMIT;
        goto fail;
    }
    t->tl = calloc(a->n, sizeof *t->tl);
    t->arena = aligned_alloc(ZR__NN_ALIGN, zr__nn_round_up(total * sizeof(float), ZR__NN_ALIGN));
    if (!t->tl || !t->arena)
        goto fail;
    memset(t->arena, 0, total * sizeof(float));
    float *q = t->arena;
#define TAKE(n) (q += zr__nn_round_up((n), 16), q - zr__nn_round_up((n), 16))
    for (size_t i = 0; i < a->n; i++) {
        const zr__nn_layer_t *L = &a->layers[i];
        tlayer_t *l = &t->tl[i];
        if (L->kind == ZR_NN_LAYER_DENSE) {
            l->ws = zr__nn_round_up(L->out_dim, t->nb);
            l->wst = zr__nn_round_up(L->in_dim, t->nb);
            size_t nw = (size_t)L->in_dim * l->ws;
            l->w = TAKE(nw);
            l->gw = TAKE(nw);
            l->mw = TAKE(nw);
            l->vw = TAKE(nw);
            l->b = TAKE(l->ws);
            l->gb = TAKE(l->ws);
            l->mb = TAKE(l->ws);
            l->vb = TAKE(l->ws);
            l->wt = TAKE((size_t)L->out_dim * l->wst);
            if (init) {
                for (size_t k = 0; k < L->in_dim; k++)
                    memcpy(l->w + k * l->ws, init->data + L->kernel_off + k * L->out_dim, L->out_dim * sizeof(float));
                if (L->use_bias)
                    memcpy(l->b, init->data + L->bias_off, L->out_dim * sizeof(float));
            }
            repack_transpose(t, i);
        }
        if (L->kind == ZR_NN_LAYER_DENSE || L->kind == ZR_NN_LAYER_ACTIVATION) {
            l->z = TAKE(mb * t->S);
            l->a = TAKE(mb * t->S);
        }
    }
    t->g[0] = TAKE(mb * t->S);
    t->g[1] = TAKE(mb * t->S);
#undef TAKE
    t->b1t = 1.0f;
    t->b2t = 1.0f;
    *out = t;
    return 0;
fail:
    zr_nn_trainer_free(t);
    return rc;
}

void zr_nn_trainer_free(zr_nn_trainer_t *t)
{
    if (!t)
        return;
    free(t->arena);
    free(t->tl);
    free(t);
}

uint64_t zr_nn_trainer_steps(const zr_nn_trainer_t *t)
{
    return t->steps;
}

int zr_nn_trainer_get_params(const zr_nn_trainer_t *t, zr_nn_params_t *dst)
{
    const zr_nn_arch_t *a = t->arch;
    if (dst->count != a->params)
        return ZR_EINVAL;
    for (size_t i = 0; i < a->n; i++) {
        const zr__nn_layer_t *L = &a->layers[i];
        const tlayer_t *l = &t->tl[i];
        if (L->kind != ZR_NN_LAYER_DENSE)
            continue;
        for (size_t k = 0; k < L->in_dim; k++)
            memcpy(dst->data + L->kernel_off + k * L->out_dim, l->w + k * l->ws, L->out_dim * sizeof(float));
        if (L->use_bias)
            memcpy(dst->data + L->bias_off, l->b, L->out_dim * sizeof(float));
    }
    return 0;
}

/* Forward over B samples keeping z and a of every layer; returns the output pointer. */
static const float *train_forward(zr_nn_trainer_t *t, const float *in, size_t B, size_t *out_stride)
{
    const zr_nn_arch_t *a = t->arch;
    const float *cur = in;
    size_t cs = a->in_dim, dim = a->in_dim;
    for (size_t i = 0; i < a->n; i++) {
        const zr__nn_layer_t *L = &a->layers[i];
        tlayer_t *l = &t->tl[i];
        l->x = cur;
        l->xs = cs;
        if (L->kind == ZR_NN_LAYER_DENSE) {
            t->kern->dense(cur, cs, 1, B, L->in_dim, l->w, l->ws, l->b, l->z, t->S, l->ws);
            dim = L->out_dim;
        } else if (L->kind == ZR_NN_LAYER_ACTIVATION) {
            for (size_t r = 0; r < B; r++) {
                memcpy(l->z + r * t->S, cur + r * cs, dim * sizeof(float));
                memset(l->z + r * t->S + dim, 0, (zr__nn_round_up(dim, t->nb) - dim) * sizeof(float));
            }
        } else {
            continue;
        }
        size_t w = zr__nn_round_up(dim, t->nb);
        for (size_t r = 0; r < B; r++)
            memcpy(l->a + r * t->S, l->z + r * t->S, w * sizeof(float));
        if (L->act == ZR_NN_ACT_SOFTMAX)
            zr__nn_softmax_rows(l->a, B, dim, t->S);
        else if (L->act != ZR_NN_ACT_LINEAR)
            for (size_t r = 0; r < B; r++)
                t->kern->act(L->act, L->alpha, l->a + r * t->S, w);
        cur = l->a;
        cs = t->S;
    }
    *out_stride = cs;
    return cur;
}

/* g (stride S) := g ⊙ act'(z, a) for dim real columns of B rows. */
static void act_backward(const zr__nn_layer_t *L, const tlayer_t *l, float *g, size_t B, size_t S)
{
    size_t dim = L->out_dim;
    for (size_t r = 0; r < B; r++) {
        float *gr = g + r * S;
        const float *z = l->z + r * S, *av = l->a + r * S;
        switch (L->act) {
        case ZR_NN_ACT_LINEAR:
            break;
        case ZR_NN_ACT_RELU:
            for (size_t j = 0; j < dim; j++)
                gr[j] = z[j] < 0.0f ? 0.0f : gr[j];
            break;
        case ZR_NN_ACT_LEAKY_RELU:
            for (size_t j = 0; j < dim; j++)
                gr[j] = z[j] < 0.0f ? gr[j] * L->alpha : gr[j];
            break;
        case ZR_NN_ACT_ELU:
            for (size_t j = 0; j < dim; j++)
                gr[j] = z[j] > 0.0f ? gr[j] : gr[j] * (av[j] + L->alpha);
            break;
        case ZR_NN_ACT_TANH:
            for (size_t j = 0; j < dim; j++)
                gr[j] = gr[j] * (1.0f - av[j] * av[j]);
            break;
        case ZR_NN_ACT_SIGMOID:
            for (size_t j = 0; j < dim; j++)
                gr[j] = gr[j] * (av[j] * (1.0f - av[j]));
            break;
        case ZR_NN_ACT_SOFTPLUS:
            for (size_t j = 0; j < dim; j++)
                gr[j] = gr[j] * zr_nn_sigmoidf(z[j]);
            break;
        case ZR_NN_ACT_GELU:
            for (size_t j = 0; j < dim; j++) {
                float cdf = 0.5f * (1.0f + zr_nn_erff(z[j] * 0.70710678118654752f));
                float pdf = zr_nn_expf(-0.5f * (z[j] * z[j])) * 0.39894228040143268f;
                gr[j] = gr[j] * (cdf + z[j] * pdf);
            }
            break;
        case ZR_NN_ACT_SOFTMAX: {
            float s = 0.0f;
            for (size_t j = 0; j < dim; j++)
                s = s + gr[j] * av[j];
            for (size_t j = 0; j < dim; j++)
                gr[j] = av[j] * (gr[j] - s);
            break;
        }
        }
    }
}

int zr_nn_trainer_step(zr_nn_trainer_t *t, const float *inputs, const float *targets, size_t B, float *loss)
{
    if (!t || !inputs || !targets || B == 0 || B > t->max_batch)
        return ZR_EINVAL;
    int rc = zr_nn_fpenv_enter();
    if (rc)
        return rc;
    const zr_nn_arch_t *a = t->arch;
    size_t os, D = a->out_dim, S = t->S;
    const float *y = train_forward(t, inputs, B, &os);
    float *g = t->g[0];
    memset(g, 0, B * S * sizeof(float));
    double L = 0;
    int fused = 0; /* cross-entropy gradient already taken through the final activation */
    if (t->o.loss == ZR_NN_LOSS_MSE) {
        float scale = 2.0f / (float)(B * D);
        for (size_t r = 0; r < B; r++)
            for (size_t j = 0; j < D; j++) {
                float d = y[r * os + j] - targets[r * D + j];
                L += (double)(d * d);
                g[r * S + j] = d * scale;
            }
        L /= (double)(B * D);
    } else {
        zr_nn_act_t fa = t->final_layer < a->n ? a->layers[t->final_layer].act : ZR_NN_ACT_LINEAR;
        float inv = 1.0f / (float)B;
        for (size_t r = 0; r < B; r++) {
            const float *yr = y + r * os, *tr = targets + r * D;
            float *gr = g + r * S;
            if (fa == ZR_NN_ACT_LINEAR) { /* softmax of the logits into gr, then p − t */
                memcpy(gr, yr, D * sizeof(float));
                zr__nn_softmax_rows(gr, 1, D, S);
                for (size_t j = 0; j < D; j++) {
                    float p = gr[j] > 1e-30f ? gr[j] : 1e-30f;
                    L -= (double)(tr[j] * zr_nn_logf(p));
                    gr[j] = (gr[j] - tr[j]) * inv;
                }
            } else if (fa == ZR_NN_ACT_SOFTMAX) {
                for (size_t j = 0; j < D; j++) {
                    float p = yr[j] > 1e-30f ? yr[j] : 1e-30f;
                    L -= (double)(tr[j] * zr_nn_logf(p));
                    gr[j] = (yr[j] - tr[j]) * inv;
                }
            } else { /* sigmoid: binary cross-entropy per output */
                for (size_t j = 0; j < D; j++) {
                    float p = yr[j] > 1e-30f ? yr[j] : 1e-30f;
                    float q = 1.0f - yr[j] > 1e-30f ? 1.0f - yr[j] : 1e-30f;
                    L -= (double)(tr[j] * zr_nn_logf(p) + (1.0f - tr[j]) * zr_nn_logf(q));
                    gr[j] = (yr[j] - tr[j]) * inv;
                }
            }
        }
        L /= (double)B;
        fused = fa != ZR_NN_ACT_LINEAR;
    }
    if (loss)
        *loss = (float)L;
    if (!(L - L == 0))
        return ZR_ENONFINITE;
    /* backward */
    int cur = 0;
    size_t first_dense = a->n;
    for (size_t i = 0; i < a->n; i++)
        if (a->layers[i].kind == ZR_NN_LAYER_DENSE) {
            first_dense = i;
            break;
        }
    for (size_t ii = a->n; ii-- > 0;) {
        const zr__nn_layer_t *Lr = &a->layers[ii];
        tlayer_t *l = &t->tl[ii];
        if (Lr->kind != ZR_NN_LAYER_DENSE && Lr->kind != ZR_NN_LAYER_ACTIVATION)
            continue;
        if (ii < first_dense)
            break;
        float *gz = t->g[cur];
        if (!(fused && ii == t->final_layer))
            act_backward(Lr, l, gz, B, S);
        if (Lr->kind == ZR_NN_LAYER_ACTIVATION)
            continue; /* dL/dx = dL/dz */
        /* dW[k][j] = Σ_b x[b][k]·gz[b][j]; db[j] = Σ_b gz[b][j] (sample order) */
        t->kern->dense(l->x, 1, l->xs, Lr->in_dim, B, gz, S, NULL, l->gw, l->ws, l->ws);
        if (Lr->use_bias) {
            memset(l->gb, 0, l->ws * sizeof(float));
            for (size_t r = 0; r < B; r++)
                for (size_t j = 0; j < Lr->out_dim; j++)
                    l->gb[j] = l->gb[j] + gz[r * S + j];
        }
        if (ii > first_dense) {
            float *gx = t->g[cur ^ 1];
            t->kern->dense(gz, S, 1, B, Lr->out_dim, l->wt, l->wst, NULL, gx, S, l->wst);
            cur ^= 1;
        }
    }
    /* all gradients finite, or no update */
    for (size_t i = 0; i < a->n; i++) {
        const zr__nn_layer_t *Lr = &a->layers[i];
        tlayer_t *l = &t->tl[i];
        if (Lr->kind != ZR_NN_LAYER_DENSE)
            continue;
        size_t nw = (size_t)Lr->in_dim * l->ws;
        for (size_t k = 0; k < nw; k++)
            if (!isfinite_f(l->gw[k]))
                return ZR_ENONFINITE;
        for (size_t k = 0; k < l->ws && Lr->use_bias; k++)
            if (!isfinite_f(l->gb[k]))
                return ZR_ENONFINITE;
    }
    /* Adam */
    const float b1 = t->o.beta1, b2 = t->o.beta2, lr = t->o.lr, eps = t->o.eps;
    t->b1t = t->b1t * b1;
    t->b2t = t->b2t * b2;
    const float bc1 = 1.0f - t->b1t, bc2 = 1.0f - t->b2t;
    const float c1 = 1.0f - b1, c2 = 1.0f - b2;
    for (size_t i = 0; i < a->n; i++) {
        const zr__nn_layer_t *Lr = &a->layers[i];
        tlayer_t *l = &t->tl[i];
        if (Lr->kind != ZR_NN_LAYER_DENSE)
            continue;
        for (int part = 0; part < 2; part++) {
            if (part == 1 && !Lr->use_bias)
                continue;
            size_t n = part ? l->ws : (size_t)Lr->in_dim * l->ws;
            float *w = part ? l->b : l->w, *gg = part ? l->gb : l->gw;
            float *m = part ? l->mb : l->mw, *v = part ? l->vb : l->vw;
            for (size_t k = 0; k < n; k++) {
                float gk = gg[k];
                float mk = b1 * m[k] + c1 * gk;
                float vk = b2 * v[k] + c2 * (gk * gk);
                m[k] = mk;
                v[k] = vk;
                float mh = mk / bc1, vh = vk / bc2;
                w[k] = w[k] - lr * mh / (__builtin_sqrtf(vh) + eps);
            }
        }
        repack_transpose(t, i);
    }
    t->steps++;
    return 0;
}
