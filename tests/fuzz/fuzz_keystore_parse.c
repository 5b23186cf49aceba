// SPDX-License-Identifier: MIT
// libFuzzer target for keystore parsing. Parsing only: key derivation is never run with
// fuzz-chosen parameters. Whatever parses must satisfy the documented bounds, so a file
// that passes can never make zr_keystore_decrypt ask for more memory or work than allowed.
#include <stdint.h>
#include <stdlib.h>

#include "zara/keystore.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    zr_keystore_t ks;
    char err[256];
    if (zr_keystore_parse(&ks, (const char *)data, size, err, sizeof err) != 0)
        return 0;
    if (ks.kdf == ZR_KEYSTORE_KDF_SCRYPT) {
        uint64_t n = ks.scrypt_n, r = ks.scrypt_r, p = ks.scrypt_p;
        if (n < 2 || (n & (n - 1)) || n > ZR_KEYSTORE_MAX_SCRYPT_N || r < 1 || p < 1 ||
            128 * n * r > ZR_KEYSTORE_MAX_SCRYPT_MEM || n * r * p > ZR_KEYSTORE_MAX_WORK)
            abort();
    } else if (ks.kdf == ZR_KEYSTORE_KDF_PBKDF2) {
        if (ks.pbkdf2_c < 1 || ks.pbkdf2_c > ZR_KEYSTORE_MAX_WORK)
            abort();
    } else {
        abort();
    }
    if (ks.salt_len < 1 || ks.salt_len > sizeof ks.salt)
        abort();
    return 0;
}
