/* SPDX-License-Identifier: MIT
 * Ethereum V3 keystores (the JSON files geth, `cast wallet` and ethers read and write):
 * the private key encrypted with AES-128-CTR under a key derived from a password, and a
 * MAC = keccak256(derivedKey[16..32) || ciphertext) that tells a wrong password apart.
 *
 * Writing: scrypt (r = 8, p = 1, dklen = 32, n chosen by the caller, 32-byte random salt
 * and 16-byte random IV), geth's layout ({"address", "crypto": {...}, "id", "version": 3})
 * and geth's file name UTC--<ISO-8601 time>--<lowercase address>, mode 0600.
 * Reading: scrypt or pbkdf2 (prf hmac-sha256), cipher aes-128-ctr, dklen 32, version 3,
 * with or without the "address" member (cast omits it). A hostile file cannot make us
 * spend unbounded memory or time: scrypt n must be a power of two in [2, 2^20], r in
 * [1, 32], p in [1, 16], 128*n*r <= 512 MiB and n*r*p <= 2^24 (geth's standard
 * n = 262144, r = 8, p = 1 uses 256 MiB and is accepted; so are its light n = 4096 and
 * cast's n = 8192); pbkdf2 c must be in [1, 2^24]. OpenSSL's scrypt also enforces RFC 7914's
 * n < 2^(16*r), which only matters for r = 1 (no common tool writes that; the scrypt
 * example of the Web3 Secret Storage page does, n = 262144 with r = 1, and is refused with a
 * message saying so).
 *
 * Errors: ZR_EPASSWORD for a wrong password (MAC mismatch); ZR_EKEYSTORE for a malformed
 * or out-of-bounds file, with a message in err (when err is non-NULL); ZR_EJSON for text
 * that is not JSON; ZR_ENOENT / ZR_EIO / ZR_ETOOBIG from the file system. Derived keys and
 * decrypted keys are wiped before returning. */
#ifndef ZARA_KEYSTORE_H
#define ZARA_KEYSTORE_H

#include <stddef.h>
#include <stdint.h>

#include "zara/common.h"

#define ZR_KEYSTORE_SCRYPT_N_STANDARD 262144u /* geth StandardScryptN: 256 MiB, ~1 s */
#define ZR_KEYSTORE_SCRYPT_N_LIGHT 4096u      /* geth LightScryptN: 4 MiB */
#define ZR_KEYSTORE_MAX_FILE 65536u           /* bytes of JSON we read */
#define ZR_KEYSTORE_MAX_SCRYPT_N (1u << 20)
#define ZR_KEYSTORE_MAX_SCRYPT_MEM (512u << 20)
#define ZR_KEYSTORE_MAX_WORK (1u << 24) /* n*r*p for scrypt, c for pbkdf2 */

typedef enum zr_keystore_kdf {
    ZR_KEYSTORE_KDF_SCRYPT = 1,
    ZR_KEYSTORE_KDF_PBKDF2 = 2,
} zr_keystore_kdf_t;

/* A parsed keystore: everything needed to decrypt, checked against the bounds above. */
typedef struct zr_keystore {
    int has_address;    /* the file named its address */
    uint8_t address[20];
    char id[64];        /* the "id" member (a UUID), "" when absent */
    zr_keystore_kdf_t kdf;
    uint32_t scrypt_n, scrypt_r, scrypt_p;
    uint32_t pbkdf2_c;
    uint8_t salt[64];
    size_t salt_len;    /* 1..64 */
    uint8_t iv[16];
    uint8_t ciphertext[32];
    uint8_t mac[32];
} zr_keystore_t;

/* Parses and checks keystore JSON text (no key derivation: cheap and safe on any input). */
int zr_keystore_parse(zr_keystore_t *ks, const char *json, size_t len, char *err, size_t err_cap);

/* Derives the key from password, checks the MAC (ZR_EPASSWORD on mismatch) and decrypts
 * the private key into sk. When the file named an address, it must match the key's
 * (ZR_EKEYSTORE otherwise). */
int zr_keystore_decrypt(uint8_t sk[32], const zr_keystore_t *ks, const char *password, char *err,
                        size_t err_cap);

/* Encrypts sk under password with scrypt(n = scrypt_n, r = 8, p = 1) and appends the
 * keystore JSON text (geth's layout) to out. scrypt_n must be a power of two in
 * [2, ZR_KEYSTORE_MAX_SCRYPT_N] (ZR_EINVAL otherwise). ZR_EBADKEY for an invalid key. */
int zr_keystore_encrypt(zr_buf_t *out, const uint8_t sk[32], const char *password, uint32_t scrypt_n);

/* Reads, parses and decrypts the keystore file at path; addr (may be NULL) receives the
 * key's address. */
int zr_keystore_load(uint8_t sk[32], uint8_t addr[20], const char *path, const char *password,
                     char *err, size_t err_cap);

/* Encrypts sk and writes it into dir (created with mode 0700 when missing) as
 * UTC--<time>--<address>, mode 0600; the file's path is written to path_out (may be
 * NULL). ZR_EEXISTS if that exact file exists. */
int zr_keystore_save(char *path_out, size_t path_cap, const char *dir, const uint8_t sk[32],
                     const char *password, uint32_t scrypt_n);

/* One keystore file found in a directory. */
typedef struct zr_keystore_entry {
    char *path;         /* malloc'd, freed by zr_keystore_list_free */
    int has_address;    /* the file names its address (geth and zara files do; cast's not) */
    uint8_t address[20];
} zr_keystore_entry_t;

/* Lists the regular files of dir that parse as keystores (others are skipped), sorted by
 * file name. *out is malloc'd (zr_keystore_list_free); a missing dir gives 0 entries. */
int zr_keystore_list(zr_keystore_entry_t **out, size_t *count, const char *dir);
void zr_keystore_list_free(zr_keystore_entry_t *entries, size_t count);

#endif
