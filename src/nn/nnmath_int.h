/* SPDX-License-Identifier: MIT
 * Constants of the nn math (binary64). Quotients of exact integers are folded by the
 * compiler with correct rounding, so they are the same bits everywhere. */
#ifndef ZARA_NNMATH_INT_H
#define ZARA_NNMATH_INT_H

#include <math.h> /* HUGE_VALF only; no libm function is called */

#define ZR__M_INV_LN2 0x1.71547652b82fep+0
#define ZR__M_LN2_HI 0x1.62e42fee00000p-1 /* 29 significant bits: k·LN2_HI is exact */
#define ZR__M_LN2_LO 0x1.a39ef35793c76p-33
#define ZR__M_LN2 0x1.62e42fefa39efp-1
#define ZR__M_SHIFT 0x1.8p52
#define ZR__M_SQRT2 0x1.6a09e667f3bcdp+0
#define ZR__M_SQRT2_M1 0x1.a827999fcef34p-2
#define ZR__M_INV_SQRT2 0x1.6a09e667f3bccp-1
#define ZR__M_2_SQRTPI 0x1.20dd750429b6dp+0
#define ZR__M_SQRTPI 0x1.c5bf891b4ef6ap+0

#define ZR__M_E2 (1.0 / 2.0)
#define ZR__M_E3 (1.0 / 6.0)
#define ZR__M_E4 (1.0 / 24.0)
#define ZR__M_E5 (1.0 / 120.0)
#define ZR__M_E6 (1.0 / 720.0)
#define ZR__M_E7 (1.0 / 5040.0)
#define ZR__M_E8 (1.0 / 40320.0)
#define ZR__M_E9 (1.0 / 362880.0)
#define ZR__M_E10 (1.0 / 3628800.0)
#define ZR__M_E11 (1.0 / 39916800.0)
#define ZR__M_E12 (1.0 / 479001600.0)
#define ZR__M_E13 (1.0 / 6227020800.0)

#define ZR__M_A3 (1.0 / 3.0)
#define ZR__M_A5 (1.0 / 5.0)
#define ZR__M_A7 (1.0 / 7.0)
#define ZR__M_A9 (1.0 / 9.0)
#define ZR__M_A11 (1.0 / 11.0)
#define ZR__M_A13 (1.0 / 13.0)
#define ZR__M_A15 (1.0 / 15.0)
#define ZR__M_A17 (1.0 / 17.0)
#define ZR__M_A19 (1.0 / 19.0)
#define ZR__M_A21 (1.0 / 21.0)
#define ZR__M_A23 (1.0 / 23.0)

#define ZR__M_ERF_TERMS 64
#define ZR__M_ERFC_DEPTH 64
/* 1/(2n+3) for n < ZR__M_ERF_TERMS; m/2 for m ≤ ZR__M_ERFC_DEPTH (index 0 unused). */
extern const double zr__nn_erf_inv_odd[ZR__M_ERF_TERMS];
extern const double zr__nn_erfc_half[ZR__M_ERFC_DEPTH + 1];

#endif
