// SPDX-License-Identifier: MIT
// The x86 kernel paths: SSE2 (the x86-64 baseline), AVX2 and AVX-512F (compiled with target
// attributes and chosen at run time with __builtin_cpu_supports), all from kern_gen.h.
#include <stdint.h>

#include "nn_int.h"
#include "nnmath_int.h"

#if defined(__x86_64__) || defined(__i386__)

#define ZK_SUF sse2
#define ZK_ATTR __attribute__((target("sse2")))
#define ZK_VB 16
#define ZK_PATH ZR_NN_PATH_SSE2
#include "kern_gen.h"
#undef ZK_SUF
#undef ZK_ATTR
#undef ZK_VB
#undef ZK_PATH

#define ZK_SUF avx2
#define ZK_ATTR __attribute__((target("avx2")))
#define ZK_VB 32
#define ZK_PATH ZR_NN_PATH_AVX2
#include "kern_gen.h"
#undef ZK_SUF
#undef ZK_ATTR
#undef ZK_VB
#undef ZK_PATH

#define ZK_SUF avx512
#define ZK_ATTR __attribute__((target("avx512f")))
#define ZK_VB 64
#define ZK_PATH ZR_NN_PATH_AVX512
#include "kern_gen.h"

#else
typedef int zr__nn_kern_x86_unused; /* ISO C forbids an empty translation unit */
#endif
