/* SPDX-License-Identifier: MIT
 * The Ethereum contract ABI: types parsed from Solidity-style strings, function and event
 * signatures (selectors, topic0), a value tree built from C or from cast-style text,
 * head/tail encoding exactly as solc lays it out, strict bounds-checked decoding, event
 * log decoding, JSON ABIs (forge artifacts), and printing in `cast abi-decode`'s formats.
 *
 * Ownership: every zr_abi_type_t, zr_abi_value_t, zr_abi_sig_t and zr_abi_json_t pointer
 * handed out by a _parse/_new/_decode/_load function or a value constructor belongs to the
 * caller and is released with the matching _free function (all accept NULL). Containers
 * (zr_abi_tuple, zr_abi_array, zr_abi_value_push) take ownership of the children passed
 * to them, even when they fail. Constructors return NULL only when memory runs out, and a
 * container given a NULL child fails too, so a whole argument tree can be written as one
 * nested expression and checked once.
 *
 * Errors: ZR_EABITYPE (bad type or signature string), ZR_EABI (malformed data or value),
 * ZR_ETRUNCATED (data ends inside a head), ZR_EABIBOUNDS (an offset or length points
 * outside the data), ZR_EABIPADDING (non-canonical padding of a static value),
 * ZR_EABIVALUE (a value does not fit its type), ZR_ETOOBIG (a size limit), ZR_ENOMEM.
 * Functions taking a zr_abi_diag_t * (may be NULL) also leave a one-line explanation. */
#ifndef ZARA_ABI_H
#define ZARA_ABI_H

#include <stddef.h>
#include <stdint.h>

#include "zara/common.h"

/* Hostile-input bounds of the type parser. */
#define ZR_ABI_MAX_DEPTH 32             /* nesting of arrays and tuples */
#define ZR_ABI_MAX_TYPE_LEN 65536       /* characters of a type or signature string */
#define ZR_ABI_MAX_STATIC (16u << 20)   /* bytes of the static encoding of one type */
/* Default cap on the memory a decoded value tree may take (zr_abi_diag_t.max_bytes). */
#define ZR_ABI_DEFAULT_MAX_DECODE (64u << 20)

/* Optional diagnostics and limits shared by the parsing and decoding functions. */
typedef struct zr_abi_diag {
    size_t max_bytes; /* in: decode memory cap, 0 = ZR_ABI_DEFAULT_MAX_DECODE */
    size_t offset;    /* out: byte (or character) offset where the problem was found */
    char msg[224];    /* out: what was wrong, "" when nothing was */
} zr_abi_diag_t;

/* ---- types ----------------------------------------------------------------------------- */
typedef enum zr_abi_kind {
    ZR_ABI_UINT = 1,    /* uintN, size = N bits (8..256 step 8) */
    ZR_ABI_INT,         /* intN, size = N bits */
    ZR_ABI_ADDRESS,
    ZR_ABI_BOOL,
    ZR_ABI_FIXED_BYTES, /* bytesN, size = N (1..32) */
    ZR_ABI_BYTES,
    ZR_ABI_STRING,
    ZR_ABI_ARRAY,       /* T[k], size = k (>= 1) */
    ZR_ABI_DYN_ARRAY,   /* T[] */
    ZR_ABI_TUPLE,       /* (T1,...,Tn) */
} zr_abi_kind_t;

typedef struct zr_abi_type zr_abi_type_t;
struct zr_abi_type {
    zr_abi_kind_t kind;
    unsigned size;          /* see zr_abi_kind_t */
    zr_abi_type_t *elem;    /* ARRAY, DYN_ARRAY: element type */
    zr_abi_type_t **fields; /* TUPLE: component types */
    char **names;           /* TUPLE: component names (entries may be NULL), or NULL */
    size_t nfields;
    int dynamic;            /* 1 when the encoding is dynamic (has a tail) */
    size_t head;            /* bytes it takes in its parent's head (32 when dynamic) */
    unsigned depth;         /* nesting depth below this node (0 for elementary types) */
};

/* Parses one type ("uint256", "(address,bool)[]", "uint" is uint256, "tuple(...)" is
 * accepted). Whitespace around tokens is ignored. ZR_EABITYPE for anything malformed,
 * too deep (ZR_ABI_MAX_DEPTH), a zero-length fixed array, a nested empty tuple or a static
 * size above ZR_ABI_MAX_STATIC. Free with zr_abi_type_free. */
int zr_abi_type_parse(zr_abi_type_t **out, const char *s, zr_abi_diag_t *diag);
/* Parses a parameter list "(T1 name, T2, ...)" or "T1,T2" (the parentheses are optional)
 * into a tuple type; names are optional and kept. "()" and "" give the empty tuple.
 * Because outer parentheses are the list, a single tuple parameter is "((T1,T2))". */
int zr_abi_type_parse_list(zr_abi_type_t **out, const char *s, zr_abi_diag_t *diag);
void zr_abi_type_free(zr_abi_type_t *t);
/* Deep copy (names included); NULL when out of memory. */
zr_abi_type_t *zr_abi_type_dup(const zr_abi_type_t *t);
/* Appends the canonical form ("uint256", "(address,bool)[2]") to out. */
int zr_abi_type_canonical(const zr_abi_type_t *t, zr_buf_t *out);
/* Builders for types made in C (take ownership of their arguments; NULL on failure). */
zr_abi_type_t *zr_abi_type_new(zr_abi_kind_t kind, unsigned size);
zr_abi_type_t *zr_abi_type_array(zr_abi_type_t *elem, unsigned k /* 0 = dynamic */);
/* A tuple of n types given as variadic zr_abi_type_t * arguments. */
zr_abi_type_t *zr_abi_type_tuple(size_t n, ...);

/* ---- signatures ------------------------------------------------------------------------ */
typedef enum zr_abi_sig_kind {
    ZR_ABI_FUNCTION = 1,
    ZR_ABI_EVENT,
    ZR_ABI_ERROR,
    ZR_ABI_CONSTRUCTOR,
} zr_abi_sig_kind_t;

typedef struct zr_abi_sig {
    zr_abi_sig_kind_t kind;
    char *name;
    char *canonical;        /* "name(type1,type2)" as hashed for the selector/topic */
    zr_abi_type_t *inputs;  /* tuple; component names kept when given */
    zr_abi_type_t *outputs; /* tuple (empty when none) */
    uint8_t *indexed;       /* EVENT: one flag per input; NULL otherwise */
    int anonymous;          /* EVENT: no topic0 */
    uint8_t selector[4];    /* first 4 bytes of topic0 */
    uint8_t topic0[32];     /* keccak256(canonical) */
} zr_abi_sig_t;

/* Parses "name(T1,T2)", optionally with "function "/"event "/"error " in front, parameter
 * names, "indexed" (events), "memory"/"calldata" (ignored), outputs as "name(in)(out)" or
 * "name(in) returns (out)", and "anonymous" after an event. kind is the default when the
 * text does not say. Free with zr_abi_sig_free. */
int zr_abi_sig_parse(zr_abi_sig_t **out, const char *text, zr_abi_sig_kind_t kind, zr_abi_diag_t *diag);
void zr_abi_sig_free(zr_abi_sig_t *s);
/* Deep copy, e.g. to keep an entry of a zr_abi_json_t after freeing it; NULL on ENOMEM. */
zr_abi_sig_t *zr_abi_sig_dup(const zr_abi_sig_t *s);
/* Index of the input called name, or -1. */
int zr_abi_sig_input_index(const zr_abi_sig_t *s, const char *name);
/* The 4-byte selector / 32-byte topic0 of a signature string in one call. */
int zr_abi_selector(uint8_t out[4], const char *sig);
int zr_abi_event_topic(uint8_t out[32], const char *sig);

/* ---- values ----------------------------------------------------------------------------
 * One tree for values built in C, parsed from text and decoded from data. The kind of a
 * value says how it was made; encoding checks it against the type (a NUM fits uintN when
 * it is not negative and fits N bits, intN when it fits N signed bits; ARRAY serves both
 * T[k] and T[]; BYTES and STRING are interchangeable for bytes/string). */
typedef enum zr_abi_vkind {
    ZR_ABI_V_NUM = 1,     /* word: 256-bit two's complement, big-endian */
    ZR_ABI_V_ADDRESS,     /* word[12..31]: the 20 bytes */
    ZR_ABI_V_BOOL,        /* word[31]: 0 or 1 */
    ZR_ABI_V_FIXED_BYTES, /* word[0..len-1], len = N */
    ZR_ABI_V_BYTES,       /* data, len */
    ZR_ABI_V_STRING,      /* data, len (NUL-terminated; may hold NULs, need not be UTF-8) */
    ZR_ABI_V_ARRAY,       /* items, count */
    ZR_ABI_V_TUPLE,       /* items, count */
} zr_abi_vkind_t;

typedef struct zr_abi_value zr_abi_value_t;
struct zr_abi_value {
    zr_abi_vkind_t kind;
    uint8_t neg;       /* NUM: negative */
    uint8_t is_signed; /* NUM: made by an int constructor or decoded from intN */
    uint8_t word[32];
    uint8_t *data;
    size_t len;
    zr_abi_value_t **items;
    size_t count, cap;
    char *name; /* component name from the type or signature, or NULL */
};

void zr_abi_value_free(zr_abi_value_t *v);
/* Deep copy; NULL when out of memory. */
zr_abi_value_t *zr_abi_value_dup(const zr_abi_value_t *v);

zr_abi_value_t *zr_abi_uint_u64(uint64_t x);
zr_abi_value_t *zr_abi_uint_be(const uint8_t be[32]); /* 256-bit big-endian */
zr_abi_value_t *zr_abi_int_i64(int64_t x);
zr_abi_value_t *zr_abi_int_be(const uint8_t be[32]); /* two's complement big-endian */
zr_abi_value_t *zr_abi_address(const uint8_t addr[20]);
zr_abi_value_t *zr_abi_bool(int b);
zr_abi_value_t *zr_abi_fixed_bytes(const uint8_t *p, size_t n); /* bytesN, n 1..32 */
zr_abi_value_t *zr_abi_bytes32(const uint8_t b[32]);
zr_abi_value_t *zr_abi_bytes(const uint8_t *p, size_t n);
zr_abi_value_t *zr_abi_string(const char *s);
zr_abi_value_t *zr_abi_string_n(const char *s, size_t n);
/* Containers of n variadic zr_abi_value_t * children (owned; NULL if any child is). */
zr_abi_value_t *zr_abi_tuple(size_t n, ...);
zr_abi_value_t *zr_abi_array(size_t n, ...);
/* Arrays of numbers in one call. */
zr_abi_value_t *zr_abi_array_u64(const uint64_t *xs, size_t n);
/* An empty ARRAY or TUPLE to fill with zr_abi_value_push. */
zr_abi_value_t *zr_abi_value_new(zr_abi_vkind_t kind);
/* Appends child (owned; freed on failure). ZR_EINVAL when parent is not a container or
 * child is NULL, ZR_ENOMEM. */
int zr_abi_value_push(zr_abi_value_t *parent, zr_abi_value_t *child);

/* Accessors: they check the kind (ZR_EINVAL) and range (ZR_ERANGE). */
int zr_abi_value_u64(const zr_abi_value_t *v, uint64_t *out);
int zr_abi_value_i64(const zr_abi_value_t *v, int64_t *out);
int zr_abi_value_u256(const zr_abi_value_t *v, uint8_t out[32]); /* NUM >= 0 */
int zr_abi_value_address(const zr_abi_value_t *v, uint8_t out[20]);
int zr_abi_value_bool(const zr_abi_value_t *v, int *out);
/* The bytes of a BYTES, STRING or FIXED_BYTES value (borrowed; valid while v lives). */
int zr_abi_value_data(const zr_abi_value_t *v, const uint8_t **p, size_t *n);
/* Child i of an ARRAY/TUPLE, or NULL. */
const zr_abi_value_t *zr_abi_value_at(const zr_abi_value_t *v, size_t i);
/* Child called name of a TUPLE (from decoding with named types / event logs), or NULL. */
const zr_abi_value_t *zr_abi_value_field(const zr_abi_value_t *v, const char *name);

/* ---- encoding and decoding ------------------------------------------------------------ */
/* Appends the encoding of v as type t to out: for a tuple (a parameter list) exactly what
 * abi.encode(a, b, ...) gives — heads, then tails, offsets relative to the tuple's start;
 * for any other type its own encoding enc(t). ZR_EABIVALUE with a message when v does not
 * match t, ZR_ETOOBIG past out->max. */
int zr_abi_encode(zr_buf_t *out, const zr_abi_type_t *t, const zr_abi_value_t *v, zr_abi_diag_t *diag);
/* Appends selector || abi.encode(args) for sig's inputs. */
int zr_abi_encode_call(zr_buf_t *out, const zr_abi_sig_t *sig, const zr_abi_value_t *args, zr_abi_diag_t *diag);

/* Decodes data as type t (for a parameter tuple: what abi.decode(data, (T1, ...)) reads).
 * Strict like solc's decoder: address, bool, uintN, intN and bytesN must be canonically
 * padded (ZR_EABIPADDING); offsets and lengths must stay inside data (ZR_EABIBOUNDS,
 * ZR_ETRUNCATED); array lengths that the data cannot hold are rejected before anything
 * is allocated; the tree is capped at diag->max_bytes (ZR_ETOOBIG). Bytes after the
 * encoding are ignored, as solc does. Tuple components get the type's names. */
int zr_abi_decode(zr_abi_value_t **out, const zr_abi_type_t *t, const uint8_t *data, size_t len, zr_abi_diag_t *diag);
/* Decodes the return data of a call to sig (its outputs tuple). */
int zr_abi_decode_output(zr_abi_value_t **out, const zr_abi_sig_t *sig, const uint8_t *data, size_t len, zr_abi_diag_t *diag);
/* Decodes calldata selector || args of a call to sig (ZR_EABI when the selector differs). */
int zr_abi_decode_call(zr_abi_value_t **out, const zr_abi_sig_t *sig, const uint8_t *data, size_t len, zr_abi_diag_t *diag);
/* Decodes an event log into a named TUPLE in the event's input order. topics[0] must be
 * topic0 unless the event is anonymous. Indexed static inputs come from the topics;
 * indexed dynamic inputs (string, bytes, arrays, tuples) are only stored as their keccak
 * hash and are returned as a FIXED_BYTES(32) value holding that hash. The data part holds
 * the non-indexed inputs. */
int zr_abi_decode_log(zr_abi_value_t **out, const zr_abi_sig_t *ev, const uint8_t (*topics)[32], size_t ntopics,
                      const uint8_t *data, size_t len, zr_abi_diag_t *diag);

/* ---- text (cast-compatible) ------------------------------------------------------------
 * Parses one command-line argument as type t the way `cast abi-encode` does: numbers in
 * decimal, 0x-hex, with a fraction/exponent and the units wei/gwei/ether ("1.5ether",
 * "1e18"), a leading '-' for intN; addresses as 40 hex digits (0x optional, checksum not
 * enforced); bool true/false; bytes and bytesN as hex (bytesN needs exactly N bytes);
 * arrays "[a, b]" and tuples "(a, b)" nested; strings raw at the top level and, inside
 * brackets, unquoted (trimmed, up to ',' or the closing bracket) or in "..." or '...'. */
int zr_abi_value_parse(zr_abi_value_t **out, const zr_abi_type_t *t, const char *text, zr_abi_diag_t *diag);
/* Parses argv[0..argc-1] as the components of the tuple type t into a TUPLE. */
int zr_abi_value_parse_args(zr_abi_value_t **out, const zr_abi_type_t *t, int argc, char *const *argv,
                            zr_abi_diag_t *diag);

/* Appends v as `cast abi-decode` prints one value: decimal numbers with " [1.234e5]" from
 * 10000 up, checksummed addresses, 0x-hex bytes, strings quoted with Rust's escapes,
 * "[a, b]" and "(a, b)". */
int zr_abi_value_format(zr_buf_t *out, const zr_abi_value_t *v);
/* Appends v as `cast abi-decode --json` prints it at nesting level `indent` (pretty JSON,
 * two spaces; numbers that fit 64 bits are JSON numbers, larger ones strings; tuples are
 * arrays). */
int zr_abi_value_format_json(zr_buf_t *out, const zr_abi_value_t *v, unsigned indent);
/* Appends the EIP-55 checksummed "0x..." form of a 20-byte address. */
int zr_abi_format_address(zr_buf_t *out, const uint8_t addr[20]);

/* ---- JSON ABI ------------------------------------------------------------------------- */
typedef struct zr_abi_json zr_abi_json_t;

/* Loads a JSON ABI: a plain array, or an object with an "abi" array (forge artifacts).
 * Entries of type function, event, error and constructor are kept (fallback and receive
 * are skipped). ZR_EJSON / ZR_EABITYPE with a message. Free with zr_abi_json_free. */
int zr_abi_json_load(zr_abi_json_t **out, const char *text, size_t len, zr_abi_diag_t *diag);
int zr_abi_json_load_file(zr_abi_json_t **out, const char *path, zr_abi_diag_t *diag);
void zr_abi_json_free(zr_abi_json_t *a);
size_t zr_abi_json_count(const zr_abi_json_t *a);
const zr_abi_sig_t *zr_abi_json_at(const zr_abi_json_t *a, size_t i);
/* The first entry of that kind whose name, or whose canonical signature, is key (NULL when
 * none). Overloads are told apart by the canonical form "name(types)". */
const zr_abi_sig_t *zr_abi_json_find(const zr_abi_json_t *a, zr_abi_sig_kind_t kind, const char *key);
/* The non-anonymous event whose topic0 is topic (NULL when none). */
const zr_abi_sig_t *zr_abi_json_event_by_topic(const zr_abi_json_t *a, const uint8_t topic[32]);
/* The function whose selector is sel (NULL when none). */
const zr_abi_sig_t *zr_abi_json_function_by_selector(const zr_abi_json_t *a, const uint8_t sel[4]);

#endif
