/* Exactly once, the hard way (bounded to about two minutes): a kiosk process commits
 * 10 000 events through real store operations and pushes them while the platform fails
 * 30 % of requests, stores and then drops the connection on 10 %, and answers the rest
 * late; the kiosk is SIGKILLed and restarted five times along the way. Afterwards the
 * platform holds every event once, the seqs gap-free, and the kiosk's outbox is empty.
 * The seed (printed) replays the kill times. */
#include "kiosk/config.h"
#include "kiosk/loop.h"
#include "kiosk/sync/sync.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "tests/platform/platform.h"
#include "tests/test.h"
#include "tests/unit/store_fixture.h"

#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define N_EVENTS 10000
#define KILLS 5

static char db[220], secret[230], plat_db[230];

/* The kiosk: make events until the store holds `target` of them, pushing all along;
 * then (target reached) push until the outbox is empty and exit 0. */
static int kiosk_child(int port, int64_t target)
{
	struct kiosk_store *st;
	if (fx_open(db, NULL, &st) != KIOSK_OK)
		return 3;
	struct kiosk_loop *loop;
	kiosk_loop_new(&loop);
	struct kiosk_config cfg;
	kiosk_config_defaults(&cfg);
	snprintf(cfg.device_id, sizeof cfg.device_id, "K-SOAK");
	snprintf(cfg.platform_url, sizeof cfg.platform_url, "http://127.0.0.1:%d", port);
	snprintf(cfg.device_secret_file, sizeof cfg.device_secret_file, "%s", secret);
	struct kiosk_sync *sync;
	char why[160];
	struct kiosk_sync_opts o = {.cfg = &cfg, .loop = loop, .store = st};
	if (kiosk_sync_open(&o, &sync, why, sizeof why) != KIOSK_OK)
		return 4;
	int64_t unsent = 0, last = 0;
	kiosk_outbox_depth(st, &unsent, &last);
	for (int64_t i = last; i < target; i++) {
		/* three kinds of real operations, each its own transaction and event */
		int rc = i % 3 == 0   ? kiosk_event_help(st, "zh", i % 2)
			 : i % 3 == 1 ? kiosk_event_feedback(st, "pickup", (int)(i % 5) + 1, "ok")
				      : kiosk_event_service_request(st, "cobbler", "修鞋");
		if (rc)
			return 5;
		kiosk_loop_run_once(loop, 0);
	}
	int64_t end = kiosk_mono_ms() + 120000;
	do {
		kiosk_loop_run_once(loop, 50);
		kiosk_outbox_depth(st, &unsent, &last);
		struct kiosk_sync_status ss;
		kiosk_sync_status(sync, &ss);
		if (ss.attempt > 0 && !ss.busy)
			kiosk_sync_now(sync); /* the test's patience, not the link's: retry now */
	} while (unsent > 0 && kiosk_mono_ms() < end);
	kiosk_sync_close(sync);
	kiosk_loop_free(loop);
	kiosk_store_close(st);
	return unsent == 0 ? 0 : 6;
}

static int64_t plat_int(const char *sql)
{
	sqlite3 *d;
	sqlite3_stmt *s;
	int64_t v = -1;
	if (sqlite3_open_v2(plat_db, &d, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(d, sql, -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			v = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	}
	sqlite3_close(d);
	return v;
}

static void exactly_once_through_faults_and_kills(void)
{
	fx_path(db, sizeof db);
	char dir[200];
	snprintf(dir, sizeof dir, "%.*s", (int)(strrchr(db, '/') - db), db);
	snprintf(secret, sizeof secret, "%s/device.secret", dir);
	snprintf(plat_db, sizeof plat_db, "%s/platform.db", dir);
	int fd = open(secret, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0 && write(fd, "0123456789abcdef0123456789abcdef", 32) == 32);
	close(fd);
	unsigned seed = getenv("SOAK_SEED") ? (unsigned)atoi(getenv("SOAK_SEED"))
					    : (unsigned)time(NULL);
	fprintf(stderr, "soak: seed %u (SOAK_SEED=%u replays the kill times)\n", seed, seed);
	srand(seed);
	struct plat_opts po = {.ndevices = 1, .seed = seed,
			       .faults = {.fail_rate = 0.3, .close_rate = 0.1, .delay_ms = 3}};
	snprintf(po.db, sizeof po.db, "%s", plat_db);
	snprintf(po.host, sizeof po.host, "127.0.0.1");
	snprintf(po.devices[0].id, sizeof po.devices[0].id, "K-SOAK");
	snprintf(po.devices[0].secret_file, sizeof po.devices[0].secret_file, "%s", secret);
	struct plat *p;
	char why[256];
	CHECK_INT(plat_start(&po, &p, why, sizeof why), 0);
	if (!p)
		return;
	/* Five runs killed at a random moment, then one that finishes. */
	for (int run = 0; run <= KILLS; run++) {
		/* A fresh process (fork, then exec of this program): the platform's threads
		 * live in this one, and a child forked from a threaded process may only exec. */
		char port[16];
		snprintf(port, sizeof port, "%d", plat_port(p));
		pid_t pid = fork();
		if (pid == 0) {
			execl("/proc/self/exe", "test_soak", "--kiosk-child", port, db, secret,
			      (char *)NULL);
			_exit(127);
		}
		int status = 0;
		if (run < KILLS) {
			usleep((useconds_t)(500000 + rand() % 2500000));
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			CHECK(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 0));
		} else {
			waitpid(pid, &status, 0);
			CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		}
	}
	plat_stop(p);
	struct kiosk_store *st;
	CHECK_INT(fx_open(db, NULL, &st), KIOSK_OK);
	int64_t unsent = -1, last = -1;
	CHECK_INT(kiosk_outbox_depth(st, &unsent, &last), KIOSK_OK);
	CHECK_INT(unsent, 0);
	CHECK_INT(last, N_EVENTS);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM dead_letter"), 0);
	kiosk_store_close(st);
	CHECK_INT(plat_int("SELECT count(*) FROM event"), N_EVENTS);
	CHECK_INT(plat_int("SELECT count(DISTINCT seq) FROM event"), N_EVENTS);
	CHECK_INT(plat_int("SELECT count(DISTINCT id) FROM event"), N_EVENTS);
	CHECK_INT(plat_int("SELECT min(seq) FROM event"), 1);
	CHECK_INT(plat_int("SELECT max(seq) FROM event"), N_EVENTS);
	CHECK_INT(plat_int("SELECT count(*) FROM rejected"), 0);
	if (!test_failed)
		fx_cleanup(db);
}

int main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "--kiosk-child") == 0) {
		snprintf(db, sizeof db, "%s", argv[3]);
		snprintf(secret, sizeof secret, "%s", argv[4]);
		return kiosk_child(atoi(argv[2]), N_EVENTS);
	}
	static const struct test_case cases[] = {
		{"exactly_once_through_faults_and_kills", exactly_once_through_faults_and_kills},
		{0},
	};
	return test_main(argc, argv, cases);
}
