// SPDX-License-Identifier: MIT
// libFuzzer target for the ABI decoder (and the type parser). The first byte chooses the
// mode: below 0x80, 1..4 types are picked from a fixed table by the next bytes and the
// rest is decoded against them; from 0x80 up, the input up to a NUL is a type list for
// the parser and the bytes after it are decoded against it. Whatever decodes must print,
// re-encode, and decode again to the same bytes.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zara/abi.h"

static const char *const types[16] = {
    "uint256",          "int8",           "address",      "bool",
    "bytes4",           "bytes",          "string",       "uint256[]",
    "string[]",         "(uint8,string)[]", "bytes32[2]", "(uint256,bytes)",
    "uint8[][]",        "(bool,(string,int256[])[])[2]", "int24[3]", "(address,bytes)[]",
};

static void check(const zr_abi_type_t *t, const uint8_t *data, size_t len)
{
    zr_abi_diag_t d = {.max_bytes = 1u << 20};
    zr_abi_value_t *v = NULL;
    if (zr_abi_decode(&v, t, data, len, &d) != 0) {
        if (v || !d.msg[0])
            abort(); /* a failure leaves no value and says why */
        return;
    }
    zr_buf_t txt, enc, enc2;
    zr_buf_init(&txt, 16u << 20);
    zr_buf_init(&enc, 16u << 20);
    zr_buf_init(&enc2, 16u << 20);
    for (size_t i = 0; i < v->count; i++)
        zr_abi_value_format(&txt, v->items[i]);
    zr_buf_reset(&txt);
    zr_abi_value_format_json(&txt, v, 0);
    if (zr_abi_encode(&enc, t, v, NULL) != 0)
        abort(); /* whatever decodes must encode */
    zr_abi_value_t *w = NULL;
    zr_abi_diag_t d2 = {.max_bytes = 4u << 20};
    if (zr_abi_decode(&w, t, enc.data, enc.len, &d2) != 0)
        abort();
    if (zr_abi_encode(&enc2, t, w, NULL) != 0 || enc2.len != enc.len || memcmp(enc.data, enc2.data, enc.len) != 0)
        abort(); /* the canonical re-encoding is a fixed point */
    zr_abi_value_free(w);
    zr_abi_value_free(v);
    zr_buf_cleanup(&txt);
    zr_buf_cleanup(&enc);
    zr_buf_cleanup(&enc2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    zr_abi_type_t *t = NULL;
    if (data[0] < 0x80) {
        size_t n = 1 + (data[0] & 3);
        if (size < 1 + n)
            return 0;
        char list[512] = "(";
        for (size_t i = 0; i < n; i++) {
            if (i)
                strcat(list, ",");
            strcat(list, types[data[1 + i] & 15]);
        }
        strcat(list, ")");
        if (zr_abi_type_parse_list(&t, list, NULL) != 0)
            abort(); /* the table is valid */
        check(t, data + 1 + n, size - 1 - n);
    } else {
        const uint8_t *nul = memchr(data + 1, 0, size - 1);
        size_t tl = nul ? (size_t)(nul - (data + 1)) : size - 1;
        char *s = malloc(tl + 1);
        if (!s)
            return 0;
        memcpy(s, data + 1, tl);
        s[tl] = 0;
        zr_abi_diag_t d = {0};
        if (zr_abi_type_parse_list(&t, s, &d) == 0) {
            zr_buf_t canon;
            zr_buf_init(&canon, 1u << 20);
            zr_abi_type_canonical(t, &canon);
            zr_buf_cleanup(&canon);
            if (nul)
                check(t, nul + 1, size - tl - 2);
        }
        zr_abi_sig_t *sig = NULL;
        if (zr_abi_sig_parse(&sig, s, ZR_ABI_FUNCTION, NULL) == 0)
            zr_abi_sig_free(sig);
        free(s);
    }
    zr_abi_type_free(t);
    return 0;
}
