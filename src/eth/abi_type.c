// SPDX-License-Identifier: MIT
// ABI types and signatures: a recursive-descent parser for Solidity-style type strings
// and human-readable signatures (with hostile-input bounds on depth, length and static
// size), canonical forms, selectors and event topics.
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi_int.h"
#include "zara/keccak.h"

int zr__abi_fail(zr_abi_diag_t *d, int code, size_t offset, const char *fmt, ...)
{
    if (d) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(d->msg, sizeof d->msg, fmt, ap);
        va_end(ap);
        d->offset = offset;
    }
    return code;
}

void zr__abi_diag_prefix(zr_abi_diag_t *d, const char *prefix)
{
    if (!d || !d->msg[0])
        return;
    char m[sizeof d->msg];
    memcpy(m, d->msg, sizeof m);
    int n = snprintf(d->msg, sizeof d->msg, "%s: ", prefix);
    if (n >= 0 && (size_t)n < sizeof d->msg)
        snprintf(d->msg + n, sizeof d->msg - (size_t)n, "%.*s", (int)(sizeof d->msg - 1), m);
}

void zr__abi_diag_clear(zr_abi_diag_t *d)
{
    if (d) {
        d->msg[0] = 0;
        d->offset = 0;
    }
}

void zr_abi_type_free(zr_abi_type_t *t)
{
    if (!t)
        return;
    zr_abi_type_free(t->elem);
    for (size_t i = 0; i < t->nfields; i++) {
        zr_abi_type_free(t->fields[i]);
        if (t->names)
            free(t->names[i]);
    }
    free(t->fields);
    free(t->names);
    free(t);
}

zr_abi_type_t *zr_abi_type_dup(const zr_abi_type_t *t)
{
    if (!t)
        return NULL;
    zr_abi_type_t *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    *c = *t;
    c->elem = NULL;
    c->fields = NULL;
    c->names = NULL;
    c->nfields = 0;
    if (t->elem && !(c->elem = zr_abi_type_dup(t->elem)))
        goto fail;
    if (t->nfields) {
        if (!(c->fields = calloc(t->nfields, sizeof *c->fields)))
            goto fail;
        if (t->names && !(c->names = calloc(t->nfields, sizeof *c->names)))
            goto fail;
        for (size_t i = 0; i < t->nfields; i++) {
            if (!(c->fields[i] = zr_abi_type_dup(t->fields[i])))
                goto fail;
            c->nfields++;
            if (t->names && t->names[i] && !(c->names[i] = strdup(t->names[i])))
                goto fail;
        }
    }
    return c;
fail:
    zr_abi_type_free(c);
    return NULL;
}

int zr__abi_type_layout(zr_abi_type_t *t, zr_abi_diag_t *d)
{
    switch (t->kind) {
    case ZR_ABI_BYTES:
    case ZR_ABI_STRING:
        t->dynamic = 1;
        t->head = 32;
        t->depth = 0;
        return 0;
    case ZR_ABI_UINT:
    case ZR_ABI_INT:
    case ZR_ABI_ADDRESS:
    case ZR_ABI_BOOL:
    case ZR_ABI_FIXED_BYTES:
        t->dynamic = 0;
        t->head = 32;
        t->depth = 0;
        return 0;
    case ZR_ABI_ARRAY:
    case ZR_ABI_DYN_ARRAY:
        t->depth = t->elem->depth + 1;
        if (t->depth > ZR_ABI_MAX_DEPTH)
            return zr__abi_fail(d, ZR_EABITYPE, 0, "type nested deeper than %d", ZR_ABI_MAX_DEPTH);
        if (t->kind == ZR_ABI_DYN_ARRAY || t->elem->dynamic) {
            t->dynamic = 1;
            t->head = 32;
            return 0;
        }
        if (t->size == 0)
            return zr__abi_fail(d, ZR_EABITYPE, 0, "fixed array of length 0");
        if (t->elem->head > ZR_ABI_MAX_STATIC / t->size)
            return zr__abi_fail(d, ZR_EABITYPE, 0, "static size of T[%u] exceeds %u bytes", t->size,
                                (unsigned)ZR_ABI_MAX_STATIC);
        t->dynamic = 0;
        t->head = t->elem->head * t->size;
        return 0;
    case ZR_ABI_TUPLE: {
        size_t head = 0;
        unsigned depth = 0;
        int dyn = 0;
        for (size_t i = 0; i < t->nfields; i++) {
            const zr_abi_type_t *f = t->fields[i];
            dyn |= f->dynamic;
            if (f->depth > depth)
                depth = f->depth;
            head += f->head;
            if (head > ZR_ABI_MAX_STATIC)
                return zr__abi_fail(d, ZR_EABITYPE, 0, "static size of tuple exceeds %u bytes",
                                    (unsigned)ZR_ABI_MAX_STATIC);
        }
        t->depth = depth + 1;
        if (t->depth > ZR_ABI_MAX_DEPTH)
            return zr__abi_fail(d, ZR_EABITYPE, 0, "type nested deeper than %d", ZR_ABI_MAX_DEPTH);
        t->dynamic = dyn;
        t->head = dyn ? 32 : head;
        return 0;
    }
    }
    return zr__abi_fail(d, ZR_EABITYPE, 0, "unknown type kind");
}

zr_abi_type_t *zr_abi_type_new(zr_abi_kind_t kind, unsigned size)
{
    if (kind == ZR_ABI_UINT || kind == ZR_ABI_INT) {
        if (size == 0 || size > 256 || size % 8)
            return NULL;
    } else if (kind == ZR_ABI_FIXED_BYTES) {
        if (size == 0 || size > 32)
            return NULL;
    } else if (kind == ZR_ABI_ARRAY || kind == ZR_ABI_DYN_ARRAY || kind == ZR_ABI_TUPLE) {
        return NULL; /* use zr_abi_type_array / zr_abi_type_tuple */
    } else {
        size = 0;
    }
    zr_abi_type_t *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->kind = kind;
    t->size = size;
    zr__abi_type_layout(t, NULL);
    return t;
}

zr_abi_type_t *zr_abi_type_array(zr_abi_type_t *elem, unsigned k)
{
    if (!elem)
        return NULL;
    zr_abi_type_t *t = calloc(1, sizeof *t);
    if (!t) {
        zr_abi_type_free(elem);
        return NULL;
    }
    t->kind = k ? ZR_ABI_ARRAY : ZR_ABI_DYN_ARRAY;
    t->size = k;
    t->elem = elem;
    if (zr__abi_type_layout(t, NULL)) {
        zr_abi_type_free(t);
        return NULL;
    }
    return t;
}

zr_abi_type_t *zr_abi_type_tuple(size_t n, ...)
{
    va_list ap;
    va_start(ap, n);
    zr_abi_type_t *t = calloc(1, sizeof *t);
    int ok = t != NULL;
    if (t) {
        t->kind = ZR_ABI_TUPLE;
        t->fields = calloc(n ? n : 1, sizeof *t->fields);
        ok = t->fields != NULL;
    }
    for (size_t i = 0; i < n; i++) {
        zr_abi_type_t *f = va_arg(ap, zr_abi_type_t *);
        if (!f || !ok) {
            ok = 0;
            zr_abi_type_free(f);
            continue;
        }
        t->fields[t->nfields++] = f;
    }
    va_end(ap);
    if (!ok || zr__abi_type_layout(t, NULL)) {
        zr_abi_type_free(t);
        return NULL;
    }
    return t;
}

/* ---- parser ---------------------------------------------------------------------------- */

typedef struct parser {
    const char *s;
    size_t pos, len;
    zr_abi_diag_t *d;
} parser_t;

static void skip_ws(parser_t *p)
{
    while (p->pos < p->len && isspace((unsigned char)p->s[p->pos]))
        p->pos++;
}

static int is_ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '$';
}

/* Reads an identifier at the cursor into out (NUL-terminated); its length, 0 when none. */
static size_t read_ident(parser_t *p, char *out, size_t cap)
{
    size_t start = p->pos;
    while (p->pos < p->len && is_ident_char(p->s[p->pos]))
        p->pos++;
    size_t n = p->pos - start;
    size_t c = n < cap - 1 ? n : cap - 1;
    memcpy(out, p->s + start, c);
    out[c] = 0;
    return n;
}

static int ptfail(parser_t *p, const char *fmt, const char *arg)
{
    char m[160];
    snprintf(m, sizeof m, fmt, arg);
    return zr__abi_fail(p->d, ZR_EABITYPE, p->pos, "%s at position %zu of \"%.40s%s\"", m, p->pos, p->s,
                        p->len > 40 ? "..." : "");
}

/* "uint256" -> 256; 0 when s is not a canonical decimal in [lo, hi] step `step`. */
static unsigned parse_width(const char *s, unsigned lo, unsigned hi, unsigned step)
{
    if (!s[0] || s[0] == '0' || strlen(s) > 3)
        return 0;
    unsigned v = 0;
    for (const char *c = s; *c; c++) {
        if (!isdigit((unsigned char)*c))
            return 0;
        v = v * 10 + (unsigned)(*c - '0');
    }
    if (v < lo || v > hi || v % step)
        return 0;
    return v;
}

static int elementary(const char *id, zr_abi_kind_t *kind, unsigned *size)
{
    *size = 0;
    if (strcmp(id, "address") == 0) {
        *kind = ZR_ABI_ADDRESS;
    } else if (strcmp(id, "bool") == 0) {
        *kind = ZR_ABI_BOOL;
    } else if (strcmp(id, "string") == 0) {
        *kind = ZR_ABI_STRING;
    } else if (strcmp(id, "bytes") == 0) {
        *kind = ZR_ABI_BYTES;
    } else if (strcmp(id, "uint") == 0 || strcmp(id, "int") == 0) {
        *kind = id[0] == 'u' ? ZR_ABI_UINT : ZR_ABI_INT;
        *size = 256;
    } else if (strncmp(id, "uint", 4) == 0) {
        *kind = ZR_ABI_UINT;
        *size = parse_width(id + 4, 8, 256, 8);
    } else if (strncmp(id, "int", 3) == 0) {
        *kind = ZR_ABI_INT;
        *size = parse_width(id + 3, 8, 256, 8);
    } else if (strncmp(id, "bytes", 5) == 0) {
        *kind = ZR_ABI_FIXED_BYTES;
        *size = parse_width(id + 5, 1, 32, 1);
    } else {
        return -1;
    }
    if ((*kind == ZR_ABI_UINT || *kind == ZR_ABI_INT || *kind == ZR_ABI_FIXED_BYTES) && *size == 0)
        return -1;
    return 0;
}

static int parse_list(parser_t *p, unsigned level, zr_abi_type_t **out, uint8_t **indexed, int allow_empty);

/* Wraps *t in the array suffixes ("[2][]") found at the cursor. */
static int parse_suffixes(parser_t *p, zr_abi_type_t **t)
{
    for (;;) {
        skip_ws(p);
        if (p->pos >= p->len || p->s[p->pos] != '[')
            return 0;
        p->pos++;
        skip_ws(p);
        unsigned long long k = 0;
        int digits = 0;
        while (p->pos < p->len && isdigit((unsigned char)p->s[p->pos])) {
            k = k * 10 + (unsigned)(p->s[p->pos] - '0');
            digits++;
            p->pos++;
            if (k > ZR_ABI_MAX_STATIC)
                return ptfail(p, "array length too large%s", "");
        }
        skip_ws(p);
        if (p->pos >= p->len || p->s[p->pos] != ']')
            return ptfail(p, "expected ']'%s", "");
        p->pos++;
        if (digits && k == 0)
            return ptfail(p, "fixed array of length 0%s", "");
        zr_abi_type_t *a = calloc(1, sizeof *a);
        if (!a)
            return ZR_ENOMEM;
        a->kind = digits ? ZR_ABI_ARRAY : ZR_ABI_DYN_ARRAY;
        a->size = (unsigned)k;
        a->elem = *t;
        *t = a;
        int rc = zr__abi_type_layout(a, p->d);
        if (rc) {
            if (p->d)
                p->d->offset = p->pos;
            return rc;
        }
    }
}

static int parse_type(parser_t *p, unsigned level, zr_abi_type_t **out)
{
    *out = NULL;
    if (level > ZR_ABI_MAX_DEPTH)
        return ptfail(p, "type nested deeper than %s", "32");
    skip_ws(p);
    if (p->pos >= p->len)
        return ptfail(p, "expected a type%s", "");
    int rc;
    zr_abi_type_t *t = NULL;
    if (p->s[p->pos] == '(') {
        if ((rc = parse_list(p, level + 1, &t, NULL, 0)) != 0)
            goto fail;
    } else {
        char id[40];
        size_t start = p->pos;
        size_t n = read_ident(p, id, sizeof id);
        if (n == 0)
            return ptfail(p, "expected a type%s", "");
        if (strcmp(id, "tuple") == 0) {
            skip_ws(p);
            if (p->pos >= p->len || p->s[p->pos] != '(')
                return ptfail(p, "expected '(' after tuple%s", "");
            if ((rc = parse_list(p, level + 1, &t, NULL, 0)) != 0)
                goto fail;
        } else {
            zr_abi_kind_t kind;
            unsigned size;
            if (n >= sizeof id || elementary(id, &kind, &size) != 0) {
                p->pos = start;
                return ptfail(p, "unknown type '%s'", id);
            }
            t = calloc(1, sizeof *t);
            if (!t)
                return ZR_ENOMEM;
            t->kind = kind;
            t->size = size;
            zr__abi_type_layout(t, NULL);
            /* "address payable" is an address */
            if (kind == ZR_ABI_ADDRESS) {
                size_t save = p->pos;
                skip_ws(p);
                char w[16];
                if (read_ident(p, w, sizeof w) == 0 || strcmp(w, "payable") != 0)
                    p->pos = save;
            }
        }
    }
    if ((rc = parse_suffixes(p, &t)) != 0)
        goto fail;
    *out = t;
    return 0;
fail:
    zr_abi_type_free(t);
    return rc;
}

/* "(T1 [indexed] [name], ...)" at the cursor into a tuple. */
static int parse_list(parser_t *p, unsigned level, zr_abi_type_t **out, uint8_t **indexed, int allow_empty)
{
    *out = NULL;
    if (level > ZR_ABI_MAX_DEPTH + 1)
        return ptfail(p, "type nested deeper than %s", "32");
    skip_ws(p);
    if (p->pos >= p->len || p->s[p->pos] != '(')
        return ptfail(p, "expected '('%s", "");
    p->pos++;
    int rc = ZR_ENOMEM;
    zr_abi_type_t *t = calloc(1, sizeof *t);
    size_t cap = 0;
    uint8_t *flags = NULL;
    if (!t)
        goto fail;
    t->kind = ZR_ABI_TUPLE;
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == ')') {
        p->pos++;
        if (!allow_empty) {
            rc = ptfail(p, "empty tuple%s", "");
            goto fail;
        }
    } else {
        for (;;) {
            zr_abi_type_t *f;
            if ((rc = parse_type(p, level, &f)) != 0)
                goto fail;
            if (t->nfields == cap) {
                size_t nc = cap ? cap * 2 : 4;
                zr_abi_type_t **nf = realloc(t->fields, nc * sizeof *nf);
                char **nn = nf ? realloc(t->names, nc * sizeof *nn) : NULL;
                uint8_t *nfl = nn ? realloc(flags, nc) : NULL;
                if (nf)
                    t->fields = nf;
                if (nn)
                    t->names = nn;
                if (nfl)
                    flags = nfl;
                if (!nfl) {
                    zr_abi_type_free(f);
                    rc = ZR_ENOMEM;
                    goto fail;
                }
                cap = nc;
            }
            t->fields[t->nfields] = f;
            t->names[t->nfields] = NULL;
            flags[t->nfields] = 0;
            t->nfields++;
            /* modifiers and an optional name */
            for (;;) {
                skip_ws(p);
                char w[128];
                size_t at = p->pos;
                size_t n = read_ident(p, w, sizeof w);
                if (n == 0)
                    break;
                if (n >= sizeof w) {
                    p->pos = at;
                    rc = ptfail(p, "parameter name too long%s", "");
                    goto fail;
                }
                if (strcmp(w, "indexed") == 0) {
                    flags[t->nfields - 1] = 1;
                } else if (strcmp(w, "memory") == 0 || strcmp(w, "calldata") == 0 || strcmp(w, "storage") == 0) {
                    continue;
                } else if (t->names[t->nfields - 1] == NULL) {
                    if (!(t->names[t->nfields - 1] = strdup(w))) {
                        rc = ZR_ENOMEM;
                        goto fail;
                    }
                } else {
                    p->pos = at;
                    rc = ptfail(p, "unexpected '%s'", w);
                    goto fail;
                }
            }
            skip_ws(p);
            if (p->pos < p->len && p->s[p->pos] == ',') {
                p->pos++;
                continue;
            }
            if (p->pos < p->len && p->s[p->pos] == ')') {
                p->pos++;
                break;
            }
            rc = ptfail(p, "expected ',' or ')'%s", "");
            goto fail;
        }
    }
    if (t->names) {
        int any = 0;
        for (size_t i = 0; i < t->nfields; i++)
            any |= t->names[i] != NULL;
        if (!any) {
            free(t->names);
            t->names = NULL;
        }
    }
    if ((rc = zr__abi_type_layout(t, p->d)) != 0)
        goto fail;
    if (indexed) {
        *indexed = flags ? flags : calloc(1, 1);
        flags = NULL;
        if (!*indexed) {
            rc = ZR_ENOMEM;
            goto fail;
        }
    }
    free(flags);
    *out = t;
    return 0;
fail:
    free(flags);
    zr_abi_type_free(t);
    return rc;
}

static int check_len(const char *s, zr_abi_diag_t *d)
{
    if (!s)
        return zr__abi_fail(d, ZR_EINVAL, 0, "no type string");
    if (strnlen(s, ZR_ABI_MAX_TYPE_LEN + 1) > ZR_ABI_MAX_TYPE_LEN)
        return zr__abi_fail(d, ZR_EABITYPE, 0, "type string longer than %d characters", ZR_ABI_MAX_TYPE_LEN);
    return 0;
}

int zr_abi_type_parse(zr_abi_type_t **out, const char *s, zr_abi_diag_t *diag)
{
    *out = NULL;
    zr__abi_diag_clear(diag);
    int rc = check_len(s, diag);
    if (rc)
        return rc;
    parser_t p = {s, 0, strlen(s), diag};
    zr_abi_type_t *t;
    if ((rc = parse_type(&p, 0, &t)) != 0)
        return rc;
    skip_ws(&p);
    if (p.pos != p.len) {
        zr_abi_type_free(t);
        return ptfail(&p, "unexpected text after the type%s", "");
    }
    *out = t;
    return 0;
}

int zr_abi_type_parse_list(zr_abi_type_t **out, const char *s, zr_abi_diag_t *diag)
{
    *out = NULL;
    zr__abi_diag_clear(diag);
    int rc = check_len(s, diag);
    if (rc)
        return rc;
    parser_t p = {s, 0, strlen(s), diag};
    skip_ws(&p);
    zr_abi_type_t *t = NULL;
    if (p.pos < p.len && s[p.pos] == '(') {
        /* "(a,b)" is the list a,b; but "(a,b)[]" is a list of one tuple array */
        parser_t q = p;
        if ((rc = parse_list(&p, 1, &t, NULL, 1)) != 0)
            return rc;
        skip_ws(&p);
        if (p.pos == p.len) {
            *out = t;
            return 0;
        }
        zr_abi_type_free(t);
        t = NULL;
        p = q;
    }
    if (p.pos == p.len)
        return zr_abi_type_parse_list(out, "()", diag);
    /* a bare comma-separated list: parse it as if it were parenthesised */
    zr_buf_t b;
    zr_buf_init(&b, ZR_ABI_MAX_TYPE_LEN + 3);
    if ((rc = zr_buf_printf(&b, "(%s)", s + p.pos)) != 0) {
        zr_buf_cleanup(&b);
        return rc;
    }
    parser_t r = {(const char *)b.data, 0, b.len, diag};
    if ((rc = parse_list(&r, 1, &t, NULL, 1)) == 0) {
        skip_ws(&r);
        if (r.pos != r.len) {
            zr_abi_type_free(t);
            t = NULL;
            rc = ptfail(&r, "unexpected text after the list%s", "");
        }
    }
    zr_buf_cleanup(&b);
    *out = t;
    return rc;
}

int zr_abi_type_canonical(const zr_abi_type_t *t, zr_buf_t *out)
{
    switch (t->kind) {
    case ZR_ABI_UINT:
        return zr_buf_printf(out, "uint%u", t->size);
    case ZR_ABI_INT:
        return zr_buf_printf(out, "int%u", t->size);
    case ZR_ABI_ADDRESS:
        return zr_buf_append_str(out, "address");
    case ZR_ABI_BOOL:
        return zr_buf_append_str(out, "bool");
    case ZR_ABI_FIXED_BYTES:
        return zr_buf_printf(out, "bytes%u", t->size);
    case ZR_ABI_BYTES:
        return zr_buf_append_str(out, "bytes");
    case ZR_ABI_STRING:
        return zr_buf_append_str(out, "string");
    case ZR_ABI_ARRAY:
    case ZR_ABI_DYN_ARRAY: {
        int rc = zr_abi_type_canonical(t->elem, out);
        if (rc)
            return rc;
        return t->kind == ZR_ABI_ARRAY ? zr_buf_printf(out, "[%u]", t->size) : zr_buf_append_str(out, "[]");
    }
    case ZR_ABI_TUPLE: {
        int rc = zr_buf_append_byte(out, '(');
        for (size_t i = 0; rc == 0 && i < t->nfields; i++) {
            if (i)
                rc = zr_buf_append_byte(out, ',');
            if (rc == 0)
                rc = zr_abi_type_canonical(t->fields[i], out);
        }
        return rc ? rc : zr_buf_append_byte(out, ')');
    }
    }
    return ZR_EINVAL;
}

/* ---- signatures ------------------------------------------------------------------------ */

void zr_abi_sig_free(zr_abi_sig_t *s)
{
    if (!s)
        return;
    free(s->name);
    free(s->canonical);
    zr_abi_type_free(s->inputs);
    zr_abi_type_free(s->outputs);
    free(s->indexed);
    free(s);
}

zr_abi_sig_t *zr_abi_sig_dup(const zr_abi_sig_t *s)
{
    if (!s)
        return NULL;
    zr_abi_sig_t *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    *c = *s;
    c->name = NULL;
    c->canonical = NULL;
    c->inputs = c->outputs = NULL;
    c->indexed = NULL;
    if ((s->name && !(c->name = strdup(s->name))) || (s->canonical && !(c->canonical = strdup(s->canonical))) ||
        !(c->inputs = zr_abi_type_dup(s->inputs)) || !(c->outputs = zr_abi_type_dup(s->outputs)))
        goto fail;
    if (s->indexed) {
        size_t n = s->inputs->nfields ? s->inputs->nfields : 1;
        if (!(c->indexed = malloc(n)))
            goto fail;
        memcpy(c->indexed, s->indexed, n);
    }
    return c;
fail:
    zr_abi_sig_free(c);
    return NULL;
}

int zr__abi_sig_finish(zr_abi_sig_t *s)
{
    zr_buf_t b;
    zr_buf_init(&b, ZR_ABI_MAX_TYPE_LEN * 4);
    int rc = zr_buf_append_str(&b, s->name ? s->name : "");
    if (rc == 0)
        rc = zr_abi_type_canonical(s->inputs, &b);
    if (rc) {
        zr_buf_cleanup(&b);
        return rc;
    }
    zr_keccak256(s->topic0, b.data, b.len);
    memcpy(s->selector, s->topic0, 4);
    free(s->canonical);
    s->canonical = (char *)zr_buf_take(&b, NULL);
    return s->canonical ? 0 : ZR_ENOMEM;
}

int zr_abi_sig_parse(zr_abi_sig_t **out, const char *text, zr_abi_sig_kind_t kind, zr_abi_diag_t *diag)
{
    *out = NULL;
    zr__abi_diag_clear(diag);
    int rc = check_len(text, diag);
    if (rc)
        return rc;
    parser_t p = {text, 0, strlen(text), diag};
    zr_abi_sig_t *s = calloc(1, sizeof *s);
    if (!s)
        return ZR_ENOMEM;
    s->kind = kind;
    skip_ws(&p);
    char w[256];
    size_t at = p.pos;
    size_t n = read_ident(&p, w, sizeof w);
    if (n >= sizeof w) {
        p.pos = at;
        rc = ptfail(&p, "name too long%s", "");
        goto fail;
    }
    static const struct {
        const char *word;
        zr_abi_sig_kind_t kind;
    } kw[] = {{"function", ZR_ABI_FUNCTION}, {"event", ZR_ABI_EVENT}, {"error", ZR_ABI_ERROR},
              {"constructor", ZR_ABI_CONSTRUCTOR}};
    for (size_t i = 0; i < ZR_ARRAY_LEN(kw); i++) {
        if (n && strcmp(w, kw[i].word) == 0) {
            s->kind = kw[i].kind;
            if (kw[i].kind != ZR_ABI_CONSTRUCTOR) {
                skip_ws(&p);
                at = p.pos;
                n = read_ident(&p, w, sizeof w);
                if (n >= sizeof w) {
                    p.pos = at;
                    rc = ptfail(&p, "name too long%s", "");
                    goto fail;
                }
            } else {
                n = 0;
                w[0] = 0;
            }
            break;
        }
    }
    if (n == 0 && s->kind != ZR_ABI_CONSTRUCTOR) {
        rc = ptfail(&p, "expected a name before the parameter list%s", "");
        goto fail;
    }
    if (isdigit((unsigned char)w[0])) {
        p.pos = at;
        rc = ptfail(&p, "a name cannot start with a digit%s", "");
        goto fail;
    }
    if (!(s->name = strdup(w))) {
        rc = ZR_ENOMEM;
        goto fail;
    }
    uint8_t *flags = NULL;
    if ((rc = parse_list(&p, 1, &s->inputs, &flags, 1)) != 0)
        goto fail;
    if (s->kind == ZR_ABI_EVENT) {
        s->indexed = flags;
    } else {
        int any = 0;
        for (size_t i = 0; i < s->inputs->nfields; i++)
            any |= flags[i];
        free(flags);
        if (any) {
            rc = ptfail(&p, "'indexed' outside an event%s", "");
            goto fail;
        }
    }
    /* outputs and trailing modifiers */
    for (;;) {
        skip_ws(&p);
        if (p.pos >= p.len)
            break;
        if (p.s[p.pos] == '(' && !s->outputs) {
            if ((rc = parse_list(&p, 1, &s->outputs, NULL, 1)) != 0)
                goto fail;
            continue;
        }
        at = p.pos;
        n = read_ident(&p, w, sizeof w);
        if (n == 0 || n >= sizeof w) {
            p.pos = at;
            rc = ptfail(&p, "unexpected text after the parameters%s", "");
            goto fail;
        }
        if (strcmp(w, "returns") == 0 && !s->outputs) {
            if ((rc = parse_list(&p, 1, &s->outputs, NULL, 1)) != 0)
                goto fail;
        } else if (strcmp(w, "anonymous") == 0 && s->kind == ZR_ABI_EVENT) {
            s->anonymous = 1;
        } else if (strcmp(w, "external") && strcmp(w, "public") && strcmp(w, "view") && strcmp(w, "pure") &&
                   strcmp(w, "payable") && strcmp(w, "nonpayable")) {
            p.pos = at;
            rc = ptfail(&p, "unexpected '%s'", w);
            goto fail;
        }
    }
    if (!s->outputs && (rc = zr_abi_type_parse_list(&s->outputs, "()", NULL)) != 0)
        goto fail;
    if ((rc = zr__abi_sig_finish(s)) != 0)
        goto fail;
    *out = s;
    return 0;
fail:
    zr_abi_sig_free(s);
    return rc;
}

int zr_abi_sig_input_index(const zr_abi_sig_t *s, const char *name)
{
    if (!s || !s->inputs->names || !name)
        return -1;
    for (size_t i = 0; i < s->inputs->nfields; i++)
        if (s->inputs->names[i] && strcmp(s->inputs->names[i], name) == 0)
            return (int)i;
    return -1;
}

int zr_abi_selector(uint8_t out[4], const char *sig)
{
    zr_abi_sig_t *s;
    int rc = zr_abi_sig_parse(&s, sig, ZR_ABI_FUNCTION, NULL);
    if (rc)
        return rc;
    memcpy(out, s->selector, 4);
    zr_abi_sig_free(s);
    return 0;
}

int zr_abi_event_topic(uint8_t out[32], const char *sig)
{
    zr_abi_sig_t *s;
    int rc = zr_abi_sig_parse(&s, sig, ZR_ABI_EVENT, NULL);
    if (rc)
        return rc;
    memcpy(out, s->topic0, 32);
    zr_abi_sig_free(s);
    return 0;
}

int zr__abi_type_with_suffix(zr_abi_type_t **out, const char *suffix, zr_abi_type_t *base, zr_abi_diag_t *d)
{
    *out = NULL;
    int rc = check_len(suffix, d);
    if (rc) {
        zr_abi_type_free(base);
        return rc;
    }
    parser_t p = {suffix, 0, strlen(suffix), d};
    if ((rc = parse_suffixes(&p, &base)) == 0) {
        skip_ws(&p);
        if (p.pos != p.len)
            rc = ptfail(&p, "unexpected text after the type%s", "");
    }
    if (rc) {
        zr_abi_type_free(base);
        return rc;
    }
    *out = base;
    return 0;
}
