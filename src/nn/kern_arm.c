// SPDX-License-Identifier: MIT
// The aarch64 kernel path: NEON (always present on aarch64) from kern_gen.h with 128-bit
// vectors.
#include <stdint.h>

#include "nn_int.h"
#include "nnmath_int.h"

#if defined(__aarch64__)
#define ZK_SUF neon
#define ZK_ATTR
#define ZK_VB 16
#define ZK_PATH ZR_NN_PATH_NEON
#include "kern_gen.h"
#else
typedef int zr__nn_kern_arm_unused; /* ISO C forbids an empty translation unit */
#endif
