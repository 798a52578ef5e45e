/* The locker service against the simulated boards over a pty: doors opened intent-first
 * with their outcome recorded, jams, forced doors, doors left open, silent boards, and
 * after a crash between intent and outcome no second unlock frame. */
#include "kiosk/locker.h"
#include "hal/lock/frames.h"
#include "store_fixture.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "hal/lock/sim.h"
#include "../test.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static char path[256];
static struct kiosk_config cfg;
static struct kiosk_loop *loop;
static int last_rc;

static void on_door(void *arg, const struct kiosk_door *door, int rc)
{
	(void)arg;
	(void)door;
	last_rc = rc;
}

static const struct kiosk_locker_hooks hooks = {.on_door = on_door};

static int open_locker(bool simulate, struct kiosk_store *st, struct kiosk_locker **l, char *why,
		       size_t n)
{
	if (!loop && kiosk_loop_new(&loop) != KIOSK_OK)
		return KIOSK_ENOMEM;
	return kiosk_locker_open(&cfg, st, simulate, loop, &hooks, l, why, n);
}

/* Runs the loop until *counter passes want (the bus's outcomes arrive on it). */
static bool run_until(struct kiosk_locker *l, unsigned long (*counter)(const struct kiosk_locker *),
		      unsigned long want)
{
	int64_t until = kiosk_mono_ms() + 10000;
	while (counter(l) < want && kiosk_mono_ms() < until)
		kiosk_loop_run_once(loop, 100);
	return counter(l) >= want;
}

/* Queues the unlock and waits for its outcome; returns it as on_door saw it. */
static int open_door(struct kiosk_locker *l, const struct kiosk_door *door)
{
	unsigned long before = kiosk_locker_outcomes(l);
	int rc = kiosk_locker_open_door(l, door, 0);
	if (rc)
		return rc;
	last_rc = 1;
	CHECK(run_until(l, kiosk_locker_outcomes, before + 1));
	return last_rc;
}

/* A monitor round that read the boards after now: a round may be half read when asked,
 * so the one after it. Returns KIOSK_OK when every board answered. */
static int poll_round(struct kiosk_locker *l)
{
	unsigned long before = kiosk_locker_rounds(l);
	kiosk_locker_poll_now(l);
	CHECK(run_until(l, kiosk_locker_rounds, before + 1));
	kiosk_locker_poll_now(l);
	CHECK(run_until(l, kiosk_locker_rounds, before + 2));
	return kiosk_locker_healthy(l) ? KIOSK_OK : KIOSK_ETIMEDOUT;
}

struct sim_run {
	struct lock_sim *sim;
	volatile int *stop;
};

static void *sim_thread(void *arg)
{
	struct sim_run *r = arg;
	lock_sim_run(r->sim, r->stop);
	return NULL;
}

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
	CHECK_INT(open_locker(true, st, &l, why, sizeof why), KIOSK_OK);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM compartment"), 4);
	CHECK_INT(poll_round(l), KIOSK_OK);
	CHECK_INT(events(st, "door.forced"), 0);

	CHECK_INT(kiosk_compartment_open_intent(st, "B2", "8001", &door), KIOSK_OK);
	CHECK_INT(open_door(l, &door), KIOSK_OK);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM door_op WHERE state = 'opened'"), 1);
	CHECK_INT(poll_round(l), KIOSK_OK);
	CHECK_INT(events(st, "door.forced"), 0); /* opened by us: not forced */
	fx_now += 61 * 1000;
	CHECK_INT(poll_round(l), KIOSK_OK);
	CHECK_INT(events(st, "door.left_open"), 1);
	CHECK_INT(poll_round(l), KIOSK_OK);
	CHECK_INT(events(st, "door.left_open"), 1); /* once per opening */
	CHECK_INT(kiosk_locker_sim(l, "close 0 2"), KIOSK_OK);

	CHECK_INT(kiosk_locker_sim(l, "fault jam:0:3"), KIOSK_OK);
	CHECK_INT(kiosk_compartment_open_intent(st, "B3", "8001", &door), KIOSK_OK);
	CHECK_INT(open_door(l, &door), KIOSK_EDEVICE);
	kiosk_compartment_get(st, "B3", &c);
	CHECK_STR(c.state, "faulty");
	CHECK_INT(events(st, "locker.fault"), 1);
	/* A faulty compartment is not opened again until the operator acts. */
	CHECK_INT(kiosk_compartment_open_intent(st, "B3", "8001", &door), KIOSK_ESTATE);

	CHECK_INT(kiosk_locker_sim(l, "force-open 0 4"), KIOSK_OK);
	/* rounds until the monitor has seen it (bounded), not a guessed sleep */
	for (int k = 0; k < 200 && events(st, "door.forced") == 0; k++)
		CHECK_INT(poll_round(l), KIOSK_OK);
	CHECK_INT(events(st, "door.forced"), 1);
	CHECK_INT(poll_round(l), KIOSK_OK);
	CHECK_INT(events(st, "door.forced"), 1);

	/* A parcel in B1 before the board goes silent. */
	char parcel[37], code[9];
	CHECK_INT(kiosk_person_upsert(st, "C1", "courier", "Wang", "SF", fx_pinhash("1234")),
		  KIOSK_OK);
	CHECK_INT(kiosk_parcel_deposit_begin(st, "C1", "SF77", "13812345678", KIOSK_SIZE_S,
					     parcel, &door),
		  KIOSK_OK);
	CHECK_STR(door.compartment, "B1");
	CHECK_INT(open_door(l, &door), KIOSK_OK);
	CHECK_INT(kiosk_locker_sim(l, "close 0 1"), KIOSK_OK);
	CHECK_INT(kiosk_parcel_deposit_commit(st, parcel, code), KIOSK_OK);

	/* The board goes silent: its compartments become unknown, the bus unhealthy. */
	CHECK_INT(kiosk_locker_sim(l, "fault no-reply"), KIOSK_OK);
	CHECK_INT(poll_round(l), KIOSK_ETIMEDOUT);
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
	CHECK(open_door(l, &door) != KIOSK_OK);
	kiosk_compartment_get(st, "B2", &c);
	CHECK_STR(c.state, "unknown");

	/* It answers again: B1 holds its parcel again and can be picked up; B2, whose own
	 * command went unanswered, waits for the operator; B3 stays faulty. */
	CHECK_INT(kiosk_locker_sim(l, "fault clear"), KIOSK_OK);
	CHECK_INT(poll_round(l), KIOSK_OK);
	CHECK(kiosk_locker_healthy(l));
	kiosk_compartment_get(st, "B1", &c);
	CHECK_STR(c.state, "occupied");
	kiosk_compartment_get(st, "B2", &c);
	CHECK_STR(c.state, "unknown");
	kiosk_compartment_get(st, "B3", &c);
	CHECK_STR(c.state, "faulty");
	CHECK_INT(poll_round(l), KIOSK_OK);
	kiosk_compartment_get(st, "B2", &c);
	CHECK_STR(c.state, "unknown");
	CHECK_INT(kiosk_pickup_open(st, parcel, &door), KIOSK_OK);
	CHECK_INT(open_door(l, &door), KIOSK_OK);
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

/* Silent boards: door requests queue up behind the first one, which is stuck on the
 * wire. Those whose deadline passed in the queue are dropped, reported not done, and
 * never fired later (before: every queued door opened once the bus came back, long after
 * kioskctl had given up); their compartments stay in service. */
static void late_requests_are_dropped_not_fired(const char *driver)
{
	struct kiosk_store *st;
	struct kiosk_locker *l;
	struct kiosk_door door[3];
	struct kiosk_compartment c;
	char why[256];
	fx_now = 1795867200000LL;
	fx_path(path, sizeof path);
	make_cfg(driver);
	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
	CHECK_INT(open_locker(true, st, &l, why, sizeof why), KIOSK_OK);
	CHECK_INT(poll_round(l), KIOSK_OK);
	CHECK_INT(kiosk_locker_sim(l, "fault no-reply"), KIOSK_OK);
	unsigned long unlocks = kiosk_locker_sim_unlocks(l), before = kiosk_locker_outcomes(l);
	for (int i = 0; i < 3; i++) {
		char id[4];
		snprintf(id, sizeof id, "B%d", i + 1);
		CHECK_INT(kiosk_compartment_open_intent(st, id, "8001", &door[i]), KIOSK_OK);
		/* The first has no deadline; the next two must be on the wire within 50 ms,
		 * which they cannot be while the first waits for a silent board. */
		CHECK_INT(kiosk_locker_open_door(l, &door[i], i ? kiosk_mono_ms() + 50 : 0),
			  KIOSK_OK);
	}
	CHECK(run_until(l, kiosk_locker_outcomes, before + 3));
	CHECK_INT(kiosk_locker_sim_unlocks(l) - unlocks, 1);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM door_op WHERE state = 'not_sent'"), 2);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM door_op WHERE state = 'unknown'"), 1);
	kiosk_compartment_get(st, "B2", &c);
	CHECK_STR(c.state, "free");
	kiosk_compartment_get(st, "B3", &c);
	CHECK_STR(c.state, "free");
	/* The bus answers again: still only the one frame, and B2 and B3 stayed shut. */
	CHECK_INT(kiosk_locker_sim(l, "fault clear"), KIOSK_OK);
	CHECK_INT(poll_round(l), KIOSK_OK);
	CHECK_INT(kiosk_locker_sim_unlocks(l) - unlocks, 1);
	CHECK(!kiosk_locker_door_open(l, "B2") && !kiosk_locker_door_open(l, "B3"));
	char msg[256];
	CHECK_INT(kiosk_store_check(st, msg, sizeof msg), KIOSK_OK);
	kiosk_locker_close(l);
	kiosk_store_close(st);
	fx_cleanup(path);
}

static void kerong_late_requests(void)
{
	late_requests_are_dropped_not_fired("kerong-cu16");
}

static void wkly_late_requests(void)
{
	late_requests_are_dropped_not_fired("wkly-24");
}

static void kerong_bank(void)
{
	opens_jams_alarms("kerong-cu16");
}

static void wkly_bank(void)
{
	opens_jams_alarms("wkly-24");
}

/* A real crash: a child process commits a door intent and is SIGKILLed before the frame
 * goes out. The boards are a simulator of the parent's, so every frame any process sends
 * is counted: after recovery and monitor rounds in a fresh locker, none was an unlock. */
static void crash_between_intent_and_outcome_never_refires(void)
{
	struct kiosk_store *st;
	struct kiosk_locker *l;
	struct kiosk_door door;
	struct lock_sim *sim;
	char why[256], link[300];
	volatile int stop = 0;
	fx_path(path, sizeof path);
	make_cfg("kerong-cu16");
	snprintf(link, sizeof link, "%s.tty", path);
	CHECK_INT(lock_sim_new("kerong-cu16", link, 1, 0, &sim), KIOSK_OK);
	snprintf(cfg.lock.port, sizeof cfg.lock.port, "%.250s", link);
	pid_t pid = fork();
	if (pid == 0) {
		/* The child: its own store connection and bus, then death mid-operation. */
		if (fx_open(path, NULL, &st) != KIOSK_OK ||
		    open_locker(false, st, &l, why, sizeof why) != KIOSK_OK ||
		    kiosk_compartment_open_intent(st, "B1", "8001", &door) != KIOSK_OK)
			_exit(3);
		raise(SIGKILL);
		_exit(4);
	}
	/* The parent plays the boards until the child is dead. */
	int status = 0;
	while (waitpid(pid, &status, WNOHANG) == 0)
		lock_sim_step(sim);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	CHECK_INT(lock_sim_frames(sim, KR_UNLOCK), 0);

	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK); /* recovery */
	struct kiosk_recovery rec;
	kiosk_store_last_recovery(st, &rec);
	CHECK_INT(rec.doors_unknown, 1);
	pthread_t th;
	struct sim_run run = {sim, &stop}; /* lives until the join below */
	CHECK_INT(pthread_create(&th, NULL, sim_thread, &run), 0);
	CHECK_INT(open_locker(false, st, &l, why, sizeof why), KIOSK_OK);
	for (int i = 0; i < 3; i++)
		CHECK_INT(poll_round(l), KIOSK_OK);
	struct kiosk_compartment c;
	kiosk_compartment_get(st, "B1", &c);
	CHECK_STR(c.state, "unknown");
	/* … and an operator's open of it is refused until someone has looked. */
	CHECK_INT(kiosk_compartment_open_intent(st, "B1", "8001", &door), KIOSK_ESTATE);
	kiosk_locker_close(l);
	stop = 1;
	pthread_join(th, NULL);
	CHECK_INT(lock_sim_frames(sim, KR_UNLOCK), 0); /* nothing was re-sent */
	CHECK(lock_sim_frames(sim, KR_QUERY) > 0);     /* though the boards were read */
	lock_sim_free(sim);
	kiosk_store_close(st);
	fx_cleanup(path);
}

/* The parcel the issue lost: the kiosk is killed while a deposit's door stands open, the
 * courier puts the parcel in and closes the door. After the restart the door's command
 * is unanswered (unknown), but the board's item sensor sees the parcel behind the closed
 * door: the deposit is completed (its code made for the SMS), the compartment occupied —
 * not left for an operator who might cancel it, nor handed to the next courier. */
static void crash_mid_deposit_recovered_by_item_sensor(void)
{
	struct kiosk_store *st;
	struct kiosk_locker *l;
	struct kiosk_door door;
	struct lock_sim *sim;
	char why[256], link[300], parcel[37];
	volatile int stop = 0;
	fx_path(path, sizeof path);
	make_cfg("kerong-cu16");
	snprintf(link, sizeof link, "%s.tty", path);
	CHECK_INT(lock_sim_new("kerong-cu16", link, 1, 0, &sim), KIOSK_OK);
	snprintf(cfg.lock.port, sizeof cfg.lock.port, "%.250s", link);
	pid_t pid = fork();
	if (pid == 0) {
		if (fx_open(path, NULL, &st) != KIOSK_OK ||
		    open_locker(false, st, &l, why, sizeof why) != KIOSK_OK ||
		    kiosk_person_upsert(st, "C1", "courier", "Wang", "SF", fx_pinhash("1234")) ||
		    kiosk_parcel_deposit_begin(st, "C1", "SF88", "13812345678", KIOSK_SIZE_S,
					       parcel, &door) != KIOSK_OK)
			_exit(3);
		raise(SIGKILL);
		_exit(4);
	}
	int status = 0;
	while (waitpid(pid, &status, WNOHANG) == 0)
		lock_sim_step(sim);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	/* The door was open; the courier put the parcel in and closed it. */
	CHECK_INT(lock_sim_command(sim, "put 0 1"), KIOSK_OK);

	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK); /* recovery: the door is unknown */
	struct kiosk_compartment c;
	kiosk_compartment_get(st, "B1", &c);
	CHECK_STR(c.state, "unknown");
	pthread_t th;
	struct sim_run run = {sim, &stop};
	CHECK_INT(pthread_create(&th, NULL, sim_thread, &run), 0);
	CHECK_INT(open_locker(false, st, &l, why, sizeof why), KIOSK_OK);
	CHECK_INT(poll_round(l), KIOSK_OK);
	kiosk_compartment_get(st, "B1", &c);
	CHECK_STR(c.state, "occupied");
	CHECK(c.item);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM parcel WHERE tracking_no = 'SF88'"
			     " AND state = 'deposited'"),
		  1);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM outbox WHERE type = 'parcel.deposited'"
			     " AND data LIKE '%pickup_code%'"),
		  1);
	/* The next courier's deposit of that size is not given B1. */
	CHECK_INT(kiosk_parcel_deposit_begin(st, "C1", "SF89", "13812345678", KIOSK_SIZE_S, parcel,
					     &door),
		  KIOSK_OK);
	CHECK(strcmp(door.compartment, "B1") != 0);
	kiosk_locker_close(l);
	stop = 1;
	pthread_join(th, NULL);
	CHECK_INT(lock_sim_frames(sim, KR_UNLOCK), 0); /* nothing was fired at it */
	char msg[256];
	CHECK_INT(kiosk_store_check(st, msg, sizeof msg), KIOSK_OK);
	kiosk_store_close(st);
	lock_sim_free(sim);
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
	CHECK_INT(open_locker(true, st, &l, why, sizeof why), KIOSK_ENOENT);
	CHECK_HAS(why, "lock driver 'acme-9000'");
	make_cfg("kerong-cu16");
	cfg.compartments[3].lock = 20; /* a Kerong board has 16 locks */
	CHECK_INT(open_locker(true, st, &l, why, sizeof why), KIOSK_ECONFIG);
	CHECK_HAS(why, "kerong-cu16 has no board 0 lock 20");
	make_cfg("kerong-cu16");
	snprintf(cfg.lock.port, sizeof cfg.lock.port, "/nonexistent/tty");
	CHECK_INT(open_locker(false, st, &l, why, sizeof why), KIOSK_ENOENT);
	CHECK_HAS(why, "/nonexistent/tty");
	cfg.ncompartments = 0;
	CHECK_INT(open_locker(false, st, &l, why, sizeof why), KIOSK_OK);
	CHECK(l == NULL); /* no bank configured: no locker */
	kiosk_store_close(st);
	fx_cleanup(path);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"kerong_bank", kerong_bank},
		{"kerong_late_requests", kerong_late_requests},
		{"wkly_late_requests", wkly_late_requests},
		{"wkly_bank", wkly_bank},
		{"crash_between_intent_and_outcome_never_refires",
		 crash_between_intent_and_outcome_never_refires},
		{"crash_mid_deposit_recovered_by_item_sensor",
		 crash_mid_deposit_recovered_by_item_sensor},
		{"bad_bank_is_refused", bad_bank_is_refused},
		{0},
	};
	setenv("KIOSK_LOG", "error", 0);
	int rc = test_main(argc, argv, cases);
	kiosk_loop_free(loop);
	return rc;
}
