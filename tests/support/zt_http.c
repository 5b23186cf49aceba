// SPDX-License-Identifier: MIT
// A tiny HTTP/1.1 test server on a kernel-chosen loopback port: reads one request per
// connection (headers, Content-Length body), asks the test's handler what to answer, and
// can misbehave on purpose (delay, drop, raw bytes, no length) to exercise clients.
#include "zt_http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct zt_http {
    int fd;
    int port;
    char url[64];
    zt_http_fn fn;
    void *ud;
    pthread_t thread;
    int stop; /* accessed with __atomic builtins */
    int count;
};

static int stopping(zt_http_t *s)
{
    return __atomic_load_n(&s->stop, __ATOMIC_SEQ_CST);
}

static void send_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n) {
        ssize_t w = send(fd, c, n, MSG_NOSIGNAL);
        if (w <= 0)
            return; /* the client went away (e.g. it hit its size cap): fine */
        c += w;
        n -= (size_t)w;
    }
}

/* Reads headers and body of one request into req; returns the body offset or -1. */
static long read_request(zt_http_t *s, int fd, zr_buf_t *req, char *path, size_t path_cap)
{
    long hdr_end = -1;
    size_t want = 0;
    char tmp[4096];
    while (!stopping(s)) {
        if (hdr_end >= 0 && req->len >= (size_t)hdr_end + want)
            break;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int pr = poll(&p, 1, 50);
        if (pr < 0)
            return -1;
        if (pr == 0)
            continue;
        ssize_t r = recv(fd, tmp, sizeof tmp, 0);
        if (r <= 0)
            return -1;
        if (zr_buf_append(req, tmp, (size_t)r))
            return -1;
        if (hdr_end < 0) {
            char *e = strstr((char *)req->data, "\r\n\r\n");
            if (!e)
                continue;
            hdr_end = e - (char *)req->data + 4;
            const char *cl = strcasestr((char *)req->data, "\r\nContent-Length:");
            if (cl && cl < e)
                want = strtoul(cl + 17, NULL, 10);
            if (strcasestr((char *)req->data, "\r\nExpect: 100-continue"))
                send_all(fd, "HTTP/1.1 100 Continue\r\n\r\n", 25);
            char first[256];
            if (sscanf((char *)req->data, "%*s %255s", first) == 1)
                snprintf(path, path_cap, "%s", first);
        }
    }
    return stopping(s) ? -1 : hdr_end;
}

static void serve(zt_http_t *s, int fd)
{
    zr_buf_t req;
    zt_http_reply_t rep = {.status = 200};
    char path[256] = "/";
    zr_buf_init(&req, 64u << 20);
    zr_buf_init(&rep.body, 512u << 20);
    long off = read_request(s, fd, &req, path, sizeof path);
    if (off < 0)
        goto done;
    __atomic_add_fetch(&s->count, 1, __ATOMIC_SEQ_CST);
    s->fn(s->ud, path, (const char *)req.data + off, req.len - (size_t)off, &rep);
    for (int waited = 0; waited < rep.delay_ms && !stopping(s); waited += 10) {
        struct timespec ts = {0, 10 * 1000000L};
        nanosleep(&ts, NULL);
    }
    if (rep.close_now || stopping(s))
        goto done;
    if (!rep.raw) {
        char hdr[256];
        int n;
        if (rep.no_length)
            n = snprintf(hdr, sizeof hdr,
                         "HTTP/1.1 %d X\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n",
                         rep.status);
        else
            n = snprintf(hdr, sizeof hdr,
                         "HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
                         "Connection: close\r\n\r\n",
                         rep.status, rep.body.len);
        send_all(fd, hdr, (size_t)n);
    }
    send_all(fd, rep.body.data, rep.body.len);
done:
    shutdown(fd, SHUT_WR);
    close(fd);
    zr_buf_cleanup(&req);
    zr_buf_cleanup(&rep.body);
}

static void *loop(void *arg)
{
    zt_http_t *s = arg;
    while (!stopping(s)) {
        struct pollfd p = {.fd = s->fd, .events = POLLIN};
        if (poll(&p, 1, 50) <= 0)
            continue;
        int c = accept(s->fd, NULL, NULL);
        if (c < 0)
            continue;
        serve(s, c);
    }
    return NULL;
}

zt_http_t *zt_http_start(zt_http_fn fn, void *ud)
{
    zt_http_t *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->fn = fn;
    s->ud = ud;
    s->fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    int one = 1;
    if (s->fd < 0 || setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
        bind(s->fd, (struct sockaddr *)&a, sizeof a) || listen(s->fd, 16) ||
        getsockname(s->fd, (struct sockaddr *)&a, &al))
        goto fail;
    s->port = ntohs(a.sin_port);
    snprintf(s->url, sizeof s->url, "http://127.0.0.1:%d/", s->port);
    if (pthread_create(&s->thread, NULL, loop, s) != 0)
        goto fail;
    return s;
fail:
    if (s->fd >= 0)
        close(s->fd);
    free(s);
    return NULL;
}

const char *zt_http_url(const zt_http_t *s)
{
    return s->url;
}

int zt_http_port(const zt_http_t *s)
{
    return s->port;
}

int zt_http_count(const zt_http_t *s)
{
    return __atomic_load_n(&s->count, __ATOMIC_SEQ_CST);
}

void zt_http_stop(zt_http_t *s)
{
    if (!s)
        return;
    __atomic_store_n(&s->stop, 1, __ATOMIC_SEQ_CST);
    pthread_join(s->thread, NULL);
    close(s->fd);
    free(s);
}
