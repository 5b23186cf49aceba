// SPDX-License-Identifier: MIT
// The script's `math` table: the deterministic functions of eval_math.c plus Lua's own exact
// ones (floor, ceil, abs, fmod, sqrt, ...); no random generator (scripts use `rng`).
#include <math.h>
#include <string.h>

#include <lualib.h>

#include "eval_int.h"

static int is_nan(double x)
{
    return x != x;
}

static int is_inf(double x)
{
    return x == HUGE_VAL || x == -HUGE_VAL;
}

/* ---- the Lua library ----------------------------------------------------------------------- */

#define UNARY(name, fn)                                        \
    static int m_##name(lua_State *L)                          \
    {                                                          \
        lua_pushnumber(L, fn(luaL_checknumber(L, 1)));          \
        return 1;                                              \
    }

UNARY(exp, zr__dm_exp)
UNARY(sin, zr__dm_sin)
UNARY(cos, zr__dm_cos)
UNARY(tan, zr__dm_tan)
UNARY(asin, zr__dm_asin)
UNARY(acos, zr__dm_acos)
UNARY(tanh, zr__dm_tanh)
UNARY(expm1, zr__dm_expm1)

static int m_log(lua_State *L)
{
    double x = luaL_checknumber(L, 1);
    if (lua_isnoneornil(L, 2)) {
        lua_pushnumber(L, zr__dm_log(x));
        return 1;
    }
    double b = luaL_checknumber(L, 2);
    double r;
    if (b == 2.0) {
        r = zr__dm_log2(x);
    } else if (b == 10.0) {
        r = zr__dm_log(x) / 2.30258509299404568402;
        /* exact for the powers of ten that binary64 holds exactly */
        double k = floor(r + 0.5);
        if (k >= 0 && k <= 22 && zr__dm_pow(10.0, k) == x)
            r = k;
    } else {
        r = zr__dm_log(x) / zr__dm_log(b);
    }
    lua_pushnumber(L, r);
    return 1;
}

static int m_atan(lua_State *L)
{
    double y = luaL_checknumber(L, 1);
    double x = luaL_optnumber(L, 2, 1.0);
    lua_pushnumber(L, zr__dm_atan2(y, x));
    return 1;
}

static int m_pow(lua_State *L)
{
    lua_pushnumber(L, zr__dm_pow(luaL_checknumber(L, 1), luaL_checknumber(L, 2)));
    return 1;
}

static int m_sigmoid(lua_State *L)
{
    double x = luaL_checknumber(L, 1);
    lua_pushnumber(L, 1.0 / (1.0 + zr__dm_exp(-x)));
    return 1;
}

static int m_isfinite(lua_State *L)
{
    double x = luaL_checknumber(L, 1);
    lua_pushboolean(L, !is_nan(x) && !is_inf(x));
    return 1;
}

void zr__math_open(lua_State *L)
{
    /* Lua's own library provides the exact functions; its random generator is dropped */
    luaL_requiref(L, "zara.luamath", luaopen_math, 0);
    int lm = lua_gettop(L);
    lua_newtable(L);
    int t = lua_gettop(L);
    static const char *const keep[] = {"abs",  "ceil",      "floor", "fmod", "max",        "min",
                                       "modf", "sqrt",      "tointeger", "type", "ult", "huge",
                                       "pi",   "maxinteger", "mininteger"};
    for (size_t i = 0; i < ZR_ARRAY_LEN(keep); i++) {
        lua_getfield(L, lm, keep[i]);
        lua_setfield(L, t, keep[i]);
    }
    static const luaL_Reg own[] = {
        {"exp", m_exp},   {"log", m_log},     {"sin", m_sin},         {"cos", m_cos},
        {"tan", m_tan},   {"asin", m_asin},   {"acos", m_acos},       {"atan", m_atan},
        {"tanh", m_tanh}, {"pow", m_pow},     {"expm1", m_expm1},     {"sigmoid", m_sigmoid},
        {"isfinite", m_isfinite}, {NULL, NULL}};
    luaL_setfuncs(L, own, 0);
    lua_setglobal(L, "math");
    lua_pop(L, 1);
    /* forget the loaded original so nothing can reach math.random */
    lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    lua_pushnil(L);
    lua_setfield(L, -2, "zara.luamath");
    lua_pop(L, 1);
}
