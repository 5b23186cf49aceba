// SPDX-License-Identifier: MIT
// The local store and the verifying reader: round trips, then every way a stored object can
// be wrong — a tampered block, a truncated DAG, the block of another file under a CID, an
// object over the size cap, UnixFS sizes that lie, a DAG too deep, an unreachable back end
// — each refused with its own error and message, leaving no output file and nothing cached.
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zt.h"
#include "store_int.h"

static uint8_t *pattern(size_t n, uint32_t seed)
{
    uint8_t *p = malloc(n ? n : 1);
    uint32_t x = seed * 2654435761u + 1;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = (uint8_t)x;
    }
    return p;
}

static zr_store_t *open_store(const char *dir, uint64_t max, const char *api)
{
    zr_store_config_t cfg = {.dir = dir, .max_object = max, .ipfs_api = api, .timeout_ms = 3000};
    zr_store_t *s = NULL;
    char err[256];
    int rc = zr_store_open(&s, &cfg, err, sizeof err);
    if (rc)
        fail_msg("open %s: %s", dir, err);
    return s;
}

static int count_files(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char p[2048];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
            n += count_files(p);
        else
            n++;
    }
    closedir(d);
    return n;
}

/* Writes a block straight into the store directory under the CID it hashes to. */
static void raw_put(zr_store_t *s, zr_cid_t *cid, uint32_t codec, const uint8_t *b, size_t n)
{
    char path[2048];
    zr_cid_of_block(cid, codec, b, n);
    assert_int_equal(zr_store_block_path(s, cid, path, sizeof path), 0);
    char dir[2048];
    snprintf(dir, sizeof dir, "%s", path);
    *strrchr(dir, '/') = 0;
    assert_int_equal(zr_mkdirs(dir, 0755), 0);
    assert_int_equal(zr_file_write_atomic(path, b, n, 0644), 0);
}

static void test_roundtrip(void **state)
{
    (void)state;
    char *dir = zt_tmpdir();
    zr_store_t *s = open_store(dir, 0, NULL);
    static const size_t sizes[] = {0, 1, 262144, 600000};
    for (size_t i = 0; i < ZR_ARRAY_LEN(sizes); i++) {
        uint8_t *data = pattern(sizes[i], (uint32_t)i + 1);
        zr_cid_t cid, want;
        assert_int_equal(zr_store_put_buf(s, data, sizes[i], &cid), 0);
        assert_int_equal(zr_import_buf(data, sizes[i], NULL, NULL, &want), 0);
        assert_true(zr_cid_equal(&cid, &want));
        assert_true(zr_store_has_block(s, &cid));
        zr_buf_t out;
        zr_buf_init(&out, 1u << 24);
        assert_int_equal(zr_store_get_buf(s, &cid, &out), 0);
        assert_int_equal(out.len, sizes[i]);
        if (sizes[i])
            assert_memory_equal(out.data, data, sizes[i]);
        zr_buf_cleanup(&out);
        /* through a file, and put_file of that file gives the same CID */
        char path[1024];
        snprintf(path, sizeof path, "%s/out-%zu", dir, i);
        uint64_t size;
        assert_int_equal(zr_store_get_file(s, &cid, path, &size), 0);
        assert_true(size == sizes[i]);
        zr_cid_t again;
        assert_int_equal(zr_store_put_file(s, path, 1, &again, &size), 0);
        assert_true(zr_cid_equal(&cid, &again));
        unlink(path);
        free(data);
    }
    /* a second store on the same directory sees the same objects */
    zr_store_free(s);
    s = open_store(dir, 0, NULL);
    uint8_t *data = pattern(600000, 4);
    zr_cid_t cid;
    assert_int_equal(zr_import_buf(data, 600000, NULL, NULL, &cid), 0);
    zr_buf_t out;
    zr_buf_init(&out, 1u << 24);
    assert_int_equal(zr_store_get_buf(s, &cid, &out), 0);
    assert_memory_equal(out.data, data, 600000);
    zr_buf_cleanup(&out);
    free(data);
    zr_store_free(s);
    zt_rmtree(dir);
    free(dir);
}

/* The first raw leaf of the 600000-byte object, for tampering. */
static void first_leaf(const uint8_t *data, zr_cid_t *leaf)
{
    zr_cid_of_block(leaf, ZR_CID_RAW, data, ZR_IMPORT_CHUNK);
}

static void test_tampered_block(void **state)
{
    (void)state;
    char *dir = zt_tmpdir();
    zr_store_t *s = open_store(dir, 0, NULL);
    uint8_t *data = pattern(600000, 7);
    zr_cid_t cid, leaf;
    assert_int_equal(zr_store_put_buf(s, data, 600000, &cid), 0);
    first_leaf(data, &leaf);
    char path[2048];
    assert_int_equal(zr_store_block_path(s, &leaf, path, sizeof path), 0);
    uint8_t *bad = malloc(ZR_IMPORT_CHUNK);
    memcpy(bad, data, ZR_IMPORT_CHUNK);
    bad[1000] ^= 1; /* one bit */
    assert_int_equal(zr_file_write_atomic(path, bad, ZR_IMPORT_CHUNK, 0644), 0);
    char out[1024];
    snprintf(out, sizeof out, "%s/fetched", dir);
    assert_int_equal(zr_store_get_file(s, &cid, out, NULL), ZR_EHASHMISMATCH);
    assert_non_null(strstr(zr_store_errmsg(s), "corrupt"));
    assert_int_equal(access(out, F_OK), -1);     /* no partial output */
    assert_false(zr_store_has_block(s, &leaf)); /* the corrupt copy is gone */
    /* a damaged copy that is still there is replaced by the next put, not trusted */
    assert_int_equal(zr_file_write_atomic(path, bad, ZR_IMPORT_CHUNK, 0644), 0);
    zr_cid_t again0;
    assert_int_equal(zr_store_put_buf(s, data, 600000, &again0), 0);
    zr_buf_t blk;
    zr_buf_init(&blk, 1u << 20);
    assert_int_equal(zr_file_read(path, blk.max, &blk), 0);
    assert_int_equal(zr_cid_verify(&leaf, blk.data, blk.len), 0);
    zr_buf_cleanup(&blk);
    unlink(path);
    /* storing the file again repairs it */
    zr_cid_t again;
    assert_int_equal(zr_store_put_buf(s, data, 600000, &again), 0);
    assert_int_equal(zr_store_get_file(s, &cid, out, NULL), 0);
    free(bad);
    free(data);
    zr_store_free(s);
    zt_rmtree(dir);
    free(dir);
}

static void test_truncated_dag(void **state)
{
    (void)state;
    char *dir = zt_tmpdir();
    zr_store_t *s = open_store(dir, 0, NULL);
    uint8_t *data = pattern(600000, 8);
    zr_cid_t cid, leaf;
    assert_int_equal(zr_store_put_buf(s, data, 600000, &cid), 0);
    first_leaf(data, &leaf);
    char path[2048];
    assert_int_equal(zr_store_block_path(s, &leaf, path, sizeof path), 0);
    assert_int_equal(unlink(path), 0);
    zr_buf_t out;
    zr_buf_init(&out, 1u << 24);
    assert_int_equal(zr_store_get_buf(s, &cid, &out), ZR_ENOTFOUND);
    assert_non_null(strstr(zr_store_errmsg(s), "not in the local store"));
    zr_buf_cleanup(&out);
    /* a root that is not there at all */
    zr_cid_t nothing;
    zr_cid_of_block(&nothing, ZR_CID_DAGPB, (const uint8_t *)"x", 1);
    zr_buf_init(&out, 1u << 24);
    assert_int_equal(zr_store_get_buf(s, &nothing, &out), ZR_ENOTFOUND);
    zr_buf_cleanup(&out);
    free(data);
    zr_store_free(s);
    zt_rmtree(dir);
    free(dir);
}

static void test_cid_of_another_file(void **state)
{
    (void)state;
    char *dir = zt_tmpdir();
    zr_store_t *s = open_store(dir, 0, NULL);
    uint8_t *a = pattern(600000, 9), *b = pattern(600000, 10);
    zr_cid_t ca, cb;
    assert_int_equal(zr_store_put_buf(s, a, 600000, &ca), 0);
    assert_int_equal(zr_store_put_buf(s, b, 600000, &cb), 0);
    char pa[2048], pb[2048];
    assert_int_equal(zr_store_block_path(s, &ca, pa, sizeof pa), 0);
    assert_int_equal(zr_store_block_path(s, &cb, pb, sizeof pb), 0);
    zr_buf_t blk;
    zr_buf_init(&blk, 1u << 20);
    assert_int_equal(zr_file_read(pb, blk.max, &blk), 0);
    assert_int_equal(zr_file_write_atomic(pa, blk.data, blk.len, 0644), 0); /* B's root under A's CID */
    zr_buf_t out;
    zr_buf_init(&out, 1u << 24);
    assert_int_equal(zr_store_get_buf(s, &ca, &out), ZR_EHASHMISMATCH);
    assert_int_equal(out.len, 0);
    zr_buf_cleanup(&out);
    zr_buf_cleanup(&blk);
    free(a);
    free(b);
    zr_store_free(s);
    zt_rmtree(dir);
    free(dir);
}

static void test_size_cap(void **state)
{
    (void)state;
    char *dir = zt_tmpdir();
    zr_store_t *big = open_store(dir, 0, NULL), *small = open_store(dir, 300000, NULL);
    uint8_t *data = pattern(600000, 11);
    zr_cid_t cid;
    assert_int_equal(zr_store_put_buf(small, data, 600000, &cid), ZR_EOBJTOOBIG);
    char path[1024];
    snprintf(path, sizeof path, "%s/input", dir);
    assert_int_equal(zr_file_write_atomic(path, data, 600000, 0644), 0);
    int before = count_files(dir);
    assert_int_equal(zr_store_put_file(small, path, 0, &cid, NULL), ZR_EOBJTOOBIG);
    assert_non_null(strstr(zr_store_errmsg(small), "size cap"));
    assert_int_equal(count_files(dir), before); /* nothing stored */
    assert_int_equal(zr_store_put_buf(big, data, 600000, &cid), 0);
    char out[1024];
    snprintf(out, sizeof out, "%s/fetched", dir);
    assert_int_equal(zr_store_get_file(small, &cid, out, NULL), ZR_EOBJTOOBIG);
    assert_int_equal(access(out, F_OK), -1);
    zr_buf_t got;
    zr_buf_init(&got, 1u << 24);
    assert_int_equal(zr_store_get_buf(small, &cid, &got), ZR_EOBJTOOBIG);
    assert_int_equal(got.len, 0); /* refused from the root's filesize, before any byte */
    zr_buf_cleanup(&got);
    assert_int_equal(zr_store_get_file(big, &cid, out, NULL), 0);
    free(data);
    zr_store_free(big);
    zr_store_free(small);
    zt_rmtree(dir);
    free(dir);
}

static void test_lying_unixfs(void **state)
{
    (void)state;
    char *dir = zt_tmpdir();
    zr_store_t *s = open_store(dir, 0, NULL);
    zr__child_t ch[2];
    raw_put(s, &ch[0].cid, ZR_CID_RAW, (const uint8_t *)"hello ", 6);
    raw_put(s, &ch[1].cid, ZR_CID_RAW, (const uint8_t *)"world", 5);
    uint8_t node[512];
    uint64_t total;
    zr_buf_t out;
    zr_cid_t root;
    /* honest node first */
    ch[0].filesize = ch[0].tsize = 6;
    ch[1].filesize = ch[1].tsize = 5;
    size_t n = zr__filenode_encode(node, ch, 2, &total);
    raw_put(s, &root, ZR_CID_DAGPB, node, n);
    zr_buf_init(&out, 1024);
    assert_int_equal(zr_store_get_buf(s, &root, &out), 0);
    assert_int_equal(out.len, 11);
    assert_memory_equal(out.data, "hello world", 11);
    zr_buf_cleanup(&out);
    /* a blocksize that does not match its child */
    ch[1].filesize = 4;
    n = zr__filenode_encode(node, ch, 2, &total);
    raw_put(s, &root, ZR_CID_DAGPB, node, n);
    zr_buf_init(&out, 1024);
    assert_int_equal(zr_store_get_buf(s, &root, &out), ZR_EUNIXFS);
    assert_non_null(strstr(zr_store_errmsg(s), "blocksize"));
    zr_buf_cleanup(&out);
    /* a directory is not a file */
    size_t len;
    uint8_t *dirnode = zt_unhex("0a020801", &len);
    raw_put(s, &root, ZR_CID_DAGPB, dirnode, len);
    free(dirnode);
    zr_buf_init(&out, 1024);
    assert_int_equal(zr_store_get_buf(s, &root, &out), ZR_EUNIXFS);
    zr_buf_cleanup(&out);
    /* a dag-pb node that is not valid dag-pb */
    raw_put(s, &root, ZR_CID_DAGPB, (const uint8_t *)"\x0a\x05\x08", 3);
    zr_buf_init(&out, 1024);
    assert_int_equal(zr_store_get_buf(s, &root, &out), ZR_EDAGPB);
    zr_buf_cleanup(&out);
    /* a chain of single-link nodes deeper than the reader accepts */
    zr__child_t c = ch[0];
    c.filesize = c.tsize = 6;
    for (int i = 0; i < 40; i++) {
        n = zr__filenode_encode(node, &c, 1, &total);
        raw_put(s, &c.cid, ZR_CID_DAGPB, node, n);
        c.tsize += n;
    }
    zr_buf_init(&out, 1024);
    assert_int_equal(zr_store_get_buf(s, &c.cid, &out), ZR_EDAGPB);
    assert_non_null(strstr(zr_store_errmsg(s), "deeper"));
    zr_buf_cleanup(&out);
    zr_store_free(s);
    zt_rmtree(dir);
    free(dir);
}

static void test_unreachable_backend(void **state)
{
    (void)state;
    char *dir = zt_tmpdir();
    char api[64];
    snprintf(api, sizeof api, "http://127.0.0.1:%d", zt_free_port()); /* nothing listens */
    zr_store_t *s = open_store(dir, 0, api);
    zr_cid_t cid;
    zr_cid_of_block(&cid, ZR_CID_RAW, (const uint8_t *)"absent", 6);
    zr_buf_t out;
    zr_buf_init(&out, 1024);
    assert_int_equal(zr_store_get_buf(s, &cid, &out), ZR_EGATEWAY);
    assert_non_null(strstr(zr_store_errmsg(s), api));
    zr_buf_cleanup(&out);
    char staging[1100];
    snprintf(staging, sizeof staging, "%s/staging", dir);
    assert_int_equal(count_files(staging), 0);
    zr_store_free(s);
    /* bad URLs are refused when opening */
    zr_store_config_t cfg = {.dir = dir, .gateway = "ftp://example"};
    char err[256];
    assert_int_equal(zr_store_open(&s, &cfg, err, sizeof err), ZR_EINVAL);
    assert_null(s);
    assert_non_null(strstr(err, "gateway"));
    zt_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_tampered_block),
        cmocka_unit_test(test_truncated_dag),
        cmocka_unit_test(test_cid_of_another_file),
        cmocka_unit_test(test_size_cap),
        cmocka_unit_test(test_lying_unixfs),
        cmocka_unit_test(test_unreachable_backend),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
