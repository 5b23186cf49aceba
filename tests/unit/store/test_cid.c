// SPDX-License-Identifier: MIT
// CIDv1 text and binary forms: the vectors of tests/vectors/store_cid.txt (valid CIDs with
// their digests, malformed and unsupported ones with the error they must give), upper-case
// multibase, and the varints underneath.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zt.h"
#include "store_int.h"

static void test_vectors(void **state)
{
    (void)state;
    zr_buf_t f;
    zt_read_file("tests/vectors/store_cid.txt", &f);
    char *save = NULL;
    int valid = 0, invalid = 0;
    for (char *line = strtok_r((char *)f.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char kind[16], text[256], a[80], b[80];
        if (line[0] == '#' || sscanf(line, "%15s %255s %79s %79s", kind, text, a, b) < 3)
            continue;
        zr_cid_t cid;
        int rc = zr_cid_parse(&cid, text);
        if (strcmp(kind, "valid") == 0) {
            assert_int_equal(rc, 0);
            assert_int_equal(cid.codec, strcmp(a, "raw") == 0 ? ZR_CID_RAW : ZR_CID_DAGPB);
            if (strcmp(b, "-") != 0) {
                char hex[65];
                zr_hex_encode(hex, cid.digest, 32);
                assert_string_equal(hex, b);
            }
            char back[ZR_CID_STR_MAX];
            assert_string_equal(zr_cid_format(back, &cid), text);
            assert_int_equal(strlen(back), text[0] == 'Q' ? 46 : 59);
            /* the upper-case multibase 'B' names the same CID (base32 only) */
            zr_cid_t c2;
            if (text[0] == 'b') {
                char up[ZR_CID_STR_MAX];
                for (size_t i = 0; i <= strlen(text); i++)
                    up[i] = (char)(text[i] >= 'a' && text[i] <= 'z' ? text[i] - 32 : text[i]);
                assert_int_equal(zr_cid_parse(&c2, up), 0);
                assert_true(zr_cid_equal(&cid, &c2));
            }
            /* binary round trip */
            uint8_t bin[ZR_CID_BYTES];
            size_t n = zr_cid_encode(bin, &cid);
            assert_int_equal(n, text[0] == 'Q' ? 34 : 36);
            assert_int_equal(zr_cid_decode(&c2, bin, n), 0);
            assert_true(zr_cid_equal(&cid, &c2));
            assert_int_equal(zr_cid_decode(&c2, bin, n - 1), ZR_ECID);
            /* the CIDv1 of a CIDv0 is the dag-pb CIDv1 of the same digest */
            zr_cid_to_v1(&c2, &cid);
            assert_false(c2.v0);
            assert_true(c2.codec == cid.codec && memcmp(c2.digest, cid.digest, 32) == 0);
            assert_int_equal(zr_cid_equal(&c2, &cid), text[0] == 'Q' ? 0 : 1);
            valid++;
        } else if (strcmp(kind, "alias") == 0) {
            if (rc)
                fail_msg("%s: %s", text, zr_err_name(rc));
            char back[ZR_CID_STR_MAX];
            assert_string_equal(zr_cid_format(back, &cid), a);
        } else {
            if (strcmp(zr_err_name(rc), a) != 0)
                fail_msg("%s: expected %s, got %s", text, a, zr_err_name(rc));
            invalid++;
        }
    }
    assert_true(valid >= 5);
    assert_true(invalid >= 10);
    zr_buf_cleanup(&f);
}

static void test_of_block(void **state)
{
    (void)state;
    zr_cid_t cid, want;
    char s[ZR_CID_STR_MAX];
    zr_cid_of_block(&cid, ZR_CID_RAW, (const uint8_t *)"hello world", 11);
    assert_string_equal(zr_cid_format(s, &cid), "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e");
    assert_int_equal(zr_cid_parse(&want, s), 0);
    assert_int_equal(zr_cid_verify(&want, (const uint8_t *)"hello world", 11), 0);
    assert_int_equal(zr_cid_verify(&want, (const uint8_t *)"hello worle", 11), ZR_EHASHMISMATCH);
    assert_int_equal(zr_cid_verify(&want, (const uint8_t *)"hello world", 10), ZR_EHASHMISMATCH);
    zr_cid_t other = want;
    other.codec = ZR_CID_DAGPB;
    assert_false(zr_cid_equal(&want, &other));
    assert_int_equal(zr_cid_parse(&cid, NULL), ZR_ECID);
    assert_int_equal(zr_cid_parse(&cid, ""), ZR_ECID);
}

static void test_varint(void **state)
{
    (void)state;
    static const uint64_t vals[] = {0, 1, 127, 128, 255, 300, 16383, 16384, 262144, 1ull << 32,
                                    UINT64_MAX - 1, UINT64_MAX};
    for (size_t i = 0; i < ZR_ARRAY_LEN(vals); i++) {
        uint8_t b[10];
        size_t n = zr__varint_put(b, vals[i]);
        assert_int_equal(n, zr__varint_len(vals[i]));
        uint64_t v;
        assert_int_equal(zr__varint_get(b, n, &v, 1), n);
        assert_true(v == vals[i]);
        assert_int_equal(zr__varint_get(b, n - 1, &v, 1), 0); /* truncated */
    }
    const uint8_t nonmin[] = {0x80, 0x00};
    uint64_t v;
    assert_int_equal(zr__varint_get(nonmin, 2, &v, 1), 0);
    assert_int_equal(zr__varint_get(nonmin, 2, &v, 0), 2);
    const uint8_t over[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02};
    assert_int_equal(zr__varint_get(over, sizeof over, &v, 0), 0);
    const uint8_t eleven[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
    assert_int_equal(zr__varint_get(eleven, sizeof eleven, &v, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_of_block),
        cmocka_unit_test(test_varint),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
