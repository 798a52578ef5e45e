/* The flows in the core, driven through its public API as the screens drive it, on a
 * simulated bank over a pty: the session's authority (a door opens only for the code
 * checked in this session, a courier acts only on its own deposit), the pickup followed to
 * its door closing, and the control socket's refusals and its slow clients. */
#include "kiosk/control.h"
#include "kiosk/core.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "../test.h"

#include <poll.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[64];
static struct kiosk_config cfg;

static void make_cfg(void)
{
	snprintf(dir, sizeof dir, "/tmp/kiosk-flows-XXXXXX");
	CHECK(mkdtemp(dir) != NULL);
	kiosk_config_defaults(&cfg);
	snprintf(cfg.store_path, sizeof cfg.store_path, "%s/kiosk.db", dir);
	snprintf(cfg.device_key_file, sizeof cfg.device_key_file, "%s/device.key", dir);
	snprintf(cfg.control_socket, sizeof cfg.control_socket, "%s/control.sock", dir);
	snprintf(cfg.lock.driver, sizeof cfg.lock.driver, "kerong-cu16");
	static const char *const sizes[] = {"S", "S", "M", "L"};
	for (int i = 0; i < 4; i++) {
		struct kiosk_compartment_cfg *c = &cfg.compartments[i];
		snprintf(c->id, sizeof c->id, "B%d", i + 1);
		c->board = 0;
		c->lock = i + 1;
		c->column = 1;
		c->row = i + 1;
		snprintf(c->size, sizeof c->size, "%s", sizes[i]);
	}
	/* and one door on a second board */
	struct kiosk_compartment_cfg *c = &cfg.compartments[4];
	snprintf(c->id, sizeof c->id, "C1");
	c->board = 1;
	c->lock = 1;
	c->column = 2;
	c->row = 1;
	snprintf(c->size, sizeof c->size, "XL");
	cfg.ncompartments = 5;
}

static void cleanup(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
}

static struct kiosk_core *start(void)
{
	struct kiosk_core *core = NULL;
	char why[256];
	struct kiosk_core_opts o = {.cfg = &cfg, .simulate = true, .test_clock = true};
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

static struct kiosk_result ask(struct kiosk_core *core, enum kiosk_cmd_type t, int64_t arg,
			       const char *s1, const char *s2)
{
	struct kiosk_result r = {.rc = -999};
	uint32_t req = 0;
	struct kiosk_cmd cmd = build(t, arg, s1, s2);
	CHECK_INT(kiosk_core_submit(core, &cmd, &req), KIOSK_OK);
	int64_t until = kiosk_mono_ms() + 10000;
	while (!kiosk_core_result(core, req, &r) && kiosk_mono_ms() < until) {
		struct pollfd none;
		poll(&none, 0, 2); /* the core thread answers; nothing here to wait on */
	}
	return r;
}

/* Waits until the snapshot satisfies want (the monitor reads twice a second). */
static bool until_snap(struct kiosk_core *core, bool (*want)(const struct kiosk_snapshot *))
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

static bool pickup_done(const struct kiosk_snapshot *s)
{
	return s->session.pickup == KIOSK_PICKUP_DONE;
}

static bool pickup_open(const struct kiosk_snapshot *s)
{
	return s->session.pickup == KIOSK_PICKUP_OPEN;
}

/* Rows of the store file, read after the core stopped. */
static long long rows(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long long n = -1;
	if (sqlite3_open_v2(cfg.store_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
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

static bool deposit_empty(const struct kiosk_snapshot *s)
{
	return s->session.deposit == KIOSK_DEPOSIT_EMPTY;
}

/* Courier 9001 (SF, PIN 1357, seeded by --simulate) deposits a parcel; returns its id. */
static void deposit(struct kiosk_core *core, const char *tracking, char parcel[64])
{
	CHECK_INT(ask(core, KIOSK_CMD_LOGIN_COURIER, 0, "9001", "1357").rc, KIOSK_OK);
	char s2[64];
	snprintf(s2, sizeof s2, "%s 13812345678", tracking);
	struct kiosk_result r = ask(core, KIOSK_CMD_DEPOSIT, 0 /* S */, "9001", s2);
	CHECK_INT(r.rc, KIOSK_OK);
	snprintf(parcel, 64, "%s", r.u.door.parcel);
	/* The door decides, not the courier's word: while it is open "done" is refused. */
	CHECK(until_snap(core, deposit_open));
	CHECK_INT(ask(core, KIOSK_CMD_DEPOSIT_DONE, 0, parcel, NULL).rc, KIOSK_ESTATE);
	char line[32];
	snprintf(line, sizeof line, "put 0 %c", r.u.door.compartment[1]);
	CHECK_INT(ask(core, KIOSK_CMD_SIM_LOCK, 0, line, NULL).rc, KIOSK_OK);
	CHECK(until_snap(core, deposit_done));
	CHECK_INT(ask(core, KIOSK_CMD_SESSION_END, 0, NULL, NULL).rc, KIOSK_OK);
}

static void door_opens_only_for_the_code_checked_here(void)
{
	make_cfg();
	struct kiosk_core *core = start();
	char parcel[64], code[16];
	deposit(core, "SF1001", parcel);
	struct kiosk_result r = ask(core, KIOSK_CMD_TEST_LAST_CODE, 0, NULL, NULL);
	CHECK_INT(r.rc, KIOSK_OK);
	snprintf(code, sizeof code, "%.8s", r.u.code.digits);

	/* No code checked in this session: refused, whatever parcel is named. */
	CHECK_INT(ask(core, KIOSK_CMD_PICKUP_OPEN, 0, parcel, NULL).rc, KIOSK_EDENIED);
	CHECK_INT(ask(core, KIOSK_CMD_REOPEN, 0, "B1", NULL).rc, KIOSK_EDENIED);
	/* A wrong code proves nothing. */
	CHECK_INT(ask(core, KIOSK_CMD_PICKUP_CHECK, 0, NULL, "00000000").rc, KIOSK_EDENIED);
	CHECK_INT(ask(core, KIOSK_CMD_PICKUP_OPEN, 0, NULL, NULL).rc, KIOSK_EDENIED);
	/* Checked, then the person left (home, idle): the next one is not entitled. */
	CHECK_INT(ask(core, KIOSK_CMD_PICKUP_CHECK, 0, NULL, code).rc, KIOSK_OK);
	CHECK_INT(ask(core, KIOSK_CMD_SESSION_END, 0, NULL, NULL).rc, KIOSK_OK);
	CHECK_INT(ask(core, KIOSK_CMD_PICKUP_OPEN, 0, NULL, NULL).rc, KIOSK_EDENIED);

	/* Checked in this session: the door opens, once, and the screen can follow it. */
	CHECK_INT(ask(core, KIOSK_CMD_PICKUP_CHECK, 0, NULL, code).rc, KIOSK_OK);
	r = ask(core, KIOSK_CMD_PICKUP_OPEN, 0, NULL, NULL);
	CHECK_INT(r.rc, KIOSK_OK);
	CHECK_STR(r.u.door.compartment, "B1");
	CHECK(until_snap(core, pickup_open));
	struct kiosk_snapshot s;
	kiosk_core_snapshot(core, &s);
	CHECK(s.session.door_busy); /* not idle while the door is open */
	CHECK_INT(ask(core, KIOSK_CMD_PICKUP_OPEN, 0, NULL, NULL).rc, KIOSK_EDENIED);
	CHECK_INT(ask(core, KIOSK_CMD_SIM_LOCK, 0, "take 0 1", NULL).rc, KIOSK_OK);
	CHECK(until_snap(core, pickup_done));
	kiosk_core_snapshot(core, &s);
	CHECK(!s.session.door_busy);
	/* Done: no reopen without the item left inside. */
	CHECK_INT(ask(core, KIOSK_CMD_REOPEN, 0, NULL, NULL).rc, KIOSK_EDENIED);
	kiosk_core_stop(core);
	/* One deposit door and one pickup door: the refusals sent no frame, left no intent. */
	CHECK_INT(rows("SELECT count(*) FROM door_op WHERE purpose = 'pickup'"), 1);
	CHECK_INT(rows("SELECT count(*) FROM door_op"), 2);
	CHECK_INT(rows("SELECT count(*) FROM parcel WHERE state = 'picked_up'"), 1);
	cleanup();
}

static void courier_acts_only_on_its_own_steps(void)
{
	make_cfg();
	struct kiosk_core *core = start();
	char parcel[64];
	/* 9001 starts a deposit and leaves before closing it. */
	CHECK_INT(ask(core, KIOSK_CMD_LOGIN_COURIER, 0, "9001", "1357").rc, KIOSK_OK);
	struct kiosk_result r = ask(core, KIOSK_CMD_DEPOSIT, 0, "9001", "SF2002 13812345678");
	CHECK_INT(r.rc, KIOSK_OK);
	snprintf(parcel, sizeof parcel, "%s", r.u.door.parcel);
	CHECK_INT(ask(core, KIOSK_CMD_SESSION_END, 0, NULL, NULL).rc, KIOSK_OK);

	/* Nobody logged in: nothing a courier does is allowed. */
	CHECK_INT(ask(core, KIOSK_CMD_DEPOSIT, 0, "9001", "SF2003 13812345678").rc, KIOSK_EDENIED);
	CHECK_INT(ask(core, KIOSK_CMD_RETRIEVE, 0, "9001", NULL).rc, KIOSK_EDENIED);
	/* 9002 (JD) logs in: it cannot act as 9001, nor finish or cancel 9001's deposit. */
	CHECK_INT(ask(core, KIOSK_CMD_LOGIN_COURIER, 0, "9002", "1357").rc, KIOSK_OK);
	CHECK_INT(ask(core, KIOSK_CMD_DEPOSIT, 0, "9001", "SF2004 13812345678").rc, KIOSK_EDENIED);
	CHECK_INT(ask(core, KIOSK_CMD_COLLECT, 0, "9001", NULL).rc, KIOSK_EDENIED);
	CHECK_INT(ask(core, KIOSK_CMD_UNFINISHED, 0, "9001", NULL).rc, KIOSK_EDENIED);
	CHECK_INT(ask(core, KIOSK_CMD_DEPOSIT_DONE, 0, parcel, NULL).rc, KIOSK_EDENIED);
	CHECK_INT(ask(core, KIOSK_CMD_DEPOSIT_CANCEL, 0, parcel, NULL).rc, KIOSK_EDENIED);
	/* Nor open doors as an operator, or a send it did not start. */
	CHECK_INT(ask(core, KIOSK_CMD_OPEN_COMPARTMENT, 0, "B2", "8001").rc, KIOSK_EDENIED);
	CHECK_INT(ask(core, KIOSK_CMD_OPEN_ALL, 0, NULL, "8001").rc, KIOSK_EDENIED);
	CHECK_INT(ask(core, KIOSK_CMD_SEND_OPEN, 0, parcel, NULL).rc, KIOSK_EDENIED);
	CHECK_INT(ask(core, KIOSK_CMD_COURIER_TASKS, 0, "9002", NULL).rc, KIOSK_OK);

	/* 9001 back: a new deposit closed on nothing (the item sensor says empty) is not
	 * committed until the courier says so; here it cancels. */
	CHECK_INT(ask(core, KIOSK_CMD_SESSION_END, 0, NULL, NULL).rc, KIOSK_OK);
	CHECK_INT(ask(core, KIOSK_CMD_LOGIN_COURIER, 0, "9001", "1357").rc, KIOSK_OK);
	r = ask(core, KIOSK_CMD_DEPOSIT, 0, "9001", "SF2005 13812345678");
	CHECK_INT(r.rc, KIOSK_OK);
	char empty_parcel[64], line[32];
	snprintf(empty_parcel, sizeof empty_parcel, "%s", r.u.door.parcel);
	snprintf(line, sizeof line, "close 0 %c", r.u.door.compartment[1]);
	CHECK_INT(ask(core, KIOSK_CMD_SIM_LOCK, 0, line, NULL).rc, KIOSK_OK);
	CHECK(until_snap(core, deposit_empty));
	CHECK_INT(ask(core, KIOSK_CMD_DEPOSIT_CANCEL, 0, empty_parcel, NULL).rc, KIOSK_OK);

	/* The unfinished deposit is put to it, and it may finish it. */
	CHECK_INT(ask(core, KIOSK_CMD_SESSION_END, 0, NULL, NULL).rc, KIOSK_OK);
	CHECK_INT(ask(core, KIOSK_CMD_LOGIN_COURIER, 0, "9001", "1357").rc, KIOSK_OK);
	r = ask(core, KIOSK_CMD_UNFINISHED, 0, "9001", NULL);
	CHECK_INT(r.rc, KIOSK_OK);
	CHECK(strncmp(r.u.unfinished.parcel, parcel, strlen(parcel)) == 0);
	CHECK_INT(ask(core, KIOSK_CMD_DEPOSIT_DONE, 0, parcel, NULL).rc, KIOSK_OK);
	kiosk_core_stop(core);
	/* the refused deposits made none; the empty one was cancelled */
	CHECK_INT(rows("SELECT count(*) FROM parcel"), 2);
	CHECK_INT(rows("SELECT count(*) FROM parcel WHERE state = 'deposited'"), 1);
	CHECK_INT(rows("SELECT count(*) FROM parcel WHERE state = 'cancelled'"), 1);
	CHECK_INT(rows("SELECT count(*) FROM door_op"), 2);
	cleanup();
}

static int raw_connect(void)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof sa.sun_path, "%.100s", cfg.control_socket);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static bool send_open(const struct kiosk_snapshot *s)
{
	return s->session.send == KIOSK_SEND_OPEN;
}

static bool send_done(const struct kiosk_snapshot *s)
{
	return s->session.send == KIOSK_SEND_DONE;
}

/* 寄件: the door decides when the parcel is in, not the resident's screen. */
static void send_follows_its_door(void)
{
	make_cfg();
	struct kiosk_core *core = start();
	struct kiosk_cmd cmd = {.type = KIOSK_CMD_SEND_START,
				.u.send = {.carrier = "SF", .phone = "13800001234"}};
	uint32_t req;
	struct kiosk_result r = {.rc = -999};
	CHECK_INT(kiosk_core_submit(core, &cmd, &req), KIOSK_OK);
	int64_t until = kiosk_mono_ms() + 10000;
	while (!kiosk_core_result(core, req, &r) && kiosk_mono_ms() < until) {
		struct pollfd none;
		poll(&none, 0, 2);
	}
	CHECK_INT(r.rc, KIOSK_OK);
	char parcel[40], line[32];
	snprintf(parcel, sizeof parcel, "%s", r.u.door.parcel);
	CHECK(until_snap(core, send_open));
	CHECK_INT(ask(core, KIOSK_CMD_SEND_DONE, 0, parcel, NULL).rc, KIOSK_ESTATE);
	CHECK_INT(ask(core, KIOSK_CMD_COUNT_EVENTS, 0, "parcel.send_requested", NULL).u.count.n, 0);
	snprintf(line, sizeof line, "put 0 %c", r.u.door.compartment[1]);
	CHECK_INT(ask(core, KIOSK_CMD_SIM_LOCK, 0, line, NULL).rc, KIOSK_OK);
	CHECK(until_snap(core, send_done));
	CHECK_INT(ask(core, KIOSK_CMD_COUNT_EVENTS, 0, "parcel.send_requested", NULL).u.count.n, 1);
	/* Done is done: no second "in", no cancel after it. */
	CHECK_INT(ask(core, KIOSK_CMD_SEND_CANCEL, 0, parcel, NULL).rc, KIOSK_EDENIED);
	kiosk_core_stop(core);
	cleanup();
}

static bool lock_fault(const struct kiosk_snapshot *s)
{
	return s->dev[KIOSK_DEV_LOCK] == KIOSK_DEVSTATE_FAULT;
}

static bool lock_ok(const struct kiosk_snapshot *s)
{
	return s->dev[KIOSK_DEV_LOCK] == KIOSK_DEVSTATE_SIMULATED;
}

static const char *state_of(const struct kiosk_snapshot *s, const char *id)
{
	for (int i = 0; i < s->ncompartments; i++)
		if (strcmp(s->compartments[i].id, id) == 0)
			return s->compartments[i].state;
	return "?";
}

/* One board stops answering: its doors turn unknown, the device shows a fault, and the
 * other board's doors still open — the silent one delays nobody. */
static void silent_board_delays_only_itself(void)
{
	make_cfg();
	struct kiosk_core *core = start();
	CHECK_INT(ask(core, KIOSK_CMD_LOGIN_OPERATOR, 0, "8001", "2468").rc, KIOSK_OK);
	CHECK_INT(ask(core, KIOSK_CMD_SIM_LOCK, 0, "fault silent:1", NULL).rc, KIOSK_OK);
	CHECK_INT(ask(core, KIOSK_CMD_SIM_LOCK, 0, "fault silent:7", NULL).rc, KIOSK_EINVAL);
	CHECK(until_snap(core, lock_fault));
	struct kiosk_snapshot s;
	kiosk_core_snapshot(core, &s);
	CHECK_STR(state_of(&s, "C1"), "unknown");
	CHECK_STR(state_of(&s, "B2"), "free");
	CHECK_INT(ask(core, KIOSK_CMD_OPEN_COMPARTMENT, 0, "B2", "8001").rc, KIOSK_OK);
	CHECK_INT(ask(core, KIOSK_CMD_COUNT_EVENTS, 0, "door.forced", NULL).rc, KIOSK_OK);
	/* It answers again: its door comes back. */
	CHECK_INT(ask(core, KIOSK_CMD_SIM_LOCK, 0, "fault clear", NULL).rc, KIOSK_OK);
	CHECK(until_snap(core, lock_ok));
	kiosk_core_snapshot(core, &s);
	CHECK_STR(state_of(&s, "C1"), "free");
	kiosk_core_stop(core);
	cleanup();
}

static void control_socket_serves_everyone_and_guards_doors(void)
{
	make_cfg();
	struct kiosk_core *core = start();
	char reply[4096];
	/* A client dribbling its request a byte at a time does not hold the others up. */
	int slow = raw_connect();
	CHECK(slow >= 0);
	CHECK(write(slow, "st", 2) == 2);
	CHECK_INT(kiosk_control_call(cfg.control_socket, "status", reply, sizeof reply, 5000),
		  KIOSK_OK);
	/* … answered while the slow one still waits its turn to finish (not after it). */
	struct pollfd still = {slow, POLLIN, 0};
	CHECK_INT(poll(&still, 1, 0), 0);
	CHECK_HAS(reply, "\"lock\":\"simulated\"");
	/* … which, silent past its deadline, is dropped (the read sees the close). */
	struct pollfd p = {slow, POLLIN, 0};
	CHECK_INT(poll(&p, 1, 5000), 1);
	CHECK_INT(read(slow, reply, sizeof reply), 0);
	close(slow);
	/* A line too long is refused by name. */
	char big[700];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	CHECK_INT(kiosk_control_call(cfg.control_socket, big, reply, sizeof reply, 5000), KIOSK_OK);
	CHECK_HAS(reply, "request line too long");
	/* The kiosk's own user opens a door; the answer waits for the door's outcome. */
	CHECK_INT(kiosk_control_call(cfg.control_socket, "locker open B3", reply, sizeof reply,
				     5000),
		  KIOSK_OK);
	CHECK_HAS(reply, "\"result\":\"ok\"");
	if (geteuid() == 0) {
		/* Another user of the socket's group may read, not change. */
		CHECK(chown(cfg.control_socket, 0, 65534) == 0);
		CHECK(chmod(dir, 0711) == 0);
		pid_t pid = fork();
		if (pid == 0) {
			char r2[4096];
			if (setgid(65534) || setuid(65534))
				_exit(3);
			if (kiosk_control_call(cfg.control_socket, "locker list", r2, sizeof r2,
					       5000) ||
			    !strstr(r2, "\"compartments\""))
				_exit(4);
			if (kiosk_control_call(cfg.control_socket, "locker disable B4", r2,
					       sizeof r2, 5000) ||
			    !strstr(r2, "EDENIED") || !strstr(r2, "only root"))
				_exit(5);
			_exit(0);
		}
		int st = -1;
		waitpid(pid, &st, 0);
		CHECK_INT(WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0);
	} else {
		fprintf(stderr, "control_socket: not root, the other-user refusal is not tried\n");
	}
	kiosk_core_stop(core);
	/* The refusal changed nothing; the open is audited with who asked. */
	CHECK_INT(rows("SELECT count(*) FROM compartment WHERE state = 'disabled'"), 0);
	CHECK_INT(rows("SELECT count(*) FROM door_op WHERE compartment = 'B3' AND state = 'opened'"),
		  1);
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE actor = 'kioskctl-uid%u'",
		 (unsigned)geteuid());
	CHECK(rows(sql) >= 1);
	cleanup();
}

/* The control socket's request lines: what is accepted, and each refusal by its kind. */
static void control_lines_parse(void)
{
	static const struct {
		const char *line;
		int rc;
		enum kiosk_control_verb verb;
		const char *comp;
	} t[] = {
		{"status", KIOSK_OK, KIOSK_CTL_STATUS, ""},
		{"locker list", KIOSK_OK, KIOSK_CTL_LOCKER_LIST, ""},
		{"locker open A01", KIOSK_OK, KIOSK_CTL_LOCKER_OPEN, "A01"},
		{"  locker   disable B2 ", KIOSK_OK, KIOSK_CTL_LOCKER_DISABLE, "B2"},
		{"locker enable C3", KIOSK_OK, KIOSK_CTL_LOCKER_ENABLE, "C3"},
		{"locker open", KIOSK_EINVAL, 0, ""},
		{"locker open A01 A02", KIOSK_EINVAL, 0, ""},
		{"locker open AAAAAAAAAAAAAAAAAAAA", KIOSK_EINVAL, 0, ""},
		{"locker open A\x01", KIOSK_EINVAL, 0, ""},
		{"locker smash A01", KIOSK_EINVAL, 0, ""},
		{"locker list all", KIOSK_EINVAL, 0, ""},
		{"status now", KIOSK_ENOENT, 0, ""},
		{"reboot", KIOSK_ENOENT, 0, ""},
		{"", KIOSK_ENOENT, 0, ""},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct kiosk_control_req q;
		int rc = kiosk_control_parse(t[i].line, &q);
		if (rc != t[i].rc)
			fprintf(stderr, "line '%s'\n", t[i].line);
		CHECK_INT(rc, t[i].rc);
		if (rc == KIOSK_OK) {
			CHECK_INT(q.verb, t[i].verb);
			CHECK_STR(q.compartment, t[i].comp);
		}
	}
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"door_opens_only_for_the_code_checked_here",
		 door_opens_only_for_the_code_checked_here},
		{"courier_acts_only_on_its_own_steps", courier_acts_only_on_its_own_steps},
		{"send_follows_its_door", send_follows_its_door},
		{"control_lines_parse", control_lines_parse},
		{"silent_board_delays_only_itself", silent_board_delays_only_itself},
		{"control_socket_serves_everyone_and_guards_doors",
		 control_socket_serves_everyone_and_guards_doors},
		{0},
	};
	setenv("KIOSK_LOG", "error", 0);
	return test_main(argc, argv, cases);
}
