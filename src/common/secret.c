// SPDX-License-Identifier: MIT
// Secret hygiene and randomness: a wipe the compiler cannot drop, constant-time compare,
// and the OS CSPRNG.
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "zara/common.h"

void zr_wipe(void *p, size_t n)
{
    if (p && n)
        explicit_bzero(p, n);
}

int zr_random_bytes(uint8_t *out, size_t n)
{
    while (n) {
        ssize_t got = getrandom(out, n, 0);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return ZR_ERANDOM;
        }
        out += got;
        n -= (size_t)got;
    }
    return 0;
}

int zr_memeq_ct(const void *a, const void *b, size_t n)
{
    const volatile uint8_t *x = a, *y = b;
    uint8_t d = 0;
    for (size_t i = 0; i < n; i++)
        d |= x[i] ^ y[i];
    return d != 0;
}
