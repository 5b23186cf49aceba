// SPDX-License-Identifier: MIT
// Reads a file back from its DAG: fetches each block through a caller's function,
// verifies it against the CID that named it before looking inside, checks the UnixFS
// structure and sizes, and streams the file's bytes out in order. Nothing is trusted that
// was not hashed first.
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "store_int.h"

#define MAX_DEPTH 32

typedef struct walk {
    zr_block_get_fn get;
    void *get_ud;
    zr_write_fn write;
    void *write_ud;
    uint64_t max;
    uint64_t written;
    char *err;
    size_t err_cap;
} walk_t;

/* Keeps the first (innermost) message: a get callback may already have written one. */
static int fail_with(walk_t *w, int rc, const zr_cid_t *cid, const char *fmt, ...)
{
    if (w->err && w->err_cap && w->err[0] == 0) {
        char c[ZR_CID_STR_MAX];
        int n = snprintf(w->err, w->err_cap, "block %s: ", zr_cid_format(c, cid));
        if (n >= 0 && (size_t)n < w->err_cap) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(w->err + n, w->err_cap - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return rc;
}

static int emit(walk_t *w, const zr_cid_t *cid, const uint8_t *p, size_t n)
{
    if (n == 0)
        return 0;
    if (w->max && (n > w->max || w->written > w->max - n))
        return fail_with(w, ZR_EOBJTOOBIG, cid, "file exceeds the size cap of %llu bytes",
                         (unsigned long long)w->max);
    int rc = w->write ? w->write(w->write_ud, p, n) : 0;
    if (rc)
        return fail_with(w, rc, cid, "cannot write the output: %s", zr_strerror(rc));
    w->written += n;
    return 0;
}

static int walk(walk_t *w, const zr_cid_t *cid, int depth, uint64_t *produced)
{
    zr_buf_t blk;
    zr_dagpb_node_t node = {0};
    zr_unixfs_t fs = {0};
    int rc;
    *produced = 0;
    if (depth > MAX_DEPTH)
        return fail_with(w, ZR_EDAGPB, cid, "DAG deeper than %d levels", MAX_DEPTH);
    if (cid->codec != ZR_CID_RAW && cid->codec != ZR_CID_DAGPB)
        return fail_with(w, ZR_EUNSUPPORTED, cid, "codec 0x%x is not a file block", cid->codec);
    zr_buf_init(&blk, ZR_STORE_MAX_BLOCK);
    if ((rc = w->get(w->get_ud, cid, &blk)) != 0) {
        rc = fail_with(w, rc, cid, "%s", rc == ZR_ENOTFOUND ? "missing (the DAG is incomplete)" : zr_strerror(rc));
        goto fail;
    }
    if (zr_cid_verify(cid, blk.data, blk.len) != 0) {
        rc = fail_with(w, ZR_EHASHMISMATCH, cid, "the %zu bytes received do not hash to this CID", blk.len);
        goto fail;
    }
    if (cid->codec == ZR_CID_RAW) {
        rc = emit(w, cid, blk.data, blk.len);
        *produced = blk.len;
        goto fail;
    }
    if ((rc = zr_dagpb_decode(&node, blk.data, blk.len)) != 0) {
        rc = fail_with(w, rc, cid, "malformed dag-pb node");
        goto fail;
    }
    if (!node.data || (rc = zr_unixfs_decode(&fs, node.data, node.data_len)) != 0) {
        rc = fail_with(w, ZR_EUNIXFS, cid, "dag-pb node without valid UnixFS data");
        goto fail;
    }
    if (fs.type != ZR_UNIXFS_FILE && fs.type != ZR_UNIXFS_RAW) {
        rc = fail_with(w, ZR_EUNIXFS, cid, "UnixFS type %d is not a file", fs.type);
        goto fail;
    }
    if (fs.n_blocksizes != node.n_links) {
        rc = fail_with(w, ZR_EUNIXFS, cid, "%zu links but %zu blocksizes", node.n_links, fs.n_blocksizes);
        goto fail;
    }
    uint64_t sum = fs.data_len;
    for (size_t i = 0; i < fs.n_blocksizes; i++) {
        if (fs.blocksizes[i] > UINT64_MAX - sum) {
            rc = fail_with(w, ZR_EUNIXFS, cid, "blocksizes overflow");
            goto fail;
        }
        sum += fs.blocksizes[i];
    }
    if (fs.has_filesize && fs.filesize != sum) {
        rc = fail_with(w, ZR_EUNIXFS, cid, "filesize %llu but data and blocksizes add up to %llu",
                       (unsigned long long)fs.filesize, (unsigned long long)sum);
        goto fail;
    }
    if (w->max && sum > w->max - w->written) {
        rc = fail_with(w, ZR_EOBJTOOBIG, cid, "file of %llu bytes exceeds the size cap of %llu bytes",
                       (unsigned long long)(w->written + sum), (unsigned long long)w->max);
        goto fail;
    }
    if ((rc = emit(w, cid, fs.data, fs.data_len)) != 0)
        goto fail;
    for (size_t i = 0; i < node.n_links; i++) {
        uint64_t got;
        if ((rc = walk(w, &node.links[i].cid, depth + 1, &got)) != 0)
            goto fail;
        if (got != fs.blocksizes[i]) {
            rc = fail_with(w, ZR_EUNIXFS, cid, "link %zu yields %llu bytes, blocksize says %llu", i,
                           (unsigned long long)got, (unsigned long long)fs.blocksizes[i]);
            goto fail;
        }
    }
    *produced = sum;
    rc = 0;
fail:
    zr_unixfs_cleanup(&fs);
    zr_dagpb_node_cleanup(&node);
    zr_buf_cleanup(&blk);
    return rc;
}

int zr_dag_read(const zr_cid_t *root, uint64_t max_size, zr_block_get_fn get, void *get_ud,
                zr_write_fn write, void *write_ud, uint64_t *size, char *err, size_t err_cap)
{
    walk_t w = {.get = get, .get_ud = get_ud, .write = write, .write_ud = write_ud,
                .max = max_size, .err = err, .err_cap = err_cap};
    if (err && err_cap)
        err[0] = 0;
    uint64_t produced;
    int rc = walk(&w, root, 0, &produced);
    if (rc == 0 && size)
        *size = produced;
    return rc;
}
