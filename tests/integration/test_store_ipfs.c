// SPDX-License-Identifier: MIT
// zara store against a real IPFS node: js-ipfs 0.66 (the `ipfs` npm package) started offline
// on run-time loopback ports. The daemon stores what `zara store put` sends and answers the
// same CIDs; zara fetches what the daemon added, byte-identical, through the RPC API. js-ipfs's
// gateway ignores ?format=raw (it answers the file, not the block), so zara refuses it for
// multi-block files; the trustless gateway back end is exercised through a small gateway this
// test runs in front of the daemon (honest, tampering, garbage, slow, oversized). Files the
// daemon added as CIDv0 are fetched too.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>
#include <microhttpd.h>

#include "zt.h"
#include "zara/store.h"

static struct {
    char *tmp;       /* scratch directory */
    char ipfs_path[1024];
    zt_proc_t daemon;
    int api_port, gw_port;
    char api[64], gw[64];
    struct MHD_Daemon *tgw; /* our trustless gateway */
    int tgw_port;
    char tgw_url[64];
} g;

/* ---- small HTTP helpers (libcurl) ---- */

static size_t on_body(char *p, size_t sz, size_t nm, void *ud)
{
    return zr_buf_append(ud, p, sz * nm) == 0 ? sz * nm : 0;
}

/* POSTs (with a multipart file when upload != NULL) and returns the status. */
static long http_post(const char *url, const char *upload, zr_buf_t *out, long timeout_ms)
{
    CURL *c = curl_easy_init();
    curl_mime *mime = NULL;
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (upload) {
        mime = curl_mime_init(c);
        curl_mimepart *part = curl_mime_addpart(mime);
        curl_mime_name(part, "file");
        curl_mime_filedata(part, upload);
        curl_easy_setopt(c, CURLOPT_MIMEPOST, mime);
    } else {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
    }
    long status = 0;
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_mime_free(mime);
    curl_easy_cleanup(c);
    return status;
}

/* ---- deterministic test files ---- */

static char *make_file(const char *name, size_t n, uint32_t seed)
{
    uint8_t *p = malloc(n ? n : 1);
    uint32_t x = seed * 0x9e3779b9u + 7;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = (uint8_t)(x >> 3);
    }
    char *path = malloc(strlen(g.tmp) + strlen(name) + 2);
    sprintf(path, "%s/%s", g.tmp, name);
    assert_int_equal(zr_file_write_atomic(path, p, n, 0644), 0);
    free(p);
    return path;
}

static void assert_same_file(const char *a, const char *b)
{
    zr_buf_t x, y;
    zr_buf_init(&x, 64u << 20);
    zr_buf_init(&y, 64u << 20);
    assert_int_equal(zr_file_read(a, x.max, &x), 0);
    assert_int_equal(zr_file_read(b, y.max, &y), 0);
    assert_int_equal(x.len, y.len);
    if (x.len)
        assert_memory_equal(x.data, y.data, x.len);
    zr_buf_cleanup(&x);
    zr_buf_cleanup(&y);
}

static char *fresh_dir(const char *name)
{
    char *d = malloc(strlen(g.tmp) + strlen(name) + 2);
    sprintf(d, "%s/%s", g.tmp, name);
    assert_int_equal(zr_mkdirs(d, 0755), 0);
    return d;
}

static int count_blocks(const char *store_dir)
{
    char out[64];
    zt_run(out, sizeof out, "find '%s/blocks' -type f | wc -l", store_dir);
    return atoi(out);
}

static int count_staged(const char *store_dir)
{
    char out[64];
    zt_run(out, sizeof out, "find '%s' -path '*staging*' -type f | wc -l", store_dir);
    return atoi(out);
}

/* ---- our trustless gateway, in front of the daemon's block/get ----
 * The first path segment picks the behaviour: /honest, /tamper (flips a byte of every raw
 * leaf), /garbage (random bytes), /slow (answers after 3 s), /huge (3 MiB). */

static enum MHD_Result tgw_answer(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_size, void **con_cls)
{
    (void)cls;
    (void)method;
    (void)version;
    (void)upload_data;
    (void)upload_size;
    (void)con_cls;
    char mode[16] = "", cid[128] = "";
    const char *fmt = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "format");
    struct MHD_Response *r;
    enum MHD_Result ret;
    if (sscanf(url, "/%15[a-z]/ipfs/%127[a-z0-9]", mode, cid) != 2 || !fmt || strcmp(fmt, "raw") != 0) {
        r = MHD_create_response_from_buffer(9, (void *)"bad query", MHD_RESPMEM_PERSISTENT);
        ret = MHD_queue_response(conn, 400, r);
        MHD_destroy_response(r);
        return ret;
    }
    zr_buf_t body;
    zr_buf_init(&body, 8u << 20);
    unsigned status = 200;
    if (strcmp(mode, "garbage") == 0) {
        uint8_t junk[1000];
        zr_random_bytes(junk, sizeof junk);
        zr_buf_append(&body, junk, sizeof junk);
    } else if (strcmp(mode, "huge") == 0) {
        zr_buf_reserve(&body, 3u << 20);
        memset(body.data, 'x', 3u << 20);
        body.len = 3u << 20;
    } else {
        if (strcmp(mode, "slow") == 0)
            sleep(3);
        char u[256];
        snprintf(u, sizeof u, "%s/api/v0/block/get?arg=%s&timeout=2s", g.api, cid);
        long st = http_post(u, NULL, &body, 5000);
        if (st != 200) {
            status = 404;
            zr_buf_reset(&body);
        } else if (strcmp(mode, "tamper") == 0 && strncmp(cid, "bafk", 4) == 0 && body.len > 10) {
            body.data[10] ^= 0x40;
        }
    }
    size_t len;
    uint8_t *data = zr_buf_take(&body, &len);
    r = MHD_create_response_from_buffer(len, data ? data : (void *)"",
                                        data ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(r, "Content-Type", "application/vnd.ipld.raw");
    ret = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ret;
}

/* ---- the daemon ---- */

static int setup(void **state)
{
    (void)state;
    memset(&g, 0, sizeof g);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    g.tmp = zt_tmpdir();
    snprintf(g.ipfs_path, sizeof g.ipfs_path, "%s/ipfs-repo", g.tmp);
    setenv("IPFS_PATH", g.ipfs_path, 1);
    char node_opts[1200];
    snprintf(node_opts, sizeof node_opts, "--require %s", zt_src_path("tests/support/promise-with-resolvers.cjs"));
    setenv("NODE_OPTIONS", node_opts, 1);
    char jsipfs[1100];
    snprintf(jsipfs, sizeof jsipfs, "%s", zt_src_path("node_modules/.bin/jsipfs"));
    for (int attempt = 0; attempt < 3; attempt++) {
        g.api_port = zt_free_port();
        g.gw_port = zt_free_port();
        int grpc_port = zt_free_port();
        char cfg_path[1100], cfg[1024];
        snprintf(cfg_path, sizeof cfg_path, "%s/ipfs-config.json", g.tmp);
        snprintf(cfg, sizeof cfg,
                 "{\"Addresses\":{\"API\":\"/ip4/127.0.0.1/tcp/%d\",\"Gateway\":\"/ip4/127.0.0.1/tcp/%d\","
                 "\"RPC\":\"/ip4/127.0.0.1/tcp/%d\",\"Swarm\":[],\"Delegates\":[]},\"Bootstrap\":[],"
                 "\"Discovery\":{\"MDNS\":{\"Enabled\":false},\"webRTCStar\":{\"Enabled\":false}}}",
                 g.api_port, g.gw_port, grpc_port);
        assert_int_equal(zr_file_write_atomic(cfg_path, cfg, strlen(cfg), 0644), 0);
        zt_rmtree(g.ipfs_path);
        char out[2048];
        int st = zt_run(out, sizeof out, "'%s' init --empty-repo '%s' 2>&1", jsipfs, cfg_path);
        if (st != 0) {
            fprintf(stderr, "jsipfs init failed: %s\n", out);
            continue;
        }
        char *argv[] = {jsipfs, "daemon", "--offline", NULL};
        if (zt_spawn(&g.daemon, argv) != 0)
            continue;
        if (zt_wait_port(g.api_port, 90000) == 0 && zt_wait_port(g.gw_port, 30000) == 0) {
            snprintf(g.api, sizeof g.api, "http://127.0.0.1:%d", g.api_port);
            snprintf(g.gw, sizeof g.gw, "http://127.0.0.1:%d", g.gw_port);
            break;
        }
        zt_dump_log(&g.daemon);
        zt_stop(&g.daemon);
    }
    if (!g.api[0]) {
        fprintf(stderr, "the IPFS daemon did not start\n");
        return -1;
    }
    for (int attempt = 0; attempt < 5 && !g.tgw; attempt++) {
        g.tgw_port = zt_free_port();
        g.tgw = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD,
                                 (uint16_t)g.tgw_port, NULL, NULL, tgw_answer, NULL, MHD_OPTION_END);
    }
    if (!g.tgw)
        return -1;
    snprintf(g.tgw_url, sizeof g.tgw_url, "http://127.0.0.1:%d", g.tgw_port);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    if (g.tgw)
        MHD_stop_daemon(g.tgw);
    zt_stop(&g.daemon);
    zt_rmtree(g.tmp);
    free(g.tmp);
    curl_global_cleanup();
    return 0;
}

static const char *zara_bin(void)
{
    const char *b = getenv("ZARA_BIN");
    return b ? b : ZARA_BINARY_DIR "/zara";
}

/* Adds path to the daemon directly (as `ipfs add --cid-version=1` would) and returns the
 * CID it answered. */
static void daemon_add(const char *path, char cid[ZR_CID_STR_MAX])
{
    char url[256];
    snprintf(url, sizeof url, "%s/api/v0/add?cid-version=1&raw-leaves=true&cid-base=base32&progress=false", g.api);
    zr_buf_t out;
    zr_buf_init(&out, 65536);
    assert_int_equal(http_post(url, path, &out, 60000), 200);
    json_t *j = NULL;
    char err[128];
    assert_int_equal(zr_json_parse(zr_buf_cstr(&out), out.len, 65536, &j, err, sizeof err), 0);
    const char *h = zr_json_str(j, "Hash");
    assert_non_null(h);
    snprintf(cid, ZR_CID_STR_MAX, "%s", h);
    json_decref(j);
    zr_buf_cleanup(&out);
}

static void test_daemon_stores_what_zara_puts(void **state)
{
    (void)state;
    static const size_t sizes[] = {1, 600000};
    char *dir = fresh_dir("put-store");
    for (size_t i = 0; i < ZR_ARRAY_LEN(sizes); i++) {
        char name[32];
        snprintf(name, sizeof name, "put-%zu", sizes[i]);
        char *file = make_file(name, sizes[i], 100 + (uint32_t)i);
        char out[4096];
        int st = zt_run(out, sizeof out, "'%s' store put --json --dir '%s' --api %s '%s'", zara_bin(), dir, g.api,
                        file);
        assert_int_equal(st, 0);
        json_t *j = NULL;
        char err[128];
        assert_int_equal(zr_json_parse(out, strlen(out), 65536, &j, err, sizeof err), 0);
        const char *cid = zr_json_str(json_array_get(j, 0), "cid");
        assert_non_null(cid);
        /* the daemon now has every block of it: cat returns the file */
        char url[256];
        snprintf(url, sizeof url, "%s/api/v0/cat?arg=%s&timeout=5s", g.api, cid);
        zr_buf_t body;
        zr_buf_init(&body, 8u << 20);
        assert_int_equal(http_post(url, NULL, &body, 20000), 200);
        char *got = malloc(strlen(file) + 8);
        sprintf(got, "%s.cat", file);
        assert_int_equal(zr_file_write_atomic(got, body.data, body.len, 0644), 0);
        assert_same_file(file, got);
        /* and the daemon computes the same CID when adding the file itself */
        char dcid[ZR_CID_STR_MAX];
        daemon_add(file, dcid);
        assert_string_equal(dcid, cid);
        zr_buf_cleanup(&body);
        json_decref(j);
        free(got);
        free(file);
    }
    free(dir);
}

static void test_zara_fetches_what_daemon_added(void **state)
{
    (void)state;
    char *file = make_file("daemon-added", 700000, 7);
    char cid[ZR_CID_STR_MAX];
    daemon_add(file, cid);
    /* same CID as ours */
    zr_cid_t ours;
    char ours_s[ZR_CID_STR_MAX];
    assert_int_equal(zr_import_file(file, 0, NULL, NULL, &ours, NULL), 0);
    assert_string_equal(zr_cid_format(ours_s, &ours), cid);
    char *dir = fresh_dir("fetch-store");
    char out_path[1100], out[4096];
    snprintf(out_path, sizeof out_path, "%s/fetched", g.tmp);
    int st = zt_run(out, sizeof out, "'%s' store get --dir '%s' --api %s %s -o '%s' 2>&1", zara_bin(), dir, g.api, cid,
                    out_path);
    if (st != 0)
        fail_msg("zara store get failed: %s", out);
    assert_same_file(file, out_path);
    /* verified blocks are cached: now it works without the node */
    assert_int_equal(count_blocks(dir), 4); /* root + 3 leaves */
    assert_int_equal(count_staged(dir), 0);
    unlink(out_path);
    st = zt_run(out, sizeof out, "'%s' store get --dir '%s' %s -o '%s' 2>&1", zara_bin(), dir, cid, out_path);
    assert_int_equal(st, 0);
    assert_same_file(file, out_path);
    /* a CID the node does not have: a clear error, nothing cached */
    char *other = fresh_dir("fetch-missing");
    zr_cid_t missing;
    char ms[ZR_CID_STR_MAX];
    zr_cid_of_block(&missing, ZR_CID_RAW, (const uint8_t *)"nobody has this", 15);
    st = zt_run(out, sizeof out, "'%s' store get --timeout 2000 --dir '%s' --api %s %s 2>&1", zara_bin(), other, g.api,
                zr_cid_format(ms, &missing));
    assert_int_equal(st, 1);
    assert_non_null(strstr(out, "NOTFOUND"));
    assert_int_equal(count_blocks(other), 0);
    free(other);
    free(dir);
    free(file);
}

/* ---- the cat fast path: one request per file, trusted only if it re-imports to the CID ---- */

static char log_lines[8192];

static void capture_log(void *ud, zr_log_level_t level, const char *line)
{
    (void)ud;
    (void)level;
    size_t n = strlen(log_lines);
    snprintf(log_lines + n, sizeof log_lines - n, "%s\n", line);
}

static void test_cat_fast_path_and_fallback(void **state)
{
    (void)state;
    /* same layout as ours: the whole file comes through cat */
    char *file = make_file("cat-ours", 900000, 12);
    char cid[ZR_CID_STR_MAX];
    daemon_add(file, cid);
    zr_buf_t want, out;
    zr_buf_init(&want, 4u << 20);
    assert_int_equal(zr_file_read(file, want.max, &want), 0);
    zr_log_level_t old = zr_log_get_level();
    zr_log_set_level(ZR_LOG_DEBUG);
    zr_log_set_callback(capture_log, NULL);
    log_lines[0] = 0;
    char *dir = fresh_dir("cat-store");
    zr_store_config_t cfg = {.dir = dir, .ipfs_api = g.api, .timeout_ms = 5000};
    zr_store_t *s;
    char err[256];
    assert_int_equal(zr_store_open(&s, &cfg, err, sizeof err), 0);
    zr_cid_t c;
    assert_int_equal(zr_cid_parse(&c, cid), 0);
    zr_buf_init(&out, 4u << 20);
    assert_int_equal(zr_store_get_buf(s, &c, &out), 0);
    assert_int_equal(out.len, want.len);
    assert_memory_equal(out.data, want.data, want.len);
    if (!strstr(log_lines, "via=cat backend=ipfs-api bytes=900000"))
        fail_msg("cat was not used: %s", log_lines);
    assert_int_equal(count_blocks(dir), 5);
    zr_buf_cleanup(&out);
    /* another chunker: cat's bytes re-import as another CID, so they are dropped and the
     * blocks of the node's own DAG are fetched and verified one by one */
    char url[256];
    snprintf(url, sizeof url, "%s/api/v0/add?cid-version=1&raw-leaves=true&chunker=size-100000&cid-base=base32",
             g.api);
    zr_buf_t body;
    zr_buf_init(&body, 65536);
    assert_int_equal(http_post(url, file, &body, 60000), 200);
    json_t *j = NULL;
    assert_int_equal(zr_json_parse(zr_buf_cstr(&body), body.len, 65536, &j, err, sizeof err), 0);
    snprintf(cid, sizeof cid, "%s", zr_json_str(j, "Hash"));
    json_decref(j);
    zr_buf_cleanup(&body);
    assert_int_equal(zr_cid_parse(&c, cid), 0);
    log_lines[0] = 0;
    zr_buf_init(&out, 4u << 20);
    assert_int_equal(zr_store_get_buf(s, &c, &out), 0);
    assert_int_equal(out.len, want.len);
    assert_memory_equal(out.data, want.data, want.len);
    if (!strstr(log_lines, "refused=HASHMISMATCH"))
        fail_msg("cat's bytes were not refused: %s", log_lines);
    assert_true(zr_store_has_block(s, &c));
    zr_buf_cleanup(&out);
    zr_store_free(s);
    zr_log_set_callback(NULL, NULL);
    zr_log_set_level(old);
    zr_buf_cleanup(&want);
    free(dir);
    free(file);
}

/* A file the daemon added with its old defaults (CIDv0, dag-pb leaves carrying UnixFS data)
 * is fetched too: the reader follows inline data, and blocks are cached under CIDv1 names. */
static void test_fetch_cidv0(void **state)
{
    (void)state;
    char *file = make_file("daemon-v0", 600000, 11);
    char url[256];
    snprintf(url, sizeof url, "%s/api/v0/add?progress=false", g.api);
    zr_buf_t body;
    zr_buf_init(&body, 65536);
    assert_int_equal(http_post(url, file, &body, 60000), 200);
    json_t *j = NULL;
    char err[128], cid[ZR_CID_STR_MAX];
    assert_int_equal(zr_json_parse(zr_buf_cstr(&body), body.len, 65536, &j, err, sizeof err), 0);
    snprintf(cid, sizeof cid, "%s", zr_json_str(j, "Hash"));
    json_decref(j);
    zr_buf_cleanup(&body);
    assert_true(strncmp(cid, "Qm", 2) == 0);
    char *dir = fresh_dir("fetch-v0");
    char out_path[1100], out[4096];
    snprintf(out_path, sizeof out_path, "%s/fetched-v0", g.tmp);
    int st = zt_run(out, sizeof out, "'%s' store get --dir '%s' --api %s %s -o '%s' 2>&1", zara_bin(), dir, g.api, cid,
                    out_path);
    if (st != 0)
        fail_msg("zara store get %s failed: %s", cid, out);
    assert_same_file(file, out_path);
    assert_int_equal(count_blocks(dir), 4);
    unlink(out_path);
    st = zt_run(out, sizeof out, "'%s' store get --dir '%s' %s -o '%s' 2>&1", zara_bin(), dir, cid, out_path);
    assert_int_equal(st, 0);
    assert_same_file(file, out_path);
    free(dir);
    free(file);
}

static void test_jsipfs_gateway_is_not_trustless(void **state)
{
    (void)state;
    /* one block: the gateway's answer (the file) is the raw block, and verifies */
    char *small = make_file("gw-small", 1000, 8);
    char cid[ZR_CID_STR_MAX], out[4096], out_path[1100];
    daemon_add(small, cid);
    char *dir = fresh_dir("gw-store");
    snprintf(out_path, sizeof out_path, "%s/gw-fetched", g.tmp);
    int st = zt_run(out, sizeof out, "'%s' store get --dir '%s' --gateway %s %s -o '%s' 2>&1", zara_bin(), dir, g.gw,
                    cid, out_path);
    if (st != 0)
        fail_msg("single-block fetch through the js-ipfs gateway failed: %s", out);
    assert_same_file(small, out_path);
    /* several blocks: js-ipfs answers the whole file for ?format=raw; refused */
    char *big = make_file("gw-big", 600000, 9);
    daemon_add(big, cid);
    char *dir2 = fresh_dir("gw-store2");
    unlink(out_path);
    st = zt_run(out, sizeof out, "'%s' store get --dir '%s' --gateway %s %s -o '%s' 2>&1", zara_bin(), dir2, g.gw, cid,
                out_path);
    assert_int_equal(st, 1);
    assert_non_null(strstr(out, "do not hash to it"));
    assert_non_null(strstr(out, "HASHMISMATCH"));
    assert_int_equal(access(out_path, F_OK), -1);
    assert_int_equal(count_blocks(dir2), 0);
    assert_int_equal(count_staged(dir2), 0);
    free(dir);
    free(dir2);
    free(small);
    free(big);
}

/* Through our trustless gateway with the library API. */
static int get_via(const char *gateway, const char *api, long timeout_ms, const char *dir, const char *cid_s,
                   zr_buf_t *out, char *msg, size_t msg_cap)
{
    zr_store_config_t cfg = {.dir = dir, .gateway = gateway, .ipfs_api = api, .timeout_ms = timeout_ms};
    zr_store_t *s;
    char err[256];
    assert_int_equal(zr_store_open(&s, &cfg, err, sizeof err), 0);
    zr_cid_t cid;
    assert_int_equal(zr_cid_parse(&cid, cid_s), 0);
    int rc = zr_store_get_buf(s, &cid, out);
    snprintf(msg, msg_cap, "%s", zr_store_errmsg(s));
    zr_store_free(s);
    return rc;
}

static void test_trustless_gateway(void **state)
{
    (void)state;
    char *file = make_file("tgw", 600000, 10);
    char cid[ZR_CID_STR_MAX], url[128], msg[1024];
    daemon_add(file, cid);
    zr_buf_t want;
    zr_buf_init(&want, 1u << 20);
    assert_int_equal(zr_file_read(file, want.max, &want), 0);
    struct {
        const char *mode;
        int rc;
        const char *in_msg;
    } cases[] = {
        {"garbage", ZR_EHASHMISMATCH, "do not hash to it"},
        {"tamper", ZR_EHASHMISMATCH, "do not hash to it"},
        {"slow", ZR_ETIMEOUT, "within"},
        {"huge", ZR_EGATEWAY, "more than"},
        {"honest", 0, NULL},
    };
    for (size_t i = 0; i < ZR_ARRAY_LEN(cases); i++) {
        char name[32];
        snprintf(name, sizeof name, "tgw-%s", cases[i].mode);
        char *dir = fresh_dir(name);
        snprintf(url, sizeof url, "%s/%s", g.tgw_url, cases[i].mode);
        zr_buf_t out;
        zr_buf_init(&out, 1u << 20);
        int rc = get_via(url, NULL, 1000, dir, cid, &out, msg, sizeof msg);
        if (rc != cases[i].rc)
            fail_msg("%s: want %s, got %s (%s)", cases[i].mode, zr_err_name(cases[i].rc), zr_err_name(rc), msg);
        if (cases[i].in_msg && !strstr(msg, cases[i].in_msg))
            fail_msg("%s: message lacks \"%s\": %s", cases[i].mode, cases[i].in_msg, msg);
        if (rc == 0) {
            assert_int_equal(out.len, want.len);
            assert_memory_equal(out.data, want.data, want.len);
            assert_int_equal(count_blocks(dir), 4);
        } else {
            assert_int_equal(out.len, 0); /* the root or the first leaf already fails */
            assert_int_equal(count_blocks(dir), 0); /* not even the verified root */
        }
        assert_int_equal(count_staged(dir), 0);
        zr_buf_cleanup(&out);
        free(dir);
    }
    /* back ends in order: a dead API first, then an honest gateway: the file arrives */
    char dead[64];
    snprintf(dead, sizeof dead, "http://127.0.0.1:%d", zt_free_port());
    char *dir = fresh_dir("tgw-order");
    zr_buf_t out;
    zr_buf_init(&out, 1u << 20);
    snprintf(url, sizeof url, "%s/honest", g.tgw_url);
    assert_int_equal(get_via(url, dead, 2000, dir, cid, &out, msg, sizeof msg), 0);
    assert_int_equal(out.len, want.len);
    assert_memory_equal(out.data, want.data, want.len);
    zr_buf_cleanup(&out);
    zr_buf_cleanup(&want);
    free(dir);
    free(file);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_daemon_stores_what_zara_puts),
        cmocka_unit_test(test_zara_fetches_what_daemon_added),
        cmocka_unit_test(test_cat_fast_path_and_fallback),
        cmocka_unit_test(test_fetch_cidv0),
        cmocka_unit_test(test_jsipfs_gateway_is_not_trustless),
        cmocka_unit_test(test_trustless_gateway),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
