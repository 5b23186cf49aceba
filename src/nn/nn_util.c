// SPDX-License-Identifier: MIT
// Small helpers shared by the nn sources that do not touch JSON: error messages, the
// default limits and activation names.
#include <stdarg.h>
#include <stdio.h>

#include "nn_int.h"

void zr__nn_errf(char *err, size_t cap, const char *fmt, ...)
{
    if (!err || !cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, cap, fmt, ap);
    va_end(ap);
}

void zr_nn_limits_default(zr_nn_limits_t *l)
{
    l->max_params = ZR_NN_DEFAULT_MAX_PARAMS;
    l->max_width = ZR_NN_DEFAULT_MAX_WIDTH;
    l->max_depth = ZR_NN_DEFAULT_MAX_DEPTH;
}

static const char *const act_names[] = {"linear", "relu", "leaky_relu", "elu", "tanh",
                                        "sigmoid", "softplus", "softmax", "gelu"};

const char *zr_nn_act_name(zr_nn_act_t act)
{
    return (unsigned)act < ZR_ARRAY_LEN(act_names) ? act_names[act] : "?";
}
