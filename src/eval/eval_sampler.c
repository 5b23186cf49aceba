// SPDX-License-Identifier: MIT
// Training data for `zara train`: the script's sample(rng, n) called in one long-lived
// sandbox whose rng continues from call to call, so a training run is a pure function of
// (script, seed, batch sizes). Each call has its own budget.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval_int.h"

struct zr_eval_sampler {
    zr__sbx_t s;
    zr_eval_limits_t lim;
    int rng_ref;
};

int zr_eval_sampler_new(zr_eval_sampler_t **out, const char *script, size_t len, const uint8_t seed[32],
                        const zr_eval_limits_t *lim, zr_nn_loss_t *loss, zr_eval_train_hints_t *hints,
                        char *err, size_t err_cap)
{
    *out = NULL;
    zr_eval_sampler_t *sp = calloc(1, sizeof *sp);
    if (!sp)
        return ZR_ENOMEM;
    if (lim)
        sp->lim = *lim;
    else
        zr_eval_limits_default(&sp->lim);
    int rc;
    if (len > sp->lim.script_max) {
        snprintf(err, err_cap, "the script has %zu bytes, over the limit of %zu", len, sp->lim.script_max);
        rc = ZR_ETOOBIG;
        goto fail;
    }
    rc = zr__sbx_open(&sp->s, &sp->lim);
    if (rc) {
        snprintf(err, err_cap, "cannot create the sandbox within the memory cap");
        goto fail;
    }
    lua_State *L = sp->s.L;
    rc = zr__sbx_load(&sp->s, script, len, err, err_cap);
    if (rc)
        goto fail;
    zr__sbx_host(&sp->s, 1); /* until the end: the host reads the script's globals */
    if (zr__sbx_rawglobal(L, "sample") != LUA_TFUNCTION) {
        lua_pop(L, 1);
        snprintf(err, err_cap, "the script defines no function sample(rng, n)");
        rc = ZR_ENOSAMPLE;
        goto fail;
    }
    lua_pop(L, 1);
    *loss = ZR_NN_LOSS_MSE;
    int t = zr__sbx_rawglobal(L, "loss");
    if (t == LUA_TSTRING) {
        const char *l = lua_tostring(L, -1);
        if (strcmp(l, "cross_entropy") == 0) {
            *loss = ZR_NN_LOSS_CROSS_ENTROPY;
        } else if (strcmp(l, "mse") != 0) {
            snprintf(err, err_cap, "the script's loss is \"%s\": use \"mse\" or \"cross_entropy\"", l);
            rc = ZR_ESCRIPT;
            goto fail;
        }
    } else if (t != LUA_TNIL) {
        snprintf(err, err_cap, "the script's global loss must be a string");
        rc = ZR_ESCRIPT;
        goto fail;
    }
    lua_pop(L, 1);
    if (hints) {
        memset(hints, 0, sizeof *hints);
        t = zr__sbx_rawglobal(L, "train");
        if (t == LUA_TTABLE) {
            static const char *const keys[] = {"lr", "steps", "batch"};
            for (int i = 0; i < 3; i++) {
                lua_pushstring(L, keys[i]);
                int kt = lua_rawget(L, -2);
                int isnum;
                double v = lua_tonumberx(L, -1, &isnum);
                lua_pop(L, 1);
                if (kt == LUA_TNIL)
                    continue;
                if (!isnum || kt != LUA_TNUMBER || !(v > 0) || v > 1e12 || (i > 0 && v != (double)(uint64_t)v)) {
                    snprintf(err, err_cap, "the script's train.%s must be a positive %s", keys[i],
                             i ? "integer" : "number");
                    rc = ZR_ESCRIPT;
                    goto fail;
                }
                if (i == 0)
                    hints->lr = v;
                else if (i == 1)
                    hints->steps = (uint64_t)v;
                else
                    hints->batch = (uint64_t)v;
            }
        } else if (t != LUA_TNIL) {
            snprintf(err, err_cap, "the script's global train must be a table");
            rc = ZR_ESCRIPT;
            goto fail;
        }
        lua_pop(L, 1);
    }
    sp->s.budget = UINT64_MAX;
    zr__rng_push(L, seed);
    sp->rng_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    zr__sbx_host(&sp->s, 0);
    *out = sp;
    return 0;
fail:
    zr_eval_sampler_free(sp);
    return rc;
}

void zr_eval_sampler_free(zr_eval_sampler_t *sp)
{
    if (!sp)
        return;
    zr__sbx_close(&sp->s);
    free(sp);
}

static int copy_rows(lua_State *L, int idx, size_t n, float *dst, size_t dim, const char *what, char *err,
                     size_t err_cap)
{
    zr__tensor_t *t = zr__tensor_test(L, idx);
    if (!t) {
        snprintf(err, err_cap, "sample() must return two tensors; %s is a %s", what, luaL_typename(L, idx));
        return ZR_ESCRIPT;
    }
    if ((size_t)t->shape[0] != n || (size_t)t->n != n * dim) {
        snprintf(err, err_cap, "sample(rng, %zu) returned %s with %lld rows and %lld values; expected %zu "
                               "rows of %zu",
                 n, what, (long long)t->shape[0], (long long)t->n, n, dim);
        return ZR_ESCRIPT;
    }
    memcpy(dst, t->data, n * dim * sizeof(float));
    return 0;
}

int zr_eval_sampler_next(zr_eval_sampler_t *sp, size_t n, float *in, size_t in_dim, float *tgt,
                         size_t out_dim, char *err, size_t err_cap)
{
    lua_State *L = sp->s.L;
    int rc = zr_nn_fpenv_enter();
    if (rc) {
        snprintf(err, err_cap, "%s", zr_strerror(rc));
        return rc;
    }
    zr__sbx_rearm(&sp->s, &sp->lim);
    lua_settop(L, 0);
    zr__sbx_host(&sp->s, 1);
    zr__sbx_rawglobal(L, "sample");
    lua_rawgeti(L, LUA_REGISTRYINDEX, sp->rng_ref);
    lua_pushinteger(L, (lua_Integer)n);
    zr__sbx_host(&sp->s, 0);
    rc = zr__sbx_call(&sp->s, 2, 2, err, err_cap);
    if (rc)
        return rc;
    rc = copy_rows(L, 1, n, in, in_dim, "the inputs", err, err_cap);
    if (!rc)
        rc = copy_rows(L, 2, n, tgt, out_dim, "the targets", err, err_cap);
    lua_settop(L, 0);
    return rc;
}
