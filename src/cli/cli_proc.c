// SPDX-License-Identifier: MIT
// Process plumbing for `zara devnet` and `zara demo`: locating the npm tools and the
// contracts, starting detached daemons with their output in a log file, checking that a
// recorded pid is still the process we started, and stopping it.
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli_proc.h"

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *zr_cli_root(void)
{
    static char root[1024];
    if (root[0])
        return root;
    const char *env = getenv("ZARA_ROOT");
    char cand[1100];
    if (env && *env) {
        snprintf(cand, sizeof cand, "%s/contracts", env);
        if (is_dir(cand)) {
            snprintf(root, sizeof root, "%s", env);
            return root;
        }
    }
    /* the binary lives in <root>/build/<preset>/zara */
    char exe[1024];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        for (int up = 0; up < 4; up++) {
            char *slash = strrchr(exe, '/');
            if (!slash)
                break;
            *slash = 0;
            snprintf(cand, sizeof cand, "%s/contracts/foundry.toml", exe);
            if (access(cand, R_OK) == 0) {
                snprintf(root, sizeof root, "%s", exe);
                return root;
            }
        }
    }
#ifdef ZARA_SOURCE_DIR
    snprintf(root, sizeof root, "%s", ZARA_SOURCE_DIR);
#else
    snprintf(root, sizeof root, ".");
#endif
    return root;
}

int zr_cli_tool(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/node_modules/.bin/%s", zr_cli_root(), name);
    return access(out, X_OK) == 0 ? 0 : ZR_ENOENT;
}

/* In a forked child: stdin from /dev/null, stdout and stderr to fd, then argv[0]. */
__attribute__((noreturn)) static void exec_child(char *const argv[], int fd, const char *cwd,
                                                 char *const envp_extra[])
{
    int nul = open("/dev/null", O_RDONLY);
    if (nul >= 0)
        dup2(nul, 0);
    dup2(fd, 1);
    dup2(fd, 2);
    if (cwd && chdir(cwd) != 0)
        _exit(127);
    for (int i = 0; envp_extra && envp_extra[i]; i++)
        putenv(envp_extra[i]);
    execv(argv[0], argv);
    fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

int zr_cli_spawn(pid_t *pid, char *const argv[], const char *log_path, const char *cwd, char *const envp_extra[])
{
    int fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0)
        return ZR_EIO;
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC) != 0) {
        close(fd);
        return ZR_EIO;
    }
    pid_t p = fork();
    if (p < 0) {
        close(fd);
        close(pfd[0]);
        close(pfd[1]);
        return ZR_EIO;
    }
    if (p == 0) {
        /* a new session: the daemon outlives the command that started it */
        setsid();
        pid_t q = fork();
        if (q != 0) {
            if (q > 0) {
                ssize_t w = write(pfd[1], &q, sizeof q);
                (void)w;
            }
            _exit(q > 0 ? 0 : 1);
        }
        exec_child(argv, fd, cwd, envp_extra);
    }
    close(pfd[1]);
    close(fd);
    pid_t child = -1;
    ssize_t r = read(pfd[0], &child, sizeof child);
    close(pfd[0]);
    waitpid(p, NULL, 0);
    if (r != sizeof child || child <= 0)
        return ZR_EIO;
    *pid = child;
    return 0;
}

int zr_cli_run(char *const argv[], const char *log_path, const char *cwd, char *const envp_extra[], int *status)
{
    int fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0)
        return ZR_EIO;
    pid_t p = fork();
    if (p < 0) {
        close(fd);
        return ZR_EIO;
    }
    if (p == 0) {
        exec_child(argv, fd, cwd, envp_extra);
    }
    close(fd);
    int st;
    while (waitpid(p, &st, 0) < 0 && errno == EINTR) {
    }
    *status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    return 0;
}

int zr_cli_pid_is(pid_t pid, const char *needle)
{
    if (pid <= 0 || kill(pid, 0) != 0)
        return 0;
    char path[64], buf[4096];
    snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return 0;
    for (ssize_t i = 0; i < n; i++)
        if (buf[i] == 0)
            buf[i] = ' ';
    buf[n] = 0;
    return strstr(buf, needle) != NULL;
}

int zr_cli_stop_pid(pid_t pid, const char *needle)
{
    if (!zr_cli_pid_is(pid, needle))
        return 0;
    kill(pid, SIGTERM);
    for (int i = 0; i < 100; i++) {
        if (!zr_cli_pid_is(pid, needle))
            return 1;
        struct timespec ts = {0, 50 * 1000000};
        nanosleep(&ts, NULL);
    }
    kill(pid, SIGKILL);
    return 1;
}

int zr_cli_free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0)
        return -1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    int port = -1;
    if (bind(s, (struct sockaddr *)&a, sizeof a) == 0 && getsockname(s, (struct sockaddr *)&a, &al) == 0)
        port = ntohs(a.sin_port);
    close(s);
    return port;
}

int zr_cli_wait_port(int port, int timeout_ms)
{
    for (int waited = 0; waited < timeout_ms; waited += 50) {
        int s = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                                .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        int ok = connect(s, (struct sockaddr *)&a, sizeof a) == 0;
        close(s);
        if (ok)
            return 0;
        struct timespec ts = {0, 50 * 1000000};
        nanosleep(&ts, NULL);
    }
    return ZR_ETIMEOUT;
}
