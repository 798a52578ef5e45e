/* Who may do what: the rules every flow's handlers share, so that the screen, kioskctl and
 * the platform asking for the same operation meet the same check. */
#include "kiosk/flow/flow.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"

#include <stdio.h>
#include <string.h>

/* A login's PIN check on the worker thread: the key derivation takes tens of
 * milliseconds (up to KIOSK_PIN_MAX_ITER rounds), and neither the loop nor the store's
 * write lock waits for it. */
struct login_job {
	struct kiosk_fctx *x;
	struct kiosk_request rq;
	enum kiosk_cmd_type type;
	char id[KIOSK_CMD_ID], role[12], pin[16], hash[KIOSK_PINHASH_MAX];
	char *who;        /* where the id goes when it is right (the auth's, the core's life) */
	unsigned session; /* the session it belongs to */
	bool known, ok;
};

static void login_run(void *arg)
{
	struct login_job *j = arg;
	j->ok = kiosk_pin_verify(j->pin, j->hash) == KIOSK_OK;
	kiosk_cleanse(j->pin, sizeof j->pin);
}

static void login_done(void *arg, bool cancelled)
{
	struct login_job *j = arg;
	struct kiosk_fctx *x = j->x;
	if (!cancelled) {
		struct kiosk_result res = {.type = j->type};
		int wait = 0;
		int rc = kiosk_person_login_finish(x->p->store, j->id, j->role, j->known, j->ok,
						   &wait);
		/* The person left while the PIN was checked: counted, but nobody is logged in
		 * to a session that is not theirs. */
		if (rc == KIOSK_OK && x->p->auth->session != j->session)
			rc = KIOSK_ESTATE;
		if (rc == KIOSK_OK)
			snprintf(j->who, 32, "%.31s", j->id);
		res.rc = rc;
		res.u.login.wait_s = wait;
		x->p->answer(x, &j->rq, &res);
		x->p->publish(x);
	}
	kiosk_cleanse(j, sizeof *j);
	kiosk_free(j);
}

int kiosk_flow_login(struct kiosk_fctx *x, const struct kiosk_request *rq,
		     struct kiosk_cmd *cmd, const char *role, char who[32],
		     struct kiosk_result *res)
{
	int wait = 0;
	KIOSK_TERM(cmd->u.login.id);
	KIOSK_TERM(cmd->u.login.pin);
	if (rq->actor.kind != KIOSK_ACTOR_SESSION)
		return KIOSK_EDENIED; /* a login belongs to a person at the screen */
	if (!cmd->u.login.pin[0])
		return KIOSK_EINVAL;
	struct login_job *j = kiosk_calloc(1, sizeof *j);
	if (!j)
		return KIOSK_ENOMEM;
	char hash[KIOSK_PINHASH_MAX];
	bool known = false;
	int rc = kiosk_person_login_begin(x->p->store, cmd->u.login.id, role, hash, &known, &wait);
	res->u.login.wait_s = wait;
	if (rc == KIOSK_OK) {
		*j = (struct login_job){.x = x, .rq = *rq, .type = res->type, .who = who,
					.session = x->p->auth->session, .known = known};
		memcpy(j->hash, hash, sizeof hash);
		snprintf(j->id, sizeof j->id, "%s", cmd->u.login.id);
		snprintf(j->role, sizeof j->role, "%s", role);
		snprintf(j->pin, sizeof j->pin, "%s", cmd->u.login.pin);
		rc = x->p->work(x, login_run, login_done, j);
	}
	if (rc) {
		kiosk_cleanse(j, sizeof *j);
		kiosk_free(j);
		return rc;
	}
	return KIOSK_FLOW_PENDING;
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

void kiosk_flow_help_about(struct kiosk_help_about *a, const char *compartment,
			   const char *parcel, const char *order)
{
	if (!a->compartment[0] && compartment)
		snprintf(a->compartment, sizeof a->compartment, "%s", compartment);
	if (!a->parcel[0] && parcel)
		snprintf(a->parcel, sizeof a->parcel, "%s", parcel);
	if (!a->order[0] && order)
		snprintf(a->order, sizeof a->order, "%s", order);
}
