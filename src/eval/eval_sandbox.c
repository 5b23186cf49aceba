// SPDX-License-Identifier: MIT
// The Lua sandbox of evaluation scripts (DESIGN.md §5): a fresh lua_State per evaluation
// with a capped allocator, an instruction budget and a wall-clock limit checked in a count
// hook, only deterministic libraries (ordered pairs, no next, a stable sort, our own math,
// no pattern functions, no addresses in tostring), uncatchable limit errors, and a loader
// that refuses the `^` operator and binary chunks.
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lualib.h>

#include "eval_int.h"

/* ---- allocator, budget, clock ------------------------------------------------------------ */

static void *sbx_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    zr__sbx_t *s = ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        s->mem_used -= old;
        return NULL;
    }
    /* growth beyond the cap fails (Lua then collects and retries once, then raises a
     * memory error); shrinking never fails, as Lua requires */
    if (nsize > old && (nsize - old > s->mem_cap || s->mem_used + (nsize - old) > s->mem_cap))
        return NULL;
    void *p = realloc(ptr, nsize);
    if (!p)
        return NULL;
    s->mem_used = s->mem_used - old + nsize;
    if (s->mem_used > s->mem_peak)
        s->mem_peak = s->mem_used;
    return p;
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void zr__sbx_host(zr__sbx_t *s, int on)
{
    if (on) {
        s->saved_cap = s->mem_cap;
        s->mem_cap = s->mem_cap > SIZE_MAX - (1u << 20) ? SIZE_MAX : s->mem_cap + (1u << 20);
    } else {
        s->mem_cap = s->saved_cap;
    }
}

int zr__sbx_rawglobal(lua_State *L, const char *name)
{
    lua_pushglobaltable(L);
    lua_pushstring(L, name);
    int t = lua_rawget(L, -2);
    lua_remove(L, -2);
    return t;
}

zr__sbx_t *zr__sbx_get(lua_State *L)
{
    void *ud = NULL;
    lua_getallocf(L, &ud);
    return ud;
}

/* Raises the limit error; once a limit was hit every later check raises again, so neither
 * pcall nor a __close handler can continue past it. */
static void sbx_check(lua_State *L, zr__sbx_t *s)
{
    if (!s->fatal && s->used > s->budget)
        s->fatal = ZR_EBUDGET;
    if (!s->fatal && s->deadline_ns && now_ns() > s->deadline_ns)
        s->fatal = ZR_EWALLCLOCK;
    if (!s->fatal && s->cancel && *s->cancel)
        s->fatal = ZR_EINTERRUPTED;
    if (s->fatal == ZR_EINTERRUPTED)
        luaL_error(L, "interrupted");
    if (s->fatal == ZR_EBUDGET)
        luaL_error(L, "instruction budget of %I units exhausted", (lua_Integer)s->budget);
    if (s->fatal == ZR_EWALLCLOCK)
        luaL_error(L, "wall-clock limit exceeded");
}

static void sbx_hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    zr__sbx_t *s = zr__sbx_get(L);
    s->used += ZR__SBX_PERIOD;
    sbx_check(L, s);
}

void zr__sbx_charge(lua_State *L, uint64_t units)
{
    zr__sbx_t *s = zr__sbx_get(L);
    s->used += units;
    if (s->used < units) /* wrapped */
        s->used = UINT64_MAX;
    sbx_check(L, s);
}

void zr__sbx_rearm(zr__sbx_t *s, const zr_eval_limits_t *lim)
{
    s->used = 0;
    s->fatal = 0;
    s->budget = lim->budget;
    s->cancel = lim->cancel;
    s->deadline_ns = lim->wall_ms ? now_ns() + (uint64_t)lim->wall_ms * 1000000ull : 0;
}

/* ---- base library replacements ------------------------------------------------------------ */

static int unavailable(lua_State *L)
{
    return luaL_error(L, "%s is not available in the evaluation sandbox",
                      lua_tostring(L, lua_upvalueindex(1)));
}

static void set_unavailable(lua_State *L, int table, const char *field, const char *label)
{
    table = lua_absindex(L, table);
    lua_pushstring(L, label);
    lua_pushcclosure(L, unavailable, 1);
    lua_setfield(L, table, field);
}

/* A global table (io, os, ...) whose every field is an error naming it. */
static int forbidden_index(lua_State *L)
{
    const char *lib = lua_tostring(L, lua_upvalueindex(1));
    const char *key = lua_tostring(L, 2);
    return luaL_error(L, "%s.%s is not available in the evaluation sandbox", lib, key ? key : "?");
}

static void set_forbidden_lib(lua_State *L, const char *name)
{
    lua_newtable(L);
    lua_newtable(L);
    lua_pushstring(L, name);
    lua_pushcclosure(L, forbidden_index, 1);
    lua_setfield(L, -2, "__index");
    lua_pushliteral(L, "locked");
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    lua_setglobal(L, name);
}

/* tostring without addresses: tables, functions, userdata and threads print their type. */
static const char *safe_tostring(lua_State *L, int idx, size_t *len)
{
    idx = lua_absindex(L, idx);
    if (luaL_getmetafield(L, idx, "__tostring") != LUA_TNIL) {
        lua_pop(L, 1);
        return luaL_tolstring(L, idx, len);
    }
    switch (lua_type(L, idx)) {
    case LUA_TNUMBER:
        /* the sign of a NaN differs between CPUs (x86 makes -nan, arm64 nan) */
        if (isnan(lua_tonumber(L, idx))) {
            lua_pushliteral(L, "nan");
            return lua_tolstring(L, -1, len);
        }
        return luaL_tolstring(L, idx, len);
    case LUA_TTABLE:
    case LUA_TFUNCTION:
    case LUA_TUSERDATA:
    case LUA_TLIGHTUSERDATA:
    case LUA_TTHREAD:
        lua_pushstring(L, luaL_typename(L, idx));
        return lua_tolstring(L, -1, len);
    default:
        return luaL_tolstring(L, idx, len);
    }
}

static int b_tostring(lua_State *L)
{
    luaL_checkany(L, 1);
    safe_tostring(L, 1, NULL);
    return 1;
}

static int b_print(lua_State *L)
{
    zr__sbx_t *s = zr__sbx_get(L);
    int n = lua_gettop(L);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int i = 1; i <= n; i++) {
        if (i > 1)
            luaL_addchar(&b, '\t');
        safe_tostring(L, i, NULL);
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    size_t len;
    const char *line = lua_tolstring(L, -1, &len);
    zr__sbx_charge(L, 1 + len / 16);
    if (s->print)
        s->print(s->print_ud, line);
    return 0;
}

static int b_pcall(lua_State *L)
{
    luaL_checkany(L, 1);
    int st = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
    zr__sbx_t *s = zr__sbx_get(L);
    if (st != LUA_OK) {
        if (st == LUA_ERRMEM || s->fatal || s->model_fault)
            return lua_error(L); /* limits and model faults cannot be caught */
        lua_pushboolean(L, 0);
        lua_insert(L, -2);
        return 2;
    }
    lua_pushboolean(L, 1);
    lua_insert(L, 1);
    return lua_gettop(L);
}

static int b_xpcall(lua_State *L)
{
    int n = lua_gettop(L);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 2);
    lua_replace(L, 1);
    lua_replace(L, 2); /* handler, f, args... */
    int st = lua_pcall(L, n - 2, LUA_MULTRET, 1);
    zr__sbx_t *s = zr__sbx_get(L);
    if (st != LUA_OK) {
        if (st == LUA_ERRMEM || s->fatal || s->model_fault)
            return lua_error(L);
        lua_pushboolean(L, 0);
        lua_insert(L, -2);
        return 2;
    }
    lua_pushboolean(L, 1);
    lua_replace(L, 1);
    return lua_gettop(L);
}

static const char g_mt_mark = 0; /* key (by address) marking metatable copies we made */

/* setmetatable installs a private copy of the metatable (so fields added later cannot turn
 * on __gc or __mode, which would make garbage collection observable); getmetatable still
 * returns the script's own table through __metatable. */
static int b_setmetatable(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    int t = lua_type(L, 2);
    luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
    if (lua_getmetatable(L, 1)) {
        /* our copies carry __metatable only to hide themselves: they may be replaced */
        int ours = lua_rawgetp(L, -1, &g_mt_mark) != LUA_TNIL;
        lua_pop(L, 1);
        lua_pushliteral(L, "__metatable");
        int prot = lua_rawget(L, -2) != LUA_TNIL;
        lua_pop(L, 2);
        if (prot && !ours)
            return luaL_error(L, "cannot change a protected metatable");
    }
    if (t == LUA_TNIL) {
        lua_settop(L, 1);
        lua_pushnil(L);
        lua_setmetatable(L, 1);
        return 1;
    }
    static const char *const banned[] = {"__gc", "__mode"};
    for (size_t i = 0; i < ZR_ARRAY_LEN(banned); i++) {
        lua_pushstring(L, banned[i]);
        if (lua_rawget(L, 2) != LUA_TNIL)
            return luaL_error(L, "setmetatable: %s is not available in the evaluation sandbox "
                                 "(garbage collection must not be observable)", banned[i]);
        lua_pop(L, 1);
    }
    lua_settop(L, 2);
    lua_newtable(L); /* 3: the copy */
    uint64_t fields = 0;
    lua_pushnil(L);
    while (lua_next(L, 2) != 0) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, 3);
        fields++;
    }
    zr__sbx_charge(L, 1 + fields);
    lua_pushliteral(L, "__metatable");
    if (lua_rawget(L, 3) == LUA_TNIL) {
        lua_pushvalue(L, 2);
        lua_setfield(L, 3, "__metatable");
        lua_pushboolean(L, 1);
        lua_rawsetp(L, 3, &g_mt_mark);
    }
    lua_pop(L, 1);
    lua_setmetatable(L, 1);
    lua_settop(L, 1);
    return 1;
}

/* ---- ordered pairs -------------------------------------------------------------------------- */

typedef struct key_ent {
    int kind; /* 0 number, 1 string, 2 boolean */
    int isint;
    lua_Integer i;
    double d;
    const char *s;
    size_t len;
    int idx; /* position in the key list */
} key_ent_t;

static int key_cmp(const void *pa, const void *pb)
{
    const key_ent_t *a = pa, *b = pb;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->kind == 0) {
        if (a->isint && b->isint)
            return a->i < b->i ? -1 : a->i > b->i;
        if (a->d != b->d)
            return a->d < b->d ? -1 : 1;
        if (a->isint != b->isint) /* equal as doubles: integer first */
            return a->isint ? -1 : 1;
        return 0;
    }
    if (a->kind == 1) {
        size_t m = a->len < b->len ? a->len : b->len;
        int c = memcmp(a->s, b->s, m);
        if (c)
            return c < 0 ? -1 : 1;
        return a->len < b->len ? -1 : a->len > b->len;
    }
    return (int)a->i - (int)b->i;
}

static int pairs_iter(lua_State *L)
{
    lua_Integer pos = lua_tointeger(L, lua_upvalueindex(2));
    lua_Integer n = (lua_Integer)lua_rawlen(L, lua_upvalueindex(1));
    while (pos < n) {
        pos++;
        lua_rawgeti(L, lua_upvalueindex(1), pos);
        lua_pushvalue(L, -1);
        lua_rawget(L, 1);
        if (!lua_isnil(L, -1)) {
            lua_pushinteger(L, pos);
            lua_replace(L, lua_upvalueindex(2));
            return 2;
        }
        lua_pop(L, 2);
    }
    lua_pushinteger(L, pos);
    lua_replace(L, lua_upvalueindex(2));
    lua_pushnil(L);
    return 1;
}

static int b_pairs(lua_State *L)
{
    luaL_checkany(L, 1);
    if (luaL_getmetafield(L, 1, "__pairs") != LUA_TNIL) {
        lua_pushvalue(L, 1);
        lua_call(L, 1, 3);
        return 3;
    }
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    lua_newtable(L); /* 2: keys in table order */
    lua_Integer n = 0;
    lua_pushnil(L);
    while (lua_next(L, 1) != 0) {
        lua_pop(L, 1);
        int t = lua_type(L, -1);
        if (t != LUA_TNUMBER && t != LUA_TSTRING && t != LUA_TBOOLEAN)
            return luaL_error(L, "pairs: a key of type %s has no deterministic order "
                                 "(only number, string and boolean keys can be iterated)",
                              lua_typename(L, t));
        lua_pushvalue(L, -1);
        lua_rawseti(L, 2, ++n);
    }
    zr__sbx_charge(L, 1 + (uint64_t)n * 8);
    key_ent_t *ents = n ? lua_newuserdatauv(L, (size_t)n * sizeof *ents, 0) : NULL; /* 3 */
    for (lua_Integer k = 1; k <= n; k++) {
        key_ent_t *e = &ents[k - 1];
        memset(e, 0, sizeof *e);
        e->idx = (int)k;
        lua_rawgeti(L, 2, k);
        switch (lua_type(L, -1)) {
        case LUA_TNUMBER:
            e->kind = 0;
            e->isint = lua_isinteger(L, -1);
            if (e->isint) {
                e->i = lua_tointeger(L, -1);
                e->d = (double)e->i;
            } else {
                e->d = lua_tonumber(L, -1);
            }
            break;
        case LUA_TSTRING:
            e->kind = 1;
            e->s = lua_tolstring(L, -1, &e->len); /* anchored by the key list */
            break;
        default:
            e->kind = 2;
            e->i = lua_toboolean(L, -1);
            break;
        }
        lua_pop(L, 1);
    }
    if (n)
        qsort(ents, (size_t)n, sizeof *ents, key_cmp); /* keys are distinct: order is total */
    lua_createtable(L, (int)n, 0); /* 4: sorted keys */
    for (lua_Integer k = 1; k <= n; k++) {
        lua_rawgeti(L, 2, ents[k - 1].idx);
        lua_rawseti(L, 4, k);
    }
    lua_pushinteger(L, 0);
    lua_pushcclosure(L, pairs_iter, 2);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

/* ---- stable sort --------------------------------------------------------------------------- */

/* a < b at the two top stack slots, through comp (index) or the < operator; pops both. */
static int sort_less(lua_State *L, int comp)
{
    int r;
    if (comp) {
        lua_pushvalue(L, comp);
        lua_insert(L, -3);
        lua_call(L, 2, 1);
        r = lua_toboolean(L, -1);
        lua_pop(L, 1);
    } else {
        r = lua_compare(L, -2, -1, LUA_OPLT);
        lua_pop(L, 2);
    }
    return r;
}

static int t_sort(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    int comp = 0;
    if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TFUNCTION);
        comp = 2;
    }
    lua_settop(L, 2);
    lua_Integer n = luaL_len(L, 1);
    if (n < 2)
        return 0;
    if (n > (lua_Integer)1 << 30)
        return luaL_error(L, "table.sort: array too big");
    lua_createtable(L, (int)n, 0); /* 3: a */
    lua_createtable(L, (int)n, 0); /* 4: b */
    zr__sbx_charge(L, (uint64_t)n);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_geti(L, 1, i);
        lua_rawseti(L, 3, i);
    }
    /* bottom-up merge sort: runs of width w from src merged into dst; on equal keys the
     * left run wins, which makes it stable for any comparator */
    int src = 3, dst = 4;
    for (lua_Integer w = 1; w < n; w *= 2) {
        zr__sbx_charge(L, (uint64_t)n);
        for (lua_Integer lo = 1; lo <= n; lo += 2 * w) {
            lua_Integer mid = lo + w - 1 < n ? lo + w - 1 : n;
            lua_Integer hi = lo + 2 * w - 1 < n ? lo + 2 * w - 1 : n;
            lua_Integer i = lo, j = mid + 1, k = lo;
            while (i <= mid && j <= hi) {
                lua_rawgeti(L, src, j);
                lua_rawgeti(L, src, i);
                if (sort_less(L, comp)) { /* right < left: take right */
                    lua_rawgeti(L, src, j++);
                } else {
                    lua_rawgeti(L, src, i++);
                }
                lua_rawseti(L, dst, k++);
            }
            while (i <= mid) {
                lua_rawgeti(L, src, i++);
                lua_rawseti(L, dst, k++);
            }
            while (j <= hi) {
                lua_rawgeti(L, src, j++);
                lua_rawseti(L, dst, k++);
            }
        }
        int t = src;
        src = dst;
        dst = t;
    }
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, src, i);
        lua_seti(L, 1, i);
    }
    return 0;
}

/* ---- charging wrappers for C library functions whose cost grows with their input --------- */

/* upvalue 1: the original function; upvalue 2: kind. The cost is the total length of the
 * string arguments (plus the result size for rep, the range for table functions). */
enum { W_STR = 0, W_REP, W_RANGE, W_TLEN, W_PACK };

static int charged(lua_State *L)
{
    int kind = (int)lua_tointeger(L, lua_upvalueindex(2));
    int n = lua_gettop(L);
    uint64_t cost = 1;
    for (int i = 1; i <= n; i++)
        if (lua_type(L, i) == LUA_TSTRING)
            cost += lua_rawlen(L, i) / 16;
    if (kind == W_REP && lua_type(L, 1) == LUA_TSTRING && lua_isinteger(L, 2)) {
        lua_Integer reps = lua_tointeger(L, 2);
        size_t sep = lua_type(L, 3) == LUA_TSTRING ? lua_rawlen(L, 3) : 0;
        if (reps > 0) {
            double total = (double)reps * (double)(lua_rawlen(L, 1) + sep + 1);
            cost += total > 1e18 ? (uint64_t)1e18 : (uint64_t)total / 16;
        }
    } else if (kind == W_RANGE) {
        /* table.concat(t, sep, i, j) / table.unpack(t, i, j) / table.move(a, f, e, t) */
        int fi = lua_type(L, 2) == LUA_TSTRING || lua_isnoneornil(L, 2) ? 3 : 2;
        if (lua_type(L, 1) == LUA_TTABLE) {
            lua_Integer lo = lua_isinteger(L, fi) ? lua_tointeger(L, fi) : 1;
            lua_Integer hi = lua_isinteger(L, fi + 1) ? lua_tointeger(L, fi + 1)
                                                      : (lua_Integer)lua_rawlen(L, 1);
            if (hi >= lo) {
                double span = (double)hi - (double)lo + 1;
                cost += span > 1e18 ? (uint64_t)1e18 : (uint64_t)span;
            }
        }
    } else if (kind == W_TLEN && lua_type(L, 1) == LUA_TTABLE) {
        cost += lua_rawlen(L, 1) / 4;
    }
    if (kind == W_PACK) { /* one NaN bit pattern on every CPU */
        for (int i = 2; i <= n; i++)
            if (lua_type(L, i) == LUA_TNUMBER && !lua_isinteger(L, i) && isnan(lua_tonumber(L, i))) {
                lua_pushnumber(L, fabs(lua_tonumber(L, i)));
                lua_replace(L, i);
            }
    }
    zr__sbx_charge(L, cost);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, n, LUA_MULTRET);
    return lua_gettop(L);
}

static void wrap_field(lua_State *L, int table, const char *name, int kind)
{
    table = lua_absindex(L, table);
    if (lua_getfield(L, table, name) != LUA_TFUNCTION) {
        lua_pop(L, 1);
        return;
    }
    lua_pushinteger(L, kind);
    lua_pushcclosure(L, charged, 2);
    lua_setfield(L, table, name);
}

/* string.format without %p (an address) and with addresses removed from %s arguments. */
static int s_format(lua_State *L)
{
    size_t flen;
    const char *f = luaL_checklstring(L, 1, &flen);
    for (size_t i = 0; i < flen; i++) {
        if (f[i] != '%')
            continue;
        i++;
        while (i < flen && strchr("-+ #0123456789.", f[i]))
            i++;
        if (i < flen && f[i] == 'p')
            return luaL_error(L, "string.format: %%p is not available in the evaluation sandbox");
    }
    int n = lua_gettop(L);
    for (int i = 2; i <= n; i++) {
        int t = lua_type(L, i);
        if (t == LUA_TNUMBER && !lua_isinteger(L, i) && isnan(lua_tonumber(L, i))) {
            lua_pushnumber(L, fabs(lua_tonumber(L, i))); /* one NaN text on every CPU */
            lua_replace(L, i);
        } else if (t == LUA_TTABLE || t == LUA_TFUNCTION || t == LUA_TUSERDATA || t == LUA_TTHREAD ||
            t == LUA_TLIGHTUSERDATA) {
            safe_tostring(L, i, NULL);
            lua_replace(L, i);
        }
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, n, 1);
    return 1;
}

/* string.find with plain search only: patterns can backtrack for minutes inside one C call
 * where no hook fires, so the pattern functions are gone and find needs plain = true (or a
 * needle with no magic characters). */
static int s_find(lua_State *L)
{
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    lua_Integer init = luaL_optinteger(L, 3, 1);
    int plain = lua_toboolean(L, 4);
    if (!plain && strpbrk(p, "^$*+?.([%-") != NULL)
        return luaL_error(L, "string.find: patterns are not available in the evaluation sandbox "
                             "(pass plain = true)");
    if (init < 0)
        init = (lua_Integer)ls + init + 1;
    if (init < 1)
        init = 1;
    if (init > (lua_Integer)ls + 1) {
        lua_pushnil(L);
        return 1;
    }
    zr__sbx_charge(L, 1 + (ls + lp) / 4);
    size_t start = (size_t)init - 1;
    if (lp == 0) {
        lua_pushinteger(L, init);
        lua_pushinteger(L, init - 1);
        return 2;
    }
    for (size_t i = start; i + lp <= ls; i++) {
        if (s[i] == p[0] && memcmp(s + i, p, lp) == 0) {
            lua_pushinteger(L, (lua_Integer)i + 1);
            lua_pushinteger(L, (lua_Integer)(i + lp));
            return 2;
        }
    }
    lua_pushnil(L);
    return 1;
}

static void open_safe_libs(lua_State *L)
{
    luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
    lua_pop(L, 1);
    luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
    lua_pop(L, 1);
    luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
    lua_pop(L, 1);
    luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 1);
    lua_pop(L, 1);

    lua_pushglobaltable(L);
    int g = lua_gettop(L);
    static const char *const gone[] = {"dofile", "loadfile", "load", "collectgarbage", "next",
                                       "require", "warn", "loadstring", "module"};
    for (size_t i = 0; i < ZR_ARRAY_LEN(gone); i++)
        set_unavailable(L, g, gone[i], gone[i]);
    static const luaL_Reg repl[] = {
        {"tostring", b_tostring}, {"print", b_print},         {"pcall", b_pcall},
        {"xpcall", b_xpcall},     {"setmetatable", b_setmetatable}, {"pairs", b_pairs},
        {NULL, NULL}};
    luaL_setfuncs(L, repl, 0);
    static const char *const libs[] = {"io", "os", "package", "debug", "coroutine"};
    for (size_t i = 0; i < ZR_ARRAY_LEN(libs); i++)
        set_forbidden_lib(L, libs[i]);

    lua_getglobal(L, "string");
    int str = lua_gettop(L);
    static const char *const sgone[] = {"match", "gmatch", "gsub", "dump"};
    for (size_t i = 0; i < ZR_ARRAY_LEN(sgone); i++) {
        char label[32];
        snprintf(label, sizeof label, "string.%s", sgone[i]);
        set_unavailable(L, str, sgone[i], label);
    }
    lua_pushcfunction(L, s_find);
    lua_setfield(L, str, "find");
    lua_getfield(L, str, "format");
    lua_pushcclosure(L, s_format, 1);
    lua_setfield(L, str, "format");
    static const char *const scharge[] = {"byte", "char", "len", "lower", "upper", "reverse", "sub",
                                          "unpack", "packsize", "format", "find"};
    for (size_t i = 0; i < ZR_ARRAY_LEN(scharge); i++)
        wrap_field(L, str, scharge[i], W_STR);
    wrap_field(L, str, "rep", W_REP);
    wrap_field(L, str, "pack", W_PACK);
    /* protect the string metatable (its __index is this table) */
    lua_pushliteral(L, "");
    if (lua_getmetatable(L, -1)) {
        lua_pushliteral(L, "string");
        lua_setfield(L, -2, "__metatable");
        lua_pop(L, 1);
    }
    lua_pop(L, 2);

    lua_getglobal(L, "table");
    int tab = lua_gettop(L);
    lua_pushcfunction(L, t_sort);
    lua_setfield(L, tab, "sort");
    wrap_field(L, tab, "concat", W_RANGE);
    wrap_field(L, tab, "unpack", W_RANGE);
    wrap_field(L, tab, "insert", W_TLEN);
    wrap_field(L, tab, "remove", W_TLEN);
    lua_pop(L, 1);

    lua_getglobal(L, "utf8");
    int u = lua_gettop(L);
    static const char *const uw[] = {"char", "codepoint", "len", "offset", "codes"};
    for (size_t i = 0; i < ZR_ARRAY_LEN(uw); i++)
        wrap_field(L, u, uw[i], W_STR);
    lua_pop(L, 1);
    lua_pop(L, 1); /* globals */
}

/* table.move(a1, f, e, t [, a2]) loops in C over [f, e] even across nils. */
static int t_move(lua_State *L)
{
    lua_Integer f = luaL_checkinteger(L, 2);
    lua_Integer e = luaL_checkinteger(L, 3);
    if (e >= f) {
        double span = (double)e - (double)f + 1;
        zr__sbx_charge(L, span > 1e18 ? (uint64_t)1e18 : (uint64_t)span);
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

/* ---- the `^` scan -------------------------------------------------------------------------- */

/* Level of a long bracket [==[ at src[i] ('[' followed by '='* and '['), or -1. */
static int long_bracket(const char *src, size_t len, size_t i)
{
    if (i >= len || src[i] != '[')
        return -1;
    size_t j = i + 1;
    int level = 0;
    while (j < len && src[j] == '=') {
        level++;
        j++;
    }
    return j < len && src[j] == '[' ? level : -1;
}

/* Index just past the closing ]==] of the given level starting the search at i; counts
 * newlines. len when unterminated. */
static size_t skip_long(const char *src, size_t len, size_t i, int level, int *line)
{
    for (; i < len; i++) {
        if (src[i] == '\n')
            (*line)++;
        if (src[i] != ']')
            continue;
        size_t j = i + 1;
        int l = 0;
        while (j < len && src[j] == '=') {
            l++;
            j++;
        }
        if (l == level && j < len && src[j] == ']')
            return j + 1;
    }
    return len;
}

int zr__scan_pow(const char *src, size_t len, int *line)
{
    int ln = 1;
    size_t i = 0;
    /* a first line starting with '#' is skipped by Lua's file loader; we load text chunks
     * from memory, where it is a syntax error anyway */
    while (i < len) {
        char c = src[i];
        if (c == '\n') {
            ln++;
            i++;
        } else if (c == '-' && i + 1 < len && src[i + 1] == '-') {
            i += 2;
            int level = long_bracket(src, len, i);
            if (level >= 0) {
                i = skip_long(src, len, i + (size_t)level + 2, level, &ln);
            } else {
                while (i < len && src[i] != '\n')
                    i++;
            }
        } else if (c == '[') {
            int level = long_bracket(src, len, i);
            if (level >= 0)
                i = skip_long(src, len, i + (size_t)level + 2, level, &ln);
            else
                i++;
        } else if (c == '"' || c == '\'') {
            i++;
            while (i < len && src[i] != c && src[i] != '\n') {
                if (src[i] == '\\' && i + 1 < len) {
                    if (src[i + 1] == '\n')
                        ln++;
                    i += 2;
                } else {
                    i++;
                }
            }
            if (i < len && src[i] == c)
                i++;
        } else if (c == '^') {
            *line = ln;
            return ZR_EPOW;
        } else {
            i++;
        }
    }
    return 0;
}

/* ---- state lifecycle and calls -------------------------------------------------------------- */

/* Makes the error object a string here, inside the protected call, so the host never
 * converts (allocates) outside one. */
static int msg_handler(lua_State *L)
{
    if (lua_type(L, 1) == LUA_TNUMBER) {
        lua_pushstring(L, lua_tostring(L, 1));
        lua_replace(L, 1);
    } else if (lua_type(L, 1) != LUA_TSTRING) {
        lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
        lua_replace(L, 1);
    }
    return 1;
}

static int sbx_setup(lua_State *L)
{
    open_safe_libs(L);
    lua_getglobal(L, "table");
    lua_getfield(L, -1, "move");
    lua_pushcclosure(L, t_move, 1);
    lua_setfield(L, -2, "move");
    lua_pop(L, 1);
    zr__math_open(L);
    zr__rng_open(L);
    zr__tensor_open(L);
    zr__metrics_open(L);
    return 0;
}

/* Lua compares strings with strcoll and prints numbers with the locale's decimal point:
 * scripts run in the "C" locale on the calling thread whatever the process uses. */
static locale_t g_c_locale;
static pthread_once_t g_c_locale_once = PTHREAD_ONCE_INIT;

static void make_c_locale(void)
{
    g_c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

int zr__sbx_open(zr__sbx_t *s, const zr_eval_limits_t *lim)
{
    s->L = NULL;
    pthread_once(&g_c_locale_once, make_c_locale);
    if (!g_c_locale)
        return ZR_ENOMEM;
    s->prev_locale = uselocale(g_c_locale);
    s->mem_used = 0;
    s->mem_peak = 0;
    s->mem_cap = lim->mem_cap;
    s->model_fault = 0;
    s->model_msg[0] = 0;
    zr__sbx_rearm(s, lim);
    s->budget = UINT64_MAX; /* library setup is not the script's work */
    lua_State *L = lua_newstate(sbx_alloc, s);
    if (!L) {
        uselocale(s->prev_locale);
        return ZR_EMEMCAP;
    }
    s->L = L;
    lua_pushcfunction(L, sbx_setup);
    int st = lua_pcall(L, 0, 0, 0);
    if (st != LUA_OK) {
        int rc = st == LUA_ERRMEM ? ZR_EMEMCAP : ZR_ESCRIPT;
        zr__sbx_close(s);
        return rc;
    }
    lua_settop(L, 0);
    lua_sethook(L, sbx_hook, LUA_MASKCOUNT, (int)ZR__SBX_PERIOD);
    zr__sbx_rearm(s, lim);
    return 0;
}

void zr__sbx_close(zr__sbx_t *s)
{
    if (s && s->L) {
        s->budget = UINT64_MAX;
        s->deadline_ns = 0;
        s->fatal = 0;
        lua_close(s->L);
        s->L = NULL;
        uselocale(s->prev_locale);
    }
}

int zr__sbx_call(zr__sbx_t *s, int nargs, int nresults, char *msg, size_t msg_cap)
{
    lua_State *L = s->L;
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, msg_handler);
    lua_insert(L, base);
    int st = lua_pcall(L, nargs, nresults, base);
    lua_remove(L, base);
    if (st == LUA_OK)
        return 0;
    const char *m = lua_tostring(L, -1);
    int rc;
    if (s->model_fault) {
        rc = s->model_fault;
        m = s->model_msg;
    } else if (s->fatal) {
        rc = s->fatal;
    } else if (st == LUA_ERRMEM) {
        rc = ZR_EMEMCAP;
        m = "memory cap exceeded";
    } else {
        rc = ZR_ESCRIPT;
    }
    if (msg && msg_cap)
        snprintf(msg, msg_cap, "%s", m ? m : "error");
    lua_pop(L, 1);
    return rc;
}

int zr__sbx_load(zr__sbx_t *s, const char *script, size_t len, char *msg, size_t msg_cap)
{
    int line = 0;
    if (zr__scan_pow(script, len, &line) != 0) {
        snprintf(msg, msg_cap,
                 "eval:%d: the ^ operator is not available in the evaluation sandbox (it calls the C "
                 "library's pow, which differs between machines); use math.pow(x, y)",
                 line);
        return ZR_EPOW;
    }
    lua_State *L = s->L;
    int st = luaL_loadbufferx(L, script, len, ZR__SBX_CHUNK, "t");
    if (st != LUA_OK) {
        const char *m = lua_tostring(L, -1);
        snprintf(msg, msg_cap, "%s", st == LUA_ERRMEM ? "memory cap exceeded while compiling"
                                                       : (m ? m : "cannot load the script"));
        lua_pop(L, 1);
        return st == LUA_ERRMEM ? ZR_EMEMCAP : ZR_ESCRIPT;
    }
    return zr__sbx_call(s, 0, 0, msg, msg_cap);
}
