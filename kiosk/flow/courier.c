/* 快递员 Courier at the screen: login, and the courier's tasks (expired parcels to take
 * back, sends to collect). The courier's steps are flows of their own (deposit.c,
 * takeout.c); each checks the courier against the one logged in here. */
#include "kiosk/flow/flow.h"
#include "hal/base/error.h"

#include <stdio.h>
#include <string.h>

static int login(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		 struct kiosk_result *res)
{
	return kiosk_flow_login(x, rq, cmd, "courier", x->p->auth->courier, res);
}

static int tasks(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		 struct kiosk_result *res)
{
	KIOSK_TERM(cmd->u.courier.courier);
	if (!kiosk_flow_is_courier(x, rq, cmd->u.courier.courier))
		return KIOSK_EDENIED;
	return kiosk_courier_tasks(x->p->store, cmd->u.courier.courier, &res->u.tasks.expired,
				   &res->u.tasks.sends);
}

static void view(struct kiosk_fctx *x, struct kiosk_session_view *v)
{
	snprintf(v->courier, sizeof v->courier, "%s", x->p->auth->courier);
}

/* A courier's badge scanned at the login: its id for the id field ("courier:" before it
 * is allowed); the PIN is still typed — a badge alone opens nothing. */
static int on_scan(struct kiosk_fctx *x, const char *where, const char *code,
		   struct kiosk_cmd *intent, struct kiosk_result *res)
{
	(void)x, (void)where, (void)intent;
	if (strncmp(code, "courier:", 8) == 0)
		code += 8;
	if (!kiosk_flow_scan_word(code, 1, 31, "-_")) /* the id field holds 31 */
		return KIOSK_EPARSE;
	snprintf(res->u.scan.text, sizeof res->u.scan.text, "%s", code);
	return KIOSK_OK;
}

static const char *const scan_places[] = {"courier_login", NULL};

static const struct kiosk_cmd_handler handlers[] = {
	{KIOSK_CMD_LOGIN_COURIER, login},
	{KIOSK_CMD_COURIER_TASKS, tasks},
	{0},
};

const struct kiosk_flow kiosk_flow_courier = {
	.name = "courier",
	.handlers = handlers,
	.scan_at = scan_places,
	.on_scan = on_scan,
	.view = view,
};
