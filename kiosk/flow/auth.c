/* Who may do what: the rules every flow's handlers share, so that the screen, kioskctl and
 * the platform asking for the same operation meet the same check. */
#include "kiosk/flow/flow.h"
#include "hal/base/error.h"

#include <stdio.h>
#include <string.h>

int kiosk_flow_login(struct kiosk_fctx *x, const struct kiosk_request *rq,
		     struct kiosk_cmd *cmd, const char *role, char who[32],
		     struct kiosk_result *res)
{
	int wait = 0;
	KIOSK_TERM(cmd->u.login.id);
	KIOSK_TERM(cmd->u.login.pin);
	if (rq->actor.kind != KIOSK_ACTOR_SESSION)
		return KIOSK_EDENIED; /* a login belongs to a person at the screen */
	int rc = kiosk_person_login(x->p->store, cmd->u.login.id, role, cmd->u.login.pin, &wait);
	res->u.login.wait_s = wait;
	if (rc == KIOSK_OK)
		snprintf(who, 32, "%.31s", cmd->u.login.id);
	return rc;
}

static bool is_session_id(const char *logged, const struct kiosk_request *rq, const char *id)
{
	return rq->actor.kind == KIOSK_ACTOR_SESSION && id && logged[0] &&
	       strcmp(id, logged) == 0;
}

bool kiosk_flow_is_courier(const struct kiosk_fctx *x, const struct kiosk_request *rq,
			   const char *id)
{
	return is_session_id(x->p->auth->courier, rq, id);
}

bool kiosk_flow_is_operator(const struct kiosk_fctx *x, const struct kiosk_request *rq,
			    const char *id)
{
	return is_session_id(x->p->auth->operator_id, rq, id);
}

bool kiosk_flow_may_operate(const struct kiosk_fctx *x, const struct kiosk_request *rq,
			    const char *id)
{
	switch (rq->actor.kind) {
	case KIOSK_ACTOR_SESSION:
		return kiosk_flow_is_operator(x, rq, id);
	case KIOSK_ACTOR_LOCAL_ADMIN:
	case KIOSK_ACTOR_PLATFORM:
		return true;
	default:
		return false;
	}
}

const char *kiosk_flow_actor_name(const struct kiosk_request *rq, const char *id)
{
	return rq->actor.kind == KIOSK_ACTOR_SESSION ? id : rq->actor.name;
}
