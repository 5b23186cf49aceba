// SPDX-License-Identifier: MIT
// Bounded JSON parsing on top of jansson, with the parser's message kept for the caller.
#include <stdio.h>

#include "zara/common.h"

int zr_json_parse(const char *text, size_t len, size_t max, json_t **out, char *err, size_t err_cap)
{
    *out = NULL;
    if (len > max) {
        if (err && err_cap)
            snprintf(err, err_cap, "JSON text of %zu bytes exceeds the limit of %zu", len, max);
        return ZR_ETOOBIG;
    }
    json_error_t je;
    json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
    if (!j) {
        if (err && err_cap)
            snprintf(err, err_cap, "%s at line %d column %d", je.text, je.line, je.column);
        return ZR_EJSON;
    }
    *out = j;
    return 0;
}

const char *zr_json_str(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}
