// SPDX-License-Identifier: MIT
// Bounded growable buffers (every network body and file read goes through one) and
// bounded, atomic file I/O.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zara/common.h"

void zr_buf_init(zr_buf_t *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void zr_buf_cleanup(zr_buf_t *b)
{
    if (!b)
        return;
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void zr_buf_cleanup_secret(zr_buf_t *b)
{
    if (!b)
        return;
    if (b->data)
        zr_wipe(b->data, b->cap);
    zr_buf_cleanup(b);
}

void zr_buf_reset(zr_buf_t *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = 0;
}

int zr_buf_reserve(zr_buf_t *b, size_t extra)
{
    if (extra > b->max || b->len > b->max - extra)
        return ZR_ETOOBIG;
    size_t need = b->len + extra + 1; /* room for the trailing NUL */
    if (need <= b->cap)
        return 0;
    size_t ncap = b->cap ? b->cap : 64;
    while (ncap < need)
        ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
    if (ncap > b->max + 1)
        ncap = b->max + 1;
    uint8_t *nd = realloc(b->data, ncap);
    if (!nd)
        return ZR_ENOMEM;
    b->data = nd;
    b->cap = ncap;
    return 0;
}

int zr_buf_append(zr_buf_t *b, const void *p, size_t n)
{
    int rc = zr_buf_reserve(b, n);
    if (rc)
        return rc;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = 0;
    return 0;
}

int zr_buf_append_byte(zr_buf_t *b, uint8_t c)
{
    return zr_buf_append(b, &c, 1);
}

int zr_buf_append_str(zr_buf_t *b, const char *s)
{
    return zr_buf_append(b, s, strlen(s));
}

int zr_buf_vprintf(zr_buf_t *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return ZR_EINVAL;
    int rc = zr_buf_reserve(b, (size_t)n);
    if (rc)
        return rc;
    vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return 0;
}

int zr_buf_printf(zr_buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = zr_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

const char *zr_buf_cstr(const zr_buf_t *b)
{
    return b->data ? (const char *)b->data : "";
}

uint8_t *zr_buf_take(zr_buf_t *b, size_t *out_len)
{
    uint8_t *d = b->data;
    if (out_len)
        *out_len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return d;
}

int zr_file_read(const char *path, size_t max, zr_buf_t *out)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? ZR_ENOENT : ZR_EIO;
    int rc = 0;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        rc = ZR_EIO;
        goto fail;
    }
    if (S_ISDIR(st.st_mode)) {
        rc = ZR_EIO;
        goto fail;
    }
    if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > max) {
        rc = ZR_ETOOBIG;
        goto fail;
    }
    size_t start = out->len;
    for (;;) {
        uint8_t chunk[65536];
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            rc = ZR_EIO;
            goto fail;
        }
        if (n == 0)
            break;
        if (out->len - start + (size_t)n > max) {
            rc = ZR_ETOOBIG;
            goto fail;
        }
        if ((rc = zr_buf_append(out, chunk, (size_t)n)) != 0)
            goto fail;
    }
fail:
    close(fd);
    return rc;
}

int zr_file_write_atomic(const char *path, const void *data, size_t len, unsigned mode)
{
    size_t pl = strlen(path);
    char *tmp = malloc(pl + 32);
    if (!tmp)
        return ZR_ENOMEM;
    uint8_t rnd[6];
    char rhex[13];
    if (zr_random_bytes(rnd, sizeof rnd) != 0) {
        free(tmp);
        return ZR_ERANDOM;
    }
    zr_hex_encode(rhex, rnd, sizeof rnd);
    snprintf(tmp, pl + 32, "%s.tmp-%s", path, rhex);
    int rc = 0;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, (mode_t)mode);
    if (fd < 0) {
        rc = errno == ENOENT ? ZR_ENOENT : ZR_EIO;
        goto fail;
    }
    const uint8_t *p = data;
    size_t left = len;
    while (left) {
        ssize_t n = write(fd, p, left);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            rc = ZR_EIO;
            break;
        }
        p += n;
        left -= (size_t)n;
    }
    if (rc == 0 && fsync(fd) != 0)
        rc = ZR_EIO;
    if (close(fd) != 0 && rc == 0)
        rc = ZR_EIO;
    if (rc == 0 && rename(tmp, path) != 0)
        rc = ZR_EIO;
    if (rc != 0)
        unlink(tmp);
fail:
    free(tmp);
    return rc;
}

int zr_mkdirs(const char *path, unsigned mode)
{
    char buf[4096];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof buf)
        return ZR_EINVAL;
    memcpy(buf, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] == '/' || buf[i] == 0) {
            char c = buf[i];
            buf[i] = 0;
            if (mkdir(buf, (mode_t)mode) != 0 && errno != EEXIST)
                return ZR_EIO;
            buf[i] = c;
        }
    }
    return 0;
}
