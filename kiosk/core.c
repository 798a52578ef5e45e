#include "kiosk/core.h"
#include "kiosk/control.h"
#include "kiosk/crypto.h"
#include "kiosk/locker.h"
#include "kiosk/store/store.h"

#include <cjson/cJSON.h>
#include "kiosk/loop.h"
#include "kiosk/sdnotify.h"
#include "hal/alloc.h"
#include "hal/clock.h"
#include "hal/error.h"
#include "hal/log.h"

#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

/* The UI must show signs of life this often or the systemd watchdog is not fed and the
 * kiosk is restarted: a frozen screen is a broken kiosk even if the core runs. */
#define UI_STALL_MS 15000
#define TICK_MS 1000
#define HELP_DEDUP_MS (2 * 60 * 1000) /* a second help call within this is the same call */
#define NRESULTS 16

struct kiosk_core {
	struct kiosk_config cfg;
	bool simulate;
	kiosk_notify_fn notify;
	void *notify_arg;

	pthread_t thread;
	struct kiosk_store *store;
	struct kiosk_locker *locker; /* NULL: no compartments configured */
	struct kiosk_control *control;
	struct kiosk_loop *loop;
	struct kiosk_cmdq *q;
	int64_t started_mono;
	unsigned long ticks;
	atomic_llong ui_alive_mono;

	pthread_mutex_t snap_mu;
	struct kiosk_snapshot snap;
	struct kiosk_result results[NRESULTS]; /* under snap_mu */
	unsigned nresult;
	atomic_uint next_req;

	bool test_clock;
	int64_t skew_ms;          /* test clock: added to the business clock */
	int64_t last_help_ms;     /* business time of the last help call, 0 = none */
};

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

static void publish(struct kiosk_core *c)
{
	int64_t unsent = 0, last = 0;
	kiosk_outbox_depth(c->store, &unsent, &last);
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
	pthread_mutex_lock(&c->snap_mu);
	c->snap.ncompartments = fresh.ncompartments;
	memcpy(c->snap.compartments, fresh.compartments, sizeof fresh.compartments);
	memcpy(c->snap.free_by_size, fresh.free_by_size, sizeof fresh.free_by_size);
	if (c->locker && !kiosk_locker_healthy(c->locker))
		c->snap.dev[KIOSK_DEV_LOCK] = KIOSK_DEVSTATE_FAULT;
	else if (c->locker)
		c->snap.dev[KIOSK_DEV_LOCK] = c->simulate ? KIOSK_DEVSTATE_SIMULATED : KIOSK_DEVSTATE_OK;
	c->snap.outbox_unsent = unsent;
	c->snap.version++;
	c->snap.now_ms = kiosk_now_ms();
	c->snap.uptime_s = (kiosk_mono_ms() - c->started_mono) / 1000;
	pthread_mutex_unlock(&c->snap_mu);
	if (c->notify)
		c->notify(c->notify_arg, KIOSK_NOTE_SNAPSHOT);
}

/* The store's clock. Scripts (test clock) move it with the UI's virtual clock, so a door
 * "left open for a minute" can be tested without waiting a minute. */
static atomic_llong test_skew_ms;

static int64_t store_now_ms(void)
{
	return kiosk_now_ms() + atomic_load(&test_skew_ms);
}

static int64_t business_ms(const struct kiosk_core *c)
{
	return kiosk_mono_ms() + c->skew_ms;
}

static void file_result(struct kiosk_core *c, uint32_t req, int rc, int64_t value,
			const char *text, const char *text2)
{
	if (!req)
		return;
	pthread_mutex_lock(&c->snap_mu);
	struct kiosk_result *r = &c->results[c->nresult++ % NRESULTS];
	*r = (struct kiosk_result){.req = req, .rc = rc, .value = value};
	snprintf(r->text, sizeof r->text, "%s", text);
	snprintf(r->text2, sizeof r->text2, "%.15s", text2);
	pthread_mutex_unlock(&c->snap_mu);
	if (c->notify)
		c->notify(c->notify_arg, KIOSK_NOTE_RESULT);
}

/* Courier deposit: intent, door, outcome. A jammed door is recorded (compartment faulty,
 * parcel cancelled) and the courier is told to try another. */
static int deposit(struct kiosk_core *c, struct kiosk_cmd *cmd, char *parcel, char *comp)
{
	char tracking[64], phone[16], extra;
	struct kiosk_door door;
	if (!c->locker)
		return KIOSK_ENOTSUP;
	if (sscanf(cmd->s2, "%63s %15s %c", tracking, phone, &extra) != 2)
		return KIOSK_EINVAL;
	int rc = kiosk_parcel_deposit_begin(c->store, cmd->s1, tracking, phone,
					    (enum kiosk_size)cmd->arg, parcel, &door);
	kiosk_cleanse(phone, sizeof phone);
	if (rc)
		return rc;
	snprintf(comp, 16, "%.15s", door.compartment);
	return kiosk_locker_open_door(c->locker, &door);
}

struct open_all_ctx {
	struct kiosk_core *c;
	const char *by;
	int64_t opened;
	int first_err;
};

static int open_one(void *arg, const struct kiosk_compartment *k)
{
	struct open_all_ctx *o = arg;
	struct kiosk_door door;
	/* Cleaning opens empty, usable doors only: never one with a parcel inside. */
	if (strcmp(k->state, "free") != 0)
		return 0;
	int rc = kiosk_compartment_open_intent(o->c->store, k->id, o->by, &door);
	if (rc == KIOSK_OK)
		rc = kiosk_locker_open_door(o->c->locker, &door);
	if (rc == KIOSK_OK)
		o->opened++;
	else if (!o->first_err)
		o->first_err = rc;
	return 0;
}

static int open_all(struct kiosk_core *c, const char *by, int64_t *opened)
{
	struct open_all_ctx o = {c, by, 0, 0};
	if (!c->locker)
		return KIOSK_ENOTSUP;
	int rc = kiosk_compartment_each(c->store, open_one, &o);
	*opened = o.opened;
	return rc ? rc : o.first_err;
}

/* The carriers a resident can send with, space-separated into text (64 bytes). */
static int send_carriers(struct kiosk_core *c, int64_t *count, char *text)
{
	char names[8][32];
	int n = 0, used = 0;
	int rc = kiosk_send_carriers(c->store, names, 8, &n);
	text[0] = '\0';
	*count = 0;
	for (int i = 0; rc == KIOSK_OK && i < n; i++) {
		size_t len = strlen(names[i]);
		if ((size_t)used + len + 2 > 64)
			break; /* the screen shows as many as fit in one result */
		used += snprintf(text + used, (size_t)(64 - used), "%s%s", used ? " " : "",
				 names[i]);
		(*count)++;
	}
	return rc;
}

/* The requests that commit a door intent and then open that door: the intent first (a
 * refusal changes nothing and sends no frame), then the unlock. text gets the parcel (when
 * the request picks one), text2 the compartment. */
static int door_request(struct kiosk_core *c, const struct kiosk_cmd *cmd, char *text,
			char *text2)
{
	struct kiosk_door door;
	int rc;
	if (!c->locker)
		return KIOSK_ENOTSUP;
	switch (cmd->type) {
	case KIOSK_CMD_RETRIEVE: /* the oldest expired parcel */
		rc = kiosk_parcel_next_expired(c->store, text);
		if (rc == KIOSK_OK)
			rc = kiosk_parcel_retrieve_open(c->store, cmd->s1, text, &door);
		break;
	case KIOSK_CMD_COLLECT: /* the oldest send of the courier's company */
		rc = kiosk_send_next_to_collect(c->store, cmd->s1, text);
		if (rc == KIOSK_OK)
			rc = kiosk_send_collect_open(c->store, cmd->s1, text, &door);
		break;
	case KIOSK_CMD_SEND_START:
		rc = kiosk_send_begin_collect(c->store, cmd->s1, (enum kiosk_size)cmd->arg, text,
					      &door);
		break;
	case KIOSK_CMD_SEND_OPEN:
		rc = kiosk_send_open(c->store, cmd->s1, &door);
		break;
	case KIOSK_CMD_PICKUP_OPEN:
		rc = kiosk_pickup_open(c->store, cmd->s1, &door);
		break;
	case KIOSK_CMD_REOPEN:
		rc = kiosk_door_reopen_after_pickup(c->store, cmd->s1, &door);
		break;
	case KIOSK_CMD_OPEN_COMPARTMENT:
		rc = kiosk_compartment_open_intent(c->store, cmd->s1, cmd->s2, &door);
		break;
	default:
		return KIOSK_EINVAL;
	}
	if (rc)
		return rc;
	snprintf(text2, 16, "%.15s", door.compartment);
	return kiosk_locker_open_door(c->locker, &door);
}

/* Runs a request on the core thread; returns rc and sets *value (and text, text2). */
static int run_request(struct kiosk_core *c, struct kiosk_cmd *cmd, int64_t *value, char *text,
		       char *text2)
{
	int rc = KIOSK_EINVAL, wait = 0;
	*value = 0;
	switch (cmd->type) {
	case KIOSK_CMD_LOGIN_COURIER:
		rc = kiosk_person_login(c->store, cmd->s1, "courier", cmd->s2, &wait);
		*value = wait;
		return rc;
	case KIOSK_CMD_DEPOSIT:
		return deposit(c, cmd, text, text2);
	case KIOSK_CMD_DEPOSIT_DONE: {
		char code[9];
		/* The code goes out once, in the event for the platform's SMS; the kiosk
		 * forgets it here. */
		rc = kiosk_parcel_deposit_commit(c->store, cmd->s1, code);
		kiosk_cleanse(code, sizeof code);
		return rc;
	}
	case KIOSK_CMD_DEPOSIT_CANCEL:
		return kiosk_parcel_deposit_cancel(c->store, cmd->s1);
	case KIOSK_CMD_PICKUP_CHECK: {
		struct kiosk_pickup pk;
		rc = kiosk_pickup_check(c->store, cmd->s2, &pk, &wait);
		if (rc == KIOSK_OK) {
			snprintf(text, 64, "%s", pk.parcel);
			snprintf(text2, 16, "%.15s", pk.compartment);
			*value = pk.fee_fen - pk.fee_paid_fen;
		} else {
			*value = wait;
		}
		return rc;
	}
	case KIOSK_CMD_SET_COMPARTMENT:
		return kiosk_compartment_set(c->store, cmd->s1, cmd->arg ? "disabled" : "free",
					     cmd->s2);
	case KIOSK_CMD_OPEN_ALL:
		return open_all(c, cmd->s2, value);
	case KIOSK_CMD_PICKUP_OPEN:
	case KIOSK_CMD_RETRIEVE:
	case KIOSK_CMD_COLLECT:
	case KIOSK_CMD_SEND_START:
	case KIOSK_CMD_SEND_OPEN:
	case KIOSK_CMD_REOPEN:
	case KIOSK_CMD_OPEN_COMPARTMENT:
		return door_request(c, cmd, text, text2);
	case KIOSK_CMD_SEND_CARRIERS:
		return send_carriers(c, value, text);
	case KIOSK_CMD_SEND_DONE:
		return kiosk_send_deposited(c->store, cmd->s1);
	case KIOSK_CMD_SEND_CANCEL:
		return kiosk_send_cancel(c->store, cmd->s1);
	case KIOSK_CMD_UNFINISHED: {
		struct kiosk_parcel p;
		rc = kiosk_parcel_unfinished(c->store, cmd->s1, &p);
		if (rc == KIOSK_OK) {
			size_t n = strlen(p.tracking);
			snprintf(text, 64, "%s %s", p.id, p.tracking + (n > 8 ? n - 8 : 0));
			snprintf(text2, 16, "%.15s", p.compartment);
		}
		return rc;
	}
	case KIOSK_CMD_COURIER_TASKS: {
		int64_t expired = 0, sends = 0;
		rc = kiosk_courier_tasks(c->store, cmd->s1, &expired, &sends);
		snprintf(text, 64, "%lld %lld", (long long)expired, (long long)sends);
		return rc;
	}
	case KIOSK_CMD_TEST_LAST_CODE:
		return c->test_clock ? kiosk_outbox_last_code(c->store, text) : KIOSK_EDENIED;
	case KIOSK_CMD_HELP:
		/* One call per incident: pressing again while help is on its way must not
		 * page the service centre twice. */
		if (c->last_help_ms && business_ms(c) - c->last_help_ms < HELP_DEDUP_MS) {
			*value = 1;
			return KIOSK_OK;
		}
		rc = kiosk_event_help(c->store, cmd->s1, cmd->arg != 0);
		if (rc == KIOSK_OK)
			c->last_help_ms = business_ms(c);
		return rc;
	case KIOSK_CMD_FEEDBACK:
		return kiosk_event_feedback(c->store, cmd->s1, (int)cmd->arg, cmd->s2);
	case KIOSK_CMD_SERVICE_REQ:
		return kiosk_event_service_request(c->store, cmd->s1, cmd->s2);
	case KIOSK_CMD_LOGIN_OPERATOR:
		rc = kiosk_person_login(c->store, cmd->s1, "operator", cmd->s2, &wait);
		*value = wait;
		return rc;
	case KIOSK_CMD_COUNT_EVENTS:
		return kiosk_outbox_count_type(c->store, cmd->s1, value);
	case KIOSK_CMD_CLOCK_SKEW:
		if (!c->test_clock)
			return KIOSK_EDENIED;
		c->skew_ms += cmd->arg;
		atomic_store(&test_skew_ms, c->skew_ms);
		return KIOSK_OK;
	case KIOSK_CMD_SIM_LOCK:
		return c->locker ? kiosk_locker_sim(c->locker, cmd->s1) : KIOSK_ENOTSUP;
	default:
		return KIOSK_EINVAL;
	}
}

static void on_command(struct kiosk_loop *loop, int fd, short revents, void *arg)
{
	(void)fd;
	(void)revents;
	struct kiosk_core *c = arg;
	struct kiosk_cmd cmd;
	while (kiosk_cmdq_pop(c->q, &cmd)) {
		int64_t value;
		int rc;
		switch (cmd.type) {
		case KIOSK_CMD_HELLO:
			publish(c);
			break;
		case KIOSK_CMD_QUIT:
			kiosk_loop_stop(loop);
			break;
		case KIOSK_CMD_UI_ALIVE:
			atomic_store(&c->ui_alive_mono, kiosk_mono_ms());
			break;
		default: {
			char text[64] = "", text2[16] = "";
			rc = run_request(c, &cmd, &value, text, text2);
			kiosk_cleanse(cmd.s2, sizeof cmd.s2);
			if (rc && rc != KIOSK_EDENIED && rc != KIOSK_ELOCKED)
				KLOG_WARN("core", "event=request_failed type=%d err=%s", cmd.type,
					  kiosk_errname(rc));
			file_result(c, cmd.req, rc, value, text, text2);
			kiosk_cleanse(text, sizeof text); /* may have held a test pickup code */
			publish(c); /* outbox depth may have changed */
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
	/* Once a minute: parcels past their keep time expire, unpaid reservations lapse. */
	if (++c->ticks % 60 == 0) {
		int n = kiosk_parcel_expire_due(c->store);
		int m = kiosk_compartment_release_expired(c->store);
		if (n > 0 || m > 0)
			KLOG_INFO("core", "event=housekeeping parcels_expired=%d reservations_released=%d",
				  n, m);
		if (n > 0 || m > 0)
			publish(c);
	}
	return TICK_MS;
}

static void control_error(cJSON *r, int rc)
{
	cJSON_AddStringToObject(r, "error", kiosk_errname(rc));
	cJSON_AddStringToObject(r, "message", kiosk_strerror(rc));
}

/* kioskctl locker list | open C | disable C | enable C — a technician at the bank. */
static void control_locker(struct kiosk_core *c, const char *args, cJSON *r)
{
	char verb[16] = "", id[32] = "", extra[2] = "";
	int n = sscanf(args, "%15s %31s %1s", verb, id, extra);
	if (!c->locker) {
		control_error(r, KIOSK_ENOTSUP);
		return;
	}
	if (n == 1 && strcmp(verb, "list") == 0) {
		publish(c);
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
		return;
	}
	int rc = KIOSK_EINVAL;
	if (n == 2 && strcmp(verb, "open") == 0) {
		struct kiosk_door door;
		rc = kiosk_compartment_open_intent(c->store, id, "kioskctl", &door);
		if (rc == KIOSK_OK)
			rc = kiosk_locker_open_door(c->locker, &door);
	} else if (n == 2 && (strcmp(verb, "disable") == 0 || strcmp(verb, "enable") == 0)) {
		rc = kiosk_compartment_set(c->store, id, verb[0] == 'd' ? "disabled" : "free",
					   "kioskctl");
	}
	publish(c);
	if (rc)
		control_error(r, rc);
	else
		cJSON_AddStringToObject(r, "result", "ok");
}

/* kioskctl's requests, answered on the core thread (the store's thread). */
static size_t on_control(void *arg, const char *req, char *out, size_t cap)
{
	struct kiosk_core *c = arg;
	cJSON *r = cJSON_CreateObject();
	if (strcmp(req, "status") == 0) {
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
	} else if (strncmp(req, "locker ", 7) == 0) {
		control_locker(c, req + 7, r);
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

/* The door monitor's round; the snapshot follows what it saw. */
static int64_t on_locker_poll(struct kiosk_loop *loop, int id, void *arg)
{
	(void)loop;
	(void)id;
	struct kiosk_core *c = arg;
	int64_t before = 0, after = 0, last;
	kiosk_outbox_depth(c->store, &before, &last);
	bool healthy = kiosk_locker_healthy(c->locker);
	unsigned long doors = kiosk_locker_door_changes(c->locker);
	kiosk_locker_poll(c->locker);
	kiosk_outbox_depth(c->store, &after, &last);
	if (after != before || healthy != kiosk_locker_healthy(c->locker) ||
	    doors != kiosk_locker_door_changes(c->locker))
		publish(c);
	return KIOSK_LOCKER_POLL_MS;
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
		c->snap.dev[d] = s;
		KLOG_INFO("core", "event=device class=%s state=%s driver=%s", class_names[d],
			  state_names[s], dc->driver[0] ? dc->driver : "-");
	}
	c->snap.simulate = c->simulate;
}

static int open_store(struct kiosk_core *c, char *why, size_t why_len)
{
	uint8_t key[KIOSK_DEVKEY_LEN];
	int rc = kiosk_devkey_load(c->cfg.device_key_file, key);
	if (rc) {
		snprintf(why, why_len, "device key %s: %s", c->cfg.device_key_file,
			 kiosk_strerror(rc));
		return rc;
	}
	const struct kiosk_config *k = &c->cfg;
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
	if (rc)
		snprintf(why, why_len, "store %s: %s", c->cfg.store_path, kiosk_strerror(rc));
	return rc;
}

/* The demo machine (--simulate) needs someone to log in to maintenance with: operator
 * 8001, PIN 2468, documented in the README. Only when the store has no operator yet, so
 * a real deployment's credentials are never touched. */
static void seed_demo(struct kiosk_core *c)
{
	int64_t n = 0;
	char hash[KIOSK_PINHASH_MAX];
	/* And couriers 9001 (SF) and 9002 (JD), PIN 1357, for the deposit flow; their two
	 * companies are the carriers a resident can send with. */
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
	c->simulate = opts->simulate;
	c->notify = opts->notify;
	c->notify_arg = opts->notify_arg;
	c->started_mono = kiosk_mono_ms();
	c->test_clock = opts->test_clock;
	atomic_store(&c->ui_alive_mono, c->started_mono);
	pthread_mutex_init(&c->snap_mu, NULL);
	init_devices(c);

	rc = open_store(c, why, why_len);
	if (rc)
		goto out_free;
	if (c->simulate)
		seed_demo(c);
	rc = kiosk_locker_open(&c->cfg, c->store, c->simulate, &c->locker, why, why_len);
	if (rc)
		goto out_store;
	rc = kiosk_loop_new(&c->loop);
	if (rc)
		goto out_store;
	rc = kiosk_cmdq_new(&c->q);
	if (rc)
		goto out_loop;
	rc = kiosk_loop_add_fd(c->loop, kiosk_cmdq_fd(c->q), POLLIN, on_command, c);
	if (rc)
		goto out_q;
	rc = kiosk_loop_add_timer(c->loop, TICK_MS, on_tick, c);
	if (rc >= 0 && c->locker)
		rc = kiosk_loop_add_timer(c->loop, KIOSK_LOCKER_POLL_MS, on_locker_poll, c);
	if (rc < 0)
		goto out_q;
	rc = kiosk_control_open(c->loop, c->cfg.control_socket, on_control, c, &c->control);
	if (rc) {
		snprintf(why, why_len, "control socket %s: %s", c->cfg.control_socket,
			 kiosk_strerror(rc));
		goto out_q;
	}

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
	kiosk_control_close(c->control);
out_q:
	kiosk_cmdq_free(c->q);
out_loop:
	kiosk_loop_free(c->loop);
out_store:
	kiosk_locker_close(c->locker);
	kiosk_store_close(c->store);
out_free:
	pthread_mutex_destroy(&c->snap_mu);
	kiosk_free(c);
	return rc;
}

int kiosk_core_send(struct kiosk_core *core, enum kiosk_cmd_type type, int64_t arg)
{
	struct kiosk_cmd cmd = {.type = type, .arg = arg};
	return kiosk_cmdq_push(core->q, &cmd);
}

int kiosk_core_request(struct kiosk_core *core, enum kiosk_cmd_type type, int64_t arg,
		       const char *s1, const char *s2, uint32_t *req)
{
	struct kiosk_cmd cmd = {.type = type, .arg = arg};
	do
		cmd.req = atomic_fetch_add(&core->next_req, 1) + 1;
	while (cmd.req == 0);
	if ((s1 && strlen(s1) >= sizeof cmd.s1) || (s2 && strlen(s2) >= sizeof cmd.s2))
		return KIOSK_EINVAL;
	snprintf(cmd.s1, sizeof cmd.s1, "%s", s1 ? s1 : "");
	snprintf(cmd.s2, sizeof cmd.s2, "%s", s2 ? s2 : "");
	int rc = kiosk_cmdq_push(core->q, &cmd);
	kiosk_cleanse(cmd.s2, sizeof cmd.s2);
	if (rc == KIOSK_OK && req)
		*req = cmd.req;
	return rc;
}

int kiosk_core_result(struct kiosk_core *core, uint32_t req, struct kiosk_result *out)
{
	int found = 0;
	pthread_mutex_lock(&core->snap_mu);
	for (int i = 0; i < NRESULTS && req; i++) {
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
	while (kiosk_core_send(core, KIOSK_CMD_QUIT, 0) == KIOSK_EBUSY)
		sched_yield();
	pthread_join(core->thread, NULL);
	kiosk_control_close(core->control);
	kiosk_locker_close(core->locker);
	kiosk_store_close(core->store);
	kiosk_cmdq_free(core->q);
	kiosk_loop_free(core->loop);
	pthread_mutex_destroy(&core->snap_mu);
	kiosk_free(core);
}
