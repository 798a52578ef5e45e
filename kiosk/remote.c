/* What the platform sends the core: remote commands (carried out through the same handler
 * table as the screen's, as the platform's actor), the settings it may change, and what the
 * heartbeat tells it of the devices. */
#include "kiosk/core_int.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

/* Remote commands the platform sent (each handed out once by the store; audited there with
 * its command.done, which the request's answer files — at once, or when the doors are in). */
void kiosk_core_on_sync_commands(void *arg)
{
	struct kiosk_core *c = arg;
	char id[64], comp[16];
	enum kiosk_command_type type;
	while (kiosk_command_next(c->store, id, &type, comp) == KIOSK_OK) {
		KLOG_INFO("core", "event=remote_command id=%s type=%d", id, (int)type);
		struct kiosk_request rq = {.actor = {KIOSK_ACTOR_PLATFORM, "platform"}};
		struct kiosk_cmd cmd = {0};
		snprintf(rq.remote, sizeof rq.remote, "%s", id);
		if (type == KIOSK_RC_REMOTE_UNLOCK) {
			cmd.type = KIOSK_CMD_OPEN_COMPARTMENT;
			snprintf(cmd.u.compartment.id, sizeof cmd.u.compartment.id, "%s", comp);
		} else if (type == KIOSK_RC_OPEN_ALL) {
			cmd.type = KIOSK_CMD_OPEN_ALL;
		} else if (type == KIOSK_RC_REBOOT) {
			c->restart_requested = true;
			kiosk_command_finish(c->store, id, "restarting");
			continue;
		} else {
			kiosk_command_finish(c->store, id, "unknown");
			continue;
		}
		struct kiosk_result res;
		if (kiosk_core_run(c, &rq, &cmd, &res) != KIOSK_FLOW_PENDING)
			kiosk_core_answer(c, &rq, &res);
	}
	kiosk_core_publish(c);
}

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
void kiosk_core_apply_settings(struct kiosk_core *c)
{
	static struct kiosk_config next; /* core thread only (and start, before it runs) */
	next = c->file_cfg;
	kiosk_syncstate_each(c->store, "config.", apply_setting, &next);
	c->cfg = next;
	struct kiosk_fee_rule fee = {c->cfg.parcel_free_hours, c->cfg.parcel_fee_block_hours,
				     c->cfg.parcel_fee_block_fen, c->cfg.parcel_fee_cap_fen};
	kiosk_store_set_rules(c->store, &fee, c->cfg.parcel_keep_days);
}

void kiosk_core_on_sync_settings(void *arg)
{
	struct kiosk_core *c = arg;
	kiosk_core_apply_settings(c);
	KLOG_INFO("core", "event=settings_applied");
	kiosk_core_publish(c);
}

/* The heartbeat's device states: what the operator's dashboard shows per kiosk. */
void kiosk_core_on_heartbeat(cJSON *devices, cJSON *faults, void *arg)
{
	struct kiosk_core *c = arg;
	if (kiosk_store_verify_state(c->store, NULL, 0) == KIOSK_VERIFY_DAMAGED)
		cJSON_AddItemToArray(faults, cJSON_CreateString("store"));
	if (c->disk_full)
		cJSON_AddItemToArray(faults, cJSON_CreateString("disk_full"));
	for (int d = 0; d < KIOSK_DEV_COUNT; d++) {
		cJSON_AddStringToObject(devices, kiosk_devclass_name((enum kiosk_devclass)d), kiosk_devstate_name(c->snap.dev[d]));
		if (c->snap.dev[d] == KIOSK_DEVSTATE_FAULT)
			cJSON_AddItemToArray(faults, cJSON_CreateString(kiosk_devclass_name((enum kiosk_devclass)d)));
	}
}
