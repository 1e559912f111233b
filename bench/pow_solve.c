/* Solves one human-check challenge of the reset flow (ALTCHA v2, PBKDF2/SHA-256) for bench/reset.py, the
 * way the browser worker does (counters 0, 1, 2, … until the derived key starts with keyPrefix), but in C:
 * PBKDF2-HMAC-SHA256 with the HMAC pads hashed once, so each iteration is two SHA-256 block transforms
 * (OpenSSL's, which use the CPU's SHA extensions when it has them). Built by reset.py with
 * cc -O2 pow_solve.c $(pkg-config --cflags --libs libcrypto).
 *
 *     pow-solve NONCE_HEX SALT_HEX COST KEY_PREFIX_HEX   → prints "COUNTER DERIVED_KEY_HEX"
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int unhex(const char *hex, uint8_t *out, size_t max) {
    size_t n = strlen(hex);
    if (n % 2 || n / 2 > max) return -1;
    for (size_t i = 0; i < n / 2; i++) {
        unsigned v;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1) return -1;
        out[i] = (uint8_t)v;
    }
    return (int)(n / 2);
}

static void put32(uint8_t *p, uint32_t v) { p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v; }

/* The state after hashing one 64-byte block (the key xor a pad). */
static void pad_state(const uint8_t key[64], uint8_t pad, SHA256_CTX *ctx) {
    uint8_t block[64];
    for (int i = 0; i < 64; i++) block[i] = key[i] ^ pad;
    SHA256_Init(ctx);
    SHA256_Transform(ctx, block);
}

/* One HMAC of a message of `length` ≤ 55 bytes whose padded block is `block` (already padded for
 * 64 + length bytes); the 32-byte result as eight big-endian words in `out`. */
static void hmac_block(const SHA256_CTX *inner, const SHA256_CTX *outer, const uint8_t block[64], uint32_t out[8]) {
    SHA256_CTX ctx = *inner;
    SHA256_Transform(&ctx, block);
    uint8_t second[64] = {0};
    for (int i = 0; i < 8; i++) put32(second + 4 * i, ctx.h[i]);
    second[32] = 0x80;
    put32(second + 60, (64 + 32) * 8);
    ctx = *outer;
    SHA256_Transform(&ctx, second);
    memcpy(out, ctx.h, 32);
}

int main(int argc, char **argv) {
    uint8_t nonce[64], salt[48], prefix[32];
    int nonce_length, salt_length, prefix_length;
    if (argc != 5 || (nonce_length = unhex(argv[1], nonce, 40)) < 0 || (salt_length = unhex(argv[2], salt, 48)) < 0 ||
        (prefix_length = unhex(argv[4], prefix, 32)) < 0 || salt_length + 4 > 55 || nonce_length + 4 > 64) {
        fprintf(stderr, "usage: pow-solve NONCE_HEX SALT_HEX COST KEY_PREFIX_HEX\n");
        return 2;
    }
    long cost = atol(argv[3]);
    for (uint64_t counter = 0; counter <= 0xFFFFFFFFu; counter++) {
        uint8_t key[64] = {0};
        memcpy(key, nonce, nonce_length);
        put32(key + nonce_length, (uint32_t)counter);
        SHA256_CTX inner, outer;
        pad_state(key, 0x36, &inner);
        pad_state(key, 0x5c, &outer);
        /* U1 = HMAC(salt ‖ INT(1)) */
        uint8_t block[64] = {0};
        memcpy(block, salt, salt_length);
        put32(block + salt_length, 1);
        block[salt_length + 4] = 0x80;
        put32(block + 60, (64 + salt_length + 4) * 8);
        uint32_t u[8], t[8];
        hmac_block(&inner, &outer, block, u);
        memcpy(t, u, 32);
        /* U2 … Uc = HMAC(U_{i-1}) */
        memset(block, 0, 64);
        block[32] = 0x80;
        put32(block + 60, (64 + 32) * 8);
        for (long i = 1; i < cost; i++) {
            for (int j = 0; j < 8; j++) put32(block + 4 * j, u[j]);
            hmac_block(&inner, &outer, block, u);
            for (int j = 0; j < 8; j++) t[j] ^= u[j];
        }
        uint8_t derived[32];
        for (int j = 0; j < 8; j++) put32(derived + 4 * j, t[j]);
        if (memcmp(derived, prefix, prefix_length) == 0) {
            printf("%llu ", (unsigned long long)counter);
            for (int j = 0; j < 32; j++) printf("%02x", derived[j]);
            printf("\n");
            return 0;
        }
    }
    return 1;
}
