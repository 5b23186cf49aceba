// SPDX-License-Identifier: MIT
// secp256k1 keys, Ethereum addresses (EIP-55), recoverable low-s signatures and signer
// recovery on top of libsecp256k1 and its recovery module, plus the EIP-191 message hash.
// One library context is created lazily and blinded with OS randomness; libsecp256k1
// documents const-context calls as thread-safe, so every thread shares it.
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include "zara/common.h"
#include "zara/ecdsa.h"
#include "zara/keccak.h"

static secp256k1_context *g_ctx;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static void ctx_create(void)
{
    secp256k1_context *c = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    if (!c)
        return;
    uint8_t seed[32];
    // Blinding only hardens against side channels; a failure here leaves a working context.
    if (zr_random_bytes(seed, sizeof seed) == 0 && !secp256k1_context_randomize(c, seed))
        ZR_WARN("secp256k1_blinding_failed", "effect=unblinded");
    zr_wipe(seed, sizeof seed);
    g_ctx = c;
}

static const secp256k1_context *ctx(void)
{
    pthread_once(&g_once, ctx_create);
    return g_ctx;
}

/* The group order n and n/2, big-endian. */
static const uint8_t k_half_n[32] = {
    0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4, 0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0,
};

int zr_ecdsa_seckey_check(const uint8_t sk[32])
{
    const secp256k1_context *c = ctx();
    if (!c)
        return ZR_ENOMEM;
    return secp256k1_ec_seckey_verify(c, sk) ? 0 : ZR_EBADKEY;
}

int zr_ecdsa_seckey_generate(uint8_t sk[32])
{
    // A uniformly random 32-byte string is >= n with probability ~2^-128: retry then.
    for (int i = 0; i < 64; i++) {
        int rc = zr_random_bytes(sk, 32);
        if (rc)
            return rc;
        if (zr_ecdsa_seckey_check(sk) == 0)
            return 0;
    }
    zr_wipe(sk, 32);
    return ZR_ERANDOM;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int zr_ecdsa_seckey_parse_hex(uint8_t sk[32], const char *text, size_t len)
{
    while (len && is_space(*text)) {
        text++;
        len--;
    }
    while (len && is_space(text[len - 1]))
        len--;
    if (len >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        text += 2;
        len -= 2;
    }
    if (len != 64)
        return ZR_EHEX;
    uint8_t tmp[32];
    size_t got = 0;
    int rc = zr_hex_decode(tmp, sizeof tmp, &got, text, len);
    if (rc == 0 && got != 32)
        rc = ZR_EHEX;
    if (rc == 0)
        rc = zr_ecdsa_seckey_check(tmp);
    if (rc == 0)
        memcpy(sk, tmp, 32);
    zr_wipe(tmp, sizeof tmp);
    return rc;
}

static void pubkey_serialize(const secp256k1_context *c, uint8_t pub[64], const secp256k1_pubkey *pk)
{
    uint8_t ser[65];
    size_t n = sizeof ser;
    secp256k1_ec_pubkey_serialize(c, ser, &n, pk, SECP256K1_EC_UNCOMPRESSED);
    memcpy(pub, ser + 1, 64);
}

int zr_ecdsa_pubkey_from_seckey(uint8_t pub[64], const uint8_t sk[32])
{
    const secp256k1_context *c = ctx();
    if (!c)
        return ZR_ENOMEM;
    secp256k1_pubkey pk;
    if (!secp256k1_ec_pubkey_create(c, &pk, sk))
        return ZR_EBADKEY;
    pubkey_serialize(c, pub, &pk);
    return 0;
}

int zr_ecdsa_pubkey_parse(uint8_t pub[64], const uint8_t *in, size_t len)
{
    const secp256k1_context *c = ctx();
    if (!c)
        return ZR_ENOMEM;
    uint8_t tmp[65];
    if (len == 64) {
        tmp[0] = 0x04;
        memcpy(tmp + 1, in, 64);
        in = tmp;
        len = 65;
    } else if (len != 33 && len != 65) {
        return ZR_EBADPOINT;
    }
    secp256k1_pubkey pk;
    // libsecp256k1 also accepts the hybrid 0x06/0x07 prefixes; Ethereum never uses them.
    if ((in[0] != 0x02 && in[0] != 0x03 && in[0] != 0x04) || !secp256k1_ec_pubkey_parse(c, &pk, in, len))
        return ZR_EBADPOINT;
    pubkey_serialize(c, pub, &pk);
    return 0;
}

void zr_ecdsa_pubkey_address(uint8_t addr[20], const uint8_t pub[64])
{
    uint8_t h[32];
    zr_keccak256(h, pub, 64);
    memcpy(addr, h + 12, 20);
}

int zr_ecdsa_seckey_address(uint8_t addr[20], const uint8_t sk[32])
{
    uint8_t pub[64];
    int rc = zr_ecdsa_pubkey_from_seckey(pub, sk);
    if (rc == 0)
        zr_ecdsa_pubkey_address(addr, pub);
    return rc;
}

/* ---- addresses ---------------------------------------------------------------------- */

void zr_addr_format_lower(char out[ZR_ADDR_STR_LEN], const uint8_t addr[20])
{
    out[0] = '0';
    out[1] = 'x';
    zr_hex_encode(out + 2, addr, 20);
}

void zr_addr_format(char out[ZR_ADDR_STR_LEN], const uint8_t addr[20])
{
    zr_addr_format_lower(out, addr);
    // EIP-55: uppercase the i-th letter when nibble i of keccak256(lowercase hex) >= 8.
    uint8_t h[32];
    zr_keccak256(h, out + 2, 40);
    for (int i = 0; i < 40; i++) {
        char *ch = &out[2 + i];
        int nib = (i & 1) ? (h[i / 2] & 0x0f) : (h[i / 2] >> 4);
        if (*ch >= 'a' && *ch <= 'f' && nib >= 8)
            *ch = (char)(*ch - 'a' + 'A');
    }
}

int zr_addr_parse(uint8_t addr[20], const char *s)
{
    if (!s)
        return ZR_EADDRESS;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        s += 2;
    if (strlen(s) != 40)
        return ZR_EADDRESS;
    int lower = 0, upper = 0;
    for (int i = 0; i < 40; i++) {
        char ch = s[i];
        if (ch >= 'a' && ch <= 'f')
            lower = 1;
        else if (ch >= 'A' && ch <= 'F')
            upper = 1;
        else if (!(ch >= '0' && ch <= '9'))
            return ZR_EADDRESS;
    }
    uint8_t a[20];
    if (zr_hex_decode_exact(a, 20, s) != 0)
        return ZR_EADDRESS;
    if (lower && upper) {
        char want[ZR_ADDR_STR_LEN];
        zr_addr_format(want, a);
        if (memcmp(want + 2, s, 40) != 0)
            return ZR_ECHECKSUM;
    }
    memcpy(addr, a, 20);
    return 0;
}

/* ---- signatures --------------------------------------------------------------------- */

int zr_ecdsa_sign(zr_sig_t *sig, const uint8_t sk[32], const uint8_t digest[32])
{
    const secp256k1_context *c = ctx();
    if (!c)
        return ZR_ENOMEM;
    secp256k1_ecdsa_recoverable_signature rs;
    // The default nonce function is RFC 6979; libsecp256k1 always emits low-s.
    if (!secp256k1_ecdsa_sign_recoverable(c, &rs, digest, sk, NULL, NULL))
        return ZR_EBADKEY;
    uint8_t compact[64];
    int recid = 0;
    secp256k1_ecdsa_recoverable_signature_serialize_compact(c, compact, &recid, &rs);
    memcpy(sig->r, compact, 32);
    memcpy(sig->s, compact + 32, 32);
    sig->v = (uint8_t)recid;
    return 0;
}

static int is_zero32(const uint8_t b[32])
{
    uint8_t acc = 0;
    for (int i = 0; i < 32; i++)
        acc |= b[i];
    return acc == 0;
}

int zr_ecdsa_recover(uint8_t pub[64], const zr_sig_t *sig, const uint8_t digest[32])
{
    const secp256k1_context *c = ctx();
    if (!c)
        return ZR_ENOMEM;
    if (sig->v > 1 || is_zero32(sig->r) || is_zero32(sig->s) || memcmp(sig->s, k_half_n, 32) > 0)
        return ZR_EBADSIG;
    uint8_t compact[64];
    memcpy(compact, sig->r, 32);
    memcpy(compact + 32, sig->s, 32);
    secp256k1_ecdsa_recoverable_signature rs;
    // parse_compact rejects r >= n (overflow).
    if (!secp256k1_ecdsa_recoverable_signature_parse_compact(c, &rs, compact, sig->v))
        return ZR_EBADSIG;
    secp256k1_pubkey pk;
    if (!secp256k1_ecdsa_recover(c, &pk, &rs, digest))
        return ZR_EVERIFY;
    pubkey_serialize(c, pub, &pk);
    return 0;
}

int zr_ecdsa_recover_address(uint8_t addr[20], const zr_sig_t *sig, const uint8_t digest[32])
{
    uint8_t pub[64];
    int rc = zr_ecdsa_recover(pub, sig, digest);
    if (rc == 0)
        zr_ecdsa_pubkey_address(addr, pub);
    return rc;
}

void zr_ecdsa_sig_encode(uint8_t out[65], const zr_sig_t *sig)
{
    memcpy(out, sig->r, 32);
    memcpy(out + 32, sig->s, 32);
    out[64] = (uint8_t)(27 + sig->v);
}

int zr_ecdsa_sig_decode(zr_sig_t *sig, const uint8_t in[65])
{
    uint8_t v = in[64];
    if (v == 27 || v == 28)
        v = (uint8_t)(v - 27);
    if (v > 1)
        return ZR_EBADSIG;
    memcpy(sig->r, in, 32);
    memcpy(sig->s, in + 32, 32);
    sig->v = v;
    return 0;
}

void zr_ecdsa_hash_message(uint8_t out[32], const void *msg, size_t len)
{
    char prefix[64];
    int n = snprintf(prefix, sizeof prefix, "\x19" "Ethereum Signed Message:\n%zu", len);
    zr_keccak_t k;
    zr_keccak_init(&k);
    zr_keccak_update(&k, prefix, (size_t)n);
    zr_keccak_update(&k, msg, len);
    zr_keccak_final(&k, out);
}
