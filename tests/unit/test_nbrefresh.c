/* The neighbourhood rebuilt after a change, off the core thread: a service the platform
 * adds reaches the screens' neighbourhood (built on the worker with its own connection,
 * swapped in on the loop), while a screen holding the old one keeps it intact. */
#include "core_fixture.h"
#include "plat_fixture.h"
#include "kiosk/neighbourhood.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "../test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static size_t places(struct kiosk_core *core)
{
	const struct kiosk_neighbourhood *nb = kiosk_core_neighbourhood(core);
	size_t n = nb ? nb->nplaces : 0;
	kiosk_neighbourhood_put(nb);
	return n;
}

static void a_new_service_reaches_the_screens(void)
{
	cf_make_cfg();
	struct plat *plat = pf_start("K-N1", 7);
	struct kiosk_core *core = cf_start();
	const struct kiosk_neighbourhood *held = kiosk_core_neighbourhood(core);
	CHECK(held != NULL);
	size_t before = held ? held->nplaces : 0;
	char change[512];
	snprintf(change, sizeof change,
		 "{\"kind\":\"service\",\"op\":\"upsert\",\"id\":\"SVC-NEW\",\"data\":{"
		 "\"name_zh\":\"新开的修鞋铺\",\"name_en\":\"New cobbler\",\"category\":"
		 "\"repair.shoes\",\"lat\":%.6f,\"lon\":%.6f}}",
		 cf_cfg.geo_lat + 0.001, cf_cfg.geo_lon + 0.001);
	CHECK_INT(plat_add_changes(plat, change), 0);
	/* the rebuild waits for the core's quarter-minute look: up to 40 s, by condition */
	int64_t until = kiosk_mono_ms() + 40000;
	while (places(core) == before && kiosk_mono_ms() < until)
		usleep(20000);
	CHECK_INT(places(core), before + 1);
	/* the screen that held the old one still has it, whole */
	CHECK_INT(held ? held->nplaces : 0, before);
	kiosk_neighbourhood_put(held);
	kiosk_core_stop(core);
	plat_stop(plat);
	cf_cleanup();
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"a_new_service_reaches_the_screens", a_new_service_reaches_the_screens},
		{0},
	};
	setenv("KIOSK_LOG", "warn", 0);
	return test_main(argc, argv, cases);
}
