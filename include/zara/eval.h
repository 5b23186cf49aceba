/* SPDX-License-Identifier: MIT
 * The evaluation engine: runs a task's Lua evaluation script (DESIGN.md §4–§5) in a
 * deterministic sandbox against a challenger and an incumbent model on the same seed and
 * produces the result exactly as operators sign it (status, wad scores, outputsDigest).
 * Also: the script's counter-based rng (specified in docs/EVAL_SCRIPTS.md so it can be
 * reimplemented), a check of a script without a model, and a sampler that feeds the
 * script's sample() to the trainer. Depends on nn, crypto and common.
 *
 * Errors: ZR_ESCRIPT (the script failed to load or raised an error), ZR_EBUDGET,
 * ZR_EMEMCAP, ZR_EWALLCLOCK (limits), ZR_ESCORE (evaluate returned no finite number, or
 * |score| ≥ 9e9), ZR_ENOEVALFN (no evaluate function), ZR_ENOSAMPLE (no sample function),
 * ZR_EPOW (the `^` operator), plus the nn codes for the models. Thread-safety: every call
 * creates its own Lua states; nothing is shared between calls. */
#ifndef ZARA_EVAL_H
#define ZARA_EVAL_H

#include <stddef.h>
#include <stdint.h>

#include "zara/nn.h"

/* ---- limits -------------------------------------------------------------------------------- */
typedef struct zr_eval_limits {
    uint64_t budget;     /* per evaluation: Lua VM instructions + C work units (see docs) */
    size_t mem_cap;      /* bytes of Lua heap (tensors included) per evaluation */
    uint32_t wall_ms;    /* per evaluation; 0 = none. Exceeding it is never a score. */
    size_t script_max;   /* bytes of script text */
    size_t params_max;   /* bytes of a parameters file (a larger challenger is INVALID_MODEL) */
    uint32_t threads;    /* forward-pass threads (results do not depend on it) */
    zr_nn_limits_t nn;   /* bounds on the architecture */
    /* When non-NULL, a non-zero *cancel (set by another thread or a signal handler) stops
     * the evaluation at the next check with ZR_EINTERRUPTED and no result. */
    const volatile int *cancel;
} zr_eval_limits_t;

#define ZR_EVAL_DEFAULT_BUDGET 2000000000ull
#define ZR_EVAL_DEFAULT_MEM_CAP (512u << 20)
#define ZR_EVAL_DEFAULT_WALL_MS 120000u
#define ZR_EVAL_DEFAULT_SCRIPT_MAX (1u << 20)
#define ZR_EVAL_DEFAULT_PARAMS_MAX ((size_t)1 << 30)
/* |score| must stay below this (so score × 1e9 fits an int64). */
#define ZR_EVAL_SCORE_MAX 9e9

void zr_eval_limits_default(zr_eval_limits_t *l);

/* Receives print() output of scripts (debugging only: never observable by the script). */
typedef void (*zr_eval_print_fn)(void *ud, const char *line);

/* ---- the result ------------------------------------------------------------------------------ */
typedef enum zr_eval_status {
    ZR_EVAL_OK = 0,
    ZR_EVAL_INVALID_MODEL = 1, /* the challenger's fault: the bond is kept */
    ZR_EVAL_EVAL_ERROR = 2,    /* the owner's script (or files) failed: the optimizer is refunded */
} zr_eval_status_t;

typedef struct zr_eval_result {
    zr_eval_status_t status;
    int err;                        /* the ZR_E* code behind a non-OK status, 0 when OK */
    char reason[256];               /* one line; "" when OK */
    double challenger_score;        /* 0 unless OK */
    double incumbent_score;         /* 0 unless OK (and 0 when no incumbent was given) */
    uint8_t challenger_wad[32];     /* int256, two's complement, big-endian */
    uint8_t incumbent_wad[32];
    uint8_t outputs_digest[32];     /* keccak256 of the challenger's outputs; zero unless OK */
    /* not signed: statistics of the two runs */
    uint64_t challenger_work, incumbent_work;
    size_t challenger_mem_peak, incumbent_mem_peak;
    uint32_t forward_calls;
} zr_eval_result_t;

/* The inputs of one evaluation. Byte arrays are borrowed for the call. */
typedef struct zr_eval_input {
    const char *arch_json;
    size_t arch_len;
    const uint8_t *params;        /* challenger safetensors */
    size_t params_len;
    const uint8_t *incumbent;     /* incumbent safetensors; NULL → no incumbent (score 0) */
    size_t incumbent_len;
    const char *script;
    size_t script_len;
    uint8_t seed[32];
} zr_eval_input_t;

/* Evaluates challenger then incumbent, each in a fresh sandbox with a fresh rng from seed,
 * and fills *res. Returns 0 whenever a result was produced — including INVALID_MODEL and
 * EVAL_ERROR results — and a negative code only when the host failed or gave up (ZR_ENOMEM,
 * ZR_EFPENV, ZR_EINTERRUPTED through lim->cancel, ZR_EINVAL for NULL arguments): then *res
 * is not a result to sign. lim NULL → defaults. print may be NULL. */
int zr_eval_run(zr_eval_result_t *res, const zr_eval_input_t *in, const zr_eval_limits_t *lim,
                zr_eval_print_fn print, void *print_ud);

/* Evaluates one in-memory model (e.g. during training) on seed. Returns 0 with *score, or
 * the failure code with a message (the status mapping of zr_eval_run is not applied). */
int zr_eval_score_model(double *score, zr_nn_model_t *model, const char *script, size_t script_len,
                        const uint8_t seed[32], const zr_eval_limits_t *lim, char *err, size_t err_cap);

/* Checks a script without a model: the `^` scan, compilation as a text chunk, running the
 * top level and the presence of evaluate(). 0 or a code with a message. */
int zr_eval_script_check(const char *script, size_t len, const zr_eval_limits_t *lim, char *err,
                         size_t err_cap);

/* score → int256 wad (llrint(score × 1e9) × 1e9, big-endian two's complement). ZR_ESCORE
 * when score is not finite or |score| ≥ 9e9. */
int zr_eval_score_wad(uint8_t out[32], double score);
/* The status as the chain names it ("OK", "INVALID_MODEL", "EVAL_ERROR"). */
const char *zr_eval_status_name(zr_eval_status_t s);
/* The result as a JSON object (scores, wads as decimal strings, digest as 0x-hex). */
json_t *zr_eval_result_json(const zr_eval_result_t *res);

/* ---- the rng (docs/EVAL_SCRIPTS.md has the exact specification) ----------------------------
 * Word i of the stream is bytes 8(i mod 4) .. 8(i mod 4)+7, read little-endian, of
 * keccak256(seed ‖ uint64_le(floor(i / 4))). */
typedef struct zr_eval_rng {
    uint8_t seed[32];
    uint64_t counter; /* index of the next word */
    uint8_t block[32];
    uint64_t block_index; /* UINT64_MAX when no block is cached */
} zr_eval_rng_t;

void zr_eval_rng_init(zr_eval_rng_t *r, const uint8_t seed[32]);
uint64_t zr_eval_rng_u64(zr_eval_rng_t *r);
/* (w >> 11) · 2⁻⁵³, in [0, 1). */
double zr_eval_rng_uniform(zr_eval_rng_t *r);
/* Box–Muller with the sandbox's own log and cos: two words per call. */
double zr_eval_rng_normal(zr_eval_rng_t *r);
/* Uniform integer in [lo, hi] by rejection (lo ≤ hi). */
int64_t zr_eval_rng_int(zr_eval_rng_t *r, int64_t lo, int64_t hi);

/* ---- the sampler (training data from the script's sample(rng, n)) ------------------------ */
typedef struct zr_eval_sampler zr_eval_sampler_t;

/* The owner's suggested training settings: the script's optional global table
 * `train = {lr = 0.003, steps = 3000, batch = 256}`; 0 where absent. */
typedef struct zr_eval_train_hints {
    double lr;
    uint64_t steps;
    uint64_t batch;
} zr_eval_train_hints_t;

/* Loads the script in a long-lived sandbox with an rng on seed; the limits apply to every
 * sample() call separately (wall clock none unless set). *loss gets the script's global
 * `loss` ("mse" default, or "cross_entropy"); hints (may be NULL) its `train` table. Free
 * with zr_eval_sampler_free. */
int zr_eval_sampler_new(zr_eval_sampler_t **out, const char *script, size_t len, const uint8_t seed[32],
                        const zr_eval_limits_t *lim, zr_nn_loss_t *loss, zr_eval_train_hints_t *hints,
                        char *err, size_t err_cap);
void zr_eval_sampler_free(zr_eval_sampler_t *s);
/* Calls sample(rng, n): inputs must be n × in_dim and targets n × out_dim (any shape with
 * those element counts and n rows); copied into in / tgt (caller-allocated). */
int zr_eval_sampler_next(zr_eval_sampler_t *s, size_t n, float *in, size_t in_dim, float *tgt,
                         size_t out_dim, char *err, size_t err_cap);

#endif
