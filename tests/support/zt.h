/* SPDX-License-Identifier: MIT
 * Test support shared by unit and integration tests: data files from the source tree,
 * free loopback ports, child processes that are always stopped, and a real anvil chain
 * started on a port chosen at run time. Include after <cmocka.h>'s prerequisites:
 * this header pulls them in itself. */
#ifndef ZARA_TEST_SUPPORT_H
#define ZARA_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <cmocka.h>

#include "zara/common.h"

/* The first anvil dev account (mnemonic "test test ... junk"), funded with 10000 ETH. */
#define ZT_ANVIL_KEY0 "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
#define ZT_ANVIL_ADDR0 "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
#define ZT_ANVIL_KEY1 "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"
#define ZT_ANVIL_ADDR1 "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"

/* Reads ZARA_SOURCE_DIR/rel into out (bounded at 256 MiB); fails the test on error. */
void zt_read_file(const char *rel, zr_buf_t *out);
/* Absolute path of rel under the source tree, in a static buffer (one at a time). */
const char *zt_src_path(const char *rel);
/* Absolute path of a fresh empty temporary directory (removed by zt_rmtree). */
char *zt_tmpdir(void);
void zt_rmtree(const char *path);
/* Bytes from a hex string; fails the test on bad hex. Caller frees. */
uint8_t *zt_unhex(const char *hex, size_t *len);

/* A free TCP port on 127.0.0.1 (bound and released; collisions are retried by callers). */
int zt_free_port(void);
/* Waits until something accepts TCP connections on 127.0.0.1:port; 0 on success. */
int zt_wait_port(int port, int timeout_ms);

typedef struct zt_proc {
    pid_t pid;
    char log[512]; /* stdout+stderr of the child */
} zt_proc_t;

/* Starts argv[0] (searched in PATH) with output to a log file under $TMPDIR; the child is
 * killed if the test process dies. Returns 0 or -1. */
int zt_spawn(zt_proc_t *p, char *const argv[]);
/* SIGTERM, wait up to 5 s, then SIGKILL; reaps the child. Accepts a never-started proc. */
void zt_stop(zt_proc_t *p);
/* Prints the tail of the child's log to stderr (for failing tests). */
void zt_dump_log(const zt_proc_t *p);

typedef struct zt_anvil {
    zt_proc_t proc;
    int port;
    char url[64];
} zt_anvil_t;

/* Starts node_modules/.bin/anvil on a free port with extra arguments (NULL-terminated,
 * may be NULL), waits until it answers. Fails the test when it cannot start. */
void zt_anvil_start(zt_anvil_t *a, const char *const *extra);
void zt_anvil_stop(zt_anvil_t *a);

/* Runs a shell command, captures up to cap-1 bytes of stdout into out (NUL-terminated,
 * trailing newline removed), returns the exit status (or -1). */
int zt_run(char *out, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
