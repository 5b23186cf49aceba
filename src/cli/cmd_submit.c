// SPDX-License-Identifier: MIT
// `zara submit TASK --params FILE`: store the parameters, commit with bond and fee, reveal
// in a later block, then follow the evaluation live (seed fixed, operators evaluating,
// verdict) and print the verdict with the amounts. The salt is saved before the commit so
// an interrupted submission can be revealed later (`--resume FILE`).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

const char zr_cli_summary_submit[] = "submit parameters to a task and follow them to the verdict";

static void usage(FILE *f)
{
    fprintf(f, "usage: zara submit TASK --params FILE [--timeout SECONDS] [--no-follow] [--store-dir D]\n"
               "       zara submit --resume FILE        reveal and follow an interrupted submission\n"
               "common: --rpc URL --deployment FILE --keystore FILE|DIR --password-file FILE --json\n");
}

static double wad(const uint8_t w[32])
{
    char dec[80];
    zr_proto_i256_to_dec(dec, w);
    return strtod(dec, NULL) / 1e18;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
}

static int wait_block_after(zr_chain_t *c, uint64_t block, long timeout_ms)
{
    for (long waited = 0; waited < timeout_ms; waited += 200) {
        uint64_t h;
        if (zr_rpc_block_number(zr_chain_rpc(c), &h) == 0 && h > block)
            return 0;
        sleep_ms(200);
    }
    return ZR_ETIMEOUT;
}

static int save_resume(char *path, size_t cap, uint64_t task, uint64_t sub, const char *cid, const uint8_t salt[32],
                       const uint8_t sender[20])
{
    const char *home = getenv("HOME");
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/.zara/submissions", home ? home : ".");
    if (zr_mkdirs(dir, 0700) != 0)
        return ZR_EIO;
    char sh[67] = "0x", ah[43];
    zr_hex_encode(sh + 2, salt, 32);
    zr_cli_addr_hex(ah, sender);
    snprintf(path, cap, "%s/task%llu-%s-%lld.json", dir, (unsigned long long)task, ah + 2, (long long)time(NULL));
    json_t *j = json_pack("{s:I, s:I, s:s, s:s, s:s}", "taskId", (json_int_t)task, "submissionId", (json_int_t)sub,
                          "paramsCid", cid, "salt", sh, "optimizer", ah);
    char *s = json_dumps(j, JSON_INDENT(2));
    json_decref(j);
    int rc = s ? zr_file_write_atomic(path, s, strlen(s), 0600) : ZR_ENOMEM;
    free(s);
    return rc;
}

/* Follows a revealed submission until its verdict (or timeout); prints progress. */
static int follow(zr_chain_t *c, uint64_t sub_id, long timeout_s, int json)
{
    zr_submission_t s;
    if (zr_chain_get_submission(c, sub_id, &s) != 0)
        return zr_cli_fail("%s", zr_chain_errmsg(c));
    if (!json)
        printf("  seed block %llu: the test data is unknown until then\n", (unsigned long long)s.seed_block);
    fflush(stdout);
    uint64_t from = s.commit_block, head = 0;
    int said_seed = 0, said_result = 0;
    time_t end = time(NULL) + timeout_s;
    while (time(NULL) < end) {
        if (zr_rpc_block_number(zr_chain_rpc(c), &head) != 0) {
            sleep_ms(500);
            continue;
        }
        if (!said_seed && head >= s.seed_block) {
            if (!json)
                printf("  block %llu: seed fixed, operators are evaluating challenger and incumbent\n",
                       (unsigned long long)head);
            fflush(stdout);
            said_seed = 1;
        }
        zr_chain_event_t *ev = NULL;
        size_t n = 0;
        if (zr_chain_events(c, from, head, 5000, &ev, &n) == 0) {
            for (size_t i = 0; i < n; i++) {
                if (ev[i].submission_id != sub_id)
                    continue;
                if (ev[i].kind == ZR_EV_RESULT_SUBMITTED && !said_result && !json) {
                    char ah[43];
                    zr_cli_addr_hex(ah, ev[i].addr);
                    printf("  block %llu: two thirds of the stake signed; aggregate submitted by %s\n",
                           (unsigned long long)ev[i].block, ah);
                    said_result = 1;
                }
                if (ev[i].kind == ZR_EV_SETTLED) {
                    static const char *const st[] = {"OK", "INVALID_MODEL", "EVAL_ERROR"};
                    char reward[100], refund[100], kept[100], fee[100];
                    zr_cli_format_ether(reward, ev[i].reward);
                    zr_cli_format_ether(refund, ev[i].bond_refund);
                    zr_cli_format_ether(kept, ev[i].bond_kept);
                    zr_cli_format_ether(fee, ev[i].fee);
                    const char *status = st[ev[i].status < 3 ? ev[i].status : 0];
                    if (json) {
                        zr_cli_print_json(json_pack("{s:I, s:s, s:b, s:f, s:f, s:s, s:s, s:s, s:s, s:I}",
                                                    "submissionId", (json_int_t)sub_id, "status", status, "accepted",
                                                    ev[i].accepted, "score", wad(ev[i].challenger_score),
                                                    "incumbentScore", wad(ev[i].incumbent_score), "reward", reward,
                                                    "bondRefund", refund, "bondKept", kept, "fee", fee, "block",
                                                    (json_int_t)ev[i].block));
                    } else {
                        printf("verdict: %s, %s (block %llu)\n", status,
                               ev[i].accepted ? "ACCEPTED: new best model" : "not accepted",
                               (unsigned long long)ev[i].block);
                        printf("  score %.9f vs incumbent %.9f\n", wad(ev[i].challenger_score),
                               wad(ev[i].incumbent_score));
                        printf("  reward %s ETH, bond refunded %s ETH, bond kept %s ETH, fee %s ETH to operators\n",
                               reward, refund, kept, fee);
                        printf("  withdraw what you are owed with `zara rewards withdraw`\n");
                    }
                    free(ev);
                    return 0;
                }
                if (ev[i].kind == ZR_EV_EXPIRED) {
                    free(ev);
                    return zr_cli_fail("submission %llu expired without a verdict (bond and fee refunded)",
                                       (unsigned long long)sub_id);
                }
            }
        }
        free(ev);
        sleep_ms(500);
    }
    return zr_cli_fail("no verdict for submission %llu after %ld s; follow it with `zara submission show %llu`",
                       (unsigned long long)sub_id, timeout_s, (unsigned long long)sub_id);
}

static int reveal_and_follow(zr_chain_t *c, uint64_t sub_id, const char *cid, const uint8_t salt[32], long timeout_s,
                             int no_follow, int json)
{
    zr_submission_t s;
    if (zr_chain_get_submission(c, sub_id, &s) != 0)
        return zr_cli_fail("%s", zr_chain_errmsg(c));
    if (s.state == ZR_CHAIN_SUB_COMMITTED) {
        if (wait_block_after(c, s.commit_block, 60000) != 0)
            return zr_cli_fail("the chain did not produce a block after the commit");
        zr_rpc_receipt_t r;
        zr_rpc_receipt_init(&r);
        int rc = zr_chain_reveal(c, sub_id, cid, salt, &r);
        if (rc) {
            zr_rpc_receipt_cleanup(&r);
            return zr_cli_fail("reveal: %s", zr_chain_errmsg(c));
        }
        if (!json)
            printf("  revealed in block %llu\n", (unsigned long long)r.block_number);
        zr_rpc_receipt_cleanup(&r);
    }
    fflush(stdout);
    if (no_follow) {
        if (json)
            zr_cli_print_json(json_pack("{s:I, s:s}", "submissionId", (json_int_t)sub_id, "paramsCid", cid));
        return 0;
    }
    return follow(c, sub_id, timeout_s, json);
}

int zr_cli_main_submit(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? ZR_CLI_USAGE : 0;
    }
    zr_cli_chain_opts_t o;
    memset(&o, 0, sizeof o);
    const char *task_s = NULL, *params = NULL, *store_dir = NULL, *resume = NULL;
    long timeout_s = 300;
    int no_follow = 0;
    for (int i = 1; i < argc; i++) {
        int cc = zr_cli_chain_opt(&o, "submit", argc, argv, &i);
        if (cc == 1)
            continue;
        if (cc != 0)
            return cc;
        if (!strcmp(argv[i], "--params") && i + 1 < argc)
            params = argv[++i];
        else if (!strcmp(argv[i], "--store-dir") && i + 1 < argc)
            store_dir = argv[++i];
        else if (!strcmp(argv[i], "--resume") && i + 1 < argc)
            resume = argv[++i];
        else if (!strcmp(argv[i], "--timeout") && i + 1 < argc)
            timeout_s = atol(argv[++i]);
        else if (!strcmp(argv[i], "--no-follow"))
            no_follow = 1;
        else if (argv[i][0] != '-' && !task_s)
            task_s = argv[i];
        else
            return zr_cli_usage_error("submit", "unknown argument %s", argv[i]);
    }
    if (resume) {
        zr_buf_t b;
        zr_buf_init(&b, 1 << 16);
        json_t *j = NULL;
        char e[200];
        uint8_t salt[32];
        if (zr_file_read(resume, b.max, &b) != 0 || zr_json_parse((char *)b.data, b.len, b.max, &j, e, sizeof e) != 0 ||
            !zr_json_str(j, "salt") || zr_hex_decode_exact(salt, 32, zr_json_str(j, "salt")) != 0 ||
            !zr_json_str(j, "paramsCid")) {
            zr_buf_cleanup(&b);
            json_decref(j);
            return zr_cli_fail("%s is not a submission resume file", resume);
        }
        zr_buf_cleanup(&b);
        zr_chain_t *c;
        if (zr_cli_chain_open(&o, 1, &c) != 0) {
            json_decref(j);
            return ZR_CLI_FAIL;
        }
        int rc = reveal_and_follow(c, (uint64_t)json_integer_value(json_object_get(j, "submissionId")),
                                   zr_json_str(j, "paramsCid"), salt, timeout_s, no_follow, o.json);
        json_decref(j);
        zr_chain_free(c);
        return rc;
    }
    if (!task_s || !params)
        return zr_cli_usage_error("submit", "TASK and --params FILE are required");
    char *end;
    uint64_t task_id = strtoull(task_s, &end, 10);
    if (*end || task_id == 0)
        return zr_cli_usage_error("submit", "TASK must be a task id");
    if (access(params, R_OK) != 0)
        return zr_cli_fail("cannot read %s", params);

    zr_chain_t *c;
    if (zr_cli_chain_open(&o, 1, &c) != 0)
        return ZR_CLI_FAIL;
    int rc = ZR_CLI_FAIL;
    zr_store_t *st = NULL;
    zr_task_t t;
    if (zr_chain_get_task(c, task_id, &t) != 0) {
        zr_cli_fail("%s", zr_chain_errmsg(c));
        goto done;
    }
    zr_rpc_block_t latest;
    if (zr_rpc_get_block(zr_chain_rpc(c), &latest, "latest") == 0 && latest.timestamp >= t.deadline) {
        zr_cli_fail("task %llu's deadline has passed: it takes no more submissions", (unsigned long long)task_id);
        goto done;
    }
    if (t.closed) {
        zr_cli_fail("task %llu is closed", (unsigned long long)task_id);
        goto done;
    }
    static const uint8_t zero[20];
    int eth_task = memcmp(t.token, zero, 20) == 0;
    uint8_t value[32];
    memcpy(value, t.evaluation_fee, 32);
    if (eth_task && zr_rpc_u256_add(value, value, t.bond) != 0)
        goto done;
    uint8_t bal[32];
    if (zr_rpc_get_balance(zr_chain_rpc(c), bal, zr_chain_sender(c), "latest") == 0 && zr_rpc_u256_cmp(bal, value) <= 0) {
        char need[100], have[100];
        zr_cli_format_ether(need, value);
        zr_cli_format_ether(have, bal);
        zr_cli_fail("too little balance: the bond and fee need %s ETH plus gas, the account has %s ETH", need, have);
        goto done;
    }
    if (zr_cli_store_open(store_dir, &st) != 0)
        goto done;
    char cid[ZR_CID_STR_MAX];
    if (zr_cli_store_put(st, params, cid) != 0)
        goto done;
    uint8_t salt[32], tid[32], commitment[32];
    if (zr_random_bytes(salt, 32) != 0)
        goto done;
    zr_proto_u256_from_u64(tid, task_id);
    zr_proto_commitment(commitment, tid, zr_chain_sender(c), cid, salt);
    if (!eth_task && zr_chain_erc20_approve(c, t.token, zr_chain_deployment(c)->model_submission, t.bond, NULL) != 0) {
        zr_cli_fail("approve: %s", zr_chain_errmsg(c));
        goto done;
    }
    /* the salt is written down before the commit: a crash after it can still reveal */
    char resume_path[1200];
    if (save_resume(resume_path, sizeof resume_path, task_id, 0, cid, salt, zr_chain_sender(c)) != 0) {
        zr_cli_fail("cannot save the submission's salt under ~/.zara/submissions");
        goto done;
    }
    uint64_t sub_id;
    zr_rpc_receipt_t r;
    zr_rpc_receipt_init(&r);
    if (zr_chain_commit(c, task_id, commitment, value, &sub_id, &r) != 0) {
        zr_rpc_receipt_cleanup(&r);
        unlink(resume_path);
        zr_cli_fail("commit: %s", zr_chain_errmsg(c));
        goto done;
    }
    unlink(resume_path);
    save_resume(resume_path, sizeof resume_path, task_id, sub_id, cid, salt, zr_chain_sender(c));
    if (!o.json) {
        char v[100];
        zr_cli_format_ether(v, value);
        printf("submission %llu to task %llu: params %s\n  committed in block %llu with %s ETH (bond + fee)\n",
               (unsigned long long)sub_id, (unsigned long long)task_id, cid, (unsigned long long)r.block_number, v);
    }
    zr_rpc_receipt_cleanup(&r);
    rc = reveal_and_follow(c, sub_id, cid, salt, timeout_s, no_follow, o.json);
    if (rc == 0)
        unlink(resume_path);
done:
    zr_store_free(st);
    zr_chain_free(c);
    return rc;
}
