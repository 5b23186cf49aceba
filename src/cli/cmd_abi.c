// SPDX-License-Identifier: MIT
// `zara abi encode|calldata|decode|selector|event|log`: the Ethereum ABI from the command
// line, with the same input syntax and output formats as cast (abi-encode, calldata,
// abi-decode, sig, sig-event). Signatures come from the command line or, with --abi, from
// a JSON ABI or forge artifact by name.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "zara/abi.h"

const char zr_cli_summary_abi[] = "ABI encode/decode, selectors, event topics and logs (like cast)";

#define MAX_DATA (64u << 20)

static void usage(FILE *f)
{
    fprintf(f, "usage: zara abi <command> [options] ...\n\n"
           "  encode SIG ARGS...        abi.encode of the arguments (no selector), like cast abi-encode\n"
           "  calldata SIG ARGS...      selector + arguments, like cast calldata\n"
           "  decode SIG DATA           decode DATA as the outputs of SIG \"f(in)(out)\", like\n"
           "                            cast abi-decode; --input decodes the inputs instead\n"
           "                            (a leading selector of SIG is skipped)\n"
           "  selector SIG              the 4-byte function selector, like cast sig\n"
           "  event SIG                 the event's topic0, like cast sig-event\n"
           "  log SIG DATA [TOPIC...]   decode an event log: topics (topic0 first) and data\n\n"
           "options:\n"
           "  --json        print JSON (decode: like cast abi-decode --json)\n"
           "  --input       decode: decode the input parameters\n"
           "  --abi FILE    take SIG by name (or \"name(types)\") from a JSON ABI or forge artifact\n"
           "  --            end of options (arguments may start with '-')\n\n"
           "Arguments follow cast: numbers in decimal or 0x-hex (\"1.5ether\", \"-3\"), addresses and\n"
           "bytes as hex, arrays as \"[a, b]\", tuples as \"(a, b)\". DATA may be '-' (stdin) or @FILE.\n");
}

typedef struct opts {
    int json, input;
    const char *abi;
    int argc;
    char **argv; /* positional arguments, sub-command excluded */
} opts_t;

static int parse_opts(opts_t *o, int argc, char **argv)
{
    memset(o, 0, sizeof *o);
    o->argv = calloc((size_t)argc + 1, sizeof *o->argv);
    if (!o->argv)
        return ZR_ENOMEM;
    int rest = 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (!rest && strcmp(a, "--") == 0)
            rest = 1;
        else if (!rest && strcmp(a, "--json") == 0)
            o->json = 1;
        else if (!rest && (strcmp(a, "--input") == 0 || strcmp(a, "-i") == 0))
            o->input = 1;
        else if (!rest && strcmp(a, "--abi") == 0) {
            if (i + 1 >= argc)
                return zr_cli_usage_error("abi", "--abi needs a FILE");
            o->abi = argv[++i];
        } else if (!rest && strncmp(a, "--abi=", 6) == 0)
            o->abi = a + 6;
        else if (!rest && a[0] == '-' && a[1] == '-' && a[2])
            return zr_cli_usage_error("abi", "unknown option %s", a);
        else
            o->argv[o->argc++] = argv[i];
    }
    return 0;
}

/* The signature named on the command line: parsed from the text, or found in --abi. */
typedef struct sigref {
    const zr_abi_sig_t *sig;
    zr_abi_sig_t *parsed;
    zr_abi_json_t *abi;
} sigref_t;

static void sigref_cleanup(sigref_t *r)
{
    zr_abi_sig_free(r->parsed);
    zr_abi_json_free(r->abi);
    memset(r, 0, sizeof *r);
}

static int get_sig(const opts_t *o, const char *text, zr_abi_sig_kind_t kind, sigref_t *r)
{
    zr_abi_diag_t d = {0};
    memset(r, 0, sizeof *r);
    if (o->abi) {
        int rc = zr_abi_json_load_file(&r->abi, o->abi, &d);
        if (rc)
            return zr_cli_fail("%s", d.msg[0] ? d.msg : zr_strerror(rc));
        if (!(r->sig = zr_abi_json_find(r->abi, kind, text))) {
            sigref_cleanup(r);
            return zr_cli_fail("no %s called %s in %s", kind == ZR_ABI_EVENT ? "event" : "function", text, o->abi);
        }
        return 0;
    }
    /* "(uint256,bool)" has no name: accept it for encode/decode as a list of types */
    char *owned = NULL;
    if (text[0] == '(') {
        owned = malloc(strlen(text) + 2);
        if (!owned)
            return zr_cli_fail("out of memory");
        owned[0] = 'f';
        strcpy(owned + 1, text);
        text = owned;
    }
    int rc = zr_abi_sig_parse(&r->parsed, text, kind, &d);
    free(owned);
    if (rc)
        return zr_cli_fail("bad signature: %s", d.msg[0] ? d.msg : zr_strerror(rc));
    r->sig = r->parsed;
    return 0;
}

static int read_hex(const char *arg, zr_buf_t *out)
{
    zr_buf_t in;
    zr_buf_init(&in, 2 * MAX_DATA + 16);
    int rc = zr_cli_read_arg(arg, in.max, &in);
    if (rc == 0) {
        size_t n = in.len;
        const char *s = zr_buf_cstr(&in);
        while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
            n--;
        if ((rc = zr_buf_reserve(out, n / 2 + 1)) == 0)
            rc = zr_hex_decode(out->data, out->cap, &out->len, s, n);
    }
    zr_buf_cleanup(&in);
    return rc;
}

static int print_hex(const opts_t *o, const char *key, const uint8_t *p, size_t n)
{
    zr_buf_t b;
    zr_buf_init(&b, 2 * MAX_DATA + 16);
    int rc = zr_hex_append_0x(&b, p, n);
    if (rc == 0) {
        if (o->json)
            printf("{\"%s\":\"%s\"}\n", key, zr_buf_cstr(&b));
        else
            printf("%s\n", zr_buf_cstr(&b));
    }
    zr_buf_cleanup(&b);
    return rc ? zr_cli_fail("%s", zr_strerror(rc)) : 0;
}

static int cmd_encode(const opts_t *o, int with_selector)
{
    const char *cmd = with_selector ? "calldata" : "encode";
    if (o->argc < 1)
        return zr_cli_usage_error("abi", "%s needs SIG and the arguments", cmd);
    sigref_t ref;
    int rc = get_sig(o, o->argv[0], ZR_ABI_FUNCTION, &ref);
    if (rc)
        return rc;
    const zr_abi_sig_t *sig = ref.sig;
    zr_abi_diag_t d = {0};
    zr_abi_value_t *args = NULL;
    zr_buf_t out;
    zr_buf_init(&out, MAX_DATA);
    if ((rc = zr_abi_value_parse_args(&args, sig->inputs, o->argc - 1, o->argv + 1, &d)) != 0) {
        rc = zr_cli_fail("%s", d.msg[0] ? d.msg : zr_strerror(rc));
        goto done;
    }
    rc = with_selector ? zr_abi_encode_call(&out, sig, args, &d) : zr_abi_encode(&out, sig->inputs, args, &d);
    if (rc) {
        rc = zr_cli_fail("cannot encode: %s", d.msg[0] ? d.msg : zr_strerror(rc));
        goto done;
    }
    rc = print_hex(o, "data", out.data, out.len);
done:
    zr_buf_cleanup(&out);
    zr_abi_value_free(args);
    sigref_cleanup(&ref);
    return rc;
}

static int print_values(const opts_t *o, const zr_abi_value_t *v, int named)
{
    zr_buf_t b;
    zr_buf_init(&b, 8 * MAX_DATA);
    int rc = 0;
    if (o->json) {
        if (named) {
            rc = zr_buf_append_str(&b, "{\n");
            for (size_t i = 0; rc == 0 && i < v->count; i++) {
                rc = zr_buf_printf(&b, "  \"%s\": ", v->items[i]->name ? v->items[i]->name : "");
                if (rc == 0)
                    rc = zr_abi_value_format_json(&b, v->items[i], 1);
                if (rc == 0)
                    rc = zr_buf_append_str(&b, i + 1 < v->count ? ",\n" : "\n");
            }
            if (rc == 0)
                rc = zr_buf_append_str(&b, "}");
        } else {
            rc = zr_abi_value_format_json(&b, v, 0);
        }
        if (rc == 0)
            rc = zr_buf_append_byte(&b, '\n');
    } else {
        for (size_t i = 0; rc == 0 && i < v->count; i++) {
            if (named)
                rc = zr_buf_printf(&b, "%s: ", v->items[i]->name ? v->items[i]->name : "");
            if (rc == 0)
                rc = zr_abi_value_format(&b, v->items[i]);
            if (rc == 0)
                rc = zr_buf_append_byte(&b, '\n');
        }
    }
    if (rc == 0)
        fwrite(b.data, 1, b.len, stdout);
    zr_buf_cleanup(&b);
    return rc ? zr_cli_fail("cannot print: %s", zr_strerror(rc)) : 0;
}

static int cmd_decode(const opts_t *o)
{
    if (o->argc != 2)
        return zr_cli_usage_error("abi", "decode needs SIG and DATA");
    sigref_t ref;
    int rc = get_sig(o, o->argv[0], ZR_ABI_FUNCTION, &ref);
    if (rc)
        return rc;
    const zr_abi_sig_t *sig = ref.sig;
    zr_buf_t data;
    zr_buf_init(&data, MAX_DATA);
    zr_abi_value_t *v = NULL;
    zr_abi_diag_t d = {0};
    if ((rc = read_hex(o->argv[1], &data)) != 0) {
        rc = zr_cli_fail("DATA is not hex: %s", zr_strerror(rc));
        goto done;
    }
    const uint8_t *p = data.data;
    size_t n = data.len;
    if (o->input && n % 32 == 4 && memcmp(p, sig->selector, 4) == 0)
        p += 4, n -= 4;
    rc = zr_abi_decode(&v, o->input ? sig->inputs : sig->outputs, p, n, &d);
    if (rc) {
        rc = zr_cli_fail("cannot decode: %s (%s)", d.msg[0] ? d.msg : zr_strerror(rc), zr_err_name(rc));
        goto done;
    }
    rc = print_values(o, v, 0);
done:
    zr_abi_value_free(v);
    zr_buf_cleanup(&data);
    sigref_cleanup(&ref);
    return rc;
}

static int cmd_selector(const opts_t *o, int event)
{
    if (o->argc != 1)
        return zr_cli_usage_error("abi", "%s needs exactly one SIG", event ? "event" : "selector");
    sigref_t ref;
    int rc = get_sig(o, o->argv[0], event ? ZR_ABI_EVENT : ZR_ABI_FUNCTION, &ref);
    if (rc)
        return rc;
    const zr_abi_sig_t *sig = ref.sig;
    char hex[65];
    zr_hex_encode(hex, event ? sig->topic0 : sig->selector, event ? 32 : 4);
    if (o->json) {
        json_t *j = json_pack("{s:s, s:s+}", "signature", sig->canonical, event ? "topic" : "selector", "0x", hex);
        if (j)
            zr_cli_print_json(j);
        else
            rc = zr_cli_fail("out of memory");
    } else {
        printf("0x%s\n", hex);
    }
    sigref_cleanup(&ref);
    return rc;
}

static int cmd_log(const opts_t *o)
{
    if (o->argc < 2)
        return zr_cli_usage_error("abi", "log needs SIG, DATA and the topics");
    sigref_t ref;
    int rc = get_sig(o, o->argv[0], ZR_ABI_EVENT, &ref);
    if (rc)
        return rc;
    const zr_abi_sig_t *sig = ref.sig;
    if (sig->kind != ZR_ABI_EVENT || !sig->indexed) {
        sigref_cleanup(&ref);
        return zr_cli_fail("%s is not an event (write \"event Name(...)\")", o->argv[0]);
    }
    size_t nt = (size_t)o->argc - 2;
    uint8_t(*topics)[32] = calloc(nt ? nt : 1, 32);
    zr_buf_t data;
    zr_buf_init(&data, MAX_DATA);
    zr_abi_value_t *v = NULL;
    zr_abi_diag_t d = {0};
    if (!topics) {
        rc = zr_cli_fail("out of memory");
        goto done;
    }
    for (size_t i = 0; i < nt; i++)
        if (zr_hex_decode_exact(topics[i], 32, o->argv[2 + i]) != 0) {
            rc = zr_cli_fail("topic %zu is not 32 bytes of hex", i);
            goto done;
        }
    if ((rc = read_hex(o->argv[1], &data)) != 0) {
        rc = zr_cli_fail("DATA is not hex: %s", zr_strerror(rc));
        goto done;
    }
    if ((rc = zr_abi_decode_log(&v, sig, (const uint8_t(*)[32])topics, nt, data.data, data.len, &d)) != 0) {
        rc = zr_cli_fail("cannot decode the log: %s (%s)", d.msg[0] ? d.msg : zr_strerror(rc), zr_err_name(rc));
        goto done;
    }
    rc = print_values(o, v, 1);
done:
    free(topics);
    zr_abi_value_free(v);
    zr_buf_cleanup(&data);
    sigref_cleanup(&ref);
    return rc;
}

int zr_cli_main_abi(int argc, char **argv)
{
    if (argc < 2 || zr_cli_help_asked(argc, argv) || strcmp(argv[1], "help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? ZR_CLI_USAGE : 0;
    }
    opts_t o;
    int rc = parse_opts(&o, argc, argv);
    if (rc) {
        free(o.argv);
        return rc == ZR_ENOMEM ? zr_cli_fail("out of memory") : rc;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "encode") == 0)
        rc = cmd_encode(&o, 0);
    else if (strcmp(sub, "calldata") == 0)
        rc = cmd_encode(&o, 1);
    else if (strcmp(sub, "decode") == 0)
        rc = cmd_decode(&o);
    else if (strcmp(sub, "selector") == 0)
        rc = cmd_selector(&o, 0);
    else if (strcmp(sub, "event") == 0)
        rc = cmd_selector(&o, 1);
    else if (strcmp(sub, "log") == 0)
        rc = cmd_log(&o);
    else
        rc = zr_cli_usage_error("abi", "unknown command '%s'", sub);
    free(o.argv);
    return rc;
}
