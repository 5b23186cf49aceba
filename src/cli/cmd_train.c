// SPDX-License-Identifier: MIT
// `zara train`: Adam in float32 (the nn trainer) on batches from the task script's
// sample(rng, n), with periodic validation through the script's own evaluate() and the best
// parameters written at the end or on Ctrl-C. Deterministic for a given seed.
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "zara/eval.h"
#include "zara/keccak.h"

const char zr_cli_summary_train[] = "train a model on a task script's sample() data (Adam), write safetensors";

static volatile sig_atomic_t g_stop;
_Static_assert(sizeof(sig_atomic_t) == sizeof(int), "the eval cancel flag is an int");

static void on_sigint(int sig)
{
    (void)sig;
    g_stop = 1;
}

static void usage(void)
{
    printf("usage: zara train --arch A --eval E --out P2 [--init P] [--steps N] [--batch B]\n"
           "                  [--lr X] [--seed S] [--threads T] [--eval-every K] [--json]\n\n"
           "Trains the model with architecture A (Keras Sequential JSON) from the parameters P\n"
           "(default: fresh Glorot/He parameters from the seed) with Adam on batches of B samples\n"
           "drawn by the script's sample(rng, n), minimising its declared loss (\"mse\" or\n"
           "\"cross_entropy\"). Every K steps and at the end the parameters are scored with the\n"
           "script's evaluate() on a fixed validation seed; the best ones are written to P2\n"
           "(also on Ctrl-C). The same arguments give the same bits on every machine.\n"
           "--steps 0 writes the initial parameters (a fresh init.safetensors).\n\n"
           "defaults: the script's table train = {lr = ..., steps = ..., batch = ...} if it has\n"
           "          one, else --steps 2000 --batch 256 --lr 0.01; --seed 1 --threads 1\n"
           "          --eval-every steps/10 (at least 100)\n");
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* seeds of the training data and of validation: keccak256(label ‖ uint64_le(S)) */
static void derive_seed(uint8_t out[32], const char *label, uint64_t s)
{
    uint8_t buf[64];
    size_t n = strlen(label);
    memcpy(buf, label, n);
    for (int i = 0; i < 8; i++)
        buf[n + (size_t)i] = (uint8_t)(s >> (8 * i));
    zr_keccak256(out, buf, n + 8);
}

static void progress(uint64_t step, uint64_t steps, float loss, double sps, double best)
{
    int width = 24, fill = steps ? (int)((double)step / (double)steps * width) : width;
    char bar[32];
    for (int i = 0; i < width; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[width] = 0;
    fprintf(stderr, "\r[%s] step %llu/%llu  loss %.6g  %.0f samples/s", bar, (unsigned long long)step,
            (unsigned long long)steps, (double)loss, sps);
    if (best > -1e300)
        fprintf(stderr, "  best score %.6f", best);
    fprintf(stderr, "   ");
    fflush(stderr);
}

int zr_cli_main_train(int argc, char **argv)
{
    const char *arch_path = NULL, *script_path = NULL, *init_path = NULL, *out_path = NULL;
    uint64_t steps = 2000, batch = 256, seed = 1, threads = 1, eval_every = 0;
    double lr = 0.01;
    int json = 0, have_steps = 0, have_batch = 0, have_lr = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage();
            return 0;
        } else if (!strcmp(a, "--json")) {
            json = 1;
        } else if (!v) {
            return zr_cli_usage_error("train", "unknown option or missing value: %s", a);
        } else if (!strcmp(a, "--arch")) {
            arch_path = v, i++;
        } else if (!strcmp(a, "--eval")) {
            script_path = v, i++;
        } else if (!strcmp(a, "--init")) {
            init_path = v, i++;
        } else if (!strcmp(a, "--out")) {
            out_path = v, i++;
        } else if (!strcmp(a, "--steps") && zr_cli_parse_u64(v, &steps) == 0 && steps <= 100000000) {
            i++, have_steps = 1;
        } else if (!strcmp(a, "--batch") && zr_cli_parse_u64(v, &batch) == 0 && batch >= 1 && batch <= 4096) {
            i++, have_batch = 1;
        } else if (!strcmp(a, "--seed") && zr_cli_parse_u64(v, &seed) == 0) {
            i++;
        } else if (!strcmp(a, "--threads") && zr_cli_parse_u64(v, &threads) == 0 && threads >= 1 && threads <= 256) {
            i++;
        } else if (!strcmp(a, "--eval-every") && zr_cli_parse_u64(v, &eval_every) == 0 && eval_every >= 1) {
            i++;
        } else if (!strcmp(a, "--lr")) {
            char *end;
            lr = strtod(v, &end);
            if (*end || !(lr > 0 && lr < 10))
                return zr_cli_usage_error("train", "--lr must be a number in (0, 10)");
            i++, have_lr = 1;
        } else {
            return zr_cli_usage_error("train", "unknown option or bad value: %s", a);
        }
    }
    if (!arch_path || !script_path || !out_path)
        return zr_cli_usage_error("train", "--arch, --eval and --out are required");

    zr_eval_limits_t lim, lim_final;
    zr_eval_limits_default(&lim);
    lim.threads = (uint32_t)threads;
    lim_final = lim;                                 /* scoring after Ctrl-C runs to the end */
    lim.cancel = (const volatile int *)&g_stop;      /* Ctrl-C stops a long sample()/evaluate() */
    zr_buf_t ab, sb, ib, ob;
    zr_buf_init(&ab, ZR_NN_MAX_ARCH_JSON);
    zr_buf_init(&sb, lim.script_max);
    zr_buf_init(&ib, (size_t)2 << 30);
    zr_buf_init(&ob, (size_t)2 << 30);
    zr_nn_arch_t *arch = NULL;
    zr_nn_params_t *init = NULL, *best = NULL, *cur = NULL;
    zr_nn_trainer_t *tr = NULL;
    zr_nn_model_t *model = NULL;
    zr_eval_sampler_t *sampler = NULL;
    float *xb = NULL, *yb = NULL;
    char err[512];
    int ret = ZR_CLI_FAIL, rc;
    struct sigaction old_sa;
    int sa_set = 0;

    if ((rc = zr_file_read(arch_path, ab.max, &ab)) != 0) {
        zr_cli_fail("cannot read architecture %s: %s", arch_path, zr_strerror(rc));
        goto done;
    }
    if ((rc = zr_file_read(script_path, sb.max, &sb)) != 0) {
        zr_cli_fail("cannot read evaluation script %s: %s", script_path, zr_strerror(rc));
        goto done;
    }
    if ((rc = zr_nn_arch_parse(&arch, (const char *)ab.data, ab.len, &lim.nn, err, sizeof err)) != 0) {
        zr_cli_fail("%s: %s", arch_path, err);
        goto done;
    }
    if (init_path) {
        if ((rc = zr_file_read(init_path, ib.max, &ib)) != 0) {
            zr_cli_fail("cannot read parameters %s: %s", init_path, zr_strerror(rc));
            goto done;
        }
        rc = zr_nn_params_load(&init, arch, ib.data, ib.len, err, sizeof err);
        if (rc) {
            zr_cli_fail("%s: %s", init_path, err);
            goto done;
        }
    } else if ((rc = zr_nn_params_init(&init, arch, seed)) != 0) {
        zr_cli_fail("cannot initialise parameters: %s", zr_strerror(rc));
        goto done;
    }
    if (have_steps && steps == 0) { /* just the initial parameters */
        best = init;
        init = NULL;
        goto write;
    }

    uint8_t train_seed[32], val_seed[32];
    derive_seed(train_seed, "zara.train", seed);
    derive_seed(val_seed, "zara.train.validate", seed);
    zr_nn_loss_t loss_kind;
    zr_eval_train_hints_t hints;
    rc = zr_eval_sampler_new(&sampler, (const char *)sb.data, sb.len, train_seed, &lim, &loss_kind, &hints,
                             err, sizeof err);
    if (rc) {
        zr_cli_fail("%s: %s", script_path, err);
        goto done;
    }
    /* the owner's suggestions (the script's `train` table) where no option was given */
    if (!have_steps && hints.steps)
        steps = hints.steps > 100000000 ? 100000000 : hints.steps;
    if (!have_batch && hints.batch)
        batch = hints.batch > 4096 ? 4096 : hints.batch;
    if (!have_lr && hints.lr)
        lr = hints.lr < 10 ? hints.lr : 0.01;
    if (!eval_every)
        eval_every = steps / 10 < 100 ? 100 : steps / 10;
    zr_nn_train_opts_t to = {.loss = loss_kind, .lr = (float)lr, .threads = (uint32_t)threads,
                             .max_batch = (uint32_t)batch, .path = ZR_NN_PATH_AUTO};
    if ((rc = zr_nn_trainer_new(&tr, arch, init, &to, err, sizeof err)) != 0) {
        zr_cli_fail("cannot create the trainer: %s", err);
        goto done;
    }
    zr_nn_model_opts_t mo = {.threads = (uint32_t)threads};
    if ((rc = zr_nn_model_new(&model, arch, init, &mo, err, sizeof err)) != 0 ||
        (rc = zr_nn_params_copy(&best, init)) != 0 || (rc = zr_nn_params_copy(&cur, init)) != 0) {
        zr_cli_fail("cannot create the model: %s", rc == ZR_ENOMEM ? zr_strerror(rc) : err);
        goto done;
    }
    size_t in_dim = zr_nn_arch_input_dim(arch), out_dim = zr_nn_arch_output_dim(arch);
    xb = malloc(batch * in_dim * sizeof *xb);
    yb = malloc(batch * out_dim * sizeof *yb);
    if (!xb || !yb) {
        zr_cli_fail("out of memory");
        goto done;
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_sa);
    sa_set = 1;
    g_stop = 0;

    int tty = isatty(STDERR_FILENO) && !json;
    double best_score = -1e308, t0 = now_s(), last_draw = 0;
    uint64_t best_step = 0, step = 0;
    float loss = 0;
    int interrupted = 0;
    for (step = 1; step <= steps; step++) {
        if (g_stop) {
            interrupted = 1;
            step--;
            break;
        }
        rc = zr_eval_sampler_next(sampler, batch, xb, in_dim, yb, out_dim, err, sizeof err);
        if (rc == ZR_EINTERRUPTED) {
            interrupted = 1;
            step--;
            break;
        }
        if (rc) {
            if (tty)
                fputc('\n', stderr);
            zr_cli_fail("sample(): %s", err);
            goto done;
        }
        rc = zr_nn_trainer_step(tr, xb, yb, batch, &loss);
        if (rc) {
            if (tty)
                fputc('\n', stderr);
            zr_cli_fail("training step %llu failed: %s (try a smaller --lr)", (unsigned long long)step,
                        zr_strerror(rc));
            goto done;
        }
        if (step % eval_every == 0 || step == steps) {
            double score;
            if ((rc = zr_nn_trainer_get_params(tr, cur)) != 0 || (rc = zr_nn_model_set_params(model, cur)) != 0) {
                zr_cli_fail("cannot read the trained parameters: %s", zr_strerror(rc));
                goto done;
            }
            rc = zr_eval_score_model(&score, model, (const char *)sb.data, sb.len, val_seed, &lim, err,
                                     sizeof err);
            if (rc == ZR_EINTERRUPTED) {
                interrupted = 1;
                break;
            }
            if (rc) {
                if (tty)
                    fputc('\n', stderr);
                zr_cli_fail("evaluate() at step %llu: %s", (unsigned long long)step, err);
                goto done;
            }
            if (score > best_score) {
                best_score = score;
                best_step = step;
                zr_nn_params_free(best);
                best = NULL;
                if ((rc = zr_nn_params_copy(&best, cur)) != 0) {
                    zr_cli_fail("out of memory");
                    goto done;
                }
            }
        }
        double t = now_s();
        if (tty && (t - last_draw > 0.1 || step == steps)) {
            progress(step, steps, loss, (double)step * (double)batch / (t - t0 + 1e-9), best_score);
            last_draw = t;
        }
    }
    if (step > steps)
        step = steps;
    if (interrupted && step > 0 && step > best_step) {
        /* score where we stopped too, so the best parameters so far are really the best */
        double score;
        if (zr_nn_trainer_get_params(tr, cur) == 0 && zr_nn_model_set_params(model, cur) == 0 &&
            zr_eval_score_model(&score, model, (const char *)sb.data, sb.len, val_seed, &lim_final, err,
                                sizeof err) == 0 &&
            score > best_score) {
            best_score = score;
            best_step = step;
            zr_nn_params_free(best);
            best = NULL;
            if (zr_nn_params_copy(&best, cur) != 0) {
                zr_cli_fail("out of memory");
                goto done;
            }
        }
    }
    double elapsed = now_s() - t0;
    if (tty)
        fputc('\n', stderr);
    if (json) {
        json_t *j = json_pack("{s:I, s:I, s:f, s:f, s:I, s:f, s:f, s:b, s:s}", "steps", (json_int_t)step, "batch",
                              (json_int_t)batch, "final_loss", (double)loss, "best_score",
                              best_step ? best_score : 0.0, "best_step", (json_int_t)best_step, "seconds",
                              elapsed, "samples_per_second", (double)step * (double)batch / (elapsed + 1e-9),
                              "interrupted", interrupted, "out", out_path);
        zr_cli_print_json(j);
    } else {
        fprintf(stderr, "%s after %llu steps in %.2f s: final loss %.6g, best score %.9g (step %llu) -> %s\n",
                interrupted ? "interrupted" : "done", (unsigned long long)step, elapsed, (double)loss,
                best_step ? best_score : 0.0, (unsigned long long)best_step, out_path);
    }
write:
    if ((rc = zr_nn_params_save(best, &ob)) != 0 ||
        (rc = zr_file_write_atomic(out_path, ob.data, ob.len, 0644)) != 0) {
        zr_cli_fail("cannot write %s: %s", out_path, zr_strerror(rc));
        goto done;
    }
    ret = ZR_CLI_OK;
done:
    if (sa_set)
        sigaction(SIGINT, &old_sa, NULL);
    free(xb);
    free(yb);
    zr_eval_sampler_free(sampler);
    zr_nn_model_free(model);
    zr_nn_trainer_free(tr);
    zr_nn_params_free(init);
    zr_nn_params_free(best);
    zr_nn_params_free(cur);
    zr_nn_arch_free(arch);
    zr_buf_cleanup(&ab);
    zr_buf_cleanup(&sb);
    zr_buf_cleanup(&ib);
    zr_buf_cleanup(&ob);
    return ret;
}
