// SPDX-License-Identifier: MIT
// The script's `rng` object: the generator of eval_rng.c as userdata, with uniform, normal,
// int, permutation and tensor fills (one draw per element, row-major, rounded to float32).
#include <string.h>

#include "eval_int.h"

#define RNG_MT "zara.rng"

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
