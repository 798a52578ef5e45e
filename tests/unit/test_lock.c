/* Lock boards: the frame codecs against the example frames of PROTOCOLS.md, and both
 * drivers against their simulators over a real pty, for every command and every fault. */
#include "hal/lock/frames.h"
#include "hal/lock/lock.h"
#include "hal/lock/sim.h"
#include "hal/base/error.h"
#include "../test.h"

#include <errno.h>
#include <pthread.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <unistd.h>

static int bytes_eq(const uint8_t *a, size_t n, const char *hex)
{
	char got[128] = "";
	for (size_t i = 0; i < n; i++)
		snprintf(got + strlen(got), sizeof got - strlen(got), "%s%02X", i ? " " : "", a[i]);
	if (strcmp(got, hex) != 0) {
		fprintf(stderr, "  frame %s, expected %s\n", got, hex);
		return 0;
	}
	return 1;
}

static void kerong_frames_match_the_manual(void)
{
	static const struct {
		uint8_t addr, cmd;
		const char *hex;
	} rows[] = {
		{0x00, KR_QUERY, "02 00 30 03 35"},
		{0x00, KR_UNLOCK, "02 00 31 03 36"},
		{0xF0, KR_QUERY_BUS, "02 F0 32 03 27"},
		{0x00, KR_UNLOCK_ALL, "02 00 33 03 38"},
	};
	uint8_t out[16];
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct kr_frame f = {.addr = rows[i].addr, .cmd = rows[i].cmd};
		size_t n = kr_encode(&f, out, sizeof out);
		CHECK(bytes_eq(out, n, rows[i].hex));
		struct kr_frame d;
		size_t used;
		CHECK_INT(kr_decode(out, n, &d, &used), HAL_FRAME_OK);
		CHECK_INT(used, n);
		CHECK_INT(d.cmd, rows[i].cmd);
	}
	/* A status reply: lock 1 closed, lock 9 closed, item in lock 2. */
	const uint8_t st[] = {0x02, 0x10, 0x35, 0x01, 0x01, 0x02, 0x00, 0x03, 0x00};
	uint8_t buf[16];
	memcpy(buf, st, sizeof st);
	unsigned sum = 0;
	for (int i = 0; i < 8; i++)
		sum += buf[i];
	buf[8] = (uint8_t)sum;
	struct kr_frame d;
	size_t used;
	CHECK_INT(kr_decode(buf, 9, &d, &used), HAL_FRAME_OK);
	CHECK_INT(d.addr, 0x10);
	CHECK_INT(d.ndata, 4);
	CHECK_INT(d.data[2], 0x02);
	/* Refusals: partial, bad checksum, garbage before, unknown command. */
	CHECK_INT(kr_decode(buf, 6, &d, &used), HAL_FRAME_NEED);
	buf[8] ^= 1;
	CHECK_INT(kr_decode(buf, 9, &d, &used), HAL_FRAME_JUNK);
	CHECK_INT(used, 1);
	const uint8_t junk[] = {0xAA, 0x55, 0x02, 0x00, 0x30, 0x03, 0x35};
	CHECK_INT(kr_decode(junk, sizeof junk, &d, &used), HAL_FRAME_JUNK);
	CHECK_INT(used, 2);
	CHECK_INT(kr_decode(junk + 2, 5, &d, &used), HAL_FRAME_OK);
	const uint8_t unknown[] = {0x02, 0x00, 0x99, 0x03, 0x9E};
	CHECK_INT(kr_decode(unknown, sizeof unknown, &d, &used), HAL_FRAME_JUNK);
}

static void wkly_frames_match_the_manual(void)
{
	uint8_t out[64];
	struct wk_frame f = {.addr = 0, .cmd = WK_OPEN, .ndata = 1, .data = {1}};
	CHECK(bytes_eq(out, wk_encode(&f, out, sizeof out), "57 4B 4C 59 09 00 82 01 83"));
	f = (struct wk_frame){.addr = 0, .cmd = WK_QUERY_ALL};
	CHECK(bytes_eq(out, wk_encode(&f, out, sizeof out), "57 4B 4C 59 08 00 84 85"));
	const uint8_t push[] = {0x57, 0x4B, 0x4C, 0x59, 0x0A, 0x00, 0x85, 0x01, 0x01, 0x86};
	struct wk_frame d;
	size_t used;
	CHECK_INT(wk_decode(push, sizeof push, &d, &used), HAL_FRAME_OK);
	CHECK_INT(d.cmd, WK_PUSH);
	CHECK_INT(d.ndata, 2);
	CHECK_INT(d.data[0], 1);
	CHECK_INT(d.data[1], 1);
	CHECK_INT(wk_decode(push, 7, &d, &used), HAL_FRAME_NEED);
	CHECK_INT(wk_decode(push, 3, &d, &used), HAL_FRAME_NEED); /* a magic still coming */
	uint8_t bad[sizeof push];
	memcpy(bad, push, sizeof push);
	bad[9] ^= 0xFF;
	CHECK_INT(wk_decode(bad, sizeof bad, &d, &used), HAL_FRAME_JUNK);
	bad[9] ^= 0xFF;
	bad[4] = 0x02; /* impossible length */
	CHECK_INT(wk_decode(bad, sizeof bad, &d, &used), HAL_FRAME_JUNK);
	const uint8_t lead[] = {0x11, 0x22, 0x57, 0x4B};
	CHECK_INT(wk_decode(lead, sizeof lead, &d, &used), HAL_FRAME_JUNK);
	CHECK_INT(used, 2);
}

struct rig {
	struct lock_sim *sim;
	struct hal_lock *lock;
	pthread_t thread;
	volatile int stop;
	char link[64];
};

static void *sim_thread(void *arg)
{
	struct rig *r = arg;
	lock_sim_run(r->sim, &r->stop);
	return NULL;
}

static int rig_up(struct rig *r, const char *driver, const char *const *faults)
{
	memset(r, 0, sizeof *r);
	snprintf(r->link, sizeof r->link, "/tmp/kiosk-lock-%d-%s", getpid(), driver);
	int rc = lock_sim_new(driver, r->link, 2, 0, &r->sim);
	if (rc)
		return rc;
	for (int i = 0; faults && faults[i]; i++)
		if (lock_sim_fault(r->sim, faults[i]))
			return KIOSK_EINVAL;
	pthread_create(&r->thread, NULL, sim_thread, r);
	return hal_lock_open(driver, r->link, &r->lock);
}

static void rig_down(struct rig *r)
{
	r->stop = 1;
	pthread_join(r->thread, NULL);
	hal_lock_close(r->lock);
	lock_sim_free(r->sim);
}

static void driver_commands(const char *driver, int nlocks)
{
	struct rig r;
	struct hal_lock_status st;
	CHECK_INT(rig_up(&r, driver, NULL), KIOSK_OK);
	CHECK_INT(hal_lock_status(r.lock, 1, &st), KIOSK_OK);
	CHECK_INT(st.nlocks, nlocks);
	for (int i = 0; i < nlocks; i++)
		CHECK(st.closed[i]);
	CHECK_INT(hal_lock_unlock(r.lock, 1, 3), KIOSK_OK);
	CHECK(!lock_sim_closed(r.sim, 1, 3));
	CHECK_INT(hal_lock_status(r.lock, 1, &st), KIOSK_OK);
	CHECK(!st.closed[2]);
	CHECK(st.closed[3]);
	CHECK_INT(lock_sim_command(r.sim, "close 1 3"), KIOSK_OK);
	CHECK_INT(lock_sim_command(r.sim, "item 0 2 1"), KIOSK_OK);
	CHECK_INT(lock_sim_command(r.sim, "close 9 3"), KIOSK_EINVAL);
	CHECK_INT(hal_lock_unlock_all(r.lock, 0), KIOSK_OK);
	/* open-all has no reply on some boards: wait until the board (the simulator) has
	 * acted on it — its own state, bounded, no frames in between to collide with the
	 * command — then ask the board what it says */
	bool all_open = false;
	for (int k = 0; k < 3000 && !all_open; k++) {
		all_open = true;
		for (int i = 1; i <= nlocks; i++)
			all_open = all_open && !lock_sim_closed(r.sim, 0, i);
		if (!all_open)
			usleep(1000);
	}
	CHECK(all_open);
	CHECK_INT(hal_lock_status(r.lock, 0, &st), KIOSK_OK);
	for (int i = 0; i < nlocks; i++)
		CHECK(!st.closed[i]);
	if (st.has_item_sensor)
		CHECK(st.item[1]);
	/* Refusals before the wire. */
	CHECK_INT(hal_lock_unlock(r.lock, 0, nlocks + 1), KIOSK_EINVAL);
	CHECK_INT(hal_lock_unlock(r.lock, 0, 0), KIOSK_EINVAL);
	CHECK_INT(hal_lock_status(r.lock, 40, &st), KIOSK_EINVAL);
	/* A board that is not on the bus is silent. */
	CHECK_INT(hal_lock_status(r.lock, 5, &st), KIOSK_ETIMEDOUT);
	rig_down(&r);
}

static void kerong_against_simulator(void)
{
	driver_commands("kerong-cu16", 16);
}

static void wkly_against_simulator(void)
{
	driver_commands("wkly-24", 24);
	struct rig r;
	struct hal_lock_event ev;
	CHECK_INT(rig_up(&r, "wkly-24", NULL), KIOSK_OK);
	CHECK_INT(hal_lock_poll_event(r.lock, &ev, 50), 0); /* nothing yet */
	CHECK_INT(lock_sim_command(r.sim, "force-open 1 7"), KIOSK_OK);
	CHECK_INT(hal_lock_poll_event(r.lock, &ev, 500), 1);
	CHECK_INT(ev.board, 1);
	CHECK_INT(ev.lock, 7);
	CHECK(!ev.closed);
	rig_down(&r);
}

static void faults(const char *driver)
{
	struct rig r;
	struct hal_lock_status st;
	struct hal_lock_stats s;
	const char *jam[] = {"jam:0:5", NULL};
	CHECK_INT(rig_up(&r, driver, jam), KIOSK_OK);
	CHECK_INT(hal_lock_unlock(r.lock, 0, 5), KIOSK_EDEVICE); /* stays shut: jammed */
	CHECK_INT(hal_lock_unlock(r.lock, 0, 6), KIOSK_OK);
	rig_down(&r);

	const char *silent[] = {"no-reply", NULL};
	CHECK_INT(rig_up(&r, driver, silent), KIOSK_OK);
	CHECK_INT(hal_lock_status(r.lock, 0, &st), KIOSK_ETIMEDOUT);
	hal_lock_stats(r.lock, &s);
	CHECK_INT(s.retries, 2);
	CHECK_INT(s.timeouts, 1);
	rig_down(&r);

	const char *bad[] = {"bad-checksum", NULL};
	CHECK_INT(rig_up(&r, driver, bad), KIOSK_OK);
	CHECK_INT(hal_lock_status(r.lock, 0, &st), KIOSK_EPROTO); /* never trusted */
	hal_lock_stats(r.lock, &s);
	CHECK(s.bad_frames >= 3);
	rig_down(&r);

	const char *noisy[] = {"garbage", "slow:60", NULL};
	CHECK_INT(rig_up(&r, driver, noisy), KIOSK_OK);
	CHECK_INT(hal_lock_status(r.lock, 0, &st), KIOSK_OK);
	hal_lock_stats(r.lock, &s);
	CHECK(s.junk_bytes >= 7);
	rig_down(&r);

	const char *drop[] = {"drop-first:1", NULL};
	CHECK_INT(rig_up(&r, driver, drop), KIOSK_OK);
	CHECK_INT(hal_lock_status(r.lock, 0, &st), KIOSK_OK);
	hal_lock_stats(r.lock, &s);
	CHECK_INT(s.retries, 1);
	rig_down(&r);

	/* Replies later than the driver waits: the door opens on the first frame, and it
	 * is reported opened, with one unlock frame on the wire (before: three OPENs and
	 * "no reply"). A late reply is not taken for the answer to a later request. */
	const char *late[] = {"slow:400", NULL};
	int cmd = strcmp(driver, "wkly-24") == 0 ? WK_OPEN : KR_UNLOCK;
	CHECK_INT(rig_up(&r, driver, late), KIOSK_OK);
	CHECK_INT(hal_lock_unlock(r.lock, 0, 3), KIOSK_OK);
	CHECK(!lock_sim_closed(r.sim, 0, 3));
	CHECK_INT(lock_sim_frames(r.sim, cmd), 1);
	rig_down(&r);

	/* A board that drops the unlock frame: the door is read closed, and only then a
	 * second frame goes out. */
	const char *lost[] = {"drop-first:1", NULL};
	CHECK_INT(rig_up(&r, driver, lost), KIOSK_OK);
	CHECK_INT(hal_lock_unlock(r.lock, 0, 4), KIOSK_OK);
	CHECK(!lock_sim_closed(r.sim, 0, 4));
	CHECK_INT(lock_sim_frames(r.sim, cmd), 2);
	rig_down(&r);

	/* Silent: no reply to the unlock and none to the read: one frame, then nothing
	 * more is fired at that door (its state is unknown). */
	const char *mute[] = {"no-reply", NULL};
	CHECK_INT(rig_up(&r, driver, mute), KIOSK_OK);
	CHECK(hal_lock_unlock(r.lock, 0, 5) != KIOSK_OK);
	CHECK_INT(lock_sim_frames(r.sim, cmd), 1);
	rig_down(&r);
}

/* A board variant that answers query-one in 10 bytes (CH DOOR): a jammed door (its open
 * answered FF) is reported jammed — not "no reply from the board" — after query-all
 * confirms it is shut; a lost open reply is still found open; one OPEN frame each time. */
static void wkly_short_query_variant(void)
{
	struct rig r;
	const char *variant_jam[] = {"short-query", "jam:0:5", NULL};
	CHECK_INT(rig_up(&r, "wkly-24", variant_jam), KIOSK_OK);
	CHECK_INT(hal_lock_unlock(r.lock, 0, 5), KIOSK_EDEVICE);
	CHECK_INT(lock_sim_frames(r.sim, WK_OPEN), 1);
	CHECK_INT(lock_sim_frames(r.sim, WK_QUERY), 1);
	CHECK_INT(lock_sim_frames(r.sim, WK_QUERY_ALL), 1); /* confirmed before concluding */
	CHECK(lock_sim_closed(r.sim, 0, 5));
	CHECK_INT(hal_lock_unlock(r.lock, 0, 6), KIOSK_OK); /* the others open as before */
	CHECK(!lock_sim_closed(r.sim, 0, 6));
	rig_down(&r);

	const char *variant_lost[] = {"short-query", "drop-first:1", NULL};
	CHECK_INT(rig_up(&r, "wkly-24", variant_lost), KIOSK_OK);
	CHECK_INT(hal_lock_unlock(r.lock, 0, 4), KIOSK_OK); /* read shut, opened once more */
	CHECK(!lock_sim_closed(r.sim, 0, 4));
	CHECK_INT(lock_sim_frames(r.sim, WK_OPEN), 2);
	rig_down(&r);
}

static void kerong_faults(void)
{
	faults("kerong-cu16");
}

static void wkly_faults(void)
{
	faults("wkly-24");
}

static void bad_setup_is_refused(void)
{
	struct hal_lock *l;
	struct lock_sim *s;
	CHECK_INT(hal_lock_open("acme-9000", "/dev/null", &l), KIOSK_ENOENT);
	CHECK(l == NULL);
	CHECK_INT(hal_lock_open("kerong-cu16", "/nonexistent/tty", &l), KIOSK_ENOENT);
	CHECK_INT(hal_lock_open("kerong-cu16", "/dev/null", &l), KIOSK_EIO); /* not a tty */
	CHECK_INT(lock_sim_new("acme-9000", "/tmp/x", 1, 0, &s), KIOSK_ENOENT);
	CHECK_INT(lock_sim_new("kerong-cu16", "/tmp/x", 17, 0, &s), KIOSK_EINVAL);
	struct rig r;
	CHECK_INT(rig_up(&r, "kerong-cu16", NULL), KIOSK_OK);
	CHECK_INT(lock_sim_fault(r.sim, "jam:9:1"), KIOSK_EINVAL);
	CHECK_INT(lock_sim_fault(r.sim, "explode"), KIOSK_EINVAL);
	/* The port is ours alone while open. */
	CHECK_INT(hal_lock_open("kerong-cu16", r.link, &l), KIOSK_EBUSY);
	rig_down(&r);
}

/* A quick restart: the new simulator's link survives the old one's exit. */
static void stopping_simulator_keeps_a_newer_link(void)
{
	char link[64], a[128], b[128];
	snprintf(link, sizeof link, "/tmp/kiosk-simlink-%d", (int)getpid());
	struct lock_sim *old, *fresh;
	CHECK_INT(lock_sim_new("kerong-cu16", link, 1, 0, &old), KIOSK_OK);
	ssize_t n = readlink(link, a, sizeof a - 1);
	CHECK(n > 0);
	a[n > 0 ? n : 0] = '\0';
	CHECK_INT(lock_sim_new("kerong-cu16", link, 1, 0, &fresh), KIOSK_OK);
	lock_sim_free(old);
	n = readlink(link, b, sizeof b - 1);
	CHECK(n > 0);
	b[n > 0 ? n : 0] = '\0';
	CHECK(strcmp(a, b) != 0); /* still the new one's pty */
	lock_sim_free(fresh);
	CHECK(access(link, F_OK) != 0 && errno == ENOENT);
	struct stat sb;
	CHECK(lstat(link, &sb) != 0); /* and its own link went with it */
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"kerong_frames_match_the_manual", kerong_frames_match_the_manual},
		{"wkly_frames_match_the_manual", wkly_frames_match_the_manual},
		{"kerong_against_simulator", kerong_against_simulator},
		{"wkly_against_simulator", wkly_against_simulator},
		{"kerong_faults", kerong_faults},
		{"wkly_faults", wkly_faults},
		{"wkly_short_query_variant", wkly_short_query_variant},
		{"bad_setup_is_refused", bad_setup_is_refused},
		{"stopping_simulator_keeps_a_newer_link", stopping_simulator_keeps_a_newer_link},
		{0},
	};
	setenv("KIOSK_LOG", "error", 0);
	return test_main(argc, argv, cases);
}
