/* Logging: one line per event on stderr, key=value fields, written with one write(2) so
 * lines from the UI and core threads never interleave:
 *
 *   ts=2026-11-28T12:00:00.123Z lvl=info mod=core event=ready fds=3
 *
 * The caller writes the fields after mod= as a printf format. Never pass a secret (pickup
 * code, PIN, device key) or a whole phone number: log an id or the masked form. */
#ifndef KIOSK_HAL_LOG_H
#define KIOSK_HAL_LOG_H

#include <stddef.h>

enum kiosk_log_level { KIOSK_LOG_DEBUG, KIOSK_LOG_INFO, KIOSK_LOG_WARN, KIOSK_LOG_ERROR };

/* Lines below this level are dropped. Default info; KIOSK_LOG=debug|info|warn|error in the
 * environment overrides at first use. */
void kiosk_log_set_level(enum kiosk_log_level lvl);
/* Parses "debug".."error"; returns 0 and sets *out, or KIOSK_EINVAL. */
int kiosk_log_parse_level(const char *s, enum kiosk_log_level *out);

void kiosk_log(enum kiosk_log_level lvl, const char *mod, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Warnings and errors are rate-limited per event key (mod + the event= word): at most
 * KIOSK_LOG_BURST lines of one key per KIOSK_LOG_WINDOW_MS; the rest are counted, and
 * the key's next line after the window says how many were left out
 * ("event=log_suppressed key=lock/timeout n=149"). An unplugged bus says so a few times a
 * minute, not hundreds. Info and debug lines are state changes and are never dropped. */
#define KIOSK_LOG_BURST 5
#define KIOSK_LOG_WINDOW_MS 60000
/* Test hook: the monotonic clock the limiter reads (NULL = kiosk_mono_ms). */
void kiosk_log_set_clock(long long (*mono_ms)(void));

/* The most recent lines (at info level and above) are also kept in memory, so a field
 * technician can read them on the maintenance screen without a laptop. Copies line i
 * (0 = newest) without its newline into out; returns 1, or 0 past the oldest kept. */
#define KIOSK_LOG_RECENT 200
int kiosk_log_recent(int i, char *out, size_t len);

#define KLOG_DEBUG(mod, ...) kiosk_log(KIOSK_LOG_DEBUG, mod, __VA_ARGS__)
#define KLOG_INFO(mod, ...) kiosk_log(KIOSK_LOG_INFO, mod, __VA_ARGS__)
#define KLOG_WARN(mod, ...) kiosk_log(KIOSK_LOG_WARN, mod, __VA_ARGS__)
#define KLOG_ERROR(mod, ...) kiosk_log(KIOSK_LOG_ERROR, mod, __VA_ARGS__)

#endif
