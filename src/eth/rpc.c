// SPDX-License-Identifier: MIT
// The JSON-RPC client handle: one libcurl easy handle per zr_rpc_t, request framing,
// retries with exponential backoff on transport failures only, a hard cap on the body, and
// the strict parsers of single and batch responses (ids matched, remote errors kept).
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "rpc_int.h"

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc = CURLE_OK;

static void curl_init_once(void)
{
    curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

void zr_rpc_opts_default(zr_rpc_opts_t *o)
{
    o->connect_timeout_ms = 5000;
    o->timeout_ms = 30000;
    o->retries = 3;
    o->backoff_ms = 100;
    o->backoff_max_ms = 5000;
    o->max_response = 32u << 20;
}

void zr__rpc_fail(zr_rpc_t *h, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(h->errmsg, sizeof h->errmsg, fmt, ap);
    va_end(ap);
}

void zr__rpc_reset_error(zr_rpc_t *h)
{
    h->errmsg[0] = 0;
    h->remote_code = 0;
    h->remote_message[0] = 0;
    zr_buf_reset(&h->revert);
    h->has_revert = 0;
}

static size_t on_body(char *p, size_t size, size_t nmemb, void *ud)
{
    zr_rpc_t *h = ud;
    size_t n = size * nmemb;
    if (zr_buf_append(&h->body, p, n) != 0) {
        h->too_big = 1;
        return 0; /* makes curl abort the transfer with CURLE_WRITE_ERROR */
    }
    return n;
}

/* scheme://host[:port] of url, without user info, path or query: RPC URLs often carry an
 * API key in the path, and messages and logs must not. */
static void redact_url(char *out, size_t cap, const char *url)
{
    const char *p = strstr(url, "://");
    size_t scheme = p ? (size_t)(p - url) + 3 : 0;
    const char *host = url + scheme;
    size_t hl = strcspn(host, "/?#");
    const char *at = memchr(host, '@', hl);
    if (at) {
        hl -= (size_t)(at + 1 - host);
        host = at + 1;
    }
    snprintf(out, cap, "%.*s%.*s", (int)scheme, url, (int)hl, host);
}

zr_rpc_t *zr_rpc_new(const char *url, const zr_rpc_opts_t *opts)
{
    if (!url || (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0))
        return NULL;
    pthread_once(&curl_once, curl_init_once);
    if (curl_init_rc != CURLE_OK)
        return NULL;
    zr_rpc_t *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    if (opts)
        h->opts = *opts;
    else
        zr_rpc_opts_default(&h->opts);
    /* zero (or negative) means the default, so a zeroed struct is safe; retries 0 is real */
    zr_rpc_opts_t d;
    zr_rpc_opts_default(&d);
    if (h->opts.connect_timeout_ms <= 0)
        h->opts.connect_timeout_ms = d.connect_timeout_ms;
    if (h->opts.timeout_ms <= 0)
        h->opts.timeout_ms = d.timeout_ms;
    if (h->opts.backoff_ms <= 0)
        h->opts.backoff_ms = d.backoff_ms;
    if (h->opts.backoff_max_ms < h->opts.backoff_ms)
        h->opts.backoff_max_ms = h->opts.backoff_ms > d.backoff_max_ms ? h->opts.backoff_ms : d.backoff_max_ms;
    if (h->opts.retries < 0)
        h->opts.retries = 0;
    if (h->opts.max_response == 0)
        h->opts.max_response = d.max_response;
    h->next_id = 1;
    zr_buf_init(&h->body, h->opts.max_response);
    zr_buf_init(&h->revert, h->opts.max_response);
    h->url = strdup(url);
    redact_url(h->where, sizeof h->where, url);
    h->curl = curl_easy_init();
    /* "Expect:" stops curl from waiting for 100-continue before sending larger bodies */
    h->headers = curl_slist_append(NULL, "Content-Type: application/json");
    struct curl_slist *more = h->headers ? curl_slist_append(h->headers, "Expect:") : NULL;
    if (!h->url || !h->curl || !h->headers || !more)
        goto fail;
    CURL *c = h->curl;
    curl_easy_setopt(c, CURLOPT_URL, h->url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h->headers);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, h);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, h->curlerr);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, h->opts.connect_timeout_ms);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, h->opts.timeout_ms);
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)h->opts.max_response);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, ""); /* the cap applies after decoding */
    return h;
fail:
    zr_rpc_free(h);
    return NULL;
}

void zr_rpc_free(zr_rpc_t *h)
{
    if (!h)
        return;
    if (h->curl)
        curl_easy_cleanup(h->curl);
    curl_slist_free_all(h->headers);
    free(h->url);
    zr_buf_cleanup(&h->body);
    zr_buf_cleanup(&h->revert);
    free(h);
}

const char *zr_rpc_errmsg(const zr_rpc_t *h)
{
    return h->errmsg;
}

long zr_rpc_remote_code(const zr_rpc_t *h)
{
    return h->remote_code;
}

const char *zr_rpc_remote_message(const zr_rpc_t *h)
{
    return h->remote_message;
}

const uint8_t *zr_rpc_revert_data(const zr_rpc_t *h, size_t *len)
{
    *len = h->has_revert ? h->revert.len : 0;
    return h->has_revert ? h->revert.data : NULL;
}

int zr_rpc_attempts(const zr_rpc_t *h)
{
    return h->attempts;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

/* Whether an HTTP error status still carries a JSON-RPC error object worth parsing (some
 * nodes answer errors with 4xx/5xx); such an answer is final, never retried. */
static int body_has_rpc_error(const zr_rpc_t *h)
{
    json_t *j = NULL;
    if (zr_json_parse((const char *)h->body.data, h->body.len, h->opts.max_response, &j, NULL, 0))
        return 0;
    int yes = json_is_object(j) && json_is_object(json_object_get(j, "error"));
    json_decref(j);
    return yes;
}

/* POSTs req and leaves the answer in h->body. Transport failures (connection refused or
 * reset, timeouts, empty answers, HTTP 429/5xx without a JSON-RPC error) are retried with
 * backoff; an over-cap body and everything the server answered properly are not. */
int zr__rpc_post(zr_rpc_t *h, const char *req, size_t len)
{
    CURL *c = h->curl;
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, req);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    int err = ZR_ETRANSPORT;
    long wait = h->opts.backoff_ms;
    h->attempts = 0;
    for (int attempt = 0; attempt <= h->opts.retries; attempt++) {
        if (attempt > 0) {
            sleep_ms(wait);
            wait = wait * 2 > h->opts.backoff_max_ms ? h->opts.backoff_max_ms : wait * 2;
        }
        h->attempts++;
        zr_buf_reset(&h->body);
        h->too_big = 0;
        h->curlerr[0] = 0;
        CURLcode cc = curl_easy_perform(c);
        if (h->too_big || cc == CURLE_FILESIZE_EXCEEDED) {
            zr__rpc_fail(h, "response body exceeds the cap of %zu bytes", h->opts.max_response);
            return ZR_ETOOBIG;
        }
        if (cc == CURLE_OK) {
            long status = 0;
            curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
            if (status >= 200 && status < 300)
                return 0;
            if (body_has_rpc_error(h))
                return 0;
            zr__rpc_fail(h, "HTTP status %ld from %s", status, h->where);
            if (status != 429 && status < 500)
                return ZR_ETRANSPORT;
            err = ZR_ETRANSPORT;
            continue;
        }
        err = cc == CURLE_OPERATION_TIMEDOUT ? ZR_ETIMEOUT : ZR_ETRANSPORT;
        zr__rpc_fail(h, "%s: %s", h->where, h->curlerr[0] ? h->curlerr : curl_easy_strerror(cc));
        ZR_DEBUG("rpc_transport_error", "endpoint=%s attempt=%d curl=%d", h->where, h->attempts, (int)cc);
        if (cc == CURLE_URL_MALFORMAT || cc == CURLE_UNSUPPORTED_PROTOCOL ||
            cc == CURLE_OUT_OF_MEMORY || cc == CURLE_BAD_FUNCTION_ARGUMENT)
            return ZR_ETRANSPORT;
    }
    if (h->attempts > 1) {
        size_t l = strlen(h->errmsg);
        snprintf(h->errmsg + l, sizeof h->errmsg - l, " (after %d attempts)", h->attempts);
    }
    return err;
}

/* Records a JSON-RPC error object; ZR_ERPC, or ZR_ERPCRESP when it is malformed. */
static int take_error(zr_rpc_t *h, const json_t *e, long *code_out, char **msg_out)
{
    const json_t *code = json_object_get(e, "code");
    const json_t *msg = json_object_get(e, "message");
    if (!json_is_object(e) || !json_is_integer(code) || !json_is_string(msg)) {
        zr__rpc_fail(h, "malformed JSON-RPC error object (needs integer code and string message)");
        return ZR_ERPCRESP;
    }
    h->remote_code = (long)json_integer_value(code);
    snprintf(h->remote_message, sizeof h->remote_message, "%s", json_string_value(msg));
    if (code_out)
        *code_out = h->remote_code;
    if (msg_out)
        *msg_out = strdup(json_string_value(msg));
    /* revert data: "data": "0x..", or nested as {"data": "0x.."} by some nodes */
    const json_t *data = json_object_get(e, "data");
    if (json_is_object(data))
        data = json_object_get(data, "data");
    if (json_is_string(data)) {
        const char *s = json_string_value(data);
        size_t sl = json_string_length(data);
        zr_buf_reset(&h->revert);
        if (sl >= 2 && s[0] == '0' && s[1] == 'x' && zr_buf_reserve(&h->revert, sl / 2) == 0 &&
            zr_hex_decode(h->revert.data, sl / 2, &h->revert.len, s, sl) == 0)
            h->has_revert = 1;
        else
            zr_buf_reset(&h->revert);
    }
    char q[256];
    zr__rpc_fail(h, "remote error %ld: %s", h->remote_code,
                 zr_log_quote(q, sizeof q, h->remote_message));
    return ZR_ERPC;
}

/* Checks the envelope of one response object; *id_out is its integer id, or -1 for null. */
static int check_envelope(zr_rpc_t *h, const json_t *r, long long *id_out)
{
    if (!json_is_object(r)) {
        zr__rpc_fail(h, "JSON-RPC response is not an object");
        return ZR_ERPCRESP;
    }
    const json_t *v = json_object_get(r, "jsonrpc");
    if (!json_is_string(v) || strcmp(json_string_value(v), "2.0") != 0) {
        zr__rpc_fail(h, "JSON-RPC response lacks \"jsonrpc\": \"2.0\"");
        return ZR_ERPCRESP;
    }
    const json_t *id = json_object_get(r, "id");
    if (json_is_integer(id) && json_integer_value(id) >= 0)
        *id_out = json_integer_value(id);
    else if (json_is_null(id))
        *id_out = -1;
    else {
        zr__rpc_fail(h, "JSON-RPC response id is missing or not a non-negative integer");
        return ZR_ERPCRESP;
    }
    int has_res = json_object_get(r, "result") != NULL;
    int has_err = json_object_get(r, "error") != NULL;
    if (has_res == has_err) {
        zr__rpc_fail(h, "JSON-RPC response must have exactly one of result and error");
        return ZR_ERPCRESP;
    }
    if (has_res && *id_out < 0) {
        zr__rpc_fail(h, "JSON-RPC result with a null id");
        return ZR_ERPCRESP;
    }
    return 0;
}

static int parse_json(zr_rpc_t *h, const char *body, size_t len, json_t **out)
{
    char jerr[160];
    int rc = zr_json_parse(body, len, h->opts.max_response, out, jerr, sizeof jerr);
    if (rc == ZR_ETOOBIG) {
        zr__rpc_fail(h, "response body exceeds the cap of %zu bytes", h->opts.max_response);
        return ZR_ETOOBIG;
    }
    if (rc) {
        char q[64];
        size_t show = len < 40 ? len : 40;
        char head[41];
        for (size_t i = 0; i < show; i++)
            head[i] = body[i] >= 0x20 && body[i] < 0x7f ? body[i] : '.';
        head[show] = 0;
        zr__rpc_fail(h, "response is not JSON (%s), starts with %s", jerr,
                     zr_log_quote(q, sizeof q, head));
        return ZR_ERPCRESP;
    }
    return 0;
}

int zr_rpc_parse_response(zr_rpc_t *h, const char *body, size_t len, uint64_t id, json_t **result)
{
    *result = NULL;
    json_t *j = NULL;
    long long got = 0;
    int rc = parse_json(h, body, len, &j);
    if (rc)
        goto fail;
    if (json_is_array(j)) {
        zr__rpc_fail(h, "expected one JSON-RPC response, got an array");
        rc = ZR_ERPCRESP;
        goto fail;
    }
    if ((rc = check_envelope(h, j, &got)) != 0)
        goto fail;
    const json_t *err = json_object_get(j, "error");
    if (err) {
        /* an error with a null id is the server failing to read our request: still final */
        if (got >= 0 && (uint64_t)got != id) {
            zr__rpc_fail(h, "JSON-RPC error answer has id %lld, expected %llu", got,
                         (unsigned long long)id);
            rc = ZR_ERPCRESP;
            goto fail;
        }
        rc = take_error(h, err, NULL, NULL);
        goto fail;
    }
    if ((uint64_t)got != id) {
        zr__rpc_fail(h, "JSON-RPC response has id %lld, expected %llu", got, (unsigned long long)id);
        rc = ZR_ERPCRESP;
        goto fail;
    }
    *result = json_incref(json_object_get(j, "result"));
    json_decref(j);
    return 0;
fail:
    json_decref(j);
    return rc;
}

int zr_rpc_parse_batch(zr_rpc_t *h, const char *body, size_t len, uint64_t first_id,
                       zr_rpc_batch_item_t *items, size_t n)
{
    json_t *j = NULL;
    int rc = parse_json(h, body, len, &j);
    for (size_t i = 0; i < n; i++) {
        items[i].err = ZR_ERPCRESP;
        items[i].result = NULL;
        items[i].code = 0;
        items[i].message = NULL;
    }
    if (rc)
        goto fail;
    if (json_is_object(j)) {
        /* a single error object answers a batch the server refused as a whole */
        long long got = 0;
        if ((rc = check_envelope(h, j, &got)) != 0)
            goto fail;
        if (!json_object_get(j, "error")) {
            zr__rpc_fail(h, "batch answered with a single result");
            rc = ZR_ERPCRESP;
            goto fail;
        }
        rc = take_error(h, json_object_get(j, "error"), NULL, NULL);
        goto fail;
    }
    if (!json_is_array(j)) {
        zr__rpc_fail(h, "batch response is neither an array nor an object");
        rc = ZR_ERPCRESP;
        goto fail;
    }
    if (json_array_size(j) > n) {
        zr__rpc_fail(h, "batch response has %zu answers for %zu calls", json_array_size(j), n);
        rc = ZR_ERPCRESP;
        goto fail;
    }
    char *seen = calloc(n ? n : 1, 1);
    if (!seen) {
        rc = ZR_ENOMEM;
        goto fail;
    }
    size_t k;
    json_t *r;
    json_array_foreach(j, k, r)
    {
        long long got = 0;
        if ((rc = check_envelope(h, r, &got)) != 0)
            break;
        if (got < 0 || (uint64_t)got < first_id || (uint64_t)got - first_id >= n) {
            zr__rpc_fail(h, "batch answer %zu has id %lld, not one of ours", k, got);
            rc = ZR_ERPCRESP;
            break;
        }
        size_t i = (size_t)((uint64_t)got - first_id);
        if (seen[i]) {
            zr__rpc_fail(h, "batch answers id %lld twice", got);
            rc = ZR_ERPCRESP;
            break;
        }
        seen[i] = 1;
        const json_t *e = json_object_get(r, "error");
        if (e) {
            items[i].err = take_error(h, e, &items[i].code, &items[i].message);
            if (items[i].err == ZR_ERPCRESP) {
                rc = ZR_ERPCRESP;
                break;
            }
        } else {
            items[i].err = 0;
            items[i].result = json_incref(json_object_get(r, "result"));
        }
    }
    free(seen);
    if (rc)
        goto fail;
    /* per-item remote errors are in the items; the handle reports the batch as a success */
    zr__rpc_reset_error(h);
    json_decref(j);
    return 0;
fail:
    /* outputs only: params (if any) stay the caller's */
    for (size_t i = 0; i < n; i++) {
        json_decref(items[i].result);
        items[i].result = NULL;
        free(items[i].message);
        items[i].message = NULL;
        items[i].err = rc;
    }
    json_decref(j);
    return rc;
}

static json_t *request_obj(const char *method, json_t *params, uint64_t id)
{
    json_t *o = json_object();
    if (!o) {
        json_decref(params);
        return NULL;
    }
    if (json_object_set_new(o, "jsonrpc", json_string("2.0")) ||
        json_object_set_new(o, "id", json_integer((json_int_t)id)) ||
        json_object_set_new(o, "method", json_string(method)) ||
        json_object_set_new(o, "params", params ? params : json_array())) {
        json_decref(o);
        return NULL;
    }
    return o;
}

int zr_rpc_call(zr_rpc_t *h, const char *method, json_t *params, json_t **result)
{
    *result = NULL;
    zr__rpc_reset_error(h);
    char *req = NULL;
    int rc;
    if (params && !json_is_array(params)) {
        json_decref(params);
        zr__rpc_fail(h, "%s: params must be a JSON array", method);
        return ZR_EINVAL;
    }
    uint64_t id = h->next_id++;
    json_t *o = request_obj(method, params, id);
    if (!o || !(req = json_dumps(o, JSON_COMPACT))) {
        zr__rpc_fail(h, "out of memory building the request");
        rc = ZR_ENOMEM;
        goto fail;
    }
    if ((rc = zr__rpc_post(h, req, strlen(req))) != 0)
        goto fail;
    rc = zr_rpc_parse_response(h, (const char *)h->body.data, h->body.len, id, result);
    if (rc) {
        /* prefix the method so the caller's one line says what failed */
        char tmp[sizeof h->errmsg];
        snprintf(tmp, sizeof tmp, "%s", h->errmsg);
        zr__rpc_fail(h, "%s: %s", method, tmp);
    }
fail:
    free(req);
    json_decref(o);
    return rc;
}

int zr__rpc_call_p(zr_rpc_t *h, const char *method, json_t *params, json_t **result)
{
    if (!params) {
        *result = NULL;
        zr__rpc_reset_error(h);
        zr__rpc_fail(h, "%s: out of memory building the request", method);
        return ZR_ENOMEM;
    }
    return zr_rpc_call(h, method, params, result);
}

int zr_rpc_batch(zr_rpc_t *h, zr_rpc_batch_item_t *items, size_t n)
{
    zr__rpc_reset_error(h);
    char *req = NULL;
    int rc = 0;
    json_t *arr = json_array();
    uint64_t first = h->next_id;
    h->next_id += n;
    for (size_t i = 0; i < n; i++) {
        json_t *p = items[i].params;
        items[i].params = NULL;
        items[i].result = NULL;
        items[i].message = NULL;
        if (p && !json_is_array(p)) {
            json_decref(p);
            zr__rpc_fail(h, "batch item %zu (%s): params must be a JSON array", i, items[i].method);
            rc = ZR_EINVAL;
            continue;
        }
        json_t *o = request_obj(items[i].method, p, first + i);
        if (!arr || !o || json_array_append_new(arr, o)) {
            rc = ZR_ENOMEM;
            continue;
        }
    }
    if (rc)
        goto fail;
    if (n == 0) {
        zr__rpc_fail(h, "empty batch");
        rc = ZR_EINVAL;
        goto fail;
    }
    if (!(req = json_dumps(arr, JSON_COMPACT))) {
        rc = ZR_ENOMEM;
        goto fail;
    }
    if ((rc = zr__rpc_post(h, req, strlen(req))) != 0)
        goto fail;
    rc = zr_rpc_parse_batch(h, (const char *)h->body.data, h->body.len, first, items, n);
    free(req);
    json_decref(arr);
    return rc;
fail:
    for (size_t i = 0; i < n; i++)
        items[i].err = rc;
    free(req);
    json_decref(arr);
    return rc;
}

void zr_rpc_batch_cleanup(zr_rpc_batch_item_t *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        json_decref(items[i].params);
        items[i].params = NULL;
        json_decref(items[i].result);
        items[i].result = NULL;
        free(items[i].message);
        items[i].message = NULL;
    }
}
