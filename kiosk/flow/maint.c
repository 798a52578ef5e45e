/* 运维 Maintenance: operator login, and what an operator does at the bank — open one door,
 * disable / enable a compartment, look inside a lost one, open every empty one for
 * cleaning — and "sync now". One handler per operation whoever asks: the operator logged
 * in at the screen, kioskctl as root or the kiosk's user, or the platform's remote
 * command; the audit trail names which. */
#include "kiosk/flow/flow.h"
#include "hal/base/error.h"

#include <stdio.h>
#include <string.h>

static int login(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		 struct kiosk_result *res)
{
	return kiosk_flow_login(x, rq, cmd, "operator", x->p->auth->operator_id, res);
}

/* An operator's door: the intent (intent_fn: a working compartment, or one out of service
 * opened to look inside), then the door's outcome awaited. */
static int operator_door(struct kiosk_fctx *x, const struct kiosk_request *rq,
			 struct kiosk_cmd *cmd, struct kiosk_result *res,
			 int (*intent_fn)(struct kiosk_store *, const char *, const char *,
					  struct kiosk_door *))
{
	struct kiosk_door door;
	KIOSK_TERM(cmd->u.compartment.id);
	KIOSK_TERM(cmd->u.compartment.operator_id);
	if (!kiosk_flow_may_operate(x, rq, cmd->u.compartment.operator_id))
		return KIOSK_EDENIED;
	int rc = x->p->door_ready(x);
	if (rc)
		return rc;
	rc = intent_fn(x->p->store, cmd->u.compartment.id,
		       kiosk_flow_actor_name(rq, cmd->u.compartment.operator_id), &door);
	if (rc)
		return rc;
	return x->p->door_open(x, rq, res, &door);
}

static int open_one(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		    struct kiosk_result *res)
{
	return operator_door(x, rq, cmd, res, kiosk_compartment_open_intent);
}

static int set(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
	       struct kiosk_result *res)
{
	KIOSK_TERM(cmd->u.compartment.id);
	KIOSK_TERM(cmd->u.compartment.operator_id);
	if (!kiosk_flow_may_operate(x, rq, cmd->u.compartment.operator_id))
		return KIOSK_EDENIED;
	int rc = kiosk_compartment_set(x->p->store, cmd->u.compartment.id,
				       cmd->u.compartment.disable ? "disabled" : "free",
				       kiosk_flow_actor_name(rq, cmd->u.compartment.operator_id));
	if (rc == KIOSK_ELOOK) {
		struct kiosk_look look;
		if (kiosk_compartment_look(x->p->store, cmd->u.compartment.id, &look) == KIOSK_OK) {
			res->u.look.item = look.item;
			res->u.look.in_flight = look.in_flight;
			snprintf(res->u.look.tracking, sizeof res->u.look.tracking, "%s",
				 look.tracking);
		}
	}
	return rc;
}

/* The operator opens a lost compartment to look inside. */
static int inspect(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		   struct kiosk_result *res)
{
	return operator_door(x, rq, cmd, res, kiosk_compartment_inspect_intent);
}

/* … and says what was inside: only someone who has looked, at the bank. */
static int resolve(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		   struct kiosk_result *res)
{
	(void)res;
	KIOSK_TERM(cmd->u.compartment.id);
	KIOSK_TERM(cmd->u.compartment.operator_id);
	if (!kiosk_flow_is_operator(x, rq, cmd->u.compartment.operator_id))
		return KIOSK_EDENIED;
	return kiosk_compartment_resolve(x->p->store, cmd->u.compartment.id,
					 cmd->u.compartment.operator_id, cmd->u.compartment.keep);
}

struct all_ctx {
	struct kiosk_fctx *x;
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
	int rc = o->x->p->door_ready(o->x);
	if (rc == KIOSK_OK)
		rc = kiosk_compartment_open_intent(o->x->p->store, k->id, o->by, &door);
	if (rc == KIOSK_OK)
		o->x->p->group_add(o->x, o->group, &door);
	else
		o->x->p->group_error(o->x, o->group, rc);
	return 0;
}

/* Every free, usable door (cleaning). */
static int open_all(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		    struct kiosk_result *res)
{
	(void)res;
	KIOSK_TERM(cmd->u.all.operator_id);
	if (!kiosk_flow_may_operate(x, rq, cmd->u.all.operator_id))
		return KIOSK_EDENIED;
	int rc = x->p->door_ready(x);
	if (rc)
		return rc;
	struct all_ctx o = {x, kiosk_flow_actor_name(rq, cmd->u.all.operator_id),
			    x->p->group_begin(x, rq)};
	if (o.group < 0)
		return o.group;
	kiosk_compartment_each(x->p->store, open_if_empty, &o);
	return x->p->group_end(x, o.group);
}

/* "立即同步": the operator saw the link back and does not want to wait out the backoff. */
static int sync_now(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		    struct kiosk_result *res)
{
	(void)res;
	KIOSK_TERM(cmd->u.all.operator_id);
	if (!kiosk_flow_may_operate(x, rq, cmd->u.all.operator_id) ||
	    rq->actor.kind == KIOSK_ACTOR_PLATFORM)
		return KIOSK_EDENIED;
	if (!x->p->platform(x))
		return KIOSK_ENOTSUP;
	x->p->platform_now(x);
	return KIOSK_OK;
}

static void view(struct kiosk_fctx *x, struct kiosk_session_view *v)
{
	snprintf(v->operator_id, sizeof v->operator_id, "%s", x->p->auth->operator_id);
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

const struct kiosk_flow kiosk_flow_maint = {
	.name = "maint",
	.handlers = handlers,
	.view = view,
};
