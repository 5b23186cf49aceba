/* SPDX-License-Identifier: MIT
 * Private helpers shared by the ABI files of the eth module (abi_type.c, abi_value.c,
 * abi_codec.c, abi_text.c, abi_json.c). */
#ifndef ZARA_ABI_INT_H
#define ZARA_ABI_INT_H

#include "zara/abi.h"

/* Records code, offset and a printf message in d (when not NULL); returns code. */
int zr__abi_fail(zr_abi_diag_t *d, int code, size_t offset, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Puts "<prefix>: " in front of d's message (when there is one). */
void zr__abi_diag_prefix(zr_abi_diag_t *d, const char *prefix);
/* Clears d's message (keeping max_bytes). */
void zr__abi_diag_clear(zr_abi_diag_t *d);
/* Fills in dynamic/head/depth of t from its children; ZR_EABITYPE when too deep/big. */
int zr__abi_type_layout(zr_abi_type_t *t, zr_abi_diag_t *d);
/* Parses a tuple type from a JSON ABI parameter list (json_t array of {type, name,
 * components, indexed}); indexed flags go to *indexed (malloc'd) when not NULL. */
int zr__abi_type_from_json(zr_abi_type_t **out, const json_t *params, uint8_t **indexed, zr_abi_diag_t *d);
/* Fills canonical, selector and topic0 of s from name and inputs. */
int zr__abi_sig_finish(zr_abi_sig_t *s);
/* Builds a type from a JSON type string like "tuple[2][]" whose base components are
 * given (may be NULL for elementary types). */
int zr__abi_type_with_suffix(zr_abi_type_t **out, const char *type, zr_abi_type_t *base, zr_abi_diag_t *d);

#endif
