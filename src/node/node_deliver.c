// SPDX-License-Identifier: MIT
// Delivery of queued attestations and proposals to other operators' /rpc endpoints:
// bounded HTTP POSTs with a short timeout, and exponential back-off in the outbox on
// failure, so a restart or an unreachable aggregator never loses a message.
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "node_int.h"

#define MAX_ATTEMPTS 12
#define MAX_REPLY (64u << 10)

static size_t sink(char *p, size_t sz, size_t nm, void *ud)
{
    zr_buf_t *b = ud;
    return zr_buf_append(b, p, sz * nm) == 0 ? sz * nm : 0;
}

/* 0 when the peer accepted the message (or already had it), else an error code. */
static int post(const char *url, const char *body)
{
    CURL *c = curl_easy_init();
    if (!c)
        return ZR_ENOMEM;
    zr_buf_t reply;
    zr_buf_init(&reply, MAX_REPLY);
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &reply);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 2000L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 5000L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    int rc = ZR_EHTTP;
    long code = 0;
    if (curl_easy_perform(c) == CURLE_OK) {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
        json_t *j = NULL;
        char e[100];
        if (code == 200 && zr_json_parse((const char *)reply.data, reply.len, MAX_REPLY, &j, e, sizeof e) == 0) {
            json_t *err = json_object_get(j, "error");
            if (!err)
                rc = 0;
            else if (json_integer_value(json_object_get(err, "code")) == -32002)
                rc = 0; /* the peer already had it */
            else
                ZR_DEBUG("deliver.refused", "url=%s code=%lld", url,
                         (long long)json_integer_value(json_object_get(err, "code")));
            json_decref(j);
        }
    }
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    zr_buf_cleanup(&reply);
    return rc;
}

/* Wall-clock milliseconds: outbox times survive restarts (a monotonic clock would not). */
static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int zr__node_deliver_step(zr_node_t *n)
{
    zr_outbox_row_t rows[16];
    int cnt = zr_nodedb_outbox_due(n->db, wall_ms(), rows, 16);
    for (int i = 0; i < cnt; i++) {
        if (!n->stop && post(rows[i].url, rows[i].body) == 0) {
            zr_nodedb_outbox_done(n->db, rows[i].id);
        } else {
            ZR_DEBUG("deliver.retry", "url=%s attempt=%d", rows[i].url, rows[i].attempts + 1);
            zr_nodedb_outbox_retry(n->db, rows[i].id, wall_ms(), MAX_ATTEMPTS);
        }
        zr_nodedb_outbox_row_cleanup(&rows[i]);
    }
    return 0;
}
