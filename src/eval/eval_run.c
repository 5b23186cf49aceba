// SPDX-License-Identifier: MIT
// One evaluation as operators sign it: the `model` object scripts call (forward pass through
// the nn engine, outputs fed to the outputsDigest), running evaluate() for the challenger
// and the incumbent in fresh sandboxes on the same seed, the mapping of failures to
// OK / INVALID_MODEL / EVAL_ERROR, and the wad encoding of scores.
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "eval_int.h"

#define MODEL_MT "zara.model"

typedef struct model_ctx {
    zr_nn_model_t *m;
    uint32_t in_dim, out_dim;
    uint64_t flops;
    zr_nn_digest_t *digest; /* non-NULL for the challenger */
    uint32_t calls;
} model_ctx_t;

void zr_eval_limits_default(zr_eval_limits_t *l)
{
    memset(l, 0, sizeof *l);
    l->budget = ZR_EVAL_DEFAULT_BUDGET;
    l->mem_cap = ZR_EVAL_DEFAULT_MEM_CAP;
    l->wall_ms = ZR_EVAL_DEFAULT_WALL_MS;
    l->script_max = ZR_EVAL_DEFAULT_SCRIPT_MAX;
    l->params_max = ZR_EVAL_DEFAULT_PARAMS_MAX;
    l->threads = 1;
    zr_nn_limits_default(&l->nn);
}

/* ---- the model object ----------------------------------------------------------------------- */

static model_ctx_t *check_model(lua_State *L)
{
    return *(model_ctx_t **)luaL_checkudata(L, 1, MODEL_MT);
}

static int model_fault(lua_State *L, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int model_fault(lua_State *L, int code, const char *fmt, ...)
{
    zr__sbx_t *s = zr__sbx_get(L);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->model_msg, sizeof s->model_msg, fmt, ap);
    va_end(ap);
    s->model_fault = code;
    return luaL_error(L, "%s", s->model_msg);
}

/* model:forward(x): x is [n, ...] with input_dim values per row (or 1-D with input_dim
 * values: one sample); returns [n, output_dim] (or [output_dim]). */
static int mo_forward(lua_State *L)
{
    model_ctx_t *c = check_model(L);
    zr__tensor_t *x = zr__tensor_check(L, 2);
    int64_t batch;
    int one = x->ndim == 1 && x->n == (int64_t)c->in_dim;
    if (one) {
        batch = 1;
    } else {
        batch = x->shape[0];
        if (x->ndim < 2 || x->n != batch * (int64_t)c->in_dim)
            return luaL_error(L, "model:forward: the input must be [n, %d] (one row of %d values per "
                                 "sample); got %d values in %d rows",
                              (int)c->in_dim, (int)c->in_dim, (int)x->n, (int)x->shape[0]);
    }
    for (int64_t i = 0; i < x->n; i++)
        if (!isfinite(x->data[i]))
            return luaL_error(L, "model:forward: input value %d is not finite", (int)(i + 1));
    zr__sbx_charge(L, 1 + (uint64_t)batch * (c->flops / 4 + 1));
    int64_t shape[2] = {batch, c->out_dim};
    zr__tensor_t *y = one ? zr__tensor_push(L, 1, shape + 1) : zr__tensor_push(L, 2, shape);
    if (batch > 0) {
        int rc = zr_nn_model_forward(c->m, x->data, (size_t)batch, y->data);
        if (rc)
            return model_fault(L, rc, "the forward pass failed: %s", zr_strerror(rc));
    }
    for (int64_t i = 0; i < y->n; i++)
        if (!isfinite(y->data[i]))
            return model_fault(L, ZR_ENONFINITE,
                               "the model's output is not finite (sample %" PRId64 ", output %" PRId64
                               ") on finite inputs",
                               i / (int64_t)c->out_dim + 1, i % (int64_t)c->out_dim + 1);
    if (c->digest) {
        uint32_t dims[2];
        size_t nd = 0;
        for (int i = 0; i < y->ndim; i++)
            dims[nd++] = (uint32_t)y->shape[i];
        zr_nn_digest_tensor(c->digest, dims, nd, y->data);
    }
    c->calls++;
    return 1;
}

static int mo_input_size(lua_State *L)
{
    lua_pushinteger(L, check_model(L)->in_dim);
    return 1;
}

static int mo_output_size(lua_State *L)
{
    lua_pushinteger(L, check_model(L)->out_dim);
    return 1;
}

static int mo_tostring(lua_State *L)
{
    model_ctx_t *c = check_model(L);
    lua_pushfstring(L, "model(%d -> %d)", (int)c->in_dim, (int)c->out_dim);
    return 1;
}

static int model_open(lua_State *L)
{
    static const luaL_Reg methods[] = {{"forward", mo_forward},
                                       {"input_size", mo_input_size},
                                       {"output_size", mo_output_size},
                                       {NULL, NULL}};
    luaL_newmetatable(L, MODEL_MT);
    luaL_newlib(L, methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, mo_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushliteral(L, "model");
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);
    model_ctx_t *c = lua_touserdata(L, 1);
    model_ctx_t **u = lua_newuserdatauv(L, sizeof *u, 0);
    *u = c;
    luaL_setmetatable(L, MODEL_MT);
    return 1;
}

/* ---- one run ---------------------------------------------------------------------------------- */

typedef struct run_out {
    double score;
    uint64_t work;
    size_t mem_peak;
    int model_fault; /* the model (not the script) failed */
    char msg[256];
} run_out_t;

static void init_ctx(model_ctx_t *c, zr_nn_model_t *m, zr_nn_digest_t *digest)
{
    const zr_nn_arch_t *a = zr_nn_model_arch(m);
    c->m = m;
    c->in_dim = zr_nn_arch_input_dim(a);
    c->out_dim = zr_nn_arch_output_dim(a);
    c->flops = zr_nn_arch_flops(a);
    c->digest = digest;
    c->calls = 0;
}

/* Opens a sandbox, loads the script and, when c is given, calls evaluate(model, rng).
 * Returns 0 with out->score, or a code with out->msg. */
static int run_one(run_out_t *out, model_ctx_t *c, const char *script, size_t len, const uint8_t seed[32],
                   const zr_eval_limits_t *lim, zr_eval_print_fn print, void *print_ud)
{
    memset(out, 0, sizeof *out);
    zr__sbx_t s;
    memset(&s, 0, sizeof s);
    s.print = print;
    s.print_ud = print_ud;
    int rc = zr__sbx_open(&s, lim);
    if (rc) {
        snprintf(out->msg, sizeof out->msg, "cannot create the sandbox within the memory cap");
        return rc;
    }
    lua_State *L = s.L;
    rc = zr__sbx_load(&s, script, len, out->msg, sizeof out->msg);
    if (rc)
        goto done;
    zr__sbx_host(&s, 1);
    int ft = zr__sbx_rawglobal(L, "evaluate");
    zr__sbx_host(&s, 0);
    if (ft != LUA_TFUNCTION) {
        lua_pop(L, 1);
        snprintf(out->msg, sizeof out->msg, "the script defines no function evaluate(model, rng)");
        rc = ZR_ENOEVALFN;
        goto done;
    }
    if (!c) {
        lua_pop(L, 1);
        goto done;
    }
    /* the model object and the rng are created outside the budget */
    uint64_t used = s.used;
    s.budget = UINT64_MAX;
    lua_pushcfunction(L, model_open);
    lua_pushlightuserdata(L, c);
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
        lua_pop(L, 2);
        snprintf(out->msg, sizeof out->msg, "memory cap exceeded");
        rc = ZR_EMEMCAP;
        goto done;
    }
    zr__sbx_host(&s, 1);
    zr__rng_push(L, seed);
    zr__sbx_host(&s, 0);
    s.budget = lim->budget;
    s.used = used;
    rc = zr__sbx_call(&s, 2, 1, out->msg, sizeof out->msg);
    if (rc) {
        out->model_fault = s.model_fault != 0;
        goto done;
    }
    int t = lua_type(L, -1);
    if (t != LUA_TNUMBER) {
        snprintf(out->msg, sizeof out->msg, "evaluate returned a %s, not a number", lua_typename(L, t));
        rc = ZR_ESCORE;
        goto done;
    }
    out->score = lua_tonumber(L, -1);
    if (!isfinite(out->score) || fabs(out->score) >= ZR_EVAL_SCORE_MAX) {
        snprintf(out->msg, sizeof out->msg, "evaluate returned %.17g: the score must be finite and "
                                            "below 9e9 in magnitude",
                 out->score);
        rc = ZR_ESCORE;
        goto done;
    }
    lua_pop(L, 1);
done:
    out->work = s.used;
    out->mem_peak = s.mem_peak;
    zr__sbx_close(&s);
    return rc;
}

/* ---- wad ------------------------------------------------------------------------------------------ */

int zr_eval_score_wad(uint8_t out[32], double score)
{
    memset(out, 0, 32);
    if (!isfinite(score) || fabs(score) >= ZR_EVAL_SCORE_MAX)
        return ZR_ESCORE;
    long long v = llrint(score * 1e9); /* |v| < 9e18 */
    int neg = v < 0;
    uint64_t a = neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    /* a × 10^9 as a 128-bit value (hi, lo) */
    const uint64_t g = 1000000000ull;
    uint64_t p0 = (a & 0xffffffffull) * g; /* < 2^62 */
    uint64_t p1 = (a >> 32) * g;           /* < 2^61 */
    uint64_t lo = p0 + (p1 << 32);
    uint64_t hi = (p1 >> 32) + (lo < p0);
    if (neg) { /* two's complement over 256 bits */
        lo = ~lo + 1;
        hi = ~hi + (lo == 0);
    }
    uint8_t fill = neg ? 0xff : 0x00;
    memset(out, fill, 16);
    for (int i = 0; i < 8; i++) {
        out[16 + i] = (uint8_t)(hi >> (56 - 8 * i));
        out[24 + i] = (uint8_t)(lo >> (56 - 8 * i));
    }
    return 0;
}

const char *zr_eval_status_name(zr_eval_status_t s)
{
    switch (s) {
    case ZR_EVAL_OK: return "OK";
    case ZR_EVAL_INVALID_MODEL: return "INVALID_MODEL";
    case ZR_EVAL_EVAL_ERROR: return "EVAL_ERROR";
    }
    return "UNKNOWN";
}

/* the wad as a decimal string: llrint(score·1e9) followed by nine zeros */
static void wad_decimal(char *out, size_t cap, double score)
{
    long long v = llrint(score * 1e9);
    if (v == 0)
        snprintf(out, cap, "0");
    else
        snprintf(out, cap, "%lld000000000", v);
}

json_t *zr_eval_result_json(const zr_eval_result_t *r)
{
    char cw[48], iw[48], dg[67] = "0x";
    wad_decimal(cw, sizeof cw, r->challenger_score);
    wad_decimal(iw, sizeof iw, r->incumbent_score);
    zr_hex_encode(dg + 2, r->outputs_digest, 32);
    return json_pack("{s:s, s:i, s:s, s:s, s:f, s:f, s:s, s:s, s:s, s:{s:I, s:I, s:I, s:I, s:i}}",
                     "status", zr_eval_status_name(r->status), "status_code", (int)r->status, "error",
                     r->err ? zr_err_name(r->err) : "", "reason", r->reason, "challenger_score",
                     r->challenger_score, "incumbent_score", r->incumbent_score, "challenger_score_wad",
                     cw, "incumbent_score_wad", iw, "outputs_digest", dg, "stats", "challenger_work",
                     (json_int_t)r->challenger_work, "incumbent_work", (json_int_t)r->incumbent_work,
                     "challenger_mem_peak", (json_int_t)r->challenger_mem_peak, "incumbent_mem_peak",
                     (json_int_t)r->incumbent_mem_peak, "forward_calls", (int)r->forward_calls);
}

/* ---- the whole evaluation ---------------------------------------------------------------------- */

static void set_status(zr_eval_result_t *res, zr_eval_status_t st, int err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void set_status(zr_eval_result_t *res, zr_eval_status_t st, int err, const char *fmt, ...)
{
    res->status = st;
    res->err = err;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->reason, sizeof res->reason, fmt, ap);
    va_end(ap);
}

int zr_eval_run(zr_eval_result_t *res, const zr_eval_input_t *in, const zr_eval_limits_t *lim_in,
                zr_eval_print_fn print, void *print_ud)
{
    if (!res || !in || !in->arch_json || !in->script || !in->params)
        return ZR_EINVAL;
    memset(res, 0, sizeof *res);
    zr_eval_limits_t lim;
    if (lim_in)
        lim = *lim_in;
    else
        zr_eval_limits_default(&lim);
    int rc = zr_nn_fpenv_enter();
    if (rc)
        return rc;

    zr_nn_arch_t *arch = NULL;
    zr_nn_params_t *cp = NULL, *ip = NULL;
    zr_nn_model_t *cm = NULL, *im = NULL;
    char err[256];
    run_out_t ro;
    zr_nn_digest_t digest;
    zr_nn_digest_init(&digest);
    zr_nn_model_opts_t mo = {.max_batch = 0, .threads = lim.threads, .path = ZR_NN_PATH_AUTO};

    /* 1. the owner's files: architecture, incumbent parameters, script */
    rc = zr_nn_arch_parse(&arch, in->arch_json, in->arch_len, &lim.nn, err, sizeof err);
    if (rc) {
        set_status(res, ZR_EVAL_EVAL_ERROR, rc, "architecture: %s", err);
        goto done;
    }
    if (in->script_len > lim.script_max) {
        set_status(res, ZR_EVAL_EVAL_ERROR, ZR_ETOOBIG, "the script has %zu bytes, over the limit of %zu",
                   in->script_len, lim.script_max);
        goto done;
    }
    if (in->incumbent && in->incumbent_len > lim.params_max) {
        set_status(res, ZR_EVAL_EVAL_ERROR, ZR_ETOOBIG, "incumbent parameters: %zu bytes, over the limit of %zu",
                   in->incumbent_len, lim.params_max);
        goto done;
    }
    if (in->incumbent) {
        rc = zr_nn_params_load(&ip, arch, in->incumbent, in->incumbent_len, err, sizeof err);
        if (rc) {
            set_status(res, ZR_EVAL_EVAL_ERROR, rc, "incumbent %s%s",
                       strncmp(err, "parameters", 10) ? "parameters: " : "", err);
            goto done;
        }
    }
    rc = run_one(&ro, NULL, in->script, in->script_len, in->seed, &lim, NULL, NULL);
    if (rc == ZR_EINTERRUPTED)
        goto done;
    if (rc) {
        set_status(res, ZR_EVAL_EVAL_ERROR, rc, "script: %s", ro.msg);
        goto done;
    }

    /* 2. the challenger's parameters */
    if (in->params_len > lim.params_max) {
        rc = ZR_ETOOBIG;
        set_status(res, ZR_EVAL_INVALID_MODEL, rc, "challenger parameters: %zu bytes, over the limit of %zu",
                   in->params_len, lim.params_max);
        goto done;
    }
    rc = zr_nn_params_load(&cp, arch, in->params, in->params_len, err, sizeof err);
    if (rc) {
        set_status(res, ZR_EVAL_INVALID_MODEL, rc, "challenger %s%s",
                   strncmp(err, "parameters", 10) ? "parameters: " : "", err);
        goto done;
    }
    rc = zr_nn_model_new(&cm, arch, cp, &mo, err, sizeof err);
    if (rc == ZR_ENOMEM)
        goto done;
    if (rc) {
        set_status(res, ZR_EVAL_EVAL_ERROR, rc, "model: %s", err);
        goto done;
    }

    /* 3. evaluate the challenger, then the incumbent, each on a fresh rng from the seed */
    model_ctx_t cc;
    init_ctx(&cc, cm, &digest);
    rc = run_one(&ro, &cc, in->script, in->script_len, in->seed, &lim, print, print_ud);
    res->challenger_work = ro.work;
    res->challenger_mem_peak = ro.mem_peak;
    res->forward_calls = cc.calls;
    if (rc == ZR_EFPENV || rc == ZR_EINTERRUPTED)
        goto done;
    if (rc) {
        if (ro.model_fault && rc == ZR_ENONFINITE)
            set_status(res, ZR_EVAL_INVALID_MODEL, rc, "challenger: %s", ro.msg);
        else
            set_status(res, ZR_EVAL_EVAL_ERROR, rc, "challenger: %s", ro.msg);
        goto done;
    }
    double cs = ro.score, is = 0;
    if (ip) {
        rc = zr_nn_model_new(&im, arch, ip, &mo, err, sizeof err);
        if (rc == ZR_ENOMEM)
            goto done;
        if (rc) {
            set_status(res, ZR_EVAL_EVAL_ERROR, rc, "incumbent model: %s", err);
            goto done;
        }
        model_ctx_t ic;
        init_ctx(&ic, im, NULL);
        rc = run_one(&ro, &ic, in->script, in->script_len, in->seed, &lim, print, print_ud);
        res->incumbent_work = ro.work;
        res->incumbent_mem_peak = ro.mem_peak;
        if (rc == ZR_EFPENV || rc == ZR_EINTERRUPTED)
            goto done;
        if (rc) {
            set_status(res, ZR_EVAL_EVAL_ERROR, rc, "incumbent: %s", ro.msg);
            goto done;
        }
        is = ro.score;
    }
    rc = zr_eval_score_wad(res->challenger_wad, cs);
    if (!rc)
        rc = zr_eval_score_wad(res->incumbent_wad, is);
    if (rc) {
        set_status(res, ZR_EVAL_EVAL_ERROR, rc, "score out of range");
        goto done;
    }
    res->status = ZR_EVAL_OK;
    res->challenger_score = cs;
    res->incumbent_score = is;
    zr_nn_digest_final(&digest, res->outputs_digest);
    rc = 0;
done:
    if (res->status != ZR_EVAL_OK) {
        res->challenger_score = res->incumbent_score = 0;
        memset(res->challenger_wad, 0, 32);
        memset(res->incumbent_wad, 0, 32);
        memset(res->outputs_digest, 0, 32);
    }
    zr_nn_model_free(cm);
    zr_nn_model_free(im);
    zr_nn_params_free(cp);
    zr_nn_params_free(ip);
    zr_nn_arch_free(arch);
    /* a produced result (any status) is success; host failures are returned */
    if (rc == ZR_ENOMEM || rc == ZR_EFPENV || rc == ZR_EINTERRUPTED) {
        memset(res, 0, sizeof *res);
        res->status = ZR_EVAL_EVAL_ERROR;
        res->err = rc;
        snprintf(res->reason, sizeof res->reason, "no result: %s", zr_strerror(rc));
        return rc;
    }
    return 0;
}

int zr_eval_score_model(double *score, zr_nn_model_t *model, const char *script, size_t script_len,
                        const uint8_t seed[32], const zr_eval_limits_t *lim_in, char *err, size_t err_cap)
{
    zr_eval_limits_t lim;
    if (lim_in)
        lim = *lim_in;
    else
        zr_eval_limits_default(&lim);
    int rc = zr_nn_fpenv_enter();
    if (rc)
        return rc;
    model_ctx_t c;
    init_ctx(&c, model, NULL);
    run_out_t ro;
    rc = run_one(&ro, &c, script, script_len, seed, &lim, NULL, NULL);
    if (rc) {
        snprintf(err, err_cap, "%s", ro.msg);
        return rc;
    }
    *score = ro.score;
    return 0;
}

int zr_eval_script_check(const char *script, size_t len, const zr_eval_limits_t *lim_in, char *err,
                         size_t err_cap)
{
    zr_eval_limits_t lim;
    if (lim_in)
        lim = *lim_in;
    else
        zr_eval_limits_default(&lim);
    if (len > lim.script_max) {
        snprintf(err, err_cap, "the script has %zu bytes, over the limit of %zu", len, lim.script_max);
        return ZR_ETOOBIG;
    }
    static const uint8_t zero[32];
    run_out_t ro;
    int rc = run_one(&ro, NULL, script, len, zero, &lim, NULL, NULL);
    if (rc)
        snprintf(err, err_cap, "%s", ro.msg);
    return rc;
}
