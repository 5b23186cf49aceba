/* SPDX-License-Identifier: MIT
 * secp256k1 ECDSA as Ethereum uses it (through libsecp256k1 with its recovery module):
 * private and public keys, 20-byte addresses with EIP-55 checksums, recoverable
 * signatures (r, s, recovery id) over 32-byte digests, always low-s, recovery of the
 * signer, and the EIP-191 personal-message hash.
 *
 * Keys and addresses are plain byte arrays:
 *   private key  32 bytes, big-endian scalar in [1, n-1]        (the caller wipes it)
 *   public key   64 bytes, X || Y big-endian (the uncompressed point without its 0x04)
 *   address      20 bytes, the last 20 bytes of keccak256(public key)
 * Functions that take a private key never keep a copy of it and wipe their temporaries.
 * The library context is created once, on first use, thread-safely. */
#ifndef ZARA_ECDSA_H
#define ZARA_ECDSA_H

#include <stddef.h>
#include <stdint.h>

#define ZR_ECDSA_SECKEY_LEN 32
#define ZR_ECDSA_PUBKEY_LEN 64
#define ZR_ADDR_LEN 20
/* "0x" + 40 hex digits + NUL */
#define ZR_ADDR_STR_LEN 43
/* r || s || v, the wire form of eth_sign / personal_sign / `cast wallet sign` */
#define ZR_ECDSA_SIG_LEN 65

/* A recoverable signature. v is the recovery id, 0 or 1 (y parity of R); s is always in
 * the lower half of the group order for signatures this library makes. */
typedef struct zr_sig {
    uint8_t r[32];
    uint8_t s[32];
    uint8_t v;
} zr_sig_t;

/* ---- keys --------------------------------------------------------------------------- */

/* 0 when sk is a valid private key (non-zero and below the group order), else ZR_EBADKEY. */
int zr_ecdsa_seckey_check(const uint8_t sk[32]);

/* A fresh private key from the OS random generator. ZR_ERANDOM when it fails. */
int zr_ecdsa_seckey_generate(uint8_t sk[32]);

/* Parses a private key written as exactly 64 hex digits, with or without 0x, surrounded by
 * optional whitespace (a trailing newline from a file is fine). ZR_EHEX on bad hex or
 * length, ZR_EBADKEY when it is not a valid key. Wipes its temporaries. */
int zr_ecdsa_seckey_parse_hex(uint8_t sk[32], const char *text, size_t len);

/* The public key of sk. ZR_EBADKEY when sk is invalid. */
int zr_ecdsa_pubkey_from_seckey(uint8_t pub[64], const uint8_t sk[32]);

/* Parses a SEC1 public key: 33 bytes (compressed), 65 bytes (0x04 || X || Y) or 64 bytes
 * (X || Y). ZR_EBADPOINT when it is not on the curve. */
int zr_ecdsa_pubkey_parse(uint8_t pub[64], const uint8_t *in, size_t len);

/* The address of a public key. */
void zr_ecdsa_pubkey_address(uint8_t addr[20], const uint8_t pub[64]);

/* The address of a private key. ZR_EBADKEY when sk is invalid. */
int zr_ecdsa_seckey_address(uint8_t addr[20], const uint8_t sk[32]);

/* ---- addresses ---------------------------------------------------------------------- */

/* Writes "0x" + the EIP-55 mixed-case checksummed hex form and a NUL (43 bytes). */
void zr_addr_format(char out[ZR_ADDR_STR_LEN], const uint8_t addr[20]);

/* Writes "0x" + lowercase hex and a NUL (43 bytes). */
void zr_addr_format_lower(char out[ZR_ADDR_STR_LEN], const uint8_t addr[20]);

/* Parses an address: 40 hex digits with an optional 0x prefix. All-lowercase and
 * all-uppercase digits are accepted as they are; mixed case must carry a valid EIP-55
 * checksum (ZR_ECHECKSUM otherwise). ZR_EADDRESS for anything that is not 20 bytes of
 * hex. */
int zr_addr_parse(uint8_t addr[20], const char *s);

/* ---- signatures --------------------------------------------------------------------- */

/* Signs a 32-byte digest with sk: deterministic nonce (RFC 6979), low-s, recovery id in
 * sig->v (0/1). ZR_EBADKEY when sk is invalid. */
int zr_ecdsa_sign(zr_sig_t *sig, const uint8_t sk[32], const uint8_t digest[32]);

/* Recovers the public key that made sig over digest. Rejects r or s out of range, s in the
 * upper half (as Ethereum transactions do since Homestead) and v other than 0/1 with
 * ZR_EBADSIG; ZR_EVERIFY when no key can be recovered. */
int zr_ecdsa_recover(uint8_t pub[64], const zr_sig_t *sig, const uint8_t digest[32]);

/* zr_ecdsa_recover followed by zr_ecdsa_pubkey_address. */
int zr_ecdsa_recover_address(uint8_t addr[20], const zr_sig_t *sig, const uint8_t digest[32]);

/* The 65-byte wire form r || s || (27 + v), as `cast wallet sign` prints it. */
void zr_ecdsa_sig_encode(uint8_t out[65], const zr_sig_t *sig);

/* Parses r || s || v from 65 bytes; v may be 0, 1, 27 or 28. ZR_EBADSIG otherwise (r and
 * s are checked by zr_ecdsa_recover, not here). */
int zr_ecdsa_sig_decode(zr_sig_t *sig, const uint8_t in[65]);

/* EIP-191 version 0x45 (personal_sign / eth_sign / `cast hash-message`):
 * keccak256("\x19Ethereum Signed Message:\n" || decimal(len) || msg). */
void zr_ecdsa_hash_message(uint8_t out[32], const void *msg, size_t len);

#endif
