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

static long long (*limit_clock)(void);

void kiosk_log_set_clock(long long (*mono_ms)(void))
{
	limit_clock = mono_ms;
}

#define NKEYS 64
static struct limit {
	char key[48];
	long long window_start;
	int lines;
	long suppressed;
} keys[NKEYS];
static pthread_mutex_t limit_mu = PTHREAD_MUTEX_INITIALIZER;

/* The event key of a formatted line: "mod/word" after event=. */
static void event_key(const char *mod, const char *fields, char *key, size_t n)
{
	const char *e = strstr(fields, "event=");
	size_t w = e ? strcspn(e + 6, " \n") : 0;
	snprintf(key, n, "%s/%.*s", mod, (int)w, e ? e + 6 : "");
}

/* 1 when the line may be written; *was set to the count left out before it. */
static int allowed(const char *key, long *was)
{
	long long now = limit_clock ? limit_clock() : (long long)kiosk_mono_ms();
	unsigned h = 5381;
	for (const char *p = key; *p; p++)
		h = h * 33u + (unsigned char)*p;
	*was = 0;
	pthread_mutex_lock(&limit_mu);
	struct limit *l = &keys[h % NKEYS];
	if (strcmp(l->key, key) != 0) {
		/* A new key takes the slot (a collision forgets the older key's count: 64
		 * slots for the few keys that repeat at all). */
		snprintf(l->key, sizeof l->key, "%s", key);
		l->window_start = now;
		l->lines = 0;
		l->suppressed = 0;
	}
	if (now - l->window_start >= KIOSK_LOG_WINDOW_MS) {
		*was = l->suppressed;
		l->window_start = now;
		l->lines = 0;
		l->suppressed = 0;
	}
	int ok = ++l->lines <= KIOSK_LOG_BURST;
	if (!ok)
		l->suppressed++;
	pthread_mutex_unlock(&limit_mu);
	return ok;
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
	size_t fields = used;
	used += (size_t)n;
	if (used > sizeof line - 2)
		used = sizeof line - 2; /* truncated: still one line */
	line[used] = '\0';
	if (lvl >= KIOSK_LOG_WARN) {
		char key[48];
		long was;
		event_key(mod, line + fields, key, sizeof key);
		if (!allowed(key, &was))
			return;
		if (was) {
			char note[160];
			int m = snprintf(note, sizeof note,
					 "ts=%s lvl=%s mod=%s event=log_suppressed key=%s n=%ld\n", ts,
					 names[lvl], mod, key, was);
			if (m > 0 && (size_t)m < sizeof note) {
				remember(note, (size_t)m);
				ssize_t w = write(STDERR_FILENO, note, (size_t)m);
				(void)w;
			}
		}
	}
	line[used++] = '\n';
	if (lvl >= KIOSK_LOG_INFO)
		remember(line, used);
	ssize_t w = write(STDERR_FILENO, line, used);
	(void)w; /* nowhere to report a failing stderr */
}
