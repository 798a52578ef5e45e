#include "hal/base/log.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const names[] = {"debug", "info", "warn", "error"};

static pthread_mutex_t ring_mu = PTHREAD_MUTEX_INITIALIZER;
static char ring[KIOSK_LOG_RECENT][200];
static unsigned ring_next, ring_count;

int kiosk_log_recent(int i, char *out, size_t len)
{
	int ok = 0;
	pthread_mutex_lock(&ring_mu);
	if (i >= 0 && (unsigned)i < ring_count) {
		unsigned at = (ring_next + KIOSK_LOG_RECENT - 1 - (unsigned)i) % KIOSK_LOG_RECENT;
		snprintf(out, len, "%s", ring[at]);
		ok = 1;
	}
	pthread_mutex_unlock(&ring_mu);
	return ok;
}

static void remember(const char *line, size_t n)
{
	if (n && line[n - 1] == '\n')
		n--;
	pthread_mutex_lock(&ring_mu);
	size_t m = n < sizeof ring[0] - 1 ? n : sizeof ring[0] - 1;
	memcpy(ring[ring_next], line, m);
	ring[ring_next][m] = '\0';
	ring_next = (ring_next + 1) % KIOSK_LOG_RECENT;
	if (ring_count < KIOSK_LOG_RECENT)
		ring_count++;
	pthread_mutex_unlock(&ring_mu);
}
static atomic_int level = -1; /* -1: not yet read from the environment */

int kiosk_log_parse_level(const char *s, enum kiosk_log_level *out)
{
	for (int i = 0; i < 4; i++) {
		if (s && strcmp(s, names[i]) == 0) {
			*out = (enum kiosk_log_level)i;
			return KIOSK_OK;
		}
	}
	return KIOSK_EINVAL;
}

void kiosk_log_set_level(enum kiosk_log_level lvl)
{
	atomic_store(&level, (int)lvl);
}

static int current_level(void)
{
	int l = atomic_load(&level);
	if (l < 0) {
		enum kiosk_log_level e = KIOSK_LOG_INFO;
		kiosk_log_parse_level(getenv("KIOSK_LOG"), &e);
		l = (int)e;
		atomic_store(&level, l);
	}
	return l;
}

void kiosk_log(enum kiosk_log_level lvl, const char *mod, const char *fmt, ...)
{
	if ((int)lvl < current_level())
		return;
	char line[1024], ts[32];
	kiosk_format_utc(kiosk_now_ms(), ts, sizeof ts);
	int n = snprintf(line, sizeof line, "ts=%s lvl=%s mod=%s ", ts, names[lvl], mod);
	if (n < 0)
		return;
	size_t used = (size_t)n;
	va_list ap;
	va_start(ap, fmt);
	n = vsnprintf(line + used, sizeof line - used - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	used += (size_t)n;
	if (used > sizeof line - 2)
		used = sizeof line - 2; /* truncated: still one line */
	line[used++] = '\n';
	if (lvl >= KIOSK_LOG_INFO)
		remember(line, used);
	ssize_t w = write(STDERR_FILENO, line, used);
	(void)w; /* nowhere to report a failing stderr */
}
