// SPDX-License-Identifier: MIT
// Prometheus metrics registry for the node: counters, gauges and fixed-bucket histograms
// keyed by a canonical label string, rendered in the text exposition format 0.0.4.
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zara/metrics.h"

#define MAX_BUCKETS 24
#define MAX_LABELS 4

typedef struct series {
    char *labels; /* canonical `k="v",k2="v2"` (escaped), "" for none */
    double value; /* counter/gauge value, histogram sum */
    unsigned long long count;
    unsigned long long buckets[MAX_BUCKETS];
    struct series *next;
} series_t;

typedef struct family {
    char *name;
    char *help;
    zr_metric_kind_t kind;
    double bounds[MAX_BUCKETS];
    size_t nbounds;
    series_t *series;
    struct family *next;
} family_t;

struct zr_metrics {
    pthread_mutex_t mu;
    family_t *families, *last;
};

zr_metrics_t *zr_metrics_new(void)
{
    zr_metrics_t *m = calloc(1, sizeof *m);
    if (m)
        pthread_mutex_init(&m->mu, NULL);
    return m;
}

void zr_metrics_free(zr_metrics_t *m)
{
    if (!m)
        return;
    for (family_t *f = m->families, *fn; f; f = fn) {
        fn = f->next;
        for (series_t *s = f->series, *sn; s; s = sn) {
            sn = s->next;
            free(s->labels);
            free(s);
        }
        free(f->name);
        free(f->help);
        free(f);
    }
    pthread_mutex_destroy(&m->mu);
    free(m);
}

static int valid_name(const char *n)
{
    if (!n || !*n)
        return 0;
    for (const char *p = n; *p; p++) {
        int alpha = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' || *p == ':';
        if (!alpha && !(p != n && *p >= '0' && *p <= '9'))
            return 0;
    }
    return 1;
}

static family_t *find_family(zr_metrics_t *m, const char *name)
{
    for (family_t *f = m->families; f; f = f->next)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}

int zr_metrics_declare(zr_metrics_t *m, const char *name, zr_metric_kind_t kind, const char *help,
                       const double *buckets, size_t nbuckets)
{
    if (!valid_name(name) || nbuckets > MAX_BUCKETS)
        return ZR_EINVAL;
    for (size_t i = 1; i < nbuckets; i++)
        if (!(buckets[i] > buckets[i - 1]))
            return ZR_EINVAL;
    pthread_mutex_lock(&m->mu);
    int rc = 0;
    family_t *f = find_family(m, name);
    if (f) {
        rc = f->kind == kind ? 0 : ZR_EEXISTS;
        goto done;
    }
    f = calloc(1, sizeof *f);
    if (!f || !(f->name = strdup(name)) || !(f->help = strdup(help ? help : ""))) {
        if (f) {
            free(f->name);
            free(f);
        }
        rc = ZR_ENOMEM;
        goto done;
    }
    f->kind = kind;
    if (kind == ZR_METRIC_HISTOGRAM) {
        memcpy(f->bounds, buckets, nbuckets * sizeof *buckets);
        f->nbounds = nbuckets;
    }
    if (m->last)
        m->last->next = f;
    else
        m->families = f;
    m->last = f;
done:
    pthread_mutex_unlock(&m->mu);
    return rc;
}

static void escape_value(zr_buf_t *b, const char *v)
{
    for (; *v; v++) {
        if (*v == '\\')
            zr_buf_append_str(b, "\\\\");
        else if (*v == '"')
            zr_buf_append_str(b, "\\\"");
        else if (*v == '\n')
            zr_buf_append_str(b, "\\n");
        else
            zr_buf_append_byte(b, (uint8_t)*v);
    }
}

/* Builds the canonical label string from the variadic key/value list. */
static int labels_from(va_list ap, zr_buf_t *out)
{
    for (int i = 0; i <= MAX_LABELS; i++) {
        const char *k = va_arg(ap, const char *);
        if (!k)
            return 0;
        const char *v = va_arg(ap, const char *);
        if (i == MAX_LABELS || !valid_name(k) || !v)
            return ZR_EINVAL;
        if (out->len)
            zr_buf_append_byte(out, ',');
        zr_buf_printf(out, "%s=\"", k);
        escape_value(out, v);
        zr_buf_append_byte(out, '"');
    }
    return ZR_EINVAL;
}

static series_t *get_series(family_t *f, const char *labels, int create)
{
    for (series_t *s = f->series; s; s = s->next)
        if (strcmp(s->labels, labels) == 0)
            return s;
    if (!create)
        return NULL;
    series_t *s = calloc(1, sizeof *s);
    if (!s || !(s->labels = strdup(labels))) {
        free(s);
        return NULL;
    }
    /* keep series sorted by labels so the output is stable */
    series_t **pp = &f->series;
    while (*pp && strcmp((*pp)->labels, labels) < 0)
        pp = &(*pp)->next;
    s->next = *pp;
    *pp = s;
    return s;
}

enum op { OP_ADD, OP_SET, OP_OBSERVE };

static int update(zr_metrics_t *m, const char *name, enum op op, double v, va_list ap)
{
    zr_buf_t lb;
    zr_buf_init(&lb, 4096);
    int rc = labels_from(ap, &lb);
    if (rc)
        goto fail;
    pthread_mutex_lock(&m->mu);
    family_t *f = find_family(m, name);
    if (!f || (op == OP_OBSERVE) != (f->kind == ZR_METRIC_HISTOGRAM) ||
        (op == OP_SET && f->kind != ZR_METRIC_GAUGE) ||
        (op == OP_ADD && f->kind == ZR_METRIC_COUNTER && v < 0)) {
        rc = ZR_EINVAL;
    } else {
        series_t *s = get_series(f, zr_buf_cstr(&lb), 1);
        if (!s) {
            rc = ZR_ENOMEM;
        } else if (op == OP_ADD) {
            s->value += v;
        } else if (op == OP_SET) {
            s->value = v;
        } else {
            s->value += v;
            s->count++;
            for (size_t i = 0; i < f->nbounds; i++)
                if (v <= f->bounds[i])
                    s->buckets[i]++;
        }
    }
    pthread_mutex_unlock(&m->mu);
fail:
    zr_buf_cleanup(&lb);
    return rc;
}

int zr_metrics_add(zr_metrics_t *m, const char *name, double delta, ...)
{
    va_list ap;
    va_start(ap, delta);
    int rc = update(m, name, OP_ADD, delta, ap);
    va_end(ap);
    return rc;
}

int zr_metrics_set(zr_metrics_t *m, const char *name, double value, ...)
{
    va_list ap;
    va_start(ap, value);
    int rc = update(m, name, OP_SET, value, ap);
    va_end(ap);
    return rc;
}

int zr_metrics_observe(zr_metrics_t *m, const char *name, double value, ...)
{
    va_list ap;
    va_start(ap, value);
    int rc = update(m, name, OP_OBSERVE, value, ap);
    va_end(ap);
    return rc;
}

double zr_metrics_get(zr_metrics_t *m, const char *name, ...)
{
    zr_buf_t lb;
    zr_buf_init(&lb, 4096);
    va_list ap;
    va_start(ap, name);
    int rc = labels_from(ap, &lb);
    va_end(ap);
    double v = 0;
    if (rc == 0) {
        pthread_mutex_lock(&m->mu);
        family_t *f = find_family(m, name);
        series_t *s = f ? get_series(f, zr_buf_cstr(&lb), 0) : NULL;
        if (s)
            v = f->kind == ZR_METRIC_HISTOGRAM ? (double)s->count : s->value;
        pthread_mutex_unlock(&m->mu);
    }
    zr_buf_cleanup(&lb);
    return v;
}

static void fmt_num(zr_buf_t *b, double v)
{
    if (isnan(v))
        zr_buf_append_str(b, "NaN");
    else if (isinf(v))
        zr_buf_append_str(b, v > 0 ? "+Inf" : "-Inf");
    else
        zr_buf_printf(b, "%.17g", v);
}

static void help_escape(zr_buf_t *b, const char *h)
{
    for (; *h; h++) {
        if (*h == '\\')
            zr_buf_append_str(b, "\\\\");
        else if (*h == '\n')
            zr_buf_append_str(b, "\\n");
        else
            zr_buf_append_byte(b, (uint8_t)*h);
    }
}

static void series_name(zr_buf_t *b, const char *name, const char *suffix, const char *labels,
                        const char *extra)
{
    zr_buf_printf(b, "%s%s", name, suffix);
    if (labels[0] || extra) {
        zr_buf_append_byte(b, '{');
        zr_buf_append_str(b, labels);
        if (extra) {
            if (labels[0])
                zr_buf_append_byte(b, ',');
            zr_buf_append_str(b, extra);
        }
        zr_buf_append_byte(b, '}');
    }
    zr_buf_append_byte(b, ' ');
}

int zr_metrics_render(zr_metrics_t *m, zr_buf_t *out)
{
    static const char *const kinds[] = {"counter", "gauge", "histogram"};
    pthread_mutex_lock(&m->mu);
    for (family_t *f = m->families; f; f = f->next) {
        zr_buf_printf(out, "# HELP %s ", f->name);
        help_escape(out, f->help);
        zr_buf_printf(out, "\n# TYPE %s %s\n", f->name, kinds[f->kind]);
        for (series_t *s = f->series; s; s = s->next) {
            if (f->kind != ZR_METRIC_HISTOGRAM) {
                series_name(out, f->name, "", s->labels, NULL);
                fmt_num(out, s->value);
                zr_buf_append_byte(out, '\n');
                continue;
            }
            for (size_t i = 0; i <= f->nbounds; i++) {
                char le[64];
                if (i < f->nbounds)
                    snprintf(le, sizeof le, "le=\"%.17g\"", f->bounds[i]);
                else
                    snprintf(le, sizeof le, "le=\"+Inf\"");
                series_name(out, f->name, "_bucket", s->labels, le);
                zr_buf_printf(out, "%llu\n", i < f->nbounds ? s->buckets[i] : s->count);
            }
            series_name(out, f->name, "_sum", s->labels, NULL);
            fmt_num(out, s->value);
            zr_buf_append_byte(out, '\n');
            series_name(out, f->name, "_count", s->labels, NULL);
            zr_buf_printf(out, "%llu\n", s->count);
        }
    }
    pthread_mutex_unlock(&m->mu);
    return out->len >= out->max ? ZR_ETOOBIG : 0;
}
