// SPDX-License-Identifier: MIT
// Hex encoding and strict decoding (optional 0x prefix, even length, nothing else).
#include <string.h>

#include "zara/common.h"

int zr_hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int zr_hex_decode(uint8_t *out, size_t out_cap, size_t *out_len, const char *hex, size_t hex_len)
{
    if (hex_len >= 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')) {
        hex += 2;
        hex_len -= 2;
    }
    if (hex_len % 2)
        return ZR_EHEX;
    if (hex_len / 2 > out_cap)
        return ZR_EBUFSMALL;
    for (size_t i = 0; i < hex_len / 2; i++) {
        int hi = zr_hex_digit(hex[2 * i]), lo = zr_hex_digit(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return ZR_EHEX;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    if (out_len)
        *out_len = hex_len / 2;
    return 0;
}

int zr_hex_decode_exact(uint8_t *out, size_t n, const char *hex)
{
    size_t len = strlen(hex), got = 0;
    size_t digits = len >= 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X') ? len - 2 : len;
    if (digits != 2 * n)
        return ZR_EHEX;
    int rc = zr_hex_decode(out, n, &got, hex, len);
    return rc ? rc : (got == n ? 0 : ZR_EHEX);
}

void zr_hex_encode(char *out, const uint8_t *in, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = 0;
}

int zr_hex_append_0x(zr_buf_t *b, const uint8_t *in, size_t n)
{
    if (n > (b->max - 2) / 2)
        return ZR_ETOOBIG;
    int rc = zr_buf_reserve(b, 2 + 2 * n);
    if (rc)
        return rc;
    b->data[b->len++] = '0';
    b->data[b->len++] = 'x';
    zr_hex_encode((char *)b->data + b->len, in, n);
    b->len += 2 * n;
    return 0;
}
