// SPDX-License-Identifier: MIT
// ABI value trees: constructors that make building call arguments in C one expression,
// containers that take ownership of their children, deep copy, free and checked
// accessors for decoded values.
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "abi_int.h"

void zr_abi_value_free(zr_abi_value_t *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->count; i++)
        zr_abi_value_free(v->items[i]);
    free(v->items);
    free(v->data);
    free(v->name);
    free(v);
}

static zr_abi_value_t *vnew(zr_abi_vkind_t kind)
{
    zr_abi_value_t *v = calloc(1, sizeof *v);
    if (v)
        v->kind = kind;
    return v;
}

zr_abi_value_t *zr_abi_value_new(zr_abi_vkind_t kind)
{
    if (kind != ZR_ABI_V_ARRAY && kind != ZR_ABI_V_TUPLE)
        return NULL;
    return vnew(kind);
}

int zr_abi_value_push(zr_abi_value_t *parent, zr_abi_value_t *child)
{
    if (!child)
        return ZR_EINVAL;
    if (!parent || (parent->kind != ZR_ABI_V_ARRAY && parent->kind != ZR_ABI_V_TUPLE)) {
        zr_abi_value_free(child);
        return ZR_EINVAL;
    }
    if (parent->count == parent->cap) {
        size_t nc = parent->cap ? parent->cap * 2 : 4;
        zr_abi_value_t **ni = realloc(parent->items, nc * sizeof *ni);
        if (!ni) {
            zr_abi_value_free(child);
            return ZR_ENOMEM;
        }
        parent->items = ni;
        parent->cap = nc;
    }
    parent->items[parent->count++] = child;
    return 0;
}

zr_abi_value_t *zr_abi_uint_u64(uint64_t x)
{
    zr_abi_value_t *v = vnew(ZR_ABI_V_NUM);
    if (v)
        for (int i = 0; i < 8; i++)
            v->word[31 - i] = (uint8_t)(x >> (8 * i));
    return v;
}

zr_abi_value_t *zr_abi_uint_be(const uint8_t be[32])
{
    zr_abi_value_t *v = vnew(ZR_ABI_V_NUM);
    if (v)
        memcpy(v->word, be, 32);
    return v;
}

zr_abi_value_t *zr_abi_int_i64(int64_t x)
{
    zr_abi_value_t *v = vnew(ZR_ABI_V_NUM);
    if (!v)
        return NULL;
    uint64_t u = (uint64_t)x;
    memset(v->word, x < 0 ? 0xff : 0, 32);
    for (int i = 0; i < 8; i++)
        v->word[31 - i] = (uint8_t)(u >> (8 * i));
    v->neg = x < 0;
    v->is_signed = 1;
    return v;
}

zr_abi_value_t *zr_abi_int_be(const uint8_t be[32])
{
    zr_abi_value_t *v = vnew(ZR_ABI_V_NUM);
    if (!v)
        return NULL;
    memcpy(v->word, be, 32);
    v->neg = be[0] >> 7;
    v->is_signed = 1;
    return v;
}

zr_abi_value_t *zr_abi_address(const uint8_t addr[20])
{
    zr_abi_value_t *v = vnew(ZR_ABI_V_ADDRESS);
    if (v)
        memcpy(v->word + 12, addr, 20);
    return v;
}

zr_abi_value_t *zr_abi_bool(int b)
{
    zr_abi_value_t *v = vnew(ZR_ABI_V_BOOL);
    if (v)
        v->word[31] = b != 0;
    return v;
}

zr_abi_value_t *zr_abi_fixed_bytes(const uint8_t *p, size_t n)
{
    if (n == 0 || n > 32)
        return NULL;
    zr_abi_value_t *v = vnew(ZR_ABI_V_FIXED_BYTES);
    if (v) {
        memcpy(v->word, p, n);
        v->len = n;
    }
    return v;
}

zr_abi_value_t *zr_abi_bytes32(const uint8_t b[32])
{
    return zr_abi_fixed_bytes(b, 32);
}

static zr_abi_value_t *with_data(zr_abi_vkind_t kind, const void *p, size_t n)
{
    zr_abi_value_t *v = vnew(kind);
    if (!v)
        return NULL;
    v->data = malloc(n + 1);
    if (!v->data) {
        free(v);
        return NULL;
    }
    if (n)
        memcpy(v->data, p, n);
    v->data[n] = 0;
    v->len = n;
    return v;
}

zr_abi_value_t *zr_abi_bytes(const uint8_t *p, size_t n)
{
    return with_data(ZR_ABI_V_BYTES, p, n);
}

zr_abi_value_t *zr_abi_string(const char *s)
{
    return s ? with_data(ZR_ABI_V_STRING, s, strlen(s)) : NULL;
}

zr_abi_value_t *zr_abi_string_n(const char *s, size_t n)
{
    return with_data(ZR_ABI_V_STRING, s, n);
}

static zr_abi_value_t *container(zr_abi_vkind_t kind, size_t n, va_list ap)
{
    zr_abi_value_t *v = vnew(kind);
    int ok = v != NULL;
    if (v && n) {
        v->items = calloc(n, sizeof *v->items);
        v->cap = n;
        ok = v->items != NULL;
    }
    for (size_t i = 0; i < n; i++) {
        zr_abi_value_t *c = va_arg(ap, zr_abi_value_t *);
        if (!c || !ok) {
            ok = 0;
            zr_abi_value_free(c);
            continue;
        }
        v->items[v->count++] = c;
    }
    if (!ok) {
        zr_abi_value_free(v);
        return NULL;
    }
    return v;
}

zr_abi_value_t *zr_abi_tuple(size_t n, ...)
{
    va_list ap;
    va_start(ap, n);
    zr_abi_value_t *v = container(ZR_ABI_V_TUPLE, n, ap);
    va_end(ap);
    return v;
}

zr_abi_value_t *zr_abi_array(size_t n, ...)
{
    va_list ap;
    va_start(ap, n);
    zr_abi_value_t *v = container(ZR_ABI_V_ARRAY, n, ap);
    va_end(ap);
    return v;
}

zr_abi_value_t *zr_abi_array_u64(const uint64_t *xs, size_t n)
{
    zr_abi_value_t *v = vnew(ZR_ABI_V_ARRAY);
    for (size_t i = 0; v && i < n; i++)
        if (zr_abi_value_push(v, zr_abi_uint_u64(xs[i])) != 0) {
            zr_abi_value_free(v);
            v = NULL;
        }
    return v;
}

zr_abi_value_t *zr_abi_value_dup(const zr_abi_value_t *v)
{
    if (!v)
        return NULL;
    zr_abi_value_t *c = vnew(v->kind);
    if (!c)
        return NULL;
    c->neg = v->neg;
    c->is_signed = v->is_signed;
    memcpy(c->word, v->word, 32);
    c->len = v->len;
    if (v->data) {
        c->data = malloc(v->len + 1);
        if (!c->data)
            goto fail;
        memcpy(c->data, v->data, v->len + 1);
    }
    if (v->name && !(c->name = strdup(v->name)))
        goto fail;
    for (size_t i = 0; i < v->count; i++)
        if (zr_abi_value_push(c, zr_abi_value_dup(v->items[i])) != 0)
            goto fail;
    return c;
fail:
    zr_abi_value_free(c);
    return NULL;
}

/* ---- accessors ------------------------------------------------------------------------- */

int zr_abi_value_u64(const zr_abi_value_t *v, uint64_t *out)
{
    if (!v || v->kind != ZR_ABI_V_NUM)
        return ZR_EINVAL;
    if (v->neg)
        return ZR_ERANGE;
    for (int i = 0; i < 24; i++)
        if (v->word[i])
            return ZR_ERANGE;
    uint64_t x = 0;
    for (int i = 24; i < 32; i++)
        x = x << 8 | v->word[i];
    *out = x;
    return 0;
}

int zr_abi_value_i64(const zr_abi_value_t *v, int64_t *out)
{
    if (!v || v->kind != ZR_ABI_V_NUM)
        return ZR_EINVAL;
    uint8_t fill = v->neg ? 0xff : 0;
    for (int i = 0; i < 24; i++)
        if (v->word[i] != fill)
            return ZR_ERANGE;
    if ((v->word[24] >> 7) != (fill & 1))
        return ZR_ERANGE;
    uint64_t x = 0;
    for (int i = 24; i < 32; i++)
        x = x << 8 | v->word[i];
    memcpy(out, &x, sizeof x); /* two's complement reinterpretation */
    return 0;
}

int zr_abi_value_u256(const zr_abi_value_t *v, uint8_t out[32])
{
    if (!v || v->kind != ZR_ABI_V_NUM)
        return ZR_EINVAL;
    if (v->neg)
        return ZR_ERANGE;
    memcpy(out, v->word, 32);
    return 0;
}

int zr_abi_value_address(const zr_abi_value_t *v, uint8_t out[20])
{
    if (!v || v->kind != ZR_ABI_V_ADDRESS)
        return ZR_EINVAL;
    memcpy(out, v->word + 12, 20);
    return 0;
}

int zr_abi_value_bool(const zr_abi_value_t *v, int *out)
{
    if (!v || v->kind != ZR_ABI_V_BOOL)
        return ZR_EINVAL;
    *out = v->word[31] != 0;
    return 0;
}

int zr_abi_value_data(const zr_abi_value_t *v, const uint8_t **p, size_t *n)
{
    if (!v)
        return ZR_EINVAL;
    if (v->kind == ZR_ABI_V_FIXED_BYTES) {
        *p = v->word;
        *n = v->len;
        return 0;
    }
    if (v->kind != ZR_ABI_V_BYTES && v->kind != ZR_ABI_V_STRING)
        return ZR_EINVAL;
    *p = v->data;
    *n = v->len;
    return 0;
}

const zr_abi_value_t *zr_abi_value_at(const zr_abi_value_t *v, size_t i)
{
    if (!v || (v->kind != ZR_ABI_V_ARRAY && v->kind != ZR_ABI_V_TUPLE) || i >= v->count)
        return NULL;
    return v->items[i];
}

const zr_abi_value_t *zr_abi_value_field(const zr_abi_value_t *v, const char *name)
{
    if (!v || v->kind != ZR_ABI_V_TUPLE || !name)
        return NULL;
    for (size_t i = 0; i < v->count; i++)
        if (v->items[i]->name && strcmp(v->items[i]->name, name) == 0)
            return v->items[i];
    return NULL;
}
