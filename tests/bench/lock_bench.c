/* make bench, locker rows: from the open request to the last byte of the unlock frame
 * written, and to the confirmed-open answer, over opens against each driver's simulator on
 * a pty, beside the wire-time floor of the frames involved at the board's baud rate. */
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "hal/lock/lock.h"
#include "hal/lock/sim.h"

#include "bench.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct rig {
	struct lock_sim *sim;
	volatile int stop;
};

static void *run_sim(void *arg)
{
	struct rig *r = arg;
	lock_sim_run(r->sim, &r->stop);
	return NULL;
}

/* Bytes on the wire for one confirmed open: the request(s) and the reply(ies). */
static void one(const char *driver, int n, int floor_bytes, int baud)
{
	char link[64];
	snprintf(link, sizeof link, "/tmp/kiosk-lockbench-%d", getpid());
	struct rig r = {0};
	pthread_t t;
	struct hal_lock *l;
	if (lock_sim_new(driver, link, 1, 0, &r.sim) != KIOSK_OK)
		exit(1);
	pthread_create(&t, NULL, run_sim, &r);
	if (hal_lock_open(driver, link, &l) != KIOSK_OK)
		exit(1);
	double *tx = malloc(sizeof(double) * (size_t)n), *ok = malloc(sizeof(double) * (size_t)n);
	struct hal_lock_stats st;
	int nlocks = hal_lock_driver_of(l)->locks_per_board;
	for (int i = 0; i < n; i++) {
		int lock = 1 + i % nlocks;
		char cmd[32];
		snprintf(cmd, sizeof cmd, "close 0 %d", lock);
		lock_sim_command(r.sim, cmd); /* every open starts from a shut door */
		int64_t t0 = kiosk_mono_us();
		if (hal_lock_unlock(l, 0, lock) != KIOSK_OK) {
			fprintf(stderr, "bench: open %d failed\n", i);
			exit(1);
		}
		ok[i] = (double)(kiosk_mono_us() - t0) / 1000;
		hal_lock_stats(l, &st);
		tx[i] = (double)(st.unlock_tx_us - t0) / 1000;
	}
	qsort(tx, (size_t)n, sizeof *tx, bench_cmp_d);
	qsort(ok, (size_t)n, sizeof *ok, bench_cmp_d);
	double floor_tx = 5.0 * 10 * 1000 / baud, floor_ok = floor_bytes * 10.0 * 1000 / baud;
	printf("| %s: request → unlock frame written | %.3f | %.3f | %.2f (%s baud) | %.3f |\n",
	       driver, tx[n / 2], tx[n * 99 / 100], floor_tx, baud == 19200 ? "19200" : "9600",
	       tx[n / 2] / floor_tx);
	printf("| %s: request → confirmed open | %.2f | %.2f | %.2f (%d bytes) | %.3f |\n", driver,
	       ok[n / 2], ok[n * 99 / 100], floor_ok, floor_bytes, ok[n / 2] / floor_ok);
	free(tx);
	free(ok);
	hal_lock_close(l);
	r.stop = 1;
	pthread_join(t, NULL);
	lock_sim_free(r.sim);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000; /* 1 000: p99 then rests on ten samples */
	setenv("KIOSK_LOG", "error", 0);
	printf("Lock boards: %d opens per driver against its simulator on a pty. The floor is the\n"
	       "time the frames take on a real RS485 line at the board's baud (10 bits a byte);\n"
	       "Kerong confirms by reading the door ~30 ms after the pulse (the board does not\n"
	       "answer an unlock), which sets its confirmed-open time. A pty has no line rate: the\n"
	       "measured times are the software's own cost, to be added to the floor on a real line.\n\n",
	       n);
	printf("| measurement | p50 ms | p99 ms | wire floor ms | p50 / floor |\n"
	       "|---|---|---|---|---|\n");
	/* Kerong: unlock 5 B + status request 5 B + status reply 9 B.
	 * WKLY: open request 9 B + reply 11 B. */
	one("kerong-cu16", n, 19, 19200);
	one("wkly-24", n, 20, 9600);
	return 0;
}
