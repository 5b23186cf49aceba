/* SPDX-License-Identifier: MIT
 * Ethereum transactions: legacy (with EIP-155 replay protection when chain_id != 0),
 * EIP-2930 (type 1) and EIP-1559 (type 2). Build one field by field, compute its signing
 * hash, sign it, serialise it to the raw bytes eth_sendRawTransaction takes, decode a raw
 * signed transaction, recover its sender and compute its hash.
 *
 * Amounts that can exceed 64 bits (value, gas prices) are 32-byte big-endian integers;
 * zr_tx_u256_from_u64 fills one from a uint64_t.
 *
 * Ownership: the caller owns the zr_tx_t (zr_tx_init / zr_tx_cleanup); the struct owns its
 * `data` and `access_list` allocations. */
#ifndef ZARA_TX_H
#define ZARA_TX_H

#include <stddef.h>
#include <stdint.h>

#include "zara/common.h"
#include "zara/ecdsa.h"

/* Upper bound on the calldata a transaction may carry (decoded or set). */
#define ZR_TX_MAX_DATA (4u << 20)

typedef enum zr_tx_type {
    ZR_TX_LEGACY = 0,
    ZR_TX_EIP2930 = 1,
    ZR_TX_EIP1559 = 2,
} zr_tx_type_t;

typedef struct zr_tx {
    zr_tx_type_t type;
    /* legacy: 0 means an unprotected (pre-EIP-155) transaction */
    uint64_t chain_id;
    uint64_t nonce;
    uint8_t gas_price[32];                /* legacy, type 1 */
    uint8_t max_priority_fee_per_gas[32]; /* type 2 */
    uint8_t max_fee_per_gas[32];          /* type 2 */
    uint64_t gas_limit;
    int has_to; /* 0: contract creation */
    uint8_t to[20];
    uint8_t value[32];
    uint8_t *data; /* calldata (owned, may be NULL when data_len is 0) */
    size_t data_len;
    /* types 1 and 2: the RLP encoding of the access list (owned; NULL means the empty
     * list 0xc0). Decoding keeps what it read so that re-encoding is byte-exact. */
    uint8_t *access_list;
    size_t access_list_len;
    /* signature */
    int is_signed;
    zr_sig_t sig; /* sig.v is the y parity (0/1) for every type */
} zr_tx_t;

/* Zeroes tx (legacy, chain 0, no data, unsigned). */
void zr_tx_init(zr_tx_t *tx);
/* Frees data and access list; tx may then be re-initialised. Accepts a zeroed struct. */
void zr_tx_cleanup(zr_tx_t *tx);

/* Writes v as a 32-byte big-endian integer. */
void zr_tx_u256_from_u64(uint8_t out[32], uint64_t v);

/* Copies data into the transaction (replacing any previous data). ZR_ETOOBIG past
 * ZR_TX_MAX_DATA. */
int zr_tx_set_data(zr_tx_t *tx, const void *data, size_t len);

/* Appends the unsigned payload whose keccak256 is signed (type byte included for typed
 * transactions; for EIP-155 legacy the [chain_id, 0, 0] suffix). */
int zr_tx_encode_unsigned(const zr_tx_t *tx, zr_buf_t *out);

/* keccak256 of zr_tx_encode_unsigned. */
int zr_tx_signing_hash(const zr_tx_t *tx, uint8_t out[32]);

/* Signs tx with sk (sets sig and is_signed). ZR_EBADKEY for an invalid key. */
int zr_tx_sign(zr_tx_t *tx, const uint8_t sk[32]);

/* Appends the raw signed transaction (what eth_sendRawTransaction takes: type byte ||
 * RLP for typed transactions, plain RLP for legacy). ZR_ESTATE when tx is not signed. */
int zr_tx_encode(const zr_tx_t *tx, zr_buf_t *out);

/* The transaction hash: keccak256 of zr_tx_encode. ZR_ESTATE when not signed. */
int zr_tx_hash(const zr_tx_t *tx, uint8_t out[32]);

/* Decodes a raw signed transaction into tx (which this initialises; call zr_tx_cleanup
 * afterwards even on failure). Accepts legacy (v = 27/28 or chain_id*2 + 35/36), type 1
 * and type 2; the encoding must be canonical RLP with exactly the fields of its type.
 * ZR_ETX (or ZR_ERLP) with a message in err; ZR_EUNSUPPORTED for other types (blob,
 * EIP-7702). */
int zr_tx_decode(zr_tx_t *tx, const uint8_t *raw, size_t len, char *err, size_t err_cap);

/* Recovers the sender of a signed transaction. ZR_ESTATE when not signed, ZR_EBADSIG or
 * ZR_EVERIFY for a bad signature. */
int zr_tx_sender(const zr_tx_t *tx, uint8_t addr[20]);

#endif
