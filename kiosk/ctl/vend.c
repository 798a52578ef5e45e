/* kioskctl's vending-board commands: the technician's bench tool (hal vend) and the
 * simulator (sim vend), driver fafb (../shared/PROTOCOLS.md §3). */
#include "kiosk/ctl/ctl.h"
#include "hal/base/error.h"
#include "hal/vend/fafb_link.h"
#include "hal/vend/fafb_sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { FIRST_POLL_MS = 2000, EXCHANGE_MS = 30000 };

static int usage_hal(void)
{
	fputs("usage: kioskctl hal vend --driver fafb --port PATH dispense SLOT | check SLOT |"
	      " status\n",
	      stderr);
	return 2;
}

struct want {
	uint8_t cmd;    /* the report that ends the exchange */
	char said[96];  /* what it said, in words */
	bool ok;
};

static bool on_report(void *arg, const struct fafb_frame *f)
{
	struct want *w = arg;
	uint8_t st, mode;
	uint16_t slot;
	uint32_t fen;
	struct fafb_machine m;
	char buf[32];
	if (fafb_money(f, &mode, &fen)) /* the board's own devices: said, not waited for */
		printf("money collected: %u.%02u yuan (mode %u)\n", fen / 100, fen % 100, mode);
	if (f->cmd != w->cmd)
		return false;
	if (fafb_dispense_report(f, &st, &slot)) {
		if (st == FAFB_DISPENSING)
			return false;
		snprintf(w->said, sizeof w->said, "slot %u: %s", slot,
			 fafb_dispense_words(st, buf, sizeof buf));
		w->ok = st == FAFB_DISPENSED;
		return true;
	}
	if (fafb_check_reply(f, &st, &slot)) {
		static const char *const states[] = {"?", "normal", "sold out", "no such slot",
						     "paused"};
		snprintf(w->said, sizeof w->said, "slot %u: %s", slot, st <= 4 ? states[st] : "?");
		w->ok = st == FAFB_SLOT_NORMAL;
		return true;
	}
	if (fafb_machine_status(f, &m)) {
		snprintf(w->said, sizeof w->said,
			 "bill %u, coin %u, card %u, temperature %u, door %u (0: ok)", m.bill, m.coin,
			 m.card, m.temperature, m.door);
		w->ok = !(m.bill | m.coin | m.card | m.temperature | m.door);
		return true;
	}
	return false;
}

int ctl_hal_vend(int argc, char **argv)
{
	const char *drv = NULL, *port = NULL, *op = NULL;
	long slot = 0;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--driver") == 0 && i + 1 < argc)
			drv = argv[++i];
		else if (strcmp(argv[i], "--port") == 0 && i + 1 < argc)
			port = argv[++i];
		else if (!op && strcmp(argv[i], "status") == 0)
			op = argv[i];
		else if (!op && (strcmp(argv[i], "dispense") == 0 || strcmp(argv[i], "check") == 0) &&
			 i + 1 < argc) {
			op = argv[i];
			char *end;
			slot = strtol(argv[++i], &end, 10);
			if (*end || slot < 1 || slot > 65535) {
				fprintf(stderr, "kioskctl: slot '%s': expected 1..65535\n", argv[i]);
				return 2;
			}
		} else
			return usage_hal();
	}
	if (!drv || !port || !op)
		return usage_hal();
	if (strcmp(drv, "fafb") != 0) {
		fprintf(stderr, "kioskctl: no vending driver '%s' (fafb is built)\n", drv);
		return 2;
	}
	struct hal_serial *s;
	int rc = hal_serial_open(port, FAFB_BAUD, &s);
	if (rc) {
		fprintf(stderr, "kioskctl: %s: %s\n", port, kiosk_strerror(rc));
		return 2;
	}
	struct fafb_frame cmd;
	struct want w = {0};
	if (op[0] == 'd') {
		cmd = fafb_drive(0, (uint16_t)slot, true, false); /* the drop sensor on */
		w.cmd = FAFB_DISPENSE_REPORT;
	} else if (op[0] == 'c') {
		cmd = fafb_check(0, (uint16_t)slot);
		w.cmd = FAFB_CHECK_REPLY;
	} else {
		cmd = fafb_status(0);
		w.cmd = FAFB_STATUS_REPLY;
	}
	rc = fafb_serve_one(s, &cmd, FIRST_POLL_MS, EXCHANGE_MS, on_report, &w);
	hal_serial_close(s);
	switch (rc) {
	case KIOSK_OK:
		printf("%s\n", w.said);
		return w.ok ? 0 : 1;
	case KIOSK_ETIMEDOUT:
		fprintf(stderr, "kioskctl: no board on %s (no POLL within 2 s)\n", port);
		return 2;
	case KIOSK_EPROTO:
		printf("the board never acknowledged the command: outcome unknown\n");
		return 1;
	case KIOSK_EEXPIRED:
		printf("no final report within 30 s: outcome unknown\n");
		return 1;
	default:
		fprintf(stderr, "kioskctl: %s: %s\n", port, kiosk_strerror(rc));
		return 2;
	}
}

static int usage_sim(void)
{
	fputs("usage: kioskctl sim vend --driver fafb --link PATH [--slots N] [--stock N]"
	      " [--fault SPEC]...\n"
	      "  faults: jam:SLOT no-motor:SLOT lost-ack resend silent\n"
	      "  stdin:  money MODE FEN | stock SLOT N | fault SPEC|clear\n",
	      stderr);
	return 2;
}

static void sim_step(void *s)
{
	fafb_sim_step(s);
}

static int sim_command(void *s, const char *line)
{
	return fafb_sim_command(s, line);
}

int ctl_sim_vend(int argc, char **argv)
{
	const char *drv = NULL, *link = NULL, *faults[16];
	int nf = 0, slots = 20, stock = 5;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--driver") == 0 && i + 1 < argc)
			drv = argv[++i];
		else if (strcmp(argv[i], "--link") == 0 && i + 1 < argc)
			link = argv[++i];
		else if (strcmp(argv[i], "--slots") == 0 && i + 1 < argc)
			slots = atoi(argv[++i]);
		else if (strcmp(argv[i], "--stock") == 0 && i + 1 < argc)
			stock = atoi(argv[++i]);
		else if (strcmp(argv[i], "--fault") == 0 && i + 1 < argc && nf < 16)
			faults[nf++] = argv[++i];
		else
			return usage_sim();
	}
	if (!drv || !link)
		return usage_sim();
	if (strcmp(drv, "fafb") != 0) {
		fprintf(stderr, "kioskctl: no vending driver '%s' (fafb is built)\n", drv);
		return 2;
	}
	struct fafb_sim *s;
	int rc = fafb_sim_new(link, slots, stock, &s);
	if (rc) {
		fprintf(stderr, "kioskctl: cannot simulate fafb at %s: %s\n", link,
			rc == KIOSK_EINVAL ? "bad --slots, --stock or link path" : kiosk_strerror(rc));
		return 2;
	}
	for (int i = 0; i < nf; i++) {
		if (fafb_sim_fault(s, faults[i])) {
			fprintf(stderr, "kioskctl: unknown fault '%s'\n", faults[i]);
			fafb_sim_free(s);
			return 2;
		}
	}
	printf("simulating a fafb drive board (%d slots, %d each) at %s\n", slots, stock, link);
	ctl_sim_run(fafb_sim_fd(s), sim_step, sim_command, s);
	fafb_sim_free(s);
	return 0;
}
