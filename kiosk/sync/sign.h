/* Request signing of Platform API v1 (../shared/PLATFORM-API.md, "Identity and signing"),
 * shared by the kiosk's client and the local platform that verifies it:
 *
 *   STRING = METHOD "\n" PATH_WITH_QUERY "\n" TIMESTAMP "\n" hex(SHA256(body))
 *   X-Kiosk-Signature: v1=<hex HMAC-SHA256(secret, STRING)>
 *
 * The secret is the per-device secret the operator provisioned ($.device.secret_file),
 * shared with the platform; it is not the device key, which never leaves the kiosk. */
#ifndef KIOSK_SYNC_SIGN_H
#define KIOSK_SYNC_SIGN_H

#include <stddef.h>
#include <stdint.h>

#define KIOSK_SECRET_MIN 32
#define KIOSK_SECRET_MAX 256
#define KIOSK_SIG_LEN 68 /* "v1=" + 64 hex + NUL */

/* The signature header value for one request into out (KIOSK_SIG_LEN bytes). body may be
 * NULL when len is 0 (a GET signs the hash of the empty string). KIOSK_EINVAL (out empty)
 * for a path over 1900 bytes: no request of the contract has one. */
int kiosk_sign(const uint8_t *secret, size_t slen, const char *method, const char *path,
	       long long ts, const void *body, size_t len, char out[KIOSK_SIG_LEN]);

/* Does sig (the header's value) sign this request? Constant time in the comparison:
 * KIOSK_OK, or KIOSK_EDENIED (also for a malformed value). */
int kiosk_sign_verify(const uint8_t *secret, size_t slen, const char *method,
		      const char *path, long long ts, const void *body, size_t len,
		      const char *sig);

/* Reads the device secret from path into secret (KIOSK_SECRET_MAX bytes), its length in
 * *len. Refused with a logged reason naming the file: missing (KIOSK_ENOENT), readable or
 * writable by group or others (KIOSK_EPERM), shorter than 32 bytes (KIOSK_EINVAL). One
 * trailing newline is not part of the secret (files made with `head -c | base64`). The
 * caller cleanses the buffer when done. */
int kiosk_secret_load(const char *path, uint8_t secret[KIOSK_SECRET_MAX], size_t *len);

#endif
