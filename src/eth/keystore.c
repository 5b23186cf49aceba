// SPDX-License-Identifier: MIT
// Ethereum V3 keystores: parsing with bounded KDF parameters, scrypt / pbkdf2-sha256 key
// derivation and AES-128-CTR through OpenSSL, the keccak MAC, geth's JSON layout and file
// names, and directory listing. Derived keys and plaintext keys are wiped on every path.
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <openssl/evp.h>

#include "zara/ecdsa.h"
#include "zara/keccak.h"
#include "zara/keystore.h"

#define MAX_LIST 10000

__attribute__((format(printf, 3, 4))) static int kfail(char *err, size_t err_cap, const char *fmt, ...)
{
    if (err && err_cap) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, err_cap, fmt, ap);
        va_end(ap);
    }
    return ZR_EKEYSTORE;
}

/* ---- parsing --------------------------------------------------------------------------- */

/* Decodes the hex string member key of obj (with or without 0x) into exactly n bytes, or
 * between min and n bytes when min < n (*got receives the length). */
static int hex_member(const json_t *obj, const char *key, uint8_t *out, size_t min, size_t n, size_t *got,
                      char *err, size_t err_cap)
{
    const char *s = zr_json_str(obj, key);
    if (!s)
        return kfail(err, err_cap, "keystore: missing string \"%s\"", key);
    size_t len = 0;
    if (zr_hex_decode(out, n, &len, s, strlen(s)) != 0 || len < min)
        return kfail(err, err_cap, "keystore: \"%s\" must be %zu%s bytes of hex", key, min,
                     min < n ? " or more" : "");
    if (got)
        *got = len;
    return 0;
}

/* A positive integer member no larger than max. */
static int uint_member(const json_t *obj, const char *key, uint32_t max, uint32_t *out, char *err, size_t err_cap)
{
    const json_t *v = json_object_get(obj, key);
    if (!json_is_integer(v))
        return kfail(err, err_cap, "keystore: kdfparams.%s must be an integer", key);
    json_int_t x = json_integer_value(v);
    if (x < 1 || (uint64_t)x > max)
        return kfail(err, err_cap, "keystore: kdfparams.%s = %lld is outside [1, %u]", key, (long long)x, max);
    *out = (uint32_t)x;
    return 0;
}

static const json_t *member_ci(const json_t *obj, const char *lower, const char *upper)
{
    const json_t *v = json_object_get(obj, lower);
    return v ? v : json_object_get(obj, upper);
}

static int parse_json(zr_keystore_t *ks, const json_t *root, char *err, size_t err_cap)
{
    memset(ks, 0, sizeof *ks);
    if (!json_is_object(root))
        return kfail(err, err_cap, "keystore: not a JSON object");
    const json_t *ver = member_ci(root, "version", "Version");
    if (!json_is_integer(ver) || json_integer_value(ver) != 3)
        return kfail(err, err_cap, "keystore: \"version\" must be 3");
    /* Ethereum keystores have no "type"; a BLS keystore ("bls-bn254") decrypts just as well
     * and would silently become a different ECDSA key */
    const char *type = zr_json_str(root, "type");
    if (type || json_object_get(root, "type"))
        return kfail(err, err_cap, "keystore: a \"%.40s\" keystore, not an Ethereum key", type ? type : "typed");
    const json_t *crypto = member_ci(root, "crypto", "Crypto");
    if (!json_is_object(crypto))
        return kfail(err, err_cap, "keystore: missing \"crypto\" object");
    const char *addr = zr_json_str(root, "address");
    if (addr) {
        if (zr_addr_parse(ks->address, addr) != 0)
            return kfail(err, err_cap, "keystore: \"address\" is not a 20-byte hex address");
        ks->has_address = 1;
    } else if (json_object_get(root, "address")) {
        return kfail(err, err_cap, "keystore: \"address\" must be a string");
    }
    const char *id = zr_json_str(root, "id");
    if (id) {
        if (strlen(id) >= sizeof ks->id)
            return kfail(err, err_cap, "keystore: \"id\" is too long");
        strcpy(ks->id, id);
    }
    const char *cipher = zr_json_str(crypto, "cipher");
    if (!cipher || strcmp(cipher, "aes-128-ctr") != 0)
        return kfail(err, err_cap, "keystore: cipher %s%s%s is not supported (only aes-128-ctr)", cipher ? "\"" : "",
                     cipher ? cipher : "(missing)", cipher ? "\"" : "");
    const json_t *cp = json_object_get(crypto, "cipherparams");
    if (!json_is_object(cp))
        return kfail(err, err_cap, "keystore: missing \"cipherparams\" object");
    int rc;
    if ((rc = hex_member(cp, "iv", ks->iv, 16, 16, NULL, err, err_cap)) ||
        (rc = hex_member(crypto, "ciphertext", ks->ciphertext, 32, 32, NULL, err, err_cap)) ||
        (rc = hex_member(crypto, "mac", ks->mac, 32, 32, NULL, err, err_cap)))
        return rc;
    const char *kdf = zr_json_str(crypto, "kdf");
    const json_t *kp = json_object_get(crypto, "kdfparams");
    if (!kdf)
        return kfail(err, err_cap, "keystore: missing \"kdf\"");
    if (!json_is_object(kp))
        return kfail(err, err_cap, "keystore: missing \"kdfparams\" object");
    const json_t *dklen = json_object_get(kp, "dklen");
    if (!json_is_integer(dklen) || json_integer_value(dklen) != 32)
        return kfail(err, err_cap, "keystore: kdfparams.dklen must be 32");
    if ((rc = hex_member(kp, "salt", ks->salt, 1, sizeof ks->salt, &ks->salt_len, err, err_cap)))
        return rc;
    if (strcmp(kdf, "scrypt") == 0) {
        ks->kdf = ZR_KEYSTORE_KDF_SCRYPT;
        if ((rc = uint_member(kp, "n", ZR_KEYSTORE_MAX_SCRYPT_N, &ks->scrypt_n, err, err_cap)) ||
            (rc = uint_member(kp, "r", 32, &ks->scrypt_r, err, err_cap)) ||
            (rc = uint_member(kp, "p", 16, &ks->scrypt_p, err, err_cap)))
            return rc;
        if (ks->scrypt_n < 2 || (ks->scrypt_n & (ks->scrypt_n - 1)) != 0)
            return kfail(err, err_cap, "keystore: scrypt n = %u is not a power of two >= 2", ks->scrypt_n);
        /* RFC 7914 asks for n < 2^(128*r/8) and OpenSSL enforces it: only r = 1 can hit it */
        if (ks->scrypt_r < 2 && ks->scrypt_n >= (1u << (16 * ks->scrypt_r)))
            return kfail(err, err_cap, "keystore: scrypt n = %u with r = %u is not supported (RFC 7914 needs n < 2^(16*r))",
                         ks->scrypt_n, ks->scrypt_r);
        uint64_t mem = 128ull * ks->scrypt_n * ks->scrypt_r;
        uint64_t work = (uint64_t)ks->scrypt_n * ks->scrypt_r * ks->scrypt_p;
        if (mem > ZR_KEYSTORE_MAX_SCRYPT_MEM || work > ZR_KEYSTORE_MAX_WORK)
            return kfail(err, err_cap,
                         "keystore: scrypt parameters n=%u r=%u p=%u exceed the limits (%u MiB of memory, "
                         "n*r*p <= %u)",
                         ks->scrypt_n, ks->scrypt_r, ks->scrypt_p, ZR_KEYSTORE_MAX_SCRYPT_MEM >> 20,
                         ZR_KEYSTORE_MAX_WORK);
    } else if (strcmp(kdf, "pbkdf2") == 0) {
        ks->kdf = ZR_KEYSTORE_KDF_PBKDF2;
        const char *prf = zr_json_str(kp, "prf");
        if (!prf || strcmp(prf, "hmac-sha256") != 0)
            return kfail(err, err_cap, "keystore: pbkdf2 prf must be \"hmac-sha256\"");
        if ((rc = uint_member(kp, "c", ZR_KEYSTORE_MAX_WORK, &ks->pbkdf2_c, err, err_cap)))
            return rc;
    } else {
        return kfail(err, err_cap, "keystore: kdf \"%s\" is not supported (scrypt or pbkdf2)", kdf);
    }
    return 0;
}

int zr_keystore_parse(zr_keystore_t *ks, const char *json, size_t len, char *err, size_t err_cap)
{
    if (len > ZR_KEYSTORE_MAX_FILE) {
        kfail(err, err_cap, "keystore: %zu bytes is larger than any keystore", len);
        return ZR_ETOOBIG;
    }
    json_t *root = NULL;
    char jerr[160];
    int rc = zr_json_parse(json, len, ZR_KEYSTORE_MAX_FILE, &root, jerr, sizeof jerr);
    if (rc) {
        if (err && err_cap)
            snprintf(err, err_cap, "keystore: not valid JSON: %s", jerr);
        return rc;
    }
    rc = parse_json(ks, root, err, err_cap);
    json_decref(root);
    return rc;
}

/* ---- crypto ------------------------------------------------------------------------------ */

static int derive(uint8_t dk[32], const zr_keystore_t *ks, const char *password)
{
    size_t pl = strlen(password);
    if (ks->kdf == ZR_KEYSTORE_KDF_SCRYPT) {
        /* OpenSSL needs 128*r*(n+2) for V plus 128*r*p for B; allow that and a margin */
        uint64_t need = 128ull * ks->scrypt_r * ((uint64_t)ks->scrypt_n + 2 + ks->scrypt_p) + (1u << 20);
        if (!EVP_PBE_scrypt(password, pl, ks->salt, ks->salt_len, ks->scrypt_n, ks->scrypt_r, ks->scrypt_p, need, dk,
                            32))
            return ZR_ENOMEM;
        return 0;
    }
    if (ks->kdf == ZR_KEYSTORE_KDF_PBKDF2) {
        if (!PKCS5_PBKDF2_HMAC(password, (int)pl, ks->salt, (int)ks->salt_len, (int)ks->pbkdf2_c, EVP_sha256(), 32, dk))
            return ZR_ENOMEM;
        return 0;
    }
    return ZR_EINVAL;
}

static void mac_of(uint8_t out[32], const uint8_t dk[32], const uint8_t ct[32])
{
    zr_keccak_t k;
    zr_keccak_init(&k);
    zr_keccak_update(&k, dk + 16, 16);
    zr_keccak_update(&k, ct, 32);
    zr_keccak_final(&k, out);
}

/* AES-128-CTR is its own inverse. */
static int aes_ctr(uint8_t out[32], const uint8_t key[16], const uint8_t iv[16], const uint8_t in[32])
{
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int len = 0, fin = 0, rc = ZR_ENOMEM;
    if (!c)
        return rc;
    if (EVP_EncryptInit_ex(c, EVP_aes_128_ctr(), NULL, key, iv) == 1 && EVP_EncryptUpdate(c, out, &len, in, 32) == 1 &&
        EVP_EncryptFinal_ex(c, out + len, &fin) == 1 && len + fin == 32)
        rc = 0;
    EVP_CIPHER_CTX_free(c); /* also cleanses the expanded key schedule */
    return rc;
}

int zr_keystore_decrypt(uint8_t sk[32], const zr_keystore_t *ks, const char *password, char *err, size_t err_cap)
{
    uint8_t dk[32], mac[32], plain[32], addr[20];
    int rc = derive(dk, ks, password);
    if (rc) {
        if (err && err_cap)
            snprintf(err, err_cap, "keystore: key derivation failed");
        goto fail;
    }
    mac_of(mac, dk, ks->ciphertext);
    if (zr_memeq_ct(mac, ks->mac, 32) != 0) {
        rc = ZR_EPASSWORD;
        if (err && err_cap)
            snprintf(err, err_cap, "keystore: wrong password (MAC mismatch)");
        goto fail;
    }
    if ((rc = aes_ctr(plain, dk, ks->iv, ks->ciphertext)) != 0)
        goto fail;
    if (zr_ecdsa_seckey_address(addr, plain) != 0) {
        rc = kfail(err, err_cap, "keystore: the decrypted key is not a valid secp256k1 key");
        goto fail;
    }
    if (ks->has_address && memcmp(addr, ks->address, 20) != 0) {
        rc = kfail(err, err_cap, "keystore: the decrypted key does not belong to the file's address");
        goto fail;
    }
    memcpy(sk, plain, 32);
    rc = 0;
fail:
    zr_wipe(dk, sizeof dk);
    zr_wipe(plain, sizeof plain);
    return rc;
}

static void uuid_v4(char out[37], const uint8_t r[16])
{
    uint8_t u[16];
    memcpy(u, r, 16);
    u[6] = (uint8_t)((u[6] & 0x0f) | 0x40);
    u[8] = (uint8_t)((u[8] & 0x3f) | 0x80);
    char hex[33];
    zr_hex_encode(hex, u, 16);
    snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

int zr_keystore_encrypt(zr_buf_t *out, const uint8_t sk[32], const char *password, uint32_t scrypt_n)
{
    if (scrypt_n < 2 || scrypt_n > ZR_KEYSTORE_MAX_SCRYPT_N || (scrypt_n & (scrypt_n - 1)) != 0)
        return ZR_EINVAL;
    zr_keystore_t ks;
    memset(&ks, 0, sizeof ks);
    uint8_t rnd[16 + 32 + 16], dk[32], addr[20];
    json_t *root = NULL;
    char *text = NULL;
    int rc = zr_ecdsa_seckey_address(addr, sk);
    if (rc)
        goto fail;
    if ((rc = zr_random_bytes(rnd, sizeof rnd)) != 0)
        goto fail;
    memcpy(ks.iv, rnd, 16);
    memcpy(ks.salt, rnd + 16, 32);
    ks.salt_len = 32;
    ks.kdf = ZR_KEYSTORE_KDF_SCRYPT;
    ks.scrypt_n = scrypt_n;
    ks.scrypt_r = 8;
    ks.scrypt_p = 1;
    if ((rc = derive(dk, &ks, password)) || (rc = aes_ctr(ks.ciphertext, dk, ks.iv, sk)))
        goto fail;
    mac_of(ks.mac, dk, ks.ciphertext);

    char a[41], iv[33], salt[65], ct[65], mac[65], id[37];
    zr_hex_encode(a, addr, 20);
    zr_hex_encode(iv, ks.iv, 16);
    zr_hex_encode(salt, ks.salt, 32);
    zr_hex_encode(ct, ks.ciphertext, 32);
    zr_hex_encode(mac, ks.mac, 32);
    uuid_v4(id, rnd + 48);
    root = json_pack("{s:s, s:{s:s, s:s, s:{s:s}, s:s, s:{s:i, s:I, s:i, s:i, s:s}, s:s}, s:s, s:i}", "address", a,
                     "crypto", "cipher", "aes-128-ctr", "ciphertext", ct, "cipherparams", "iv", iv, "kdf", "scrypt",
                     "kdfparams", "dklen", 32, "n", (json_int_t)scrypt_n, "p", 1, "r", 8, "salt", salt, "mac", mac,
                     "id", id, "version", 3);
    rc = ZR_ENOMEM;
    if (!root || !(text = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS)))
        goto fail;
    rc = zr_buf_append_str(out, text);
fail:
    zr_wipe(dk, sizeof dk);
    free(text);
    json_decref(root);
    return rc;
}

/* ---- files --------------------------------------------------------------------------------- */

int zr_keystore_load(uint8_t sk[32], uint8_t addr[20], const char *path, const char *password, char *err,
                     size_t err_cap)
{
    zr_buf_t b;
    zr_buf_init(&b, ZR_KEYSTORE_MAX_FILE);
    zr_keystore_t ks;
    int rc = zr_file_read(path, ZR_KEYSTORE_MAX_FILE, &b);
    if (rc) {
        if (err && err_cap)
            snprintf(err, err_cap, "cannot read keystore %s: %s", path, zr_strerror(rc));
        goto fail;
    }
    if ((rc = zr_keystore_parse(&ks, (const char *)b.data, b.len, err, err_cap)) != 0)
        goto fail;
    if ((rc = zr_keystore_decrypt(sk, &ks, password, err, err_cap)) != 0)
        goto fail;
    if (addr)
        zr_ecdsa_seckey_address(addr, sk);
fail:
    zr_buf_cleanup(&b);
    return rc;
}

int zr_keystore_save(char *path_out, size_t path_cap, const char *dir, const uint8_t sk[32], const char *password,
                     uint32_t scrypt_n)
{
    zr_buf_t json;
    zr_buf_init(&json, ZR_KEYSTORE_MAX_FILE);
    char *path = NULL;
    uint8_t addr[20];
    int rc = zr_ecdsa_seckey_address(addr, sk);
    if (rc)
        goto fail;
    if ((rc = zr_mkdirs(dir, 0700)) != 0)
        goto fail;
    if ((rc = zr_keystore_encrypt(&json, sk, password, scrypt_n)) != 0)
        goto fail;
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    char a[41];
    zr_hex_encode(a, addr, 20);
    /* geth: UTC--2006-01-02T15-04-05.000000000Z--<address> */
    if (asprintf(&path, "%s/UTC--%04d-%02d-%02dT%02d-%02d-%02d.%09ldZ--%s", dir, tm.tm_year + 1900, tm.tm_mon + 1,
                 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec, a) < 0) {
        path = NULL;
        rc = ZR_ENOMEM;
        goto fail;
    }
    struct stat st;
    if (stat(path, &st) == 0) {
        rc = ZR_EEXISTS;
        goto fail;
    }
    if ((rc = zr_file_write_atomic(path, json.data, json.len, 0600)) != 0)
        goto fail;
    if (path_out && path_cap) {
        if (strlen(path) >= path_cap) {
            rc = ZR_EBUFSMALL;
            goto fail;
        }
        strcpy(path_out, path);
    }
fail:
    free(path);
    zr_buf_cleanup(&json);
    return rc;
}

static int cmp_entries(const void *a, const void *b)
{
    return strcmp(((const zr_keystore_entry_t *)a)->path, ((const zr_keystore_entry_t *)b)->path);
}

int zr_keystore_list(zr_keystore_entry_t **out, size_t *count, const char *dir)
{
    *out = NULL;
    *count = 0;
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT ? 0 : ZR_EIO;
    zr_keystore_entry_t *v = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *e;
    zr_buf_t b;
    zr_buf_init(&b, ZR_KEYSTORE_MAX_FILE);
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *path = NULL;
        if (asprintf(&path, "%s/%s", dir, e->d_name) < 0) {
            rc = ZR_ENOMEM;
            goto fail;
        }
        struct stat st;
        zr_keystore_t ks;
        zr_buf_reset(&b);
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > (off_t)ZR_KEYSTORE_MAX_FILE ||
            zr_file_read(path, ZR_KEYSTORE_MAX_FILE, &b) != 0 ||
            zr_keystore_parse(&ks, (const char *)b.data, b.len, NULL, 0) != 0 || n >= MAX_LIST) {
            free(path);
            continue;
        }
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            zr_keystore_entry_t *nv = realloc(v, ncap * sizeof *nv);
            if (!nv) {
                free(path);
                rc = ZR_ENOMEM;
                goto fail;
            }
            v = nv;
            cap = ncap;
        }
        v[n].path = path;
        v[n].has_address = ks.has_address;
        memcpy(v[n].address, ks.address, 20);
        n++;
    }
    if (n)
        qsort(v, n, sizeof *v, cmp_entries);
    *out = v;
    *count = n;
    v = NULL;
    n = 0;
fail:
    zr_keystore_list_free(v, n);
    zr_buf_cleanup(&b);
    closedir(d);
    return rc;
}

void zr_keystore_list_free(zr_keystore_entry_t *entries, size_t count)
{
    if (!entries)
        return;
    for (size_t i = 0; i < count; i++)
        free(entries[i].path);
    free(entries);
}
