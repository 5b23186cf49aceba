// SPDX-License-Identifier: MIT
// The Lua sandbox: hostile scripts (endless loops, endless allocation, deep recursion, io/os/
// require/load/string.dump, `^`, next, backtracking patterns, limit errors caught by pcall)
// each end in the right error within bounded time and memory; ordered pairs, stable sort,
// tostring without addresses, and the `^` scanner's handling of comments and strings.
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "eval_int.h"
#include "zt.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void small_limits(zr_eval_limits_t *l)
{
    zr_eval_limits_default(l);
    l->budget = 20000000;  /* about 0.1 s of Lua */
    l->mem_cap = 16u << 20;
    l->wall_ms = 10000;
}

/* Runs src in a sandbox; returns the code and the message. The script's global `out` (a
 * string) is copied to out when present. */
static int run(const char *src, const zr_eval_limits_t *lim, char *msg, size_t msg_cap, char *out, size_t out_cap)
{
    zr__sbx_t s;
    memset(&s, 0, sizeof s);
    int rc = zr__sbx_open(&s, lim);
    assert_int_equal(rc, 0);
    msg[0] = 0;
    rc = zr__sbx_load(&s, src, strlen(src), msg, msg_cap);
    if (out) {
        out[0] = 0;
        if (lua_getglobal(s.L, "out") == LUA_TSTRING)
            snprintf(out, out_cap, "%s", lua_tostring(s.L, -1));
        lua_pop(s.L, 1);
    }
    assert_true(s.mem_peak <= lim->mem_cap);
    zr__sbx_close(&s);
    return rc;
}

typedef struct hostile {
    const char *name;
    const char *src;
    int want;          /* expected code */
    const char *needle; /* expected in the message */
} hostile_t;

static const hostile_t HOSTILE[] = {
    {"endless loop", "while true do end", ZR_EBUDGET, "budget"},
    {"endless loop in a function", "local function f() for i = 1, 1e18 do end end f()", ZR_EBUDGET, "budget"},
    {"endless allocation", "local t = {} local i = 1 while true do t[i] = {i} i = i + 1 end", ZR_EMEMCAP, "memory"},
    {"endless string growth", "local s = 'x' while true do s = s .. s end", ZR_EMEMCAP, "memory"},
    {"huge string.rep", "local s = string.rep('x', 1 << 40)", ZR_EBUDGET, "budget"},
    {"string.rep over the cap", "local s = string.rep('x', 1 << 26)", ZR_EMEMCAP, "memory"},
    {"huge tensor", "local t = tensor.zeros(10000, 10000)", ZR_EMEMCAP, "memory"},
    {"deep recursion", "local function f(n) return 1 + f(n + 1) end f(1)", ZR_EMEMCAP, "memory"},
    {"deep pcall recursion ends", "local function f() return pcall(f) end f()", ZR_OK, NULL},
    {"deep pcall recursion error", "local function f() local ok, e = pcall(f) error(e, 0) end f()", ZR_ESCRIPT, "stack overflow"},
    {"os.execute", "os.execute('touch /tmp/zara-sandbox-escape')", ZR_ESCRIPT, "os.execute is not available"},
    {"io.open", "local f = io.open('/etc/passwd')", ZR_ESCRIPT, "io.open is not available"},
    {"require", "local m = require('os')", ZR_ESCRIPT, "require is not available"},
    {"load", "local f = load('return 1')", ZR_ESCRIPT, "load is not available"},
    {"loadfile", "loadfile('/etc/passwd')", ZR_ESCRIPT, "loadfile is not available"},
    {"dofile", "dofile('/etc/passwd')", ZR_ESCRIPT, "dofile is not available"},
    {"string.dump", "local d = string.dump(function() end)", ZR_ESCRIPT, "string.dump is not available"},
    {"dump as a method", "local d = ('x').dump", ZR_OK, NULL},
    {"debug", "debug.sethook()", ZR_ESCRIPT, "debug.sethook is not available"},
    {"package", "local p = package.loaded", ZR_ESCRIPT, "package.loaded is not available"},
    {"collectgarbage", "collectgarbage('count')", ZR_ESCRIPT, "collectgarbage is not available"},
    {"coroutine", "coroutine.create(print)", ZR_ESCRIPT, "coroutine.create is not available"},
    {"next", "local k = next({1})", ZR_ESCRIPT, "next is not available"},
    {"pow operator", "local x = 2 ^ 10", ZR_EPOW, "math.pow"},
    {"pow in a function", "local y = 3\nlocal function f(x)\n  return x^2\nend", ZR_EPOW, "eval:3:"},
    {"backtracking match", "local s = string.rep('a', 30) return s:match('(a*)*b')", ZR_ESCRIPT, "string.match is not available"},
    {"backtracking gsub", "string.gsub(string.rep('a', 40), '(.-)(.-)(.-)b', '')", ZR_ESCRIPT, "string.gsub is not available"},
    {"gmatch", "for w in string.gmatch('a b', '%a+') do end", ZR_ESCRIPT, "string.gmatch is not available"},
    {"find with a pattern", "string.find(string.rep('a', 40), '.-.-.-b')", ZR_ESCRIPT, "patterns are not available"},
    {"format %p", "local s = string.format('%p', {})", ZR_ESCRIPT, "%p"},
    {"__gc", "setmetatable({}, {__gc = function() end})", ZR_ESCRIPT, "__gc"},
    {"__mode", "setmetatable({}, {__mode = 'k'})", ZR_ESCRIPT, "__mode"},
    {"pairs over table keys", "for k in pairs({[{}] = 1}) do end", ZR_ESCRIPT, "deterministic order"},
    {"binary chunk", "\x1bLua", ZR_ESCRIPT, "binary"},
    {"syntax error", "function (", ZR_ESCRIPT, "eval:1:"},
    {"error object", "error({})", ZR_ESCRIPT, "error object is a table"},
    {"pcall cannot catch the budget", "while true do pcall(function() while true do end end) end", ZR_EBUDGET, "budget"},
    {"pcall cannot catch memory", "local ok = pcall(function() local s = 'x' while true do s = s .. s end end) out = 'caught'", ZR_EMEMCAP, "memory"},
    {"xpcall cannot catch the budget", "xpcall(function() while true do end end, function(m) return m end) out = 'caught'", ZR_EBUDGET, "budget"},
    {"__close cannot extend the budget",
     "do local x <close> = setmetatable({}, {__close = function() while true do end end}) while true do end end",
     ZR_EBUDGET, "budget"},
    {"table.move over a huge range", "table.move({}, 1, 1 << 50, 2)", ZR_EBUDGET, "budget"},
    {"table.concat over a huge range", "table.concat({}, ',', 1, 1 << 50)", ZR_EBUDGET, "budget"},
    {"sort with a bad comparator", "local t = {} for i = 1, 100 do t[i] = i % 7 end table.sort(t, function(a, b) return true end)", ZR_OK, NULL},
    {"tensor map runs in the budget", "tensor.zeros(1000000):map(function(x) while true do end end)", ZR_EBUDGET, "budget"},
};

static void test_hostile(void **state)
{
    (void)state;
    zr_eval_limits_t lim;
    small_limits(&lim);
    for (size_t i = 0; i < ZR_ARRAY_LEN(HOSTILE); i++) {
        const hostile_t *h = &HOSTILE[i];
        char msg[512], out[64];
        double t0 = now_s();
        int rc = run(h->src, &lim, msg, sizeof msg, out, sizeof out);
        double dt = now_s() - t0;
        if (rc != h->want || (h->needle && !strstr(msg, h->needle)) || dt > 5.0) {
            fprintf(stderr, "case '%s': rc %s (want %s), %.2f s, message: %s\n", h->name, zr_err_name(rc),
                    zr_err_name(h->want), dt, msg);
            fail();
        }
        assert_string_not_equal(out, "caught");
    }
    FILE *f = fopen("/tmp/zara-sandbox-escape", "r");
    assert_null(f);
}

static void test_wall_clock(void **state)
{
    (void)state;
    zr_eval_limits_t lim;
    small_limits(&lim);
    lim.budget = UINT64_MAX / 2;
    lim.wall_ms = 200;
    char msg[256];
    double t0 = now_s();
    int rc = run("while true do end", &lim, msg, sizeof msg, NULL, 0);
    assert_int_equal(rc, ZR_EWALLCLOCK);
    assert_true(now_s() - t0 < 2.0);
}

static void test_deterministic_library(void **state)
{
    (void)state;
    zr_eval_limits_t lim;
    small_limits(&lim);
    char msg[512], out[512];
    /* pairs: numbers ascending, then strings by bytes, then booleans, whatever the order of
     * insertion; deleting during iteration skips the deleted key */
    const char *src =
        "local t = {}\n"
        "t.zeta = 1; t[10] = 2; t.alpha = 3; t[-1.5] = 4; t[2] = 5; t['B'] = 6; t[true] = 7; t[1] = 8\n"
        "t[false] = 9; t[''] = 10\n"
        "local parts = {}\n"
        "for k, v in pairs(t) do parts[#parts + 1] = tostring(k) .. '=' .. v end\n"
        "local u = {}\n"
        "for i = 100, 1, -1 do u['k' .. i] = i end\n"
        "local first\n"
        "for k in pairs(u) do first = first or k end\n"
        "local seen = 0\n"
        "for k in pairs(u) do seen = seen + 1; u['k' .. (101 - seen)] = nil end\n"
        "out = table.concat(parts, ',') .. '|' .. first .. '|' .. seen\n";
    assert_int_equal(run(src, &lim, msg, sizeof msg, out, sizeof out), 0);
    assert_string_equal(out, "-1.5=4,1=8,2=5,10=2,=10,B=6,alpha=3,zeta=1,false=9,true=7|k1|52");

    /* stable sort with and without a comparator */
    src = "local t = {}\n"
          "for i = 1, 50 do t[i] = {key = (i * 7) % 5, id = i} end\n"
          "table.sort(t, function(a, b) return a.key < b.key end)\n"
          "local ok = true\n"
          "for i = 2, 50 do\n"
          "  local a, b = t[i - 1], t[i]\n"
          "  if a.key > b.key or (a.key == b.key and a.id > b.id) then ok = false end\n"
          "end\n"
          "local s = {'pear', 'apple', 'fig', 'Apple'}\n"
          "table.sort(s)\n"
          "out = tostring(ok) .. ' ' .. table.concat(s, ',')\n";
    assert_int_equal(run(src, &lim, msg, sizeof msg, out, sizeof out), 0);
    assert_string_equal(out, "true Apple,apple,fig,pear");

    /* no addresses anywhere */
    src = "out = tostring({}) .. ' ' .. tostring(print) .. ' ' .. string.format('%s %s', {}, 1.5)"
          " .. ' ' .. tostring(tensor.zeros(2)) .. ' ' .. tostring(getmetatable(''))";
    assert_int_equal(run(src, &lim, msg, sizeof msg, out, sizeof out), 0);
    assert_string_equal(out, "table function table 1.5 tensor(2)[0, 0] string");

    /* setmetatable still works for classes; getmetatable returns the script's table */
    src = "local C = {} C.__index = C\n"
          "function C.new(v) return setmetatable({v = v}, C) end\n"
          "function C:get() return self.v end\n"
          "C.__add = function(a, b) return C.new(a.v + b.v) end\n"
          "local x = C.new(2) + C.new(3)\n"
          "out = x:get() .. ' ' .. tostring(getmetatable(x) == C)\n"
          "local D = {} setmetatable(x, D) assert(getmetatable(x) == D) setmetatable(x, nil)\n"
          "assert(getmetatable(x) == nil)\n"
          "local P = setmetatable({}, {__metatable = 'locked'})\n"
          "assert(getmetatable(P) == 'locked' and not pcall(setmetatable, P, {}))\n";
    assert_int_equal(run(src, &lim, msg, sizeof msg, out, sizeof out), 0);
    assert_string_equal(out, "5 true");

    /* one NaN text on every CPU (x86 computes -nan, arm64 nan) */
    src = "local n = 0/0 out = tostring(n) .. ' ' .. tostring(-n) .. ' ' .. string.format('%f %.3g', n, -n)"
          " .. ' ' .. tostring(tensor.full({1}, n)) .. ' ' .. string.byte(string.pack('>d', n), 1)";
    assert_int_equal(run(src, &lim, msg, sizeof msg, out, sizeof out), 0);
    assert_string_equal(out, "nan nan nan nan tensor(1)[nan] 127");

    /* plain find still works */
    src = "local a, b = string.find('hello world', 'o w', 1, true)\n"
          "local c = string.find('a.b', '.', 1, true)\n"
          "out = a .. ' ' .. b .. ' ' .. c .. ' ' .. tostring(string.find('abc', 'bc'))";
    assert_int_equal(run(src, &lim, msg, sizeof msg, out, sizeof out), 0);
    assert_string_equal(out, "5 7 2 2");
}

static void test_pow_scan(void **state)
{
    (void)state;
    static const struct {
        const char *src;
        int line; /* 0: accepted */
    } cases[] = {
        {"local x = 1 -- 2^3 in a comment", 0},
        {"--[[ x^2\n y^3 ]] local y = 1", 0},
        {"--[==[ ]] ^ ]=] ]==] local z = 1", 0},
        {"local s = 'a^b' local t = \"c^d\"", 0},
        {"local s = [[\n^\n]] local t = [=[ ]] ^ ]=]", 0},
        {"local s = 'it\\'s ^'", 0},
        {"local s = \"\\\"^\"", 0},
        {"local a = {} a[ [[x]] ] = 1", 0},
        {"local x = 2^2", 1},
        {"\n\nlocal x = y ^ 2", 3},
        {"--[[ comment ]] x = 1 ^ 2", 1},
        {"-- comment\nx = 2^2", 2},
        {"local s = 'a' ^ 2", 1},
        {"--[==[ unclosed ]=] ]==] x = a^b", 1},
        {"local s = [[\n\n]] x = a^b", 3},
    };
    for (size_t i = 0; i < ZR_ARRAY_LEN(cases); i++) {
        int line = 0;
        int rc = zr__scan_pow(cases[i].src, strlen(cases[i].src), &line);
        if (cases[i].line == 0) {
            if (rc != 0)
                fprintf(stderr, "rejected: %s\n", cases[i].src);
            assert_int_equal(rc, 0);
        } else {
            if (rc != ZR_EPOW || line != cases[i].line)
                fprintf(stderr, "case %s: rc %d line %d\n", cases[i].src, rc, line);
            assert_int_equal(rc, ZR_EPOW);
            assert_int_equal(line, cases[i].line);
        }
    }
}

/* print goes to the host callback, never back to the script */
static void collect(void *ud, const char *line)
{
    zr_buf_t *b = ud;
    zr_buf_append_str(b, line);
    zr_buf_append_byte(b, '\n');
}

static void test_print(void **state)
{
    (void)state;
    zr_eval_limits_t lim;
    small_limits(&lim);
    zr_buf_t b;
    zr_buf_init(&b, 4096);
    zr__sbx_t s;
    memset(&s, 0, sizeof s);
    s.print = collect;
    s.print_ud = &b;
    assert_int_equal(zr__sbx_open(&s, &lim), 0);
    char msg[256];
    const char *src = "print('a', 1, {}, nil) print(tensor.from({1, 2}))";
    assert_int_equal(zr__sbx_load(&s, src, strlen(src), msg, sizeof msg), 0);
    zr__sbx_close(&s);
    assert_string_equal(zr_buf_cstr(&b), "a\t1\ttable\tnil\ntensor(2)[1, 2]\n");
    zr_buf_cleanup(&b);
}

/* the same script twice spends exactly the same budget units */
static void test_work_is_deterministic(void **state)
{
    (void)state;
    zr_eval_limits_t lim;
    small_limits(&lim);
    const char *src = "local t = {} for i = 1, 10000 do t[i] = tostring(i) end table.sort(t) "
                      "local x = tensor.linspace(0, 1, 5000) local y = (x * x):sum()";
    uint64_t used[2];
    for (int r = 0; r < 2; r++) {
        zr__sbx_t s;
        memset(&s, 0, sizeof s);
        assert_int_equal(zr__sbx_open(&s, &lim), 0);
        char msg[256];
        assert_int_equal(zr__sbx_load(&s, src, strlen(src), msg, sizeof msg), 0);
        used[r] = s.used;
        zr__sbx_close(&s);
    }
    assert_true(used[0] > 0);
    assert_int_equal(used[0], used[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_wall_clock),
        cmocka_unit_test(test_deterministic_library),
        cmocka_unit_test(test_pow_scan),
        cmocka_unit_test(test_print),
        cmocka_unit_test(test_work_is_deterministic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
