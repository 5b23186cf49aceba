// SPDX-License-Identifier: MIT
// Bit-exactness across builds: compiles tests/unit/nn/nn_xbuild_prog.c with the nn sources
// using gcc and clang at -O0 and -O3 (also with -march=native), and for aarch64 with
// gcc-aarch64-linux-gnu run under qemu-aarch64; every build must print the golden digests of
// tests/vectors/nn_xbuild_digests.txt (forward passes over every path and thread count, a
// math sweep, 30 Adam steps). A negative control built with FMA contraction must differ,
// which shows the check can see a change in rounding.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zt.h"

static const char *const srcs = "tests/unit/nn/nn_xbuild_prog.c src/nn/nnmath.c src/nn/nnmath_tab.c "
                                "src/nn/kern.c src/nn/kern_x86.c src/nn/kern_arm.c src/nn/fpenv.c "
                                "src/nn/model.c src/nn/train.c src/nn/nn_util.c src/crypto/keccak.c";

static char golden[8192];

static void load_golden(void)
{
    zr_buf_t b;
    zt_read_file("tests/vectors/nn_xbuild_digests.txt", &b);
    char *nl = strchr((char *)b.data, '\n'); /* skip the comment line */
    assert_non_null(nl);
    snprintf(golden, sizeof golden, "%s", nl + 1);
    size_t n = strlen(golden);
    while (n && golden[n - 1] == '\n')
        golden[--n] = 0;
    zr_buf_cleanup(&b);
}

/* Builds with cc + flags into dir/name and runs it (through runner when given). */
static int build_and_run(const char *dir, const char *name, const char *cc, const char *flags, const char *runner,
                         char *out, size_t cap)
{
    char log[4096];
    int st = zt_run(log, sizeof log, "cd '%s' && %s -std=c11 %s -Wall -Wextra -Werror -D_GNU_SOURCE -Iinclude -Isrc/nn "
                                     "%s -o '%s/%s' -lpthread -lm 2>&1",
                    zt_src_path(""), cc, flags, srcs, dir, name);
    if (st != 0) {
        fprintf(stderr, "build %s failed: %s\n", name, log);
        return -1;
    }
    return zt_run(out, cap, "%s '%s/%s'", runner ? runner : "", dir, name);
}

static void test_builds_agree(void **state)
{
    (void)state;
    load_golden();
    char *dir = zt_tmpdir();
    static const struct {
        const char *name, *cc, *flags;
    } cfg[] = {
        {"gcc_O0", "gcc", "-O0 -ffp-contract=off"},
        {"gcc_O3", "gcc", "-O3 -ffp-contract=off"},
        {"clang_O0", "clang", "-O0 -ffp-contract=off"},
        {"clang_O3_native", "clang", "-O3 -march=native -ffp-contract=off"},
        {"gcc_O3_native", "gcc", "-O3 -march=native -ffp-contract=off"},
    };
    char out[8192];
    for (size_t i = 0; i < ZR_ARRAY_LEN(cfg); i++) {
        int st = build_and_run(dir, cfg[i].name, cfg[i].cc, cfg[i].flags, NULL, out, sizeof out);
        if (st != 0)
            fail_msg("%s: exit %d (paths disagree or build failed)", cfg[i].name, st);
        if (strcmp(out, golden) != 0)
            fail_msg("%s digests differ from the golden ones:\n%s", cfg[i].name, out);
    }
    zt_rmtree(dir);
    free(dir);
}

static void test_aarch64_qemu(void **state)
{
    (void)state;
    load_golden();
    char *dir = zt_tmpdir();
    char out[8192];
    const char *runner = "qemu-aarch64 -L /usr/aarch64-linux-gnu";
    int st = build_and_run(dir, "a64_O3", "aarch64-linux-gnu-gcc", "-O3 -ffp-contract=off", runner, out, sizeof out);
    if (st != 0)
        fail_msg("aarch64 build/run failed (%d): needs gcc-aarch64-linux-gnu and qemu-user", st);
    if (strcmp(out, golden) != 0)
        fail_msg("aarch64 digests differ from the golden ones:\n%s", out);
    /* negative control: aarch64 contracts a*b+c into FMA when allowed, changing the bits */
    st = build_and_run(dir, "a64_fma", "aarch64-linux-gnu-gcc", "-O3 -std=gnu11 -ffp-contract=fast", runner, out,
                       sizeof out);
    assert_int_equal(st, 0);
    assert_true(strcmp(out, golden) != 0);
    zt_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builds_agree),
        cmocka_unit_test(test_aarch64_qemu),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
