// SPDX-License-Identifier: MIT
// Receipts, blocks and event logs: strict decoding of their JSON, and eth_getLogs over a
// block range split into bounded requests, halving a range the node refuses as too large.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rpc_int.h"

void zr_rpc_logs_init(zr_rpc_logs_t *l)
{
    memset(l, 0, sizeof *l);
}

void zr_rpc_logs_cleanup(zr_rpc_logs_t *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].data);
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* Members a node may leave null for pending logs are optional; the rest are required. */
static int log_from_json(zr_rpc_t *h, zr_rpc_log_t *lg, const json_t *j)
{
    memset(lg, 0, sizeof *lg);
    if (!json_is_object(j)) {
        zr__rpc_fail(h, "log is not an object");
        return ZR_ERPCRESP;
    }
    int rc;
    if ((rc = zr__rpc_json_fixed(h, lg->address, 20, json_object_get(j, "address"), "log address")))
        return rc;
    const json_t *topics = json_object_get(j, "topics");
    if (!json_is_array(topics) || json_array_size(topics) > 4) {
        zr__rpc_fail(h, "log topics: expected an array of at most 4");
        return ZR_ERPCRESP;
    }
    for (size_t i = 0; i < json_array_size(topics); i++)
        if ((rc = zr__rpc_json_fixed(h, lg->topics[i], 32, json_array_get(topics, i), "log topic")))
            return rc;
    lg->n_topics = json_array_size(topics);
    const json_t *data = json_object_get(j, "data");
    const char *s = json_is_string(data) ? json_string_value(data) : NULL;
    size_t sl = s ? json_string_length(data) : 0;
    if (!s || sl < 2 || s[0] != '0' || s[1] != 'x' || sl % 2) {
        zr__rpc_fail(h, "log data: expected a 0x-prefixed hex string");
        return ZR_ERPCRESP;
    }
    lg->data_len = (sl - 2) / 2;
    if (lg->data_len) {
        lg->data = malloc(lg->data_len);
        if (!lg->data)
            return ZR_ENOMEM;
        if (zr_hex_decode(lg->data, lg->data_len, NULL, s, sl) != 0) {
            free(lg->data);
            lg->data = NULL;
            zr__rpc_fail(h, "log data: malformed hex");
            return ZR_ERPCRESP;
        }
    }
    const json_t *v;
    if ((v = json_object_get(j, "blockNumber")) && !json_is_null(v) &&
        (rc = zr__rpc_json_u64(h, &lg->block_number, v, "log blockNumber")))
        goto fail;
    if ((v = json_object_get(j, "blockHash")) && !json_is_null(v) &&
        (rc = zr__rpc_json_fixed(h, lg->block_hash, 32, v, "log blockHash")))
        goto fail;
    if ((v = json_object_get(j, "transactionHash")) && !json_is_null(v) &&
        (rc = zr__rpc_json_fixed(h, lg->tx_hash, 32, v, "log transactionHash")))
        goto fail;
    if ((v = json_object_get(j, "transactionIndex")) && !json_is_null(v) &&
        (rc = zr__rpc_json_u64(h, &lg->tx_index, v, "log transactionIndex")))
        goto fail;
    if ((v = json_object_get(j, "logIndex")) && !json_is_null(v) &&
        (rc = zr__rpc_json_u64(h, &lg->log_index, v, "log logIndex")))
        goto fail;
    lg->removed = json_is_true(json_object_get(j, "removed"));
    return 0;
fail:
    free(lg->data);
    lg->data = NULL;
    return rc;
}

static int logs_push(zr_rpc_logs_t *l, const zr_rpc_log_t *lg)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 8;
        zr_rpc_log_t *nv = realloc(l->v, nc * sizeof *nv);
        if (!nv)
            return ZR_ENOMEM;
        l->v = nv;
        l->cap = nc;
    }
    l->v[l->n++] = *lg;
    return 0;
}

/* Parses one log and appends it; h only receives the error message. */
static int append_json(zr_rpc_t *h, zr_rpc_logs_t *l, const json_t *log)
{
    zr_rpc_log_t lg;
    int rc = log_from_json(h, &lg, log);
    if (rc)
        return rc;
    if ((rc = logs_push(l, &lg)) != 0)
        free(lg.data);
    return rc;
}

int zr_rpc_logs_append_json(zr_rpc_logs_t *l, const json_t *log)
{
    zr_rpc_t scratch;
    memset(&scratch, 0, sizeof scratch);
    return append_json(&scratch, l, log);
}

void zr_rpc_receipt_init(zr_rpc_receipt_t *r)
{
    memset(r, 0, sizeof *r);
}

void zr_rpc_receipt_cleanup(zr_rpc_receipt_t *r)
{
    if (!r)
        return;
    zr_rpc_logs_cleanup(&r->logs);
    memset(r, 0, sizeof *r);
}

static int receipt_from_json(zr_rpc_t *h, zr_rpc_receipt_t *r, const json_t *j)
{
    zr_rpc_receipt_cleanup(r);
    if (!json_is_object(j)) {
        zr__rpc_fail(h, "receipt is not an object");
        return ZR_ERPCRESP;
    }
    int rc;
    uint64_t status = 0;
    const json_t *v;
    if ((rc = zr__rpc_json_fixed(h, r->tx_hash, 32, json_object_get(j, "transactionHash"), "receipt transactionHash")) ||
        (rc = zr__rpc_json_fixed(h, r->block_hash, 32, json_object_get(j, "blockHash"), "receipt blockHash")) ||
        (rc = zr__rpc_json_u64(h, &r->block_number, json_object_get(j, "blockNumber"), "receipt blockNumber")) ||
        (rc = zr__rpc_json_u64(h, &r->tx_index, json_object_get(j, "transactionIndex"), "receipt transactionIndex")) ||
        (rc = zr__rpc_json_u64(h, &status, json_object_get(j, "status"), "receipt status")) ||
        (rc = zr__rpc_json_fixed(h, r->from, 20, json_object_get(j, "from"), "receipt from")) ||
        (rc = zr__rpc_json_u64(h, &r->gas_used, json_object_get(j, "gasUsed"), "receipt gasUsed")) ||
        (rc = zr__rpc_json_u64(h, &r->cumulative_gas_used, json_object_get(j, "cumulativeGasUsed"),
                               "receipt cumulativeGasUsed")) ||
        (rc = zr__rpc_json_u256(h, r->effective_gas_price, json_object_get(j, "effectiveGasPrice"),
                                "receipt effectiveGasPrice")))
        goto fail;
    if (status > 1) {
        zr__rpc_fail(h, "receipt status %llu is neither 0 nor 1", (unsigned long long)status);
        rc = ZR_ERPCRESP;
        goto fail;
    }
    r->status = (int)status;
    if ((v = json_object_get(j, "to")) && !json_is_null(v)) {
        if ((rc = zr__rpc_json_fixed(h, r->to, 20, v, "receipt to")))
            goto fail;
        r->has_to = 1;
    }
    if ((v = json_object_get(j, "contractAddress")) && !json_is_null(v)) {
        if ((rc = zr__rpc_json_fixed(h, r->contract_address, 20, v, "receipt contractAddress")))
            goto fail;
        r->has_contract_address = 1;
    }
    const json_t *logs = json_object_get(j, "logs");
    if (!json_is_array(logs)) {
        zr__rpc_fail(h, "receipt logs: expected an array");
        rc = ZR_ERPCRESP;
        goto fail;
    }
    size_t i;
    json_array_foreach(logs, i, v)
    {
        if ((rc = append_json(h, &r->logs, v)) != 0)
            goto fail;
    }
    return 0;
fail:
    zr_rpc_receipt_cleanup(r);
    return rc;
}

int zr_rpc_receipt_from_json(zr_rpc_receipt_t *r, const json_t *j)
{
    zr_rpc_t scratch;
    memset(&scratch, 0, sizeof scratch);
    return receipt_from_json(&scratch, r, j);
}

int zr_rpc_get_receipt(zr_rpc_t *h, zr_rpc_receipt_t *r, const uint8_t hash[32])
{
    json_t *res = NULL;
    int rc = zr__rpc_call_p(h, "eth_getTransactionReceipt", json_pack("[o]", zr__rpc_hex_json(hash, 32)), &res);
    if (rc)
        return rc;
    if (json_is_null(res)) {
        zr__rpc_fail(h, "eth_getTransactionReceipt: transaction not mined yet");
        rc = ZR_ENOENT;
    } else {
        rc = receipt_from_json(h, r, res);
    }
    json_decref(res);
    return rc;
}

int zr_rpc_get_block(zr_rpc_t *h, zr_rpc_block_t *out, const char *block)
{
    json_t *res = NULL;
    memset(out, 0, sizeof *out);
    int rc = zr__rpc_call_p(h, "eth_getBlockByNumber", json_pack("[sb]", block ? block : "latest", 0), &res);
    if (rc)
        return rc;
    if (json_is_null(res)) {
        zr__rpc_fail(h, "eth_getBlockByNumber: no block %s", block ? block : "latest");
        rc = ZR_ENOENT;
        goto fail;
    }
    if (!json_is_object(res)) {
        zr__rpc_fail(h, "eth_getBlockByNumber: block is not an object");
        rc = ZR_ERPCRESP;
        goto fail;
    }
    if ((rc = zr__rpc_json_u64(h, &out->number, json_object_get(res, "number"), "block number")) ||
        (rc = zr__rpc_json_fixed(h, out->hash, 32, json_object_get(res, "hash"), "block hash")) ||
        (rc = zr__rpc_json_fixed(h, out->parent_hash, 32, json_object_get(res, "parentHash"), "block parentHash")) ||
        (rc = zr__rpc_json_u64(h, &out->timestamp, json_object_get(res, "timestamp"), "block timestamp")) ||
        (rc = zr__rpc_json_u64(h, &out->gas_limit, json_object_get(res, "gasLimit"), "block gasLimit")) ||
        (rc = zr__rpc_json_u64(h, &out->gas_used, json_object_get(res, "gasUsed"), "block gasUsed")))
        goto fail;
    const json_t *bf = json_object_get(res, "baseFeePerGas");
    if (bf && !json_is_null(bf)) {
        if ((rc = zr__rpc_json_u256(h, out->base_fee, bf, "block baseFeePerGas")))
            goto fail;
        out->has_base_fee = 1;
    }
fail:
    json_decref(res);
    return rc;
}

static json_t *filter_json(const zr_rpc_filter_t *f, uint64_t from, uint64_t to)
{
    json_t *o = json_object();
    json_t *addrs = json_array();
    json_t *topics = json_array();
    int bad = !o || !addrs || !topics;
    for (size_t i = 0; !bad && i < f->n_addresses; i++)
        bad |= json_array_append_new(addrs, zr__rpc_hex_json(f->addresses[i], 20));
    /* trailing "any" positions are dropped; inner ones are null */
    int last = -1;
    for (int p = 0; p < 4; p++)
        if (f->n_topics[p])
            last = p;
    for (int p = 0; !bad && p <= last; p++) {
        if (!f->n_topics[p]) {
            bad |= json_array_append_new(topics, json_null());
            continue;
        }
        json_t *alt = json_array();
        for (size_t i = 0; alt && !bad && i < f->n_topics[p]; i++)
            bad |= json_array_append_new(alt, zr__rpc_hex_json(f->topics[p][i], 32));
        bad |= !alt || json_array_append_new(topics, alt);
    }
    if (!bad) {
        bad |= json_object_set_new(o, "fromBlock", zr__rpc_u64_json(from));
        bad |= json_object_set_new(o, "toBlock", zr__rpc_u64_json(to));
        if (f->n_addresses)
            bad |= json_object_set(o, "address", addrs);
        if (last >= 0)
            bad |= json_object_set(o, "topics", topics);
    }
    json_decref(addrs);
    json_decref(topics);
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return json_pack("[o]", o);
}

/* Whether a JSON-RPC error says the range or the answer was too large (the wordings of
 * geth, erigon, Infura, Alchemy, QuickNode, Ankr and others) rather than, say, a rate
 * limit, which halving would only make worse. */
static int too_large(const zr_rpc_t *h)
{
    static const char *const words[] = {"too large", "too big", "too wide", "more than", "exceed",
                                        "range", "response size", "results"};
    const char *m = h->remote_message;
    if (strcasestr(m, "rate limit") || strcasestr(m, "too many requests") || strcasestr(m, "capacity"))
        return 0;
    if (h->remote_code == -32005)
        return 1;
    for (size_t i = 0; i < ZR_ARRAY_LEN(words); i++)
        if (strcasestr(m, words[i]))
            return 1;
    return 0;
}

static int get_range(zr_rpc_t *h, zr_rpc_logs_t *out, const zr_rpc_filter_t *f, uint64_t from,
                     uint64_t to, int *halvable)
{
    json_t *res = NULL;
    *halvable = 0;
    h->logs_requests++;
    int rc = zr__rpc_call_p(h, "eth_getLogs", filter_json(f, from, to), &res);
    if (rc) {
        *halvable = rc == ZR_ETOOBIG || (rc == ZR_ERPC && too_large(h));
        return rc;
    }
    if (!json_is_array(res)) {
        zr__rpc_fail(h, "eth_getLogs: expected an array");
        rc = ZR_ERPCRESP;
        goto fail;
    }
    size_t i;
    json_t *v;
    json_array_foreach(res, i, v)
    {
        if ((rc = append_json(h, out, v)) != 0)
            goto fail;
    }
fail:
    json_decref(res);
    return rc;
}

int zr_rpc_get_logs(zr_rpc_t *h, zr_rpc_logs_t *out, const zr_rpc_filter_t *f)
{
    h->logs_requests = 0;
    if (f->from_block > f->to_block) {
        zr__rpc_fail(h, "eth_getLogs: fromBlock %llu is after toBlock %llu",
                     (unsigned long long)f->from_block, (unsigned long long)f->to_block);
        return ZR_EINVAL;
    }
    uint64_t max = f->max_range ? f->max_range : 2000;
    uint64_t step = max;
    uint64_t from = f->from_block;
    for (;;) {
        uint64_t to = f->to_block - from < step - 1 ? f->to_block : from + step - 1;
        size_t before = out->n;
        int halvable = 0;
        int rc = get_range(h, out, f, from, to, &halvable);
        if (rc) {
            /* drop the partial logs of a failed range so a retry does not duplicate them */
            for (size_t i = before; i < out->n; i++)
                free(out->v[i].data);
            out->n = before;
            if (halvable && to > from) {
                step = (to - from + 1) / 2;
                continue;
            }
            return rc;
        }
        if (to == f->to_block)
            return 0;
        from = to + 1;
        /* a range that worked lets the step grow back toward max */
        step = step * 2 > max || step * 2 < step ? max : step * 2;
    }
}

int zr_rpc_get_logs_requests(const zr_rpc_t *h)
{
    return h->logs_requests;
}
