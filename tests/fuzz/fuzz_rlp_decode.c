// SPDX-License-Identifier: MIT
// libFuzzer target for the strict RLP decoder. Whatever it accepts must be canonical, so
// re-encoding the decoded tree must give back exactly the input bytes; anything else (or
// a sanitizer report) is a bug.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zara/rlp.h"

static void reencode(zr_buf_t *out, const zr_rlp_item_t *it)
{
    if (!it->is_list) {
        if (zr_rlp_encode_bytes(out, it->data, it->len) != 0)
            abort();
        /* the integer accessors must agree with the bytes */
        uint8_t w[32];
        int rc = zr_rlp_item_uint256(it, w);
        if (rc == 0 && it->len > 0 && it->data[0] == 0)
            abort();
        return;
    }
    size_t mark;
    zr_rlp_iter_t iter;
    zr_rlp_item_t child;
    zr_rlp_list_begin(out, &mark);
    if (zr_rlp_iter_init(&iter, it) != 0)
        abort();
    int rc;
    while ((rc = zr_rlp_iter_next(&iter, &child)) == 1)
        reencode(out, &child);
    if (rc != 0)
        abort(); /* a validated tree cannot fail to iterate */
    if (zr_rlp_list_end(out, mark) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    zr_rlp_item_t it;
    char err[128];
    if (zr_rlp_decode(&it, data, size, err, sizeof err) != 0)
        return 0;
    zr_buf_t b;
    zr_buf_init(&b, size + 16);
    reencode(&b, &it);
    if (b.len != size || memcmp(b.data, data, size) != 0)
        abort();
    zr_buf_cleanup(&b);
    return 0;
}
