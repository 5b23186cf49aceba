/* SPDX-License-Identifier: MIT
 * The engine's own float32 transcendental functions, built from IEEE-754 +, −, ×, ÷ and
 * sqrt only (binary64 intermediates, never libm), so every machine and compiler gives the
 * same bits. Each aims at the correctly rounded result (round-to-nearest-even) of the
 * exact function; `make check-math` counts, over all 2³² inputs, the results that are not
 * (see docs/ARCHITECTURE.md, nn section). NaN inputs give NaN; no errno, no exceptions
 * relied upon. All are pure and thread-safe. */
#ifndef ZARA_NNMATH_H
#define ZARA_NNMATH_H

float zr_nn_expf(float x);
float zr_nn_logf(float x);     /* log(±0) = −Inf, log(x<0) = NaN */
float zr_nn_tanhf(float x);
float zr_nn_sigmoidf(float x); /* 1 / (1 + exp(−x)) */
float zr_nn_erff(float x);
float zr_nn_softplusf(float x); /* log(1 + exp(x)) */
float zr_nn_geluf(float x);     /* 0.5·x·(1 + erf(x/√2)) */
float zr_nn_eluf(float x, float alpha); /* x > 0 ? x : alpha·(exp(x) − 1) */
float zr_nn_expm1f(float x);

#endif
