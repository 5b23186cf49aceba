// SPDX-License-Identifier: MIT
// EIP-712 typed structured data: encodeType / typeHash / encodeData / hashStruct over the
// JSON document of eth_signTypedData_v4 (nested structs, fixed and dynamic arrays, every
// atomic type), the domain separator and the 0x1901 digest, plus a streaming hasher for
// structs fixed at compile time. Every value is range-checked against its declared type.
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zara/eip712.h"

/* typeHashes already computed while hashing one document: an array of N structs of one
 * type would otherwise redo encodeType N times. */
typedef struct th_cache {
    const char *names[ZR_EIP712_MAX_TYPES];
    uint8_t hashes[ZR_EIP712_MAX_TYPES][32];
    size_t n;
} th_cache_t;

typedef struct ctx {
    const json_t *types;
    char *err;
    size_t err_cap;
    th_cache_t *cache; /* may be NULL */
} ctx_t;

__attribute__((format(printf, 2, 3))) static int efail(const ctx_t *c, const char *fmt, ...)
{
    if (c->err && c->err_cap) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->err, c->err_cap, fmt, ap);
        va_end(ap);
    }
    return ZR_EEIP712;
}

/* ---- type names ------------------------------------------------------------------------ */

/* Parses the decimal size suffix of uintN/intN/bytesN; 0 when malformed. */
static unsigned size_suffix(const char *s, size_t len)
{
    if (len == 0 || len > 3 || s[0] == '0')
        return 0;
    unsigned v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    return v;
}

typedef enum { T_STRUCT, T_BOOL, T_ADDRESS, T_STRING, T_BYTES, T_BYTESN, T_UINT, T_INT, T_BAD } kind_t;

/* Classifies a base type name (no array suffix) of length len; *bits gets N for
 * uintN/intN (bits) and bytesN (bytes). */
static kind_t classify(const char *t, size_t len, unsigned *bits)
{
#define IS(lit) (len == sizeof(lit) - 1 && memcmp(t, lit, len) == 0)
    *bits = 0;
    if (IS("bool"))
        return T_BOOL;
    if (IS("address"))
        return T_ADDRESS;
    if (IS("string"))
        return T_STRING;
    if (IS("bytes"))
        return T_BYTES;
    if (len > 5 && memcmp(t, "bytes", 5) == 0) {
        unsigned n = size_suffix(t + 5, len - 5);
        *bits = n;
        return n >= 1 && n <= 32 ? T_BYTESN : T_BAD;
    }
    if (len >= 4 && memcmp(t, "uint", 4) == 0) {
        unsigned n = size_suffix(t + 4, len - 4);
        *bits = n;
        return n >= 8 && n <= 256 && n % 8 == 0 ? T_UINT : T_BAD;
    }
    if (len >= 3 && memcmp(t, "int", 3) == 0) {
        unsigned n = size_suffix(t + 3, len - 3);
        *bits = n;
        return n >= 8 && n <= 256 && n % 8 == 0 ? T_INT : T_BAD;
    }
    return T_STRUCT;
#undef IS
}

/* Length of the base name of a possibly-array type ("Person[2][]" → 6). */
static size_t base_len(const char *t)
{
    const char *b = strchr(t, '[');
    return b ? (size_t)(b - t) : strlen(t);
}

/* The members array of struct type name[0..len), or NULL. */
static const json_t *struct_members(const ctx_t *c, const char *name, size_t len)
{
    char buf[256];
    if (len >= sizeof buf)
        return NULL;
    memcpy(buf, name, len);
    buf[len] = 0;
    const json_t *m = json_object_get(c->types, buf);
    return json_is_array(m) ? m : NULL;
}

/* Checks the "types" object: every entry an array of {name, type} strings, bounded size. */
static int check_types(const ctx_t *c)
{
    if (!json_is_object(c->types))
        return efail(c, "EIP-712: \"types\" must be an object");
    if (json_object_size(c->types) > ZR_EIP712_MAX_TYPES)
        return efail(c, "EIP-712: more than %d types", ZR_EIP712_MAX_TYPES);
    const char *name;
    const json_t *members;
    json_object_foreach((json_t *)c->types, name, members)
    {
        if (!json_is_array(members))
            return efail(c, "EIP-712: type %s must be an array of members", name);
        if (strlen(name) == 0 || strlen(name) > 200 || strpbrk(name, "[](), "))
            return efail(c, "EIP-712: invalid type name \"%s\"", name);
        size_t i;
        const json_t *m;
        json_array_foreach(members, i, m)
        {
            const char *mn = zr_json_str(m, "name"), *mt = zr_json_str(m, "type");
            if (!mn || !mt || !*mn || !*mt)
                return efail(c, "EIP-712: member %zu of %s needs string \"name\" and \"type\"", i, name);
            if (strpbrk(mn, "(), ") || strpbrk(mt, "(), "))
                return efail(c, "EIP-712: member %s of %s has an invalid name or type", mn, name);
        }
    }
    return 0;
}

/* Validates an array suffix ("[]", "[3]", repeated) starting at s. */
static int check_suffix(const ctx_t *c, const char *full, const char *s)
{
    while (*s) {
        if (*s != '[')
            return efail(c, "EIP-712: malformed type \"%s\"", full);
        const char *e = strchr(s, ']');
        if (!e)
            return efail(c, "EIP-712: malformed type \"%s\"", full);
        if (e > s + 1 && size_suffix(s + 1, (size_t)(e - s - 1)) == 0 && !(e == s + 2 && s[1] == '0'))
            return efail(c, "EIP-712: malformed array size in \"%s\"", full);
        s = e + 1;
    }
    return 0;
}

/* ---- encodeType -------------------------------------------------------------------------- */

typedef struct deps {
    const char *names[ZR_EIP712_MAX_TYPES + 1];
    size_t n;
} deps_t;

static int collect_deps(const ctx_t *c, deps_t *d, const char *name, size_t len, int depth)
{
    for (size_t i = 0; i < d->n; i++)
        if (strlen(d->names[i]) == len && memcmp(d->names[i], name, len) == 0)
            return 0;
    if (depth > ZR_EIP712_MAX_DEPTH)
        return efail(c, "EIP-712: types nested too deeply");
    const json_t *members = struct_members(c, name, len);
    if (!members)
        return efail(c, "EIP-712: unknown type \"%.*s\"", (int)len, name);
    /* the key as stored in the object, so the pointer outlives this call */
    char nm[256];
    memcpy(nm, name, len);
    nm[len] = 0;
    const char *key = json_object_iter_key(json_object_iter_at((json_t *)c->types, nm));
    if (d->n >= ZR_EIP712_MAX_TYPES)
        return efail(c, "EIP-712: too many types");
    d->names[d->n++] = key;
    size_t i;
    const json_t *m;
    json_array_foreach(members, i, m)
    {
        const char *t = zr_json_str(m, "type");
        size_t bl = base_len(t);
        unsigned bits;
        int rc = check_suffix(c, t, t + bl);
        if (rc)
            return rc;
        kind_t kd = classify(t, bl, &bits);
        if (kd == T_BAD)
            return efail(c, "EIP-712: invalid type \"%s\"", t);
        if (kd == T_STRUCT && (rc = collect_deps(c, d, t, bl, depth + 1)) != 0)
            return rc;
    }
    return 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int append_struct_sig(zr_buf_t *out, const ctx_t *c, const char *name)
{
    const json_t *members = struct_members(c, name, strlen(name));
    int rc = zr_buf_printf(out, "%s(", name);
    size_t i;
    const json_t *m;
    json_array_foreach(members, i, m)
    {
        if (rc == 0)
            rc = zr_buf_printf(out, "%s%s %s", i ? "," : "", zr_json_str(m, "type"), zr_json_str(m, "name"));
    }
    if (rc == 0)
        rc = zr_buf_append_byte(out, ')');
    return rc;
}

static int encode_type(zr_buf_t *out, const ctx_t *c, const char *primary)
{
    deps_t d;
    d.n = 0;
    int rc = collect_deps(c, &d, primary, strlen(primary), 0);
    if (rc)
        return rc;
    if (d.n > 1)
        qsort(d.names + 1, d.n - 1, sizeof d.names[0], cmp_names);
    for (size_t i = 0; i < d.n && rc == 0; i++)
        rc = append_struct_sig(out, c, d.names[i]);
    return rc;
}

static int type_hash(uint8_t out[32], const ctx_t *c, const char *primary)
{
    th_cache_t *tc = c->cache;
    if (tc)
        for (size_t i = 0; i < tc->n; i++)
            if (strcmp(tc->names[i], primary) == 0) {
                memcpy(out, tc->hashes[i], 32);
                return 0;
            }
    zr_buf_t b;
    zr_buf_init(&b, 1u << 20);
    int rc = encode_type(&b, c, primary);
    if (rc == 0)
        zr_keccak256(out, b.data, b.len);
    zr_buf_cleanup(&b);
    if (rc == 0 && tc && tc->n < ZR_EIP712_MAX_TYPES) {
        /* key pointers stay valid as long as the types object does */
        const char *key = json_object_iter_key(json_object_iter_at((json_t *)c->types, primary));
        if (key) {
            tc->names[tc->n] = key;
            memcpy(tc->hashes[tc->n++], out, 32);
        }
    }
    return rc;
}

/* ---- values ------------------------------------------------------------------------------ */

/* Parses an integer value (JSON integer, or string: optional '-', then decimal or 0x-hex)
 * as a 256-bit magnitude and a sign. */
static int parse_int(const ctx_t *c, const json_t *v, const char *field, uint8_t mag[32], int *neg)
{
    memset(mag, 0, 32);
    *neg = 0;
    if (json_is_integer(v)) {
        json_int_t x = json_integer_value(v);
        uint64_t u = x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
        *neg = x < 0;
        for (int i = 0; i < 8; i++)
            mag[31 - i] = (uint8_t)(u >> (8 * i));
        return 0;
    }
    if (!json_is_string(v))
        return efail(c, "EIP-712: %s: expected an integer or a numeric string", field);
    const char *s = json_string_value(v);
    if (*s == '-') {
        *neg = 1;
        s++;
    }
    unsigned base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    if (!*s)
        return efail(c, "EIP-712: %s: empty number", field);
    for (; *s; s++) {
        int dgt = zr_hex_digit(*s);
        if (dgt < 0 || (unsigned)dgt >= base)
            return efail(c, "EIP-712: %s: \"%s\" is not a number", field, json_string_value(v));
        unsigned carry = (unsigned)dgt;
        for (int i = 31; i >= 0; i--) {
            unsigned x = mag[i] * base + carry;
            mag[i] = (uint8_t)x;
            carry = x >> 8;
        }
        if (carry)
            return efail(c, "EIP-712: %s: number exceeds 256 bits", field);
    }
    int zero = 1;
    for (int i = 0; i < 32; i++)
        zero &= mag[i] == 0;
    if (zero)
        *neg = 0;
    return 0;
}

/* Number of significant bits of a 256-bit big-endian magnitude. */
static unsigned bitlen(const uint8_t mag[32])
{
    for (int i = 0; i < 32; i++)
        if (mag[i]) {
            unsigned b = 8;
            while (!(mag[i] & 0x80u >> (8 - b)))
                b--;
            return (unsigned)(31 - i) * 8 + b;
        }
    return 0;
}

static int encode_int(const ctx_t *c, uint8_t word[32], const json_t *v, kind_t k, unsigned bits,
                      const char *field)
{
    uint8_t mag[32];
    int neg, rc = parse_int(c, v, field, mag, &neg);
    if (rc)
        return rc;
    unsigned bl = bitlen(mag);
    if (k == T_UINT) {
        if (neg || bl > bits)
            return efail(c, "EIP-712: %s: value out of range for uint%u", field, bits);
        memcpy(word, mag, 32);
        return 0;
    }
    /* intN: -2^(N-1) <= v < 2^(N-1); the negative bound has bitlen N with only the top bit */
    int ok = bl < bits;
    if (neg && bl == bits) {
        ok = 1;
        for (unsigned i = 0; i + 1 < bits && ok; i++)
            ok = !(mag[31 - i / 8] & (1u << (i % 8)));
    }
    if (!ok)
        return efail(c, "EIP-712: %s: value out of range for int%u", field, bits);
    memcpy(word, mag, 32);
    if (neg) { /* two's complement */
        unsigned carry = 1;
        for (int i = 31; i >= 0; i--) {
            unsigned x = (uint8_t)~word[i] + carry;
            word[i] = (uint8_t)x;
            carry = x >> 8;
        }
    }
    return 0;
}

/* Hex string → bytes into out (cap), *n the length. */
static int parse_hex_bytes(const ctx_t *c, const json_t *v, const char *field, zr_buf_t *out)
{
    if (!json_is_string(v))
        return efail(c, "EIP-712: %s: expected a 0x-hex string", field);
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (len < 2 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
        return efail(c, "EIP-712: %s: expected a 0x-hex string", field);
    int rc = zr_buf_reserve(out, len / 2);
    if (rc == 0)
        rc = zr_hex_decode(out->data + out->len, len / 2 + 1, &out->len, s, len);
    if (rc)
        return efail(c, "EIP-712: %s: malformed hex", field);
    return 0;
}

static int encode_value(const ctx_t *c, uint8_t word[32], const char *type, const json_t *v, const char *field,
                        int depth);

static int hash_struct(const ctx_t *c, uint8_t out[32], const char *name, size_t name_len, const json_t *data,
                       int depth)
{
    if (depth > ZR_EIP712_MAX_DEPTH)
        return efail(c, "EIP-712: data nested too deeply");
    if (!json_is_object(data))
        return efail(c, "EIP-712: value of struct type %.*s must be an object", (int)name_len, name);
    char nm[256];
    if (name_len >= sizeof nm)
        return efail(c, "EIP-712: type name too long");
    memcpy(nm, name, name_len);
    nm[name_len] = 0;
    uint8_t th[32];
    int rc = type_hash(th, c, nm);
    if (rc)
        return rc;
    zr_keccak_t k;
    zr_keccak_init(&k);
    zr_keccak_update(&k, th, 32);
    const json_t *members = struct_members(c, nm, name_len);
    size_t i;
    const json_t *m;
    json_array_foreach(members, i, m)
    {
        const char *mn = zr_json_str(m, "name"), *mt = zr_json_str(m, "type");
        const json_t *val = json_object_get(data, mn);
        if (!val)
            return efail(c, "EIP-712: %s is missing field \"%s\"", nm, mn);
        uint8_t w[32];
        if ((rc = encode_value(c, w, mt, val, mn, depth + 1)) != 0)
            return rc;
        zr_keccak_update(&k, w, 32);
    }
    zr_keccak_final(&k, out);
    return 0;
}

static int encode_value(const ctx_t *c, uint8_t word[32], const char *type, const json_t *v, const char *field,
                        int depth)
{
    if (depth > ZR_EIP712_MAX_DEPTH)
        return efail(c, "EIP-712: data nested too deeply");
    size_t tl = strlen(type);
    memset(word, 0, 32);
    if (tl && type[tl - 1] == ']') {
        /* array: hash of the concatenated encodings of its elements */
        const char *open = strrchr(type, '[');
        if (!open)
            return efail(c, "EIP-712: malformed type \"%s\"", type);
        if (!json_is_array(v))
            return efail(c, "EIP-712: %s: expected an array for %s", field, type);
        if (open[1] != ']') {
            unsigned long n = strtoul(open + 1, NULL, 10);
            if (json_array_size(v) != n)
                return efail(c, "EIP-712: %s: %s needs %lu elements, got %zu", field, type, n, json_array_size(v));
        }
        char elem[256];
        size_t el = (size_t)(open - type);
        if (el >= sizeof elem)
            return efail(c, "EIP-712: type name too long");
        memcpy(elem, type, el);
        elem[el] = 0;
        zr_keccak_t k;
        zr_keccak_init(&k);
        size_t i;
        const json_t *x;
        json_array_foreach(v, i, x)
        {
            uint8_t w[32];
            int rc = encode_value(c, w, elem, x, field, depth + 1);
            if (rc)
                return rc;
            zr_keccak_update(&k, w, 32);
        }
        zr_keccak_final(&k, word);
        return 0;
    }
    unsigned bits;
    kind_t kd = classify(type, tl, &bits);
    int rc = 0;
    switch (kd) {
    case T_STRUCT:
        return hash_struct(c, word, type, tl, v, depth);
    case T_BOOL:
        if (!json_is_boolean(v))
            return efail(c, "EIP-712: %s: expected true or false", field);
        word[31] = json_is_true(v) ? 1 : 0;
        return 0;
    case T_ADDRESS: {
        const char *s = json_is_string(v) ? json_string_value(v) : NULL;
        rc = zr_addr_parse(word + 12, s);
        if (rc == ZR_ECHECKSUM)
            return efail(c, "EIP-712: %s: address \"%s\" has a bad EIP-55 checksum", field, s);
        if (rc)
            return efail(c, "EIP-712: %s: expected a 20-byte 0x-hex address", field);
        return 0;
    }
    case T_STRING:
        if (!json_is_string(v))
            return efail(c, "EIP-712: %s: expected a string", field);
        zr_keccak256(word, json_string_value(v), json_string_length(v));
        return 0;
    case T_BYTES:
    case T_BYTESN: {
        zr_buf_t b;
        zr_buf_init(&b, ZR_EIP712_MAX_DOC);
        rc = parse_hex_bytes(c, v, field, &b);
        if (rc == 0 && kd == T_BYTES)
            zr_keccak256(word, b.data ? b.data : (const uint8_t *)"", b.len);
        else if (rc == 0 && b.len != bits)
            rc = efail(c, "EIP-712: %s: bytes%u needs %u bytes, got %zu", field, bits, bits, b.len);
        else if (rc == 0)
            memcpy(word, b.data, b.len);
        zr_buf_cleanup(&b);
        return rc;
    }
    case T_UINT:
    case T_INT:
        return encode_int(c, word, v, kd, bits, field);
    case T_BAD:
        break;
    }
    return efail(c, "EIP-712: invalid type \"%s\"", type);
}

/* ---- public generic API ----------------------------------------------------------------- */

int zr_eip712_encode_type(zr_buf_t *out, const json_t *types, const char *primary, char *err, size_t err_cap)
{
    ctx_t c = {types, err, err_cap, NULL};
    int rc = check_types(&c);
    return rc ? rc : encode_type(out, &c, primary);
}

int zr_eip712_type_hash(uint8_t out[32], const json_t *types, const char *primary, char *err, size_t err_cap)
{
    ctx_t c = {types, err, err_cap, NULL};
    int rc = check_types(&c);
    return rc ? rc : type_hash(out, &c, primary);
}

int zr_eip712_hash_struct(uint8_t out[32], const json_t *types, const char *primary, const json_t *data, char *err,
                          size_t err_cap)
{
    th_cache_t *cache = malloc(sizeof *cache);
    if (!cache)
        return ZR_ENOMEM;
    cache->n = 0;
    ctx_t c = {types, err, err_cap, cache};
    int rc = check_types(&c);
    if (rc == 0 && !struct_members(&c, primary, strlen(primary)))
        rc = efail(&c, "EIP-712: unknown type \"%s\"", primary);
    if (rc == 0)
        rc = hash_struct(&c, out, primary, strlen(primary), data, 0);
    free(cache);
    return rc;
}

/* The standard domain fields, in the order ethers and viem derive EIP712Domain. */
static const struct {
    const char *name, *type;
} k_domain_fields[] = {
    {"name", "string"},
    {"version", "string"},
    {"chainId", "uint256"},
    {"verifyingContract", "address"},
    {"salt", "bytes32"},
};

int zr_eip712_hash_domain(uint8_t out[32], const json_t *typed_data, char *err, size_t err_cap)
{
    ctx_t c = {NULL, err, err_cap, NULL};
    if (!json_is_object(typed_data))
        return efail(&c, "EIP-712: typed data must be a JSON object");
    const json_t *types = json_object_get(typed_data, "types");
    const json_t *domain = json_object_get(typed_data, "domain");
    if (!json_is_object(types))
        return efail(&c, "EIP-712: missing \"types\" object");
    if (!json_is_object(domain))
        return efail(&c, "EIP-712: missing \"domain\" object");
    if (json_object_get(types, "EIP712Domain"))
        return zr_eip712_hash_struct(out, types, "EIP712Domain", domain, err, err_cap);
    /* derive EIP712Domain from the fields present */
    json_t *own = json_deep_copy(types);
    json_t *members = json_array();
    int rc = ZR_ENOMEM;
    if (!own || !members)
        goto fail;
    for (size_t i = 0; i < ZR_ARRAY_LEN(k_domain_fields); i++) {
        if (!json_object_get(domain, k_domain_fields[i].name))
            continue;
        if (json_array_append_new(members, json_pack("{s:s,s:s}", "name", k_domain_fields[i].name, "type",
                                                     k_domain_fields[i].type)) != 0)
            goto fail;
    }
    if (json_object_set(own, "EIP712Domain", members) != 0)
        goto fail;
    rc = zr_eip712_hash_struct(out, own, "EIP712Domain", domain, err, err_cap);
fail:
    json_decref(members);
    json_decref(own);
    return rc;
}

int zr_eip712_hash_typed_data(uint8_t digest[32], uint8_t domain_sep[32], uint8_t struct_hash[32],
                              const json_t *typed_data, char *err, size_t err_cap)
{
    ctx_t c = {NULL, err, err_cap, NULL};
    uint8_t ds[32], sh[32];
    int rc = zr_eip712_hash_domain(ds, typed_data, err, err_cap);
    if (rc)
        return rc;
    const char *primary = zr_json_str(typed_data, "primaryType");
    const json_t *message = json_object_get(typed_data, "message");
    if (!primary)
        return efail(&c, "EIP-712: missing \"primaryType\"");
    /* a domain-only document (primaryType EIP712Domain) signs 0x1901 || domainSeparator */
    int domain_only = strcmp(primary, "EIP712Domain") == 0;
    if (!domain_only) {
        if (!message)
            return efail(&c, "EIP-712: missing \"message\"");
        rc = zr_eip712_hash_struct(sh, json_object_get(typed_data, "types"), primary, message, err, err_cap);
        if (rc)
            return rc;
    } else {
        memcpy(sh, ds, 32);
    }
    zr_keccak_t k;
    zr_keccak_init(&k);
    zr_keccak_update(&k, "\x19\x01", 2);
    zr_keccak_update(&k, ds, 32);
    if (!domain_only)
        zr_keccak_update(&k, sh, 32);
    zr_keccak_final(&k, digest);
    if (domain_sep)
        memcpy(domain_sep, ds, 32);
    if (struct_hash)
        memcpy(struct_hash, sh, 32);
    return 0;
}

int zr_eip712_hash_typed_data_json(uint8_t digest[32], const char *json, size_t len, char *err, size_t err_cap)
{
    json_t *root = NULL;
    int rc = zr_json_parse(json, len, ZR_EIP712_MAX_DOC, &root, err, err_cap);
    if (rc)
        return rc;
    rc = zr_eip712_hash_typed_data(digest, NULL, NULL, root, err, err_cap);
    json_decref(root);
    return rc;
}

int zr_eip712_sign_typed_data(zr_sig_t *sig, const uint8_t sk[32], const json_t *typed_data, char *err,
                              size_t err_cap)
{
    uint8_t d[32];
    int rc = zr_eip712_hash_typed_data(d, NULL, NULL, typed_data, err, err_cap);
    return rc ? rc : zr_ecdsa_sign(sig, sk, d);
}

int zr_eip712_recover_typed_data(uint8_t addr[20], const zr_sig_t *sig, const json_t *typed_data, char *err,
                                 size_t err_cap)
{
    uint8_t d[32];
    int rc = zr_eip712_hash_typed_data(d, NULL, NULL, typed_data, err, err_cap);
    return rc ? rc : zr_ecdsa_recover_address(addr, sig, d);
}

/* ---- direct API --------------------------------------------------------------------------- */

void zr_eip712_domain_separator(uint8_t out[32], const zr_eip712_domain_t *d)
{
    zr_eip712_struct_t s;
    zr_eip712_struct_begin(&s, "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    zr_eip712_struct_string(&s, d->name);
    zr_eip712_struct_string(&s, d->version);
    zr_eip712_struct_uint(&s, d->chain_id);
    zr_eip712_struct_address(&s, d->verifying_contract);
    zr_eip712_struct_end(&s, out);
}

void zr_eip712_digest(uint8_t out[32], const uint8_t domain_sep[32], const uint8_t struct_hash[32])
{
    zr_keccak_t k;
    zr_keccak_init(&k);
    zr_keccak_update(&k, "\x19\x01", 2);
    zr_keccak_update(&k, domain_sep, 32);
    zr_keccak_update(&k, struct_hash, 32);
    zr_keccak_final(&k, out);
}

void zr_eip712_struct_begin(zr_eip712_struct_t *s, const char *encoded_type)
{
    uint8_t th[32];
    zr_keccak256(th, encoded_type, strlen(encoded_type));
    zr_keccak_init(&s->k);
    zr_keccak_update(&s->k, th, 32);
}

void zr_eip712_struct_word(zr_eip712_struct_t *s, const uint8_t word[32])
{
    zr_keccak_update(&s->k, word, 32);
}

void zr_eip712_struct_u256(zr_eip712_struct_t *s, const uint8_t be[32])
{
    zr_eip712_struct_word(s, be);
}

void zr_eip712_struct_i256(zr_eip712_struct_t *s, const uint8_t be[32])
{
    zr_eip712_struct_word(s, be);
}

void zr_eip712_struct_uint(zr_eip712_struct_t *s, uint64_t v)
{
    uint8_t w[32] = {0};
    for (int i = 0; i < 8; i++)
        w[31 - i] = (uint8_t)(v >> (8 * i));
    zr_eip712_struct_word(s, w);
}

void zr_eip712_struct_int(zr_eip712_struct_t *s, int64_t v)
{
    uint8_t w[32];
    memset(w, v < 0 ? 0xff : 0, 32);
    uint64_t u = (uint64_t)v;
    for (int i = 0; i < 8; i++)
        w[31 - i] = (uint8_t)(u >> (8 * i));
    zr_eip712_struct_word(s, w);
}

void zr_eip712_struct_bool(zr_eip712_struct_t *s, int v)
{
    zr_eip712_struct_uint(s, v ? 1 : 0);
}

void zr_eip712_struct_address(zr_eip712_struct_t *s, const uint8_t addr[20])
{
    uint8_t w[32] = {0};
    memcpy(w + 12, addr, 20);
    zr_eip712_struct_word(s, w);
}

void zr_eip712_struct_bytes32(zr_eip712_struct_t *s, const uint8_t b[32])
{
    zr_eip712_struct_word(s, b);
}

void zr_eip712_struct_bytesn(zr_eip712_struct_t *s, const uint8_t *b, size_t n)
{
    uint8_t w[32] = {0};
    memcpy(w, b, n > 32 ? 32 : n);
    zr_eip712_struct_word(s, w);
}

void zr_eip712_struct_bytes(zr_eip712_struct_t *s, const void *p, size_t n)
{
    uint8_t h[32];
    zr_keccak256(h, p, n);
    zr_eip712_struct_word(s, h);
}

void zr_eip712_struct_string(zr_eip712_struct_t *s, const char *str)
{
    zr_eip712_struct_bytes(s, str, strlen(str));
}

void zr_eip712_struct_end(zr_eip712_struct_t *s, uint8_t out[32])
{
    zr_keccak_final(&s->k, out);
}
