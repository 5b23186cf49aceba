/* SPDX-License-Identifier: MIT
 * A tiny HTTP/1.1 server for tests, on a loopback port chosen by the kernel, that answers
 * each request through a handler the test supplies — including the ways real servers
 * misbehave: slow answers, dropped connections, raw garbage, bodies without a length.
 * One request per connection (Connection: close); requests are served one at a time on a
 * background thread. */
#ifndef ZARA_TEST_HTTP_H
#define ZARA_TEST_HTTP_H

#include <stddef.h>

#include "zara/common.h"

typedef struct zt_http_reply {
    int status;      /* HTTP status (default 200) */
    zr_buf_t body;   /* what the handler appends is the response body */
    int close_now;   /* close the connection without answering */
    int delay_ms;    /* wait this long before answering (the stop request cuts it short) */
    int raw;         /* write body as it is, with no status line or headers */
    int no_length;   /* omit Content-Length: the body ends when the connection closes */
} zt_http_reply_t;

/* Called on the server thread for each request with its body (NUL-terminated) and path. */
typedef void (*zt_http_fn)(void *ud, const char *path, const char *body, size_t len,
                           zt_http_reply_t *reply);

typedef struct zt_http zt_http_t;

/* Starts a server; NULL when it cannot (the caller fails the test). */
zt_http_t *zt_http_start(zt_http_fn fn, void *ud);
/* "http://127.0.0.1:<port>/" */
const char *zt_http_url(const zt_http_t *s);
int zt_http_port(const zt_http_t *s);
/* Requests the handler has seen so far. */
int zt_http_count(const zt_http_t *s);
/* Stops the thread, closes the socket, frees s; accepts NULL. */
void zt_http_stop(zt_http_t *s);

#endif
