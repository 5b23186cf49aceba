/* SPDX-License-Identifier: MIT
 * RLP (Ethereum's Recursive Length Prefix) encoding and strict decoding.
 *
 * Encoding appends to a bounded zr_buf_t (ZR_ETOOBIG past its maximum; ZR_ENOMEM).
 * Lists are built in place: remember zr_rlp_list_begin's mark, append the items, then
 * zr_rlp_list_end(mark) inserts the list header in front of them.
 *
 * Decoding is zero-copy: a zr_rlp_item_t points into the caller's input, which must
 * outlive it. zr_rlp_decode checks the whole tree once and accepts only the canonical
 * encoding: a single byte below 0x80 must be encoded as itself, short forms must be used
 * below 56 bytes, long-form lengths have no leading zero bytes, every length stays inside
 * its parent, nesting is at most ZR_RLP_MAX_DEPTH deep, and nothing follows the top item.
 * Every failure is ZR_ERLP with a message (offset and reason) in err when err is non-NULL;
 * integer accessors also reject leading zeros (ZR_ERLP) and too-large values (ZR_ERANGE). */
#ifndef ZARA_RLP_H
#define ZARA_RLP_H

#include <stddef.h>
#include <stdint.h>

#include "zara/common.h"

#define ZR_RLP_MAX_DEPTH 64

/* ---- encoding --------------------------------------------------------------------------- */

/* A byte string. */
int zr_rlp_encode_bytes(zr_buf_t *out, const void *p, size_t n);
/* A NUL-terminated string as a byte string. */
int zr_rlp_encode_str(zr_buf_t *out, const char *s);
/* An unsigned integer: big-endian without leading zeros (0 is the empty string). */
int zr_rlp_encode_uint(zr_buf_t *out, uint64_t v);
/* A big-endian unsigned integer of n bytes (for uint256: n = 32); leading zeros dropped. */
int zr_rlp_encode_uint_be(zr_buf_t *out, const uint8_t *be, size_t n);
/* Appends an already encoded item as it is (no checks). */
int zr_rlp_encode_raw(zr_buf_t *out, const void *p, size_t n);
/* Starts a list: *mark remembers where its payload begins. */
int zr_rlp_list_begin(zr_buf_t *out, size_t *mark);
/* Ends the list started at mark: inserts the header before the payload appended since. */
int zr_rlp_list_end(zr_buf_t *out, size_t mark);

/* ---- decoding --------------------------------------------------------------------------- */

typedef struct zr_rlp_item {
    const uint8_t *raw;  /* the whole encoding of this item (header + payload) */
    size_t raw_len;
    const uint8_t *data; /* the payload: the bytes of a string, the items of a list */
    size_t len;
    int is_list;
} zr_rlp_item_t;

/* Decodes and validates the single item that fills in[0..in_len). */
int zr_rlp_decode(zr_rlp_item_t *item, const uint8_t *in, size_t in_len, char *err, size_t err_cap);

/* Decodes and validates the first item of in[0..in_len) and stores how many bytes it took
 * in *used (trailing bytes are left for the caller). */
int zr_rlp_decode_prefix(zr_rlp_item_t *item, size_t *used, const uint8_t *in, size_t in_len,
                         char *err, size_t err_cap);

/* Iteration over the items of a list item that zr_rlp_decode returned (or one of its
 * descendants). */
typedef struct zr_rlp_iter {
    const uint8_t *p;
    const uint8_t *end;
} zr_rlp_iter_t;

/* ZR_ERLP when list is not a list. */
int zr_rlp_iter_init(zr_rlp_iter_t *it, const zr_rlp_item_t *list);
/* Stores the next item and returns 1, returns 0 at the end of the list, or ZR_ERLP. */
int zr_rlp_iter_next(zr_rlp_iter_t *it, zr_rlp_item_t *item);

/* Stores the items of a list in items[0..*count). ZR_ERLP when list is not a list or
 * has more than cap items. */
int zr_rlp_list_items(const zr_rlp_item_t *list, zr_rlp_item_t *items, size_t cap, size_t *count);

/* A string item as an unsigned integer of at most 8 bytes. ZR_ERLP for a list or a leading
 * zero byte, ZR_ERANGE for more than 8 bytes. */
int zr_rlp_item_uint(const zr_rlp_item_t *item, uint64_t *out);
/* A string item as a 256-bit unsigned integer, written big-endian and left-padded into
 * out[32]. ZR_ERLP for a list or a leading zero byte, ZR_ERANGE for more than 32 bytes. */
int zr_rlp_item_uint256(const zr_rlp_item_t *item, uint8_t out[32]);

#endif
