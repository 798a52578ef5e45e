/* The local platform beside a core fixture (core_fixture.h): started on a free loopback
 * port for one device, its secret written 0600 in the test's folder, and cf_cfg pointing
 * the kiosk at it. */
#ifndef KIOSK_TESTS_PLAT_FIXTURE_H
#define KIOSK_TESTS_PLAT_FIXTURE_H

#include "tests/platform/platform.h"

/* cf_make_cfg() first; then the platform for device (its db in cf_dir), or NULL (CHECKed).
 * Stopped with plat_stop(). */
struct plat *pf_start(const char *device, unsigned seed);

#endif
