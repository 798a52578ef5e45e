/* A full disk at the core: said at once (the snapshot the screens draw, `kioskctl status`,
 * the heartbeat's faults), a right PIN answered "disk full" and not "wrong PIN", and all of
 * it gone again without a restart once a write goes through. The store's VFS is made to
 * fail every write for space (faultvfs), as a full disk does. */
#include "core_fixture.h"
#include "faultvfs.h"
#include "kiosk/control.h"
#include "kiosk/store/store.h"
#include "kiosk/store/reserve.h"
#include "hal/base/error.h"
#include "../test.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "hal/base/clock.h"

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

static long long reserve_size(void)
{
	char path[600];
	snprintf(path, sizeof path, "%s-reserve", cf_cfg.store_path);
	struct stat st;
	return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

static bool reserve_whole(void)
{
	for (int64_t until = kiosk_mono_ms() + 10000; kiosk_mono_ms() < until; usleep(5000))
		if (reserve_size() == KIOSK_STORE_RESERVE)
			return true;
	return false;
}

static bool session_free(const struct kiosk_snapshot *s)
{
	return !s->session.door_busy;
}

/* A disk with no room left at all (as the file system counts it): the first write that
 * fails gives the store's reserve back, and residents still take their parcels out of it,
 * while a courier's new parcel is refused with "disk full" and changes nothing. When
 * space comes back the reserve is made whole again, and deposits are taken again. */
static void pickups_go_on_from_the_reserve(void)
{
	cf_make_cfg();
	struct kiosk_core *core = cf_start();
	CHECK(reserve_whole()); /* made at start, on the worker */
	char parcel[64], code[16];
	cf_deposit(core, "SF7001", parcel);
	struct kiosk_result r = cf_ask(core, KIOSK_CMD_TEST_LAST_CODE, 0, NULL, NULL);
	snprintf(code, sizeof code, "%.8s", r.u.code.digits);

	/* the next courier, as the disk fills: the disk, said */
	CHECK_INT(cf_ask(core, KIOSK_CMD_LOGIN_COURIER, 0, "9001", "1357").rc, KIOSK_OK);
	faultvfs_room(0); /* not one more block */
	r = cf_ask(core, KIOSK_CMD_DEPOSIT, 0, "9001", "SF7002 13812345678");
	CHECK_INT(r.rc, KIOSK_EDISKFULL);
	CHECK(cf_until(core, full));
	CHECK_INT(reserve_size(), -1); /* given back */
	CHECK(faultvfs_room_left() >= KIOSK_STORE_RESERVE);
	/* on the reserve: still refused, and nothing written for it */
	r = cf_ask(core, KIOSK_CMD_DEPOSIT, 0, "9001", "SF7002 13812345678");
	CHECK_INT(r.rc, KIOSK_EDISKFULL);
	CHECK_INT(cf_ask(core, KIOSK_CMD_SESSION_END, 0, NULL, NULL).rc, KIOSK_OK);
	CHECK_INT(cf_rows("SELECT count(*) FROM parcel"), 1);
	CHECK_INT(cf_rows("SELECT count(*) FROM door_op"), 1);

	/* the resident with the code: the door opens and the parcel is theirs */
	CHECK_INT(cf_ask(core, KIOSK_CMD_PICKUP_CHECK, 0, NULL, code).rc, KIOSK_OK);
	r = cf_ask(core, KIOSK_CMD_PICKUP_OPEN, 0, NULL, NULL);
	CHECK_INT(r.rc, KIOSK_OK);
	CHECK_INT(cf_ask(core, KIOSK_CMD_SIM_LOCK, 0, "take 0 1", NULL).rc, KIOSK_OK);
	CHECK(cf_until(core, session_free));
	CHECK_INT(cf_ask(core, KIOSK_CMD_SESSION_END, 0, NULL, NULL).rc, KIOSK_OK);
	struct kiosk_snapshot s;
	kiosk_core_snapshot(core, &s);
	CHECK(s.disk_full); /* still said: the disk is not any less full */

	/* space back: the reserve first, then the full state lifted, then deposits again */
	faultvfs_room(-1);
	CHECK(cf_until(core, not_full));
	CHECK_INT(reserve_size(), KIOSK_STORE_RESERVE);
	CHECK_INT(cf_ask(core, KIOSK_CMD_LOGIN_COURIER, 0, "9001", "1357").rc, KIOSK_OK);
	r = cf_ask(core, KIOSK_CMD_DEPOSIT, 0, "9001", "SF7003 13812345678");
	CHECK_INT(r.rc, KIOSK_OK);
	kiosk_core_stop(core);
	CHECK_INT(cf_rows("SELECT count(*) FROM parcel WHERE state = 'picked_up'"), 1);
	CHECK_INT(cf_rows("SELECT count(*) FROM door_op WHERE purpose = 'pickup' AND state = 'opened'"),
		  1);
	cf_cleanup();
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"a_full_disk_is_said_and_recovered", a_full_disk_is_said_and_recovered},
		{"pickups_go_on_from_the_reserve", pickups_go_on_from_the_reserve},
		{0},
	};
	setenv("KIOSK_LOG", "warn", 0);
	/* every store of this process on the faulty VFS, as its default */
	kiosk_store_global_init();
	faultvfs_register();
	sqlite3_vfs_register(sqlite3_vfs_find("faulty"), 1);
	return test_main(argc, argv, cases);
}
