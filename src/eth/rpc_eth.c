// SPDX-License-Identifier: MIT
// Typed eth_* helpers over zr_rpc_call: chain id, block number, balances, nonces, fees,
// code, eth_call / estimateGas with revert decoding, sendRawTransaction, anvil helpers.
// Every answer is type-checked: a wrong JSON type is ZR_ERPCRESP, never a crash.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rpc_int.h"

int zr__rpc_json_u64(zr_rpc_t *h, uint64_t *out, const json_t *v, const char *what)
{
    if (!json_is_string(v)) {
        zr__rpc_fail(h, "%s: expected a hex quantity string, got %s", what,
                     v ? "another JSON type" : "nothing");
        return ZR_ERPCRESP;
    }
    int rc = zr_rpc_u64_parse(out, json_string_value(v));
    if (rc) {
        zr__rpc_fail(h, "%s: %s is not a 64-bit quantity", what,
                     rc == ZR_ERANGE ? "value" : "string");
        return ZR_ERPCRESP;
    }
    return 0;
}

int zr__rpc_json_u256(zr_rpc_t *h, uint8_t out[32], const json_t *v, const char *what)
{
    if (!json_is_string(v) || zr_rpc_u256_parse(out, json_string_value(v)) != 0) {
        zr__rpc_fail(h, "%s: expected a 256-bit hex quantity", what);
        return ZR_ERPCRESP;
    }
    return 0;
}

int zr__rpc_json_fixed(zr_rpc_t *h, uint8_t *out, size_t n, const json_t *v, const char *what)
{
    if (!json_is_string(v) || zr_hex_decode_exact(out, n, json_string_value(v)) != 0 ||
        strncmp(json_string_value(v), "0x", 2) != 0) {
        zr__rpc_fail(h, "%s: expected 0x and %zu hex bytes", what, n);
        return ZR_ERPCRESP;
    }
    return 0;
}

json_t *zr__rpc_hex_json(const uint8_t *p, size_t n)
{
    zr_buf_t b;
    zr_buf_init(&b, 2 * n + 3);
    json_t *j = zr_hex_append_0x(&b, p, n) == 0 ? json_stringn((const char *)b.data, b.len) : NULL;
    zr_buf_cleanup(&b);
    return j;
}

json_t *zr__rpc_u64_json(uint64_t v)
{
    char s[19];
    zr_rpc_u64_format(s, v);
    return json_string(s);
}

static json_t *u256_json(const uint8_t v[32])
{
    char s[ZR_RPC_U256_HEX_CAP];
    zr_rpc_u256_format(s, v);
    return json_string(s);
}

/* Calls method and parses the quantity it returns. */
static int call_u256(zr_rpc_t *h, uint8_t out[32], const char *method, json_t *params)
{
    json_t *r = NULL;
    int rc = zr__rpc_call_p(h, method, params, &r);
    if (!rc)
        rc = zr__rpc_json_u256(h, out, r, method);
    json_decref(r);
    return rc;
}

static int call_u64(zr_rpc_t *h, uint64_t *out, const char *method, json_t *params)
{
    json_t *r = NULL;
    int rc = zr__rpc_call_p(h, method, params, &r);
    if (!rc)
        rc = zr__rpc_json_u64(h, out, r, method);
    json_decref(r);
    return rc;
}

static json_t *addr_block(const uint8_t addr[20], const char *block)
{
    return json_pack("[os]", zr__rpc_hex_json(addr, 20), block ? block : "latest");
}

int zr_rpc_chain_id(zr_rpc_t *h, uint64_t *out)
{
    return call_u64(h, out, "eth_chainId", json_array());
}

int zr_rpc_block_number(zr_rpc_t *h, uint64_t *out)
{
    return call_u64(h, out, "eth_blockNumber", json_array());
}

int zr_rpc_get_balance(zr_rpc_t *h, uint8_t out[32], const uint8_t addr[20], const char *block)
{
    return call_u256(h, out, "eth_getBalance", addr_block(addr, block));
}

int zr_rpc_get_nonce(zr_rpc_t *h, uint64_t *out, const uint8_t addr[20], const char *block)
{
    return call_u64(h, out, "eth_getTransactionCount", addr_block(addr, block));
}

int zr_rpc_gas_price(zr_rpc_t *h, uint8_t out[32])
{
    return call_u256(h, out, "eth_gasPrice", json_array());
}

int zr_rpc_max_priority_fee(zr_rpc_t *h, uint8_t out[32])
{
    return call_u256(h, out, "eth_maxPriorityFeePerGas", json_array());
}

int zr_rpc_base_fee(zr_rpc_t *h, uint8_t out[32])
{
    json_t *r = NULL;
    int rc = zr__rpc_call_p(h, "eth_feeHistory", json_pack("[is[]]", 1, "latest"), &r);
    if (rc)
        return rc;
    /* baseFeePerGas has one more entry than blocks asked for: the next block's base fee */
    const json_t *arr = json_object_get(r, "baseFeePerGas");
    if (!json_is_array(arr) || json_array_size(arr) == 0) {
        zr__rpc_fail(h, "eth_feeHistory: baseFeePerGas is missing or empty");
        rc = ZR_ERPCRESP;
    } else {
        rc = zr__rpc_json_u256(h, out, json_array_get(arr, json_array_size(arr) - 1),
                               "eth_feeHistory baseFeePerGas");
    }
    json_decref(r);
    return rc;
}

static int append_hex_result(zr_rpc_t *h, zr_buf_t *out, const json_t *r, const char *what)
{
    const char *s = json_is_string(r) ? json_string_value(r) : NULL;
    size_t sl = s ? json_string_length(r) : 0;
    if (!s || sl < 2 || s[0] != '0' || s[1] != 'x' || sl % 2) {
        zr__rpc_fail(h, "%s: expected a 0x-prefixed hex string", what);
        return ZR_ERPCRESP;
    }
    size_t n = (sl - 2) / 2;
    int rc = zr_buf_reserve(out, n);
    if (rc) {
        zr__rpc_fail(h, "%s: %zu bytes exceed the output limit", what, n);
        return rc;
    }
    if (zr_hex_decode(out->data + out->len, n, NULL, s, sl) != 0) {
        zr__rpc_fail(h, "%s: malformed hex", what);
        return ZR_ERPCRESP;
    }
    out->len += n;
    out->data[out->len] = 0;
    return 0;
}

int zr_rpc_get_code(zr_rpc_t *h, zr_buf_t *out, const uint8_t addr[20], const char *block)
{
    json_t *r = NULL;
    int rc = zr__rpc_call_p(h, "eth_getCode", addr_block(addr, block), &r);
    if (!rc)
        rc = append_hex_result(h, out, r, "eth_getCode");
    json_decref(r);
    return rc;
}

static json_t *callmsg_json(const zr_rpc_callmsg_t *m)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    int bad = 0;
    if (m->from)
        bad |= json_object_set_new(o, "from", zr__rpc_hex_json(m->from, 20));
    if (m->to)
        bad |= json_object_set_new(o, "to", zr__rpc_hex_json(m->to, 20));
    if (m->data_len)
        bad |= json_object_set_new(o, "input", zr__rpc_hex_json(m->data, m->data_len));
    if (m->value)
        bad |= json_object_set_new(o, "value", u256_json(m->value));
    if (m->gas)
        bad |= json_object_set_new(o, "gas", zr__rpc_u64_json(m->gas));
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

void zr_rpc_revert_reason(char *out, size_t cap, const uint8_t *data, size_t len)
{
    static const uint8_t err_sel[4] = {0x08, 0xc3, 0x79, 0xa0};   /* Error(string) */
    static const uint8_t panic_sel[4] = {0x4e, 0x48, 0x7b, 0x71}; /* Panic(uint256) */
    if (cap == 0)
        return;
    out[0] = 0;
    if (len == 0) {
        snprintf(out, cap, "no reason");
        return;
    }
    if (len >= 4 + 64 && memcmp(data, err_sel, 4) == 0) {
        const uint8_t *p = data + 4;
        size_t body = len - 4;
        uint64_t off = 0, slen = 0;
        int ok = 1;
        for (int i = 0; i < 24; i++)
            ok &= p[i] == 0;
        for (int i = 24; i < 32; i++)
            off = off << 8 | p[i];
        if (ok && off <= body - 32) {
            for (int i = 0; i < 24; i++)
                ok &= p[off + i] == 0;
            for (int i = 24; i < 32; i++)
                slen = slen << 8 | p[off + i];
            if (ok && slen <= body - off - 32) {
                size_t n = slen < cap - 1 ? (size_t)slen : cap - 1;
                for (size_t i = 0; i < n; i++) {
                    uint8_t c = p[off + 32 + i];
                    out[i] = c >= 0x20 && c != 0x7f ? (char)c : '?';
                }
                out[n] = 0;
                return;
            }
        }
    }
    if (len == 4 + 32 && memcmp(data, panic_sel, 4) == 0) {
        char q[ZR_RPC_U256_HEX_CAP];
        zr_rpc_u256_format(q, data + 4);
        snprintf(out, cap, "panic %s", q);
        return;
    }
    char sel[9];
    zr_hex_encode(sel, data, len < 4 ? len : 4);
    snprintf(out, cap, "custom error 0x%s (%zu bytes)", sel, len);
}

/* Turns a JSON-RPC error that is a revert into ZR_EREVERTED with the reason in errmsg. */
static int classify_revert(zr_rpc_t *h, int rc, const char *what)
{
    if (rc != ZR_ERPC)
        return rc;
    size_t dl = 0;
    const uint8_t *d = zr_rpc_revert_data(h, &dl);
    if (!d && !strstr(h->remote_message, "revert"))
        return rc;
    char reason[256];
    if (d)
        zr_rpc_revert_reason(reason, sizeof reason, d, dl);
    else
        snprintf(reason, sizeof reason, "%.255s", h->remote_message);
    zr__rpc_fail(h, "%s reverted: %s", what, reason);
    return ZR_EREVERTED;
}

int zr_rpc_eth_call(zr_rpc_t *h, zr_buf_t *out, const zr_rpc_callmsg_t *msg, const char *block)
{
    json_t *r = NULL;
    json_t *m = callmsg_json(msg);
    int rc = zr__rpc_call_p(h, "eth_call", m ? json_pack("[os]", m, block ? block : "latest") : NULL, &r);
    rc = classify_revert(h, rc, "eth_call");
    if (!rc)
        rc = append_hex_result(h, out, r, "eth_call");
    json_decref(r);
    return rc;
}

int zr_rpc_estimate_gas(zr_rpc_t *h, uint64_t *out, const zr_rpc_callmsg_t *msg)
{
    json_t *r = NULL;
    json_t *m = callmsg_json(msg);
    int rc = zr__rpc_call_p(h, "eth_estimateGas", m ? json_pack("[o]", m) : NULL, &r);
    rc = classify_revert(h, rc, "eth_estimateGas");
    if (!rc)
        rc = zr__rpc_json_u64(h, out, r, "eth_estimateGas");
    json_decref(r);
    return rc;
}

int zr_rpc_send_raw(zr_rpc_t *h, uint8_t hash[32], const uint8_t *raw, size_t raw_len)
{
    json_t *r = NULL;
    int rc = zr__rpc_call_p(h, "eth_sendRawTransaction", json_pack("[o]", zr__rpc_hex_json(raw, raw_len)), &r);
    if (!rc)
        rc = zr__rpc_json_fixed(h, hash, 32, r, "eth_sendRawTransaction");
    json_decref(r);
    return rc;
}

int zr_rpc_anvil_mine(zr_rpc_t *h, uint64_t blocks)
{
    json_t *r = NULL;
    int rc = zr__rpc_call_p(h, "anvil_mine", json_pack("[o]", zr__rpc_u64_json(blocks)), &r);
    json_decref(r);
    return rc;
}

int zr_rpc_anvil_increase_time(zr_rpc_t *h, uint64_t seconds)
{
    json_t *r = NULL;
    if (seconds > (uint64_t)INT64_MAX)
        return ZR_ERANGE;
    int rc = zr__rpc_call_p(h, "evm_increaseTime", json_pack("[I]", (json_int_t)seconds), &r);
    json_decref(r);
    return rc;
}
