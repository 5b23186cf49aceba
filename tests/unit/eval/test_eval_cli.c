// SPDX-License-Identifier: MIT
// The `zara eval` and `zara train` commands run as real processes ($ZARA_BIN): train reaches
// R² ≥ 0.999 on examples/square, is bit-for-bit repeatable, writes the best parameters so far
// on SIGINT and the initial ones with --steps 0; eval prints the golden result as JSON and
// fails with one line and exit status 1 on a non-OK status.
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zara/eval.h"
#include "zt.h"

static const char *bin(void)
{
    const char *b = getenv("ZARA_BIN");
    assert_non_null(b);
    return b;
}

static double eval_r2(const char *params_path)
{
    zr_buf_t a, p, s;
    zt_read_file("examples/square/arch.json", &a);
    zt_read_file("examples/square/eval.lua", &s);
    zr_buf_init(&p, 1 << 24);
    assert_int_equal(zr_file_read(params_path, p.max, &p), 0);
    zr_eval_input_t in;
    memset(&in, 0, sizeof in);
    in.arch_json = (const char *)a.data;
    in.arch_len = a.len;
    in.params = p.data;
    in.params_len = p.len;
    in.script = (const char *)s.data;
    in.script_len = s.len;
    in.seed[31] = 77;
    zr_eval_result_t res;
    assert_int_equal(zr_eval_run(&res, &in, NULL, NULL, NULL), 0);
    assert_int_equal(res.status, ZR_EVAL_OK);
    zr_buf_cleanup(&a);
    zr_buf_cleanup(&p);
    zr_buf_cleanup(&s);
    return res.challenger_score;
}

static void test_train_square(void **state)
{
    (void)state;
    char *dir = zt_tmpdir();
    char out[4096];
    int st = zt_run(out, sizeof out,
                    "'%s' train --arch examples/square/arch.json --eval examples/square/eval.lua "
                    "--init examples/square/init.safetensors --out '%s/a.safetensors' --json",
                    bin(), dir);
    assert_int_equal(st, 0);
    json_t *j = json_loads(out, 0, NULL);
    assert_non_null(j);
    fprintf(stderr, "zara train (this build): %.2f s, best score %.6f\n",
            json_real_value(json_object_get(j, "seconds")), json_real_value(json_object_get(j, "best_score")));
    json_decref(j);
    char path[4200];
    snprintf(path, sizeof path, "%s/a.safetensors", dir);
    double r2 = eval_r2(path);
    assert_true(r2 >= 0.999);

    /* repeatable: a short run twice gives the same bytes */
    for (int i = 0; i < 2; i++) {
        st = zt_run(out, sizeof out,
                    "'%s' train --arch examples/square/arch.json --eval examples/square/eval.lua "
                    "--out '%s/r%d.safetensors' --steps 150 --batch 64 --seed 5 --eval-every 50 2>/dev/null",
                    bin(), dir, i);
        assert_int_equal(st, 0);
    }
    st = zt_run(out, sizeof out, "cmp '%s/r0.safetensors' '%s/r1.safetensors'", dir, dir);
    assert_int_equal(st, 0);

    /* --steps 0 writes the same initial parameters as zara model init */
    st = zt_run(out, sizeof out,
                "'%s' train --arch examples/square/arch.json --eval examples/square/eval.lua --steps 0 "
                "--seed 1 --out '%s/i.safetensors' && cmp '%s/i.safetensors' examples/square/init.safetensors",
                bin(), dir, dir);
    assert_int_equal(st, 0);
    zt_rmtree(dir);
    free(dir);
}

static void test_train_sigint(void **state)
{
    (void)state;
    char *dir = zt_tmpdir();
    char path[4200];
    snprintf(path, sizeof path, "%s/best.safetensors", dir);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int devnull = open("/dev/null", 1);
        dup2(devnull, 2);
        execl(bin(), bin(), "train", "--arch", "examples/square/arch.json", "--eval", "examples/square/eval.lua",
              "--init", "examples/square/init.safetensors", "--out", path, "--steps", "100000000", "--eval-every",
              "100", (char *)NULL);
        _exit(127);
    }
    sleep(5);
    kill(pid, SIGINT);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    /* the best parameters so far: far better than the initial ones (R² ≈ −3.9) */
    double r2 = eval_r2(path);
    assert_true(r2 > 0.5);
    zt_rmtree(dir);
    free(dir);
}

static void test_eval_command(void **state)
{
    (void)state;
    char out[8192];
    int st = zt_run(out, sizeof out,
                    "'%s' eval --arch examples/square/arch.json --params examples/square/trained.safetensors "
                    "--incumbent examples/square/init.safetensors --eval examples/square/eval.lua "
                    "--seed 0x0000000000000000000000000000000000000000000000000000000000000001 --json",
                    bin());
    assert_int_equal(st, 0);
    json_t *j = json_loads(out, 0, NULL);
    assert_non_null(j);
    assert_string_equal(zr_json_str(j, "status"), "OK");
    /* the golden line of tests/vectors/eval_examples.txt */
    assert_string_equal(zr_json_str(j, "outputs_digest"),
                        "0xa02272c73b31c7f2fa0bf85a79367b5e157030ed1ffdefec5a3a21235d7bd113");
    assert_string_equal(zr_json_str(j, "challenger_score_wad"), "999833751000000000");
    assert_string_equal(zr_json_str(j, "incumbent_score_wad"), "-3865813513000000000");
    json_decref(j);

    char *dir = zt_tmpdir();
    char script[4200];
    snprintf(script, sizeof script, "%s/bad.lua", dir);
    FILE *f = fopen(script, "w");
    assert_non_null(f);
    fputs("function evaluate(model, rng) return 0/0 end\n", f);
    fclose(f);
    st = zt_run(out, sizeof out,
                "'%s' eval --arch examples/square/arch.json --params examples/square/init.safetensors "
                "--eval '%s' --random 2>&1 >/dev/null",
                bin(), script);
    assert_int_equal(st, 1);
    assert_non_null(strstr(out, "EVAL_ERROR"));
    assert_null(strchr(out, '\n'));
    st = zt_run(out, sizeof out, "'%s' eval --arch examples/square/arch.json 2>&1", bin());
    assert_int_equal(st, 2);
    zt_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_train_square),
        cmocka_unit_test(test_train_sigint),
        cmocka_unit_test(test_eval_command),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
