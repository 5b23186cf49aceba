// SPDX-License-Identifier: MIT
// `zara store put|get|cid`: content-addressed files whose CIDs equal those of
// `ipfs add --cid-version=1`. put stores into the local directory (and adds to an IPFS node
// when one is configured), get fetches and verifies from the local directory, the IPFS API
// and a trustless gateway in that order, cid only computes.
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "zara/store.h"

const char zr_cli_summary_store[] = "content-addressed files (IPFS CIDv1): put, get, cid";

static void help(void)
{
    printf("usage: zara store put [OPTIONS] FILE...\n"
           "       zara store get [OPTIONS] CID [-o FILE]\n"
           "       zara store cid [--json] FILE...\n\n"
           "Files are addressed by the CIDv1 that `ipfs add --cid-version=1` gives them (raw\n"
           "leaves, 256 KiB chunks, balanced DAG of at most 174 links per node).\n\n"
           "  put   store FILEs in the local store and, with an IPFS API, add them to that\n"
           "        node too (checking it computes the same CID); prints CID and file name\n"
           "  get   fetch CID from the local store, then the IPFS API, then the gateway,\n"
           "        verifying every block; writes the file to stdout or to -o FILE\n"
           "        (atomically: nothing is written unless the whole file verified)\n"
           "  cid   compute the CID of FILEs without storing anything\n\n"
           "options:\n"
           "  --dir DIR         local store directory (ZARA_STORE_DIR; default: the running\n"
           "                    devnet's store, else ~/.zara/store, as the other commands)\n"
           "  --api URL         IPFS RPC API, e.g. http://127.0.0.1:5001 (ZARA_IPFS_API)\n"
           "  --gateway URL     trustless gateway, e.g. http://127.0.0.1:8080\n"
           "                    (ZARA_IPFS_GATEWAY)\n"
           "  --max-size BYTES  size cap of one file (default 1 GiB; suffixes k, M, G)\n"
           "  --timeout MS      per HTTP request (default 30000)\n"
           "  --local-only      put: do not add to the IPFS node\n"
           "  -o FILE           get: write to FILE instead of stdout\n"
           "  --json            print results as JSON\n");
}

static int parse_size(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || s[0] == '-')
        return -1;
    uint64_t mul = 1;
    if (*end == 'k' || *end == 'K')
        mul = 1ull << 10, end++;
    else if (*end == 'M')
        mul = 1ull << 20, end++;
    else if (*end == 'G')
        mul = 1ull << 30, end++;
    if (*end || v == 0 || v > UINT64_MAX / mul)
        return -1;
    *out = v * mul;
    return 0;
}

static json_t *file_json(const char *path, const zr_cid_t *cid, uint64_t size)
{
    char c[ZR_CID_STR_MAX];
    return json_pack("{s:s, s:s, s:I}", "path", path, "cid", zr_cid_format(c, cid), "size", (json_int_t)size);
}

static int write_stdout(void *ud, const uint8_t *p, size_t n)
{
    (void)ud;
    return fwrite(p, 1, n, stdout) == n ? 0 : ZR_EIO;
}

int zr_cli_main_store(int argc, char **argv)
{
    const char *dir = NULL, *api = NULL, *gw = NULL, *out = NULL;
    int json = 0, local_only = 0, npos = 0, rc = ZR_CLI_OK;
    uint64_t max = 0;
    long timeout = 0;
    char **pos = calloc((size_t)argc + 1, sizeof *pos);
    zr_store_t *st = NULL;
    json_t *arr = NULL;
    if (!pos)
        return zr_cli_fail("out of memory");
    if (argc < 2) {
        rc = zr_cli_usage_error("store", "expected a sub-command: put, get or cid");
        goto done;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
        help();
        goto done;
    }
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        int has_val = i + 1 < argc;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            help();
            goto done;
        } else if (strcmp(a, "--json") == 0) {
            json = 1;
        } else if (strcmp(a, "--local-only") == 0) {
            local_only = 1;
        } else if (strcmp(a, "--dir") == 0 && has_val) {
            dir = argv[++i];
        } else if (strcmp(a, "--api") == 0 && has_val) {
            api = argv[++i];
        } else if (strcmp(a, "--gateway") == 0 && has_val) {
            gw = argv[++i];
        } else if (strcmp(a, "-o") == 0 && has_val) {
            out = argv[++i];
        } else if (strcmp(a, "--max-size") == 0 && has_val) {
            if (parse_size(argv[++i], &max) != 0) {
                rc = zr_cli_usage_error("store", "bad --max-size %s", argv[i]);
                goto done;
            }
        } else if (strcmp(a, "--timeout") == 0 && has_val) {
            char *end;
            timeout = strtol(argv[++i], &end, 10);
            if (*end || timeout <= 0) {
                rc = zr_cli_usage_error("store", "bad --timeout %s", argv[i]);
                goto done;
            }
        } else if (a[0] == '-' && a[1] != 0 && strcmp(a, "--") != 0) {
            rc = zr_cli_usage_error("store", "unknown option or missing value: %s", a);
            goto done;
        } else if (strcmp(a, "--") == 0) {
            while (++i < argc)
                pos[npos++] = argv[i];
        } else {
            pos[npos++] = argv[i];
        }
    }
    if (strcmp(sub, "cid") == 0) {
        if (npos == 0) {
            rc = zr_cli_usage_error("store", "cid: expected at least one FILE");
            goto done;
        }
        arr = json_array();
        for (int i = 0; i < npos; i++) {
            zr_cid_t cid;
            uint64_t size;
            char c[ZR_CID_STR_MAX];
            int e = zr_import_file(pos[i], max, NULL, NULL, &cid, &size);
            if (e) {
                rc = zr_cli_fail("cannot compute the CID of %s: %s", pos[i], zr_strerror(e));
                goto done;
            }
            if (json)
                json_array_append_new(arr, file_json(pos[i], &cid, size));
            else
                printf("%s  %s\n", zr_cid_format(c, &cid), pos[i]);
        }
        if (json) {
            zr_cli_print_json(arr);
            arr = NULL;
        }
        goto done;
    }
    if (strcmp(sub, "put") != 0 && strcmp(sub, "get") != 0) {
        rc = zr_cli_usage_error("store", "unknown sub-command '%s' (put, get, cid)", sub);
        goto done;
    }
    char dbuf[4096], err[512] = "";
    zr_store_config_t cfg = {
        .dir = zr_cli_store_dir(dir, dbuf, sizeof dbuf),
        .ipfs_api = zr_cli_opt(api, "ZARA_IPFS_API", NULL),
        .gateway = zr_cli_opt(gw, "ZARA_IPFS_GATEWAY", NULL),
        .max_object = max,
        .timeout_ms = timeout,
    };
    int e = zr_store_open(&st, &cfg, err, sizeof err);
    if (e) {
        rc = zr_cli_fail("cannot open the store: %s", err[0] ? err : zr_strerror(e));
        goto done;
    }
    if (strcmp(sub, "put") == 0) {
        if (npos == 0) {
            rc = zr_cli_usage_error("store", "put: expected at least one FILE");
            goto done;
        }
        arr = json_array();
        for (int i = 0; i < npos; i++) {
            zr_cid_t cid;
            uint64_t size;
            char c[ZR_CID_STR_MAX];
            if ((e = zr_store_put_file(st, pos[i], !local_only, &cid, &size)) != 0) {
                rc = zr_cli_fail("cannot store %s: %s", pos[i], zr_store_errmsg(st));
                goto done;
            }
            if (json)
                json_array_append_new(arr, file_json(pos[i], &cid, size));
            else
                printf("%s  %s\n", zr_cid_format(c, &cid), pos[i]);
        }
        if (json) {
            zr_cli_print_json(arr);
            arr = NULL;
        }
        goto done;
    }
    /* get */
    if (npos != 1) {
        rc = zr_cli_usage_error("store", "get: expected exactly one CID");
        goto done;
    }
    if (json && !out) {
        rc = zr_cli_usage_error("store", "get: --json needs -o FILE (the file's bytes go to stdout otherwise)");
        goto done;
    }
    zr_cid_t cid;
    if ((e = zr_cid_parse(&cid, pos[0])) != 0) {
        rc = zr_cli_fail("%s is not a CID we can fetch: %s%s", pos[0], zr_strerror(e),
                         e == ZR_EUNSUPPORTED ? " (supported: CIDv0 and CIDv1 in base32 or base58btc, raw or "
                                                "dag-pb, sha2-256)"
                                              : "");
        goto done;
    }
    uint64_t size = 0;
    e = out ? zr_store_get_file(st, &cid, out, &size) : zr_store_get(st, &cid, write_stdout, NULL, &size);
    if (e == 0 && !out && fflush(stdout) != 0)
        e = ZR_EIO;
    if (e) {
        rc = zr_cli_fail("cannot get %s: %s (%s)", pos[0], zr_store_errmsg(st), zr_err_name(e));
        goto done;
    }
    if (json)
        zr_cli_print_json(file_json(out, &cid, size));
done:
    json_decref(arr);
    zr_store_free(st);
    free(pos);
    return rc;
}
