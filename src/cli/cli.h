/* SPDX-License-Identifier: MIT
 * Shared helpers of the zara command line: error output, option fallbacks to ZARA_*
 * environment variables, password input and JSON printing. Every command lives in
 * src/cli/cmd_<name>.c and defines:
 *     const char zr_cli_summary_<name>[];          one line for `zara --help`
 *     int zr_cli_main_<name>(int argc, char **argv); argv[0] is the command name
 * The command table is generated from the file names (see CMakeLists.txt). */
#ifndef ZARA_CLI_H
#define ZARA_CLI_H

#include <stddef.h>

#include "zara/common.h"

/* Exit codes: 0 success, 1 failure, 2 usage error. */
enum { ZR_CLI_OK = 0, ZR_CLI_FAIL = 1, ZR_CLI_USAGE = 2 };

/* Prints "zara: <message>" as one line on stderr and returns ZR_CLI_FAIL. */
int zr_cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "zara <cmd>: <message>" plus a hint to use --help; returns ZR_CLI_USAGE. */
int zr_cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* 1 when any argument after the command name is --help or -h. */
int zr_cli_help_asked(int argc, char **argv);
/* A decimal unsigned integer (digits only, in range); 0 or -1. */
int zr_cli_parse_u64(const char *s, uint64_t *out);

/* flag if set, else the environment variable env if set and non-empty, else def. */
const char *zr_cli_opt(const char *flag, const char *env, const char *def);

/* Reads a password: the first line of `file` when given (or of $ZARA_PASSWORD_FILE), else
 * from the terminal without echo (asking twice when confirm). Errors when no terminal is
 * available. The caller wipes out with zr_wipe. */
int zr_cli_read_password(const char *file, const char *prompt, int confirm, char *out, size_t out_cap);

/* Prints j (compact when not a terminal, indented otherwise) and a newline to stdout, then
 * drops the reference. */
void zr_cli_print_json(json_t *j);

/* Reads an argument that may be "-" (stdin), "@path" (a file) or a literal string into
 * out, bounded by max. */
int zr_cli_read_arg(const char *arg, size_t max, zr_buf_t *out);


/* ---- commands that talk to the contracts ------------------------------------------------ */
#include "zara/chain.h"

typedef struct zr_cli_chain_opts {
    const char *rpc;           /* --rpc, ZARA_RPC, the devnet's, http://127.0.0.1:8545 */
    const char *deployment;    /* --deployment, ZARA_DEPLOYMENT, the devnet's */
    const char *keystore;      /* --keystore FILE|DIR, ZARA_KEYSTORE */
    const char *bls_keystore;  /* --bls-keystore FILE, ZARA_BLS_KEYSTORE */
    const char *password_file; /* --password-file, ZARA_PASSWORD_FILE */
    int json;                  /* --json */
    char rpc_buf[512], deployment_buf[1024]; /* storage for values read from the devnet */
} zr_cli_chain_opts_t;

/* Consumes the common option at argv[*i] (advancing *i past its value): 1 when consumed,
 * 0 when not a common option, ZR_CLI_USAGE (after printing) when its value is missing. */
int zr_cli_chain_opt(zr_cli_chain_opts_t *o, const char *cmd, int argc, char **argv, int *i);
/* Resolves defaults and opens the contracts; with need_key, decrypts the keystore (password
 * from the file or a prompt). Prints one line and returns non-zero on failure. */
int zr_cli_chain_open(zr_cli_chain_opts_t *o, int need_key, zr_chain_t **out);
/* The devnet folder: $ZARA_DEVNET_DIR or ~/.zara/devnet (static buffer). */
const char *zr_cli_devnet_dir(void);
/* Parses an amount of wei: an integer, or with a unit ("1.5ether", "20gwei", "3e18"). */
int zr_cli_parse_amount(const char *text, uint8_t out[32]);
/* Formats wei as ether with up to 18 decimals, trailing zeros trimmed ("1.5"). */
void zr_cli_format_ether(char out[100], const uint8_t wei[32]);
/* "0x" + 40 hex digits (lowercase) */
void zr_cli_addr_hex(char out[43], const uint8_t a[20]);

/* ---- content store for commands ------------------------------------------------------------ */
#include "zara/store.h"

/* The local store folder every command uses: dir_flag (--store-dir, `zara store --dir`), else
 * $ZARA_STORE_DIR, else the running devnet's shared store, else ~/.zara/store. Returns out. */
const char *zr_cli_store_dir(const char *dir_flag, char *out, size_t cap);
/* Opens the content store the commands use (zr_cli_store_dir); ZARA_IPFS_API and
 * ZARA_IPFS_GATEWAY add the remote back ends. Prints one line and returns non-zero on
 * failure. */
int zr_cli_store_open(const char *dir_flag, zr_store_t **out);
/* Stores a file and writes its CID text. */
int zr_cli_store_put(zr_store_t *s, const char *path, char cid[ZR_CID_STR_MAX]);

#endif
