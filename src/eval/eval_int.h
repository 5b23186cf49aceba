/* SPDX-License-Identifier: MIT
 * Private header of the eval module: the sandboxed Lua state, its limits and work
 * accounting, and the registration functions of the script libraries (math, rng, tensors,
 * metrics, model). Nothing here is part of the public API (include/zara/eval.h). */
#ifndef ZARA_EVAL_INT_H
#define ZARA_EVAL_INT_H

#include <locale.h>
#include <stddef.h>
#include <stdint.h>

#include <lauxlib.h>
#include <lua.h>

#include "eval_det.h"
#include "zara/eval.h"

/* The count hook fires every ZR__SBX_PERIOD VM instructions; the budget is checked then. */
#define ZR__SBX_PERIOD 1000u
/* Fixed chunk name: error messages must not depend on where the file was read from. */
#define ZR__SBX_CHUNK "=eval"

typedef struct zr__sbx {
    lua_State *L;
    size_t mem_used;
    size_t mem_cap;
    size_t mem_peak;
    uint64_t used;         /* instructions + C work units so far */
    uint64_t budget;
    uint64_t deadline_ns;  /* CLOCK_MONOTONIC; 0 = no wall-clock limit */
    int fatal;             /* ZR_EBUDGET / ZR_EWALLCLOCK / ZR_EINTERRUPTED once hit: sticky */
    const volatile int *cancel;
    int model_fault;       /* ZR_E* code when the model (not the script) failed */
    char model_msg[200];
    zr_eval_print_fn print;
    void *print_ud;
    locale_t prev_locale;  /* restored by zr__sbx_close */
    size_t saved_cap;      /* the script's cap while the host works (zr__sbx_host) */
} zr__sbx_t;

/* Creates a fresh sandboxed state with the safe libraries and the script API installed.
 * wall_ms 0 means no wall-clock limit. */
int zr__sbx_open(zr__sbx_t *s, const zr_eval_limits_t *lim);
void zr__sbx_close(zr__sbx_t *s);
/* Resets the work counter and the deadline (per call for long-lived states). */
void zr__sbx_rearm(zr__sbx_t *s, const zr_eval_limits_t *lim);
/* Checks the script text (no `^`), compiles it as a text chunk and runs its top level.
 * On failure returns a ZR_E* code and writes a message. */
int zr__sbx_load(zr__sbx_t *s, const char *script, size_t len, char *msg, size_t msg_cap);
/* Calls the function on the stack top-(nargs+1) with nargs arguments in protected mode;
 * classifies the failure (SCRIPT, BUDGET, MEMCAP, WALLCLOCK) and writes a message. */
int zr__sbx_call(zr__sbx_t *s, int nargs, int nresults, char *msg, size_t msg_cap);
/* Pushes the global `name` without metamethods (a script may give _G a metatable whose
 * __index raises, and the host reads globals outside protected calls); returns its type. */
int zr__sbx_rawglobal(lua_State *L, const char *name);
/* Brackets host-side Lua API calls made outside protected calls (reading globals, pushing
 * the rng): on = 1 lends 1 MiB above the memory cap, so an allocation there cannot raise an
 * unprotected error (a panic) after a script filled its heap; on = 0 restores the cap. */
void zr__sbx_host(zr__sbx_t *s, int on);
/* The sandbox that owns L. */
zr__sbx_t *zr__sbx_get(lua_State *L);
/* Charges units of C work to the budget; raises a Lua error when it is exhausted or the
 * wall clock ran out. Every C function whose cost grows with its input calls this. */
void zr__sbx_charge(lua_State *L, uint64_t units);

/* Scans Lua source for the `^` operator outside comments and strings. Returns 0, or
 * ZR_ESCRIPT with the line in *line. */
int zr__scan_pow(const char *src, size_t len, int *line);

/* Script libraries (each installs one global table). */
void zr__math_open(lua_State *L);
void zr__rng_open(lua_State *L);
void zr__tensor_open(lua_State *L);
void zr__metrics_open(lua_State *L);

/* ---- tensors ---------------------------------------------------------------------------- */
#define ZR__TENSOR_MAXDIM 4
#define ZR__TENSOR_MT "zara.tensor"

typedef struct zr__tensor {
    int ndim;
    int64_t shape[ZR__TENSOR_MAXDIM];
    int64_t n;      /* element count */
    float data[];   /* row-major */
} zr__tensor_t;

/* Pushes a new zero-filled tensor (memory from the sandbox allocator, so it counts
 * against the memory cap). Raises a Lua error on bad shapes. */
zr__tensor_t *zr__tensor_push(lua_State *L, int ndim, const int64_t *shape);
/* The tensor at idx, or a Lua argument error. */
zr__tensor_t *zr__tensor_check(lua_State *L, int idx);
zr__tensor_t *zr__tensor_test(lua_State *L, int idx);

/* ---- rng -------------------------------------------------------------------------------- */
/* Pushes a fresh script rng object for seed (counter 0). */
void zr__rng_push(lua_State *L, const uint8_t seed[32]);

#endif
