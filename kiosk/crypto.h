/* The few cryptographic primitives the core uses, on OpenSSL's libcrypto (which libcurl
 * brings in anyway). Secrets passed in are never logged; buffers that held them are
 * cleansed by the caller with kiosk_cleanse(). */
#ifndef KIOSK_CRYPTO_H
#define KIOSK_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define KIOSK_SHA256_LEN 32
#define KIOSK_DEVKEY_LEN 32

/* Fills buf with n bytes from getrandom(2). KIOSK_OK or KIOSK_EIO. */
int kiosk_random(void *buf, size_t n);
/* A random (version 4) UUID as 36 characters + NUL. */
int kiosk_uuid(char out[37]);

void kiosk_sha256(const void *data, size_t n, uint8_t out[KIOSK_SHA256_LEN]);
void kiosk_hmac_sha256(const uint8_t *key, size_t keylen, const void *data, size_t n,
		       uint8_t out[KIOSK_SHA256_LEN]);
/* Constant-time equality of two n-byte buffers: 1 equal, 0 not. */
int kiosk_ct_equal(const void *a, const void *b, size_t n);
void kiosk_cleanse(void *p, size_t n);
/* Lowercase hex of n bytes into out (2n+1 bytes). */
void kiosk_hex(const uint8_t *in, size_t n, char *out);

/* PIN hashing in the platform's format: pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>.
 * out needs KIOSK_PINHASH_MAX bytes. iterations ≥ KIOSK_PIN_MIN_ITER. */
#define KIOSK_PINHASH_MAX 160
#define KIOSK_PIN_MIN_ITER 100000
/* The most a hash may ask for: what verifies in about 250 ms on the kiosk's 2-core board
 * (PBKDF2-SHA256 measured at 0.3–0.6 µs a round there). A PIN is verified off the core
 * thread all the same; this bounds how long a courier waits at the screen. */
#define KIOSK_PIN_MAX_ITER 400000
int kiosk_pin_hash(const char *pin, unsigned iterations, char *out, size_t outlen);
/* KIOSK_OK when pin matches; KIOSK_EDENIED when not; KIOSK_EINVAL for a malformed hash or
 * one with fewer than KIOSK_PIN_MIN_ITER iterations (refused, never trusted). */
int kiosk_pin_verify(const char *pin, const char *hash);
/* Format check only (no key derivation): KIOSK_OK or KIOSK_EINVAL. */
int kiosk_pin_hash_valid(const char *hash);

/* Loads the device key from path; when absent and may_create is set, creates it (32 random
 * bytes, mode 0600, O_EXCL), else KIOSK_ENOENT. A file shorter than 32 bytes or readable by
 * others is refused. The caller decides may_create: a new key belongs only with a new
 * store (with an existing one it would make every outstanding code "wrong"). */
int kiosk_devkey_load(const char *path, uint8_t key[KIOSK_DEVKEY_LEN], int may_create);

#endif
