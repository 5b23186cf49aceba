// SPDX-License-Identifier: MIT
// `zara eval`: evaluates parameters (and optionally an incumbent) with a task's script on a
// chosen or random seed and prints the result exactly as operators would sign it.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "zara/eval.h"

const char zr_cli_summary_eval[] = "evaluate a model with a task's script on a seed (as operators do)";

static void usage(void)
{
    printf("usage: zara eval --arch A --params P --eval E [--incumbent P0]\n"
           "                 [--seed HEX | --random] [--json] [--verbose]\n"
           "                 [--budget UNITS] [--mem-mb MB] [--timeout-ms MS] [--threads T]\n\n"
           "Runs the evaluation script E (Lua, in the deterministic sandbox) against the model\n"
           "with architecture A (Keras Sequential JSON) and parameters P (safetensors), then\n"
           "against the incumbent P0 when given, each with a fresh rng from the same 32-byte\n"
           "seed (random unless --seed is given), and prints the status, both scores, their\n"
           "wad encodings and the outputsDigest. --verbose shows the script's print() output\n"
           "on stderr. Exit status 0 when the status is OK, 1 otherwise.\n");
}

static void print_line(void *ud, const char *line)
{
    (void)ud;
    fprintf(stderr, "script: %s\n", line);
}

static int read_file(const char *what, const char *path, size_t max, zr_buf_t *b)
{
    int rc = zr_file_read(path, max, b);
    if (rc)
        return zr_cli_fail("cannot read %s %s: %s", what, path, zr_strerror(rc));
    return 0;
}

int zr_cli_main_eval(int argc, char **argv)
{
    const char *arch = NULL, *params = NULL, *script = NULL, *inc = NULL, *seed_hex = NULL;
    int json = 0, verbose = 0, random_seed = 0;
    zr_eval_limits_t lim;
    zr_eval_limits_default(&lim);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        uint64_t n;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage();
            return 0;
        } else if (!strcmp(a, "--json")) {
            json = 1;
        } else if (!strcmp(a, "--verbose")) {
            verbose = 1;
        } else if (!strcmp(a, "--random")) {
            random_seed = 1;
        } else if (!v) {
            return zr_cli_usage_error("eval", "unknown option or missing value: %s", a);
        } else if (!strcmp(a, "--arch")) {
            arch = v, i++;
        } else if (!strcmp(a, "--params")) {
            params = v, i++;
        } else if (!strcmp(a, "--eval")) {
            script = v, i++;
        } else if (!strcmp(a, "--incumbent")) {
            inc = v, i++;
        } else if (!strcmp(a, "--seed")) {
            seed_hex = v, i++;
        } else if (!strcmp(a, "--budget") && zr_cli_parse_u64(v, &n) == 0 && n > 0) {
            lim.budget = n, i++;
        } else if (!strcmp(a, "--mem-mb") && zr_cli_parse_u64(v, &n) == 0 && n > 0 && n <= 65536) {
            lim.mem_cap = (size_t)n << 20, i++;
        } else if (!strcmp(a, "--timeout-ms") && zr_cli_parse_u64(v, &n) == 0 && n <= 86400000) {
            lim.wall_ms = (uint32_t)n, i++;
        } else if (!strcmp(a, "--threads") && zr_cli_parse_u64(v, &n) == 0 && n >= 1 && n <= 256) {
            lim.threads = (uint32_t)n, i++;
        } else {
            return zr_cli_usage_error("eval", "unknown option or bad value: %s", a);
        }
    }
    if (!arch || !params || !script)
        return zr_cli_usage_error("eval", "--arch, --params and --eval are required");
    if (seed_hex && random_seed)
        return zr_cli_usage_error("eval", "--seed and --random exclude each other");

    zr_eval_input_t in;
    memset(&in, 0, sizeof in);
    if (seed_hex) {
        if (zr_hex_decode_exact(in.seed, 32, seed_hex) != 0)
            return zr_cli_usage_error("eval", "--seed must be 32 bytes of hex (64 digits)");
    } else {
        int rc = zr_random_bytes(in.seed, 32);
        if (rc)
            return zr_cli_fail("cannot draw a random seed: %s", zr_strerror(rc));
    }

    zr_buf_t ab, pb, ib, sb;
    zr_buf_init(&ab, ZR_NN_MAX_ARCH_JSON);
    zr_buf_init(&pb, (size_t)2 << 30);
    zr_buf_init(&ib, (size_t)2 << 30);
    zr_buf_init(&sb, lim.script_max);
    int ret = ZR_CLI_FAIL;
    if (read_file("architecture", arch, ab.max, &ab) || read_file("parameters", params, pb.max, &pb) ||
        read_file("evaluation script", script, sb.max, &sb) ||
        (inc && read_file("incumbent parameters", inc, ib.max, &ib)))
        goto done;
    in.arch_json = (const char *)ab.data;
    in.arch_len = ab.len;
    in.params = pb.data;
    in.params_len = pb.len;
    in.script = (const char *)sb.data;
    in.script_len = sb.len;
    if (inc) {
        in.incumbent = ib.data;
        in.incumbent_len = ib.len;
    }
    zr_eval_result_t res;
    int rc = zr_eval_run(&res, &in, &lim, verbose ? print_line : NULL, NULL);
    if (rc) {
        zr_cli_fail("evaluation failed on this machine: %s", zr_strerror(rc));
        goto done;
    }
    char seed[67] = "0x", dg[67] = "0x";
    zr_hex_encode(seed + 2, in.seed, 32);
    zr_hex_encode(dg + 2, res.outputs_digest, 32);
    if (json) {
        json_t *j = zr_eval_result_json(&res);
        json_object_set_new(j, "seed", json_string(seed));
        zr_cli_print_json(j);
    } else {
        json_t *j = zr_eval_result_json(&res);
        printf("status            %s\n", zr_eval_status_name(res.status));
        if (res.status != ZR_EVAL_OK)
            printf("reason            %s\n", res.reason);
        printf("seed              %s\n", seed);
        printf("challenger score  %.17g\n", res.challenger_score);
        printf("challenger wad    %s\n", json_string_value(json_object_get(j, "challenger_score_wad")));
        if (inc) {
            printf("incumbent score   %.17g\n", res.incumbent_score);
            printf("incumbent wad     %s\n", json_string_value(json_object_get(j, "incumbent_score_wad")));
            printf("improvement       %.17g\n", res.challenger_score - res.incumbent_score);
        }
        printf("outputs digest    %s\n", dg);
        printf("forward calls     %u, work units %llu, peak memory %zu KiB\n", res.forward_calls,
               (unsigned long long)res.challenger_work, res.challenger_mem_peak >> 10);
        json_decref(j);
    }
    if (res.status == ZR_EVAL_OK) {
        ret = ZR_CLI_OK;
    } else {
        zr_cli_fail("%s: %s", zr_eval_status_name(res.status), res.reason);
        ret = ZR_CLI_FAIL;
    }
done:
    zr_buf_cleanup(&ab);
    zr_buf_cleanup(&pb);
    zr_buf_cleanup(&ib);
    zr_buf_cleanup(&sb);
    return ret;
}
