#include "kiosk/core_int.h"
#include "kiosk/crypto.h"
#include "kiosk/paths.h"
#include "hal/lock/lock.h"

#include <cjson/cJSON.h>
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
#include <sys/stat.h>
#include <unistd.h>

/* The UI must show signs of life this often or the systemd watchdog is not fed and the
 * kiosk is restarted: a frozen screen is a broken kiosk even if the core runs. */
#define UI_STALL_MS 15000
#define TICK_MS 1000

/* Every flow's handlers; the dispatch table is built from these at start. */
static const struct kiosk_flow *const flows[] = {
	&kiosk_flow_pickup, &kiosk_flow_courier, &kiosk_flow_send,
	&kiosk_flow_maint,  &kiosk_flow_resident, &kiosk_flow_test, &kiosk_flow_pay,
	NULL,
};

static const struct kiosk_cmd_handler *handler_of[KIOSK_CMD_TYPE_COUNT];

static const char *const class_names[] = {"lock", "vend", "mdb", "printer", "scanner"};
static const char *const state_names[] = {"absent", "simulated", "not_built", "ok", "fault"};

const char *kiosk_devclass_name(enum kiosk_devclass c)
{
	return (unsigned)c < KIOSK_DEV_COUNT ? class_names[c] : "?";
}

const char *kiosk_devstate_name(enum kiosk_devstate s)
{
	return (unsigned)s <= KIOSK_DEVSTATE_FAULT ? state_names[s] : "?";
}

static const struct kiosk_device_cfg *dev_cfg(const struct kiosk_config *c, enum kiosk_devclass d)
{
	const struct kiosk_device_cfg *tab[] = {&c->lock, &c->vend, &c->mdb, &c->printer,
						&c->scanner};
	return tab[d];
}

static int snap_compartment(void *arg, const struct kiosk_compartment *k)
{
	struct kiosk_snapshot *s = arg;
	if (s->ncompartments == KIOSK_MAX_COMPARTMENTS)
		return 1;
	int i = s->ncompartments++;
	snprintf(s->compartments[i].id, sizeof s->compartments[i].id, "%.15s", k->id);
	snprintf(s->compartments[i].state, sizeof s->compartments[i].state, "%s", k->state);
	snprintf(s->compartments[i].size, sizeof s->compartments[i].size, "%s",
		 kiosk_size_name(k->size));
	s->compartments[i].column = s->compartments[i].row = 0; /* publish() looks it up */
	return 0;
}

void kiosk_core_publish(struct kiosk_core *c)
{
	int64_t unsent = 0, oldest = 0, dead = 0, pay_open = 0;
	kiosk_outbox_stats(c->store, &unsent, &oldest, &dead);
	kiosk_payment_count_open(c->store, &pay_open);
	/* Built outside the lock (store reads), copied in under it. */
	static struct kiosk_snapshot fresh; /* core thread only */
	fresh.ncompartments = 0;
	kiosk_compartment_each(c->store, snap_compartment, &fresh);
	for (int i = 0; c->locker && i < fresh.ncompartments; i++)
	{
		fresh.compartments[i].door_open =
			kiosk_locker_door_open(c->locker, fresh.compartments[i].id);
		fresh.compartments[i].item = kiosk_locker_item(c->locker, fresh.compartments[i].id);
		/* The place on the bank is the config's (its parser fills in the default). */
		for (int j = 0; j < c->cfg.ncompartments; j++) {
			const struct kiosk_compartment_cfg *k = &c->cfg.compartments[j];
			if (strcmp(k->id, fresh.compartments[i].id) == 0) {
				fresh.compartments[i].column = (uint8_t)k->column;
				fresh.compartments[i].row = (uint8_t)k->row;
				break;
			}
		}
	}
	kiosk_compartment_free_counts(c->store, fresh.free_by_size);
	static char msg_zh[256], msg_en[256]; /* core thread only */
	int64_t msg_until = 0;
	if (kiosk_message_get(c->store, kiosk_now_ms(), msg_zh, msg_en, &msg_until) != KIOSK_OK)
		msg_zh[0] = msg_en[0] = '\0';
	pthread_mutex_lock(&c->snap_mu);
	c->snap.ncompartments = fresh.ncompartments;
	memcpy(c->snap.compartments, fresh.compartments, sizeof fresh.compartments);
	memcpy(c->snap.free_by_size, fresh.free_by_size, sizeof fresh.free_by_size);
	if (c->locker && !kiosk_locker_healthy(c->locker))
		c->snap.dev[KIOSK_DEV_LOCK] = KIOSK_DEVSTATE_FAULT;
	else if (c->locker)
		c->snap.dev[KIOSK_DEV_LOCK] = c->simulate ? KIOSK_DEVSTATE_SIMULATED : KIOSK_DEVSTATE_OK;
	c->snap.outbox_unsent = unsent;
	snprintf(c->snap.settings.help_phone, sizeof c->snap.settings.help_phone, "%s",
		 c->cfg.help_phone);
	c->snap.settings.idle_timeout_s = c->cfg.ui_idle_timeout_s;
	memcpy(c->snap.settings.send_price_fen, c->cfg.send_price_fen,
	       sizeof c->snap.settings.send_price_fen);
	c->snap.payments_open = pay_open;
	struct kiosk_sync_status ss;
	kiosk_sync_status(c->sync, &ss);
	c->snap.net = !c->sync ? KIOSK_NET_NONE
		      : ss.link == KIOSK_LINK_ONLINE ? KIOSK_NET_ONLINE : KIOSK_NET_OFFLINE;
	c->snap.outbox_oldest_ms = oldest;
	c->snap.dead_letters = dead;
	c->snap.sync_last_ok_ms = ss.last_ok_ms;
	c->snap.sync_next_try_ms = ss.next_try_ms;
	c->snap.sync_pull_due = ss.pull_due || ss.busy;
	memcpy(c->snap.message_zh, msg_zh, sizeof msg_zh);
	memcpy(c->snap.message_en, msg_en, sizeof msg_en);
	c->snap.message_until_ms = msg_until;
	c->snap.restart_requested = c->restart_requested;
	snprintf(c->snap.sync_error, sizeof c->snap.sync_error, "%s",
		 c->sync ? ss.last_error : c->sync_why);
	struct kiosk_session_view *v = &c->snap.session;
	v->pickup = c->session.pickup;
	snprintf(v->pickup_compartment, sizeof v->pickup_compartment, "%s", c->session.pickup_comp);
	snprintf(v->courier, sizeof v->courier, "%s", c->session.courier);
	snprintf(v->operator_id, sizeof v->operator_id, "%s", c->session.operator_id);
	v->deposit = c->session.deposit;
	v->send = c->session.send;
	snprintf(v->send_compartment, sizeof v->send_compartment, "%s", c->session.send_comp);
	v->pay = c->session.pay.phase;
	v->pay_amount_fen = c->session.pay.amount_fen;
	v->pay_expires_ms = c->session.pay.expires_ms;
	memcpy(v->pay_qr, c->session.pay.qr, sizeof v->pay_qr);
	v->door_busy = c->session.pickup == KIOSK_PICKUP_OPENING ||
		       c->session.pickup == KIOSK_PICKUP_OPEN ||
		       c->session.deposit == KIOSK_DEPOSIT_OPENING ||
		       c->session.deposit == KIOSK_DEPOSIT_OPEN ||
		       c->session.send == KIOSK_SEND_OPENING || c->session.send == KIOSK_SEND_OPEN;
	c->snap.requests_waiting = 0;
	for (int i = 0; i < KIOSK_CORE_NWAITERS; i++)
		c->snap.requests_waiting += c->waiters[i].used && c->waiters[i].left > 0;
	c->snap.lock_rounds = c->locker ? kiosk_locker_rounds(c->locker) : 0;
	if (c->locker) {
		c->shown_door_changes = kiosk_locker_door_changes(c->locker);
		c->shown_healthy = kiosk_locker_healthy(c->locker);
	}
	c->snap.version++;
	c->snap.now_ms = kiosk_now_ms();
	c->snap.uptime_s = (kiosk_mono_ms() - c->started_mono) / 1000;
	pthread_mutex_unlock(&c->snap_mu);
	if (c->notify)
		c->notify(c->notify_arg, KIOSK_NOTE_SNAPSHOT);
	kiosk_sync_kick(c->sync); /* a change may have left an event for the platform */
}

/* The store's clock. Scripts (test clock) move it with the UI's virtual clock, so a door
 * "left open for a minute" can be tested without waiting a minute. */
atomic_llong kiosk_core_test_skew_ms; /* flow/test.c moves it */

static int64_t store_now_ms(void)
{
	return kiosk_now_ms() + atomic_load(&kiosk_core_test_skew_ms);
}

int64_t kiosk_core_business_ms(const struct kiosk_core *c)
{
	return kiosk_mono_ms() + c->skew_ms;
}

void kiosk_core_file_result(struct kiosk_core *c, const struct kiosk_result *res)
{
	if (!res->req)
		return;
	pthread_mutex_lock(&c->snap_mu);
	c->results[c->nresult++ % KIOSK_CORE_NRESULTS] = *res;
	pthread_mutex_unlock(&c->snap_mu);
	if (c->notify)
		c->notify(c->notify_arg, KIOSK_NOTE_RESULT);
}

/* ---- doors: a request waits for its doors' outcomes, which the locker reports ---- */

static void control_answer(struct kiosk_core *c, int ctl, int rc, int64_t opened);

int kiosk_core_door_ready(const struct kiosk_core *c)
{
	if (!c->locker)
		return KIOSK_ENOTSUP;
	return kiosk_locker_can_queue(c->locker) ? KIOSK_OK : KIOSK_EBUSY;
}

static int new_waiter(struct kiosk_core *c, uint32_t req, int ctl)
{
	for (int i = 0; i < KIOSK_CORE_NWAITERS; i++) {
		struct kiosk_waiter *w = &c->waiters[i];
		if (!w->used) {
			*w = (struct kiosk_waiter){.used = true, .req = req, .ctl = ctl};
			return i;
		}
	}
	return KIOSK_EBUSY;
}

static void finish_waiter(struct kiosk_core *c, int i)
{
	struct kiosk_waiter *w = &c->waiters[i];
	if (w->left > 0)
		return;
	w->res.req = w->req;
	w->res.rc = w->first_err;
	if (w->res.type == KIOSK_CMD_OPEN_ALL)
		w->res.u.opened.n = w->opened;
	kiosk_core_file_result(c, &w->res);
	if (w->ctl)
		control_answer(c, w->ctl, w->first_err, w->opened);
	kiosk_cleanse(w, sizeof *w);
}

/* How long a door request may wait for the bus. A person at the screen has moved on
 * after 8 s (and kioskctl gives up at 10 s): a door must not open after that, for nobody
 * or for whoever stands there. Opening all doors for cleaning is watched to the end. */
#define DOOR_DEADLINE_MS 8000
#define OPEN_ALL_DEADLINE_MS 60000

/* Queues a committed intent's unlock for waiter i. A frame that cannot be queued is
 * settled as unknown: the intent never stays open-ended, and nothing re-fires it. */
static int queue_door(struct kiosk_core *c, int i, const struct kiosk_door *door)
{
	const struct kiosk_waiter *w = &c->waiters[i];
	int64_t deadline = kiosk_mono_ms() + (w->res.type == KIOSK_CMD_OPEN_ALL && !w->ctl
						      ? OPEN_ALL_DEADLINE_MS
						      : DOOR_DEADLINE_MS);
	int rc = kiosk_locker_open_door(c->locker, door, deadline);
	for (int d = 0; rc == KIOSK_OK && d < KIOSK_MAX_COMPARTMENTS; d++) {
		if (c->doors[d].op == 0) {
			c->doors[d].op = door->op;
			c->doors[d].waiter = i;
			c->waiters[i].left++;
			return KIOSK_OK;
		}
	}
	if (rc == KIOSK_OK)
		rc = KIOSK_ENOSPACE; /* cannot happen: as many places as compartments */
	KLOG_ERROR("core", "event=door_not_queued op=%lld err=%s", (long long)door->op,
		   kiosk_errname(rc));
	kiosk_door_result(c->store, door->op, KIOSK_DOOR_UNKNOWN);
	return rc;
}

int kiosk_core_await_door(struct kiosk_core *c, uint32_t req, int ctl,
			  const struct kiosk_result *res, const struct kiosk_door *door,
			  void (*done)(struct kiosk_core *, const struct kiosk_door *, int))
{
	int i = new_waiter(c, req, ctl);
	if (i < 0) {
		kiosk_door_result(c->store, door->op, KIOSK_DOOR_UNKNOWN);
		return i;
	}
	struct kiosk_waiter *w = &c->waiters[i];
	if (res)
		w->res = *res;
	snprintf(w->res.u.door.compartment, sizeof w->res.u.door.compartment, "%.15s",
		 door->compartment);
	w->done = done;
	int rc = queue_door(c, i, door);
	if (rc) {
		kiosk_cleanse(w, sizeof *w);
		return rc;
	}
	return KIOSK_CORE_PENDING;
}

int kiosk_core_group_begin(struct kiosk_core *c, uint32_t req, int ctl)
{
	int i = new_waiter(c, req, ctl);
	if (i >= 0) {
		c->waiters[i].left = 1; /* held open until group_end */
		c->waiters[i].res.type = KIOSK_CMD_OPEN_ALL;
	}
	return i;
}

int kiosk_core_group_add(struct kiosk_core *c, int group, const struct kiosk_door *door)
{
	int rc = queue_door(c, group, door);
	if (rc && !c->waiters[group].first_err)
		c->waiters[group].first_err = rc;
	return rc;
}

int kiosk_core_group_end(struct kiosk_core *c, int group)
{
	c->waiters[group].left--;
	finish_waiter(c, group);
	return KIOSK_CORE_PENDING;
}

/* The locker recorded a door's outcome: the flow follows up, the request is answered. */
static void on_door(void *arg, const struct kiosk_door *door, int rc)
{
	struct kiosk_core *c = arg;
	for (int d = 0; d < KIOSK_MAX_COMPARTMENTS; d++) {
		if (c->doors[d].op != door->op)
			continue;
		int i = c->doors[d].waiter;
		c->doors[d].op = 0;
		struct kiosk_waiter *w = &c->waiters[i];
		if (w->done)
			w->done(c, door, rc);
		if (rc == KIOSK_OK)
			w->opened++;
		else if (!w->first_err)
			w->first_err = rc;
		w->left--;
		/* The snapshot first: the screen reading the result sees the session as the
		 * outcome left it (its note is queued before the result's). */
		kiosk_core_publish(c);
		finish_waiter(c, i);
		return;
	}
	kiosk_core_publish(c);
}

/* A monitor round: the flows that follow doors look, and the screens see what changed. */
static void on_round(void *arg)
{
	struct kiosk_core *c = arg;
	struct kiosk_session before = c->session;
	kiosk_flow_pickup_round(c);
	kiosk_flow_courier_round(c);
	kiosk_flow_send_round(c);
	int64_t unsent = 0, last = 0;
	kiosk_outbox_depth(c->store, &unsent, &last); /* an alarm the round raised */
	pthread_mutex_lock(&c->snap_mu);
	bool same = memcmp(&before, &c->session, sizeof before) == 0 &&
		    c->shown_door_changes == kiosk_locker_door_changes(c->locker) &&
		    c->shown_healthy == kiosk_locker_healthy(c->locker) &&
		    c->snap.outbox_unsent == unsent;
	if (same) /* scripts and tests wait on the count; nothing to redraw */
		c->snap.lock_rounds = kiosk_locker_rounds(c->locker);
	pthread_mutex_unlock(&c->snap_mu);
	kiosk_cleanse(&before, sizeof before);
	if (!same)
		kiosk_core_publish(c);
}

enum kiosk_door_reading kiosk_core_door_reading(const struct kiosk_core *c, const char *comp)
{
	if (kiosk_locker_door_open(c->locker, comp))
		return KIOSK_DOOR_STILL_OPEN;
	if (kiosk_locker_has_item_sensor(c->locker, comp) && !kiosk_locker_item(c->locker, comp))
		return KIOSK_DOOR_CLOSED_EMPTY;
	return KIOSK_DOOR_CLOSED_IN;
}

int kiosk_core_login(struct kiosk_core *c, struct kiosk_cmd *cmd, const char *role,
		     char who[32], struct kiosk_result *res)
{
	int wait = 0;
	KIOSK_TERM(cmd->u.login.id);
	KIOSK_TERM(cmd->u.login.pin);
	int rc = kiosk_person_login(c->store, cmd->u.login.id, role, cmd->u.login.pin, &wait);
	res->u.login.wait_s = wait;
	if (rc == KIOSK_OK)
		snprintf(who, 32, "%.31s", cmd->u.login.id);
	return rc;
}

bool kiosk_core_is_courier(const struct kiosk_core *c, const char *id)
{
	return id && c->session.courier[0] && strcmp(id, c->session.courier) == 0;
}

bool kiosk_core_is_operator(const struct kiosk_core *c, const char *id)
{
	return id && c->session.operator_id[0] && strcmp(id, c->session.operator_id) == 0;
}

/* ---- dispatch ---- */

static void build_dispatch(void)
{
	for (int f = 0; flows[f]; f++)
		for (const struct kiosk_cmd_handler *h = flows[f]->handlers; h->run; h++)
			if ((unsigned)h->type < KIOSK_CMD_TYPE_COUNT)
				handler_of[h->type] = h;
}

static void run_request(struct kiosk_core *c, struct kiosk_cmd *cmd)
{
	struct kiosk_result res = {.req = cmd->req, .type = cmd->type};
	const struct kiosk_cmd_handler *h =
		(unsigned)cmd->type < KIOSK_CMD_TYPE_COUNT ? handler_of[cmd->type] : NULL;
	int rc = h ? h->run(c, cmd, &res) : KIOSK_EINVAL;
	kiosk_cleanse(&cmd->u, sizeof cmd->u); /* may hold a PIN or a pickup code */
	/* Outbox depth and session may have changed: the snapshot goes before the result, so
	 * the screen reading the result sees the session as the request left it. */
	kiosk_core_publish(c);
	if (rc != KIOSK_CORE_PENDING) {
		if (rc && rc != KIOSK_EDENIED && rc != KIOSK_ELOCKED)
			KLOG_WARN("core", "event=request_failed type=%d err=%s", cmd->type,
				  kiosk_errname(rc));
		res.rc = rc;
		kiosk_core_file_result(c, &res);
	}
	kiosk_cleanse(&res, sizeof res); /* may have held a test pickup code */
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
		default:
			run_request(c, &cmd);
			break;
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
		kiosk_core_map_refresh(c);
	/* Once a minute: parcels past their keep time expire, unpaid reservations lapse. */
	if (++c->ticks % 60 == 0) {
		int n = kiosk_parcel_expire_due(c->store);
		int m = kiosk_compartment_release_expired(c->store);
		if (n > 0 || m > 0)
			KLOG_INFO("core", "event=housekeeping parcels_expired=%d reservations_released=%d",
				  n, m);
		if (n > 0 || m > 0)
			kiosk_core_publish(c);
	}
	return TICK_MS;
}

static void control_error(cJSON *r, int rc)
{
	cJSON_AddStringToObject(r, "error", kiosk_errname(rc));
	cJSON_AddStringToObject(r, "message", kiosk_strerror(rc));
}

/* May the caller change state (open, disable, enable)? Root and the kiosk's own user;
 * the socket's group may only read. */
static bool may_change(const struct kiosk_control_peer *peer)
{
	return peer->uid == 0 || peer->uid == geteuid();
}

/* kioskctl locker list | open C | disable C | enable C — a technician at the bank.
 * Returns false when the answer comes later (a door's outcome). */
static bool control_locker(struct kiosk_core *c, const struct kiosk_control_peer *peer,
			   const struct kiosk_control_req *q, cJSON *r)
{
	if (!c->locker) {
		control_error(r, KIOSK_ENOTSUP);
		return true;
	}
	if (q->verb == KIOSK_CTL_LOCKER_LIST) {
		kiosk_core_publish(c);
		cJSON *arr = cJSON_AddArrayToObject(r, "compartments");
		pthread_mutex_lock(&c->snap_mu);
		for (int i = 0; i < c->snap.ncompartments; i++) {
			cJSON *o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "id", c->snap.compartments[i].id);
			cJSON_AddStringToObject(o, "size", c->snap.compartments[i].size);
			cJSON_AddStringToObject(o, "state", c->snap.compartments[i].state);
			cJSON_AddStringToObject(o, "door",
						c->snap.compartments[i].door_open ? "open" : "closed");
			cJSON_AddItemToArray(arr, o);
		}
		pthread_mutex_unlock(&c->snap_mu);
		return true;
	}
	/* An actor id the audit trail keeps: who, by uid, asked through the socket. */
	char by[32];
	snprintf(by, sizeof by, "kioskctl-uid%u", (unsigned)peer->uid);
	if (!may_change(peer)) {
		KLOG_WARN("core", "event=control_refused uid=%u verb=%d", (unsigned)peer->uid,
			  (int)q->verb);
		cJSON_AddStringToObject(r, "error", kiosk_errname(KIOSK_EDENIED));
		cJSON_AddStringToObject(r, "message",
					"only root or the kiosk's own user may open, disable or "
					"enable compartments");
		return true;
	}
	int rc;
	if (q->verb == KIOSK_CTL_LOCKER_OPEN) {
		struct kiosk_door door;
		rc = kiosk_core_door_ready(c);
		if (rc == KIOSK_OK)
			rc = kiosk_compartment_open_intent(c->store, q->compartment, by, &door);
		if (rc == KIOSK_OK)
			rc = kiosk_core_await_door(c, 0, peer->client, NULL, &door, NULL);
		if (rc == KIOSK_CORE_PENDING)
			return false;
	} else {
		rc = kiosk_compartment_set(c->store, q->compartment,
					   q->verb == KIOSK_CTL_LOCKER_DISABLE ? "disabled" : "free",
					   by);
	}
	kiosk_core_publish(c);
	if (rc)
		control_error(r, rc);
	else
		cJSON_AddStringToObject(r, "result", "ok");
	return true;
}

static void control_answer(struct kiosk_core *c, int ctl, int rc, int64_t opened)
{
	(void)opened;
	cJSON *r = cJSON_CreateObject();
	if (rc)
		control_error(r, rc);
	else
		cJSON_AddStringToObject(r, "result", "ok");
	char *text = cJSON_PrintUnformatted(r);
	cJSON_Delete(r);
	char line[256];
	snprintf(line, sizeof line, "%s\n", text ? text : "{\"error\":\"out_of_memory\"}");
	cJSON_free(text);
	if (kiosk_control_reply(c->control, ctl, line) != KIOSK_OK)
		KLOG_INFO("core", "event=control_answer_dropped reason=client_gone");
}

/* kioskctl sync status | now: the link as the operator needs it. */
static void control_sync(struct kiosk_core *c, const struct kiosk_control_peer *peer,
			 const struct kiosk_control_req *q, cJSON *r)
{
	if (q->verb == KIOSK_CTL_SYNC_NOW) {
		if (!may_change(peer)) {
			control_error(r, KIOSK_EDENIED);
			return;
		}
		if (!c->sync) {
			cJSON_AddStringToObject(r, "error", kiosk_errname(KIOSK_ENOTSUP));
			cJSON_AddStringToObject(r, "message", c->sync_why[0] ? c->sync_why
							      : "no platform configured");
			return;
		}
		kiosk_sync_now(c->sync);
		cJSON_AddStringToObject(r, "result", "ok");
		return;
	}
	kiosk_core_publish(c);
	struct kiosk_sync_status ss;
	kiosk_sync_status(c->sync, &ss);
	static const char *const links[] = {"none", "offline", "online"};
	pthread_mutex_lock(&c->snap_mu);
	cJSON_AddStringToObject(r, "platform", c->cfg.platform_url);
	cJSON_AddStringToObject(r, "link", links[c->snap.net]);
	cJSON_AddNumberToObject(r, "outbox_depth", (double)c->snap.outbox_unsent);
	cJSON_AddNumberToObject(r, "oldest_unsent_ms", (double)c->snap.outbox_oldest_ms);
	cJSON_AddNumberToObject(r, "dead_letters", (double)c->snap.dead_letters);
	cJSON_AddNumberToObject(r, "payments_open", (double)c->snap.payments_open);
	cJSON_AddNumberToObject(r, "last_success_ms", (double)c->snap.sync_last_ok_ms);
	cJSON_AddNumberToObject(r, "next_retry_ms", (double)c->snap.sync_next_try_ms);
	cJSON_AddNumberToObject(r, "failures_in_a_row", ss.attempt);
	cJSON_AddNumberToObject(r, "clock_offset_s", (double)ss.clock_offset_s);
	cJSON_AddStringToObject(r, "last_error", c->snap.sync_error);
	pthread_mutex_unlock(&c->snap_mu);
}

/* kioskctl's requests, answered on the core thread (the store's thread). */
static size_t on_control(void *arg, const struct kiosk_control_peer *peer, const char *req,
			 char *out, size_t cap)
{
	struct kiosk_core *c = arg;
	cJSON *r = cJSON_CreateObject();
	struct kiosk_control_req q;
	int prc = kiosk_control_parse(req, &q);
	if (prc == KIOSK_OK && q.verb == KIOSK_CTL_STATUS) {
		int64_t unsent = 0, last = 0;
		int rc = kiosk_outbox_depth(c->store, &unsent, &last);
		cJSON_AddStringToObject(r, "version", KIOSK_VERSION);
		cJSON_AddStringToObject(r, "device", c->cfg.device_id);
		cJSON_AddNumberToObject(r, "uptime_s",
					(double)((kiosk_mono_ms() - c->started_mono) / 1000));
		cJSON_AddBoolToObject(r, "simulate", c->simulate);
		cJSON_AddStringToObject(r, "store", rc == KIOSK_OK ? "ok" : kiosk_errname(rc));
		cJSON *ob = cJSON_AddObjectToObject(r, "outbox");
		cJSON_AddNumberToObject(ob, "unsent", (double)unsent);
		cJSON_AddNumberToObject(ob, "last_seq", (double)last);
		cJSON *dev = cJSON_AddObjectToObject(r, "devices");
		for (int d = 0; d < KIOSK_DEV_COUNT; d++)
			cJSON_AddStringToObject(dev, class_names[d], state_names[c->snap.dev[d]]);
	} else if (prc == KIOSK_OK && (q.verb == KIOSK_CTL_SYNC_STATUS ||
					     q.verb == KIOSK_CTL_SYNC_NOW)) {
		control_sync(c, peer, &q, r);
	} else if (prc == KIOSK_OK) {
		if (!control_locker(c, peer, &q, r)) {
			cJSON_Delete(r);
			return 0; /* answered when the door's outcome is in */
		}
	} else if (prc == KIOSK_EINVAL) {
		control_error(r, KIOSK_EINVAL);
	} else {
		cJSON_AddStringToObject(r, "error", "unknown_command");
		cJSON_AddStringToObject(r, "message", "commands: status, locker list|open|disable|enable");
	}
	char *text = cJSON_PrintUnformatted(r);
	cJSON_Delete(r);
	size_t n = (size_t)snprintf(out, cap, "%s\n",
				    text ? text : "{\"error\":\"out_of_memory\"}");
	cJSON_free(text);
	return n < cap ? n : cap - 1;
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

static void init_devices(struct kiosk_core *c)
{
	for (int d = 0; d < KIOSK_DEV_COUNT; d++) {
		const struct kiosk_device_cfg *dc = dev_cfg(&c->cfg, (enum kiosk_devclass)d);
		enum kiosk_devstate s = KIOSK_DEVSTATE_ABSENT;
		if (c->simulate)
			s = KIOSK_DEVSTATE_SIMULATED;
		else if (dc->driver[0])
			s = KIOSK_DEVSTATE_NOT_BUILT; /* no drivers in this build yet: say so */
		/* The lock class is built: its state is the bank's, and no bank (no
		 * compartments configured) is no lock device, whatever the driver. */
		if (d == KIOSK_DEV_LOCK && (dc->driver[0] || c->simulate)) {
			bool known = !dc->driver[0] || hal_lock_driver_find(dc->driver);
			if (!c->cfg.ncompartments)
				s = KIOSK_DEVSTATE_ABSENT;
			else if (known)
				s = c->simulate ? KIOSK_DEVSTATE_SIMULATED : KIOSK_DEVSTATE_OK;
		}
		c->snap.dev[d] = s;
		KLOG_INFO("core", "event=device class=%s state=%s driver=%s", class_names[d],
			  state_names[s], dc->driver[0] ? dc->driver : "-");
	}
	c->snap.simulate = c->simulate;
}

/* Why a store or its folder cannot be used, in the words an operator acts on. */
static void store_why(char *why, size_t why_len, const char *path, int rc)
{
	if (rc == KIOSK_EPERM || rc == KIOSK_EDISKFULL)
		snprintf(why, why_len, "cannot write %s: %s", path, kiosk_strerror(rc));
	else
		snprintf(why, why_len, "store %s: %s", path, kiosk_strerror(rc));
}

/* The demo machine (--simulate) needs someone to log in with: operator 8001, PIN 2468,
 * and couriers 9001 (SF) and 9002 (JD), PIN 1357, documented in the README; their two
 * companies are the carriers a resident can send with. Only into a store that --simulate
 * made (marked as a demo store), so a real deployment never gets known PINs. */
static void seed_demo(struct kiosk_core *c)
{
	int64_t n = 0;
	char hash[KIOSK_PINHASH_MAX];
	static const char *const couriers[][2] = {{"9001", "SF"}, {"9002", "JD"}};
	if (kiosk_person_count(c->store, "courier", &n) == KIOSK_OK && !n &&
	    kiosk_pin_hash("1357", KIOSK_PIN_MIN_ITER, hash, sizeof hash) == KIOSK_OK)
		for (size_t i = 0; i < sizeof couriers / sizeof couriers[0]; i++)
			if (kiosk_person_upsert(c->store, couriers[i][0], "courier",
						"演示快递员 Demo courier", couriers[i][1],
						hash) == KIOSK_OK)
				KLOG_INFO("core", "event=demo_courier_seeded id=%s company=%s",
					  couriers[i][0], couriers[i][1]);
	if (kiosk_person_count(c->store, "operator", &n) || n)
		return;
	if (kiosk_pin_hash("2468", KIOSK_PIN_MIN_ITER, hash, sizeof hash) == KIOSK_OK &&
	    kiosk_person_upsert(c->store, "8001", "operator", "演示运维 Demo operator", "", hash) ==
		    KIOSK_OK)
		KLOG_INFO("core", "event=demo_operator_seeded id=8001");
}

/* A demo store (known PINs) never serves a real run; a real store never gets demo PINs. */
static int check_demo(struct kiosk_core *c, char *why, size_t why_len)
{
	bool demo = false;
	int rc = kiosk_store_is_demo(c->store, &demo);
	if (rc == KIOSK_OK && c->simulate && kiosk_store_created(c->store))
		rc = kiosk_store_mark_demo(c->store);
	if (rc) {
		store_why(why, why_len, c->cfg.store_path, rc);
		return rc;
	}
	demo = demo || (c->simulate && kiosk_store_created(c->store));
	if (demo && !c->simulate) {
		snprintf(why, why_len,
			 "store %s is a demo store (made by --simulate, with the demo PINs): run it "
			 "with --simulate, or give this kiosk a new store",
			 c->cfg.store_path);
		return KIOSK_ECONFIG;
	}
	if (demo)
		seed_demo(c);
	else if (c->simulate)
		KLOG_WARN("core", "event=demo_not_seeded store=%s reason=\"not a demo store\"",
			  c->cfg.store_path);
	return KIOSK_OK;
}

static int open_store(struct kiosk_core *c, char *why, size_t why_len)
{
	uint8_t key[KIOSK_DEVKEY_LEN];
	const struct kiosk_config *k = &c->cfg;
	/* First start for this user: the folders are made, private. */
	const char *made = k->device_key_file;
	int rc = kiosk_paths_make_parent(made);
	if (rc == KIOSK_OK)
		rc = kiosk_paths_make_parent(made = k->store_path);
	if (rc == KIOSK_OK)
		rc = kiosk_paths_make_parent(made = k->control_socket);
	if (rc) {
		snprintf(why, why_len, "folder for %s: %s", made, kiosk_strerror(rc));
		return rc;
	}
	/* One kiosk per store, before the store, the socket or a port is touched: a second
	 * one would run recovery on the first one's doors and take its socket. */
	long holder = 0;
	rc = kiosk_paths_lock(k->store_path, &c->lock_fd, &holder);
	if (rc == KIOSK_EBUSY) {
		snprintf(why, why_len, "another kiosk is running (pid %ld) on %s", holder,
			 k->store_path);
		return rc;
	}
	if (rc) {
		store_why(why, why_len, k->store_path, rc);
		return rc;
	}
	/* A new key only with a new store: with an existing store a new key would turn every
	 * outstanding pickup code "wrong". */
	struct stat sb;
	int store_exists = stat(k->store_path, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0;
	rc = kiosk_devkey_load(k->device_key_file, key, !store_exists);
	if (rc == KIOSK_ENOENT && store_exists) {
		snprintf(why, why_len,
			 "device key %s is missing but store %s exists: restore the key (a new one "
			 "would make every pickup code wrong), or start with a new store",
			 k->device_key_file, k->store_path);
		return KIOSK_ECONFIG;
	}
	if (rc) {
		snprintf(why, why_len, "device key %s: %s", k->device_key_file, kiosk_strerror(rc));
		return rc;
	}
	struct kiosk_store_opts so = {
		.path = k->store_path,
		.device_key = key,
		.now_ms = store_now_ms,
		.parcel_keep_days = k->parcel_keep_days,
		.fee = {k->parcel_free_hours, k->parcel_fee_block_hours, k->parcel_fee_block_fen,
			k->parcel_fee_cap_fen},
	};
	rc = kiosk_store_open(&so, &c->store);
	kiosk_cleanse(key, sizeof key);
	if (rc) {
		store_why(why, why_len, k->store_path, rc);
		return rc;
	}
	return check_demo(c, why, why_len);
}

static void on_sync_changed(void *arg)
{
	kiosk_core_publish(arg);
}

struct all_ctx {
	struct kiosk_core *c;
	const char *by;
	int group;
};

static int open_if_empty(void *arg, const struct kiosk_compartment *k)
{
	struct all_ctx *o = arg;
	struct kiosk_door door;
	/* Cleaning opens empty, usable doors only: never one with a parcel inside. */
	if (strcmp(k->state, "free") != 0)
		return 0;
	int rc = kiosk_core_door_ready(o->c);
	if (rc == KIOSK_OK)
		rc = kiosk_compartment_open_intent(o->c->store, k->id, o->by, &door);
	if (rc == KIOSK_OK)
		kiosk_core_group_add(o->c, o->group, &door);
	else if (!o->c->waiters[o->group].first_err)
		o->c->waiters[o->group].first_err = rc;
	return 0;
}

int kiosk_core_open_all(struct kiosk_core *c, uint32_t req, const char *by)
{
	int rc = kiosk_core_door_ready(c);
	if (rc)
		return rc;
	struct all_ctx o = {c, by, kiosk_core_group_begin(c, req, 0)};
	if (o.group < 0)
		return o.group;
	kiosk_compartment_each(c->store, open_if_empty, &o);
	return kiosk_core_group_end(c, o.group);
}

/* A remote_unlock's door is in: its command.done says how it went. */
static void remote_door_done(struct kiosk_core *c, const struct kiosk_door *door, int rc)
{
	for (size_t i = 0; i < sizeof c->remote / sizeof c->remote[0]; i++) {
		if (!c->remote[i].command[0] || strcmp(c->remote[i].compartment, door->compartment))
			continue;
		kiosk_command_finish(c->store, c->remote[i].command,
				     rc == KIOSK_OK ? "ok" : kiosk_errname(rc));
		c->remote[i].command[0] = '\0';
		return;
	}
}

/* Remote commands the platform sent that the core carries out (each handed out once by
 * the store; audited there with its command.done). */
static void on_sync_commands(void *arg)
{
	struct kiosk_core *c = arg;
	char id[64], comp[16];
	enum kiosk_command_type type;
	while (kiosk_command_next(c->store, id, &type, comp) == KIOSK_OK) {
		KLOG_INFO("core", "event=remote_command id=%s type=%d", id, (int)type);
		int rc = KIOSK_OK;
		if (type == KIOSK_RC_REMOTE_UNLOCK) {
			size_t slot = sizeof c->remote / sizeof c->remote[0];
			for (size_t i = 0; i < sizeof c->remote / sizeof c->remote[0]; i++)
				if (!c->remote[i].command[0])
					slot = i;
			struct kiosk_door door;
			rc = slot < sizeof c->remote / sizeof c->remote[0] ? kiosk_core_door_ready(c)
									    : KIOSK_EBUSY;
			if (rc == KIOSK_OK)
				rc = kiosk_compartment_open_intent(c->store, comp, "platform", &door);
			if (rc == KIOSK_OK) {
				snprintf(c->remote[slot].compartment, sizeof c->remote[slot].compartment,
					 "%.15s", door.compartment);
				snprintf(c->remote[slot].command, sizeof c->remote[slot].command, "%s",
					 id);
				rc = kiosk_core_await_door(c, 0, 0, NULL, &door, remote_door_done);
				if (rc == KIOSK_CORE_PENDING)
					continue; /* remote_door_done reports it */
				c->remote[slot].command[0] = '\0';
			}
			kiosk_command_finish(c->store, id, kiosk_errname(rc));
		} else if (type == KIOSK_RC_OPEN_ALL) {
			/* The doors' outcomes go to the audit trail one by one; the command is
			 * done once they are all asked for. */
			rc = kiosk_core_open_all(c, 0, "platform");
			kiosk_command_finish(c->store, id,
					     rc == KIOSK_OK || rc == KIOSK_CORE_PENDING
						     ? "ok"
						     : kiosk_errname(rc));
		} else if (type == KIOSK_RC_REBOOT) {
			c->restart_requested = true;
			kiosk_command_finish(c->store, id, "restarting");
		} else {
			kiosk_command_finish(c->store, id, "unknown");
		}
	}
	kiosk_core_publish(c);
}

/* The heartbeat's device states: what the operator's dashboard shows per kiosk. */
/* One stored `config` change onto the config in the making; one the kiosk cannot take (a
 * newer platform's key) is logged and left, the rest still apply. */
static int apply_setting(void *arg, const char *key, const char *value)
{
	char why[160];
	int rc = kiosk_config_set_remote(arg, key, value, why, sizeof why);
	if (rc)
		KLOG_WARN("core", "event=setting_refused reason=\"%s\"", why);
	return 0;
}

/* The config in effect: the file's, with every setting the platform sent on top. The
 * store's parcel rules follow at once; screens see theirs in the next snapshot. */
static void apply_settings(struct kiosk_core *c)
{
	static struct kiosk_config next; /* core thread only (and start, before it runs) */
	next = c->file_cfg;
	kiosk_syncstate_each(c->store, "config.", apply_setting, &next);
	c->cfg = next;
	struct kiosk_fee_rule fee = {c->cfg.parcel_free_hours, c->cfg.parcel_fee_block_hours,
				     c->cfg.parcel_fee_block_fen, c->cfg.parcel_fee_cap_fen};
	kiosk_store_set_rules(c->store, &fee, c->cfg.parcel_keep_days);
}

static void on_sync_settings(void *arg)
{
	struct kiosk_core *c = arg;
	apply_settings(c);
	KLOG_INFO("core", "event=settings_applied");
	kiosk_core_publish(c);
}

static void on_heartbeat(cJSON *devices, cJSON *faults, void *arg)
{
	struct kiosk_core *c = arg;
	for (int d = 0; d < KIOSK_DEV_COUNT; d++) {
		cJSON_AddStringToObject(devices, class_names[d], state_names[c->snap.dev[d]]);
		if (c->snap.dev[d] == KIOSK_DEVSTATE_FAULT)
			cJSON_AddItemToArray(faults, cJSON_CreateString(class_names[d]));
	}
}

int kiosk_core_start(const struct kiosk_core_opts *opts, struct kiosk_core **out, char *why,
		     size_t why_len)
{
	int rc;
	*out = NULL;
	snprintf(why, why_len, "%s", "");
	if (!opts || !opts->cfg)
		return KIOSK_EINVAL;
	struct kiosk_core *c = kiosk_calloc(1, sizeof *c);
	if (!c)
		return KIOSK_ENOMEM;
	c->cfg = *opts->cfg;
	c->file_cfg = c->cfg;
	c->simulate = opts->simulate;
	c->notify = opts->notify;
	c->notify_arg = opts->notify_arg;
	c->started_mono = kiosk_mono_ms();
	c->test_clock = opts->test_clock;
	atomic_store(&kiosk_core_test_skew_ms, 0); /* a new core starts on the true clock */
	atomic_store(&c->ui_alive_mono, c->started_mono);
	pthread_mutex_init(&c->snap_mu, NULL);
	kiosk_errors_init();
	build_dispatch();
	init_devices(c);

	c->lock_fd = -1;
	rc = open_store(c, why, why_len);
	if (rc)
		goto out_store;
	rc = kiosk_loop_new(&c->loop);
	if (rc)
		goto out_store;
	struct kiosk_locker_hooks hooks = {.on_door = on_door, .on_round = on_round, .arg = c};
	rc = kiosk_locker_open(&c->cfg, c->store, c->simulate, c->loop, &hooks, &c->locker, why,
			       why_len);
	if (rc)
		goto out_loop;
	rc = kiosk_cmdq_new(&c->q);
	if (rc)
		goto out_locker;
	rc = kiosk_loop_add_fd(c->loop, kiosk_cmdq_fd(c->q), POLLIN, on_command, c);
	if (rc)
		goto out_q;
	rc = kiosk_loop_add_timer(c->loop, TICK_MS, on_tick, c);
	if (rc < 0)
		goto out_q;
	rc = kiosk_control_open(c->loop, c->cfg.control_socket, on_control, c, &c->control);
	if (rc) {
		snprintf(why, why_len, "control socket %s: %s", c->cfg.control_socket,
			 kiosk_strerror(rc));
		goto out_q;
	}

	/* The platform link. A platform that is configured wrongly does not stop the kiosk
	 * (residents are served offline); the operator sees why on the Sync page. */
	struct kiosk_sync_opts so = {.cfg = &c->cfg, .loop = c->loop, .store = c->store,
				     .changed = on_sync_changed, .heartbeat = on_heartbeat,
				     .commands = on_sync_commands, .settings = on_sync_settings,
				     .arg = c};
	apply_settings(c); /* what the platform set before a restart */
	kiosk_core_map_import(c);
	kiosk_core_map_refresh(c);
	int left = kiosk_command_settle(c->store);
	if (left > 0)
		KLOG_WARN("core", "event=commands_interrupted n=%d", left);
	rc = kiosk_sync_open(&so, &c->sync, c->sync_why, sizeof c->sync_why);
	if (rc)
		KLOG_ERROR("sync", "event=no_link reason=\"%s\"", c->sync_why);
	kiosk_pay_reconcile_start(c); /* payments a restart left open */

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
		goto out_control;
	}
	kiosk_sd_notify("READY=1");
	*out = c;
	return KIOSK_OK;

out_control:
	kiosk_neighbourhood_put(c->nb);
	kiosk_pay_stop(c);
	kiosk_sync_close(c->sync);
	kiosk_control_close(c->control);
out_q:
	kiosk_cmdq_free(c->q);
out_locker:
	kiosk_locker_close(c->locker);
out_loop:
	kiosk_loop_free(c->loop);
out_store:
	kiosk_store_close(c->store);
	if (c->lock_fd >= 0)
		close(c->lock_fd);
	pthread_mutex_destroy(&c->snap_mu);
	kiosk_free(c);
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
	kiosk_pay_stop(core);
	kiosk_sync_close(core->sync);
	kiosk_control_close(core->control);
	kiosk_locker_close(core->locker);
	kiosk_store_close(core->store);
	kiosk_cmdq_free(core->q);
	kiosk_loop_free(core->loop);
	close(core->lock_fd); /* the last: another kiosk may start only now */
	kiosk_cleanse(&core->session, sizeof core->session);
	kiosk_cleanse(core->test_code, sizeof core->test_code);
	kiosk_neighbourhood_put(core->nb);
	pthread_mutex_destroy(&core->snap_mu);
	kiosk_free(core);
}
