#include "kiosk/sync/sign.h"
#include "kiosk/crypto.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The request's MAC; KIOSK_EINVAL for a method and path longer than any request of the
 * contract (never signed cut short: that would sign something else). */
static int mac(const uint8_t *secret, size_t slen, const char *method, const char *path,
	       long long ts, const void *body, size_t len, uint8_t out[KIOSK_SHA256_LEN])
{
	uint8_t h[KIOSK_SHA256_LEN];
	char hex[2 * KIOSK_SHA256_LEN + 1], s[2048];
	kiosk_sha256(body ? body : "", body ? len : 0, h);
	kiosk_hex(h, sizeof h, hex);
	int n = snprintf(s, sizeof s, "%s\n%s\n%lld\n%s", method, path, ts, hex);
	if (n < 0 || (size_t)n >= sizeof s)
		return KIOSK_EINVAL;
	kiosk_hmac_sha256(secret, slen, s, (size_t)n, out);
	return KIOSK_OK;
}

int kiosk_sign(const uint8_t *secret, size_t slen, const char *method, const char *path,
	       long long ts, const void *body, size_t len, char out[KIOSK_SIG_LEN])
{
	uint8_t m[KIOSK_SHA256_LEN];
	out[0] = '\0';
	int rc = mac(secret, slen, method, path, ts, body, len, m);
	if (rc)
		return rc;
	memcpy(out, "v1=", 3);
	kiosk_hex(m, sizeof m, out + 3);
	kiosk_cleanse(m, sizeof m);
	return KIOSK_OK;
}

int kiosk_sign_verify(const uint8_t *secret, size_t slen, const char *method,
		      const char *path, long long ts, const void *body, size_t len,
		      const char *sig)
{
	char want[KIOSK_SIG_LEN];
	if (!sig || strlen(sig) != KIOSK_SIG_LEN - 1 ||
	    kiosk_sign(secret, slen, method, path, ts, body, len, want) != KIOSK_OK)
		return KIOSK_EDENIED;
	int ok = kiosk_ct_equal(want, sig, KIOSK_SIG_LEN - 1);
	kiosk_cleanse(want, sizeof want);
	return ok ? KIOSK_OK : KIOSK_EDENIED;
}

int kiosk_secret_load(const char *path, uint8_t secret[KIOSK_SECRET_MAX], size_t *len)
{
	*len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		KLOG_ERROR("sync", "event=secret_refused file=%s reason=\"%s\"", path, strerror(e));
		return e == ENOENT ? KIOSK_ENOENT : kiosk_err_from_errno(e);
	}
	struct stat sb;
	int rc = KIOSK_OK;
	if (fstat(fd, &sb) != 0) {
		rc = kiosk_err_from_errno(errno);
	} else if (sb.st_mode & 077) {
		KLOG_ERROR("sync", "event=secret_refused file=%s reason=\"group or others may read"
				   " it: chmod 600\"", path);
		rc = KIOSK_EPERM;
	} else {
		ssize_t n = read(fd, secret, KIOSK_SECRET_MAX);
		if (n > 0 && secret[n - 1] == '\n')
			n--;
		if (n < KIOSK_SECRET_MIN) {
			KLOG_ERROR("sync", "event=secret_refused file=%s reason=\"shorter than %d"
					   " bytes\"", path, KIOSK_SECRET_MIN);
			rc = KIOSK_EINVAL;
		} else {
			*len = (size_t)n;
		}
	}
	close(fd);
	if (rc)
		kiosk_cleanse(secret, KIOSK_SECRET_MAX);
	return rc;
}
