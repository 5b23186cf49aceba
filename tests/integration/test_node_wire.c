// SPDX-License-Identifier: MIT
// Hostile input over the wire to the nodes of a devnet the test starts: malformed JSON-RPC,
// garbage batches, wrong parameter types, oversized bodies (413), unregistered keys (-32001),
// replays (-32002), BLS signatures that do not verify (-32003), floods (429) — each refused
// with a clear error while the node keeps running and a real submission still settles. The
// AVS Node API answers and /metrics parses as the Prometheus text format.
#include <ctype.h>
#include <math.h>

#include "devnet_harness.h"
#include "zara/ecdsa.h"
#include "zara/httpd.h"

#define AGG 0 /* operator 1: an aggregator */

/* ---- a strict reader of the Prometheus text exposition format 0.0.4 ------------------------ */

static int metric_name_ok(const char *s, size_t n)
{
    if (n == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_' || s[0] == ':'))
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!(isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == ':'))
            return 0;
    return 1;
}

static int value_ok(const char *s, double *v)
{
    if (!strcmp(s, "+Inf") || !strcmp(s, "-Inf") || !strcmp(s, "NaN")) {
        *v = !strcmp(s, "NaN") ? NAN : (s[0] == '+' ? INFINITY : -INFINITY);
        return 1;
    }
    char *end;
    *v = strtod(s, &end);
    return end != s && *end == 0;
}

typedef struct family {
    char name[128];
    char type[64];
    int samples;
    double inf_bucket, count;
    int has_inf, has_count, has_sum;
} family_t;

/* Parses one labels block `{k="v",...}` starting at p ('{'); returns the end or NULL. Stores
 * the value of label want (if any) in got. */
static const char *labels(const char *p, const char *want, char *got, size_t cap)
{
    p++;
    while (*p != '}') {
        const char *k = p;
        while (isalnum((unsigned char)*p) || *p == '_')
            p++;
        size_t kl = (size_t)(p - k);
        if (kl == 0 || !(isalpha((unsigned char)k[0]) || k[0] == '_') || *p != '=' || p[1] != '"')
            return NULL;
        p += 2;
        size_t o = 0;
        while (*p && *p != '"') {
            if (*p == '\\') {
                if (p[1] != '\\' && p[1] != '"' && p[1] != 'n')
                    return NULL;
                p++;
            }
            if (want && kl == strlen(want) && !strncmp(k, want, kl) && o + 1 < cap)
                got[o++] = *p;
            p++;
        }
        if (*p != '"')
            return NULL;
        if (want && kl == strlen(want) && !strncmp(k, want, kl))
            got[o] = 0;
        p++;
        if (*p == ',')
            p++;
        else if (*p != '}')
            return NULL;
    }
    return p + 1;
}

/* Checks the whole text; fills fams (up to max) and returns their count. */
static int prometheus_parse(char *text, family_t *fams, int max)
{
    int nf = 0;
    family_t *cur = NULL;
    int lineno = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        lineno++;
        if (line[0] == '#') {
            char kw[8], name[128], rest[64];
            int k = sscanf(line, "# %7s %127s %63s", kw, name, rest);
            if (k >= 2 && !strcmp(kw, "TYPE")) {
                if (k != 3)
                    fail_msg("metrics line %d: TYPE without a type: %s", lineno, line);
                if (strcmp(rest, "counter") && strcmp(rest, "gauge") && strcmp(rest, "histogram") &&
                    strcmp(rest, "summary") && strcmp(rest, "untyped"))
                    fail_msg("metrics line %d: unknown type %s", lineno, rest);
                for (int i = 0; i < nf; i++)
                    if (!strcmp(fams[i].name, name))
                        fail_msg("metrics line %d: family %s declared twice", lineno, name);
                assert_true(nf < max);
                cur = &fams[nf++];
                memset(cur, 0, sizeof *cur);
                snprintf(cur->name, sizeof cur->name, "%s", name);
                snprintf(cur->type, sizeof cur->type, "%s", rest);
                if (!metric_name_ok(name, strlen(name)))
                    fail_msg("metrics line %d: bad name %s", lineno, name);
            } else if (k >= 2 && !strcmp(kw, "HELP")) {
                if (!metric_name_ok(name, strlen(name)))
                    fail_msg("metrics line %d: bad name %s", lineno, name);
            }
            continue;
        }
        /* a sample: name[{labels}] value [timestamp] */
        const char *p = line;
        while (*p && *p != '{' && *p != ' ')
            p++;
        size_t nl = (size_t)(p - line);
        if (!metric_name_ok(line, nl))
            fail_msg("metrics line %d: bad sample name: %s", lineno, line);
        char le[64] = "";
        if (*p == '{' && !(p = labels(p, "le", le, sizeof le)))
            fail_msg("metrics line %d: bad labels: %s", lineno, line);
        if (*p != ' ')
            fail_msg("metrics line %d: no value: %s", lineno, line);
        char val[64] = "", ts[64] = "";
        int k = sscanf(p, " %63s %63s", val, ts);
        double v = 0;
        if (k < 1 || !value_ok(val, &v))
            fail_msg("metrics line %d: bad value: %s", lineno, line);
        if (!cur)
            fail_msg("metrics line %d: sample before any TYPE: %s", lineno, line);
        /* the sample belongs to the family declared last (histograms add suffixes) */
        size_t fl = strlen(cur->name);
        int hist = !strcmp(cur->type, "histogram");
        if (strncmp(line, cur->name, fl) != 0)
            fail_msg("metrics line %d: sample %.*s outside its family %s", lineno, (int)nl, line, cur->name);
        const char *suffix = line + fl;
        size_t sl = nl - fl;
        if (hist) {
            if (sl == 7 && !strncmp(suffix, "_bucket", 7)) {
                if (!le[0])
                    fail_msg("metrics line %d: bucket without le", lineno);
                if (!strcmp(le, "+Inf")) {
                    cur->has_inf = 1;
                    cur->inf_bucket = v;
                }
            } else if (sl == 4 && !strncmp(suffix, "_sum", 4)) {
                cur->has_sum = 1;
            } else if (sl == 6 && !strncmp(suffix, "_count", 6)) {
                cur->has_count = 1;
                cur->count = v;
                if (!cur->has_inf || cur->inf_bucket != v) /* +Inf counts every observation */
                    fail_msg("metrics line %d: %s_count differs from its +Inf bucket", lineno, cur->name);
            } else {
                fail_msg("metrics line %d: %s in histogram %s", lineno, line, cur->name);
            }
        } else if (sl != 0) {
            fail_msg("metrics line %d: sample %.*s outside its family %s", lineno, (int)nl, line, cur->name);
        }
        if (!strcmp(cur->type, "counter") && !(v >= 0))
            fail_msg("metrics line %d: negative counter", lineno);
        cur->samples++;
    }
    return nf;
}

static const family_t *family(const family_t *f, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(f[i].name, name))
            return &f[i];
    fail_msg("no metric family %s", name);
    return NULL;
}

/* ---- tests ---------------------------------------------------------------------------------- */

static uint64_t task_id;

static void no_secret(const dn_http_t *r)
{
    assert_null(strstr(zr_buf_cstr((zr_buf_t *)&r->body), dn.password));
}

static void test_avs_node_api(void **s)
{
    (void)s;
    for (int i = 0; i < dn_node_count(); i++)
        dn_wait_status(i, "/eigen/node/health", 200, 20000);

    dn_http_t r;
    dn_http(&r, AGG, "GET", "/eigen/node", NULL, 0, 0);
    assert_int_equal(r.status, 200);
    json_t *j = NULL;
    char e[200];
    assert_int_equal(zr_json_parse((char *)r.body.data, r.body.len, r.body.max, &j, e, sizeof e), 0);
    assert_string_equal(zr_json_str(j, "node_name"), "operator1");
    assert_non_null(zr_json_str(j, "spec_version"));
    assert_non_null(zr_json_str(j, "node_version"));
    json_decref(j);
    no_secret(&r);
    zr_buf_cleanup(&r.body);

    /* an aggregator runs three services, an attester two; all Up */
    for (int i = 1; i <= 2; i++) {
        int node = i == 1 ? AGG : 2;
        dn_http(&r, node, "GET", "/eigen/node/services", NULL, 0, 0);
        assert_int_equal(r.status, 200);
        assert_int_equal(zr_json_parse((char *)r.body.data, r.body.len, r.body.max, &j, e, sizeof e), 0);
        json_t *svcs = json_object_get(j, "services");
        assert_int_equal(json_array_size(svcs), node == AGG ? 3 : 2);
        size_t k;
        json_t *sv;
        json_array_foreach(svcs, k, sv)
        {
            assert_non_null(zr_json_str(sv, "id"));
            assert_non_null(zr_json_str(sv, "name"));
            assert_non_null(zr_json_str(sv, "description"));
            assert_string_equal(zr_json_str(sv, "status"), "Up");
            char path[128];
            snprintf(path, sizeof path, "/eigen/node/services/%s/health", zr_json_str(sv, "id"));
            assert_int_equal(dn_http_status(node, path), 200);
        }
        json_decref(j);
        no_secret(&r);
        zr_buf_cleanup(&r.body);
    }
    assert_int_equal(dn_http_status(2, "/eigen/node/services/aggregator/health"), 404);
    assert_int_equal(dn_http_status(AGG, "/eigen/node/services/nope/health"), 404);

    /* metrics: content type and a strict parse of the text format */
    dn_http(&r, AGG, "GET", "/metrics", NULL, 0, 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.ctype, "text/plain"));
    assert_non_null(strstr(r.ctype, "version=0.0.4"));
    no_secret(&r);
    family_t fams[64];
    int nf = prometheus_parse((char *)zr_buf_cstr(&r.body), fams, 64);
    zr_buf_cleanup(&r.body);
    assert_true(nf >= 4);
    assert_string_equal(family(fams, nf, "eigen_performance_score")->type, "gauge");
    assert_string_equal(family(fams, nf, "eigen_rpc_request_total")->type, "counter");
    assert_true(family(fams, nf, "eigen_rpc_request_total")->samples > 0);
    assert_string_equal(family(fams, nf, "eigen_registered_stakes")->type, "gauge");
    const family_t *h = family(fams, nf, "eigen_rpc_request_duration_seconds");
    assert_string_equal(h->type, "histogram");
    assert_true(h->has_inf && h->has_count && h->has_sum);
    assert_true(h->count > 0);
}

static void expect_code(int node, const char *body, int code)
{
    json_t *a = dn_rpc(node, body);
    int got = dn_rpc_code(a);
    if (got != code) {
        char *s = json_dumps(a, JSON_COMPACT);
        fail_msg("%.200s -> %s (expected error %d)", body, s, code);
    }
    json_decref(a);
}

static void test_malformed_rpc(void **s)
{
    (void)s;
    /* not JSON, not a request, not JSON-RPC 2.0 */
    expect_code(AGG, "{\"jsonrpc\":\"2.0\",\"method\":", ZR_JSONRPC_PARSE_ERROR);
    expect_code(AGG, "\xff\xfe garbage \x01", ZR_JSONRPC_PARSE_ERROR);
    expect_code(AGG, "42", ZR_JSONRPC_INVALID_REQUEST);
    expect_code(AGG, "\"zara_submitAttestation\"", ZR_JSONRPC_INVALID_REQUEST);
    expect_code(AGG, "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"zara_submitAttestation\",\"params\":{}}",
                ZR_JSONRPC_INVALID_REQUEST);
    expect_code(AGG, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":7}", ZR_JSONRPC_INVALID_REQUEST);
    expect_code(AGG, "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"zara_submitAttestation\"}",
                ZR_JSONRPC_INVALID_REQUEST);
    expect_code(AGG, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"zara_submitAttestation\",\"params\":5}",
                ZR_JSONRPC_INVALID_REQUEST);
    expect_code(AGG, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_sendRawTransaction\",\"params\":[]}",
                ZR_JSONRPC_METHOD_NOT_FOUND);
    expect_code(AGG, "[]", ZR_JSONRPC_INVALID_REQUEST);

    /* a batch of garbage: one error object per entry */
    json_t *a = dn_rpc(AGG, "[1, \"x\", null, [], {\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"nope\"}]");
    assert_true(json_is_array(a));
    assert_int_equal(json_array_size(a), 5);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(dn_rpc_code(json_array_get(a, i)), ZR_JSONRPC_INVALID_REQUEST);
    assert_int_equal(dn_rpc_code(json_array_get(a, 4)), ZR_JSONRPC_METHOD_NOT_FOUND);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(a, 4), "id")), 9);
    json_decref(a);
    /* too many entries */
    zr_buf_t big;
    zr_buf_init(&big, 1 << 20);
    zr_buf_append_str(&big, "[");
    for (int i = 0; i < 200; i++)
        zr_buf_printf(&big, "%s{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"nope\"}", i ? "," : "", i);
    zr_buf_append_str(&big, "]");
    expect_code(AGG, zr_buf_cstr(&big), ZR_JSONRPC_INVALID_REQUEST);
    zr_buf_cleanup(&big);

    /* wrong parameter types of zara_submitAttestation */
    const char *bad_params[] = {
        "[1,2,3]",
        "{}",
        "{\"result\":\"x\",\"operator\":\"0x0000000000000000000000000000000000000001\",\"signature\":\"0x00\"}",
        "{\"result\":{\"taskId\":1},\"operator\":\"0x0000000000000000000000000000000000000001\",\"signature\":\"0x\"}",
    };
    for (size_t i = 0; i < ZR_ARRAY_LEN(bad_params); i++) {
        char body[1024];
        snprintf(body, sizeof body, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"zara_submitAttestation\",\"params\":%s}",
                 bad_params[i]);
        expect_code(AGG, body, ZR_JSONRPC_INVALID_PARAMS);
    }
    /* a well-formed result with a bad operator or signature field */
    zr_proto_result_t r;
    memset(&r, 0, sizeof r);
    zr_proto_u256_from_u64(r.task_id, task_id);
    zr_proto_u256_from_u64(r.submission_id, 1);
    json_t *rj = zr_proto_result_to_json(&r);
    const char *fields[][2] = {
        {"12", "\"0x00\""},
        {"\"0x1234\"", "\"0x00\""},
        {"\"0x0000000000000000000000000000000000000001\"", "17"},
        {"\"0x0000000000000000000000000000000000000001\"", "\"0xzz\""},
    };
    char *rs = json_dumps(rj, JSON_COMPACT);
    json_decref(rj);
    for (size_t i = 0; i < ZR_ARRAY_LEN(fields); i++) {
        char body[2048];
        snprintf(body, sizeof body,
                 "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"zara_submitAttestation\",\"params\":{\"result\":%s,"
                 "\"operator\":%s,\"signature\":%s}}",
                 rs, fields[i][0], fields[i][1]);
        expect_code(AGG, body, ZR_JSONRPC_INVALID_PARAMS);
    }
    /* the same for proposals (65-byte signatures) */
    char body[2048];
    snprintf(body, sizeof body,
             "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"zara_submitProposal\",\"params\":{\"result\":%s,"
             "\"performer\":\"0x0000000000000000000000000000000000000001\",\"signature\":\"0x%0128d\"}}",
             rs, 0);
    expect_code(AGG, body, ZR_JSONRPC_INVALID_PARAMS);
    free(rs);

    /* a notification (no id) gets no answer at all */
    dn_http_t h;
    const char *note = "{\"jsonrpc\":\"2.0\",\"method\":\"nope\"}";
    dn_http(&h, AGG, "POST", "/rpc", note, strlen(note), 0);
    assert_int_equal(h.status, 204);
    zr_buf_cleanup(&h.body);
    /* JSON-RPC only over POST */
    dn_http(&h, AGG, "GET", "/rpc", NULL, 0, 0);
    assert_int_equal(h.status, 405);
    zr_buf_cleanup(&h.body);
}

static void test_oversized(void **s)
{
    (void)s;
    size_t n = (2u << 20) + 17; /* the devnet nodes take at most 1 MiB */
    char *body = malloc(n + 1);
    assert_non_null(body);
    memset(body, ' ', n);
    const char *head = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"zara_submitAttestation\",\"params\":{\"x\":\"";
    memcpy(body, head, strlen(head));
    body[n] = 0;
    dn_http_t h;
    dn_http(&h, AGG, "POST", "/rpc", body, n, 0); /* announced by Content-Length */
    assert_int_equal(h.status, 413);
    assert_non_null(strstr(zr_buf_cstr(&h.body), "too large"));
    zr_buf_cleanup(&h.body);
    dn_http(&h, AGG, "POST", "/rpc", body, n, 1); /* chunked: found while reading */
    if (h.status != 413)
        fail_msg("a chunked body of %zu bytes: HTTP %ld %.300s", n, h.status, zr_buf_cstr(&h.body));
    zr_buf_cleanup(&h.body);
    free(body);
    assert_int_equal(dn_http_status(AGG, "/eigen/node/health"), 200);
}

static void test_bad_signers(void **s)
{
    (void)s;
    zr_proto_result_t r;
    memset(&r, 0, sizeof r);
    zr_proto_u256_from_u64(r.task_id, task_id);
    zr_proto_u256_from_u64(r.submission_id, 900001); /* a submission that does not exist */
    r.seed[5] = 0x42;
    zr_proto_i256_from_i64(r.challenger_score, 999000000000000000LL);

    /* a key nobody registered, for an address nobody registered */
    zr_bls_secret_t stranger;
    assert_int_equal(zr_bls_secret_generate(&stranger), 0);
    char *m = dn_attestation(&r, &stranger, "0x00000000000000000000000000000000000000aa");
    expect_code(AGG, m, -32001);
    free(m);
    /* the same key claiming to be operator 3: the signature does not verify */
    m = dn_attestation(&r, &stranger, dn_node(2, "address"));
    expect_code(AGG, m, -32003);
    free(m);
    /* operator 3's real key, but the signature is not a point of G1 at all */
    char body[2048];
    json_t *rj = zr_proto_result_to_json(&r);
    char *rs = json_dumps(rj, JSON_COMPACT);
    json_decref(rj);
    snprintf(body, sizeof body,
             "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"zara_submitAttestation\",\"params\":{\"result\":%s,"
             "\"operator\":\"%s\",\"signature\":\"0x%0127d1\"}}",
             rs, dn_node(2, "address"), 0);
    expect_code(AGG, body, -32003);

    /* a proposal from an ECDSA key that is not an operator's, and one whose signature does
     * not recover to the performer it names */
    uint8_t sk[32], addr[20], digest[32], raw[65];
    assert_int_equal(zr_random_bytes(sk, 32), 0);
    sk[0] &= 0x7f;
    assert_int_equal(zr_ecdsa_seckey_address(addr, sk), 0);
    zr_proto_result_digest(digest, &r, dn.dep.chain_id, dn.dep.attestation_center);
    zr_sig_t sig;
    assert_int_equal(zr_ecdsa_sign(&sig, sk, digest), 0);
    zr_ecdsa_sig_encode(raw, &sig);
    char sh[133] = "0x", ah[43] = "0x";
    zr_hex_encode(sh + 2, raw, 65);
    zr_hex_encode(ah + 2, addr, 20);
    snprintf(body, sizeof body,
             "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"zara_submitProposal\",\"params\":{\"result\":%s,"
             "\"performer\":\"%s\",\"signature\":\"%s\"}}",
             rs, ah, sh);
    expect_code(AGG, body, -32001);
    snprintf(body, sizeof body,
             "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"zara_submitProposal\",\"params\":{\"result\":%s,"
             "\"performer\":\"%s\",\"signature\":\"%s\"}}",
             rs, dn_node(2, "address"), sh);
    expect_code(AGG, body, -32003);
    free(rs);
    zr_wipe(sk, sizeof sk);
    zr_bls_secret_wipe(&stranger);

    /* a valid attestation of a registered operator is taken once, then refused as a replay */
    zr_bls_secret_t op3;
    dn_node_bls(2, &op3);
    m = dn_attestation(&r, &op3, dn_node(2, "address"));
    zr_bls_secret_wipe(&op3);
    json_t *a = dn_rpc(AGG, m);
    assert_int_equal(dn_rpc_code(a), 0);
    assert_true(json_is_true(json_object_get(json_object_get(a, "result"), "accepted")));
    json_decref(a);
    expect_code(AGG, m, -32002);
    expect_code(AGG, m, -32002);
    free(m);

    /* the refusals are counted */
    dn_http_t h;
    dn_http(&h, AGG, "GET", "/metrics", NULL, 0, 0);
    const char *txt = zr_buf_cstr(&h.body);
    assert_non_null(strstr(txt, "zara_attestations_received_total{outcome=\"unregistered\"} 1"));
    assert_non_null(strstr(txt, "zara_attestations_received_total{outcome=\"bad_signature\"} 2"));
    assert_non_null(strstr(txt, "zara_attestations_received_total{outcome=\"duplicate\"} 2"));
    zr_buf_cleanup(&h.body);
}

static void test_flood(void **s)
{
    (void)s;
    /* operator 3 (not an aggregator: nobody else sends it anything) limits each client */
    int limited = 0, ok = 0;
    for (int i = 0; i < 300 && !limited; i++) {
        long st = dn_http_status(2, "/eigen/node");
        ok += st == 200;
        limited += st == 429;
    }
    assert_true(ok > 10);
    assert_int_equal(limited, 1);
    /* the bucket refills */
    dn_sleep_ms(1500);
    assert_int_equal(dn_http_status(2, "/eigen/node"), 200);
}

static void test_still_settles(void **s)
{
    (void)s;
    /* after all of that every node is healthy and a real submission settles exactly once */
    for (int i = 0; i < dn_node_count(); i++)
        dn_wait_status(i, "/eigen/node/health", 200, 10000);
    uint8_t before[32], after[32], want[32], amount[32];
    dn_claimable("optimizerA", before);
    uint64_t sub = dn_submit("optimizerA", task_id, zt_src_path("examples/square/trained.safetensors"));
    zr_chain_event_t e = dn_wait_settled(sub, 120);
    assert_int_equal(e.status, ZR_PROTO_STATUS_OK);
    assert_true(e.accepted);
    dn_sleep_ms(3000);
    assert_int_equal(dn_count(ZR_EV_SETTLED, sub, NULL), 1);
    assert_int_equal(dn_count(ZR_EV_RESULT_SUBMITTED, sub, NULL), 1);
    dn_claimable("optimizerA", after);
    dn_wei(amount, "3000000000000000000"); /* bond back + reward */
    assert_int_equal(zr_rpc_u256_add(want, before, amount), 0);
    assert_memory_equal(after, want, 32);
    for (int i = 0; i < dn_node_count(); i++)
        assert_int_equal(dn_http_status(i, "/eigen/node/health"), 200);
}

static int setup(void **s)
{
    (void)s;
    dn_up(4);
    task_id = dn_task_create(NULL);
    return 0;
}

static int teardown(void **s)
{
    (void)s;
    dn_down();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_avs_node_api), cmocka_unit_test(test_malformed_rpc),
        cmocka_unit_test(test_oversized),    cmocka_unit_test(test_bad_signers),
        cmocka_unit_test(test_flood),        cmocka_unit_test(test_still_settles),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
