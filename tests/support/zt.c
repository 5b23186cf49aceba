// SPDX-License-Identifier: MIT
// Test support: source-tree data files, temporary directories, free ports, child processes
// that are always reaped, and anvil on a run-time port.
#include "zt.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ftw.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

const char *zt_src_path(const char *rel)
{
    static char path[4096];
    const char *root = getenv("ZARA_ROOT");
    snprintf(path, sizeof path, "%s/%s", root ? root : ZARA_SOURCE_DIR, rel);
    return path;
}

void zt_read_file(const char *rel, zr_buf_t *out)
{
    zr_buf_init(out, 256u << 20);
    int rc = zr_file_read(zt_src_path(rel), out->max, out);
    if (rc)
        fail_msg("cannot read %s: %s", rel, zr_strerror(rc));
}

char *zt_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    char tmpl[512];
    snprintf(tmpl, sizeof tmpl, "%s/zara-test-XXXXXX", base ? base : "/tmp");
    char *d = mkdtemp(tmpl);
    if (!d)
        fail_msg("mkdtemp failed: %s", strerror(errno));
    return strdup(d);
}

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p);
}

void zt_rmtree(const char *path)
{
    if (path)
        nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

uint8_t *zt_unhex(const char *hex, size_t *len)
{
    size_t n = strlen(hex);
    uint8_t *b = malloc(n / 2 + 1);
    assert_non_null(b);
    int rc = zr_hex_decode(b, n / 2 + 1, len, hex, n);
    if (rc)
        fail_msg("bad hex in test data: %.40s", hex);
    return b;
}

int zt_free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0)
        return -1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    int port = -1;
    if (bind(s, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(s, (struct sockaddr *)&a, &al) == 0)
        port = ntohs(a.sin_port);
    close(s);
    return port;
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

int zt_wait_port(int port, int timeout_ms)
{
    long end = now_ms() + timeout_ms;
    while (now_ms() < end) {
        int s = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                                .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        int ok = connect(s, (struct sockaddr *)&a, sizeof a) == 0;
        close(s);
        if (ok)
            return 0;
        usleep(50000);
    }
    return -1;
}

int zt_spawn(zt_proc_t *p, char *const argv[])
{
    const char *base = getenv("TMPDIR");
    snprintf(p->log, sizeof p->log, "%s/zara-proc-%d-XXXXXX", base ? base : "/tmp", (int)getpid());
    int fd = mkstemp(p->log);
    if (fd < 0)
        return -1;
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        close(fd);
        return -1;
    }
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
        dup2(fd, 1);
        dup2(fd, 2);
        close(fd);
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0)
            dup2(devnull, 0);
        setpgid(0, 0);
        execvp(argv[0], argv);
        fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(fd);
    p->pid = pid;
    return 0;
}

void zt_stop(zt_proc_t *p)
{
    if (!p || p->pid <= 0)
        return;
    kill(-p->pid, SIGTERM);
    kill(p->pid, SIGTERM);
    for (int i = 0; i < 100; i++) {
        if (waitpid(p->pid, NULL, WNOHANG) == p->pid) {
            p->pid = 0;
            unlink(p->log);
            return;
        }
        usleep(50000);
    }
    kill(-p->pid, SIGKILL);
    kill(p->pid, SIGKILL);
    waitpid(p->pid, NULL, 0);
    p->pid = 0;
    unlink(p->log);
}

void zt_dump_log(const zt_proc_t *p)
{
    FILE *f = fopen(p->log, "r");
    if (!f)
        return;
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fseek(f, sz > 4000 ? sz - 4000 : 0, SEEK_SET);
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fprintf(stderr, "---- log of pid %d ----\n%s\n----\n", (int)p->pid, buf);
    fclose(f);
}

void zt_anvil_start(zt_anvil_t *a, const char *const *extra)
{
    memset(a, 0, sizeof *a);
    for (int attempt = 0; attempt < 5; attempt++) {
        a->port = zt_free_port();
        char port[16];
        snprintf(port, sizeof port, "%d", a->port);
        char bin[4096];
        snprintf(bin, sizeof bin, "%s", zt_src_path("node_modules/.bin/anvil"));
        char *argv[64] = {bin, "--port", port, "--host", "127.0.0.1", "--silent"};
        int n = 6;
        for (int i = 0; extra && extra[i] && n < 62; i++)
            argv[n++] = (char *)extra[i];
        argv[n] = NULL;
        if (zt_spawn(&a->proc, argv) != 0)
            fail_msg("cannot start anvil");
        if (zt_wait_port(a->port, 30000) == 0) {
            snprintf(a->url, sizeof a->url, "http://127.0.0.1:%d", a->port);
            return;
        }
        zt_dump_log(&a->proc);
        zt_stop(&a->proc);
    }
    fail_msg("anvil did not start");
}

void zt_anvil_stop(zt_anvil_t *a)
{
    zt_stop(&a->proc);
}

int zt_run(char *out, size_t cap, const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    FILE *f = popen(cmd, "r");
    if (!f)
        return -1;
    size_t n = 0;
    if (out && cap) {
        n = fread(out, 1, cap - 1, f);
        out[n] = 0;
        while (n && (out[n - 1] == '\n' || out[n - 1] == '\r'))
            out[--n] = 0;
    } else {
        char sink[4096];
        while (fread(sink, 1, sizeof sink, f) > 0) {
        }
    }
    int st = pclose(f);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}
