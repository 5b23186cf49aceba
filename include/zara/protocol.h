/* SPDX-License-Identifier: MIT
 * The protocol's shared encodings (DESIGN.md §6), used by the node, the CLI and the tests
 * so every party computes the same bytes as the contracts: the commitment, the seed, the
 * EIP-712 ZaraEvalResult and its digest, and the JSON messages operators exchange
 * (attestations and proposals). 256-bit integers are 32-byte big-endian arrays; int256
 * values are two's complement. */
#ifndef ZARA_PROTOCOL_H
#define ZARA_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#include "zara/common.h"

#define ZR_PROTO_RESULT_TYPE                                                                 \
    "ZaraEvalResult(uint256 taskId,uint256 submissionId,uint256 incumbentId,bytes32 seed,"   \
    "uint8 status,int256 challengerScore,int256 incumbentScore,bytes32 outputsDigest)"

enum {
    ZR_PROTO_STATUS_OK = 0,
    ZR_PROTO_STATUS_INVALID_MODEL = 1,
    ZR_PROTO_STATUS_EVAL_ERROR = 2,
};

typedef struct zr_proto_result {
    uint8_t task_id[32];
    uint8_t submission_id[32];
    uint8_t incumbent_id[32]; /* 0 = the owner's initial parameters */
    uint8_t seed[32];
    uint8_t status;
    uint8_t challenger_score[32]; /* int256 wad */
    uint8_t incumbent_score[32];  /* int256 wad */
    uint8_t outputs_digest[32];
} zr_proto_result_t;

/* 32-byte big-endian encoding of a u64, and back (ZR_ERANGE when it does not fit). */
void zr_proto_u256_from_u64(uint8_t out[32], uint64_t v);
int zr_proto_u256_to_u64(const uint8_t in[32], uint64_t *out);
/* int256 two's complement from an int64. */
void zr_proto_i256_from_i64(uint8_t out[32], int64_t v);

/* keccak256(abi.encode(taskId, sender, keccak256(bytes(paramsCid)), salt)). */
void zr_proto_commitment(uint8_t out[32], const uint8_t task_id[32], const uint8_t sender[20],
                         const char *params_cid, const uint8_t salt[32]);

/* keccak256(abi.encode(blockhash, chainid, modelSubmission, taskId, submissionId)). */
void zr_proto_seed(uint8_t out[32], const uint8_t blockhash[32], uint64_t chain_id,
                   const uint8_t model_submission[20], const uint8_t task_id[32],
                   const uint8_t submission_id[32]);

/* hashStruct(ZaraEvalResult). */
void zr_proto_result_struct_hash(uint8_t out[32], const zr_proto_result_t *r);
/* The EIP-712 digest operators sign, in the domain {"Zarathustra", "1", chainId,
 * attestationCenter}. */
void zr_proto_result_digest(uint8_t out[32], const zr_proto_result_t *r, uint64_t chain_id,
                            const uint8_t attestation_center[20]);

/* The result as a JSON object with 0x-hex fields (taskId, submissionId, incumbentId as
 * decimal strings; seed, scores as 0x 32-byte words; status as a number). New reference. */
json_t *zr_proto_result_to_json(const zr_proto_result_t *r);
/* Strict parse of the same; ZR_EPROTO with a message naming the field. */
int zr_proto_result_from_json(zr_proto_result_t *r, const json_t *j, char *err, size_t err_cap);

/* Decimal text of a u256 (for display and JSON); out must hold 79 bytes. */
void zr_proto_u256_to_dec(char out[79], const uint8_t v[32]);
/* Parses decimal or 0x-hex text into a u256; ZR_ERANGE on overflow, ZR_EPARSE otherwise. */
int zr_proto_u256_parse(uint8_t out[32], const char *s);
/* Signed decimal text of an int256 (two's complement); out must hold 80 bytes. */
void zr_proto_i256_to_dec(char out[80], const uint8_t v[32]);

#endif
