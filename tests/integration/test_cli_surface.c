// SPDX-License-Identifier: MIT
// The promises of the command line (DESIGN.md §8), checked through the real binary for
// every command `zara --help` lists and every sub-command each command's --help lists:
// --help exits 0 with a usage text, an unknown option or sub-command exits non-zero with
// exactly one "zara..." line on stderr and nothing on stdout, data commands print valid
// JSON with --json, bad input gives one line and never a crash, and chain commands pointed
// at an unreachable RPC fail quickly with one line. Every call runs in its own session
// with a time bound, stdin from /dev/null, and HOME/ZARA_* pointing into a temporary
// directory.
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "zt.h"

#define MAX_CMDS 64
#define MAX_SUBS 32
#define CALL_MS 30000 /* bound of one local call (ASan builds start slowly) */
#define CHAIN_MS 15000 /* bound of a call against a refused RPC port */
#define UNREACHABLE "http://127.0.0.1:1"

typedef struct run {
    int code;      /* exit status, or -1 when killed by a signal or the time bound */
    int sig;       /* the signal that ended it, 0 if none */
    int timed_out; /* killed at the time bound */
    long ms;       /* wall time */
    zr_buf_t out, err;
} run_t;

typedef struct command {
    char name[32];
    char *help; /* stdout of `zara <name> --help` */
    int nsubs;
    char subs[MAX_SUBS][32];
} command_t;

static char *g_tmp;
static int g_ncmds;
static command_t g_cmds[MAX_CMDS];

static const char *zara_bin(void)
{
    const char *b = getenv("ZARA_BIN");
    if (!b)
        fail_msg("ZARA_BIN is not set");
    return b;
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void run_cleanup(run_t *r)
{
    zr_buf_cleanup(&r->out);
    zr_buf_cleanup(&r->err);
}

/* Reads what is there from fd into b (bounded: the rest is drained and dropped); returns 0
 * at end of file. */
static int drain(int fd, zr_buf_t *b)
{
    char chunk[4096];
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0)
        return errno == EINTR || errno == EAGAIN ? 1 : 0;
    if (n > 0 && b->len + (size_t)n <= b->max)
        zr_buf_append(b, chunk, (size_t)n);
    return n > 0;
}

/* Runs zara with args (argv[0] excluded) in a new session; stdout and stderr captured. */
static void run_argv(run_t *r, int timeout_ms, int argc, const char *const *args)
{
    memset(r, 0, sizeof *r);
    zr_buf_init(&r->out, 4u << 20);
    zr_buf_init(&r->err, 1u << 20);
    zr_buf_append_str(&r->out, "");
    zr_buf_append_str(&r->err, "");
    const char *argv[64];
    assert_true(argc + 2 <= (int)ZR_ARRAY_LEN(argv));
    argv[0] = zara_bin();
    for (int i = 0; i < argc; i++)
        argv[i + 1] = args[i];
    argv[argc + 1] = NULL;
    int po[2], pe[2];
    assert_int_equal(pipe(po), 0);
    assert_int_equal(pipe(pe), 0);
    long t0 = now_ms();
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        setsid(); /* no controlling terminal: nothing may prompt; one kill stops it all */
        int dn = open("/dev/null", O_RDONLY);
        dup2(dn, 0);
        dup2(po[1], 1);
        dup2(pe[1], 2);
        close(po[0]), close(pe[0]), close(po[1]), close(pe[1]), close(dn);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(po[1]);
    close(pe[1]);
    struct pollfd fds[2] = {{.fd = po[0], .events = POLLIN}, {.fd = pe[0], .events = POLLIN}};
    int open_fds = 2, status = 0, reaped = 0;
    while (!reaped) {
        long left = timeout_ms - (now_ms() - t0);
        if (left <= 0) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            r->timed_out = 1;
            waitpid(pid, &status, 0);
            break;
        }
        if (open_fds > 0) {
            int n = poll(fds, 2, (int)(left < 100 ? left : 100));
            for (int k = 0; n > 0 && k < 2; k++)
                if (fds[k].fd >= 0 && (fds[k].revents & (POLLIN | POLLHUP | POLLERR)) &&
                    !drain(fds[k].fd, k ? &r->err : &r->out)) {
                    close(fds[k].fd);
                    fds[k].fd = -1;
                    open_fds--;
                }
        } else {
            usleep(5000);
        }
        if (open_fds == 0 && waitpid(pid, &status, WNOHANG) == pid)
            reaped = 1;
    }
    for (int k = 0; k < 2; k++)
        if (fds[k].fd >= 0)
            close(fds[k].fd);
    r->ms = now_ms() - t0;
    if (!r->timed_out && WIFEXITED(status))
        r->code = WEXITSTATUS(status);
    else
        r->code = -1;
    if (!r->timed_out && WIFSIGNALED(status))
        r->sig = WTERMSIG(status);
}

/* run(r, timeout, "abi", "selector", ..., NULL) */
static void run(run_t *r, int timeout_ms, ...)
{
    const char *args[64];
    int n = 0;
    va_list ap;
    va_start(ap, timeout_ms);
    for (const char *a; (a = va_arg(ap, const char *)) != NULL;) {
        assert_true(n < (int)ZR_ARRAY_LEN(args));
        args[n++] = a;
    }
    va_end(ap);
    run_argv(r, timeout_ms, n, args);
}

static void describe(char *out, size_t cap, int argc, const char *const *args)
{
    size_t n = (size_t)snprintf(out, cap, "zara");
    for (int i = 0; i < argc && n < cap; i++)
        n += (size_t)snprintf(out + n, cap - n, " %s", args[i]);
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* Fails unless the call ended by itself (no crash, no time bound). */
static void expect_finished(const run_t *r, const char *what)
{
    if (r->timed_out)
        fail_msg("%s: still running after %ld ms (killed)", what, r->ms);
    if (r->sig)
        fail_msg("%s: killed by signal %d; stderr: %s", what, r->sig, zr_buf_cstr(&r->err));
}

/* The error contract: non-zero exit, nothing on stdout, exactly one line on stderr that
 * starts with "zara"; when mention is given, the line contains it. */
static void expect_one_line_error(const run_t *r, const char *what, const char *mention)
{
    const char *err = zr_buf_cstr(&r->err);
    expect_finished(r, what);
    if (r->code == 0)
        fail_msg("%s: exit 0 on an error; stdout: %.300s", what, zr_buf_cstr(&r->out));
    if (r->out.len)
        fail_msg("%s: printed to stdout on an error: %.300s", what, zr_buf_cstr(&r->out));
    if (count_lines(err) != 1 || err[r->err.len - 1] != '\n')
        fail_msg("%s: stderr is not exactly one line:\n%.1000s", what, err);
    if (strncmp(err, "zara", 4) != 0)
        fail_msg("%s: the error line does not start with \"zara\": %s", what, err);
    if (mention && !strstr(err, mention))
        fail_msg("%s: the error line does not mention %s: %s", what, mention, err);
}

/* stdout parses as exactly one JSON value (no trailing data). Caller decrefs. */
static json_t *expect_json(const run_t *r, const char *what)
{
    json_error_t e;
    json_t *j = json_loadb(r->out.len ? (const char *)r->out.data : "", r->out.len, JSON_DECODE_ANY, &e);
    if (!j)
        fail_msg("%s: stdout is not valid JSON (%s at %d): %.500s", what, e.text, e.position, zr_buf_cstr(&r->out));
    return j;
}

static void expect_ok_json(run_t *r, const char *what, json_t **out)
{
    expect_finished(r, what);
    if (r->code != 0)
        fail_msg("%s: exit %d; stderr: %.500s", what, r->code, zr_buf_cstr(&r->err));
    json_t *j = expect_json(r, what);
    if (out)
        *out = j;
    else
        json_decref(j);
}

/* ---- what the help texts list ------------------------------------------------------------ */

static int is_word(const char *s, size_t n)
{
    if (n == 0 || n >= 32 || s[0] < 'a' || s[0] > 'z')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '-'))
            return 0;
    return 1;
}

static void add_sub(command_t *c, const char *s, size_t n)
{
    if (!is_word(s, n))
        return;
    for (int i = 0; i < c->nsubs; i++)
        if (strlen(c->subs[i]) == n && memcmp(c->subs[i], s, n) == 0)
            return;
    assert_true(c->nsubs < MAX_SUBS);
    memcpy(c->subs[c->nsubs], s, n);
    c->subs[c->nsubs++][n] = 0;
}

/* Sub-commands from a help text: the first word after "zara <cmd> " on synopsis lines,
 * with alternatives "a | b" and "a|b"; when the synopsis says "<command>", the words that
 * open the two-space-indented lines of the command list. Placeholders (TASK, <x>, --opt)
 * are not words and are skipped. */
static void parse_subs(command_t *c)
{
    char prefix[64];
    snprintf(prefix, sizeof prefix, "zara %s ", c->name);
    int listed = 0;
    for (const char *line = c->help; *line;) {
        const char *eol = strchr(line, '\n');
        size_t len = eol ? (size_t)(eol - line) : strlen(line);
        char l[1024];
        snprintf(l, sizeof l, "%.*s", (int)(len < sizeof l ? len : sizeof l - 1), line);
        const char *p = l;
        if (strncmp(p, "usage:", 6) == 0)
            p += 6;
        p += strspn(p, " ");
        if (strncmp(p, prefix, strlen(prefix)) == 0) {
            p += strlen(prefix);
            if (strncmp(p, "<command>", 9) == 0)
                listed = 1;
            for (const char *alt = p; alt;) {
                alt += strspn(alt, " ");
                size_t w = strcspn(alt, " |");
                add_sub(c, alt, w);
                /* "a|b|c" as one token */
                for (const char *q = alt + w; *q == '|';) {
                    q++;
                    size_t w2 = strcspn(q, " |");
                    add_sub(c, q, w2);
                    q += w2;
                }
                const char *bar = strstr(alt, " | ");
                alt = bar ? bar + 3 : NULL;
            }
        }
        line += len + (eol ? 1 : 0);
    }
    if (!listed)
        return;
    for (const char *line = c->help; *line;) {
        const char *eol = strchr(line, '\n');
        size_t len = eol ? (size_t)(eol - line) : strlen(line);
        if (len > 2 && line[0] == ' ' && line[1] == ' ' && line[2] != ' ') {
            size_t w = strcspn(line + 2, " \n");
            if (w <= len - 2)
                add_sub(c, line + 2, w);
        }
        line += len + (eol ? 1 : 0);
    }
}

static command_t *find_cmd(const char *name)
{
    for (int i = 0; i < g_ncmds; i++)
        if (strcmp(g_cmds[i].name, name) == 0)
            return &g_cmds[i];
    return NULL;
}

/* ---- fixture: temporary HOME, the command list --------------------------------------------- */

static int setup(void **state)
{
    (void)state;
    g_tmp = zt_tmpdir();
    char p[1200];
    setenv("HOME", g_tmp, 1);
    snprintf(p, sizeof p, "%s/devnet", g_tmp);
    setenv("ZARA_DEVNET_DIR", p, 1);
    snprintf(p, sizeof p, "%s/xdg", g_tmp);
    setenv("XDG_DATA_HOME", p, 1);
    static const char *const unset[] = {"ZARA_RPC",          "ZARA_DEPLOYMENT",  "ZARA_KEYSTORE",
                                        "ZARA_BLS_KEYSTORE", "ZARA_PASSWORD_FILE", "ZARA_STORE_DIR",
                                        "ZARA_IPFS_API",     "ZARA_IPFS_GATEWAY", "ZARA_LOG_LEVEL"};
    for (size_t i = 0; i < ZR_ARRAY_LEN(unset); i++)
        unsetenv(unset[i]);

    run_t r;
    run(&r, CALL_MS, "--help", NULL);
    expect_finished(&r, "zara --help");
    assert_int_equal(r.code, 0);
    const char *h = zr_buf_cstr(&r.out);
    const char *list = strstr(h, "\ncommands:\n");
    if (!list)
        fail_msg("zara --help has no \"commands:\" section:\n%s", h);
    list += strlen("\ncommands:\n");
    /* "  name   summary" lines up to the first line that is not one */
    while (strncmp(list, "  ", 2) == 0 && list[2] != ' ') {
        size_t w = strcspn(list + 2, " \n");
        assert_true(w > 0 && w < sizeof g_cmds[0].name && g_ncmds < MAX_CMDS);
        memcpy(g_cmds[g_ncmds].name, list + 2, w);
        g_cmds[g_ncmds].name[w] = 0;
        g_ncmds++;
        const char *eol = strchr(list, '\n');
        if (!eol)
            break;
        list = eol + 1;
    }
    run_cleanup(&r);
    if (g_ncmds == 0)
        fail_msg("no commands listed by zara --help:\n%s", h);

    for (int i = 0; i < g_ncmds; i++) {
        command_t *c = &g_cmds[i];
        char what[128];
        snprintf(what, sizeof what, "zara %s --help", c->name);
        run(&r, CALL_MS, c->name, "--help", NULL);
        expect_finished(&r, what);
        if (r.code != 0)
            fail_msg("%s: exit %d; stderr: %s", what, r.code, zr_buf_cstr(&r.err));
        c->help = strdup(zr_buf_cstr(&r.out));
        run_cleanup(&r);
        parse_subs(c);
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    /* A command that wrongly started a devnet in our folder leaves daemons behind. */
    char p[1300];
    snprintf(p, sizeof p, "%s/devnet/devnet.json", g_tmp);
    if (access(p, F_OK) == 0) {
        run_t r;
        run(&r, 60000, "devnet", "down", NULL);
        run_cleanup(&r);
    }
    for (int i = 0; i < g_ncmds; i++)
        free(g_cmds[i].help);
    zt_rmtree(g_tmp);
    free(g_tmp);
    return 0;
}

/* ---- tests -------------------------------------------------------------------------------- */

/* The top level: --help, unknown options and commands, no command at all. */
static void test_top_level(void **state)
{
    (void)state;
    run_t r;
    run(&r, CALL_MS, "--no-such-option", NULL);
    expect_one_line_error(&r, "zara --no-such-option", "--no-such-option");
    run_cleanup(&r);
    run(&r, CALL_MS, "no-such-command", NULL);
    expect_one_line_error(&r, "zara no-such-command", "no-such-command");
    run_cleanup(&r);
    run(&r, CALL_MS, "--log-level", NULL);
    expect_one_line_error(&r, "zara --log-level", "--log-level");
    run_cleanup(&r);
    run(&r, CALL_MS, "--log-level", "loud", "keccak", "0x", NULL);
    expect_one_line_error(&r, "zara --log-level loud", "loud");
    run_cleanup(&r);
    run(&r, CALL_MS, NULL);
    expect_finished(&r, "zara");
    assert_int_not_equal(r.code, 0);
    assert_int_equal(r.out.len, 0);
    run_cleanup(&r);
    /* the parse found the commands the sub-command tests rely on */
    int with_subs = 0;
    for (int i = 0; i < g_ncmds; i++) {
        with_subs += g_cmds[i].nsubs > 0;
        char subs[MAX_SUBS * 33] = "";
        for (int s = 0; s < g_cmds[i].nsubs; s++)
            strcat(strcat(subs, " "), g_cmds[i].subs[s]);
        print_message("  %-12s%s\n", g_cmds[i].name, subs);
    }
    print_message("zara --help lists %d commands, %d of them with sub-commands\n", g_ncmds, with_subs);
    assert_true(with_subs > 0);
}

/* `zara <cmd> --help` and `zara <cmd> <sub> --help`: exit 0, a usage text on stdout, nothing
 * on stderr. */
static void test_help_everywhere(void **state)
{
    (void)state;
    for (int i = 0; i < g_ncmds; i++) {
        command_t *c = &g_cmds[i];
        if (!strstr(c->help, "usage:"))
            fail_msg("zara %s --help prints no \"usage:\" line:\n%s", c->name, c->help);
        if (!strstr(c->help, c->name))
            fail_msg("zara %s --help does not name the command", c->name);
        for (int s = 0; s < c->nsubs; s++) {
            char what[128];
            snprintf(what, sizeof what, "zara %s %s --help", c->name, c->subs[s]);
            run_t r;
            run(&r, CALL_MS, c->name, c->subs[s], "--help", NULL);
            expect_finished(&r, what);
            if (r.code != 0 || !strstr(zr_buf_cstr(&r.out), "usage:") || r.err.len)
                fail_msg("%s: exit %d, stdout %.200s, stderr %.300s", what, r.code, zr_buf_cstr(&r.out),
                         zr_buf_cstr(&r.err));
            run_cleanup(&r);
        }
    }
}

/* Unknown options after every command and sub-command, unknown sub-commands, and a
 * missing sub-command: one line on stderr, nothing on stdout, non-zero exit. */
static void test_unknown_options(void **state)
{
    (void)state;
    for (int i = 0; i < g_ncmds; i++) {
        command_t *c = &g_cmds[i];
        char what[160];
        run_t r;
        if (c->nsubs == 0) {
            snprintf(what, sizeof what, "zara %s --no-such-option", c->name);
            run(&r, CALL_MS, c->name, "--no-such-option", NULL);
            expect_one_line_error(&r, what, "--no-such-option");
            run_cleanup(&r);
            continue;
        }
        for (int s = 0; s < c->nsubs; s++) {
            snprintf(what, sizeof what, "zara %s %s --no-such-option", c->name, c->subs[s]);
            run(&r, CALL_MS, c->name, c->subs[s], "--no-such-option", NULL);
            expect_one_line_error(&r, what, "--no-such-option");
            run_cleanup(&r);
        }
        snprintf(what, sizeof what, "zara %s no-such-sub", c->name);
        run(&r, CALL_MS, c->name, "no-such-sub", NULL);
        expect_one_line_error(&r, what, "no-such-sub");
        run_cleanup(&r);
        /* without a sub-command: a usage error, and nothing a pipe would read as data */
        snprintf(what, sizeof what, "zara %s", c->name);
        run(&r, CALL_MS, c->name, NULL);
        expect_finished(&r, what);
        if (r.code == 0 || r.out.len)
            fail_msg("%s: exit %d, stdout %.200s", what, r.code, zr_buf_cstr(&r.out));
        run_cleanup(&r);
    }
}

/* Bad input to the commands that work without a chain: the error contract, never a crash
 * (the ASan build aborts on one). "@J" stands for a file of junk, "@E" for an empty one,
 * "@N" for a path that does not exist ("@@N" the same with zara's @FILE prefix), "@D" for
 * a folder. */
static void test_bad_input(void **state)
{
    (void)state;
    char junk[1300], empty[1300], none[1300], at_none[1310], dir[1300];
    snprintf(junk, sizeof junk, "%s/junk.bin", g_tmp);
    snprintf(empty, sizeof empty, "%s/empty.bin", g_tmp);
    snprintf(none, sizeof none, "%s/does-not-exist", g_tmp);
    snprintf(at_none, sizeof at_none, "@%s", none);
    snprintf(dir, sizeof dir, "%s/bad-input", g_tmp);
    assert_int_equal(zr_file_write_atomic(junk, "\x01junk\xff{", 7, 0600), 0);
    assert_int_equal(zr_file_write_atomic(empty, "", 0, 0600), 0);
    static const char *const cases[][10] = {
        {"abi", "decode", "f()(uint256)", "0x12"},
        {"abi", "decode", "f()(uint256", "0x"},
        {"abi", "encode", "f(uint8)", "300"},
        {"abi", "encode", "f(uint256[])", "[1,2"},
        {"abi", "calldata", "f(bytes)", "0xz"},
        {"abi", "log", "event E(uint256 indexed)", "0x", "0x12"},
        {"abi", "selector", ""},
        {"abi", "decode", "--abi", "@J", "foo", "0x"},
        {"bls", "aggregate", "0x"},
        {"bls", "aggregate", "0x0000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                             "0000000000000000000000000000000000000000001"},
        {"bls", "verify", "--g2", "0x12", "--sig", "0x12", "0x12"},
        {"bls", "pubkey", "--keystore", "@J"},
        {"bls", "sign", "--secret-file", "@J", "0x0000000000000000000000000000000000000000000000000000000000000000"},
        {"bls", "pop", "--secret-file", "@J", "--operator", "0x1", "--chain-id", "x", "--governance", "0x2"},
        {"keccak", "@@N"},
        {"abi", "decode", "f()(uint256)", "@@N"},
        {"keccak", "0xabc"},
        {"keys", "address", "--keystore", "@D", "--password-file", "@J", "@J"},
        {"keys", "import", "--keystore", "@D", "--password-file", "@J", "@J"},
        {"keys", "list", "--keystore", "@J"},
        {"model", "inspect", "@J"},
        {"model", "inspect", "@E"},
        {"model", "inspect", "examples/square/arch.json", "--params", "@J"},
        {"model", "init", "examples/square/arch.json", "--seed", "x", "--out", "@N"},
        {"model", "import", "--tfjs", "@J", "--out", "@N"},
        {"store", "get", "notacid", "--dir", "@D"},
        {"store", "get", "bafkreiavj6w2boynhpamrluawcqox6hwcfloumlqf73cs7ddug3io5apzu", "--dir", "@D"},
        {"store", "cid", "@N"},
        {"store", "put", "--dir", "@D", "@N"},
        {"store", "put", "--max-size", "1x", "--dir", "@D", "@J"},
        {"train", "--arch", "examples/square/arch.json", "--eval", "@J", "--out", "@N", "--steps", "1"},
        {"eval", "--arch", "examples/square/arch.json", "--params", "@J", "--eval", "examples/square/eval.lua",
         "--seed", "0x00"},
        {"submission", "show", "0"},
        {"devnet", "down", "--dir", "@N"},
        {"devnet", "up", "--operators", "0"},
        {"node", "--config", "@J"},
    };
    for (size_t c = 0; c < ZR_ARRAY_LEN(cases); c++) {
        const char *args[12];
        int n = 0;
        for (int a = 0; a < 10 && cases[c][a]; a++) {
            const char *v = cases[c][a];
            args[n++] = !strcmp(v, "@J") ? junk : !strcmp(v, "@E") ? empty : !strcmp(v, "@N") ? none
                      : !strcmp(v, "@@N") ? at_none : !strcmp(v, "@D") ? dir : v;
        }
        char what[1200];
        describe(what, sizeof what, n, args);
        run_t r;
        run_argv(&r, CALL_MS, n, args);
        expect_one_line_error(&r, what, NULL);
        run_cleanup(&r);
    }
}

/* A valid deployment file (addresses need not hold code: the RPC is never reached). */
static void write_deployment(char *path, size_t cap)
{
    static const char dep[] =
        "{\"chainId\": 31337, \"deployBlock\": 1,\n"
        " \"ModelSubmission\": \"0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512\",\n"
        " \"AttestationCenter\": \"0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0\",\n"
        " \"AvsLogic\": \"0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9\",\n"
        " \"AvsGovernance\": \"0x5FbDB2315678afecb367f032d93F642f64180aa3\",\n"
        " \"constants\": {\"SEED_DELAY\": 2, \"REVEAL_WINDOW\": 30, \"EVAL_TIMEOUT\": 60,\n"
        "   \"MIN_STAKE\": 1000000000000000000, \"EXIT_DELAY\": 10, \"QUORUM_NUM\": 2, \"QUORUM_DEN\": 3,\n"
        "   \"PERFORMER_BPS\": 1000, \"AGGREGATOR_BPS\": 500, \"BOUNTY_BPS\": 5000, \"PERFORMER_TIMEOUT\": 4}}\n";
    snprintf(path, cap, "%s/deployment.json", g_tmp);
    assert_int_equal(zr_file_write_atomic(path, dep, sizeof dep - 1, 0644), 0);
}

/* The commands that print data, where they work without a chain. */
static void test_json_outputs(void **state)
{
    (void)state;
    run_t r;
    json_t *j;
    /* keccak: the empty string's well-known hash */
    run(&r, CALL_MS, "keccak", "--json", "0x", NULL);
    expect_ok_json(&r, "zara keccak --json 0x", &j);
    assert_string_equal(zr_json_str(j, "hash"), "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    json_decref(j);
    run_cleanup(&r);

    /* abi: every sub-command --help lists, with --json */
    static const char *const abi_calls[][6] = {
        {"abi", "selector", "--json", "transfer(address,uint256)", NULL},
        {"abi", "event", "--json", "Transfer(address,address,uint256)", NULL},
        {"abi", "encode", "--json", "f(uint256,bool)", "7", "true"},
        {"abi", "calldata", "--json", "transfer(address,uint256)", "0x000000000000000000000000000000000000dEaD", "5"},
        {"abi", "decode", "--json", "f()(uint256)",
         "0x0000000000000000000000000000000000000000000000000000000000000005", NULL},
        {"abi", "log", "--json", "event Transfer(address indexed,address indexed,uint256)",
         "0x0000000000000000000000000000000000000000000000000000000000000009", NULL},
    };
    const command_t *abi = find_cmd("abi");
    for (size_t k = 0; abi && k < ZR_ARRAY_LEN(abi_calls); k++) {
        const char *args[12];
        int n = 0;
        for (int a = 0; a < 6 && abi_calls[k][a]; a++)
            args[n++] = abi_calls[k][a];
        if (strcmp(abi_calls[k][1], "log") == 0) {
            args[n++] = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";
            args[n++] = "0x000000000000000000000000f39fd6e51aad88f6f4ce6ab8827279cfffb92266";
            args[n++] = "0x00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c8";
        }
        char what[400];
        describe(what, sizeof what, n, args);
        run_argv(&r, CALL_MS, n, args);
        expect_ok_json(&r, what, &j);
        if (strcmp(abi_calls[k][1], "selector") == 0)
            assert_string_equal(zr_json_str(j, "selector"), "0xa9059cbb");
        if (strcmp(abi_calls[k][1], "event") == 0)
            assert_string_equal(zr_json_str(j, "topic"),
                                "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
        json_decref(j);
        run_cleanup(&r);
    }
    /* every abi sub-command the help lists was exercised above */
    for (int s = 0; abi && s < abi->nsubs; s++) {
        int seen = 0;
        for (size_t k = 0; k < ZR_ARRAY_LEN(abi_calls); k++)
            seen |= strcmp(abi_calls[k][1], abi->subs[s]) == 0;
        if (!seen)
            fail_msg("zara abi %s is listed by its help but has no --json case here", abi->subs[s]);
    }

    /* store cid: an array with one entry per file */
    run(&r, CALL_MS, "store", "cid", "--json", "examples/square/arch.json", "examples/square/eval.lua", NULL);
    expect_ok_json(&r, "zara store cid --json", &j);
    assert_true(json_is_array(j) && json_array_size(j) == 2);
    assert_non_null(zr_json_str(json_array_get(j, 0), "cid"));
    json_decref(j);
    run_cleanup(&r);

    /* store put: the same CID, into the folder every other command uses (no devnet here) */
    run(&r, CALL_MS, "store", "put", "--json", "--local-only", "examples/square/arch.json", NULL);
    expect_ok_json(&r, "zara store put --json", &j);
    assert_true(json_is_array(j) && json_array_size(j) == 1);
    assert_non_null(zr_json_str(json_array_get(j, 0), "cid"));
    json_decref(j);
    run_cleanup(&r);
    char store[1300];
    snprintf(store, sizeof store, "%s/.zara/store/blocks", g_tmp);
    if (access(store, F_OK) != 0)
        fail_msg("zara store put did not use ~/.zara/store, the store of the other commands");

    run(&r, CALL_MS, "model", "inspect", "examples/square/arch.json", "--json", NULL);
    expect_ok_json(&r, "zara model inspect --json", &j);
    assert_true(json_is_object(j) && json_integer_value(json_object_get(j, "params")) > 0);
    json_decref(j);
    run_cleanup(&r);

    run(&r, CALL_MS, "eval", "--arch", "examples/square/arch.json", "--params", "examples/square/trained.safetensors",
        "--incumbent", "examples/square/init.safetensors", "--eval", "examples/square/eval.lua", "--seed",
        "0x0000000000000000000000000000000000000000000000000000000000000007", "--json", NULL);
    expect_ok_json(&r, "zara eval --json", &j);
    assert_string_equal(zr_json_str(j, "status"), "OK");
    json_decref(j);
    run_cleanup(&r);

    /* keys list on an empty folder: an empty array */
    char empty[1200];
    snprintf(empty, sizeof empty, "%s/empty", g_tmp);
    assert_int_equal(mkdir(empty, 0700), 0);
    run(&r, CALL_MS, "keys", "list", "--keystore", empty, "--json", NULL);
    expect_ok_json(&r, "zara keys list --json (empty)", &j);
    assert_true(json_is_array(j) && json_array_size(j) == 0);
    json_decref(j);
    run_cleanup(&r);

    /* devnet status on a folder with no devnet: the error contract, JSON or not */
    run(&r, CALL_MS, "devnet", "status", "--dir", empty, "--json", NULL);
    expect_one_line_error(&r, "zara devnet status --json (no devnet)", NULL);
    run_cleanup(&r);
}

/* Chain commands against a refused RPC port: one line naming the endpoint, non-zero, fast. */
static void test_unreachable_rpc(void **state)
{
    (void)state;
    char dep[1300], pw[1300], opdir[1300], ks[1400], bls[1400], db[1300], store[1300], out[1300];
    write_deployment(dep, sizeof dep);
    snprintf(pw, sizeof pw, "%s/password.txt", g_tmp);
    assert_int_equal(zr_file_write_atomic(pw, "correct horse\n", 14, 0600), 0);
    snprintf(opdir, sizeof opdir, "%s/operator", g_tmp);
    snprintf(store, sizeof store, "%s/store", g_tmp);
    snprintf(out, sizeof out, "%s/pulled", g_tmp);
    snprintf(bls, sizeof bls, "%s/bls.json", opdir);
    snprintf(db, sizeof db, "%s/node.sqlite", g_tmp);

    run_t r;
    run(&r, CALL_MS, "operator", "keygen", "--dir", opdir, "--scrypt-n", "1024", "--password-file", pw, "--json", NULL);
    json_t *j;
    expect_ok_json(&r, "zara operator keygen --json", &j);
    const char *k = zr_json_str(j, "keystore");
    if (!k || access(k, R_OK) != 0)
        fail_msg("operator keygen --json names no keystore it wrote: %s", zr_buf_cstr(&r.out));
    snprintf(ks, sizeof ks, "%s", k);
    json_decref(j);
    run_cleanup(&r);

    typedef struct {
        const char *argv[24];
    } call_t;
    const char *addr = ZT_ANVIL_ADDR0;
    const call_t calls[] = {
        {{"task", "list"}},
        {{"task", "show", "1"}},
        {{"task", "pull", "1", "--out", out}},
        {{"task", "close", "1"}},
        {{"task", "create", "--arch", "examples/square/arch.json", "--params", "examples/square/init.safetensors",
          "--eval", "examples/square/eval.lua", "--pool", "1ether", "--reward", "1ether", "--fee", "0.01ether",
          "--bond", "0.1ether"}},
        {{"submit", "1", "--params", "examples/square/trained.safetensors", "--no-follow"}},
        {{"submission", "show", "1"}},
        {{"submission", "expire", "1"}},
        {{"operator", "register", "--stake", "1ether", "--endpoint", "http://127.0.0.1:9"}},
        {{"operator", "exit"}},
        {{"operator", "withdraw"}},
        {{"operator", "status"}},
        {{"operator", "status", addr}},
        {{"rewards", "show"}},
        {{"rewards", "show", addr}},
        {{"rewards", "withdraw"}},
    };
    static const char *const local_subs[][2] = {{"operator", "keygen"}};
    for (size_t c = 0; c < ZR_ARRAY_LEN(calls); c++) {
        const char *args[40];
        int n = 0;
        for (int a = 0; calls[c].argv[a]; a++)
            args[n++] = calls[c].argv[a];
        /* --keystore names the folder operator keygen wrote (one ECDSA and one BLS keystore) */
        const char *common[] = {"--rpc",         UNREACHABLE, "--deployment", dep,   "--keystore", opdir,
                                "--bls-keystore", bls,         "--password-file", pw, "--store-dir", store,
                                "--json"};
        for (size_t a = 0; a < ZR_ARRAY_LEN(common); a++) {
            /* --store-dir only where the command takes it */
            if (!strcmp(common[a], "--store-dir") && strcmp(args[0], "submit") && strcmp(args[1], "create")) {
                a++;
                continue;
            }
            args[n++] = common[a];
        }
        char what[600];
        describe(what, sizeof what, n, args);
        run_argv(&r, CHAIN_MS, n, args);
        expect_one_line_error(&r, what, "127.0.0.1:1");
        run_cleanup(&r);
    }
    /* the daemon gives up at start-up the same way (it takes no --json, and a keystore file) */
    run(&r, CHAIN_MS, "node", "--rpc", UNREACHABLE, "--deployment", dep, "--keystore", ks, "--bls-keystore", bls,
        "--password-file", pw, "--db", db, "--listen", "127.0.0.1:0", NULL);
    expect_one_line_error(&r, "zara node --rpc " UNREACHABLE, "127.0.0.1:1");
    run_cleanup(&r);
    /* credentials and an API key in the URL never reach the error line */
    run(&r, CHAIN_MS, "task", "list", "--rpc", "http://user:s3cret@127.0.0.1:1/v3/KEY123", "--deployment", dep, NULL);
    expect_one_line_error(&r, "zara task list --rpc <URL with credentials>", "127.0.0.1:1");
    if (strstr(zr_buf_cstr(&r.err), "s3cret") || strstr(zr_buf_cstr(&r.err), "KEY123"))
        fail_msg("the RPC URL's secrets are printed: %s", zr_buf_cstr(&r.err));
    run_cleanup(&r);
    /* every sub-command of a command whose help offers --rpc is covered above */
    for (int i = 0; i < g_ncmds; i++) {
        const command_t *cmd = &g_cmds[i];
        if (!strstr(cmd->help, "--rpc"))
            continue;
        int nsubs = cmd->nsubs ? cmd->nsubs : 1;
        for (int s = 0; s < nsubs; s++) {
            const char *sub = cmd->nsubs ? cmd->subs[s] : NULL;
            int seen = 0;
            seen = !strcmp(cmd->name, "node"); /* above, on its own */
            for (size_t c = 0; c < ZR_ARRAY_LEN(calls) && !seen; c++)
                seen = !strcmp(calls[c].argv[0], cmd->name) && (!sub || !strcmp(calls[c].argv[1], sub));
            for (size_t l = 0; l < ZR_ARRAY_LEN(local_subs) && !seen; l++)
                seen = sub && !strcmp(local_subs[l][0], cmd->name) && !strcmp(local_subs[l][1], sub);
            if (!seen)
                fail_msg("zara %s %s takes --rpc but has no unreachable-RPC case here", cmd->name, sub ? sub : "");
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_top_level),
        cmocka_unit_test(test_help_everywhere),
        cmocka_unit_test(test_unknown_options),
        cmocka_unit_test(test_json_outputs),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_unreachable_rpc),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
