// SPDX-License-Identifier: MIT
// Sending transactions from a private key: the local nonce (resynced from the pending
// count when the node disagrees), EIP-1559 or legacy fees, gas estimates with headroom,
// send-and-wait with polling, revert reasons for failed receipts, contract deployment.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "rpc_int.h"
#include "zara/ecdsa.h"
#include "zara/tx.h"

struct zr_rpc_wallet {
    zr_rpc_t *h;
    uint8_t sk[32];
    uint8_t addr[20];
    uint64_t chain_id;
    int have_chain_id;
    uint64_t nonce;
    int have_nonce;
    unsigned headroom_pct;
    long wait_ms;
    long poll_ms;
};

zr_rpc_wallet_t *zr_rpc_wallet_new(zr_rpc_t *h, const uint8_t sk[32])
{
    zr_rpc_wallet_t *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    if (zr_ecdsa_seckey_address(w->addr, sk) != 0) {
        free(w);
        return NULL;
    }
    memcpy(w->sk, sk, 32);
    w->h = h;
    w->headroom_pct = 20;
    w->wait_ms = 60000;
    w->poll_ms = 100;
    return w;
}

void zr_rpc_wallet_free(zr_rpc_wallet_t *w)
{
    if (!w)
        return;
    zr_wipe(w, sizeof *w);
    free(w);
}

const uint8_t *zr_rpc_wallet_address(const zr_rpc_wallet_t *w)
{
    return w->addr;
}

void zr_rpc_wallet_set_gas_headroom(zr_rpc_wallet_t *w, unsigned percent)
{
    w->headroom_pct = percent > 1000 ? 1000 : percent;
}

void zr_rpc_wallet_set_wait(zr_rpc_wallet_t *w, long timeout_ms, long poll_ms)
{
    w->wait_ms = timeout_ms > 0 ? timeout_ms : 60000;
    w->poll_ms = poll_ms > 0 ? poll_ms : 100;
}

int zr_rpc_wallet_next_nonce(zr_rpc_wallet_t *w, uint64_t *out)
{
    if (!w->have_nonce) {
        int rc = zr_rpc_get_nonce(w->h, &w->nonce, w->addr, "pending");
        if (rc)
            return rc;
        w->have_nonce = 1;
    }
    *out = w->nonce;
    return 0;
}

void zr_rpc_wallet_resync(zr_rpc_wallet_t *w)
{
    w->have_nonce = 0;
}

/* Whether a send error says our nonce is out of step with the node (geth, anvil, reth,
 * erigon and Nethermind wordings). */
static int nonce_conflict(const zr_rpc_t *h)
{
    static const char *const words[] = {"nonce too low", "nonce too high", "already known",
                                        "replacement transaction underpriced", "invalid nonce",
                                        "nonce has already been used", "oldnonce"};
    for (size_t i = 0; i < ZR_ARRAY_LEN(words); i++)
        if (strcasestr(h->remote_message, words[i]))
            return 1;
    return 0;
}

static int fill_fees(zr_rpc_wallet_t *w, zr_tx_t *tx, int legacy)
{
    int rc;
    if (legacy) {
        tx->type = ZR_TX_LEGACY;
        return zr_rpc_gas_price(w->h, tx->gas_price);
    }
    tx->type = ZR_TX_EIP1559;
    zr_rpc_block_t b;
    if ((rc = zr_rpc_get_block(w->h, &b, "latest")) != 0)
        return rc;
    if (!b.has_base_fee) {
        zr__rpc_fail(w->h, "the chain has no base fee (pre-London): send a legacy transaction");
        return ZR_EUNSUPPORTED;
    }
    rc = zr_rpc_max_priority_fee(w->h, tx->max_priority_fee_per_gas);
    if (rc == ZR_ERPC) {
        /* a node without eth_maxPriorityFeePerGas: its gas price is base fee + a tip */
        uint8_t gp[32];
        if ((rc = zr_rpc_gas_price(w->h, gp)) != 0)
            return rc;
        if (zr_rpc_u256_sub(tx->max_priority_fee_per_gas, gp, b.base_fee) != 0)
            memset(tx->max_priority_fee_per_gas, 0, 32);
    }
    if (rc)
        return rc;
    if (zr_rpc_u256_mul_u64(tx->max_fee_per_gas, b.base_fee, 2) ||
        zr_rpc_u256_add(tx->max_fee_per_gas, tx->max_fee_per_gas, tx->max_priority_fee_per_gas)) {
        zr__rpc_fail(w->h, "fee computation overflows 256 bits");
        return ZR_ERANGE;
    }
    return 0;
}

static int fill_gas(zr_rpc_wallet_t *w, zr_tx_t *tx, const zr_rpc_txreq_t *req)
{
    if (req->gas_limit) {
        tx->gas_limit = req->gas_limit;
        return 0;
    }
    zr_rpc_callmsg_t m = {.from = w->addr, .to = req->to, .data = req->data,
                          .data_len = req->data_len, .value = req->value};
    uint64_t est = 0;
    int rc = zr_rpc_estimate_gas(w->h, &est, &m);
    if (rc)
        return rc;
    if (est > UINT64_MAX / (100 + w->headroom_pct)) {
        zr__rpc_fail(w->h, "gas estimate %llu is absurd", (unsigned long long)est);
        return ZR_ERANGE;
    }
    tx->gas_limit = est * (100 + w->headroom_pct) / 100;
    return 0;
}

/* Signs and sends tx; local_hash is the hash of what was signed (known even when the
 * send fails), hash what the node returned (checked to be the same). */
static int sign_and_send(zr_rpc_wallet_t *w, zr_tx_t *tx, uint8_t hash[32], uint8_t local_hash[32])
{
    zr_buf_t raw;
    zr_buf_init(&raw, ZR_TX_MAX_DATA + (1u << 20));
    int rc;
    if ((rc = zr_tx_sign(tx, w->sk)) != 0 || (rc = zr_tx_encode(tx, &raw)) != 0 ||
        (rc = zr_tx_hash(tx, local_hash)) != 0) {
        zr__rpc_fail(w->h, "cannot sign the transaction: %s", zr_strerror(rc));
        goto fail;
    }
    if ((rc = zr_rpc_send_raw(w->h, hash, raw.data, raw.len)) != 0)
        goto fail;
    if (memcmp(hash, local_hash, 32) != 0) {
        char a[65], b[65];
        zr_hex_encode(a, hash, 32);
        zr_hex_encode(b, local_hash, 32);
        zr__rpc_fail(w->h, "eth_sendRawTransaction: the node answered hash 0x%s for transaction 0x%s", a, b);
        rc = ZR_ERPCRESP;
    }
fail:
    zr_buf_cleanup(&raw);
    return rc;
}

/* Whether the node knows a transaction by this hash (pending or mined). */
static int tx_known(zr_rpc_wallet_t *w, const uint8_t hash[32])
{
    json_t *r = NULL;
    json_t *p = json_pack("[o]", zr__rpc_hex_json(hash, 32));
    int known = p && zr__rpc_call_p(w->h, "eth_getTransactionByHash", p, &r) == 0 && json_is_object(r);
    json_decref(r);
    return known;
}

int zr_rpc_wallet_send(zr_rpc_wallet_t *w, uint8_t hash[32], const zr_rpc_txreq_t *req)
{
    zr_tx_t tx;
    zr_tx_init(&tx);
    int rc;
    if (!w->have_chain_id) {
        if ((rc = zr_rpc_chain_id(w->h, &w->chain_id)) != 0)
            goto fail;
        w->have_chain_id = 1;
    }
    tx.chain_id = w->chain_id;
    if ((rc = fill_fees(w, &tx, req->legacy)) != 0 || (rc = fill_gas(w, &tx, req)) != 0)
        goto fail;
    tx.has_to = req->to != NULL;
    if (req->to)
        memcpy(tx.to, req->to, 20);
    if (req->value)
        memcpy(tx.value, req->value, 32);
    if ((rc = zr_tx_set_data(&tx, req->data, req->data_len)) != 0) {
        zr__rpc_fail(w->h, "calldata of %zu bytes: %s", req->data_len, zr_strerror(rc));
        goto fail;
    }
    for (int attempt = 0; attempt < 2; attempt++) {
        uint8_t local_hash[32];
        if ((rc = zr_rpc_wallet_next_nonce(w, &tx.nonce)) != 0)
            goto fail;
        rc = sign_and_send(w, &tx, hash, local_hash);
        int conflict = rc == ZR_ERPC && nonce_conflict(w->h);
        if (conflict) {
            /* "already known" / "nonce too low" for our own transaction means an earlier
             * attempt (a transport retry) got through: sending again with a fresh nonce
             * would pay twice. */
            char msg[sizeof w->h->errmsg], remote[sizeof w->h->remote_message];
            long code = w->h->remote_code;
            snprintf(msg, sizeof msg, "%s", w->h->errmsg);
            snprintf(remote, sizeof remote, "%s", w->h->remote_message);
            if (tx_known(w, local_hash)) {
                memcpy(hash, local_hash, 32);
                zr__rpc_reset_error(w->h);
                rc = 0;
            } else {
                /* keep the send's error, not the lookup's */
                zr__rpc_fail(w->h, "%s", msg);
                w->h->remote_code = code;
                snprintf(w->h->remote_message, sizeof w->h->remote_message, "%s", remote);
            }
        }
        if (rc == 0) {
            w->nonce++;
            goto fail; /* the common exit */
        }
        /* whatever went wrong, the node is the authority on the nonce from now on */
        w->have_nonce = 0;
        if (!conflict)
            break;
        ZR_INFO("rpc_nonce_resync", "nonce=%llu", (unsigned long long)tx.nonce);
    }
fail:
    zr_tx_cleanup(&tx);
    return rc;
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

int zr_rpc_wait_receipt(zr_rpc_t *h, zr_rpc_receipt_t *r, const uint8_t hash[32], long timeout_ms,
                        long poll_ms)
{
    long end = now_ms() + timeout_ms;
    int rc;
    for (;;) {
        rc = zr_rpc_get_receipt(h, r, hash);
        if (rc != ZR_ENOENT && rc != ZR_ETRANSPORT && rc != ZR_ETIMEOUT)
            return rc;
        if (now_ms() >= end)
            break;
        struct timespec ts = {.tv_sec = poll_ms / 1000, .tv_nsec = (poll_ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }
    char hx[65];
    zr_hex_encode(hx, hash, 32);
    zr__rpc_fail(h, "no receipt for 0x%s after %ld ms", hx, timeout_ms);
    return ZR_ETIMEOUT;
}

/* Replays a reverted transaction as eth_call at its block to learn the reason. */
static int explain_revert(zr_rpc_wallet_t *w, const zr_rpc_receipt_t *r, const zr_rpc_txreq_t *req)
{
    zr_rpc_callmsg_t m = {.from = w->addr, .to = req->to, .data = req->data,
                          .data_len = req->data_len, .value = req->value, .gas = 0};
    char block[19];
    zr_rpc_u64_format(block, r->block_number);
    zr_buf_t out;
    zr_buf_init(&out, 1u << 20);
    int rc = zr_rpc_eth_call(w->h, &out, &m, block);
    zr_buf_cleanup(&out);
    char hx[65];
    zr_hex_encode(hx, r->tx_hash, 32);
    if (rc == ZR_EREVERTED) {
        char tmp[sizeof w->h->errmsg];
        /* "eth_call reverted: <reason>" → "transaction 0x.. reverted: <reason>" */
        const char *reason = strstr(w->h->errmsg, "reverted: ");
        snprintf(tmp, sizeof tmp, "%s", reason ? reason + 10 : w->h->errmsg);
        zr__rpc_fail(w->h, "transaction 0x%s reverted in block %llu: %s", hx,
                     (unsigned long long)r->block_number, tmp);
    } else {
        zr__rpc_fail(w->h, "transaction 0x%s reverted in block %llu (the replay did not revert: "
                           "no reason available)", hx, (unsigned long long)r->block_number);
    }
    return ZR_EREVERTED;
}

int zr_rpc_wallet_transact(zr_rpc_wallet_t *w, zr_rpc_receipt_t *r, const zr_rpc_txreq_t *req)
{
    uint8_t hash[32];
    int rc = zr_rpc_wallet_send(w, hash, req);
    if (rc)
        return rc;
    if ((rc = zr_rpc_wait_receipt(w->h, r, hash, w->wait_ms, w->poll_ms)) != 0)
        return rc;
    if (r->status != 1)
        return explain_revert(w, r, req);
    return 0;
}

int zr_rpc_wallet_deploy(zr_rpc_wallet_t *w, uint8_t addr[20], zr_rpc_receipt_t *r, const uint8_t *code,
                         size_t code_len, const uint8_t *value)
{
    zr_rpc_receipt_t local;
    zr_rpc_receipt_init(&local);
    zr_rpc_receipt_t *rr = r ? r : &local;
    zr_rpc_txreq_t req = {.to = NULL, .data = code, .data_len = code_len, .value = value};
    int rc = zr_rpc_wallet_transact(w, rr, &req);
    if (rc == 0) {
        if (!rr->has_contract_address) {
            zr__rpc_fail(w->h, "deployment receipt has no contractAddress");
            rc = ZR_ERPCRESP;
        } else {
            memcpy(addr, rr->contract_address, 20);
        }
    }
    zr_rpc_receipt_cleanup(&local);
    return rc;
}
