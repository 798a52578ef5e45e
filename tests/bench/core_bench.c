/* make bench, "core under device faults": how fast the core answers while one lock board
 * is silent (every monitor read of it burns half a second of retries) and one door is
 * jammed (every open of it a second of re-reads), beside the same figures with healthy
 * boards, measured in the same run. The bus's worker thread takes those waits; the core
 * loop must not. Targets (read off the table): request round trip p99 < 5 ms,
 * `kioskctl status` p99 < 20 ms, under faults as when healthy.
 *
 * Round trip = what the UI sees: a request queued, the core runs it, the notify callback
 * fires (the UI's SDL_PushEvent; here an eventfd), the result is read. */
#include "kiosk/control.h"
#include "kiosk/core.h"
#include "kiosk/crypto.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#define RUN_MS 6000 /* long enough for a dozen monitor rounds and six jams */
#define PACE_MS 2
#define N_REQ (RUN_MS / PACE_MS)
#define N_STATUS 200

static int note_fd = -1;

static void notify(void *arg, enum kiosk_note n)
{
	(void)arg;
	uint64_t one = 1;
	if (n == KIOSK_NOTE_RESULT && write(note_fd, &one, sizeof one) < 0)
		perror("eventfd");
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

struct figs {
	double rt_p50, rt_p99, st_p50, st_p99;
	int jam_opens, failed;
	int64_t faults_seen; /* locker.fault events in the outbox at the end */
};

/* Waits (on the notify fd) for req's result. */
static int await(struct kiosk_core *core, uint32_t req, struct kiosk_result *r)
{
	for (;;) {
		if (kiosk_core_result(core, req, r))
			return 0;
		struct pollfd p = {note_fd, POLLIN, 0};
		if (poll(&p, 1, 5000) <= 0)
			return -1;
		uint64_t v;
		if (read(note_fd, &v, sizeof v) < 0)
			continue;
	}
}

static int ask(struct kiosk_core *core, const struct kiosk_cmd *cmd)
{
	struct kiosk_result r;
	uint32_t req;
	if (kiosk_core_submit(core, cmd, &req) || await(core, req, &r))
		return KIOSK_ETIMEDOUT;
	return r.rc;
}

/* A command about compartment B3, by operator 8001. */
static struct kiosk_cmd b3(enum kiosk_cmd_type type)
{
	struct kiosk_cmd cmd = {.type = type};
	snprintf(cmd.u.compartment.id, sizeof cmd.u.compartment.id, "B3");
	snprintf(cmd.u.compartment.operator_id, sizeof cmd.u.compartment.operator_id, "8001");
	return cmd;
}

static int sim(struct kiosk_core *core, const char *line)
{
	struct kiosk_cmd cmd = {.type = KIOSK_CMD_SIM_LOCK};
	snprintf(cmd.u.name.text, sizeof cmd.u.name.text, "%s", line);
	return ask(core, &cmd);
}

static void measure(struct kiosk_core *core, const char *sock, bool faults, struct figs *f)
{
	static double rt[N_REQ], st[N_STATUS];
	memset(f, 0, sizeof *f);
	for (int i = 0; i < N_REQ; i++) {
		/* Paced like a busy screen, so the run spans many monitor rounds. */
		struct pollfd none;
		poll(&none, 0, PACE_MS);
		/* Under faults, keep the jammed door busy: once a second an operator enables it
		 * again and opens it (not awaited: the person waits, not the core). */
		if (faults && i % (1000 / PACE_MS) == 0) {
			uint32_t q;
			struct kiosk_cmd enable = b3(KIOSK_CMD_SET_COMPARTMENT),
					 open = b3(KIOSK_CMD_OPEN_COMPARTMENT);
			kiosk_core_submit(core, &enable, &q);
			if (kiosk_core_submit(core, &open, &q) == KIOSK_OK)
				f->jam_opens++;
		}
		struct kiosk_result r;
		uint32_t req;
		int64_t t0 = kiosk_mono_us();
		struct kiosk_cmd count = {.type = KIOSK_CMD_COUNT_EVENTS};
		snprintf(count.u.name.text, sizeof count.u.name.text, "locker.fault");
		if (kiosk_core_submit(core, &count, &req) || await(core, req, &r)) {
			f->failed++;
			continue;
		}
		rt[i] = (double)(kiosk_mono_us() - t0);
		f->faults_seen = r.u.count.n;
	}
	char reply[4096];
	for (int i = 0; i < N_STATUS; i++) {
		int64_t t0 = kiosk_mono_us();
		if (kiosk_control_call(sock, "status", reply, sizeof reply, 5000))
			f->failed++;
		st[i] = (double)(kiosk_mono_us() - t0);
	}
	qsort(rt, N_REQ, sizeof *rt, cmp_d);
	qsort(st, N_STATUS, sizeof *st, cmp_d);
	f->rt_p50 = rt[N_REQ / 2] / 1000;
	f->rt_p99 = rt[N_REQ * 99 / 100] / 1000;
	f->st_p50 = st[N_STATUS / 2] / 1000;
	f->st_p99 = st[N_STATUS * 99 / 100] / 1000;
}

int main(void)
{
	char dir[512];
	snprintf(dir, sizeof dir, "%s/core", getenv("KIOSK_BENCH_DIR") ? getenv("KIOSK_BENCH_DIR")
								       : "bench-tmp");
	mkdir(dir, 0700);
	setenv("KIOSK_LOG", "error", 0);
	note_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	struct kiosk_config cfg;
	kiosk_config_defaults(&cfg);
	snprintf(cfg.store_path, sizeof cfg.store_path, "%.200s/kiosk.db", dir);
	snprintf(cfg.device_key_file, sizeof cfg.device_key_file, "%.200s/device.key", dir);
	snprintf(cfg.control_socket, sizeof cfg.control_socket, "%.80s/c.sock", dir);
	snprintf(cfg.lock.driver, sizeof cfg.lock.driver, "kerong-cu16");
	unlink(cfg.store_path);
	/* Two boards of four doors: board 1 will go silent, door B3 of board 0 jams. */
	for (int i = 0; i < 8; i++) {
		struct kiosk_compartment_cfg *c = &cfg.compartments[i];
		snprintf(c->id, sizeof c->id, "%c%d", i < 4 ? 'B' : 'C', i % 4 + 1);
		c->board = i / 4;
		c->lock = i % 4 + 1;
		c->column = c->board + 1;
		c->row = c->lock;
		snprintf(c->size, sizeof c->size, "M");
	}
	cfg.ncompartments = 8;
	struct kiosk_core *core;
	char why[256];
	struct kiosk_core_opts o = {.cfg = &cfg, .simulate = true, .notify = notify, .test_clock = true};
	if (kiosk_core_start(&o, &core, why, sizeof why)) {
		fprintf(stderr, "core_bench: %s\n", why);
		return 1;
	}
	struct kiosk_cmd login = {.type = KIOSK_CMD_LOGIN_OPERATOR,
				  .u.login = {.id = "8001", .pin = "2468"}};
	if (ask(core, &login) != KIOSK_OK)
		fprintf(stderr, "core_bench: demo operator login failed\n");
	struct figs healthy, faulty;
	measure(core, cfg.control_socket, false, &healthy);
	sim(core, "fault silent:1");
	sim(core, "fault jam:0:3");
	measure(core, cfg.control_socket, true, &faulty);
	struct kiosk_snapshot s;
	kiosk_core_snapshot(core, &s);
	kiosk_core_stop(core);

	printf("Core under device faults: %d requests (one per %d ms) and %d `kioskctl status`\n"
	       "calls each; faults = board 1 silent, door B3 jammed and re-opened once a second\n"
	       "(%d opens, %lld locker.fault events); lock device %s at the end\n\n",
	       N_REQ, PACE_MS, N_STATUS, faulty.jam_opens, (long long)faulty.faults_seen,
	       kiosk_devstate_name(s.dev[KIOSK_DEV_LOCK]));
	printf("| figure (ms) | healthy boards | silent board + jammed door | ratio | target |\n"
	       "|---|---|---|---|---|\n");
	printf("| UI→core→UI round trip p50 | %.3f | %.3f | %.2f | |\n", healthy.rt_p50,
	       faulty.rt_p50, faulty.rt_p50 / healthy.rt_p50);
	printf("| UI→core→UI round trip p99 | %.3f | %.3f | %.2f | < 5 |\n", healthy.rt_p99,
	       faulty.rt_p99, faulty.rt_p99 / healthy.rt_p99);
	printf("| kioskctl status p50 | %.3f | %.3f | %.2f | |\n", healthy.st_p50, faulty.st_p50,
	       faulty.st_p50 / healthy.st_p50);
	printf("| kioskctl status p99 | %.3f | %.3f | %.2f | < 20 |\n", healthy.st_p99,
	       faulty.st_p99, faulty.st_p99 / healthy.st_p99);
	printf("| requests or calls that failed | %d | %d | | 0 |\n", healthy.failed,
	       faulty.failed);
	/* What a courier's login costs the worker thread (never the core's): one PIN check at
	 * the fewest and at the most rounds a hash may ask for. */
	double pin_ms[2];
	const unsigned rounds[2] = {KIOSK_PIN_MIN_ITER, KIOSK_PIN_MAX_ITER};
	for (int i = 0; i < 2; i++) {
		char h[KIOSK_PINHASH_MAX];
		kiosk_pin_hash("1357", rounds[i], h, sizeof h);
		double v[5];
		for (int k = 0; k < 5; k++) {
			int64_t t0 = kiosk_mono_us();
			kiosk_pin_verify("1357", h);
			v[k] = (double)(kiosk_mono_us() - t0) / 1000.0;
		}
		pin_ms[i] = v[0];
		for (int k = 1; k < 5; k++)
			pin_ms[i] = v[k] > pin_ms[i] ? v[k] : pin_ms[i];
	}
	printf("\nPIN check on the worker thread (the core loop answers meanwhile), worst of 5:\n\n"
	       "| rounds | ms | target |\n|---|---:|---|\n| %u (the fewest allowed) | %.1f | |\n"
	       "| %u (the cap: more is refused) | %.1f | ≤ 250 |\n",
	       rounds[0], pin_ms[0], rounds[1], pin_ms[1]);
	close(note_fd);
	return 0;
}
