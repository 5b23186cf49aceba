// SPDX-License-Identifier: MIT
// Faults on a real devnet the test starts (4 operators; 1 and 2 aggregate): a registered key
// signing a wrong score, SIGKILL during an evaluation, the RPC endpoint unreachable behind a
// TCP proxy, equivocation before and after the verdict (slashed, bounty paid), a stop between
// recording a result and queueing its attestation. Every submission settles exactly once with
// the honest verdict, and every optimizer is owed exactly the right wei.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>

#include "devnet_harness.h"
#include "zara/keccak.h"

#define OP1 0 /* aggregator */
#define OP2 1 /* aggregator */
#define OP3 2 /* the forger */
#define OP4 3

static uint64_t fast_task, slow_task;

/* ---- a TCP proxy that can stop forwarding ----------------------------------------------- */

typedef struct proxy {
    int lfd;
    int port;
    int target_port;
    atomic_int paused;
    atomic_int stop;
    atomic_int active; /* connection threads alive */
    pthread_t th;
} proxy_t;

static proxy_t px;

typedef struct {
    proxy_t *p;
    int a, b;
} pump_t;

static void *pump_main(void *arg)
{
    pump_t *u = arg;
    char buf[16384];
    struct pollfd fds[2] = {{u->a, POLLIN, 0}, {u->b, POLLIN, 0}};
    while (!atomic_load(&u->p->stop) && !atomic_load(&u->p->paused)) {
        int r = poll(fds, 2, 100);
        if (r < 0)
            break;
        int done = 0;
        for (int i = 0; i < 2 && !done; i++) {
            if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t n = recv(fds[i].fd, buf, sizeof buf, 0);
            if (n <= 0) {
                done = 1;
                break;
            }
            int to = i == 0 ? u->b : u->a;
            for (ssize_t off = 0; off < n;) {
                ssize_t w = send(to, buf + off, (size_t)(n - off), MSG_NOSIGNAL);
                if (w <= 0) {
                    done = 1;
                    break;
                }
                off += w;
            }
        }
        if (done)
            break;
    }
    close(u->a);
    close(u->b);
    atomic_fetch_sub(&u->p->active, 1);
    free(u);
    return NULL;
}

static void *proxy_main(void *arg)
{
    proxy_t *p = arg;
    while (!atomic_load(&p->stop)) {
        struct pollfd pf = {p->lfd, POLLIN, 0};
        if (poll(&pf, 1, 100) <= 0)
            continue;
        /* close-on-exec everywhere: the nodes this test forks must not inherit (and so keep
         * open) the proxy's connections */
        int c = accept4(p->lfd, NULL, NULL, SOCK_CLOEXEC);
        if (c < 0)
            continue;
        if (atomic_load(&p->paused)) {
            close(c); /* unreachable: the connection dies at once */
            continue;
        }
        int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)p->target_port)};
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof sa) != 0) {
            if (s >= 0)
                close(s);
            close(c);
            continue;
        }
        pump_t *u = malloc(sizeof *u);
        pthread_t t;
        if (!u) {
            close(c);
            close(s);
            continue;
        }
        *u = (pump_t){p, c, s};
        atomic_fetch_add(&p->active, 1);
        if (pthread_create(&t, NULL, pump_main, u) != 0) {
            atomic_fetch_sub(&p->active, 1);
            close(c);
            close(s);
            free(u);
            continue;
        }
        pthread_detach(t);
    }
    return NULL;
}

static void proxy_start(int target_port)
{
    memset(&px, 0, sizeof px);
    px.target_port = target_port;
    px.lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_true(px.lfd >= 0);
    int one = 1;
    setsockopt(px.lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = 0};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(px.lfd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(listen(px.lfd, 64), 0);
    socklen_t sl = sizeof sa;
    assert_int_equal(getsockname(px.lfd, (struct sockaddr *)&sa, &sl), 0);
    px.port = ntohs(sa.sin_port);
    assert_int_equal(pthread_create(&px.th, NULL, proxy_main, &px), 0);
}

static void proxy_stop(void)
{
    if (px.lfd <= 0)
        return;
    atomic_store(&px.stop, 1);
    pthread_join(px.th, NULL);
    for (int i = 0; i < 100 && atomic_load(&px.active) > 0; i++)
        dn_sleep_ms(50);
    close(px.lfd);
    px.lfd = 0;
}

/* ---- helpers ------------------------------------------------------------------------------ */

static void rewards_of(int node, uint8_t out[32])
{
    uint8_t a[20];
    dn_node_addr(node, a);
    assert_int_equal(zr_chain_rewards(dn.chain, a, out), 0);
}

/* claimable(role) must have grown by exactly delta wei since before. */
static void expect_claimable(const char *role, const uint8_t before[32], const char *delta)
{
    uint8_t after[32], want[32], d[32];
    dn_claimable(role, after);
    dn_wei(d, delta);
    assert_int_equal(zr_rpc_u256_add(want, before, d), 0);
    if (memcmp(after, want, 32) != 0) {
        char a[80], w[80];
        zr_proto_u256_to_dec(a, after);
        zr_proto_u256_to_dec(w, want);
        fail_msg("%s is owed %s wei, expected %s", role, a, w);
    }
}

static void digest_of(const zr_proto_result_t *r, uint8_t out[32])
{
    zr_proto_result_digest(out, r, dn.dep.chain_id, dn.dep.attestation_center);
}

/* The result of the round with a score nobody computed. */
static void forge(uint64_t sub, zr_proto_result_t *r)
{
    dn_round(sub, r);
    r->status = ZR_PROTO_STATUS_OK;
    zr_proto_i256_from_i64(r->challenger_score, 1000000000000000000LL); /* a perfect R² */
    zr_proto_i256_from_i64(r->incumbent_score, -5000000000000000000LL);
    memset(r->outputs_digest, 0xab, 32);
}

/* Sends r signed with operator who's registered BLS key to aggregators [first, last]; each
 * accepts it. */
static void send_as(int who, const zr_proto_result_t *r, int first, int last)
{
    zr_bls_secret_t sk;
    dn_node_bls(who, &sk);
    char *m = dn_attestation(r, &sk, dn_node(who, "address"));
    zr_bls_secret_wipe(&sk);
    for (int agg = first; agg <= last; agg++) {
        json_t *a = dn_rpc(agg, m);
        if (dn_rpc_code(a) != 0) {
            char *s = json_dumps(a, JSON_COMPACT);
            fail_msg("aggregator %d refused operator %d's attestation: %s", agg + 1, who + 1, s);
        }
        json_decref(a);
    }
    free(m);
}

static void send_as_op3(const zr_proto_result_t *r)
{
    send_as(OP3, r, OP1, OP2);
}

/* Distinct digests node `who` BLS-signed for sub, as aggregator node `agg` stored them. */
static long long signed_digests(int agg, int who, uint64_t sub)
{
    char sql[300];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(DISTINCT digest) FROM attestations WHERE submission_id=?1 AND kind='bls' "
             "AND lower(operator)=lower('%s')",
             dn_node(who, "address"));
    return dn_db_int(agg, sql, (long long)sub);
}

static void expect_settled_once(uint64_t sub, const uint8_t digest[32])
{
    dn_sleep_ms(2500); /* a second, late aggregator must not settle it again */
    assert_int_equal(dn_count(ZR_EV_SETTLED, sub, NULL), 1);
    zr_chain_event_t rs;
    assert_int_equal(dn_count(ZR_EV_RESULT_SUBMITTED, sub, &rs), 1);
    assert_memory_equal(rs.digest, digest, 32);
}

/* CPU time (user + system) process p used so far, from /proc. */
static double cpu_seconds(pid_t p)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)p);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    const char *q = strrchr(buf, ')'); /* the command name may hold spaces */
    assert_non_null(q);
    unsigned long long ut = 0, st = 0;
    /* fields after the name: state ppid pgrp session tty tpgid flags minflt cminflt majflt
     * cmajflt utime stime */
    assert_int_equal(sscanf(q + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st), 2);
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* ---- the faults --------------------------------------------------------------------------- */

static void test_wrong_score_never_counted(void **s)
{
    (void)s;
    /* operator 3 stops running its node: the forged attestation is the only one it sends */
    dn_node_signal(OP3, SIGTERM);
    uint8_t r3_before[32], r3_after[32], r1_before[32], r1_after[32], owed[32];
    rewards_of(OP3, r3_before);
    rewards_of(OP1, r1_before);
    dn_claimable("optimizerA", owed);

    uint64_t sub = dn_submit("optimizerA", fast_task, zt_src_path("examples/square/trained.safetensors"));
    zr_proto_result_t forged, honest;
    forge(sub, &forged);
    send_as_op3(&forged);

    zr_chain_event_t e = dn_wait_settled(sub, 90);
    assert_int_equal(e.status, ZR_PROTO_STATUS_OK);
    assert_true(e.accepted);
    dn_wait_result(OP1, sub, &honest, 5);
    assert_memory_equal(e.challenger_score, honest.challenger_score, 32);
    assert_memory_not_equal(e.challenger_score, forged.challenger_score, 32);
    uint8_t dh[32], df[32];
    digest_of(&honest, dh);
    digest_of(&forged, df);
    expect_settled_once(sub, dh);
    /* the aggregators hold the forgery (a valid signature of a registered key) but it was
     * not counted: operator 3 earned nothing, operator 1 did */
    assert_int_equal(signed_digests(OP1, OP3, sub), 1);
    rewards_of(OP3, r3_after);
    rewards_of(OP1, r1_after);
    assert_memory_equal(r3_after, r3_before, 32);
    assert_true(zr_rpc_u256_cmp(r1_after, r1_before) > 0);
    expect_claimable("optimizerA", owed, "3000000000000000000"); /* bond + reward */
}

static void test_sigkill_during_evaluation(void **s)
{
    (void)s;
    /* operator 3 is still offline, so without operator 4 there is no quorum (1/2 < 2/3) */
    uint8_t owed[32];
    dn_claimable("optimizerB", owed);
    uint64_t sub = dn_submit("optimizerB", slow_task, zt_src_path("examples/square/trained.safetensors"));
    zr_submission_t sb;
    assert_int_equal(zr_chain_get_submission(dn.chain, sub, &sb), 0);
    for (int k = 0; k < 200 && dn_head() < sb.seed_block; k++)
        dn_sleep_ms(100);
    dn_sleep_ms(800); /* operator 4 is now inside its evaluation of 4 s or more */
    const char *rows = "SELECT COUNT(*) FROM results WHERE submission_id=?1";
    /* it is busy evaluating: at least a quarter of a core over 400 ms (an idle node polls) */
    pid_t p4 = dn_node_pid(OP4);
    double c0 = cpu_seconds(p4);
    dn_sleep_ms(400);
    double busy = cpu_seconds(p4) - c0;
    if (busy < 0.1)
        fail_msg("operator 4 used %.3f s of CPU in 0.4 s: it is not evaluating", busy);
    assert_int_equal(dn_db_int(OP4, rows, (long long)sub), 0);
    dn_node_signal(OP4, SIGKILL);
    if (dn_db_int(OP4, rows, (long long)sub) != 0)
        fail_msg("operator 4 finished its evaluation before the kill: the script is too fast here");
    print_message("operator 4 killed with SIGKILL during its evaluation of submission %llu (busy: %.2f s of CPU "
                  "in 0.4 s)\n",
                  (unsigned long long)sub, busy);
    dn_sleep_ms(3000);
    assert_int_equal(dn_count(ZR_EV_SETTLED, sub, NULL), 0);

    dn_node_start(OP4, NULL);
    zr_chain_event_t e = dn_wait_settled(sub, 120);
    assert_int_equal(e.status, ZR_PROTO_STATUS_OK);
    assert_true(e.accepted);
    zr_proto_result_t mine;
    assert_int_equal(dn_db_result(OP4, sub, &mine), 0);
    uint8_t d[32];
    digest_of(&mine, d);
    expect_settled_once(sub, d);
    /* one own result per round, and only that one ever signed */
    assert_int_equal(dn_db_int(OP4, rows, (long long)sub), 1);
    assert_int_equal(dn_db_int(OP4,
                               "SELECT COUNT(*) FROM (SELECT 1 FROM results GROUP BY submission_id, incumbent_id, seed "
                               "HAVING COUNT(*) > 1)",
                               0),
                     0);
    assert_int_equal(signed_digests(OP1, OP4, sub), 1);
    assert_int_equal(signed_digests(OP2, OP4, sub), 1);
    expect_claimable("optimizerB", owed, "3000000000000000000");
}

static void test_rpc_outage(void **s)
{
    (void)s;
    int port = (int)json_integer_value(json_object_get(json_object_get(dn.state, "anvil"), "port"));
    proxy_start(port);
    char flag[96];
    snprintf(flag, sizeof flag, "--rpc http://127.0.0.1:%d", px.port);
    const int live[] = {OP1, OP2, OP4};
    for (int k = 0; k < 3; k++) {
        dn_node_signal(live[k], SIGTERM);
        dn_node_start(live[k], flag);
    }
    for (int k = 0; k < 3; k++)
        dn_wait_status(live[k], "/eigen/node/health", 200, 20000);

    uint8_t owed[32];
    dn_claimable("optimizerB", owed);
    uint64_t sub = dn_submit("optimizerB", fast_task, zt_src_path("examples/square/trained.safetensors"));
    atomic_store(&px.paused, 1);
    print_message("the RPC endpoint is unreachable for 10 s (submission %llu in flight)\n", (unsigned long long)sub);
    int down[3] = {0}, svc_down = 0, settled_meanwhile = 0;
    for (int t = 0; t < 40; t++) {
        for (int k = 0; k < 3; k++) {
            long st = dn_http_status(live[k], "/eigen/node/health");
            if (st != 200 && st != 206 && st != 503)
                fail_msg("operator %d health: HTTP %ld", live[k] + 1, st);
            down[k] |= st != 200;
        }
        /* what the services say while it lasts */
        dn_http_t h;
        dn_http(&h, OP1, "GET", "/eigen/node/services", NULL, 0, 0);
        svc_down |= strstr(zr_buf_cstr(&h.body), "\"Down\"") != NULL;
        zr_buf_cleanup(&h.body);
        dn_sleep_ms(250);
    }
    settled_meanwhile = dn_count(ZR_EV_SETTLED, sub, NULL);
    atomic_store(&px.paused, 0);
    print_message("the RPC endpoint is reachable again\n");
    assert_int_equal(settled_meanwhile, 0);
    assert_true(svc_down);
    for (int k = 0; k < 3; k++)
        if (!down[k])
            fail_msg("operator %d never reported the chain down during the outage", live[k] + 1);

    for (int k = 0; k < 3; k++)
        dn_wait_status(live[k], "/eigen/node/health", 200, 30000);
    zr_chain_event_t e = dn_wait_settled(sub, 120);
    assert_int_equal(e.status, ZR_PROTO_STATUS_OK);
    assert_false(e.accepted); /* a copy of the best: no improvement */
    zr_proto_result_t r;
    assert_int_equal(dn_db_result(OP1, sub, &r), 0);
    uint8_t d[32];
    digest_of(&r, d);
    expect_settled_once(sub, d);
    expect_claimable("optimizerB", owed, "800000000000000000"); /* 20% of the bond kept */
}

static void test_equivocation_slashed(void **s)
{
    (void)s;
    /* operators 3 and 4 offline: the two honest aggregators hold half the stake, no quorum */
    dn_node_signal(OP4, SIGTERM);
    uint8_t owed[32], before[2][32], stake3[32];
    uint8_t op3[20];
    dn_node_addr(OP3, op3);
    zr_operator_t info;
    assert_int_equal(zr_chain_operator_info(dn.chain, op3, &info), 0);
    assert_int_equal(info.status, 1); /* Active */
    memcpy(stake3, info.stake, 32);
    rewards_of(OP1, before[0]);
    rewards_of(OP2, before[1]);
    dn_claimable("optimizerC", owed);

    uint64_t sub = dn_submit("optimizerC", fast_task, zt_src_path("examples/square/trained.safetensors"));
    zr_proto_result_t forged, honest;
    forge(sub, &forged);
    send_as_op3(&forged);
    dn_wait_result(OP1, sub, &honest, 60);
    dn_sleep_ms(3000);
    assert_int_equal(dn_count(ZR_EV_SETTLED, sub, NULL), 0);
    assert_int_equal(dn_count(ZR_EV_EQUIVOCATION, sub, NULL), 0);

    /* operator 3 now also signs the true result: two results for one round */
    send_as_op3(&honest);
    zr_chain_event_t eq;
    memset(&eq, 0, sizeof eq);
    for (int t = 0; t < 120 && dn_count(ZR_EV_EQUIVOCATION, sub, &eq) == 0; t++)
        dn_sleep_ms(500);
    assert_int_equal(eq.kind, ZR_EV_EQUIVOCATION);
    assert_memory_equal(eq.addr, op3, 20);

    /* slashed on chain: status Slashed (4), no stake left */
    assert_int_equal(zr_chain_operator_info(dn.chain, op3, &info), 0);
    assert_int_equal(info.status, 4);
    static const uint8_t zero[32];
    assert_memory_equal(info.stake, zero, 32);
    assert_int_equal(dn_count(ZR_EV_OPERATOR_SLASHED, 0, NULL), 1);

    /* the reporter (one of the aggregators) was credited the bounty the event names */
    zr_rpc_receipt_t rec;
    zr_rpc_receipt_init(&rec);
    assert_int_equal(zr_rpc_get_receipt(zr_chain_rpc(dn.chain), &rec, eq.tx_hash), 0);
    assert_int_equal(rec.status, 1);
    uint8_t topic[32];
    const char *sig = "EquivocationReported(address,address,uint256,uint256,uint256)";
    zr_keccak256(topic, (const uint8_t *)sig, strlen(sig));
    const zr_rpc_log_t *lg = NULL;
    for (size_t i = 0; i < rec.logs.n; i++)
        if (rec.logs.v[i].n_topics == 4 && memcmp(rec.logs.v[i].topics[0], topic, 32) == 0)
            lg = &rec.logs.v[i];
    assert_non_null(lg);
    assert_memory_equal(lg->address, dn.dep.attestation_center, 20);
    assert_memory_equal(lg->topics[2] + 12, rec.from, 20);
    assert_int_equal(lg->data_len, 64);
    assert_memory_equal(lg->data, stake3, 32); /* the whole stake was slashed */
    uint8_t bounty[32], half[32];
    memcpy(bounty, lg->data + 32, 32);
    dn_wei(half, "16000000000000000000"); /* BOUNTY_BPS 5000 of 32 ether, plus rounding dust */
    assert_true(zr_rpc_u256_cmp(bounty, half) >= 0);
    int reporter = -1;
    for (int k = OP1; k <= OP2; k++) {
        uint8_t a[20];
        dn_node_addr(k, a);
        if (memcmp(a, rec.from, 20) == 0)
            reporter = k;
    }
    assert_true(reporter == OP1 || reporter == OP2);
    zr_rpc_receipt_cleanup(&rec);
    print_message("operator %d reported the equivocation of operator 3\n", reporter + 1);

    /* with operator 3 gone, operators 1 and 2 hold 2/3 of the stake: the honest verdict */
    zr_chain_event_t e = dn_wait_settled(sub, 90);
    assert_int_equal(e.status, ZR_PROTO_STATUS_OK);
    assert_false(e.accepted);
    assert_memory_equal(e.challenger_score, honest.challenger_score, 32);
    uint8_t dh[32];
    digest_of(&honest, dh);
    expect_settled_once(sub, dh);
    assert_int_equal(dn_count(ZR_EV_EQUIVOCATION, sub, NULL), 1);
    uint8_t after[32], gain[32];
    rewards_of(reporter, after);
    assert_int_equal(zr_rpc_u256_sub(gain, after, before[reporter]), 0);
    assert_true(zr_rpc_u256_cmp(gain, bounty) >= 0);
    expect_claimable("optimizerC", owed, "800000000000000000");
}

/* Leaves operator 4's (stopped) state database as a crash right after it recorded its
 * result for sub and before it queued the attestation would: the submission seen but not
 * marked evaluated, the result and its BLS signature stored, the outbox empty. The result
 * is operator 1's (evaluation is deterministic), signed with operator 4's key. */
static void crash_after_result(uint64_t sub, const zr_proto_result_t *r)
{
    zr_bls_secret_t sk;
    dn_node_bls(OP4, &sk);
    uint8_t d[32], raw[64];
    digest_of(r, d);
    zr_bn254_g1_t sig;
    zr_bls_sign(&sig, &sk, d);
    zr_bls_secret_wipe(&sk);
    zr_bn254_g1_encode(raw, &sig);
    char sigs[256] = "{\"bls\":\"0x", dh[67] = "0x";
    zr_hex_encode(sigs + strlen(sigs), raw, 64);
    zr_hex_encode(dh + 2, d, 32);
    snprintf(sigs + strlen(sigs), sizeof sigs - strlen(sigs), "\",\"digest\":\"%s\"}", dh);

    char path[1200], other[1200];
    snprintf(path, sizeof path, "%s/node.sqlite", dn_node(OP4, "dir"));
    snprintf(other, sizeof other, "%s/node.sqlite", dn_node(OP1, "dir"));
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char sql[1600];
    snprintf(sql, sizeof sql, "ATTACH '%s' AS o", other);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    const char *steps[] = {
        "INSERT INTO main.submissions(id,task_id,reveal_block,seed_block,submitter,params_cid,state,"
        "evaluated_incumbent) SELECT id,task_id,reveal_block,seed_block,submitter,params_cid,0,0 "
        "FROM o.submissions WHERE id=?1",
        "INSERT INTO main.results(submission_id,incumbent_id,seed,result,signatures) "
        "SELECT submission_id,incumbent_id,seed,result,?2 FROM o.results WHERE submission_id=?1",
    };
    for (size_t i = 0; i < ZR_ARRAY_LEN(steps); i++) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, steps[i], -1, &st, NULL) != SQLITE_OK)
            fail_msg("%s: %s", steps[i], sqlite3_errmsg(db));
        sqlite3_bind_int64(st, 1, (sqlite3_int64)sub);
        if (i == 1)
            sqlite3_bind_text(st, 2, sigs, -1, SQLITE_TRANSIENT);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        assert_int_equal(sqlite3_changes(db), 1);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
}

static void test_crash_between_result_and_attestation(void **s)
{
    (void)s;
    /* active now: operators 1, 2 and 4 (32 ether each). Only operator 1 runs: no quorum
     * until operator 4's attestation arrives */
    dn_node_signal(OP2, SIGTERM);
    uint8_t owed[32];
    dn_claimable("optimizerA", owed);
    uint64_t sub = dn_submit("optimizerA", fast_task, zt_src_path("examples/square/trained.safetensors"));
    zr_proto_result_t r;
    dn_wait_result(OP1, sub, &r, 60);
    crash_after_result(sub, &r);
    print_message("operator 4 restarts with a result for submission %llu it never sent\n", (unsigned long long)sub);
    dn_node_start(OP4, NULL);

    zr_chain_event_t e = dn_wait_settled(sub, 90);
    assert_int_equal(e.status, ZR_PROTO_STATUS_OK);
    assert_false(e.accepted);
    uint8_t d[32];
    digest_of(&r, d);
    expect_settled_once(sub, d);
    assert_int_equal(signed_digests(OP1, OP4, sub), 1);
    assert_int_equal(dn_db_int(OP4, "SELECT COUNT(*) FROM results WHERE submission_id=?1", (long long)sub), 1);
    expect_claimable("optimizerA", owed, "800000000000000000");
}

static void test_equivocation_after_the_verdict(void **s)
{
    (void)s;
    /* operator 2 (its node still stopped) signs a wrong score; operators 1 and 4 hold 2/3 of
     * the active stake and settle without it */
    uint8_t op2[20], r2_before[32], r2_after[32], owed[32];
    dn_node_addr(OP2, op2);
    rewards_of(OP2, r2_before);
    dn_claimable("optimizerB", owed);
    uint64_t sub = dn_submit("optimizerB", fast_task, zt_src_path("examples/square/trained.safetensors"));
    zr_proto_result_t forged, honest;
    forge(sub, &forged);
    send_as(OP2, &forged, OP1, OP1);
    zr_chain_event_t e = dn_wait_settled(sub, 90);
    assert_false(e.accepted);
    assert_int_equal(dn_db_result(OP1, sub, &honest), 0);
    uint8_t dh[32];
    digest_of(&honest, dh);
    expect_settled_once(sub, dh);
    rewards_of(OP2, r2_after);
    assert_memory_equal(r2_after, r2_before, 32);
    assert_int_equal(dn_count(ZR_EV_EQUIVOCATION, sub, NULL), 0);

    /* after the verdict it signs the true result too: still a proof, still slashed */
    send_as(OP2, &honest, OP1, OP1);
    zr_chain_event_t eq;
    memset(&eq, 0, sizeof eq);
    for (int t = 0; t < 60 && dn_count(ZR_EV_EQUIVOCATION, sub, &eq) == 0; t++)
        dn_sleep_ms(500);
    if (eq.kind != ZR_EV_EQUIVOCATION)
        fail_msg("no equivocation report for operator 2 on submission %llu", (unsigned long long)sub);
    assert_memory_equal(eq.addr, op2, 20);
    zr_operator_t info;
    assert_int_equal(zr_chain_operator_info(dn.chain, op2, &info), 0);
    assert_int_equal(info.status, 4);
    zr_rpc_receipt_t rec;
    zr_rpc_receipt_init(&rec);
    assert_int_equal(zr_rpc_get_receipt(zr_chain_rpc(dn.chain), &rec, eq.tx_hash), 0);
    uint8_t op1[20];
    dn_node_addr(OP1, op1);
    assert_memory_equal(rec.from, op1, 20);
    zr_rpc_receipt_cleanup(&rec);
    assert_int_equal(dn_count(ZR_EV_SETTLED, sub, NULL), 1);
    expect_claimable("optimizerB", owed, "800000000000000000");
}

static int setup(void **s)
{
    (void)s;
    dn_up(4);
    fast_task = dn_task_create(NULL);
    slow_task = dn_task_create(zt_src_path("tests/vectors/node_faults_slow_eval.lua"));
    return 0;
}

static int teardown(void **s)
{
    (void)s;
    dn_down();
    proxy_stop();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wrong_score_never_counted),
        cmocka_unit_test(test_sigkill_during_evaluation),
        cmocka_unit_test(test_rpc_outage),
        cmocka_unit_test(test_equivocation_slashed),
        cmocka_unit_test(test_crash_between_result_and_attestation),
        cmocka_unit_test(test_equivocation_after_the_verdict),
    };
    if (getenv("ZT_ONLY")) /* run one scenario while working on it */
        cmocka_set_test_filter(getenv("ZT_ONLY"));
    return cmocka_run_group_tests(tests, setup, teardown);
}
