/* What headless UI scripts and tests ask of the core: outbox counts, the virtual clock,
 * simulator lines, and the newest pickup code (the SMS a script cannot read). The last
 * three only with the test clock / --simulate. */
#include "kiosk/flow/flow.h"
#include "hal/base/error.h"

#include <string.h>

static int count_events(struct kiosk_fctx *x, const struct kiosk_request *rq,
			struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	(void)rq;
	KIOSK_TERM(cmd->u.name.text);
	return kiosk_outbox_count_type(x->p->store, cmd->u.name.text, &res->u.count.n);
}

static int clock_skew(struct kiosk_fctx *x, const struct kiosk_request *rq,
		      struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	(void)rq;
	(void)res;
	return x->p->clock_skew(x, cmd->u.skew.ms);
}

static int sim_lock(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		    struct kiosk_result *res)
{
	(void)rq;
	(void)res;
	KIOSK_TERM(cmd->u.name.text);
	return x->p->device_sim(x, KIOSK_DEV_LOCK, cmd->u.name.text);
}

static int sim_vend(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		    struct kiosk_result *res)
{
	(void)rq;
	(void)res;
	KIOSK_TERM(cmd->u.name.text);
	return x->p->device_sim(x, KIOSK_DEV_VEND, cmd->u.name.text);
}

static int sim_mdb(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		   struct kiosk_result *res)
{
	(void)rq;
	(void)res;
	KIOSK_TERM(cmd->u.name.text);
	return x->p->device_sim(x, KIOSK_DEV_MDB, cmd->u.name.text);
}

static int sim_scanner(struct kiosk_fctx *x, const struct kiosk_request *rq,
		       struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	(void)rq;
	(void)res;
	KIOSK_TERM(cmd->u.sim.line);
	return x->p->device_sim(x, KIOSK_DEV_SCANNER, cmd->u.sim.line);
}

static int sim_printer(struct kiosk_fctx *x, const struct kiosk_request *rq,
		       struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	(void)rq;
	(void)res;
	KIOSK_TERM(cmd->u.name.text);
	return x->p->device_sim(x, KIOSK_DEV_PRINTER, cmd->u.name.text);
}

static int last_code(struct kiosk_fctx *x, const struct kiosk_request *rq,
		     struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	(void)rq;
	(void)cmd;
	if (!x->p->test_code)
		return KIOSK_EDENIED;
	if (x->p->test_code[0]) { /* the last deposit's, kept for tests only */
		memcpy(res->u.code.digits, x->p->test_code, 9);
		return KIOSK_OK;
	}
	return kiosk_outbox_last_code(x->p->store, res->u.code.digits);
}

static const struct kiosk_cmd_handler handlers[] = {
	{KIOSK_CMD_COUNT_EVENTS, count_events},
	{KIOSK_CMD_CLOCK_SKEW, clock_skew},
	{KIOSK_CMD_SIM_LOCK, sim_lock},
	{KIOSK_CMD_SIM_VEND, sim_vend},
	{KIOSK_CMD_SIM_MDB, sim_mdb},
	{KIOSK_CMD_SIM_SCANNER, sim_scanner},
	{KIOSK_CMD_SIM_PRINTER, sim_printer},
	{KIOSK_CMD_TEST_LAST_CODE, last_code},
	{0},
};

const struct kiosk_flow kiosk_flow_test = {
	.name = "test",
	.handlers = handlers,
};
