// SPDX-License-Identifier: MIT
// ABI encoding (heads then tails, offsets relative to the enclosing tuple, exactly solc's
// layout) and strict decoding: every offset and length is bounds-checked before use,
// static values must be canonically padded, and the decoded tree has a memory cap.
// Also call data (selector + arguments) and event logs (topics + data).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi_int.h"

/* ---- encoding -------------------------------------------------------------------------- */

typedef struct enc {
    zr_buf_t *out;
    zr_abi_diag_t *d;
    char path[160]; /* where in the value tree we are, for messages */
} enc_t;

static const char *kind_name(zr_abi_kind_t k)
{
    static const char *n[] = {"?", "uint", "int", "address", "bool", "bytesN", "bytes",
                              "string", "T[k]", "T[]", "tuple"};
    return (unsigned)k < ZR_ARRAY_LEN(n) ? n[k] : "?";
}

static int vfail(enc_t *e, const zr_abi_type_t *t, const char *why)
{
    zr_buf_t b;
    zr_buf_init(&b, 512);
    if (zr_abi_type_canonical(t, &b) != 0)
        zr_buf_reset(&b);
    int rc = zr__abi_fail(e->d, ZR_EABIVALUE, 0, "value at %s for %s: %s", e->path[0] ? e->path : "top",
                          b.len ? zr_buf_cstr(&b) : kind_name(t->kind), why);
    zr_buf_cleanup(&b);
    return rc;
}

static size_t path_push(enc_t *e, size_t i, int bracket)
{
    size_t n = strlen(e->path);
    snprintf(e->path + n, sizeof e->path - n, bracket ? "[%zu]" : ".%zu", i);
    return n;
}

static void be_word_len(uint8_t w[32], size_t x)
{
    memset(w, 0, 32);
    for (int i = 0; i < 8; i++)
        w[31 - i] = (uint8_t)((uint64_t)x >> (8 * i));
}

/* The 32-byte word of an elementary static value, checked against its type. */
static int word_of(enc_t *e, const zr_abi_type_t *t, const zr_abi_value_t *v, uint8_t w[32])
{
    memset(w, 0, 32);
    switch (t->kind) {
    case ZR_ABI_UINT: {
        if (v->kind != ZR_ABI_V_NUM)
            return vfail(e, t, "not a number");
        if (v->neg)
            return vfail(e, t, "negative value for an unsigned type");
        for (unsigned i = 0; i < 32 - t->size / 8; i++)
            if (v->word[i])
                return vfail(e, t, "value does not fit");
        memcpy(w, v->word, 32);
        return 0;
    }
    case ZR_ABI_INT: {
        if (v->kind != ZR_ABI_V_NUM)
            return vfail(e, t, "not a number");
        uint8_t fill = v->neg ? 0xff : 0;
        unsigned top = 32 - t->size / 8;
        for (unsigned i = 0; i < top; i++)
            if (v->word[i] != fill)
                return vfail(e, t, "value does not fit");
        if ((v->word[top] >> 7) != (fill & 1))
            return vfail(e, t, "value does not fit");
        memcpy(w, v->word, 32);
        return 0;
    }
    case ZR_ABI_ADDRESS:
        if (v->kind != ZR_ABI_V_ADDRESS)
            return vfail(e, t, "not an address");
        memcpy(w + 12, v->word + 12, 20);
        return 0;
    case ZR_ABI_BOOL:
        if (v->kind != ZR_ABI_V_BOOL)
            return vfail(e, t, "not a bool");
        w[31] = v->word[31] != 0;
        return 0;
    case ZR_ABI_FIXED_BYTES:
        if (v->kind == ZR_ABI_V_FIXED_BYTES && v->len == t->size) {
            memcpy(w, v->word, t->size);
            return 0;
        }
        if (v->kind == ZR_ABI_V_BYTES && v->len == t->size) {
            memcpy(w, v->data, t->size);
            return 0;
        }
        return vfail(e, t, "not a byte string of exactly that length");
    default:
        return vfail(e, t, "internal: not an elementary static type");
    }
}

static int check_list(enc_t *e, const zr_abi_type_t *t, const zr_abi_value_t *v)
{
    if (t->kind == ZR_ABI_TUPLE) {
        if (v->kind != ZR_ABI_V_TUPLE && v->kind != ZR_ABI_V_ARRAY)
            return vfail(e, t, "not a tuple");
        if (v->count != t->nfields) {
            char m[80];
            snprintf(m, sizeof m, "tuple has %zu components, the type %zu", v->count, t->nfields);
            return vfail(e, t, m);
        }
        return 0;
    }
    if (v->kind != ZR_ABI_V_ARRAY)
        return vfail(e, t, "not an array");
    if (t->kind == ZR_ABI_ARRAY && v->count != t->size) {
        char m[80];
        snprintf(m, sizeof m, "array has %zu elements, the type %u", v->count, t->size);
        return vfail(e, t, m);
    }
    return 0;
}

static const zr_abi_type_t *child_type(const zr_abi_type_t *t, size_t i)
{
    return t->kind == ZR_ABI_TUPLE ? t->fields[i] : t->elem;
}

/* Writes a static value's encoding (t->head bytes) at dst. */
static int enc_static(enc_t *e, const zr_abi_type_t *t, const zr_abi_value_t *v, uint8_t *dst)
{
    if (t->kind != ZR_ABI_ARRAY && t->kind != ZR_ABI_TUPLE)
        return word_of(e, t, v, dst);
    int rc = check_list(e, t, v);
    if (rc)
        return rc;
    size_t off = 0;
    for (size_t i = 0; i < v->count; i++) {
        const zr_abi_type_t *ct = child_type(t, i);
        size_t mark = path_push(e, i, t->kind != ZR_ABI_TUPLE);
        if ((rc = enc_static(e, ct, v->items[i], dst + off)) != 0)
            return rc;
        e->path[mark] = 0;
        off += ct->head;
    }
    return 0;
}

static int enc_any(enc_t *e, const zr_abi_type_t *t, const zr_abi_value_t *v);

/* Heads then tails of a sequence of n values (a tuple, T[k] or the elements of T[]). */
static int enc_seq(enc_t *e, const zr_abi_type_t *t, const zr_abi_value_t *v)
{
    zr_buf_t *o = e->out;
    size_t start = o->len, head = 0;
    for (size_t i = 0; i < v->count; i++)
        head += child_type(t, i)->head;
    int rc = zr_buf_reserve(o, head);
    if (rc)
        return rc;
    memset(o->data + start, 0, head);
    o->len += head;
    o->data[o->len] = 0;
    size_t hp = start;
    for (size_t i = 0; i < v->count; i++) {
        const zr_abi_type_t *ct = child_type(t, i);
        size_t mark = path_push(e, i, t->kind != ZR_ABI_TUPLE);
        if (ct->dynamic) {
            be_word_len(o->data + hp, o->len - start);
            rc = enc_any(e, ct, v->items[i]);
        } else {
            rc = enc_static(e, ct, v->items[i], o->data + hp);
        }
        if (rc)
            return rc;
        e->path[mark] = 0;
        hp += ct->head;
    }
    return 0;
}

static int enc_any(enc_t *e, const zr_abi_type_t *t, const zr_abi_value_t *v)
{
    zr_buf_t *o = e->out;
    int rc;
    if (!t->dynamic) {
        size_t start = o->len;
        if ((rc = zr_buf_reserve(o, t->head)) != 0)
            return rc;
        memset(o->data + start, 0, t->head);
        o->len += t->head;
        o->data[o->len] = 0;
        return enc_static(e, t, v, o->data + start);
    }
    switch (t->kind) {
    case ZR_ABI_BYTES:
    case ZR_ABI_STRING: {
        if (v->kind != ZR_ABI_V_BYTES && v->kind != ZR_ABI_V_STRING)
            return vfail(e, t, "not bytes or a string");
        uint8_t w[32];
        be_word_len(w, v->len);
        size_t pad = (32 - v->len % 32) % 32;
        if ((rc = zr_buf_reserve(o, 32 + v->len + pad)) != 0)
            return rc;
        zr_buf_append(o, w, 32);
        if (v->len)
            zr_buf_append(o, v->data, v->len);
        memset(w, 0, 32);
        return zr_buf_append(o, w, pad);
    }
    case ZR_ABI_DYN_ARRAY: {
        if ((rc = check_list(e, t, v)) != 0)
            return rc;
        uint8_t w[32];
        be_word_len(w, v->count);
        if ((rc = zr_buf_append(o, w, 32)) != 0)
            return rc;
        return enc_seq(e, t, v);
    }
    case ZR_ABI_ARRAY:
    case ZR_ABI_TUPLE:
        if ((rc = check_list(e, t, v)) != 0)
            return rc;
        return enc_seq(e, t, v);
    default:
        return vfail(e, t, "internal: unexpected dynamic type");
    }
}

int zr_abi_encode(zr_buf_t *out, const zr_abi_type_t *t, const zr_abi_value_t *v, zr_abi_diag_t *diag)
{
    zr__abi_diag_clear(diag);
    if (!out || !t || !v)
        return zr__abi_fail(diag, ZR_EINVAL, 0, "missing type or value");
    enc_t e = {out, diag, ""};
    size_t start = out->len;
    int rc = enc_any(&e, t, v);
    if (rc) {
        out->len = start;
        if (out->data)
            out->data[start] = 0;
        if (rc == ZR_ETOOBIG)
            zr__abi_fail(diag, rc, 0, "encoding exceeds %zu bytes", out->max);
    }
    return rc;
}

int zr_abi_encode_call(zr_buf_t *out, const zr_abi_sig_t *sig, const zr_abi_value_t *args, zr_abi_diag_t *diag)
{
    size_t start = out->len;
    int rc = zr_buf_append(out, sig->selector, 4);
    if (rc)
        return rc;
    if ((rc = zr_abi_encode(out, sig->inputs, args, diag)) != 0) {
        out->len = start;
        if (out->data)
            out->data[start] = 0;
    }
    return rc;
}

/* ---- decoding -------------------------------------------------------------------------- */

typedef struct dec {
    const uint8_t *data;
    size_t len;
    size_t used, max;
    zr_abi_diag_t *d;
} dec_t;

static int charge(dec_t *c, size_t n, size_t at)
{
    if (n > c->max - c->used)
        return zr__abi_fail(c->d, ZR_ETOOBIG, at, "decoded value exceeds the %zu-byte limit (at byte %zu)", c->max,
                            at);
    c->used += n;
    return 0;
}

static zr_abi_value_t *dnew(dec_t *c, zr_abi_vkind_t kind, size_t at, int *rc)
{
    if ((*rc = charge(c, sizeof(zr_abi_value_t), at)) != 0)
        return NULL;
    zr_abi_value_t *v = calloc(1, sizeof *v);
    if (!v) {
        *rc = ZR_ENOMEM;
        return NULL;
    }
    v->kind = kind;
    return v;
}

/* A length or offset word as a size: ZR_EABIBOUNDS when it does not fit in 64 bits. */
static int word_size(dec_t *c, const uint8_t *w, size_t at, const char *what, uint64_t *out)
{
    for (int i = 0; i < 24; i++)
        if (w[i])
            return zr__abi_fail(c->d, ZR_EABIBOUNDS, at, "%s at byte %zu is larger than 2^64", what, at);
    uint64_t x = 0;
    for (int i = 24; i < 32; i++)
        x = x << 8 | w[i];
    *out = x;
    return 0;
}

/* Decodes an elementary static value from the word w (found at byte `at`). */
static int dec_word(dec_t *c, const zr_abi_type_t *t, const uint8_t *w, size_t at, zr_abi_value_t **out)
{
    int rc;
    zr_abi_value_t *v = NULL;
    switch (t->kind) {
    case ZR_ABI_UINT:
        for (unsigned i = 0; i < 32 - t->size / 8; i++)
            if (w[i])
                return zr__abi_fail(c->d, ZR_EABIPADDING, at, "uint%u at byte %zu has dirty high bytes", t->size,
                                    at);
        if (!(v = dnew(c, ZR_ABI_V_NUM, at, &rc)))
            return rc;
        memcpy(v->word, w, 32);
        break;
    case ZR_ABI_INT: {
        unsigned top = 32 - t->size / 8;
        uint8_t fill = (w[top] & 0x80) ? 0xff : 0;
        for (unsigned i = 0; i < top; i++)
            if (w[i] != fill)
                return zr__abi_fail(c->d, ZR_EABIPADDING, at, "int%u at byte %zu is not sign-extended", t->size, at);
        if (!(v = dnew(c, ZR_ABI_V_NUM, at, &rc)))
            return rc;
        memcpy(v->word, w, 32);
        v->neg = fill != 0;
        v->is_signed = 1;
        break;
    }
    case ZR_ABI_ADDRESS:
        for (int i = 0; i < 12; i++)
            if (w[i])
                return zr__abi_fail(c->d, ZR_EABIPADDING, at, "address at byte %zu has dirty high bytes", at);
        if (!(v = dnew(c, ZR_ABI_V_ADDRESS, at, &rc)))
            return rc;
        memcpy(v->word + 12, w + 12, 20);
        break;
    case ZR_ABI_BOOL:
        for (int i = 0; i < 31; i++)
            if (w[i])
                return zr__abi_fail(c->d, ZR_EABIPADDING, at, "bool at byte %zu is neither 0 nor 1", at);
        if (w[31] > 1)
            return zr__abi_fail(c->d, ZR_EABIPADDING, at, "bool at byte %zu is neither 0 nor 1", at);
        if (!(v = dnew(c, ZR_ABI_V_BOOL, at, &rc)))
            return rc;
        v->word[31] = w[31];
        break;
    case ZR_ABI_FIXED_BYTES:
        for (unsigned i = t->size; i < 32; i++)
            if (w[i])
                return zr__abi_fail(c->d, ZR_EABIPADDING, at, "bytes%u at byte %zu has dirty low bytes", t->size,
                                    at);
        if (!(v = dnew(c, ZR_ABI_V_FIXED_BYTES, at, &rc)))
            return rc;
        memcpy(v->word, w, t->size);
        v->len = t->size;
        break;
    default:
        return zr__abi_fail(c->d, ZR_EABI, at, "internal: not an elementary type");
    }
    *out = v;
    return 0;
}

static int dec_any(dec_t *c, const zr_abi_type_t *t, size_t at, zr_abi_value_t **out);

/* n values of the types of t's children, heads starting at byte start. */
static int dec_seq(dec_t *c, const zr_abi_type_t *t, size_t n, size_t start, zr_abi_value_t *v)
{
    int rc;
    size_t head = 0;
    for (size_t i = 0; i < n && t->kind == ZR_ABI_TUPLE; i++)
        head += t->fields[i]->head;
    if (t->kind != ZR_ABI_TUPLE)
        head = n * t->elem->head; /* n was checked against the data size by the caller */
    if (head > c->len - start)
        return zr__abi_fail(c->d, ZR_ETRUNCATED, start, "data ends inside the %zu-byte head at byte %zu (data is %zu bytes long)",
                            head, start, c->len);
    if (n) {
        if ((rc = charge(c, n * sizeof *v->items, start)) != 0)
            return rc;
        if (!(v->items = calloc(n, sizeof *v->items)))
            return ZR_ENOMEM;
        v->cap = n;
    }
    size_t hp = start;
    for (size_t i = 0; i < n; i++) {
        const zr_abi_type_t *ct = child_type(t, i);
        size_t at = hp;
        if (ct->dynamic) {
            uint64_t off = 0;
            if ((rc = word_size(c, c->data + hp, hp, "offset", &off)) != 0)
                return rc;
            if (off > c->len - start || c->len - start - off < 32)
                return zr__abi_fail(c->d, ZR_EABIBOUNDS, hp,
                                    "offset %llu at byte %zu points outside the data (%zu bytes long)",
                                    (unsigned long long)off, hp, c->len);
            at = start + (size_t)off;
        }
        if ((rc = dec_any(c, ct, at, &v->items[i])) != 0)
            return rc;
        v->count++;
        if (t->kind == ZR_ABI_TUPLE && t->names && t->names[i]) {
            if ((rc = charge(c, strlen(t->names[i]) + 1, at)) != 0)
                return rc;
            if (!(v->items[i]->name = strdup(t->names[i])))
                return ZR_ENOMEM;
        }
        hp += ct->head;
    }
    return 0;
}

static int dec_any(dec_t *c, const zr_abi_type_t *t, size_t at, zr_abi_value_t **out)
{
    *out = NULL;
    int rc;
    zr_abi_value_t *v = NULL;
    switch (t->kind) {
    case ZR_ABI_UINT:
    case ZR_ABI_INT:
    case ZR_ABI_ADDRESS:
    case ZR_ABI_BOOL:
    case ZR_ABI_FIXED_BYTES:
        if (at > c->len || c->len - at < 32)
            return zr__abi_fail(c->d, ZR_ETRUNCATED, at, "data ends inside the word at byte %zu (data is %zu bytes long)", at,
                                c->len);
        return dec_word(c, t, c->data + at, at, out);
    case ZR_ABI_BYTES:
    case ZR_ABI_STRING: {
        uint64_t n = 0;
        if (at > c->len || c->len - at < 32)
            return zr__abi_fail(c->d, ZR_ETRUNCATED, at, "data ends inside the length at byte %zu", at);
        if ((rc = word_size(c, c->data + at, at, "length", &n)) != 0)
            return rc;
        if (n > c->len - at - 32)
            return zr__abi_fail(c->d, ZR_EABIBOUNDS, at,
                                "length %llu at byte %zu runs past the end of the data (%zu bytes long)",
                                (unsigned long long)n, at, c->len);
        if ((rc = charge(c, (size_t)n + 1, at)) != 0)
            return rc;
        if (!(v = dnew(c, t->kind == ZR_ABI_BYTES ? ZR_ABI_V_BYTES : ZR_ABI_V_STRING, at, &rc)))
            return rc;
        if (!(v->data = malloc((size_t)n + 1))) {
            zr_abi_value_free(v);
            return ZR_ENOMEM;
        }
        memcpy(v->data, c->data + at + 32, (size_t)n);
        v->data[n] = 0;
        v->len = (size_t)n;
        *out = v;
        return 0;
    }
    case ZR_ABI_DYN_ARRAY: {
        uint64_t n = 0;
        if (at > c->len || c->len - at < 32)
            return zr__abi_fail(c->d, ZR_ETRUNCATED, at, "data ends inside the length at byte %zu", at);
        if ((rc = word_size(c, c->data + at, at, "array length", &n)) != 0)
            return rc;
        if (n > (c->len - at - 32) / t->elem->head)
            return zr__abi_fail(c->d, ZR_EABIBOUNDS, at,
                                "array length %llu at byte %zu needs more data than the %zu bytes there are",
                                (unsigned long long)n, at, c->len);
        if (!(v = dnew(c, ZR_ABI_V_ARRAY, at, &rc)))
            return rc;
        if ((rc = dec_seq(c, t, (size_t)n, at + 32, v)) != 0)
            goto fail;
        *out = v;
        return 0;
    }
    case ZR_ABI_ARRAY:
    case ZR_ABI_TUPLE:
        if (!(v = dnew(c, t->kind == ZR_ABI_TUPLE ? ZR_ABI_V_TUPLE : ZR_ABI_V_ARRAY, at, &rc)))
            return rc;
        if ((rc = dec_seq(c, t, t->kind == ZR_ABI_TUPLE ? t->nfields : t->size, at, v)) != 0)
            goto fail;
        *out = v;
        return 0;
    }
    return zr__abi_fail(c->d, ZR_EABI, at, "internal: unknown type kind");
fail:
    zr_abi_value_free(v);
    return rc;
}

int zr_abi_decode(zr_abi_value_t **out, const zr_abi_type_t *t, const uint8_t *data, size_t len, zr_abi_diag_t *diag)
{
    *out = NULL;
    zr__abi_diag_clear(diag);
    if (!t || (!data && len))
        return zr__abi_fail(diag, ZR_EINVAL, 0, "missing type or data");
    dec_t c = {data, len, 0, diag && diag->max_bytes ? diag->max_bytes : ZR_ABI_DEFAULT_MAX_DECODE, diag};
    return dec_any(&c, t, 0, out);
}

int zr_abi_decode_output(zr_abi_value_t **out, const zr_abi_sig_t *sig, const uint8_t *data, size_t len,
                         zr_abi_diag_t *diag)
{
    return zr_abi_decode(out, sig->outputs, data, len, diag);
}

int zr_abi_decode_call(zr_abi_value_t **out, const zr_abi_sig_t *sig, const uint8_t *data, size_t len,
                       zr_abi_diag_t *diag)
{
    *out = NULL;
    zr__abi_diag_clear(diag);
    if (len < 4)
        return zr__abi_fail(diag, ZR_ETRUNCATED, 0, "call data shorter than a selector");
    if (memcmp(data, sig->selector, 4) != 0)
        return zr__abi_fail(diag, ZR_EABI, 0, "selector 0x%02x%02x%02x%02x is not that of %s", data[0], data[1], data[2],
                            data[3], sig->canonical);
    int rc = zr_abi_decode(out, sig->inputs, data + 4, len - 4, diag);
    if (rc && diag)
        diag->offset += 4;
    return rc;
}

int zr_abi_decode_log(zr_abi_value_t **out, const zr_abi_sig_t *ev, const uint8_t (*topics)[32], size_t ntopics,
                      const uint8_t *data, size_t len, zr_abi_diag_t *diag)
{
    *out = NULL;
    zr__abi_diag_clear(diag);
    if (!ev || ev->kind != ZR_ABI_EVENT || !ev->indexed)
        return zr__abi_fail(diag, ZR_EINVAL, 0, "not an event signature");
    const zr_abi_type_t *in = ev->inputs;
    size_t nindexed = 0;
    for (size_t i = 0; i < in->nfields; i++)
        nindexed += ev->indexed[i] != 0;
    size_t want = nindexed + (ev->anonymous ? 0 : 1);
    if (ntopics != want)
        return zr__abi_fail(diag, ZR_EABI, 0, "log has %zu topics, %s needs %zu", ntopics, ev->canonical, want);
    if (!ev->anonymous && memcmp(topics[0], ev->topic0, 32) != 0)
        return zr__abi_fail(diag, ZR_EABI, 0, "topic0 is not that of %s", ev->canonical);

    int rc = ZR_ENOMEM;
    zr_abi_value_t *res = NULL, *body = NULL;
    /* the data part: a tuple of the non-indexed inputs (types borrowed from ev) */
    zr_abi_type_t tmp = {.kind = ZR_ABI_TUPLE};
    tmp.fields = calloc(in->nfields ? in->nfields : 1, sizeof *tmp.fields);
    if (!tmp.fields)
        goto fail;
    for (size_t i = 0; i < in->nfields; i++)
        if (!ev->indexed[i])
            tmp.fields[tmp.nfields++] = in->fields[i];
    zr__abi_type_layout(&tmp, NULL);
    if ((rc = zr_abi_decode(&body, &tmp, data, len, diag)) != 0)
        goto fail;
    dec_t c = {NULL, 0, 0, diag && diag->max_bytes ? diag->max_bytes : ZR_ABI_DEFAULT_MAX_DECODE, diag};
    if (!(res = dnew(&c, ZR_ABI_V_TUPLE, 0, &rc)))
        goto fail;
    size_t ti = ev->anonymous ? 0 : 1, di = 0;
    for (size_t i = 0; i < in->nfields; i++) {
        zr_abi_value_t *v;
        const zr_abi_type_t *ft = in->fields[i];
        if (!ev->indexed[i]) {
            v = body->items[di];
            body->items[di++] = NULL;
        } else if (ft->kind == ZR_ABI_BYTES || ft->kind == ZR_ABI_STRING || ft->kind == ZR_ABI_ARRAY ||
                   ft->kind == ZR_ABI_DYN_ARRAY || ft->kind == ZR_ABI_TUPLE) {
            if (!(v = zr_abi_bytes32(topics[ti++]))) {
                rc = ZR_ENOMEM;
                goto fail;
            }
        } else {
            c.data = topics[ti];
            c.len = 32;
            if ((rc = dec_word(&c, ft, topics[ti], 0, &v)) != 0) {
                if (diag)
                    snprintf(diag->msg, sizeof diag->msg, "topic %zu (%s): %s", ti,
                             in->names && in->names[i] ? in->names[i] : "?", zr_strerror(rc));
                goto fail;
            }
            ti++;
        }
        if (in->names && in->names[i] && !v->name && !(v->name = strdup(in->names[i]))) {
            zr_abi_value_free(v);
            rc = ZR_ENOMEM;
            goto fail;
        }
        if ((rc = zr_abi_value_push(res, v)) != 0)
            goto fail;
    }
    free(tmp.fields);
    zr_abi_value_free(body);
    *out = res;
    return 0;
fail:
    free(tmp.fields);
    zr_abi_value_free(body);
    zr_abi_value_free(res);
    return rc;
}
