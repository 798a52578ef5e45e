/* What every bench table needs: a monotonic clock and an order of doubles for qsort.
 * Header-only (each bench is a program of its own). */
#ifndef KIOSK_BENCH_H
#define KIOSK_BENCH_H

#include <time.h>

static inline double bench_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static inline double bench_now_ms(void)
{
	return bench_now_us() / 1e3;
}

static inline int bench_cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

#endif
