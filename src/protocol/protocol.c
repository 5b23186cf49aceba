// SPDX-License-Identifier: MIT
// The protocol encodings every party must compute identically to the contracts: the
// commit-reveal commitment, the seed, the EIP-712 ZaraEvalResult and its JSON wire form.
#include <stdio.h>
#include <string.h>

#include "zara/eip712.h"
#include "zara/keccak.h"
#include "zara/protocol.h"
#include "zara/rpc.h"

/* 256-bit helpers: the RPC module's quantity code is the one implementation. */
void zr_proto_u256_from_u64(uint8_t out[32], uint64_t v)
{
    zr_rpc_u256_from_u64(out, v);
}

int zr_proto_u256_to_u64(const uint8_t in[32], uint64_t *out)
{
    return zr_rpc_u256_to_u64(out, in);
}

void zr_proto_i256_from_i64(uint8_t out[32], int64_t v)
{
    memset(out, v < 0 ? 0xff : 0, 32);
    for (int i = 0; i < 8; i++)
        out[31 - i] = (uint8_t)((uint64_t)v >> (8 * i));
}

static void word_addr(uint8_t w[32], const uint8_t a[20])
{
    memset(w, 0, 12);
    memcpy(w + 12, a, 20);
}

void zr_proto_commitment(uint8_t out[32], const uint8_t task_id[32], const uint8_t sender[20],
                         const char *params_cid, const uint8_t salt[32])
{
    uint8_t enc[128];
    memcpy(enc, task_id, 32);
    word_addr(enc + 32, sender);
    zr_keccak256(enc + 64, params_cid, strlen(params_cid));
    memcpy(enc + 96, salt, 32);
    zr_keccak256(out, enc, sizeof enc);
}

void zr_proto_seed(uint8_t out[32], const uint8_t blockhash[32], uint64_t chain_id,
                   const uint8_t model_submission[20], const uint8_t task_id[32],
                   const uint8_t submission_id[32])
{
    uint8_t enc[160];
    memcpy(enc, blockhash, 32);
    zr_proto_u256_from_u64(enc + 32, chain_id);
    word_addr(enc + 64, model_submission);
    memcpy(enc + 96, task_id, 32);
    memcpy(enc + 128, submission_id, 32);
    zr_keccak256(out, enc, sizeof enc);
}

void zr_proto_result_struct_hash(uint8_t out[32], const zr_proto_result_t *r)
{
    zr_eip712_struct_t s;
    zr_eip712_struct_begin(&s, ZR_PROTO_RESULT_TYPE);
    zr_eip712_struct_u256(&s, r->task_id);
    zr_eip712_struct_u256(&s, r->submission_id);
    zr_eip712_struct_u256(&s, r->incumbent_id);
    zr_eip712_struct_bytes32(&s, r->seed);
    zr_eip712_struct_uint(&s, r->status);
    zr_eip712_struct_i256(&s, r->challenger_score);
    zr_eip712_struct_i256(&s, r->incumbent_score);
    zr_eip712_struct_bytes32(&s, r->outputs_digest);
    zr_eip712_struct_end(&s, out);
}

void zr_proto_result_digest(uint8_t out[32], const zr_proto_result_t *r, uint64_t chain_id,
                            const uint8_t attestation_center[20])
{
    zr_eip712_domain_t d = {.name = "Zarathustra", .version = "1", .chain_id = chain_id};
    memcpy(d.verifying_contract, attestation_center, 20);
    uint8_t sep[32], sh[32];
    zr_eip712_domain_separator(sep, &d);
    zr_proto_result_struct_hash(sh, r);
    zr_eip712_digest(out, sep, sh);
}

/* ---- decimal text of 256-bit numbers ---------------------------------------------------- */

void zr_proto_u256_to_dec(char out[79], const uint8_t v[32])
{
    zr_rpc_u256_to_dec(out, v);
}

void zr_proto_i256_to_dec(char out[80], const uint8_t v[32])
{
    if (!(v[0] & 0x80)) {
        zr_proto_u256_to_dec(out, v);
        return;
    }
    uint8_t neg[32];
    unsigned carry = 1;
    for (int i = 31; i >= 0; i--) {
        unsigned x = (uint8_t)~v[i] + carry;
        neg[i] = (uint8_t)x;
        carry = x >> 8;
    }
    out[0] = '-';
    zr_proto_u256_to_dec(out + 1, neg);
}

int zr_proto_u256_parse(uint8_t out[32], const char *s)
{
    if (!s || !*s)
        return ZR_EPARSE;
    return zr_rpc_u256_parse_any(out, s);
}

/* ---- JSON wire form ----------------------------------------------------------------------- */

static json_t *hex_word(const uint8_t w[32])
{
    char h[67] = "0x";
    zr_hex_encode(h + 2, w, 32);
    return json_string(h);
}

static json_t *dec_word(const uint8_t w[32])
{
    char d[79];
    zr_proto_u256_to_dec(d, w);
    return json_string(d);
}

json_t *zr_proto_result_to_json(const zr_proto_result_t *r)
{
    json_t *j = json_object();
    json_object_set_new(j, "taskId", dec_word(r->task_id));
    json_object_set_new(j, "submissionId", dec_word(r->submission_id));
    json_object_set_new(j, "incumbentId", dec_word(r->incumbent_id));
    json_object_set_new(j, "seed", hex_word(r->seed));
    json_object_set_new(j, "status", json_integer(r->status));
    json_object_set_new(j, "challengerScore", hex_word(r->challenger_score));
    json_object_set_new(j, "incumbentScore", hex_word(r->incumbent_score));
    json_object_set_new(j, "outputsDigest", hex_word(r->outputs_digest));
    return j;
}

static int get_num(uint8_t out[32], const json_t *j, const char *key, char *err, size_t cap)
{
    const char *s = zr_json_str(j, key);
    if (!s || zr_proto_u256_parse(out, s) != 0) {
        snprintf(err, cap, "%s: expected a decimal or 0x-hex 256-bit number", key);
        return ZR_EPROTO;
    }
    return 0;
}

static int get_word(uint8_t out[32], const json_t *j, const char *key, char *err, size_t cap)
{
    const char *s = zr_json_str(j, key);
    if (!s || strlen(s) != 66 || zr_hex_decode_exact(out, 32, s) != 0) {
        snprintf(err, cap, "%s: expected 0x and 64 hex digits", key);
        return ZR_EPROTO;
    }
    return 0;
}

int zr_proto_result_from_json(zr_proto_result_t *r, const json_t *j, char *err, size_t err_cap)
{
    memset(r, 0, sizeof *r);
    if (!json_is_object(j)) {
        snprintf(err, err_cap, "result: expected an object");
        return ZR_EPROTO;
    }
    int rc;
    if ((rc = get_num(r->task_id, j, "taskId", err, err_cap)) ||
        (rc = get_num(r->submission_id, j, "submissionId", err, err_cap)) ||
        (rc = get_num(r->incumbent_id, j, "incumbentId", err, err_cap)) ||
        (rc = get_word(r->seed, j, "seed", err, err_cap)) ||
        (rc = get_word(r->challenger_score, j, "challengerScore", err, err_cap)) ||
        (rc = get_word(r->incumbent_score, j, "incumbentScore", err, err_cap)) ||
        (rc = get_word(r->outputs_digest, j, "outputsDigest", err, err_cap)))
        return rc;
    json_t *st = json_object_get(j, "status");
    if (!json_is_integer(st) || json_integer_value(st) < 0 || json_integer_value(st) > 2) {
        snprintf(err, err_cap, "status: expected 0, 1 or 2");
        return ZR_EPROTO;
    }
    r->status = (uint8_t)json_integer_value(st);
    return 0;
}
