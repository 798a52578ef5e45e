/* Time sources. Wall time is UTC epoch milliseconds (what the store records); monotonic
 * time is for deadlines and timers and never jumps when NTP sets the clock. */
#ifndef KIOSK_HAL_CLOCK_H
#define KIOSK_HAL_CLOCK_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

int64_t kiosk_now_ms(void);  /* UTC epoch ms */
int64_t kiosk_mono_ms(void); /* CLOCK_MONOTONIC ms */
int64_t kiosk_mono_us(void); /* CLOCK_MONOTONIC µs, for latency figures */

/* The CLOCK_MONOTONIC time ms from now, for pthread_cond_timedwait on a condition variable
 * set to that clock. */
void kiosk_mono_deadline(int64_t ms, struct timespec *out);

/* Formats epoch ms as "2026-11-28T12:00:00.123Z" into buf (needs 25 bytes). */
void kiosk_format_utc(int64_t ms, char *buf, size_t len);

#endif
