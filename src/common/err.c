// SPDX-License-Identifier: MIT
// zr_strerror and zr_err_name, generated from the single error list in zara/err.h.
#include "zara/err.h"

const char *zr_strerror(int err)
{
    switch (err) {
    case 0:
        return "success";
#define ZR__ERR_MSG(name, num, msg) \
    case -(num):                    \
        return msg;
        ZR_ERRNO_MAP(ZR__ERR_MSG)
#undef ZR__ERR_MSG
    default:
        return "unknown error";
    }
}

const char *zr_err_name(int err)
{
    switch (err) {
    case 0:
        return "OK";
#define ZR__ERR_NAME(name, num, msg) \
    case -(num):                     \
        return #name;
        ZR_ERRNO_MAP(ZR__ERR_NAME)
#undef ZR__ERR_NAME
    default:
        return "UNKNOWN";
    }
}
