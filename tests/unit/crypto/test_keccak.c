// SPDX-License-Identifier: MIT
// keccak256: published vectors and cast-generated vectors from tests/vectors/keccak256.txt,
// incremental updates split at every position, and a live cross-check with `cast keccak`.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zt.h"
#include "zara/keccak.h"

static void hex32(char out[65], const uint8_t h[32])
{
    zr_hex_encode(out, h, 32);
}

static void test_vectors(void **state)
{
    (void)state;
    zr_buf_t f;
    zt_read_file("tests/vectors/keccak256.txt", &f);
    char *save = NULL;
    int count = 0;
    for (char *line = strtok_r((char *)f.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#' || line[0] == 0)
            continue;
        char in[4096], want[80];
        assert_int_equal(sscanf(line, "%4095s %79s", in, want), 2);
        size_t len = 0;
        uint8_t *msg = strcmp(in, "-") == 0 ? calloc(1, 1) : zt_unhex(in, &len);
        uint8_t h[32];
        char got[65];
        zr_keccak256(h, msg, len);
        hex32(got, h);
        assert_string_equal(got, want);
        /* every split point of the incremental interface gives the same digest */
        for (size_t cut = 0; cut <= len; cut += len > 300 ? 37 : 1) {
            zr_keccak_t k;
            zr_keccak_init(&k);
            zr_keccak_update(&k, msg, cut);
            zr_keccak_update(&k, msg + cut, len - cut);
            zr_keccak_final(&k, h);
            hex32(got, h);
            assert_string_equal(got, want);
        }
        free(msg);
        count++;
    }
    assert_true(count >= 10);
    zr_buf_cleanup(&f);
}

static void test_against_cast(void **state)
{
    (void)state;
    uint8_t msg[600];
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (uint8_t)(i * 131 + 7);
    static const size_t lens[] = {0, 1, 31, 32, 135, 136, 137, 408, 599};
    for (size_t t = 0; t < ZR_ARRAY_LEN(lens); t++) {
        char hex[1300], want[128];
        zr_hex_encode(hex, msg, lens[t]);
        int st = zt_run(want, sizeof want, "'%s' keccak 0x%s", zt_src_path("node_modules/.bin/cast"), hex);
        assert_int_equal(st, 0);
        uint8_t h[32];
        char got[67] = "0x";
        zr_keccak256(h, msg, lens[t]);
        hex32(got + 2, h);
        assert_string_equal(got, want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_against_cast),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
