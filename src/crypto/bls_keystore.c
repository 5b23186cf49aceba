// SPDX-License-Identifier: MIT
// The operator BLS keystore: the 32-byte secret encrypted with AES-128-CTR under a key
// derived by scrypt from a password, a keccak256 MAC that tells a wrong password apart, and
// the public keys in clear, as JSON in the layout of Ethereum V3 keystores (see bls.h).
// OpenSSL provides scrypt and AES; bounds keep a hostile file from costing unbounded work.
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/kdf.h>

#include "zara/bls.h"
#include "zara/keccak.h"

#define KS_MAX_N (1u << 20)
#define KS_MAX_MEM (512ull << 20)

static void set_err(char *err, size_t cap, const char *msg)
{
    if (err && cap)
        snprintf(err, cap, "%s", msg);
}

static int scrypt_derive(uint8_t dk[32], const char *password, const uint8_t *salt, size_t salt_len,
                         uint64_t n, uint64_t r, uint64_t p)
{
    uint64_t mem = 128ull * n * r * (p + 1) + (1u << 20);
    if (EVP_PBE_scrypt(password, strlen(password), salt, salt_len, n, r, p, mem, dk, 32) != 1)
        return ZR_ENOMEM;
    return 0;
}

static int aes128ctr(uint8_t out[32], const uint8_t in[32], const uint8_t key[16], const uint8_t iv[16])
{
    int rc = ZR_EIO, len = 0, fin = 0;
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    if (!c)
        return ZR_ENOMEM;
    if (EVP_EncryptInit_ex(c, EVP_aes_128_ctr(), NULL, key, iv) == 1 &&
        EVP_EncryptUpdate(c, out, &len, in, 32) == 1 && EVP_EncryptFinal_ex(c, out + len, &fin) == 1 &&
        len + fin == 32)
        rc = 0;
    EVP_CIPHER_CTX_free(c);
    return rc;
}

static void mac_of(uint8_t mac[32], const uint8_t dk[32], const uint8_t ct[32])
{
    uint8_t in[48];
    memcpy(in, dk + 16, 16);
    memcpy(in + 16, ct, 32);
    zr_keccak256(mac, in, sizeof in);
}

static char *hex_of(char *out, const uint8_t *b, size_t n)
{
    zr_hex_encode(out, b, n);
    return out;
}

int zr_bls_keystore_encrypt(zr_buf_t *out, const zr_bls_secret_t *sk, const char *password,
                            uint32_t scrypt_n)
{
    if (!out || !sk || !password || scrypt_n < 2 || scrypt_n > KS_MAX_N || (scrypt_n & (scrypt_n - 1)))
        return ZR_EINVAL;
    int rc;
    uint8_t salt[32], iv[16], uuid[16], dk[32], plain[32], ct[32], mac[32], g1[64], g2[128];
    char hsalt[65], hiv[33], hct[65], hmac[65], hg1[129], hg2[257], huuid[33];
    zr_bls_pubkey_t pk;
    if ((rc = zr_random_bytes(salt, sizeof salt)) != 0 || (rc = zr_random_bytes(iv, sizeof iv)) != 0 ||
        (rc = zr_random_bytes(uuid, sizeof uuid)) != 0)
        goto fail;
    uuid[6] = (uint8_t)((uuid[6] & 0x0f) | 0x40);
    uuid[8] = (uint8_t)((uuid[8] & 0x3f) | 0x80);
    if ((rc = scrypt_derive(dk, password, salt, sizeof salt, scrypt_n, 8, 1)) != 0)
        goto fail;
    zr_bls_secret_to_bytes(plain, sk);
    if ((rc = aes128ctr(ct, plain, dk, iv)) != 0)
        goto fail;
    mac_of(mac, dk, ct);
    zr_bls_pubkey_from_secret(&pk, sk);
    zr_bls_pubkey_encode(g1, g2, &pk);
    hex_of(huuid, uuid, 16);
    rc = zr_buf_printf(out,
                       "{\"version\":3,\"type\":\"bls-bn254\",\"id\":\"%.8s-%.4s-%.4s-%.4s-%.12s\","
                       "\"pubkey\":{\"g1\":\"0x%s\",\"g2\":\"0x%s\"},"
                       "\"crypto\":{\"cipher\":\"aes-128-ctr\",\"cipherparams\":{\"iv\":\"%s\"},"
                       "\"ciphertext\":\"%s\",\"kdf\":\"scrypt\",\"kdfparams\":{\"dklen\":32,\"n\":%u,"
                       "\"r\":8,\"p\":1,\"salt\":\"%s\"},\"mac\":\"%s\"}}\n",
                       huuid, huuid + 8, huuid + 12, huuid + 16, huuid + 20, hex_of(hg1, g1, 64),
                       hex_of(hg2, g2, 128), hex_of(hiv, iv, 16), hex_of(hct, ct, 32), scrypt_n,
                       hex_of(hsalt, salt, 32), hex_of(hmac, mac, 32));
fail:
    zr_wipe(dk, sizeof dk);
    zr_wipe(plain, sizeof plain);
    return rc;
}

static int get_hex(uint8_t *out, size_t n, const json_t *obj, const char *key)
{
    const char *s = zr_json_str(obj, key);
    if (!s)
        return ZR_EKEYSTORE;
    return zr_hex_decode_exact(out, n, s) == 0 ? 0 : ZR_EKEYSTORE;
}

static int get_uint(uint64_t *out, const json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return ZR_EKEYSTORE;
    *out = (uint64_t)json_integer_value(v);
    return 0;
}

static int parse_pubkey(zr_bls_pubkey_t *pk, json_t *root, char *err, size_t err_cap)
{
    uint8_t g1[64], g2[128];
    json_t *pub = json_object_get(root, "pubkey");
    if (!json_is_object(pub) || get_hex(g1, 64, pub, "g1") || get_hex(g2, 128, pub, "g2")) {
        set_err(err, err_cap, "keystore: missing or malformed pubkey.g1/pubkey.g2");
        return ZR_EKEYSTORE;
    }
    int rc = zr_bls_pubkey_decode(pk, g1, g2);
    if (rc) {
        set_err(err, err_cap, "keystore: pubkey is not a valid BN254 key pair");
        return ZR_EKEYSTORE;
    }
    return 0;
}

static int parse_json(json_t **root, const char *json, size_t len, char *err, size_t err_cap)
{
    char jerr[160];
    int rc = zr_json_parse(json, len, ZR_BLS_KEYSTORE_MAX_FILE, root, jerr, sizeof jerr);
    if (rc) {
        set_err(err, err_cap, jerr);
        return rc;
    }
    if (!json_is_object(*root) || !json_is_integer(json_object_get(*root, "version")) ||
        json_integer_value(json_object_get(*root, "version")) != 3 ||
        !zr_json_str(*root, "type") || strcmp(zr_json_str(*root, "type"), "bls-bn254") != 0) {
        set_err(err, err_cap, "keystore: not a version 3 \"bls-bn254\" keystore");
        json_decref(*root);
        *root = NULL;
        return ZR_EKEYSTORE;
    }
    return 0;
}

int zr_bls_keystore_pubkey(zr_bls_pubkey_t *pk, const char *json, size_t len, char *err, size_t err_cap)
{
    json_t *root = NULL;
    int rc = parse_json(&root, json, len, err, err_cap);
    if (rc)
        return rc;
    rc = parse_pubkey(pk, root, err, err_cap);
    json_decref(root);
    return rc;
}

int zr_bls_keystore_decrypt(zr_bls_secret_t *sk, const char *json, size_t len, const char *password,
                            char *err, size_t err_cap)
{
    json_t *root = NULL;
    uint8_t salt[64], iv[16], ct[32], mac[32], want[32], dk[32], plain[32];
    size_t salt_len = 0;
    uint64_t n = 0, r = 0, p = 0, dklen = 0;
    zr_bls_pubkey_t stored, derived;
    int rc = parse_json(&root, json, len, err, err_cap);
    if (rc)
        return rc;
    json_t *c = json_object_get(root, "crypto");
    json_t *kp = json_is_object(c) ? json_object_get(c, "kdfparams") : NULL;
    json_t *cp = json_is_object(c) ? json_object_get(c, "cipherparams") : NULL;
    const char *hsalt = kp ? zr_json_str(kp, "salt") : NULL;
    rc = ZR_EKEYSTORE;
    if (!json_is_object(kp) || !json_is_object(cp) || !zr_json_str(c, "cipher") || !zr_json_str(c, "kdf") ||
        strcmp(zr_json_str(c, "cipher"), "aes-128-ctr") != 0 || strcmp(zr_json_str(c, "kdf"), "scrypt") != 0 ||
        get_hex(iv, 16, cp, "iv") || get_hex(ct, 32, c, "ciphertext") || get_hex(want, 32, c, "mac") ||
        get_uint(&n, kp, "n") || get_uint(&r, kp, "r") || get_uint(&p, kp, "p") || get_uint(&dklen, kp, "dklen") ||
        !hsalt || zr_hex_decode(salt, sizeof salt, &salt_len, hsalt, strlen(hsalt)) != 0 || salt_len == 0) {
        set_err(err, err_cap, "keystore: missing or malformed crypto members (want aes-128-ctr, scrypt)");
        goto fail;
    }
    if (dklen != 32 || n < 2 || n > KS_MAX_N || (n & (n - 1)) || r < 1 || r > 32 || p < 1 || p > 16 ||
        128ull * n * r > KS_MAX_MEM) {
        set_err(err, err_cap, "keystore: scrypt parameters out of bounds");
        goto fail;
    }
    if ((rc = parse_pubkey(&stored, root, err, err_cap)) != 0)
        goto fail;
    if ((rc = scrypt_derive(dk, password, salt, salt_len, n, r, p)) != 0) {
        set_err(err, err_cap, "keystore: scrypt failed");
        goto fail;
    }
    mac_of(mac, dk, ct);
    if (zr_memeq_ct(mac, want, 32) != 0) {
        set_err(err, err_cap, "keystore: wrong password (MAC mismatch)");
        rc = ZR_EPASSWORD;
        goto fail;
    }
    if ((rc = aes128ctr(plain, ct, dk, iv)) != 0)
        goto fail;
    if (zr_bls_secret_from_bytes(sk, plain) != 0) {
        set_err(err, err_cap, "keystore: decrypted secret is not in [1, r-1]");
        rc = ZR_EKEYSTORE;
        goto fail;
    }
    zr_bls_pubkey_from_secret(&derived, sk);
    if (!zr_bn254_g1_eq(&derived.g1, &stored.g1) || !zr_bn254_g2_eq(&derived.g2, &stored.g2)) {
        set_err(err, err_cap, "keystore: the stored public key does not belong to the secret");
        zr_bls_secret_wipe(sk);
        rc = ZR_EKEYSTORE;
        goto fail;
    }
    rc = 0;
fail:
    zr_wipe(dk, sizeof dk);
    zr_wipe(plain, sizeof plain);
    json_decref(root);
    return rc;
}

int zr_bls_keystore_save(const char *path, const zr_bls_secret_t *sk, const char *password, uint32_t scrypt_n)
{
    zr_buf_t b;
    zr_buf_init(&b, ZR_BLS_KEYSTORE_MAX_FILE);
    int rc = zr_bls_keystore_encrypt(&b, sk, password, scrypt_n);
    if (rc == 0)
        rc = zr_file_write_atomic(path, b.data, b.len, 0600);
    zr_buf_cleanup(&b);
    return rc;
}

int zr_bls_keystore_load(zr_bls_secret_t *sk, const char *path, const char *password, char *err, size_t err_cap)
{
    zr_buf_t b;
    zr_buf_init(&b, ZR_BLS_KEYSTORE_MAX_FILE);
    int rc = zr_file_read(path, ZR_BLS_KEYSTORE_MAX_FILE, &b);
    if (rc) {
        set_err(err, err_cap, "keystore: cannot read the file");
    } else {
        rc = zr_bls_keystore_decrypt(sk, (const char *)b.data, b.len, password, err, err_cap);
    }
    zr_buf_cleanup(&b);
    return rc;
}
