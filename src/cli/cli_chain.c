// SPDX-License-Identifier: MIT
// Shared plumbing of the commands that talk to the contracts: the common options, their
// ZARA_* and devnet fallbacks, opening the chain with a decrypted key, and wei amounts.
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "zara/abi.h"
#include "zara/keystore.h"

const char *zr_cli_devnet_dir(void)
{
    static char path[1024];
    const char *d = getenv("ZARA_DEVNET_DIR");
    if (d && *d) {
        snprintf(path, sizeof path, "%s", d);
    } else {
        const char *home = getenv("HOME");
        snprintf(path, sizeof path, "%s/.zara/devnet", home ? home : ".");
    }
    return path;
}

int zr_cli_chain_opt(zr_cli_chain_opts_t *o, const char *cmd, int argc, char **argv, int *i)
{
    static const struct {
        const char *name;
        size_t off;
    } opts[] = {
        {"--rpc", offsetof(zr_cli_chain_opts_t, rpc)},
        {"--deployment", offsetof(zr_cli_chain_opts_t, deployment)},
        {"--keystore", offsetof(zr_cli_chain_opts_t, keystore)},
        {"--bls-keystore", offsetof(zr_cli_chain_opts_t, bls_keystore)},
        {"--password-file", offsetof(zr_cli_chain_opts_t, password_file)},
    };
    const char *a = argv[*i];
    if (strcmp(a, "--json") == 0) {
        o->json = 1;
        return 1;
    }
    for (size_t k = 0; k < ZR_ARRAY_LEN(opts); k++) {
        size_t nl = strlen(opts[k].name);
        const char **slot = (const char **)((char *)o + opts[k].off);
        if (strcmp(a, opts[k].name) == 0) {
            if (*i + 1 >= argc)
                return zr_cli_usage_error(cmd, "%s needs a value", a);
            *slot = argv[++*i];
            return 1;
        }
        if (strncmp(a, opts[k].name, nl) == 0 && a[nl] == '=') {
            *slot = a + nl + 1;
            return 1;
        }
    }
    return 0;
}

/* Reads rpc/deployment from <devnet>/devnet.json when the devnet is up. */
static void devnet_defaults(zr_cli_chain_opts_t *o)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/devnet.json", zr_cli_devnet_dir());
    zr_buf_t b;
    zr_buf_init(&b, 1 << 20);
    json_t *j = NULL;
    char e[100];
    if (zr_file_read(path, b.max, &b) == 0 && zr_json_parse((const char *)b.data, b.len, b.max, &j, e, sizeof e) == 0) {
        const char *rpc = zr_json_str(j, "rpc"), *dep = zr_json_str(j, "deployment");
        if (!o->rpc && rpc) {
            snprintf(o->rpc_buf, sizeof o->rpc_buf, "%s", rpc);
            o->rpc = o->rpc_buf;
        }
        if (!o->deployment && dep) {
            snprintf(o->deployment_buf, sizeof o->deployment_buf, "%s", dep);
            o->deployment = o->deployment_buf;
        }
    }
    json_decref(j);
    zr_buf_cleanup(&b);
}

/* A keystore path: the file itself, or the only keystore in a directory. */
static int resolve_keystore(const char *p, char *out, size_t cap)
{
    struct stat st;
    if (stat(p, &st) != 0)
        return zr_cli_fail("keystore %s does not exist", p);
    if (!S_ISDIR(st.st_mode)) {
        snprintf(out, cap, "%s", p);
        return 0;
    }
    zr_keystore_entry_t *e = NULL;
    size_t n = 0;
    if (zr_keystore_list(&e, &n, p) != 0 || n != 1) {
        zr_keystore_list_free(e, n);
        return zr_cli_fail("keystore directory %s holds %zu keystores: name one file with --keystore", p, n);
    }
    snprintf(out, cap, "%s", e[0].path);
    zr_keystore_list_free(e, n);
    return 0;
}

int zr_cli_chain_open(zr_cli_chain_opts_t *o, int need_key, zr_chain_t **out)
{
    *out = NULL;
    o->rpc = zr_cli_opt(o->rpc, "ZARA_RPC", NULL);
    o->deployment = zr_cli_opt(o->deployment, "ZARA_DEPLOYMENT", NULL);
    o->keystore = zr_cli_opt(o->keystore, "ZARA_KEYSTORE", NULL);
    o->bls_keystore = zr_cli_opt(o->bls_keystore, "ZARA_BLS_KEYSTORE", NULL);
    if (!o->rpc || !o->deployment)
        devnet_defaults(o);
    if (!o->rpc)
        o->rpc = "http://127.0.0.1:8545";
    if (!o->deployment)
        return zr_cli_fail("no deployment: use --deployment FILE, ZARA_DEPLOYMENT, or start a devnet");
    zr_deployment_t d;
    char err[600];
    if (zr_deployment_load(&d, o->deployment, err, sizeof err) != 0)
        return zr_cli_fail("%s", err);
    uint8_t sk[32];
    int have_key = 0;
    if (need_key) {
        if (!o->keystore)
            return zr_cli_fail("a key is needed: use --keystore FILE or ZARA_KEYSTORE");
        char path[1024];
        if (resolve_keystore(o->keystore, path, sizeof path) != 0)
            return ZR_CLI_FAIL;
        char pw[1024];
        if (zr_cli_read_password(o->password_file, "Keystore password: ", 0, pw, sizeof pw) != 0)
            return ZR_CLI_FAIL;
        int rc = zr_keystore_load(sk, NULL, path, pw, err, sizeof err);
        zr_wipe(pw, sizeof pw);
        if (rc)
            return zr_cli_fail("keystore %s: %s", path, rc == ZR_EPASSWORD ? "wrong password" : err);
        have_key = 1;
    }
    int rc = zr_chain_open(out, o->rpc, &d, have_key ? sk : NULL, err, sizeof err);
    zr_wipe(sk, sizeof sk);
    if (rc)
        return zr_cli_fail("%s", err);
    return 0;
}

int zr_cli_parse_amount(const char *text, uint8_t out[32])
{
    zr_abi_type_t *t = NULL;
    zr_abi_value_t *v = NULL;
    zr_abi_diag_t diag = {0};
    int rc = zr_abi_type_parse(&t, "uint256", &diag);
    if (rc == 0)
        rc = zr_abi_value_parse(&v, t, text, &diag);
    if (rc == 0)
        rc = zr_abi_value_u256(v, out);
    zr_abi_value_free(v);
    zr_abi_type_free(t);
    return rc;
}

void zr_cli_format_ether(char out[100], const uint8_t wei[32])
{
    char dec[80];
    zr_proto_u256_to_dec(dec, wei);
    size_t n = strlen(dec);
    char whole[80], frac[19];
    if (n > 18) {
        memcpy(whole, dec, n - 18);
        whole[n - 18] = 0;
        memcpy(frac, dec + n - 18, 18);
    } else {
        snprintf(whole, sizeof whole, "0");
        memset(frac, '0', 18 - n);
        memcpy(frac + 18 - n, dec, n);
    }
    frac[18] = 0;
    int end = 18;
    while (end > 0 && frac[end - 1] == '0')
        frac[--end] = 0;
    if (end)
        snprintf(out, 100, "%s.%s", whole, frac);
    else
        snprintf(out, 100, "%s", whole);
}

void zr_cli_addr_hex(char out[43], const uint8_t a[20])
{
    out[0] = '0';
    out[1] = 'x';
    zr_hex_encode(out + 2, a, 20);
}

const char *zr_cli_store_dir(const char *dir_flag, char *out, size_t cap)
{
    const char *d = zr_cli_opt(dir_flag, "ZARA_STORE_DIR", NULL);
    if (d) {
        snprintf(out, cap, "%s", d);
    } else {
        char devnet[1200];
        snprintf(devnet, sizeof devnet, "%s/devnet.json", zr_cli_devnet_dir());
        if (access(devnet, R_OK) == 0) {
            snprintf(out, cap, "%s/store", zr_cli_devnet_dir());
        } else {
            const char *home = getenv("HOME");
            snprintf(out, cap, "%s/.zara/store", home ? home : ".");
        }
    }
    return out;
}

int zr_cli_store_open(const char *dir_flag, zr_store_t **out)
{
    char dir[1200];
    zr_cli_store_dir(dir_flag, dir, sizeof dir);
    zr_store_config_t cfg = {.dir = dir, .ipfs_api = zr_cli_opt(NULL, "ZARA_IPFS_API", NULL),
                             .gateway = zr_cli_opt(NULL, "ZARA_IPFS_GATEWAY", NULL)};
    char err[400];
    if (zr_store_open(out, &cfg, err, sizeof err) != 0)
        return zr_cli_fail("content store %s: %s", dir, err);
    return 0;
}

int zr_cli_store_put(zr_store_t *s, const char *path, char cid[ZR_CID_STR_MAX])
{
    zr_cid_t c;
    uint64_t size;
    int rc = zr_store_put_file(s, path, 1, &c, &size);
    if (rc)
        return zr_cli_fail("cannot store %s: %s (%s)", path, zr_strerror(rc), zr_store_errmsg(s));
    zr_cid_format(cid, &c);
    return 0;
}
