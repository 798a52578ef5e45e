#include "kiosk/assets.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void kiosk_asset_path(const char *assets, const char *rel, char *out, size_t n)
{
	if (assets && assets[0]) {
		snprintf(out, n, "%s/%s", assets, rel);
		return;
	}
	snprintf(out, n, "%s/%s", KIOSK_INSTALL_ASSETS, rel);
	if (access(out, R_OK) != 0)
		snprintf(out, n, "%s/%s", KIOSK_SOURCE_ASSETS, rel);
}

bool kiosk_asset_picture_ok(const char *name)
{
	size_t n = strlen(name);
	if (n < 5 || n >= KIOSK_ASSET_NAME_MAX || name[0] == '/' ||
	    (strcmp(name + n - 4, ".svg") && strcmp(name + n - 4, ".png")))
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = name[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
		      ch == '_' || ch == '.' || ch == '/'))
			return false;
	}
	return !strstr(name, "..") && !strstr(name, "//");
}

int kiosk_asset_read(const char *path, size_t max, char **out, size_t *len, char *why,
		     size_t wlen)
{
	*out = NULL;
	*len = 0;
	FILE *f = fopen(path, "rb");
	if (!f) {
		int e = errno;
		snprintf(why, wlen, "%s: %s", path, strerror(e));
		return e == ENOENT ? KIOSK_ENOENT : KIOSK_EIO;
	}
	int rc = KIOSK_OK;
	char *buf = kiosk_malloc(max + 2);
	if (!buf) {
		rc = KIOSK_ENOMEM;
		goto out_close;
	}
	size_t n = fread(buf, 1, max + 1, f); /* one past max: to know it was passed */
	if (ferror(f)) {
		snprintf(why, wlen, "%s: read error", path);
		rc = KIOSK_EIO;
	} else if (n > max) {
		snprintf(why, wlen, "%s: larger than %zu bytes", path, max);
		rc = KIOSK_EPARSE;
	}
	if (rc) {
		kiosk_free(buf);
		goto out_close;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
out_close:
	fclose(f);
	return rc;
}
