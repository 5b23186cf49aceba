// SPDX-License-Identifier: MIT
// The one HTTP client of the store back ends (libcurl): a request with a deadline, a
// multipart file upload when asked, a response body that can never grow past its bound,
// or a successful body streamed to a callback. Transport failures, timeouts and oversized
// answers become distinct codes.
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "store_int.h"

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_init_once(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

typedef struct sink {
    CURL *curl;
    const zr__http_req_t *req;
    zr_buf_t *body;
    int too_big;
    int stream_rc;
} sink_t;

static size_t on_body(char *p, size_t sz, size_t nm, void *ud)
{
    sink_t *s = ud;
    size_t n = sz * nm;
    long status = 0;
    if (s->req->stream) {
        curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &status);
        if (status == 200) {
            s->stream_rc = s->req->stream(s->req->stream_ud, (const uint8_t *)p, n);
            return s->stream_rc ? 0 : n;
        }
    }
    if (zr_buf_append(s->body, p, n) != 0) {
        s->too_big = 1;
        return 0; /* aborts the transfer */
    }
    return n;
}

int zr__http(const zr__http_req_t *req, zr_buf_t *body, long *status, char *err, size_t err_cap)
{
    pthread_once(&curl_once, curl_init_once);
    int rc = 0;
    struct curl_slist *hdrs = NULL;
    curl_mime *mime = NULL;
    char cerr[CURL_ERROR_SIZE] = "";
    *status = 0;
    zr_buf_t bounded = *body;
    bounded.max = req->max_body < body->max ? req->max_body : body->max;
    CURL *c = curl_easy_init();
    sink_t s = {.curl = c, .req = req, .body = &bounded};
    if (!c) {
        snprintf(err, err_cap, "cannot initialise libcurl");
        return ZR_ENOMEM;
    }
    curl_easy_setopt(c, CURLOPT_URL, req->url);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
    long deadline = req->timeout_ms > 0 ? req->timeout_ms : 30000L;
    int stall_only = req->upload_path || req->stream;
    if (stall_only) {
        /* moving a large file may take longer than any fixed deadline: abort only when
         * nothing moves for the whole deadline */
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, deadline / 1000 > 0 ? deadline / 1000 : 1L);
    } else {
        curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, deadline);
    }
    long connect_ms = deadline < 10000 ? deadline : 10000L;
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
    /* redirects are harmless (every block is verified) but bounded */
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 3L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_USERAGENT, "zara-store/0.1");
    if (req->accept) {
        char h[256];
        snprintf(h, sizeof h, "Accept: %s", req->accept);
        hdrs = curl_slist_append(hdrs, h);
    }
    hdrs = curl_slist_append(hdrs, "Expect:");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    if (req->upload_path) {
        mime = curl_mime_init(c);
        curl_mimepart *part = curl_mime_addpart(mime);
        curl_mime_name(part, "file");
        if (curl_mime_filedata(part, req->upload_path) != CURLE_OK) {
            snprintf(err, err_cap, "cannot read %s for upload", req->upload_path);
            rc = ZR_EIO;
            goto fail;
        }
        curl_mime_filename(part, "file");
        curl_mime_type(part, "application/octet-stream");
        curl_easy_setopt(c, CURLOPT_MIMEPOST, mime);
    } else if (req->method && strcmp(req->method, "POST") == 0) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, 0L);
    }
    CURLcode cc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
    if (s.stream_rc) {
        snprintf(err, err_cap, "%s: the answer was refused: %s", req->url, zr_strerror(s.stream_rc));
        rc = s.stream_rc;
    } else if (s.too_big) {
        snprintf(err, err_cap, "%s: the answer exceeds %zu bytes", req->url, bounded.max);
        rc = ZR_ETOOBIG;
    } else if (cc == CURLE_OPERATION_TIMEDOUT) {
        snprintf(err, err_cap, "%s: no complete answer within %ld ms%s", req->url, deadline,
                 stall_only ? " of silence" : "");
        rc = ZR_ETIMEOUT;
    } else if (cc != CURLE_OK) {
        snprintf(err, err_cap, "%s: %s", req->url, cerr[0] ? cerr : curl_easy_strerror(cc));
        rc = ZR_EGATEWAY;
    }
fail:
    body->data = bounded.data;
    body->len = bounded.len;
    body->cap = bounded.cap;
    curl_mime_free(mime);
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(c);
    return rc;
}
