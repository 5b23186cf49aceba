// SPDX-License-Identifier: MIT
// `zara task create|list|show|pull|close`: owners publish a task (files into the content
// store, an ERC-20 approval when needed, createTask), everyone lists and inspects tasks and
// their leaderboards, optimizers pull a task's files and current best parameters.
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>

#include "cli.h"
#include "zara/eval.h"

const char zr_cli_summary_task[] = "create, list, show, pull or close tasks";

static void usage(FILE *f)
{
    fprintf(f,
            "usage: zara task <command> [options]\n\n"
            "  create --arch FILE --params FILE --eval FILE --pool AMOUNT --reward AMOUNT\n"
            "         --fee AMOUNT --bond AMOUNT [--slash-bps N] [--min-improvement X]\n"
            "         [--deadline 7d|12h|30m|@UNIXTIME] [--token ADDRESS] [--store-dir D]\n"
            "  list\n"
            "  show ID                      details and leaderboard\n"
            "  pull ID [--out DIR]          architecture, script and current best parameters\n"
            "  close ID                     after the deadline: take back what is left of the pool\n\n"
            "common: --rpc URL --deployment FILE --keystore FILE|DIR --password-file FILE --json\n"
            "AMOUNT is wei or has a unit (10ether, 0.01ether, 5gwei); X is a decimal score\n"
            "difference (0.001); slash-bps is the share of the bond kept when a valid model\n"
            "does not improve, in basis points (default 2000 = 20%%).\n");
}

typedef struct {
    zr_cli_chain_opts_t c;
    const char *arch, *params, *eval, *pool, *reward, *fee, *bond, *slash, *minimp, *deadline, *token, *store_dir,
        *out, *id;
} task_opts_t;

/* "0.001" → wad (int256) */
static int parse_wad(const char *s, uint8_t out[32])
{
    char *end;
    double x = strtod(s, &end);
    if (*end || !(x > -9e9 && x < 9e9))
        return ZR_EINVAL;
    int64_t nano = llrint(x * 1e9);
    uint8_t n[32];
    /* × 1e9 in two's complement: negate, multiply, negate */
    int neg = nano < 0;
    zr_proto_i256_from_i64(n, neg ? -nano : nano);
    if (zr_rpc_u256_mul_u64(out, n, 1000000000ull) != 0)
        return ZR_ERANGE;
    if (neg) {
        unsigned carry = 1;
        for (int i = 31; i >= 0; i--) {
            unsigned v = (uint8_t)~out[i] + carry;
            out[i] = (uint8_t)v;
            carry = v >> 8;
        }
    }
    return 0;
}

static double wad_to_double(const uint8_t w[32])
{
    char dec[80];
    zr_proto_i256_to_dec(dec, w);
    return strtod(dec, NULL) / 1e18;
}

static int parse_deadline(zr_chain_t *c, const char *s, uint64_t *out)
{
    if (s[0] == '@') {
        *out = strtoull(s + 1, NULL, 10);
        return *out ? 0 : ZR_EINVAL;
    }
    char *end;
    double v = strtod(s, &end);
    double mul = !strcmp(end, "d") ? 86400 : !strcmp(end, "h") ? 3600 : !strcmp(end, "m") ? 60 : !strcmp(end, "s") ? 1 : 0;
    if (mul == 0 || !(v > 0))
        return ZR_EINVAL;
    zr_rpc_block_t b;
    if (zr_rpc_get_block(zr_chain_rpc(c), &b, "latest") != 0)
        return ZR_ETRANSPORT;
    *out = b.timestamp + (uint64_t)(v * mul);
    return 0;
}

static int create(task_opts_t *o)
{
    if (!o->arch || !o->params || !o->eval)
        return zr_cli_usage_error("task create", "--arch, --params and --eval are required");
    zr_task_params_t p;
    memset(&p, 0, sizeof p);
    if (!o->pool || zr_cli_parse_amount(o->pool, p.reward_pool) != 0)
        return zr_cli_usage_error("task create", "--pool AMOUNT is required");
    if (!o->reward || zr_cli_parse_amount(o->reward, p.reward_per_improvement) != 0)
        return zr_cli_usage_error("task create", "--reward AMOUNT is required (paid per accepted improvement)");
    if (!o->fee || zr_cli_parse_amount(o->fee, p.evaluation_fee) != 0)
        return zr_cli_usage_error("task create", "--fee AMOUNT is required (paid by each submission to operators)");
    if (!o->bond || zr_cli_parse_amount(o->bond, p.bond) != 0)
        return zr_cli_usage_error("task create", "--bond AMOUNT is required");
    long slash = o->slash ? strtol(o->slash, NULL, 10) : 2000;
    if (slash < 0 || slash > 10000)
        return zr_cli_usage_error("task create", "--slash-bps must be in [0, 10000]");
    p.slash_bps = (uint16_t)slash;
    if (parse_wad(o->minimp ? o->minimp : "0.000000001", p.min_improvement) != 0)
        return zr_cli_usage_error("task create", "--min-improvement must be a number");
    if (o->token && zr_hex_decode_exact(p.token, 20, o->token) != 0)
        return zr_cli_usage_error("task create", "--token must be an address");
    /* refuse a script that cannot even load before anything is stored or paid */
    zr_buf_t script;
    zr_buf_init(&script, ZR_EVAL_DEFAULT_SCRIPT_MAX);
    if (zr_file_read(o->eval, script.max, &script) != 0) {
        zr_buf_cleanup(&script);
        return zr_cli_fail("cannot read %s", o->eval);
    }
    char serr[300];
    int src = zr_eval_script_check((const char *)script.data, script.len, NULL, serr, sizeof serr);
    zr_buf_cleanup(&script);
    if (src)
        return zr_cli_fail("%s: %s", o->eval, serr);
    zr_store_t *st;
    if (zr_cli_store_open(o->store_dir, &st) != 0)
        return ZR_CLI_FAIL;
    char arch[ZR_CID_STR_MAX], init[ZR_CID_STR_MAX], eval[ZR_CID_STR_MAX];
    int rc = zr_cli_store_put(st, o->arch, arch) || zr_cli_store_put(st, o->params, init) ||
             zr_cli_store_put(st, o->eval, eval);
    zr_store_free(st);
    if (rc)
        return ZR_CLI_FAIL;
    p.arch_cid = arch;
    p.init_cid = init;
    p.eval_cid = eval;
    zr_chain_t *c;
    if (zr_cli_chain_open(&o->c, 1, &c) != 0)
        return ZR_CLI_FAIL;
    if (parse_deadline(c, o->deadline ? o->deadline : "7d", &p.deadline) != 0) {
        zr_chain_free(c);
        return zr_cli_usage_error("task create", "--deadline must look like 7d, 12h, 30m or @UNIXTIME");
    }
    static const uint8_t zero[20];
    if (memcmp(p.token, zero, 20) != 0 &&
        zr_chain_erc20_approve(c, p.token, zr_chain_deployment(c)->model_submission, p.reward_pool, NULL) != 0) {
        zr_cli_fail("approve: %s", zr_chain_errmsg(c));
        zr_chain_free(c);
        return ZR_CLI_FAIL;
    }
    uint64_t id;
    zr_rpc_receipt_t r;
    zr_rpc_receipt_init(&r);
    rc = zr_chain_create_task(c, &p, &id, &r);
    if (rc) {
        zr_cli_fail("createTask: %s", zr_chain_errmsg(c));
    } else if (o->c.json) {
        zr_cli_print_json(json_pack("{s:I, s:s, s:s, s:s, s:I, s:I}", "taskId", (json_int_t)id, "archCid", arch,
                                    "initCid", init, "evalCid", eval, "deadline", (json_int_t)p.deadline, "gasUsed",
                                    (json_int_t)r.gas_used));
    } else {
        char pool[100];
        zr_cli_format_ether(pool, p.reward_pool);
        printf("task %llu created with a pool of %s\n  arch  %s\n  init  %s\n  eval  %s\n",
               (unsigned long long)id, pool, arch, init, eval);
    }
    zr_rpc_receipt_cleanup(&r);
    zr_chain_free(c);
    return rc ? ZR_CLI_FAIL : 0;
}

static json_t *task_json(const zr_task_t *t)
{
    char owner[43], pool[100], reward[100], fee[100], bond[100];
    zr_cli_addr_hex(owner, t->owner);
    zr_cli_format_ether(pool, t->reward_pool);
    zr_cli_format_ether(reward, t->reward_per_improvement);
    zr_cli_format_ether(fee, t->evaluation_fee);
    zr_cli_format_ether(bond, t->bond);
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:f, s:f, s:I, s:I, s:I, s:I, s:b, s:s, s:s, s:s}", "id",
                     (json_int_t)t->id, "owner", owner, "pool", pool, "rewardPerImprovement", reward, "evaluationFee",
                     fee, "bond", bond, "slashBps", t->slash_bps, "minImprovement", wad_to_double(t->min_improvement),
                     "bestScore", wad_to_double(t->best_score), "bestId", (json_int_t)t->best_id, "queueHead",
                     (json_int_t)t->head, "open", (json_int_t)t->open, "deadline", (json_int_t)t->deadline, "closed",
                     t->closed, "archCid", t->arch_cid, "initCid", t->init_cid, "evalCid", t->eval_cid);
}

static int list(task_opts_t *o)
{
    zr_chain_t *c;
    if (zr_cli_chain_open(&o->c, 0, &c) != 0)
        return ZR_CLI_FAIL;
    uint64_t n;
    if (zr_chain_task_count(c, &n) != 0) {
        zr_cli_fail("%s", zr_chain_errmsg(c));
        zr_chain_free(c);
        return ZR_CLI_FAIL;
    }
    json_t *arr = json_array();
    if (!o->c.json)
        printf("%-5s %-12s %-14s %-10s %-6s %s\n", "ID", "POOL (ETH)", "BEST SCORE", "BEST ID", "OPEN", "STATE");
    for (uint64_t id = 1; id <= n; id++) {
        zr_task_t t;
        if (zr_chain_get_task(c, id, &t) != 0)
            continue;
        if (o->c.json) {
            json_array_append_new(arr, task_json(&t));
        } else {
            char pool[100];
            zr_cli_format_ether(pool, t.reward_pool);
            printf("%-5llu %-12s %-14.9f %-10llu %-6llu %s\n", (unsigned long long)id, pool,
                   wad_to_double(t.best_score), (unsigned long long)t.best_id, (unsigned long long)t.open,
                   t.closed ? "closed" : "open");
        }
    }
    if (o->c.json)
        zr_cli_print_json(arr);
    else
        json_decref(arr);
    zr_chain_free(c);
    return 0;
}

/* Events of the contracts since deployment (bounded ranges). */
static int all_events(zr_chain_t *c, zr_chain_event_t **ev, size_t *n)
{
    uint64_t head;
    if (zr_rpc_block_number(zr_chain_rpc(c), &head) != 0)
        return zr_cli_fail("%s", zr_rpc_errmsg(zr_chain_rpc(c)));
    if (zr_chain_events(c, zr_chain_deployment(c)->deploy_block, head, 5000, ev, n) != 0)
        return zr_cli_fail("%s", zr_chain_errmsg(c));
    return 0;
}

static int show(task_opts_t *o)
{
    if (!o->id)
        return zr_cli_usage_error("task show", "ID is required");
    zr_chain_t *c;
    if (zr_cli_chain_open(&o->c, 0, &c) != 0)
        return ZR_CLI_FAIL;
    uint64_t id = strtoull(o->id, NULL, 10);
    zr_task_t t;
    if (zr_chain_get_task(c, id, &t) != 0) {
        zr_cli_fail("%s", zr_chain_errmsg(c));
        zr_chain_free(c);
        return ZR_CLI_FAIL;
    }
    zr_chain_event_t *ev = NULL;
    size_t n = 0;
    if (all_events(c, &ev, &n) != 0) {
        zr_chain_free(c);
        return ZR_CLI_FAIL;
    }
    json_t *j = task_json(&t);
    json_t *board = json_array();
    static const char *const st[] = {"OK", "INVALID_MODEL", "EVAL_ERROR"};
    for (size_t i = 0; i < n; i++) {
        if (ev[i].kind != ZR_EV_SETTLED || ev[i].task_id != id)
            continue;
        char optimizer[43] = "";
        for (size_t k = 0; k < n; k++)
            if (ev[k].kind == ZR_EV_REVEALED && ev[k].submission_id == ev[i].submission_id)
                zr_cli_addr_hex(optimizer, ev[k].addr);
        char reward[100], kept[100];
        zr_cli_format_ether(reward, ev[i].reward);
        zr_cli_format_ether(kept, ev[i].bond_kept);
        json_array_append_new(board, json_pack("{s:I, s:s, s:s, s:b, s:f, s:f, s:s, s:s}", "submissionId",
                                               (json_int_t)ev[i].submission_id, "optimizer", optimizer, "status",
                                               st[ev[i].status < 3 ? ev[i].status : 0], "accepted", ev[i].accepted,
                                               "score", wad_to_double(ev[i].challenger_score), "incumbentScore",
                                               wad_to_double(ev[i].incumbent_score), "reward", reward, "bondKept", kept));
    }
    free(ev);
    json_object_set_new(j, "submissions", board);
    if (o->c.json) {
        zr_cli_print_json(j);
    } else {
        printf("task %llu  owner %s  %s\n", (unsigned long long)id, zr_json_str(j, "owner"),
               t.closed ? "closed" : "open");
        printf("pool %s ETH  reward %s ETH  fee %s ETH  bond %s ETH  slash %u bps  min improvement %.9f\n",
               zr_json_str(j, "pool"), zr_json_str(j, "rewardPerImprovement"), zr_json_str(j, "evaluationFee"),
               zr_json_str(j, "bond"), t.slash_bps, wad_to_double(t.min_improvement));
        printf("best score %.9f (submission %llu)  queue head %llu  open submissions %llu\n",
               wad_to_double(t.best_score), (unsigned long long)t.best_id, (unsigned long long)t.head,
               (unsigned long long)t.open);
        printf("files: arch %s\n       init %s\n       eval %s\n", t.arch_cid, t.init_cid, t.eval_cid);
        printf("\n%-6s %-44s %-14s %-9s %-13s %s\n", "SUB", "OPTIMIZER", "STATUS", "ACCEPTED", "SCORE", "REWARD");
        size_t i;
        json_t *e;
        json_array_foreach(board, i, e)
        {
            printf("%-6lld %-44s %-14s %-9s %-13.9f %s\n", (long long)json_integer_value(json_object_get(e, "submissionId")),
                   zr_json_str(e, "optimizer"), zr_json_str(e, "status"),
                   json_is_true(json_object_get(e, "accepted")) ? "yes" : "no",
                   json_real_value(json_object_get(e, "score")), zr_json_str(e, "reward"));
        }
        json_decref(j);
    }
    zr_chain_free(c);
    return 0;
}

static int pull(task_opts_t *o)
{
    if (!o->id)
        return zr_cli_usage_error("task pull", "ID is required");
    zr_chain_t *c;
    if (zr_cli_chain_open(&o->c, 0, &c) != 0)
        return ZR_CLI_FAIL;
    uint64_t id = strtoull(o->id, NULL, 10);
    zr_task_t t;
    int rc = zr_chain_get_task(c, id, &t);
    if (rc) {
        zr_cli_fail("%s", zr_chain_errmsg(c));
        zr_chain_free(c);
        return ZR_CLI_FAIL;
    }
    char best_cid[129];
    snprintf(best_cid, sizeof best_cid, "%s", t.init_cid);
    if (t.best_id) {
        zr_chain_event_t *ev = NULL;
        size_t n = 0;
        if (all_events(c, &ev, &n) != 0) {
            zr_chain_free(c);
            return ZR_CLI_FAIL;
        }
        for (size_t i = 0; i < n; i++)
            if (ev[i].kind == ZR_EV_REVEALED && ev[i].submission_id == t.best_id)
                snprintf(best_cid, sizeof best_cid, "%s", ev[i].cid);
        free(ev);
    }
    zr_chain_free(c);
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", o->out ? o->out : "");
    if (!dir[0])
        snprintf(dir, sizeof dir, "task-%llu", (unsigned long long)id);
    if (zr_mkdirs(dir, 0755) != 0)
        return zr_cli_fail("cannot create %s", dir);
    zr_store_t *st;
    if (zr_cli_store_open(o->store_dir, &st) != 0)
        return ZR_CLI_FAIL;
    const char *cids[3] = {t.arch_cid, t.eval_cid, best_cid};
    const char *names[3] = {"arch.json", "eval.lua", "best.safetensors"};
    for (int i = 0; i < 3 && rc == 0; i++) {
        zr_cid_t cid;
        char path[1200];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if ((rc = zr_cid_parse(&cid, cids[i])) != 0 || (rc = zr_store_get_file(st, &cid, path, NULL)) != 0)
            zr_cli_fail("cannot fetch %s (%s): %s", names[i], cids[i], zr_store_errmsg(st));
    }
    zr_store_free(st);
    if (rc)
        return ZR_CLI_FAIL;
    if (o->c.json) {
        zr_cli_print_json(json_pack("{s:I, s:s, s:I, s:f}", "taskId", (json_int_t)id, "dir", dir, "bestId",
                                    (json_int_t)t.best_id, "bestScore", wad_to_double(t.best_score)));
    } else {
        printf("task %llu pulled into %s/: arch.json, eval.lua, best.safetensors (submission %llu, score %.9f)\n"
               "next: zara train --arch %s/arch.json --eval %s/eval.lua --init %s/best.safetensors --out mine.safetensors\n",
               (unsigned long long)id, dir, (unsigned long long)t.best_id, wad_to_double(t.best_score), dir, dir, dir);
    }
    return 0;
}

static int close_task(task_opts_t *o)
{
    if (!o->id)
        return zr_cli_usage_error("task close", "ID is required");
    zr_chain_t *c;
    if (zr_cli_chain_open(&o->c, 1, &c) != 0)
        return ZR_CLI_FAIL;
    int rc = zr_chain_close_task(c, strtoull(o->id, NULL, 10), NULL);
    if (rc)
        zr_cli_fail("closeTask: %s", zr_chain_errmsg(c));
    else
        printf("task %s closed; what was left of the pool is credited to the owner: `zara rewards withdraw`\n", o->id);
    zr_chain_free(c);
    return rc ? ZR_CLI_FAIL : 0;
}

int zr_cli_main_task(int argc, char **argv)
{
    if (argc < 2 || zr_cli_help_asked(argc, argv)) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? ZR_CLI_USAGE : 0;
    }
    task_opts_t o;
    memset(&o, 0, sizeof o);
    static const struct {
        const char *flag;
        size_t off;
    } flags[] = {
        {"--arch", offsetof(task_opts_t, arch)},         {"--params", offsetof(task_opts_t, params)},
        {"--eval", offsetof(task_opts_t, eval)},         {"--pool", offsetof(task_opts_t, pool)},
        {"--reward", offsetof(task_opts_t, reward)},     {"--fee", offsetof(task_opts_t, fee)},
        {"--bond", offsetof(task_opts_t, bond)},         {"--slash-bps", offsetof(task_opts_t, slash)},
        {"--min-improvement", offsetof(task_opts_t, minimp)}, {"--deadline", offsetof(task_opts_t, deadline)},
        {"--token", offsetof(task_opts_t, token)},       {"--store-dir", offsetof(task_opts_t, store_dir)},
        {"--out", offsetof(task_opts_t, out)},
    };
    for (int i = 2; i < argc; i++) {
        int cc = zr_cli_chain_opt(&o.c, "task", argc, argv, &i);
        if (cc == 1)
            continue;
        if (cc != 0)
            return cc;
        int found = 0;
        for (size_t k = 0; k < ZR_ARRAY_LEN(flags) && !found; k++) {
            if (!strcmp(argv[i], flags[k].flag)) {
                if (i + 1 >= argc)
                    return zr_cli_usage_error("task", "%s needs a value", argv[i]);
                *(const char **)((char *)&o + flags[k].off) = argv[++i];
                found = 1;
            }
        }
        if (found)
            continue;
        if (argv[i][0] != '-' && !o.id)
            o.id = argv[i];
        else
            return zr_cli_usage_error("task", "unknown argument %s", argv[i]);
    }
    const char *sub = argv[1];
    if (!strcmp(sub, "create"))
        return create(&o);
    if (!strcmp(sub, "list"))
        return list(&o);
    if (!strcmp(sub, "show"))
        return show(&o);
    if (!strcmp(sub, "pull"))
        return pull(&o);
    if (!strcmp(sub, "close"))
        return close_task(&o);
    return zr_cli_usage_error("task", "unknown command %s", sub);
}
