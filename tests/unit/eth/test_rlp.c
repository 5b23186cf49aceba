// SPDX-License-Identifier: MIT
// RLP: the published Ethereum test cases (tests/vectors/rlp_valid.json) encoded and decoded
// both ways, invalid encodings (tests/vectors/rlp_invalid.txt) rejected with a message,
// the nesting limit, integer accessors, and random trees compared with `cast to-rlp`.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zt.h"
#include "zara/rlp.h"

#define CAST "node_modules/.bin/cast"

/* Decimal string → minimal big-endian bytes (for the "#bigint" inputs). */
static size_t dec_to_be(uint8_t *out, size_t cap, const char *dec)
{
    size_t n = 0; /* out[cap-n .. cap) holds the value */
    for (const char *p = dec; *p; p++) {
        assert_true(*p >= '0' && *p <= '9');
        unsigned carry = (unsigned)(*p - '0');
        for (size_t i = 0; i < n; i++) {
            unsigned x = out[cap - 1 - i] * 10u + carry;
            out[cap - 1 - i] = (uint8_t)x;
            carry = x >> 8;
        }
        while (carry) {
            assert_true(n < cap);
            out[cap - 1 - n++] = (uint8_t)carry;
            carry >>= 8;
        }
    }
    memmove(out, out + cap - n, n);
    return n;
}

static void encode_json(zr_buf_t *b, const json_t *v)
{
    if (json_is_array(v)) {
        size_t mark, i;
        json_t *x;
        assert_int_equal(zr_rlp_list_begin(b, &mark), 0);
        json_array_foreach(v, i, x) encode_json(b, x);
        assert_int_equal(zr_rlp_list_end(b, mark), 0);
    } else if (json_is_integer(v)) {
        assert_int_equal(zr_rlp_encode_uint(b, (uint64_t)json_integer_value(v)), 0);
    } else if (json_is_string(v) && json_string_value(v)[0] == '#') {
        uint8_t be[64];
        size_t n = dec_to_be(be, sizeof be, json_string_value(v) + 1);
        /* through the padded uint256 path when it fits, to exercise zero stripping */
        if (n <= 32) {
            uint8_t w[32] = {0};
            memcpy(w + 32 - n, be, n);
            assert_int_equal(zr_rlp_encode_uint_be(b, w, 32), 0);
        } else {
            assert_int_equal(zr_rlp_encode_bytes(b, be, n), 0);
        }
    } else {
        assert_true(json_is_string(v));
        assert_int_equal(zr_rlp_encode_bytes(b, json_string_value(v), json_string_length(v)), 0);
    }
}

/* Checks that the decoded item matches the JSON input structurally. */
static void check_decoded(const zr_rlp_item_t *it, const json_t *v)
{
    if (json_is_array(v)) {
        assert_true(it->is_list);
        zr_rlp_iter_t iter;
        zr_rlp_item_t child;
        assert_int_equal(zr_rlp_iter_init(&iter, it), 0);
        for (size_t i = 0; i < json_array_size(v); i++) {
            assert_int_equal(zr_rlp_iter_next(&iter, &child), 1);
            check_decoded(&child, json_array_get(v, i));
        }
        assert_int_equal(zr_rlp_iter_next(&iter, &child), 0);
    } else if (json_is_integer(v)) {
        uint64_t x = 99;
        assert_int_equal(zr_rlp_item_uint(it, &x), 0);
        assert_int_equal(x, (uint64_t)json_integer_value(v));
    } else if (json_string_value(v)[0] == '#') {
        uint8_t be[64], w[32];
        size_t n = dec_to_be(be, sizeof be, json_string_value(v) + 1);
        if (n <= 32) {
            uint8_t want[32] = {0};
            memcpy(want + 32 - n, be, n);
            assert_int_equal(zr_rlp_item_uint256(it, w), 0);
            assert_memory_equal(w, want, 32);
        } else {
            assert_int_equal(zr_rlp_item_uint256(it, w), ZR_ERANGE);
            assert_int_equal(it->len, n);
            assert_memory_equal(it->data, be, n);
        }
    } else {
        assert_false(it->is_list);
        assert_int_equal(it->len, json_string_length(v));
        if (it->len)
            assert_memory_equal(it->data, json_string_value(v), it->len);
    }
}

static void test_valid_vectors(void **state)
{
    (void)state;
    zr_buf_t f;
    zt_read_file("tests/vectors/rlp_valid.json", &f);
    json_t *root = NULL;
    char err[200];
    assert_int_equal(zr_json_parse((const char *)f.data, f.len, f.len, &root, err, sizeof err), 0);
    const char *name;
    json_t *tc;
    int count = 0;
    json_object_foreach(root, name, tc)
    {
        if (name[0] == '_')
            continue;
        const json_t *in = json_object_get(tc, "in");
        const char *out = zr_json_str(tc, "out");
        assert_non_null(out);
        size_t want_len = 0;
        uint8_t *want = zt_unhex(out, &want_len);
        zr_buf_t b;
        zr_buf_init(&b, 1 << 20);
        encode_json(&b, in);
        if (b.len != want_len || memcmp(b.data, want, want_len) != 0)
            fail_msg("%s: encoding differs", name);
        zr_rlp_item_t it;
        err[0] = 0;
        if (zr_rlp_decode(&it, want, want_len, err, sizeof err) != 0)
            fail_msg("%s: decode failed: %s", name, err);
        assert_ptr_equal(it.raw, want);
        assert_int_equal(it.raw_len, want_len);
        check_decoded(&it, in);
        zr_buf_cleanup(&b);
        free(want);
        count++;
    }
    assert_true(count >= 28);
    json_decref(root);
    zr_buf_cleanup(&f);
}

static void test_invalid_vectors(void **state)
{
    (void)state;
    zr_buf_t f;
    zt_read_file("tests/vectors/rlp_invalid.txt", &f);
    char *save = NULL;
    int count = 0;
    for (char *line = strtok_r((char *)f.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#')
            continue;
        char hex[400];
        assert_int_equal(sscanf(line, "%399s", hex), 1);
        size_t len = 0;
        uint8_t *in = strcmp(hex, "-") == 0 ? calloc(1, 1) : zt_unhex(hex, &len);
        zr_rlp_item_t it;
        char err[160] = "";
        int rc = zr_rlp_decode(&it, in, len, err, sizeof err);
        if (rc != ZR_ERLP)
            fail_msg("accepted invalid RLP %s (%s)", hex, line + strlen(hex));
        assert_true(strncmp(err, "RLP: ", 5) == 0 && strlen(err) > 12);
        /* the message names the kind of problem the vector file expects */
        const char *why = line + strlen(hex) + 1;
        if (strncmp(why, "non-canonical", 13) == 0)
            assert_non_null(strstr(err, "non-canonical"));
        else if (strncmp(why, "truncated", 9) == 0 || strncmp(why, "empty", 5) == 0)
            assert_non_null(strstr(err, "truncated"));
        else if (strncmp(why, "trailing", 8) == 0)
            assert_non_null(strstr(err, "trailing"));
        free(in);
        count++;
    }
    assert_true(count >= 20);
    zr_buf_cleanup(&f);
}

static void test_depth_limit(void **state)
{
    (void)state;
    zr_rlp_item_t it;
    char err[128];
    /* ZR_RLP_MAX_DEPTH nested lists are accepted, one more is refused */
    for (int depth = ZR_RLP_MAX_DEPTH; depth <= ZR_RLP_MAX_DEPTH + 1; depth++) {
        zr_buf_t b;
        zr_buf_init(&b, 4096);
        size_t marks[ZR_RLP_MAX_DEPTH + 2];
        for (int i = 0; i < depth; i++)
            zr_rlp_list_begin(&b, &marks[i]);
        for (int i = depth - 1; i >= 0; i--)
            assert_int_equal(zr_rlp_list_end(&b, marks[i]), 0);
        int rc = zr_rlp_decode(&it, b.data, b.len, err, sizeof err);
        if (depth <= ZR_RLP_MAX_DEPTH) {
            assert_int_equal(rc, 0);
        } else {
            assert_int_equal(rc, ZR_ERLP);
            assert_non_null(strstr(err, "deep"));
        }
        zr_buf_cleanup(&b);
    }
}

static void test_accessors(void **state)
{
    (void)state;
    zr_rlp_item_t it;
    uint64_t v;
    uint8_t w[32];
    static const uint8_t lead0[] = {0x82, 0x00, 0x01};
    assert_int_equal(zr_rlp_decode(&it, lead0, sizeof lead0, NULL, 0), 0);
    assert_int_equal(zr_rlp_item_uint(&it, &v), ZR_ERLP);
    assert_int_equal(zr_rlp_item_uint256(&it, w), ZR_ERLP);
    static const uint8_t nine[] = {0x89, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    assert_int_equal(zr_rlp_decode(&it, nine, sizeof nine, NULL, 0), 0);
    assert_int_equal(zr_rlp_item_uint(&it, &v), ZR_ERANGE);
    assert_int_equal(zr_rlp_item_uint256(&it, w), 0);
    assert_int_equal(w[31], 9);
    assert_int_equal(w[23], 1);
    static const uint8_t list[] = {0xc3, 0x01, 0x02, 0x03};
    assert_int_equal(zr_rlp_decode(&it, list, sizeof list, NULL, 0), 0);
    assert_int_equal(zr_rlp_item_uint(&it, &v), ZR_ERLP);
    zr_rlp_item_t items[3];
    size_t n = 0;
    assert_int_equal(zr_rlp_list_items(&it, items, 3, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(zr_rlp_item_uint(&items[2], &v), 0);
    assert_int_equal(v, 3);
    assert_int_equal(zr_rlp_list_items(&it, items, 2, &n), ZR_ERLP);
    zr_rlp_iter_t iter;
    assert_int_equal(zr_rlp_iter_init(&iter, &items[0]), ZR_ERLP);
    /* decode_prefix leaves trailing bytes */
    static const uint8_t two[] = {0x83, 'd', 'o', 'g', 0xc0};
    size_t used = 0;
    assert_int_equal(zr_rlp_decode_prefix(&it, &used, two, sizeof two, NULL, 0), 0);
    assert_int_equal(used, 4);
    assert_int_equal(zr_rlp_decode(&it, two, sizeof two, NULL, 0), ZR_ERLP);
    /* the encoder respects its buffer's maximum */
    zr_buf_t small;
    zr_buf_init(&small, 4);
    assert_int_equal(zr_rlp_encode_bytes(&small, "dogs", 4), ZR_ETOOBIG);
    assert_int_equal(zr_rlp_encode_bytes(&small, "dog", 3), 0);
    zr_buf_cleanup(&small);
}

/* A random tree as RLP (through the encoder) and as cast's JSON notation. */
static void random_tree(zr_buf_t *rlp, zr_buf_t *js, unsigned *seed, int depth)
{
    int kind = rand_r(seed) % (depth > 3 ? 2 : 3);
    if (kind == 2) {
        size_t mark;
        int n = rand_r(seed) % 5;
        zr_rlp_list_begin(rlp, &mark);
        zr_buf_append_str(js, "[");
        for (int i = 0; i < n; i++) {
            if (i)
                zr_buf_append_str(js, ",");
            random_tree(rlp, js, seed, depth + 1);
        }
        zr_buf_append_str(js, "]");
        assert_int_equal(zr_rlp_list_end(rlp, mark), 0);
        return;
    }
    static const size_t lens[] = {0, 1, 1, 2, 55, 56, 57, 255, 256, 1100};
    size_t len = lens[rand_r(seed) % ZR_ARRAY_LEN(lens)];
    uint8_t data[1100];
    for (size_t i = 0; i < len; i++)
        data[i] = (uint8_t)(rand_r(seed) % (kind ? 256 : 0x90));
    assert_int_equal(zr_rlp_encode_bytes(rlp, data, len), 0);
    zr_buf_append_str(js, "\"");
    zr_hex_append_0x(js, data, len);
    zr_buf_append_str(js, "\"");
}

static void test_against_cast(void **state)
{
    (void)state;
    unsigned seed = 12345;
    for (int t = 0; t < 6; t++) {
        zr_buf_t rlp, js;
        zr_buf_init(&rlp, 1 << 20);
        zr_buf_init(&js, 1 << 20);
        random_tree(&rlp, &js, &seed, t == 0 ? 3 : 0);
        char *out = malloc(1 << 18);
        assert_int_equal(zt_run(out, 1 << 18, "'%s' to-rlp '%s'", zt_src_path(CAST), zr_buf_cstr(&js)), 0);
        zr_buf_t mine;
        zr_buf_init(&mine, 1 << 20);
        zr_hex_append_0x(&mine, rlp.data, rlp.len);
        assert_string_equal(zr_buf_cstr(&mine), out);
        /* and our decoder accepts it and re-encodes the same bytes */
        zr_rlp_item_t it;
        assert_int_equal(zr_rlp_decode(&it, rlp.data, rlp.len, NULL, 0), 0);
        assert_int_equal(it.raw_len, rlp.len);
        free(out);
        zr_buf_cleanup(&mine);
        zr_buf_cleanup(&rlp);
        zr_buf_cleanup(&js);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_vectors), cmocka_unit_test(test_invalid_vectors),
        cmocka_unit_test(test_depth_limit),   cmocka_unit_test(test_accessors),
        cmocka_unit_test(test_against_cast),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
