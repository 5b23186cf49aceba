// SPDX-License-Identifier: MIT
// HTTP server of the node on libmicrohttpd: bounded bodies (413), per-client token-bucket
// rate limiting (429), connection and idle limits, and one handler callback per request.
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "zara/httpd.h"

#define BUCKETS 256

typedef struct rate_bucket {
    char ip[64];
    double tokens;
    double last;
} rate_bucket_t;

struct zr_httpd {
    struct MHD_Daemon *d;
    zr_httpd_opts_t o;
    zr_httpd_handler_fn fn;
    void *ud;
    int port;
    pthread_mutex_t mu;
    rate_bucket_t buckets[BUCKETS];
};

typedef struct conn_state {
    zr_buf_t body;
    int too_big;
} conn_state_t;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Token bucket per client address in a small open-addressed table; when the table is
 * full the oldest entry is recycled, which errs on the side of admitting requests. */
static int rate_ok(struct zr_httpd *h, const char *ip)
{
    if (h->o.rate_per_sec <= 0)
        return 1;
    uint32_t x = 2166136261u;
    for (const char *p = ip; *p; p++)
        x = (x ^ (uint8_t)*p) * 16777619u;
    double t = now_s();
    pthread_mutex_lock(&h->mu);
    rate_bucket_t *b = NULL, *oldest = NULL;
    for (int i = 0; i < 8 && !b; i++) {
        rate_bucket_t *c = &h->buckets[(x + (uint32_t)i) % BUCKETS];
        if (strcmp(c->ip, ip) == 0)
            b = c;
        else if (!oldest || c->last < oldest->last)
            oldest = c;
    }
    if (!b) {
        b = oldest;
        snprintf(b->ip, sizeof b->ip, "%s", ip);
        b->tokens = h->o.rate_burst;
        b->last = t;
    }
    b->tokens += (t - b->last) * h->o.rate_per_sec;
    if (b->tokens > h->o.rate_burst)
        b->tokens = h->o.rate_burst;
    b->last = t;
    int ok = b->tokens >= 1.0;
    if (ok)
        b->tokens -= 1.0;
    pthread_mutex_unlock(&h->mu);
    return ok;
}

static enum MHD_Result send_text(struct MHD_Connection *c, int status, const char *ctype, const void *data,
                                 size_t len)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", ctype);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, r);
    MHD_destroy_response(r);
    return ret;
}

static void client_ip(struct MHD_Connection *c, char *out, size_t cap)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(out, cap, "unknown");
    if (!ci || !ci->client_addr)
        return;
    if (ci->client_addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, out, (socklen_t)cap);
    else if (ci->client_addr->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr, out, (socklen_t)cap);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_size,
                                  void **con_cls)
{
    (void)version;
    struct zr_httpd *h = cls;
    conn_state_t *st = *con_cls;
    if (!st) {
        char ip[64];
        client_ip(c, ip, sizeof ip);
        if (!rate_ok(h, ip)) {
            static const char msg[] = "{\"error\":\"rate limit exceeded\"}";
            return send_text(c, 429, "application/json", msg, sizeof msg - 1);
        }
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > h->o.max_body) {
            static const char msg[] = "{\"error\":\"request body too large\"}";
            return send_text(c, 413, "application/json", msg, sizeof msg - 1);
        }
        st = calloc(1, sizeof *st);
        if (!st)
            return MHD_NO;
        zr_buf_init(&st->body, h->o.max_body);
        *con_cls = st;
        return MHD_YES;
    }
    if (*upload_size) {
        if (!st->too_big && zr_buf_append(&st->body, upload_data, *upload_size) != 0)
            st->too_big = 1;
        *upload_size = 0;
        return MHD_YES;
    }
    if (st->too_big) {
        static const char msg[] = "{\"error\":\"request body too large\"}";
        return send_text(c, 413, "application/json", msg, sizeof msg - 1);
    }
    char ip[64];
    client_ip(c, ip, sizeof ip);
    zr_http_request_t req = {
        .method = method,
        .path = url,
        .client_ip = ip,
        .body = st->body.data ? st->body.data : (const uint8_t *)"",
        .body_len = st->body.len,
    };
    zr_http_response_t resp = {.status = 200};
    snprintf(resp.content_type, sizeof resp.content_type, "application/json");
    zr_buf_init(&resp.body, h->o.max_response);
    h->fn(h->ud, &req, &resp);
    enum MHD_Result ret = send_text(c, resp.status, resp.content_type, resp.body.data ? resp.body.data : (uint8_t *)"",
                                    resp.body.len);
    zr_buf_cleanup(&resp.body);
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    conn_state_t *st = *con_cls;
    if (st) {
        zr_buf_cleanup(&st->body);
        free(st);
        *con_cls = NULL;
    }
}

zr_httpd_t *zr_httpd_start(const zr_httpd_opts_t *opts, zr_httpd_handler_fn fn, void *ud, int *err)
{
    struct zr_httpd *h = calloc(1, sizeof *h);
    if (!h) {
        *err = ZR_ENOMEM;
        return NULL;
    }
    h->o = *opts;
    if (!h->o.host)
        h->o.host = "127.0.0.1";
    if (!h->o.max_body)
        h->o.max_body = 1u << 20;
    if (!h->o.max_response)
        h->o.max_response = 16u << 20;
    if (h->o.rate_per_sec == 0 && h->o.rate_burst == 0) {
        h->o.rate_per_sec = 50;
        h->o.rate_burst = 100;
    }
    if (h->o.rate_burst < 1)
        h->o.rate_burst = 1;
    if (!h->o.max_conns)
        h->o.max_conns = 64;
    if (!h->o.timeout_s)
        h->o.timeout_s = 15;
    h->fn = fn;
    h->ud = ud;
    pthread_mutex_init(&h->mu, NULL);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)h->o.port)};
    if (inet_pton(AF_INET, h->o.host, &sa.sin_addr) != 1) {
        *err = ZR_EINVAL;
        goto fail;
    }
    h->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
                                MHD_USE_INTERNAL_POLLING_THREAD,
                            0, NULL, NULL, on_request, h, MHD_OPTION_SOCK_ADDR, &sa,
                            MHD_OPTION_CONNECTION_LIMIT, h->o.max_conns, MHD_OPTION_CONNECTION_TIMEOUT,
                            h->o.timeout_s, MHD_OPTION_NOTIFY_COMPLETED, on_completed, h, MHD_OPTION_END);
    if (!h->d) {
        *err = ZR_EIO;
        goto fail;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
    h->port = di ? di->port : h->o.port;
    *err = 0;
    return h;
fail:
    pthread_mutex_destroy(&h->mu);
    free(h);
    return NULL;
}

int zr_httpd_port(const zr_httpd_t *h)
{
    return h->port;
}

void zr_httpd_stop(zr_httpd_t *h)
{
    if (!h)
        return;
    MHD_stop_daemon(h->d);
    pthread_mutex_destroy(&h->mu);
    free(h);
}
