/* SPDX-License-Identifier: MIT
 * The neural-network engine: Keras Sequential architectures, safetensors parameters, a
 * bit-exact forward pass (DESIGN.md §5: each output is acc = bias; acc = acc + w·x for k in
 * order, the product rounded before the add; vectorised and threaded across outputs and
 * samples only), parameter initialisation from a seed, a float32 Adam trainer, the
 * outputsDigest helper and importers for older weight formats. Depends on common and crypto.
 *
 * Thread-safety: architectures and parameters are read-only after creation and may be
 * shared between threads; a model or trainer is used by one thread at a time (it runs its
 * own worker threads internally).
 *
 * Errors: every function that can fail returns 0 or a negative ZR_E* code and, when it
 * takes (err, err_cap), writes one human-readable line there naming the layer, tensor or
 * byte offset at fault. Codes used: ZR_EARCH (bad architecture), ZR_ESAFETENSORS (bad
 * file), ZR_ESHAPE (tensor missing or shape differs from the architecture), ZR_ENONFINITE
 * (NaN/Inf weight), ZR_ELIMIT (over a zr_nn_limits_t bound), ZR_EFPENV (FP control state
 * cannot be made canonical), ZR_ENOMEM, ZR_EINVAL, ZR_EJSON, ZR_ETOOBIG. */
#ifndef ZARA_NN_H
#define ZARA_NN_H

#include <stddef.h>
#include <stdint.h>

#include "zara/common.h"
#include "zara/keccak.h"

/* ---- limits ------------------------------------------------------------------------------
 * Bounds a task can state; checked while parsing the architecture (and by model_new for the
 * arena), so a hostile file fails fast and never allocates beyond them. */
typedef struct zr_nn_limits {
    uint64_t max_params; /* total trainable parameters */
    uint32_t max_width;  /* units of any layer, and the flattened input size */
    uint32_t max_depth;  /* number of layers (InputLayer included) */
} zr_nn_limits_t;

#define ZR_NN_DEFAULT_MAX_PARAMS (16u * 1024u * 1024u)
#define ZR_NN_DEFAULT_MAX_WIDTH 16384u
#define ZR_NN_DEFAULT_MAX_DEPTH 64u
/* Hard ceilings no limits struct can raise. */
#define ZR_NN_HARD_MAX_PARAMS (256u * 1024u * 1024u)
#define ZR_NN_HARD_MAX_WIDTH (1u << 20)
#define ZR_NN_HARD_MAX_DEPTH 1024u
/* The largest architecture JSON accepted (bytes). */
#define ZR_NN_MAX_ARCH_JSON (4u << 20)

void zr_nn_limits_default(zr_nn_limits_t *l);

/* ---- architecture ------------------------------------------------------------------------ */
typedef enum zr_nn_act {
    ZR_NN_ACT_LINEAR = 0,
    ZR_NN_ACT_RELU,
    ZR_NN_ACT_LEAKY_RELU, /* x < 0 ? alpha·x : x; alpha defaults to 0.2 (Keras 3) */
    ZR_NN_ACT_ELU,        /* x < 0 ? alpha·(exp(x) − 1) : x; alpha defaults to 1 */
    ZR_NN_ACT_TANH,
    ZR_NN_ACT_SIGMOID,
    ZR_NN_ACT_SOFTPLUS,
    ZR_NN_ACT_SOFTMAX, /* over the units of one sample, in unit order */
    ZR_NN_ACT_GELU,    /* exact form 0.5·x·(1 + erf(x/√2)) */
} zr_nn_act_t;

typedef enum zr_nn_layer_kind {
    ZR_NN_LAYER_INPUT = 0,
    ZR_NN_LAYER_DENSE,
    ZR_NN_LAYER_ACTIVATION,
    ZR_NN_LAYER_DROPOUT, /* identity at evaluation and in training (deterministic trainer) */
    ZR_NN_LAYER_FLATTEN,
} zr_nn_layer_kind_t;

typedef struct zr_nn_layer_info {
    zr_nn_layer_kind_t kind;
    const char *class_name; /* "Dense", "Activation", ... */
    const char *name;       /* the layer's name; Dense tensors are <name>/kernel, <name>/bias */
    uint32_t in_dim;        /* flattened units per sample entering the layer */
    uint32_t out_dim;
    zr_nn_act_t act; /* Dense and Activation; LINEAR otherwise */
    float alpha;     /* leaky_relu / elu parameter */
    int use_bias;    /* Dense only */
    uint64_t params; /* parameters of this layer */
    uint64_t flops;  /* per sample: 2·in·out (+out for a bias) for Dense, out per activation */
} zr_nn_layer_info_t;

typedef struct zr_nn_arch zr_nn_arch_t;

/* Parses a Keras Sequential model JSON (model.to_json() of Keras 2/3, model.toJSON() of
 * TF.js, or a TF.js model.json whose "modelTopology" holds one) into *out. The first layer
 * (or an InputLayer) must state batch_input_shape / batch_shape / batch_size+input_shape; an
 * input of rank > 1 must be flattened (Flatten) before the first Dense. lim may be NULL for
 * the defaults. Unknown layers, activations or options are rejected with a message naming
 * the layer. Free with zr_nn_arch_free. */
int zr_nn_arch_parse(zr_nn_arch_t **out, const char *json, size_t len, const zr_nn_limits_t *lim,
                     char *err, size_t err_cap);
void zr_nn_arch_free(zr_nn_arch_t *a);
size_t zr_nn_arch_layer_count(const zr_nn_arch_t *a);
/* Fills *out for layer i (< layer_count); pointers stay valid while a lives. */
void zr_nn_arch_layer(const zr_nn_arch_t *a, size_t i, zr_nn_layer_info_t *out);
uint32_t zr_nn_arch_input_dim(const zr_nn_arch_t *a);  /* flattened per sample */
uint32_t zr_nn_arch_output_dim(const zr_nn_arch_t *a); /* per sample */
/* The declared input shape without the batch axis (e.g. {28, 28}); returns its rank. */
size_t zr_nn_arch_input_shape(const zr_nn_arch_t *a, const uint32_t **shape);
uint64_t zr_nn_arch_param_count(const zr_nn_arch_t *a);
uint64_t zr_nn_arch_flops(const zr_nn_arch_t *a); /* per sample, sum of layer flops */
/* The model's name from the JSON config ("sequential" when absent). */
const char *zr_nn_arch_name(const zr_nn_arch_t *a);
const char *zr_nn_act_name(zr_nn_act_t act);

/* ---- safetensors -------------------------------------------------------------------------
 * Strict reader: 8-byte LE header length (≤ ZR_NN_ST_MAX_HEADER, and within the file), a
 * JSON object whose members are tensors {dtype, shape, data_offsets} or "__metadata__" (an
 * object of strings); dtype F32/F16/BF16/F64; shapes of at most ZR_NN_ST_MAX_DIMS
 * non-negative dimensions whose element count times the dtype size equals end − begin;
 * data_offsets within the data section, non-overlapping and together covering it exactly. */
#define ZR_NN_ST_MAX_HEADER (16u << 20)
#define ZR_NN_ST_MAX_DIMS 8
#define ZR_NN_ST_MAX_TENSORS 65536u
#define ZR_NN_ST_NAME_MAX 256

typedef enum zr_nn_dtype { ZR_NN_F32 = 0, ZR_NN_F16, ZR_NN_BF16, ZR_NN_F64 } zr_nn_dtype_t;

typedef struct zr_nn_st_tensor {
    char name[ZR_NN_ST_NAME_MAX];
    zr_nn_dtype_t dtype;
    uint32_t ndim;
    uint64_t shape[ZR_NN_ST_MAX_DIMS];
    uint64_t count;       /* product of shape (1 for a scalar) */
    const uint8_t *data;  /* points into the buffer given to zr_nn_st_parse */
    uint64_t begin, end;  /* data_offsets, relative to the data section */
} zr_nn_st_tensor_t;

/* A parsed file; the caller owns the struct (zr_nn_st_parse fills it, zr_nn_st_cleanup
 * frees the table). Tensors reference `file`, which must outlive the struct. */
typedef struct zr_nn_st {
    zr_nn_st_tensor_t *tensors; /* sorted by name */
    size_t count;
} zr_nn_st_t;

int zr_nn_st_parse(zr_nn_st_t *st, const void *file, size_t len, char *err, size_t err_cap);
void zr_nn_st_cleanup(zr_nn_st_t *st);
/* The tensor named name, or NULL. */
const zr_nn_st_tensor_t *zr_nn_st_find(const zr_nn_st_t *st, const char *name);
/* Converts tensor t to float32 into out[0..t->count); ZR_ENONFINITE (with the name and
 * element index in err) when a value is NaN or ±Inf, or when an F64 value overflows F32. */
int zr_nn_st_read_f32(const zr_nn_st_tensor_t *t, float *out, char *err, size_t err_cap);

/* One tensor for zr_nn_st_write (float32 only). */
typedef struct zr_nn_st_entry {
    const char *name;
    uint32_t ndim;
    const uint64_t *shape;
    const float *data; /* product(shape) values */
} zr_nn_st_entry_t;

/* Appends a safetensors file (F32, tensors sorted by name, header padded with spaces to a
 * multiple of 8) to out. meta may be NULL or an object of string values for "__metadata__". */
int zr_nn_st_write(zr_buf_t *out, const zr_nn_st_entry_t *entries, size_t n, const json_t *meta);

/* ---- parameters ----------------------------------------------------------------------------
 * The float32 values of every Dense layer of one architecture: layer by layer, kernel
 * [in][out] row-major then bias [out]. */
typedef struct zr_nn_params zr_nn_params_t;

/* Loads parameters for a from a safetensors file: every Dense layer needs <name>/kernel
 * [in, out] and (when use_bias) <name>/bias [out]; extra tensors are an error. */
int zr_nn_params_load(zr_nn_params_t **out, const zr_nn_arch_t *a, const void *file, size_t len,
                      char *err, size_t err_cap);
/* Fresh parameters from a seed: kernels Glorot-uniform (He-uniform before relu-family
 * activations: relu, leaky_relu, elu, gelu), biases zero. Same seed → same bits on every
 * machine (own counter-based generator, no libm). */
int zr_nn_params_init(zr_nn_params_t **out, const zr_nn_arch_t *a, uint64_t seed);
/* All zeros (for importers and tests). */
int zr_nn_params_new(zr_nn_params_t **out, const zr_nn_arch_t *a);
int zr_nn_params_copy(zr_nn_params_t **out, const zr_nn_params_t *p);
/* Appends p as a safetensors file to out. */
int zr_nn_params_save(const zr_nn_params_t *p, zr_buf_t *out);
void zr_nn_params_free(zr_nn_params_t *p);
/* The flat value array (see above) and its length; writable, e.g. for tests. */
float *zr_nn_params_data(zr_nn_params_t *p, size_t *count);
/* Kernel and bias of Dense layer `layer` (an index into the arch's layers); bias is NULL
 * without use_bias. ZR_EINVAL when the layer is not Dense. */
int zr_nn_params_dense(zr_nn_params_t *p, size_t layer, float **kernel, float **bias);
const zr_nn_arch_t *zr_nn_params_arch(const zr_nn_params_t *p);

/* ---- floating-point environment ----------------------------------------------------------
 * Sets round-to-nearest-even and clears flush-to-zero / denormals-are-zero (x86 MXCSR,
 * aarch64 FPCR) on the calling thread, then checks them. ZR_EFPENV when it cannot. Models
 * and trainers call this at the start of every forward/step and in their workers. */
int zr_nn_fpenv_enter(void);
/* Only checks; 0 or ZR_EFPENV. */
int zr_nn_fpenv_check(void);

/* ---- the model instance ------------------------------------------------------------------- */
typedef enum zr_nn_path {
    ZR_NN_PATH_AUTO = 0, /* the fastest available */
    ZR_NN_PATH_REF,      /* the slow, obviously correct reference */
    ZR_NN_PATH_SCALAR,   /* blocked portable C */
    ZR_NN_PATH_SSE2,
    ZR_NN_PATH_AVX2,
    ZR_NN_PATH_NEON,
    ZR_NN_PATH_AVX512, /* AVX-512F, chosen at run time when the CPU has it */
} zr_nn_path_t;

/* Whether path can run on this machine and build. */
int zr_nn_path_available(zr_nn_path_t path);
const char *zr_nn_path_name(zr_nn_path_t path);
/* Parses "auto", "ref", "scalar", "sse2", "avx2", "neon", "avx512"; -1 when unknown. */
int zr_nn_path_parse(const char *s);

typedef struct zr_nn_model_opts {
    uint32_t max_batch; /* samples per internal chunk; 0 → 1024 */
    uint32_t threads;   /* 0 or 1 → no worker threads */
    zr_nn_path_t path;  /* AUTO unless a test forces one; an unavailable path is ZR_EUNSUPPORTED */
} zr_nn_model_opts_t;

typedef struct zr_nn_model zr_nn_model_t;

/* Builds a model: one arena sized for max_batch (weights copied in, activations, scratch),
 * and its worker threads. The params are copied: p may be freed afterwards. opts may be
 * NULL. ZR_ELIMIT when the arena would exceed 1 GiB. Free with zr_nn_model_free. */
int zr_nn_model_new(zr_nn_model_t **out, const zr_nn_arch_t *a, const zr_nn_params_t *p,
                    const zr_nn_model_opts_t *opts, char *err, size_t err_cap);
void zr_nn_model_free(zr_nn_model_t *m);
/* Replaces the weights (same architecture) without allocating. */
int zr_nn_model_set_params(zr_nn_model_t *m, const zr_nn_params_t *p);
/* Runs batch samples: in is batch × input_dim floats (row-major), out batch × output_dim.
 * Any batch size (processed in chunks of max_batch); allocates nothing. Sets and checks the
 * FP environment first (ZR_EFPENV). Non-finite inputs are computed through, and every NaN
 * in out is the canonical quiet NaN 0x7fc00000 so the bits agree across CPUs. */
int zr_nn_model_forward(zr_nn_model_t *m, const float *in, size_t batch, float *out);
zr_nn_path_t zr_nn_model_path(const zr_nn_model_t *m);
const zr_nn_arch_t *zr_nn_model_arch(const zr_nn_model_t *m);

/* ---- outputsDigest ---------------------------------------------------------------------------
 * keccak256 over tensors in call order: each tensor contributes its shape as u32 LE values
 * then its data as binary32 LE (NaNs canonicalised to 0x7fc00000). */
typedef struct zr_nn_digest {
    zr_keccak_t k;
} zr_nn_digest_t;

void zr_nn_digest_init(zr_nn_digest_t *d);
/* shape has ndim entries; data has their product. */
void zr_nn_digest_tensor(zr_nn_digest_t *d, const uint32_t *shape, size_t ndim, const float *data);
void zr_nn_digest_final(zr_nn_digest_t *d, uint8_t out[32]);

/* ---- training ----------------------------------------------------------------------------------
 * Mini-batch Adam in float32 with the canonical order for every product/sum, so a run is
 * bit-for-bit reproducible for the same (arch, init, data, options) on any machine and with
 * any thread count. Dropout is the identity. */
typedef enum zr_nn_loss {
    ZR_NN_LOSS_MSE = 0, /* mean over samples and outputs of (y − t)² */
    /* targets are probability rows (batch × output_dim). Final softmax: −Σ t·log y;
     * final sigmoid: binary CE per output; final linear: softmax over the logits first.
     * Other final activations are ZR_EINVAL. Mean over samples. */
    ZR_NN_LOSS_CROSS_ENTROPY,
} zr_nn_loss_t;

typedef struct zr_nn_train_opts {
    zr_nn_loss_t loss;
    float lr;        /* 0 → 1e-3 */
    float beta1;     /* 0 → 0.9 */
    float beta2;     /* 0 → 0.999 */
    float eps;       /* 0 → 1e-7 (Keras) */
    uint32_t max_batch; /* 0 → 4096: larger batches are ZR_EINVAL */
    uint32_t threads;   /* reserved: the trainer runs on the calling thread (its results never
                         * depend on this field) */
    zr_nn_path_t path;
} zr_nn_train_opts_t;

typedef struct zr_nn_trainer zr_nn_trainer_t;

/* A trainer starting from init (copied). Allocates everything up front. */
int zr_nn_trainer_new(zr_nn_trainer_t **out, const zr_nn_arch_t *a, const zr_nn_params_t *init,
                      const zr_nn_train_opts_t *opts, char *err, size_t err_cap);
void zr_nn_trainer_free(zr_nn_trainer_t *t);
/* One Adam step on batch samples (inputs batch × input_dim, targets batch × output_dim);
 * *loss gets the batch loss before the update. ZR_ENONFINITE when the loss or a gradient is
 * not finite (the parameters are then left unchanged). */
int zr_nn_trainer_step(zr_nn_trainer_t *t, const float *inputs, const float *targets, size_t batch,
                       float *loss);
/* Copies the current parameters into dst (created for the same architecture). */
int zr_nn_trainer_get_params(const zr_nn_trainer_t *t, zr_nn_params_t *dst);
uint64_t zr_nn_trainer_steps(const zr_nn_trainer_t *t);

/* ---- importers (→ safetensors bytes appended to out) -------------------------------------- */
/* The prototype's JSON weight list [{"tensor":[…],"shape":[…],"dtype":"float32"}, …] in
 * Keras get_weights() order (kernel then bias of each Dense layer); "tensor" may be flat or
 * nested. Shapes are checked against a. */
int zr_nn_import_weight_list(zr_buf_t *out, const zr_nn_arch_t *a, const char *json, size_t len,
                             char *err, size_t err_cap);
/* A TF.js model.json: its weightsManifest shards are read from the directory `dir` (paths
 * relative to it, each at most 1 GiB); float32 weights only. Weight names "<layer>/kernel"
 * and "<layer>/bias" are matched to a (which may come from the same file's modelTopology). */
int zr_nn_import_tfjs(zr_buf_t *out, const zr_nn_arch_t *a, const char *model_json, size_t len,
                      const char *dir, char *err, size_t err_cap);

#endif
