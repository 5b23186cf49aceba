/* SPDX-License-Identifier: MIT
 * The common module: bounded growable buffers, bounded file I/O, structured logging,
 * hex, JSON (through jansson), secret wiping and the OS random generator. Depends on
 * nothing else in libzara. */
#ifndef ZARA_COMMON_H
#define ZARA_COMMON_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "zara/err.h"

#define ZR_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- buffers --------------------------------------------------------------------------
 * A growable byte buffer with a hard maximum: appending past `max` fails with
 * ZR_ETOOBIG and leaves the buffer unchanged. The caller owns the struct
 * (zr_buf_init / zr_buf_cleanup). data is always NUL-terminated past len when non-NULL. */
typedef struct zr_buf {
    uint8_t *data;
    size_t len;
    size_t cap;
    size_t max;
} zr_buf_t;

void zr_buf_init(zr_buf_t *b, size_t max);
/* Frees the storage; accepts a zeroed or cleaned-up buffer. */
void zr_buf_cleanup(zr_buf_t *b);
/* Wipes the contents (for secrets), then frees. */
void zr_buf_cleanup_secret(zr_buf_t *b);
void zr_buf_reset(zr_buf_t *b);
int zr_buf_reserve(zr_buf_t *b, size_t extra);
int zr_buf_append(zr_buf_t *b, const void *p, size_t n);
int zr_buf_append_byte(zr_buf_t *b, uint8_t c);
int zr_buf_append_str(zr_buf_t *b, const char *s);
int zr_buf_printf(zr_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int zr_buf_vprintf(zr_buf_t *b, const char *fmt, va_list ap);
/* The contents as a C string ("" when empty); valid until the next change. */
const char *zr_buf_cstr(const zr_buf_t *b);
/* Hands the storage to the caller (free() it); the buffer is left empty. */
uint8_t *zr_buf_take(zr_buf_t *b, size_t *out_len);

/* ---- files ----------------------------------------------------------------------------- */
/* Reads a whole file into out (appending); ZR_ETOOBIG if it exceeds max bytes,
 * ZR_ENOENT if it does not exist, ZR_EIO otherwise. */
int zr_file_read(const char *path, size_t max, zr_buf_t *out);
/* Writes data to path atomically (temporary file in the same directory, fsync, rename).
 * mode is the permission of the new file (0600 for secrets). */
int zr_file_write_atomic(const char *path, const void *data, size_t len, unsigned mode);
/* mkdir -p with the given mode for directories it creates. */
int zr_mkdirs(const char *path, unsigned mode);

/* ---- logging ---------------------------------------------------------------------------
 * One line per event: `ts=<RFC3339> level=<lvl> event=<name> key=value ...`. The caller
 * passes the key=value tail as a printf format; values that may contain spaces or quotes
 * should go through zr_log_quote. Secrets are never passed to the logger. */
typedef enum zr_log_level {
    ZR_LOG_DEBUG = 0,
    ZR_LOG_INFO = 1,
    ZR_LOG_WARN = 2,
    ZR_LOG_ERROR = 3,
    ZR_LOG_OFF = 4,
} zr_log_level_t;

typedef void (*zr_log_fn)(void *ud, zr_log_level_t level, const char *line);

void zr_log_set_level(zr_log_level_t level);
zr_log_level_t zr_log_get_level(void);
/* Routes lines to fn instead of stderr; fn NULL restores stderr. Thread-safe. */
void zr_log_set_callback(zr_log_fn fn, void *ud);
/* Parses "debug", "info", "warn", "error", "off"; -1 when unknown. */
int zr_log_level_parse(const char *s);
void zr_log(zr_log_level_t level, const char *event, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Quotes s for a log value when needed (spaces, quotes, '=', control characters are
 * escaped) into out (always NUL-terminated, truncated to out_cap). Returns out. */
const char *zr_log_quote(char *out, size_t out_cap, const char *s);

#define ZR_DEBUG(ev, ...) zr_log(ZR_LOG_DEBUG, ev, __VA_ARGS__)
#define ZR_INFO(ev, ...) zr_log(ZR_LOG_INFO, ev, __VA_ARGS__)
#define ZR_WARN(ev, ...) zr_log(ZR_LOG_WARN, ev, __VA_ARGS__)
#define ZR_ERROR(ev, ...) zr_log(ZR_LOG_ERROR, ev, __VA_ARGS__)

/* ---- hex -------------------------------------------------------------------------------
 * Decoding accepts an optional 0x/0X prefix, upper and lower case, and requires an even
 * number of digits. */
int zr_hex_decode(uint8_t *out, size_t out_cap, size_t *out_len, const char *hex, size_t hex_len);
/* Decodes exactly n bytes (hex must have 2n digits after an optional 0x). */
int zr_hex_decode_exact(uint8_t *out, size_t n, const char *hex);
/* The value of one hex digit (0-9, a-f, A-F), or -1 for any other character. */
int zr_hex_digit(char c);
/* Writes 2n lowercase digits and a NUL to out (capacity 2n+1); no prefix. */
void zr_hex_encode(char *out, const uint8_t *in, size_t n);
/* Appends "0x" and 2n lowercase digits to b. */
int zr_hex_append_0x(zr_buf_t *b, const uint8_t *in, size_t n);

/* ---- JSON ------------------------------------------------------------------------------
 * Parses at most max bytes of JSON text into *out (json_decref it). On failure returns
 * ZR_EJSON (or ZR_ETOOBIG) and writes jansson's message with line/column to err. */
int zr_json_parse(const char *text, size_t len, size_t max, json_t **out, char *err, size_t err_cap);
/* Object member as a string, or NULL when absent or not a string. */
const char *zr_json_str(const json_t *obj, const char *key);

/* ---- secrets and randomness ------------------------------------------------------------ */
/* Zeroes n bytes in a way the compiler cannot elide. */
void zr_wipe(void *p, size_t n);
/* Fills out with n bytes from the OS CSPRNG (getrandom); ZR_ERANDOM on failure. */
int zr_random_bytes(uint8_t *out, size_t n);
/* Constant-time comparison; 0 when equal. */
int zr_memeq_ct(const void *a, const void *b, size_t n);

#endif
