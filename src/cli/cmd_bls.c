// SPDX-License-Identifier: MIT
// `zara bls keygen|pubkey|sign|verify|aggregate|pop`: BN254 BLS keys, signatures and
// aggregates for scripts and debugging, with the encodings of the contracts (G1 = x‖y,
// G2 = x.im‖x.re‖y.im‖y.re, 32-byte big-endian words, 0x-hex). Secrets live in a BLS
// keystore (scrypt + AES-128-CTR) or, for tests, in a hex file given with --secret-file.
#include <errno.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "zara/bls.h"

const char zr_cli_summary_bls[] = "BN254 BLS keys, signatures and aggregates (EigenLayer conventions)";

static const char USAGE[] =
    "usage: zara bls keygen --out FILE [--password-file F] [--scrypt-n N] [--seed-file F] [--json]\n"
    "       zara bls pubkey (--keystore FILE | --secret-file F) [--password-file F] [--json]\n"
    "       zara bls sign (--keystore FILE | --secret-file F) [--password-file F] [--json] DIGEST\n"
    "       zara bls verify --g2 HEX [--g1 HEX] --sig HEX DIGEST\n"
    "       zara bls aggregate [--json] POINT...\n"
    "       zara bls pop (--keystore FILE | --secret-file F) --operator ADDR --chain-id N\n"
    "                    --governance ADDR [--password-file F] [--json]\n"
    "\n"
    "DIGEST is the 32-byte message (0x-hex), signed as sk*hashToG1(DIGEST).\n"
    "keygen   creates a BLS keystore (secret from the OS CSPRNG, or derived from the 32+\n"
    "         bytes of --seed-file); --scrypt-n defaults to 262144 (ZARA_BLS_SCRYPT_N).\n"
    "pubkey   prints the G1 and G2 public keys and the operator id (the keystore's public\n"
    "         part needs no password).\n"
    "sign     prints the G1 signature.\n"
    "verify   with --g1 and --g2: the contracts' γ-trick check of an aggregate; with --g2\n"
    "         only: e(sig, -G2) e(H(m), pkG2) = 1. Exit 0 and \"valid\" when it holds.\n"
    "aggregate sums G1 points (64 bytes: keys or signatures) or G2 points (128 bytes).\n"
    "pop      the proof of possession for registration: a signature on\n"
    "         keccak256(abi.encode(operator, chainId, governance)).\n"
    "The password comes from --password-file, $ZARA_PASSWORD_FILE or the terminal.\n"
    "--secret-file holds the secret as 0x-hex (for tests only: it is not encrypted).\n";

typedef struct opts {
    const char *out, *keystore, *secret_file, *password_file, *seed_file, *g1, *g2, *sig;
    const char *operator_addr, *governance, *chain_id, *scrypt_n;
    int json;
    char *pos[1100];
    int npos;
} opts_t;

static int parse(opts_t *o, int argc, char **argv)
{
    memset(o, 0, sizeof *o);
    static const struct {
        const char *name;
        size_t off;
    } flags[] = {
        {"--out", offsetof(opts_t, out)},
        {"--keystore", offsetof(opts_t, keystore)},
        {"--secret-file", offsetof(opts_t, secret_file)},
        {"--password-file", offsetof(opts_t, password_file)},
        {"--seed-file", offsetof(opts_t, seed_file)},
        {"--g1", offsetof(opts_t, g1)},
        {"--g2", offsetof(opts_t, g2)},
        {"--sig", offsetof(opts_t, sig)},
        {"--operator", offsetof(opts_t, operator_addr)},
        {"--governance", offsetof(opts_t, governance)},
        {"--chain-id", offsetof(opts_t, chain_id)},
        {"--scrypt-n", offsetof(opts_t, scrypt_n)},
    };
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            o->json = 1;
            continue;
        }
        if (strncmp(argv[i], "--", 2) == 0) {
            size_t k;
            for (k = 0; k < ZR_ARRAY_LEN(flags); k++)
                if (strcmp(argv[i], flags[k].name) == 0)
                    break;
            if (k == ZR_ARRAY_LEN(flags))
                return zr_cli_usage_error("bls", "unknown option %s", argv[i]);
            if (i + 1 >= argc)
                return zr_cli_usage_error("bls", "%s needs a value", argv[i]);
            *(const char **)((char *)o + flags[k].off) = argv[++i];
            continue;
        }
        if (o->npos >= (int)ZR_ARRAY_LEN(o->pos))
            return zr_cli_usage_error("bls", "too many arguments");
        o->pos[o->npos++] = argv[i];
    }
    return 0;
}

static int hex_exact(uint8_t *out, size_t n, const char *hex, const char *what)
{
    if (!hex || zr_hex_decode_exact(out, n, hex) != 0) {
        zr_cli_fail("%s must be %zu bytes of hex", what, n);
        return -1;
    }
    return 0;
}

static void put_hex(json_t *obj, const char *key, const uint8_t *b, size_t n)
{
    char h[2 + 2 * 192 + 1] = "0x";
    zr_hex_encode(h + 2, b, n);
    json_object_set_new(obj, key, json_string(h));
}

static void print_hex(const uint8_t *b, size_t n)
{
    char h[2 * 192 + 1];
    zr_hex_encode(h, b, n);
    printf("0x%s\n", h);
}

/* The secret from --keystore (asking for its password) or --secret-file. */
static int load_secret(zr_bls_secret_t *sk, const opts_t *o)
{
    if (!!o->keystore == !!o->secret_file)
        return zr_cli_usage_error("bls", "give exactly one of --keystore and --secret-file");
    if (o->secret_file) {
        zr_buf_t b;
        zr_buf_init(&b, 4096);
        int rc = zr_file_read(o->secret_file, 4096, &b);
        uint8_t raw[32];
        if (rc == 0) {
            const char *s = zr_buf_cstr(&b);
            size_t n = strcspn(s, "\r\n \t");
            char hex[80];
            rc = ZR_EHEX;
            if (n < sizeof hex) {
                memcpy(hex, s, n);
                hex[n] = 0;
                rc = zr_hex_decode_exact(raw, 32, hex);
                zr_wipe(hex, sizeof hex);
            }
            if (rc == 0)
                rc = zr_bls_secret_from_bytes(sk, raw);
            zr_wipe(raw, sizeof raw);
        }
        zr_buf_cleanup_secret(&b);
        if (rc)
            return zr_cli_fail("cannot read a secret key (32 bytes of hex in [1, r-1]) from %s: %s",
                               o->secret_file, zr_strerror(rc));
        return 0;
    }
    char pw[1024], err[256] = "";
    if (zr_cli_read_password(o->password_file, "BLS keystore password: ", 0, pw, sizeof pw) != 0)
        return ZR_CLI_FAIL;
    int rc = zr_bls_keystore_load(sk, o->keystore, pw, err, sizeof err);
    zr_wipe(pw, sizeof pw);
    if (rc)
        return zr_cli_fail("%s: %s", o->keystore, err[0] ? err : zr_strerror(rc));
    return 0;
}

static int print_pubkey(const zr_bls_pubkey_t *pk, const opts_t *o, const char *path)
{
    uint8_t g1[64], g2[128], id[32];
    zr_bls_pubkey_encode(g1, g2, pk);
    zr_bls_operator_id(id, &pk->g1);
    if (o->json) {
        json_t *j = json_object();
        if (path)
            json_object_set_new(j, "keystore", json_string(path));
        put_hex(j, "g1", g1, 64);
        put_hex(j, "g2", g2, 128);
        put_hex(j, "operatorId", id, 32);
        zr_cli_print_json(j);
    } else {
        if (path)
            printf("keystore   %s\n", path);
        printf("g1         ");
        print_hex(g1, 64);
        printf("g2         ");
        print_hex(g2, 128);
        printf("operatorId ");
        print_hex(id, 32);
    }
    return 0;
}

static int cmd_keygen(const opts_t *o)
{
    if (!o->out)
        return zr_cli_usage_error("bls", "keygen needs --out FILE");
    const char *ns = zr_cli_opt(o->scrypt_n, "ZARA_BLS_SCRYPT_N", NULL);
    unsigned long n = ZR_BLS_KEYSTORE_SCRYPT_N;
    if (ns) {
        char *end;
        errno = 0;
        n = strtoul(ns, &end, 10);
        if (errno || *end || n < 2 || n > (1u << 20) || (n & (n - 1)))
            return zr_cli_usage_error("bls", "--scrypt-n must be a power of two in [2, 2^20]");
    }
    FILE *exists = fopen(o->out, "r");
    if (exists) {
        fclose(exists);
        return zr_cli_fail("%s already exists; not overwriting a keystore", o->out);
    }
    zr_bls_secret_t sk;
    int rc;
    if (o->seed_file) {
        zr_buf_t b;
        zr_buf_init(&b, 1 << 16);
        rc = zr_file_read(o->seed_file, 1 << 16, &b);
        if (rc == 0)
            rc = zr_bls_secret_from_seed(&sk, b.data, b.len);
        zr_buf_cleanup_secret(&b);
        if (rc)
            return zr_cli_fail("cannot derive a key from %s (at least 32 bytes): %s", o->seed_file, zr_strerror(rc));
    } else if ((rc = zr_bls_secret_generate(&sk)) != 0) {
        return zr_cli_fail("cannot generate a key: %s", zr_strerror(rc));
    }
    char pw[1024];
    if (zr_cli_read_password(o->password_file, "New BLS keystore password: ", 1, pw, sizeof pw) != 0) {
        zr_bls_secret_wipe(&sk);
        return ZR_CLI_FAIL;
    }
    rc = zr_bls_keystore_save(o->out, &sk, pw, (uint32_t)n);
    zr_wipe(pw, sizeof pw);
    zr_bls_pubkey_t pk;
    zr_bls_pubkey_from_secret(&pk, &sk);
    zr_bls_secret_wipe(&sk);
    if (rc)
        return zr_cli_fail("cannot write %s: %s", o->out, zr_strerror(rc));
    return print_pubkey(&pk, o, o->out);
}

static int cmd_pubkey(const opts_t *o)
{
    zr_bls_pubkey_t pk;
    if (o->keystore && !o->secret_file) {
        zr_buf_t b;
        char err[256] = "";
        zr_buf_init(&b, ZR_BLS_KEYSTORE_MAX_FILE);
        int rc = zr_file_read(o->keystore, ZR_BLS_KEYSTORE_MAX_FILE, &b);
        if (rc == 0)
            rc = zr_bls_keystore_pubkey(&pk, (const char *)b.data, b.len, err, sizeof err);
        zr_buf_cleanup(&b);
        if (rc)
            return zr_cli_fail("%s: %s", o->keystore, err[0] ? err : zr_strerror(rc));
        return print_pubkey(&pk, o, NULL);
    }
    zr_bls_secret_t sk;
    int rc = load_secret(&sk, o);
    if (rc)
        return rc;
    zr_bls_pubkey_from_secret(&pk, &sk);
    zr_bls_secret_wipe(&sk);
    return print_pubkey(&pk, o, NULL);
}

static int print_sig(const zr_bn254_g1_t *sig, const uint8_t msg[32], const opts_t *o)
{
    uint8_t s[64];
    zr_bn254_g1_encode(s, sig);
    if (o->json) {
        json_t *j = json_object();
        put_hex(j, "digest", msg, 32);
        put_hex(j, "signature", s, 64);
        zr_cli_print_json(j);
    } else {
        print_hex(s, 64);
    }
    return 0;
}

static int cmd_sign(const opts_t *o)
{
    uint8_t msg[32];
    if (o->npos != 1)
        return zr_cli_usage_error("bls", "sign takes one DIGEST");
    if (hex_exact(msg, 32, o->pos[0], "DIGEST"))
        return ZR_CLI_FAIL;
    zr_bls_secret_t sk;
    int rc = load_secret(&sk, o);
    if (rc)
        return rc;
    zr_bn254_g1_t sig;
    zr_bls_sign(&sig, &sk, msg);
    zr_bls_secret_wipe(&sk);
    return print_sig(&sig, msg, o);
}

static int cmd_verify(const opts_t *o)
{
    uint8_t msg[32], g1b[64], g2b[128], sb[64];
    if (o->npos != 1)
        return zr_cli_usage_error("bls", "verify takes one DIGEST");
    if (!o->g2 || !o->sig)
        return zr_cli_usage_error("bls", "verify needs --g2 and --sig");
    if (hex_exact(msg, 32, o->pos[0], "DIGEST") || hex_exact(g2b, 128, o->g2, "--g2") ||
        hex_exact(sb, 64, o->sig, "--sig") || (o->g1 && hex_exact(g1b, 64, o->g1, "--g1")))
        return ZR_CLI_FAIL;
    zr_bn254_g1_t g1, sig;
    zr_bn254_g2_t g2;
    int rc;
    if ((rc = zr_bn254_g2_decode(&g2, g2b)) != 0)
        return zr_cli_fail("--g2: %s", zr_strerror(rc));
    if ((rc = zr_bn254_g1_decode(&sig, sb)) != 0)
        return zr_cli_fail("--sig: %s", zr_strerror(rc));
    if (o->g1) {
        if ((rc = zr_bn254_g1_decode(&g1, g1b)) != 0)
            return zr_cli_fail("--g1: %s", zr_strerror(rc));
        rc = zr_bls_verify(&g1, &g2, msg, &sig);
    } else {
        rc = zr_bls_verify_g2(&g2, msg, &sig);
    }
    if (rc)
        return zr_cli_fail("signature is not valid: %s", zr_strerror(rc));
    printf("valid\n");
    return 0;
}

static int cmd_aggregate(const opts_t *o)
{
    if (o->npos < 1)
        return zr_cli_usage_error("bls", "aggregate takes at least one point");
    size_t len = strlen(o->pos[0]) - (strncmp(o->pos[0], "0x", 2) == 0 ? 2 : 0);
    int g2 = len == 256;
    if (len != 128 && len != 256)
        return zr_cli_fail("points must be G1 (64 bytes) or G2 (128 bytes) in hex");
    zr_bn254_g1_t acc1, p1;
    zr_bn254_g2_t acc2, p2;
    zr_bn254_g1_infinity(&acc1);
    zr_bn254_g2_infinity(&acc2);
    for (int i = 0; i < o->npos; i++) {
        uint8_t b[128];
        int rc;
        if (hex_exact(b, g2 ? 128 : 64, o->pos[i], g2 ? "every point (as the first, G2)" : "every point (as the first, G1)"))
            return ZR_CLI_FAIL;
        rc = g2 ? zr_bn254_g2_decode(&p2, b) : zr_bn254_g1_decode(&p1, b);
        if (rc)
            return zr_cli_fail("point %d: %s", i + 1, zr_strerror(rc));
        if (g2)
            zr_bn254_g2_add(&acc2, &acc2, &p2);
        else
            zr_bn254_g1_add(&acc1, &acc1, &p1);
    }
    uint8_t out[128];
    if (g2)
        zr_bn254_g2_encode(out, &acc2);
    else
        zr_bn254_g1_encode(out, &acc1);
    if (o->json) {
        json_t *j = json_object();
        json_object_set_new(j, "group", json_string(g2 ? "G2" : "G1"));
        json_object_set_new(j, "count", json_integer(o->npos));
        put_hex(j, "sum", out, g2 ? 128 : 64);
        zr_cli_print_json(j);
    } else {
        print_hex(out, g2 ? 128 : 64);
    }
    return 0;
}

static int cmd_pop(const opts_t *o)
{
    uint8_t op[20], gov[20];
    if (!o->operator_addr || !o->governance || !o->chain_id)
        return zr_cli_usage_error("bls", "pop needs --operator, --chain-id and --governance");
    if (hex_exact(op, 20, o->operator_addr, "--operator") || hex_exact(gov, 20, o->governance, "--governance"))
        return ZR_CLI_FAIL;
    char *end;
    errno = 0;
    unsigned long long chain = strtoull(o->chain_id, &end, 0);
    if (errno || *end || !o->chain_id[0])
        return zr_cli_usage_error("bls", "--chain-id must be an integer");
    zr_bls_secret_t sk;
    int rc = load_secret(&sk, o);
    if (rc)
        return rc;
    zr_bn254_g1_t sig;
    uint8_t m[32];
    zr_bls_pop_message(m, op, (uint64_t)chain, gov);
    zr_bls_pop_prove(&sig, &sk, op, (uint64_t)chain, gov);
    zr_bls_secret_wipe(&sk);
    return print_sig(&sig, m, o);
}

int zr_cli_main_bls(int argc, char **argv)
{
    if (argc < 2 || zr_cli_help_asked(argc, argv)) {
        fputs(USAGE, argc < 2 ? stderr : stdout);
        return argc < 2 ? ZR_CLI_USAGE : 0;
    }
    opts_t o;
    int rc = parse(&o, argc, argv);
    if (rc)
        return rc;
    const char *sub = argv[1];
    if (strcmp(sub, "keygen") == 0)
        return cmd_keygen(&o);
    if (strcmp(sub, "pubkey") == 0)
        return cmd_pubkey(&o);
    if (strcmp(sub, "sign") == 0)
        return cmd_sign(&o);
    if (strcmp(sub, "verify") == 0)
        return cmd_verify(&o);
    if (strcmp(sub, "aggregate") == 0)
        return cmd_aggregate(&o);
    if (strcmp(sub, "pop") == 0)
        return cmd_pop(&o);
    return zr_cli_usage_error("bls", "unknown sub-command %s", sub);
}
