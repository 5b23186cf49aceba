// SPDX-License-Identifier: MIT
// libFuzzer target for raw signed transaction decoding. An accepted transaction must
// re-encode to exactly the input bytes, and hashing and sender recovery must not fault.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zara/tx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    zr_tx_t tx;
    char err[160];
    if (zr_tx_decode(&tx, data, size, err, sizeof err) == 0) {
        zr_buf_t b;
        zr_buf_init(&b, size + 64);
        if (zr_tx_encode(&tx, &b) != 0 || b.len != size || memcmp(b.data, data, size) != 0)
            abort();
        uint8_t h[32], addr[20];
        if (zr_tx_hash(&tx, h) != 0)
            abort();
        (void)zr_tx_sender(&tx, addr);
        zr_buf_cleanup(&b);
    }
    zr_tx_cleanup(&tx);
    return 0;
}
