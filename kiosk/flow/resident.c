/* What any resident may do without proving anything: call for help, rate, say which
 * service is missing — and leave, which ends the session. */
#include "kiosk/core_int.h"
#include "kiosk/crypto.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#define HELP_DEDUP_MS (2 * 60 * 1000) /* a second help call within this is the same call */

static int help(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	/* One call per incident: pressing again while help is on its way must not page the
	 * service centre twice. */
	int64_t now = kiosk_core_business_ms(c);
	if (c->last_help_ms && now - c->last_help_ms < HELP_DEDUP_MS) {
		res->u.help.already = true;
		return KIOSK_OK;
	}
	KIOSK_TERM(cmd->u.help.lang);
	int rc = kiosk_event_help(c->store, cmd->u.help.lang, cmd->u.help.elderly);
	if (rc == KIOSK_OK)
		c->last_help_ms = now;
	return rc;
}

static int feedback(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	(void)res;
	KIOSK_TERM(cmd->u.feedback.context);
	KIOSK_TERM(cmd->u.feedback.comment);
	return kiosk_event_feedback(c->store, cmd->u.feedback.context, cmd->u.feedback.stars,
				    cmd->u.feedback.comment);
}

static int service_request(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	(void)res;
	KIOSK_TERM(cmd->u.service.category);
	KIOSK_TERM(cmd->u.service.text);
	return kiosk_event_service_request(c->store, cmd->u.service.category, cmd->u.service.text);
}

/* The person left (home, idle): nothing they proved outlives them. A door still on its
 * way is recorded as always; only nobody is shown it. */
static int session_end(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	(void)cmd;
	(void)res;
	if (c->session.courier[0] || c->session.operator_id[0] || c->session.pickup)
		KLOG_DEBUG("core", "event=session_end");
	/* A QR left on the screen is cancelled; a 寄付 never paid lets its compartment go. */
	bool unpaid_send = c->session.send == KIOSK_SEND_PAYING;
	kiosk_pay_leave(c);
	if (unpaid_send)
		kiosk_send_cancel(c->store, c->session.send_parcel);
	c->booking_req = 0; /* a lookup still out finds nobody to answer */
	kiosk_cleanse(&c->session, sizeof c->session);
	return KIOSK_OK;
}

static const struct kiosk_cmd_handler handlers[] = {
	{KIOSK_CMD_HELP, help},
	{KIOSK_CMD_FEEDBACK, feedback},
	{KIOSK_CMD_SERVICE_REQ, service_request},
	{KIOSK_CMD_SESSION_END, session_end},
	{0},
};

const struct kiosk_flow kiosk_flow_resident = {"resident", handlers};
