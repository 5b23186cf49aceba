// SPDX-License-Identifier: MIT
// The importer against IPFS implementations nobody here wrote: CIDs of deterministic files
// (empty, one byte, exactly 256 KiB, 256 KiB + 1, 174 and 175 chunks, a few MiB) must equal
// those of ipfs-unixfs-importer 17.1.1 and of the importer inside the `ipfs` 0.66.1 package
// (tests/support/ipfs-cid.mjs). Tiny chunks build three-level DAGs cheaply. The blocks the
// importer emits are checked for structure and read back through the verifying reader.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zt.h"
#include "store_int.h"

/* splitmix64: a deterministic byte stream per seed */
static void fill(uint8_t *p, size_t n, uint64_t seed)
{
    uint64_t x = seed;
    for (size_t i = 0; i < n; i++) {
        if ((i & 7) == 0) {
            x += 0x9e3779b97f4a7c15ull;
        }
        uint64_t z = x;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        z ^= z >> 31;
        p[i] = (uint8_t)(z >> (8 * (i & 7)));
    }
}

/* ---- an in-memory block map (open addressing on the digest) ---- */
typedef struct blk {
    zr_cid_t cid;
    uint8_t *data;
    size_t len;
    int used;
} blk_t;

typedef struct bmap {
    blk_t *slots;
    size_t cap, n, blocks_seen, max_links;
} bmap_t;

static blk_t *bmap_slot(bmap_t *m, const zr_cid_t *cid)
{
    uint64_t h;
    memcpy(&h, cid->digest, 8);
    for (size_t i = h % m->cap;; i = (i + 1) % m->cap)
        if (!m->slots[i].used || zr_cid_equal(&m->slots[i].cid, cid))
            return &m->slots[i];
}

static int bmap_put(void *ud, const zr_cid_t *cid, const uint8_t *data, size_t len)
{
    bmap_t *m = ud;
    m->blocks_seen++;
    /* every emitted block verifies, and file nodes respect the layout */
    assert_int_equal(zr_cid_verify(cid, data, len), 0);
    if (cid->codec == ZR_CID_DAGPB) {
        zr_dagpb_node_t node;
        zr_unixfs_t fs;
        assert_int_equal(zr_dagpb_decode(&node, data, len), 0);
        assert_true(node.n_links >= 1 && node.n_links <= ZR_IMPORT_FANOUT);
        assert_int_equal(zr_unixfs_decode(&fs, node.data, node.data_len), 0);
        assert_int_equal(fs.type, ZR_UNIXFS_FILE);
        assert_true(fs.has_filesize);
        assert_int_equal(fs.n_blocksizes, node.n_links);
        uint64_t sum = 0;
        for (size_t i = 0; i < fs.n_blocksizes; i++) {
            sum += fs.blocksizes[i];
            assert_true(node.links[i].has_tsize && node.links[i].name && node.links[i].name_len == 0);
            assert_true(node.links[i].tsize >= fs.blocksizes[i]);
        }
        assert_true(sum == fs.filesize);
        if (node.n_links > m->max_links)
            m->max_links = node.n_links;
        zr_unixfs_cleanup(&fs);
        zr_dagpb_node_cleanup(&node);
    }
    if (!m->slots)
        return 0; /* checking only */
    blk_t *s = bmap_slot(m, cid);
    if (s->used)
        return 0;
    assert_true(m->n < m->cap / 2);
    s->used = 1;
    s->cid = *cid;
    s->data = malloc(len ? len : 1);
    memcpy(s->data, data, len);
    s->len = len;
    m->n++;
    return 0;
}

static int bmap_get(void *ud, const zr_cid_t *cid, zr_buf_t *out)
{
    blk_t *s = bmap_slot(ud, cid);
    if (!s->used)
        return ZR_ENOTFOUND;
    return zr_buf_append(out, s->data, s->len);
}

static void bmap_init(bmap_t *m, size_t cap)
{
    memset(m, 0, sizeof *m);
    m->cap = cap;
    m->slots = cap ? calloc(cap, sizeof *m->slots) : NULL;
}

static void bmap_cleanup(bmap_t *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->slots[i].data);
    free(m->slots);
}

static int collect(void *ud, const uint8_t *p, size_t n)
{
    return zr_buf_append(ud, p, n);
}

/* Runs the node script on files and returns its CIDs, one per line, in out. */
static void reference_cids(const char *impl, size_t chunk, char *const *files, size_t n, char *out, size_t cap)
{
    char cmd[8192];
    int o = snprintf(cmd, sizeof cmd, "node '%s' --impl %s --chunk %zu", zt_src_path("tests/support/ipfs-cid.mjs"),
                     impl, chunk);
    for (size_t i = 0; i < n; i++)
        o += snprintf(cmd + o, sizeof cmd - (size_t)o, " '%s'", files[i]);
    int st = zt_run(out, cap, "%s", cmd);
    if (st != 0)
        fail_msg("the reference importer failed (%d): %s", st, cmd);
}

typedef struct spec {
    const char *name;
    size_t len;
    uint64_t seed; /* 0: all zero bytes */
} spec_t;

static void check_files(const spec_t *specs, size_t n, size_t chunk, int read_back)
{
    char *dir = zt_tmpdir();
    char *paths[16];
    char ours[16][ZR_CID_STR_MAX];
    assert_true(n <= 16);
    for (size_t i = 0; i < n; i++) {
        uint8_t *data = malloc(specs[i].len ? specs[i].len : 1);
        if (specs[i].seed)
            fill(data, specs[i].len, specs[i].seed);
        else
            memset(data, 0, specs[i].len);
        paths[i] = malloc(strlen(dir) + 64);
        sprintf(paths[i], "%s/%s", dir, specs[i].name);
        assert_int_equal(zr_file_write_atomic(paths[i], data, specs[i].len, 0644), 0);
        /* streaming in uneven pieces must not change anything */
        bmap_t m;
        bmap_init(&m, read_back ? 2 * (specs[i].len / chunk) + 64 : 0);
        zr_importer_t *im = zr__importer_new_chunked(bmap_put, &m, chunk);
        assert_non_null(im);
        size_t off = 0, step = 1;
        while (off < specs[i].len) {
            size_t take = specs[i].len - off < step ? specs[i].len - off : step;
            assert_int_equal(zr_importer_update(im, data + off, take), 0);
            off += take;
            step = step * 3 + 7;
        }
        zr_cid_t root, root2;
        uint64_t size;
        assert_int_equal(zr_importer_final(im, &root, &size), 0);
        assert_true(size == specs[i].len);
        assert_int_equal(zr_importer_update(im, "x", 1), ZR_ESTATE);
        zr_importer_free(im);
        assert_true(m.max_links <= ZR_IMPORT_FANOUT);
        zr_cid_format(ours[i], &root);
        if (chunk == ZR_IMPORT_CHUNK) {
            assert_int_equal(zr_import_file(paths[i], 0, NULL, NULL, &root2, &size), 0);
            assert_true(zr_cid_equal(&root, &root2) && size == specs[i].len);
            assert_int_equal(zr_import_buf(data, specs[i].len, NULL, NULL, &root2), 0);
            assert_true(zr_cid_equal(&root, &root2));
        }
        if (read_back) {
            zr_buf_t got;
            zr_buf_init(&got, 64u << 20);
            char err[256];
            uint64_t rsize;
            int rc = zr_dag_read(&root, 0, bmap_get, &m, collect, &got, &rsize, err, sizeof err);
            if (rc)
                fail_msg("reading back %s: %s", specs[i].name, err);
            assert_true(rsize == specs[i].len && got.len == specs[i].len);
            assert_memory_equal(got.data, data, specs[i].len);
            zr_buf_cleanup(&got);
        }
        bmap_cleanup(&m);
        free(data);
    }
    static const char *const impls[] = {"importer17", "jsipfs12"};
    for (size_t k = 0; k < ZR_ARRAY_LEN(impls); k++) {
        char out[4096];
        reference_cids(impls[k], chunk, paths, n, out, sizeof out);
        char *save = NULL, *line = strtok_r(out, "\n", &save);
        for (size_t i = 0; i < n; i++, line = strtok_r(NULL, "\n", &save)) {
            assert_non_null(line);
            if (strcmp(line, ours[i]) != 0)
                fail_msg("%s (%zu bytes, chunk %zu): %s says %s, we say %s", specs[i].name, specs[i].len, chunk,
                         impls[k], line, ours[i]);
        }
    }
    for (size_t i = 0; i < n; i++) {
        unlink(paths[i]);
        free(paths[i]);
    }
    zt_rmtree(dir);
    free(dir);
}

static void test_standard_layout(void **state)
{
    (void)state;
    const size_t C = ZR_IMPORT_CHUNK;
    const spec_t specs[] = {
        {"empty", 0, 1},
        {"one-byte", 1, 2},
        {"chunk", C, 3},
        {"chunk-plus-one", C + 1, 4},
        {"two-chunks", 2 * C, 5},
        {"few-mib", 3 * 1048576 + 12345, 6},
        {"zeros", 1048576, 0},
    };
    check_files(specs, ZR_ARRAY_LEN(specs), C, 1);
}

static void test_174_175_chunks(void **state)
{
    (void)state;
    const size_t C = ZR_IMPORT_CHUNK;
    const spec_t specs[] = {
        {"chunks-174", 174 * C, 7},
        {"chunks-175", 175 * C, 8},
    };
    check_files(specs, ZR_ARRAY_LEN(specs), C, 0);
}

static void test_deep_dags(void **state)
{
    (void)state;
    /* one-byte chunks: 174^2 leaves fill two levels exactly; one more needs a third */
    const spec_t specs[] = {
        {"leaves-173", 173, 9},
        {"leaves-174", 174, 10},
        {"leaves-175", 175, 11},
        {"leaves-30276", 174 * 174, 12},
        {"leaves-30277", 174 * 174 + 1, 13},
        {"leaves-30451", 174 * 175 + 1, 14},
    };
    check_files(specs, ZR_ARRAY_LEN(specs), 1, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_standard_layout),
        cmocka_unit_test(test_174_175_chunks),
        cmocka_unit_test(test_deep_dags),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
