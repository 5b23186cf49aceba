// SPDX-License-Identifier: MIT
// Ethereum transactions: legacy with EIP-155, EIP-2930 (type 1) and EIP-1559 (type 2) —
// signing payloads, signing, raw serialisation, strict decoding of raw signed
// transactions, sender recovery and transaction hashes. Field order follows the EIPs.
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zara/keccak.h"
#include "zara/rlp.h"
#include "zara/tx.h"

/* A transaction is at most its calldata plus a few hundred bytes of fields; access lists
 * are bounded by the same overall cap. */
#define TX_MAX_ENCODED (ZR_TX_MAX_DATA + (1u << 20))

void zr_tx_init(zr_tx_t *tx)
{
    memset(tx, 0, sizeof *tx);
    tx->type = ZR_TX_LEGACY;
}

void zr_tx_cleanup(zr_tx_t *tx)
{
    if (!tx)
        return;
    free(tx->data);
    free(tx->access_list);
    zr_tx_init(tx);
}

void zr_tx_u256_from_u64(uint8_t out[32], uint64_t v)
{
    memset(out, 0, 32);
    for (int i = 0; i < 8; i++)
        out[31 - i] = (uint8_t)(v >> (8 * i));
}

int zr_tx_set_data(zr_tx_t *tx, const void *data, size_t len)
{
    if (len > ZR_TX_MAX_DATA)
        return ZR_ETOOBIG;
    uint8_t *copy = NULL;
    if (len) {
        copy = malloc(len);
        if (!copy)
            return ZR_ENOMEM;
        memcpy(copy, data, len);
    }
    free(tx->data);
    tx->data = copy;
    tx->data_len = len;
    return 0;
}

/* ---- encoding ------------------------------------------------------------------------- */

static int put_to(zr_buf_t *out, const zr_tx_t *tx)
{
    return zr_rlp_encode_bytes(out, tx->to, tx->has_to ? 20 : 0);
}

static int put_access_list(zr_buf_t *out, const zr_tx_t *tx)
{
    if (!tx->access_list || tx->access_list_len == 0)
        return zr_buf_append_byte(out, 0xc0);
    return zr_rlp_encode_raw(out, tx->access_list, tx->access_list_len);
}

/* The fields shared by every form, in each type's order, up to and including the access
 * list (typed) or data (legacy). */
static int put_body(zr_buf_t *out, const zr_tx_t *tx)
{
    int rc = 0;
    switch (tx->type) {
    case ZR_TX_LEGACY:
        if ((rc = zr_rlp_encode_uint(out, tx->nonce)) || (rc = zr_rlp_encode_uint_be(out, tx->gas_price, 32)) ||
            (rc = zr_rlp_encode_uint(out, tx->gas_limit)) || (rc = put_to(out, tx)) ||
            (rc = zr_rlp_encode_uint_be(out, tx->value, 32)) ||
            (rc = zr_rlp_encode_bytes(out, tx->data, tx->data_len)))
            return rc;
        return 0;
    case ZR_TX_EIP2930:
        if ((rc = zr_rlp_encode_uint(out, tx->chain_id)) || (rc = zr_rlp_encode_uint(out, tx->nonce)) ||
            (rc = zr_rlp_encode_uint_be(out, tx->gas_price, 32)) || (rc = zr_rlp_encode_uint(out, tx->gas_limit)) ||
            (rc = put_to(out, tx)) || (rc = zr_rlp_encode_uint_be(out, tx->value, 32)) ||
            (rc = zr_rlp_encode_bytes(out, tx->data, tx->data_len)) || (rc = put_access_list(out, tx)))
            return rc;
        return 0;
    case ZR_TX_EIP1559:
        if ((rc = zr_rlp_encode_uint(out, tx->chain_id)) || (rc = zr_rlp_encode_uint(out, tx->nonce)) ||
            (rc = zr_rlp_encode_uint_be(out, tx->max_priority_fee_per_gas, 32)) ||
            (rc = zr_rlp_encode_uint_be(out, tx->max_fee_per_gas, 32)) ||
            (rc = zr_rlp_encode_uint(out, tx->gas_limit)) || (rc = put_to(out, tx)) ||
            (rc = zr_rlp_encode_uint_be(out, tx->value, 32)) ||
            (rc = zr_rlp_encode_bytes(out, tx->data, tx->data_len)) || (rc = put_access_list(out, tx)))
            return rc;
        return 0;
    }
    return ZR_EINVAL;
}

static int legacy_v(const zr_tx_t *tx, uint64_t *v)
{
    if (tx->chain_id == 0) {
        *v = 27u + tx->sig.v;
        return 0;
    }
    if (tx->chain_id > (UINT64_MAX - 36) / 2)
        return ZR_ERANGE;
    *v = tx->chain_id * 2 + 35 + tx->sig.v;
    return 0;
}

/* The whole transaction: unsigned payload (with_sig 0) or raw signed form (with_sig 1). */
static int encode(const zr_tx_t *tx, zr_buf_t *out, int with_sig)
{
    if (tx->type != ZR_TX_LEGACY && tx->type != ZR_TX_EIP2930 && tx->type != ZR_TX_EIP1559)
        return ZR_EINVAL;
    if (with_sig && !tx->is_signed)
        return ZR_ESTATE;
    if (tx->data_len && !tx->data)
        return ZR_EINVAL;
    size_t start = out->len, mark;
    int rc;
    if (tx->type != ZR_TX_LEGACY && (rc = zr_buf_append_byte(out, (uint8_t)tx->type)))
        goto fail;
    if ((rc = zr_rlp_list_begin(out, &mark)) || (rc = put_body(out, tx)))
        goto fail;
    if (with_sig) {
        uint64_t v = tx->sig.v;
        if (tx->type == ZR_TX_LEGACY && (rc = legacy_v(tx, &v)))
            goto fail;
        if ((rc = zr_rlp_encode_uint(out, v)) || (rc = zr_rlp_encode_uint_be(out, tx->sig.r, 32)) ||
            (rc = zr_rlp_encode_uint_be(out, tx->sig.s, 32)))
            goto fail;
    } else if (tx->type == ZR_TX_LEGACY && tx->chain_id) {
        // EIP-155: sign over [..., chainId, 0, 0]
        if ((rc = zr_rlp_encode_uint(out, tx->chain_id)) || (rc = zr_rlp_encode_uint(out, 0)) ||
            (rc = zr_rlp_encode_uint(out, 0)))
            goto fail;
    }
    if ((rc = zr_rlp_list_end(out, mark)))
        goto fail;
    return 0;
fail:
    out->len = start;
    if (out->data)
        out->data[start] = 0;
    return rc;
}

int zr_tx_encode_unsigned(const zr_tx_t *tx, zr_buf_t *out)
{
    return encode(tx, out, 0);
}

int zr_tx_encode(const zr_tx_t *tx, zr_buf_t *out)
{
    return encode(tx, out, 1);
}

static int hash_of(const zr_tx_t *tx, int with_sig, uint8_t out[32])
{
    zr_buf_t b;
    zr_buf_init(&b, TX_MAX_ENCODED);
    int rc = encode(tx, &b, with_sig);
    if (rc == 0)
        zr_keccak256(out, b.data, b.len);
    zr_buf_cleanup(&b);
    return rc;
}

int zr_tx_signing_hash(const zr_tx_t *tx, uint8_t out[32])
{
    return hash_of(tx, 0, out);
}

int zr_tx_hash(const zr_tx_t *tx, uint8_t out[32])
{
    return hash_of(tx, 1, out);
}

int zr_tx_sign(zr_tx_t *tx, const uint8_t sk[32])
{
    uint8_t h[32];
    int rc = zr_tx_signing_hash(tx, h);
    if (rc)
        return rc;
    if (tx->type == ZR_TX_LEGACY && tx->chain_id > (UINT64_MAX - 36) / 2)
        return ZR_ERANGE;
    zr_sig_t sig;
    if ((rc = zr_ecdsa_sign(&sig, sk, h)))
        return rc;
    tx->sig = sig;
    tx->is_signed = 1;
    return 0;
}

int zr_tx_sender(const zr_tx_t *tx, uint8_t addr[20])
{
    if (!tx->is_signed)
        return ZR_ESTATE;
    uint8_t h[32];
    int rc = zr_tx_signing_hash(tx, h);
    if (rc)
        return rc;
    return zr_ecdsa_recover_address(addr, &tx->sig, h);
}

/* ---- decoding ------------------------------------------------------------------------- */

typedef struct tdec {
    char *err;
    size_t err_cap;
} tdec_t;

__attribute__((format(printf, 3, 4))) static int tfail(const tdec_t *d, int code, const char *fmt, ...)
{
    if (d->err && d->err_cap) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(d->err, d->err_cap, fmt, ap);
        va_end(ap);
    }
    return code;
}

static int get_u64(const tdec_t *d, const zr_rlp_item_t *it, const char *name, uint64_t *out)
{
    int rc = zr_rlp_item_uint(it, out);
    if (rc)
        return tfail(d, ZR_ETX, "transaction field %s: %s", name,
                     rc == ZR_ERANGE ? "larger than 64 bits" : "not a canonical integer");
    return 0;
}

static int get_u256(const tdec_t *d, const zr_rlp_item_t *it, const char *name, uint8_t out[32])
{
    int rc = zr_rlp_item_uint256(it, out);
    if (rc)
        return tfail(d, ZR_ETX, "transaction field %s: %s", name,
                     rc == ZR_ERANGE ? "larger than 256 bits" : "not a canonical integer");
    return 0;
}

static int get_to(const tdec_t *d, const zr_rlp_item_t *it, zr_tx_t *tx)
{
    if (it->is_list || (it->len != 0 && it->len != 20))
        return tfail(d, ZR_ETX, "transaction field to: expected 20 bytes or empty, got %s of %zu bytes",
                     it->is_list ? "a list" : "a string", it->len);
    tx->has_to = it->len == 20;
    if (tx->has_to)
        memcpy(tx->to, it->data, 20);
    return 0;
}

static int get_data(const tdec_t *d, const zr_rlp_item_t *it, zr_tx_t *tx)
{
    if (it->is_list)
        return tfail(d, ZR_ETX, "transaction field data: expected a byte string, got a list");
    int rc = zr_tx_set_data(tx, it->data, it->len);
    if (rc)
        return tfail(d, rc, "transaction field data: %s", zr_strerror(rc));
    return 0;
}

/* An access list is [[address(20), [storageKey(32), ...]], ...]. */
static int get_access_list(const tdec_t *d, const zr_rlp_item_t *it, zr_tx_t *tx)
{
    if (!it->is_list)
        return tfail(d, ZR_ETX, "transaction field accessList: expected a list");
    zr_rlp_iter_t outer;
    zr_rlp_item_t entry;
    zr_rlp_iter_init(&outer, it);
    size_t i = 0;
    int rc;
    while ((rc = zr_rlp_iter_next(&outer, &entry)) == 1) {
        zr_rlp_item_t parts[2];
        size_t n = 0;
        if (zr_rlp_list_items(&entry, parts, 2, &n) != 0 || n != 2)
            return tfail(d, ZR_ETX, "accessList[%zu]: expected [address, storageKeys]", i);
        if (parts[0].is_list || parts[0].len != 20)
            return tfail(d, ZR_ETX, "accessList[%zu]: address must be 20 bytes", i);
        zr_rlp_iter_t keys;
        zr_rlp_item_t key;
        if (zr_rlp_iter_init(&keys, &parts[1]) != 0)
            return tfail(d, ZR_ETX, "accessList[%zu]: storageKeys must be a list", i);
        while ((rc = zr_rlp_iter_next(&keys, &key)) == 1)
            if (key.is_list || key.len != 32)
                return tfail(d, ZR_ETX, "accessList[%zu]: storage keys must be 32 bytes", i);
        if (rc < 0)
            return tfail(d, ZR_ETX, "accessList[%zu]: malformed", i);
        i++;
    }
    if (rc < 0)
        return tfail(d, ZR_ETX, "accessList: malformed");
    free(tx->access_list);
    tx->access_list = NULL;
    tx->access_list_len = 0;
    if (it->len == 0)
        return 0; // the empty list: keep the default
    tx->access_list = malloc(it->raw_len);
    if (!tx->access_list)
        return ZR_ENOMEM;
    memcpy(tx->access_list, it->raw, it->raw_len);
    tx->access_list_len = it->raw_len;
    return 0;
}

static int get_sig(const tdec_t *d, const zr_rlp_item_t f[3], zr_tx_t *tx, int legacy)
{
    uint64_t v;
    int rc;
    if ((rc = get_u64(d, &f[0], legacy ? "v" : "yParity", &v)) || (rc = get_u256(d, &f[1], "r", tx->sig.r)) ||
        (rc = get_u256(d, &f[2], "s", tx->sig.s)))
        return rc;
    if (legacy) {
        if (v == 27 || v == 28) {
            tx->chain_id = 0;
            tx->sig.v = (uint8_t)(v - 27);
        } else if (v >= 37) { /* 35/36 would mean chain id 0, which EIP-155 cannot express */
            tx->chain_id = (v - 35) / 2;
            tx->sig.v = (uint8_t)((v - 35) % 2);
        } else {
            return tfail(d, ZR_ETX, "legacy transaction: invalid v %llu", (unsigned long long)v);
        }
    } else {
        if (v > 1)
            return tfail(d, ZR_ETX, "transaction field yParity: must be 0 or 1, got %llu", (unsigned long long)v);
        tx->sig.v = (uint8_t)v;
    }
    tx->is_signed = 1;
    return 0;
}

int zr_tx_decode(zr_tx_t *tx, const uint8_t *raw, size_t len, char *err, size_t err_cap)
{
    tdec_t d = {err, err_cap};
    zr_tx_init(tx);
    if (len == 0)
        return tfail(&d, ZR_ETX, "empty transaction");
    if (len > TX_MAX_ENCODED)
        return tfail(&d, ZR_ETOOBIG, "transaction of %zu bytes exceeds the limit", len);
    zr_tx_type_t type;
    const uint8_t *body = raw;
    size_t body_len = len;
    if (raw[0] >= 0xc0) {
        type = ZR_TX_LEGACY;
    } else if (raw[0] == 1 || raw[0] == 2) {
        type = (zr_tx_type_t)raw[0];
        body++;
        body_len--;
    } else if (raw[0] <= 0x7f) {
        return tfail(&d, ZR_EUNSUPPORTED, "transaction type 0x%02x is not supported", raw[0]);
    } else {
        return tfail(&d, ZR_ETX, "not a transaction: first byte 0x%02x", raw[0]);
    }
    zr_rlp_item_t top, f[12];
    size_t n = 0;
    char rerr[128];
    int rc = zr_rlp_decode(&top, body, body_len, rerr, sizeof rerr);
    if (rc)
        return tfail(&d, rc, "transaction: %s", rerr);
    if (!top.is_list)
        return tfail(&d, ZR_ETX, "transaction: expected an RLP list");
    static const size_t want[3] = {9, 11, 12};
    if (zr_rlp_list_items(&top, f, 12, &n) != 0 || n != want[type])
        return tfail(&d, ZR_ETX, "type %d transaction: expected %zu fields", (int)type, want[type]);
    tx->type = type;
    switch (type) {
    case ZR_TX_LEGACY:
        if ((rc = get_u64(&d, &f[0], "nonce", &tx->nonce)) || (rc = get_u256(&d, &f[1], "gasPrice", tx->gas_price)) ||
            (rc = get_u64(&d, &f[2], "gasLimit", &tx->gas_limit)) || (rc = get_to(&d, &f[3], tx)) ||
            (rc = get_u256(&d, &f[4], "value", tx->value)) || (rc = get_data(&d, &f[5], tx)) ||
            (rc = get_sig(&d, &f[6], tx, 1)))
            return rc;
        break;
    case ZR_TX_EIP2930:
        if ((rc = get_u64(&d, &f[0], "chainId", &tx->chain_id)) || (rc = get_u64(&d, &f[1], "nonce", &tx->nonce)) ||
            (rc = get_u256(&d, &f[2], "gasPrice", tx->gas_price)) ||
            (rc = get_u64(&d, &f[3], "gasLimit", &tx->gas_limit)) || (rc = get_to(&d, &f[4], tx)) ||
            (rc = get_u256(&d, &f[5], "value", tx->value)) || (rc = get_data(&d, &f[6], tx)) ||
            (rc = get_access_list(&d, &f[7], tx)) || (rc = get_sig(&d, &f[8], tx, 0)))
            return rc;
        break;
    case ZR_TX_EIP1559:
        if ((rc = get_u64(&d, &f[0], "chainId", &tx->chain_id)) || (rc = get_u64(&d, &f[1], "nonce", &tx->nonce)) ||
            (rc = get_u256(&d, &f[2], "maxPriorityFeePerGas", tx->max_priority_fee_per_gas)) ||
            (rc = get_u256(&d, &f[3], "maxFeePerGas", tx->max_fee_per_gas)) ||
            (rc = get_u64(&d, &f[4], "gasLimit", &tx->gas_limit)) || (rc = get_to(&d, &f[5], tx)) ||
            (rc = get_u256(&d, &f[6], "value", tx->value)) || (rc = get_data(&d, &f[7], tx)) ||
            (rc = get_access_list(&d, &f[8], tx)) || (rc = get_sig(&d, &f[9], tx, 0)))
            return rc;
        break;
    }
    return 0;
}
