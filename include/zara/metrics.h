/* SPDX-License-Identifier: MIT
 * A small Prometheus metrics registry: counters and gauges with up to four label pairs,
 * histograms with fixed buckets, rendered in the Prometheus text exposition format
 * (version 0.0.4). Thread-safe. Used by the node's /metrics endpoint. */
#ifndef ZARA_METRICS_H
#define ZARA_METRICS_H

#include <stddef.h>

#include "zara/common.h"

typedef struct zr_metrics zr_metrics_t;

typedef enum zr_metric_kind {
    ZR_METRIC_COUNTER = 0,
    ZR_METRIC_GAUGE = 1,
    ZR_METRIC_HISTOGRAM = 2,
} zr_metric_kind_t;

/* A new empty registry (zr_metrics_free). NULL on allocation failure. */
zr_metrics_t *zr_metrics_new(void);
void zr_metrics_free(zr_metrics_t *m);

/* Declares a metric family; name must match [a-zA-Z_:][a-zA-Z0-9_:]*. Histograms take
 * `nbuckets` ascending upper bounds (the +Inf bucket is implicit). Declaring the same
 * name twice with the same kind is a no-op. */
int zr_metrics_declare(zr_metrics_t *m, const char *name, zr_metric_kind_t kind, const char *help,
                       const double *buckets, size_t nbuckets);

/* labels: "key1", "value1", "key2", "value2", ..., NULL (at most 4 pairs). Values are
 * escaped on output. The family must have been declared with the matching kind. */
int zr_metrics_add(zr_metrics_t *m, const char *name, double delta, ...);
int zr_metrics_set(zr_metrics_t *m, const char *name, double value, ...);
int zr_metrics_observe(zr_metrics_t *m, const char *name, double value, ...);
/* Current value of a counter/gauge series, or 0 when absent. */
double zr_metrics_get(zr_metrics_t *m, const char *name, ...);

/* Appends the text exposition of every family to out. */
int zr_metrics_render(zr_metrics_t *m, zr_buf_t *out);

#endif
