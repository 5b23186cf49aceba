// SPDX-License-Identifier: MIT
// Structured logging: one `key=value` line per event with a timestamp and a level, to
// stderr or to a callback the embedding program installs (the node and the tests do).
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "zara/common.h"

static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;
static zr_log_level_t log_level = ZR_LOG_INFO;
static zr_log_fn log_fn;
static void *log_ud;

static const char *const level_names[] = {"debug", "info", "warn", "error", "off"};

void zr_log_set_level(zr_log_level_t level)
{
    pthread_mutex_lock(&log_mu);
    log_level = level;
    pthread_mutex_unlock(&log_mu);
}

zr_log_level_t zr_log_get_level(void)
{
    pthread_mutex_lock(&log_mu);
    zr_log_level_t l = log_level;
    pthread_mutex_unlock(&log_mu);
    return l;
}

void zr_log_set_callback(zr_log_fn fn, void *ud)
{
    pthread_mutex_lock(&log_mu);
    log_fn = fn;
    log_ud = ud;
    pthread_mutex_unlock(&log_mu);
}

int zr_log_level_parse(const char *s)
{
    for (size_t i = 0; i < ZR_ARRAY_LEN(level_names); i++)
        if (strcasecmp(s, level_names[i]) == 0)
            return (int)i;
    if (strcasecmp(s, "warning") == 0)
        return ZR_LOG_WARN;
    return -1;
}

const char *zr_log_quote(char *out, size_t out_cap, const char *s)
{
    if (out_cap == 0)
        return out;
    int needs = s[0] == 0;
    for (const char *p = s; *p; p++)
        if (*p == ' ' || *p == '"' || *p == '=' || *p == '\\' || (unsigned char)*p < 0x20)
            needs = 1;
    size_t o = 0;
    if (!needs) {
        snprintf(out, out_cap, "%s", s);
        return out;
    }
    out[o++] = '"';
    for (const char *p = s; *p && o + 5 < out_cap; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '"' || c == '\\') {
            out[o++] = '\\';
            out[o++] = (char)c;
        } else if (c == '\n') {
            out[o++] = '\\';
            out[o++] = 'n';
        } else if (c < 0x20) {
            o += (size_t)snprintf(out + o, out_cap - o, "\\x%02x", c);
        } else {
            out[o++] = (char)c;
        }
    }
    if (o + 1 < out_cap)
        out[o++] = '"';
    out[o < out_cap ? o : out_cap - 1] = 0;
    return out;
}

void zr_log(zr_log_level_t level, const char *event, const char *fmt, ...)
{
    if (level < zr_log_get_level() || level >= ZR_LOG_OFF)
        return;
    char line[2048];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    int n = snprintf(line, sizeof line, "ts=%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ level=%s event=%s",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                     tm.tm_sec, ts.tv_nsec / 1000000, level_names[level], event);
    if (n > 0 && (size_t)n < sizeof line - 2 && fmt && fmt[0]) {
        line[n++] = ' ';
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
        va_end(ap);
    }
    pthread_mutex_lock(&log_mu);
    if (log_fn)
        log_fn(log_ud, level, line);
    else
        fprintf(stderr, "%s\n", line);
    pthread_mutex_unlock(&log_mu);
}
