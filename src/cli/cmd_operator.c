// SPDX-License-Identifier: MIT
// `zara operator keygen|register|exit|withdraw|status`: an operator's keys (an Ethereum V3
// keystore and a BLS keystore side by side), registration with stake, BN254 keys and a
// proof of possession, the exit with its delay, and the operator's status on chain.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "zara/bls.h"
#include "zara/ecdsa.h"
#include "zara/keystore.h"

const char zr_cli_summary_operator[] = "operator keys, registration, exit and status";

static void usage(FILE *f)
{
    fprintf(f,
            "usage: zara operator <command> [options]\n\n"
            "  keygen --dir D [--scrypt-n N]           new ECDSA + BLS keystores in D\n"
            "  register --stake AMOUNT --endpoint URL [--aggregator]\n"
            "                                          stake and register the BLS keys\n"
            "  exit                                    request the exit (starts the delay)\n"
            "  withdraw                                complete the exit and take the stake back\n"
            "  status [ADDRESS]                        registration, stake, keys, rewards\n\n"
            "common: --rpc URL --deployment FILE --keystore FILE|DIR --bls-keystore FILE\n"
            "        --password-file FILE --json   (or ZARA_RPC, ZARA_DEPLOYMENT, ZARA_KEYSTORE,\n"
            "        ZARA_BLS_KEYSTORE, ZARA_PASSWORD_FILE; a running devnet fills rpc/deployment)\n"
            "AMOUNT is wei or has a unit: 32ether, 1.5ether, 100gwei.\n");
}

static const char *const status_names[] = {"none", "active", "exiting", "exited", "slashed"};

static int keygen(int argc, char **argv)
{
    const char *dir = NULL, *pwfile = NULL;
    uint32_t scrypt_n = ZR_BLS_KEYSTORE_SCRYPT_N;
    int json = 0;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--dir") && i + 1 < argc)
            dir = argv[++i];
        else if (!strcmp(argv[i], "--password-file") && i + 1 < argc)
            pwfile = argv[++i];
        else if (!strcmp(argv[i], "--scrypt-n") && i + 1 < argc)
            scrypt_n = (uint32_t)strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--json"))
            json = 1;
        else
            return zr_cli_usage_error("operator keygen", "unknown argument %s", argv[i]);
    }
    if (!dir)
        return zr_cli_usage_error("operator keygen", "--dir is required");
    if (zr_mkdirs(dir, 0700) != 0)
        return zr_cli_fail("cannot create %s", dir);
    char blspath[1200];
    snprintf(blspath, sizeof blspath, "%s/bls.json", dir);
    FILE *exists = fopen(blspath, "r");
    if (exists) {
        fclose(exists);
        return zr_cli_fail("%s already exists: keygen never overwrites keys", blspath);
    }
    char pw[1024];
    if (zr_cli_read_password(pwfile, "New password: ", 1, pw, sizeof pw) != 0)
        return ZR_CLI_FAIL;
    uint8_t sk[32], addr[20];
    zr_bls_secret_t bsk;
    int rc = zr_ecdsa_seckey_generate(sk);
    if (rc == 0)
        rc = zr_bls_secret_generate(&bsk);
    char ecpath[1200] = "";
    if (rc == 0)
        rc = zr_keystore_save(ecpath, sizeof ecpath, dir, sk, pw, scrypt_n);
    if (rc == 0)
        rc = zr_bls_keystore_save(blspath, &bsk, pw, scrypt_n);
    if (rc == 0)
        rc = zr_ecdsa_seckey_address(addr, sk);
    zr_wipe(pw, sizeof pw);
    zr_wipe(sk, sizeof sk);
    if (rc) {
        zr_bls_secret_wipe(&bsk);
        return zr_cli_fail("keygen: %s", zr_strerror(rc));
    }
    zr_bls_pubkey_t pk;
    zr_bls_pubkey_from_secret(&pk, &bsk);
    zr_bls_secret_wipe(&bsk);
    uint8_t g1[64], g2[128], id[32];
    zr_bls_pubkey_encode(g1, g2, &pk);
    zr_bls_operator_id(id, &pk.g1);
    char ah[43], g1h[131], idh[67];
    zr_cli_addr_hex(ah, addr);
    g1h[0] = idh[0] = '0';
    g1h[1] = idh[1] = 'x';
    zr_hex_encode(g1h + 2, g1, 64);
    zr_hex_encode(idh + 2, id, 32);
    if (json) {
        zr_cli_print_json(json_pack("{s:s, s:s, s:s, s:s, s:s}", "address", ah, "keystore", ecpath, "blsKeystore",
                                    blspath, "blsPubkeyG1", g1h, "operatorId", idh));
    } else {
        printf("address       %s\nkeystore      %s\nbls keystore  %s\noperator id   %s\n", ah, ecpath, blspath, idh);
    }
    return 0;
}

static int status(zr_cli_chain_opts_t *o, const char *who)
{
    zr_chain_t *c;
    uint8_t addr[20];
    if (who) {
        if (zr_hex_decode_exact(addr, 20, who) != 0)
            return zr_cli_usage_error("operator status", "ADDRESS must be 0x and 40 hex digits");
        if (zr_cli_chain_open(o, 0, &c) != 0)
            return ZR_CLI_FAIL;
    } else {
        if (zr_cli_chain_open(o, 1, &c) != 0)
            return ZR_CLI_FAIL;
        memcpy(addr, zr_chain_sender(c), 20);
    }
    zr_operator_t op;
    uint8_t rewards[32];
    int rc = zr_chain_operator_info(c, addr, &op);
    if (rc == 0)
        rc = zr_chain_rewards(c, addr, rewards);
    if (rc) {
        zr_cli_fail("%s", zr_chain_errmsg(c));
        zr_chain_free(c);
        return ZR_CLI_FAIL;
    }
    char ah[43], stake[100], rew[100], idh[67];
    zr_cli_addr_hex(ah, addr);
    zr_cli_format_ether(stake, op.stake);
    zr_cli_format_ether(rew, rewards);
    idh[0] = '0';
    idh[1] = 'x';
    zr_hex_encode(idh + 2, op.id, 32);
    const char *st = op.status >= 0 && op.status < 5 ? status_names[op.status] : "unknown";
    if (o->json) {
        zr_cli_print_json(json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:I}", "address", ah, "status", st,
                                    "stakeEth", stake, "endpoint", op.endpoint, "aggregator", op.aggregator,
                                    "operatorId", idh, "rewardsEth", rew, "exitableAt", (json_int_t)op.exitable_at));
    } else {
        printf("operator    %s\nstatus      %s\nstake       %s ETH\nendpoint    %s\naggregator  %s\n"
               "operator id %s\nrewards     %s ETH (withdraw with `zara rewards withdraw`)\n",
               ah, st, stake, op.endpoint[0] ? op.endpoint : "-", op.aggregator ? "yes" : "no", idh, rew);
        if (op.status == 2)
            printf("exit        possible from block %llu (`zara operator withdraw`)\n",
                   (unsigned long long)op.exitable_at);
    }
    zr_chain_free(c);
    return 0;
}

static int register_op(zr_cli_chain_opts_t *o, const char *stake_text, const char *endpoint, int aggregator)
{
    uint8_t stake[32];
    if (!stake_text || zr_cli_parse_amount(stake_text, stake) != 0)
        return zr_cli_usage_error("operator register", "--stake AMOUNT is required (e.g. 32ether)");
    if (!endpoint)
        return zr_cli_usage_error("operator register", "--endpoint URL is required (where aggregators reach you)");
    o->bls_keystore = zr_cli_opt(o->bls_keystore, "ZARA_BLS_KEYSTORE", NULL);
    if (!o->bls_keystore)
        return zr_cli_fail("a BLS keystore is needed: use --bls-keystore FILE or ZARA_BLS_KEYSTORE");
    zr_chain_t *c;
    if (zr_cli_chain_open(o, 1, &c) != 0)
        return ZR_CLI_FAIL;
    char pw[1024], err[300];
    zr_bls_secret_t sk;
    int rc = zr_cli_read_password(o->password_file, "BLS keystore password: ", 0, pw, sizeof pw);
    if (rc == 0) {
        rc = zr_bls_keystore_load(&sk, o->bls_keystore, pw, err, sizeof err);
        if (rc)
            zr_cli_fail("BLS keystore %s: %s", o->bls_keystore, rc == ZR_EPASSWORD ? "wrong password" : err);
    }
    zr_wipe(pw, sizeof pw);
    if (rc) {
        zr_chain_free(c);
        return ZR_CLI_FAIL;
    }
    const zr_deployment_t *d = zr_chain_deployment(c);
    zr_bls_pubkey_t pk;
    zr_bls_pubkey_from_secret(&pk, &sk);
    zr_bn254_g1_t pop;
    zr_bls_pop_prove(&pop, &sk, zr_chain_sender(c), d->chain_id, d->governance);
    zr_bls_secret_wipe(&sk);
    uint8_t g1[64], g2[128], popb[64];
    zr_bls_pubkey_encode(g1, g2, &pk);
    zr_bn254_g1_encode(popb, &pop);
    zr_rpc_receipt_t r;
    zr_rpc_receipt_init(&r);
    rc = zr_chain_register(c, g1, g2, popb, endpoint, aggregator, stake, &r);
    if (rc) {
        zr_cli_fail("register: %s", zr_chain_errmsg(c));
    } else if (o->json) {
        char ah[43];
        zr_cli_addr_hex(ah, zr_chain_sender(c));
        zr_cli_print_json(json_pack("{s:s, s:I, s:I}", "operator", ah, "block", (json_int_t)r.block_number, "gasUsed",
                                    (json_int_t)r.gas_used));
    } else {
        char ah[43];
        zr_cli_addr_hex(ah, zr_chain_sender(c));
        printf("registered %s with %s wei of stake in block %llu\n", ah, stake_text, (unsigned long long)r.block_number);
    }
    zr_rpc_receipt_cleanup(&r);
    zr_chain_free(c);
    return rc ? ZR_CLI_FAIL : 0;
}

static int simple_tx(zr_cli_chain_opts_t *o, int which)
{
    zr_chain_t *c;
    if (zr_cli_chain_open(o, 1, &c) != 0)
        return ZR_CLI_FAIL;
    zr_rpc_receipt_t r;
    zr_rpc_receipt_init(&r);
    int rc = which == 0 ? zr_chain_request_exit(c, &r) : zr_chain_complete_exit(c, &r);
    if (rc)
        zr_cli_fail("%s", zr_chain_errmsg(c));
    else if (o->json)
        zr_cli_print_json(json_pack("{s:I, s:I}", "block", (json_int_t)r.block_number, "gasUsed", (json_int_t)r.gas_used));
    else
        printf("%s in block %llu\n", which == 0 ? "exit requested" : "exit completed, stake returned",
               (unsigned long long)r.block_number);
    zr_rpc_receipt_cleanup(&r);
    zr_chain_free(c);
    return rc ? ZR_CLI_FAIL : 0;
}

int zr_cli_main_operator(int argc, char **argv)
{
    if (argc < 2 || zr_cli_help_asked(argc, argv)) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? ZR_CLI_USAGE : 0;
    }
    const char *sub = argv[1];
    if (!strcmp(sub, "keygen"))
        return keygen(argc, argv);
    zr_cli_chain_opts_t o;
    memset(&o, 0, sizeof o);
    const char *stake = NULL, *endpoint = NULL, *who = NULL;
    int aggregator = 0;
    for (int i = 2; i < argc; i++) {
        int c = zr_cli_chain_opt(&o, "operator", argc, argv, &i);
        if (c == 1)
            continue;
        if (c != 0)
            return c;
        if (!strcmp(argv[i], "--stake") && i + 1 < argc)
            stake = argv[++i];
        else if (!strcmp(argv[i], "--endpoint") && i + 1 < argc)
            endpoint = argv[++i];
        else if (!strcmp(argv[i], "--aggregator"))
            aggregator = 1;
        else if (argv[i][0] != '-' && !who)
            who = argv[i];
        else
            return zr_cli_usage_error("operator", "unknown argument %s", argv[i]);
    }
    if (!strcmp(sub, "register"))
        return register_op(&o, stake, endpoint, aggregator);
    if (!strcmp(sub, "exit"))
        return simple_tx(&o, 0);
    if (!strcmp(sub, "withdraw"))
        return simple_tx(&o, 1);
    if (!strcmp(sub, "status"))
        return status(&o, who);
    return zr_cli_usage_error("operator", "unknown command %s", sub);
}
