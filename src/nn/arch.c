// SPDX-License-Identifier: MIT
// Parses the Keras Sequential JSON that Keras (model.to_json(), 2.x and 3.x) and TF.js
// (model.toJSON(), or a model.json with "modelTopology") write, validates every layer
// against the supported set and the task's limits, and computes shapes, parameter counts
// and FLOPs. Messages name the layer (index, name, class) and the problem.
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nn_int.h"

/* Keras and TF.js spellings of the activations we support. */
static int act_parse(const char *s, zr_nn_act_t *act, float *alpha)
{
    static const struct {
        const char *name;
        zr_nn_act_t act;
        float alpha;
    } tab[] = {
        {"linear", ZR_NN_ACT_LINEAR, 0},      {"relu", ZR_NN_ACT_RELU, 0},
        {"leaky_relu", ZR_NN_ACT_LEAKY_RELU, 0.2f}, {"leakyRelu", ZR_NN_ACT_LEAKY_RELU, 0.2f},
        {"elu", ZR_NN_ACT_ELU, 1.0f},         {"tanh", ZR_NN_ACT_TANH, 0},
        {"sigmoid", ZR_NN_ACT_SIGMOID, 0},    {"softplus", ZR_NN_ACT_SOFTPLUS, 0},
        {"softmax", ZR_NN_ACT_SOFTMAX, 0},    {"gelu", ZR_NN_ACT_GELU, 0},
    };
    for (size_t i = 0; i < ZR_ARRAY_LEN(tab); i++)
        if (strcmp(s, tab[i].name) == 0) {
            *act = tab[i].act;
            *alpha = tab[i].alpha;
            return 0;
        }
    return -1;
}

/* A positive integer JSON value no larger than max. */
static int get_dim(const json_t *v, uint64_t max, uint32_t *out)
{
    if (!json_is_integer(v))
        return -1;
    json_int_t x = json_integer_value(v);
    if (x <= 0 || (uint64_t)x > max)
        return -1;
    *out = (uint32_t)x;
    return 0;
}

typedef struct parse_ctx {
    zr_nn_arch_t *a;
    const zr_nn_limits_t *lim;
    char *err;
    size_t err_cap;
    int have_input;
    uint32_t cur_rank; /* rank of the current per-sample shape */
    uint32_t cur_dim;  /* flattened size */
} parse_ctx_t;

/* Reads an input shape [batch, d1, ...] (with_batch) or [d1, ...] into the arch. */
static int set_input(parse_ctx_t *p, const json_t *shape, int with_batch, const char *lname)
{
    zr_nn_arch_t *a = p->a;
    if (!json_is_array(shape) || json_array_size(shape) < (size_t)(with_batch ? 2 : 1) ||
        json_array_size(shape) > 8 + (size_t)with_batch) {
        zr__nn_errf(p->err, p->err_cap, "layer '%s': input shape must be an array of 1 to 8 dimensions",
                    lname);
        return ZR_EARCH;
    }
    uint64_t prod = 1;
    a->in_rank = 0;
    for (size_t i = with_batch ? 1 : 0; i < json_array_size(shape); i++) {
        uint32_t d;
        if (get_dim(json_array_get(shape, i), ZR_NN_HARD_MAX_WIDTH, &d) != 0) {
            zr__nn_errf(p->err, p->err_cap,
                        "layer '%s': input dimension %zu must be a positive integer no larger than %u",
                        lname, i, p->lim->max_width);
            return json_is_integer(json_array_get(shape, i)) ? ZR_ELIMIT : ZR_EARCH;
        }
        prod *= d;
        if (prod > p->lim->max_width) {
            zr__nn_errf(p->err, p->err_cap, "layer '%s': input of %llu values exceeds the width limit %u",
                        lname, (unsigned long long)prod, p->lim->max_width);
            return ZR_ELIMIT;
        }
        a->in_shape[a->in_rank++] = d;
    }
    a->in_dim = (uint32_t)prod;
    p->cur_dim = a->in_dim;
    p->cur_rank = (uint32_t)a->in_rank;
    p->have_input = 1;
    return 0;
}

/* Finds the input shape a layer config may carry (Keras 2, Keras 3, TF.js spellings). */
static int layer_input_shape(parse_ctx_t *p, const json_t *cfg, const json_t *layer, const char *lname)
{
    const json_t *v;
    if ((v = json_object_get(cfg, "batch_input_shape")) && !json_is_null(v))
        return set_input(p, v, 1, lname);
    if ((v = json_object_get(cfg, "batch_shape")) && !json_is_null(v))
        return set_input(p, v, 1, lname);
    if ((v = json_object_get(cfg, "input_shape")) && !json_is_null(v))
        return set_input(p, v, 0, lname);
    if ((v = json_object_get(cfg, "input_dim")) && !json_is_null(v)) {
        json_t *arr = json_pack("[O]", v);
        int rc = arr ? set_input(p, arr, 0, lname) : ZR_ENOMEM;
        json_decref(arr);
        return rc;
    }
    const json_t *bc = json_object_get(layer, "build_config");
    if (bc && (v = json_object_get(bc, "input_shape")) && !json_is_null(v))
        return set_input(p, v, 1, lname);
    return 1; /* none */
}

/* dtype of a layer: absent, "float32", or a Keras 3 DTypePolicy whose name is float32. */
static int dtype_ok(const json_t *cfg)
{
    const json_t *d = json_object_get(cfg, "dtype");
    if (!d || json_is_null(d))
        return 1;
    if (json_is_string(d))
        return strcmp(json_string_value(d), "float32") == 0;
    if (json_is_object(d)) {
        const json_t *c = json_object_get(d, "config");
        const char *n = c ? zr_json_str(c, "name") : NULL;
        return n && strcmp(n, "float32") == 0;
    }
    return 0;
}

static int parse_layer(parse_ctx_t *p, size_t idx, const json_t *layer)
{
    zr_nn_arch_t *a = p->a;
    zr__nn_layer_t *L = &a->layers[a->n];
    char lname[96];
    const char *cls = zr_json_str(layer, "class_name");
    const json_t *cfg = json_object_get(layer, "config");
    const char *name = cfg ? zr_json_str(cfg, "name") : NULL;
    snprintf(lname, sizeof lname, "%s", name ? name : "?");
    if (!json_is_object(layer) || !cls || !json_is_object(cfg)) {
        zr__nn_errf(p->err, p->err_cap, "layer %zu: expected an object with class_name and config", idx);
        return ZR_EARCH;
    }
    if (!name || !name[0] || strlen(name) > 200 || strchr(name, '"') || strchr(name, '\\')) {
        zr__nn_errf(p->err, p->err_cap, "layer %zu (%s): missing or invalid name", idx, cls);
        return ZR_EARCH;
    }
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->layers[i].name, name) == 0) {
            zr__nn_errf(p->err, p->err_cap, "layer %zu '%s': duplicate layer name", idx, name);
            return ZR_EARCH;
        }
    if (!dtype_ok(cfg)) {
        zr__nn_errf(p->err, p->err_cap, "layer %zu '%s' (%s): only float32 layers are supported", idx,
                    name, cls);
        return ZR_EARCH;
    }
    memset(L, 0, sizeof *L);
    L->name = strdup(name);
    if (!L->name)
        return ZR_ENOMEM;
    a->n++;
    int rc = layer_input_shape(p, cfg, layer, name);
    if (rc < 0)
        return rc;
    if (strcmp(cls, "InputLayer") == 0) {
        if (rc == 1) {
            zr__nn_errf(p->err, p->err_cap, "layer %zu '%s' (InputLayer): no input shape", idx, name);
            return ZR_EARCH;
        }
        if (idx != 0) {
            zr__nn_errf(p->err, p->err_cap, "layer %zu '%s': InputLayer must come first", idx, name);
            return ZR_EARCH;
        }
        L->kind = ZR_NN_LAYER_INPUT;
        L->class_name = "InputLayer";
    } else if (!p->have_input) {
        zr__nn_errf(p->err, p->err_cap,
                    "layer %zu '%s' (%s): the first layer must declare the input shape "
                    "(batch_input_shape, batch_shape or input_shape)",
                    idx, name, cls);
        return ZR_EARCH;
    }
    L->in_dim = p->cur_dim;
    L->out_dim = p->cur_dim;
    L->act = ZR_NN_ACT_LINEAR;
    if (strcmp(cls, "InputLayer") == 0) {
        /* shape already taken */
    } else if (strcmp(cls, "Dense") == 0) {
        L->kind = ZR_NN_LAYER_DENSE;
        L->class_name = "Dense";
        if (p->cur_rank != 1) {
            zr__nn_errf(p->err, p->err_cap,
                        "layer %zu '%s' (Dense): its input has rank %u; add a Flatten layer before it",
                        idx, name, p->cur_rank);
            return ZR_EARCH;
        }
        const json_t *u = json_object_get(cfg, "units");
        if (!json_is_integer(u) || json_integer_value(u) <= 0) {
            zr__nn_errf(p->err, p->err_cap, "layer %zu '%s' (Dense): units must be a positive integer",
                        idx, name);
            return ZR_EARCH;
        }
        if ((uint64_t)json_integer_value(u) > p->lim->max_width) {
            zr__nn_errf(p->err, p->err_cap, "layer %zu '%s' (Dense): %lld units exceed the width limit %u",
                        idx, name, (long long)json_integer_value(u), p->lim->max_width);
            return ZR_ELIMIT;
        }
        L->out_dim = (uint32_t)json_integer_value(u);
        const json_t *act = json_object_get(cfg, "activation");
        if (act && !json_is_null(act)) {
            if (!json_is_string(act) || act_parse(json_string_value(act), &L->act, &L->alpha) != 0) {
                zr__nn_errf(p->err, p->err_cap, "layer %zu '%s' (Dense): unsupported activation %s", idx,
                            name, json_is_string(act) ? json_string_value(act) : "(not a string)");
                return ZR_EARCH;
            }
        }
        const json_t *ub = json_object_get(cfg, "use_bias");
        if (ub && !json_is_boolean(ub)) {
            zr__nn_errf(p->err, p->err_cap, "layer %zu '%s' (Dense): use_bias must be true or false", idx,
                        name);
            return ZR_EARCH;
        }
        L->use_bias = ub ? json_is_true(ub) : 1;
        L->params = (uint64_t)L->in_dim * L->out_dim + (L->use_bias ? L->out_dim : 0);
        L->flops = 2ull * L->in_dim * L->out_dim + (L->use_bias ? L->out_dim : 0) +
                   (L->act != ZR_NN_ACT_LINEAR ? L->out_dim : 0);
        p->cur_dim = L->out_dim;
    } else if (strcmp(cls, "Activation") == 0 || strcmp(cls, "LeakyReLU") == 0 ||
               strcmp(cls, "ELU") == 0 || strcmp(cls, "ReLU") == 0 || strcmp(cls, "Softmax") == 0) {
        L->kind = ZR_NN_LAYER_ACTIVATION;
        L->class_name = "Activation";
        if (strcmp(cls, "Activation") == 0) {
            const char *s = zr_json_str(cfg, "activation");
            if (!s || act_parse(s, &L->act, &L->alpha) != 0) {
                zr__nn_errf(p->err, p->err_cap, "layer %zu '%s' (Activation): unsupported activation %s",
                            idx, name, s ? s : "(missing)");
                return ZR_EARCH;
            }
        } else if (strcmp(cls, "LeakyReLU") == 0 || strcmp(cls, "ELU") == 0) {
            int leaky = cls[0] == 'L';
            L->class_name = leaky ? "LeakyReLU" : "ELU";
            L->act = leaky ? ZR_NN_ACT_LEAKY_RELU : ZR_NN_ACT_ELU;
            const json_t *al = json_object_get(cfg, leaky ? "negative_slope" : "alpha");
            if (!al && leaky)
                al = json_object_get(cfg, "alpha");
            L->alpha = leaky ? 0.3f : 1.0f;
            if (al && !json_is_null(al)) {
                if (!json_is_number(al) || !(json_number_value(al) > -1e6 && json_number_value(al) < 1e6)) {
                    zr__nn_errf(p->err, p->err_cap, "layer %zu '%s' (%s): alpha must be a finite number", idx,
                                name, cls);
                    return ZR_EARCH;
                }
                L->alpha = (float)json_number_value(al);
            }
        } else if (strcmp(cls, "ReLU") == 0) {
            L->class_name = "ReLU";
            const json_t *mv = json_object_get(cfg, "max_value");
            const json_t *ns = json_object_get(cfg, "negative_slope");
            const json_t *th = json_object_get(cfg, "threshold");
            if ((mv && !json_is_null(mv)) || (ns && json_number_value(ns) != 0) ||
                (th && json_number_value(th) != 0)) {
                zr__nn_errf(p->err, p->err_cap,
                            "layer %zu '%s' (ReLU): max_value, negative_slope and threshold are not supported",
                            idx, name);
                return ZR_EARCH;
            }
            L->act = ZR_NN_ACT_RELU;
        } else {
            L->class_name = "Softmax";
            const json_t *ax = json_object_get(cfg, "axis");
            if (ax && !(json_is_integer(ax) && (json_integer_value(ax) == -1 || json_integer_value(ax) == 1))) {
                zr__nn_errf(p->err, p->err_cap, "layer %zu '%s' (Softmax): only axis -1 is supported", idx,
                            name);
                return ZR_EARCH;
            }
            L->act = ZR_NN_ACT_SOFTMAX;
        }
        if (L->act == ZR_NN_ACT_SOFTMAX && p->cur_rank != 1) {
            zr__nn_errf(p->err, p->err_cap, "layer %zu '%s': softmax needs a flat input; add a Flatten first",
                        idx, name);
            return ZR_EARCH;
        }
        L->flops = L->act != ZR_NN_ACT_LINEAR ? L->out_dim : 0;
    } else if (strcmp(cls, "Dropout") == 0) {
        L->kind = ZR_NN_LAYER_DROPOUT;
        L->class_name = "Dropout";
        const json_t *r = json_object_get(cfg, "rate");
        if (!json_is_number(r) || !(json_number_value(r) >= 0 && json_number_value(r) < 1)) {
            zr__nn_errf(p->err, p->err_cap, "layer %zu '%s' (Dropout): rate must be a number in [0, 1)", idx,
                        name);
            return ZR_EARCH;
        }
        const json_t *ns = json_object_get(cfg, "noise_shape");
        if (ns && !json_is_null(ns)) {
            zr__nn_errf(p->err, p->err_cap, "layer %zu '%s' (Dropout): noise_shape is not supported", idx, name);
            return ZR_EARCH;
        }
    } else if (strcmp(cls, "Flatten") == 0) {
        L->kind = ZR_NN_LAYER_FLATTEN;
        L->class_name = "Flatten";
        const char *df = zr_json_str(cfg, "data_format");
        if (df && strcmp(df, "channels_last") != 0) {
            zr__nn_errf(p->err, p->err_cap, "layer %zu '%s' (Flatten): only channels_last is supported", idx,
                        name);
            return ZR_EARCH;
        }
        p->cur_rank = 1;
    } else {
        zr__nn_errf(p->err, p->err_cap,
                    "layer %zu '%s' (%s): layer type not supported (Dense, Activation, Dropout, Flatten, "
                    "InputLayer)",
                    idx, name, cls);
        return ZR_EARCH;
    }
    a->params += L->params;
    a->flops += L->flops;
    if (a->params > p->lim->max_params) {
        zr__nn_errf(p->err, p->err_cap, "layer %zu '%s': the model's %llu parameters exceed the limit %llu",
                    idx, name, (unsigned long long)a->params, (unsigned long long)p->lim->max_params);
        return ZR_ELIMIT;
    }
    if (L->out_dim > a->max_dim)
        a->max_dim = L->out_dim;
    return 0;
}

int zr_nn_arch_parse(zr_nn_arch_t **out, const char *json, size_t len, const zr_nn_limits_t *lim_in,
                     char *err, size_t err_cap)
{
    *out = NULL;
    zr_nn_limits_t lim;
    if (lim_in)
        lim = *lim_in;
    else
        zr_nn_limits_default(&lim);
    if (lim.max_params == 0 || lim.max_params > ZR_NN_HARD_MAX_PARAMS)
        lim.max_params = ZR_NN_HARD_MAX_PARAMS;
    if (lim.max_width == 0 || lim.max_width > ZR_NN_HARD_MAX_WIDTH)
        lim.max_width = ZR_NN_HARD_MAX_WIDTH;
    if (lim.max_depth == 0 || lim.max_depth > ZR_NN_HARD_MAX_DEPTH)
        lim.max_depth = ZR_NN_HARD_MAX_DEPTH;
    json_t *root = NULL;
    zr_nn_arch_t *a = NULL;
    char jerr[160];
    int rc = zr_json_parse(json, len, ZR_NN_MAX_ARCH_JSON, &root, jerr, sizeof jerr);
    if (rc) {
        zr__nn_errf(err, err_cap, "architecture: %s", jerr);
        goto fail;
    }
    const json_t *model = root;
    const json_t *topo = json_object_get(root, "modelTopology"); /* TF.js model.json */
    if (topo) {
        model = topo;
        const json_t *mc = json_object_get(topo, "model_config");
        if (mc)
            model = mc;
    }
    const char *cls = zr_json_str(model, "class_name");
    if (!cls || strcmp(cls, "Sequential") != 0) {
        zr__nn_errf(err, err_cap, "architecture: the model's class_name is %s; only Sequential is supported",
                    cls ? cls : "missing");
        rc = ZR_EARCH;
        goto fail;
    }
    const json_t *cfg = json_object_get(model, "config");
    const json_t *layers = json_is_array(cfg) ? cfg : json_object_get(cfg, "layers");
    if (!json_is_array(layers) || json_array_size(layers) == 0) {
        zr__nn_errf(err, err_cap, "architecture: config.layers must be a non-empty array");
        rc = ZR_EARCH;
        goto fail;
    }
    if (json_array_size(layers) > lim.max_depth) {
        zr__nn_errf(err, err_cap, "architecture: %zu layers exceed the depth limit %u", json_array_size(layers),
                    lim.max_depth);
        rc = ZR_ELIMIT;
        goto fail;
    }
    a = calloc(1, sizeof *a);
    if (!a || !(a->layers = calloc(json_array_size(layers), sizeof *a->layers))) {
        rc = ZR_ENOMEM;
        goto fail;
    }
    const char *mname = json_is_object(cfg) ? zr_json_str(cfg, "name") : NULL;
    a->name = strdup(mname ? mname : "sequential");
    if (!a->name) {
        rc = ZR_ENOMEM;
        goto fail;
    }
    parse_ctx_t p = {.a = a, .lim = &lim, .err = err, .err_cap = err_cap};
    for (size_t i = 0; i < json_array_size(layers); i++)
        if ((rc = parse_layer(&p, i, json_array_get(layers, i))) != 0)
            goto fail;
    if (a->in_dim > a->max_dim)
        a->max_dim = a->in_dim;
    const zr__nn_layer_t *last = &a->layers[a->n - 1];
    if (p.cur_rank != 1) {
        zr__nn_errf(err, err_cap, "architecture: the output has rank %u; end with a Flatten or Dense layer",
                    p.cur_rank);
        rc = ZR_EARCH;
        goto fail;
    }
    a->out_dim = last->out_dim;
    size_t off = 0;
    for (size_t i = 0; i < a->n; i++) {
        zr__nn_layer_t *L = &a->layers[i];
        if (L->kind != ZR_NN_LAYER_DENSE)
            continue;
        L->kernel_off = off;
        off += (size_t)L->in_dim * L->out_dim;
        L->bias_off = off;
        off += L->use_bias ? L->out_dim : 0;
    }
    json_decref(root);
    *out = a;
    return 0;
fail:
    json_decref(root);
    zr_nn_arch_free(a);
    return rc;
}

void zr_nn_arch_free(zr_nn_arch_t *a)
{
    if (!a)
        return;
    if (a->layers)
        for (size_t i = 0; i < a->n; i++)
            free(a->layers[i].name);
    free(a->layers);
    free(a->name);
    free(a);
}

size_t zr_nn_arch_layer_count(const zr_nn_arch_t *a)
{
    return a->n;
}

void zr_nn_arch_layer(const zr_nn_arch_t *a, size_t i, zr_nn_layer_info_t *out)
{
    const zr__nn_layer_t *L = &a->layers[i];
    out->kind = L->kind;
    out->class_name = L->class_name;
    out->name = L->name;
    out->in_dim = L->in_dim;
    out->out_dim = L->out_dim;
    out->act = L->act;
    out->alpha = L->alpha;
    out->use_bias = L->use_bias;
    out->params = L->params;
    out->flops = L->flops;
}

uint32_t zr_nn_arch_input_dim(const zr_nn_arch_t *a)
{
    return a->in_dim;
}

uint32_t zr_nn_arch_output_dim(const zr_nn_arch_t *a)
{
    return a->out_dim;
}

size_t zr_nn_arch_input_shape(const zr_nn_arch_t *a, const uint32_t **shape)
{
    *shape = a->in_shape;
    return a->in_rank;
}

uint64_t zr_nn_arch_param_count(const zr_nn_arch_t *a)
{
    return a->params;
}

uint64_t zr_nn_arch_flops(const zr_nn_arch_t *a)
{
    return a->flops;
}

const char *zr_nn_arch_name(const zr_nn_arch_t *a)
{
    return a->name;
}
