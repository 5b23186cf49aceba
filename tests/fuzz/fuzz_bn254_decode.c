// SPDX-License-Identifier: MIT
// Fuzz target for BN254 point decoding and the code that consumes decoded points: the first
// byte picks G1 (64 bytes), G2 (128 bytes), a pairing check of one decoded pair, hashToG1 of
// 32 bytes, or the BLS keystore's public-key reader. A decoded point must be on the curve
// (and in G2's subgroup) and must re-encode to exactly the input bytes.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zara/bls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t mode = data[0] % 5;
    data++;
    size--;
    uint8_t buf[192], enc[128];
    memset(buf, 0, sizeof buf);
    memcpy(buf, data, size < sizeof buf ? size : sizeof buf);
    switch (mode) {
    case 0: {
        zr_bn254_g1_t p;
        if (zr_bn254_g1_decode(&p, buf) == 0) {
            if (!zr_bn254_g1_is_on_curve(&p))
                abort();
            zr_bn254_g1_encode(enc, &p);
            if (memcmp(enc, buf, 64) != 0)
                abort();
        }
        break;
    }
    case 1: {
        zr_bn254_g2_t q;
        if (zr_bn254_g2_decode(&q, buf) == 0) {
            if (!zr_bn254_g2_is_on_curve(&q) || !zr_bn254_g2_in_subgroup(&q))
                abort();
            zr_bn254_g2_encode(enc, &q);
            if (memcmp(enc, buf, 128) != 0)
                abort();
        }
        break;
    }
    case 2: {
        zr_bn254_g1_t p[2];
        zr_bn254_g2_t q[2];
        if (zr_bn254_g1_decode(&p[0], buf) == 0 && zr_bn254_g2_decode(&q[0], buf + 64) == 0) {
            /* e(P, Q) e(-P, Q) = 1 for any valid pair */
            zr_bn254_g1_neg(&p[1], &p[0]);
            q[1] = q[0];
            if (!zr_bn254_pairing_check(p, q, 2))
                abort();
        }
        break;
    }
    case 3: {
        zr_bn254_g1_t h;
        zr_bn254_g1_hash(&h, buf);
        if (!zr_bn254_g1_is_on_curve(&h))
            abort();
        break;
    }
    default: {
        zr_bls_pubkey_t pk;
        char err[128];
        zr_bls_keystore_pubkey(&pk, (const char *)data, size, err, sizeof err);
        break;
    }
    }
    return 0;
}
