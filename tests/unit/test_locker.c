/* The locker service against the simulated boards over a pty: doors opened intent-first
 * with their outcome recorded, jams, forced doors, doors left open, silent boards, and
 * after a crash between intent and outcome no second unlock frame. */
#include "kiosk/locker.h"
#include "store_fixture.h"
#include "hal/error.h"
#include "../test.h"

#include <stdlib.h>
#include <unistd.h>

static char path[256];
static struct kiosk_config cfg;

static void make_cfg(const char *driver)
{
	kiosk_config_defaults(&cfg);
	snprintf(cfg.lock.driver, sizeof cfg.lock.driver, "%s", driver);
	snprintf(cfg.store_path, sizeof cfg.store_path, "%s", path);
	static const char *const sizes[] = {"S", "M", "L", "XL"};
	for (int i = 0; i < 4; i++) {
		struct kiosk_compartment_cfg *c = &cfg.compartments[i];
		snprintf(c->id, sizeof c->id, "B%d", i + 1);
		c->board = 0;
		c->lock = i + 1;
		snprintf(c->size, sizeof c->size, "%s", sizes[i]);
	}
	cfg.ncompartments = 4;
}

static long long events(struct kiosk_store *st, const char *type)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM outbox WHERE type = '%s'", type);
	return fx_int(st, sql);
}

static void opens_jams_alarms(const char *driver)
{
	struct kiosk_store *st;
	struct kiosk_locker *l;
	struct kiosk_door door;
	struct kiosk_compartment c;
	char why[256];
	fx_now = 1795867200000LL;
	fx_path(path, sizeof path);
	make_cfg(driver);
	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
	CHECK_INT(kiosk_locker_open(&cfg, st, true, &l, why, sizeof why), KIOSK_OK);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM compartment"), 4);
	CHECK_INT(kiosk_locker_poll(l), KIOSK_OK);
	CHECK_INT(events(st, "door.forced"), 0);

	CHECK_INT(kiosk_compartment_open_intent(st, "B2", "8001", &door), KIOSK_OK);
	CHECK_INT(kiosk_locker_open_door(l, &door), KIOSK_OK);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM door_op WHERE state = 'opened'"), 1);
	CHECK_INT(kiosk_locker_poll(l), KIOSK_OK);
	CHECK_INT(events(st, "door.forced"), 0); /* opened by us: not forced */
	fx_now += 61 * 1000;
	CHECK_INT(kiosk_locker_poll(l), KIOSK_OK);
	CHECK_INT(events(st, "door.left_open"), 1);
	CHECK_INT(kiosk_locker_poll(l), KIOSK_OK);
	CHECK_INT(events(st, "door.left_open"), 1); /* once per opening */
	CHECK_INT(kiosk_locker_sim(l, "close 0 2"), KIOSK_OK);

	CHECK_INT(kiosk_locker_sim(l, "fault jam:0:3"), KIOSK_OK);
	CHECK_INT(kiosk_compartment_open_intent(st, "B3", "8001", &door), KIOSK_OK);
	CHECK_INT(kiosk_locker_open_door(l, &door), KIOSK_EDEVICE);
	kiosk_compartment_get(st, "B3", &c);
	CHECK_STR(c.state, "faulty");
	CHECK_INT(events(st, "locker.fault"), 1);
	/* A faulty compartment is not opened again until the operator acts. */
	CHECK_INT(kiosk_compartment_open_intent(st, "B3", "8001", &door), KIOSK_ESTATE);

	CHECK_INT(kiosk_locker_sim(l, "force-open 0 4"), KIOSK_OK);
	usleep(30000);
	CHECK_INT(kiosk_locker_poll(l), KIOSK_OK);
	CHECK_INT(events(st, "door.forced"), 1);
	CHECK_INT(kiosk_locker_poll(l), KIOSK_OK);
	CHECK_INT(events(st, "door.forced"), 1);

	/* A parcel in B1 before the board goes silent. */
	char parcel[37], code[9];
	CHECK_INT(kiosk_person_upsert(st, "C1", "courier", "Wang", "SF", fx_pinhash("1234")),
		  KIOSK_OK);
	CHECK_INT(kiosk_parcel_deposit_begin(st, "C1", "SF77", "13812345678", KIOSK_SIZE_S,
					     parcel, &door),
		  KIOSK_OK);
	CHECK_STR(door.compartment, "B1");
	CHECK_INT(kiosk_locker_open_door(l, &door), KIOSK_OK);
	CHECK_INT(kiosk_locker_sim(l, "close 0 1"), KIOSK_OK);
	CHECK_INT(kiosk_parcel_deposit_commit(st, parcel, code), KIOSK_OK);

	/* The board goes silent: its compartments become unknown, the bus unhealthy. */
	CHECK_INT(kiosk_locker_sim(l, "fault no-reply"), KIOSK_OK);
	CHECK_INT(kiosk_locker_poll(l), KIOSK_ETIMEDOUT);
	CHECK(!kiosk_locker_healthy(l));
	kiosk_compartment_get(st, "B1", &c);
	CHECK_STR(c.state, "unknown");
	CHECK_INT(kiosk_locker_sim(l, "no such thing"), KIOSK_EINVAL);
	/* An open sent into the silence: nobody knows whether that door opened. */
	CHECK_INT(kiosk_compartment_open_intent(st, "B2", "8001", &door), KIOSK_ESTATE);
	CHECK_INT(kiosk_locker_sim(l, "fault clear"), KIOSK_OK);
	CHECK_INT(kiosk_compartment_set(st, "B2", "free", "8001"), KIOSK_OK);
	CHECK_INT(kiosk_compartment_open_intent(st, "B2", "8001", &door), KIOSK_OK);
	CHECK_INT(kiosk_locker_sim(l, "fault no-reply"), KIOSK_OK);
	CHECK(kiosk_locker_open_door(l, &door) != KIOSK_OK);
	kiosk_compartment_get(st, "B2", &c);
	CHECK_STR(c.state, "unknown");

	/* It answers again: B1 holds its parcel again and can be picked up; B2, whose own
	 * command went unanswered, waits for the operator; B3 stays faulty. */
	CHECK_INT(kiosk_locker_sim(l, "fault clear"), KIOSK_OK);
	CHECK_INT(kiosk_locker_poll(l), KIOSK_OK);
	CHECK(kiosk_locker_healthy(l));
	kiosk_compartment_get(st, "B1", &c);
	CHECK_STR(c.state, "occupied");
	kiosk_compartment_get(st, "B2", &c);
	CHECK_STR(c.state, "unknown");
	kiosk_compartment_get(st, "B3", &c);
	CHECK_STR(c.state, "faulty");
	CHECK_INT(kiosk_locker_poll(l), KIOSK_OK);
	kiosk_compartment_get(st, "B2", &c);
	CHECK_STR(c.state, "unknown");
	CHECK_INT(kiosk_pickup_open(st, parcel, &door), KIOSK_OK);
	CHECK_INT(kiosk_locker_open_door(l, &door), KIOSK_OK);
	/* The operator checked B2 and enables it. */
	CHECK_INT(kiosk_compartment_set(st, "B2", "free", "8001"), KIOSK_OK);
	kiosk_compartment_get(st, "B2", &c);
	CHECK_STR(c.state, "free");
	char msg[256];
	CHECK_INT(kiosk_store_check(st, msg, sizeof msg), KIOSK_OK);
	kiosk_locker_close(l);
	kiosk_store_close(st);
	fx_cleanup(path);
}

static void kerong_bank(void)
{
	opens_jams_alarms("kerong-cu16");
}

static void wkly_bank(void)
{
	opens_jams_alarms("wkly-24");
}

static void crash_between_intent_and_outcome_never_refires(void)
{
	struct kiosk_store *st;
	struct kiosk_locker *l;
	struct kiosk_door door;
	char why[256];
	fx_path(path, sizeof path);
	make_cfg("kerong-cu16");
	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
	CHECK_INT(kiosk_locker_open(&cfg, st, true, &l, why, sizeof why), KIOSK_OK);
	/* The intent is committed … and the kiosk dies before the frame goes out. */
	CHECK_INT(kiosk_compartment_open_intent(st, "B1", "8001", &door), KIOSK_OK);
	kiosk_locker_close(l);
	kiosk_store_close(st);

	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK); /* recovery */
	struct kiosk_recovery rec;
	kiosk_store_last_recovery(st, &rec);
	CHECK_INT(rec.doors_unknown, 1);
	CHECK_INT(kiosk_locker_open(&cfg, st, true, &l, why, sizeof why), KIOSK_OK);
	for (int i = 0; i < 3; i++)
		CHECK_INT(kiosk_locker_poll(l), KIOSK_OK);
	CHECK_INT(kiosk_locker_sim_unlocks(l), 0); /* nothing was re-sent */
	struct kiosk_compartment c;
	kiosk_compartment_get(st, "B1", &c);
	CHECK_STR(c.state, "unknown");
	kiosk_locker_close(l);
	kiosk_store_close(st);
	fx_cleanup(path);
}

static void bad_bank_is_refused(void)
{
	struct kiosk_store *st;
	struct kiosk_locker *l;
	char why[256] = "";
	fx_path(path, sizeof path);
	make_cfg("acme-9000");
	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
	CHECK_INT(kiosk_locker_open(&cfg, st, true, &l, why, sizeof why), KIOSK_ENOENT);
	CHECK_HAS(why, "lock driver 'acme-9000'");
	make_cfg("kerong-cu16");
	cfg.compartments[3].lock = 20; /* a Kerong board has 16 locks */
	CHECK_INT(kiosk_locker_open(&cfg, st, true, &l, why, sizeof why), KIOSK_ECONFIG);
	CHECK_HAS(why, "kerong-cu16 has no board 0 lock 20");
	make_cfg("kerong-cu16");
	snprintf(cfg.lock.port, sizeof cfg.lock.port, "/nonexistent/tty");
	CHECK_INT(kiosk_locker_open(&cfg, st, false, &l, why, sizeof why), KIOSK_ENOENT);
	CHECK_HAS(why, "/nonexistent/tty");
	cfg.ncompartments = 0;
	CHECK_INT(kiosk_locker_open(&cfg, st, false, &l, why, sizeof why), KIOSK_OK);
	CHECK(l == NULL); /* no bank configured: no locker */
	kiosk_store_close(st);
	fx_cleanup(path);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"kerong_bank", kerong_bank},
		{"wkly_bank", wkly_bank},
		{"crash_between_intent_and_outcome_never_refires",
		 crash_between_intent_and_outcome_never_refires},
		{"bad_bank_is_refused", bad_bank_is_refused},
		{0},
	};
	setenv("KIOSK_LOG", "error", 0);
	return test_main(argc, argv, cases);
}
