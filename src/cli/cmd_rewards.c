// SPDX-License-Identifier: MIT
// `zara rewards show|withdraw`: what the contracts owe an account — operator rewards in the
// AttestationCenter (performer, aggregator and signer shares of the fees, bounties) and
// ETH credited by ModelSubmission (optimizer rewards and bond refunds, owner refunds) —
// and pulling both.
#include <stdio.h>
#include <string.h>

#include "cli.h"

const char zr_cli_summary_rewards[] = "show or withdraw operator rewards";

int zr_cli_main_rewards(int argc, char **argv)
{
    if (argc < 2 || zr_cli_help_asked(argc, argv)) {
        FILE *f = argc < 2 ? stderr : stdout;
        fprintf(f, "usage: zara rewards show [ADDRESS] | withdraw   [--rpc URL] [--deployment FILE]\n"
                   "       [--keystore FILE|DIR] [--password-file FILE] [--json]\n");
        return argc < 2 ? ZR_CLI_USAGE : 0;
    }
    zr_cli_chain_opts_t o;
    memset(&o, 0, sizeof o);
    const char *who = NULL;
    for (int i = 2; i < argc; i++) {
        int c = zr_cli_chain_opt(&o, "rewards", argc, argv, &i);
        if (c == 1)
            continue;
        if (c != 0)
            return c;
        if (argv[i][0] != '-' && !who)
            who = argv[i];
        else
            return zr_cli_usage_error("rewards", "unknown argument %s", argv[i]);
    }
    int show = !strcmp(argv[1], "show");
    if (!show && strcmp(argv[1], "withdraw"))
        return zr_cli_usage_error("rewards", "unknown command %s", argv[1]);
    zr_chain_t *c;
    uint8_t addr[20];
    if (show && who) {
        if (zr_hex_decode_exact(addr, 20, who) != 0)
            return zr_cli_usage_error("rewards", "ADDRESS must be 0x and 40 hex digits");
        if (zr_cli_chain_open(&o, 0, &c) != 0)
            return ZR_CLI_FAIL;
    } else {
        if (zr_cli_chain_open(&o, 1, &c) != 0)
            return ZR_CLI_FAIL;
        memcpy(addr, zr_chain_sender(c), 20);
    }
    static const uint8_t zero[32], eth_token[20];
    uint8_t op_amount[32], ms_amount[32];
    int rc = zr_chain_rewards(c, addr, op_amount);
    if (rc == 0)
        rc = zr_chain_claimable(c, eth_token, addr, ms_amount);
    char op_eth[100], ms_eth[100], ah[43];
    zr_cli_format_ether(op_eth, op_amount);
    zr_cli_format_ether(ms_eth, ms_amount);
    zr_cli_addr_hex(ah, addr);
    int have_op = memcmp(op_amount, zero, 32) != 0, have_ms = memcmp(ms_amount, zero, 32) != 0;
    if (rc == 0 && !show) {
        if (!have_op && !have_ms) {
            zr_chain_free(c);
            return zr_cli_fail("nothing to withdraw for %s", ah);
        }
        if (have_op)
            rc = zr_chain_rewards_withdraw(c, NULL);
        if (rc == 0 && have_ms)
            rc = zr_chain_withdraw(c, eth_token, NULL);
    }
    if (rc) {
        zr_cli_fail("%s", zr_chain_errmsg(c));
    } else if (o.json) {
        char d1[80], d2[80];
        zr_proto_u256_to_dec(d1, op_amount);
        zr_proto_u256_to_dec(d2, ms_amount);
        zr_cli_print_json(json_pack("{s:s, s:s, s:s, s:b}", "account", ah, "operatorRewardsWei", d1, "claimableWei", d2,
                                    "withdrawn", !show));
    } else if (show) {
        printf("%s can withdraw %s ETH of operator rewards and %s ETH from tasks\n", ah, op_eth, ms_eth);
    } else {
        printf("withdrew %s ETH of operator rewards and %s ETH from tasks to %s\n", have_op ? op_eth : "0",
               have_ms ? ms_eth : "0", ah);
    }
    zr_chain_free(c);
    return rc ? ZR_CLI_FAIL : 0;
}
