/* SPDX-License-Identifier: MIT
 * The operator node's persistent state: one SQLite file (WAL mode, synchronous=FULL) with
 * versioned migrations. Everything a node must not forget across a crash lives here: the
 * chain cursor, the submissions it saw, its own results, the signatures it made (so it
 * never signs two different results for one round), the attestations it received as an
 * aggregator, the messages still to deliver and the transactions in flight. */
#ifndef ZARA_NODEDB_H
#define ZARA_NODEDB_H

#include <stddef.h>
#include <stdint.h>

#include "zara/common.h"

typedef struct zr_nodedb zr_nodedb_t;

/* Opens (creating and migrating) the database at path. NULL and *err on failure; the
 * message is in errmsg. */
zr_nodedb_t *zr_nodedb_open(const char *path, int *err, char *errmsg, size_t errmsg_cap);
void zr_nodedb_close(zr_nodedb_t *db);
/* The last SQLite error message of this handle. */
const char *zr_nodedb_errmsg(zr_nodedb_t *db);

/* Transactions around a group of changes. */
int zr_nodedb_begin(zr_nodedb_t *db);
int zr_nodedb_commit(zr_nodedb_t *db);
void zr_nodedb_rollback(zr_nodedb_t *db);

/* Key/value metadata (the chain cursor is "cursor"). get returns ZR_ENOENT when absent. */
int zr_nodedb_meta_get_u64(zr_nodedb_t *db, const char *key, uint64_t *out);
int zr_nodedb_meta_set_u64(zr_nodedb_t *db, const char *key, uint64_t v);

/* ---- submissions ---------------------------------------------------------------------- */
typedef enum zr_sub_state {
    ZR_SUB_REVEALED = 0,  /* seen; waiting for its seed block */
    ZR_SUB_EVALUATED = 1, /* own result computed and signed */
    ZR_SUB_SETTLED = 2,   /* verdict on chain */
    ZR_SUB_EXPIRED = 3,
} zr_sub_state_t;

typedef struct zr_sub_row {
    uint64_t submission_id;
    uint64_t task_id;
    uint64_t reveal_block;
    uint64_t seed_block;
    char submitter[43];
    char params_cid[129];
    int state;
    uint64_t evaluated_incumbent; /* incumbent of the last own result */
} zr_sub_row_t;

/* Inserts the submission if new (a replayed log is a no-op). */
int zr_nodedb_sub_put(zr_nodedb_t *db, const zr_sub_row_t *s);
int zr_nodedb_sub_get(zr_nodedb_t *db, uint64_t submission_id, zr_sub_row_t *out);
int zr_nodedb_sub_set_state(zr_nodedb_t *db, uint64_t submission_id, int state, uint64_t incumbent);
/* Up to max submissions in the given state ordered by id; returns the count (or < 0). */
int zr_nodedb_sub_list(zr_nodedb_t *db, int state, zr_sub_row_t *out, int max);

/* ---- own results and signatures --------------------------------------------------------
 * A round is (submission, incumbent, seed). The first result recorded for a round is the
 * only one ever signed: zr_nodedb_result_put returns ZR_EEXISTS with the stored JSON in
 * existing when a different result is offered later. */
int zr_nodedb_result_put(zr_nodedb_t *db, uint64_t submission_id, uint64_t incumbent_id, const uint8_t seed[32],
                         const char *result_json, const char *signatures_json, zr_buf_t *existing);
int zr_nodedb_result_get(zr_nodedb_t *db, uint64_t submission_id, uint64_t incumbent_id, const uint8_t seed[32],
                         zr_buf_t *result_json, zr_buf_t *signatures_json);

/* ---- attestations received (aggregator) -------------------------------------------------- */
/* Stores one operator's signature on a digest; ZR_EEXISTS if that operator already sent a
 * signature for that digest. kind is "bls" or "ecdsa". */
int zr_nodedb_att_put(zr_nodedb_t *db, const uint8_t digest[32], uint64_t submission_id, const char *operator_addr,
                      const char *kind, const char *payload_json);
/* Calls fn for every attestation of a digest, ordered by operator. */
int zr_nodedb_att_each(zr_nodedb_t *db, const uint8_t digest[32], const char *kind,
                       int (*fn)(void *ud, const char *operator_addr, const char *payload_json), void *ud);
/* Distinct digests with attestations for a submission (up to max). */
int zr_nodedb_att_digests(zr_nodedb_t *db, uint64_t submission_id, uint8_t (*out)[32], int max);

/* Distinct digests an operator signed (kind) for a submission (up to max). */
int zr_nodedb_att_operator_digests(zr_nodedb_t *db, uint64_t submission_id, const char *operator_addr,
                                   const char *kind, uint8_t (*out)[32], int max);
/* Submissions (newest first, up to max) for which some operator's BLS signatures on two or
 * more different digests are stored, looking at attestations received at or after since
 * (unix seconds); returns the count (or < 0). */
int zr_nodedb_att_equivocations(zr_nodedb_t *db, int64_t since, uint64_t *out, int max);
/* The payload one operator sent for a digest; ZR_ENOENT when absent. */
int zr_nodedb_att_get(zr_nodedb_t *db, const uint8_t digest[32], const char *kind, const char *operator_addr,
                      zr_buf_t *payload_json);

/* ---- outbox: messages to deliver with retries ------------------------------------------ */
int zr_nodedb_outbox_add(zr_nodedb_t *db, const char *url, const char *body);
typedef struct zr_outbox_row {
    int64_t id;
    char url[512];
    char *body; /* malloc'd; freed by zr_nodedb_outbox_row_cleanup */
    int attempts;
} zr_outbox_row_t;
/* Up to max rows due at now_ms; returns the count. */
int zr_nodedb_outbox_due(zr_nodedb_t *db, int64_t now_ms, zr_outbox_row_t *out, int max);
void zr_nodedb_outbox_row_cleanup(zr_outbox_row_t *r);
int zr_nodedb_outbox_done(zr_nodedb_t *db, int64_t id);
/* Schedules the next attempt (exponential back-off); gives up after max_attempts. */
int zr_nodedb_outbox_retry(zr_nodedb_t *db, int64_t id, int64_t now_ms, int max_attempts);

/* ---- transactions in flight ------------------------------------------------------------- */
/* Records that the node sent (or is about to send) a transaction for a purpose key such as
 * "submitResult:42"; ZR_EEXISTS if one was already recorded for that key. */
int zr_nodedb_tx_claim(zr_nodedb_t *db, const char *purpose, const char *tx_hash);
int zr_nodedb_tx_get(zr_nodedb_t *db, const char *purpose, char tx_hash[67]);
int zr_nodedb_tx_release(zr_nodedb_t *db, const char *purpose);

#endif
