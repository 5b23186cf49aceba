// SPDX-License-Identifier: MIT
// safetensors: a strict reader (header length bounds, JSON, dtypes, shapes, offsets in
// range, non-overlapping and covering the data section exactly), conversion of
// F32/F16/BF16/F64 to float32 with a NaN/Inf check, and a writer of F32 files.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nn_int.h"

static const struct {
    const char *name;
    zr_nn_dtype_t dt;
    unsigned size;
} dtypes[] = {{"F32", ZR_NN_F32, 4}, {"F16", ZR_NN_F16, 2}, {"BF16", ZR_NN_BF16, 2}, {"F64", ZR_NN_F64, 8}};

static int cmp_name(const void *a, const void *b)
{
    return strcmp(((const zr_nn_st_tensor_t *)a)->name, ((const zr_nn_st_tensor_t *)b)->name);
}

static int cmp_begin(const void *a, const void *b)
{
    const zr_nn_st_tensor_t *x = *(const zr_nn_st_tensor_t *const *)a;
    const zr_nn_st_tensor_t *y = *(const zr_nn_st_tensor_t *const *)b;
    if (x->begin != y->begin)
        return x->begin < y->begin ? -1 : 1;
    return x->end < y->end ? -1 : x->end > y->end;
}

/* A JSON integer in [0, 2^62]. */
static int get_u64(const json_t *v, uint64_t *out)
{
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return -1;
    *out = (uint64_t)json_integer_value(v);
    return 0;
}

static int parse_tensor(zr_nn_st_tensor_t *t, const char *name, const json_t *v, uint64_t data_len,
                        char *err, size_t err_cap)
{
    if (strlen(name) >= ZR_NN_ST_NAME_MAX || !name[0]) {
        zr__nn_errf(err, err_cap, "safetensors: tensor name empty or longer than %d bytes", ZR_NN_ST_NAME_MAX - 1);
        return ZR_ESAFETENSORS;
    }
    snprintf(t->name, sizeof t->name, "%s", name);
    if (!json_is_object(v) || json_object_size(v) != 3) {
        zr__nn_errf(err, err_cap, "safetensors: tensor '%s' must be an object of dtype, shape, data_offsets",
                    name);
        return ZR_ESAFETENSORS;
    }
    const char *dt = zr_json_str(v, "dtype");
    const json_t *shape = json_object_get(v, "shape");
    const json_t *offs = json_object_get(v, "data_offsets");
    if (!dt || !json_is_array(shape) || !json_is_array(offs)) {
        zr__nn_errf(err, err_cap, "safetensors: tensor '%s' must be an object of dtype, shape, data_offsets",
                    name);
        return ZR_ESAFETENSORS;
    }
    unsigned esize = 0;
    for (size_t i = 0; i < ZR_ARRAY_LEN(dtypes); i++)
        if (strcmp(dt, dtypes[i].name) == 0) {
            t->dtype = dtypes[i].dt;
            esize = dtypes[i].size;
        }
    if (!esize) {
        zr__nn_errf(err, err_cap, "safetensors: tensor '%s' has dtype %.16s; only F32, F16, BF16, F64 are supported",
                    name, dt);
        return ZR_ESAFETENSORS;
    }
    if (json_array_size(shape) > ZR_NN_ST_MAX_DIMS) {
        zr__nn_errf(err, err_cap, "safetensors: tensor '%s' has more than %d dimensions", name, ZR_NN_ST_MAX_DIMS);
        return ZR_ESAFETENSORS;
    }
    t->ndim = (uint32_t)json_array_size(shape);
    uint64_t count = 1;
    for (uint32_t i = 0; i < t->ndim; i++) {
        if (get_u64(json_array_get(shape, i), &t->shape[i]) != 0) {
            zr__nn_errf(err, err_cap, "safetensors: tensor '%s': dimension %u is not a non-negative integer", name, i);
            return ZR_ESAFETENSORS;
        }
        /* saturate at data_len + 1: more elements than bytes can never match the offsets */
        if (t->shape[i] == 0)
            count = 0;
        else if (count > (data_len + 1) / t->shape[i])
            count = data_len + 1;
        else
            count *= t->shape[i];
    }
    t->count = count;
    uint64_t b, e;
    if (json_array_size(offs) != 2 || get_u64(json_array_get(offs, 0), &b) != 0 ||
        get_u64(json_array_get(offs, 1), &e) != 0 || b > e) {
        zr__nn_errf(err, err_cap, "safetensors: tensor '%s': data_offsets must be [begin, end] with begin <= end",
                    name);
        return ZR_ESAFETENSORS;
    }
    if (e > data_len) {
        zr__nn_errf(err, err_cap,
                    "safetensors: tensor '%s': data_offsets [%llu, %llu] beyond the %llu bytes of data", name,
                    (unsigned long long)b, (unsigned long long)e, (unsigned long long)data_len);
        return ZR_ESAFETENSORS;
    }
    if (count > data_len || count * esize != e - b) {
        zr__nn_errf(err, err_cap,
                    "safetensors: tensor '%s': shape needs %llu bytes but data_offsets give %llu", name,
                    (unsigned long long)(count > data_len ? data_len + 1 : count * esize),
                    (unsigned long long)(e - b));
        return ZR_ESAFETENSORS;
    }
    t->begin = b;
    t->end = e;
    return 0;
}

int zr_nn_st_parse(zr_nn_st_t *st, const void *file, size_t len, char *err, size_t err_cap)
{
    memset(st, 0, sizeof *st);
    const uint8_t *p = file;
    json_t *hdr = NULL;
    zr_nn_st_tensor_t **order = NULL;
    int rc = ZR_ESAFETENSORS;
    if (len < 8) {
        zr__nn_errf(err, err_cap, "safetensors: file of %zu bytes is shorter than the 8-byte header length", len);
        goto fail;
    }
    uint64_t n = 0;
    for (int i = 7; i >= 0; i--)
        n = (n << 8) | p[i];
    if (n < 2 || n > ZR_NN_ST_MAX_HEADER || n > len - 8) {
        zr__nn_errf(err, err_cap, "safetensors: header length %llu is outside [2, %llu]",
                    (unsigned long long)n,
                    (unsigned long long)(len - 8 < ZR_NN_ST_MAX_HEADER ? len - 8 : ZR_NN_ST_MAX_HEADER));
        goto fail;
    }
    if (p[8] != '{') {
        zr__nn_errf(err, err_cap, "safetensors: header does not start with '{'");
        goto fail;
    }
    char jerr[160];
    if (zr_json_parse((const char *)p + 8, (size_t)n, ZR_NN_ST_MAX_HEADER, &hdr, jerr, sizeof jerr) != 0) {
        zr__nn_errf(err, err_cap, "safetensors: header is not JSON: %s", jerr);
        goto fail;
    }
    if (!json_is_object(hdr)) {
        zr__nn_errf(err, err_cap, "safetensors: header is not a JSON object");
        goto fail;
    }
    /* padding after the JSON may only be spaces (jansson would accept any whitespace) */
    uint64_t hend = 8 + n;
    while (hend > 9 && p[hend - 1] == ' ')
        hend--;
    if (p[hend - 1] != '}') {
        zr__nn_errf(err, err_cap, "safetensors: header is padded with something other than spaces");
        goto fail;
    }
    uint64_t data_len = len - 8 - n;
    const uint8_t *data = p + 8 + n;
    size_t cnt = json_object_size(hdr);
    if (cnt > ZR_NN_ST_MAX_TENSORS + 1) {
        zr__nn_errf(err, err_cap, "safetensors: more than %u tensors", ZR_NN_ST_MAX_TENSORS);
        goto fail;
    }
    st->tensors = calloc(cnt ? cnt : 1, sizeof *st->tensors);
    order = calloc(cnt ? cnt : 1, sizeof *order);
    if (!st->tensors || !order) {
        rc = ZR_ENOMEM;
        goto fail;
    }
    const char *key;
    json_t *v;
    json_object_foreach(hdr, key, v)
    {
        if (strcmp(key, "__metadata__") == 0) {
            if (!json_is_object(v)) {
                zr__nn_errf(err, err_cap, "safetensors: __metadata__ must be an object");
                goto fail;
            }
            const char *mk;
            json_t *mv;
            json_object_foreach(v, mk, mv) if (!json_is_string(mv))
            {
                zr__nn_errf(err, err_cap, "safetensors: __metadata__ value '%.64s' is not a string", mk);
                goto fail;
            }
            continue;
        }
        zr_nn_st_tensor_t *t = &st->tensors[st->count];
        if ((rc = parse_tensor(t, key, v, data_len, err, err_cap)) != 0)
            goto fail;
        rc = ZR_ESAFETENSORS;
        t->data = data + t->begin;
        order[st->count] = t;
        st->count++;
    }
    /* the tensors must tile the data section: sorted by offset, each starts where the
     * previous ended, the last ends at the end of the file */
    qsort(order, st->count, sizeof *order, cmp_begin);
    uint64_t pos = 0;
    for (size_t i = 0; i < st->count; i++) {
        if (order[i]->begin != pos) {
            zr__nn_errf(err, err_cap, "safetensors: tensor '%s' at offset %llu %s the previous data (ends at %llu)",
                        order[i]->name, (unsigned long long)order[i]->begin,
                        order[i]->begin < pos ? "overlaps" : "leaves a gap after", (unsigned long long)pos);
            goto fail;
        }
        pos = order[i]->end;
    }
    if (pos != data_len) {
        zr__nn_errf(err, err_cap, "safetensors: tensors cover %llu of the %llu data bytes",
                    (unsigned long long)pos, (unsigned long long)data_len);
        goto fail;
    }
    qsort(st->tensors, st->count, sizeof *st->tensors, cmp_name);
    for (size_t i = 1; i < st->count; i++)
        if (strcmp(st->tensors[i - 1].name, st->tensors[i].name) == 0) { /* names with NUL */
            zr__nn_errf(err, err_cap, "safetensors: duplicate tensor name '%s'", st->tensors[i].name);
            goto fail;
        }
    for (size_t i = 0; i < st->count; i++)
        st->tensors[i].data = data + st->tensors[i].begin;
    free(order);
    json_decref(hdr);
    return 0;
fail:
    free(order);
    json_decref(hdr);
    zr_nn_st_cleanup(st);
    return rc;
}

void zr_nn_st_cleanup(zr_nn_st_t *st)
{
    free(st->tensors);
    st->tensors = NULL;
    st->count = 0;
}

const zr_nn_st_tensor_t *zr_nn_st_find(const zr_nn_st_t *st, const char *name)
{
    size_t lo = 0, hi = st->count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(st->tensors[mid].name, name);
        if (c == 0)
            return &st->tensors[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static float half_to_f32(uint16_t h)
{
    uint32_t sign = (uint32_t)(h >> 15) << 31, e = (h >> 10) & 31, m = h & 1023, bits;
    if (e == 31) {
        bits = sign | 0x7f800000u | (m << 13);
    } else if (e == 0) {
        /* zero or subnormal: m·2^-24, exact in float */
        float f = (float)m * 0x1p-24f;
        memcpy(&bits, &f, 4);
        bits |= sign;
    } else {
        bits = sign | ((e + 112) << 23) | (m << 13);
    }
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

int zr_nn_st_read_f32(const zr_nn_st_tensor_t *t, float *out, char *err, size_t err_cap)
{
    const uint8_t *d = t->data;
    for (uint64_t i = 0; i < t->count; i++) {
        float f;
        switch (t->dtype) {
        case ZR_NN_F32: {
            uint32_t u = (uint32_t)d[4 * i] | (uint32_t)d[4 * i + 1] << 8 | (uint32_t)d[4 * i + 2] << 16 |
                         (uint32_t)d[4 * i + 3] << 24;
            memcpy(&f, &u, 4);
            break;
        }
        case ZR_NN_F16:
            f = half_to_f32((uint16_t)(d[2 * i] | d[2 * i + 1] << 8));
            break;
        case ZR_NN_BF16: {
            uint32_t u = ((uint32_t)d[2 * i] | (uint32_t)d[2 * i + 1] << 8) << 16;
            memcpy(&f, &u, 4);
            break;
        }
        case ZR_NN_F64: {
            uint64_t u = 0;
            for (int b = 7; b >= 0; b--)
                u = (u << 8) | d[8 * i + (unsigned)b];
            double x;
            memcpy(&x, &u, 8);
            f = (float)x; /* round-to-nearest; overflow becomes Inf and is caught below */
            break;
        }
        default:
            return ZR_EINVAL;
        }
        if (!(f - f == 0.0f)) {
            zr__nn_errf(err, err_cap, "tensor '%s': element %llu is %s%s", t->name, (unsigned long long)i,
                        f != f ? "NaN" : "infinite",
                        t->dtype == ZR_NN_F64 && f == f ? " (or overflows float32)" : "");
            return ZR_ENONFINITE;
        }
        out[i] = f;
    }
    return 0;
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp((*(const zr_nn_st_entry_t *const *)a)->name, (*(const zr_nn_st_entry_t *const *)b)->name);
}

int zr_nn_st_write(zr_buf_t *out, const zr_nn_st_entry_t *entries, size_t n, const json_t *meta)
{
    int rc = ZR_ENOMEM;
    zr_buf_t h;
    zr_buf_init(&h, ZR_NN_ST_MAX_HEADER);
    const zr_nn_st_entry_t **ord = calloc(n ? n : 1, sizeof *ord);
    if (!ord)
        goto fail;
    for (size_t i = 0; i < n; i++)
        ord[i] = &entries[i];
    qsort(ord, n, sizeof *ord, cmp_entry);
    if ((rc = zr_buf_append_byte(&h, '{')) != 0)
        goto fail;
    int first = 1;
    if (meta && json_object_size(meta)) {
        char *m = json_dumps(meta, JSON_COMPACT | JSON_SORT_KEYS);
        if (!m) {
            rc = ZR_ENOMEM;
            goto fail;
        }
        rc = zr_buf_printf(&h, "\"__metadata__\":%s", m);
        free(m);
        if (rc)
            goto fail;
        first = 0;
    }
    uint64_t off = 0;
    for (size_t i = 0; i < n; i++) {
        const zr_nn_st_entry_t *e = ord[i];
        if (i > 0 && strcmp(e->name, ord[i - 1]->name) == 0) {
            rc = ZR_EINVAL;
            goto fail;
        }
        if (e->ndim > ZR_NN_ST_MAX_DIMS || strlen(e->name) >= ZR_NN_ST_NAME_MAX || strchr(e->name, '"') ||
            strchr(e->name, '\\')) {
            rc = ZR_EINVAL;
            goto fail;
        }
        uint64_t cnt = 1;
        if ((rc = zr_buf_printf(&h, "%s\"%s\":{\"dtype\":\"F32\",\"shape\":[", first ? "" : ",", e->name)))
            goto fail;
        first = 0;
        for (uint32_t d = 0; d < e->ndim; d++) {
            cnt *= e->shape[d];
            if ((rc = zr_buf_printf(&h, "%s%llu", d ? "," : "", (unsigned long long)e->shape[d])))
                goto fail;
        }
        if ((rc = zr_buf_printf(&h, "],\"data_offsets\":[%llu,%llu]}", (unsigned long long)off,
                                (unsigned long long)(off + 4 * cnt))))
            goto fail;
        off += 4 * cnt;
    }
    if ((rc = zr_buf_append_byte(&h, '}')) != 0)
        goto fail;
    while (h.len % 8)
        if ((rc = zr_buf_append_byte(&h, ' ')) != 0)
            goto fail;
    uint8_t len8[8];
    for (int i = 0; i < 8; i++)
        len8[i] = (uint8_t)((uint64_t)h.len >> (8 * i));
    if ((rc = zr_buf_reserve(out, 8 + h.len + (size_t)off)) != 0 || (rc = zr_buf_append(out, len8, 8)) != 0 ||
        (rc = zr_buf_append(out, h.data, h.len)) != 0)
        goto fail;
    for (size_t i = 0; i < n; i++) {
        const zr_nn_st_entry_t *e = ord[i];
        uint64_t cnt = 1;
        for (uint32_t d = 0; d < e->ndim; d++)
            cnt *= e->shape[d];
        for (uint64_t k = 0; k < cnt; k++) {
            uint32_t u;
            memcpy(&u, &e->data[k], 4);
            uint8_t b[4] = {(uint8_t)u, (uint8_t)(u >> 8), (uint8_t)(u >> 16), (uint8_t)(u >> 24)};
            if ((rc = zr_buf_append(out, b, 4)) != 0)
                goto fail;
        }
    }
    rc = 0;
fail:
    free(ord);
    zr_buf_cleanup(&h);
    return rc;
}
