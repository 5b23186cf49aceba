// SPDX-License-Identifier: MIT
// The script API: tensors (creation, indexing, slicing, reshape, arithmetic with tensors and
// scalars in float32, map, reductions, argmax, printing, errors) checked by assertions inside
// Lua, and the metrics against the same formulas computed here in C.
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "eval_int.h"
#include "zt.h"

static int run(const char *src, char *msg, size_t cap)
{
    zr_eval_limits_t lim;
    zr_eval_limits_default(&lim);
    lim.budget = 100000000;
    lim.mem_cap = 64u << 20;
    zr__sbx_t s;
    memset(&s, 0, sizeof s);
    assert_int_equal(zr__sbx_open(&s, &lim), 0);
    msg[0] = 0;
    int rc = zr__sbx_load(&s, src, strlen(src), msg, cap);
    zr__sbx_close(&s);
    return rc;
}

static void expect_ok(const char *src)
{
    char msg[512];
    int rc = run(src, msg, sizeof msg);
    if (rc)
        fprintf(stderr, "%s\n", msg);
    assert_int_equal(rc, 0);
}

static void test_tensors(void **state)
{
    (void)state;
    expect_ok("local t = tensor.zeros(2, 3)\n"
              "assert(t:numel() == 6 and t:ndim() == 2 and #t == 2)\n"
              "local s = t:shape() assert(s[1] == 2 and s[2] == 3)\n"
              "t:set(2, 3, 7.5) assert(t:get(2, 3) == 7.5 and t[2][3] == 7.5)\n"
              "t[1] = 2 assert(t:get(1, 1) == 2 and t:get(1, 3) == 2 and t:get(2, 1) == 0)\n"
              "local o = tensor.ones({4}) assert(o:sum() == 4 and o:mean() == 1)\n"
              "local f = tensor.full({2, 2}, 0.1) assert(f[1][1] == 0.10000000149011612)\n"
              "local n = tensor.from({{1, 2}, {3, 4}, {5, 6}})\n"
              "assert(#n == 3 and n:get(3, 2) == 6)\n"
              "local flat = tensor.from({1, 2, 3, 4, 5, 6}, {2, 3}) assert(flat:get(2, 1) == 4)\n"
              "local r = n:reshape(2, -1) assert(r:shape()[2] == 3 and r:get(2, 3) == 6)\n"
              "local sl = n:slice(2, 3) assert(#sl == 2 and sl:get(1, 1) == 3)\n"
              "assert(#n:slice(2) == 2)\n"
              "local c = n:col(2) assert(c:ndim() == 1 and c[3] == 6)\n"
              "local l = tensor.linspace(-1, 1, 5) assert(l[1] == -1 and l[3] == 0 and l[5] == 1)\n"
              "assert(tensor.is(l) and not tensor.is({}))\n"
              "local tt = n:totable() assert(tt[3][2] == 6)\n"
              "local cl = n:clone() cl:set(1, 1, 9) assert(n:get(1, 1) == 1)\n");
    /* arithmetic is float32: 0.1 + 0.2 rounds in binary32, scalars first rounded to binary32 */
    expect_ok("local a = tensor.full({3}, 0.1) local b = tensor.full({3}, 0.2)\n"
              "local s = a + b assert(s[1] == 0.30000001192092896)\n"
              "assert((a * 3)[1] == 0.30000001192092896)\n"
              "assert((1 - a)[2] == 0.89999997615814209)\n"
              "assert((a / 0)[1] == math.huge)\n"
              "assert((-a)[3] == -0.10000000149011612)\n"
              "assert((2 / tensor.full({1}, 4))[1] == 0.5)\n"
              "local sq = tensor.from({1, 2, 3}) * tensor.from({1, 2, 3}) assert(sq:sum() == 14)\n"
              "local m = tensor.from({1, 4, 9}):map(math.sqrt) assert(m[3] == 3)\n"
              "assert(tensor.from({3, 9, 2}):max() == 9 and tensor.from({3, 9, 2}):min() == 2)\n"
              "assert(tensor.from({3, 9, 9, 2}):argmax() == 2)\n"
              "local am = tensor.from({{1, 5, 2}, {7, 0, 7}}):argmax() assert(am[1] == 2 and am[2] == 1)\n"
              "assert(tostring(tensor.from({{1, 2}, {3, 4}})) == 'tensor(2x2)[1, 2, 3, 4]')\n"
              "assert(tostring(tensor.zeros(10)) == 'tensor(10)[0, 0, 0, 0, 0, 0, 0, 0, ...]')\n");
    static const struct {
        const char *src, *needle;
    } bad[] = {
        {"local x = tensor.zeros(2) + tensor.zeros(3)", "shapes 2 and 3 differ"},
        {"local x = tensor.zeros(2) + 'a'", "not a number or tensor"},
        {"local x = tensor.zeros(2)[3]", "out of range"},
        {"local x = tensor.zeros(2, 2):get(1, 3)", "out of range"},
        {"local x = tensor.zeros(1, 1, 1, 1, 1)", "1 to 4 dimensions"},
        {"local x = tensor.zeros(-1)", "negative"},
        {"local x = tensor.from({{1, 2}, {3}})", "ragged"},
        {"local x = tensor.from({1, 'a'})", "not a number"},
        {"local x = tensor.zeros(6):reshape(4, -1)", "do not fit"},
        {"local x = tensor.zeros(3):map(function(v) return 'x' end)", "not a number"},
        {"local x = tensor.zeros(0):mean()", "empty"},
        {"local x = tensor.zeros(2, 2, 2):argmax()", "1-D or 2-D"},
        {"getmetatable(tensor.zeros(1)).__index = nil", "attempt to index"},
        {"setmetatable(tensor.zeros(1), {})", "table expected"},
    };
    for (size_t i = 0; i < ZR_ARRAY_LEN(bad); i++) {
        char msg[512];
        int rc = run(bad[i].src, msg, sizeof msg);
        if (rc != ZR_ESCRIPT || !strstr(msg, bad[i].needle))
            fprintf(stderr, "%s -> %s: %s\n", bad[i].src, zr_err_name(rc), msg);
        assert_int_equal(rc, ZR_ESCRIPT);
        assert_non_null(strstr(msg, bad[i].needle));
    }
}

/* metrics in Lua against the same formulas in C over data from the rng */
static void test_metrics(void **state)
{
    (void)state;
    const int n = 257, k = 3;
    uint8_t seed[32] = {9, 9, 9};
    zr_eval_rng_t r;
    zr_eval_rng_init(&r, seed);
    float p[257 * 3], t[257 * 3], cls[257];
    for (int i = 0; i < n * k; i++) {
        p[i] = (float)zr_eval_rng_uniform(&r);
        t[i] = (float)(p[i] + 0.3 * (zr_eval_rng_uniform(&r) - 0.5));
    }
    for (int i = 0; i < n; i++)
        cls[i] = (float)zr_eval_rng_int(&r, 1, k);
    /* C references, binary64 in element order */
    double mse = 0, mae = 0;
    for (int i = 0; i < n * k; i++) {
        double d = (double)p[i] - (double)t[i];
        mse += d * d;
        mae += fabs(d);
    }
    mse /= n * k;
    mae /= n * k;
    double r2 = 0;
    for (int j = 0; j < k; j++) {
        double mean = 0, res = 0, tot = 0;
        for (int i = 0; i < n; i++)
            mean += t[i * k + j];
        mean /= n;
        for (int i = 0; i < n; i++) {
            double d = (double)p[i * k + j] - t[i * k + j], c = t[i * k + j] - mean;
            res += d * d;
            tot += c * c;
        }
        r2 += 1 - res / tot;
    }
    r2 /= k;
    int hit = 0;
    double ce = 0;
    for (int i = 0; i < n; i++) {
        int best = 0;
        for (int j = 1; j < k; j++)
            if (p[i * k + j] > p[i * k + best])
                best = j;
        hit += best + 1 == (int)cls[i];
        double q = p[i * k + (int)cls[i] - 1];
        q = q < 1e-7 ? 1e-7 : q > 1 - 1e-7 ? 1 - 1e-7 : q;
        ce -= log(q);
    }
    ce /= n;

    /* the script rebuilds the same tensors from the same seed and reports its metrics */
    char src[4096];
    snprintf(src, sizeof src,
             "local n, k = %d, %d\n"
             "function run(rng)\n"
             "  local p, t, c = tensor.zeros(n, k), tensor.zeros(n, k), tensor.zeros(n)\n"
             "  for i = 1, n do for j = 1, k do\n"
             "    local v = rng:uniform() p:set(i, j, v)\n"
             "    t:set(i, j, p:get(i, j) + 0.3 * (rng:uniform() - 0.5))\n"
             "  end end\n"
             "  for i = 1, n do c[i] = rng:int(1, k) end\n"
             "  return metrics.mse(p, t), metrics.rmse(p, t), metrics.mae(p, t), metrics.r2(p, t),\n"
             "         metrics.accuracy(p, c), metrics.cross_entropy(p, c)\n"
             "end\n",
             n, k);
    zr_eval_limits_t lim;
    zr_eval_limits_default(&lim);
    zr__sbx_t s;
    memset(&s, 0, sizeof s);
    assert_int_equal(zr__sbx_open(&s, &lim), 0);
    char msg[256];
    assert_int_equal(zr__sbx_load(&s, src, strlen(src), msg, sizeof msg), 0);
    lua_getglobal(s.L, "run");
    zr__rng_push(s.L, seed);
    int rc = zr__sbx_call(&s, 1, 6, msg, sizeof msg);
    if (rc)
        fprintf(stderr, "%s\n", msg);
    assert_int_equal(rc, 0);
    assert_true(lua_tonumber(s.L, 1) == mse);
    assert_true(lua_tonumber(s.L, 2) == sqrt(mse));
    assert_true(lua_tonumber(s.L, 3) == mae);
    assert_true(lua_tonumber(s.L, 4) == r2);
    assert_true(lua_tonumber(s.L, 5) == (double)hit / n);
    assert_true(fabs(lua_tonumber(s.L, 6) - ce) < 1e-12); /* own log vs libm */
    zr__sbx_close(&s);

    expect_ok("local y = tensor.from({{0, 1}, {1, 0}, {0.5, 0.5}})\n"
              "local p = tensor.from({{0.2, 0.8}, {0.9, 0.1}, {0.4, 0.6}})\n"
              "assert(metrics.accuracy(p, y) == 2 / 3)\n"
              "assert(metrics.accuracy(tensor.from({0.7, 0.2}), tensor.from({1, 0})) == 1)\n"
              "local ce = metrics.cross_entropy(tensor.from({{0, 1}}), tensor.from({{1, 0}}))\n"
              "assert(math.isfinite(ce) and ce > 16)\n"
              "local b = metrics.cross_entropy(tensor.from({0.5}), tensor.from({1}))\n"
              "assert(math.abs(b - math.log(2)) < 1e-7)\n"
              "assert(metrics.r2(tensor.from({1, 1}), tensor.from({1, 1})) == 1)\n"
              "assert(metrics.r2(tensor.from({1, 2}), tensor.from({1, 1})) == 0)\n"
              "assert(metrics.mse(tensor.from({{1}, {2}}), tensor.from({1, 4})) == 2)\n"
              "assert(not pcall(metrics.mse, tensor.from({1}), tensor.from({1, 2})))\n"
              "assert(not pcall(metrics.accuracy, tensor.from({{1, 0}}), tensor.from({3})))\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tensors),
        cmocka_unit_test(test_metrics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
