// SPDX-License-Identifier: MIT
// CIDs of `ipfs add`: the binary form (version, multicodec, multihash), multibase base32
// text (the canonical CIDv1 form) and base58btc (CIDv0 and js-ipfs's default output), and
// sha2-256 through OpenSSL. Also the unsigned varints that multiformats and protobuf share.
#include <string.h>

#include <openssl/sha.h>

#include "store_int.h"

size_t zr__varint_get(const uint8_t *p, size_t len, uint64_t *out, int minimal)
{
    uint64_t v = 0;
    for (size_t i = 0; i < len && i < 10; i++) {
        uint8_t b = p[i];
        if (i == 9 && b > 1)
            return 0; /* past 64 bits */
        v |= (uint64_t)(b & 0x7f) << (7 * i);
        if (!(b & 0x80)) {
            if (minimal && i > 0 && b == 0)
                return 0;
            *out = v;
            return i + 1;
        }
    }
    return 0;
}

size_t zr__varint_len(uint64_t v)
{
    size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        n++;
    }
    return n;
}

size_t zr__varint_put(uint8_t *out, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        out[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    out[n++] = (uint8_t)v;
    return n;
}

static const char b32_lower[] = "abcdefghijklmnopqrstuvwxyz234567";

int zr_cid_decode(zr_cid_t *out, const uint8_t *b, size_t len)
{
    uint64_t version, codec, hfn, hlen;
    size_t n, off = 0;
    if (len == 34 && b[0] == 0x12 && b[1] == 0x20) { /* CIDv0: a bare sha2-256 multihash */
        out->codec = ZR_CID_DAGPB;
        out->v0 = 1;
        memcpy(out->digest, b + 2, 32);
        return 0;
    }
    if (len >= 1 && b[0] == 0x12)
        return ZR_ECID; /* a CIDv0 of the wrong length */
    if ((n = zr__varint_get(b, len, &version, 1)) == 0)
        return ZR_ECID;
    off += n;
    if (version != 1)
        return version == 0 ? ZR_ECID : ZR_EUNSUPPORTED;
    if ((n = zr__varint_get(b + off, len - off, &codec, 1)) == 0)
        return ZR_ECID;
    off += n;
    if ((n = zr__varint_get(b + off, len - off, &hfn, 1)) == 0)
        return ZR_ECID;
    off += n;
    if ((n = zr__varint_get(b + off, len - off, &hlen, 1)) == 0)
        return ZR_ECID;
    off += n;
    if (hlen != len - off)
        return ZR_ECID;
    if (codec != ZR_CID_RAW && codec != ZR_CID_DAGPB)
        return ZR_EUNSUPPORTED;
    if (hfn != 0x12 || hlen != 32)
        return ZR_EUNSUPPORTED;
    out->codec = (uint32_t)codec;
    out->v0 = 0;
    memcpy(out->digest, b + off, 32);
    return 0;
}

size_t zr_cid_encode(uint8_t out[ZR_CID_BYTES], const zr_cid_t *cid)
{
    if (cid->v0) {
        out[0] = 0x12;
        out[1] = 0x20;
        memcpy(out + 2, cid->digest, 32);
        return 34;
    }
    out[0] = 0x01;
    out[1] = (uint8_t)cid->codec; /* both supported codecs are one-byte varints */
    out[2] = 0x12;
    out[3] = 0x20;
    memcpy(out + 4, cid->digest, 32);
    return ZR_CID_BYTES;
}

static const char b58[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/* base58btc of n <= 40 bytes into out (NUL-terminated); returns the length. */
static size_t b58_encode(char *out, const uint8_t *in, size_t n)
{
    uint8_t digits[64] = {0}; /* base-58 digits, least significant first */
    size_t nd = 0, zeros = 0;
    while (zeros < n && in[zeros] == 0)
        zeros++;
    for (size_t i = zeros; i < n; i++) {
        uint32_t carry = in[i];
        for (size_t j = 0; j < nd; j++) {
            carry += (uint32_t)digits[j] << 8;
            digits[j] = (uint8_t)(carry % 58);
            carry /= 58;
        }
        while (carry) {
            digits[nd++] = (uint8_t)(carry % 58);
            carry /= 58;
        }
    }
    size_t o = 0;
    for (size_t i = 0; i < zeros; i++)
        out[o++] = '1';
    while (nd)
        out[o++] = b58[digits[--nd]];
    out[o] = 0;
    return o;
}

/* base58btc text (len <= 100) to bytes; returns the length, or 0 on a bad character or
 * more than cap bytes. */
static size_t b58_decode(uint8_t *out, size_t cap, const char *s, size_t len)
{
    uint8_t bytes[80] = {0}; /* least significant first */
    size_t nb = 0, zeros = 0;
    while (zeros < len && s[zeros] == '1')
        zeros++;
    for (size_t i = zeros; i < len; i++) {
        const char *p = strchr(b58, s[i]);
        if (!p || !s[i])
            return 0;
        uint32_t carry = (uint32_t)(p - b58);
        for (size_t j = 0; j < nb; j++) {
            carry += (uint32_t)bytes[j] * 58;
            bytes[j] = (uint8_t)carry;
            carry >>= 8;
        }
        while (carry) {
            if (nb == sizeof bytes)
                return 0;
            bytes[nb++] = (uint8_t)carry;
            carry >>= 8;
        }
    }
    if (zeros + nb > cap || zeros + nb == 0)
        return 0;
    memset(out, 0, zeros);
    for (size_t i = 0; i < nb; i++)
        out[zeros + i] = bytes[nb - 1 - i];
    return zeros + nb;
}

void zr_cid_to_v1(zr_cid_t *out, const zr_cid_t *cid)
{
    *out = *cid;
    out->v0 = 0;
}

char *zr_cid_format(char out[ZR_CID_STR_MAX], const zr_cid_t *cid)
{
    uint8_t bin[ZR_CID_BYTES];
    size_t n = zr_cid_encode(bin, cid);
    if (cid->v0) {
        b58_encode(out, bin, n);
        return out;
    }
    size_t o = 0;
    out[o++] = 'b';
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        acc = (acc << 8) | bin[i];
        bits += 8;
        while (bits >= 5) {
            out[o++] = b32_lower[(acc >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0)
        out[o++] = b32_lower[(acc << (5 - bits)) & 31];
    out[o] = 0;
    return out;
}

static int b32_value(char c, int upper)
{
    if (!upper && c >= 'a' && c <= 'z')
        return c - 'a';
    if (upper && c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= '2' && c <= '7')
        return c - '2' + 26;
    return -1;
}

int zr_cid_parse(zr_cid_t *out, const char *s)
{
    if (!s)
        return ZR_ECID;
    size_t len = strlen(s);
    if (len < 2 || len > 200)
        return ZR_ECID;
    if ((len == 46 && s[0] == 'Q' && s[1] == 'm') || s[0] == 'z') {
        /* CIDv0 is bare base58btc; 'z' is the base58btc multibase */
        int v0 = s[0] == 'Q';
        uint8_t bin[64];
        size_t n = len - 1 > 100 ? 0 : b58_decode(bin, sizeof bin, s + !v0, len - !v0);
        if (n == 0)
            return ZR_ECID;
        if (v0 != (n == 34 && bin[0] == 0x12 && bin[1] == 0x20))
            return ZR_ECID; /* "Qm…" must be a CIDv0, "z…" must not */
        return zr_cid_decode(out, bin, n);
    }
    if (s[0] != 'b' && s[0] != 'B')
        return strchr("fFvVtTcChkKZmMuU9", s[0]) ? ZR_EUNSUPPORTED : ZR_ECID; /* other multibases */
    int upper = s[0] == 'B';
    uint8_t bin[128];
    size_t n = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 1; i < len; i++) {
        int v = b32_value(s[i], upper);
        if (v < 0)
            return ZR_ECID;
        acc = (acc << 5) | (uint32_t)v;
        bits += 5;
        if (bits >= 8) {
            bin[n++] = (uint8_t)(acc >> (bits - 8));
            bits -= 8;
        }
    }
    /* RFC 4648 without padding: the leftover bits must be fewer than 5 and zero */
    if (bits >= 5 || (acc & ((1u << bits) - 1)) != 0)
        return ZR_ECID;
    return zr_cid_decode(out, bin, n);
}

void zr_cid_of_block(zr_cid_t *out, uint32_t codec, const uint8_t *data, size_t len)
{
    out->codec = codec;
    out->v0 = 0;
    SHA256(data, len, out->digest);
}

int zr_cid_verify(const zr_cid_t *cid, const uint8_t *data, size_t len)
{
    uint8_t d[32];
    SHA256(data, len, d);
    return memcmp(d, cid->digest, 32) == 0 ? 0 : ZR_EHASHMISMATCH;
}

int zr_cid_equal(const zr_cid_t *a, const zr_cid_t *b)
{
    return a->codec == b->codec && a->v0 == b->v0 && memcmp(a->digest, b->digest, 32) == 0;
}
