/* SPDX-License-Identifier: MIT
 * Correctly rounded float32 references for the nn math, computed with MPFR at 256 bits
 * and rounded once (mpfr_get_flt, round-to-nearest-even). MPFR is loaded with dlopen so the
 * unit test links only the nn module; shared by test_nn_math.c and tests/math/nn_check_math.c. */
#ifndef ZARA_NN_MPFR_REF_H
#define ZARA_NN_MPFR_REF_H

#include <dlfcn.h>
#include <mpfr.h>
#include <string.h>

typedef struct nnref {
    void *h;
    void (*init2)(mpfr_ptr, mpfr_prec_t);
    void (*clear)(mpfr_ptr);
    int (*set_flt)(mpfr_ptr, float, mpfr_rnd_t);
    float (*get_flt)(mpfr_srcptr, mpfr_rnd_t);
    int (*f1[8])(mpfr_ptr, mpfr_srcptr, mpfr_rnd_t); /* exp expm1 log tanh erf erfc log1p neg */
    int (*add_ui)(mpfr_ptr, mpfr_srcptr, unsigned long, mpfr_rnd_t);
    int (*ui_div)(mpfr_ptr, unsigned long, mpfr_srcptr, mpfr_rnd_t);
    int (*mul)(mpfr_ptr, mpfr_srcptr, mpfr_srcptr, mpfr_rnd_t);
    int (*add)(mpfr_ptr, mpfr_srcptr, mpfr_srcptr, mpfr_rnd_t);
    int (*div)(mpfr_ptr, mpfr_srcptr, mpfr_srcptr, mpfr_rnd_t);
    int (*sqrt_ui)(mpfr_ptr, unsigned long, mpfr_rnd_t);
    int (*div_2ui)(mpfr_ptr, mpfr_srcptr, unsigned long, mpfr_rnd_t);
    mpfr_t a, b, s2;
} nnref_t;

enum { NNREF_EXP, NNREF_EXPM1, NNREF_LOG, NNREF_TANH, NNREF_ERF, NNREF_ERFC, NNREF_LOG1P, NNREF_NEG };

static int nnref_open(nnref_t *r)
{
    memset(r, 0, sizeof *r);
    r->h = dlopen("libmpfr.so.6", RTLD_NOW);
    if (!r->h)
        return -1;
    static const char *const names[8] = {"mpfr_exp", "mpfr_expm1", "mpfr_log", "mpfr_tanh",
                                         "mpfr_erf", "mpfr_erfc",  "mpfr_log1p", "mpfr_neg"};
#define NNREF_SYM(field, name)                          \
    do {                                                \
        *(void **)&r->field = dlsym(r->h, name);        \
        if (!r->field)                                  \
            return -1;                                  \
    } while (0)
    NNREF_SYM(init2, "mpfr_init2");
    NNREF_SYM(clear, "mpfr_clear");
    NNREF_SYM(set_flt, "mpfr_set_flt");
    NNREF_SYM(get_flt, "mpfr_get_flt");
    NNREF_SYM(add_ui, "mpfr_add_ui");
    NNREF_SYM(ui_div, "mpfr_ui_div");
    NNREF_SYM(mul, "mpfr_mul");
    NNREF_SYM(add, "mpfr_add");
    NNREF_SYM(div, "mpfr_div");
    NNREF_SYM(sqrt_ui, "mpfr_sqrt_ui");
    NNREF_SYM(div_2ui, "mpfr_div_2ui");
    for (int i = 0; i < 8; i++)
        NNREF_SYM(f1[i], names[i]);
#undef NNREF_SYM
    r->init2(r->a, 256);
    r->init2(r->b, 256);
    r->init2(r->s2, 256);
    r->sqrt_ui(r->s2, 2, MPFR_RNDN);
    return 0;
}

static void nnref_close(nnref_t *r)
{
    if (!r->h)
        return;
    r->clear(r->a);
    r->clear(r->b);
    r->clear(r->s2);
    void (*free_cache)(void) = (void (*)(void))dlsym(r->h, "mpfr_free_cache");
    if (free_cache)
        free_cache();
    dlclose(r->h);
}

typedef enum {
    NNF_EXP, NNF_EXPM1, NNF_LOG, NNF_TANH, NNF_SIGMOID, NNF_SOFTPLUS, NNF_ERF, NNF_GELU, NNF_COUNT
} nnf_t;

static const char *const nnf_names[NNF_COUNT] = {"exp", "expm1", "log", "tanh", "sigmoid", "softplus", "erf", "gelu"};

/* The correctly rounded float32 value of function f at x (finite x; NaN results as NaN). */
static float nnref_eval(nnref_t *r, nnf_t f, float x)
{
    const mpfr_rnd_t N = MPFR_RNDN;
    r->set_flt(r->a, x, N);
    switch (f) {
    case NNF_EXP:
        r->f1[NNREF_EXP](r->b, r->a, N);
        break;
    case NNF_EXPM1:
        r->f1[NNREF_EXPM1](r->b, r->a, N);
        break;
    case NNF_LOG:
        r->f1[NNREF_LOG](r->b, r->a, N);
        break;
    case NNF_TANH:
        r->f1[NNREF_TANH](r->b, r->a, N);
        break;
    case NNF_SIGMOID: /* 1/(1+e^-x) */
        r->f1[NNREF_NEG](r->a, r->a, N);
        r->f1[NNREF_EXP](r->b, r->a, N);
        r->add_ui(r->b, r->b, 1, N);
        r->ui_div(r->b, 1, r->b, N);
        break;
    case NNF_SOFTPLUS: /* x>0: x + log1p(e^-x), which stays in MPFR's exponent range */
        if (x > 0) {
            r->f1[NNREF_NEG](r->b, r->a, N);
            r->f1[NNREF_EXP](r->b, r->b, N);
            r->f1[NNREF_LOG1P](r->b, r->b, N);
            r->add(r->b, r->b, r->a, N);
        } else {
            r->f1[NNREF_EXP](r->b, r->a, N);
            r->f1[NNREF_LOG1P](r->b, r->b, N);
        }
        break;
    case NNF_ERF:
        r->f1[NNREF_ERF](r->b, r->a, N);
        break;
    case NNF_GELU: /* x/2 · erfc(−x/√2), which keeps relative accuracy for x < 0 */
        r->div(r->b, r->a, r->s2, N);
        r->f1[NNREF_NEG](r->b, r->b, N);
        r->f1[NNREF_ERFC](r->b, r->b, N);
        r->mul(r->b, r->b, r->a, N);
        r->div_2ui(r->b, r->b, 1, N);
        break;
    default:
        break;
    }
    return r->get_flt(r->b, N);
}

#endif
