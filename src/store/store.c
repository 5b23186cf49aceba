// SPDX-License-Identifier: MIT
// The store: a local directory of verified blocks (written atomically, re-verified on every
// read) in front of remote back ends tried in order. Blocks fetched from a remote are
// staged and join the local directory only once the whole DAG they belong to verified, so
// nothing unverified — and nothing from a DAG that failed — is ever cached.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_int.h"

#define MAX_BACKENDS 4
#define PATH_CAP 1024

struct zr_store {
    char dir[PATH_CAP];
    uint64_t max_object;
    long timeout_ms;
    zr__backend_t backends[MAX_BACKENDS];
    int n_backends;
    char err[1024];
    /* per get: the staging directory (empty until a remote answered) and what is in it */
    char staging[PATH_CAP + 64];
    zr_cid_t *staged;
    size_t n_staged, cap_staged;
};

static int set_err(zr_store_t *s, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int set_err(zr_store_t *s, int rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->err, sizeof s->err, fmt, ap);
    va_end(ap);
    return rc;
}

const char *zr_store_errmsg(const zr_store_t *s)
{
    return s ? s->err : "";
}

int zr_store_block_path(const zr_store_t *s, const zr_cid_t *cid, char *out, size_t out_cap)
{
    char c[ZR_CID_STR_MAX];
    zr_cid_t v1; /* a block has one file whatever the CID version that named it */
    zr_cid_to_v1(&v1, cid);
    size_t n = strlen(zr_cid_format(c, &v1));
    /* shard on the next-to-last two characters, as go-ipfs's flatfs does */
    int w = snprintf(out, out_cap, "%s/blocks/%.2s/%s", s->dir, c + n - 3, c);
    return w < 0 || (size_t)w >= out_cap ? ZR_ETOOBIG : 0;
}

int zr_store_open(zr_store_t **out, const zr_store_config_t *cfg, char *err, size_t err_cap)
{
    int rc = 0;
    char e[256] = "";
    zr_store_t *s = calloc(1, sizeof *s);
    *out = NULL;
    if (!s)
        return ZR_ENOMEM;
    if (!cfg->dir || !cfg->dir[0] || strlen(cfg->dir) > PATH_CAP - 200) {
        snprintf(e, sizeof e, "a store directory is required (at most %d characters)", PATH_CAP - 200);
        rc = ZR_EINVAL;
        goto fail;
    }
    snprintf(s->dir, sizeof s->dir, "%s", cfg->dir);
    s->max_object = cfg->max_object ? cfg->max_object : ZR_STORE_DEFAULT_MAX;
    s->timeout_ms = cfg->timeout_ms > 0 ? cfg->timeout_ms : 30000;
    char p[PATH_CAP + 16];
    snprintf(p, sizeof p, "%s/blocks", s->dir);
    if ((rc = zr_mkdirs(p, 0755)) != 0) {
        snprintf(e, sizeof e, "cannot create the store directory %.150s: %s", p, strerror(errno));
        goto fail;
    }
    if (cfg->ipfs_api && cfg->ipfs_api[0]) {
        if ((rc = zr__backend_ipfs_api_init(&s->backends[s->n_backends++], cfg->ipfs_api, s->timeout_ms)) != 0) {
            snprintf(e, sizeof e, "bad IPFS API URL %.200s (expected http://host:port)", cfg->ipfs_api);
            goto fail;
        }
    }
    if (cfg->gateway && cfg->gateway[0]) {
        if ((rc = zr__backend_gateway_init(&s->backends[s->n_backends++], cfg->gateway, s->timeout_ms)) != 0) {
            snprintf(e, sizeof e, "bad gateway URL %.200s (expected http://host:port)", cfg->gateway);
            goto fail;
        }
    }
    *out = s;
    return 0;
fail:
    if (err && err_cap)
        snprintf(err, err_cap, "%s", e);
    free(s);
    return rc;
}

static void unstage(zr_store_t *s);

void zr_store_free(zr_store_t *s)
{
    if (!s)
        return;
    unstage(s);
    free(s->staged);
    free(s);
}

/* Writes a block under path: a temporary name in the same directory, then rename, so a
 * reader never sees a partial block. fsync only when durable; puts instead flush the whole
 * file system once at the end (sync_store), and the verifying read catches anything a crash
 * could leave behind. */
static int write_block(const char *path, const uint8_t *data, size_t len, int durable)
{
    char dir[PATH_CAP];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = 0;
    int rc = zr_mkdirs(dir, 0755);
    if (rc)
        return rc;
    if (durable)
        return zr_file_write_atomic(path, data, len, 0644);
    char tmp[PATH_CAP + 32];
    uint8_t r[6];
    char rh[13];
    if (zr_random_bytes(r, sizeof r) != 0)
        return ZR_ERANDOM;
    zr_hex_encode(rh, r, sizeof r);
    snprintf(tmp, sizeof tmp, "%s.tmp-%s", path, rh);
    FILE *f = fopen(tmp, "wbx");
    if (!f)
        return ZR_EIO;
    int ok = fwrite(data, 1, len, f) == len;
    ok &= fclose(f) == 0;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return ZR_EIO;
    }
    return 0;
}

/* One syncfs for all the blocks of a put instead of an fsync per block. */
static int sync_store(zr_store_t *s)
{
    int fd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return set_err(s, ZR_EIO, "cannot open %.300s: %s", s->dir, strerror(errno));
    int rc = syncfs(fd) == 0 ? 0 : set_err(s, ZR_EIO, "cannot sync %.300s: %s", s->dir, strerror(errno));
    close(fd);
    return rc;
}

typedef struct put_ctx {
    zr_store_t *s;
    int durable;
} put_ctx_t;

static int put_sink(void *ud, const zr_cid_t *cid, const uint8_t *block, size_t len)
{
    put_ctx_t *pc = ud;
    char path[PATH_CAP];
    int rc = zr_store_block_path(pc->s, cid, path, sizeof path);
    if (rc)
        return rc;
    if (access(path, F_OK) == 0) {
        /* content-addressed: an intact copy is this very block; a damaged one is replaced */
        zr_buf_t old;
        zr_buf_init(&old, ZR_STORE_MAX_BLOCK);
        int intact = zr_file_read(path, old.max, &old) == 0 && old.len == len &&
                     (len == 0 || memcmp(old.data, block, len) == 0);
        zr_buf_cleanup(&old);
        if (intact)
            return 0;
    }
    if ((rc = write_block(path, block, len, pc->durable)) != 0)
        return set_err(pc->s, rc, "cannot write block %s: %s", path, strerror(errno));
    return 0;
}

int zr_store_put_file(zr_store_t *s, const char *path, int publish, zr_cid_t *cid, uint64_t *size)
{
    s->err[0] = 0;
    put_ctx_t pc = {.s = s, .durable = 0};
    int rc = zr_import_file(path, s->max_object, put_sink, &pc, cid, size);
    if (rc == 0)
        rc = sync_store(s);
    if (rc) {
        if (s->err[0])
            return rc;
        if (rc == ZR_EOBJTOOBIG)
            return set_err(s, rc, "%s is larger than the store's size cap of %llu bytes", path,
                           (unsigned long long)s->max_object);
        return set_err(s, rc, "cannot import %s: %s", path, zr_strerror(rc));
    }
    if (!publish)
        return 0;
    for (int i = 0; i < s->n_backends; i++) {
        zr__backend_t *b = &s->backends[i];
        if (!b->put_file)
            continue;
        zr_cid_t remote;
        char e[512] = "";
        if ((rc = b->put_file(b, path, &remote, e, sizeof e)) != 0)
            return set_err(s, rc, "%s", e);
        if (!zr_cid_equal(&remote, cid)) {
            char a[ZR_CID_STR_MAX], c[ZR_CID_STR_MAX];
            return set_err(s, ZR_EGATEWAY, "the IPFS node computed %s for %s, we computed %s",
                           zr_cid_format(a, &remote), path, zr_cid_format(c, cid));
        }
    }
    return 0;
}

int zr_store_put_buf(zr_store_t *s, const void *data, size_t len, zr_cid_t *cid)
{
    s->err[0] = 0;
    if (len > s->max_object)
        return set_err(s, ZR_EOBJTOOBIG, "%zu bytes exceed the store's size cap of %llu bytes", len,
                       (unsigned long long)s->max_object);
    put_ctx_t pc = {.s = s, .durable = 0};
    int rc = zr_import_buf(data, len, put_sink, &pc, cid);
    if (rc == 0)
        rc = sync_store(s);
    if (rc && !s->err[0])
        set_err(s, rc, "cannot store %zu bytes: %s", len, zr_strerror(rc));
    return rc;
}

int zr_store_has_block(zr_store_t *s, const zr_cid_t *cid)
{
    char path[PATH_CAP];
    return zr_store_block_path(s, cid, path, sizeof path) == 0 && access(path, F_OK) == 0;
}

/* ---- fetching -------------------------------------------------------------------------- */

static void staged_path(const zr_store_t *s, const zr_cid_t *cid, char *out, size_t cap)
{
    char c[ZR_CID_STR_MAX];
    snprintf(out, cap, "%s/%s", s->staging, zr_cid_format(c, cid));
}

/* Drops everything staged by the current get. */
static void unstage(zr_store_t *s)
{
    if (!s->staging[0])
        return;
    char p[PATH_CAP + 80];
    for (size_t i = 0; i < s->n_staged; i++) {
        staged_path(s, &s->staged[i], p, sizeof p);
        unlink(p);
    }
    rmdir(s->staging);
    s->staging[0] = 0;
    s->n_staged = 0;
}

/* Moves the staged blocks of a DAG that verified completely into the local directory. */
static int commit_staged(zr_store_t *s)
{
    int rc = 0;
    char from[PATH_CAP + 80], to[PATH_CAP];
    for (size_t i = 0; i < s->n_staged; i++) {
        staged_path(s, &s->staged[i], from, sizeof from);
        if (zr_store_block_path(s, &s->staged[i], to, sizeof to) != 0)
            continue;
        char dir[PATH_CAP];
        snprintf(dir, sizeof dir, "%s", to);
        *strrchr(dir, '/') = 0;
        if (zr_mkdirs(dir, 0755) != 0 || rename(from, to) != 0)
            rc = ZR_EIO;
    }
    unstage(s);
    return rc;
}

static int stage(zr_store_t *s, const zr_cid_t *cid, const uint8_t *data, size_t len)
{
    if (!s->staging[0]) {
        uint8_t r[8];
        char rh[17], p[PATH_CAP + 16];
        if (zr_random_bytes(r, sizeof r) != 0)
            return ZR_ERANDOM;
        zr_hex_encode(rh, r, sizeof r);
        snprintf(p, sizeof p, "%s/staging", s->dir);
        if (zr_mkdirs(p, 0755) != 0)
            return ZR_EIO;
        snprintf(s->staging, sizeof s->staging, "%s/staging/%s", s->dir, rh);
        if (mkdir(s->staging, 0755) != 0) {
            s->staging[0] = 0;
            return ZR_EIO;
        }
    }
    if (s->n_staged == s->cap_staged) {
        size_t nc = s->cap_staged ? s->cap_staged * 2 : 64;
        zr_cid_t *n = realloc(s->staged, nc * sizeof *n);
        if (!n)
            return ZR_ENOMEM;
        s->staged = n;
        s->cap_staged = nc;
    }
    char p[PATH_CAP + 80];
    staged_path(s, cid, p, sizeof p);
    if (access(p, F_OK) == 0)
        return 0; /* a block that occurs twice in one DAG */
    int rc = write_block(p, data, len, 0);
    if (rc == 0)
        s->staged[s->n_staged++] = *cid;
    return rc;
}

/* Reads a block file, bounded; 1 when it exists and verifies, 0 when absent, negative on
 * a mismatch (the file is removed: a corrupt cache entry must not shadow the remotes). */
static int read_verified(const char *path, const zr_cid_t *cid, zr_buf_t *out)
{
    zr_buf_reset(out);
    int rc = zr_file_read(path, ZR_STORE_MAX_BLOCK, out);
    if (rc == ZR_ENOENT)
        return 0;
    if (rc == 0 && zr_cid_verify(cid, out->data, out->len) == 0)
        return 1;
    unlink(path);
    zr_buf_reset(out);
    return rc ? rc : ZR_EHASHMISMATCH;
}

static void append_msg(char *msg, size_t cap, const char *part)
{
    size_t n = strlen(msg);
    if (n < cap)
        snprintf(msg + n, cap - n, "%s%s", n ? "; " : "", part);
}

static int store_get_block(void *ud, const zr_cid_t *cid, zr_buf_t *out)
{
    zr_store_t *s = ud;
    char path[PATH_CAP + 80], c[ZR_CID_STR_MAX], part[768];
    char msg[sizeof s->err] = "";
    int mismatch = 0, timeout = 0, broken = 0;
    zr_cid_format(c, cid);
    if (zr_store_block_path(s, cid, path, sizeof path) != 0)
        return ZR_EINVAL;
    int r = read_verified(path, cid, out);
    if (r == 1)
        return 0;
    if (r < 0) {
        mismatch = 1;
        snprintf(part, sizeof part, "local copy of %s was corrupt (%s) and has been removed", c, zr_strerror(r));
        append_msg(msg, sizeof msg, part);
    }
    if (s->staging[0]) { /* the same block may occur twice in one DAG */
        staged_path(s, cid, path, sizeof path);
        if (read_verified(path, cid, out) == 1)
            return 0;
    }
    for (int i = 0; i < s->n_backends; i++) {
        zr__backend_t *b = &s->backends[i];
        char e[512] = "";
        zr_buf_reset(out);
        int rc = b->get(b, cid, out, e, sizeof e);
        if (rc == 0 && zr_cid_verify(cid, out->data, out->len) != 0) {
            snprintf(e, sizeof e, "%s %.200s answered %zu bytes for %s that do not hash to it%s", b->kind, b->base,
                     out->len, c, b->put_file ? "" : " (is it a trustless gateway with ?format=raw?)");
            rc = ZR_EHASHMISMATCH;
        }
        if (rc == 0) {
            if ((rc = stage(s, cid, out->data, out->len)) != 0) {
                snprintf(s->err, sizeof s->err, "cannot stage block %s under %.300s: %s", c, s->dir, zr_strerror(rc));
                return rc;
            }
            return 0;
        }
        mismatch |= rc == ZR_EHASHMISMATCH;
        timeout |= rc == ZR_ETIMEOUT;
        broken |= rc != ZR_ENOTFOUND && rc != ZR_EHASHMISMATCH && rc != ZR_ETIMEOUT;
        if (rc == ZR_ETOOBIG)
            snprintf(e, sizeof e, "%s %.200s answered more than %u bytes for block %s", b->kind, b->base,
                     ZR_STORE_MAX_BLOCK, c);
        append_msg(msg, sizeof msg, e[0] ? e : zr_strerror(rc));
    }
    zr_buf_reset(out);
    if (!msg[0])
        snprintf(msg, sizeof msg, "block %s is not in the local store and no IPFS API or gateway is configured", c);
    snprintf(s->err, sizeof s->err, "%s", msg);
    return mismatch ? ZR_EHASHMISMATCH : timeout ? ZR_ETIMEOUT : broken ? ZR_EGATEWAY : ZR_ENOTFOUND;
}

/* ---- whole files in one request (cat) ----------------------------------------------------
 * A node answers a file far faster in one request than block by block. Its bytes are not
 * trusted: they are re-imported into staging, and kept only when that gives the very CID
 * asked for (which holds for files added with the layout of ipfs add --cid-version=1);
 * otherwise everything staged is dropped and the block walk takes over. */

typedef struct cat_ctx {
    zr_store_t *s;
    zr_importer_t *im;
    uint64_t total;
} cat_ctx_t;

static int cat_stage(void *ud, const zr_cid_t *cid, const uint8_t *block, size_t len)
{
    cat_ctx_t *cc = ud;
    return stage(cc->s, cid, block, len);
}

static int cat_write(void *ud, const uint8_t *p, size_t n)
{
    cat_ctx_t *cc = ud;
    if (n > cc->s->max_object || cc->total > cc->s->max_object - n)
        return ZR_EOBJTOOBIG;
    cc->total += n;
    return zr_importer_update(cc->im, p, n);
}

static void try_cat(zr_store_t *s, const zr_cid_t *cid)
{
    char c[ZR_CID_STR_MAX];
    if (cid->v0 || cid->codec != ZR_CID_DAGPB || zr_store_has_block(s, cid))
        return; /* one block, or a layout we do not build, or already here */
    zr_cid_format(c, cid);
    for (int i = 0; i < s->n_backends; i++) {
        zr__backend_t *b = &s->backends[i];
        if (!b->cat)
            continue;
        char e[512] = "";
        cat_ctx_t cc = {.s = s, .im = zr_importer_new(cat_stage, &cc)};
        if (!cc.im)
            return;
        int rc = b->cat(b, cid, cat_write, &cc, e, sizeof e);
        zr_cid_t root;
        if (rc == 0 && (rc = zr_importer_final(cc.im, &root, NULL)) == 0 && !zr_cid_equal(&root, cid)) {
            snprintf(e, sizeof e, "the %llu bytes re-import as another CID", (unsigned long long)cc.total);
            rc = ZR_EHASHMISMATCH;
        }
        zr_importer_free(cc.im);
        if (rc == 0) {
            ZR_DEBUG("store.fetch", "cid=%s via=cat backend=%s bytes=%llu", c, b->kind, (unsigned long long)cc.total);
            return;
        }
        char q[600];
        ZR_DEBUG("store.fetch", "cid=%s via=cat backend=%s refused=%s msg=%s", c, b->kind, zr_err_name(rc),
                 zr_log_quote(q, sizeof q, e));
        unstage(s);
    }
}

int zr_store_get(zr_store_t *s, const zr_cid_t *cid, zr_write_fn write, void *ud, uint64_t *size)
{
    s->err[0] = 0;
    unstage(s);
    try_cat(s, cid);
    int rc = zr_dag_read(cid, s->max_object, store_get_block, s, write, ud, size, s->err, sizeof s->err);
    if (rc) {
        unstage(s);
        return rc;
    }
    if (commit_staged(s) != 0)
        ZR_WARN("store.cache", "dir=%s msg=\"could not cache every fetched block\"", s->dir);
    return 0;
}

static int write_fd(void *ud, const uint8_t *p, size_t n)
{
    FILE *f = ud;
    return fwrite(p, 1, n, f) == n ? 0 : ZR_EIO;
}

int zr_store_get_file(zr_store_t *s, const zr_cid_t *cid, const char *path, uint64_t *size)
{
    char tmp[PATH_CAP + 40];
    uint8_t r[6];
    char rh[13];
    if (zr_random_bytes(r, sizeof r) != 0)
        return set_err(s, ZR_ERANDOM, "the system random generator failed");
    zr_hex_encode(rh, r, sizeof r);
    snprintf(tmp, sizeof tmp, "%s.tmp-%s", path, rh);
    FILE *f = fopen(tmp, "wbx");
    if (!f)
        return set_err(s, ZR_EIO, "cannot create %s: %s", tmp, strerror(errno));
    int rc = zr_store_get(s, cid, write_fd, f, size);
    if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
        if (rc == 0)
            rc = set_err(s, ZR_EIO, "cannot write %s: %s", tmp, strerror(errno));
    }
    if (fclose(f) != 0 && rc == 0)
        rc = set_err(s, ZR_EIO, "cannot write %s: %s", tmp, strerror(errno));
    if (rc == 0 && rename(tmp, path) != 0)
        rc = set_err(s, ZR_EIO, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
    if (rc)
        unlink(tmp);
    return rc;
}

static int write_buf(void *ud, const uint8_t *p, size_t n)
{
    return zr_buf_append(ud, p, n);
}

int zr_store_get_buf(zr_store_t *s, const zr_cid_t *cid, zr_buf_t *out)
{
    return zr_store_get(s, cid, write_buf, out, NULL);
}
