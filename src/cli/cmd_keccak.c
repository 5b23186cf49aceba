// SPDX-License-Identifier: MIT
// `zara keccak DATA`: keccak256 of a 0x-hex string (as bytes) or of UTF-8 text, printed
// as 0x-hex — the same answer as `cast keccak`.
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "zara/keccak.h"

const char zr_cli_summary_keccak[] = "keccak256 of hex bytes or text (like cast keccak)";

int zr_cli_main_keccak(int argc, char **argv)
{
    const char *data = NULL;
    int json = 0, rest = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!rest && (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)) {
            printf("usage: zara keccak [--json] [--] DATA\n\n"
                   "Prints keccak256(DATA) as 0x-hex. DATA starting with 0x is decoded as hex\n"
                   "bytes; anything else is hashed as UTF-8 text. '-' reads stdin, @FILE a file;\n"
                   "text starting with -- goes after --. --json prints {\"hash\": \"0x...\"}.\n");
            return 0;
        } else if (!rest && strcmp(a, "--json") == 0) {
            json = 1;
        } else if (!rest && strcmp(a, "--") == 0) {
            rest = 1;
        } else if (!rest && a[0] == '-' && a[1] == '-') {
            return zr_cli_usage_error("keccak", "unknown option %s", a);
        } else if (data) {
            return zr_cli_usage_error("keccak", "expected exactly one DATA argument");
        } else {
            data = a;
        }
    }
    if (!data)
        return zr_cli_usage_error("keccak", "expected exactly one DATA argument");
    zr_buf_t in, bytes;
    zr_buf_init(&in, 64u << 20);
    zr_buf_init(&bytes, 32u << 20);
    int rc = zr_cli_read_arg(data, in.max, &in);
    if (rc) {
        rc = zr_cli_fail("cannot read %s: %s", data, zr_strerror(rc));
        goto done;
    }
    const char *s = zr_buf_cstr(&in);
    const uint8_t *msg = in.data;
    size_t msg_len = in.len;
    if (in.len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        size_t len = in.len;
        while (len > 2 && (s[len - 1] == '\n' || s[len - 1] == '\r'))
            len--;
        if ((rc = zr_buf_reserve(&bytes, len / 2)) != 0 ||
            (rc = zr_hex_decode(bytes.data, bytes.cap, &bytes.len, s, len)) != 0) {
            rc = zr_cli_fail("DATA starts with 0x but is not valid hex: %s", zr_strerror(rc));
            goto done;
        }
        msg = bytes.data;
        msg_len = bytes.len;
    }
    uint8_t h[32];
    char hex[65];
    zr_keccak256(h, msg, msg_len);
    zr_hex_encode(hex, h, 32);
    if (json)
        printf("{\"hash\":\"0x%s\"}\n", hex);
    else
        printf("0x%s\n", hex);
    rc = 0;
done:
    zr_buf_cleanup(&in);
    zr_buf_cleanup(&bytes);
    return rc;
}
