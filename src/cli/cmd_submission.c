// SPDX-License-Identifier: MIT
// `zara submission show|expire ID`: a submission's state on chain with its seed and
// verdict, and expiring one whose verdict did not come within EVAL_TIMEOUT (bond and fee
// refunded).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char zr_cli_summary_submission[] = "show a submission or expire one that got no verdict";

static const char *const states[] = {"none", "committed", "revealed", "settled", "expired"};

int zr_cli_main_submission(int argc, char **argv)
{
    if (argc < 2 || zr_cli_help_asked(argc, argv)) {
        FILE *f = argc < 2 ? stderr : stdout;
        fprintf(f, "usage: zara submission show ID | expire ID   [--rpc URL] [--deployment FILE]\n"
                   "       [--keystore FILE|DIR] [--password-file FILE] [--json]\n");
        return argc < 2 ? ZR_CLI_USAGE : 0;
    }
    int expire = !strcmp(argv[1], "expire");
    if (!expire && strcmp(argv[1], "show"))
        return zr_cli_usage_error("submission", "unknown command %s", argv[1]);
    zr_cli_chain_opts_t o;
    memset(&o, 0, sizeof o);
    const char *id_s = NULL;
    for (int i = 2; i < argc; i++) {
        int cc = zr_cli_chain_opt(&o, "submission", argc, argv, &i);
        if (cc == 1)
            continue;
        if (cc != 0)
            return cc;
        if (argv[i][0] != '-' && !id_s)
            id_s = argv[i];
        else
            return zr_cli_usage_error("submission", "unknown argument %s", argv[i]);
    }
    char *end;
    uint64_t id = id_s ? strtoull(id_s, &end, 10) : 0;
    if (!id_s || *end || id == 0)
        return zr_cli_usage_error("submission", "ID must be a submission id");
    zr_chain_t *c;
    if (zr_cli_chain_open(&o, expire, &c) != 0)
        return ZR_CLI_FAIL;
    zr_submission_t s;
    int rc = zr_chain_get_submission(c, id, &s);
    if (rc) {
        zr_cli_fail("%s", zr_chain_errmsg(c));
        zr_chain_free(c);
        return ZR_CLI_FAIL;
    }
    if (expire) {
        rc = zr_chain_expire(c, id, NULL);
        if (rc)
            zr_cli_fail("expire: %s", zr_chain_errmsg(c));
        else
            printf("submission %llu expired; bond and fee are credited back (`zara rewards withdraw`)\n",
                   (unsigned long long)id);
        zr_chain_free(c);
        return rc ? ZR_CLI_FAIL : 0;
    }
    char ah[43], seed[67] = "0x";
    zr_cli_addr_hex(ah, s.optimizer);
    zr_hex_encode(seed + 2, s.seed, 32);
    const char *state = s.state >= 0 && s.state < 5 ? states[s.state] : "unknown";
    if (o.json) {
        zr_cli_print_json(json_pack("{s:I, s:I, s:s, s:s, s:I, s:I, s:s}", "submissionId", (json_int_t)id, "taskId",
                                    (json_int_t)s.task_id, "optimizer", ah, "state", state, "commitBlock",
                                    (json_int_t)s.commit_block, "seedBlock", (json_int_t)s.seed_block, "seed", seed));
    } else {
        printf("submission %llu of task %llu by %s\nstate       %s\ncommitted   block %llu\n",
               (unsigned long long)id, (unsigned long long)s.task_id, ah, state, (unsigned long long)s.commit_block);
        if (s.seed_block)
            printf("seed block  %llu\n", (unsigned long long)s.seed_block);
        static const uint8_t zero[32];
        if (memcmp(s.seed, zero, 32) != 0)
            printf("seed        %s\n", seed);
    }
    zr_chain_free(c);
    return 0;
}
