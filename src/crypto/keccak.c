// SPDX-License-Identifier: MIT
// Keccak-f[1600] and the Keccak-256 sponge (rate 136 bytes, padding 0x01 ... 0x80), the
// hash of Ethereum addresses, selectors, topics, EIP-712 and the protocol's digests.
#include <string.h>

#include "zara/common.h"
#include "zara/keccak.h"

#define RATE 136

static const uint64_t round_consts[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

/* rho offsets and pi destinations, walking the lanes in the order pi visits them. */
static const unsigned rho[24] = {1,  3,  6,  10, 15, 21, 28, 36, 45, 55, 2,  14,
                                 27, 41, 56, 8,  25, 43, 62, 18, 39, 61, 20, 44};
static const unsigned pi[24] = {10, 7,  11, 17, 18, 3, 5,  16, 8,  21, 24, 4,
                                15, 23, 19, 13, 12, 2, 20, 14, 22, 9,  6,  1};

static inline uint64_t rotl(uint64_t x, unsigned n)
{
    return (x << n) | (x >> (64 - n));
}

static void keccak_f(uint64_t s[25])
{
    for (int r = 0; r < 24; r++) {
        uint64_t c[5];
        for (int x = 0; x < 5; x++)
            c[x] = s[x] ^ s[x + 5] ^ s[x + 10] ^ s[x + 15] ^ s[x + 20];
        for (int x = 0; x < 5; x++) {
            uint64_t d = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1);
            for (int y = 0; y < 25; y += 5)
                s[y + x] ^= d;
        }
        uint64_t t = s[1];
        for (int i = 0; i < 24; i++) {
            uint64_t tmp = s[pi[i]];
            s[pi[i]] = rotl(t, rho[i]);
            t = tmp;
        }
        for (int y = 0; y < 25; y += 5) {
            uint64_t row[5];
            memcpy(row, s + y, sizeof row);
            for (int x = 0; x < 5; x++)
                s[y + x] = row[x] ^ (~row[(x + 1) % 5] & row[(x + 2) % 5]);
        }
        s[0] ^= round_consts[r];
    }
}

void zr_keccak_init(zr_keccak_t *k)
{
    memset(k, 0, sizeof *k);
}

/* Lanes are little-endian: byte i of the block lands in lane i/8 at bit 8*(i%8). */
static inline void xor_byte(uint64_t *st, size_t i, uint8_t b)
{
    st[i / 8] ^= (uint64_t)b << (8 * (i % 8));
}

void zr_keccak_update(zr_keccak_t *k, const void *data, size_t len)
{
    const uint8_t *p = data;
    while (len) {
        if (k->pos == 0 && len >= RATE) {
            for (size_t i = 0; i < RATE / 8; i++) {
                uint64_t lane = 0;
                for (int b = 7; b >= 0; b--)
                    lane = lane << 8 | p[8 * i + (size_t)b];
                k->st[i] ^= lane;
            }
            keccak_f(k->st);
            p += RATE;
            len -= RATE;
            continue;
        }
        xor_byte(k->st, k->pos++, *p++);
        len--;
        if (k->pos == RATE) {
            keccak_f(k->st);
            k->pos = 0;
        }
    }
}

void zr_keccak_final(zr_keccak_t *k, uint8_t out[32])
{
    xor_byte(k->st, k->pos, 0x01);
    xor_byte(k->st, RATE - 1, 0x80);
    keccak_f(k->st);
    for (size_t i = 0; i < 32; i++)
        out[i] = (uint8_t)(k->st[i / 8] >> (8 * (i % 8)));
    zr_wipe(k, sizeof *k);
}

void zr_keccak256(uint8_t out[32], const void *data, size_t len)
{
    zr_keccak_t k;
    zr_keccak_init(&k);
    zr_keccak_update(&k, data, len);
    zr_keccak_final(&k, out);
}
