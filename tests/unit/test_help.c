/* 一键呼叫 is true only when the platform has it: a core linked to the local platform over
 * loopback (both real). Stopped: the call is shown as not got through (the hotline) and
 * stays queued, retried within seconds, and turns to received when the platform is back.
 * Answering late: calling, then not got through when the ack is overdue, then received.
 * Answering: received only once the platform has stored the call. */
#include "core_fixture.h"
#include "plat_fixture.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "../test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct plat *plat;

static void platform_up(void)
{
	cf_make_cfg();
	plat = pf_start("K-H1", 5);
}

static void done(void)
{
	plat_stop(plat);
	plat = NULL;
	cf_cleanup();
}

static bool online(const struct kiosk_snapshot *s)
{
	return s->net == KIOSK_NET_ONLINE && s->outbox_unsent == 0;
}

static bool calling(const struct kiosk_snapshot *s)
{
	return s->session.help == KIOSK_HELP_CALLING;
}

static bool unreachable(const struct kiosk_snapshot *s)
{
	return s->session.help == KIOSK_HELP_UNREACHABLE;
}

static bool received(const struct kiosk_snapshot *s)
{
	return s->session.help == KIOSK_HELP_RECEIVED;
}

/* while a call is unsent, the next try is never more than 5 s away */
static bool retried_soon(const struct kiosk_snapshot *s)
{
	return s->session.help == KIOSK_HELP_UNREACHABLE && s->sync_next_try_ms > 0 &&
	       s->sync_next_try_ms - s->now_ms <= 5000 + 100;
}

static long long stored_calls(void)
{
	return plat_one(plat, "SELECT count(*) FROM event WHERE type = 'help.requested'");
}

static void call(struct kiosk_core *core)
{
	struct kiosk_cmd cmd = {.type = KIOSK_CMD_HELP};
	snprintf(cmd.u.help.lang, sizeof cmd.u.help.lang, "zh");
	CHECK_INT(cf_submit(core, &cmd).rc, KIOSK_OK);
}

static void platform_stopped_then_back(void)
{
	platform_up();
	struct kiosk_core *core = cf_start();
	CHECK(cf_until(core, online));
	struct plat_faults f = {.fail_rate = 1.0}; /* 503 to everything */
	plat_set_faults(plat, &f);
	call(core);
	CHECK(cf_until(core, unreachable));
	CHECK_INT(cf_rows("SELECT count(*) FROM outbox WHERE type = 'help.requested' AND sent = 0"),
		  1);
	CHECK_INT(stored_calls(), 0);
	/* failures pile up (each one a new snapshot), the next try stays within 5 s: with the
	 * usual back-off the sixth would be up to a minute away */
	int64_t until = kiosk_mono_ms() + 40000;
	uint64_t seen = 0;
	for (int fails = 0; fails < 6 && kiosk_mono_ms() < until;) {
		struct kiosk_snapshot s;
		kiosk_core_snapshot(core, &s);
		if (s.version != seen && s.sync_next_try_ms > 0) {
			seen = s.version;
			fails++;
			CHECK(retried_soon(&s));
		}
		usleep(5000);
	}
	memset(&f, 0, sizeof f);
	plat_set_faults(plat, &f);
	CHECK(cf_until(core, received));
	CHECK_INT(stored_calls(), 1);
	kiosk_core_stop(core);
	done();
}

static void platform_late_then_received(void)
{
	platform_up();
	cf_cfg.help_ack_wait_s = 1;
	struct kiosk_core *core = cf_start();
	CHECK(cf_until(core, online));
	struct plat_faults f = {.delay_ms = 2500};
	plat_set_faults(plat, &f);
	call(core);
	struct kiosk_snapshot s;
	kiosk_core_snapshot(core, &s);
	CHECK_INT(s.session.help, KIOSK_HELP_CALLING); /* nobody has been told yet */
	CHECK(cf_until(core, unreachable));           /* the ack is overdue */
	CHECK(cf_until(core, received));              /* and then it came */
	CHECK_INT(stored_calls(), 1);
	kiosk_core_stop(core);
	done();
}

static void platform_answering(void)
{
	platform_up();
	struct kiosk_core *core = cf_start();
	CHECK(cf_until(core, online));
	struct plat_faults f = {.delay_ms = 300};
	plat_set_faults(plat, &f);
	call(core);
	CHECK(cf_until(core, calling) || cf_until(core, received));
	CHECK(cf_until(core, received));
	CHECK_INT(stored_calls(), 1); /* received: the platform has it */
	/* the same call again within two minutes: no second page, still received */
	struct kiosk_cmd cmd = {.type = KIOSK_CMD_HELP};
	snprintf(cmd.u.help.lang, sizeof cmd.u.help.lang, "zh");
	struct kiosk_result r = cf_submit(core, &cmd);
	CHECK_INT(r.rc, KIOSK_OK);
	CHECK(r.u.help.already);
	CHECK(cf_until(core, received));
	CHECK_INT(stored_calls(), 1);
	kiosk_core_stop(core);
	done();
}

static bool connecting(const struct kiosk_snapshot *s)
{
	return s->version > 0 && s->net_connecting && s->net == KIOSK_NET_OFFLINE;
}

static bool offline_known(const struct kiosk_snapshot *s)
{
	return s->net == KIOSK_NET_OFFLINE && !s->net_connecting;
}

/* At start the status line says "connecting" until the first answer (or failure), not
 * "offline" while the platform may well be up. */
static void first_contact_is_connecting_not_offline(void)
{
	platform_up();
	struct plat_faults f = {.delay_ms = 1500};
	plat_set_faults(plat, &f);
	struct kiosk_core *core = cf_start();
	CHECK(cf_until(core, connecting));
	CHECK(cf_until(core, online));
	kiosk_core_stop(core);
	/* a platform that is down: once the first attempt failed, it is offline */
	plat_stop(plat);
	plat = NULL;
	core = cf_start();
	CHECK(cf_until(core, offline_known));
	kiosk_core_stop(core);
	cf_cleanup();
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"platform_stopped_then_back", platform_stopped_then_back},
		{"platform_late_then_received", platform_late_then_received},
		{"platform_answering", platform_answering},
		{"first_contact_is_connecting_not_offline", first_contact_is_connecting_not_offline},
		{0},
	};
	setenv("KIOSK_LOG", "warn", 0);
	return test_main(argc, argv, cases);
}
