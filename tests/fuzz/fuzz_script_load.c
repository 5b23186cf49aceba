// SPDX-License-Identifier: MIT
// libFuzzer target: arbitrary text loaded as an evaluation script in the sandbox with a tiny
// budget and memory cap — the `^` scan, compilation, and the top level run with the whole
// script API must end in 0 or an error code, never a crash, a leak or a hang.
#include <stddef.h>
#include <stdint.h>

#include "zara/eval.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    zr_eval_limits_t lim;
    zr_eval_limits_default(&lim);
    lim.budget = 200000;
    lim.mem_cap = 8u << 20;
    lim.wall_ms = 2000;
    lim.script_max = 64u << 10;
    char err[256];
    (void)zr_eval_script_check((const char *)data, size, &lim, err, sizeof err);
    return 0;
}
