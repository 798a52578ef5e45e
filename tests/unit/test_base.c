/* The project-wide base: error enum, allocator fault injection, log levels. */
#include "kiosk/crypto.h"
#include "kiosk/errors.h"
#include "hal/base/alloc.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "hal/base/log.h"
#include "../test.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* Is e a code of the base's range or the application's? */
static bool defined(int e)
{
	return (e <= 0 && e >= KIOSK_ERR_LAST) ||
	       (e <= KIOSK_ERR_APP_FIRST && e >= KIOSK_APP_ERR_LAST);
}

static void every_error_has_a_name_and_text(void)
{
	kiosk_errors_init();
	for (int e = 0; e >= KIOSK_APP_ERR_LAST - 1; e--) {
		CHECK_INT(strcmp(kiosk_errname(e), "EUNKNOWN") != 0, defined(e));
		CHECK_INT(strcmp(kiosk_strerror(e), "unknown error") != 0, defined(e));
		for (int f = e - 1; defined(e) && f >= KIOSK_APP_ERR_LAST; f--)
			CHECK(!defined(f) || strcmp(kiosk_errname(e), kiosk_errname(f)) != 0);
	}
	CHECK_STR(kiosk_strerror(5), "unknown error");
	/* The application's errors are the core's, named like the rest. */
	CHECK_STR(kiosk_errname(KIOSK_ENOFONT), "ENOFONT");
	CHECK_STR(kiosk_strerror(KIOSK_EUNPAID), "payment required first");
}

static void errno_maps(void)
{
	CHECK_INT(kiosk_err_from_errno(ENOENT), KIOSK_ENOENT);
	CHECK_INT(kiosk_err_from_errno(ETIMEDOUT), KIOSK_ETIMEDOUT);
	CHECK_INT(kiosk_err_from_errno(EACCES), KIOSK_EPERM);
	CHECK_INT(kiosk_err_from_errno(ENOSPC), KIOSK_EDISKFULL);
	CHECK_INT(kiosk_err_from_errno(EPIPE), KIOSK_EIO);
}

static void alloc_failure_injection(void)
{
	kiosk_alloc_fail_after(2, 0);
	void *a = kiosk_malloc(8), *b = kiosk_malloc(8), *c = kiosk_malloc(8);
	CHECK(a != NULL);
	CHECK(b == NULL);
	CHECK(c != NULL); /* not sticky: only the 2nd failed */
	kiosk_free(a);
	kiosk_free(c);
	kiosk_alloc_fail_after(1, 1);
	CHECK(kiosk_strdup("x") == NULL);
	CHECK(kiosk_calloc(1, 1) == NULL);
	kiosk_alloc_fail_after(0, 0);
	char *d = kiosk_strdup("kiosk");
	CHECK_STR(d, "kiosk");
	kiosk_free(d);
	CHECK(kiosk_calloc((size_t)-1 / 2, 4) == NULL); /* overflow refused */
}

static void log_levels_parse(void)
{
	enum kiosk_log_level l = KIOSK_LOG_ERROR;
	CHECK_INT(kiosk_log_parse_level("debug", &l), KIOSK_OK);
	CHECK_INT(l, KIOSK_LOG_DEBUG);
	CHECK_INT(kiosk_log_parse_level("loud", &l), KIOSK_EINVAL);
	CHECK_INT(l, KIOSK_LOG_DEBUG);
	CHECK_INT(kiosk_log_parse_level(NULL, &l), KIOSK_EINVAL);
}

static void utc_format(void)
{
	char buf[32];
	kiosk_format_utc(1795867200123LL, buf, sizeof buf);
	CHECK_STR(buf, "2026-11-28T12:00:00.123Z");
}

static void devkey_created_once_and_guarded(void)
{
	char dir[] = "/tmp/kiosk-key-XXXXXX", path[64], cmd[96];
	uint8_t k1[KIOSK_DEVKEY_LEN], k2[KIOSK_DEVKEY_LEN];
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof path, "%s/device.key", dir);
	CHECK_INT(kiosk_devkey_load(path, k1, 0), KIOSK_ENOENT); /* not asked to create */
	CHECK(access(path, F_OK) != 0);
	CHECK_INT(kiosk_devkey_load(path, k1, 1), KIOSK_OK); /* first start: created */
	struct stat sb;
	CHECK(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600 && sb.st_size == 32);
	CHECK_INT(kiosk_devkey_load(path, k2, 1), KIOSK_OK); /* second start: the same key */
	CHECK(memcmp(k1, k2, sizeof k1) == 0);
	chmod(path, 0644);
	CHECK_INT(kiosk_devkey_load(path, k2, 1), KIOSK_EDENIED); /* readable by others */
	chmod(path, 0600);
	CHECK(truncate(path, 16) == 0);
	CHECK_INT(kiosk_devkey_load(path, k2, 1), KIOSK_ECORRUPT); /* too short: never padded */
	snprintf(path, sizeof path, "%s/missing/device.key", dir);
	CHECK_INT(kiosk_devkey_load(path, k2, 1), KIOSK_ENOENT);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
}

static void pin_hash_roundtrip(void)
{
	char h[KIOSK_PINHASH_MAX];
	CHECK_INT(kiosk_pin_hash("2468", KIOSK_PIN_MIN_ITER, h, sizeof h), KIOSK_OK);
	CHECK(strncmp(h, "pbkdf2-sha256$100000$", 21) == 0);
	CHECK(strstr(h, "2468") == NULL);
	CHECK_INT(kiosk_pin_verify("2468", h), KIOSK_OK);
	CHECK_INT(kiosk_pin_verify("2469", h), KIOSK_EDENIED);
	CHECK_INT(kiosk_pin_hash("2468", 1000, h, sizeof h), KIOSK_EINVAL); /* too few rounds */
	CHECK_INT(kiosk_pin_hash("2468", KIOSK_PIN_MAX_ITER + 1, h, sizeof h), KIOSK_EINVAL);
	CHECK_INT(kiosk_pin_hash_valid("pbkdf2-sha256$400001$AAAAAAAAAAAAAAAAAAAAAA==$"
				       "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="),
		  KIOSK_EINVAL);
	CHECK_INT(kiosk_pin_hash_valid("pbkdf2-sha256$400000$AAAAAAAAAAAAAAAAAAAAAA==$"
				       "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="),
		  KIOSK_OK);
	CHECK_INT(kiosk_pin_verify("2468", "md5$abc"), KIOSK_EINVAL);
	char u[37];
	CHECK_INT(kiosk_uuid(u), KIOSK_OK);
	CHECK_INT(strlen(u), 36);
	CHECK(u[14] == '4');
}

static long long fake_ms;
static long long fake_clock(void)
{
	return fake_ms;
}

/* What fn writes to stderr. */
static char captured[65536];
static void capture_stderr(void (*fn)(void))
{
	char path[] = "/tmp/kiosk-log-XXXXXX";
	int fd = mkstemp(path), saved = dup(2);
	dup2(fd, 2);
	fn();
	dup2(saved, 2);
	close(saved);
	ssize_t n = pread(fd, captured, sizeof captured - 1, 0);
	captured[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(path);
}

static int occurrences(const char *what)
{
	int c = 0;
	for (const char *p = captured; (p = strstr(p, what)) != NULL; p++)
		c++;
	return c;
}

static void flood(void)
{
	for (int i = 0; i < 150; i++)
		KLOG_ERROR("lock", "event=timeout board=%d", i % 3);
	KLOG_WARN("lock", "event=reopen port=x"); /* another key: not held back */
	for (int i = 0; i < 10; i++)
		KLOG_INFO("ui", "event=screen name=s%d", i); /* state changes: all kept */
	fake_ms += KIOSK_LOG_WINDOW_MS;
	KLOG_ERROR("lock", "event=timeout board=0");
}

/* An unplugged bus: a few lines a minute per event, then how many were left out. */
static void log_floods_are_rate_limited(void)
{
	kiosk_log_set_clock(fake_clock);
	fake_ms = 1000;
	capture_stderr(flood);
	kiosk_log_set_clock(NULL);
	CHECK_INT(occurrences("event=timeout"), KIOSK_LOG_BURST + 1);
	CHECK_INT(occurrences("event=log_suppressed key=lock/timeout n=145\n"), 1);
	CHECK_INT(occurrences("event=reopen"), 1);
	CHECK_INT(occurrences("event=screen"), 10);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"every_error_has_a_name_and_text", every_error_has_a_name_and_text},
		{"errno_maps", errno_maps},
		{"log_floods_are_rate_limited", log_floods_are_rate_limited},
		{"alloc_failure_injection", alloc_failure_injection},
		{"log_levels_parse", log_levels_parse},
		{"utc_format", utc_format},
		{"devkey_created_once_and_guarded", devkey_created_once_and_guarded},
		{"pin_hash_roundtrip", pin_hash_roundtrip},
		{0},
	};
	return test_main(argc, argv, cases);
}
