// SPDX-License-Identifier: MIT
// The node's SQLite state: schema migrations, the chain cursor, submissions, own results
// (one per round, never re-signed differently), received attestations, a delivery outbox
// with back-off, and transactions in flight keyed by purpose.
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zara/nodedb.h"

struct zr_nodedb {
    sqlite3 *db;
};

static const char *const migrations[] = {
    /* 1 */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE submissions(id INTEGER PRIMARY KEY, task_id INTEGER NOT NULL, reveal_block INTEGER NOT NULL,"
    " seed_block INTEGER NOT NULL, submitter TEXT NOT NULL, params_cid TEXT NOT NULL,"
    " state INTEGER NOT NULL DEFAULT 0, evaluated_incumbent INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX submissions_state ON submissions(state, id);"
    "CREATE TABLE results(submission_id INTEGER NOT NULL, incumbent_id INTEGER NOT NULL, seed BLOB NOT NULL,"
    " result TEXT NOT NULL, signatures TEXT NOT NULL, created_at INTEGER NOT NULL DEFAULT (unixepoch()),"
    " PRIMARY KEY(submission_id, incumbent_id, seed));"
    "CREATE TABLE attestations(digest BLOB NOT NULL, submission_id INTEGER NOT NULL, operator TEXT NOT NULL,"
    " kind TEXT NOT NULL, payload TEXT NOT NULL, received_at INTEGER NOT NULL DEFAULT (unixepoch()),"
    " PRIMARY KEY(digest, kind, operator));"
    "CREATE INDEX attestations_sub ON attestations(submission_id);"
    "CREATE TABLE outbox(id INTEGER PRIMARY KEY AUTOINCREMENT, url TEXT NOT NULL, body TEXT NOT NULL,"
    " attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL DEFAULT 0, done INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX outbox_due ON outbox(done, next_at);"
    "CREATE TABLE txs(purpose TEXT PRIMARY KEY, hash TEXT NOT NULL, created_at INTEGER NOT NULL DEFAULT (unixepoch()));",
};

static int sql_err(zr_nodedb_t *db, int rc)
{
    (void)db;
    return rc == SQLITE_CONSTRAINT ? ZR_EEXISTS : ZR_EDB;
}

zr_nodedb_t *zr_nodedb_open(const char *path, int *err, char *errmsg, size_t errmsg_cap)
{
    zr_nodedb_t *db = calloc(1, sizeof *db);
    if (!db) {
        *err = ZR_ENOMEM;
        return NULL;
    }
    int rc = sqlite3_open_v2(path, &db->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL);
    if (rc != SQLITE_OK)
        goto fail;
    sqlite3_busy_timeout(db->db, 5000);
    char *msg = NULL;
    rc = sqlite3_exec(db->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", NULL,
                      NULL, &msg);
    sqlite3_free(msg);
    if (rc != SQLITE_OK)
        goto fail;
    sqlite3_stmt *st;
    int version = 0;
    if (sqlite3_prepare_v2(db->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            version = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    for (int v = version; v < (int)ZR_ARRAY_LEN(migrations); v++) {
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d;", v + 1);
        msg = NULL;
        rc = sqlite3_exec(db->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            rc = sqlite3_exec(db->db, migrations[v], NULL, NULL, &msg);
        if (rc == SQLITE_OK)
            rc = sqlite3_exec(db->db, pragma, NULL, NULL, &msg);
        if (rc == SQLITE_OK)
            rc = sqlite3_exec(db->db, "COMMIT", NULL, NULL, &msg);
        if (rc != SQLITE_OK) {
            snprintf(errmsg, errmsg_cap, "migration %d: %s", v + 1, msg ? msg : sqlite3_errmsg(db->db));
            sqlite3_free(msg);
            sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
            *err = ZR_EDB;
            sqlite3_close(db->db);
            free(db);
            return NULL;
        }
    }
    *err = 0;
    return db;
fail:
    snprintf(errmsg, errmsg_cap, "%s: %s", path, db->db ? sqlite3_errmsg(db->db) : "cannot open");
    sqlite3_close(db->db);
    free(db);
    *err = ZR_EDB;
    return NULL;
}

void zr_nodedb_close(zr_nodedb_t *db)
{
    if (!db)
        return;
    sqlite3_close(db->db);
    free(db);
}

const char *zr_nodedb_errmsg(zr_nodedb_t *db)
{
    return sqlite3_errmsg(db->db);
}

int zr_nodedb_begin(zr_nodedb_t *db)
{
    return sqlite3_exec(db->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK ? 0 : ZR_EDB;
}

int zr_nodedb_commit(zr_nodedb_t *db)
{
    return sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? 0 : ZR_EDB;
}

void zr_nodedb_rollback(zr_nodedb_t *db)
{
    sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Prepares sql and binds arguments described by fmt: 'i' int64, 't' text, 'b' 32-byte blob. */
static sqlite3_stmt *prep(zr_nodedb_t *db, const char *sql, const char *fmt, ...)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) != SQLITE_OK)
        return NULL;
    va_list ap;
    va_start(ap, fmt);
    for (int i = 0; fmt[i]; i++) {
        int rc;
        if (fmt[i] == 'i')
            rc = sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
        else if (fmt[i] == 't')
            rc = sqlite3_bind_text(st, i + 1, va_arg(ap, const char *), -1, SQLITE_TRANSIENT);
        else
            rc = sqlite3_bind_blob(st, i + 1, va_arg(ap, const uint8_t *), 32, SQLITE_TRANSIENT);
        if (rc != SQLITE_OK) {
            sqlite3_finalize(st);
            st = NULL;
            break;
        }
    }
    va_end(ap);
    return st;
}

/* Runs a statement that returns no rows. */
static int run(zr_nodedb_t *db, sqlite3_stmt *st)
{
    if (!st)
        return ZR_EDB;
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : sql_err(db, rc);
}

int zr_nodedb_meta_get_u64(zr_nodedb_t *db, const char *key, uint64_t *out)
{
    sqlite3_stmt *st = prep(db, "SELECT value FROM meta WHERE key=?", "t", key);
    if (!st)
        return ZR_EDB;
    int rc = ZR_ENOENT;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *out = strtoull((const char *)sqlite3_column_text(st, 0), NULL, 10);
        rc = 0;
    }
    sqlite3_finalize(st);
    return rc;
}

int zr_nodedb_meta_set_u64(zr_nodedb_t *db, const char *key, uint64_t v)
{
    char s[32];
    snprintf(s, sizeof s, "%llu", (unsigned long long)v);
    return run(db, prep(db, "INSERT INTO meta(key,value) VALUES(?,?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                        "tt", key, s));
}

int zr_nodedb_sub_put(zr_nodedb_t *db, const zr_sub_row_t *s)
{
    return run(db, prep(db,
                        "INSERT INTO submissions(id,task_id,reveal_block,seed_block,submitter,params_cid,state)"
                        " VALUES(?,?,?,?,?,?,?) ON CONFLICT(id) DO NOTHING",
                        "iiiitti", (int64_t)s->submission_id, (int64_t)s->task_id, (int64_t)s->reveal_block,
                        (int64_t)s->seed_block, s->submitter, s->params_cid, (int64_t)s->state));
}

static void row_to_sub(sqlite3_stmt *st, zr_sub_row_t *o)
{
    memset(o, 0, sizeof *o);
    o->submission_id = (uint64_t)sqlite3_column_int64(st, 0);
    o->task_id = (uint64_t)sqlite3_column_int64(st, 1);
    o->reveal_block = (uint64_t)sqlite3_column_int64(st, 2);
    o->seed_block = (uint64_t)sqlite3_column_int64(st, 3);
    snprintf(o->submitter, sizeof o->submitter, "%s", (const char *)sqlite3_column_text(st, 4));
    snprintf(o->params_cid, sizeof o->params_cid, "%s", (const char *)sqlite3_column_text(st, 5));
    o->state = sqlite3_column_int(st, 6);
    o->evaluated_incumbent = (uint64_t)sqlite3_column_int64(st, 7);
}

#define SUB_COLS "id,task_id,reveal_block,seed_block,submitter,params_cid,state,evaluated_incumbent"

int zr_nodedb_sub_get(zr_nodedb_t *db, uint64_t submission_id, zr_sub_row_t *out)
{
    sqlite3_stmt *st = prep(db, "SELECT " SUB_COLS " FROM submissions WHERE id=?", "i", (int64_t)submission_id);
    if (!st)
        return ZR_EDB;
    int rc = ZR_ENOENT;
    if (sqlite3_step(st) == SQLITE_ROW) {
        row_to_sub(st, out);
        rc = 0;
    }
    sqlite3_finalize(st);
    return rc;
}

int zr_nodedb_sub_set_state(zr_nodedb_t *db, uint64_t submission_id, int state, uint64_t incumbent)
{
    return run(db, prep(db, "UPDATE submissions SET state=?, evaluated_incumbent=? WHERE id=?", "iii", (int64_t)state,
                        (int64_t)incumbent, (int64_t)submission_id));
}

int zr_nodedb_sub_list(zr_nodedb_t *db, int state, zr_sub_row_t *out, int max)
{
    sqlite3_stmt *st = prep(db, "SELECT " SUB_COLS " FROM submissions WHERE state=? ORDER BY id LIMIT ?", "ii",
                            (int64_t)state, (int64_t)max);
    if (!st)
        return ZR_EDB;
    int n = 0;
    while (n < max && sqlite3_step(st) == SQLITE_ROW)
        row_to_sub(st, &out[n++]);
    sqlite3_finalize(st);
    return n;
}

int zr_nodedb_result_put(zr_nodedb_t *db, uint64_t submission_id, uint64_t incumbent_id, const uint8_t seed[32],
                         const char *result_json, const char *signatures_json, zr_buf_t *existing)
{
    zr_buf_t sigs;
    zr_buf_init(&sigs, 1 << 20);
    int rc = zr_nodedb_result_get(db, submission_id, incumbent_id, seed, existing, &sigs);
    zr_buf_cleanup(&sigs);
    if (rc == 0)
        return strcmp(zr_buf_cstr(existing), result_json) == 0 ? 0 : ZR_EEXISTS;
    if (rc != ZR_ENOENT)
        return rc;
    return run(db, prep(db, "INSERT INTO results(submission_id,incumbent_id,seed,result,signatures) VALUES(?,?,?,?,?)",
                        "iibtt", (int64_t)submission_id, (int64_t)incumbent_id, seed, result_json, signatures_json));
}

int zr_nodedb_result_get(zr_nodedb_t *db, uint64_t submission_id, uint64_t incumbent_id, const uint8_t seed[32],
                         zr_buf_t *result_json, zr_buf_t *signatures_json)
{
    sqlite3_stmt *st = prep(db, "SELECT result, signatures FROM results WHERE submission_id=? AND incumbent_id=? AND seed=?",
                            "iib", (int64_t)submission_id, (int64_t)incumbent_id, seed);
    if (!st)
        return ZR_EDB;
    int rc = ZR_ENOENT;
    if (sqlite3_step(st) == SQLITE_ROW) {
        rc = 0;
        if (result_json)
            rc = zr_buf_append_str(result_json, (const char *)sqlite3_column_text(st, 0));
        if (rc == 0 && signatures_json)
            rc = zr_buf_append_str(signatures_json, (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    return rc;
}

int zr_nodedb_att_put(zr_nodedb_t *db, const uint8_t digest[32], uint64_t submission_id, const char *operator_addr,
                      const char *kind, const char *payload_json)
{
    return run(db, prep(db, "INSERT INTO attestations(digest,submission_id,operator,kind,payload) VALUES(?,?,?,?,?)",
                        "bittt", digest, (int64_t)submission_id, operator_addr, kind, payload_json));
}

int zr_nodedb_att_each(zr_nodedb_t *db, const uint8_t digest[32], const char *kind,
                       int (*fn)(void *ud, const char *operator_addr, const char *payload_json), void *ud)
{
    sqlite3_stmt *st = prep(db, "SELECT operator, payload FROM attestations WHERE digest=? AND kind=? ORDER BY operator",
                            "bt", digest, kind);
    if (!st)
        return ZR_EDB;
    int rc = 0;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW)
        rc = fn(ud, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1));
    sqlite3_finalize(st);
    return rc;
}

int zr_nodedb_att_digests(zr_nodedb_t *db, uint64_t submission_id, uint8_t (*out)[32], int max)
{
    sqlite3_stmt *st = prep(db, "SELECT DISTINCT digest FROM attestations WHERE submission_id=? ORDER BY digest LIMIT ?",
                            "ii", (int64_t)submission_id, (int64_t)max);
    if (!st)
        return ZR_EDB;
    int n = 0;
    while (n < max && sqlite3_step(st) == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 0) == 32)
            memcpy(out[n++], sqlite3_column_blob(st, 0), 32);
    }
    sqlite3_finalize(st);
    return n;
}

int zr_nodedb_att_operator_digests(zr_nodedb_t *db, uint64_t submission_id, const char *operator_addr,
                                   const char *kind, uint8_t (*out)[32], int max)
{
    sqlite3_stmt *st = prep(db,
                            "SELECT digest FROM attestations WHERE submission_id=? AND operator=? AND kind=?"
                            " ORDER BY digest LIMIT ?",
                            "itti", (int64_t)submission_id, operator_addr, kind, (int64_t)max);
    if (!st)
        return ZR_EDB;
    int n = 0;
    while (n < max && sqlite3_step(st) == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 0) == 32)
            memcpy(out[n++], sqlite3_column_blob(st, 0), 32);
    }
    sqlite3_finalize(st);
    return n;
}

int zr_nodedb_att_equivocations(zr_nodedb_t *db, int64_t since, uint64_t *out, int max)
{
    sqlite3_stmt *st = prep(db,
                            "SELECT DISTINCT submission_id FROM (SELECT submission_id FROM attestations"
                            " WHERE kind='bls' AND received_at >= ? GROUP BY submission_id, operator"
                            " HAVING COUNT(DISTINCT digest) >= 2) ORDER BY submission_id DESC LIMIT ?",
                            "ii", since, (int64_t)max);
    if (!st)
        return ZR_EDB;
    int n = 0;
    while (n < max && sqlite3_step(st) == SQLITE_ROW)
        out[n++] = (uint64_t)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

int zr_nodedb_att_get(zr_nodedb_t *db, const uint8_t digest[32], const char *kind, const char *operator_addr,
                      zr_buf_t *payload_json)
{
    sqlite3_stmt *st = prep(db, "SELECT payload FROM attestations WHERE digest=? AND kind=? AND operator=?", "btt",
                            digest, kind, operator_addr);
    if (!st)
        return ZR_EDB;
    int rc = ZR_ENOENT;
    if (sqlite3_step(st) == SQLITE_ROW)
        rc = zr_buf_append_str(payload_json, (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return rc;
}

int zr_nodedb_outbox_add(zr_nodedb_t *db, const char *url, const char *body)
{
    return run(db, prep(db, "INSERT INTO outbox(url, body) VALUES(?,?)", "tt", url, body));
}

int zr_nodedb_outbox_due(zr_nodedb_t *db, int64_t now_ms, zr_outbox_row_t *out, int max)
{
    sqlite3_stmt *st = prep(db, "SELECT id, url, body, attempts FROM outbox WHERE done=0 AND next_at<=? ORDER BY id LIMIT ?",
                            "ii", now_ms, (int64_t)max);
    if (!st)
        return ZR_EDB;
    int n = 0;
    while (n < max && sqlite3_step(st) == SQLITE_ROW) {
        zr_outbox_row_t *r = &out[n];
        r->id = sqlite3_column_int64(st, 0);
        snprintf(r->url, sizeof r->url, "%s", (const char *)sqlite3_column_text(st, 1));
        r->body = strdup((const char *)sqlite3_column_text(st, 2));
        r->attempts = sqlite3_column_int(st, 3);
        if (!r->body)
            break;
        n++;
    }
    sqlite3_finalize(st);
    return n;
}

void zr_nodedb_outbox_row_cleanup(zr_outbox_row_t *r)
{
    if (!r)
        return;
    free(r->body);
    r->body = NULL;
}

int zr_nodedb_outbox_done(zr_nodedb_t *db, int64_t id)
{
    return run(db, prep(db, "UPDATE outbox SET done=1 WHERE id=?", "i", id));
}

int zr_nodedb_outbox_retry(zr_nodedb_t *db, int64_t id, int64_t now_ms, int max_attempts)
{
    sqlite3_stmt *st = prep(db, "SELECT attempts FROM outbox WHERE id=?", "i", id);
    if (!st)
        return ZR_EDB;
    int attempts = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    attempts++;
    int64_t delay = 250LL << (attempts < 8 ? attempts : 8); /* 0.5 s .. 64 s */
    int done = attempts >= max_attempts ? 2 : 0;           /* 2 = gave up */
    return run(db, prep(db, "UPDATE outbox SET attempts=?, next_at=?, done=? WHERE id=?", "iiii", (int64_t)attempts,
                        now_ms + delay, (int64_t)done, id));
}

int zr_nodedb_tx_claim(zr_nodedb_t *db, const char *purpose, const char *tx_hash)
{
    return run(db, prep(db, "INSERT INTO txs(purpose, hash) VALUES(?,?)", "tt", purpose, tx_hash));
}

int zr_nodedb_tx_get(zr_nodedb_t *db, const char *purpose, char tx_hash[67])
{
    sqlite3_stmt *st = prep(db, "SELECT hash FROM txs WHERE purpose=?", "t", purpose);
    if (!st)
        return ZR_EDB;
    int rc = ZR_ENOENT;
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(tx_hash, 67, "%s", (const char *)sqlite3_column_text(st, 0));
        rc = 0;
    }
    sqlite3_finalize(st);
    return rc;
}

int zr_nodedb_tx_release(zr_nodedb_t *db, const char *purpose)
{
    return run(db, prep(db, "DELETE FROM txs WHERE purpose=?", "t", purpose));
}
