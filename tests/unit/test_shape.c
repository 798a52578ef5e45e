/* One shape for every device and every flow: a flow and a device bus added here, in the
 * test, without a line of the core changed — the proof that the vending board, MDB, the
 * printer and scanners (buses) and vend or 助餐 (flows) will not need one either.
 *
 * The toy bus serves a device that polls the host every 20 ms (as the FA FB vending board
 * does) while "the core" never looks at the bus at all, waiting for the device to finish:
 * the bus's worker answers from the mailbox the core filled ahead. (How fast it answers is
 * make bench's, not a test's.) The toy flow opens a door of the
 * simulated bank through its ports, follows the rounds, sets a timer and hears the session
 * end, all through the handler table the screen uses. */
#include "kiosk/bus/bus.h"
#include "kiosk/core.h"
#include "kiosk/flow/flow.h"
#include "hal/base/alloc.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "core_fixture.h"
#include "../test.h"
#include "../toy/toy_bus.h"

#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* ---- the toy device bus (tests/toy/toy_bus.c) ---- */

#define POLLS 40

/* Waits (5 s at most) for the bus's next outcome. */
static bool take(struct kiosk_bus *b, struct toy_out *o)
{
	for (int64_t end = kiosk_mono_ms() + 5000; kiosk_mono_ms() < end;) {
		if (kiosk_bus_take(b, o))
			return true;
		struct pollfd p = {kiosk_bus_fd(b), POLLIN, 0};
		poll(&p, 1, 100);
	}
	return false;
}

static void bus_answers_the_device_whatever_the_core_does(void)
{
	int sv[2];
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	struct toy_dev *d = kiosk_calloc(1, sizeof *d);
	d->fd = sv[0];
	struct kiosk_bus *b = NULL;
	CHECK_INT(kiosk_bus_start(&toy_bus_ops, d, &b), KIOSK_OK);
	/* The core leaves three commands for the device, then does not touch the bus until
	 * the device has polled 40 times: every answer is the worker's. */
	CHECK_INT(kiosk_bus_mail_put(b, "x", 1), KIOSK_OK);
	CHECK_INT(kiosk_bus_mail_put(b, "y", 1), KIOSK_OK);
	CHECK_INT(kiosk_bus_mail_put(b, "z", 1), KIOSK_OK);
	CHECK_INT(kiosk_bus_mail_put(b, "too long for one message, far too long, longer than 64 bytes!!", 70),
		  KIOSK_EINVAL);
	struct toy_device dv = {.fd = sv[1], .polls = POLLS, .period_ms = 20};
	pthread_t t;
	CHECK(pthread_create(&t, NULL, toy_device_main, &dv) == 0);
	pthread_join(t, NULL); /* the core, not looking at the bus at all */
	/* Every poll answered; each command went out once, in order. */
	CHECK_INT(dv.answered, POLLS);
	CHECK_INT(dv.ngot, 3);
	CHECK(memcmp(dv.got, "xyz", 3) == 0);
	CHECK_INT(kiosk_bus_mail_count(b), 0);
	/* A job whose requester gave up before it reached the device is not run. */
	int64_t tag = 7;
	CHECK_INT(kiosk_bus_submit(b, &tag, kiosk_mono_ms() - 1), KIOSK_OK);
	tag = 8;
	CHECK_INT(kiosk_bus_submit(b, &tag, 0), KIOSK_OK);
	/* The outcomes reached the core's side: three deliveries, the expired job, the run
	 * one (in the order they happened). */
	int delivered = 0, expired = 0, ran = 0;
	for (int i = 0; i < 5; i++) {
		struct toy_out o;
		CHECK(take(b, &o));
		delivered += o.kind == 'D';
		expired += o.kind == 'E' && o.tag == 7 && o.rc == KIOSK_EEXPIRED;
		ran += o.kind == 'J' && o.tag == 8;
	}
	CHECK_INT(delivered, 3);
	CHECK_INT(expired, 1);
	CHECK_INT(ran, 1);
	/* Health is the bus's to report, as it is. */
	char why[KIOSK_BUS_REASON];
	CHECK_INT(kiosk_bus_health(b, why, sizeof why), KIOSK_BUS_OK);
	kiosk_bus_set_health(b, KIOSK_BUS_FAULT, "device does not answer");
	CHECK_INT(kiosk_bus_health(b, why, sizeof why), KIOSK_BUS_FAULT);
	CHECK_STR(why, "device does not answer");
	/* A full job queue refuses at once (the core never waits on a bus). The worker may be
	 * taking jobs meanwhile, so fill it until it says so. */
	int rc = KIOSK_OK;
	for (int i = 0; i < 1000 && rc == KIOSK_OK; i++)
		rc = kiosk_bus_submit(b, &tag, 0);
	CHECK_INT(rc, KIOSK_EBUSY);
	kiosk_bus_stop(b); /* clean, with jobs still queued */
	close(sv[1]);
}

static void bus_refuses_a_contract_it_cannot_keep(void)
{
	struct kiosk_bus *b = (struct kiosk_bus *)1;
	struct kiosk_bus_ops bad = toy_bus_ops;
	bad.job_size = KIOSK_BUS_JOB_MAX + 1;
	int dummy;
	CHECK_INT(kiosk_bus_start(&bad, &dummy, &b), KIOSK_EINVAL);
	CHECK(b == NULL);
	bad = toy_bus_ops;
	bad.round_step = NULL;
	bad.expire_job = NULL;
	CHECK_INT(kiosk_bus_start(&bad, &dummy, &b), KIOSK_EINVAL);
	bad = toy_bus_ops;
	bad.outcomes_for_jobs = bad.outcomes;
	CHECK_INT(kiosk_bus_start(&bad, &dummy, &b), KIOSK_EINVAL);
}

/* ---- the toy flow ---- */

static atomic_int toy_started, toy_ticks, toy_outcomes, toy_rounds, toy_ended, toy_last_rc;

struct toy_session {
	int64_t op;
	bool following;
};

static int64_t toy_tick(struct kiosk_fctx *x, int id)
{
	(void)x;
	(void)id;
	return atomic_fetch_add(&toy_ticks, 1) + 1 < 3 ? 10 : -1;
}

static void toy_start(struct kiosk_fctx *x)
{
	atomic_store(&toy_started, 1);
	CHECK(x->p->timer_add(x, 10, toy_tick) > 0);
}

/* "open C": the door, for the person at the screen only. */
static int toy_run(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		   struct kiosk_result *res)
{
	struct toy_session *s = x->session;
	struct kiosk_door door;
	KIOSK_TERM(cmd->u.name.text);
	if (rq->actor.kind != KIOSK_ACTOR_SESSION)
		return KIOSK_EDENIED;
	if (strncmp(cmd->u.name.text, "open ", 5) != 0)
		return KIOSK_EINVAL;
	int rc = x->p->door_ready(x);
	if (rc == KIOSK_OK)
		rc = kiosk_compartment_open_intent(x->p->store, cmd->u.name.text + 5, "toy", &door);
	if (rc)
		return rc;
	s->op = door.op;
	s->following = true;
	res->u.count.n = door.op;
	return x->p->door_open(x, rq, res, &door);
}

static void toy_outcome(struct kiosk_fctx *x, const struct kiosk_door *door, int rc)
{
	struct toy_session *s = x->session;
	if (door->op == s->op) {
		atomic_fetch_add(&toy_outcomes, 1);
		atomic_store(&toy_last_rc, rc);
	}
}

static void toy_round(struct kiosk_fctx *x)
{
	struct toy_session *s = x->session;
	if (s->following)
		atomic_fetch_add(&toy_rounds, 1);
}

static void toy_end(struct kiosk_fctx *x)
{
	struct toy_session *s = x->session;
	atomic_store(&toy_ended, s->following ? 2 : 1);
}

static const struct kiosk_cmd_handler toy_handlers[] = {{KIOSK_CMD_EXT, toy_run}, {0}};

static const struct kiosk_flow toy_flow = {
	.name = "toy",
	.session_size = sizeof(struct toy_session),
	.handlers = toy_handlers,
	.on_start = toy_start,
	.on_device_outcome = toy_outcome,
	.on_round = toy_round,
	.on_session_end = toy_end,
};

static char why[256];

static struct kiosk_core *start_with(const struct kiosk_flow *const *flows, int *rc)
{
	struct kiosk_core *core = NULL;
	struct kiosk_core_opts o = {.cfg = &cf_cfg, .simulate = true, .test_clock = true,
				    .flows = flows};
	*rc = kiosk_core_start(&o, &core, why, sizeof why);
	return core;
}

static bool rounds_seen(const struct kiosk_snapshot *s)
{
	(void)s;
	return atomic_load(&toy_rounds) >= 2 && atomic_load(&toy_ticks) == 3;
}

static void toy_flow_runs_as_a_built_in_one(void)
{
	cf_make_cfg();
	static const struct kiosk_flow *const flows[] = {&toy_flow, NULL};
	int rc;
	struct kiosk_core *core = start_with(flows, &rc);
	CHECK_INT(rc, KIOSK_OK);
	CHECK_INT(atomic_load(&toy_started), 1);
	/* Its command goes through the same table as every other: a refusal changes nothing,
	 * and the door opens once, its result given after the flow heard the outcome. */
	CHECK_INT(cf_ask(core, KIOSK_CMD_EXT, 0, "close B3", NULL).rc, KIOSK_EINVAL);
	CHECK_INT(cf_ask(core, KIOSK_CMD_EXT, 0, "open Z9", NULL).rc, KIOSK_ENOENT);
	struct kiosk_result r = cf_ask(core, KIOSK_CMD_EXT, 0, "open B3", NULL);
	CHECK_INT(r.rc, KIOSK_OK);
	CHECK_STR(r.u.door.compartment, "B3");
	CHECK_INT(atomic_load(&toy_outcomes), 1);
	CHECK_INT(atomic_load(&toy_last_rc), KIOSK_OK);
	/* It follows the rounds, and its timer ran three times and stopped. */
	CHECK(cf_until(core, rounds_seen));
	/* The person leaves: the flow hears it while it still follows its door. */
	CHECK_INT(cf_ask(core, KIOSK_CMD_SESSION_END, 0, NULL, NULL).rc, KIOSK_OK);
	CHECK_INT(atomic_load(&toy_ended), 2);
	kiosk_core_stop(core);
	CHECK_INT(cf_rows("SELECT count(*) FROM door_op WHERE compartment = 'B3' AND state = 'opened'"),
		  1);
	CHECK_INT(cf_rows("SELECT count(*) FROM audit WHERE actor = 'toy'"), 1);
	cf_cleanup();
}

/* One handler per command: a flow that claims a command another serves is refused at
 * start, by name, and nothing runs. */
static void a_second_handler_for_a_command_is_refused(void)
{
	cf_make_cfg();
	static const struct kiosk_cmd_handler steal[] = {{KIOSK_CMD_PICKUP_OPEN, toy_run}, {0}};
	static const struct kiosk_flow thief = {.name = "thief", .handlers = steal};
	static const struct kiosk_flow *const flows[] = {&thief, NULL};
	int rc;
	struct kiosk_core *core = start_with(flows, &rc);
	CHECK_INT(rc, KIOSK_EINVAL);
	CHECK(core == NULL);
	char want[64];
	snprintf(want, sizeof want, "flow thief: command %d has a handler already",
		 (int)KIOSK_CMD_PICKUP_OPEN);
	CHECK_STR(why, want);
	/* Without it the same store starts (nothing was left locked or half made). */
	core = start_with(NULL, &rc);
	CHECK_INT(rc, KIOSK_OK);
	/* No built-in flow serves the extension command. */
	CHECK_INT(cf_ask(core, KIOSK_CMD_EXT, 0, "open B3", NULL).rc, KIOSK_EINVAL);
	kiosk_core_stop(core);
	cf_cleanup();
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"bus_answers_the_device_whatever_the_core_does",
		 bus_answers_the_device_whatever_the_core_does},
		{"bus_refuses_a_contract_it_cannot_keep", bus_refuses_a_contract_it_cannot_keep},
		{"toy_flow_runs_as_a_built_in_one", toy_flow_runs_as_a_built_in_one},
		{"a_second_handler_for_a_command_is_refused", a_second_handler_for_a_command_is_refused},
		{NULL, NULL},
	};
	return test_main(argc, argv, cases);
}
