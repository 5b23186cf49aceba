// SPDX-License-Identifier: MIT
// The counter-based random generator of evaluation scripts (eval_lrng.c is its Lua binding).
// Word i of a stream is a slice of keccak256(seed ‖ uint64_le(i / 4)), so any word can be
// recomputed independently and any language with keccak can reproduce the sequence; the
// derived draws (uniform, normal, int, permutation) are specified in docs/EVAL_SCRIPTS.md.
#include <math.h>
#include <string.h>

#include "eval_det.h"
#include "zara/eval.h"
#include "zara/keccak.h"

void zr_eval_rng_init(zr_eval_rng_t *r, const uint8_t seed[32])
{
    memcpy(r->seed, seed, 32);
    r->counter = 0;
    r->block_index = UINT64_MAX;
    memset(r->block, 0, sizeof r->block);
}

uint64_t zr_eval_rng_u64(zr_eval_rng_t *r)
{
    uint64_t b = r->counter / 4;
    if (b != r->block_index) {
        uint8_t in[40];
        memcpy(in, r->seed, 32);
        for (int i = 0; i < 8; i++)
            in[32 + i] = (uint8_t)(b >> (8 * i));
        zr_keccak256(r->block, in, sizeof in);
        r->block_index = b;
    }
    const uint8_t *p = r->block + 8 * (r->counter % 4);
    uint64_t w = 0;
    for (int i = 7; i >= 0; i--)
        w = (w << 8) | p[i];
    r->counter++;
    return w;
}

double zr_eval_rng_uniform(zr_eval_rng_t *r)
{
    return (double)(zr_eval_rng_u64(r) >> 11) * 0x1p-53;
}

double zr_eval_rng_normal(zr_eval_rng_t *r)
{
    double u1 = zr_eval_rng_uniform(r);
    double u2 = zr_eval_rng_uniform(r);
    double rad = sqrt(-2.0 * zr__dm_log(1.0 - u1)); /* 1 − u1 ∈ (0, 1] */
    return rad * zr__dm_cos(6.28318530717958647692 * u2);
}

int64_t zr_eval_rng_int(zr_eval_rng_t *r, int64_t lo, int64_t hi)
{
    uint64_t span = (uint64_t)hi - (uint64_t)lo; /* hi − lo, modulo 2^64 */
    if (span == UINT64_MAX)
        return (int64_t)zr_eval_rng_u64(r);
    uint64_t n = span + 1;
    uint64_t rem = (UINT64_MAX % n + 1) % n; /* 2^64 mod n */
    uint64_t w;
    do {
        w = zr_eval_rng_u64(r);
    } while (rem != 0 && w > UINT64_MAX - rem);
    return (int64_t)((uint64_t)lo + w % n);
}
