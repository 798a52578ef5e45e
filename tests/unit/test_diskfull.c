/* A full disk at the core: said at once (the snapshot the screens draw, `kioskctl status`,
 * the heartbeat's faults), a right PIN answered "disk full" and not "wrong PIN", and all of
 * it gone again without a restart once a write goes through. The store's VFS is made to
 * fail every write for space (faultvfs), as a full disk does. */
#include "core_fixture.h"
#include "faultvfs.h"
#include "kiosk/control.h"
#include "kiosk/store/store.h"
#include "hal/base/error.h"
#include "../test.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool full(const struct kiosk_snapshot *s)
{
	return s->disk_full;
}

static bool not_full(const struct kiosk_snapshot *s)
{
	return !s->disk_full;
}

static void a_full_disk_is_said_and_recovered(void)
{
	cf_make_cfg();
	struct kiosk_core *core = cf_start();
	struct kiosk_result r = cf_ask(core, KIOSK_CMD_LOGIN_OPERATOR, 0, "8001", "2468");
	CHECK_INT(r.rc, KIOSK_OK);
	char reply[8192];
	CHECK_INT(kiosk_control_call(cf_cfg.control_socket, "status", reply, sizeof reply, 5000),
		  KIOSK_OK);
	CHECK_HAS(reply, "\"store\":\"ok\"");

	faultvfs_disk_full(1);
	/* the right PIN: the disk, not the PIN, is what is wrong (and a wrong one gets the
	 * same answer: nothing leaks) */
	r = cf_ask(core, KIOSK_CMD_LOGIN_OPERATOR, 0, "8001", "2468");
	CHECK_INT(r.rc, KIOSK_EDISKFULL);
	r = cf_ask(core, KIOSK_CMD_LOGIN_OPERATOR, 0, "8001", "0000");
	CHECK_INT(r.rc, KIOSK_EDISKFULL);
	CHECK(cf_until(core, full));
	CHECK_INT(kiosk_control_call(cf_cfg.control_socket, "status", reply, sizeof reply, 5000),
		  KIOSK_OK);
	CHECK_HAS(reply, "\"store\":\"disk_full\"");

	/* space back: within a probe's period (5 s), without a restart */
	faultvfs_disk_full(0);
	CHECK(cf_until(core, not_full));
	CHECK_INT(kiosk_control_call(cf_cfg.control_socket, "status", reply, sizeof reply, 5000),
		  KIOSK_OK);
	CHECK_HAS(reply, "\"store\":\"ok\"");
	r = cf_ask(core, KIOSK_CMD_LOGIN_OPERATOR, 0, "8001", "2468");
	CHECK_INT(r.rc, KIOSK_OK);
	kiosk_core_stop(core);
	cf_cleanup();
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"a_full_disk_is_said_and_recovered", a_full_disk_is_said_and_recovered},
		{0},
	};
	setenv("KIOSK_LOG", "warn", 0);
	/* every store of this process on the faulty VFS, as its default */
	kiosk_store_global_init();
	faultvfs_register();
	sqlite3_vfs_register(sqlite3_vfs_find("faulty"), 1);
	return test_main(argc, argv, cases);
}
