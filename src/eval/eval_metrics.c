// SPDX-License-Identifier: MIT
// The script's `metrics` library: r2, mse, rmse, mae, accuracy and cross_entropy over
// float32 tensors, computed in binary64 sequentially in element order (the sums a reader can
// reproduce with a plain loop), with the sandbox's own log.
#include <math.h>

#include "eval_int.h"

/* pred and target must have the same number of rows and elements */
static void check_pair(lua_State *L, const zr__tensor_t *p, const zr__tensor_t *t, const char *fn)
{
    if (p->n != t->n || p->shape[0] != t->shape[0])
        luaL_error(L, "metrics.%s: prediction has %d rows / %d values, target %d rows / %d values", fn,
                   (int)p->shape[0], (int)p->n, (int)t->shape[0], (int)t->n);
    if (p->n == 0)
        luaL_error(L, "metrics.%s: empty tensors", fn);
    zr__sbx_charge(L, 1 + (uint64_t)p->n);
}

static double mse(lua_State *L, const char *fn)
{
    zr__tensor_t *p = zr__tensor_check(L, 1), *t = zr__tensor_check(L, 2);
    check_pair(L, p, t, fn);
    double s = 0;
    for (int64_t i = 0; i < p->n; i++) {
        double d = (double)p->data[i] - (double)t->data[i];
        s += d * d;
    }
    return s / (double)p->n;
}

static int x_mse(lua_State *L)
{
    lua_pushnumber(L, mse(L, "mse"));
    return 1;
}

static int x_rmse(lua_State *L)
{
    lua_pushnumber(L, sqrt(mse(L, "rmse")));
    return 1;
}

static int x_mae(lua_State *L)
{
    zr__tensor_t *p = zr__tensor_check(L, 1), *t = zr__tensor_check(L, 2);
    check_pair(L, p, t, "mae");
    double s = 0;
    for (int64_t i = 0; i < p->n; i++)
        s += fabs((double)p->data[i] - (double)t->data[i]);
    lua_pushnumber(L, s / (double)p->n);
    return 1;
}

/* R² = 1 − SS_res/SS_tot per output column (the last dimension of a 2-D target), averaged
 * over columns in order; a constant target gives 1 when matched exactly, else 0 (as
 * scikit-learn does). */
static int x_r2(lua_State *L)
{
    zr__tensor_t *p = zr__tensor_check(L, 1), *t = zr__tensor_check(L, 2);
    check_pair(L, p, t, "r2");
    int64_t rows = t->shape[0];
    int64_t cols = t->n / rows;
    double total = 0;
    for (int64_t j = 0; j < cols; j++) {
        double mean = 0;
        for (int64_t i = 0; i < rows; i++)
            mean += (double)t->data[i * cols + j];
        mean /= (double)rows;
        double res = 0, tot = 0;
        for (int64_t i = 0; i < rows; i++) {
            double y = (double)t->data[i * cols + j];
            double d = (double)p->data[i * cols + j] - y;
            double c = y - mean;
            res += d * d;
            tot += c * c;
        }
        double r2 = tot == 0 ? (res == 0 ? 1.0 : 0.0) : 1.0 - res / tot;
        total += r2;
    }
    lua_pushnumber(L, total / (double)cols);
    return 1;
}

/* index (0-based) of the first largest of row[0..k) */
static int64_t row_argmax(const float *row, int64_t k)
{
    int64_t best = 0;
    for (int64_t j = 1; j < k; j++)
        if (row[j] > row[best])
            best = j;
    return best;
}

/* Class of target row i: a 1-based index when the target has one value per row, else the
 * argmax of a one-hot / probability row. */
static int64_t target_class(lua_State *L, const zr__tensor_t *t, int64_t i, int64_t k, const char *fn)
{
    int64_t tc = t->n / t->shape[0];
    if (tc == k)
        return row_argmax(t->data + i * k, k);
    double v = (double)t->data[i];
    if (v != floor(v) || v < 1 || v > (double)k)
        luaL_error(L, "metrics.%s: target %d is %g, not a class index 1..%d", fn, (int)(i + 1), v, (int)k);
    return (int64_t)v - 1;
}

/* accuracy(pred, target): with k ≥ 2 scores per row, the argmax of each row against the
 * target class; with one value per row, (pred ≥ 0.5) against (target ≥ 0.5). */
static int x_accuracy(lua_State *L)
{
    zr__tensor_t *p = zr__tensor_check(L, 1), *t = zr__tensor_check(L, 2);
    int64_t rows = p->shape[0];
    if (rows == 0 || t->shape[0] != rows || p->n % rows)
        return luaL_error(L, "metrics.accuracy: prediction and target need the same number of rows");
    int64_t k = p->n / rows;
    if (t->n != rows && t->n != p->n)
        return luaL_error(L, "metrics.accuracy: target must have one value or %d values per row", (int)k);
    zr__sbx_charge(L, 1 + (uint64_t)p->n);
    int64_t hit = 0;
    for (int64_t i = 0; i < rows; i++) {
        if (k == 1)
            hit += (p->data[i] >= 0.5f) == (t->data[i] >= 0.5f);
        else
            hit += row_argmax(p->data + i * k, k) == target_class(L, t, i, k, "accuracy");
    }
    lua_pushnumber(L, (double)hit / (double)rows);
    return 1;
}

/* cross_entropy(pred, target): mean over rows of −Σ t·log(p) with p clamped to
 * [1e-7, 1 − 1e-7] (Keras' epsilon), so it is always finite. k ≥ 2: pred rows are
 * probabilities, targets class indices or probability rows; k = 1: binary cross-entropy. */
static int x_cross_entropy(lua_State *L)
{
    zr__tensor_t *p = zr__tensor_check(L, 1), *t = zr__tensor_check(L, 2);
    int64_t rows = p->shape[0];
    if (rows == 0 || t->shape[0] != rows || p->n % rows)
        return luaL_error(L, "metrics.cross_entropy: prediction and target need the same number of rows");
    int64_t k = p->n / rows;
    if (t->n != rows && t->n != p->n)
        return luaL_error(L, "metrics.cross_entropy: target must have one value or %d values per row",
                          (int)k);
    zr__sbx_charge(L, 1 + (uint64_t)p->n * 8);
    const double eps = 1e-7;
    double s = 0;
    for (int64_t i = 0; i < rows; i++) {
        if (k == 1) {
            double q = (double)p->data[i], y = (double)t->data[i];
            q = q < eps ? eps : q > 1 - eps ? 1 - eps : q;
            s -= y * zr__dm_log(q) + (1 - y) * zr__dm_log(1 - q);
            continue;
        }
        if (t->n == rows) {
            int64_t c = target_class(L, t, i, k, "cross_entropy");
            double q = (double)p->data[i * k + c];
            q = q < eps ? eps : q > 1 - eps ? 1 - eps : q;
            s -= zr__dm_log(q);
        } else {
            for (int64_t j = 0; j < k; j++) {
                double y = (double)t->data[i * k + j];
                if (y == 0)
                    continue;
                double q = (double)p->data[i * k + j];
                q = q < eps ? eps : q > 1 - eps ? 1 - eps : q;
                s -= y * zr__dm_log(q);
            }
        }
    }
    lua_pushnumber(L, s / (double)rows);
    return 1;
}

void zr__metrics_open(lua_State *L)
{
    static const luaL_Reg lib[] = {{"r2", x_r2},
                                   {"mse", x_mse},
                                   {"rmse", x_rmse},
                                   {"mae", x_mae},
                                   {"accuracy", x_accuracy},
                                   {"cross_entropy", x_cross_entropy},
                                   {NULL, NULL}};
    luaL_newlib(L, lib);
    lua_setglobal(L, "metrics");
}
