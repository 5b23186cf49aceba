// SPDX-License-Identifier: MIT
// `zara keys` end to end: new/import/list/address through the real binary, with the
// keystores checked by `cast wallet address --keystore` and a cast-imported file read back
// by zara; duplicate imports, wrong passwords, keys on the command line and the missing
// terminal each give one clear error line and a non-zero exit.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zt.h"

#define CAST "node_modules/.bin/cast"

static const char *zara_bin(void)
{
    const char *b = getenv("ZARA_BIN");
    assert_non_null(b);
    return b;
}

typedef struct env {
    char *dir;       /* temporary root */
    char ks[1200];   /* keystore directory */
    char pw[1200];   /* password file */
    char bad[1200];  /* wrong password file */
} env_t;

static void env_setup(env_t *e)
{
    e->dir = zt_tmpdir();
    snprintf(e->ks, sizeof e->ks, "%s/keystore", e->dir);
    snprintf(e->pw, sizeof e->pw, "%s/pw.txt", e->dir);
    snprintf(e->bad, sizeof e->bad, "%s/bad.txt", e->dir);
    assert_int_equal(zr_file_write_atomic(e->pw, "correct horse\n", 14, 0600), 0);
    assert_int_equal(zr_file_write_atomic(e->bad, "wrong horse\n", 12, 0600), 0);
}

static void env_cleanup(env_t *e)
{
    zt_rmtree(e->dir);
    free(e->dir);
}

/* Field "key" of a one-line JSON object printed by zara. */
static void json_field(char *out, size_t cap, const char *text, const char *key)
{
    json_t *j = NULL;
    char err[200];
    assert_int_equal(zr_json_parse(text, strlen(text), 1 << 20, &j, err, sizeof err), 0);
    const char *v = zr_json_str(j, key);
    assert_non_null(v);
    snprintf(out, cap, "%s", v);
    json_decref(j);
}

static void test_new_then_cast_reads(void **state)
{
    (void)state;
    env_t e;
    env_setup(&e);
    char out[4096], addr[64], path[2048], cast_out[256];
    assert_int_equal(zt_run(out, sizeof out, "'%s' keys new --keystore '%s' --password-file '%s' --scrypt-n 1024 --json",
                            zara_bin(), e.ks, e.pw),
                     0);
    json_field(addr, sizeof addr, out, "address");
    json_field(path, sizeof path, out, "path");
    assert_int_equal(zt_run(cast_out, sizeof cast_out, "'%s' wallet address --keystore '%s' --password 'correct horse'",
                            zt_src_path(CAST), path),
                     0);
    assert_string_equal(cast_out, addr);
    /* address by file, by name and by address */
    const char *base = strrchr(path, '/') + 1;
    const char *sel[] = {path, base, addr};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(zt_run(out, sizeof out, "'%s' keys address --keystore '%s' --password-file '%s' '%s'",
                                zara_bin(), e.ks, e.pw, sel[i]),
                         0);
        assert_string_equal(out, addr);
    }
    /* wrong password: exit 1, one line naming the problem */
    int st = zt_run(out, sizeof out, "'%s' keys address --keystore '%s' --password-file '%s' '%s' 2>&1", zara_bin(),
                    e.ks, e.bad, addr);
    assert_int_equal(st, 1);
    assert_non_null(strstr(out, "wrong password"));
    assert_null(strchr(out, '\n'));
    env_cleanup(&e);
}

static void test_import_list_env(void **state)
{
    (void)state;
    env_t e;
    env_setup(&e);
    char out[8192], keyfile[1300];
    snprintf(keyfile, sizeof keyfile, "%s/key.txt", e.dir);
    assert_int_equal(zr_file_write_atomic(keyfile, "0x" ZT_ANVIL_KEY0 "\n", 67, 0600), 0);
    /* from a file, with the directory and password from the environment */
    assert_int_equal(zt_run(out, sizeof out, "ZARA_KEYSTORE='%s' ZARA_PASSWORD_FILE='%s' '%s' keys import --scrypt-n 512 '%s'",
                            e.ks, e.pw, zara_bin(), keyfile),
                     0);
    assert_non_null(strstr(out, ZT_ANVIL_ADDR0));
    /* from stdin */
    assert_int_equal(zt_run(out, sizeof out, "echo %s | '%s' keys import --keystore '%s' --password-file '%s' --scrypt-n 512",
                            ZT_ANVIL_KEY1, zara_bin(), e.ks, e.pw),
                     0);
    assert_non_null(strstr(out, ZT_ANVIL_ADDR1));
    /* the same address again is refused, --force adds it anyway */
    int st = zt_run(out, sizeof out, "'%s' keys import --keystore '%s' --password-file '%s' --scrypt-n 512 '%s' 2>&1",
                    zara_bin(), e.ks, e.pw, keyfile);
    assert_int_equal(st, 1);
    assert_non_null(strstr(out, "already exists"));
    assert_int_equal(zt_run(out, sizeof out, "'%s' keys import --keystore '%s' --password-file '%s' --scrypt-n 512 --force '%s'",
                            zara_bin(), e.ks, e.pw, keyfile),
                     0);
    /* a key given as an argument is refused and not echoed */
    st = zt_run(out, sizeof out, "'%s' keys import --keystore '%s' --password-file '%s' %s 2>&1", zara_bin(), e.ks, e.pw,
                ZT_ANVIL_KEY1);
    assert_int_equal(st, 1);
    assert_non_null(strstr(out, "refusing a private key"));
    assert_null(strstr(out, ZT_ANVIL_KEY1));
    /* garbage on stdin */
    st = zt_run(out, sizeof out, "echo nothex | '%s' keys import --keystore '%s' --password-file '%s' 2>&1", zara_bin(),
                e.ks, e.pw);
    assert_int_equal(st, 1);
    assert_non_null(strstr(out, "not a private key"));
    /* cast imports one more into the same directory (no address field in its file) */
    assert_int_equal(zt_run(out, sizeof out,
                            "'%s' wallet import castkey --keystore-dir '%s' --private-key 0x%s --unsafe-password 'correct horse' 2>&1",
                            zt_src_path(CAST), e.ks, "5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a"),
                     0);
    assert_int_equal(zt_run(out, sizeof out, "'%s' keys list --keystore '%s' --json", zara_bin(), e.ks), 0);
    json_t *j = NULL;
    char err[200];
    assert_int_equal(zr_json_parse(out, strlen(out), sizeof out, &j, err, sizeof err), 0);
    assert_int_equal(json_array_size(j), 4);
    int with0 = 0, with1 = 0, without = 0;
    size_t i;
    json_t *x;
    json_array_foreach(j, i, x)
    {
        const char *a = zr_json_str(x, "address");
        if (!a)
            without++;
        else if (strcmp(a, ZT_ANVIL_ADDR0) == 0)
            with0++;
        else if (strcmp(a, ZT_ANVIL_ADDR1) == 0)
            with1++;
    }
    json_decref(j);
    assert_int_equal(with0, 2);
    assert_int_equal(with1, 1);
    assert_int_equal(without, 1);
    /* zara decrypts cast's file by name */
    assert_int_equal(zt_run(out, sizeof out, "'%s' keys address --keystore '%s' --password-file '%s' castkey --json",
                            zara_bin(), e.ks, e.pw),
                     0);
    assert_non_null(strstr(out, "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"));
    /* text listing */
    assert_int_equal(zt_run(out, sizeof out, "'%s' keys list --keystore '%s'", zara_bin(), e.ks), 0);
    assert_non_null(strstr(out, "(address not stored)"));
    env_cleanup(&e);
}

static void test_usage_errors(void **state)
{
    (void)state;
    env_t e;
    env_setup(&e);
    char out[4096];
    assert_int_equal(zt_run(out, sizeof out, "'%s' keys --help", zara_bin()), 0);
    assert_non_null(strstr(out, "zara keys new"));
    assert_int_equal(zt_run(out, sizeof out, "'%s' keys frobnicate 2>&1", zara_bin()), 2);
    assert_int_equal(zt_run(out, sizeof out, "'%s' keys new --scrypt-n 1000 --keystore '%s' 2>&1", zara_bin(), e.ks), 2);
    assert_non_null(strstr(out, "power of two"));
    assert_int_equal(zt_run(out, sizeof out, "'%s' keys new --bogus 2>&1", zara_bin()), 2);
    /* no password file and no terminal: a clear error instead of a hang */
    int st = zt_run(out, sizeof out, "env -u ZARA_PASSWORD_FILE setsid -w '%s' keys new --keystore '%s' --scrypt-n 512 </dev/null 2>&1",
                    zara_bin(), e.ks);
    assert_int_equal(st, 1);
    assert_non_null(strstr(out, "no terminal"));
    assert_int_equal(zt_run(out, sizeof out, "'%s' keys address --keystore '%s' --password-file '%s' 0x0000000000000000000000000000000000000001 2>&1",
                            zara_bin(), e.ks, e.pw),
                     1);
    assert_non_null(strstr(out, "no keystore"));
    env_cleanup(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_then_cast_reads),
        cmocka_unit_test(test_import_list_env),
        cmocka_unit_test(test_usage_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
