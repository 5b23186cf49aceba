// SPDX-License-Identifier: MIT
// The UnixFS importer layout of `ipfs add --cid-version=1`: fixed 256 KiB chunks as raw
// leaves, grouped by at most 174 into dag-pb file nodes, level by level (the "balanced"
// layout of ipfs-unixfs-importer). Streaming: one chunk buffer and at most 174 pending
// children per level, whatever the file size.
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_int.h"

#define MAX_LEVELS 12 /* 174^11 chunks is far beyond 2^64 bytes */

struct zr_importer {
    zr_block_sink_fn sink;
    void *ud;
    uint8_t *chunk;
    size_t chunk_size;
    size_t chunk_len;
    uint64_t total;
    uint64_t n_leaves;
    int finished;
    uint8_t *node;
    size_t counts[MAX_LEVELS];
    zr__child_t levels[MAX_LEVELS][ZR_IMPORT_FANOUT];
};

zr_importer_t *zr__importer_new_chunked(zr_block_sink_fn sink, void *ud, size_t chunk_size)
{
    if (chunk_size == 0 || chunk_size > ZR_STORE_MAX_BLOCK)
        return NULL;
    zr_importer_t *im = calloc(1, sizeof *im);
    if (!im)
        return NULL;
    im->sink = sink;
    im->ud = ud;
    im->chunk_size = chunk_size;
    im->chunk = malloc(chunk_size);
    im->node = malloc(zr__filenode_max(ZR_IMPORT_FANOUT));
    if (!im->chunk || !im->node) {
        zr_importer_free(im);
        return NULL;
    }
    return im;
}

zr_importer_t *zr_importer_new(zr_block_sink_fn sink, void *ud)
{
    return zr__importer_new_chunked(sink, ud, ZR_IMPORT_CHUNK);
}

void zr_importer_free(zr_importer_t *im)
{
    if (!im)
        return;
    free(im->chunk);
    free(im->node);
    free(im);
}

static int push(zr_importer_t *im, size_t level, const zr__child_t *c);

/* Replaces the children of level by one file node over them, one level up. */
static int reduce(zr_importer_t *im, size_t level)
{
    if (level + 1 >= MAX_LEVELS)
        return ZR_ERANGE;
    zr__child_t parent;
    size_t n = im->counts[level];
    size_t len = zr__filenode_encode(im->node, im->levels[level], n, &parent.filesize);
    zr_cid_of_block(&parent.cid, ZR_CID_DAGPB, im->node, len);
    parent.tsize = len;
    for (size_t i = 0; i < n; i++)
        parent.tsize += im->levels[level][i].tsize;
    im->counts[level] = 0;
    if (im->sink) {
        int rc = im->sink(im->ud, &parent.cid, im->node, len);
        if (rc)
            return rc;
    }
    return push(im, level + 1, &parent);
}

static int push(zr_importer_t *im, size_t level, const zr__child_t *c)
{
    im->levels[level][im->counts[level]++] = *c;
    /* a full group is final whatever follows: reducing it now keeps memory bounded */
    if (im->counts[level] == ZR_IMPORT_FANOUT)
        return reduce(im, level);
    return 0;
}

static int leaf(zr_importer_t *im, const uint8_t *data, size_t len)
{
    zr__child_t c;
    zr_cid_of_block(&c.cid, ZR_CID_RAW, data, len);
    c.tsize = c.filesize = len;
    im->n_leaves++;
    if (im->sink) {
        int rc = im->sink(im->ud, &c.cid, data, len);
        if (rc)
            return rc;
    }
    return push(im, 0, &c);
}

int zr_importer_update(zr_importer_t *im, const void *data, size_t len)
{
    const uint8_t *p = data;
    if (im->finished)
        return ZR_ESTATE;
    while (len) {
        int rc;
        if (im->chunk_len == 0 && len >= im->chunk_size) {
            if ((rc = leaf(im, p, im->chunk_size)) != 0)
                return rc;
            p += im->chunk_size;
            len -= im->chunk_size;
            im->total += im->chunk_size;
            continue;
        }
        size_t take = im->chunk_size - im->chunk_len;
        if (take > len)
            take = len;
        memcpy(im->chunk + im->chunk_len, p, take);
        im->chunk_len += take;
        im->total += take;
        p += take;
        len -= take;
        if (im->chunk_len == im->chunk_size) {
            im->chunk_len = 0;
            if ((rc = leaf(im, im->chunk, im->chunk_size)) != 0)
                return rc;
        }
    }
    return 0;
}

int zr_importer_final(zr_importer_t *im, zr_cid_t *root, uint64_t *size)
{
    int rc;
    if (im->finished)
        return ZR_ESTATE;
    im->finished = 1;
    /* the chunker emits the tail, and one empty chunk for an empty file */
    if (im->chunk_len > 0 || im->n_leaves == 0) {
        if ((rc = leaf(im, im->chunk, im->chunk_len)) != 0)
            return rc;
        im->chunk_len = 0;
    }
    for (size_t k = 0; k < MAX_LEVELS; k++) {
        if (im->counts[k] == 0)
            continue;
        int higher = 0;
        for (size_t j = k + 1; j < MAX_LEVELS; j++)
            higher |= im->counts[j] != 0;
        if (im->counts[k] == 1 && !higher) {
            *root = im->levels[k][0].cid;
            if (size)
                *size = im->total;
            return 0;
        }
        if ((rc = reduce(im, k)) != 0)
            return rc;
    }
    return ZR_ESTATE; /* unreachable: the loop always ends at a single root */
}

int zr_import_buf(const void *data, size_t len, zr_block_sink_fn sink, void *ud, zr_cid_t *root)
{
    zr_importer_t *im = zr_importer_new(sink, ud);
    if (!im)
        return ZR_ENOMEM;
    int rc = zr_importer_update(im, data, len);
    if (rc == 0)
        rc = zr_importer_final(im, root, NULL);
    zr_importer_free(im);
    return rc;
}

int zr_import_file(const char *path, uint64_t max_size, zr_block_sink_fn sink, void *ud,
                   zr_cid_t *root, uint64_t *size)
{
    int rc = 0;
    uint8_t *buf = NULL;
    zr_importer_t *im = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? ZR_ENOENT : ZR_EIO;
    struct stat st;
    if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
        rc = ZR_EIO;
        goto fail;
    }
    if (max_size && S_ISREG(st.st_mode) && (uint64_t)st.st_size > max_size) {
        rc = ZR_EOBJTOOBIG;
        goto fail;
    }
    buf = malloc(ZR_IMPORT_CHUNK);
    im = zr_importer_new(sink, ud);
    if (!buf || !im) {
        rc = ZR_ENOMEM;
        goto fail;
    }
    uint64_t total = 0;
    for (;;) {
        size_t got = 0;
        while (got < ZR_IMPORT_CHUNK) {
            ssize_t n = read(fd, buf + got, ZR_IMPORT_CHUNK - got);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0) {
                rc = ZR_EIO;
                goto fail;
            }
            if (n == 0)
                break;
            got += (size_t)n;
        }
        total += got;
        if (max_size && total > max_size) {
            rc = ZR_EOBJTOOBIG; /* the file grew, or is a pipe */
            goto fail;
        }
        if (got && (rc = zr_importer_update(im, buf, got)) != 0)
            goto fail;
        if (got < ZR_IMPORT_CHUNK)
            break;
    }
    rc = zr_importer_final(im, root, size);
fail:
    zr_importer_free(im);
    free(buf);
    close(fd);
    return rc;
}
