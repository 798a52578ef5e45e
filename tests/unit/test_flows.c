/* The flows in the core, driven through its public API as the screens drive it, on a
 * simulated bank over a pty: the session's authority (a door opens only for the code
 * checked in this session, a courier acts only on its own deposit), the pickup followed to
 * its door closing, and the control socket's refusals and its slow clients. */
#include "kiosk/control.h"
#include "kiosk/core.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "core_fixture.h"
#include "../test.h"

#include <poll.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static bool pickup_done(const struct kiosk_snapshot *s)
{
	return s->session.pickup == KIOSK_PICKUP_DONE;
}

static bool pickup_open(const struct kiosk_snapshot *s)
{
	return s->session.pickup == KIOSK_PICKUP_OPEN;
}

static void door_opens_only_for_the_code_checked_here(void)
{
	cf_make_cfg();
	struct kiosk_core *core = cf_start();
	char parcel[64], code[16];
	cf_deposit(core, "SF1001", parcel);
	struct kiosk_result r = cf_ask(core, KIOSK_CMD_TEST_LAST_CODE, 0, NULL, NULL);
	CHECK_INT(r.rc, KIOSK_OK);
	snprintf(code, sizeof code, "%.8s", r.u.code.digits);

	/* No code checked in this session: refused, whatever parcel is named. */
	CHECK_INT(cf_ask(core, KIOSK_CMD_PICKUP_OPEN, 0, parcel, NULL).rc, KIOSK_EDENIED);
	CHECK_INT(cf_ask(core, KIOSK_CMD_REOPEN, 0, "B1", NULL).rc, KIOSK_EDENIED);
	/* A wrong code proves nothing. */
	CHECK_INT(cf_ask(core, KIOSK_CMD_PICKUP_CHECK, 0, NULL, "00000000").rc, KIOSK_EDENIED);
	CHECK_INT(cf_ask(core, KIOSK_CMD_PICKUP_OPEN, 0, NULL, NULL).rc, KIOSK_EDENIED);
	/* Checked, then the person left (home, idle): the next one is not entitled. */
	CHECK_INT(cf_ask(core, KIOSK_CMD_PICKUP_CHECK, 0, NULL, code).rc, KIOSK_OK);
	CHECK_INT(cf_ask(core, KIOSK_CMD_SESSION_END, 0, NULL, NULL).rc, KIOSK_OK);
	CHECK_INT(cf_ask(core, KIOSK_CMD_PICKUP_OPEN, 0, NULL, NULL).rc, KIOSK_EDENIED);

	/* Checked in this session: the door opens, once, and the screen can follow it. */
	CHECK_INT(cf_ask(core, KIOSK_CMD_PICKUP_CHECK, 0, NULL, code).rc, KIOSK_OK);
	r = cf_ask(core, KIOSK_CMD_PICKUP_OPEN, 0, NULL, NULL);
	CHECK_INT(r.rc, KIOSK_OK);
	CHECK_STR(r.u.door.compartment, "B1");
	CHECK(cf_until(core, pickup_open));
	struct kiosk_snapshot s;
	kiosk_core_snapshot(core, &s);
	CHECK(s.session.door_busy); /* not idle while the door is open */
	CHECK_INT(cf_ask(core, KIOSK_CMD_PICKUP_OPEN, 0, NULL, NULL).rc, KIOSK_EDENIED);
	CHECK_INT(cf_ask(core, KIOSK_CMD_SIM_LOCK, 0, "take 0 1", NULL).rc, KIOSK_OK);
	CHECK(cf_until(core, pickup_done));
	kiosk_core_snapshot(core, &s);
	CHECK(!s.session.door_busy);
	/* Done: no reopen without the item left inside. */
	CHECK_INT(cf_ask(core, KIOSK_CMD_REOPEN, 0, NULL, NULL).rc, KIOSK_EDENIED);
	kiosk_core_stop(core);
	/* One deposit door and one pickup door: the refusals sent no frame, left no intent. */
	CHECK_INT(cf_rows("SELECT count(*) FROM door_op WHERE purpose = 'pickup'"), 1);
	CHECK_INT(cf_rows("SELECT count(*) FROM door_op"), 2);
	CHECK_INT(cf_rows("SELECT count(*) FROM parcel WHERE state = 'picked_up'"), 1);
	cf_cleanup();
}

static void courier_acts_only_on_its_own_steps(void)
{
	cf_make_cfg();
	struct kiosk_core *core = cf_start();
	char parcel[64];
	/* 9001 starts a deposit and leaves before closing it. */
	CHECK_INT(cf_ask(core, KIOSK_CMD_LOGIN_COURIER, 0, "9001", "1357").rc, KIOSK_OK);
	struct kiosk_result r = cf_ask(core, KIOSK_CMD_DEPOSIT, 0, "9001", "SF2002 13812345678");
	CHECK_INT(r.rc, KIOSK_OK);
	snprintf(parcel, sizeof parcel, "%s", r.u.door.parcel);
	CHECK_INT(cf_ask(core, KIOSK_CMD_SESSION_END, 0, NULL, NULL).rc, KIOSK_OK);

	/* Nobody logged in: nothing a courier does is allowed. */
	CHECK_INT(cf_ask(core, KIOSK_CMD_DEPOSIT, 0, "9001", "SF2003 13812345678").rc, KIOSK_EDENIED);
	CHECK_INT(cf_ask(core, KIOSK_CMD_RETRIEVE, 0, "9001", NULL).rc, KIOSK_EDENIED);
	/* 9002 (JD) logs in: it cannot act as 9001, nor finish or cancel 9001's deposit. */
	CHECK_INT(cf_ask(core, KIOSK_CMD_LOGIN_COURIER, 0, "9002", "1357").rc, KIOSK_OK);
	CHECK_INT(cf_ask(core, KIOSK_CMD_DEPOSIT, 0, "9001", "SF2004 13812345678").rc, KIOSK_EDENIED);
	CHECK_INT(cf_ask(core, KIOSK_CMD_COLLECT, 0, "9001", NULL).rc, KIOSK_EDENIED);
	CHECK_INT(cf_ask(core, KIOSK_CMD_UNFINISHED, 0, "9001", NULL).rc, KIOSK_EDENIED);
	CHECK_INT(cf_ask(core, KIOSK_CMD_DEPOSIT_DONE, 0, parcel, NULL).rc, KIOSK_EDENIED);
	CHECK_INT(cf_ask(core, KIOSK_CMD_DEPOSIT_CANCEL, 0, parcel, NULL).rc, KIOSK_EDENIED);
	/* Nor open doors as an operator, or a send it did not start. */
	CHECK_INT(cf_ask(core, KIOSK_CMD_OPEN_COMPARTMENT, 0, "B2", "8001").rc, KIOSK_EDENIED);
	CHECK_INT(cf_ask(core, KIOSK_CMD_OPEN_ALL, 0, NULL, "8001").rc, KIOSK_EDENIED);
	CHECK_INT(cf_ask(core, KIOSK_CMD_SEND_OPEN, 0, parcel, NULL).rc, KIOSK_EDENIED);
	CHECK_INT(cf_ask(core, KIOSK_CMD_COURIER_TASKS, 0, "9002", NULL).rc, KIOSK_OK);

	/* 9001 back: a new deposit closed on nothing (the item sensor says empty) is not
	 * committed until the courier says so; here it cancels. */
	CHECK_INT(cf_ask(core, KIOSK_CMD_SESSION_END, 0, NULL, NULL).rc, KIOSK_OK);
	CHECK_INT(cf_ask(core, KIOSK_CMD_LOGIN_COURIER, 0, "9001", "1357").rc, KIOSK_OK);
	r = cf_ask(core, KIOSK_CMD_DEPOSIT, 0, "9001", "SF2005 13812345678");
	CHECK_INT(r.rc, KIOSK_OK);
	char empty_parcel[64], line[32];
	snprintf(empty_parcel, sizeof empty_parcel, "%s", r.u.door.parcel);
	snprintf(line, sizeof line, "close 0 %c", r.u.door.compartment[1]);
	CHECK_INT(cf_ask(core, KIOSK_CMD_SIM_LOCK, 0, line, NULL).rc, KIOSK_OK);
	CHECK(cf_until(core, cf_deposit_empty));
	CHECK_INT(cf_ask(core, KIOSK_CMD_DEPOSIT_CANCEL, 0, empty_parcel, NULL).rc, KIOSK_OK);

	/* The unfinished deposit is put to it, and it may finish it. */
	CHECK_INT(cf_ask(core, KIOSK_CMD_SESSION_END, 0, NULL, NULL).rc, KIOSK_OK);
	CHECK_INT(cf_ask(core, KIOSK_CMD_LOGIN_COURIER, 0, "9001", "1357").rc, KIOSK_OK);
	r = cf_ask(core, KIOSK_CMD_UNFINISHED, 0, "9001", NULL);
	CHECK_INT(r.rc, KIOSK_OK);
	CHECK(strncmp(r.u.unfinished.parcel, parcel, strlen(parcel)) == 0);
	CHECK_INT(cf_ask(core, KIOSK_CMD_DEPOSIT_DONE, 0, parcel, NULL).rc, KIOSK_OK);
	kiosk_core_stop(core);
	/* the refused deposits made none; the empty one was cancelled */
	CHECK_INT(cf_rows("SELECT count(*) FROM parcel"), 2);
	CHECK_INT(cf_rows("SELECT count(*) FROM parcel WHERE state = 'deposited'"), 1);
	CHECK_INT(cf_rows("SELECT count(*) FROM parcel WHERE state = 'cancelled'"), 1);
	CHECK_INT(cf_rows("SELECT count(*) FROM door_op"), 2);
	cf_cleanup();
}

static int raw_connect(void)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof sa.sun_path, "%.100s", cf_cfg.control_socket);
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
	cf_make_cfg();
	struct kiosk_core *core = cf_start();
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
	CHECK(cf_until(core, send_open));
	CHECK_INT(cf_ask(core, KIOSK_CMD_SEND_DONE, 0, parcel, NULL).rc, KIOSK_ESTATE);
	CHECK_INT(cf_ask(core, KIOSK_CMD_COUNT_EVENTS, 0, "parcel.send_requested", NULL).u.count.n, 0);
	snprintf(line, sizeof line, "put 0 %c", r.u.door.compartment[1]);
	CHECK_INT(cf_ask(core, KIOSK_CMD_SIM_LOCK, 0, line, NULL).rc, KIOSK_OK);
	CHECK(cf_until(core, send_done));
	CHECK_INT(cf_ask(core, KIOSK_CMD_COUNT_EVENTS, 0, "parcel.send_requested", NULL).u.count.n, 1);
	/* Done is done: no second "in", no cancel after it. */
	CHECK_INT(cf_ask(core, KIOSK_CMD_SEND_CANCEL, 0, parcel, NULL).rc, KIOSK_EDENIED);
	/* The receipt's number (the screen draws the session's, and its QR) is the one the
	 * carrier was told: 8 digits, in parcel.send_requested. */
	struct kiosk_snapshot snap;
	kiosk_core_snapshot(core, &snap);
	char first[9];
	memcpy(first, snap.session.send_number, sizeof first);
	CHECK_INT(strlen(first), 8);
	CHECK_INT(strspn(first, "0123456789"), 8);
	/* A second send gets another number. */
	CHECK_INT(cf_ask(core, KIOSK_CMD_SESSION_END, 0, NULL, NULL).rc, KIOSK_OK);
	r = cf_submit(core, &cmd);
	CHECK_INT(r.rc, KIOSK_OK);
	CHECK(cf_until(core, send_open));
	snprintf(line, sizeof line, "put 0 %c", r.u.door.compartment[1]);
	CHECK_INT(cf_ask(core, KIOSK_CMD_SIM_LOCK, 0, line, NULL).rc, KIOSK_OK);
	CHECK(cf_until(core, send_done));
	kiosk_core_snapshot(core, &snap);
	CHECK_INT(strlen(snap.session.send_number), 8);
	CHECK(strcmp(first, snap.session.send_number) != 0);
	kiosk_core_stop(core);
	char sql[256];
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM outbox WHERE type = 'parcel.send_requested' AND"
		 " json_extract(data, '$.send_number') = '%s' AND json_extract(data, '$.parcel') = '%s'",
		 first, parcel);
	CHECK_INT(cf_rows(sql), 1);
	CHECK_INT(cf_rows("SELECT count(DISTINCT json_extract(data, '$.send_number')) FROM outbox"
			  " WHERE type = 'parcel.send_requested'"), 2);
	CHECK_INT(cf_rows("SELECT count(DISTINCT send_number) FROM parcel WHERE kind = 'send'"), 2);
	cf_cleanup();
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
			return kiosk_comp_state_name(s->compartments[i].state);
	return "?";
}

/* One board stops answering: its doors turn unknown, the device shows a fault, and the
 * other board's doors still open — the silent one delays nobody. */
static void silent_board_delays_only_itself(void)
{
	cf_make_cfg();
	struct kiosk_core *core = cf_start();
	CHECK_INT(cf_ask(core, KIOSK_CMD_LOGIN_OPERATOR, 0, "8001", "2468").rc, KIOSK_OK);
	CHECK_INT(cf_ask(core, KIOSK_CMD_SIM_LOCK, 0, "fault silent:1", NULL).rc, KIOSK_OK);
	CHECK_INT(cf_ask(core, KIOSK_CMD_SIM_LOCK, 0, "fault silent:7", NULL).rc, KIOSK_EINVAL);
	CHECK(cf_until(core, lock_fault));
	struct kiosk_snapshot s;
	kiosk_core_snapshot(core, &s);
	CHECK_STR(state_of(&s, "C1"), "unknown");
	CHECK_STR(state_of(&s, "B2"), "free");
	/* status says which: the fault with its reason, as the bus found it */
	char reply[2048];
	CHECK_INT(kiosk_control_call(cf_cfg.control_socket, "status", reply, sizeof reply, 5000),
		  KIOSK_OK);
	CHECK_HAS(reply, "\"lock\":\"fault\"");
	CHECK_HAS(reply, "\"device_faults\":{\"lock\":\"board 1 does not answer\"}");
	CHECK_INT(cf_ask(core, KIOSK_CMD_OPEN_COMPARTMENT, 0, "B2", "8001").rc, KIOSK_OK);
	CHECK_INT(cf_ask(core, KIOSK_CMD_COUNT_EVENTS, 0, "door.forced", NULL).rc, KIOSK_OK);
	/* It answers again: its door comes back. */
	CHECK_INT(cf_ask(core, KIOSK_CMD_SIM_LOCK, 0, "fault clear", NULL).rc, KIOSK_OK);
	CHECK(cf_until(core, lock_ok));
	kiosk_core_snapshot(core, &s);
	CHECK_STR(state_of(&s, "C1"), "free");
	CHECK_INT(kiosk_control_call(cf_cfg.control_socket, "status", reply, sizeof reply, 5000),
		  KIOSK_OK);
	CHECK(!strstr(reply, "device_faults"));
	kiosk_core_stop(core);
	cf_cleanup();
}

static void control_socket_serves_everyone_and_guards_doors(void)
{
	cf_make_cfg();
	struct kiosk_core *core = cf_start();
	char reply[4096];
	/* A client dribbling its request a byte at a time does not hold the others up. */
	int slow = raw_connect();
	CHECK(slow >= 0);
	CHECK(write(slow, "st", 2) == 2);
	CHECK_INT(kiosk_control_call(cf_cfg.control_socket, "status", reply, sizeof reply, 5000),
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
	CHECK_INT(kiosk_control_call(cf_cfg.control_socket, big, reply, sizeof reply, 5000), KIOSK_OK);
	CHECK_HAS(reply, "request line too long");
	/* The kiosk's own user opens a door; the answer waits for the door's outcome. */
	CHECK_INT(kiosk_control_call(cf_cfg.control_socket, "locker open B3", reply, sizeof reply,
				     5000),
		  KIOSK_OK);
	CHECK_HAS(reply, "\"result\":\"ok\"");
	if (geteuid() == 0) {
		/* Another user of the socket's group may read, not change. */
		CHECK(chown(cf_cfg.control_socket, 0, 65534) == 0);
		CHECK(chmod(cf_dir, 0711) == 0);
		pid_t pid = fork();
		if (pid == 0) {
			char r2[4096];
			if (setgid(65534) || setuid(65534))
				_exit(3);
			if (kiosk_control_call(cf_cfg.control_socket, "locker list", r2, sizeof r2,
					       5000) ||
			    !strstr(r2, "\"compartments\""))
				_exit(4);
			if (kiosk_control_call(cf_cfg.control_socket, "locker disable B4", r2,
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
	CHECK_INT(cf_rows("SELECT count(*) FROM compartment WHERE state = 'disabled'"), 0);
	CHECK_INT(cf_rows("SELECT count(*) FROM door_op WHERE compartment = 'B3' AND state = 'opened'"),
		  1);
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE actor = 'kioskctl-uid%u'",
		 (unsigned)geteuid());
	CHECK(cf_rows(sql) >= 1);
	cf_cleanup();
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

static struct kiosk_result problem(struct kiosk_core *core, const char *where,
				   const char *what)
{
	struct kiosk_cmd cmd = {.type = KIOSK_CMD_HELP};
	snprintf(cmd.u.help.lang, sizeof cmd.u.help.lang, "zh");
	snprintf(cmd.u.help.where, sizeof cmd.u.help.where, "%s", where);
	snprintf(cmd.u.help.problem, sizeof cmd.u.help.problem, "%s", what);
	return cf_submit(core, &cmd);
}

/* 遇到问题 at a step: the call tells the staff where the resident was, what went wrong and
 * the door and parcel of the session; a problem the kiosk does not know is refused and
 * queues nothing. */
static void a_problem_names_the_door(void)
{
	cf_make_cfg();
	struct kiosk_core *core = cf_start();
	char parcel[64], code[16], sql[512];
	cf_deposit(core, "SF1003", parcel);
	struct kiosk_result r = cf_ask(core, KIOSK_CMD_TEST_LAST_CODE, 0, NULL, NULL);
	snprintf(code, sizeof code, "%.8s", r.u.code.digits);
	CHECK_INT(cf_ask(core, KIOSK_CMD_PICKUP_CHECK, 0, NULL, code).rc, KIOSK_OK);
	CHECK_INT(problem(core, "pickup", "door_fell_off").rc, KIOSK_EINVAL);
	CHECK_INT(problem(core, "", "door_not_open").rc, KIOSK_EINVAL); /* a problem needs a where */
	CHECK_INT(cf_rows("SELECT count(*) FROM outbox WHERE type = 'help.requested'"), 0);
	r = problem(core, "pickup", "door_not_open");
	CHECK_INT(r.rc, KIOSK_OK);
	CHECK(!r.u.help.already);
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM outbox WHERE type = 'help.requested' AND"
		 " json_extract(data, '$.context.where') = 'pickup' AND"
		 " json_extract(data, '$.context.problem') = 'door_not_open' AND"
		 " json_extract(data, '$.context.compartment') = 'B1' AND"
		 " json_extract(data, '$.context.parcel') = '%s'",
		 parcel);
	CHECK_INT(cf_rows(sql), 1);
	/* the same incident a minute later: the same call, nothing more queued */
	r = problem(core, "pickup", "parcel_missing");
	CHECK_INT(r.rc, KIOSK_OK);
	CHECK(r.u.help.already);
	CHECK_INT(cf_rows("SELECT count(*) FROM outbox WHERE type = 'help.requested'"), 1);
	kiosk_core_stop(core);
	cf_cleanup();
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"door_opens_only_for_the_code_checked_here",
		 door_opens_only_for_the_code_checked_here},
		{"courier_acts_only_on_its_own_steps", courier_acts_only_on_its_own_steps},
		{"send_follows_its_door", send_follows_its_door},
		{"control_lines_parse", control_lines_parse},
		{"a_problem_names_the_door", a_problem_names_the_door},
		{"silent_board_delays_only_itself", silent_board_delays_only_itself},
		{"control_socket_serves_everyone_and_guards_doors",
		 control_socket_serves_everyone_and_guards_doors},
		{0},
	};
	setenv("KIOSK_LOG", "error", 0);
	return test_main(argc, argv, cases);
}
