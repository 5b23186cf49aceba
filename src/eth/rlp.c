// SPDX-License-Identifier: MIT
// RLP encoding into bounded buffers and a strict, zero-copy decoder that accepts only the
// canonical encoding (Ethereum yellow paper, appendix B). The whole tree is validated by
// zr_rlp_decode, so iterating over an item it returned afterwards only re-reads headers
// that are already known to be sound.
#include <stdio.h>
#include <string.h>

#include "zara/rlp.h"

/* ---- encoding --------------------------------------------------------------------------- */

/* Writes the header for a payload of len bytes with the given short-form base (0x80 for
 * strings, 0xc0 for lists) into hdr; returns its size (1..9). */
static size_t header(uint8_t hdr[9], size_t len, uint8_t base)
{
    if (len < 56) {
        hdr[0] = (uint8_t)(base + len);
        return 1;
    }
    uint8_t be[8];
    size_t n = 0;
    for (size_t v = len; v; v >>= 8)
        n++;
    for (size_t i = 0; i < n; i++)
        be[i] = (uint8_t)(len >> (8 * (n - 1 - i)));
    hdr[0] = (uint8_t)(base + 55 + n);
    memcpy(hdr + 1, be, n);
    return 1 + n;
}

int zr_rlp_encode_bytes(zr_buf_t *out, const void *p, size_t n)
{
    const uint8_t *b = p;
    if (n == 1 && b[0] < 0x80)
        return zr_buf_append_byte(out, b[0]);
    uint8_t hdr[9];
    size_t h = header(hdr, n, 0x80);
    int rc = zr_buf_reserve(out, h + n);
    if (rc)
        return rc;
    zr_buf_append(out, hdr, h);
    return n ? zr_buf_append(out, p, n) : 0;
}

int zr_rlp_encode_str(zr_buf_t *out, const char *s)
{
    return zr_rlp_encode_bytes(out, s, strlen(s));
}

int zr_rlp_encode_uint_be(zr_buf_t *out, const uint8_t *be, size_t n)
{
    while (n && be[0] == 0) {
        be++;
        n--;
    }
    return zr_rlp_encode_bytes(out, be, n);
}

int zr_rlp_encode_uint(zr_buf_t *out, uint64_t v)
{
    uint8_t be[8];
    for (int i = 0; i < 8; i++)
        be[i] = (uint8_t)(v >> (56 - 8 * i));
    return zr_rlp_encode_uint_be(out, be, 8);
}

int zr_rlp_encode_raw(zr_buf_t *out, const void *p, size_t n)
{
    return zr_buf_append(out, p, n);
}

int zr_rlp_list_begin(zr_buf_t *out, size_t *mark)
{
    *mark = out->len;
    return 0;
}

int zr_rlp_list_end(zr_buf_t *out, size_t mark)
{
    if (mark > out->len)
        return ZR_EINVAL;
    uint8_t hdr[9];
    size_t payload = out->len - mark;
    size_t h = header(hdr, payload, 0xc0);
    int rc = zr_buf_reserve(out, h);
    if (rc)
        return rc;
    memmove(out->data + mark + h, out->data + mark, payload);
    memcpy(out->data + mark, hdr, h);
    out->len += h;
    out->data[out->len] = 0;
    return 0;
}

/* ---- decoding --------------------------------------------------------------------------- */

typedef struct dec {
    const uint8_t *base; /* start of the whole input, for offsets in messages */
    char *err;
    size_t err_cap;
} dec_t;

static int fail(const dec_t *d, const uint8_t *at, const char *why)
{
    if (d && d->err && d->err_cap)
        snprintf(d->err, d->err_cap, "RLP: %s at offset %zu", why, (size_t)(at - d->base));
    return ZR_ERLP;
}

/* Reads one item header at p (inside [p, end)): sets the item, advances *next past it.
 * Validates canonical form but not the children of a list. */
static int read_header(const dec_t *d, const uint8_t *p, const uint8_t *end, zr_rlp_item_t *it,
                       const uint8_t **next)
{
    if (p >= end)
        return fail(d, p, "truncated: expected an item");
    size_t avail = (size_t)(end - p);
    uint8_t b = p[0];
    size_t hlen, plen;
    int is_list = b >= 0xc0;
    if (b < 0x80) {
        hlen = 0;
        plen = 1;
    } else if (b <= 0xb7 || (b >= 0xc0 && b <= 0xf7)) {
        hlen = 1;
        plen = (size_t)(b - (is_list ? 0xc0 : 0x80));
    } else {
        size_t ll = (size_t)(b - (is_list ? 0xf7 : 0xb7));
        if (ll > sizeof(size_t) || ll > 8)
            return fail(d, p, "length of length too large");
        if (avail < 1 + ll)
            return fail(d, p, "truncated: length bytes missing");
        if (p[1] == 0)
            return fail(d, p, "non-canonical: leading zero in length");
        plen = 0;
        for (size_t i = 0; i < ll; i++)
            plen = (plen << 8) | p[1 + i];
        if (plen < 56)
            return fail(d, p, "non-canonical: long form used for a length below 56");
        hlen = 1 + ll;
    }
    if (plen > avail - hlen)
        return fail(d, p, "truncated: payload extends past its container");
    if (!is_list && hlen == 1 && plen == 1 && p[1] < 0x80)
        return fail(d, p, "non-canonical: single byte below 0x80 with a string header");
    it->raw = p;
    it->raw_len = hlen + plen;
    it->data = p + hlen;
    it->len = plen;
    it->is_list = is_list;
    *next = p + hlen + plen;
    return 0;
}

static int validate(const dec_t *d, const zr_rlp_item_t *it, int depth)
{
    if (!it->is_list)
        return 0;
    if (depth >= ZR_RLP_MAX_DEPTH)
        return fail(d, it->raw, "lists nested too deeply");
    const uint8_t *p = it->data, *end = it->data + it->len;
    while (p < end) {
        zr_rlp_item_t child;
        int rc = read_header(d, p, end, &child, &p);
        if (rc)
            return rc;
        if ((rc = validate(d, &child, depth + 1)) != 0)
            return rc;
    }
    return 0;
}

int zr_rlp_decode_prefix(zr_rlp_item_t *item, size_t *used, const uint8_t *in, size_t in_len,
                         char *err, size_t err_cap)
{
    dec_t d = {in, err, err_cap};
    const uint8_t *next;
    zr_rlp_item_t it;
    int rc = read_header(&d, in, in + in_len, &it, &next);
    if (rc == 0)
        rc = validate(&d, &it, 0);
    if (rc)
        return rc;
    *item = it;
    *used = (size_t)(next - in);
    return 0;
}

int zr_rlp_decode(zr_rlp_item_t *item, const uint8_t *in, size_t in_len, char *err, size_t err_cap)
{
    size_t used;
    zr_rlp_item_t it;
    int rc = zr_rlp_decode_prefix(&it, &used, in, in_len, err, err_cap);
    if (rc)
        return rc;
    if (used != in_len) {
        dec_t d = {in, err, err_cap};
        return fail(&d, in + used, "trailing bytes after the item");
    }
    *item = it;
    return 0;
}

int zr_rlp_iter_init(zr_rlp_iter_t *it, const zr_rlp_item_t *list)
{
    if (!list->is_list)
        return ZR_ERLP;
    it->p = list->data;
    it->end = list->data + list->len;
    return 0;
}

int zr_rlp_iter_next(zr_rlp_iter_t *it, zr_rlp_item_t *item)
{
    if (it->p >= it->end)
        return 0;
    int rc = read_header(NULL, it->p, it->end, item, &it->p);
    return rc ? rc : 1;
}

int zr_rlp_list_items(const zr_rlp_item_t *list, zr_rlp_item_t *items, size_t cap, size_t *count)
{
    zr_rlp_iter_t it;
    int rc = zr_rlp_iter_init(&it, list);
    if (rc)
        return rc;
    size_t n = 0;
    zr_rlp_item_t x;
    while ((rc = zr_rlp_iter_next(&it, &x)) == 1) {
        if (n == cap)
            return ZR_ERLP;
        items[n++] = x;
    }
    if (rc)
        return rc;
    *count = n;
    return 0;
}

int zr_rlp_item_uint(const zr_rlp_item_t *item, uint64_t *out)
{
    if (item->is_list || (item->len > 0 && item->data[0] == 0))
        return ZR_ERLP;
    if (item->len > 8)
        return ZR_ERANGE;
    uint64_t v = 0;
    for (size_t i = 0; i < item->len; i++)
        v = (v << 8) | item->data[i];
    *out = v;
    return 0;
}

int zr_rlp_item_uint256(const zr_rlp_item_t *item, uint8_t out[32])
{
    if (item->is_list || (item->len > 0 && item->data[0] == 0))
        return ZR_ERLP;
    if (item->len > 32)
        return ZR_ERANGE;
    memset(out, 0, 32);
    if (item->len)
        memcpy(out + 32 - item->len, item->data, item->len);
    return 0;
}
