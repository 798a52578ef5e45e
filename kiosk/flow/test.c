/* What headless UI scripts and tests ask of the core: outbox counts, the virtual clock,
 * simulator lines, and the newest pickup code (the SMS a script cannot read). The last
 * three only with the test clock / --simulate. */
#include "kiosk/core_int.h"
#include "hal/base/error.h"

#include <stdatomic.h>
#include <string.h>

/* The store's clock skew, shared with core.c's store clock. */
extern atomic_llong kiosk_core_test_skew_ms;

static int count_events(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	KIOSK_TERM(cmd->u.name.text);
	return kiosk_outbox_count_type(c->store, cmd->u.name.text, &res->u.count.n);
}

static int clock_skew(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	(void)res;
	if (!c->test_clock)
		return KIOSK_EDENIED;
	c->skew_ms += cmd->u.skew.ms;
	atomic_store(&kiosk_core_test_skew_ms, c->skew_ms);
	return KIOSK_OK;
}

static int sim_lock(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	(void)res;
	KIOSK_TERM(cmd->u.name.text);
	return c->locker ? kiosk_locker_sim(c->locker, cmd->u.name.text) : KIOSK_ENOTSUP;
}

static int last_code(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res)
{
	(void)cmd;
	if (!c->test_clock)
		return KIOSK_EDENIED;
	if (c->test_code[0]) { /* the last deposit's, kept for tests only */
		memcpy(res->u.code.digits, c->test_code, sizeof c->test_code);
		return KIOSK_OK;
	}
	return kiosk_outbox_last_code(c->store, res->u.code.digits);
}

static const struct kiosk_cmd_handler handlers[] = {
	{KIOSK_CMD_COUNT_EVENTS, count_events},
	{KIOSK_CMD_CLOCK_SKEW, clock_skew},
	{KIOSK_CMD_SIM_LOCK, sim_lock},
	{KIOSK_CMD_TEST_LAST_CODE, last_code},
	{0},
};

const struct kiosk_flow kiosk_flow_test = {"test", handlers};
