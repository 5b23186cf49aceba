// SPDX-License-Identifier: MIT
// End-to-end speed of the whole network on one machine: a devnet (anvil with 1-second
// blocks, the contracts, 4 operator nodes), several `square` tasks, and many optimizer keys
// committing and revealing in parallel through libzara. Measures settlements per minute,
// latency from reveal to settlement (blocks and seconds), gas per settled submission and
// the nodes' CPU and memory. Fails only when something breaks, never on speed.
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "zara/chain.h"
#include "zara/ecdsa.h"
#include "zara/protocol.h"
#include "zara/rpc.h"
#include "zara/store.h"

#define SEED_DELAY 2           /* what `zara devnet up` deploys with */
#define SETTLE_TIMEOUT_S 150.0 /* a submission not settled by then is a failure */
#define MAX_LANES 64
#define MAX_NODES 16

/* ---- small helpers ------------------------------------------------------------------------ */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static long env_long(const char *name, long def)
{
    const char *v = getenv(name);
    return v && *v ? atol(v) : def;
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static const char *g_zara, *g_dir;

static void devnet_down(void)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%s' devnet down --dir '%s' >/dev/null 2>&1", g_zara, g_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench/e2e: devnet down reported an error\n");
}

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "bench/e2e: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    if (g_zara && g_dir)
        devnet_down();
    exit(1);
}

/* Runs a shell command, its stdout+stderr into out; returns the exit status. */
static int run(char *out, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int run(char *out, size_t cap, const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    size_t len = 0;
    if (out && cap)
        out[0] = 0;
    char tmp[4096];
    size_t got;
    while ((got = fread(tmp, 1, sizeof tmp, p)) > 0) {
        if (out && len + 1 < cap) {
            size_t k = got < cap - 1 - len ? got : cap - 1 - len;
            memcpy(out + len, tmp, k);
            len += k;
            out[len] = 0;
        }
    }
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static json_t *load_json(const char *path)
{
    zr_buf_t b;
    zr_buf_init(&b, 4 << 20);
    json_t *j = NULL;
    char e[200];
    if (zr_file_read(path, b.max, &b) != 0 || zr_json_parse((const char *)b.data, b.len, b.max, &j, e, sizeof e) != 0)
        j = NULL;
    zr_buf_cleanup(&b);
    return j;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The q-quantile (nearest rank) of v[0..n), sorted in place; 0 when empty. */
static double quantile(double *v, size_t n, double q)
{
    if (n == 0)
        return 0;
    qsort(v, n, sizeof *v, cmp_double);
    size_t k = (size_t)(q * (double)n + 0.999999);
    if (k == 0)
        k = 1;
    return v[(k > n ? n : k) - 1];
}

/* ---- /proc readings ----------------------------------------------------------------------- */

typedef struct {
    double cpu_s;         /* utime + stime */
    long rss_kb, hwm_kb;  /* VmRSS, VmHWM */
    int alive;
} procstat_t;

static procstat_t proc_read(pid_t pid)
{
    procstat_t p = {0};
    char path[64], buf[4096];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return p;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *r = strrchr(buf, ')');
    unsigned long ut = 0, st = 0;
    /* after ") ": state(3) ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime(14) stime(15) */
    if (!r || sscanf(r + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
        return p;
    p.cpu_s = (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
    p.alive = 1;
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    if ((f = fopen(path, "r")) != NULL) {
        while (fgets(buf, sizeof buf, f)) {
            if (!strncmp(buf, "VmRSS:", 6))
                p.rss_kb = atol(buf + 6);
            else if (!strncmp(buf, "VmHWM:", 6))
                p.hwm_kb = atol(buf + 6);
        }
        fclose(f);
    }
    return p;
}

/* The parent pid in /proc/<pid>/stat, or -1. */
static pid_t proc_ppid(pid_t pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *r = strrchr(buf, ')');
    int pp;
    if (!r || sscanf(r + 2, "%*c %d", &pp) != 1)
        return -1;
    return (pid_t)pp;
}

/* proc_read summed over pid and its descendants (anvil's npm launcher runs the real
 * binary as a child). */
static procstat_t proc_read_tree(pid_t pid)
{
    procstat_t t = proc_read(pid);
    DIR *d = opendir("/proc");
    if (!d || !t.alive) {
        if (d)
            closedir(d);
        return t;
    }
    pid_t tree[64] = {pid};
    int nt = 1;
    struct dirent *de;
    for (int pass = 0; pass < 4; pass++) { /* a few levels deep is plenty */
        rewinddir(d);
        while ((de = readdir(d)) != NULL && nt < 64) {
            pid_t c = (pid_t)atoi(de->d_name);
            if (c <= 0)
                continue;
            int known = 0, child = 0;
            pid_t pp = proc_ppid(c);
            for (int i = 0; i < nt; i++) {
                known |= tree[i] == c;
                child |= tree[i] == pp;
            }
            if (known || !child)
                continue;
            tree[nt++] = c;
            procstat_t p = proc_read(c);
            t.cpu_s += p.cpu_s;
            t.rss_kb += p.rss_kb;
            t.hwm_kb += p.hwm_kb;
        }
    }
    closedir(d);
    return t;
}

/* ---- shared state: what the chain monitor saw -------------------------------------------- */

typedef struct {
    int revealed, settled, expired;
    uint64_t settle_block;
    int status, accepted;
    int has_result;
    uint8_t result_tx[32];
} outcome_t;

typedef struct {
    int phase;
    uint64_t task, sub;
    uint64_t commit_block, reveal_block;
    uint64_t gas_commit, gas_reveal;
} sample_t;

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static outcome_t *g_out;  /* by submission id */
static size_t g_out_cap;
static double *g_seen;    /* wall time each block was first seen, by number */
static size_t g_seen_cap;
static sample_t *g_samples;
static size_t g_n_samples, g_samples_cap;
static volatile int g_monitor_stop, g_failed;
static char g_fail_msg[512];

static void fail_async(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail_async(const char *fmt, ...)
{
    pthread_mutex_lock(&g_mu);
    if (!g_failed) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(g_fail_msg, sizeof g_fail_msg, fmt, ap);
        va_end(ap);
        g_failed = 1;
    }
    pthread_mutex_unlock(&g_mu);
}

/* Grows *arr (elements of size sz) to hold index i; under g_mu. */
static void grow(void **arr, size_t *cap, size_t sz, size_t i)
{
    if (i < *cap)
        return;
    size_t nc = *cap ? *cap : 1024;
    while (nc <= i)
        nc *= 2;
    void *p = realloc(*arr, nc * sz);
    if (!p)
        die("out of memory");
    memset((char *)p + *cap * sz, 0, (nc - *cap) * sz);
    *arr = p;
    *cap = nc;
}

static outcome_t *outcome(uint64_t sub)
{
    grow((void **)&g_out, &g_out_cap, sizeof *g_out, (size_t)sub);
    return &g_out[sub];
}

typedef struct {
    zr_chain_t *chain;
    uint64_t from;
} monitor_t;

/* Follows the chain every 50 ms: when each block was first seen, and the contracts' events. */
static void *monitor_main(void *ud)
{
    monitor_t *m = ud;
    uint64_t last = m->from;
    while (!g_monitor_stop) {
        uint64_t head;
        if (zr_rpc_block_number(zr_chain_rpc(m->chain), &head) == 0 && head > last) {
            double t = now_s();
            zr_chain_event_t *ev = NULL;
            size_t n = 0;
            if (zr_chain_events(m->chain, last + 1, head, 1000, &ev, &n) == 0) {
                pthread_mutex_lock(&g_mu);
                grow((void **)&g_seen, &g_seen_cap, sizeof *g_seen, (size_t)head);
                for (uint64_t b = last + 1; b <= head; b++)
                    g_seen[b] = t;
                for (size_t i = 0; i < n; i++) {
                    outcome_t *o = outcome(ev[i].submission_id);
                    switch (ev[i].kind) {
                    case ZR_EV_REVEALED:
                        o->revealed = 1;
                        break;
                    case ZR_EV_SETTLED:
                        o->settled++;
                        o->settle_block = ev[i].block;
                        o->status = ev[i].status;
                        o->accepted = ev[i].accepted;
                        break;
                    case ZR_EV_RESULT_SUBMITTED:
                        o->has_result = 1;
                        memcpy(o->result_tx, ev[i].tx_hash, 32);
                        break;
                    case ZR_EV_EXPIRED:
                        o->expired = 1;
                        break;
                    default:
                        break;
                    }
                }
                pthread_mutex_unlock(&g_mu);
                last = head;
            }
            free(ev);
        }
        sleep_ms(50);
    }
    return NULL;
}

/* ---- optimizer lanes: commit, reveal, wait for the verdict, again ------------------------- */

typedef struct {
    int phase;
    uint64_t task;
    zr_chain_t *chain;
    const char *cid;
    uint8_t value[32]; /* bond + fee */
    double end;        /* no new commit after this time */
    int done;
} lane_t;

static void *lane_main(void *ud)
{
    lane_t *l = ud;
    uint8_t tid[32];
    zr_proto_u256_from_u64(tid, l->task);
    while (!g_failed && now_s() < l->end) {
        uint8_t salt[32], commitment[32];
        if (zr_random_bytes(salt, 32) != 0) {
            fail_async("no randomness");
            break;
        }
        zr_proto_commitment(commitment, tid, zr_chain_sender(l->chain), l->cid, salt);
        zr_rpc_receipt_t rc_commit, rc_reveal;
        zr_rpc_receipt_init(&rc_commit);
        zr_rpc_receipt_init(&rc_reveal);
        uint64_t sub = 0;
        if (zr_chain_commit(l->chain, l->task, commitment, l->value, &sub, &rc_commit) != 0) {
            fail_async("commit to task %llu: %s", (unsigned long long)l->task, zr_chain_errmsg(l->chain));
            zr_rpc_receipt_cleanup(&rc_commit);
            break;
        }
        if (zr_chain_reveal(l->chain, sub, l->cid, salt, &rc_reveal) != 0) {
            fail_async("reveal of submission %llu: %s", (unsigned long long)sub, zr_chain_errmsg(l->chain));
            zr_rpc_receipt_cleanup(&rc_commit);
            zr_rpc_receipt_cleanup(&rc_reveal);
            break;
        }
        sample_t s = {.phase = l->phase, .task = l->task, .sub = sub, .commit_block = rc_commit.block_number,
                      .reveal_block = rc_reveal.block_number, .gas_commit = rc_commit.gas_used,
                      .gas_reveal = rc_reveal.gas_used};
        zr_rpc_receipt_cleanup(&rc_commit);
        zr_rpc_receipt_cleanup(&rc_reveal);
        pthread_mutex_lock(&g_mu);
        grow((void **)&g_samples, &g_samples_cap, sizeof *g_samples, g_n_samples);
        g_samples[g_n_samples++] = s;
        pthread_mutex_unlock(&g_mu);
        double t0 = now_s();
        for (;;) {
            pthread_mutex_lock(&g_mu);
            outcome_t o = *outcome(sub);
            pthread_mutex_unlock(&g_mu);
            if (o.settled)
                break;
            if (o.expired) {
                fail_async("submission %llu expired without a verdict", (unsigned long long)sub);
                break;
            }
            if (now_s() - t0 > SETTLE_TIMEOUT_S) {
                fail_async("submission %llu (task %llu) not settled %.0f s after its reveal",
                           (unsigned long long)sub, (unsigned long long)l->task, SETTLE_TIMEOUT_S);
                break;
            }
            if (g_failed)
                break;
            sleep_ms(50);
        }
    }
    l->done = 1;
    return NULL;
}

/* ---- phases ----------------------------------------------------------------------------- */

typedef struct {
    const char *name;
    int lanes_per_task;
    double seconds, warmup;
    /* measured */
    double t_start, t_end;
    procstat_t node_a[MAX_NODES], node_b[MAX_NODES], anvil_a, anvil_b, self_a, self_b;
    double wall;
} phase_t;

typedef struct {
    int n_nodes;
    pid_t nodes[MAX_NODES];
    pid_t anvil;
} pids_t;

static void run_phase(phase_t *ph, int idx, const pids_t *pids, zr_chain_t **keys, int n_keys, const uint64_t *tasks,
                      int n_tasks, const char *cid, const uint8_t value[32])
{
    int n_lanes = n_tasks * ph->lanes_per_task;
    if (n_lanes > n_keys)
        die("phase %s needs %d keys, have %d", ph->name, n_lanes, n_keys);
    lane_t lanes[MAX_LANES];
    pthread_t th[MAX_LANES];
    for (int i = 0; i < pids->n_nodes; i++)
        ph->node_a[i] = proc_read_tree(pids->nodes[i]);
    ph->anvil_a = proc_read_tree(pids->anvil);
    ph->self_a = proc_read(getpid());
    ph->t_start = now_s();
    double end = ph->t_start + ph->seconds;
    for (int i = 0; i < n_lanes; i++) {
        lanes[i] = (lane_t){.phase = idx, .task = tasks[i % n_tasks], .chain = keys[i], .cid = cid, .end = end};
        memcpy(lanes[i].value, value, 32);
        if (pthread_create(&th[i], NULL, lane_main, &lanes[i]) != 0)
            die("cannot start a lane thread");
        sleep_ms(1000 / (unsigned)(n_lanes > 0 ? n_lanes : 1)); /* spread the first commits over a block */
    }
    while (now_s() < end && !g_failed)
        sleep_ms(200);
    ph->t_end = now_s();
    for (int i = 0; i < pids->n_nodes; i++)
        ph->node_b[i] = proc_read_tree(pids->nodes[i]);
    ph->anvil_b = proc_read_tree(pids->anvil);
    ph->self_b = proc_read(getpid());
    ph->wall = ph->t_end - ph->t_start;
    fprintf(stderr, "bench/e2e: phase %s: load stopped after %.0f s, draining the last submissions\n", ph->name,
            ph->wall);
    for (int i = 0; i < n_lanes; i++)
        pthread_join(th[i], NULL);
    if (g_failed)
        die("%s", g_fail_msg);
}

typedef struct {
    size_t n, settled_in_window, ok, accepted;
    double per_min;
    double lat_b50, lat_b95, lat_bmax, lat_s50, lat_s95, lat_smax;
} phase_figs_t;

static void phase_figures(const phase_t *ph, int idx, phase_figs_t *f)
{
    memset(f, 0, sizeof *f);
    double *lb = calloc(g_n_samples + 1, sizeof *lb), *ls = calloc(g_n_samples + 1, sizeof *ls);
    if (!lb || !ls)
        die("out of memory");
    size_t k = 0;
    double w0 = ph->t_start + ph->warmup, w1 = ph->t_end;
    for (size_t i = 0; i < g_n_samples; i++) {
        const sample_t *s = &g_samples[i];
        if (s->phase != idx)
            continue;
        const outcome_t *o = &g_out[s->sub];
        f->n++;
        if (!o->settled)
            die("submission %llu has no verdict", (unsigned long long)s->sub);
        if (o->settled != 1)
            die("submission %llu was settled %d times", (unsigned long long)s->sub, o->settled);
        if (o->status != ZR_PROTO_STATUS_OK)
            die("submission %llu of a valid model settled with status %d", (unsigned long long)s->sub, o->status);
        f->ok += o->status == ZR_PROTO_STATUS_OK;
        f->accepted += o->accepted != 0;
        double ts = g_seen[o->settle_block];
        if (ts >= w0 && ts <= w1)
            f->settled_in_window++;
        lb[k] = (double)(o->settle_block - s->reveal_block);
        ls[k] = g_seen[o->settle_block] - g_seen[s->reveal_block];
        k++;
    }
    f->per_min = w1 > w0 ? (double)f->settled_in_window * 60.0 / (w1 - w0) : 0;
    f->lat_b50 = quantile(lb, k, 0.5);
    f->lat_b95 = quantile(lb, k, 0.95);
    f->lat_bmax = k ? lb[k - 1] : 0;
    f->lat_s50 = quantile(ls, k, 0.5);
    f->lat_s95 = quantile(ls, k, 0.95);
    f->lat_smax = k ? ls[k - 1] : 0;
    free(lb);
    free(ls);
}

/* ---- set-up --------------------------------------------------------------------------------- */

static zr_chain_t *open_key(const char *rpc, const zr_deployment_t *dep, const uint8_t sk[32])
{
    zr_chain_t *c = NULL;
    char e[256];
    if (zr_chain_open(&c, rpc, dep, sk, e, sizeof e) != 0)
        die("chain: %s", e);
    return c;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: bench_e2e ZARA_BIN ZARA_ROOT DEVNET_DIR\n"
                        "env: BENCH_E2E_TASKS (6), BENCH_E2E_LANES (lanes per task under load, 2),\n"
                        "     BENCH_E2E_LATENCY_S (60), BENCH_E2E_LOAD_S (180), BENCH_E2E_WARMUP_S (20)\n");
        return 2;
    }
    zr_log_set_level(ZR_LOG_ERROR);
    const char *zara = argv[1], *root = argv[2], *dir = argv[3];
    int n_tasks = (int)env_long("BENCH_E2E_TASKS", 6);
    int lanes_load = (int)env_long("BENCH_E2E_LANES", 2);
    if (n_tasks < 1 || lanes_load < 1 || n_tasks * lanes_load > MAX_LANES)
        die("BENCH_E2E_TASKS x BENCH_E2E_LANES must be in [1, %d]", MAX_LANES);
    phase_t phases[2] = {
        {.name = "latency", .lanes_per_task = 1, .seconds = (double)env_long("BENCH_E2E_LATENCY_S", 60), .warmup = 10},
        {.name = "load", .lanes_per_task = lanes_load, .seconds = (double)env_long("BENCH_E2E_LOAD_S", 180),
         .warmup = (double)env_long("BENCH_E2E_WARMUP_S", 20)},
    };

    /* 1. the devnet */
    char out[65536];
    double t_up = now_s();
    int st = run(out, sizeof out, "ZARA_DEVNET_DIR='%s' '%s' devnet up --dir '%s' --operators 4 --block-time 1 --json 2>&1",
                 dir, zara, dir);
    g_zara = zara;
    g_dir = dir;
    if (st != 0)
        die("zara devnet up failed (%d): %s", st, out);
    t_up = now_s() - t_up;
    char path[2048];
    snprintf(path, sizeof path, "%s/devnet.json", dir);
    json_t *state = load_json(path);
    snprintf(path, sizeof path, "%s/anvil.json", dir);
    json_t *acfg = load_json(path);
    if (!state || !acfg)
        die("cannot read %s/devnet.json or anvil.json", dir);
    const char *rpc = zr_json_str(state, "rpc");
    const char *pwfile = zr_json_str(state, "passwordFile");
    const char *owner_ks = zr_json_str(json_object_get(json_object_get(state, "accounts"), "owner"), "keystore");
    if (!rpc || !pwfile || !owner_ks)
        die("devnet.json lacks rpc, passwordFile or the owner's keystore");
    zr_deployment_t dep;
    char e[256];
    if (zr_deployment_load(&dep, zr_json_str(state, "deployment"), e, sizeof e) != 0)
        die("%s", e);
    pids_t pids = {0};
    pids.anvil = (pid_t)json_integer_value(json_object_get(json_object_get(state, "anvil"), "pid"));
    json_t *nodes = json_object_get(state, "nodes");
    size_t ni;
    json_t *nd;
    uint8_t op_addr[MAX_NODES][20];
    json_array_foreach(nodes, ni, nd)
    {
        if (pids.n_nodes < MAX_NODES) {
            if (zr_hex_decode_exact(op_addr[pids.n_nodes], 20, zr_json_str(nd, "address")) != 0)
                die("devnet.json: bad operator address");
            pids.nodes[pids.n_nodes++] = (pid_t)json_integer_value(json_object_get(nd, "pid"));
        }
    }

    /* 2. the tasks, created by the owner with `zara task create` */
    char arch[1200], init[1200], eval[1200], trained[1200];
    snprintf(arch, sizeof arch, "%s/examples/square/arch.json", root);
    snprintf(init, sizeof init, "%s/examples/square/init.safetensors", root);
    snprintf(eval, sizeof eval, "%s/examples/square/eval.lua", root);
    snprintf(trained, sizeof trained, "%s/examples/square/trained.safetensors", root);
    uint64_t tasks[MAX_LANES];
    for (int i = 0; i < n_tasks; i++) {
        st = run(out, sizeof out,
                 "ZARA_DEVNET_DIR='%s' ZARA_KEYSTORE='%s' ZARA_PASSWORD_FILE='%s' '%s' task create --arch '%s' "
                 "--params '%s' --eval '%s' --pool 1000ether --reward 1ether --fee 0.001ether --bond 0.01ether "
                 "--slash-bps 2000 --min-improvement 0.001 --deadline 1d --json 2>&1",
                 dir, owner_ks, pwfile, zara, arch, init, eval);
        char *last = strrchr(out, '{');
        json_t *j = NULL;
        if (st != 0 || !last || zr_json_parse(last, strlen(last), sizeof out, &j, e, sizeof e) != 0)
            die("zara task create failed (%d): %s", st, out);
        tasks[i] = (uint64_t)json_integer_value(json_object_get(j, "taskId"));
        json_decref(j);
        if (tasks[i] == 0)
            die("zara task create printed no task id: %s", out);
    }

    /* 3. the challenger's parameters in the devnet's store (the nodes read it) */
    char store_dir[1200];
    snprintf(store_dir, sizeof store_dir, "%s/store", dir);
    zr_store_config_t sc = {.dir = store_dir};
    zr_store_t *store = NULL;
    if (zr_store_open(&store, &sc, e, sizeof e) != 0)
        die("store: %s", e);
    zr_cid_t cid;
    uint64_t size;
    if (zr_store_put_file(store, trained, 0, &cid, &size) != 0)
        die("cannot store %s: %s", trained, zr_store_errmsg(store));
    char cid_s[ZR_CID_STR_MAX];
    zr_cid_format(cid_s, &cid);
    zr_store_free(store);

    /* 4. optimizer keys: anvil's spare dev accounts, then fresh keys funded with anvil_setBalance */
    int n_keys = n_tasks * (lanes_load > 1 ? lanes_load : 1);
    zr_chain_t *keys[MAX_LANES];
    json_t *pks = json_object_get(acfg, "private_keys");
    int have = 0;
    zr_chain_t *reader = open_key(rpc, &dep, NULL);
    for (size_t i = 2; i < json_array_size(pks) && have < n_keys; i++) {
        uint8_t sk[32], a[20];
        const char *hex = json_string_value(json_array_get(pks, i));
        if (!hex || zr_ecdsa_seckey_parse_hex(sk, hex, strlen(hex)) != 0)
            die("anvil.json: bad private key");
        zr_ecdsa_seckey_address(a, sk);
        int is_operator = 0;
        for (int k = 0; k < pids.n_nodes; k++)
            is_operator |= memcmp(a, op_addr[k], 20) == 0;
        if (!is_operator)
            keys[have++] = open_key(rpc, &dep, sk);
        zr_wipe(sk, sizeof sk);
    }
    int funded = 0;
    while (have < n_keys) {
        uint8_t sk[32], a[20];
        char ah[43] = "0x";
        if (zr_ecdsa_seckey_generate(sk) != 0 || zr_ecdsa_seckey_address(a, sk) != 0)
            die("cannot make a key");
        zr_hex_encode(ah + 2, a, 20);
        json_t *res = NULL;
        if (zr_rpc_call(zr_chain_rpc(reader), "anvil_setBalance", json_pack("[s, s]", ah, "0x152d02c7e14af6800000"),
                        &res) != 0) /* 100000 ether */
            die("anvil_setBalance: %s", zr_rpc_errmsg(zr_chain_rpc(reader)));
        json_decref(res);
        keys[have++] = open_key(rpc, &dep, sk);
        zr_wipe(sk, sizeof sk);
        funded++;
    }

    zr_task_t tk;
    if (zr_chain_get_task(reader, tasks[0], &tk) != 0)
        die("task %llu: %s", (unsigned long long)tasks[0], zr_chain_errmsg(reader));
    uint8_t value[32];
    if (zr_rpc_u256_add(value, tk.bond, tk.evaluation_fee) != 0)
        die("bond + fee overflow");

    /* 5. the monitor, then the two phases */
    monitor_t mon = {.chain = reader};
    if (zr_rpc_block_number(zr_chain_rpc(reader), &mon.from) != 0)
        die("blockNumber: %s", zr_rpc_errmsg(zr_chain_rpc(reader)));
    pthread_t mth;
    if (pthread_create(&mth, NULL, monitor_main, &mon) != 0)
        die("cannot start the monitor thread");
    char load0[128] = "";
    FILE *la = fopen("/proc/loadavg", "r");
    if (la) {
        if (!fgets(load0, sizeof load0, la))
            load0[0] = 0;
        fclose(la);
        load0[strcspn(load0, "\n")] = 0;
    }
    fprintf(stderr, "bench/e2e: devnet up in %.0f s; %d tasks; %d optimizer keys (%d funded); load average %s\n",
            t_up, n_tasks, n_keys, funded, load0);
    for (int p = 0; p < 2; p++) {
        fprintf(stderr, "bench/e2e: phase %s: %d lanes per task for %.0f s\n", phases[p].name,
                phases[p].lanes_per_task, phases[p].seconds);
        run_phase(&phases[p], p, &pids, keys, n_keys, tasks, n_tasks, cid_s, value);
    }
    sleep_ms(1500); /* the monitor catches the last block */
    g_monitor_stop = 1;
    pthread_join(mth, NULL);

    /* 6. gas of submitResult from the ResultSubmitted transactions' receipts */
    double *g_c = calloc(g_n_samples + 1, sizeof(double)), *g_r = calloc(g_n_samples + 1, sizeof(double)),
           *g_s = calloc(g_n_samples + 1, sizeof(double)), *g_t = calloc(g_n_samples + 1, sizeof(double));
    if (!g_c || !g_r || !g_s || !g_t)
        die("out of memory");
    size_t ng = 0;
    for (size_t i = 0; i < g_n_samples; i++) {
        const outcome_t *o = &g_out[g_samples[i].sub];
        if (!o->has_result)
            die("submission %llu settled without a ResultSubmitted event", (unsigned long long)g_samples[i].sub);
        zr_rpc_receipt_t r;
        zr_rpc_receipt_init(&r);
        if (zr_rpc_get_receipt(zr_chain_rpc(reader), &r, o->result_tx) != 0 || r.status != 1)
            die("receipt of the submitResult of submission %llu", (unsigned long long)g_samples[i].sub);
        g_c[ng] = (double)g_samples[i].gas_commit;
        g_r[ng] = (double)g_samples[i].gas_reveal;
        g_s[ng] = (double)r.gas_used;
        g_t[ng] = g_c[ng] + g_r[ng] + g_s[ng];
        ng++;
        zr_rpc_receipt_cleanup(&r);
    }

    /* 7. the table */
    phase_figs_t f[2];
    for (int p = 0; p < 2; p++)
        phase_figures(&phases[p], p, &f[p]);
    /* the trained model beats each task's initial parameters once; every later copy is no gain */
    if (f[0].accepted + f[1].accepted != (size_t)n_tasks)
        die("%zu submissions accepted as a new best, expected one per task (%d)", f[0].accepted + f[1].accepted,
            n_tasks);
    printf("bench/e2e: devnet with %d operators, 1-second blocks, SEED_DELAY %d; %d square tasks; "
           "load average at start %s\n",
           pids.n_nodes, SEED_DELAY, n_tasks, load0);
    printf("%-44s %12s %12s %14s\n", "figure", "latency", "load", "target");
    printf("%-44s %12d %12d %14s\n", "optimizer lanes (keys) per task", phases[0].lanes_per_task,
           phases[1].lanes_per_task, "");
    printf("%-44s %12.0f %12.0f %14s\n", "measured seconds (after warm-up)", phases[0].wall - phases[0].warmup,
           phases[1].wall - phases[1].warmup, "");
    printf("%-44s %12zu %12zu %14s\n", "submissions settled (all exactly once)", f[0].n, f[1].n, "");
    printf("%-44s %12.1f %12.1f %14s\n", "settlements per minute", f[0].per_min, f[1].per_min, ">= 60");
    printf("%-44s %12.0f %12.0f %14s\n", "reveal -> settlement, blocks, median", f[0].lat_b50, f[1].lat_b50, "");
    char tgt[32];
    snprintf(tgt, sizeof tgt, "<= %d", SEED_DELAY + 3);
    printf("%-44s %12.0f %12.0f %14s\n", "reveal -> settlement, blocks, p95", f[0].lat_b95, f[1].lat_b95, tgt);
    printf("%-44s %12.0f %12.0f %14s\n", "reveal -> settlement, blocks, max", f[0].lat_bmax, f[1].lat_bmax, "");
    printf("%-44s %12.2f %12.2f %14s\n", "reveal -> settlement, seconds, median", f[0].lat_s50, f[1].lat_s50, "");
    printf("%-44s %12.2f %12.2f %14s\n", "reveal -> settlement, seconds, p95", f[0].lat_s95, f[1].lat_s95, "");
    printf("%-44s %12zu %12zu %14s\n", "verdicts OK", f[0].ok, f[1].ok, "");
    printf("%-44s %12zu %12zu %14s\n", "  of which accepted (new best)", f[0].accepted, f[1].accepted, "");
    for (int i = 0; i < pids.n_nodes; i++) {
        char name[64];
        double c0 = (phases[0].node_b[i].cpu_s - phases[0].node_a[i].cpu_s) / phases[0].wall * 100;
        double c1 = (phases[1].node_b[i].cpu_s - phases[1].node_a[i].cpu_s) / phases[1].wall * 100;
        snprintf(name, sizeof name, "node %d CPU %% of one core%s", i + 1, i < 2 ? " (aggregator)" : "");
        printf("%-44s %12.1f %12.1f %14s\n", name, c0, c1, "");
    }
    for (int i = 0; i < pids.n_nodes; i++) {
        char name[64], v0[32], v1[32];
        snprintf(name, sizeof name, "node %d memory MiB, RSS / peak", i + 1);
        snprintf(v0, sizeof v0, "%.1f/%.1f", phases[0].node_b[i].rss_kb / 1024.0, phases[0].node_b[i].hwm_kb / 1024.0);
        snprintf(v1, sizeof v1, "%.1f/%.1f", phases[1].node_b[i].rss_kb / 1024.0, phases[1].node_b[i].hwm_kb / 1024.0);
        printf("%-44s %12s %12s %14s\n", name, v0, v1, "");
    }
    printf("%-44s %12.1f %12.1f %14s\n", "anvil (with its launcher) CPU % of one core",
           (phases[0].anvil_b.cpu_s - phases[0].anvil_a.cpu_s) / phases[0].wall * 100,
           (phases[1].anvil_b.cpu_s - phases[1].anvil_a.cpu_s) / phases[1].wall * 100, "");
    printf("%-44s %12.1f %12.1f %14s\n", "this driver (all optimizers) CPU % of one core",
           (phases[0].self_b.cpu_s - phases[0].self_a.cpu_s) / phases[0].wall * 100,
           (phases[1].self_b.cpu_s - phases[1].self_a.cpu_s) / phases[1].wall * 100, "");
    printf("latency: one optimizer per task, each waiting for its verdict before its next commit, so a\n"
           "reveal meets an empty queue; load: %d optimizers per task, so the queue is rarely empty.\n"
           "Settlements are counted when their block was first seen, after the warm-up.\n",
           phases[1].lanes_per_task);
    printf("\ngas per settled submission over both phases (%zu settlements)\n", ng);
    printf("%-44s %12s %12s\n", "transaction", "median", "p95");
    double *gv[4] = {g_c, g_r, g_s, g_t};
    const char *gn[4] = {"commit", "reveal", "submitResult (aggregator)", "total"};
    for (int k = 0; k < 4; k++) {
        double m = quantile(gv[k], ng, 0.5), p = quantile(gv[k], ng, 0.95);
        printf("%-44s %12.0f %12.0f\n", gn[k], m, p);
    }
    free(g_c);
    free(g_r);
    free(g_s);
    free(g_t);

    for (int i = 0; i < have; i++)
        zr_chain_free(keys[i]);
    zr_chain_free(reader);
    json_decref(state);
    json_decref(acfg);
    devnet_down();
    free(g_out);
    free(g_seen);
    free(g_samples);
    return 0;
}
