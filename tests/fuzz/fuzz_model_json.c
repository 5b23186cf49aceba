// SPDX-License-Identifier: MIT
// libFuzzer target for the architecture parser: any bytes are parsed with small limits; a
// model that parses is initialised from a seed, built and run on one sample, so every
// accepted architecture must also be executable.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zara/nn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    zr_nn_limits_t lim = {.max_params = 20000, .max_width = 512, .max_depth = 16};
    zr_nn_arch_t *a = NULL;
    if (zr_nn_arch_parse(&a, (const char *)data, size, &lim, err, sizeof err) != 0)
        return 0;
    if (zr_nn_arch_param_count(a) > lim.max_params || zr_nn_arch_input_dim(a) > lim.max_width ||
        zr_nn_arch_layer_count(a) > lim.max_depth)
        abort();
    zr_nn_params_t *p = NULL;
    zr_nn_model_t *m = NULL;
    float *in = NULL, *out = NULL;
    if (zr_nn_params_init(&p, a, 1) != 0)
        goto done;
    zr_nn_model_opts_t o = {.max_batch = 4};
    if (zr_nn_model_new(&m, a, p, &o, err, sizeof err) != 0)
        abort();
    in = calloc(zr_nn_arch_input_dim(a) * 2 + 1, sizeof(float));
    out = calloc(zr_nn_arch_output_dim(a) * 2 + 1, sizeof(float));
    if (!in || !out || zr_nn_model_forward(m, in, 2, out) != 0)
        abort();
done:
    free(in);
    free(out);
    zr_nn_model_free(m);
    zr_nn_params_free(p);
    zr_nn_arch_free(a);
    return 0;
}
