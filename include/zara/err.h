/* SPDX-License-Identifier: MIT
 * The one list of error codes of libzara. Functions that can fail return 0 or one of these
 * negative codes; zr_strerror() names them. Numbers are explicit and never reused: when a
 * code is retired its line stays, commented out. Ranges by module:
 *   1..99 common   100..199 crypto   200..299 eth   300..399 store
 *   400..499 nn    500..599 eval     600..699 protocol   700..799 node   800..899 cli */
#ifndef ZARA_ERR_H
#define ZARA_ERR_H

#define ZR_ERRNO_MAP(X)                                                                  \
    X(NOMEM, 1, "out of memory")                                                         \
    X(INVAL, 2, "invalid argument")                                                      \
    X(TOOBIG, 3, "input exceeds its size limit")                                         \
    X(IO, 4, "input/output error")                                                       \
    X(NOENT, 5, "no such file or object")                                                \
    X(PARSE, 6, "malformed input")                                                       \
    X(RANGE, 7, "value out of range")                                                    \
    X(BUFSMALL, 8, "output buffer too small")                                            \
    X(TIMEOUT, 9, "timed out")                                                           \
    X(EXISTS, 10, "already exists")                                                      \
    X(UNSUPPORTED, 11, "not supported")                                                  \
    X(STATE, 12, "operation not valid in the current state")                             \
    X(INTERRUPTED, 13, "interrupted")                                                    \
    X(JSON, 14, "malformed JSON")                                                        \
    X(HEX, 15, "malformed hex string")                                                   \
    X(TRUNCATED, 16, "input truncated")                                                  \
    X(BADKEY, 100, "invalid key")                                                        \
    X(BADSIG, 101, "invalid signature")                                                  \
    X(VERIFY, 102, "verification failed")                                                \
    X(BADPOINT, 103, "point not on the curve or not in the subgroup")                    \
    X(NONCANON, 104, "non-canonical encoding")                                           \
    X(RANDOM, 105, "the system random generator failed")                                 \
    X(CHECKSUM, 106, "EIP-55 address checksum mismatch")                                 \
    X(ADDRESS, 107, "malformed Ethereum address")                                        \
    X(RLP, 200, "malformed RLP")                                                         \
    X(ABI, 201, "malformed ABI data")                                                    \
    X(ABITYPE, 202, "unknown or malformed ABI type")                                     \
    X(RPC, 203, "the JSON-RPC server returned an error")                                 \
    X(TRANSPORT, 204, "the JSON-RPC transport failed")                                   \
    X(RPCRESP, 205, "malformed JSON-RPC response")                                       \
    X(REVERTED, 206, "transaction reverted")                                             \
    X(PASSWORD, 207, "wrong password")                                                   \
    X(KEYSTORE, 208, "malformed keystore")                                               \
    X(TX, 209, "malformed transaction")                                                  \
    X(EIP712, 210, "malformed EIP-712 typed data")                                       \
    X(ABIBOUNDS, 221, "ABI offset or length points outside the data")                    \
    X(ABIPADDING, 222, "ABI value is not canonically padded")                            \
    X(ABIVALUE, 223, "ABI value does not match its type")                                \
    X(CID, 300, "malformed CID")                                                         \
    X(DAGPB, 301, "malformed dag-pb node")                                               \
    X(UNIXFS, 302, "malformed UnixFS data")                                              \
    X(HASHMISMATCH, 303, "content does not match its address")                           \
    X(NOTFOUND, 304, "content not found in any store")                                   \
    X(GATEWAY, 305, "the storage back end failed")                                       \
    X(OBJTOOBIG, 310, "object exceeds the store's size cap")                              \
    X(ARCH, 400, "invalid model architecture")                                           \
    X(SAFETENSORS, 401, "malformed safetensors file")                                    \
    X(SHAPE, 402, "tensor shape does not match the architecture")                        \
    X(NONFINITE, 403, "non-finite value")                                                \
    X(LIMIT, 404, "model exceeds a limit")                                               \
    X(FPENV, 405, "floating-point environment is not the required one")                  \
    X(SCRIPT, 500, "evaluation script failed")                                           \
    X(BUDGET, 501, "evaluation script exceeded its instruction budget")                  \
    X(MEMCAP, 502, "evaluation script exceeded its memory cap")                          \
    X(WALLCLOCK, 503, "evaluation exceeded its wall-clock limit")                        \
    X(SCORE, 504, "evaluation script returned an invalid score")                         \
    X(NOEVALFN, 510, "evaluation script defines no evaluate function")                   \
    X(NOSAMPLE, 511, "evaluation script defines no sample function")                     \
    X(POW, 512, "evaluation script uses the ^ operator (use math.pow)")                  \
    X(PROTO, 600, "malformed protocol message")                                          \
    X(STALE, 601, "result is stale")                                                     \
    X(DB, 700, "database error")                                                         \
    X(HTTP, 701, "HTTP error")                                                           \
    X(USAGE, 800, "bad command-line usage")

typedef enum zr_err {
    ZR_OK = 0,
#define ZR__ERR_ENUM(name, num, msg) ZR_E##name = -(num),
    ZR_ERRNO_MAP(ZR__ERR_ENUM)
#undef ZR__ERR_ENUM
} zr_err_t;

/* A static, human-readable description of err (0 or a ZR_E* code); never NULL. */
const char *zr_strerror(int err);

/* The symbolic name of err without the ZR_E prefix ("NOMEM"); "OK" for 0. */
const char *zr_err_name(int err);

#endif
