// SPDX-License-Identifier: MIT
// The node's SQLite state: persistence across reopen, idempotent replays of logs, one
// result per round (a different one is refused), attestation de-duplication, the outbox's
// back-off and give-up, and transaction claims.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zt.h"
#include "zara/nodedb.h"

static int count_cb(void *ud, const char *op, const char *payload)
{
    (void)op;
    (void)payload;
    (*(int *)ud)++;
    return 0;
}

static void test_state(void **state)
{
    (void)state;
    char *dir = zt_tmpdir();
    char path[600], msg[300];
    snprintf(path, sizeof path, "%s/node.sqlite", dir);
    int err;
    zr_nodedb_t *db = zr_nodedb_open(path, &err, msg, sizeof msg);
    assert_non_null(db);
    uint64_t v;
    assert_int_equal(zr_nodedb_meta_get_u64(db, "cursor", &v), ZR_ENOENT);
    assert_int_equal(zr_nodedb_meta_set_u64(db, "cursor", 41), 0);
    assert_int_equal(zr_nodedb_meta_set_u64(db, "cursor", 42), 0);

    zr_sub_row_t s = {.submission_id = 3, .task_id = 1, .reveal_block = 10, .seed_block = 13,
                      .submitter = "0xabc", .params_cid = "bafkxyz"};
    assert_int_equal(zr_nodedb_sub_put(db, &s), 0);
    assert_int_equal(zr_nodedb_sub_put(db, &s), 0); /* replayed log */
    s.submission_id = 4;
    assert_int_equal(zr_nodedb_sub_put(db, &s), 0);
    zr_sub_row_t rows[8];
    assert_int_equal(zr_nodedb_sub_list(db, ZR_SUB_REVEALED, rows, 8), 2);
    assert_int_equal(rows[0].submission_id, 3);
    assert_string_equal(rows[1].params_cid, "bafkxyz");
    assert_int_equal(zr_nodedb_sub_set_state(db, 3, ZR_SUB_EVALUATED, 0), 0);
    assert_int_equal(zr_nodedb_sub_list(db, ZR_SUB_REVEALED, rows, 8), 1);

    uint8_t seed[32];
    memset(seed, 9, 32);
    zr_buf_t ex;
    zr_buf_init(&ex, 1 << 20);
    assert_int_equal(zr_nodedb_result_put(db, 3, 0, seed, "{\"score\":1}", "{}", &ex), 0);
    zr_buf_reset(&ex);
    assert_int_equal(zr_nodedb_result_put(db, 3, 0, seed, "{\"score\":1}", "{}", &ex), 0);
    zr_buf_reset(&ex);
    assert_int_equal(zr_nodedb_result_put(db, 3, 0, seed, "{\"score\":2}", "{}", &ex), ZR_EEXISTS);
    assert_string_equal(zr_buf_cstr(&ex), "{\"score\":1}");
    zr_buf_cleanup(&ex);

    uint8_t d1[32], d2[32];
    memset(d1, 1, 32);
    memset(d2, 2, 32);
    assert_int_equal(zr_nodedb_att_put(db, d1, 3, "0xop1", "bls", "{}"), 0);
    assert_int_equal(zr_nodedb_att_put(db, d1, 3, "0xop1", "bls", "{}"), ZR_EEXISTS);
    assert_int_equal(zr_nodedb_att_put(db, d1, 3, "0xop2", "bls", "{}"), 0);
    assert_int_equal(zr_nodedb_att_put(db, d2, 3, "0xop3", "bls", "{}"), 0);
    int n = 0;
    assert_int_equal(zr_nodedb_att_each(db, d1, "bls", count_cb, &n), 0);
    assert_int_equal(n, 2);
    uint8_t ds[4][32];
    assert_int_equal(zr_nodedb_att_digests(db, 3, ds, 4), 2);
    /* equivocation candidates: one operator's BLS signatures on two digests of a submission */
    uint64_t eq[4];
    assert_int_equal(zr_nodedb_att_equivocations(db, 0, eq, 4), 0);
    assert_int_equal(zr_nodedb_att_put(db, d2, 3, "0xop1", "ecdsa", "{}"), 0); /* a proposal: not BLS */
    assert_int_equal(zr_nodedb_att_equivocations(db, 0, eq, 4), 0);
    assert_int_equal(zr_nodedb_att_put(db, d2, 3, "0xop2", "bls", "{}"), 0);
    assert_int_equal(zr_nodedb_att_put(db, d1, 9, "0xop5", "bls", "{}"), 0);
    assert_int_equal(zr_nodedb_att_equivocations(db, 0, eq, 4), 1);
    assert_int_equal(eq[0], 3);
    assert_int_equal(zr_nodedb_att_equivocations(db, (int64_t)time(NULL) + 3600, eq, 4), 0); /* too old */

    assert_int_equal(zr_nodedb_outbox_add(db, "http://a/rpc", "{\"x\":1}"), 0);
    zr_outbox_row_t ob[4];
    assert_int_equal(zr_nodedb_outbox_due(db, 1000, ob, 4), 1);
    assert_string_equal(ob[0].body, "{\"x\":1}");
    int64_t id = ob[0].id;
    zr_nodedb_outbox_row_cleanup(&ob[0]);
    assert_int_equal(zr_nodedb_outbox_retry(db, id, 1000, 2), 0);
    assert_int_equal(zr_nodedb_outbox_due(db, 1001, ob, 4), 0); /* backing off */
    assert_int_equal(zr_nodedb_outbox_due(db, 100000, ob, 4), 1);
    zr_nodedb_outbox_row_cleanup(&ob[0]);
    assert_int_equal(zr_nodedb_outbox_retry(db, id, 100000, 2), 0); /* gives up */
    assert_int_equal(zr_nodedb_outbox_due(db, 1LL << 40, ob, 4), 0);

    assert_int_equal(zr_nodedb_tx_claim(db, "submitResult:3", "0x11"), 0);
    assert_int_equal(zr_nodedb_tx_claim(db, "submitResult:3", "0x22"), ZR_EEXISTS);
    zr_nodedb_close(db);

    db = zr_nodedb_open(path, &err, msg, sizeof msg);
    assert_non_null(db);
    assert_int_equal(zr_nodedb_meta_get_u64(db, "cursor", &v), 0);
    assert_int_equal(v, 42);
    char h[67];
    assert_int_equal(zr_nodedb_tx_get(db, "submitResult:3", h), 0);
    assert_string_equal(h, "0x11");
    assert_int_equal(zr_nodedb_tx_release(db, "submitResult:3"), 0);
    assert_int_equal(zr_nodedb_tx_get(db, "submitResult:3", h), ZR_ENOENT);
    assert_int_equal(zr_nodedb_sub_get(db, 3, &s), 0);
    assert_int_equal(s.state, ZR_SUB_EVALUATED);
    zr_nodedb_close(db);

    snprintf(path, sizeof path, "%s/no/such/dir/x.sqlite", dir);
    assert_null(zr_nodedb_open(path, &err, msg, sizeof msg));
    assert_int_equal(err, ZR_EDB);
    zt_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_state)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
