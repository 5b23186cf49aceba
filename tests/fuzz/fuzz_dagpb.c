// SPDX-License-Identifier: MIT
// libFuzzer target for the dag-pb and UnixFS decoders and the DAG reader on top of them:
// the input is one dag-pb block; its links resolve to the input itself (so a hash check
// fails) or to nothing. Whatever the bytes, decoding must neither crash nor read out of
// bounds, and a decoded node must re-validate its own invariants.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zara/store.h"

typedef struct one_block {
    const uint8_t *data;
    size_t len;
} one_block_t;

static int get_block(void *ud, const zr_cid_t *cid, zr_buf_t *out)
{
    (void)cid;
    one_block_t *b = ud;
    return zr_buf_append(out, b->data, b->len);
}

static int sink(void *ud, const uint8_t *p, size_t n)
{
    (void)ud;
    (void)p;
    (void)n;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    zr_dagpb_node_t node;
    if (zr_dagpb_decode(&node, data, size) == 0) {
        if (node.n_links > ZR_DAGPB_MAX_LINKS)
            abort();
        if (node.data && (node.data < data || node.data + node.data_len > data + size))
            abort();
        zr_unixfs_t fs;
        if (node.data && zr_unixfs_decode(&fs, node.data, node.data_len) == 0) {
            if (fs.n_blocksizes > ZR_DAGPB_MAX_LINKS)
                abort();
            if (fs.data && (fs.data < node.data || fs.data + fs.data_len > node.data + node.data_len))
                abort();
            zr_unixfs_cleanup(&fs);
        }
        zr_dagpb_node_cleanup(&node);
    }
    /* the reader on this block as a root: it hashes first, then walks */
    zr_cid_t root;
    zr_cid_of_block(&root, ZR_CID_DAGPB, data, size);
    one_block_t b = {data, size};
    char err[256];
    zr_dag_read(&root, 1u << 20, get_block, &b, sink, NULL, NULL, err, sizeof err);
    /* and the CID parser on the bytes as text and binary */
    char text[128];
    size_t n = size < sizeof text - 1 ? size : sizeof text - 1;
    memcpy(text, data, n);
    text[n] = 0;
    zr_cid_parse(&root, text);
    zr_cid_decode(&root, data, size);
    return 0;
}
