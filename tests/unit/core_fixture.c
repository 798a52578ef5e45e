/* The core fixture (core_fixture.h). */
#include "core_fixture.h"
#include "kiosk/store/store.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "../test.h"

#include <poll.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char cf_dir[64];
struct kiosk_config cf_cfg;

void cf_make_cfg(void)
{
	snprintf(cf_dir, sizeof cf_dir, "/tmp/kiosk-flows-XXXXXX");
	CHECK(mkdtemp(cf_dir) != NULL);
	kiosk_config_defaults(&cf_cfg);
	snprintf(cf_cfg.store_path, sizeof cf_cfg.store_path, "%s/kiosk.db", cf_dir);
	snprintf(cf_cfg.device_key_file, sizeof cf_cfg.device_key_file, "%s/device.key", cf_dir);
	snprintf(cf_cfg.control_socket, sizeof cf_cfg.control_socket, "%s/control.sock", cf_dir);
	snprintf(cf_cfg.lock.driver, sizeof cf_cfg.lock.driver, "kerong-cu16");
	static const char *const sizes[] = {"S", "S", "M", "L"};
	for (int i = 0; i < 4; i++) {
		struct kiosk_compartment_cfg *c = &cf_cfg.compartments[i];
		snprintf(c->id, sizeof c->id, "B%d", i + 1);
		c->board = 0;
		c->lock = i + 1;
		c->column = 1;
		c->row = i + 1;
		snprintf(c->size, sizeof c->size, "%s", sizes[i]);
	}
	/* and one door on a second board */
	struct kiosk_compartment_cfg *c = &cf_cfg.compartments[4];
	snprintf(c->id, sizeof c->id, "C1");
	c->board = 1;
	c->lock = 1;
	c->column = 2;
	c->row = 1;
	snprintf(c->size, sizeof c->size, "XL");
	cf_cfg.ncompartments = 5;
}

void cf_cleanup(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", cf_dir);
	CHECK(system(cmd) == 0);
}

struct kiosk_core *cf_start(void)
{
	struct kiosk_core *core = NULL;
	char why[256];
	struct kiosk_core_opts o = {.cfg = &cf_cfg, .simulate = true, .test_clock = true};
	CHECK_INT(kiosk_core_start(&o, &core, why, sizeof why), KIOSK_OK);
	return core;
}

/* The test's shorthand: a command built from (arg, s1, s2) by its type, then its result. */
static struct kiosk_cmd build(enum kiosk_cmd_type t, int64_t arg, const char *s1, const char *s2)
{
	struct kiosk_cmd c = {.type = t};
	s1 = s1 ? s1 : "";
	s2 = s2 ? s2 : "";
	switch (t) {
	case KIOSK_CMD_LOGIN_COURIER:
	case KIOSK_CMD_LOGIN_OPERATOR:
	case KIOSK_CMD_MEAL_LOGIN:
		snprintf(c.u.login.id, sizeof c.u.login.id, "%s", s1);
		snprintf(c.u.login.pin, sizeof c.u.login.pin, "%s", s2);
		break;
	case KIOSK_CMD_DEPOSIT:
		snprintf(c.u.deposit.courier, sizeof c.u.deposit.courier, "%s", s1);
		sscanf(s2, "%63s %15s", c.u.deposit.tracking, c.u.deposit.phone);
		c.u.deposit.size = (int)arg;
		break;
	case KIOSK_CMD_DEPOSIT_DONE:
	case KIOSK_CMD_DEPOSIT_CANCEL:
	case KIOSK_CMD_SEND_OPEN:
	case KIOSK_CMD_SEND_DONE:
	case KIOSK_CMD_SEND_CANCEL:
		snprintf(c.u.parcel.parcel, sizeof c.u.parcel.parcel, "%.36s", s1);
		break;
	case KIOSK_CMD_PICKUP_CHECK:
		snprintf(c.u.code.digits, sizeof c.u.code.digits, "%.11s", s2);
		break;
	case KIOSK_CMD_RETRIEVE:
	case KIOSK_CMD_COLLECT:
	case KIOSK_CMD_COURIER_TASKS:
	case KIOSK_CMD_UNFINISHED:
		snprintf(c.u.courier.courier, sizeof c.u.courier.courier, "%s", s1);
		break;
	case KIOSK_CMD_OPEN_COMPARTMENT:
	case KIOSK_CMD_SET_COMPARTMENT:
		snprintf(c.u.compartment.id, sizeof c.u.compartment.id, "%s", s1);
		snprintf(c.u.compartment.operator_id, sizeof c.u.compartment.operator_id, "%s", s2);
		c.u.compartment.disable = arg != 0;
		break;
	case KIOSK_CMD_OPEN_ALL:
		snprintf(c.u.all.operator_id, sizeof c.u.all.operator_id, "%s", s2);
		break;
	default:
		snprintf(c.u.name.text, sizeof c.u.name.text, "%s", s1);
		break;
	}
	return c;
}

struct kiosk_result cf_ask(struct kiosk_core *core, enum kiosk_cmd_type t, int64_t arg,
			   const char *s1, const char *s2)
{
	struct kiosk_cmd cmd = build(t, arg, s1, s2);
	return cf_submit(core, &cmd);
}

struct kiosk_result cf_submit(struct kiosk_core *core, const struct kiosk_cmd *cmd)
{
	uint32_t req = 0;
	CHECK_INT(kiosk_core_submit(core, cmd, &req), KIOSK_OK);
	return cf_result(core, req);
}

struct kiosk_result cf_result(struct kiosk_core *core, uint32_t req)
{
	struct kiosk_result r = {.rc = -999};
	int64_t until = kiosk_mono_ms() + 10000;
	while (!kiosk_core_result(core, req, &r) && kiosk_mono_ms() < until) {
		struct pollfd none;
		poll(&none, 0, 2); /* the core thread answers; nothing here to wait on */
	}
	return r;
}

/* Waits until the snapshot satisfies want (the monitor reads twice a second). */
bool cf_until(struct kiosk_core *core, bool (*want)(const struct kiosk_snapshot *))
{
	struct kiosk_snapshot s;
	int64_t until = kiosk_mono_ms() + 10000;
	do {
		kiosk_core_snapshot(core, &s);
		if (want(&s))
			return true;
		struct pollfd none;
		poll(&none, 0, 5);
	} while (kiosk_mono_ms() < until);
	return false;
}

/* Rows of the store file, read after the core stopped. */
long long cf_rows(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long long n = -1;
	if (sqlite3_open_v2(cf_cfg.store_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return n;
}

static bool deposit_open(const struct kiosk_snapshot *s)
{
	return s->session.deposit == KIOSK_DEPOSIT_OPEN;
}

static bool deposit_done(const struct kiosk_snapshot *s)
{
	return s->session.deposit == KIOSK_DEPOSIT_DONE;
}

bool cf_deposit_empty(const struct kiosk_snapshot *s)
{
	return s->session.deposit == KIOSK_DEPOSIT_EMPTY;
}

/* Courier 9001 (SF, PIN 1357, seeded by --simulate) deposits a parcel; returns its id. */
void cf_deposit(struct kiosk_core *core, const char *tracking, char parcel[64])
{
	CHECK_INT(cf_ask(core, KIOSK_CMD_LOGIN_COURIER, 0, "9001", "1357").rc, KIOSK_OK);
	char s2[64];
	snprintf(s2, sizeof s2, "%s 13812345678", tracking);
	struct kiosk_result r = cf_ask(core, KIOSK_CMD_DEPOSIT, 0 /* S */, "9001", s2);
	CHECK_INT(r.rc, KIOSK_OK);
	snprintf(parcel, 64, "%s", r.u.door.parcel);
	/* The door decides, not the courier's word: while it is open "done" is refused. */
	CHECK(cf_until(core, deposit_open));
	CHECK_INT(cf_ask(core, KIOSK_CMD_DEPOSIT_DONE, 0, parcel, NULL).rc, KIOSK_ESTATE);
	char line[32];
	snprintf(line, sizeof line, "put 0 %c", r.u.door.compartment[1]);
	CHECK_INT(cf_ask(core, KIOSK_CMD_SIM_LOCK, 0, line, NULL).rc, KIOSK_OK);
	CHECK(cf_until(core, deposit_done));
	CHECK_INT(cf_ask(core, KIOSK_CMD_SESSION_END, 0, NULL, NULL).rc, KIOSK_OK);
}


struct kiosk_result cf_vend_choose(struct kiosk_core *core, const char *slot)
{
	struct kiosk_cmd cmd = {.type = KIOSK_CMD_VEND_CHOOSE};
	snprintf(cmd.u.vend.slot, sizeof cmd.u.vend.slot, "%s", slot);
	return cf_submit(core, &cmd);
}

int cf_vend_pay(struct kiosk_core *core, enum kiosk_vend_method m)
{
	struct kiosk_cmd cmd = {.type = KIOSK_CMD_VEND_PAY, .u.vend.method = (int)m};
	return cf_submit(core, &cmd).rc;
}

int cf_sim(struct kiosk_core *core, enum kiosk_cmd_type t, const char *line)
{
	struct kiosk_cmd cmd = {.type = t};
	snprintf(cmd.u.name.text, sizeof cmd.u.name.text, "%s", line);
	return cf_submit(core, &cmd).rc;
}

void cf_invariants_hold(void)
{
	struct kiosk_store *st;
	char msg[256] = "";
	struct kiosk_store_opts o = {.path = cf_cfg.store_path, .readonly = true};
	CHECK_INT(kiosk_store_open(&o, &st), KIOSK_OK);
	int rc = kiosk_store_check(st, msg, sizeof msg);
	if (rc)
		fprintf(stderr, "check: %s\n", msg);
	CHECK_INT(rc, KIOSK_OK);
	kiosk_store_close(st);
	CHECK_INT(cf_rows("SELECT count(*) FROM slot WHERE stock <> restocked - dispensed + adjusted"),
		  0);
}
