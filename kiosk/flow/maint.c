/* 运维 Maintenance: operator login, and the doors an operator may act on — open one,
 * disable / enable, open every empty one for cleaning. Only for the operator logged in
 * with this session. */
#include "kiosk/core_int.h"
#include "hal/base/error.h"

#include <stdio.h>
#include <string.h>

static int login(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	return kiosk_core_login(c, cmd, "operator", c->session.operator_id, res);
}

/* An operator's door: the intent (intent_fn: a working compartment, or one out of service
 * opened to look inside), then the door's outcome awaited. */
static int operator_door(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res,
			 int (*intent_fn)(struct kiosk_store *, const char *, const char *,
					  struct kiosk_door *))
{
	struct kiosk_door door;
	KIOSK_TERM(cmd->u.compartment.id);
	KIOSK_TERM(cmd->u.compartment.operator_id);
	if (!kiosk_core_is_operator(c, cmd->u.compartment.operator_id))
		return KIOSK_EDENIED;
	int rc = kiosk_core_door_ready(c);
	if (rc)
		return rc;
	rc = intent_fn(c->store, cmd->u.compartment.id, cmd->u.compartment.operator_id, &door);
	if (rc)
		return rc;
	return kiosk_core_await_door(c, cmd->req, 0, res, &door, NULL);
}

static int open_one(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	return operator_door(c, cmd, res, kiosk_compartment_open_intent);
}

static int set(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	KIOSK_TERM(cmd->u.compartment.id);
	KIOSK_TERM(cmd->u.compartment.operator_id);
	if (!kiosk_core_is_operator(c, cmd->u.compartment.operator_id))
		return KIOSK_EDENIED;
	int rc = kiosk_compartment_set(c->store, cmd->u.compartment.id,
				       cmd->u.compartment.disable ? "disabled" : "free",
				       cmd->u.compartment.operator_id);
	if (rc == KIOSK_ELOOK) {
		struct kiosk_look look;
		if (kiosk_compartment_look(c->store, cmd->u.compartment.id, &look) == KIOSK_OK) {
			res->u.look.item = look.item;
			res->u.look.in_flight = look.in_flight;
			snprintf(res->u.look.tracking, sizeof res->u.look.tracking, "%s",
				 look.tracking);
		}
	}
	return rc;
}

/* The operator opens a lost compartment to look inside. */
static int inspect(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	return operator_door(c, cmd, res, kiosk_compartment_inspect_intent);
}

/* … and says what was inside. */
static int resolve(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	(void)res;
	KIOSK_TERM(cmd->u.compartment.id);
	KIOSK_TERM(cmd->u.compartment.operator_id);
	if (!kiosk_core_is_operator(c, cmd->u.compartment.operator_id))
		return KIOSK_EDENIED;
	return kiosk_compartment_resolve(c->store, cmd->u.compartment.id,
					 cmd->u.compartment.operator_id, cmd->u.compartment.keep);
}

static int open_all(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	(void)res;
	KIOSK_TERM(cmd->u.all.operator_id);
	if (!kiosk_core_is_operator(c, cmd->u.all.operator_id))
		return KIOSK_EDENIED;
	return kiosk_core_open_all(c, cmd->req, cmd->u.all.operator_id);
}

/* "立即同步": the operator saw the link back and does not want to wait out the backoff. */
static int sync_now(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	(void)res;
	KIOSK_TERM(cmd->u.all.operator_id);
	if (!kiosk_core_is_operator(c, cmd->u.all.operator_id))
		return KIOSK_EDENIED;
	if (!c->sync)
		return KIOSK_ENOTSUP;
	kiosk_sync_now(c->sync);
	return KIOSK_OK;
}

static const struct kiosk_cmd_handler handlers[] = {
	{KIOSK_CMD_SYNC_NOW, sync_now},
	{KIOSK_CMD_LOGIN_OPERATOR, login},
	{KIOSK_CMD_OPEN_COMPARTMENT, open_one},
	{KIOSK_CMD_SET_COMPARTMENT, set},
	{KIOSK_CMD_INSPECT, inspect},
	{KIOSK_CMD_RESOLVE, resolve},
	{KIOSK_CMD_OPEN_ALL, open_all},
	{0},
};

const struct kiosk_flow kiosk_flow_maint = {"maint", handlers};
