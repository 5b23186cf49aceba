/* SPDX-License-Identifier: MIT
 * The Ethereum JSON-RPC client: a handle over HTTP (libcurl) with timeouts, retries with
 * exponential backoff on transport errors only, a hard cap on response bodies, the remote
 * error kept for the caller, id matching and batches; 256-bit quantities as 32-byte
 * big-endian buffers; typed eth_* helpers (receipts, blocks, logs in bounded ranges).
 *
 * Errors: ZR_ETRANSPORT (connection/HTTP failure after the retries), ZR_ETIMEOUT (the
 * last attempt timed out), ZR_ETOOBIG (the body exceeded max_response; never retried),
 * ZR_ERPC (the server answered with a JSON-RPC error object: zr_rpc_remote_code() and
 * zr_rpc_remote_message() say which; never retried), ZR_ERPCRESP (the answer is not a
 * well-formed JSON-RPC response: bad JSON, wrong types, a mismatched id), ZR_EREVERTED
 * (eth_call/estimateGas/a receipt reverted: zr_rpc_revert_data() holds the revert bytes,
 * zr_rpc_errmsg() the decoded reason). Every failure leaves a one-line message in
 * zr_rpc_errmsg(h).
 *
 * Threads: a handle is not thread-safe; use one handle per thread (handles are cheap and
 * independent). zr_rpc_new may be called from any thread (curl's global init is done once
 * under pthread_once). */
#ifndef ZARA_RPC_H
#define ZARA_RPC_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "zara/common.h"

/* ---- the handle ------------------------------------------------------------------------ */
typedef struct zr_rpc zr_rpc_t;

/* Zero (or negative) members mean the default, except retries where 0 means none. */
typedef struct zr_rpc_opts {
    long connect_timeout_ms; /* per attempt, to establish the connection (default 5000) */
    long timeout_ms;         /* per attempt, whole transfer (default 30000) */
    int retries;             /* extra attempts after a transport error (default 3) */
    long backoff_ms;         /* wait before the first retry, doubled each time (default 100) */
    long backoff_max_ms;     /* ceiling of the wait (default 5000) */
    size_t max_response;     /* hard cap on one response body in bytes (default 32 MiB) */
} zr_rpc_opts_t;

/* Fills *o with the defaults above. */
void zr_rpc_opts_default(zr_rpc_opts_t *o);

/* A new handle for url (http:// or https://). opts NULL means the defaults; the struct is
 * copied. Returns NULL when out of memory or url is not http(s). Free with zr_rpc_free. */
zr_rpc_t *zr_rpc_new(const char *url, const zr_rpc_opts_t *opts);
void zr_rpc_free(zr_rpc_t *h);

/* The message of the last failure on h ("" after a success); valid until the next call. */
const char *zr_rpc_errmsg(const zr_rpc_t *h);
/* The JSON-RPC error code of the last ZR_ERPC/ZR_EREVERTED answer, 0 when none. */
long zr_rpc_remote_code(const zr_rpc_t *h);
/* The JSON-RPC error message of the last error answer ("" when none). */
const char *zr_rpc_remote_message(const zr_rpc_t *h);
/* The bytes of the error's "data" when it was a hex string (revert data), else NULL with
 * *len 0. Valid until the next call on h. */
const uint8_t *zr_rpc_revert_data(const zr_rpc_t *h, size_t *len);
/* Number of HTTP attempts the last call made (1 without retries). */
int zr_rpc_attempts(const zr_rpc_t *h);

/* ---- raw calls ------------------------------------------------------------------------- */
/* Calls method with params (a JSON array or NULL for []; the reference is consumed, also on
 * failure). On success *result is a new reference to the "result" member (json_decref it);
 * on failure *result is NULL. */
int zr_rpc_call(zr_rpc_t *h, const char *method, json_t *params, json_t **result);

typedef struct zr_rpc_batch_item {
    const char *method; /* in */
    json_t *params;     /* in: array or NULL; consumed by zr_rpc_batch (set to NULL) */
    int err;            /* out: 0, ZR_ERPC (error object) or ZR_ERPCRESP (no answer) */
    json_t *result;     /* out: new reference when err == 0 */
    long code;          /* out: the remote error code when err == ZR_ERPC */
    char *message;      /* out: the remote error message when err == ZR_ERPC (malloc'ed) */
} zr_rpc_batch_item_t;

/* Sends n calls in one JSON-RPC batch. Returns 0 when the batch as a whole was answered
 * (each item then has its own err/result, in the order of items, whatever order the server
 * answered in), or a negative code for the whole batch (transport, cap, a malformed or
 * unmatched answer, or a single error object instead of an array → ZR_ERPC). Release the
 * outputs with zr_rpc_batch_cleanup. */
int zr_rpc_batch(zr_rpc_t *h, zr_rpc_batch_item_t *items, size_t n);
/* Frees the results, messages and any params left in items; accepts cleaned-up items. */
void zr_rpc_batch_cleanup(zr_rpc_batch_item_t *items, size_t n);

/* The response parsers the calls use, callable on bytes without a network (fuzzing,
 * tests). parse_response expects one answer with id; parse_batch expects answers for ids
 * first_id .. first_id+n-1 and fills items' outputs (overwritten, not freed: start from
 * clean items; params are left alone). Errors as for the calls, with the
 * message and remote error recorded in h. */
int zr_rpc_parse_response(zr_rpc_t *h, const char *body, size_t len, uint64_t id, json_t **result);
int zr_rpc_parse_batch(zr_rpc_t *h, const char *body, size_t len, uint64_t first_id,
                       zr_rpc_batch_item_t *items, size_t n);

/* ---- quantities ------------------------------------------------------------------------
 * 256-bit values (wei, balances, fees) are 32-byte big-endian buffers. JSON-RPC writes
 * quantities as "0x" + hex without leading zeros ("0x0" for zero). Parsing accepts
 * "0x" followed by 1..64 hex digits (leading zeros tolerated); anything else is ZR_EPARSE
 * (ZR_ERANGE for more than 256/64 bits). */
#define ZR_RPC_U256_HEX_CAP 67 /* "0x" + 64 digits + NUL */
#define ZR_RPC_U256_DEC_CAP 79 /* 78 digits + NUL */

int zr_rpc_u256_parse(uint8_t out[32], const char *s);
int zr_rpc_u64_parse(uint64_t *out, const char *s);
/* Parses a decimal string or a 0x-hex string ("1000000000000000000", "0xde0b6b3a7640000"). */
int zr_rpc_u256_parse_any(uint8_t out[32], const char *s);
void zr_rpc_u256_format(char out[ZR_RPC_U256_HEX_CAP], const uint8_t in[32]);
void zr_rpc_u64_format(char out[19], uint64_t v);
void zr_rpc_u256_to_dec(char out[ZR_RPC_U256_DEC_CAP], const uint8_t in[32]);
void zr_rpc_u256_from_u64(uint8_t out[32], uint64_t v);
/* 0 and *out set when in fits in 64 bits, else ZR_ERANGE. */
int zr_rpc_u256_to_u64(uint64_t *out, const uint8_t in[32]);
/* out = a + b, out = a - b, out = a * m; ZR_ERANGE on overflow or underflow (out is then
 * unspecified). */
int zr_rpc_u256_add(uint8_t out[32], const uint8_t a[32], const uint8_t b[32]);
int zr_rpc_u256_sub(uint8_t out[32], const uint8_t a[32], const uint8_t b[32]);
int zr_rpc_u256_mul_u64(uint8_t out[32], const uint8_t a[32], uint64_t m);
/* -1, 0, 1 as a <, ==, > b. */
int zr_rpc_u256_cmp(const uint8_t a[32], const uint8_t b[32]);

/* ---- typed eth_* helpers ---------------------------------------------------------------
 * block: a tag ("latest", "pending", "earliest", "safe", "finalized") or a quantity
 * ("0x1b4"; zr_rpc_u64_format); NULL means "latest". Addresses are 20 bytes. */
int zr_rpc_chain_id(zr_rpc_t *h, uint64_t *out);
int zr_rpc_block_number(zr_rpc_t *h, uint64_t *out);
int zr_rpc_get_balance(zr_rpc_t *h, uint8_t out[32], const uint8_t addr[20], const char *block);
/* eth_getTransactionCount: block "pending" for the next nonce including the mempool. */
int zr_rpc_get_nonce(zr_rpc_t *h, uint64_t *out, const uint8_t addr[20], const char *block);
int zr_rpc_gas_price(zr_rpc_t *h, uint8_t out[32]);
int zr_rpc_max_priority_fee(zr_rpc_t *h, uint8_t out[32]);
/* The base fee of the next block from eth_feeHistory (its last baseFeePerGas entry). */
int zr_rpc_base_fee(zr_rpc_t *h, uint8_t out[32]);
/* Appends the code at addr to out (bounded by out->max). */
int zr_rpc_get_code(zr_rpc_t *h, zr_buf_t *out, const uint8_t addr[20], const char *block);

/* A message call for eth_call and eth_estimateGas; NULL/0 members are omitted. */
typedef struct zr_rpc_callmsg {
    const uint8_t *from;  /* 20 bytes or NULL */
    const uint8_t *to;    /* 20 bytes, or NULL for contract creation */
    const uint8_t *data;
    size_t data_len;
    const uint8_t *value; /* 32 bytes or NULL */
    uint64_t gas;         /* 0: omitted */
} zr_rpc_callmsg_t;

/* eth_call: appends the returned bytes to out. A revert is ZR_EREVERTED with the revert
 * data in zr_rpc_revert_data(h) and the decoded reason in zr_rpc_errmsg(h). */
int zr_rpc_eth_call(zr_rpc_t *h, zr_buf_t *out, const zr_rpc_callmsg_t *msg, const char *block);
int zr_rpc_estimate_gas(zr_rpc_t *h, uint64_t *out, const zr_rpc_callmsg_t *msg);
/* eth_sendRawTransaction; the hash the node returns goes to hash. */
int zr_rpc_send_raw(zr_rpc_t *h, uint8_t hash[32], const uint8_t *raw, size_t raw_len);

/* Decodes revert data into text: Error(string) → the string, Panic(uint256) → "panic 0x..",
 * anything else → "custom error 0x<selector>" (or "no reason" when empty). Always writes a
 * NUL-terminated string into out (cap ≥ 1). */
void zr_rpc_revert_reason(char *out, size_t cap, const uint8_t *data, size_t len);

typedef struct zr_rpc_log {
    uint8_t address[20];
    uint8_t topics[4][32];
    size_t n_topics;
    uint8_t *data; /* malloc'ed; NULL when data_len is 0 */
    size_t data_len;
    uint64_t block_number;
    uint8_t block_hash[32];
    uint8_t tx_hash[32];
    uint64_t tx_index;
    uint64_t log_index;
    int removed;
} zr_rpc_log_t;

/* A growable list of logs (zr_rpc_logs_init / zr_rpc_logs_cleanup). */
typedef struct zr_rpc_logs {
    zr_rpc_log_t *v;
    size_t n;
    size_t cap;
} zr_rpc_logs_t;

void zr_rpc_logs_init(zr_rpc_logs_t *l);
void zr_rpc_logs_cleanup(zr_rpc_logs_t *l);
/* Parses one JSON log object (as in receipts and eth_getLogs) and appends it to l. */
int zr_rpc_logs_append_json(zr_rpc_logs_t *l, const json_t *log);

typedef struct zr_rpc_receipt {
    uint8_t tx_hash[32];
    uint8_t block_hash[32];
    uint64_t block_number;
    uint64_t tx_index;
    int status; /* 1 success, 0 reverted */
    uint8_t from[20];
    uint8_t to[20];
    int has_to;
    uint8_t contract_address[20];
    int has_contract_address;
    uint64_t gas_used;
    uint64_t cumulative_gas_used;
    uint8_t effective_gas_price[32];
    zr_rpc_logs_t logs;
} zr_rpc_receipt_t;

void zr_rpc_receipt_init(zr_rpc_receipt_t *r);
void zr_rpc_receipt_cleanup(zr_rpc_receipt_t *r);
/* Fills r from a receipt JSON object; ZR_ERPCRESP when a member is missing or mistyped. */
int zr_rpc_receipt_from_json(zr_rpc_receipt_t *r, const json_t *j);
/* eth_getTransactionReceipt; ZR_ENOENT while the transaction is not mined (null answer).
 * r must be initialised; it is cleaned up and refilled. */
int zr_rpc_get_receipt(zr_rpc_t *h, zr_rpc_receipt_t *r, const uint8_t hash[32]);

typedef struct zr_rpc_block {
    uint64_t number;
    uint8_t hash[32];
    uint8_t parent_hash[32];
    uint64_t timestamp;
    uint64_t gas_limit;
    uint64_t gas_used;
    uint8_t base_fee[32];
    int has_base_fee; /* 0 on pre-London chains */
} zr_rpc_block_t;

/* eth_getBlockByNumber(block, false); ZR_ENOENT when the node has no such block. */
int zr_rpc_get_block(zr_rpc_t *h, zr_rpc_block_t *out, const char *block);

/* An eth_getLogs filter over [from_block, to_block]. topics[i] is a list of n_topics[i]
 * alternatives for position i (0 alternatives: any value). */
typedef struct zr_rpc_filter {
    uint64_t from_block;
    uint64_t to_block;
    const uint8_t (*addresses)[20];
    size_t n_addresses;
    const uint8_t (*topics[4])[32];
    size_t n_topics[4];
    uint64_t max_range; /* blocks per request (default 2000 when 0) */
} zr_rpc_filter_t;

/* eth_getLogs over the filter's range, split into requests of at most max_range blocks;
 * when the node refuses a range as too large (or the answer exceeds max_response) the
 * range is halved and retried, down to one block. Logs are appended to out in chain order.
 * On failure the logs of the ranges already fetched stay in out. */
int zr_rpc_get_logs(zr_rpc_t *h, zr_rpc_logs_t *out, const zr_rpc_filter_t *f);
/* Number of eth_getLogs requests the last zr_rpc_get_logs made. */
int zr_rpc_get_logs_requests(const zr_rpc_t *h);

/* ---- sending transactions ---------------------------------------------------------------
 * A wallet signs with one private key (copied; wiped by zr_rpc_wallet_free) and sends
 * through a handle it borrows (the handle must outlive the wallet; same thread rules).
 * Nonces: the wallet keeps a local next nonce that starts from the pending transaction
 * count; it resyncs from the node when the node says the nonce is too low/high or already
 * known (and re-signs once), and after any failed send. Fees: EIP-1559 by default with
 * maxPriorityFeePerGas from the node (or eth_gasPrice − base fee when the node lacks
 * eth_maxPriorityFeePerGas) and maxFeePerGas = 2 × the latest base fee + priority;
 * legacy EIP-155 transactions use eth_gasPrice. Gas: estimated with headroom unless given. */
typedef struct zr_rpc_wallet zr_rpc_wallet_t;

typedef struct zr_rpc_txreq {
    const uint8_t *to;    /* 20 bytes, or NULL to create a contract */
    const uint8_t *data;
    size_t data_len;
    const uint8_t *value; /* 32 bytes or NULL for 0 */
    uint64_t gas_limit;   /* 0: eth_estimateGas × (100 + headroom)% */
    int legacy;           /* 1: a legacy EIP-155 transaction instead of EIP-1559 */
} zr_rpc_txreq_t;

/* NULL when sk is not a valid key or out of memory. */
zr_rpc_wallet_t *zr_rpc_wallet_new(zr_rpc_t *h, const uint8_t sk[32]);
void zr_rpc_wallet_free(zr_rpc_wallet_t *w);
/* The wallet's address (20 bytes, owned by w). */
const uint8_t *zr_rpc_wallet_address(const zr_rpc_wallet_t *w);
/* Gas headroom in percent over the estimate (default 20); receipt wait limits (default
 * 60000 ms total, polling every 100 ms). */
void zr_rpc_wallet_set_gas_headroom(zr_rpc_wallet_t *w, unsigned percent);
void zr_rpc_wallet_set_wait(zr_rpc_wallet_t *w, long timeout_ms, long poll_ms);
/* The nonce the next transaction will use (fetched from the node when not known yet). */
int zr_rpc_wallet_next_nonce(zr_rpc_wallet_t *w, uint64_t *out);
/* Forgets the local nonce: the next send asks the node again. */
void zr_rpc_wallet_resync(zr_rpc_wallet_t *w);

/* Fills, signs and sends one transaction; its hash goes to hash. A gas estimate that
 * reverts is ZR_EREVERTED before anything is sent. */
int zr_rpc_wallet_send(zr_rpc_wallet_t *w, uint8_t hash[32], const zr_rpc_txreq_t *req);
/* Polls eth_getTransactionReceipt until the transaction is mined or timeout_ms passes
 * (ZR_ETIMEOUT). Transport errors while polling are tolerated until the timeout. */
int zr_rpc_wait_receipt(zr_rpc_t *h, zr_rpc_receipt_t *r, const uint8_t hash[32], long timeout_ms,
                        long poll_ms);
/* zr_rpc_wallet_send then wait for the receipt (r must be initialised). A receipt with
 * status 0 is ZR_EREVERTED; the call is replayed with eth_call at the receipt's block to
 * put the decoded revert reason in zr_rpc_errmsg (and the data in zr_rpc_revert_data). */
int zr_rpc_wallet_transact(zr_rpc_wallet_t *w, zr_rpc_receipt_t *r, const zr_rpc_txreq_t *req);
/* Deploys init code (creation bytecode with constructor arguments appended) and writes the
 * new contract's address; r (may be NULL) receives the receipt. */
int zr_rpc_wallet_deploy(zr_rpc_wallet_t *w, uint8_t addr[20], zr_rpc_receipt_t *r, const uint8_t *code,
                         size_t code_len, const uint8_t *value);

/* ---- anvil test-chain helpers (anvil/hardhat methods) ---------------------------------- */
int zr_rpc_anvil_mine(zr_rpc_t *h, uint64_t blocks);
int zr_rpc_anvil_increase_time(zr_rpc_t *h, uint64_t seconds);

#endif
