// SPDX-License-Identifier: MIT
// The dag-pb and UnixFS decoders: the importer's file nodes round-trip, and the canonical
// form is enforced (links before data, no duplicate or unknown fields, a Hash in every
// link, lengths inside the input), byte strings written by hand from the dag-pb spec.
#include <stdlib.h>
#include <string.h>

#include "zt.h"
#include "store_int.h"

static void test_filenode_roundtrip(void **state)
{
    (void)state;
    zr__child_t ch[3];
    for (int i = 0; i < 3; i++) {
        uint8_t b = (uint8_t)i;
        zr_cid_of_block(&ch[i].cid, ZR_CID_RAW, &b, 1);
        ch[i].filesize = 100u + (uint64_t)i * 200000u;
        ch[i].tsize = ch[i].filesize + (uint64_t)i;
    }
    uint8_t buf[1024];
    uint64_t total;
    size_t n = zr__filenode_encode(buf, ch, 3, &total);
    assert_true(n <= zr__filenode_max(3));
    assert_true(total == 100 + 200100 + 400100);
    /* links first: the node starts with field 2 */
    assert_int_equal(buf[0], 0x12);
    zr_dagpb_node_t node;
    zr_unixfs_t fs;
    assert_int_equal(zr_dagpb_decode(&node, buf, n), 0);
    assert_int_equal(node.n_links, 3);
    assert_int_equal(zr_unixfs_decode(&fs, node.data, node.data_len), 0);
    assert_int_equal(fs.type, ZR_UNIXFS_FILE);
    assert_true(fs.has_filesize && fs.filesize == total);
    assert_null(fs.data);
    assert_int_equal(fs.n_blocksizes, 3);
    for (int i = 0; i < 3; i++) {
        assert_true(zr_cid_equal(&node.links[i].cid, &ch[i].cid));
        assert_true(node.links[i].has_tsize && node.links[i].tsize == ch[i].tsize);
        assert_non_null(node.links[i].name);
        assert_int_equal(node.links[i].name_len, 0);
        assert_true(fs.blocksizes[i] == ch[i].filesize);
    }
    zr_unixfs_cleanup(&fs);
    zr_dagpb_node_cleanup(&node);
    /* every strict prefix is refused or decodes to something else, never read past */
    for (size_t cut = 0; cut < n; cut++) {
        uint8_t *p = malloc(cut ? cut : 1);
        memcpy(p, buf, cut);
        if (zr_dagpb_decode(&node, p, cut) == 0)
            zr_dagpb_node_cleanup(&node);
        free(p);
    }
}

typedef struct dcase {
    const char *hex;
    int want;
} dcase_t;

/* a 36-byte CIDv1 raw of sha256("") */
#define CID_HEX "01551220e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static void test_dagpb_cases(void **state)
{
    (void)state;
    static const dcase_t cases[] = {
        {"", 0},                                  /* empty node */
        {"0a020802", 0},                          /* data only */
        {"122a" "0a24" CID_HEX "1200" "1800", 0}, /* one link, empty name, tsize 0 */
        {"1226" "0a24" CID_HEX, 0},               /* link without name or tsize */
        {"122a" "0a24" CID_HEX "1200" "1800" "0a00", 0},
        {"0a00" "1226" "0a24" CID_HEX, ZR_EDAGPB}, /* links after data */
        {"0a000a00", ZR_EDAGPB},                   /* data twice */
        {"1a00", ZR_EDAGPB},                       /* unknown field 3 */
        {"0801", ZR_EDAGPB},                       /* wrong wire type */
        {"0a0500", ZR_EDAGPB},                     /* length past the end */
        {"0a", ZR_EDAGPB},                         /* truncated */
        {"0aff", ZR_EDAGPB},                       /* truncated varint */
        {"12021801", ZR_EDAGPB},                   /* link without Hash */
        {"122a" "1200" "0a24" CID_HEX "1800", ZR_EDAGPB}, /* Name before Hash */
        {"122a" "0a24" CID_HEX "1800" "1801", ZR_EDAGPB}, /* Tsize twice */
        {"1228" "0a24" CID_HEX "2000", ZR_EDAGPB},        /* unknown link field */
        {"1224" "0a22" "1220e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 0}, /* CIDv0 */
        {"1226" "0a24" "01711220e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
         ZR_EUNSUPPORTED}, /* dag-cbor */
        {"1206" "0a04" "01551220", ZR_EDAGPB}, /* CID with no digest */
    };
    for (size_t i = 0; i < ZR_ARRAY_LEN(cases); i++) {
        size_t len = 0;
        uint8_t *b = strlen(cases[i].hex) ? zt_unhex(cases[i].hex, &len) : calloc(1, 1);
        zr_dagpb_node_t node;
        int rc = zr_dagpb_decode(&node, b, len);
        if (rc != cases[i].want)
            fail_msg("case %zu (%s): want %s, got %s", i, cases[i].hex, zr_err_name(cases[i].want), zr_err_name(rc));
        if (rc == 0)
            zr_dagpb_node_cleanup(&node);
        free(b);
    }
}

static void test_unixfs_cases(void **state)
{
    (void)state;
    static const dcase_t cases[] = {
        {"0802", 0},                       /* file, nothing else */
        {"0802180a2005", 0},               /* filesize, one blocksize */
        {"08021203616263", 0},             /* inline data */
        {"0802180a22020505", 0},           /* packed blocksizes */
        {"08022805300138a4034200", 0},     /* hashType, fanout, mode, mtime skipped */
        {"0800", 0},                       /* raw */
        {"", ZR_EUNIXFS},                  /* no type */
        {"180a", ZR_EUNIXFS},              /* no type */
        {"0806", ZR_EUNIXFS},              /* unknown type */
        {"0a00", ZR_EUNIXFS},              /* type with the wrong wire type */
        {"0802b3", ZR_EUNIXFS},            /* truncated key */
        {"08021b", ZR_EUNIXFS},            /* group wire type */
        {"0802120a61", ZR_EUNIXFS},        /* data past the end */
        {"0802220305", ZR_EUNIXFS},        /* packed blocksizes past the end */
        {"0802250000", ZR_EUNIXFS},        /* fixed32 past the end */
    };
    for (size_t i = 0; i < ZR_ARRAY_LEN(cases); i++) {
        size_t len = 0;
        uint8_t *b = strlen(cases[i].hex) ? zt_unhex(cases[i].hex, &len) : calloc(1, 1);
        zr_unixfs_t fs;
        int rc = zr_unixfs_decode(&fs, b, len);
        if (rc != cases[i].want)
            fail_msg("case %zu (%s): want %s, got %s", i, cases[i].hex, zr_err_name(cases[i].want), zr_err_name(rc));
        if (rc == 0)
            zr_unixfs_cleanup(&fs);
        free(b);
    }
    /* the decoded values */
    size_t len;
    uint8_t *b = zt_unhex("0802120361626318aa0220052201ff", &len);
    zr_unixfs_t fs;
    /* "22 01 ff": packed field with a truncated varint */
    assert_int_equal(zr_unixfs_decode(&fs, b, len), ZR_EUNIXFS);
    free(b);
    b = zt_unhex("0802120361626318aa02200522020708", &len);
    assert_int_equal(zr_unixfs_decode(&fs, b, len), 0);
    assert_int_equal(fs.type, ZR_UNIXFS_FILE);
    assert_int_equal(fs.data_len, 3);
    assert_memory_equal(fs.data, "abc", 3);
    assert_true(fs.has_filesize && fs.filesize == 298);
    assert_int_equal(fs.n_blocksizes, 3);
    assert_true(fs.blocksizes[0] == 5 && fs.blocksizes[1] == 7 && fs.blocksizes[2] == 8);
    zr_unixfs_cleanup(&fs);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_filenode_roundtrip),
        cmocka_unit_test(test_dagpb_cases),
        cmocka_unit_test(test_unixfs_cases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
