/* SPDX-License-Identifier: MIT
 * Process plumbing for `zara devnet` and `zara demo` (see cli_proc.c). */
#ifndef ZARA_CLI_PROC_H
#define ZARA_CLI_PROC_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "cli.h"

/* The project root (holding contracts/ and node_modules/): $ZARA_ROOT, else found from
 * the binary's location, else the source tree it was built from. */
const char *zr_cli_root(void);
/* <root>/node_modules/.bin/<name>; ZR_ENOENT when not installed (run make deps). */
int zr_cli_tool(char *out, size_t cap, const char *name);
/* Starts argv[0] detached (own session), stdout+stderr appended to log_path, in cwd (may
 * be NULL), with extra NAME=value environment entries (NULL-terminated, may be NULL). */
int zr_cli_spawn(pid_t *pid, char *const argv[], const char *log_path, const char *cwd, char *const envp_extra[]);
/* Runs argv[0] to completion with output appended to log_path; *status is its exit code. */
int zr_cli_run(char *const argv[], const char *log_path, const char *cwd, char *const envp_extra[], int *status);
/* 1 when pid is alive and its command line contains needle (so a recycled pid is never
 * mistaken for ours). */
int zr_cli_pid_is(pid_t pid, const char *needle);
/* SIGTERM, wait up to 5 s, SIGKILL; only when zr_cli_pid_is. 1 when it was running. */
int zr_cli_stop_pid(pid_t pid, const char *needle);
int zr_cli_free_port(void);
int zr_cli_wait_port(int port, int timeout_ms);

#endif
