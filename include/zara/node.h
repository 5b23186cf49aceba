/* SPDX-License-Identifier: MIT
 * The operator node (`zara node`): configuration, persistent state in SQLite, and the
 * daemon that runs every role (watcher, evaluator, attester, performer, aggregator, HTTP).
 * See DESIGN.md §7 and docs/ARCHITECTURE.md. */
#ifndef ZARA_NODE_H
#define ZARA_NODE_H

#include <stddef.h>
#include <stdint.h>

#include "zara/common.h"

/* ---- configuration --------------------------------------------------------------------
 * Keys are the same in the config file (`key = value`, '#' comments), on the command line
 * (`--key value` or `--key=value`) and in the environment (ZARA_<KEY>, upper case, with
 * '-' as '_'). Precedence: command line, then environment, then file, then defaults. */
typedef struct zr_node_config {
    char rpc[512];            /* Ethereum JSON-RPC URL */
    char deployment[1024];    /* deployments/<chainId>.json written by the deploy script */
    char keystore[1024];      /* ECDSA V3 keystore file of the operator */
    char bls_keystore[1024];  /* BLS keystore file of the operator */
    char password_file[1024]; /* password of both keystores */
    char db[1024];            /* SQLite state file */
    char listen[128];         /* host:port of the HTTP server ("127.0.0.1:0" = any port) */
    char public_url[512];     /* URL other operators reach this node at */
    char store_dir[1024];     /* local content store */
    char ipfs_api[512];       /* optional IPFS RPC API */
    char ipfs_gateway[512];   /* optional trustless gateway */
    char web_dir[1024];       /* dashboard files served at / when set */
    char node_name[64];
    char log_level[16];
    int aggregator;           /* also run the aggregator role */
    int confirmations;        /* blocks a log must have before it is acted on */
    int log_range;            /* max blocks per eth_getLogs request */
    int poll_ms;              /* chain polling interval */
    int eval_threads;         /* evaluator pool size */
    int eval_timeout_s;       /* wall-clock limit of one evaluation */
    long eval_budget;         /* script instruction budget */
    long eval_memory_mb;      /* script memory cap */
    long max_body;            /* HTTP request body limit, bytes */
    double rate_limit;        /* HTTP requests per second per client */
} zr_node_config_t;

/* Fills the defaults. */
void zr_node_config_init(zr_node_config_t *c);
/* Sets one key from text; ZR_EINVAL with a message in err for an unknown key or a bad
 * value. */
int zr_node_config_set(zr_node_config_t *c, const char *key, const char *value, char *err, size_t err_cap);
/* Applies a config file (ZR_ENOENT if missing; ZR_EPARSE with "file:line: why" in err). */
int zr_node_config_load_file(zr_node_config_t *c, const char *path, char *err, size_t err_cap);
/* Applies every ZARA_<KEY> variable that is set. */
int zr_node_config_load_env(zr_node_config_t *c, char *err, size_t err_cap);
/* Applies --key value / --key=value pairs from argv[first..argc). Unknown options are an
 * error; `--config FILE` is skipped here (the caller loads it first). */
int zr_node_config_load_args(zr_node_config_t *c, int argc, char **argv, int first, char *err, size_t err_cap);
/* Writes the effective configuration as key = value lines (no secrets: the password
 * file's path is shown, never its contents). */
int zr_node_config_dump(const zr_node_config_t *c, zr_buf_t *out);

/* ---- the daemon -----------------------------------------------------------------------
 * zr_node_new loads the deployment and both keystores (the password is read from
 * password_file), opens the state database and the content store, connects to the chain
 * and starts the HTTP server; zr_node_run then follows the chain until zr_node_stop. */
typedef struct zr_node zr_node_t;

int zr_node_new(zr_node_t **out, const zr_node_config_t *cfg, char *err, size_t err_cap);
/* Runs the roles until zr_node_stop is called (from a signal handler or another thread).
 * Returns 0 after a clean stop. */
int zr_node_run(zr_node_t *n);
/* Asks zr_node_run to return; async-signal-safe. */
void zr_node_stop(zr_node_t *n);
/* The port the HTTP server listens on. */
int zr_node_http_port(const zr_node_t *n);
/* The operator's address (20 bytes). */
const uint8_t *zr_node_operator(const zr_node_t *n);
void zr_node_free(zr_node_t *n);

#endif
