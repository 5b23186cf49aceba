// SPDX-License-Identifier: MIT
// libFuzzer target for the cast-style text parser of ABI values: the first byte picks a
// type from a fixed table, the rest is the argument text. Whatever parses must encode
// (the parser checks ranges and lengths), decode, and re-encode to the same bytes.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zara/abi.h"

static const char *const types[16] = {
    "uint256", "int8",      "address",          "bool",
    "bytes4",  "bytes",     "string",           "uint256[]",
    "string[]", "(uint8,string)[]", "bytes32[2]", "(int256,bytes)",
    "uint8[][]", "(bool,(string,int64[])[])[2]", "uint24[3]", "(address,string[])[]",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 1 << 16)
        return 0;
    char *text = malloc(size);
    if (!text)
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = 0;
    zr_abi_type_t *t = NULL;
    if (zr_abi_type_parse(&t, types[data[0] & 15], NULL) != 0)
        abort();
    zr_abi_value_t *v = NULL, *w = NULL;
    zr_abi_diag_t d = {0};
    if (zr_abi_value_parse(&v, t, text, &d) == 0) {
        zr_buf_t enc, again, txt;
        zr_buf_init(&enc, 16u << 20);
        zr_buf_init(&again, 16u << 20);
        zr_buf_init(&txt, 16u << 20);
        if (zr_abi_encode(&enc, t, v, NULL) != 0)
            abort();
        if (zr_abi_decode(&w, t, enc.data, enc.len, NULL) != 0)
            abort();
        if (zr_abi_encode(&again, t, w, NULL) != 0 || again.len != enc.len ||
            memcmp(again.data, enc.data, enc.len) != 0)
            abort();
        zr_abi_value_format(&txt, w);
        zr_abi_value_format_json(&txt, w, 0);
        zr_buf_cleanup(&enc);
        zr_buf_cleanup(&again);
        zr_buf_cleanup(&txt);
    } else if (v || !d.msg[0]) {
        abort();
    }
    zr_abi_value_free(v);
    zr_abi_value_free(w);
    zr_abi_type_free(t);
    free(text);
    return 0;
}
