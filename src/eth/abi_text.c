// SPDX-License-Identifier: MIT
// The text form of ABI values, compatible with Foundry's cast: parsing command-line
// arguments the way `cast abi-encode` reads them, and printing decoded values the way
// `cast abi-decode` (plain and --json) prints them, down to number annotations, EIP-55
// addresses and Rust-style string escapes.
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi_int.h"
#include "zara/keccak.h"

/* ---- 256-bit helpers (big-endian byte arrays) ------------------------------------------ */

/* w = w * m + a; returns 1 on overflow past 256 bits. */
static int u256_muladd(uint8_t w[32], unsigned m, unsigned a)
{
    unsigned carry = a;
    for (int i = 31; i >= 0; i--) {
        unsigned x = w[i] * m + carry;
        w[i] = (uint8_t)x;
        carry = x >> 8;
    }
    return carry != 0;
}

/* w = w / d, returns the remainder. */
static unsigned u256_divmod(uint8_t w[32], unsigned d)
{
    unsigned rem = 0;
    for (int i = 0; i < 32; i++) {
        unsigned x = rem << 8 | w[i];
        w[i] = (uint8_t)(x / d);
        rem = x % d;
    }
    return rem;
}

static int u256_is_zero(const uint8_t w[32])
{
    for (int i = 0; i < 32; i++)
        if (w[i])
            return 0;
    return 1;
}

static void u256_negate(uint8_t w[32])
{
    unsigned carry = 1;
    for (int i = 31; i >= 0; i--) {
        unsigned x = (uint8_t)~w[i] + carry;
        w[i] = (uint8_t)x;
        carry = x >> 8;
    }
}

/* Decimal digits of w into out (capacity >= 80). */
static void u256_decimal(char *out, const uint8_t w[32])
{
    uint8_t t[32];
    memcpy(t, w, 32);
    char rev[80];
    size_t n = 0;
    do {
        rev[n++] = (char)('0' + u256_divmod(t, 10));
    } while (!u256_is_zero(t));
    for (size_t i = 0; i < n; i++)
        out[i] = rev[n - 1 - i];
    out[n] = 0;
}

/* ---- parsing --------------------------------------------------------------------------- */

typedef struct tparser {
    const char *s;
    size_t pos, len;
    zr_abi_diag_t *d;
} tparser_t;

static int tfail(tparser_t *p, size_t at, const char *fmt, const char *tok, const zr_abi_type_t *t)
{
    zr_buf_t b;
    zr_buf_init(&b, 256);
    if (t && zr_abi_type_canonical(t, &b) != 0)
        zr_buf_reset(&b);
    char m[160];
    snprintf(m, sizeof m, fmt, tok);
    int rc = zr__abi_fail(p->d, ZR_EABIVALUE, at, "%s%s%s (at character %zu of \"%.60s%s\")", m, t ? " for " : "",
                          t ? zr_buf_cstr(&b) : "", at, p->s, p->len > 60 ? "..." : "");
    zr_buf_cleanup(&b);
    return rc;
}

static void tskip_ws(tparser_t *p)
{
    while (p->pos < p->len && isspace((unsigned char)p->s[p->pos]))
        p->pos++;
}

/* A number token: [+-] (0x hex | digits[.digits][e[+-]digits]) [ws] [wei|gwei|ether]. */
static int parse_number(tparser_t *p, const zr_abi_type_t *t, const char *tok, size_t n, size_t at,
                        zr_abi_value_t **out)
{
    char tokz[96];
    snprintf(tokz, sizeof tokz, "%.*s", (int)(n < 90 ? n : 90), tok);
    uint8_t w[32] = {0};
    size_t i = 0;
    int neg = 0;
    if (i < n && (tok[i] == '-' || tok[i] == '+'))
        neg = tok[i++] == '-';
    if (i + 1 < n && tok[i] == '0' && (tok[i + 1] == 'x' || tok[i + 1] == 'X')) {
        i += 2;
        if (i == n)
            return tfail(p, at, "'%s' has no hex digits", tokz, t);
        for (; i < n; i++) {
            int h = zr_hex_digit(tok[i]);
            if (h < 0)
                return tfail(p, at, "'%s' is not a number", tokz, t);
            if (u256_muladd(w, 16, (unsigned)h))
                return tfail(p, at, "'%s' does not fit 256 bits", tokz, t);
        }
    } else {
        /* mantissa digits (integer and fraction) and the power of ten to apply */
        char digs[160];
        size_t nd = 0, ni = 0, nf = 0;
        while (i < n && isdigit((unsigned char)tok[i])) {
            if (nd < sizeof digs)
                digs[nd] = tok[i];
            nd++, ni++, i++;
        }
        if (i < n && tok[i] == '.') {
            i++;
            while (i < n && isdigit((unsigned char)tok[i])) {
                if (nd < sizeof digs)
                    digs[nd] = tok[i];
                nd++, nf++, i++;
            }
        }
        if (ni + nf == 0)
            return tfail(p, at, "'%s' is not a number", tokz, t);
        if (nd > sizeof digs)
            return tfail(p, at, "'%s' has too many digits", tokz, t);
        long exp = 0;
        /* an exponent is e/E followed by a digit or a signed digit ("1ether" is a unit) */
        if (i + 1 < n && (tok[i] == 'e' || tok[i] == 'E') &&
            (isdigit((unsigned char)tok[i + 1]) ||
             (i + 2 < n && (tok[i + 1] == '-' || tok[i + 1] == '+') && isdigit((unsigned char)tok[i + 2])))) {
            i++;
            int eneg = 0;
            if (i < n && (tok[i] == '-' || tok[i] == '+'))
                eneg = tok[i++] == '-';
            size_t e0 = i;
            while (i < n && isdigit((unsigned char)tok[i]) && exp < 1000)
                exp = exp * 10 + (tok[i++] - '0');
            if (i == e0 || (i < n && isdigit((unsigned char)tok[i])))
                return tfail(p, at, "'%s' has a bad exponent", tokz, t);
            if (eneg)
                exp = -exp;
        }
        while (i < n && isspace((unsigned char)tok[i]))
            i++;
        if (i < n) {
            size_t rest = n - i;
            if (rest == 5 && memcmp(tok + i, "ether", 5) == 0)
                exp += 18;
            else if (rest == 4 && memcmp(tok + i, "gwei", 4) == 0)
                exp += 9;
            else if (!(rest == 3 && memcmp(tok + i, "wei", 3) == 0))
                return tfail(p, at, "'%s' is not a number (units: wei, gwei, ether)", tokz, t);
            i = n;
        }
        long shift = exp - (long)nf;
        size_t use = nd;
        if (shift < 0) {
            /* the dropped digits must be zeros: the value has to be an integer */
            for (long k = 0; k < -shift; k++) {
                if (use == 0)
                    break;
                if (digs[use - 1] != '0')
                    return tfail(p, at, "'%s' is not an integer", tokz, t);
                use--;
            }
            shift = 0;
        }
        for (size_t k = 0; k < use; k++)
            if (u256_muladd(w, 10, (unsigned)(digs[k] - '0')))
                return tfail(p, at, "'%s' does not fit 256 bits", tokz, t);
        for (long k = 0; k < shift && !u256_is_zero(w); k++)
            if (u256_muladd(w, 10, 0))
                return tfail(p, at, "'%s' does not fit 256 bits", tokz, t);
    }
    if (u256_is_zero(w))
        neg = 0;
    if (neg) {
        if (t->kind == ZR_ABI_UINT)
            return tfail(p, at, "'%s' is negative", tokz, t);
        /* magnitude at most 2^255 */
        if (w[0] > 0x80)
            return tfail(p, at, "'%s' does not fit 256 bits", tokz, t);
        if (w[0] == 0x80)
            for (int k = 1; k < 32; k++)
                if (w[k])
                    return tfail(p, at, "'%s' does not fit 256 bits", tokz, t);
        u256_negate(w);
    }
    /* range against the type, so the message names the argument */
    unsigned top = 32 - t->size / 8;
    if (t->kind == ZR_ABI_UINT) {
        for (unsigned k = 0; k < top; k++)
            if (w[k])
                return tfail(p, at, "'%s' is out of range", tokz, t);
    } else {
        uint8_t fill = neg ? 0xff : 0;
        for (unsigned k = 0; k < top; k++)
            if (w[k] != fill)
                return tfail(p, at, "'%s' is out of range", tokz, t);
        if ((w[top] >> 7) != (fill & 1))
            return tfail(p, at, "'%s' is out of range", tokz, t);
    }
    zr_abi_value_t *v = t->kind == ZR_ABI_UINT ? zr_abi_uint_be(w) : zr_abi_int_be(w);
    if (!v)
        return ZR_ENOMEM;
    *out = v;
    return 0;
}

static int parse_hex_bytes(tparser_t *p, const zr_abi_type_t *t, const char *tok, size_t n, size_t at,
                           zr_abi_value_t **out)
{
    char tokz[96];
    snprintf(tokz, sizeof tokz, "%.*s", (int)(n < 90 ? n : 90), tok);
    if (n >= 2 && tok[0] == '0' && (tok[1] == 'x' || tok[1] == 'X'))
        tok += 2, n -= 2;
    if (n % 2)
        return tfail(p, at, "'%s' has an odd number of hex digits", tokz, t);
    uint8_t *b = malloc(n / 2 + 1);
    if (!b)
        return ZR_ENOMEM;
    for (size_t i = 0; i < n / 2; i++) {
        int hi = zr_hex_digit(tok[2 * i]), lo = zr_hex_digit(tok[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            free(b);
            return tfail(p, at, "'%s' is not hex", tokz, t);
        }
        b[i] = (uint8_t)(hi << 4 | lo);
    }
    int rc = 0;
    zr_abi_value_t *v = NULL;
    if (t->kind == ZR_ABI_FIXED_BYTES) {
        if (n / 2 != t->size)
            rc = tfail(p, at, "'%s' does not have exactly that many bytes", tokz, t);
        else if (!(v = zr_abi_fixed_bytes(b, t->size)))
            rc = ZR_ENOMEM;
    } else if (t->kind == ZR_ABI_ADDRESS) {
        if (n != 40)
            rc = tfail(p, at, "'%s' is not 20 bytes of hex", tokz, t);
        else if (!(v = zr_abi_address(b)))
            rc = ZR_ENOMEM;
    } else if (!(v = zr_abi_bytes(b, n / 2))) {
        rc = ZR_ENOMEM;
    }
    free(b);
    *out = v;
    return rc;
}

static int parse_scalar(tparser_t *p, const zr_abi_type_t *t, const char *tok, size_t n, size_t at,
                        zr_abi_value_t **out)
{
    switch (t->kind) {
    case ZR_ABI_UINT:
    case ZR_ABI_INT:
        return parse_number(p, t, tok, n, at, out);
    case ZR_ABI_BOOL:
        if (n == 4 && memcmp(tok, "true", 4) == 0)
            *out = zr_abi_bool(1);
        else if (n == 5 && memcmp(tok, "false", 5) == 0)
            *out = zr_abi_bool(0);
        else {
            char tokz[40];
            snprintf(tokz, sizeof tokz, "%.*s", (int)(n < 32 ? n : 32), tok);
            return tfail(p, at, "'%s' is not true or false", tokz, t);
        }
        return *out ? 0 : ZR_ENOMEM;
    case ZR_ABI_ADDRESS:
    case ZR_ABI_FIXED_BYTES:
    case ZR_ABI_BYTES:
        return parse_hex_bytes(p, t, tok, n, at, out);
    case ZR_ABI_STRING:
        *out = zr_abi_string_n(tok, n);
        return *out ? 0 : ZR_ENOMEM;
    default:
        return tfail(p, at, "internal: '%s' is not a scalar", "", t);
    }
}

static int parse_in(tparser_t *p, const zr_abi_type_t *t, char closer, unsigned level, zr_abi_value_t **out);

static int parse_container(tparser_t *p, const zr_abi_type_t *t, unsigned level, zr_abi_value_t **out)
{
    int is_tuple = t->kind == ZR_ABI_TUPLE;
    char open = is_tuple ? '(' : '[', close = is_tuple ? ')' : ']';
    tskip_ws(p);
    if (p->pos >= p->len || p->s[p->pos] != open) {
        char m[8] = {open, 0};
        return tfail(p, p->pos, "expected '%s'", m, t);
    }
    p->pos++;
    zr_abi_value_t *v = zr_abi_value_new(is_tuple ? ZR_ABI_V_TUPLE : ZR_ABI_V_ARRAY);
    if (!v)
        return ZR_ENOMEM;
    int rc;
    tskip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == close) {
        p->pos++;
    } else {
        for (;;) {
            size_t i = v->count;
            if (is_tuple && i >= t->nfields) {
                rc = tfail(p, p->pos, "too many components%s", "", t);
                goto fail;
            }
            zr_abi_value_t *c;
            if ((rc = parse_in(p, is_tuple ? t->fields[i] : t->elem, close, level + 1, &c)) != 0)
                goto fail;
            if ((rc = zr_abi_value_push(v, c)) != 0)
                goto fail;
            tskip_ws(p);
            if (p->pos < p->len && p->s[p->pos] == ',') {
                p->pos++;
                continue;
            }
            if (p->pos < p->len && p->s[p->pos] == close) {
                p->pos++;
                break;
            }
            char m[8] = {',', ' ', 'o', 'r', ' ', close, 0};
            rc = tfail(p, p->pos, "expected %s", m, t);
            goto fail;
        }
    }
    if (is_tuple && v->count != t->nfields) {
        char m[64];
        snprintf(m, sizeof m, "%zu components where %zu are needed", v->count, t->nfields);
        rc = tfail(p, p->pos, "%s", m, t);
        goto fail;
    }
    if (t->kind == ZR_ABI_ARRAY && v->count != t->size) {
        char m[64];
        snprintf(m, sizeof m, "%zu elements where %u are needed", v->count, t->size);
        rc = tfail(p, p->pos, "%s", m, t);
        goto fail;
    }
    *out = v;
    return 0;
fail:
    zr_abi_value_free(v);
    return rc;
}

/* One value of type t at the cursor; closer is the bracket that ends the enclosing
 * container (0 at the top level, where a scalar takes the whole rest of the text). */
static int parse_in(tparser_t *p, const zr_abi_type_t *t, char closer, unsigned level, zr_abi_value_t **out)
{
    *out = NULL;
    if (level > ZR_ABI_MAX_DEPTH + 1)
        return tfail(p, p->pos, "nested too deeply%s", "", t);
    if (t->kind == ZR_ABI_ARRAY || t->kind == ZR_ABI_DYN_ARRAY || t->kind == ZR_ABI_TUPLE)
        return parse_container(p, t, level, out);
    if (closer == 0 && t->kind == ZR_ABI_STRING && p->pos < p->len &&
        (p->s[p->pos] == '"' || p->s[p->pos] == '\'')) {
        /* a whole argument in quotes is the text inside them (as cast reads it) */
        char q = p->s[p->pos];
        size_t a = p->pos + 1;
        const char *end = memchr(p->s + a, q, p->len - a);
        if (!end || (size_t)(end - p->s) != p->len - 1)
            return tfail(p, p->pos, "a quoted string must end with its quote%s", "", t);
        p->pos = p->len;
        return parse_scalar(p, t, p->s + a, (size_t)(end - (p->s + a)), a, out);
    }
    if (closer == 0) {
        size_t a = p->pos, b = p->len;
        while (b > a && isspace((unsigned char)p->s[b - 1]))
            b--;
        if (t->kind != ZR_ABI_STRING)
            while (a < b && isspace((unsigned char)p->s[a]))
                a++;
        p->pos = p->len;
        return parse_scalar(p, t, p->s + a, b - a, a, out);
    }
    tskip_ws(p);
    size_t a = p->pos;
    if (p->pos < p->len && (p->s[p->pos] == '"' || p->s[p->pos] == '\'')) {
        char q = p->s[p->pos++];
        const char *end = memchr(p->s + p->pos, q, p->len - p->pos);
        if (!end)
            return tfail(p, a, "unterminated quote%s", "", t);
        size_t s0 = p->pos, n = (size_t)(end - (p->s + s0));
        p->pos = s0 + n + 1;
        return parse_scalar(p, t, p->s + s0, n, a, out);
    }
    while (p->pos < p->len && p->s[p->pos] != ',' && p->s[p->pos] != closer)
        p->pos++;
    size_t b = p->pos;
    while (b > a && isspace((unsigned char)p->s[b - 1]))
        b--;
    return parse_scalar(p, t, p->s + a, b - a, a, out);
}

int zr_abi_value_parse(zr_abi_value_t **out, const zr_abi_type_t *t, const char *text, zr_abi_diag_t *diag)
{
    *out = NULL;
    zr__abi_diag_clear(diag);
    if (!t || !text)
        return zr__abi_fail(diag, ZR_EINVAL, 0, "missing type or text");
    tparser_t p = {text, 0, strlen(text), diag};
    zr_abi_value_t *v;
    int rc = parse_in(&p, t, 0, 0, &v);
    if (rc)
        return rc;
    tskip_ws(&p);
    if (p.pos != p.len) {
        zr_abi_value_free(v);
        return tfail(&p, p.pos, "unexpected text after the value%s", "", t);
    }
    *out = v;
    return 0;
}

int zr_abi_value_parse_args(zr_abi_value_t **out, const zr_abi_type_t *t, int argc, char *const *argv,
                            zr_abi_diag_t *diag)
{
    *out = NULL;
    zr__abi_diag_clear(diag);
    if (!t || t->kind != ZR_ABI_TUPLE)
        return zr__abi_fail(diag, ZR_EINVAL, 0, "the argument types must be a tuple");
    if (argc < 0 || (size_t)argc != t->nfields)
        return zr__abi_fail(diag, ZR_EABIVALUE, 0, "%d argument%s given, the signature takes %zu", argc,
                            argc == 1 ? "" : "s", t->nfields);
    zr_abi_value_t *v = zr_abi_value_new(ZR_ABI_V_TUPLE);
    if (!v)
        return ZR_ENOMEM;
    for (int i = 0; i < argc; i++) {
        zr_abi_value_t *c;
        int rc = zr_abi_value_parse(&c, t->fields[i], argv[i], diag);
        if (rc == 0)
            rc = zr_abi_value_push(v, c);
        if (rc) {
            char pre[32];
            snprintf(pre, sizeof pre, "argument %d", i + 1);
            zr__abi_diag_prefix(diag, pre);
            zr_abi_value_free(v);
            return rc;
        }
    }
    *out = v;
    return 0;
}

/* ---- printing -------------------------------------------------------------------------- */

int zr_abi_format_address(zr_buf_t *out, const uint8_t addr[20])
{
    char hex[41];
    uint8_t h[32];
    zr_hex_encode(hex, addr, 20);
    zr_keccak256(h, hex, 40);
    for (int i = 0; i < 40; i++) {
        int nib = (h[i / 2] >> (i % 2 ? 0 : 4)) & 15;
        if (hex[i] >= 'a' && hex[i] <= 'f' && nib >= 8)
            hex[i] = (char)(hex[i] - 'a' + 'A');
    }
    return zr_buf_printf(out, "0x%s", hex);
}

/* Decimal text of a NUM value, with '-' when negative. */
static void num_decimal(char *out, const zr_abi_value_t *v)
{
    uint8_t w[32];
    memcpy(w, v->word, 32);
    if (v->neg) {
        u256_negate(w);
        out[0] = '-';
        out++;
    }
    u256_decimal(out, w);
}

/* cast's " [1.234e5]": four significant digits, truncated, trailing zeros dropped. */
static int num_annotation(zr_buf_t *out, const char *dec)
{
    const char *d = dec[0] == '-' ? dec + 1 : dec;
    size_t n = strlen(d);
    if (n < 5)
        return 0;
    char m[8];
    size_t k = 0;
    m[k++] = d[0];
    size_t last = 1;
    for (size_t i = 1; i < 4; i++)
        if (d[i] != '0')
            last = i + 1;
    if (last > 1) {
        m[k++] = '.';
        for (size_t i = 1; i < last; i++)
            m[k++] = d[i];
    }
    m[k] = 0;
    return zr_buf_printf(out, " [%s%se%zu]", dec[0] == '-' ? "-" : "", m, n - 1);
}

/* Next code point of s[0..n) with Rust's lossy UTF-8 rules (maximal invalid subparts
 * become one U+FFFD each); returns the bytes consumed. */
static size_t utf8_next(const uint8_t *s, size_t n, uint32_t *cp)
{
    uint8_t b = s[0];
    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    size_t need;
    uint8_t lo = 0x80, hi = 0xbf;
    uint32_t c;
    if (b >= 0xc2 && b <= 0xdf)
        need = 1, c = b & 0x1f;
    else if (b >= 0xe0 && b <= 0xef) {
        need = 2, c = b & 0x0f;
        if (b == 0xe0)
            lo = 0xa0;
        if (b == 0xed)
            hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
        need = 3, c = b & 0x07;
        if (b == 0xf0)
            lo = 0x90;
        if (b == 0xf4)
            hi = 0x8f;
    } else {
        *cp = 0xfffd;
        return 1;
    }
    size_t i = 1;
    for (; i <= need; i++) {
        if (i >= n || s[i] < lo || s[i] > hi) {
            *cp = 0xfffd;
            return i;
        }
        c = c << 6 | (s[i] & 0x3f);
        lo = 0x80, hi = 0xbf;
    }
    *cp = c;
    return i;
}

static int append_utf8(zr_buf_t *out, uint32_t c)
{
    uint8_t b[4];
    size_t n;
    if (c < 0x80)
        b[0] = (uint8_t)c, n = 1;
    else if (c < 0x800)
        b[0] = (uint8_t)(0xc0 | c >> 6), b[1] = (uint8_t)(0x80 | (c & 0x3f)), n = 2;
    else if (c < 0x10000)
        b[0] = (uint8_t)(0xe0 | c >> 12), b[1] = (uint8_t)(0x80 | ((c >> 6) & 0x3f)),
        b[2] = (uint8_t)(0x80 | (c & 0x3f)), n = 3;
    else
        b[0] = (uint8_t)(0xf0 | c >> 18), b[1] = (uint8_t)(0x80 | ((c >> 12) & 0x3f)),
        b[2] = (uint8_t)(0x80 | ((c >> 6) & 0x3f)), b[3] = (uint8_t)(0x80 | (c & 0x3f)), n = 4;
    return zr_buf_append(out, b, n);
}

/* Code points Rust's Debug escapes as \u{..}: controls, format characters, separators,
 * common combining marks (grapheme extenders: Latin, Cyrillic, Hebrew, Arabic, Devanagari,
 * Thai, kana), private use and noncharacters. An approximation of Rust's Unicode tables:
 * unassigned code points and rarer scripts' marks print unescaped here. */
static int rust_escapes(uint32_t c)
{
    static const uint32_t ranges[][2] = {
        {0x00, 0x1f},       {0x7f, 0x9f},       {0xad, 0xad},       {0x300, 0x36f},     {0x483, 0x489},
        {0x591, 0x5bd},     {0x5bf, 0x5bf},     {0x5c1, 0x5c2},     {0x5c4, 0x5c5},     {0x5c7, 0x5c7},
        {0x600, 0x605},     {0x610, 0x61a},     {0x61c, 0x61c},     {0x64b, 0x65f},     {0x670, 0x670},
        {0x6d6, 0x6dd},     {0x6df, 0x6e4},     {0x6e7, 0x6e8},     {0x6ea, 0x6ed},     {0x70f, 0x70f},
        {0x900, 0x902},     {0x93a, 0x93a},     {0x93c, 0x93c},     {0x941, 0x948},     {0x94d, 0x94d},
        {0x951, 0x957},     {0x962, 0x963},     {0xe31, 0xe31},     {0xe34, 0xe3a},     {0xe47, 0xe4e},
        {0x180b, 0x180f},   {0x1ab0, 0x1aff},   {0x1dc0, 0x1dff},   {0x200b, 0x200f},   {0x2028, 0x202e},
        {0x2060, 0x206f},   {0x20d0, 0x20ff},   {0x302a, 0x302f},   {0x3099, 0x309a},   {0xd800, 0xf8ff},
        {0xfe00, 0xfe0f},   {0xfe20, 0xfe2f},   {0xfeff, 0xfeff},   {0xfff0, 0xfffb},   {0xe0000, 0xe0fff},
        {0xf0000, 0x10ffff},
    };
    for (size_t i = 0; i < ZR_ARRAY_LEN(ranges); i++)
        if (c >= ranges[i][0] && c <= ranges[i][1])
            return 1;
    return (c & 0xfffe) == 0xfffe;
}

static int format_rust_string(zr_buf_t *out, const uint8_t *s, size_t n)
{
    int rc = zr_buf_append_byte(out, '"');
    size_t i = 0;
    while (rc == 0 && i < n) {
        uint32_t c;
        i += utf8_next(s + i, n - i, &c);
        switch (c) {
        case '\t': rc = zr_buf_append_str(out, "\\t"); break;
        case '\r': rc = zr_buf_append_str(out, "\\r"); break;
        case '\n': rc = zr_buf_append_str(out, "\\n"); break;
        case '\\': rc = zr_buf_append_str(out, "\\\\"); break;
        case '"': rc = zr_buf_append_str(out, "\\\""); break;
        case 0: rc = zr_buf_append_str(out, "\\0"); break;
        default:
            rc = rust_escapes(c) ? zr_buf_printf(out, "\\u{%x}", (unsigned)c) : append_utf8(out, c);
        }
    }
    return rc ? rc : zr_buf_append_byte(out, '"');
}

static int format_json_string(zr_buf_t *out, const uint8_t *s, size_t n)
{
    int rc = zr_buf_append_byte(out, '"');
    size_t i = 0;
    while (rc == 0 && i < n) {
        uint32_t c;
        i += utf8_next(s + i, n - i, &c);
        switch (c) {
        case '\t': rc = zr_buf_append_str(out, "\\t"); break;
        case '\r': rc = zr_buf_append_str(out, "\\r"); break;
        case '\n': rc = zr_buf_append_str(out, "\\n"); break;
        case '\b': rc = zr_buf_append_str(out, "\\b"); break;
        case '\f': rc = zr_buf_append_str(out, "\\f"); break;
        case '\\': rc = zr_buf_append_str(out, "\\\\"); break;
        case '"': rc = zr_buf_append_str(out, "\\\""); break;
        case 0x7f: break; /* cast 1.7.1's --json output drops DEL (observed) */
        default:
            rc = c < 0x20 ? zr_buf_printf(out, "\\u%04x", (unsigned)c) : append_utf8(out, c);
        }
    }
    return rc ? rc : zr_buf_append_byte(out, '"');
}

static int format_hex(zr_buf_t *out, const uint8_t *p, size_t n)
{
    return zr_hex_append_0x(out, p, n);
}

int zr_abi_value_format(zr_buf_t *out, const zr_abi_value_t *v)
{
    int rc;
    switch (v->kind) {
    case ZR_ABI_V_NUM: {
        char dec[84];
        num_decimal(dec, v);
        if ((rc = zr_buf_append_str(out, dec)) != 0)
            return rc;
        return num_annotation(out, dec);
    }
    case ZR_ABI_V_ADDRESS:
        return zr_abi_format_address(out, v->word + 12);
    case ZR_ABI_V_BOOL:
        return zr_buf_append_str(out, v->word[31] ? "true" : "false");
    case ZR_ABI_V_FIXED_BYTES:
        return format_hex(out, v->word, v->len);
    case ZR_ABI_V_BYTES:
        return format_hex(out, v->data, v->len);
    case ZR_ABI_V_STRING:
        return format_rust_string(out, v->data, v->len);
    case ZR_ABI_V_ARRAY:
    case ZR_ABI_V_TUPLE: {
        int tup = v->kind == ZR_ABI_V_TUPLE;
        if ((rc = zr_buf_append_byte(out, tup ? '(' : '[')) != 0)
            return rc;
        for (size_t i = 0; i < v->count; i++) {
            if (i && (rc = zr_buf_append_str(out, ", ")) != 0)
                return rc;
            if ((rc = zr_abi_value_format(out, v->items[i])) != 0)
                return rc;
        }
        return zr_buf_append_byte(out, tup ? ')' : ']');
    }
    }
    return ZR_EINVAL;
}

static int indent_to(zr_buf_t *out, unsigned level)
{
    int rc = 0;
    for (unsigned i = 0; rc == 0 && i < level; i++)
        rc = zr_buf_append_str(out, "  ");
    return rc;
}

int zr_abi_value_format_json(zr_buf_t *out, const zr_abi_value_t *v, unsigned indent)
{
    int rc;
    switch (v->kind) {
    case ZR_ABI_V_NUM: {
        char dec[84];
        num_decimal(dec, v);
        int64_t i64;
        uint64_t u64;
        int fits = v->is_signed ? zr_abi_value_i64(v, &i64) == 0 : zr_abi_value_u64(v, &u64) == 0;
        return zr_buf_printf(out, fits ? "%s" : "\"%s\"", dec);
    }
    case ZR_ABI_V_ADDRESS:
        if ((rc = zr_buf_append_byte(out, '"')) != 0 || (rc = zr_abi_format_address(out, v->word + 12)) != 0)
            return rc;
        return zr_buf_append_byte(out, '"');
    case ZR_ABI_V_BOOL:
        return zr_buf_append_str(out, v->word[31] ? "true" : "false");
    case ZR_ABI_V_FIXED_BYTES:
    case ZR_ABI_V_BYTES:
        if ((rc = zr_buf_append_byte(out, '"')) != 0 ||
            (rc = format_hex(out, v->kind == ZR_ABI_V_BYTES ? v->data : v->word, v->len)) != 0)
            return rc;
        return zr_buf_append_byte(out, '"');
    case ZR_ABI_V_STRING:
        return format_json_string(out, v->data, v->len);
    case ZR_ABI_V_ARRAY:
    case ZR_ABI_V_TUPLE:
        if (v->count == 0)
            return zr_buf_append_str(out, "[]");
        if ((rc = zr_buf_append_str(out, "[\n")) != 0)
            return rc;
        for (size_t i = 0; i < v->count; i++) {
            if ((rc = indent_to(out, indent + 1)) != 0 || (rc = zr_abi_value_format_json(out, v->items[i], indent + 1)) != 0 ||
                (rc = zr_buf_append_str(out, i + 1 < v->count ? ",\n" : "\n")) != 0)
                return rc;
        }
        if ((rc = indent_to(out, indent)) != 0)
            return rc;
        return zr_buf_append_byte(out, ']');
    }
    return ZR_EINVAL;
}
