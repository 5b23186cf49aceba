// SPDX-License-Identifier: MIT
// libFuzzer target for the EIP-712 engine over hostile typed-data JSON: hashing must end
// with a digest or an error (never a fault, never unbounded work), and a document that
// hashes must give the same digest through the parsed-JSON entry point.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zara/eip712.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t d1[32], d2[32], ds[32], sh[32];
    char err[256];
    if (zr_eip712_hash_typed_data_json(d1, (const char *)data, size, err, sizeof err) != 0)
        return 0;
    json_t *j = NULL;
    if (zr_json_parse((const char *)data, size, ZR_EIP712_MAX_DOC, &j, err, sizeof err) != 0)
        abort();
    if (zr_eip712_hash_typed_data(d2, ds, sh, j, err, sizeof err) != 0 || memcmp(d1, d2, 32) != 0)
        abort();
    json_decref(j);
    return 0;
}
