/* SPDX-License-Identifier: MIT
 * EIP-712 typed structured data hashing and signing.
 *
 * Two ways in:
 *  1. The generic engine over the JSON typed-data document of eth_signTypedData_v4
 *     ({"types": {...}, "primaryType": "...", "domain": {...}, "message": {...}}):
 *     nested structs, fixed and dynamic arrays (also of structs), bytes and string hashed,
 *     every atomic type (uintN, intN, address, bool, bytesN). Numbers may be JSON integers
 *     or decimal / 0x-hex strings. When "types" has no EIP712Domain entry it is derived
 *     from the domain fields present (name, version, chainId, verifyingContract, salt),
 *     as ethers and viem do.
 *  2. A direct API for fixed structs known at compile time (the protocol's
 *     ZaraEvalResult): zr_eip712_domain_separator, then a streaming struct hasher
 *     (zr_eip712_struct_begin / _u256 / _address / ... / _end), then zr_eip712_digest.
 *
 * Errors: ZR_EEIP712 with a message in err (when non-NULL) for a malformed document,
 * an unknown or cyclic type, a missing field or a value that does not fit its type. */
#ifndef ZARA_EIP712_H
#define ZARA_EIP712_H

#include <stddef.h>
#include <stdint.h>

#include "zara/common.h"
#include "zara/ecdsa.h"
#include "zara/keccak.h"

/* Limits that bound the work a hostile document can cause. */
#define ZR_EIP712_MAX_DEPTH 32     /* nesting of structs and arrays */
#define ZR_EIP712_MAX_TYPES 256    /* entries in "types" */
#define ZR_EIP712_MAX_DOC (1u << 22) /* bytes of JSON text */

/* ---- generic engine (JSON) -------------------------------------------------------------- */

/* encodeType(primary): "Primary(t1 n1,...)" followed by the referenced struct types sorted
 * by name. Appended to out. */
int zr_eip712_encode_type(zr_buf_t *out, const json_t *types, const char *primary, char *err,
                          size_t err_cap);

/* typeHash = keccak256(encodeType(primary)). */
int zr_eip712_type_hash(uint8_t out[32], const json_t *types, const char *primary, char *err,
                        size_t err_cap);

/* hashStruct(primary, data) = keccak256(typeHash || encodeData(data)). */
int zr_eip712_hash_struct(uint8_t out[32], const json_t *types, const char *primary,
                          const json_t *data, char *err, size_t err_cap);

/* The domain separator of a typed-data document (hashStruct("EIP712Domain", domain)). */
int zr_eip712_hash_domain(uint8_t out[32], const json_t *typed_data, char *err, size_t err_cap);

/* The digest to sign: keccak256(0x19 0x01 || domainSeparator || hashStruct(message)).
 * domain_sep and struct_hash may be NULL; when given they receive the two halves. */
int zr_eip712_hash_typed_data(uint8_t digest[32], uint8_t domain_sep[32], uint8_t struct_hash[32],
                              const json_t *typed_data, char *err, size_t err_cap);

/* The same from JSON text (at most ZR_EIP712_MAX_DOC bytes). */
int zr_eip712_hash_typed_data_json(uint8_t digest[32], const char *json, size_t len, char *err,
                                   size_t err_cap);

/* Signs the digest of a typed-data document with sk (what eth_signTypedData_v4 and
 * `cast wallet sign --data` produce, after zr_ecdsa_sig_encode). */
int zr_eip712_sign_typed_data(zr_sig_t *sig, const uint8_t sk[32], const json_t *typed_data,
                              char *err, size_t err_cap);

/* Recovers the signer's address of a typed-data document. */
int zr_eip712_recover_typed_data(uint8_t addr[20], const zr_sig_t *sig, const json_t *typed_data,
                                 char *err, size_t err_cap);

/* ---- direct API for fixed structs --------------------------------------------------------- */

/* The domain {name, version, chainId, verifyingContract} (all four fields, in that order:
 * EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)). */
typedef struct zr_eip712_domain {
    const char *name;
    const char *version;
    uint64_t chain_id;
    uint8_t verifying_contract[20];
} zr_eip712_domain_t;

void zr_eip712_domain_separator(uint8_t out[32], const zr_eip712_domain_t *d);

/* keccak256(0x19 0x01 || domain_sep || struct_hash). */
void zr_eip712_digest(uint8_t out[32], const uint8_t domain_sep[32], const uint8_t struct_hash[32]);

/* Streaming hashStruct: begin with the struct's full encodeType string (for example
 * "ZaraEvalResult(uint256 taskId,...)"), add every member in declaration order, end. */
typedef struct zr_eip712_struct {
    zr_keccak_t k;
} zr_eip712_struct_t;

void zr_eip712_struct_begin(zr_eip712_struct_t *s, const char *encoded_type);
void zr_eip712_struct_u256(zr_eip712_struct_t *s, const uint8_t be[32]); /* uintN, 32-byte BE */
void zr_eip712_struct_uint(zr_eip712_struct_t *s, uint64_t v);           /* uintN <= 64 bits */
void zr_eip712_struct_int(zr_eip712_struct_t *s, int64_t v);             /* intN, sign-extended */
void zr_eip712_struct_i256(zr_eip712_struct_t *s, const uint8_t be[32]); /* int256 two's complement */
void zr_eip712_struct_bool(zr_eip712_struct_t *s, int v);
void zr_eip712_struct_address(zr_eip712_struct_t *s, const uint8_t addr[20]);
void zr_eip712_struct_bytes32(zr_eip712_struct_t *s, const uint8_t b[32]); /* bytes32 */
/* bytesN (N <= 32): right-padded with zeros */
void zr_eip712_struct_bytesn(zr_eip712_struct_t *s, const uint8_t *b, size_t n);
void zr_eip712_struct_bytes(zr_eip712_struct_t *s, const void *p, size_t n); /* bytes: hashed */
void zr_eip712_struct_string(zr_eip712_struct_t *s, const char *str);       /* string: hashed */
/* a precomputed 32-byte word: a nested struct's hashStruct or an array's hash */
void zr_eip712_struct_word(zr_eip712_struct_t *s, const uint8_t word[32]);
void zr_eip712_struct_end(zr_eip712_struct_t *s, uint8_t out[32]);

#endif
