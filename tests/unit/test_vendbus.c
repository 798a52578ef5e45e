/* The vending board's bus against its simulator over a pty: a drive sent through the
 * mailbox reaches the board on a POLL, is ACKed, and its reports come back once each —
 * also when the board resends them and loses our ACK; a board that stops polling makes the
 * bus faulty, and polling again makes it well. */
#include "kiosk/bus/vend_bus.h"
#include "hal/vend/fafb_link.h"
#include "hal/vend/fafb_sim.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "../test.h"

#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static volatile int stop;

static void *board(void *arg)
{
	struct fafb_sim *s = arg;
	while (!stop) {
		struct pollfd p = {fafb_sim_fd(s), POLLIN, 0};
		poll(&p, 1, 10);
		fafb_sim_step(s);
	}
	return NULL;
}

/* Outcomes until a final dispense report (5 s at most): their kinds in order into kinds
 * (max), the count returned; every outcome's tag must be tag. */
static int until_final(struct kiosk_vend_bus *b, int64_t tag, int *kinds, uint8_t *statuses,
		       int max)
{
	int n = 0;
	int64_t until = kiosk_mono_ms() + 5000;
	while (kiosk_mono_ms() < until && n < max) {
		struct pollfd p = {kiosk_vend_bus_fd(b), POLLIN, 0};
		poll(&p, 1, 50);
		struct kiosk_vend_outcome o;
		while (n < max && kiosk_vend_bus_take(b, &o)) {
			if (o.tag == -1) /* the bus's own status request, first thing */
				continue;
			CHECK(o.tag == tag);
			kinds[n] = (int)o.kind;
			uint16_t slot;
			statuses[n] = 0;
			if (o.kind == KIOSK_VEND_REPORT)
				CHECK(fafb_dispense_report(&o.frame, &statuses[n], &slot));
			n++;
			if (o.kind == KIOSK_VEND_REPORT && statuses[n - 1] != FAFB_DISPENSING)
				return n;
		}
	}
	return n;
}

static bool healthy(struct kiosk_vend_bus *b, bool want, char *why, size_t cap)
{
	int64_t until = kiosk_mono_ms() + 5000;
	while (kiosk_mono_ms() < until) {
		if (kiosk_vend_bus_health(b, why, cap) == want)
			return true;
		usleep(20000);
	}
	return false;
}

static void a_sale_through_the_mailbox(void)
{
	char link[64];
	snprintf(link, sizeof link, "vendbus-%d", (int)getpid());
	struct fafb_sim *sim;
	CHECK_INT(fafb_sim_new(link, 10, 5, &sim), KIOSK_OK);
	pthread_t t;
	stop = 0;
	pthread_create(&t, NULL, board, sim);
	struct hal_serial *s;
	CHECK_INT(hal_serial_open(link, FAFB_BAUD, &s), KIOSK_OK);
	struct kiosk_vend_bus *b;
	CHECK_INT(kiosk_vend_bus_start(s, &b), KIOSK_OK);
	struct fafb_frame drive = fafb_drive(0, 2, true, false);
	CHECK_INT(kiosk_vend_bus_send(b, 7, &drive), KIOSK_OK);
	int kinds[8];
	uint8_t st[8];
	CHECK_INT(until_final(b, 7, kinds, st, 8), 3);
	CHECK(kinds[0] == KIOSK_VEND_ACKED && kinds[1] == KIOSK_VEND_REPORT &&
	      st[1] == FAFB_DISPENSING && kinds[2] == KIOSK_VEND_REPORT && st[2] == FAFB_DISPENSED);
	CHECK_INT(fafb_sim_stock(sim, 2), 4);
	/* a board that sends each report twice and loses our first ACK: still once each */
	CHECK_INT(fafb_sim_command(sim, "fault resend"), KIOSK_OK);
	CHECK_INT(fafb_sim_command(sim, "fault lost-ack"), KIOSK_OK);
	CHECK_INT(fafb_sim_command(sim, "fault jam:3"), KIOSK_OK);
	drive = fafb_drive(0, 3, true, false);
	CHECK_INT(kiosk_vend_bus_send(b, 8, &drive), KIOSK_OK);
	CHECK_INT(until_final(b, 8, kinds, st, 8), 3);
	CHECK(kinds[0] == KIOSK_VEND_ACKED && st[1] == FAFB_DISPENSING && st[2] == FAFB_JAMMED);
	CHECK_INT((int)fafb_sim_drives(sim), 2);
	CHECK_INT(fafb_sim_stock(sim, 3), 5); /* jammed: nothing fell */
	/* silence, then polls again */
	char why[96];
	CHECK(healthy(b, true, why, sizeof why));
	CHECK_INT(fafb_sim_command(sim, "fault silent"), KIOSK_OK);
	CHECK(healthy(b, false, why, sizeof why));
	CHECK_STR(why, "no POLL from the board for 2 s");
	CHECK_INT(fafb_sim_command(sim, "fault clear"), KIOSK_OK);
	CHECK(healthy(b, true, why, sizeof why));
	printf("  slowest answer to a POLL: %.2f ms\n",
	       (double)kiosk_vend_bus_slowest_us(b) / 1000.0);
	kiosk_vend_bus_stop(b);
	stop = 1;
	pthread_join(t, NULL);
	fafb_sim_free(sim);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"a_sale_through_the_mailbox", a_sale_through_the_mailbox},
		{0},
	};
	return test_main(argc, argv, cases);
}
