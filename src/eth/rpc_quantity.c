// SPDX-License-Identifier: MIT
// 256-bit JSON-RPC quantities as 32-byte big-endian buffers: strict parsing and compact
// formatting ("0x" without leading zeros), decimal conversion, and the few exact integer
// operations fee arithmetic needs. No doubles anywhere.
#include <string.h>

#include "rpc_int.h"

int zr_rpc_u256_parse(uint8_t out[32], const char *s)
{
    if (!s || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
        return ZR_EPARSE;
    s += 2;
    size_t n = strlen(s);
    if (n == 0)
        return ZR_EPARSE;
    while (n > 1 && s[0] == '0') { /* tolerated leading zeros */
        s++;
        n--;
    }
    if (n > 64) {
        for (size_t i = 0; i < n; i++)
            if (zr_hex_digit(s[i]) < 0)
                return ZR_EPARSE;
        return ZR_ERANGE;
    }
    uint8_t tmp[32] = {0};
    for (size_t i = 0; i < n; i++) {
        int v = zr_hex_digit(s[n - 1 - i]);
        if (v < 0)
            return ZR_EPARSE;
        tmp[31 - i / 2] |= (uint8_t)(i % 2 ? v << 4 : v);
    }
    memcpy(out, tmp, 32);
    return 0;
}

int zr_rpc_u64_parse(uint64_t *out, const char *s)
{
    uint8_t b[32];
    int rc = zr_rpc_u256_parse(b, s);
    if (rc)
        return rc;
    return zr_rpc_u256_to_u64(out, b);
}

int zr_rpc_u256_parse_any(uint8_t out[32], const char *s)
{
    if (!s || !s[0])
        return ZR_EPARSE;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        return zr_rpc_u256_parse(out, s);
    uint8_t acc[32] = {0};
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return ZR_EPARSE;
        uint8_t d[32];
        zr_rpc_u256_from_u64(d, (uint64_t)(*p - '0'));
        if (zr_rpc_u256_mul_u64(acc, acc, 10) || zr_rpc_u256_add(acc, acc, d))
            return ZR_ERANGE;
    }
    memcpy(out, acc, 32);
    return 0;
}

void zr_rpc_u256_format(char out[ZR_RPC_U256_HEX_CAP], const uint8_t in[32])
{
    static const char dg[] = "0123456789abcdef";
    char *o = out;
    *o++ = '0';
    *o++ = 'x';
    int started = 0;
    for (int i = 0; i < 64; i++) {
        int v = i % 2 ? in[i / 2] & 15 : in[i / 2] >> 4;
        if (!v && !started)
            continue;
        started = 1;
        *o++ = dg[v];
    }
    if (!started)
        *o++ = '0';
    *o = 0;
}

void zr_rpc_u64_format(char out[19], uint64_t v)
{
    uint8_t b[32];
    char tmp[ZR_RPC_U256_HEX_CAP];
    zr_rpc_u256_from_u64(b, v);
    zr_rpc_u256_format(tmp, b);
    memcpy(out, tmp, strlen(tmp) + 1); /* at most "0x" + 16 digits */
}

void zr_rpc_u256_to_dec(char out[ZR_RPC_U256_DEC_CAP], const uint8_t in[32])
{
    /* repeated division by 10 over the big-endian bytes */
    uint8_t t[32];
    memcpy(t, in, 32);
    char rev[ZR_RPC_U256_DEC_CAP];
    size_t n = 0;
    for (;;) {
        unsigned rem = 0;
        int nonzero = 0;
        for (int i = 0; i < 32; i++) {
            unsigned cur = rem << 8 | t[i];
            t[i] = (uint8_t)(cur / 10);
            rem = cur % 10;
            nonzero |= t[i];
        }
        rev[n++] = (char)('0' + rem);
        if (!nonzero)
            break;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = rev[n - 1 - i];
    out[n] = 0;
}

void zr_rpc_u256_from_u64(uint8_t out[32], uint64_t v)
{
    memset(out, 0, 24);
    for (int i = 0; i < 8; i++)
        out[31 - i] = (uint8_t)(v >> (8 * i));
}

int zr_rpc_u256_to_u64(uint64_t *out, const uint8_t in[32])
{
    for (int i = 0; i < 24; i++)
        if (in[i])
            return ZR_ERANGE;
    uint64_t v = 0;
    for (int i = 24; i < 32; i++)
        v = v << 8 | in[i];
    *out = v;
    return 0;
}

int zr_rpc_u256_add(uint8_t out[32], const uint8_t a[32], const uint8_t b[32])
{
    unsigned carry = 0;
    for (int i = 31; i >= 0; i--) {
        unsigned s = (unsigned)a[i] + b[i] + carry;
        out[i] = (uint8_t)s;
        carry = s >> 8;
    }
    return carry ? ZR_ERANGE : 0;
}

int zr_rpc_u256_sub(uint8_t out[32], const uint8_t a[32], const uint8_t b[32])
{
    int borrow = 0;
    for (int i = 31; i >= 0; i--) {
        int d = (int)a[i] - b[i] - borrow;
        borrow = d < 0;
        out[i] = (uint8_t)(d + (borrow ? 256 : 0));
    }
    return borrow ? ZR_ERANGE : 0;
}

int zr_rpc_u256_mul_u64(uint8_t out[32], const uint8_t a[32], uint64_t m)
{
    /* schoolbook on 32-bit halves of m so every partial product fits in 64 bits */
    uint8_t acc[32] = {0};
    for (int half = 0; half < 2; half++) {
        uint64_t mh = half ? m >> 32 : m & 0xffffffffu;
        if (!mh)
            continue;
        uint8_t part[36] = {0}; /* a * mh, shifted by 4 bytes for the high half */
        uint64_t carry = 0;
        for (int i = 31; i >= 0; i--) {
            uint64_t p = (uint64_t)a[i] * mh + carry;
            part[i + 4] = (uint8_t)p;
            carry = p >> 8;
        }
        for (int i = 3; i >= 0; i--) {
            part[i] = (uint8_t)carry;
            carry >>= 8;
        }
        /* part holds a*mh as 36 bytes; place it at offset 4 (half 0) or 0 (half 1 = ×2^32) */
        uint8_t shifted[32];
        int overflow = 0;
        if (half == 0) {
            for (int i = 0; i < 4; i++)
                overflow |= part[i];
            memcpy(shifted, part + 4, 32);
        } else {
            for (int i = 0; i < 8; i++)
                overflow |= part[i];
            memcpy(shifted, part + 8, 28);
            memset(shifted + 28, 0, 4);
        }
        if (overflow || zr_rpc_u256_add(acc, acc, shifted))
            return ZR_ERANGE;
    }
    memcpy(out, acc, 32);
    return 0;
}

int zr_rpc_u256_cmp(const uint8_t a[32], const uint8_t b[32])
{
    int c = memcmp(a, b, 32);
    return c < 0 ? -1 : c > 0;
}
