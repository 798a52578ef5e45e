/* The generic machine: the core thread and its loop, the command queue, and the dispatch of
 * every command — from the screen, kioskctl or the platform — through the one handler
 * table the flows fill (kiosk/flow/flows.c). It names no flow and no device: the flows
 * reach the world through the ports (ports.c), the doors through doors.c, and what the
 * screens see is built in snapshot.c. */
#include "kiosk/core_int.h"
#include "kiosk/crypto.h"
#include "kiosk/sdnotify.h"
#include "hal/base/alloc.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The UI must show signs of life this often or the systemd watchdog is not fed and the
 * kiosk is restarted: a frozen screen is a broken kiosk even if the core runs. */
#define UI_STALL_MS 15000
#define TICK_MS 1000

int kiosk_core_run(struct kiosk_core *c, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		   struct kiosk_result *res)
{
	*res = (struct kiosk_result){.req = rq->req, .type = cmd->type};
	int rc;
	if (cmd->type == KIOSK_CMD_SESSION_END) {
		/* The person left (home, idle): nothing they proved outlives them. A door still
		 * on its way is recorded as always; only nobody is shown it. */
		rc = rq->actor.kind == KIOSK_ACTOR_SESSION ? KIOSK_OK : KIOSK_EDENIED;
		if (rc == KIOSK_OK)
			kiosk_core_flows_session_end(c);
	} else if ((unsigned)cmd->type < KIOSK_CMD_TYPE_COUNT && c->handler_of[cmd->type]) {
		struct kiosk_fctx *x = &c->fx[c->flow_of[cmd->type]];
		rc = c->handler_of[cmd->type]->run(x, rq, cmd, res);
	} else {
		rc = KIOSK_EINVAL;
	}
	kiosk_cleanse(&cmd->u, sizeof cmd->u); /* may hold a PIN or a pickup code */
	/* Outbox depth and session may have changed: the snapshot goes before the result, so
	 * the screen reading the result sees the session as the request left it. */
	kiosk_core_publish(c);
	if (rc == KIOSK_FLOW_PENDING)
		return rc;
	if (rc && rc != KIOSK_EDENIED && rc != KIOSK_ELOCKED)
		KLOG_WARN("core", "event=request_failed type=%d err=%s", cmd->type,
			  kiosk_errname(rc));
	res->rc = rc;
	return rc;
}

static void on_command(struct kiosk_loop *loop, int fd, short revents, void *arg)
{
	(void)fd;
	(void)revents;
	struct kiosk_core *c = arg;
	struct kiosk_cmd cmd;
	while (kiosk_cmdq_pop(c->q, &cmd)) {
		switch (cmd.type) {
		case KIOSK_CMD_HELLO:
			kiosk_core_publish(c);
			break;
		case KIOSK_CMD_QUIT:
			kiosk_loop_stop(loop);
			break;
		case KIOSK_CMD_UI_ALIVE:
			atomic_store(&c->ui_alive_mono, kiosk_mono_ms());
			break;
		case KIOSK_CMD_SCAN_AT: /* where the screen is: the core's, to route scans */
			kiosk_core_scan_at(c, &cmd);
			break;
		case KIOSK_CMD_USB_SEEN: /* the USB watch's thread: a device came or went */
			kiosk_core_usb_seen(c, &cmd);
			break;
		case KIOSK_CMD_PRINT_ROUTE: /* a view of the map on paper: no flow's */
			kiosk_core_print_route(
				c, &(struct kiosk_request){.req = cmd.req, .actor.kind = KIOSK_ACTOR_SESSION},
				&cmd);
			break;
		case KIOSK_CMD_COVERAGE: /* a view, like the neighbourhood: no flow's */
			kiosk_core_coverage_cmd(
				c, &(struct kiosk_request){.req = cmd.req, .actor.kind = KIOSK_ACTOR_SESSION},
				&cmd);
			break;
		default: {
			/* The screen's commands are the person's at it. */
			struct kiosk_request rq = {.req = cmd.req,
						   .actor.kind = KIOSK_ACTOR_SESSION};
			struct kiosk_result res;
			if (kiosk_core_run(c, &rq, &cmd, &res) != KIOSK_FLOW_PENDING)
				kiosk_core_answer(c, &rq, &res);
			kiosk_cleanse(&res, sizeof res); /* may have held a test pickup code */
			break;
		}
		}
	}
}

static int64_t on_tick(struct kiosk_loop *loop, int id, void *arg)
{
	(void)loop;
	(void)id;
	struct kiosk_core *c = arg;
	if (kiosk_mono_ms() - atomic_load(&c->ui_alive_mono) < UI_STALL_MS)
		kiosk_sd_notify("WATCHDOG=1");
	/* Every quarter minute: the map or the services may have changed (an import, the
	 * platform) — the screens' neighbourhood follows. */
	if (c->ticks % 15 == 14)
		kiosk_core_map_refresh_async(c);
	/* A full disk: tried every 5 s until the reserve is whole again, then said at once. */
	if (c->ticks % 5 == 4)
		kiosk_core_disk_tick(c);
	/* Once a minute: parcels past their keep time expire, unpaid reservations lapse. */
	if (++c->ticks % 60 == 0) {
		int n = kiosk_parcel_expire_due(c->store);
		int m = kiosk_compartment_release_expired(c->store);
		if (n > 0 || m > 0) {
			KLOG_INFO("core",
				  "event=housekeeping parcels_expired=%d reservations_released=%d", n,
				  m);
			kiosk_core_publish(c);
		}
	}
	return TICK_MS;
}

static void *core_main(void *arg)
{
	struct kiosk_core *c = arg;
	KLOG_INFO("core", "event=loop_start simulate=%d", c->simulate);
	int rc = kiosk_loop_run(c->loop);
	if (rc < 0)
		KLOG_ERROR("core", "event=loop_failed err=%s", kiosk_errname(rc));
	KLOG_INFO("core", "event=loop_end");
	if (c->notify)
		c->notify(c->notify_arg, KIOSK_NOTE_STOPPED);
	return NULL;
}

static void on_sync_changed(void *arg)
{
	kiosk_core_publish(arg);
}

/* The loop, the devices, the queue, the tick and the control socket. */
static int open_loop(struct kiosk_core *c, char *why, size_t why_len)
{
	int rc = kiosk_loop_new(&c->loop);
	if (rc)
		return rc;
	rc = kiosk_core_devices_open(c, why, why_len);
	if (rc == KIOSK_OK)
		rc = kiosk_work_new(c->loop, &c->work);
	if (rc == KIOSK_OK)
		rc = kiosk_cmdq_new(&c->q);
	if (rc == KIOSK_OK)
		rc = kiosk_loop_add_fd(c->loop, kiosk_cmdq_fd(c->q), POLLIN, on_command, c);
	if (rc == KIOSK_OK) {
		int t = kiosk_loop_add_timer(c->loop, TICK_MS, on_tick, c);
		rc = t < 0 ? t : KIOSK_OK;
	}
	if (rc == KIOSK_OK) {
		rc = kiosk_control_open(c->loop, c->cfg.control_socket, kiosk_core_on_control, c,
					&c->control);
		if (rc)
			snprintf(why, why_len, "control socket %s: %s", c->cfg.control_socket,
				 kiosk_strerror(rc));
	}
	return rc;
}

/* Frees what start made, in reverse (each NULL-safe). */
static void teardown(struct kiosk_core *c)
{
	kiosk_work_free(c->work); /* first: what it finishes answers nobody now */
	kiosk_core_flows_stop(c);
	kiosk_sync_close(c->sync);
	kiosk_control_close(c->control);
	kiosk_core_devices_close(c);
	kiosk_cmdq_free(c->q);
	kiosk_loop_free(c->loop);
	kiosk_core_ports_free(c);
	kiosk_store_close(c->store);
	kiosk_claim_release(&c->claim); /* the last: another kiosk may start only now */
	kiosk_cleanse(&c->auth, sizeof c->auth);
	kiosk_cleanse(c->test_code, sizeof c->test_code);
	kiosk_neighbourhood_put(c->nb);
	kiosk_core_coverage_stop(c);
	pthread_mutex_destroy(&c->snap_mu);
	kiosk_free(c);
}

int kiosk_core_start(const struct kiosk_core_opts *opts, struct kiosk_core **out, char *why,
		     size_t why_len)
{
	*out = NULL;
	snprintf(why, why_len, "%s", "");
	if (!opts || !opts->cfg)
		return KIOSK_EINVAL;
	struct kiosk_core *c = kiosk_calloc(1, sizeof *c);
	if (!c) {
		if (opts->claim)
			kiosk_claim_release(opts->claim);
		return KIOSK_ENOMEM;
	}
	c->cfg = *opts->cfg;
	c->file_cfg = c->cfg;
	c->simulate = opts->simulate;
	c->notify = opts->notify;
	c->notify_arg = opts->notify_arg;
	c->started_mono = kiosk_mono_ms();
	c->test_clock = opts->test_clock;
	c->extra_flows = opts->flows;
	c->claim = (struct kiosk_claim){-1, -1};
	if (opts->claim) { /* taken over, whatever happens next */
		c->claim = *opts->claim;
		*opts->claim = (struct kiosk_claim){-1, -1};
	}
	atomic_store(&kiosk_core_test_skew_ms, 0); /* a new core starts on the true clock */
	atomic_store(&c->ui_alive_mono, c->started_mono);
	pthread_mutex_init(&c->snap_mu, NULL);
	kiosk_errors_init();
	kiosk_core_init_devices(c);

	int rc = kiosk_core_ports_init(c, why, why_len);
	if (rc == KIOSK_OK)
		rc = kiosk_core_open_store(c, why, why_len);
	if (rc == KIOSK_OK)
		rc = open_loop(c, why, why_len);
	if (rc)
		goto out_teardown;
	c->ports.store = c->store;

	/* The platform link. A platform that is configured wrongly does not stop the kiosk
	 * (residents are served offline); the operator sees why on the Sync page. */
	struct kiosk_sync_opts so = {.cfg = &c->cfg, .loop = c->loop, .store = c->store,
				     .changed = on_sync_changed,
				     .heartbeat = kiosk_core_on_heartbeat,
				     .commands = kiosk_core_on_sync_commands,
				     .settings = kiosk_core_on_sync_settings, .arg = c};
	kiosk_core_apply_settings(c); /* what the platform set before a restart */
	kiosk_core_map_start(c);
	kiosk_core_disk_start(c);
	int left = kiosk_command_settle(c->store);
	if (left > 0)
		KLOG_WARN("core", "event=commands_interrupted n=%d", left);
	if (kiosk_sync_open(&so, &c->sync, c->sync_why, sizeof c->sync_why))
		KLOG_ERROR("sync", "event=no_link reason=\"%s\"", c->sync_why);
	kiosk_core_flows_start(c); /* e.g. payments a restart left open */

	/* Signals belong to the UI thread (SDL turns SIGINT/SIGTERM into SDL_QUIT): the
	 * core thread inherits a mask that blocks them. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	int perr = pthread_create(&c->thread, NULL, core_main, c);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (perr) {
		rc = kiosk_err_from_errno(perr);
		KLOG_ERROR("core", "event=thread_failed errno=%d", perr);
		goto out_teardown;
	}
	kiosk_sd_notify("READY=1");
	*out = c;
	return KIOSK_OK;

out_teardown:
	teardown(c);
	return rc;
}

int kiosk_core_send(struct kiosk_core *core, enum kiosk_cmd_type type)
{
	struct kiosk_cmd cmd = {.type = type};
	return kiosk_cmdq_push(core->q, &cmd);
}

int kiosk_core_submit(struct kiosk_core *core, const struct kiosk_cmd *cmd, uint32_t *req)
{
	struct kiosk_cmd copy = *cmd;
	do
		copy.req = atomic_fetch_add(&core->next_req, 1) + 1;
	while (copy.req == 0);
	int rc = kiosk_cmdq_push(core->q, &copy);
	if (rc == KIOSK_OK && req)
		*req = copy.req;
	kiosk_cleanse(&copy, sizeof copy); /* may hold a PIN */
	return rc;
}

int kiosk_core_result(struct kiosk_core *core, uint32_t req, struct kiosk_result *out)
{
	int found = 0;
	pthread_mutex_lock(&core->snap_mu);
	for (int i = 0; i < KIOSK_CORE_NRESULTS && req; i++) {
		if (core->results[i].req == req) {
			*out = core->results[i];
			core->results[i].req = 0;
			found = 1;
			break;
		}
	}
	pthread_mutex_unlock(&core->snap_mu);
	return found;
}

unsigned kiosk_core_requests_sent(struct kiosk_core *core)
{
	return atomic_load(&core->next_req);
}

void kiosk_core_snapshot(struct kiosk_core *core, struct kiosk_snapshot *out)
{
	pthread_mutex_lock(&core->snap_mu);
	*out = core->snap;
	pthread_mutex_unlock(&core->snap_mu);
}

void kiosk_core_stop(struct kiosk_core *core)
{
	if (!core)
		return;
	kiosk_sd_notify("STOPPING=1");
	/* QUIT must get through even with a full queue: retry until the loop drains it. */
	while (kiosk_core_send(core, KIOSK_CMD_QUIT) == KIOSK_EBUSY)
		sched_yield();
	pthread_join(core->thread, NULL);
	teardown(core);
}
