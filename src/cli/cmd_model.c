// SPDX-License-Identifier: MIT
// `zara model inspect|init|import`: show an architecture (layers, shapes, parameter count,
// FLOPs per sample), create fresh parameters from a seed, and convert the prototype's JSON
// weight lists or TF.js weightsManifest shards to safetensors.
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "zara/nn.h"

const char zr_cli_summary_model[] = "inspect an architecture, init parameters from a seed, import weights";

#define MAX_FILE ((size_t)1 << 30)

static void usage(FILE *f)
{
    fprintf(f, "usage: zara model inspect ARCH.json [--params P.safetensors] [--json]\n"
               "       zara model init ARCH.json --seed N --out P.safetensors\n"
               "       zara model import --arch ARCH.json --weight-list W.json --out P.safetensors\n"
               "       zara model import [--arch ARCH.json] --tfjs MODEL.json --out P.safetensors\n\n"
               "inspect  prints every layer with its output shape, parameters and FLOPs per sample;\n"
               "         with --params also checks the parameters against the architecture.\n"
               "init     writes Glorot/He-uniform kernels and zero biases from the 64-bit seed N\n"
               "         (the same seed gives the same bytes on every machine).\n"
               "import   converts the prototype's weight list ([{\"tensor\",\"shape\",\"dtype\"}] in\n"
               "         Keras get_weights() order) or a TF.js model.json with its shards (read\n"
               "         from the model.json's directory) to safetensors. Without --arch, a TF.js\n"
               "         model.json supplies its own modelTopology.\n");
}

static int load_arch(const char *path, zr_nn_arch_t **a)
{
    zr_buf_t b;
    zr_buf_init(&b, ZR_NN_MAX_ARCH_JSON);
    int rc = zr_file_read(path, b.max, &b);
    if (rc) {
        zr_buf_cleanup(&b);
        return zr_cli_fail("cannot read %s: %s", path, zr_strerror(rc));
    }
    char err[512];
    rc = zr_nn_arch_parse(a, (const char *)b.data, b.len, NULL, err, sizeof err);
    zr_buf_cleanup(&b);
    if (rc)
        return zr_cli_fail("%s: %s", path, err);
    return 0;
}

static int cmd_inspect(int argc, char **argv)
{
    const char *arch = NULL, *params = NULL;
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (strcmp(argv[i], "--params") == 0 && i + 1 < argc)
            params = argv[++i];
        else if (argv[i][0] != '-' && !arch)
            arch = argv[i];
        else
            return zr_cli_usage_error("model inspect", "unexpected argument %s", argv[i]);
    }
    if (!arch)
        return zr_cli_usage_error("model inspect", "missing ARCH.json");
    zr_nn_arch_t *a = NULL;
    if (load_arch(arch, &a))
        return ZR_CLI_FAIL;
    int rc = 0;
    if (params) {
        zr_buf_t b;
        zr_buf_init(&b, MAX_FILE);
        char err[512];
        zr_nn_params_t *p = NULL;
        rc = zr_file_read(params, b.max, &b);
        if (rc)
            rc = zr_cli_fail("cannot read %s: %s", params, zr_strerror(rc));
        else if ((rc = zr_nn_params_load(&p, a, b.data, b.len, err, sizeof err)) != 0)
            rc = zr_cli_fail("%s: %s", params, err);
        zr_nn_params_free(p);
        zr_buf_cleanup(&b);
        if (rc) {
            zr_nn_arch_free(a);
            return rc;
        }
    }
    const uint32_t *shape;
    size_t rank = zr_nn_arch_input_shape(a, &shape);
    if (json) {
        json_t *o = json_object(), *layers = json_array(), *ish = json_array();
        for (size_t i = 0; i < rank; i++)
            json_array_append_new(ish, json_integer(shape[i]));
        json_object_set_new(o, "name", json_string(zr_nn_arch_name(a)));
        json_object_set_new(o, "input_shape", ish);
        json_object_set_new(o, "input_dim", json_integer(zr_nn_arch_input_dim(a)));
        json_object_set_new(o, "output_dim", json_integer(zr_nn_arch_output_dim(a)));
        json_object_set_new(o, "params", json_integer((json_int_t)zr_nn_arch_param_count(a)));
        json_object_set_new(o, "flops_per_sample", json_integer((json_int_t)zr_nn_arch_flops(a)));
        for (size_t i = 0; i < zr_nn_arch_layer_count(a); i++) {
            zr_nn_layer_info_t li;
            zr_nn_arch_layer(a, i, &li);
            json_t *l = json_pack("{ss ss si si sI sI}", "name", li.name, "class_name", li.class_name, "input_dim",
                                  (int)li.in_dim, "output_dim", (int)li.out_dim, "params", (json_int_t)li.params,
                                  "flops", (json_int_t)li.flops);
            if (li.kind == ZR_NN_LAYER_DENSE || li.kind == ZR_NN_LAYER_ACTIVATION)
                json_object_set_new(l, "activation", json_string(zr_nn_act_name(li.act)));
            if (li.kind == ZR_NN_LAYER_DENSE)
                json_object_set_new(l, "use_bias", json_boolean(li.use_bias));
            json_array_append_new(layers, l);
        }
        json_object_set_new(o, "layers", layers);
        if (params)
            json_object_set_new(o, "params_ok", json_true());
        zr_cli_print_json(o);
    } else {
        printf("model %s: input [", zr_nn_arch_name(a));
        for (size_t i = 0; i < rank; i++)
            printf("%s%u", i ? ", " : "", shape[i]);
        printf("] -> output [%u]\n", zr_nn_arch_output_dim(a));
        printf("  %-3s %-24s %-12s %-12s %12s %14s\n", "#", "layer", "class", "activation", "output", "params");
        for (size_t i = 0; i < zr_nn_arch_layer_count(a); i++) {
            zr_nn_layer_info_t li;
            zr_nn_arch_layer(a, i, &li);
            char outs[32];
            snprintf(outs, sizeof outs, "[%u]", li.out_dim);
            printf("  %-3zu %-24s %-12s %-12s %12s %14llu\n", i, li.name, li.class_name,
                   li.kind == ZR_NN_LAYER_DENSE || li.kind == ZR_NN_LAYER_ACTIVATION ? zr_nn_act_name(li.act) : "-",
                   outs, (unsigned long long)li.params);
        }
        printf("parameters: %llu\nFLOPs per sample: %llu\n", (unsigned long long)zr_nn_arch_param_count(a),
               (unsigned long long)zr_nn_arch_flops(a));
        if (params)
            printf("parameters %s match the architecture\n", params);
    }
    zr_nn_arch_free(a);
    return 0;
}

static int write_out(const char *path, zr_buf_t *b)
{
    int rc = zr_file_write_atomic(path, b->data, b->len, 0644);
    if (rc)
        return zr_cli_fail("cannot write %s: %s", path, zr_strerror(rc));
    return 0;
}

static int cmd_init(int argc, char **argv)
{
    const char *arch = NULL, *out = NULL, *seed_s = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
            seed_s = argv[++i];
        else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            out = argv[++i];
        else if (argv[i][0] != '-' && !arch)
            arch = argv[i];
        else
            return zr_cli_usage_error("model init", "unexpected argument %s", argv[i]);
    }
    if (!arch || !out || !seed_s)
        return zr_cli_usage_error("model init", "ARCH.json, --seed and --out are required");
    char *end;
    unsigned long long seed = strtoull(seed_s, &end, 0);
    if (!*seed_s || *end || seed_s[0] == '-')
        return zr_cli_usage_error("model init", "--seed must be a non-negative 64-bit integer");
    zr_nn_arch_t *a = NULL;
    if (load_arch(arch, &a))
        return ZR_CLI_FAIL;
    zr_nn_params_t *p = NULL;
    zr_buf_t b;
    zr_buf_init(&b, MAX_FILE);
    int rc = zr_nn_params_init(&p, a, seed);
    if (rc == 0)
        rc = zr_nn_params_save(p, &b);
    rc = rc ? zr_cli_fail("cannot create parameters: %s", zr_strerror(rc)) : write_out(out, &b);
    if (rc == 0)
        fprintf(stderr, "wrote %s (%llu parameters, seed %llu)\n", out,
                (unsigned long long)zr_nn_arch_param_count(a), seed);
    zr_buf_cleanup(&b);
    zr_nn_params_free(p);
    zr_nn_arch_free(a);
    return rc;
}

static int cmd_import(int argc, char **argv)
{
    const char *arch = NULL, *out = NULL, *wl = NULL, *tfjs = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--arch") == 0 && i + 1 < argc)
            arch = argv[++i];
        else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            out = argv[++i];
        else if (strcmp(argv[i], "--weight-list") == 0 && i + 1 < argc)
            wl = argv[++i];
        else if (strcmp(argv[i], "--tfjs") == 0 && i + 1 < argc)
            tfjs = argv[++i];
        else
            return zr_cli_usage_error("model import", "unexpected argument %s", argv[i]);
    }
    if (!out || (!wl == !tfjs))
        return zr_cli_usage_error("model import", "--out and exactly one of --weight-list or --tfjs are required");
    if (wl && !arch)
        return zr_cli_usage_error("model import", "--weight-list needs --arch");
    const char *src = wl ? wl : tfjs;
    zr_nn_arch_t *a = NULL;
    zr_buf_t in, b;
    zr_buf_init(&in, MAX_FILE);
    zr_buf_init(&b, MAX_FILE);
    char err[512];
    int rc = zr_file_read(src, in.max, &in);
    if (rc) {
        rc = zr_cli_fail("cannot read %s: %s", src, zr_strerror(rc));
        goto done;
    }
    if (arch) {
        if (load_arch(arch, &a)) {
            rc = ZR_CLI_FAIL;
            goto done;
        }
    } else if ((rc = zr_nn_arch_parse(&a, (const char *)in.data, in.len, NULL, err, sizeof err)) != 0) {
        rc = zr_cli_fail("%s: %s", src, err);
        goto done;
    }
    if (wl) {
        rc = zr_nn_import_weight_list(&b, a, (const char *)in.data, in.len, err, sizeof err);
    } else {
        char *dup = strdup(tfjs);
        rc = dup ? zr_nn_import_tfjs(&b, a, (const char *)in.data, in.len, dirname(dup), err, sizeof err)
                 : ZR_ENOMEM;
        free(dup);
    }
    if (rc) {
        rc = zr_cli_fail("%s: %s", src, err);
        goto done;
    }
    if ((rc = write_out(out, &b)) == 0)
        fprintf(stderr, "wrote %s (%llu parameters)\n", out, (unsigned long long)zr_nn_arch_param_count(a));
done:
    zr_nn_arch_free(a);
    zr_buf_cleanup(&in);
    zr_buf_cleanup(&b);
    return rc;
}

int zr_cli_main_model(int argc, char **argv)
{
    if (argc < 2 || zr_cli_help_asked(argc, argv)) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? ZR_CLI_USAGE : 0;
    }
    if (strcmp(argv[1], "inspect") == 0)
        return cmd_inspect(argc - 1, argv + 1);
    if (strcmp(argv[1], "init") == 0)
        return cmd_init(argc - 1, argv + 1);
    if (strcmp(argv[1], "import") == 0)
        return cmd_import(argc - 1, argv + 1);
    return zr_cli_usage_error("model", "unknown sub-command %s (inspect, init, import)", argv[1]);
}
