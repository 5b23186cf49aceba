// SPDX-License-Identifier: MIT
// Tensors of evaluation scripts: float32 userdata (up to 4 dimensions, row-major) whose
// memory comes from the sandbox allocator, with creation, indexing, slicing, elementwise
// arithmetic (tensor ∘ tensor of the same shape, tensor ∘ scalar), map, reductions in
// binary64 in element order, reshape and printing. Every operation charges its size to the
// instruction budget.
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "eval_int.h"

/* element count limit: 2^31 elements (8 GiB) is far above any memory cap */
#define MAX_ELEMS ((int64_t)1 << 31)

zr__tensor_t *zr__tensor_push(lua_State *L, int ndim, const int64_t *shape)
{
    if (ndim < 1 || ndim > ZR__TENSOR_MAXDIM)
        luaL_error(L, "tensors have 1 to %d dimensions", ZR__TENSOR_MAXDIM);
    int64_t n = 1;
    for (int i = 0; i < ndim; i++) {
        if (shape[i] < 0)
            luaL_error(L, "tensor dimension %d is negative", i + 1);
        if (shape[i] > MAX_ELEMS || (shape[i] && n > MAX_ELEMS / shape[i]))
            luaL_error(L, "tensor too large");
        n *= shape[i];
    }
    zr__sbx_charge(L, 1 + (uint64_t)n / 16);
    zr__tensor_t *t = lua_newuserdatauv(L, sizeof *t + (size_t)n * sizeof(float), 0);
    t->ndim = ndim;
    for (int i = 0; i < ZR__TENSOR_MAXDIM; i++)
        t->shape[i] = i < ndim ? shape[i] : 1;
    t->n = n;
    memset(t->data, 0, (size_t)n * sizeof(float));
    luaL_setmetatable(L, ZR__TENSOR_MT);
    return t;
}

zr__tensor_t *zr__tensor_test(lua_State *L, int idx)
{
    return luaL_testudata(L, idx, ZR__TENSOR_MT);
}

zr__tensor_t *zr__tensor_check(lua_State *L, int idx)
{
    return luaL_checkudata(L, idx, ZR__TENSOR_MT);
}

static void shape_str(const zr__tensor_t *t, char *out, size_t cap)
{
    size_t o = 0;
    out[0] = 0;
    for (int i = 0; i < t->ndim && o < cap; i++)
        o += (size_t)snprintf(out + o, cap - o, "%s%lld", i ? "x" : "", (long long)t->shape[i]);
}

/* dimensions from arguments start..top: either integers or one table of integers */
static int read_shape(lua_State *L, int start, int64_t *shape)
{
    int nd = 0;
    if (lua_type(L, start) == LUA_TTABLE) {
        lua_Integer len = luaL_len(L, start);
        luaL_argcheck(L, len >= 1 && len <= ZR__TENSOR_MAXDIM, start, "1 to 4 dimensions");
        for (lua_Integer i = 1; i <= len; i++) {
            lua_geti(L, start, i);
            int ok;
            lua_Integer d = lua_tointegerx(L, -1, &ok);
            lua_pop(L, 1);
            luaL_argcheck(L, ok, start, "dimensions must be integers");
            shape[nd++] = d;
        }
        return nd;
    }
    int top = lua_gettop(L);
    luaL_argcheck(L, top >= start && top - start < ZR__TENSOR_MAXDIM, start, "1 to 4 dimensions");
    for (int i = start; i <= top; i++)
        shape[nd++] = luaL_checkinteger(L, i);
    return nd;
}

static int t_zeros(lua_State *L)
{
    int64_t shape[ZR__TENSOR_MAXDIM];
    int nd = read_shape(L, 1, shape);
    zr__tensor_push(L, nd, shape);
    return 1;
}

static void fill_value(lua_State *L, zr__tensor_t *t, float v)
{
    zr__sbx_charge(L, 1 + (uint64_t)t->n / 8);
    for (int64_t i = 0; i < t->n; i++)
        t->data[i] = v;
}

static int t_ones(lua_State *L)
{
    int64_t shape[ZR__TENSOR_MAXDIM];
    int nd = read_shape(L, 1, shape);
    fill_value(L, zr__tensor_push(L, nd, shape), 1.0f);
    return 1;
}

static int t_full(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    float v = (float)luaL_checknumber(L, 2);
    int64_t shape[ZR__TENSOR_MAXDIM];
    lua_settop(L, 1);
    int nd = read_shape(L, 1, shape);
    fill_value(L, zr__tensor_push(L, nd, shape), v);
    return 1;
}

/* linspace(a, b, n): x_i = a + (b − a)·i/(n − 1) in binary64, then float32 */
static int t_linspace(lua_State *L)
{
    double a = luaL_checknumber(L, 1), b = luaL_checknumber(L, 2);
    lua_Integer n = luaL_checkinteger(L, 3);
    luaL_argcheck(L, n >= 1, 3, "at least one point");
    int64_t shape[1] = {n};
    zr__tensor_t *t = zr__tensor_push(L, 1, shape);
    zr__sbx_charge(L, (uint64_t)n / 4);
    for (int64_t i = 0; i < n; i++)
        t->data[i] = (float)(n == 1 ? a : a + (b - a) * (double)i / (double)(n - 1));
    return 1;
}

/* from(nested table) or from(flat table, shape) */
static void infer_shape(lua_State *L, int idx, int depth, int *nd, int64_t *shape)
{
    lua_Integer len = luaL_len(L, idx);
    if (depth >= ZR__TENSOR_MAXDIM)
        luaL_error(L, "tensor.from: more than %d nesting levels", ZR__TENSOR_MAXDIM);
    shape[depth] = len;
    *nd = depth + 1;
    if (len > 0) {
        lua_geti(L, idx, 1);
        if (lua_type(L, -1) == LUA_TTABLE)
            infer_shape(L, lua_gettop(L), depth + 1, nd, shape);
        lua_pop(L, 1);
    }
}

static void copy_nested(lua_State *L, int idx, int depth, int nd, const int64_t *shape, float *out,
                        int64_t *pos)
{
    lua_Integer len = luaL_len(L, idx);
    if (depth >= ZR__TENSOR_MAXDIM || len != shape[depth])
        luaL_error(L, "tensor.from: ragged table (level %d has %d entries, expected %d)", depth + 1,
                   (int)len, (int)shape[depth]);
    for (lua_Integer i = 1; i <= len; i++) {
        lua_geti(L, idx, i);
        if (depth + 1 < nd && depth + 1 < ZR__TENSOR_MAXDIM) {
            if (lua_type(L, -1) != LUA_TTABLE)
                luaL_error(L, "tensor.from: ragged table (a number where a row was expected)");
            copy_nested(L, lua_gettop(L), depth + 1, nd, shape, out, pos);
        } else {
            int ok;
            lua_Number v = lua_tonumberx(L, -1, &ok);
            if (!ok || lua_type(L, -1) != LUA_TNUMBER)
                luaL_error(L, "tensor.from: element %d is not a number", (int)(*pos + 1));
            out[(*pos)++] = (float)v;
        }
        lua_pop(L, 1);
    }
}

static int t_from(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    int64_t shape[ZR__TENSOR_MAXDIM];
    int nd;
    if (!lua_isnoneornil(L, 2)) {
        lua_settop(L, 2);
        nd = read_shape(L, 2, shape);
        zr__tensor_t *t = zr__tensor_push(L, nd, shape);
        lua_Integer len = luaL_len(L, 1);
        if (len != t->n)
            return luaL_error(L, "tensor.from: %d values for %d elements", (int)len, (int)t->n);
        zr__sbx_charge(L, (uint64_t)t->n);
        for (int64_t i = 0; i < t->n; i++) {
            lua_geti(L, 1, i + 1);
            if (lua_type(L, -1) != LUA_TNUMBER)
                return luaL_error(L, "tensor.from: element %d is not a number", (int)(i + 1));
            t->data[i] = (float)lua_tonumber(L, -1);
            lua_pop(L, 1);
        }
        return 1;
    }
    lua_settop(L, 1);
    infer_shape(L, 1, 0, &nd, shape);
    zr__tensor_t *t = zr__tensor_push(L, nd, shape);
    zr__sbx_charge(L, (uint64_t)t->n);
    int64_t pos = 0;
    copy_nested(L, 1, 0, nd, shape, t->data, &pos);
    return 1;
}

static int t_is(lua_State *L)
{
    lua_pushboolean(L, zr__tensor_test(L, 1) != NULL);
    return 1;
}

/* ---- methods ---------------------------------------------------------------------------- */

static int m_shape(lua_State *L)
{
    zr__tensor_t *t = zr__tensor_check(L, 1);
    lua_createtable(L, t->ndim, 0);
    for (int i = 0; i < t->ndim; i++) {
        lua_pushinteger(L, t->shape[i]);
        lua_rawseti(L, -2, i + 1);
    }
    return 1;
}

static int m_numel(lua_State *L)
{
    lua_pushinteger(L, zr__tensor_check(L, 1)->n);
    return 1;
}

static int m_ndim(lua_State *L)
{
    lua_pushinteger(L, zr__tensor_check(L, 1)->ndim);
    return 1;
}

static int m_len(lua_State *L)
{
    lua_pushinteger(L, zr__tensor_check(L, 1)->shape[0]);
    return 1;
}

/* flat offset of 1-based indices at stack start.. (one per dimension) */
static int64_t offset_of(lua_State *L, zr__tensor_t *t, int start)
{
    int64_t off = 0;
    for (int d = 0; d < t->ndim; d++) {
        lua_Integer i = luaL_checkinteger(L, start + d);
        if (i < 1 || i > t->shape[d])
            luaL_error(L, "index %d out of range 1..%d in dimension %d", (int)i, (int)t->shape[d], d + 1);
        off = off * t->shape[d] + (i - 1);
    }
    return off;
}

static int m_get(lua_State *L)
{
    zr__tensor_t *t = zr__tensor_check(L, 1);
    lua_pushnumber(L, (double)t->data[offset_of(L, t, 2)]);
    return 1;
}

static int m_set(lua_State *L)
{
    zr__tensor_t *t = zr__tensor_check(L, 1);
    int64_t off = offset_of(L, t, 2);
    t->data[off] = (float)luaL_checknumber(L, 2 + t->ndim);
    return 0;
}

/* rows a..b (1-based, inclusive) of the first dimension, as a new tensor */
static zr__tensor_t *push_rows(lua_State *L, zr__tensor_t *t, int64_t a, int64_t b, int keep_dim)
{
    if (a < 1 || b > t->shape[0] || a > b + 1)
        luaL_error(L, "rows %d..%d out of range 1..%d", (int)a, (int)b, (int)t->shape[0]);
    int64_t row = t->shape[0] ? t->n / t->shape[0] : 0;
    int64_t shape[ZR__TENSOR_MAXDIM];
    int nd;
    if (keep_dim) {
        nd = t->ndim;
        shape[0] = b - a + 1;
        for (int i = 1; i < nd; i++)
            shape[i] = t->shape[i];
    } else {
        nd = t->ndim - 1;
        for (int i = 0; i < nd; i++)
            shape[i] = t->shape[i + 1];
    }
    zr__tensor_t *r = zr__tensor_push(L, nd, shape);
    zr__sbx_charge(L, (uint64_t)r->n / 8);
    memcpy(r->data, t->data + (a - 1) * row, (size_t)r->n * sizeof(float));
    return r;
}

static int m_slice(lua_State *L)
{
    zr__tensor_t *t = zr__tensor_check(L, 1);
    lua_Integer a = luaL_checkinteger(L, 2);
    lua_Integer b = luaL_optinteger(L, 3, t->shape[0]);
    push_rows(L, t, a, b, 1);
    return 1;
}

static int m_col(lua_State *L)
{
    zr__tensor_t *t = zr__tensor_check(L, 1);
    if (t->ndim != 2)
        return luaL_error(L, "col: a 2-D tensor is required");
    lua_Integer j = luaL_checkinteger(L, 2);
    luaL_argcheck(L, j >= 1 && j <= t->shape[1], 2, "column out of range");
    int64_t shape[1] = {t->shape[0]};
    zr__tensor_t *r = zr__tensor_push(L, 1, shape);
    zr__sbx_charge(L, (uint64_t)r->n / 4);
    for (int64_t i = 0; i < t->shape[0]; i++)
        r->data[i] = t->data[i * t->shape[1] + (j - 1)];
    return 1;
}

static int m_reshape(lua_State *L)
{
    zr__tensor_t *t = zr__tensor_check(L, 1);
    int64_t shape[ZR__TENSOR_MAXDIM];
    int nd = read_shape(L, 2, shape);
    int64_t known = 1;
    int wild = -1;
    for (int i = 0; i < nd; i++) {
        if (shape[i] == -1) {
            if (wild >= 0)
                return luaL_error(L, "reshape: at most one -1");
            wild = i;
        } else if (shape[i] < 0) {
            return luaL_error(L, "reshape: negative dimension");
        } else {
            if (shape[i] && known > MAX_ELEMS / shape[i])
                return luaL_error(L, "reshape: too large");
            known *= shape[i];
        }
    }
    if (wild >= 0) {
        if (known == 0 || t->n % known)
            return luaL_error(L, "reshape: %d elements do not fit", (int)t->n);
        shape[wild] = t->n / known;
        known = t->n;
    }
    if (known != t->n)
        return luaL_error(L, "reshape: %d elements into %d", (int)t->n, (int)known);
    zr__tensor_t *r = zr__tensor_push(L, nd, shape);
    memcpy(r->data, t->data, (size_t)t->n * sizeof(float));
    return 1;
}

static int m_clone(lua_State *L)
{
    zr__tensor_t *t = zr__tensor_check(L, 1);
    zr__tensor_t *r = zr__tensor_push(L, t->ndim, t->shape);
    memcpy(r->data, t->data, (size_t)t->n * sizeof(float));
    return 1;
}

static int m_map(lua_State *L)
{
    zr__tensor_t *t = zr__tensor_check(L, 1);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    zr__tensor_t *r = zr__tensor_push(L, t->ndim, t->shape);
    for (int64_t i = 0; i < t->n; i++) {
        lua_pushvalue(L, 2);
        lua_pushnumber(L, (double)t->data[i]);
        lua_call(L, 1, 1);
        if (lua_type(L, -1) != LUA_TNUMBER)
            return luaL_error(L, "map: the function returned a %s for element %d, not a number",
                              luaL_typename(L, -1), (int)(i + 1));
        r->data[i] = (float)lua_tonumber(L, -1);
        lua_pop(L, 1);
    }
    return 1;
}

static double sum_of(lua_State *L, const zr__tensor_t *t)
{
    zr__sbx_charge(L, 1 + (uint64_t)t->n / 4);
    double s = 0;
    for (int64_t i = 0; i < t->n; i++)
        s += (double)t->data[i];
    return s;
}

static int m_sum(lua_State *L)
{
    lua_pushnumber(L, sum_of(L, zr__tensor_check(L, 1)));
    return 1;
}

static int m_mean(lua_State *L)
{
    zr__tensor_t *t = zr__tensor_check(L, 1);
    if (t->n == 0)
        return luaL_error(L, "mean of an empty tensor");
    lua_pushnumber(L, sum_of(L, t) / (double)t->n);
    return 1;
}

static int extreme(lua_State *L, int want_max)
{
    zr__tensor_t *t = zr__tensor_check(L, 1);
    if (t->n == 0)
        return luaL_error(L, "%s of an empty tensor", want_max ? "max" : "min");
    zr__sbx_charge(L, 1 + (uint64_t)t->n / 4);
    float m = t->data[0];
    for (int64_t i = 1; i < t->n; i++) {
        float v = t->data[i];
        if (v != v || m != m) { /* NaN propagates */
            m = v != v ? v : m;
            continue;
        }
        if (want_max ? v > m : v < m)
            m = v;
    }
    lua_pushnumber(L, (double)m);
    return 1;
}

static int m_max(lua_State *L)
{
    return extreme(L, 1);
}

static int m_min(lua_State *L)
{
    return extreme(L, 0);
}

/* index (1-based) of the first largest value of row[0..k); NaN counts as largest */
static int64_t argmax_row(const float *row, int64_t k)
{
    int64_t best = 0;
    for (int64_t j = 1; j < k; j++) {
        float b = row[best], v = row[j];
        if (b != b)
            break;
        if (v != v || v > b)
            best = j;
    }
    return best + 1;
}

/* 1-D: the index as an integer; 2-D: a [n] tensor of row-wise indices */
static int m_argmax(lua_State *L)
{
    zr__tensor_t *t = zr__tensor_check(L, 1);
    if (t->n == 0)
        return luaL_error(L, "argmax of an empty tensor");
    zr__sbx_charge(L, 1 + (uint64_t)t->n / 4);
    if (t->ndim == 1) {
        lua_pushinteger(L, argmax_row(t->data, t->n));
        return 1;
    }
    if (t->ndim != 2)
        return luaL_error(L, "argmax: a 1-D or 2-D tensor is required");
    int64_t shape[1] = {t->shape[0]};
    zr__tensor_t *r = zr__tensor_push(L, 1, shape);
    for (int64_t i = 0; i < t->shape[0]; i++)
        r->data[i] = (float)argmax_row(t->data + i * t->shape[1], t->shape[1]);
    return 1;
}

static void push_table(lua_State *L, const zr__tensor_t *t, int depth, int64_t *pos)
{
    luaL_checkstack(L, 3, "totable");
    if (depth >= ZR__TENSOR_MAXDIM)
        return;
    lua_createtable(L, (int)t->shape[depth], 0);
    for (int64_t i = 0; i < t->shape[depth]; i++) {
        if (depth + 1 < t->ndim && depth + 1 < ZR__TENSOR_MAXDIM)
            push_table(L, t, depth + 1, pos);
        else
            lua_pushnumber(L, (double)t->data[(*pos)++]);
        lua_rawseti(L, -2, i + 1);
    }
}

static int m_totable(lua_State *L)
{
    zr__tensor_t *t = zr__tensor_check(L, 1);
    zr__sbx_charge(L, 1 + (uint64_t)t->n * 2);
    int64_t pos = 0;
    push_table(L, t, 0, &pos);
    return 1;
}

static int m_tostring(lua_State *L)
{
    zr__tensor_t *t = zr__tensor_check(L, 1);
    char shp[96];
    shape_str(t, shp, sizeof shp);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    luaL_addstring(&b, "tensor(");
    luaL_addstring(&b, shp);
    luaL_addstring(&b, ")[");
    int64_t show = t->n < 8 ? t->n : 8;
    for (int64_t i = 0; i < show; i++) {
        char num[48];
        double v = (double)t->data[i];
        if (v != v)
            snprintf(num, sizeof num, "%snan", i ? ", " : ""); /* no CPU-dependent NaN sign */
        else
            snprintf(num, sizeof num, "%s%.9g", i ? ", " : "", v);
        luaL_addstring(&b, num);
    }
    if (show < t->n)
        luaL_addstring(&b, ", ...");
    luaL_addstring(&b, "]");
    luaL_pushresult(&b);
    return 1;
}

/* ---- arithmetic ---------------------------------------------------------------------------- */

enum { OP_ADD, OP_SUB, OP_MUL, OP_DIV };

static float apply(int op, float a, float b)
{
    switch (op) {
    case OP_ADD: return a + b;
    case OP_SUB: return a - b;
    case OP_MUL: return a * b;
    default: return a / b;
    }
}

static int arith(lua_State *L, int op)
{
    static const char *const names[] = {"+", "-", "*", "/"};
    zr__tensor_t *a = zr__tensor_test(L, 1), *b = zr__tensor_test(L, 2);
    if (a && b) {
        int same = a->ndim == b->ndim;
        for (int i = 0; same && i < a->ndim; i++)
            same = a->shape[i] == b->shape[i];
        if (!same) {
            char sa[96], sb[96];
            shape_str(a, sa, sizeof sa);
            shape_str(b, sb, sizeof sb);
            return luaL_error(L, "tensor %s: shapes %s and %s differ", names[op], sa, sb);
        }
        zr__tensor_t *r = zr__tensor_push(L, a->ndim, a->shape);
        zr__sbx_charge(L, (uint64_t)a->n / 4);
        for (int64_t i = 0; i < a->n; i++)
            r->data[i] = apply(op, a->data[i], b->data[i]);
        return 1;
    }
    zr__tensor_t *t = a ? a : b;
    int sidx = a ? 2 : 1;
    if (lua_type(L, sidx) != LUA_TNUMBER)
        return luaL_error(L, "tensor %s: the other operand is a %s, not a number or tensor", names[op],
                          luaL_typename(L, sidx));
    float s = (float)lua_tonumber(L, sidx); /* scalars are rounded to float32 first */
    zr__tensor_t *r = zr__tensor_push(L, t->ndim, t->shape);
    zr__sbx_charge(L, (uint64_t)t->n / 4);
    for (int64_t i = 0; i < t->n; i++)
        r->data[i] = a ? apply(op, t->data[i], s) : apply(op, s, t->data[i]);
    return 1;
}

static int mm_add(lua_State *L)
{
    return arith(L, OP_ADD);
}
static int mm_sub(lua_State *L)
{
    return arith(L, OP_SUB);
}
static int mm_mul(lua_State *L)
{
    return arith(L, OP_MUL);
}
static int mm_div(lua_State *L)
{
    return arith(L, OP_DIV);
}

static int mm_unm(lua_State *L)
{
    zr__tensor_t *t = zr__tensor_check(L, 1);
    zr__tensor_t *r = zr__tensor_push(L, t->ndim, t->shape);
    zr__sbx_charge(L, (uint64_t)t->n / 4);
    for (int64_t i = 0; i < t->n; i++)
        r->data[i] = -t->data[i];
    return 1;
}

static const luaL_Reg methods[] = {
    {"shape", m_shape},     {"numel", m_numel},     {"ndim", m_ndim},   {"get", m_get},
    {"set", m_set},         {"slice", m_slice},     {"col", m_col},     {"reshape", m_reshape},
    {"clone", m_clone},     {"map", m_map},         {"sum", m_sum},     {"mean", m_mean},
    {"max", m_max},         {"min", m_min},         {"argmax", m_argmax}, {"totable", m_totable},
    {NULL, NULL}};

/* t[i]: an element of a 1-D tensor or a copy of row i; t.name: a method */
static int mm_index(lua_State *L)
{
    zr__tensor_t *t = zr__tensor_check(L, 1);
    if (lua_type(L, 2) == LUA_TNUMBER) {
        int ok;
        lua_Integer i = lua_tointegerx(L, 2, &ok);
        if (!ok || i < 1 || i > t->shape[0])
            return luaL_error(L, "tensor index out of range 1..%d", (int)t->shape[0]);
        if (t->ndim == 1)
            lua_pushnumber(L, (double)t->data[i - 1]);
        else
            push_rows(L, t, i, i, 0);
        return 1;
    }
    lua_pushvalue(L, 2);
    lua_rawget(L, lua_upvalueindex(1));
    return 1;
}

/* t[i] = number (1-D, or fills row i) or a tensor of the row's shape */
static int mm_newindex(lua_State *L)
{
    zr__tensor_t *t = zr__tensor_check(L, 1);
    int ok;
    lua_Integer i = lua_tointegerx(L, 2, &ok);
    if (!ok || i < 1 || i > t->shape[0])
        return luaL_error(L, "tensor index out of range 1..%d", (int)t->shape[0]);
    int64_t row = t->shape[0] ? t->n / t->shape[0] : 0;
    float *dst = t->data + (i - 1) * row;
    zr__tensor_t *v = zr__tensor_test(L, 3);
    if (v) {
        if (v->n != row)
            return luaL_error(L, "row assignment: %d values for a row of %d", (int)v->n, (int)row);
        memcpy(dst, v->data, (size_t)row * sizeof(float));
    } else {
        float x = (float)luaL_checknumber(L, 3);
        for (int64_t j = 0; j < row; j++)
            dst[j] = x;
    }
    zr__sbx_charge(L, 1 + (uint64_t)row / 8);
    return 0;
}

void zr__tensor_open(lua_State *L)
{
    luaL_newmetatable(L, ZR__TENSOR_MT);
    luaL_newlib(L, methods);
    lua_pushcclosure(L, mm_index, 1);
    lua_setfield(L, -2, "__index");
    static const luaL_Reg meta[] = {
        {"__newindex", mm_newindex}, {"__add", mm_add},   {"__sub", mm_sub},
        {"__mul", mm_mul},           {"__div", mm_div},   {"__unm", mm_unm},
        {"__len", m_len},            {"__tostring", m_tostring}, {NULL, NULL}};
    luaL_setfuncs(L, meta, 0);
    lua_pushliteral(L, "tensor");
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);

    static const luaL_Reg lib[] = {
        {"zeros", t_zeros}, {"ones", t_ones}, {"full", t_full}, {"from", t_from},
        {"linspace", t_linspace}, {"is", t_is}, {NULL, NULL}};
    luaL_newlib(L, lib);
    lua_setglobal(L, "tensor");
}
