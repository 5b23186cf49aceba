// SPDX-License-Identifier: MIT
// The two protobuf formats of an IPFS file DAG, written by hand and bounded: dag-pb
// (PBNode { repeated PBLink Links = 2; optional bytes Data = 1; }, canonical form with the
// links first) and UnixFS Data (Type, Data, filesize, blocksizes, ...). Decoders are
// strict where the dag-pb spec is, and never read past their input.
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

/* ---- dag-pb decoding ------------------------------------------------------------------ */

/* Reads a key and, for wire type 2, the length of the field that follows. */
static int pb_key(const uint8_t *p, size_t len, size_t *off, uint64_t *field, int *wt)
{
    uint64_t key;
    size_t n = zr__varint_get(p + *off, len - *off, &key, 0);
    if (n == 0)
        return -1;
    *off += n;
    *field = key >> 3;
    *wt = (int)(key & 7);
    return 0;
}

static int pb_bytes(const uint8_t *p, size_t len, size_t *off, const uint8_t **out, size_t *out_len)
{
    uint64_t l;
    size_t n = zr__varint_get(p + *off, len - *off, &l, 0);
    if (n == 0)
        return -1;
    *off += n;
    if (l > len - *off)
        return -1;
    *out = p + *off;
    *out_len = (size_t)l;
    *off += (size_t)l;
    return 0;
}

static int decode_link(zr_dagpb_link_t *lk, const uint8_t *p, size_t len)
{
    size_t off = 0;
    int last = 0, have_hash = 0;
    memset(lk, 0, sizeof *lk);
    while (off < len) {
        uint64_t field = 0;
        int wt = 0;
        if (pb_key(p, len, &off, &field, &wt) != 0)
            return ZR_EDAGPB;
        if (field < 1 || field > 3 || (int)field <= last)
            return ZR_EDAGPB; /* unknown, repeated or out of order */
        last = (int)field;
        if (field == 3) {
            if (wt != 0)
                return ZR_EDAGPB;
            size_t n = zr__varint_get(p + off, len - off, &lk->tsize, 0);
            if (n == 0)
                return ZR_EDAGPB;
            off += n;
            lk->has_tsize = 1;
            continue;
        }
        if (wt != 2)
            return ZR_EDAGPB;
        const uint8_t *b = NULL;
        size_t bl = 0;
        if (pb_bytes(p, len, &off, &b, &bl) != 0)
            return ZR_EDAGPB;
        if (field == 1) {
            int rc = zr_cid_decode(&lk->cid, b, bl);
            if (rc)
                return rc == ZR_EUNSUPPORTED ? rc : ZR_EDAGPB;
            have_hash = 1;
        } else {
            lk->name = b;
            lk->name_len = bl;
        }
    }
    return have_hash ? 0 : ZR_EDAGPB;
}

int zr_dagpb_decode(zr_dagpb_node_t *out, const uint8_t *buf, size_t len)
{
    memset(out, 0, sizeof *out);
    size_t off = 0, count = 0;
    int rc = ZR_EDAGPB;
    /* pass 1: structure and the number of links */
    int seen_data = 0;
    while (off < len) {
        uint64_t field = 0;
        int wt = 0;
        const uint8_t *b = NULL;
        size_t bl = 0;
        if (pb_key(buf, len, &off, &field, &wt) != 0 || wt != 2 ||
            pb_bytes(buf, len, &off, &b, &bl) != 0)
            return ZR_EDAGPB;
        if (field == 2) {
            if (seen_data)
                return ZR_EDAGPB; /* links after data */
            if (++count > ZR_DAGPB_MAX_LINKS)
                return ZR_EDAGPB;
        } else if (field == 1) {
            if (seen_data)
                return ZR_EDAGPB;
            seen_data = 1;
            out->data = b;
            out->data_len = bl;
        } else {
            return ZR_EDAGPB;
        }
    }
    if (count) {
        out->links = calloc(count, sizeof *out->links);
        if (!out->links)
            return ZR_ENOMEM;
    }
    /* pass 2: decode the links */
    off = 0;
    while (off < len && out->n_links < count) {
        uint64_t field = 0;
        int wt = 0;
        const uint8_t *b = NULL;
        size_t bl = 0;
        pb_key(buf, len, &off, &field, &wt);
        pb_bytes(buf, len, &off, &b, &bl);
        if (field != 2)
            continue;
        if ((rc = decode_link(&out->links[out->n_links], b, bl)) != 0)
            goto fail;
        out->n_links++;
    }
    return 0;
fail:
    zr_dagpb_node_cleanup(out);
    return rc;
}

void zr_dagpb_node_cleanup(zr_dagpb_node_t *n)
{
    if (!n)
        return;
    free(n->links);
    memset(n, 0, sizeof *n);
}

/* ---- UnixFS decoding ------------------------------------------------------------------- */

/* Skips one field of wire type wt; -1 on malformed input or group wire types. */
static int pb_skip(const uint8_t *p, size_t len, size_t *off, int wt)
{
    uint64_t v = 0;
    size_t n = 0;
    const uint8_t *b = NULL;
    switch (wt) {
    case 0:
        if ((n = zr__varint_get(p + *off, len - *off, &v, 0)) == 0)
            return -1;
        *off += n;
        return 0;
    case 1:
        if (len - *off < 8)
            return -1;
        *off += 8;
        return 0;
    case 2:
        return pb_bytes(p, len, off, &b, &n);
    case 5:
        if (len - *off < 4)
            return -1;
        *off += 4;
        return 0;
    default:
        return -1;
    }
}

int zr_unixfs_decode(zr_unixfs_t *out, const uint8_t *buf, size_t len)
{
    memset(out, 0, sizeof *out);
    int rc = ZR_EUNIXFS, have_type = 0;
    size_t count = 0;
    for (int pass = 0; pass < 2; pass++) {
        size_t off = 0;
        if (pass == 1 && count) {
            out->blocksizes = calloc(count, sizeof *out->blocksizes);
            if (!out->blocksizes)
                return ZR_ENOMEM;
        }
        while (off < len) {
            uint64_t field = 0, v = 0;
            int wt = 0;
            size_t n;
            if (pb_key(buf, len, &off, &field, &wt) != 0)
                goto fail;
            if (field == 1 || field == 3 || (field == 4 && wt == 0)) {
                if (wt != 0 || (n = zr__varint_get(buf + off, len - off, &v, 0)) == 0)
                    goto fail;
                off += n;
                if (field == 1) {
                    if (v > ZR_UNIXFS_HAMT)
                        goto fail;
                    out->type = (int)v;
                    have_type = 1;
                } else if (field == 3) {
                    out->filesize = v;
                    out->has_filesize = 1;
                } else if (pass == 0) {
                    if (++count > ZR_DAGPB_MAX_LINKS)
                        goto fail;
                } else {
                    out->blocksizes[out->n_blocksizes++] = v;
                }
            } else if (field == 4) { /* packed blocksizes */
                const uint8_t *b = NULL;
                size_t bl = 0, o2 = 0;
                if (wt != 2 || pb_bytes(buf, len, &off, &b, &bl) != 0)
                    goto fail;
                while (o2 < bl) {
                    if ((n = zr__varint_get(b + o2, bl - o2, &v, 0)) == 0)
                        goto fail;
                    o2 += n;
                    if (pass == 0) {
                        if (++count > ZR_DAGPB_MAX_LINKS)
                            goto fail;
                    } else {
                        out->blocksizes[out->n_blocksizes++] = v;
                    }
                }
            } else if (field == 2) {
                if (wt != 2 || pb_bytes(buf, len, &off, &out->data, &out->data_len) != 0)
                    goto fail;
            } else if (field == 0 || pb_skip(buf, len, &off, wt) != 0) {
                goto fail; /* hashType, fanout, mode, mtime and unknown fields are skipped */
            }
        }
    }
    if (!have_type)
        goto fail;
    return 0;
fail:
    zr_unixfs_cleanup(out);
    return rc;
}

void zr_unixfs_cleanup(zr_unixfs_t *u)
{
    if (!u)
        return;
    free(u->blocksizes);
    memset(u, 0, sizeof *u);
}

/* ---- file node encoding (the importer's) ------------------------------------------------
 * Byte for byte what @ipld/dag-pb and ipfs-unixfs write for a UnixFS file node: each link
 * is Hash, Name "" (present, empty), Tsize; then Data = { Type: File, filesize,
 * blocksizes... } with no inline data. */

size_t zr__filenode_max(size_t n)
{
    /* link: 2 (key+len) + 2+36 + 2 + 1+10; data: 1+10 + 2 + 1+10 + n*(1+10) */
    return n * 53 + 24 + n * 11 + 11;
}

size_t zr__filenode_encode(uint8_t *out, const zr__child_t *ch, size_t n, uint64_t *filesize)
{
    size_t o = 0;
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        size_t inner = 2 + ZR_CID_BYTES + 2 + 1 + zr__varint_len(ch[i].tsize);
        out[o++] = 0x12;
        o += zr__varint_put(out + o, inner);
        out[o++] = 0x0a;
        out[o++] = ZR_CID_BYTES;
        zr_cid_encode(out + o, &ch[i].cid); /* the importer's children are CIDv1 */
        o += ZR_CID_BYTES;
        out[o++] = 0x12;
        out[o++] = 0x00;
        out[o++] = 0x18;
        o += zr__varint_put(out + o, ch[i].tsize);
        total += ch[i].filesize;
    }
    size_t dlen = 2 + 1 + zr__varint_len(total);
    for (size_t i = 0; i < n; i++)
        dlen += 1 + zr__varint_len(ch[i].filesize);
    out[o++] = 0x0a;
    o += zr__varint_put(out + o, dlen);
    out[o++] = 0x08;
    out[o++] = ZR_UNIXFS_FILE;
    out[o++] = 0x18;
    o += zr__varint_put(out + o, total);
    for (size_t i = 0; i < n; i++) {
        out[o++] = 0x20;
        o += zr__varint_put(out + o, ch[i].filesize);
    }
    *filesize = total;
    return o;
}
