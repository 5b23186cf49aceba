// SPDX-License-Identifier: MIT
// Parameter sets: loading from safetensors (names and shapes checked against the
// architecture), saving, and fresh initialisation from a seed (Glorot/He uniform from a
// counter-based integer generator, so the same seed gives the same bits everywhere).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nn_int.h"

uint64_t zr__nn_rng64(uint64_t key, uint64_t counter)
{
    uint64_t z = key ^ 0x5851f42d4c957f2dull;
    z += (counter + 1) * 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    /* a second round decorrelates neighbouring keys */
    z += key * 0xd6e8feb86659fd93ull;
    z = (z ^ (z >> 32)) * 0xd6e8feb86659fd93ull;
    z = (z ^ (z >> 32)) * 0xd6e8feb86659fd93ull;
    return z ^ (z >> 32);
}

static size_t total_params(const zr_nn_arch_t *a)
{
    return (size_t)a->params;
}

int zr_nn_params_new(zr_nn_params_t **out, const zr_nn_arch_t *a)
{
    *out = NULL;
    zr_nn_params_t *p = calloc(1, sizeof *p);
    size_t n = total_params(a);
    if (!p || !(p->data = calloc(n ? n : 1, sizeof(float)))) {
        free(p);
        return ZR_ENOMEM;
    }
    p->arch = a;
    p->count = n;
    *out = p;
    return 0;
}

void zr_nn_params_free(zr_nn_params_t *p)
{
    if (!p)
        return;
    free(p->data);
    free(p);
}

int zr_nn_params_copy(zr_nn_params_t **out, const zr_nn_params_t *p)
{
    int rc = zr_nn_params_new(out, p->arch);
    if (rc == 0)
        memcpy((*out)->data, p->data, p->count * sizeof(float));
    return rc;
}

float *zr_nn_params_data(zr_nn_params_t *p, size_t *count)
{
    if (count)
        *count = p->count;
    return p->data;
}

const zr_nn_arch_t *zr_nn_params_arch(const zr_nn_params_t *p)
{
    return p->arch;
}

int zr_nn_params_dense(zr_nn_params_t *p, size_t layer, float **kernel, float **bias)
{
    if (layer >= p->arch->n || p->arch->layers[layer].kind != ZR_NN_LAYER_DENSE)
        return ZR_EINVAL;
    const zr__nn_layer_t *L = &p->arch->layers[layer];
    *kernel = p->data + L->kernel_off;
    *bias = L->use_bias ? p->data + L->bias_off : NULL;
    return 0;
}

static int uses_he(zr_nn_act_t act)
{
    return act == ZR_NN_ACT_RELU || act == ZR_NN_ACT_LEAKY_RELU || act == ZR_NN_ACT_ELU || act == ZR_NN_ACT_GELU;
}

int zr_nn_params_init(zr_nn_params_t **out, const zr_nn_arch_t *a, uint64_t seed)
{
    int rc = zr_nn_params_new(out, a);
    if (rc)
        return rc;
    zr_nn_params_t *p = *out;
    for (size_t i = 0; i < a->n; i++) {
        const zr__nn_layer_t *L = &a->layers[i];
        if (L->kind != ZR_NN_LAYER_DENSE)
            continue;
        /* the activation that follows: the Dense's own, or a following Activation layer */
        zr_nn_act_t act = L->act;
        if (act == ZR_NN_ACT_LINEAR && i + 1 < a->n && a->layers[i + 1].kind == ZR_NN_LAYER_ACTIVATION)
            act = a->layers[i + 1].act;
        /* Glorot: sqrt(6/(in+out)); He: sqrt(6/in). sqrt is an IEEE operation (exact
         * rounding), so the bound has the same bits everywhere. */
        double q = uses_he(act) ? 6.0 / (double)L->in_dim : 6.0 / ((double)L->in_dim + (double)L->out_dim);
        float limit = (float)__builtin_sqrt(q);
        size_t n = (size_t)L->in_dim * L->out_dim;
        float *k = p->data + L->kernel_off;
        for (size_t j = 0; j < n; j++) {
            uint64_t r = zr__nn_rng64(seed, L->kernel_off + j);
            float u = (float)(r >> 40) * 0x1p-24f; /* [0, 1), exact */
            k[j] = (u + u - 1.0f) * limit;
        }
    }
    return 0;
}

int zr_nn_params_load(zr_nn_params_t **out, const zr_nn_arch_t *a, const void *file, size_t len, char *err,
                      size_t err_cap)
{
    *out = NULL;
    zr_nn_st_t st;
    int rc = zr_nn_st_parse(&st, file, len, err, err_cap);
    if (rc)
        return rc;
    zr_nn_params_t *p = NULL;
    uint8_t *used = calloc(st.count ? st.count : 1, 1);
    if (!used || (rc = zr_nn_params_new(&p, a)) != 0) {
        rc = ZR_ENOMEM;
        goto fail;
    }
    for (size_t i = 0; i < a->n; i++) {
        const zr__nn_layer_t *L = &a->layers[i];
        if (L->kind != ZR_NN_LAYER_DENSE)
            continue;
        for (int which = 0; which < 2; which++) {
            if (which == 1 && !L->use_bias)
                continue;
            char name[ZR_NN_ST_NAME_MAX + 16];
            snprintf(name, sizeof name, "%s/%s", L->name, which ? "bias" : "kernel");
            const zr_nn_st_tensor_t *t = zr_nn_st_find(&st, name);
            if (!t) {
                zr__nn_errf(err, err_cap, "parameters: tensor '%s' of layer '%s' is missing", name, L->name);
                rc = ZR_ESHAPE;
                goto fail;
            }
            int ok = which ? (t->ndim == 1 && t->shape[0] == L->out_dim)
                           : (t->ndim == 2 && t->shape[0] == L->in_dim && t->shape[1] == L->out_dim);
            if (!ok) {
                char got[96] = "";
                size_t o = 0;
                for (uint32_t d = 0; d < t->ndim && o < sizeof got - 24; d++)
                    o += (size_t)snprintf(got + o, sizeof got - o, "%s%llu", d ? "," : "",
                                          (unsigned long long)t->shape[d]);
                if (which)
                    zr__nn_errf(err, err_cap, "parameters: tensor '%s' has shape [%s], layer '%s' needs [%u]", name,
                                got, L->name, L->out_dim);
                else
                    zr__nn_errf(err, err_cap, "parameters: tensor '%s' has shape [%s], layer '%s' needs [%u,%u]",
                                name, got, L->name, L->in_dim, L->out_dim);
                rc = ZR_ESHAPE;
                goto fail;
            }
            used[t - st.tensors] = 1;
            if ((rc = zr_nn_st_read_f32(t, p->data + (which ? L->bias_off : L->kernel_off), err, err_cap)) != 0)
                goto fail;
        }
    }
    for (size_t i = 0; i < st.count; i++)
        if (!used[i]) {
            zr__nn_errf(err, err_cap, "parameters: tensor '%s' matches no layer of the architecture",
                        st.tensors[i].name);
            rc = ZR_ESHAPE;
            goto fail;
        }
    free(used);
    zr_nn_st_cleanup(&st);
    *out = p;
    return 0;
fail:
    free(used);
    zr_nn_params_free(p);
    zr_nn_st_cleanup(&st);
    return rc;
}

int zr_nn_params_save(const zr_nn_params_t *p, zr_buf_t *out)
{
    const zr_nn_arch_t *a = p->arch;
    size_t nd = 0;
    for (size_t i = 0; i < a->n; i++)
        if (a->layers[i].kind == ZR_NN_LAYER_DENSE)
            nd++;
    zr_nn_st_entry_t *e = calloc(2 * nd + 1, sizeof *e);
    uint64_t *shapes = calloc(3 * nd + 1, sizeof *shapes);
    char **names = calloc(2 * nd + 1, sizeof *names);
    int rc = ZR_ENOMEM;
    size_t ne = 0;
    if (!e || !shapes || !names)
        goto fail;
    size_t d = 0;
    for (size_t i = 0; i < a->n; i++) {
        const zr__nn_layer_t *L = &a->layers[i];
        if (L->kind != ZR_NN_LAYER_DENSE)
            continue;
        uint64_t *sh = shapes + 3 * d++;
        sh[0] = L->in_dim;
        sh[1] = L->out_dim;
        sh[2] = L->out_dim;
        size_t nl = strlen(L->name) + 8;
        if (!(names[ne] = malloc(nl)))
            goto fail;
        snprintf(names[ne], nl, "%s/kernel", L->name);
        e[ne] = (zr_nn_st_entry_t){names[ne], 2, sh, p->data + L->kernel_off};
        ne++;
        if (L->use_bias) {
            if (!(names[ne] = malloc(nl)))
                goto fail;
            snprintf(names[ne], nl, "%s/bias", L->name);
            e[ne] = (zr_nn_st_entry_t){names[ne], 1, sh + 2, p->data + L->bias_off};
            ne++;
        }
    }
    json_t *meta = json_pack("{ss}", "format", "zara");
    rc = zr_nn_st_write(out, e, ne, meta);
    json_decref(meta);
fail:
    if (names)
        for (size_t i = 0; i < 2 * nd + 1; i++)
            free(names[i]);
    free(names);
    free(shapes);
    free(e);
    return rc;
}
