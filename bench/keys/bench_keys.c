// SPDX-License-Identifier: MIT
// Throughput of the keys/transactions layer: ECDSA sign and recover, EIP-1559 sign +
// encode, raw transaction decode + sender recovery, EIP-712 digests (direct API and JSON
// engine), and the time of one standard keystore decryption (scrypt n = 262144).
// Prints "<name> <ops/s>" lines (and "<name>_ms <ms>") for bench/keys/run.sh.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zara/ecdsa.h"
#include "zara/eip712.h"
#include "zara/keccak.h"
#include "zara/keystore.h"
#include "zara/tx.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#define RATE(name, seconds, body)                                                                                      \
    do {                                                                                                               \
        double t0 = now(), dt = 0;                                                                                     \
        long n = 0;                                                                                                    \
        while (dt < (seconds)) {                                                                                       \
            for (int k_ = 0; k_ < 16; k_++, n++) {                                                                     \
                body;                                                                                                  \
            }                                                                                                          \
            dt = now() - t0;                                                                                           \
        }                                                                                                              \
        printf("%s %.1f\n", name, (double)n / dt);                                                                     \
    } while (0)

static const char k_zara_doc[] =
    "{\"types\":{\"EIP712Domain\":[{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"version\",\"type\":\"string\"},"
    "{\"name\":\"chainId\",\"type\":\"uint256\"},{\"name\":\"verifyingContract\",\"type\":\"address\"}],"
    "\"ZaraEvalResult\":[{\"name\":\"taskId\",\"type\":\"uint256\"},{\"name\":\"submissionId\",\"type\":\"uint256\"},"
    "{\"name\":\"incumbentId\",\"type\":\"uint256\"},{\"name\":\"seed\",\"type\":\"bytes32\"},{\"name\":\"status\","
    "\"type\":\"uint8\"},{\"name\":\"challengerScore\",\"type\":\"int256\"},{\"name\":\"incumbentScore\",\"type\":"
    "\"int256\"},{\"name\":\"outputsDigest\",\"type\":\"bytes32\"}]},\"primaryType\":\"ZaraEvalResult\",\"domain\":{"
    "\"name\":\"Zarathustra\",\"version\":\"1\",\"chainId\":31337,\"verifyingContract\":"
    "\"0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512\"},\"message\":{\"taskId\":\"7\",\"submissionId\":\"42\","
    "\"incumbentId\":\"0\",\"seed\":\"0x5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e\",\"status\":0,"
    "\"challengerScore\":\"-1234567000000000\",\"incumbentScore\":\"-2500000000000000000\",\"outputsDigest\":"
    "\"0x0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d\"}}";

static void direct_digest(uint8_t out[32], const zr_eip712_domain_t *dom)
{
    uint8_t ds[32], sh[32], w[32] = {0};
    zr_eip712_domain_separator(ds, dom);
    zr_eip712_struct_t s;
    zr_eip712_struct_begin(&s, "ZaraEvalResult(uint256 taskId,uint256 submissionId,uint256 incumbentId,bytes32 seed,"
                               "uint8 status,int256 challengerScore,int256 incumbentScore,bytes32 outputsDigest)");
    for (int i = 0; i < 8; i++)
        zr_eip712_struct_word(&s, w);
    zr_eip712_struct_end(&s, sh);
    zr_eip712_digest(out, ds, sh);
}

int main(int argc, char **argv)
{
    double secs = argc > 1 ? atof(argv[1]) : 1.0;
    uint8_t sk[32], d[32], pub[64], addr[20];
    zr_hex_decode_exact(sk, 32, "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
    zr_keccak256(d, "\x01\x02\x03", 3);
    zr_sig_t sig;
    zr_ecdsa_sign(&sig, sk, d);
    RATE("ecdsa_sign", secs, zr_ecdsa_sign(&sig, sk, d));
    RATE("ecdsa_recover", secs, zr_ecdsa_recover(pub, &sig, d));

    zr_tx_t tx;
    zr_tx_init(&tx);
    tx.type = ZR_TX_EIP1559;
    tx.chain_id = 31337;
    tx.gas_limit = 100000;
    zr_tx_u256_from_u64(tx.max_fee_per_gas, 2000000000);
    zr_tx_u256_from_u64(tx.max_priority_fee_per_gas, 1000000000);
    tx.has_to = 1;
    memset(tx.to, 0x35, 20);
    uint8_t calldata[68] = {0xa9, 0x05, 0x9c, 0xbb};
    zr_tx_set_data(&tx, calldata, sizeof calldata);
    zr_buf_t raw;
    zr_buf_init(&raw, 1 << 16);
    RATE("tx1559_sign_encode", secs, (tx.nonce++, zr_tx_sign(&tx, sk), zr_buf_reset(&raw), zr_tx_encode(&tx, &raw)));
    zr_tx_t back;
    RATE("tx_decode_sender", secs,
         (zr_tx_decode(&back, raw.data, raw.len, NULL, 0), zr_tx_sender(&back, addr), zr_tx_cleanup(&back)));

    zr_eip712_domain_t dom = {"Zarathustra", "1", 31337, {0}};
    RATE("eip712_direct_digest", secs, direct_digest(d, &dom));
    RATE("eip712_json_digest", secs, zr_eip712_hash_typed_data_json(d, k_zara_doc, strlen(k_zara_doc), NULL, 0));

    /* one standard keystore: write (not timed), then time the decryption */
    zr_buf_t j;
    zr_buf_init(&j, ZR_KEYSTORE_MAX_FILE);
    zr_keystore_t ks;
    if (zr_keystore_encrypt(&j, sk, "bench", ZR_KEYSTORE_SCRYPT_N_STANDARD) != 0 ||
        zr_keystore_parse(&ks, (const char *)j.data, j.len, NULL, 0) != 0)
        return 1;
    double t0 = now();
    uint8_t out[32];
    int rc = zr_keystore_decrypt(out, &ks, "bench", NULL, 0);
    printf("keystore_decrypt_n262144_ms %.0f\n", (now() - t0) * 1e3);
    if (argc > 2) /* keep the file for the peer */
        zr_file_write_atomic(argv[2], j.data, j.len, 0600);
    zr_wipe(out, sizeof out);
    zr_buf_cleanup(&j);
    zr_buf_cleanup(&raw);
    zr_tx_cleanup(&tx);
    return rc ? 1 : 0;
}
