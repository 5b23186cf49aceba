// SPDX-License-Identifier: MIT
// libFuzzer target for JSON-RPC answers: the single and batch response parsers, then the
// typed decoders (receipts, logs, quantities, revert reasons) over whatever they accept.
// The first byte picks the mode (even: single response for id 1; odd: a batch of
// 1 + (byte >> 1) % 8 calls with ids 1..n); the rest is the HTTP body.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zara/rpc.h"

static zr_rpc_t *handle(void)
{
    static zr_rpc_t *h;
    if (!h) {
        zr_rpc_opts_t o;
        zr_rpc_opts_default(&o);
        o.max_response = 1u << 20;
        h = zr_rpc_new("http://127.0.0.1:9/", &o); /* never connects: parsing only */
    }
    return h;
}

static void decode_result(const json_t *r)
{
    zr_rpc_receipt_t rc;
    zr_rpc_receipt_init(&rc);
    zr_rpc_receipt_from_json(&rc, r);
    zr_rpc_receipt_cleanup(&rc);
    zr_rpc_logs_t logs;
    zr_rpc_logs_init(&logs);
    if (json_is_array(r)) {
        size_t i;
        const json_t *v;
        json_array_foreach(r, i, v) zr_rpc_logs_append_json(&logs, v);
    } else {
        zr_rpc_logs_append_json(&logs, r);
    }
    zr_rpc_logs_cleanup(&logs);
    if (json_is_string(r)) {
        uint8_t q[32];
        uint64_t u;
        char out[ZR_RPC_U256_HEX_CAP], dec[ZR_RPC_U256_DEC_CAP];
        if (zr_rpc_u256_parse(q, json_string_value(r)) == 0) {
            zr_rpc_u256_format(out, q);
            zr_rpc_u256_to_dec(dec, q);
            uint8_t back[32];
            /* formatting then parsing must give the same number */
            if (zr_rpc_u256_parse(back, out) != 0 || memcmp(back, q, 32) != 0)
                abort();
            if (zr_rpc_u256_parse_any(back, dec) != 0 || memcmp(back, q, 32) != 0)
                abort();
        }
        zr_rpc_u64_parse(&u, json_string_value(r));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    zr_rpc_t *h = handle();
    if (!h || size == 0)
        return 0;
    const char *body = (const char *)data + 1;
    size_t len = size - 1;
    if ((data[0] & 1) == 0) {
        json_t *r = NULL;
        if (zr_rpc_parse_response(h, body, len, 1, &r) == 0)
            decode_result(r);
        json_decref(r);
    } else {
        size_t n = 1 + (size_t)(data[0] >> 1) % 8;
        zr_rpc_batch_item_t items[8];
        memset(items, 0, sizeof items);
        if (zr_rpc_parse_batch(h, body, len, 1, items, n) == 0)
            for (size_t i = 0; i < n; i++)
                if (items[i].err == 0)
                    decode_result(items[i].result);
        zr_rpc_batch_cleanup(items, n);
    }
    size_t dl = 0;
    const uint8_t *d = zr_rpc_revert_data(h, &dl);
    char reason[128];
    zr_rpc_revert_reason(reason, sizeof reason, d, dl);
    zr_rpc_revert_reason(reason, sizeof reason, data, size);
    return 0;
}
