// SPDX-License-Identifier: MIT
// `zara keys new|import|list|address`: Ethereum V3 keystores in a directory (--keystore,
// $ZARA_KEYSTORE, default ~/.zara/keystore), interchangeable with geth and `cast wallet`.
// Passwords come from --password-file / $ZARA_PASSWORD_FILE or an unechoed prompt; private
// keys are imported from a file or stdin, never from the command line.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "zara/ecdsa.h"
#include "zara/keystore.h"

const char zr_cli_summary_keys[] = "Ethereum keystores: new, import, list, address (interchangeable with cast/geth)";

static const char k_usage[] =
    "usage: zara keys new     [--keystore DIR] [--password-file F] [--scrypt-n N] [--json]\n"
    "       zara keys import  [--keystore DIR] [--password-file F] [--scrypt-n N] [--force] [--json] [KEYFILE|-]\n"
    "       zara keys list    [--keystore DIR] [--json]\n"
    "       zara keys address [--keystore DIR] [--password-file F] [--json] FILE|NAME|ADDRESS\n"
    "\n"
    "new      creates a random key and writes it as a V3 keystore (scrypt + AES-128-CTR) named\n"
    "         UTC--<time>--<address> in the keystore directory; prints its address and path.\n"
    "import   encrypts a private key (64 hex digits, optional 0x) read from KEYFILE, or from\n"
    "         stdin when KEYFILE is '-' or absent. Refuses an address already in the directory\n"
    "         unless --force. The key is never accepted as an argument.\n"
    "list     lists the keystores in the directory (files cast writes carry no address: use\n"
    "         `zara keys address` on them).\n"
    "address  decrypts a keystore and prints its address: FILE is a path, NAME a file in the\n"
    "         keystore directory, ADDRESS picks the file that names that address.\n"
    "\n"
    "  --keystore DIR       keystore directory (default $ZARA_KEYSTORE, else ~/.zara/keystore)\n"
    "  --password-file F    first line of F is the password (default $ZARA_PASSWORD_FILE,\n"
    "                       else asked on the terminal without echo)\n"
    "  --scrypt-n N         scrypt cost, a power of two (default 262144 as geth; 4096 is geth's\n"
    "                       light setting; small values are for tests only)\n"
    "  --force              import even when the address already has a keystore\n"
    "  --json               print JSON\n";

typedef struct opts {
    const char *keystore;
    const char *password_file;
    uint32_t scrypt_n;
    int json;
    int force;
    const char *pos[2];
    int npos;
} opts_t;

static int parse_opts(opts_t *o, int argc, char **argv)
{
    memset(o, 0, sizeof *o);
    o->scrypt_n = ZR_KEYSTORE_SCRYPT_N_STANDARD;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        const char *eq = strchr(a, '=');
        size_t name_len = eq && strncmp(a, "--", 2) == 0 ? (size_t)(eq - a) : strlen(a);
#define FLAG(lit) (name_len == sizeof(lit) - 1 && strncmp(a, lit, name_len) == 0)
#define VALUE()                                                                                                        \
    do {                                                                                                               \
        if (eq && name_len < strlen(a))                                                                                \
            val = eq + 1;                                                                                              \
        else if (i + 1 < argc)                                                                                         \
            val = argv[++i];                                                                                           \
        else                                                                                                           \
            return zr_cli_usage_error("keys", "%.*s needs a value", (int)name_len, a);                                 \
    } while (0)
        if (FLAG("--json")) {
            o->json = 1;
        } else if (FLAG("--force")) {
            o->force = 1;
        } else if (FLAG("--keystore")) {
            VALUE();
            o->keystore = val;
        } else if (FLAG("--password-file")) {
            VALUE();
            o->password_file = val;
        } else if (FLAG("--scrypt-n")) {
            VALUE();
            char *end = NULL;
            unsigned long n = strtoul(val, &end, 10);
            if (!*val || *end || n < 2 || n > ZR_KEYSTORE_MAX_SCRYPT_N || (n & (n - 1)) != 0)
                return zr_cli_usage_error("keys", "--scrypt-n must be a power of two in [2, %u]",
                                          ZR_KEYSTORE_MAX_SCRYPT_N);
            o->scrypt_n = (uint32_t)n;
        } else if (strcmp(a, "-") != 0 && a[0] == '-') {
            return zr_cli_usage_error("keys", "unknown option %s", a);
        } else {
            if (o->npos == 2)
                return zr_cli_usage_error("keys", "too many arguments");
            o->pos[o->npos++] = a;
        }
#undef FLAG
#undef VALUE
    }
    return 0;
}

/* The keystore directory: --keystore, $ZARA_KEYSTORE, else ~/.zara/keystore. */
static int keystore_dir(const opts_t *o, char *out, size_t cap)
{
    const char *d = zr_cli_opt(o->keystore, "ZARA_KEYSTORE", NULL);
    int n;
    if (d) {
        n = snprintf(out, cap, "%s", d);
    } else {
        const char *home = getenv("HOME");
        if (!home || !*home)
            return zr_cli_fail("no keystore directory: set --keystore, ZARA_KEYSTORE or HOME");
        n = snprintf(out, cap, "%s/.zara/keystore", home);
    }
    if (n < 0 || (size_t)n >= cap)
        return zr_cli_fail("keystore directory path is too long");
    return 0;
}

static int print_saved(const opts_t *o, const uint8_t addr[20], const char *path)
{
    char a[ZR_ADDR_STR_LEN];
    zr_addr_format(a, addr);
    if (o->json) {
        zr_cli_print_json(json_pack("{s:s, s:s}", "address", a, "path", path));
    } else {
        printf("address: %s\n", a);
        printf("keystore: %s\n", path);
    }
    return 0;
}

/* Encrypts sk into dir and prints the result. */
static int save_key(const opts_t *o, const char *dir, const uint8_t sk[32])
{
    char pw[1024], path[4096];
    uint8_t addr[20];
    zr_ecdsa_seckey_address(addr, sk);
    if (zr_cli_read_password(o->password_file, "New keystore password: ", 1, pw, sizeof pw) != 0)
        return ZR_CLI_FAIL;
    int rc = zr_keystore_save(path, sizeof path, dir, sk, pw, o->scrypt_n);
    zr_wipe(pw, sizeof pw);
    if (rc)
        return zr_cli_fail("cannot write a keystore into %s: %s", dir, zr_strerror(rc));
    return print_saved(o, addr, path);
}

static int cmd_new(const opts_t *o, const char *dir)
{
    if (o->npos)
        return zr_cli_usage_error("keys", "new takes no arguments");
    uint8_t sk[32];
    int rc = zr_ecdsa_seckey_generate(sk);
    if (rc)
        return zr_cli_fail("cannot generate a key: %s", zr_strerror(rc));
    rc = save_key(o, dir, sk);
    zr_wipe(sk, sizeof sk);
    return rc;
}

static int cmd_import(const opts_t *o, const char *dir)
{
    if (o->npos > 1)
        return zr_cli_usage_error("keys", "import takes at most one KEYFILE");
    const char *src = o->npos ? o->pos[0] : "-";
    zr_buf_t in;
    zr_buf_init(&in, 4096);
    uint8_t sk[32], addr[20];
    zr_keystore_entry_t *list = NULL;
    size_t n = 0;
    int rc;
    struct stat st;
    if (strcmp(src, "-") != 0 && stat(src, &st) != 0 && zr_ecdsa_seckey_parse_hex(sk, src, strlen(src)) == 0) {
        /* never echo it: the message would carry the key into logs */
        zr_wipe(sk, sizeof sk);
        return zr_cli_fail("refusing a private key on the command line (shell history, ps): "
                           "put it in a file or pipe it on stdin");
    }
    rc = strcmp(src, "-") == 0 ? zr_cli_read_arg("-", in.max, &in) : zr_file_read(src, in.max, &in);
    if (rc) {
        rc = zr_cli_fail("cannot read the private key from %s: %s", strcmp(src, "-") ? src : "stdin",
                         zr_strerror(rc));
        goto done;
    }
    rc = zr_ecdsa_seckey_parse_hex(sk, (const char *)in.data, in.len);
    if (rc) {
        rc = zr_cli_fail("the input is not a private key (64 hex digits, optional 0x): %s", zr_strerror(rc));
        goto done;
    }
    zr_ecdsa_seckey_address(addr, sk);
    if (!o->force && zr_keystore_list(&list, &n, dir) == 0) {
        for (size_t i = 0; i < n; i++) {
            if (list[i].has_address && memcmp(list[i].address, addr, 20) == 0) {
                char a[ZR_ADDR_STR_LEN];
                zr_addr_format(a, addr);
                rc = zr_cli_fail("a keystore for %s already exists: %s (use --force to add another)", a,
                                 list[i].path);
                goto done;
            }
        }
    }
    rc = save_key(o, dir, sk);
done:
    zr_keystore_list_free(list, n);
    zr_wipe(sk, sizeof sk);
    zr_buf_cleanup_secret(&in);
    return rc;
}

static int cmd_list(const opts_t *o, const char *dir)
{
    if (o->npos)
        return zr_cli_usage_error("keys", "list takes no arguments");
    zr_keystore_entry_t *list = NULL;
    size_t n = 0;
    int rc = zr_keystore_list(&list, &n, dir);
    if (rc)
        return zr_cli_fail("cannot list %s: %s", dir, zr_strerror(rc));
    json_t *arr = o->json ? json_array() : NULL;
    for (size_t i = 0; i < n; i++) {
        char a[ZR_ADDR_STR_LEN] = "";
        if (list[i].has_address)
            zr_addr_format(a, list[i].address);
        if (arr)
            json_array_append_new(arr, json_pack("{s:o, s:s}", "address", list[i].has_address ? json_string(a) : json_null(),
                                                 "path", list[i].path));
        else
            printf("%s  %s\n", list[i].has_address ? a : "(address not stored)                      ", list[i].path);
    }
    if (arr)
        zr_cli_print_json(arr);
    else if (n == 0)
        fprintf(stderr, "no keystores in %s\n", dir);
    zr_keystore_list_free(list, n);
    return 0;
}

/* FILE (a path), NAME (a file in dir) or ADDRESS (the file in dir naming it) → path. */
static int resolve(char *out, size_t cap, const char *dir, const char *arg)
{
    struct stat st;
    if (stat(arg, &st) == 0 && S_ISREG(st.st_mode)) {
        snprintf(out, cap, "%s", arg);
        return 0;
    }
    if (!strchr(arg, '/')) {
        int n = snprintf(out, cap, "%s/%s", dir, arg);
        if (n > 0 && (size_t)n < cap && stat(out, &st) == 0 && S_ISREG(st.st_mode))
            return 0;
    }
    uint8_t want[20];
    if (zr_addr_parse(want, arg) != 0)
        return zr_cli_fail("%s is neither a keystore file, a file in %s, nor an address", arg, dir);
    zr_keystore_entry_t *list = NULL;
    size_t n = 0;
    int found = 0;
    if (zr_keystore_list(&list, &n, dir) == 0)
        for (size_t i = 0; i < n && !found; i++)
            if (list[i].has_address && memcmp(list[i].address, want, 20) == 0) {
                snprintf(out, cap, "%s", list[i].path);
                found = 1;
            }
    zr_keystore_list_free(list, n);
    if (!found)
        return zr_cli_fail("no keystore in %s names address %s", dir, arg);
    return 0;
}

static int cmd_address(const opts_t *o, const char *dir)
{
    if (o->npos != 1)
        return zr_cli_usage_error("keys", "address takes one FILE, NAME or ADDRESS");
    char path[4096], pw[1024], err[256] = "";
    if (resolve(path, sizeof path, dir, o->pos[0]) != 0)
        return ZR_CLI_FAIL;
    if (zr_cli_read_password(o->password_file, "Keystore password: ", 0, pw, sizeof pw) != 0)
        return ZR_CLI_FAIL;
    uint8_t sk[32], addr[20];
    int rc = zr_keystore_load(sk, addr, path, pw, err, sizeof err);
    zr_wipe(pw, sizeof pw);
    zr_wipe(sk, sizeof sk);
    if (rc)
        return zr_cli_fail("%s: %s", path, err[0] ? err : zr_strerror(rc));
    char a[ZR_ADDR_STR_LEN];
    zr_addr_format(a, addr);
    if (o->json)
        zr_cli_print_json(json_pack("{s:s, s:s}", "address", a, "path", path));
    else
        printf("%s\n", a);
    return 0;
}

int zr_cli_main_keys(int argc, char **argv)
{
    if (argc < 2 || zr_cli_help_asked(argc, argv) || strcmp(argv[1], "help") == 0) {
        fputs(k_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? ZR_CLI_USAGE : 0;
    }
    opts_t o;
    int rc = parse_opts(&o, argc, argv);
    if (rc)
        return rc;
    char dir[4096];
    if (keystore_dir(&o, dir, sizeof dir) != 0)
        return ZR_CLI_FAIL;
    const char *sub = argv[1];
    if (strcmp(sub, "new") == 0)
        return cmd_new(&o, dir);
    if (strcmp(sub, "import") == 0)
        return cmd_import(&o, dir);
    if (strcmp(sub, "list") == 0 || strcmp(sub, "ls") == 0)
        return cmd_list(&o, dir);
    if (strcmp(sub, "address") == 0)
        return cmd_address(&o, dir);
    return zr_cli_usage_error("keys", "unknown sub-command %s", sub);
}
