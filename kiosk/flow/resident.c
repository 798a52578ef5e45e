/* What any resident may do without proving anything: call for help, rate, say which
 * service is missing.
 *
 * A help call is true only when the platform has it: its ack is the proof that the duty
 * staff were paged (PLATFORM-API.md). Until then the screen says "calling"; offline, on a
 * refusal, or with no ack within $.help.ack_wait_s it says nobody has been told yet and
 * gives the hotline — and turns to "received" if the ack comes while the resident is
 * still there. The call stays queued and goes first whenever the link is tried. */
#include "kiosk/flow/flow.h"
#include "hal/base/error.h"

#include <stdio.h>

#define HELP_DEDUP_MS (2 * 60 * 1000) /* a second help call within this is the same call */

struct resident_keep {
	int64_t last_help_ms; /* business time of the last help call, 0 = none */
	int64_t help_seq;     /* its event */
	int wait_timer;       /* fires when the ack is overdue: the screen must say so */
};

static int64_t help_overdue(struct kiosk_fctx *x, int id)
{
	(void)id;
	struct resident_keep *k = x->keep;
	k->wait_timer = 0;
	x->p->publish(x);
	return -1;
}

static int help(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		struct kiosk_result *res)
{
	(void)rq;
	struct resident_keep *k = x->keep;
	/* One call per incident: pressing again while help is on its way must not page the
	 * service centre twice. */
	KIOSK_TERM(cmd->u.help.lang);
	KIOSK_TERM(cmd->u.help.where);
	KIOSK_TERM(cmd->u.help.problem);
	/* a problem reported from a step: staff hear where, and the door or parcel concerned */
	struct kiosk_help_about about = {0};
	snprintf(about.where, sizeof about.where, "%s", cmd->u.help.where);
	snprintf(about.problem, sizeof about.problem, "%s", cmd->u.help.problem);
	if (!kiosk_help_about_ok(cmd->u.help.lang, &about))
		return KIOSK_EINVAL; /* refused before anything is decided */
	int64_t now = x->p->business_ms(x);
	if (k->last_help_ms && now - k->last_help_ms < HELP_DEDUP_MS) {
		res->u.help.already = true;
		return KIOSK_OK;
	}
	if (about.where[0])
		x->p->help_about(x, &about);
	int rc = kiosk_event_help_about(x->p->store, cmd->u.help.lang, cmd->u.help.elderly, &about);
	int64_t unsent = 0, seq = 0;
	if (rc == KIOSK_OK) /* the core is the outbox's only writer: the last seq is ours */
		rc = kiosk_outbox_depth(x->p->store, &unsent, &seq);
	if (rc)
		return rc;
	k->last_help_ms = now;
	k->help_seq = seq;
	if (k->wait_timer)
		x->p->timer_del(x, k->wait_timer);
	int id = x->p->timer_add(x, (int64_t)x->p->cfg->help_ack_wait_s * 1000, help_overdue);
	k->wait_timer = id > 0 ? id : 0;
	x->p->platform_urgent(x);
	return KIOSK_OK;
}

/* What is true of the last call right now. */
static void view(struct kiosk_fctx *x, struct kiosk_session_view *v)
{
	struct resident_keep *k = x->keep;
	enum kiosk_event_fate fate;
	if (!k->help_seq)
		return;
	if (kiosk_outbox_fate(x->p->store, k->help_seq, &fate) != KIOSK_OK) {
		v->help = KIOSK_HELP_UNREACHABLE;
		return;
	}
	bool overdue = x->p->business_ms(x) - k->last_help_ms >=
		       (int64_t)x->p->cfg->help_ack_wait_s * 1000;
	v->help = fate == KIOSK_EVENT_DELIVERED ? KIOSK_HELP_RECEIVED
		  : fate == KIOSK_EVENT_REFUSED || x->p->platform_down(x) || overdue
		      ? KIOSK_HELP_UNREACHABLE
		      : KIOSK_HELP_CALLING;
}

static int feedback(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		    struct kiosk_result *res)
{
	(void)rq;
	(void)res;
	KIOSK_TERM(cmd->u.feedback.context);
	KIOSK_TERM(cmd->u.feedback.comment);
	return kiosk_event_feedback(x->p->store, cmd->u.feedback.context, cmd->u.feedback.stars,
				    cmd->u.feedback.comment);
}

static int service_request(struct kiosk_fctx *x, const struct kiosk_request *rq,
			   struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	(void)rq;
	(void)res;
	KIOSK_TERM(cmd->u.service.category);
	KIOSK_TERM(cmd->u.service.text);
	return kiosk_event_service_request(x->p->store, cmd->u.service.category,
					   cmd->u.service.text);
}

static const struct kiosk_cmd_handler handlers[] = {
	{KIOSK_CMD_HELP, help},
	{KIOSK_CMD_FEEDBACK, feedback},
	{KIOSK_CMD_SERVICE_REQ, service_request},
	{0},
};

const struct kiosk_flow kiosk_flow_resident = {
	.name = "resident",
	.keep_size = sizeof(struct resident_keep),
	.handlers = handlers,
	.view = view,
};
