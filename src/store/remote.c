// SPDX-License-Identifier: MIT
// Remote back ends of the store, both read through the bounded HTTP helper: an IPFS
// node's RPC API (Kubo and js-ipfs speak the same one: blocks from /api/v0/block/get,
// files added through /api/v0/add with the options that give our CIDs) and a trustless
// gateway (GET /ipfs/<cid>?format=raw). The store verifies every block they return.
#include <stdio.h>
#include <string.h>

#include "store_int.h"

static void remote_message(const zr_buf_t *body, char *out, size_t cap)
{
    json_t *j = NULL;
    char jerr[160];
    const char *m = NULL;
    if (body->len && zr_json_parse((const char *)body->data, body->len, 65536, &j, jerr, sizeof jerr) == 0)
        m = zr_json_str(j, "Message");
    snprintf(out, cap, "%.200s", m ? m : body->len ? "(no JSON message)" : "(empty answer)");
    json_decref(j);
}

static int api_get(zr__backend_t *b, const zr_cid_t *cid, zr_buf_t *out, char *err, size_t err_cap)
{
    char url[700], c[ZR_CID_STR_MAX];
    /* the node's own deadline, shorter than ours, turns "nobody has it" into a clear answer
     * (an offline js-ipfs node would otherwise wait for the network forever) */
    long node_ms = b->timeout_ms * 3 / 4 > 500 ? b->timeout_ms * 3 / 4 : 500;
    snprintf(url, sizeof url, "%s/api/v0/block/get?arg=%s&timeout=%ldms", b->base, zr_cid_format(c, cid), node_ms);
    zr__http_req_t req = {.method = "POST", .url = url, .timeout_ms = b->timeout_ms,
                          .max_body = ZR_STORE_MAX_BLOCK};
    long status;
    int rc = zr__http(&req, out, &status, err, err_cap);
    if (rc)
        return rc;
    if (status != 200) {
        char m[256];
        remote_message(out, m, sizeof m);
        snprintf(err, err_cap, "IPFS API %s answered %ld for block %s: %s", b->base, status, c, m);
        zr_buf_reset(out);
        return ZR_ENOTFOUND;
    }
    return 0;
}

static int api_put_file(zr__backend_t *b, const char *path, zr_cid_t *cid, char *err, size_t err_cap)
{
    char url[700];
    snprintf(url, sizeof url,
             "%s/api/v0/add?cid-version=1&raw-leaves=true&chunker=size-262144&pin=true&progress=false"
             "&cid-base=base32",
             b->base);
    zr__http_req_t req = {.method = "POST", .url = url, .upload_path = path,
                          .timeout_ms = b->timeout_ms, .max_body = 65536};
    zr_buf_t body;
    zr_buf_init(&body, 65536);
    json_t *j = NULL;
    long status;
    int rc = zr__http(&req, &body, &status, err, err_cap);
    if (rc)
        goto fail;
    if (status != 200) {
        char m[256];
        remote_message(&body, m, sizeof m);
        snprintf(err, err_cap, "IPFS API %s refused the add (%ld): %s", b->base, status, m);
        rc = ZR_EGATEWAY;
        goto fail;
    }
    /* newline-separated JSON objects; the last one names the file */
    char *s = (char *)body.data;
    size_t end = body.len;
    while (end && (s[end - 1] == '\n' || s[end - 1] == '\r' || s[end - 1] == ' '))
        end--;
    size_t start = end;
    while (start && s[start - 1] != '\n')
        start--;
    char jerr[160];
    const char *hash;
    if (end == 0 || zr_json_parse(s + start, end - start, 65536, &j, jerr, sizeof jerr) != 0 ||
        !(hash = zr_json_str(j, "Hash"))) {
        snprintf(err, err_cap, "IPFS API %s: unexpected answer to add: %.200s", b->base, zr_buf_cstr(&body));
        rc = ZR_EGATEWAY;
        goto fail;
    }
    if ((rc = zr_cid_parse(cid, hash)) != 0) {
        snprintf(err, err_cap, "IPFS API %s answered a CID we do not support: %.100s", b->base, hash);
        rc = ZR_EGATEWAY;
        goto fail;
    }
fail:
    json_decref(j);
    zr_buf_cleanup(&body);
    return rc;
}

static int api_cat(zr__backend_t *b, const zr_cid_t *cid, int (*write)(void *, const uint8_t *, size_t), void *ud,
                   char *err, size_t err_cap)
{
    char url[700], c[ZR_CID_STR_MAX];
    long node_ms = b->timeout_ms * 3 / 4 > 500 ? b->timeout_ms * 3 / 4 : 500;
    snprintf(url, sizeof url, "%s/api/v0/cat?arg=%s&timeout=%ldms", b->base, zr_cid_format(c, cid), node_ms);
    zr__http_req_t req = {.method = "POST", .url = url, .timeout_ms = b->timeout_ms, .max_body = 65536,
                          .stream = write, .stream_ud = ud};
    zr_buf_t body;
    zr_buf_init(&body, 65536);
    long status;
    int rc = zr__http(&req, &body, &status, err, err_cap);
    if (rc == 0 && status != 200) {
        char m[256];
        remote_message(&body, m, sizeof m);
        snprintf(err, err_cap, "IPFS API %s answered %ld to cat %s: %s", b->base, status, c, m);
        rc = ZR_ENOTFOUND;
    }
    zr_buf_cleanup(&body);
    return rc;
}

static int set_base(zr__backend_t *b, const char *url, long timeout_ms)
{
    size_t n = strlen(url);
    while (n && url[n - 1] == '/')
        n--;
    if (n == 0 || n >= sizeof b->base ||
        (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0))
        return ZR_EINVAL;
    memcpy(b->base, url, n);
    b->base[n] = 0;
    b->timeout_ms = timeout_ms > 0 ? timeout_ms : 30000;
    return 0;
}

int zr__backend_ipfs_api_init(zr__backend_t *b, const char *url, long timeout_ms)
{
    memset(b, 0, sizeof *b);
    b->kind = "ipfs-api";
    b->get = api_get;
    b->put_file = api_put_file;
    b->cat = api_cat;
    return set_base(b, url, timeout_ms);
}

/* ---- trustless gateway ----------------------------------------------------------------- */

static int gw_get(zr__backend_t *b, const zr_cid_t *cid, zr_buf_t *out, char *err, size_t err_cap)
{
    char url[700], c[ZR_CID_STR_MAX];
    snprintf(url, sizeof url, "%s/ipfs/%s?format=raw", b->base, zr_cid_format(c, cid));
    zr__http_req_t req = {.method = "GET", .url = url, .accept = "application/vnd.ipld.raw",
                          .timeout_ms = b->timeout_ms, .max_body = ZR_STORE_MAX_BLOCK};
    long status;
    int rc = zr__http(&req, out, &status, err, err_cap);
    if (rc)
        return rc;
    if (status != 200) {
        snprintf(err, err_cap, "gateway %s answered %ld for block %s", b->base, status, c);
        zr_buf_reset(out);
        return status == 404 || status == 410 ? ZR_ENOTFOUND : ZR_EGATEWAY;
    }
    return 0;
}

int zr__backend_gateway_init(zr__backend_t *b, const char *url, long timeout_ms)
{
    memset(b, 0, sizeof *b);
    b->kind = "gateway";
    b->get = gw_get;
    return set_base(b, url, timeout_ms);
}
