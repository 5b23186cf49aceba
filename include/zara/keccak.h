/* SPDX-License-Identifier: MIT
 * Keccak-256 as Ethereum uses it (the original Keccak padding 0x01, not SHA-3's 0x06). */
#ifndef ZARA_KECCAK_H
#define ZARA_KECCAK_H

#include <stddef.h>
#include <stdint.h>

typedef struct zr_keccak {
    uint64_t st[25];
    size_t pos; /* bytes absorbed into the current block */
} zr_keccak_t;

void zr_keccak_init(zr_keccak_t *k);
void zr_keccak_update(zr_keccak_t *k, const void *data, size_t len);
/* Writes the 32-byte digest and wipes the state. */
void zr_keccak_final(zr_keccak_t *k, uint8_t out[32]);
/* One-shot keccak256(data). */
void zr_keccak256(uint8_t out[32], const void *data, size_t len);

#endif
