/* What any resident may do without proving anything: call for help, rate, say which
 * service is missing. */
#include "kiosk/flow/flow.h"
#include "hal/base/error.h"

#define HELP_DEDUP_MS (2 * 60 * 1000) /* a second help call within this is the same call */

struct resident_keep {
	int64_t last_help_ms; /* business time of the last help call, 0 = none */
};

static int help(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		struct kiosk_result *res)
{
	(void)rq;
	struct resident_keep *k = x->keep;
	/* One call per incident: pressing again while help is on its way must not page the
	 * service centre twice. */
	int64_t now = x->p->business_ms(x);
	if (k->last_help_ms && now - k->last_help_ms < HELP_DEDUP_MS) {
		res->u.help.already = true;
		return KIOSK_OK;
	}
	KIOSK_TERM(cmd->u.help.lang);
	int rc = kiosk_event_help(x->p->store, cmd->u.help.lang, cmd->u.help.elderly);
	if (rc == KIOSK_OK)
		k->last_help_ms = now;
	return rc;
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
};
