/* The local platform beside a core fixture (core_fixture.h): started on a free loopback
 * port for one device, its secret written 0600 in the test's folder, and cf_cfg pointing
 * the kiosk at it. */
#ifndef KIOSK_TESTS_PLAT_FIXTURE_H
#define KIOSK_TESTS_PLAT_FIXTURE_H

#include "tests/platform/platform.h"

#include <stdbool.h>

/* cf_make_cfg() first; then the platform for device (its db in cf_dir), or NULL (CHECKed).
 * Stopped with plat_stop(). */
struct plat *pf_start(const char *device, unsigned seed);
/* Waits (10 s at most) until sql's one number on the platform's database is n. */
bool pf_until(struct plat *p, const char *sql, long long n);
/* A snapshot the core published with everything told and settled: no event waiting, no
 * payment open (cf_until's condition). */
struct kiosk_snapshot;
bool pf_settled(const struct kiosk_snapshot *s);

#endif
