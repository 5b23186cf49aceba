// SPDX-License-Identifier: MIT
// libFuzzer target: arbitrary text loaded as an evaluation script in the sandbox with a tiny
// budget and memory cap — the `^` scan, compilation and the top level (zr_eval_script_check),
// then a whole evaluation against a small built-in model so evaluate(), model:forward and
// the rng are reached too. Every input must end in a result or an error code, never a
// crash, a leak or a hang.
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "zara/eval.h"

static const char ARCH[] =
    "{\"class_name\":\"Sequential\",\"config\":{\"name\":\"fuzz\",\"layers\":["
    "{\"class_name\":\"InputLayer\",\"config\":{\"batch_input_shape\":[null,2],\"name\":\"in\"}},"
    "{\"class_name\":\"Dense\",\"config\":{\"name\":\"h\",\"units\":4,\"activation\":\"tanh\",\"use_bias\":true}},"
    "{\"class_name\":\"Dense\",\"config\":{\"name\":\"out\",\"units\":2,\"activation\":\"softmax\",\"use_bias\":true}}]}}";

static zr_buf_t g_params;
static int g_ready;

static void setup(void)
{
    zr_nn_arch_t *a = NULL;
    zr_nn_params_t *p = NULL;
    char err[256];
    zr_buf_init(&g_params, 1 << 20);
    if (zr_nn_arch_parse(&a, ARCH, sizeof ARCH - 1, NULL, err, sizeof err) == 0 &&
        zr_nn_params_init(&p, a, 7) == 0 && zr_nn_params_save(p, &g_params) == 0)
        g_ready = 1;
    zr_nn_params_free(p);
    zr_nn_arch_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!g_ready)
        setup();
    zr_eval_limits_t lim;
    zr_eval_limits_default(&lim);
    lim.budget = 200000;
    lim.mem_cap = 8u << 20;
    lim.wall_ms = 2000;
    lim.script_max = 64u << 10;
    char err[256];
    if (zr_eval_script_check((const char *)data, size, &lim, err, sizeof err) != 0 || !g_ready)
        return 0;
    zr_eval_input_t in;
    memset(&in, 0, sizeof in);
    in.arch_json = ARCH;
    in.arch_len = sizeof ARCH - 1;
    in.params = g_params.data;
    in.params_len = g_params.len;
    in.incumbent = g_params.data;
    in.incumbent_len = g_params.len;
    in.script = (const char *)data;
    in.script_len = size;
    in.seed[0] = 1;
    zr_eval_result_t res;
    (void)zr_eval_run(&res, &in, &lim, NULL, NULL);
    return 0;
}
