/* SPDX-License-Identifier: MIT
 * BLS signatures on BN254 with EigenLayer's conventions (docs/PROTOCOL.md, "BLS signatures
 * on BN254"): secret key sk in Fr, public keys sk*G1 and sk*G2, signatures sk*hashToG1(m)
 * in G1 on a 32-byte digest m, aggregation by point addition, verification by the γ trick
 *     γ = keccak256(m ‖ apkG1 ‖ apkG2 ‖ σ) mod r        (288 bytes, G2 imaginary part first)
 *     e(σ + γ·apkG1, −G2) · e(hashToG1(m) + γ·G1, apkG2) = 1
 * and a proof of possession: a signature on keccak256(abi.encode(operator, chainId,
 * governance)). Also an operator BLS keystore (scrypt + AES-128-CTR + keccak MAC, JSON in
 * the layout of Ethereum V3 keystores).
 *
 * Secrets: every operation on a secret key runs in time independent of it (constant-time
 * scalar multiplication, no secret-dependent branches or table indices); the caller wipes
 * keys with zr_bls_secret_wipe. All types are plain values owned by the caller. */
#ifndef ZARA_BLS_H
#define ZARA_BLS_H

#include <stddef.h>
#include <stdint.h>

#include "zara/bn254.h"
#include "zara/common.h"

typedef struct zr_bls_secret {
    zr_bn254_fr_t k; /* in [1, r-1] */
} zr_bls_secret_t;

typedef struct zr_bls_pubkey {
    zr_bn254_g1_t g1;
    zr_bn254_g2_t g2;
} zr_bls_pubkey_t;

#define ZR_BLS_PUBKEY_BYTES (ZR_BN254_G1_BYTES + ZR_BN254_G2_BYTES) /* g1 ‖ g2, 192 */
#define ZR_BLS_SIG_BYTES ZR_BN254_G1_BYTES

/* ---- keys ------------------------------------------------------------------------------- */
/* A fresh secret from the OS CSPRNG (rejection sampling in [1, r-1]); ZR_ERANDOM. */
int zr_bls_secret_generate(zr_bls_secret_t *sk);
/* A secret from 32 big-endian bytes: ZR_EBADKEY when 0 or >= r. */
int zr_bls_secret_from_bytes(zr_bls_secret_t *sk, const uint8_t in[32]);
/* A deterministic secret from a seed of at least 32 bytes (ZR_EINVAL otherwise):
 * sk = (keccak256(seed ‖ 0x00) ‖ keccak256(seed ‖ 0x01)) mod r, read as one 64-byte
 * big-endian integer; ZR_EBADKEY in the (negligible) case it is 0. */
int zr_bls_secret_from_seed(zr_bls_secret_t *sk, const uint8_t *seed, size_t seed_len);
void zr_bls_secret_to_bytes(uint8_t out[32], const zr_bls_secret_t *sk);
void zr_bls_secret_wipe(zr_bls_secret_t *sk);

/* Both public keys of sk (constant time in sk). */
void zr_bls_pubkey_from_secret(zr_bls_pubkey_t *pk, const zr_bls_secret_t *sk);
/* Decodes g1 (64 bytes) and g2 (128 bytes) and checks they are the same key:
 * e(g1, G2) == e(G1, g2); ZR_EBADPOINT / ZR_ENONCANON for bad points, ZR_EBADKEY for a
 * mismatch or the point at infinity. */
int zr_bls_pubkey_decode(zr_bls_pubkey_t *pk, const uint8_t g1[64], const uint8_t g2[128]);
void zr_bls_pubkey_encode(uint8_t g1[64], uint8_t g2[128], const zr_bls_pubkey_t *pk);
/* operatorId = keccak256(abi.encode(pkG1.x, pkG1.y)). */
void zr_bls_operator_id(uint8_t out[32], const zr_bn254_g1_t *pk_g1);

/* ---- signatures ------------------------------------------------------------------------- */
/* sig = sk * hashToG1(msg) */
void zr_bls_sign(zr_bn254_g1_t *sig, const zr_bls_secret_t *sk, const uint8_t msg[32]);
/* γ = keccak256(msg ‖ apk_g1 ‖ apk_g2 ‖ sig) mod r, the exact 288-byte input of the
 * contracts' BN254 library. */
void zr_bls_gamma(zr_bn254_fr_t *gamma, const uint8_t msg[32], const zr_bn254_g1_t *apk_g1,
                  const zr_bn254_g2_t *apk_g2, const zr_bn254_g1_t *sig);
/* The contracts' check (γ trick) of sig on msg by the aggregate keys (apk_g1, apk_g2):
 * 0 when valid, ZR_EVERIFY when not, ZR_EBADKEY when a key is infinity, ZR_EBADSIG when
 * sig is infinity. Variable time (all inputs are public). */
int zr_bls_verify(const zr_bn254_g1_t *apk_g1, const zr_bn254_g2_t *apk_g2, const uint8_t msg[32],
                  const zr_bn254_g1_t *sig);
/* The plain check e(sig, -G2) * e(hashToG1(msg), pk_g2) == 1 with only the G2 key. */
int zr_bls_verify_g2(const zr_bn254_g2_t *pk_g2, const uint8_t msg[32], const zr_bn254_g1_t *sig);

/* Checks n signatures on the same msg, each by its own G2 key, at the cost of one pairing
 * check plus n short multiplications: with random 64-bit r_i,
 * e(sum r_i sig_i, -G2) * e(hashToG1(msg), sum r_i pk_i) = 1. 0 when all are valid (a bad
 * one slips through with probability about 2^-64); ZR_EVERIFY when at least one is not (check
 * them one by one to find it); ZR_EBADKEY / ZR_EBADSIG for a point at infinity; ZR_EINVAL
 * for n = 0; ZR_ERANDOM / ZR_ENOMEM. */
int zr_bls_verify_batch(const zr_bn254_g2_t *pks, const zr_bn254_g1_t *sigs, size_t n, const uint8_t msg[32]);

/* Sums of n points (n = 0 gives infinity); for signatures and G1 keys, and for G2 keys. */
void zr_bls_aggregate_g1(zr_bn254_g1_t *out, const zr_bn254_g1_t *pts, size_t n);
void zr_bls_aggregate_g2(zr_bn254_g2_t *out, const zr_bn254_g2_t *pts, size_t n);

/* ---- proof of possession ----------------------------------------------------------------- */
/* keccak256(abi.encode(address operator, uint256 chainId, address governance)) */
void zr_bls_pop_message(uint8_t out[32], const uint8_t operator_addr[20], uint64_t chain_id,
                        const uint8_t governance[20]);
void zr_bls_pop_prove(zr_bn254_g1_t *sig, const zr_bls_secret_t *sk, const uint8_t operator_addr[20],
                      uint64_t chain_id, const uint8_t governance[20]);
/* Verifies with the γ trick and pk's two keys: 0 or ZR_EVERIFY / ZR_EBADKEY / ZR_EBADSIG. */
int zr_bls_pop_verify(const zr_bls_pubkey_t *pk, const uint8_t operator_addr[20], uint64_t chain_id,
                      const uint8_t governance[20], const zr_bn254_g1_t *sig);

/* ---- keystore ------------------------------------------------------------------------------
 * JSON text:
 *   {"version": 3, "type": "bls-bn254", "id": "<uuid>",
 *    "pubkey": {"g1": "0x<64 bytes>", "g2": "0x<128 bytes>"},
 *    "crypto": {"cipher": "aes-128-ctr", "cipherparams": {"iv": "<16 bytes hex>"},
 *               "ciphertext": "<32 bytes hex>", "kdf": "scrypt",
 *               "kdfparams": {"dklen": 32, "n": N, "r": 8, "p": 1, "salt": "<32 bytes hex>"},
 *               "mac": "<keccak256(dk[16..32) ‖ ciphertext) hex>"}}
 * The plaintext is the 32-byte big-endian secret. Reading bounds the work as the ECDSA
 * keystore does: n a power of two in [2, 2^20], r in [1, 32], p in [1, 16],
 * 128*n*r <= 512 MiB. ZR_EPASSWORD for a wrong password, ZR_EKEYSTORE for a malformed file
 * or a stored public key that does not match the secret, ZR_EJSON for non-JSON. */
#define ZR_BLS_KEYSTORE_SCRYPT_N 262144u
#define ZR_BLS_KEYSTORE_MAX_FILE 65536u

/* Appends the keystore JSON text of sk to out. scrypt_n: a power of two in [2, 2^20]. */
int zr_bls_keystore_encrypt(zr_buf_t *out, const zr_bls_secret_t *sk, const char *password,
                            uint32_t scrypt_n);
/* Decrypts keystore JSON text; err (may be NULL) receives a message. */
int zr_bls_keystore_decrypt(zr_bls_secret_t *sk, const char *json, size_t len, const char *password,
                            char *err, size_t err_cap);
/* Reads the public keys from keystore JSON text without the password. */
int zr_bls_keystore_pubkey(zr_bls_pubkey_t *pk, const char *json, size_t len, char *err, size_t err_cap);
/* File variants: save writes with mode 0600 (atomic), load reads at most MAX_FILE bytes. */
int zr_bls_keystore_save(const char *path, const zr_bls_secret_t *sk, const char *password,
                         uint32_t scrypt_n);
int zr_bls_keystore_load(zr_bls_secret_t *sk, const char *path, const char *password, char *err,
                         size_t err_cap);

#endif
