// SPDX-License-Identifier: MIT
// The counter-based random generator of evaluation scripts and its Lua binding `rng`.
// Word i of a stream is a slice of keccak256(seed ‖ uint64_le(i / 4)), so any word can be
// recomputed independently and any language with keccak can reproduce the sequence; the
// derived draws (uniform, normal, int, permutation) are specified in docs/EVAL_SCRIPTS.md.
#include <math.h>
#include <string.h>

#include "eval_int.h"
#include "zara/keccak.h"

#define RNG_MT "zara.rng"

void zr_eval_rng_init(zr_eval_rng_t *r, const uint8_t seed[32])
{
    memcpy(r->seed, seed, 32);
    r->counter = 0;
    r->block_index = UINT64_MAX;
    memset(r->block, 0, sizeof r->block);
}

uint64_t zr_eval_rng_u64(zr_eval_rng_t *r)
{
    uint64_t b = r->counter / 4;
    if (b != r->block_index) {
        uint8_t in[40];
        memcpy(in, r->seed, 32);
        for (int i = 0; i < 8; i++)
            in[32 + i] = (uint8_t)(b >> (8 * i));
        zr_keccak256(r->block, in, sizeof in);
        r->block_index = b;
    }
    const uint8_t *p = r->block + 8 * (r->counter % 4);
    uint64_t w = 0;
    for (int i = 7; i >= 0; i--)
        w = (w << 8) | p[i];
    r->counter++;
    return w;
}

double zr_eval_rng_uniform(zr_eval_rng_t *r)
{
    return (double)(zr_eval_rng_u64(r) >> 11) * 0x1p-53;
}

double zr_eval_rng_normal(zr_eval_rng_t *r)
{
    double u1 = zr_eval_rng_uniform(r);
    double u2 = zr_eval_rng_uniform(r);
    double rad = sqrt(-2.0 * zr__dm_log(1.0 - u1)); /* 1 − u1 ∈ (0, 1] */
    return rad * zr__dm_cos(6.28318530717958647692 * u2);
}

int64_t zr_eval_rng_int(zr_eval_rng_t *r, int64_t lo, int64_t hi)
{
    uint64_t span = (uint64_t)hi - (uint64_t)lo; /* hi − lo, modulo 2^64 */
    if (span == UINT64_MAX)
        return (int64_t)zr_eval_rng_u64(r);
    uint64_t n = span + 1;
    uint64_t rem = (UINT64_MAX % n + 1) % n; /* 2^64 mod n */
    uint64_t w;
    do {
        w = zr_eval_rng_u64(r);
    } while (rem != 0 && w > UINT64_MAX - rem);
    return (int64_t)((uint64_t)lo + w % n);
}

/* ---- Lua binding -------------------------------------------------------------------------- */

static zr_eval_rng_t *check_rng(lua_State *L)
{
    return luaL_checkudata(L, 1, RNG_MT);
}

void zr__rng_push(lua_State *L, const uint8_t seed[32])
{
    zr_eval_rng_t *r = lua_newuserdatauv(L, sizeof *r, 0);
    zr_eval_rng_init(r, seed);
    luaL_setmetatable(L, RNG_MT);
}

static int r_uniform(lua_State *L)
{
    zr_eval_rng_t *r = check_rng(L);
    zr__sbx_charge(L, 4);
    double u = zr_eval_rng_uniform(r);
    if (lua_isnoneornil(L, 2)) {
        lua_pushnumber(L, u);
    } else {
        double a = luaL_checknumber(L, 2), b = luaL_checknumber(L, 3);
        lua_pushnumber(L, a + (b - a) * u);
    }
    return 1;
}

static int r_normal(lua_State *L)
{
    zr_eval_rng_t *r = check_rng(L);
    double mean = luaL_optnumber(L, 2, 0.0), sd = luaL_optnumber(L, 3, 1.0);
    zr__sbx_charge(L, 8);
    lua_pushnumber(L, mean + sd * zr_eval_rng_normal(r));
    return 1;
}

static int r_int(lua_State *L)
{
    zr_eval_rng_t *r = check_rng(L);
    lua_Integer lo, hi;
    if (lua_isnoneornil(L, 3)) {
        lo = 1;
        hi = luaL_checkinteger(L, 2);
    } else {
        lo = luaL_checkinteger(L, 2);
        hi = luaL_checkinteger(L, 3);
    }
    luaL_argcheck(L, lo <= hi, 2, "empty interval");
    zr__sbx_charge(L, 4);
    lua_pushinteger(L, (lua_Integer)zr_eval_rng_int(r, lo, hi));
    return 1;
}

static int r_permutation(lua_State *L)
{
    zr_eval_rng_t *r = check_rng(L);
    lua_Integer n = luaL_checkinteger(L, 2);
    luaL_argcheck(L, n >= 0 && n <= (1 << 26), 2, "size out of range");
    zr__sbx_charge(L, 1 + (uint64_t)n * 4);
    lua_createtable(L, (int)n, 0);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_pushinteger(L, i);
        lua_rawseti(L, -2, i);
    }
    /* Fisher–Yates from the top: for i = n .. 2, j = int(1, i), swap p[i], p[j] */
    for (lua_Integer i = n; i >= 2; i--) {
        lua_Integer j = (lua_Integer)zr_eval_rng_int(r, 1, i);
        lua_rawgeti(L, -1, i);
        lua_rawgeti(L, -2, j);
        lua_rawseti(L, -3, i);
        lua_rawseti(L, -2, j);
    }
    return 1;
}

/* fill(t, kind, a, b): every element in row-major order gets one draw, computed in binary64
 * and rounded to float32 */
static void fill(lua_State *L, zr_eval_rng_t *r, zr__tensor_t *t, int normal, double a, double b)
{
    zr__sbx_charge(L, 1 + (uint64_t)t->n * (normal ? 8 : 4));
    for (int64_t i = 0; i < t->n; i++) {
        double v = normal ? a + b * zr_eval_rng_normal(r) : a + (b - a) * zr_eval_rng_uniform(r);
        t->data[i] = (float)v;
    }
}

static int r_fill_uniform(lua_State *L)
{
    zr_eval_rng_t *r = check_rng(L);
    zr__tensor_t *t = zr__tensor_check(L, 2);
    fill(L, r, t, 0, luaL_optnumber(L, 3, 0.0), luaL_optnumber(L, 4, 1.0));
    lua_settop(L, 2);
    return 1;
}

static int r_fill_normal(lua_State *L)
{
    zr_eval_rng_t *r = check_rng(L);
    zr__tensor_t *t = zr__tensor_check(L, 2);
    fill(L, r, t, 1, luaL_optnumber(L, 3, 0.0), luaL_optnumber(L, 4, 1.0));
    lua_settop(L, 2);
    return 1;
}

/* shape argument: a table of dimensions {n, k} or a single integer */
static zr__tensor_t *push_shaped(lua_State *L, int idx)
{
    int64_t shape[ZR__TENSOR_MAXDIM];
    int nd = 0;
    if (lua_type(L, idx) == LUA_TTABLE) {
        lua_Integer len = luaL_len(L, idx);
        luaL_argcheck(L, len >= 1 && len <= ZR__TENSOR_MAXDIM, idx, "1 to 4 dimensions");
        for (lua_Integer i = 1; i <= len; i++) {
            lua_geti(L, idx, i);
            int ok;
            lua_Integer d = lua_tointegerx(L, -1, &ok);
            lua_pop(L, 1);
            luaL_argcheck(L, ok, idx, "dimensions must be integers");
            shape[nd++] = d;
        }
    } else {
        shape[nd++] = luaL_checkinteger(L, idx);
    }
    return zr__tensor_push(L, nd, shape);
}

static int r_uniform_tensor(lua_State *L)
{
    zr_eval_rng_t *r = check_rng(L);
    double a = luaL_optnumber(L, 3, 0.0), b = luaL_optnumber(L, 4, 1.0);
    zr__tensor_t *t = push_shaped(L, 2);
    fill(L, r, t, 0, a, b);
    return 1;
}

static int r_normal_tensor(lua_State *L)
{
    zr_eval_rng_t *r = check_rng(L);
    double a = luaL_optnumber(L, 3, 0.0), b = luaL_optnumber(L, 4, 1.0);
    zr__tensor_t *t = push_shaped(L, 2);
    fill(L, r, t, 1, a, b);
    return 1;
}

static int r_tostring(lua_State *L)
{
    check_rng(L);
    lua_pushliteral(L, "rng");
    return 1;
}

void zr__rng_open(lua_State *L)
{
    static const luaL_Reg methods[] = {
        {"uniform", r_uniform},
        {"normal", r_normal},
        {"int", r_int},
        {"permutation", r_permutation},
        {"fill_uniform", r_fill_uniform},
        {"fill_normal", r_fill_normal},
        {"uniform_tensor", r_uniform_tensor},
        {"normal_tensor", r_normal_tensor},
        {NULL, NULL}};
    luaL_newmetatable(L, RNG_MT);
    luaL_newlib(L, methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, r_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushliteral(L, "rng");
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);
}
