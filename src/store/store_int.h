/* SPDX-License-Identifier: MIT
 * Private to src/store: protobuf varints, the dag-pb/UnixFS encoders the importer uses,
 * the bounded HTTP helper and the back-end interface of the store. */
#ifndef ZARA_STORE_INT_H
#define ZARA_STORE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "zara/store.h"

/* Unsigned LEB128 as protobuf and multiformats use it. Decoding rejects more than 10
 * bytes, values over 64 bits and (when minimal) non-minimal encodings; returns the number
 * of bytes consumed, 0 on error. */
size_t zr__varint_get(const uint8_t *p, size_t len, uint64_t *out, int minimal);
/* Writes v at out (room for 10 bytes); returns the length. */
size_t zr__varint_put(uint8_t *out, uint64_t v);
size_t zr__varint_len(uint64_t v);

/* One child of a file node as the importer keeps it. */
typedef struct zr__child {
    zr_cid_t cid;
    uint64_t tsize;    /* cumulative size of the child's DAG (PBLink.Tsize) */
    uint64_t filesize; /* bytes of file data under the child (UnixFS blocksize) */
} zr__child_t;

/* Upper bound of the encoding of a file node with n children. */
size_t zr__filenode_max(size_t n);
/* Encodes the dag-pb file node over children into out (capacity from zr__filenode_max);
 * returns the length. *filesize receives the sum of the children's filesizes. */
size_t zr__filenode_encode(uint8_t *out, const zr__child_t *ch, size_t n, uint64_t *filesize);

/* An importer with another chunk size (tests use tiny chunks to build deep DAGs cheaply;
 * everything else uses ZR_IMPORT_CHUNK). NULL for 0 or sizes over ZR_STORE_MAX_BLOCK. */
zr_importer_t *zr__importer_new_chunked(zr_block_sink_fn sink, void *ud, size_t chunk_size);

/* ---- HTTP (libcurl), every body bounded -------------------------------------------------- */
typedef struct zr__http_req {
    const char *method;      /* "GET" or "POST" */
    const char *url;
    const char *accept;      /* Accept header, or NULL */
    const char *upload_path; /* multipart/form-data file field "file", or NULL */
    long timeout_ms;         /* whole request; for uploads and streams, the longest stall */
    size_t max_body;         /* ZR_ETOOBIG past it */
    /* when set, a 200 answer's body goes here instead of into body; a non-zero return
     * aborts the transfer with that code */
    int (*stream)(void *ud, const uint8_t *data, size_t len);
    void *stream_ud;
} zr__http_req_t;

/* Performs the request; body receives the response body (bounded by max_body), *status
 * the HTTP status. ZR_ETIMEOUT when the deadline passes, ZR_EGATEWAY for transport errors,
 * ZR_ETOOBIG for an oversized body, the stream's code when it refused. err receives a
 * message. */
int zr__http(const zr__http_req_t *req, zr_buf_t *body, long *status, char *err, size_t err_cap);

/* ---- back ends ----------------------------------------------------------------------------
 * A remote source of blocks. get fills out with the bytes the remote claims are cid's
 * block (the store verifies them); put_file (NULL when read-only) adds a file and reports
 * the CID the remote computed; cat (optional) streams a whole file in one request, which
 * the store trusts only if re-importing it gives the CID asked for. */
typedef struct zr__backend {
    const char *kind; /* "ipfs-api", "gateway" */
    char base[512];   /* base URL without a trailing slash */
    long timeout_ms;
    int (*get)(struct zr__backend *b, const zr_cid_t *cid, zr_buf_t *out, char *err, size_t err_cap);
    int (*put_file)(struct zr__backend *b, const char *path, zr_cid_t *cid, char *err, size_t err_cap);
    /* streams the whole file under cid (unverified; NULL when the back end cannot) */
    int (*cat)(struct zr__backend *b, const zr_cid_t *cid, int (*write)(void *, const uint8_t *, size_t), void *ud,
               char *err, size_t err_cap);
} zr__backend_t;

int zr__backend_ipfs_api_init(zr__backend_t *b, const char *url, long timeout_ms);
int zr__backend_gateway_init(zr__backend_t *b, const char *url, long timeout_ms);

#endif
