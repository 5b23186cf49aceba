/* SPDX-License-Identifier: MIT
 * Private header of the eval module's pure-C deterministic core: the binary64 math of
 * eval_math.c (used by the script's math table, the rng's normal draws and the metrics).
 * No Lua dependency, so tests/suites/eval_cross.sh can build it for other architectures. */
#ifndef ZARA_EVAL_DET_H
#define ZARA_EVAL_DET_H

/* ---- deterministic binary64 math (eval_math.c) ------------------------------------------ */
double zr__dm_exp(double x);
double zr__dm_expm1(double x);
double zr__dm_log(double x);
double zr__dm_log2(double x);
double zr__dm_sin(double x);
double zr__dm_cos(double x);
double zr__dm_tan(double x);
double zr__dm_atan(double x);
double zr__dm_atan2(double y, double x);
double zr__dm_asin(double x);
double zr__dm_acos(double x);
double zr__dm_tanh(double x);
double zr__dm_pow(double x, double y);

#endif
