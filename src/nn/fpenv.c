// SPDX-License-Identifier: MIT
// The floating-point control state every evaluation runs under (DESIGN.md §5):
// round-to-nearest-even and no flush-to-zero / denormals-are-zero. Set and verified on
// the calling thread (x86 MXCSR + x87 rounding through fenv, aarch64 FPCR).
#include <fenv.h>
#include <stdint.h>

#include "nn_int.h"

#if defined(__x86_64__) || defined(__i386__)
#define MXCSR_FTZ (1u << 15)
#define MXCSR_DAZ (1u << 6)
#define MXCSR_RC (3u << 13)
static inline uint32_t get_mxcsr(void)
{
    uint32_t v;
    __asm__ volatile("stmxcsr %0" : "=m"(v));
    return v;
}
static inline void set_mxcsr(uint32_t v)
{
    __asm__ volatile("ldmxcsr %0" : : "m"(v));
}
#elif defined(__aarch64__)
#define FPCR_FZ (1ull << 24)
#define FPCR_RMODE (3ull << 22)
#define FPCR_FZ16 (1ull << 19)
#define FPCR_AH (1ull << 1)
#define FPCR_FIZ (1ull << 0)
static inline uint64_t get_fpcr(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, fpcr" : "=r"(v));
    return v;
}
static inline void set_fpcr(uint64_t v)
{
    __asm__ volatile("msr fpcr, %0" : : "r"(v));
}
#endif

int zr_nn_fpenv_check(void)
{
    if (fegetround() != FE_TONEAREST)
        return ZR_EFPENV;
#if defined(__x86_64__) || defined(__i386__)
    if (get_mxcsr() & (MXCSR_FTZ | MXCSR_DAZ | MXCSR_RC))
        return ZR_EFPENV;
#elif defined(__aarch64__)
    if (get_fpcr() & (FPCR_FZ | FPCR_RMODE | FPCR_AH | FPCR_FIZ))
        return ZR_EFPENV;
#endif
    return 0;
}

int zr_nn_fpenv_enter(void)
{
    if (zr_nn_fpenv_check() == 0)
        return 0;
    fesetround(FE_TONEAREST);
#if defined(__x86_64__) || defined(__i386__)
    set_mxcsr(get_mxcsr() & ~(MXCSR_FTZ | MXCSR_DAZ | MXCSR_RC));
#elif defined(__aarch64__)
    set_fpcr(get_fpcr() & ~(FPCR_FZ | FPCR_RMODE | FPCR_AH | FPCR_FIZ));
#endif
    return zr_nn_fpenv_check();
}
