// SPDX-License-Identifier: MIT
// Importers into safetensors: the seed prototype's JSON weight lists
// ([{"tensor":[…],"shape":[…],"dtype":"float32"}, …] in Keras get_weights() order) and
// TF.js model.json weightsManifest shards (float32 little-endian, concatenated in order).
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nn_int.h"

#define ZR__NN_MAX_IMPORT_JSON ((size_t)1 << 30)
#define ZR__NN_MAX_SHARD ((size_t)1 << 30)

/* Flattens a (possibly nested) array of numbers into out[0..cap); counts into *n. */
static int flatten(const json_t *v, float *out, size_t cap, size_t *n, int depth)
{
    if (depth > 16)
        return -1;
    if (json_is_number(v)) {
        if (*n >= cap)
            return -1;
        double d = json_number_value(v);
        float f = (float)d;
        if (!(f - f == 0.0f))
            return -2;
        out[(*n)++] = f;
        return 0;
    }
    if (!json_is_array(v))
        return -1;
    for (size_t i = 0; i < json_array_size(v); i++) {
        int rc = flatten(json_array_get(v, i), out, cap, n, depth + 1);
        if (rc)
            return rc;
    }
    return 0;
}

int zr_nn_import_weight_list(zr_buf_t *out, const zr_nn_arch_t *a, const char *json, size_t len, char *err,
                             size_t err_cap)
{
    json_t *root = NULL;
    zr_nn_params_t *p = NULL;
    char jerr[160];
    int rc = zr_json_parse(json, len, ZR__NN_MAX_IMPORT_JSON, &root, jerr, sizeof jerr);
    if (rc) {
        zr__nn_errf(err, err_cap, "weight list: %s", jerr);
        return rc;
    }
    if (!json_is_array(root)) {
        zr__nn_errf(err, err_cap, "weight list: expected a JSON array of {tensor, shape, dtype}");
        rc = ZR_EPARSE;
        goto fail;
    }
    if ((rc = zr_nn_params_new(&p, a)) != 0)
        goto fail;
    size_t idx = 0;
    for (size_t i = 0; i < a->n; i++) {
        const zr__nn_layer_t *L = &a->layers[i];
        if (L->kind != ZR_NN_LAYER_DENSE)
            continue;
        for (int which = 0; which < 2; which++) {
            if (which && !L->use_bias)
                continue;
            const json_t *e = json_array_get(root, idx);
            const char *what = which ? "bias" : "kernel";
            if (!json_is_object(e)) {
                zr__nn_errf(err, err_cap, "weight list: entry %zu (%s of layer '%s') is missing", idx, what, L->name);
                rc = ZR_ESHAPE;
                goto fail;
            }
            const char *dt = zr_json_str(e, "dtype");
            if (dt && strcmp(dt, "float32") != 0) {
                zr__nn_errf(err, err_cap, "weight list: entry %zu has dtype %.32s; only float32", idx, dt);
                rc = ZR_EPARSE;
                goto fail;
            }
            const json_t *sh = json_object_get(e, "shape");
            size_t want0 = which ? L->out_dim : L->in_dim, want1 = L->out_dim;
            int ok = json_is_array(sh) && json_array_size(sh) == (which ? 1u : 2u) &&
                     json_integer_value(json_array_get(sh, 0)) == (json_int_t)want0 &&
                     (which || json_integer_value(json_array_get(sh, 1)) == (json_int_t)want1);
            if (!ok) {
                if (which)
                    zr__nn_errf(err, err_cap, "weight list: entry %zu (bias of layer '%s') must have shape [%u]", idx,
                                L->name, L->out_dim);
                else
                    zr__nn_errf(err, err_cap, "weight list: entry %zu (kernel of layer '%s') must have shape [%u,%u]",
                                idx, L->name, L->in_dim, L->out_dim);
                rc = ZR_ESHAPE;
                goto fail;
            }
            size_t want = which ? L->out_dim : (size_t)L->in_dim * L->out_dim, n = 0;
            float *dst = p->data + (which ? L->bias_off : L->kernel_off);
            int fr = flatten(json_object_get(e, "tensor"), dst, want, &n, 0);
            if (fr == -2) {
                zr__nn_errf(err, err_cap, "weight list: entry %zu (layer '%s') holds a non-finite value", idx,
                            L->name);
                rc = ZR_ENONFINITE;
                goto fail;
            }
            if (fr || n != want) {
                zr__nn_errf(err, err_cap, "weight list: entry %zu (layer '%s'): tensor must hold %zu numbers", idx,
                            L->name, want);
                rc = ZR_ESHAPE;
                goto fail;
            }
            idx++;
        }
    }
    if (idx != json_array_size(root)) {
        zr__nn_errf(err, err_cap, "weight list: %zu entries, the architecture has %zu tensors",
                    json_array_size(root), idx);
        rc = ZR_ESHAPE;
        goto fail;
    }
    rc = zr_nn_params_save(p, out);
fail:
    zr_nn_params_free(p);
    json_decref(root);
    return rc;
}

int zr_nn_import_tfjs(zr_buf_t *out, const zr_nn_arch_t *a, const char *model_json, size_t len, const char *dir,
                      char *err, size_t err_cap)
{
    json_t *root = NULL;
    zr_nn_params_t *p = NULL;
    zr_buf_t data;
    zr_buf_init(&data, ZR__NN_MAX_SHARD);
    uint8_t *filled = NULL;
    char jerr[160];
    int rc = zr_json_parse(model_json, len, ZR__NN_MAX_IMPORT_JSON, &root, jerr, sizeof jerr);
    if (rc) {
        zr__nn_errf(err, err_cap, "model.json: %s", jerr);
        goto fail;
    }
    const json_t *man = json_object_get(root, "weightsManifest");
    if (!json_is_array(man)) {
        zr__nn_errf(err, err_cap, "model.json: no weightsManifest array");
        rc = ZR_EPARSE;
        goto fail;
    }
    if ((rc = zr_nn_params_new(&p, a)) != 0)
        goto fail;
    filled = calloc(a->n * 2 + 1, 1);
    if (!filled) {
        rc = ZR_ENOMEM;
        goto fail;
    }
    for (size_t gi = 0; gi < json_array_size(man); gi++) {
        const json_t *grp = json_array_get(man, gi);
        const json_t *paths = json_object_get(grp, "paths"), *ws = json_object_get(grp, "weights");
        if (!json_is_array(paths) || !json_is_array(ws)) {
            zr__nn_errf(err, err_cap, "model.json: weightsManifest[%zu] needs paths and weights", gi);
            rc = ZR_EPARSE;
            goto fail;
        }
        zr_buf_reset(&data);
        for (size_t pi = 0; pi < json_array_size(paths); pi++) {
            const char *rel = json_string_value(json_array_get(paths, pi));
            if (!rel || strstr(rel, "..") || rel[0] == '/') {
                zr__nn_errf(err, err_cap, "model.json: shard path %zu is not a relative file name", pi);
                rc = ZR_EPARSE;
                goto fail;
            }
            char path[PATH_MAX];
            snprintf(path, sizeof path, "%s/%s", dir ? dir : ".", rel);
            if ((rc = zr_file_read(path, ZR__NN_MAX_SHARD - data.len, &data)) != 0) {
                zr__nn_errf(err, err_cap, "cannot read shard %s: %s", path, zr_strerror(rc));
                goto fail;
            }
        }
        size_t off = 0;
        for (size_t wi = 0; wi < json_array_size(ws); wi++) {
            const json_t *w = json_array_get(ws, wi);
            const char *name = zr_json_str(w, "name"), *dt = zr_json_str(w, "dtype");
            const json_t *sh = json_object_get(w, "shape");
            if (!name || !json_is_array(sh) || json_object_get(w, "quantization")) {
                zr__nn_errf(err, err_cap, "model.json: weight %zu of group %zu is malformed or quantized", wi, gi);
                rc = ZR_EPARSE;
                goto fail;
            }
            if (dt && strcmp(dt, "float32") != 0) {
                zr__nn_errf(err, err_cap, "model.json: weight '%s' has dtype %.32s; only float32", name, dt);
                rc = ZR_EPARSE;
                goto fail;
            }
            uint64_t cnt = 1;
            for (size_t d = 0; d < json_array_size(sh); d++) {
                json_int_t v = json_integer_value(json_array_get(sh, d));
                if (v < 0 || (uint64_t)v > ZR__NN_MAX_SHARD) {
                    rc = ZR_EPARSE;
                    goto fail;
                }
                cnt *= (uint64_t)v;
                if (cnt > ZR__NN_MAX_SHARD)
                    break;
            }
            if (cnt > (data.len - off) / 4) {
                zr__nn_errf(err, err_cap, "model.json: weight '%s' extends past the end of its shards", name);
                rc = ZR_ETRUNCATED;
                goto fail;
            }
            /* match <layer>/kernel or <layer>/bias */
            const char *slash = strrchr(name, '/');
            int matched = 0;
            for (size_t i = 0; slash && i < a->n; i++) {
                const zr__nn_layer_t *L = &a->layers[i];
                if (L->kind != ZR_NN_LAYER_DENSE || strlen(L->name) != (size_t)(slash - name) ||
                    strncmp(L->name, name, (size_t)(slash - name)) != 0)
                    continue;
                int which = strcmp(slash + 1, "bias") == 0 ? 1 : strcmp(slash + 1, "kernel") == 0 ? 0 : -1;
                if (which < 0 || (which && !L->use_bias))
                    break;
                size_t want = which ? L->out_dim : (size_t)L->in_dim * L->out_dim;
                int shape_ok = which ? (json_array_size(sh) == 1 && cnt == L->out_dim)
                                     : (json_array_size(sh) == 2 &&
                                        json_integer_value(json_array_get(sh, 0)) == (json_int_t)L->in_dim &&
                                        json_integer_value(json_array_get(sh, 1)) == (json_int_t)L->out_dim);
                if (!shape_ok || cnt != want) {
                    zr__nn_errf(err, err_cap, "model.json: weight '%s' has the wrong shape for layer '%s'", name,
                                L->name);
                    rc = ZR_ESHAPE;
                    goto fail;
                }
                float *dst = p->data + (which ? L->bias_off : L->kernel_off);
                for (size_t k = 0; k < want; k++) {
                    const uint8_t *b = data.data + off + 4 * k;
                    uint32_t u = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
                    memcpy(&dst[k], &u, 4);
                    if (!(dst[k] - dst[k] == 0.0f)) {
                        zr__nn_errf(err, err_cap, "model.json: weight '%s' element %zu is not finite", name, k);
                        rc = ZR_ENONFINITE;
                        goto fail;
                    }
                }
                filled[2 * i + (size_t)which] = 1;
                matched = 1;
                break;
            }
            if (!matched) {
                zr__nn_errf(err, err_cap, "model.json: weight '%s' matches no Dense layer kernel or bias", name);
                rc = ZR_ESHAPE;
                goto fail;
            }
            off += 4 * cnt;
        }
    }
    for (size_t i = 0; i < a->n; i++) {
        const zr__nn_layer_t *L = &a->layers[i];
        if (L->kind == ZR_NN_LAYER_DENSE && (!filled[2 * i] || (L->use_bias && !filled[2 * i + 1]))) {
            zr__nn_errf(err, err_cap, "model.json: no weights for layer '%s'", L->name);
            rc = ZR_ESHAPE;
            goto fail;
        }
    }
    rc = zr_nn_params_save(p, out);
fail:
    free(filled);
    zr_buf_cleanup(&data);
    zr_nn_params_free(p);
    json_decref(root);
    return rc;
}
