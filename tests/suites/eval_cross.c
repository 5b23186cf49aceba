// SPDX-License-Identifier: MIT
// Driver of eval_cross.sh: prints the sandbox math over a fixed grid (as a keccak digest,
// the same grid as tests/unit/eval/test_eval_math.c) and rng draws for two seeds, so the
// outputs of different compilers, optimisation levels and architectures can be compared
// byte for byte. Pure C: eval_math.c, eval_rng.c and keccak.c only.
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "eval_det.h"
#include "zara/eval.h"
#include "zara/keccak.h"

static void put_double(zr_keccak_t *k, double v)
{
    uint64_t u;
    memcpy(&u, &v, 8);
    uint8_t b[8];
    for (int q = 0; q < 8; q++)
        b[q] = (uint8_t)(u >> (8 * q));
    zr_keccak_update(k, b, 8);
}

int main(void)
{
    zr_keccak_t k;
    zr_keccak_init(&k);
    for (int i = -2000; i <= 2000; i++) {
        double x = i * 0.0173205080756887729;
        double big = i * 12.345678;
        double r[] = {zr__dm_exp(x),        zr__dm_expm1(x * 0.1),  zr__dm_log(fabs(big) + 1e-3),
                      zr__dm_sin(big),      zr__dm_cos(big),        zr__dm_tan(x * 0.04),
                      zr__dm_atan(big),     zr__dm_atan2(x, big),   zr__dm_asin(i / 2000.0),
                      zr__dm_acos(i / 2000.0), zr__dm_tanh(x),      zr__dm_pow(fabs(x) + 0.5, x * 3.7)};
        for (size_t j = 0; j < sizeof r / sizeof r[0]; j++)
            put_double(&k, r[j]);
    }
    uint8_t d[32];
    zr_keccak_final(&k, d);
    printf("grid 0x");
    for (int i = 0; i < 32; i++)
        printf("%02x", d[i]);
    printf("\n");
    static const uint8_t seeds[2][32] = {{0}, {0xc0, 0xff, 0xee, [28] = 0xde, 0xad, 0xbe, 0xef}};
    for (int s = 0; s < 2; s++) {
        zr_eval_rng_t r;
        zr_eval_rng_init(&r, seeds[s]);
        printf("u64");
        for (int i = 0; i < 10; i++)
            printf(" %016llx", (unsigned long long)zr_eval_rng_u64(&r));
        printf("\nuniform");
        zr_eval_rng_init(&r, seeds[s]);
        for (int i = 0; i < 6; i++)
            printf(" %.17g", zr_eval_rng_uniform(&r));
        printf("\nnormal");
        zr_eval_rng_init(&r, seeds[s]);
        zr_keccak_t kn;
        zr_keccak_init(&kn);
        for (int i = 0; i < 10000; i++) {
            double z = zr_eval_rng_normal(&r);
            if (i < 6)
                printf(" %a", z);
            put_double(&kn, z);
        }
        zr_keccak_final(&kn, d);
        printf("\nnormal10000 0x");
        for (int i = 0; i < 32; i++)
            printf("%02x", d[i]);
        printf("\nint");
        zr_eval_rng_init(&r, seeds[s]);
        for (int i = 0; i < 12; i++)
            printf(" %lld", (long long)zr_eval_rng_int(&r, -5, 5));
        printf("\n");
    }
    return 0;
}
