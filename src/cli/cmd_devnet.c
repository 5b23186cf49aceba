// SPDX-License-Identifier: MIT
// `zara devnet up|down|status`: a whole network on one machine — anvil mining a block
// every second, the contracts deployed by the deploy script, funded and registered
// operators running `zara node` on free loopback ports — with all state in one folder
// (devnet.json says what runs where). `down` stops exactly the processes `up` started.
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cli_proc.h"
#include "zara/bls.h"
#include "zara/ecdsa.h"
#include "zara/keystore.h"

const char zr_cli_summary_devnet[] = "start, inspect or stop a local network (anvil, contracts, operators)";

#define DEVNET_SCRYPT_N 1024u /* devnet keys are throwaway test keys: fast to unlock */
#define DEFAULT_OPERATORS 4
#define OPERATOR_ACCOUNT0 10

typedef struct {
    const char *dir;
    int operators;
    double block_time;
    int json;
} up_opts_t;

static void usage(FILE *f)
{
    fprintf(f, "usage: zara devnet up [--operators N] [--dir D] [--block-time SECONDS] [--json]\n"
               "       zara devnet status [--dir D] [--json]\n"
               "       zara devnet down [--dir D]\n\n"
               "The folder defaults to $ZARA_DEVNET_DIR or ~/.zara/devnet. Other zara commands use a\n"
               "running devnet's RPC URL and deployment when none is given.\n");
}

static int load_state(const char *dir, json_t **out)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/devnet.json", dir);
    zr_buf_t b;
    zr_buf_init(&b, 1 << 20);
    char e[200];
    int rc = zr_file_read(path, b.max, &b);
    if (rc == 0)
        rc = zr_json_parse((const char *)b.data, b.len, b.max, out, e, sizeof e);
    zr_buf_cleanup(&b);
    return rc;
}

static int save_state(const char *dir, json_t *j)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/devnet.json", dir);
    char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (!s)
        return ZR_ENOMEM;
    int rc = zr_file_write_atomic(path, s, strlen(s), 0600);
    free(s);
    return rc;
}

static int anvil_alive(json_t *st)
{
    json_t *a = json_object_get(st, "anvil");
    return zr_cli_pid_is((pid_t)json_integer_value(json_object_get(a, "pid")), "anvil");
}

/* Writes a keystore for sk under dir/name/ and returns its path in out. */
static int make_keystore(char *out, size_t cap, const char *dir, const char *name, const uint8_t sk[32],
                         const char *pw)
{
    char d[1200];
    snprintf(d, sizeof d, "%s/keys/%s", dir, name);
    int rc = zr_mkdirs(d, 0700);
    if (rc == 0)
        rc = zr_keystore_save(out, cap, d, sk, pw, DEVNET_SCRYPT_N);
    return rc;
}

static int deploy(const char *dir, const char *rpc, const char *deployer_key, char *dep_path, size_t cap)
{
    char forge[1024], contracts[1100], log[1200], out[1200], rel[64];
    if (zr_cli_tool(forge, sizeof forge, "forge") != 0)
        return zr_cli_fail("forge is not installed: run `make deps`");
    snprintf(contracts, sizeof contracts, "%s/contracts", zr_cli_root());
    snprintf(log, sizeof log, "%s/deploy.log", dir);
    snprintf(out, sizeof out, "%s/deployment.json", dir);
    /* forge may only write under contracts/deployments: write there, then move it here */
    snprintf(rel, sizeof rel, "deployments/devnet-%d.json", (int)getpid());
    char e_out[200], e_key[200], e_path[2200];
    snprintf(e_out, sizeof e_out, "DEPLOYMENT_OUT=%s", rel);
    snprintf(e_key, sizeof e_key, "PRIVATE_KEY=%s", deployer_key);
    snprintf(e_path, sizeof e_path, "PATH=%s/node_modules/.bin:%s", zr_cli_root(), getenv("PATH") ? getenv("PATH") : "");
    char *env[] = {e_out, e_key, e_path, "SEED_DELAY=2", "REVEAL_WINDOW=30", "EVAL_TIMEOUT=60",
                   "PERFORMER_TIMEOUT=4", "EXIT_DELAY=10", "MIN_STAKE=1000000000000000000", NULL};
    char *argv[] = {forge, "script", "script/Deploy.s.sol:Deploy", "--rpc-url", (char *)rpc, "--broadcast",
                    "--slow", NULL};
    /* forge writes out/ and cache/ in the shared project: one deploy at a time */
    char lockp[1200];
    snprintf(lockp, sizeof lockp, "%s/deployments/.deploy.lock", contracts);
    int lockfd = open(lockp, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lockfd >= 0)
        flock(lockfd, LOCK_EX);
    int status = -1;
    int rc = zr_cli_run(argv, log, contracts, env, &status);
    if (lockfd >= 0)
        close(lockfd);
    if (rc != 0 || status != 0)
        return zr_cli_fail("the deploy script failed (exit %d); see %s", status, log);
    char written[1200];
    snprintf(written, sizeof written, "%s/%s", contracts, rel);
    zr_buf_t b;
    zr_buf_init(&b, 1 << 20);
    rc = zr_file_read(written, b.max, &b);
    if (rc == 0)
        rc = zr_file_write_atomic(out, b.data, b.len, 0644);
    zr_buf_cleanup(&b);
    unlink(written);
    if (rc)
        return zr_cli_fail("the deploy script wrote no deployment file; see %s", log);
    snprintf(dep_path, cap, "%s", out);
    return 0;
}

static int up(const up_opts_t *o)
{
    const char *dir = o->dir;
    json_t *st = NULL;
    if (load_state(dir, &st) == 0 && anvil_alive(st)) {
        json_decref(st);
        return zr_cli_fail("a devnet is already running in %s (zara devnet status / down)", dir);
    }
    json_decref(st);
    if (zr_mkdirs(dir, 0700) != 0)
        return zr_cli_fail("cannot create %s", dir);
    char anvil[1024];
    if (zr_cli_tool(anvil, sizeof anvil, "anvil") != 0)
        return zr_cli_fail("anvil is not installed: run `make deps`");

    /* a random password for every devnet keystore, in a 0600 file */
    char pw[33], pwfile[1200];
    uint8_t rnd[16];
    if (zr_random_bytes(rnd, sizeof rnd) != 0)
        return zr_cli_fail("no randomness");
    zr_hex_encode(pw, rnd, 16);
    snprintf(pwfile, sizeof pwfile, "%s/password", dir);
    if (zr_file_write_atomic(pwfile, pw, strlen(pw), 0600) != 0)
        return zr_cli_fail("cannot write %s", pwfile);

    int port = zr_cli_free_port();
    char port_s[16], bt[32], accounts[16], cfgout[1200], anvil_log[1200], rpc[64];
    snprintf(port_s, sizeof port_s, "%d", port);
    snprintf(bt, sizeof bt, "%g", o->block_time);
    snprintf(accounts, sizeof accounts, "%d", OPERATOR_ACCOUNT0 + o->operators + 2);
    snprintf(cfgout, sizeof cfgout, "%s/anvil.json", dir);
    snprintf(anvil_log, sizeof anvil_log, "%s/anvil.log", dir);
    snprintf(rpc, sizeof rpc, "http://127.0.0.1:%d", port);
    unlink(cfgout);
    char *aargv[] = {anvil, "--host", "127.0.0.1", "--port", port_s, "--block-time", bt, "--accounts", accounts,
                     "--balance", "100000", "--config-out", cfgout, NULL};
    pid_t apid;
    if (zr_cli_spawn(&apid, aargv, anvil_log, dir, NULL) != 0 || zr_cli_wait_port(port, 30000) != 0)
        return zr_cli_fail("anvil did not start; see %s", anvil_log);
    st = json_pack("{s:s, s:s, s:{s:i, s:i, s:s}}", "dir", dir, "rpc", rpc, "anvil", "pid", (int)apid, "port", port,
                   "log", anvil_log);
    save_state(dir, st);
    if (!o->json)
        printf("anvil        %s (pid %d, a block every %ss)\n", rpc, (int)apid, bt);

    /* keys of anvil's funded dev accounts */
    json_t *acfg = NULL;
    zr_buf_t b;
    zr_buf_init(&b, 1 << 20);
    char e[200];
    for (int i = 0; i < 100 && zr_file_read(cfgout, b.max, &b) != 0; i++)
        usleep(50000);
    int rc = zr_json_parse((const char *)b.data, b.len, b.max, &acfg, e, sizeof e);
    zr_buf_cleanup(&b);
    json_t *keys = json_object_get(acfg, "private_keys");
    if (rc || (int)json_array_size(keys) < OPERATOR_ACCOUNT0 + o->operators) {
        json_decref(acfg);
        json_decref(st);
        return zr_cli_fail("cannot read anvil's accounts from %s", cfgout);
    }
    const char *deployer_key = json_string_value(json_array_get(keys, 0));
    char dep_path[1200];
    if (!o->json)
        printf("deploying    contracts with script/Deploy.s.sol ...\n");
    fflush(stdout);
    if (deploy(dir, rpc, deployer_key, dep_path, sizeof dep_path) != 0) {
        json_decref(acfg);
        json_decref(st);
        return ZR_CLI_FAIL;
    }
    json_object_set_new(st, "deployment", json_string(dep_path));
    json_object_set_new(st, "passwordFile", json_string(pwfile));

    /* user accounts with keystores: owner and three optimizers */
    static const char *const roles[] = {"deployer", "owner", "optimizerA", "optimizerB", "optimizerC"};
    json_t *accs = json_object();
    for (size_t r = 0; r < ZR_ARRAY_LEN(roles); r++) {
        uint8_t sk[32], addr[20];
        char ks[1200], ah[43];
        zr_hex_decode_exact(sk, 32, json_string_value(json_array_get(keys, r)));
        zr_ecdsa_seckey_address(addr, sk);
        rc = make_keystore(ks, sizeof ks, dir, roles[r], sk, pw);
        zr_wipe(sk, sizeof sk);
        if (rc) {
            json_decref(acfg);
            json_decref(st);
            json_decref(accs);
            return zr_cli_fail("cannot write a keystore: %s", zr_strerror(rc));
        }
        zr_cli_addr_hex(ah, addr);
        json_object_set_new(accs, roles[r], json_pack("{s:s, s:s}", "address", ah, "keystore", ks));
    }
    json_object_set_new(st, "accounts", accs);

    /* operators: keys, registration, nodes */
    zr_deployment_t dep;
    if (zr_deployment_load(&dep, dep_path, e, sizeof e) != 0) {
        json_decref(acfg);
        json_decref(st);
        return zr_cli_fail("%s", e);
    }
    json_t *nodes = json_array();
    json_object_set_new(st, "nodes", nodes);
    char self[1024];
    ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);
    self[sl > 0 ? sl : 0] = 0;
    for (int i = 0; i < o->operators; i++) {
        char odir[1200], ks[1200], bls[1300], conf[1300], log[1300], dbp[1300], store[1300], url[64];
        snprintf(odir, sizeof odir, "%s/operator%d", dir, i + 1);
        zr_mkdirs(odir, 0700);
        uint8_t sk[32], addr[20];
        zr_hex_decode_exact(sk, 32, json_string_value(json_array_get(keys, OPERATOR_ACCOUNT0 + i)));
        zr_ecdsa_seckey_address(addr, sk);
        char name[32];
        snprintf(name, sizeof name, "operator%d", i + 1);
        rc = make_keystore(ks, sizeof ks, dir, name, sk, pw);
        zr_bls_secret_t bsk;
        if (rc == 0)
            rc = zr_bls_secret_generate(&bsk);
        snprintf(bls, sizeof bls, "%s/bls.json", odir);
        if (rc == 0)
            rc = zr_bls_keystore_save(bls, &bsk, pw, DEVNET_SCRYPT_N);
        int nport = zr_cli_free_port();
        snprintf(url, sizeof url, "http://127.0.0.1:%d", nport);
        int aggregator = i < 2;
        zr_chain_t *c = NULL;
        if (rc == 0)
            rc = zr_chain_open(&c, rpc, &dep, sk, e, sizeof e);
        zr_wipe(sk, sizeof sk);
        if (rc == 0) {
            zr_bls_pubkey_t pk;
            zr_bls_pubkey_from_secret(&pk, &bsk);
            zr_bn254_g1_t pop;
            zr_bls_pop_prove(&pop, &bsk, addr, dep.chain_id, dep.governance);
            uint8_t g1[64], g2[128], popb[64], stake[32];
            zr_bls_pubkey_encode(g1, g2, &pk);
            zr_bn254_g1_encode(popb, &pop);
            zr_cli_parse_amount("32ether", stake);
            rc = zr_chain_register(c, g1, g2, popb, url, aggregator, stake, NULL);
            if (rc)
                snprintf(e, sizeof e, "%s", zr_chain_errmsg(c));
        }
        zr_bls_secret_wipe(&bsk);
        zr_chain_free(c);
        if (rc) {
            json_decref(acfg);
            save_state(dir, st);
            json_decref(st);
            return zr_cli_fail("operator %d: %s", i + 1, e);
        }
        snprintf(conf, sizeof conf, "%s/node.conf", odir);
        snprintf(log, sizeof log, "%s/node.log", odir);
        snprintf(dbp, sizeof dbp, "%s/node.sqlite", odir);
        snprintf(store, sizeof store, "%s/store", dir); /* one shared local store, like one IPFS swarm */
        FILE *f = fopen(conf, "w");
        if (!f) {
            json_decref(acfg);
            json_decref(st);
            return zr_cli_fail("cannot write %s", conf);
        }
        fprintf(f,
                "# zara node configuration written by `zara devnet up`\n"
                "rpc = %s\ndeployment = %s\nkeystore = %s\nbls_keystore = %s\npassword_file = %s\n"
                "db = %s\nlisten = 127.0.0.1:%d\npublic_url = %s\nstore_dir = %s\nnode_name = operator%d\n"
                "aggregator = %s\nconfirmations = 0\npoll_ms = 250\nweb_dir = %s/web/dist\n",
                rpc, dep_path, ks, bls, pwfile, dbp, nport, url, store, i + 1, aggregator ? "true" : "false",
                zr_cli_root());
        fclose(f);
        char *nargv[] = {self, "node", "--config", conf, NULL};
        pid_t npid;
        if (zr_cli_spawn(&npid, nargv, log, odir, NULL) != 0 || zr_cli_wait_port(nport, 20000) != 0) {
            json_decref(acfg);
            save_state(dir, st);
            json_decref(st);
            return zr_cli_fail("operator %d's node did not start; see %s", i + 1, log);
        }
        char ah[43];
        zr_cli_addr_hex(ah, addr);
        json_array_append_new(nodes, json_pack("{s:s, s:s, s:i, s:b, s:s, s:s, s:s}", "address", ah, "url", url,
                                               "pid", (int)npid, "aggregator", aggregator, "config", conf, "log",
                                               log, "dir", odir));
        save_state(dir, st);
        if (!o->json)
            printf("operator %d   %s  %s%s (pid %d)\n", i + 1, ah, url, aggregator ? " aggregator" : "", (int)npid);
    }
    json_decref(acfg);
    save_state(dir, st);
    if (o->json) {
        zr_cli_print_json(st);
    } else {
        printf("deployment   %s\nkeystores    %s/keys/<role>/ (password in %s)\n"
               "\nThe devnet is up. zara commands find it by themselves, for example:\n"
               "  zara task list\n  zara operator status --keystore %s/keys/operator1\n"
               "  curl %s/metrics\nStop it with `zara devnet down`.\n",
               dep_path, dir, pwfile, dir,
               json_string_value(json_object_get(json_array_get(nodes, 0), "url")));
        json_decref(st);
    }
    return 0;
}

static int status(const char *dir, int json)
{
    json_t *st;
    if (load_state(dir, &st) != 0)
        return zr_cli_fail("no devnet in %s", dir);
    int alive = anvil_alive(st);
    json_t *nodes = json_object_get(st, "nodes");
    size_t i;
    json_t *nd;
    int up_nodes = 0;
    json_array_foreach(nodes, i, nd)
    {
        int a = zr_cli_pid_is((pid_t)json_integer_value(json_object_get(nd, "pid")), "node");
        json_object_set_new(nd, "running", json_boolean(a));
        up_nodes += a;
    }
    json_object_set_new(st, "running", json_boolean(alive));
    if (json) {
        zr_cli_print_json(st);
        return alive ? 0 : ZR_CLI_FAIL;
    }
    printf("devnet       %s\nanvil        %s %s\n", dir, json_string_value(json_object_get(st, "rpc")),
           alive ? "running" : "stopped");
    if (json_object_get(st, "deployment"))
        printf("deployment   %s\n", json_string_value(json_object_get(st, "deployment")));
    json_array_foreach(nodes, i, nd)
    {
        printf("operator %zu   %s  %s  %s%s\n", i + 1, json_string_value(json_object_get(nd, "address")),
               json_string_value(json_object_get(nd, "url")),
               json_is_true(json_object_get(nd, "running")) ? "running" : "stopped",
               json_is_true(json_object_get(nd, "aggregator")) ? "  aggregator" : "");
    }
    printf("%d of %zu nodes running\n", up_nodes, json_array_size(nodes));
    json_decref(st);
    return alive ? 0 : ZR_CLI_FAIL;
}

static int down(const char *dir)
{
    json_t *st;
    if (load_state(dir, &st) != 0)
        return zr_cli_fail("no devnet in %s", dir);
    size_t i;
    json_t *nd;
    int stopped = 0;
    json_array_foreach(json_object_get(st, "nodes"), i, nd)
    {
        stopped += zr_cli_stop_pid((pid_t)json_integer_value(json_object_get(nd, "pid")), " node");
    }
    stopped += zr_cli_stop_pid((pid_t)json_integer_value(json_object_get(json_object_get(st, "anvil"), "pid")), "anvil");
    printf("stopped %d processes of the devnet in %s\n", stopped, dir);
    json_decref(st);
    return 0;
}

int zr_cli_main_devnet(int argc, char **argv)
{
    if (argc < 2 || zr_cli_help_asked(argc, argv)) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? ZR_CLI_USAGE : 0;
    }
    up_opts_t o = {.dir = NULL, .operators = DEFAULT_OPERATORS, .block_time = 1.0};
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--dir") && i + 1 < argc)
            o.dir = argv[++i];
        else if (!strcmp(argv[i], "--operators") && i + 1 < argc)
            o.operators = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--block-time") && i + 1 < argc)
            o.block_time = atof(argv[++i]);
        else if (!strcmp(argv[i], "--json"))
            o.json = 1;
        else
            return zr_cli_usage_error("devnet", "unknown argument %s", argv[i]);
    }
    if (o.operators < 1 || o.operators > 64)
        return zr_cli_usage_error("devnet", "--operators must be between 1 and 64");
    if (!(o.block_time > 0 && o.block_time <= 60))
        return zr_cli_usage_error("devnet", "--block-time must be in (0, 60] seconds");
    char dirbuf[1024];
    if (!o.dir) {
        snprintf(dirbuf, sizeof dirbuf, "%s", zr_cli_devnet_dir());
        o.dir = dirbuf;
    }
    if (!strcmp(argv[1], "up"))
    {
        json_t *before = NULL;
        int was_running = load_state(o.dir, &before) == 0 && anvil_alive(before);
        json_decref(before);
        int rc = up(&o);
        /* a devnet that did not come up leaves nothing running behind it (but a devnet
         * that was already running is never touched) */
        if (rc != 0 && !was_running) {
            json_t *st;
            if (load_state(o.dir, &st) == 0 && anvil_alive(st)) {
                json_decref(st);
                down(o.dir);
            } else {
                json_decref(st);
            }
        }
        return rc;
    }
    if (!strcmp(argv[1], "status"))
        return status(o.dir, o.json);
    if (!strcmp(argv[1], "down"))
        return down(o.dir);
    return zr_cli_usage_error("devnet", "unknown command %s", argv[1]);
}
