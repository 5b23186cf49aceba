// SPDX-License-Identifier: MIT
// Helpers shared by every zara command: one-line errors, ZARA_* fallbacks, password input
// without echo, JSON output.
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"

int zr_cli_fail(const char *fmt, ...)
{
    va_list ap;
    fputs("zara: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return ZR_CLI_FAIL;
}

int zr_cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "zara %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see zara %s --help)\n", cmd);
    return ZR_CLI_USAGE;
}

int zr_cli_help_asked(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return 1;
    return 0;
}

int zr_cli_parse_u64(const char *s, uint64_t *out)
{
    if (s[0] < '0' || s[0] > '9')
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || errno)
        return -1;
    *out = v;
    return 0;
}

const char *zr_cli_opt(const char *flag, const char *env, const char *def)
{
    if (flag)
        return flag;
    const char *e = env ? getenv(env) : NULL;
    if (e && e[0])
        return e;
    return def;
}

static int read_tty_line(const char *prompt, char *out, size_t cap)
{
    FILE *tty = fopen("/dev/tty", "r+");
    if (!tty)
        return ZR_ENOENT;
    struct termios old, noecho;
    int restore = 0;
    if (tcgetattr(fileno(tty), &old) == 0) {
        noecho = old;
        noecho.c_lflag &= ~(tcflag_t)ECHO;
        if (tcsetattr(fileno(tty), TCSAFLUSH, &noecho) == 0)
            restore = 1;
    }
    fputs(prompt, tty);
    fflush(tty);
    int rc = fgets(out, (int)cap, tty) ? 0 : ZR_EIO;
    if (restore)
        tcsetattr(fileno(tty), TCSAFLUSH, &old);
    fputc('\n', tty);
    fclose(tty);
    if (rc == 0)
        out[strcspn(out, "\r\n")] = 0;
    return rc;
}

int zr_cli_read_password(const char *file, const char *prompt, int confirm, char *out, size_t out_cap)
{
    file = zr_cli_opt(file, "ZARA_PASSWORD_FILE", NULL);
    if (file) {
        zr_buf_t b;
        zr_buf_init(&b, 4096);
        int rc = zr_file_read(file, 4096, &b);
        if (rc) {
            zr_buf_cleanup_secret(&b);
            zr_cli_fail("cannot read password file %s: %s", file, zr_strerror(rc));
            return rc;
        }
        const char *s = zr_buf_cstr(&b);
        size_t n = strcspn(s, "\r\n");
        if (n >= out_cap) {
            zr_buf_cleanup_secret(&b);
            zr_cli_fail("password in %s is too long", file);
            return ZR_ETOOBIG;
        }
        memcpy(out, s, n);
        out[n] = 0;
        zr_buf_cleanup_secret(&b);
        return 0;
    }
    int rc = read_tty_line(prompt, out, out_cap);
    if (rc) {
        zr_cli_fail("no terminal to ask for a password: use --password-file or ZARA_PASSWORD_FILE");
        return rc;
    }
    if (confirm) {
        char again[1024];
        rc = read_tty_line("Repeat password: ", again, sizeof again);
        int same = rc == 0 && strcmp(again, out) == 0;
        zr_wipe(again, sizeof again);
        if (!same) {
            zr_wipe(out, out_cap);
            zr_cli_fail("the passwords do not match");
            return ZR_EPASSWORD;
        }
    }
    return 0;
}

void zr_cli_print_json(json_t *j)
{
    size_t flags = JSON_ENCODE_ANY | JSON_PRESERVE_ORDER;
    if (isatty(STDOUT_FILENO))
        flags |= JSON_INDENT(2);
    else
        flags |= JSON_COMPACT;
    json_dumpf(j, stdout, flags);
    fputc('\n', stdout);
    json_decref(j);
}

int zr_cli_read_arg(const char *arg, size_t max, zr_buf_t *out)
{
    if (strcmp(arg, "-") == 0) {
        for (;;) {
            char chunk[4096];
            size_t n = fread(chunk, 1, sizeof chunk, stdin);
            if (n == 0)
                break;
            int rc = zr_buf_append(out, chunk, n);
            if (rc)
                return rc;
        }
        return ferror(stdin) ? ZR_EIO : 0;
    }
    if (arg[0] == '@')
        return zr_file_read(arg + 1, max, out);
    if (strlen(arg) > max)
        return ZR_ETOOBIG;
    return zr_buf_append_str(out, arg);
}
