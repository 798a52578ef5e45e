/* kioskctl's requests on the core thread: what it may read (status, the link, the bank)
 * is answered here from the snapshot; what it changes (open, disable, enable, sync now) is
 * a command through the same handler table as the screen's, with the caller's actor: root
 * and the kiosk's own user administer, anyone else in the socket's group only reads. */
#include "kiosk/core_int.h"
#include "kiosk/store/archive.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void control_error(cJSON *r, int rc, const char *message)
{
	cJSON_AddStringToObject(r, "error", kiosk_errname(rc));
	cJSON_AddStringToObject(r, "message", message ? message : kiosk_strerror(rc));
}

/* The JSON object of a result, as kioskctl prints it: {"result":"ok"} or
 * {"error":…,"message":…}. */
static void result_json(cJSON *r, const struct kiosk_result *res)
{
	if (res->rc)
		control_error(r, res->rc, NULL);
	else
		cJSON_AddStringToObject(r, "result", "ok");
}

/* Prints r as one line into out (cap bytes); returns the length. */
static size_t line_of(cJSON *r, char *out, size_t cap)
{
	char *text = cJSON_PrintUnformatted(r);
	size_t n = (size_t)snprintf(out, cap, "%s\n", text ? text : "{\"error\":\"out_of_memory\"}");
	cJSON_free(text);
	return n < cap ? n : cap - 1;
}

void kiosk_core_control_answer(struct kiosk_core *c, int ctl, const struct kiosk_result *res)
{
	cJSON *r = cJSON_CreateObject();
	char line[256];
	result_json(r, res);
	line_of(r, line, sizeof line);
	cJSON_Delete(r);
	if (kiosk_control_reply(c->control, ctl, line) != KIOSK_OK)
		KLOG_INFO("core", "event=control_answer_dropped reason=client_gone");
}

static void status(struct kiosk_core *c, cJSON *r)
{
	int64_t unsent = 0, last = 0;
	int rc = kiosk_outbox_depth(c->store, &unsent, &last);
	cJSON_AddStringToObject(r, "version", KIOSK_VERSION);
	cJSON_AddStringToObject(r, "device", c->cfg.device_id);
	cJSON_AddNumberToObject(r, "uptime_s", (double)((kiosk_mono_ms() - c->started_mono) / 1000));
	cJSON_AddBoolToObject(r, "simulate", c->simulate);
	cJSON_AddStringToObject(r, "store", rc != KIOSK_OK ? kiosk_errname(rc)
					    : c->disk_full ? "disk_full"
							   : "ok");
	/* the page check after an unclean shutdown, and what it found */
	char why[160] = "";
	enum kiosk_verify v = kiosk_store_verify_state(c->store, why, sizeof why);
	cJSON_AddStringToObject(r, "store_check", kiosk_verify_name(v));
	if (v == KIOSK_VERIFY_DAMAGED)
		cJSON_AddStringToObject(r, "store_damage", why);
	/* the archiver's last pass: when, what it moved, its verdict */
	struct kiosk_archive_stats as;
	int64_t at = 0;
	char amsg[200];
	if (kiosk_store_archive_last(c->store, &as, &at, amsg, sizeof amsg) == KIOSK_OK) {
		cJSON *a = cJSON_AddObjectToObject(r, "archive");
		cJSON_AddNumberToObject(a, "last_ms", (double)at);
		if (at) {
			cJSON_AddStringToObject(a, "result", amsg);
			cJSON_AddNumberToObject(a, "parcels", (double)as.parcels);
			cJSON_AddNumberToObject(a, "orders", (double)as.orders);
			cJSON_AddNumberToObject(a, "events", (double)as.events);
			cJSON_AddNumberToObject(a, "audit", (double)as.audit);
			cJSON_AddNumberToObject(a, "verified_through", (double)as.verified_n);
		}
	}
	cJSON *ob = cJSON_AddObjectToObject(r, "outbox");
	cJSON_AddNumberToObject(ob, "unsent", (double)unsent);
	cJSON_AddNumberToObject(ob, "last_seq", (double)last);
	cJSON *dev = cJSON_AddObjectToObject(r, "devices");
	pthread_mutex_lock(&c->snap_mu);
	for (int d = 0; d < KIOSK_DEV_COUNT; d++)
		cJSON_AddStringToObject(dev, kiosk_devclass_name((enum kiosk_devclass)d),
					kiosk_devstate_name(c->snap.dev[d]));
	/* how a resident can pay the vending machine now (what the screen offers) */
	static const char *const methods[] = {"qr", "card", "cash"};
	cJSON *pm = cJSON_AddArrayToObject(r, "payment_methods");
	for (int m = 0; m < 3; m++)
		if (c->snap.vend_ready && (c->snap.vend_methods & (1u << m)))
			cJSON_AddItemToArray(pm, cJSON_CreateString(methods[m]));
	/* the machine as its board last said */
	if (c->snap.vend_machine_known) {
		cJSON *vm = cJSON_AddObjectToObject(r, "vend_machine");
		cJSON_AddStringToObject(vm, "door", c->snap.vend_door_open ? "open" : "closed");
		cJSON_AddStringToObject(vm, "cooling", c->snap.vend_cooling_fault ? "fault" : "ok");
	}
	/* each MDB device as its bus found it, and what the changer's tubes hold */
	if (c->mdb) {
		cJSON *md = cJSON_AddObjectToObject(r, "mdb_devices");
		cJSON_AddStringToObject(md, "card", c->snap.mdb_card ? "ok" : "absent");
		cJSON_AddStringToObject(md, "coin", c->snap.mdb_coin ? "ok" : "absent");
		cJSON_AddStringToObject(md, "bill", c->snap.mdb_bill ? "ok" : "absent");
		cJSON *tubes = cJSON_AddArrayToObject(r, "coin_tubes");
		for (int t = 0; t < c->snap.ntubes; t++) {
			cJSON *o = cJSON_CreateObject();
			cJSON_AddNumberToObject(o, "fen", (double)c->snap.tube_fen[t]);
			cJSON_AddNumberToObject(o, "coins", c->snap.tube_count[t]);
			cJSON_AddItemToArray(tubes, o);
		}
	}
	pthread_mutex_unlock(&c->snap_mu);
	/* A fault says what is wrong, as its bus found it. */
	char fault[96] = "";
	cJSON *f = NULL;
	if (c->locker && !kiosk_locker_health(c->locker, fault, sizeof fault)) {
		f = cJSON_AddObjectToObject(r, "device_faults");
		cJSON_AddStringToObject(f, "lock", fault);
	}
	snprintf(fault, sizeof fault, "%.95s", c->mdb_why);
	if (fault[0] || (c->mdb && !kiosk_mdb_health(c->mdb, fault, sizeof fault))) {
		if (!f)
			f = cJSON_AddObjectToObject(r, "device_faults");
		cJSON_AddStringToObject(f, "mdb", fault);
	}
	snprintf(fault, sizeof fault, "%.95s", c->vend_why);
	if (fault[0] || (c->vending && !kiosk_vending_health(c->vending, fault, sizeof fault))) {
		if (!f)
			f = cJSON_AddObjectToObject(r, "device_faults");
		cJSON_AddStringToObject(f, "vend", fault);
	}
	/* the printer and the scanner, as the device itself said (out of paper, unplugged) */
	for (int d = KIOSK_DEV_PRINTER; d <= KIOSK_DEV_SCANNER; d++) {
		pthread_mutex_lock(&c->snap_mu);
		bool bad = c->snap.dev[d] == KIOSK_DEVSTATE_FAULT;
		snprintf(fault, sizeof fault, "%.95s", c->snap.dev_why[d]);
		pthread_mutex_unlock(&c->snap_mu);
		if (!bad)
			continue;
		if (!f)
			f = cJSON_AddObjectToObject(r, "device_faults");
		cJSON_AddStringToObject(f, kiosk_devclass_name((enum kiosk_devclass)d),
					fault[0] ? fault : "fault");
	}
}

static void locker_list(struct kiosk_core *c, cJSON *r)
{
	if (!c->locker) {
		control_error(r, KIOSK_ENOTSUP, NULL);
		return;
	}
	kiosk_core_publish(c);
	cJSON *arr = cJSON_AddArrayToObject(r, "compartments");
	pthread_mutex_lock(&c->snap_mu);
	for (int i = 0; i < c->snap.ncompartments; i++) {
		const struct kiosk_compartment_view *v = &c->snap.compartments[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "id", v->id);
		cJSON_AddStringToObject(o, "size", v->size);
		cJSON_AddStringToObject(o, "state", kiosk_comp_state_name(v->state));
		cJSON_AddStringToObject(o, "door", v->door_open ? "open" : "closed");
		cJSON_AddItemToArray(arr, o);
	}
	pthread_mutex_unlock(&c->snap_mu);
}

/* kioskctl sync status: the link as the operator needs it. */
static void sync_status(struct kiosk_core *c, cJSON *r)
{
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

/* A change: the command the verb stands for, run as the peer's actor. Returns false when
 * the answer comes later (a door's outcome). */
static bool change(struct kiosk_core *c, const struct kiosk_control_peer *peer,
		   const struct kiosk_control_req *q, cJSON *r)
{
	/* Root and the kiosk's own user administer; the socket's group may only read. */
	bool admin = peer->uid == 0 || peer->uid == geteuid();
	struct kiosk_request rq = {.ctl = peer->client,
				   .actor.kind = admin ? KIOSK_ACTOR_LOCAL_ADMIN
						       : KIOSK_ACTOR_LOCAL_READER};
	/* An actor id the audit trail keeps: who, by uid, asked through the socket. */
	snprintf(rq.actor.name, sizeof rq.actor.name, "kioskctl-uid%u", (unsigned)peer->uid);
	struct kiosk_cmd cmd = {0};
	switch (q->verb) {
	case KIOSK_CTL_LOCKER_OPEN:
		cmd.type = KIOSK_CMD_OPEN_COMPARTMENT;
		break;
	case KIOSK_CTL_LOCKER_DISABLE:
	case KIOSK_CTL_LOCKER_ENABLE:
		cmd.type = KIOSK_CMD_SET_COMPARTMENT;
		cmd.u.compartment.disable = q->verb == KIOSK_CTL_LOCKER_DISABLE;
		break;
	default:
		cmd.type = KIOSK_CMD_SYNC_NOW;
		break;
	}
	snprintf(cmd.u.compartment.id, sizeof cmd.u.compartment.id, "%s", q->compartment);
	if (cmd.type != KIOSK_CMD_SYNC_NOW && !c->locker) {
		control_error(r, KIOSK_ENOTSUP, NULL);
		return true;
	}
	struct kiosk_result res;
	if (kiosk_core_run(c, &rq, &cmd, &res) == KIOSK_FLOW_PENDING)
		return false;
	if (res.rc == KIOSK_EDENIED && !admin) {
		KLOG_WARN("core", "event=control_refused uid=%u verb=%d", (unsigned)peer->uid,
			  (int)q->verb);
		control_error(r, res.rc,
			      "only root or the kiosk's own user may open, disable or enable "
			      "compartments, or sync now");
	} else if (res.rc == KIOSK_ENOTSUP && cmd.type == KIOSK_CMD_SYNC_NOW) {
		control_error(r, res.rc, c->sync_why[0] ? c->sync_why : "no platform configured");
	} else {
		result_json(r, &res);
	}
	return true;
}

size_t kiosk_core_on_control(void *arg, const struct kiosk_control_peer *peer, const char *req,
			     char *out, size_t cap)
{
	struct kiosk_core *c = arg;
	cJSON *r = cJSON_CreateObject();
	struct kiosk_control_req q;
	int prc = kiosk_control_parse(req, &q);
	if (prc == KIOSK_OK && q.verb == KIOSK_CTL_STATUS) {
		status(c, r);
	} else if (prc == KIOSK_OK && q.verb == KIOSK_CTL_SYNC_STATUS) {
		sync_status(c, r);
	} else if (prc == KIOSK_OK && q.verb == KIOSK_CTL_LOCKER_LIST) {
		locker_list(c, r);
	} else if (prc == KIOSK_OK) {
		if (!change(c, peer, &q, r)) {
			cJSON_Delete(r);
			return 0; /* answered when the door's outcome is in */
		}
	} else if (prc == KIOSK_EINVAL) {
		control_error(r, KIOSK_EINVAL, NULL);
	} else {
		cJSON_AddStringToObject(r, "error", "unknown_command");
		cJSON_AddStringToObject(r, "message", "commands: status, locker list|open|disable|enable");
	}
	size_t n = line_of(r, out, cap);
	cJSON_Delete(r);
	return n;
}
