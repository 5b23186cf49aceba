// SPDX-License-Identifier: MIT
// Node configuration: one table of keys shared by the config file, the ZARA_* environment
// and the command line, with typed parsing and messages that name the key and the problem.
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zara/node.h"

typedef enum { K_STR, K_INT, K_LONG, K_BOOL, K_DOUBLE } kind_t;

typedef struct {
    const char *key;
    kind_t kind;
    size_t off;
    size_t size; /* for strings */
    long min, max;
} key_t_;

#define S(k) {#k, K_STR, offsetof(zr_node_config_t, k), sizeof(((zr_node_config_t *)0)->k), 0, 0}
#define I(k, lo, hi) {#k, K_INT, offsetof(zr_node_config_t, k), 0, lo, hi}
#define L(k, lo, hi) {#k, K_LONG, offsetof(zr_node_config_t, k), 0, lo, hi}
#define B(k) {#k, K_BOOL, offsetof(zr_node_config_t, k), 0, 0, 1}
#define D(k, lo, hi) {#k, K_DOUBLE, offsetof(zr_node_config_t, k), 0, lo, hi}

static const key_t_ keys[] = {
    S(rpc), S(deployment), S(keystore), S(bls_keystore), S(password_file), S(db), S(listen),
    S(public_url), S(store_dir), S(ipfs_api), S(ipfs_gateway), S(web_dir), S(node_name), S(log_level),
    B(aggregator), I(confirmations, 0, 1000), I(log_range, 1, 1000000), I(poll_ms, 10, 600000),
    I(eval_threads, 1, 256), I(eval_timeout_s, 1, 86400), L(eval_budget, 1000, 1000000000000L),
    L(eval_memory_mb, 1, 65536), L(max_body, 1024, 1L << 30), D(rate_limit, 0, 1000000),
};

void zr_node_config_init(zr_node_config_t *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->rpc, sizeof c->rpc, "http://127.0.0.1:8545");
    snprintf(c->db, sizeof c->db, "zara-node.sqlite");
    snprintf(c->listen, sizeof c->listen, "127.0.0.1:0");
    snprintf(c->node_name, sizeof c->node_name, "zara-node");
    snprintf(c->log_level, sizeof c->log_level, "info");
    c->confirmations = 1;
    c->log_range = 2000;
    c->poll_ms = 500;
    c->eval_threads = 1;
    c->eval_timeout_s = 120;
    c->eval_budget = 2000000000L;
    c->eval_memory_mb = 512;
    c->max_body = 1L << 20;
    c->rate_limit = 50;
}

static const key_t_ *find_key(const char *key, size_t len)
{
    for (size_t i = 0; i < ZR_ARRAY_LEN(keys); i++)
        if (strlen(keys[i].key) == len && strncmp(keys[i].key, key, len) == 0)
            return &keys[i];
    return NULL;
}

static int set_key(zr_node_config_t *c, const key_t_ *k, const char *v, char *err, size_t cap)
{
    char *base = (char *)c + k->off;
    char *end = NULL;
    errno = 0;
    switch (k->kind) {
    case K_STR:
        if (strlen(v) >= k->size) {
            snprintf(err, cap, "%s: value longer than %zu characters", k->key, k->size - 1);
            return ZR_EINVAL;
        }
        memcpy(base, v, strlen(v) + 1);
        return 0;
    case K_INT:
    case K_LONG: {
        long long x = strtoll(v, &end, 10);
        if (errno || end == v || *end || x < k->min || x > k->max) {
            snprintf(err, cap, "%s: expected an integer in [%ld, %ld], got '%.60s'", k->key, k->min, k->max, v);
            return ZR_EINVAL;
        }
        if (k->kind == K_INT)
            *(int *)base = (int)x;
        else
            *(long *)base = (long)x;
        return 0;
    }
    case K_BOOL:
        if (!strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "on")) {
            *(int *)base = 1;
        } else if (!strcmp(v, "0") || !strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "off")) {
            *(int *)base = 0;
        } else {
            snprintf(err, cap, "%s: expected true or false, got '%.60s'", k->key, v);
            return ZR_EINVAL;
        }
        return 0;
    case K_DOUBLE: {
        double x = strtod(v, &end);
        if (errno || end == v || *end || !(x >= (double)k->min && x <= (double)k->max)) {
            snprintf(err, cap, "%s: expected a number in [%ld, %ld], got '%.60s'", k->key, k->min, k->max, v);
            return ZR_EINVAL;
        }
        *(double *)base = x;
        return 0;
    }
    }
    return ZR_EINVAL;
}

int zr_node_config_set(zr_node_config_t *c, const char *key, const char *value, char *err, size_t err_cap)
{
    char norm[64];
    size_t n = strlen(key);
    if (n >= sizeof norm) {
        snprintf(err, err_cap, "unknown configuration key '%.60s'", key);
        return ZR_EINVAL;
    }
    for (size_t i = 0; i <= n; i++)
        norm[i] = key[i] == '-' ? '_' : key[i];
    const key_t_ *k = find_key(norm, n);
    if (!k) {
        snprintf(err, err_cap, "unknown configuration key '%s'", key);
        return ZR_EINVAL;
    }
    return set_key(c, k, value, err, err_cap);
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = 0;
    return s;
}

int zr_node_config_load_file(zr_node_config_t *c, const char *path, char *err, size_t err_cap)
{
    zr_buf_t b;
    zr_buf_init(&b, 1u << 20);
    int rc = zr_file_read(path, b.max, &b);
    if (rc) {
        snprintf(err, err_cap, "%s: %s", path, zr_strerror(rc));
        goto fail;
    }
    char *save = NULL;
    int lineno = 0;
    char *text = (char *)b.data ? (char *)b.data : "";
    for (char *line = text; line; line = save) {
        save = strchr(line, '\n');
        if (save)
            *save++ = 0;
        lineno++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = 0;
        char *s = trim(line);
        if (!*s)
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            snprintf(err, err_cap, "%s:%d: expected key = value", path, lineno);
            rc = ZR_EPARSE;
            goto fail;
        }
        *eq = 0;
        char *key = trim(s), *val = trim(eq + 1);
        size_t vl = strlen(val);
        if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"') {
            val[vl - 1] = 0;
            val++;
        }
        char why[300];
        if ((rc = zr_node_config_set(c, key, val, why, sizeof why)) != 0) {
            snprintf(err, err_cap, "%s:%d: %s", path, lineno, why);
            rc = ZR_EPARSE;
            goto fail;
        }
    }
fail:
    zr_buf_cleanup(&b);
    return rc;
}

int zr_node_config_load_env(zr_node_config_t *c, char *err, size_t err_cap)
{
    for (size_t i = 0; i < ZR_ARRAY_LEN(keys); i++) {
        char name[80] = "ZARA_";
        size_t o = 5;
        for (const char *p = keys[i].key; *p && o < sizeof name - 1; p++)
            name[o++] = (char)toupper((unsigned char)*p);
        name[o] = 0;
        const char *v = getenv(name);
        if (!v || !*v)
            continue;
        char why[300];
        int rc = set_key(c, &keys[i], v, why, sizeof why);
        if (rc) {
            snprintf(err, err_cap, "%s: %s", name, why);
            return rc;
        }
    }
    return 0;
}

int zr_node_config_load_args(zr_node_config_t *c, int argc, char **argv, int first, char *err, size_t err_cap)
{
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--", 2) != 0) {
            snprintf(err, err_cap, "unexpected argument '%s'", a);
            return ZR_EINVAL;
        }
        a += 2;
        const char *eq = strchr(a, '=');
        char key[64];
        const char *val;
        size_t kl = eq ? (size_t)(eq - a) : strlen(a);
        if (kl >= sizeof key) {
            snprintf(err, err_cap, "unknown option --%.60s", a);
            return ZR_EINVAL;
        }
        memcpy(key, a, kl);
        key[kl] = 0;
        if (eq) {
            val = eq + 1;
        } else {
            char norm[64];
            for (size_t j = 0; j <= kl; j++)
                norm[j] = key[j] == '-' ? '_' : key[j];
            const key_t_ *k = find_key(norm, kl);
            if (!k && strcmp(key, "config") != 0) {
                snprintf(err, err_cap, "unknown option --%s", key);
                return ZR_EINVAL;
            }
            if (k && k->kind == K_BOOL && (i + 1 >= argc || strncmp(argv[i + 1], "--", 2) == 0)) {
                val = "true";
            } else if (i + 1 < argc) {
                val = argv[++i];
            } else {
                snprintf(err, err_cap, "option --%s needs a value", key);
                return ZR_EINVAL;
            }
        }
        if (strcmp(key, "config") == 0)
            continue;
        char why[300];
        int rc = zr_node_config_set(c, key, val, why, sizeof why);
        if (rc) {
            snprintf(err, err_cap, "--%s", why);
            return rc;
        }
    }
    return 0;
}

int zr_node_config_dump(const zr_node_config_t *c, zr_buf_t *out)
{
    for (size_t i = 0; i < ZR_ARRAY_LEN(keys); i++) {
        const char *base = (const char *)c + keys[i].off;
        switch (keys[i].kind) {
        case K_STR:
            zr_buf_printf(out, "%s = %s\n", keys[i].key, base);
            break;
        case K_INT:
        case K_BOOL:
            zr_buf_printf(out, "%s = %d\n", keys[i].key, *(const int *)base);
            break;
        case K_LONG:
            zr_buf_printf(out, "%s = %ld\n", keys[i].key, *(const long *)base);
            break;
        case K_DOUBLE:
            zr_buf_printf(out, "%s = %g\n", keys[i].key, *(const double *)base);
            break;
        }
    }
    return out->len >= out->max ? ZR_ETOOBIG : 0;
}
