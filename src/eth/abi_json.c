// SPDX-License-Identifier: MIT
// JSON ABIs as solc and forge write them (a plain array, or the "abi" member of a forge
// artifact): functions, events, errors and the constructor become zr_abi_sig_t entries
// with named, nested tuple types, looked up by name, canonical signature, selector or
// topic0.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi_int.h"

#define ZR_ABI_JSON_MAX_FILE (64u << 20)

struct zr_abi_json {
    zr_abi_sig_t **sigs;
    size_t count;
};

static int param_type(zr_abi_type_t **out, const json_t *param, unsigned level, zr_abi_diag_t *d);

static int list_type(zr_abi_type_t **out, const json_t *params, uint8_t **indexed, unsigned level, zr_abi_diag_t *d)
{
    *out = NULL;
    if (level > ZR_ABI_MAX_DEPTH)
        return zr__abi_fail(d, ZR_EABITYPE, 0, "JSON ABI components nested deeper than %d", ZR_ABI_MAX_DEPTH);
    if (params && !json_is_array(params))
        return zr__abi_fail(d, ZR_EABITYPE, 0, "parameter list is not an array");
    size_t n = params ? json_array_size(params) : 0;
    int rc = ZR_ENOMEM;
    zr_abi_type_t *t = calloc(1, sizeof *t);
    uint8_t *flags = calloc(n ? n : 1, 1);
    if (!t || !flags)
        goto fail;
    t->kind = ZR_ABI_TUPLE;
    if (n && (!(t->fields = calloc(n, sizeof *t->fields)) || !(t->names = calloc(n, sizeof *t->names))))
        goto fail;
    int named = 0;
    for (size_t i = 0; i < n; i++) {
        const json_t *p = json_array_get(params, i);
        if (!json_is_object(p)) {
            rc = zr__abi_fail(d, ZR_EABITYPE, 0, "parameter %zu is not an object", i);
            goto fail;
        }
        if ((rc = param_type(&t->fields[i], p, level, d)) != 0)
            goto fail;
        t->nfields++;
        const char *name = zr_json_str(p, "name");
        if (name && name[0]) {
            if (!(t->names[i] = strdup(name)))
                goto fail;
            named = 1;
        }
        flags[i] = json_is_true(json_object_get(p, "indexed"));
    }
    if (!named) {
        free(t->names);
        t->names = NULL;
    }
    if ((rc = zr__abi_type_layout(t, d)) != 0)
        goto fail;
    if (indexed)
        *indexed = flags;
    else
        free(flags);
    *out = t;
    return 0;
fail:
    free(flags);
    zr_abi_type_free(t);
    return rc;
}

static int param_type(zr_abi_type_t **out, const json_t *param, unsigned level, zr_abi_diag_t *d)
{
    *out = NULL;
    const char *ty = zr_json_str(param, "type");
    if (!ty)
        return zr__abi_fail(d, ZR_EABITYPE, 0, "parameter without a \"type\" string");
    if (strncmp(ty, "tuple", 5) != 0)
        return zr_abi_type_parse(out, ty, d);
    zr_abi_type_t *base;
    const json_t *comps = json_object_get(param, "components");
    if (!json_is_array(comps) || json_array_size(comps) == 0)
        return zr__abi_fail(d, ZR_EABITYPE, 0, "tuple parameter without components");
    int rc = list_type(&base, comps, NULL, level + 1, d);
    if (rc)
        return rc;
    return zr__abi_type_with_suffix(out, ty + 5, base, d);
}

int zr__abi_type_from_json(zr_abi_type_t **out, const json_t *params, uint8_t **indexed, zr_abi_diag_t *d)
{
    return list_type(out, params, indexed, 0, d);
}

void zr_abi_json_free(zr_abi_json_t *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->count; i++)
        zr_abi_sig_free(a->sigs[i]);
    free(a->sigs);
    free(a);
}

static int load_entry(zr_abi_sig_t **out, const json_t *e, zr_abi_diag_t *d)
{
    *out = NULL;
    const char *type = zr_json_str(e, "type");
    zr_abi_sig_kind_t kind;
    if (!type || strcmp(type, "function") == 0)
        kind = ZR_ABI_FUNCTION; /* solc's old output may omit "type" for functions */
    else if (strcmp(type, "event") == 0)
        kind = ZR_ABI_EVENT;
    else if (strcmp(type, "error") == 0)
        kind = ZR_ABI_ERROR;
    else if (strcmp(type, "constructor") == 0)
        kind = ZR_ABI_CONSTRUCTOR;
    else
        return 0; /* fallback, receive */
    const char *name = zr_json_str(e, "name");
    if (kind != ZR_ABI_CONSTRUCTOR && (!name || !name[0]))
        return zr__abi_fail(d, ZR_EABITYPE, 0, "%s entry without a name", type ? type : "function");
    zr_abi_sig_t *s = calloc(1, sizeof *s);
    if (!s)
        return ZR_ENOMEM;
    int rc = ZR_ENOMEM;
    s->kind = kind;
    if (!(s->name = strdup(name ? name : "")))
        goto fail;
    uint8_t *flags = NULL;
    if ((rc = zr__abi_type_from_json(&s->inputs, json_object_get(e, "inputs"), &flags, d)) != 0)
        goto fail;
    if (kind == ZR_ABI_EVENT)
        s->indexed = flags;
    else
        free(flags);
    if ((rc = zr__abi_type_from_json(&s->outputs, json_object_get(e, "outputs"), NULL, d)) != 0)
        goto fail;
    s->anonymous = json_is_true(json_object_get(e, "anonymous"));
    if ((rc = zr__abi_sig_finish(s)) != 0)
        goto fail;
    *out = s;
    return 0;
fail:
    if (name) {
        char pre[96];
        snprintf(pre, sizeof pre, "%s %.60s", type ? type : "function", name);
        zr__abi_diag_prefix(d, pre);
    }
    zr_abi_sig_free(s);
    return rc;
}

int zr_abi_json_load(zr_abi_json_t **out, const char *text, size_t len, zr_abi_diag_t *diag)
{
    *out = NULL;
    zr__abi_diag_clear(diag);
    char jerr[160] = "";
    json_t *root = NULL;
    int rc = zr_json_parse(text, len, ZR_ABI_JSON_MAX_FILE, &root, jerr, sizeof jerr);
    if (rc)
        return zr__abi_fail(diag, rc, 0, "JSON ABI: %s", jerr);
    const json_t *arr = json_is_object(root) ? json_object_get(root, "abi") : root;
    zr_abi_json_t *a = NULL;
    if (!json_is_array(arr)) {
        rc = zr__abi_fail(diag, ZR_EABITYPE, 0, "no ABI array (expected an array or an object with \"abi\")");
        goto fail;
    }
    rc = ZR_ENOMEM;
    if (!(a = calloc(1, sizeof *a)))
        goto fail;
    size_t n = json_array_size(arr);
    if (n && !(a->sigs = calloc(n, sizeof *a->sigs)))
        goto fail;
    for (size_t i = 0; i < n; i++) {
        const json_t *e = json_array_get(arr, i);
        if (!json_is_object(e)) {
            rc = zr__abi_fail(diag, ZR_EABITYPE, 0, "ABI entry %zu is not an object", i);
            goto fail;
        }
        zr_abi_sig_t *s;
        if ((rc = load_entry(&s, e, diag)) != 0)
            goto fail;
        if (s)
            a->sigs[a->count++] = s;
    }
    json_decref(root);
    *out = a;
    return 0;
fail:
    json_decref(root);
    zr_abi_json_free(a);
    return rc;
}

int zr_abi_json_load_file(zr_abi_json_t **out, const char *path, zr_abi_diag_t *diag)
{
    *out = NULL;
    zr_buf_t b;
    zr_buf_init(&b, ZR_ABI_JSON_MAX_FILE);
    int rc = zr_file_read(path, b.max, &b);
    if (rc) {
        zr__abi_fail(diag, rc, 0, "cannot read %s: %s", path, zr_strerror(rc));
    } else {
        rc = zr_abi_json_load(out, (const char *)b.data, b.len, diag);
    }
    zr_buf_cleanup(&b);
    return rc;
}

size_t zr_abi_json_count(const zr_abi_json_t *a)
{
    return a ? a->count : 0;
}

const zr_abi_sig_t *zr_abi_json_at(const zr_abi_json_t *a, size_t i)
{
    return a && i < a->count ? a->sigs[i] : NULL;
}

const zr_abi_sig_t *zr_abi_json_find(const zr_abi_json_t *a, zr_abi_sig_kind_t kind, const char *key)
{
    if (!a || !key)
        return NULL;
    int by_sig = strchr(key, '(') != NULL;
    for (size_t i = 0; i < a->count; i++) {
        const zr_abi_sig_t *s = a->sigs[i];
        if (s->kind == kind && strcmp(by_sig ? s->canonical : s->name, key) == 0)
            return s;
    }
    return NULL;
}

const zr_abi_sig_t *zr_abi_json_event_by_topic(const zr_abi_json_t *a, const uint8_t topic[32])
{
    for (size_t i = 0; a && i < a->count; i++)
        if (a->sigs[i]->kind == ZR_ABI_EVENT && !a->sigs[i]->anonymous && memcmp(a->sigs[i]->topic0, topic, 32) == 0)
            return a->sigs[i];
    return NULL;
}

const zr_abi_sig_t *zr_abi_json_function_by_selector(const zr_abi_json_t *a, const uint8_t sel[4])
{
    for (size_t i = 0; a && i < a->count; i++)
        if (a->sigs[i]->kind == ZR_ABI_FUNCTION && memcmp(a->sigs[i]->selector, sel, 4) == 0)
            return a->sigs[i];
    return NULL;
}
