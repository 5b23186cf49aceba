// SPDX-License-Identifier: MIT
// Store benchmark: MB/s of computing a file's CID (the importer of `ipfs add
// --cid-version=1`) and of a local put followed by a verified get, best of N runs.
// Usage: bench_store FILE [RUNS] — prints "cid <bytes> <MB/s>" and "roundtrip <bytes> <MB/s>".
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "zara/store.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_store FILE [RUNS]\n");
        return 2;
    }
    const char *file = argv[1];
    int runs = argc > 2 ? atoi(argv[2]) : 5;
    struct stat st;
    if (stat(file, &st) != 0) {
        perror(file);
        return 1;
    }
    double mb = (double)st.st_size / 1e6, best = 1e30;
    zr_cid_t cid;
    uint64_t size;
    char c[ZR_CID_STR_MAX];
    for (int i = 0; i < runs; i++) {
        double t = now();
        int rc = zr_import_file(file, 0, NULL, NULL, &cid, &size);
        t = now() - t;
        if (rc) {
            fprintf(stderr, "import: %s\n", zr_strerror(rc));
            return 1;
        }
        if (t < best)
            best = t;
    }
    printf("cid %lld %.1f %s\n", (long long)st.st_size, mb / best, zr_cid_format(c, &cid));

    char dir[] = "/tmp/zara-bench-store-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    char out[64];
    snprintf(out, sizeof out, "%s/out", dir);
    best = 1e30;
    for (int i = 0; i < runs; i++) {
        char sub[96];
        snprintf(sub, sizeof sub, "%s/s%d", dir, i); /* a fresh store each run: real writes */
        zr_store_config_t cfg = {.dir = sub};
        zr_store_t *s;
        char err[256];
        if (zr_store_open(&s, &cfg, err, sizeof err) != 0) {
            fprintf(stderr, "open: %s\n", err);
            return 1;
        }
        double t = now();
        int rc = zr_store_put_file(s, file, 0, &cid, &size);
        if (rc == 0)
            rc = zr_store_get_file(s, &cid, out, &size);
        t = now() - t;
        if (rc) {
            fprintf(stderr, "round trip: %s\n", zr_store_errmsg(s));
            return 1;
        }
        zr_store_free(s);
        if (t < best)
            best = t;
    }
    printf("roundtrip %lld %.1f\n", (long long)st.st_size, mb / best);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : 1;
}
