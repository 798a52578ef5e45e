/* kioskctl's lock commands: the technician's bench tool (hal lock) and the simulator
 * (sim lock). */
#include "kiosk/ctl/ctl.h"
#include "hal/base/error.h"
#include "hal/lock/lock.h"
#include "hal/lock/sim.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *reason(int rc)
{
	switch (rc) {
	case KIOSK_ETIMEDOUT: return "no reply from the board";
	case KIOSK_EPROTO: return "bad frames from the board (checksum or length)";
	case KIOSK_EDEVICE: return "door stayed shut: jammed";
	case KIOSK_EBUSY: return "port in use by another program";
	case KIOSK_ENOENT: return "no such port or driver";
	default: return kiosk_strerror(rc);
	}
}

static int usage_hal(void)
{
	fputs("usage: kioskctl hal lock --driver D --port PATH [--board N] status | open LOCK |"
	      " open-all\n",
	      stderr);
	return 2;
}

int ctl_hal(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "vend") == 0)
		return ctl_hal_vend(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "mdb") == 0)
		return ctl_hal_mdb(argc, argv);
	if (argc >= 2 && (strcmp(argv[1], "usb") == 0 || strcmp(argv[1], "print") == 0 ||
			  strcmp(argv[1], "scan") == 0))
		return ctl_hal_usbdev(argc, argv);
	const char *drv = NULL, *port = NULL, *op = NULL;
	int board = 0, lock = 0;
	if (argc < 2 || strcmp(argv[1], "lock") != 0)
		return usage_hal();
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--driver") == 0 && i + 1 < argc)
			drv = argv[++i];
		else if (strcmp(argv[i], "--port") == 0 && i + 1 < argc)
			port = argv[++i];
		else if (strcmp(argv[i], "--board") == 0 && i + 1 < argc)
			board = atoi(argv[++i]);
		else if (!op && (strcmp(argv[i], "status") == 0 || strcmp(argv[i], "open-all") == 0))
			op = argv[i];
		else if (!op && strcmp(argv[i], "open") == 0 && i + 1 < argc)
			op = argv[i], lock = atoi(argv[++i]);
		else
			return usage_hal();
	}
	if (!drv || !port || !op)
		return usage_hal();
	struct hal_lock *l;
	int rc = hal_lock_open(drv, port, &l);
	if (rc) {
		fprintf(stderr, "kioskctl: %s %s: %s\n", drv, port, reason(rc));
		return 1;
	}
	if (strcmp(op, "open") == 0)
		rc = hal_lock_unlock(l, board, lock);
	else if (strcmp(op, "open-all") == 0)
		rc = hal_lock_unlock_all(l, board);
	if (rc == KIOSK_OK) {
		struct hal_lock_status st;
		usleep(strcmp(op, "open-all") == 0 ? 100000 : 0);
		rc = hal_lock_status(l, board, &st);
		for (int i = 0; rc == KIOSK_OK && i < st.nlocks; i++)
			printf("board %d lock %2d: %-6s%s\n", board, i + 1,
			       st.closed[i] ? "closed" : "open",
			       st.has_item_sensor ? (st.item[i] ? "  item" : "  empty") : "");
	}
	if (rc && lock)
		fprintf(stderr, "kioskctl: board %d lock %d: %s\n", board, lock, reason(rc));
	else if (rc)
		fprintf(stderr, "kioskctl: board %d: %s\n", board, reason(rc));
	hal_lock_close(l);
	return rc ? 1 : 0;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int usage_sim(void)
{
	fputs("usage: kioskctl sim lock --driver kerong-cu16|wkly-24 --link PATH [--boards N]\n"
	      "                         [--auto-close MS] [--fault SPEC]...\n"
	      "  faults: no-reply silent:B bad-checksum garbage slow:MS drop-first:N jam:B:L short-query\n"
	      "  stdin:  close B L | put B L | take B L | item B L 0|1 | force-open B L |\n"
	      "          fault SPEC|clear\n",
	      stderr);
	return 2;
}

static void sim_step(void *s)
{
	lock_sim_step(s);
}

static int sim_command(void *s, const char *line)
{
	return lock_sim_command(s, line);
}

int ctl_sim(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "vend") == 0)
		return ctl_sim_vend(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "mdb") == 0)
		return ctl_sim_mdb(argc, argv);
	if (argc >= 2 && (strcmp(argv[1], "printer") == 0 || strcmp(argv[1], "scanner") == 0))
		return ctl_sim_usbdev(argc, argv);
	const char *drv = NULL, *link = NULL;
	const char *faults[16];
	int nf = 0, boards = 1, auto_close = 0;
	if (argc < 2 || strcmp(argv[1], "lock") != 0)
		return usage_sim();
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--driver") == 0 && i + 1 < argc)
			drv = argv[++i];
		else if (strcmp(argv[i], "--link") == 0 && i + 1 < argc)
			link = argv[++i];
		else if (strcmp(argv[i], "--boards") == 0 && i + 1 < argc)
			boards = atoi(argv[++i]);
		else if (strcmp(argv[i], "--auto-close") == 0 && i + 1 < argc)
			auto_close = atoi(argv[++i]);
		else if (strcmp(argv[i], "--fault") == 0 && i + 1 < argc && nf < 16)
			faults[nf++] = argv[++i];
		else
			return usage_sim();
	}
	if (!drv || !link)
		return usage_sim();
	struct lock_sim *s;
	int rc = lock_sim_new(drv, link, boards, auto_close, &s);
	if (rc) {
		fprintf(stderr, "kioskctl: cannot simulate %s at %s: %s\n", drv, link,
			rc == KIOSK_EINVAL ? "bad --boards or link path" : reason(rc));
		return 2;
	}
	for (int i = 0; i < nf; i++) {
		if (lock_sim_fault(s, faults[i])) {
			fprintf(stderr, "kioskctl: unknown fault '%s'\n", faults[i]);
			lock_sim_free(s);
			return 2;
		}
	}
	printf("simulating %d %s board(s) at %s\n", boards, drv, link);
	ctl_sim_run(lock_sim_fd(s), sim_step, sim_command, s);
	lock_sim_free(s);
	return 0;
}

void ctl_sim_run(int fd, void (*step)(void *), int (*command)(void *, const char *), void *sim)
{
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	fflush(stdout);
	char line[128];
	size_t len = 0;
	int in_open = 1;
	while (!stop) {
		struct pollfd p[2] = {{fd, POLLIN, 0}, {0, POLLIN, 0}};
		poll(p, in_open ? 2 : 1, 20);
		step(sim);
		if (in_open && (p[1].revents & (POLLIN | POLLHUP))) {
			ssize_t r = read(0, line + len, sizeof line - 1 - len);
			if (r <= 0) {
				in_open = 0; /* stdin closed: keep simulating, controlled by time */
				continue;
			}
			len += (size_t)r;
			line[len] = '\0';
			char *nl;
			while ((nl = strchr(line, '\n'))) {
				*nl = '\0';
				if (*line)
					printf("%s: %s\n", line,
					       command(sim, line) ? "unknown command" : "ok");
				fflush(stdout);
				memmove(line, nl + 1, strlen(nl + 1) + 1);
				len = strlen(line);
			}
			if (len == sizeof line - 1)
				len = 0;
		}
	}
}
