/* SPDX-License-Identifier: MIT
 * Shared helpers of the integration tests that drive a real `zara devnet`: bring it up in a
 * temporary folder, restart and kill its nodes (always by pid), talk HTTP to them, submit
 * models through the CLI and watch the chain for the verdicts, and read a node's SQLite
 * state. Header-only (static functions) so each test_*.c stays one self-contained program. */
#ifndef ZARA_TEST_DEVNET_HARNESS_H
#define ZARA_TEST_DEVNET_HARNESS_H

#include <curl/curl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "zt.h"
#include "zara/bls.h"
#include "zara/chain.h"

#define DN_UNUSED __attribute__((unused))
#define DN_MAX_NODES 8

typedef struct dn {
    char *dir;
    char zara[1024];
    json_t *state;
    zr_chain_t *chain;
    zr_deployment_t dep;
    char password[128];
    /* nodes this test restarted itself (0 pid = the one `devnet up` started, or none) */
    zt_proc_t restarted[DN_MAX_NODES];
    int killed[DN_MAX_NODES]; /* the devnet's own process was stopped */
} dn_t;

static dn_t dn;

static DN_UNUSED void dn_sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static DN_UNUSED json_t *dn_run_json(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static DN_UNUSED json_t *dn_run_json(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    static char out[65536];
    int st = zt_run(out, sizeof out, "%s", cmd);
    if (st != 0)
        fail_msg("`%s` exited with %d: %s", cmd, st, out);
    char *last = strrchr(out, '\n'); /* the JSON document is the last line */
    last = last ? last + 1 : out;
    json_t *j;
    char e[200];
    if (zr_json_parse(last, strlen(last), sizeof out, &j, e, sizeof e) != 0)
        fail_msg("`%s` did not print JSON (%s): %s", cmd, e, out);
    return j;
}

static DN_UNUSED const char *dn_acc(const char *role, const char *what)
{
    return zr_json_str(json_object_get(json_object_get(dn.state, "accounts"), role), what);
}

/* A member of node i (0-based) in devnet.json: address, url, config, log, dir. */
static DN_UNUSED const char *dn_node(int i, const char *what)
{
    return zr_json_str(json_array_get(json_object_get(dn.state, "nodes"), (size_t)i), what);
}

static DN_UNUSED void dn_node_addr(int i, uint8_t out[20])
{
    assert_int_equal(zr_hex_decode_exact(out, 20, dn_node(i, "address")), 0);
}

static DN_UNUSED int dn_node_count(void)
{
    return (int)json_array_size(json_object_get(dn.state, "nodes"));
}

/* Brings a devnet of n operators up in a fresh temporary folder. */
static DN_UNUSED void dn_up(int n)
{
    memset(&dn, 0, sizeof dn);
    dn.dir = zt_tmpdir();
    const char *bin = getenv("ZARA_BIN");
    snprintf(dn.zara, sizeof dn.zara, "%s", bin ? bin : "build/asan/zara");
    json_decref(dn_run_json("HOME='%s' ZARA_DEVNET_DIR='%s' '%s' devnet up --dir '%s' --operators %d --json 2>&1",
                            dn.dir, dn.dir, dn.zara, dn.dir, n));
    char path[1024];
    snprintf(path, sizeof path, "%s/devnet.json", dn.dir);
    zr_buf_t b;
    zr_buf_init(&b, 1 << 20);
    char e[200];
    assert_int_equal(zr_file_read(path, b.max, &b), 0);
    assert_int_equal(zr_json_parse((char *)b.data, b.len, b.max, &dn.state, e, sizeof e), 0);
    zr_buf_reset(&b);
    assert_int_equal(zr_file_read(zr_json_str(dn.state, "passwordFile"), 4096, &b), 0);
    snprintf(dn.password, sizeof dn.password, "%.*s", (int)strcspn(zr_buf_cstr(&b), "\r\n"), zr_buf_cstr(&b));
    zr_buf_cleanup(&b);
    assert_int_equal(zr_deployment_load(&dn.dep, zr_json_str(dn.state, "deployment"), e, sizeof e), 0);
    assert_int_equal(zr_chain_open(&dn.chain, zr_json_str(dn.state, "rpc"), &dn.dep, NULL, e, sizeof e), 0);
}

/* The pid running node i now. */
static DN_UNUSED pid_t dn_node_pid(int i)
{
    if (dn.restarted[i].pid > 0)
        return dn.restarted[i].pid;
    assert_false(dn.killed[i]);
    return (pid_t)json_integer_value(
        json_object_get(json_array_get(json_object_get(dn.state, "nodes"), (size_t)i), "pid"));
}

/* Stops node i now (sig: SIGTERM or SIGKILL), whichever process runs it. */
static DN_UNUSED void dn_node_signal(int i, int sig)
{
    if (dn.restarted[i].pid > 0) {
        pid_t p = dn.restarted[i].pid;
        assert_int_equal(kill(p, sig), 0);
        for (int k = 0; k < 200 && waitpid(p, NULL, WNOHANG) != p; k++)
            dn_sleep_ms(50);
        dn.restarted[i].pid = 0;
        return;
    }
    assert_false(dn.killed[i]);
    pid_t p = (pid_t)json_integer_value(json_object_get(json_array_get(json_object_get(dn.state, "nodes"), (size_t)i),
                                                        "pid"));
    assert_int_equal(kill(p, sig), 0);
    dn.killed[i] = 1;
    /* not our child: wait until it is gone */
    for (int k = 0; k < 200 && kill(p, 0) == 0; k++) {
        char st[64] = "";
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/stat", (int)p);
        FILE *f = fopen(path, "r");
        if (f) {
            if (!fgets(st, sizeof st, f))
                st[0] = 0;
            fclose(f);
        }
        if (strstr(st, ") Z"))
            break;
        dn_sleep_ms(50);
    }
}

/* Starts node i again with its config plus extra `--key value` flags (may be NULL), its
 * output appended to its log; waits until its HTTP port answers. */
static DN_UNUSED void dn_node_start(int i, const char *extra)
{
    assert_true(dn.restarted[i].pid <= 0);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "cd '%s' && exec '%s' node --config '%s' %s >> '%s' 2>&1", dn_node(i, "dir"), dn.zara,
             dn_node(i, "config"), extra ? extra : "", dn_node(i, "log"));
    char *argv[] = {"sh", "-c", cmd, NULL};
    assert_int_equal(zt_spawn(&dn.restarted[i], argv), 0);
    int port = atoi(strrchr(dn_node(i, "url"), ':') + 1);
    if (zt_wait_port(port, 20000) != 0)
        fail_msg("node %d did not come back on port %d; see %s", i + 1, port, dn_node(i, "log"));
}

static DN_UNUSED void dn_down(void)
{
    for (int i = 0; i < DN_MAX_NODES; i++)
        zt_stop(&dn.restarted[i]);
    if (dn.dir) {
        char out[4096];
        zt_run(out, sizeof out, "'%s' devnet down --dir '%s' 2>&1", dn.zara, dn.dir);
        if (getenv("ZT_KEEP_DEVNET"))
            fprintf(stderr, "kept the devnet's folder %s (ZT_KEEP_DEVNET)\n", dn.dir);
        else
            zt_rmtree(dn.dir);
        free(dn.dir);
    }
    zr_chain_free(dn.chain);
    json_decref(dn.state);
    zr_wipe(dn.password, sizeof dn.password);
    memset(&dn, 0, sizeof dn);
}

/* ---- HTTP ------------------------------------------------------------------------------- */

typedef struct dn_http {
    long status;
    char ctype[128];
    zr_buf_t body;
} dn_http_t;

static size_t dn_sink(char *p, size_t sz, size_t nm, void *ud)
{
    return zr_buf_append(ud, p, sz * nm) == 0 ? sz * nm : 0;
}

/* One request to node i's path; body NULL = GET. chunked sends the body without a length.
 * Fails the test only when no HTTP answer arrives at all. */
static DN_UNUSED void dn_http(dn_http_t *r, int node, const char *method, const char *path, const void *body,
                              size_t len, int chunked)
{
    memset(r, 0, sizeof *r);
    zr_buf_init(&r->body, 16u << 20);
    char url[600];
    snprintf(url, sizeof url, "%s%s", dn_node(node, "url"), path);
    CURL *c = curl_easy_init();
    assert_non_null(c);
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    if (chunked)
        h = curl_slist_append(h, "Transfer-Encoding: chunked");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        if (!chunked)
            curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, dn_sink);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &r->body);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 20000L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    CURLcode cc = curl_easy_perform(c);
    if (cc != CURLE_OK)
        fail_msg("%s %s: %s", method, url, curl_easy_strerror(cc));
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
    char *ct = NULL;
    curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
    snprintf(r->ctype, sizeof r->ctype, "%s", ct ? ct : "");
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
}

/* HTTP status of GET path on node i, or 0 when it does not answer. */
static DN_UNUSED long dn_http_status(int node, const char *path)
{
    char url[600];
    snprintf(url, sizeof url, "%s%s", dn_node(node, "url"), path);
    CURL *c = curl_easy_init();
    zr_buf_t sink;
    zr_buf_init(&sink, 1 << 20);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, dn_sink);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 3000L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    long st = 0;
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &st);
    curl_easy_cleanup(c);
    zr_buf_cleanup(&sink);
    return st;
}

/* Waits until GET path on node i answers want; fails the test after timeout_ms. */
static DN_UNUSED void dn_wait_status(int node, const char *path, long want, long timeout_ms)
{
    long st = 0;
    for (long t = 0; t < timeout_ms; t += 200) {
        if ((st = dn_http_status(node, path)) == want)
            return;
        dn_sleep_ms(200);
    }
    fail_msg("GET %s on node %d: %ld, expected %ld after %ld ms", path, node + 1, st, want, timeout_ms);
}

/* POSTs a JSON-RPC request to node i's /rpc and returns the parsed answer (new reference). */
static DN_UNUSED json_t *dn_rpc(int node, const char *body)
{
    dn_http_t r;
    dn_http(&r, node, "POST", "/rpc", body, strlen(body), 0);
    if (r.status != 200)
        fail_msg("POST /rpc: HTTP %ld: %s", r.status, zr_buf_cstr(&r.body));
    json_t *j = NULL;
    char e[200];
    if (zr_json_parse((const char *)r.body.data, r.body.len, r.body.max, &j, e, sizeof e) != 0)
        fail_msg("POST /rpc answered non-JSON (%s): %s", e, zr_buf_cstr(&r.body));
    zr_buf_cleanup(&r.body);
    return j;
}

/* The error code of a JSON-RPC answer (0 when it has a result). */
static DN_UNUSED int dn_rpc_code(const json_t *ans)
{
    json_t *err = json_object_get(ans, "error");
    if (!err)
        return 0;
    assert_true(json_is_string(json_object_get(err, "message")));
    assert_true(strlen(json_string_value(json_object_get(err, "message"))) > 0);
    return (int)json_integer_value(json_object_get(err, "code"));
}

/* ---- attestations a test forges ------------------------------------------------------------ */

/* Loads node i's BLS key from its keystore with the devnet password. */
static DN_UNUSED void dn_node_bls(int i, zr_bls_secret_t *sk)
{
    char path[1200], e[256];
    snprintf(path, sizeof path, "%s/bls.json", dn_node(i, "dir"));
    if (zr_bls_keystore_load(sk, path, dn.password, e, sizeof e) != 0)
        fail_msg("BLS keystore %s: %s", path, e);
}

/* The JSON-RPC text of zara_submitAttestation(r) signed with sk on behalf of operator.
 * Caller frees. */
static DN_UNUSED char *dn_attestation(const zr_proto_result_t *r, const zr_bls_secret_t *sk, const char *operator_hex)
{
    uint8_t digest[32], raw[64];
    zr_proto_result_digest(digest, r, dn.dep.chain_id, dn.dep.attestation_center);
    zr_bn254_g1_t sig;
    zr_bls_sign(&sig, sk, digest);
    zr_bn254_g1_encode(raw, &sig);
    char sh[131] = "0x";
    zr_hex_encode(sh + 2, raw, 64);
    json_t *m = json_pack("{s:s, s:i, s:s, s:{s:o, s:s, s:s}}", "jsonrpc", "2.0", "id", 7, "method",
                          "zara_submitAttestation", "params", "result", zr_proto_result_to_json(r), "operator",
                          operator_hex, "signature", sh);
    char *s = json_dumps(m, JSON_COMPACT);
    json_decref(m);
    return s;
}

/* ---- the chain ------------------------------------------------------------------------------ */

static DN_UNUSED uint64_t dn_head(void)
{
    uint64_t h;
    assert_int_equal(zr_rpc_block_number(zr_chain_rpc(dn.chain), &h), 0);
    return h;
}

/* Every event of the contracts so far (caller frees *out). */
static DN_UNUSED size_t dn_events(zr_chain_event_t **out)
{
    size_t n = 0;
    assert_int_equal(zr_chain_events(dn.chain, 0, dn_head(), 5000, out, &n), 0);
    return n;
}

/* How many events of kind concern submission sub; the last one is copied to last (may be NULL). */
static DN_UNUSED int dn_count(zr_chain_event_kind_t kind, uint64_t sub, zr_chain_event_t *last)
{
    zr_chain_event_t *ev = NULL;
    size_t n = dn_events(&ev);
    int c = 0;
    for (size_t i = 0; i < n; i++)
        if (ev[i].kind == kind && ev[i].submission_id == sub) {
            c++;
            if (last)
                *last = ev[i];
        }
    free(ev);
    return c;
}

/* Waits until submission sub is settled (fails after timeout_s); returns its event. */
static DN_UNUSED zr_chain_event_t dn_wait_settled(uint64_t sub, int timeout_s)
{
    zr_chain_event_t e;
    memset(&e, 0, sizeof e);
    for (int t = 0; t < timeout_s * 2; t++) {
        if (dn_count(ZR_EV_SETTLED, sub, &e) > 0)
            return e;
        dn_sleep_ms(500);
    }
    fail_msg("submission %llu did not settle within %d s", (unsigned long long)sub, timeout_s);
    return e;
}

/* Creates a task with the square example's files (eval script may be replaced). */
static DN_UNUSED uint64_t dn_task_create(const char *eval_path)
{
    char arch[1024], init[1024], eval[1024];
    snprintf(eval, sizeof eval, "%s", eval_path ? eval_path : ""); /* before zt_src_path reuses its buffer */
    const char *root = zt_src_path("");
    snprintf(arch, sizeof arch, "%sexamples/square/arch.json", root);
    snprintf(init, sizeof init, "%sexamples/square/init.safetensors", root);
    if (!eval_path)
        snprintf(eval, sizeof eval, "%sexamples/square/eval.lua", root);
    json_t *t = dn_run_json("HOME='%s' ZARA_DEVNET_DIR='%s' ZARA_KEYSTORE='%s' ZARA_PASSWORD_FILE='%s' '%s' task create "
                            "--arch '%s' --params '%s' --eval '%s' --pool 10ether --reward 2ether --fee 0.01ether "
                            "--bond 1ether --slash-bps 2000 --min-improvement 0.001 --deadline 1d --json 2>&1",
                            dn.dir, dn.dir, dn_acc("owner", "keystore"), zr_json_str(dn.state, "passwordFile"), dn.zara,
                            arch, init, eval);
    uint64_t id = (uint64_t)json_integer_value(json_object_get(t, "taskId"));
    json_decref(t);
    assert_true(id > 0);
    return id;
}

/* Commits and reveals params for task as role, without waiting for the verdict. */
static DN_UNUSED uint64_t dn_submit(const char *role, uint64_t task, const char *params)
{
    json_t *v = dn_run_json("HOME='%s' ZARA_DEVNET_DIR='%s' ZARA_KEYSTORE='%s' ZARA_PASSWORD_FILE='%s' '%s' submit %llu "
                            "--params '%s' --no-follow --json 2>&1",
                            dn.dir, dn.dir, dn_acc(role, "keystore"), zr_json_str(dn.state, "passwordFile"), dn.zara,
                            (unsigned long long)task, params);
    uint64_t id = (uint64_t)json_integer_value(json_object_get(v, "submissionId"));
    json_decref(v);
    assert_true(id > 0);
    return id;
}

/* What ModelSubmission owes role in ETH. */
static DN_UNUSED void dn_claimable(const char *role, uint8_t out[32])
{
    static const uint8_t eth[20];
    uint8_t a[20];
    assert_int_equal(zr_hex_decode_exact(a, 20, dn_acc(role, "address")), 0);
    assert_int_equal(zr_chain_claimable(dn.chain, eth, a, out), 0);
}

static DN_UNUSED void dn_wei(uint8_t out[32], const char *text)
{
    assert_int_equal(zr_proto_u256_parse(out, text), 0);
}

/* The result every operator must compute for sub's round, minus the scores: task, ids and
 * the seed (from the chain once fixed, else from the seed block's hash). Waits for the seed
 * block to be mined. */
static DN_UNUSED void dn_round(uint64_t sub_id, zr_proto_result_t *r)
{
    zr_submission_t s;
    assert_int_equal(zr_chain_get_submission(dn.chain, sub_id, &s), 0);
    zr_task_t t;
    assert_int_equal(zr_chain_get_task(dn.chain, s.task_id, &t), 0);
    for (int k = 0; k < 100 && dn_head() < s.seed_block; k++)
        dn_sleep_ms(200);
    memset(r, 0, sizeof *r);
    zr_proto_u256_from_u64(r->task_id, s.task_id);
    zr_proto_u256_from_u64(r->submission_id, sub_id);
    zr_proto_u256_from_u64(r->incumbent_id, t.best_id);
    static const uint8_t zero[32];
    if (memcmp(s.seed, zero, 32) != 0) {
        memcpy(r->seed, s.seed, 32);
        return;
    }
    char tag[19];
    zr_rpc_u64_format(tag, s.seed_block);
    zr_rpc_block_t b;
    assert_int_equal(zr_rpc_get_block(zr_chain_rpc(dn.chain), &b, tag), 0);
    zr_proto_seed(r->seed, b.hash, dn.dep.chain_id, dn.dep.model_submission, r->task_id, r->submission_id);
}

/* ---- a node's SQLite state ------------------------------------------------------------------ */

/* Runs a one-value integer query on node i's state database (read-only). */
static DN_UNUSED long long dn_db_int(int i, const char *sql, long long arg)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/node.sqlite", dn_node(i, "dir"));
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    sqlite3_bind_int64(st, 1, arg);
    long long v = -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* Node i's own result for submission sub (the only row it has); 0 when found. */
static DN_UNUSED int dn_db_result(int i, uint64_t sub, zr_proto_result_t *r)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/node.sqlite", dn_node(i, "dir"));
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT result FROM results WHERE submission_id=?", -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(st, 1, (sqlite3_int64)sub);
    int rc = ZR_ENOENT;
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *txt = (const char *)sqlite3_column_text(st, 0);
        json_t *j = NULL;
        char e[200];
        assert_int_equal(zr_json_parse(txt, strlen(txt), 1 << 20, &j, e, sizeof e), 0);
        assert_int_equal(zr_proto_result_from_json(r, j, e, sizeof e), 0);
        json_decref(j);
        rc = 0;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}

/* Waits for node i's own result for sub. */
static DN_UNUSED void dn_wait_result(int i, uint64_t sub, zr_proto_result_t *r, int timeout_s)
{
    for (int t = 0; t < timeout_s * 4; t++) {
        if (dn_db_result(i, sub, r) == 0)
            return;
        dn_sleep_ms(250);
    }
    fail_msg("node %d has no result for submission %llu after %d s", i + 1, (unsigned long long)sub, timeout_s);
}

#endif
