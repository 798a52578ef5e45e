#include "kiosk/crypto.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

int kiosk_random(void *buf, size_t n)
{
	uint8_t *p = buf;
	while (n) {
		ssize_t got = getrandom(p, n, 0);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			KLOG_ERROR("crypto", "event=getrandom_failed errno=%d", errno);
			return KIOSK_EIO;
		}
		p += got;
		n -= (size_t)got;
	}
	return KIOSK_OK;
}

int kiosk_uuid(char out[37])
{
	uint8_t b[16];
	int rc = kiosk_random(b, sizeof b);
	if (rc)
		return rc;
	b[6] = (uint8_t)((b[6] & 0x0F) | 0x40);
	b[8] = (uint8_t)((b[8] & 0x3F) | 0x80);
	snprintf(out, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
		 b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
		 b[14], b[15]);
	return KIOSK_OK;
}

void kiosk_sha256(const void *data, size_t n, uint8_t out[KIOSK_SHA256_LEN])
{
	unsigned len = KIOSK_SHA256_LEN;
	EVP_Digest(data, n, out, &len, EVP_sha256(), NULL);
}

void kiosk_hmac_sha256(const uint8_t *key, size_t keylen, const void *data, size_t n,
		       uint8_t out[KIOSK_SHA256_LEN])
{
	unsigned len = KIOSK_SHA256_LEN;
	HMAC(EVP_sha256(), key, (int)keylen, data, n, out, &len);
}

int kiosk_ct_equal(const void *a, const void *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n) == 0;
}

void kiosk_cleanse(void *p, size_t n)
{
	OPENSSL_cleanse(p, n);
}

void kiosk_hex(const uint8_t *in, size_t n, char *out)
{
	static const char d[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = d[in[i] >> 4];
		out[2 * i + 1] = d[in[i] & 15];
	}
	out[2 * n] = '\0';
}

#define SALT_LEN 16

int kiosk_pin_hash(const char *pin, unsigned iterations, char *out, size_t outlen)
{
	uint8_t salt[SALT_LEN], dk[KIOSK_SHA256_LEN];
	char s64[32], h64[48];
	if (!pin || !*pin || iterations < KIOSK_PIN_MIN_ITER || iterations > KIOSK_PIN_MAX_ITER ||
	    outlen < KIOSK_PINHASH_MAX)
		return KIOSK_EINVAL;
	int rc = kiosk_random(salt, sizeof salt);
	if (rc)
		return rc;
	if (!PKCS5_PBKDF2_HMAC(pin, (int)strlen(pin), salt, SALT_LEN, (int)iterations,
			       EVP_sha256(), sizeof dk, dk))
		return KIOSK_EIO;
	EVP_EncodeBlock((unsigned char *)s64, salt, SALT_LEN);
	EVP_EncodeBlock((unsigned char *)h64, dk, sizeof dk);
	kiosk_cleanse(dk, sizeof dk);
	snprintf(out, outlen, "pbkdf2-sha256$%u$%s$%s", iterations, s64, h64);
	return KIOSK_OK;
}

/* Decodes standard base64 (with padding) into out; returns the byte count or -1. */
static int b64_decode(const char *in, size_t inlen, uint8_t *out, size_t cap)
{
	if (inlen == 0 || inlen % 4 || inlen / 4 * 3 > cap)
		return -1;
	int n = EVP_DecodeBlock(out, (const unsigned char *)in, (int)inlen);
	if (n < 0)
		return -1;
	/* EVP_DecodeBlock counts padding as zero bytes: take them off. */
	if (in[inlen - 1] == '=')
		n--;
	if (in[inlen - 2] == '=')
		n--;
	return n;
}

struct pinhash {
	unsigned long iter;
	uint8_t salt[64], hash[64];
	int slen, hlen;
};

static int parse_pinhash(const char *hash, struct pinhash *ph)
{
	const char *prefix = "pbkdf2-sha256$";
	if (!hash || strncmp(hash, prefix, strlen(prefix)) != 0)
		return KIOSK_EINVAL;
	const char *p = hash + strlen(prefix);
	char *end;
	errno = 0;
	unsigned long iter = strtoul(p, &end, 10);
	if (errno || end == p || *end != '$' || iter < KIOSK_PIN_MIN_ITER || iter > KIOSK_PIN_MAX_ITER)
		return KIOSK_EINVAL;
	const char *salt = end + 1, *dollar = strchr(salt, '$');
	if (!dollar)
		return KIOSK_EINVAL;
	memset(ph, 0, sizeof *ph);
	ph->iter = iter;
	ph->slen = b64_decode(salt, (size_t)(dollar - salt), ph->salt, sizeof ph->salt);
	ph->hlen = b64_decode(dollar + 1, strlen(dollar + 1), ph->hash, sizeof ph->hash);
	if (ph->slen < 8 || ph->hlen < 16)
		return KIOSK_EINVAL;
	return KIOSK_OK;
}

int kiosk_pin_hash_valid(const char *hash)
{
	struct pinhash ph;
	return parse_pinhash(hash, &ph);
}

int kiosk_pin_verify(const char *pin, const char *hash)
{
	struct pinhash ph;
	uint8_t got[64];
	if (!pin || parse_pinhash(hash, &ph) != KIOSK_OK)
		return KIOSK_EINVAL;
	if (!PKCS5_PBKDF2_HMAC(pin, (int)strlen(pin), ph.salt, ph.slen, (int)ph.iter, EVP_sha256(),
			       ph.hlen, got))
		return KIOSK_EIO;
	int ok = kiosk_ct_equal(got, ph.hash, (size_t)ph.hlen);
	kiosk_cleanse(got, sizeof got);
	return ok ? KIOSK_OK : KIOSK_EDENIED;
}

static int read_key(int fd, const char *path, uint8_t key[KIOSK_DEVKEY_LEN])
{
	struct stat sb;
	if (fstat(fd, &sb) != 0)
		return kiosk_err_from_errno(errno);
	if (sb.st_mode & 077) {
		KLOG_ERROR("crypto", "event=devkey_refused file=%s reason=\"readable by others\"",
			   path);
		return KIOSK_EDENIED;
	}
	ssize_t n = read(fd, key, KIOSK_DEVKEY_LEN);
	if (n != KIOSK_DEVKEY_LEN) {
		KLOG_ERROR("crypto", "event=devkey_refused file=%s reason=\"shorter than 32 bytes\"",
			   path);
		return KIOSK_ECORRUPT;
	}
	return KIOSK_OK;
}

int kiosk_devkey_load(const char *path, uint8_t key[KIOSK_DEVKEY_LEN], int may_create)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		int rc = read_key(fd, path, key);
		close(fd);
		return rc;
	}
	if (errno != ENOENT) {
		KLOG_ERROR("crypto", "event=devkey_open_failed file=%s errno=%d", path, errno);
		return kiosk_err_from_errno(errno);
	}
	if (!may_create)
		return KIOSK_ENOENT;
	/* First start: make the key. O_EXCL so two starting processes cannot both write. */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		KLOG_ERROR("crypto", "event=devkey_create_failed file=%s errno=%d", path, errno);
		return kiosk_err_from_errno(errno);
	}
	int rc = kiosk_random(key, KIOSK_DEVKEY_LEN);
	if (rc == KIOSK_OK &&
	    (write(fd, key, KIOSK_DEVKEY_LEN) != KIOSK_DEVKEY_LEN || fsync(fd) != 0))
		rc = KIOSK_EIO;
	close(fd);
	if (rc) {
		unlink(path);
		return rc;
	}
	KLOG_INFO("crypto", "event=devkey_created file=%s", path);
	return KIOSK_OK;
}
