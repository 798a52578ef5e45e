/* make bench, "outbox drain": 100 000 queued events pushed to the local platform over
 * loopback by the kiosk's link (libcurl multi on a core loop, batches built from the
 * store, acks written back), beside a baseline measured in the same run: the same
 * batches, built beforehand, POSTed with plain blocking libcurl to a fresh platform.
 * Targets (read off the table): kiosk/baseline ≥ 0.8, ≥ 20 000 events/s on a 2-core
 * machine. The platform runs as its own process, so the RSS figures are the kiosk's.
 *
 *   sync_bench KIOSK_PLATFORM_BINARY */
#include "kiosk/config.h"
#include "kiosk/crypto.h"
#include "kiosk/loop.h"
#include "kiosk/store/store.h"
#include "kiosk/sync/sign.h"
#include "kiosk/sync/sync.h"
#include "kiosk/sync/wire.h"
#include "hal/base/clock.h"
#include "hal/base/mem.h"
#include "hal/base/error.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define N_EVENTS 100000

static char dir[150], secret_path[200];
static const char *platform_bin;

/* Starts kiosk-platform on a fresh database; returns its pid and port. */
static pid_t platform_start(const char *name, int *port)
{
	char db[400], pf[400];
	snprintf(db, sizeof db, "%s/platform-%s.db", dir, name);
	snprintf(pf, sizeof pf, "%s/%s.port", dir, name);
	unlink(db);
	unlink(pf);
	char dev[400];
	snprintf(dev, sizeof dev, "K-BENCH=%s", secret_path);
	pid_t pid = fork();
	if (pid == 0) {
		execl(platform_bin, platform_bin, "--db", db, "--device", dev, "--listen",
		      "127.0.0.1:0", "--port-file", pf, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 400; i++) {
		FILE *f = fopen(pf, "r");
		if (f && fscanf(f, "%d", port) == 1) {
			fclose(f);
			return pid;
		}
		if (f)
			fclose(f);
		usleep(10000);
	}
	fprintf(stderr, "sync_bench: %s did not start\n", platform_bin);
	exit(1);
}

static void platform_stop(pid_t pid)
{
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
}

static int64_t platform_count(const char *name)
{
	char db[400];
	snprintf(db, sizeof db, "%s/platform-%s.db", dir, name);
	sqlite3 *d;
	sqlite3_stmt *s;
	int64_t n = -1;
	if (sqlite3_open(db, &d) == SQLITE_OK &&
	    sqlite3_prepare_v2(d, "SELECT count(*) FROM event", -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			n = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	}
	sqlite3_close(d);
	return n;
}

/* The queue: one real event through the store, then copies of it under new seqs and ids
 * in one transaction (100 000 single commits would measure the disk, not the link). */
static void fill_outbox(struct kiosk_store *st, const char *path)
{
	kiosk_event_help(st, "zh", true);
	sqlite3 *d;
	sqlite3_open(path, &d);
	sqlite3_exec(d, "BEGIN", NULL, NULL, NULL);
	sqlite3_stmt *s;
	sqlite3_prepare_v2(d,
			   "INSERT INTO outbox(seq, id, type, at_ms, data) SELECT ?, ?, type, at_ms,"
			   " data FROM outbox WHERE seq = 1",
			   -1, &s, NULL);
	for (int i = 2; i <= N_EVENTS; i++) {
		char id[37];
		kiosk_uuid(id);
		sqlite3_bind_int(s, 1, i);
		sqlite3_bind_text(s, 2, id, -1, SQLITE_TRANSIENT);
		sqlite3_step(s);
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	char sql[128];
	snprintf(sql, sizeof sql, "UPDATE meta SET value = %d WHERE key IN ('outbox_seq',"
		 " 'outbox_unsent')", N_EVENTS);
	sqlite3_exec(d, sql, NULL, NULL, NULL);
	sqlite3_exec(d, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(d);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: sync_bench KIOSK_PLATFORM_BINARY\n");
		return 2;
	}
	platform_bin = argv[1];
	const char *base = getenv("KIOSK_BENCH_DIR") ? getenv("KIOSK_BENCH_DIR") : "/tmp";
	snprintf(dir, sizeof dir, "%s/sync", base);
	mkdir(dir, 0700);
	snprintf(secret_path, sizeof secret_path, "%s/device.secret", dir);
	uint8_t secret[32];
	kiosk_random(secret, sizeof secret);
	int fd = open(secret_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, secret, sizeof secret) != (ssize_t)sizeof secret)
		return 1;
	close(fd);
	kiosk_errors_init();

	/* The kiosk's store with the queue. */
	char db[400], key[400];
	snprintf(db, sizeof db, "%s/kiosk.db", dir);
	snprintf(key, sizeof key, "%s/kiosk.db-wal", dir);
	unlink(db);
	unlink(key);
	uint8_t devkey[32] = {1};
	struct kiosk_store_opts so = {.path = db, .device_key = devkey};
	struct kiosk_store *st;
	if (kiosk_store_open(&so, &st) != KIOSK_OK)
		return 1;
	fill_outbox(st, db);

	/* The baseline's batches: the same bodies, built before the clock starts. */
	int nb = 0;
	char *bodies[N_EVENTS / KIOSK_WIRE_MAX_BATCH + 1];
	size_t lens[N_EVENTS / KIOSK_WIRE_MAX_BATCH + 1];
	int64_t firsts[N_EVENTS / KIOSK_WIRE_MAX_BATCH + 1], lasts[N_EVENTS / KIOSK_WIRE_MAX_BATCH + 1];
	{
		sqlite3 *d;
		sqlite3_open(db, &d);
		sqlite3_stmt *s;
		sqlite3_prepare_v2(d, "SELECT seq, id, type, at_ms, data FROM outbox ORDER BY seq", -1,
				   &s, NULL);
		struct kiosk_event *ev = calloc(KIOSK_WIRE_MAX_BATCH, sizeof *ev);
		int k = 0;
		for (int more = 1; more;) {
			more = sqlite3_step(s) == SQLITE_ROW;
			if (more) {
				ev[k].seq = sqlite3_column_int64(s, 0);
				snprintf(ev[k].id, sizeof ev[k].id, "%s", sqlite3_column_text(s, 1));
				snprintf(ev[k].type, sizeof ev[k].type, "%s", sqlite3_column_text(s, 2));
				ev[k].at_ms = sqlite3_column_int64(s, 3);
				ev[k].data = strdup((const char *)sqlite3_column_text(s, 4));
				k++;
			}
			if (k == KIOSK_WIRE_MAX_BATCH || (!more && k)) {
				struct kiosk_event_batch b = {k, ev};
				int used;
				kiosk_wire_events("K-BENCH", &b, KIOSK_WIRE_MAX_BODY, &bodies[nb], &lens[nb],
						  &used);
				firsts[nb] = ev[0].seq;
				lasts[nb] = ev[used - 1].seq;
				nb++;
				for (int i = 0; i < k; i++)
					free(ev[i].data);
				k = 0;
			}
		}
		free(ev);
		sqlite3_finalize(s);
		sqlite3_close(d);
	}

	/* The kiosk's link drains the queue. */
	int port;
	pid_t pid = platform_start("kiosk", &port);
	struct kiosk_config cfg;
	kiosk_config_defaults(&cfg);
	snprintf(cfg.device_id, sizeof cfg.device_id, "K-BENCH");
	snprintf(cfg.platform_url, sizeof cfg.platform_url, "http://127.0.0.1:%d", port);
	snprintf(cfg.device_secret_file, sizeof cfg.device_secret_file, "%s", secret_path);
	cfg.platform_heartbeat_s = 3600; /* one heartbeat, as on a kiosk */
	cfg.platform_pull_s = 3600;
	struct kiosk_loop *loop;
	kiosk_loop_new(&loop);
	long rss_before = kiosk_proc_status_kb(0, "VmRSS:");
	struct kiosk_sync *sync;
	char why[160];
	struct kiosk_sync_opts o = {.cfg = &cfg, .loop = loop, .store = st};
	int64_t t0 = kiosk_mono_us();
	if (kiosk_sync_open(&o, &sync, why, sizeof why) != KIOSK_OK) {
		fprintf(stderr, "sync_bench: %s\n", why);
		return 1;
	}
	/* Done when every event is acked (the link's own count: counting the queue after
	 * each round would measure the count). */
	struct kiosk_sync_status ss = {0};
	while (ss.pushed < N_EVENTS && kiosk_mono_us() - t0 < 300 * 1000000LL) {
		kiosk_loop_run_once(loop, 50);
		kiosk_sync_status(sync, &ss);
	}
	double kiosk_s = (double)(kiosk_mono_us() - t0) / 1e6;
	long rss_peak = kiosk_proc_status_kb(0, "VmHWM:");
	kiosk_sync_close(sync);
	kiosk_loop_free(loop);
	platform_stop(pid);
	int64_t got_kiosk = platform_count("kiosk");

	/* The baseline: plain blocking libcurl, one connection, the same signed batches. */
	pid = platform_start("base", &port);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	CURL *e = curl_easy_init();
	char url[128];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/v1/events", port);
	FILE *null = fopen("/dev/null", "w");
	t0 = kiosk_mono_us();
	for (int i = 0; i < nb; i++) {
		char sig[KIOSK_SIG_LEN], h[3][160];
		long long ts = (long long)(kiosk_now_ms() / 1000);
		kiosk_sign(secret, sizeof secret, "POST", "/v1/events", ts, bodies[i], lens[i], sig);
		snprintf(h[0], sizeof h[0], "X-Kiosk-Device: K-BENCH");
		snprintf(h[1], sizeof h[1], "X-Kiosk-Timestamp: %lld", ts);
		snprintf(h[2], sizeof h[2], "X-Kiosk-Signature: %s", sig);
		struct curl_slist *hd = NULL;
		for (int k = 0; k < 3; k++)
			hd = curl_slist_append(hd, h[k]);
		hd = curl_slist_append(hd, "Content-Type: application/json");
		hd = curl_slist_append(hd, "Expect:");
		curl_easy_setopt(e, CURLOPT_URL, url);
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, hd);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, bodies[i]);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)lens[i]);
		curl_easy_setopt(e, CURLOPT_WRITEDATA, null);
		curl_easy_perform(e);
		curl_slist_free_all(hd);
		(void)firsts;
		(void)lasts;
	}
	double base_s = (double)(kiosk_mono_us() - t0) / 1e6;
	curl_easy_cleanup(e);
	fclose(null);
	platform_stop(pid);
	int64_t got_base = platform_count("base");
	for (int i = 0; i < nb; i++)
		free(bodies[i]);

	double kr = (double)N_EVENTS / kiosk_s, br = (double)N_EVENTS / base_s;
	printf("Outbox drain: %d queued events to the local platform over loopback (%d batches of"
	       " ≤ %d)\n\n",
	       N_EVENTS, nb, KIOSK_WIRE_MAX_BATCH);
	printf("| figure | kiosk link | baseline (plain libcurl, pre-built batches) | ratio |"
	       " target |\n|---|---|---|---|---|\n");
	printf("| events stored on the platform | %lld | %lld | | %d each |\n", (long long)got_kiosk,
	       (long long)got_base, N_EVENTS);
	printf("| seconds | %.2f | %.2f | | |\n", kiosk_s, base_s);
	printf("| events/s | %.0f | %.0f | %.2f | ≥ 20 000 and ratio ≥ 0.8 |\n", kr, br, kr / br);
	printf("| kiosk RSS before / peak (MiB) | %.1f / %.1f | | | |\n", (double)rss_before / 1024.0,
	       (double)rss_peak / 1024.0);
	kiosk_store_close(st);
	return got_kiosk == N_EVENTS && got_base == N_EVENTS ? 0 : 1;
}
