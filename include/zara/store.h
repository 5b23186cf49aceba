/* SPDX-License-Identifier: MIT
 * Content-addressed storage that matches IPFS (DESIGN.md §4): CIDv1 parse/format, the
 * dag-pb and UnixFS codecs, the importer layout of `ipfs add --cid-version=1` (raw leaves,
 * 256 KiB chunks, balanced DAG of at most 174 links per node), a reader that walks such a
 * DAG verifying every block against its CID, and a store that puts files into a local
 * directory (and optionally an IPFS node) and fetches them from the local directory, an
 * IPFS RPC API and a trustless HTTP gateway, in that order, caching what it verified.
 * Errors: ZR_ECID, ZR_EDAGPB, ZR_EUNIXFS, ZR_EHASHMISMATCH, ZR_ENOTFOUND, ZR_EGATEWAY,
 * ZR_EOBJTOOBIG, ZR_ETIMEOUT, ZR_EIO, ZR_ENOMEM; the store keeps a message for the last
 * error (zr_store_errmsg). */
#ifndef ZARA_STORE_H
#define ZARA_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "zara/common.h"

/* ---- CIDs ------------------------------------------------------------------------------
 * What `ipfs add` produces: multihash sha2-256 (32-byte digest), multicodec raw (0x55) or
 * dag-pb (0x70). CIDv1 is the native form (text: multibase base32 lower case, 'b'); parsing
 * also accepts base32 upper case ('B'), base58btc ('z', what js-ipfs prints by default) and
 * CIDv0 ("Qm…", dag-pb only), so that files added with older defaults can be fetched. */
#define ZR_CID_RAW 0x55u
#define ZR_CID_DAGPB 0x70u
#define ZR_CID_BYTES 36      /* binary CID: 0x01 codec 0x12 0x20 digest[32] */
#define ZR_CID_STR_MAX 64    /* text form is 59 characters; room for the NUL */

typedef struct zr_cid {
    uint32_t codec;     /* ZR_CID_RAW or ZR_CID_DAGPB */
    uint8_t digest[32]; /* sha2-256 of the block */
    uint8_t v0;         /* 1 for a CIDv0 (dag-pb, base58btc "Qm…"); 0 for CIDv1 */
} zr_cid_t;

/* Parses a text CID. ZR_ECID when malformed (bad multibase, varint, length),
 * ZR_EUNSUPPORTED for other multibases, codecs or hash functions. */
int zr_cid_parse(zr_cid_t *out, const char *s);
/* Parses a binary CID that must fill exactly len bytes. Same errors as zr_cid_parse. */
int zr_cid_decode(zr_cid_t *out, const uint8_t *b, size_t len);
/* Writes the binary form (36 bytes, 34 for a CIDv0); returns its length. */
size_t zr_cid_encode(uint8_t out[ZR_CID_BYTES], const zr_cid_t *cid);
/* Writes the canonical text form and a NUL — base32 "bafk…" / "bafy…" for CIDv1,
 * base58btc "Qm…" for CIDv0 — and returns out. */
char *zr_cid_format(char out[ZR_CID_STR_MAX], const zr_cid_t *cid);
/* The CIDv1 of the same block (a CIDv0 becomes dag-pb CIDv1; a CIDv1 is copied). */
void zr_cid_to_v1(zr_cid_t *out, const zr_cid_t *cid);
/* The CID of a block: sha2-256 of data under the given codec. */
void zr_cid_of_block(zr_cid_t *out, uint32_t codec, const uint8_t *data, size_t len);
/* 0 when sha2-256(data) is cid's digest, ZR_EHASHMISMATCH otherwise. */
int zr_cid_verify(const zr_cid_t *cid, const uint8_t *data, size_t len);
/* 1 when equal (same version, codec and digest), else 0. */
int zr_cid_equal(const zr_cid_t *a, const zr_cid_t *b);

/* ---- dag-pb and UnixFS -----------------------------------------------------------------
 * Strict, bounded decoders (no allocation beyond the link/blocksize arrays, which the
 * caller frees with the matching cleanup). Pointers into the input stay valid as long as
 * the input does. */
#define ZR_DAGPB_MAX_LINKS 8192
#define ZR_STORE_MAX_BLOCK (2u << 20) /* largest block accepted from anywhere */

typedef struct zr_dagpb_link {
    zr_cid_t cid;
    const uint8_t *name; /* NULL when absent */
    size_t name_len;
    uint64_t tsize;
    int has_tsize;
} zr_dagpb_link_t;

typedef struct zr_dagpb_node {
    zr_dagpb_link_t *links;
    size_t n_links;
    const uint8_t *data; /* NULL when absent */
    size_t data_len;
} zr_dagpb_node_t;

/* Decodes a dag-pb block (links before data, each field at most once, no unknown fields:
 * the canonical form). ZR_EDAGPB on malformed input, ZR_EUNSUPPORTED when a link's CID is
 * not one zr_cid_decode accepts, ZR_ENOMEM. */
int zr_dagpb_decode(zr_dagpb_node_t *out, const uint8_t *buf, size_t len);
void zr_dagpb_node_cleanup(zr_dagpb_node_t *n);

enum {
    ZR_UNIXFS_RAW = 0,
    ZR_UNIXFS_DIRECTORY = 1,
    ZR_UNIXFS_FILE = 2,
    ZR_UNIXFS_METADATA = 3,
    ZR_UNIXFS_SYMLINK = 4,
    ZR_UNIXFS_HAMT = 5,
};

typedef struct zr_unixfs {
    int type;            /* ZR_UNIXFS_* */
    const uint8_t *data; /* inline file data, NULL when absent */
    size_t data_len;
    uint64_t filesize;
    int has_filesize;
    uint64_t *blocksizes; /* one per link of a file node */
    size_t n_blocksizes;
} zr_unixfs_t;

/* Decodes the Data field of a dag-pb node as UnixFS. ZR_EUNIXFS when malformed. */
int zr_unixfs_decode(zr_unixfs_t *out, const uint8_t *buf, size_t len);
void zr_unixfs_cleanup(zr_unixfs_t *u);

/* ---- importer --------------------------------------------------------------------------
 * Builds the DAG of `ipfs add --cid-version=1` (ipfs-unixfs-importer defaults): the input
 * is cut into 262144-byte chunks, each a raw block; a file of one chunk is that block;
 * otherwise dag-pb nodes of UnixFS type File (filesize, one blocksize per link, links with
 * an empty Name and Tsize = the child's cumulative size) group at most 174 children, level
 * by level, until one root remains. Streaming: memory is bounded whatever the file size.
 * Every block is passed to sink (may be NULL) as soon as it is complete, children before
 * parents; a non-zero return from sink aborts the import with that code. */
#define ZR_IMPORT_CHUNK 262144u
#define ZR_IMPORT_FANOUT 174u

typedef int (*zr_block_sink_fn)(void *ud, const zr_cid_t *cid, const uint8_t *block, size_t len);
typedef struct zr_importer zr_importer_t;

/* NULL when out of memory. Free with zr_importer_free. */
zr_importer_t *zr_importer_new(zr_block_sink_fn sink, void *ud);
void zr_importer_free(zr_importer_t *im);
int zr_importer_update(zr_importer_t *im, const void *data, size_t len);
/* Finishes the DAG: *root is the file's CID, *size (may be NULL) its byte length. The
 * importer cannot be updated afterwards. */
int zr_importer_final(zr_importer_t *im, zr_cid_t *root, uint64_t *size);
/* Imports a whole file (read in chunk-sized pieces). ZR_ENOENT / ZR_EIO on read errors,
 * ZR_EOBJTOOBIG when the file exceeds max_size bytes (0 = no limit). */
int zr_import_file(const char *path, uint64_t max_size, zr_block_sink_fn sink, void *ud,
                   zr_cid_t *root, uint64_t *size);
int zr_import_buf(const void *data, size_t len, zr_block_sink_fn sink, void *ud, zr_cid_t *root);

/* ---- reader ----------------------------------------------------------------------------
 * Walks the DAG under root depth-first, fetching every block through get, verifying it
 * against its CID before decoding it, checking the UnixFS structure (file or raw nodes,
 * one blocksize per link, children that yield exactly their blocksize, filesize) and
 * handing the file's bytes to write in order. Refuses files over max_size (0 = no limit)
 * with ZR_EOBJTOOBIG before writing the bytes past it, DAGs deeper than 32 levels, blocks
 * over ZR_STORE_MAX_BLOCK. get fills out (bounded by out->max) with the block's bytes or
 * returns an error code; the reader owns no block after the call. err receives a message
 * naming the offending block. */
typedef int (*zr_block_get_fn)(void *ud, const zr_cid_t *cid, zr_buf_t *out);
typedef int (*zr_write_fn)(void *ud, const uint8_t *data, size_t len);

int zr_dag_read(const zr_cid_t *root, uint64_t max_size, zr_block_get_fn get, void *get_ud,
                zr_write_fn write, void *write_ud, uint64_t *size, char *err, size_t err_cap);

/* ---- store -----------------------------------------------------------------------------
 * A local directory of verified blocks (<dir>/blocks/<xy>/<cid>, written atomically)
 * plus remote back ends tried in order when a block is missing: the IPFS RPC API
 * (`/api/v0/block/get`; `put` also adds the file with `/api/v0/add?cid-version=1&
 * raw-leaves=true` and checks the node answers the same CID) and a trustless gateway
 * (`GET /ipfs/<cid>?format=raw`, Accept application/vnd.ipld.raw). Blocks fetched from
 * remote back ends are staged and enter the local directory only after the whole DAG
 * verified. Not thread-safe: one store per thread. */
typedef struct zr_store_config {
    const char *dir;         /* local store directory (required) */
    const char *ipfs_api;    /* e.g. "http://127.0.0.1:5001", or NULL */
    const char *gateway;     /* e.g. "http://127.0.0.1:8080", or NULL */
    uint64_t max_object;     /* size cap of one file in bytes; 0 = ZR_STORE_DEFAULT_MAX */
    long timeout_ms;         /* per HTTP request; 0 = 30000 */
} zr_store_config_t;

#define ZR_STORE_DEFAULT_MAX (1ull << 30)

typedef struct zr_store zr_store_t;

/* Opens (creating the directory when missing) a store. *out is freed with zr_store_free;
 * on failure *out is NULL and err (may be NULL) receives a message. */
int zr_store_open(zr_store_t **out, const zr_store_config_t *cfg, char *err, size_t err_cap);
void zr_store_free(zr_store_t *s);
/* The message of the last failed call ("" when none). */
const char *zr_store_errmsg(const zr_store_t *s);

/* Imports path into the local store; with an IPFS API configured and publish != 0 also
 * adds it to that node and fails with ZR_EGATEWAY unless the node answers the same CID. */
int zr_store_put_file(zr_store_t *s, const char *path, int publish, zr_cid_t *cid, uint64_t *size);
int zr_store_put_buf(zr_store_t *s, const void *data, size_t len, zr_cid_t *cid);
/* Fetches and verifies the file under cid, writing its bytes to write. From an IPFS API the
 * whole file is first asked with /api/v0/cat and kept only when re-importing it gives cid;
 * otherwise (and from gateways) block by block. ZR_ENOTFOUND when
 * a block is in no back end, ZR_EHASHMISMATCH when every source of a block answered
 * bytes that are not it, ZR_EOBJTOOBIG over the size cap. */
int zr_store_get(zr_store_t *s, const zr_cid_t *cid, zr_write_fn write, void *ud, uint64_t *size);
/* Same into a file written atomically (nothing at path unless the whole file verified). */
int zr_store_get_file(zr_store_t *s, const zr_cid_t *cid, const char *path, uint64_t *size);
/* Same into a buffer (appending, bounded by out->max). */
int zr_store_get_buf(zr_store_t *s, const zr_cid_t *cid, zr_buf_t *out);
/* 1 when the local directory holds the block of cid (not checking children), else 0. */
int zr_store_has_block(zr_store_t *s, const zr_cid_t *cid);
/* The path of cid's block in the local directory (whether or not it exists). */
int zr_store_block_path(const zr_store_t *s, const zr_cid_t *cid, char *out, size_t out_cap);

#endif
