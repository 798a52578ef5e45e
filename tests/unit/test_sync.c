/* The platform link against the local platform, both real: the kiosk's client on a real
 * core loop, libcurl over loopback to libmicrohttpd, SQLite on both sides. Each case
 * waits on a condition (with a bound, so a broken link fails instead of hanging). */
#include "kiosk/config.h"
#include "kiosk/crypto.h"
#include "kiosk/loop.h"
#include "kiosk/sync/changes.h"
#include "kiosk/sync/sign.h"
#include "kiosk/sync/sync.h"
#include "kiosk/sync/wire.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "tests/platform/platform.h"
#include "tests/test.h"
#include "tests/unit/store_fixture.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* One kiosk store, one platform, one link between them. */
struct rig {
	char dir[200], db[220], plat_db[230], secret[230];
	struct kiosk_store *st;
	struct plat *plat;
	struct kiosk_loop *loop;
	struct kiosk_sync *sync;
	struct kiosk_config cfg;
	int changes;
};

static void write_secret(const char *path, const char *fill, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	CHECK(fd >= 0);
	char s[40];
	memset(s, fill[0], 32);
	CHECK(write(fd, s, 32) == 32);
	close(fd);
	chmod(path, mode);
}

static void on_changed(void *arg)
{
	((struct rig *)arg)->changes++;
}

static void rig_open_tls(struct rig *r, const struct plat_faults *f, const char *cert,
			 const char *key);

static void rig_open(struct rig *r, const struct plat_faults *f)
{
	rig_open_tls(r, f, NULL, NULL);
}

static void rig_open_tls(struct rig *r, const struct plat_faults *f, const char *cert,
			 const char *key)
{
	memset(r, 0, sizeof *r);
	fx_path(r->db, sizeof r->db);
	snprintf(r->dir, sizeof r->dir, "%.*s", (int)(strrchr(r->db, '/') - r->db), r->db);
	snprintf(r->plat_db, sizeof r->plat_db, "%s/platform.db", r->dir);
	snprintf(r->secret, sizeof r->secret, "%s/device.secret", r->dir);
	write_secret(r->secret, "s", 0600);
	CHECK_INT(fx_open(r->db, NULL, &r->st), KIOSK_OK);
	struct plat_opts po = {.ndevices = 1, .seed = 7};
	snprintf(po.db, sizeof po.db, "%s", r->plat_db);
	snprintf(po.host, sizeof po.host, "127.0.0.1");
	snprintf(po.devices[0].id, sizeof po.devices[0].id, "K-T1");
	snprintf(po.devices[0].secret_file, sizeof po.devices[0].secret_file, "%s", r->secret);
	if (f)
		po.faults = *f;
	if (cert) {
		snprintf(po.cert, sizeof po.cert, "%s", cert);
		snprintf(po.key, sizeof po.key, "%s", key);
	}
	char why[256];
	CHECK_INT(plat_start(&po, &r->plat, why, sizeof why), 0);
	CHECK_INT(kiosk_loop_new(&r->loop), KIOSK_OK);
	kiosk_config_defaults(&r->cfg);
	snprintf(r->cfg.device_id, sizeof r->cfg.device_id, "K-T1");
	snprintf(r->cfg.platform_url, sizeof r->cfg.platform_url, "%s://127.0.0.1:%d",
		 cert ? "https" : "http", plat_port(r->plat));
	snprintf(r->cfg.device_secret_file, sizeof r->cfg.device_secret_file, "%s", r->secret);
}

static int rig_link(struct rig *r, char *why, size_t wlen)
{
	struct kiosk_sync_opts so = {.cfg = &r->cfg, .loop = r->loop, .store = r->st,
				     .changed = on_changed, .arg = r};
	return kiosk_sync_open(&so, &r->sync, why, wlen);
}

static void rig_close(struct rig *r)
{
	kiosk_sync_close(r->sync);
	kiosk_loop_free(r->loop);
	plat_stop(r->plat);
	kiosk_store_close(r->st);
	fx_cleanup(r->db);
}

static int64_t unsent(struct rig *r)
{
	int64_t n = 0, oldest = 0, dead = 0;
	kiosk_outbox_stats(r->st, &n, &oldest, &dead);
	return n;
}

/* Runs the loop until cond holds or limit_ms of real time passed. */
static bool run_until(struct rig *r, bool (*cond)(struct rig *), int64_t limit_ms)
{
	int64_t end = kiosk_mono_ms() + limit_ms;
	while (!cond(r)) {
		if (kiosk_mono_ms() > end)
			return false;
		kiosk_loop_run_once(r->loop, 50);
	}
	return true;
}

static bool drained(struct rig *r)
{
	return unsent(r) == 0;
}

static bool failed_once(struct rig *r)
{
	struct kiosk_sync_status s;
	kiosk_sync_status(r->sync, &s);
	return s.attempt > 0;
}

static int64_t plat_int(struct rig *r, const char *sql)
{
	sqlite3 *db;
	int64_t v = -1;
	sqlite3_stmt *s;
	if (sqlite3_open_v2(r->plat_db, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			v = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	return v;
}

static void add_events(struct rig *r, int n)
{
	for (int i = 0; i < n; i++)
		CHECK_INT(kiosk_event_help(r->st, i % 2 ? "en" : "zh", i % 3 == 0), KIOSK_OK);
}

static size_t collect(char *p, size_t size, size_t n, void *arg)
{
	char *buf = arg;
	size_t have = strlen(buf), len = size * n;
	if (have + len < 65536) {
		memcpy(buf + have, p, len);
		buf[have + len] = '\0';
	}
	return len;
}

/* A request from the test to the rig's platform: GET, or POST of post (not NULL), with
 * the headers hd (may be NULL); the status, and the body into out (64 KiB). */
static long http(struct rig *r, const char *path, const char *post, struct curl_slist *hd,
		 char *out)
{
	char url[256];
	snprintf(url, sizeof url, "http://127.0.0.1:%d%s", plat_port(r->plat), path);
	out[0] = '\0';
	CURL *e = curl_easy_init();
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, hd);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, out);
	if (post)
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, post);
	long status = 0;
	CHECK_INT(curl_easy_perform(e), CURLE_OK);
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(e);
	return status;
}

/* The platform's page for a person: what a browser gets at "/". */
static void get_page(struct rig *r, char *out)
{
	CHECK_INT(http(r, "/", NULL, NULL, out), 200);
}

/* Every event arrives once, in batches of at most 500, seq gap-free, and is acked. */
static void push_delivers_everything_once(void)
{
	struct rig r;
	rig_open(&r, NULL);
	add_events(&r, 1203);
	char why[160];
	CHECK_INT(rig_link(&r, why, sizeof why), KIOSK_OK);
	CHECK(run_until(&r, drained, 20000));
	CHECK_INT(plat_int(&r, "SELECT count(*) FROM event"), 1203);
	CHECK_INT(plat_int(&r, "SELECT count(DISTINCT seq) FROM event"), 1203);
	CHECK_INT(plat_int(&r, "SELECT max(seq) - min(seq) + 1 FROM event"), 1203);
	struct kiosk_sync_status s;
	kiosk_sync_status(r.sync, &s);
	CHECK_INT(s.link, KIOSK_LINK_ONLINE);
	CHECK_INT(s.pushed, 1203);
	CHECK_STR(s.last_error, "");
	CHECK(r.changes > 0);
	static char page[65536];
	get_page(&r, page);
	CHECK_HAS(page, "Kiosk K-T1");
	CHECK_HAS(page, "1203 events stored, 0 refused");
	CHECK_HAS(page, "help.requested");
	rig_close(&r);
}

/* A kiosk with the wrong secret is refused (401) and nothing is stored or acked. */
static void wrong_secret_is_refused(void)
{
	struct rig r;
	rig_open(&r, NULL);
	add_events(&r, 5);
	snprintf(r.secret, sizeof r.secret, "%s/other.secret", r.dir);
	write_secret(r.secret, "x", 0600);
	snprintf(r.cfg.device_secret_file, sizeof r.cfg.device_secret_file, "%s", r.secret);
	char why[160];
	CHECK_INT(rig_link(&r, why, sizeof why), KIOSK_OK);
	CHECK(run_until(&r, failed_once, 10000));
	CHECK_INT(plat_int(&r, "SELECT count(*) FROM event"), 0);
	CHECK_INT(unsent(&r), 5);
	struct kiosk_sync_status s;
	kiosk_sync_status(r.sync, &s);
	CHECK_INT(s.link, KIOSK_LINK_OFFLINE);
	CHECK_HAS(s.last_error, "HTTP 401");
	CHECK(s.next_try_ms > 0);
	rig_close(&r);
}

/* The server's clock is 20 minutes ahead: one 401, the offset from its Date header, a
 * re-signed retry that works; the offset is kept for the next start. */
static void skewed_clock_recovers_with_one_retry(void)
{
	struct plat_faults f = {.skew_s = 1200};
	struct rig r;
	rig_open(&r, &f);
	add_events(&r, 3);
	char why[160];
	CHECK_INT(rig_link(&r, why, sizeof why), KIOSK_OK);
	CHECK(run_until(&r, drained, 10000));
	CHECK_INT(plat_int(&r, "SELECT count(*) FROM event"), 3);
	struct kiosk_sync_status s;
	kiosk_sync_status(r.sync, &s);
	CHECK(s.clock_offset_s >= 1198 && s.clock_offset_s <= 1202);
	CHECK_INT(s.attempt, 0);
	char v[32] = "";
	CHECK_INT(kiosk_syncstate_get(r.st, "clock_offset_s", v, sizeof v), KIOSK_OK);
	CHECK(atoll(v) >= 1198 && atoll(v) <= 1202);
	rig_close(&r);
}

/* 422: the refused events go to the dead letters, the rest is delivered, the queue
 * does not stop on them. */
static void refused_events_are_dead_lettered(void)
{
	struct plat_faults f;
	memset(&f, 0, sizeof f);
	snprintf(f.reject_type, sizeof f.reject_type, "feedback.rating");
	struct rig r;
	rig_open(&r, &f);
	add_events(&r, 4);
	CHECK_INT(kiosk_event_feedback(r.st, "pickup", 5, "good"), KIOSK_OK);
	add_events(&r, 4);
	CHECK_INT(kiosk_event_feedback(r.st, "send", 2, NULL), KIOSK_OK);
	add_events(&r, 2);
	char why[160];
	CHECK_INT(rig_link(&r, why, sizeof why), KIOSK_OK);
	CHECK(run_until(&r, drained, 10000));
	CHECK_INT(plat_int(&r, "SELECT count(*) FROM event"), 10);
	CHECK_INT(fx_int(r.st, "SELECT count(*) FROM dead_letter"), 2);
	CHECK_INT(fx_int(r.st, "SELECT count(*) FROM dead_letter WHERE error = 'refused_by_test'"),
		  2);
	rig_close(&r);
}

/* A broken answer (truncated JSON, wrong types) acks nothing: the events stay queued and
 * the link backs off; once the answers are right they go, exactly once. */
static void broken_answers_ack_nothing(void)
{
	static const char *const bad[] = {"truncated", "types"};
	for (int k = 0; k < 2; k++) {
		struct plat_faults f;
		memset(&f, 0, sizeof f);
		snprintf(f.bad, sizeof f.bad, "%s", bad[k]);
		struct rig r;
		rig_open(&r, &f);
		add_events(&r, 7);
		char why[160];
		CHECK_INT(rig_link(&r, why, sizeof why), KIOSK_OK);
		CHECK(run_until(&r, failed_once, 10000));
		CHECK_INT(unsent(&r), 7);
		struct kiosk_sync_status s;
		kiosk_sync_status(r.sync, &s);
		CHECK_HAS(s.last_error, "bad answer");
		memset(&f, 0, sizeof f);
		plat_set_faults(r.plat, &f);
		kiosk_sync_now(r.sync);
		CHECK(run_until(&r, drained, 10000));
		CHECK_INT(plat_int(&r, "SELECT count(*) FROM event"), 7);
		rig_close(&r);
	}
}

/* The platform commits and then drops the connection, or fails outright: the kiosk
 * resends what is already stored, and the platform keeps each event once. */
static void lost_answers_and_failures_deliver_exactly_once(void)
{
	struct plat_faults f = {.close_rate = 0.3, .fail_rate = 0.2};
	struct rig r;
	rig_open(&r, &f);
	add_events(&r, 2600);
	char why[160];
	CHECK_INT(rig_link(&r, why, sizeof why), KIOSK_OK);
	CHECK(run_until(&r, drained, 60000));
	CHECK_INT(plat_int(&r, "SELECT count(*) FROM event"), 2600);
	CHECK_INT(plat_int(&r, "SELECT max(seq) - min(seq) + 1 FROM event"), 2600);
	rig_close(&r);
}

/* Refusals before any request: a URL anyone could read on the wire, a secret others may
 * read, a short secret; each names what is wrong, and no link starts. */
static void bad_link_config_is_refused(void)
{
	struct rig r;
	rig_open(&r, NULL);
	char why[160];
	snprintf(r.cfg.platform_url, sizeof r.cfg.platform_url, "http://platform.example.com");
	CHECK_INT(rig_link(&r, why, sizeof why), KIOSK_ECONFIG);
	CHECK_HAS(why, "loopback only");
	CHECK(r.sync == NULL);
	snprintf(r.cfg.platform_url, sizeof r.cfg.platform_url, "ftp://x");
	CHECK_INT(rig_link(&r, why, sizeof why), KIOSK_ECONFIG);
	snprintf(r.cfg.platform_url, sizeof r.cfg.platform_url, "http://127.0.0.1:%d",
		 plat_port(r.plat));
	chmod(r.secret, 0640);
	CHECK_INT(rig_link(&r, why, sizeof why), KIOSK_ECONFIG);
	CHECK_HAS(why, "chmod 600");
	write_secret(r.secret, "s", 0600);
	CHECK_INT(truncate(r.secret, 20), 0);
	CHECK_INT(rig_link(&r, why, sizeof why), KIOSK_ECONFIG);
	CHECK_HAS(why, "shorter than 32");
	r.cfg.platform_url[0] = '\0';
	CHECK_INT(rig_link(&r, why, sizeof why), KIOSK_OK); /* no platform: offline, no link */
	CHECK(r.sync == NULL);
	rig_close(&r);
}

/* Signatures: known answers computed independently (Python's hmac), and refusals. */
static void signatures_match_the_contract(void)
{
	uint8_t k[32];
	memset(k, 'k', sizeof k);
	char sig[KIOSK_SIG_LEN];
	const char *body = "{\"device\":\"K-0001\",\"events\":[]}";
	CHECK_INT(kiosk_sign(k, 32, "POST", "/v1/events", 1764547200LL, body, strlen(body), sig),
		  KIOSK_OK);
	CHECK_STR(sig, "v1=9f6a7d21d40e9bcc44821c70411e85f9aacf4e77bef001c2d2d4cf6b88f3ef4a");
	CHECK_INT(kiosk_sign(k, 32, "GET", "/v1/changes?since=abc&limit=100", 1764547200LL, NULL,
			     0, sig),
		  KIOSK_OK);
	CHECK_STR(sig, "v1=3f23ec61ba15ce1b4755bfb9602004f750b94f549d45e655fa9fe0877459a46a");
	CHECK_INT(kiosk_sign_verify(k, 32, "GET", "/v1/changes?since=abc&limit=100",
				    1764547200LL, NULL, 0, sig),
		  KIOSK_OK);
	/* another path, time, body or key: refused */
	CHECK_INT(kiosk_sign_verify(k, 32, "GET", "/v1/changes?since=abd&limit=100",
				    1764547200LL, NULL, 0, sig),
		  KIOSK_EDENIED);
	CHECK_INT(kiosk_sign_verify(k, 32, "GET", "/v1/changes?since=abc&limit=100",
				    1764547201LL, NULL, 0, sig),
		  KIOSK_EDENIED);
	CHECK_INT(kiosk_sign_verify(k, 32, "GET", "/v1/changes?since=abc&limit=100",
				    1764547200LL, "x", 1, sig),
		  KIOSK_EDENIED);
	k[0] ^= 1;
	CHECK_INT(kiosk_sign_verify(k, 32, "GET", "/v1/changes?since=abc&limit=100",
				    1764547200LL, NULL, 0, sig),
		  KIOSK_EDENIED);
	CHECK_INT(kiosk_sign_verify(k, 32, "GET", "/", 1, NULL, 0, "v1=00"), KIOSK_EDENIED);
	CHECK_INT(kiosk_sign_verify(k, 32, "GET", "/", 1, NULL, 0, NULL), KIOSK_EDENIED);
}

/* Full jitter: within [0, min(5 min, 1 s · 2^attempt)], and it does spread. */
static void backoff_is_full_jitter_and_capped(void)
{
	static const struct {
		int attempt;
		int64_t top;
	} t[] = {{0, 1000}, {1, 2000}, {3, 8000}, {8, 256000}, {9, 300000}, {40, 300000}};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		CHECK_INT(kiosk_sync_backoff_ms(t[i].attempt, 0), 0);
		CHECK_INT(kiosk_sync_backoff_ms(t[i].attempt, (uint32_t)t[i].top), t[i].top);
		int64_t hi = 0;
		for (uint32_t r = 1; r < 200000; r += 7919) {
			int64_t v = kiosk_sync_backoff_ms(t[i].attempt, r * 2654435761u);
			CHECK(v >= 0 && v <= t[i].top);
			hi = v > hi ? v : hi;
		}
		CHECK(hi > t[i].top / 2);
	}
}

/* Batches: at most 500 events and 1 MiB; an event alone over the limit goes nowhere. */
static void batches_keep_the_limits(void)
{
	struct kiosk_event ev[600];
	char big[2000], fill[1901];
	memset(fill, 'a', 1900);
	fill[1900] = '\0';
	snprintf(big, sizeof big, "{\"t\":\"%s\"}", fill);
	for (int i = 0; i < 600; i++) {
		ev[i] = (struct kiosk_event){.seq = i + 1, .at_ms = 1764547200123LL};
		snprintf(ev[i].id, sizeof ev[i].id, "00000000-0000-4000-8000-%012d", i);
		snprintf(ev[i].type, sizeof ev[i].type, "help.requested");
		ev[i].data = big;
	}
	struct kiosk_event_batch b = {.n = 600, .ev = ev};
	char *body;
	size_t len;
	int used;
	CHECK_INT(kiosk_wire_events("K-1", &b, KIOSK_WIRE_MAX_BODY, &body, &len, &used), KIOSK_OK);
	CHECK_INT(used, 500);
	cJSON *j = cJSON_ParseWithLength(body, len);
	CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(j, "events")), 500);
	CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(
			  cJSON_GetArrayItem(cJSON_GetObjectItem(j, "events"), 0), "at")),
		  "2025-12-01T00:00:00.123Z");
	cJSON_Delete(j);
	free(body);
	CHECK_INT(kiosk_wire_events("K-1", &b, 100000, &body, &len, &used), KIOSK_OK);
	CHECK(len <= 100000);
	CHECK(used > 10 && used < 60);
	free(body);
	CHECK_INT(kiosk_wire_events("K-1", &b, 1000, &body, &len, &used), KIOSK_ENOSPACE);
	CHECK_INT(used, 0);
	CHECK(body == NULL);
}

/* Answers that break the contract are refused whole, with the reason. */
static void bad_acks_are_refused(void)
{
	static const struct {
		const char *body;
		const char *why;
	} t[] = {
		{"", "empty"},
		{"{\"acked_through\": 1", "not JSON"},
		{"[1,2]", "not a JSON object"},
		{"{\"acked_through\": \"all\"}", "acked_through"},
		{"{\"acked_through\": 99}", "acked_through"},     /* beyond what was sent */
		{"{\"acked_through\": 3}", "acked_through"},      /* before what was sent */
		{"{\"acked_through\": 12.5}", "acked_through"},
		{"{\"acked_through\": 11, \"rejected\": {}}", "rejected"},
		{"{\"acked_through\": 11, \"rejected\": [{\"seq\": 11}]}", "both"},
		{"{\"acked_through\": 11, \"rejected\": [{\"seq\": 40}]}", "rejected"},
		{"{\"a\":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]}", "nested"},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct kiosk_wire_ack a;
		char why[128] = "";
		CHECK_INT(kiosk_wire_parse_ack(t[i].body, strlen(t[i].body), 10, 20, &a, why,
					       sizeof why),
			  KIOSK_EPARSE);
		CHECK_HAS(why, t[i].why);
		CHECK_INT(a.acked_through, 0);
		CHECK_INT(a.nrejected, 0);
	}
	struct kiosk_wire_ack a;
	char why[128];
	const char *ok = "{\"acked_through\": 11, \"rejected\": [{\"seq\": 12, \"error\": \"x\"}]}";
	CHECK_INT(kiosk_wire_parse_ack(ok, strlen(ok), 10, 20, &a, why, sizeof why), KIOSK_OK);
	CHECK_INT(a.acked_through, 11);
	CHECK_INT(a.nrejected, 1);
	CHECK_INT(a.rejected[0].seq, 12);
}


/* The link is idle: nothing in flight, no page due, nothing unsent. */
static bool settled(struct rig *r)
{
	struct kiosk_sync_status s;
	kiosk_sync_status(r->sync, &s);
	return !s.busy && !s.pull_due && unsent(r) == 0 && s.link == KIOSK_LINK_ONLINE;
}

static bool backing_off(struct rig *r)
{
	struct kiosk_sync_status s;
	kiosk_sync_status(r->sync, &s);
	return s.attempt > 0 && !s.busy;
}

/* 450 changes of every kind arrive in pages of 200, each page with its cursor. */
static void changes_arrive_page_by_page(void)
{
	struct rig r;
	rig_open(&r, NULL);
	char *json = malloc(400000);
	size_t k = 0;
	k += (size_t)sprintf(json + k, "[");
	for (int i = 0; i < 150; i++)
		k += (size_t)sprintf(json + k,
				     "%s{\"kind\":\"product\",\"op\":\"upsert\",\"id\":\"P%d\",\"data\":"
				     "{\"name_zh\":\"矿泉水%d\",\"name_en\":\"Water %d\",\"category\":"
				     "\"drink\"}}",
				     i ? "," : "", i, i, i);
	for (int i = 0; i < 150; i++)
		k += (size_t)sprintf(json + k,
				     ",{\"kind\":\"slot\",\"op\":\"upsert\",\"id\":\"S%d\",\"data\":"
				     "{\"product\":\"P%d\",\"price_fen\":%d,\"capacity\":10,"
				     "\"enabled\":true}}",
				     i, i, 100 + i);
	for (int i = 0; i < 148; i++)
		k += (size_t)sprintf(json + k,
				     ",{\"kind\":\"service\",\"op\":\"upsert\",\"id\":\"V%d\",\"data\":"
				     "{\"name_zh\":\"配钥匙%d\",\"name_en\":\"Keys %d\",\"category\":"
				     "\"key_cutter\",\"lat\":31.2304,\"lon\":121.4737,\"address\":\"\","
				     "\"phone\":\"\",\"opening_hours\":\"Mo-Su 08:00-18:00\","
				     "\"description\":\"\"}}",
				     i, i, i);
	k += (size_t)sprintf(json + k,
			     ",{\"kind\":\"price\",\"op\":\"upsert\",\"id\":\"pr1\",\"data\":"
			     "{\"slot\":\"S7\",\"price_fen\":450}}"
			     ",{\"kind\":\"courier\",\"op\":\"upsert\",\"id\":\"C9\",\"data\":"
			     "{\"name\":\"王师傅\",\"company\":\"SF\",\"pin_hash\":\"%s\"}}]",
			     fx_pinhash("1234"));
	CHECK_INT(plat_add_changes(r.plat, json), 0);
	free(json);
	char why[160];
	CHECK_INT(rig_link(&r, why, sizeof why), KIOSK_OK);
	CHECK(run_until(&r, settled, 20000));
	CHECK_INT(fx_int(r.st, "SELECT count(*) FROM product"), 150);
	CHECK_INT(fx_int(r.st, "SELECT count(*) FROM slot"), 150);
	CHECK_INT(fx_int(r.st, "SELECT count(*) FROM service"), 148);
	CHECK_INT(fx_int(r.st, "SELECT price_fen FROM slot WHERE id = 'S7'"), 450);
	int wait_s = 0;
	CHECK_INT(kiosk_person_login(r.st, "C9", "courier", "1234", &wait_s), KIOSK_OK);
	char cur[64] = "";
	CHECK_INT(kiosk_syncstate_get(r.st, "cursor", cur, sizeof cur), KIOSK_OK);
	CHECK_STR(cur, "c450");
	rig_close(&r);
}

/* One bad change in a page: nothing of the page is applied, the cursor stays, the error
 * names the change and the field; the kiosk backs off and keeps serving. Once the
 * platform sends a good page after it, the link goes on. */
static void a_bad_change_refuses_its_whole_page(void)
{
	struct rig r;
	rig_open(&r, NULL);
	CHECK_INT(plat_add_changes(r.plat,
				   "[{\"kind\":\"product\",\"op\":\"upsert\",\"id\":\"P1\",\"data\":"
				   "{\"name_zh\":\"水\",\"name_en\":\"Water\",\"category\":\"drink\"}},"
				   "{\"kind\":\"slot\",\"op\":\"upsert\",\"id\":\"S1\",\"data\":"
				   "{\"product\":\"P1\",\"price_fen\":-5,\"capacity\":10,"
				   "\"enabled\":true}}]"),
		  0);
	char dig[65], dig2[65];
	fx_digest(r.st, dig);
	char why[160];
	CHECK_INT(rig_link(&r, why, sizeof why), KIOSK_OK);
	CHECK(run_until(&r, backing_off, 10000));
	fx_digest(r.st, dig2);
	CHECK_STR(dig2, dig);
	struct kiosk_sync_status s;
	kiosk_sync_status(r.sync, &s);
	CHECK_HAS(s.last_error, "changes[1].data.price_fen: negative");
	CHECK_INT(fx_int(r.st, "SELECT count(*) FROM product"), 0);
	char cur[64];
	CHECK_INT(kiosk_syncstate_get(r.st, "cursor", cur, sizeof cur), KIOSK_ENOENT);
	/* Well-formed, but the store refuses one (a price for a slot it does not have): the
	 * product before it in the page is rolled back with it. */
	const char *page = "{\"cursor\":\"c9\",\"more\":false,\"changes\":["
			   "{\"kind\":\"product\",\"op\":\"upsert\",\"id\":\"P2\",\"data\":"
			   "{\"name_zh\":\"水\",\"name_en\":\"Water\",\"category\":\"drink\"}},"
			   "{\"kind\":\"price\",\"op\":\"upsert\",\"id\":\"x\",\"data\":"
			   "{\"slot\":\"NOPE\",\"price_fen\":100}}]}";
	struct kiosk_change_page pg;
	struct kiosk_changes_ctx ctx = {31.2304, 121.4737, 50};
	CHECK_INT(kiosk_changes_parse(page, strlen(page), &ctx, &pg, why, sizeof why), KIOSK_OK);
	int bad = -1;
	CHECK(kiosk_changes_apply(r.st, &pg, &bad) != KIOSK_OK);
	CHECK_INT(bad, 1);
	kiosk_change_page_free(&pg);
	fx_digest(r.st, dig2);
	CHECK_STR(dig2, dig);
	rig_close(&r);
}

/* Commands run at most once: the same command id twice is one command.done; a message
 * goes to the home screen until its time; a compartment is disabled. */
static void commands_run_at_most_once(void)
{
	struct rig r;
	rig_open(&r, NULL);
	fx_seed(r.st);
	const char *cmd = "{\"kind\":\"command\",\"op\":\"upsert\",\"id\":\"cmd-1\",\"data\":"
			  "{\"type\":\"set_message\",\"args\":{\"text_zh\":\"今晚停水\","
			  "\"text_en\":\"No water tonight\",\"until\":\"2099-01-01T00:00:00Z\"}}}";
	CHECK_INT(plat_add_changes(r.plat, cmd), 0);
	CHECK_INT(plat_add_changes(r.plat,
				   "{\"kind\":\"command\",\"op\":\"upsert\",\"id\":\"cmd-2\",\"data\":"
				   "{\"type\":\"disable_compartment\",\"args\":{\"compartment\":"
				   "\"S2\"}}}"),
		  0);
	char why[160];
	CHECK_INT(rig_link(&r, why, sizeof why), KIOSK_OK);
	CHECK(run_until(&r, settled, 10000));
	CHECK_INT(plat_add_changes(r.plat, cmd), 0); /* sent again */
	kiosk_sync_now(r.sync);
	CHECK(run_until(&r, settled, 10000));
	char cur[64];
	CHECK_INT(kiosk_syncstate_get(r.st, "cursor", cur, sizeof cur), KIOSK_OK);
	CHECK_STR(cur, "c3");
	CHECK_INT(plat_int(&r, "SELECT count(*) FROM event WHERE type = 'command.done'"), 2);
	CHECK_INT(plat_int(&r, "SELECT count(*) FROM event WHERE type = 'command.done' AND"
			       " json_extract(data, '$.command') = 'cmd-1'"),
		  1);
	CHECK_STR(fx_int(r.st, "SELECT count(*) FROM compartment WHERE id = 'S2' AND"
			       " state = 'disabled'") == 1 ? "disabled" : "not",
		  "disabled");
	char zh[256], en[256];
	int64_t until = 0;
	CHECK_INT(kiosk_message_get(r.st, kiosk_now_ms(), zh, en, &until), KIOSK_OK);
	CHECK_INT(until, 4070908800000LL);
	CHECK_STR(zh, "今晚停水");
	CHECK_STR(en, "No water tonight");
	CHECK_INT(kiosk_message_get(r.st, 4070908800001LL, zh, en, NULL), KIOSK_ENOENT); /* after */
	rig_close(&r);
}

/* Pages that break the contract: each refused whole with a reason, nothing written. */
static void bad_pages_are_refused(void)
{
	static const struct {
		const char *body, *why;
	} t[] = {
		{"{\"cursor\":\"c1\",\"more\":false,\"changes\":[{\"kind\":\"robot\",\"op\":"
		 "\"upsert\",\"id\":\"x\",\"data\":{}}]}",
		 "changes[0].kind: unknown kind"},
		{"{\"cursor\":\"c1\",\"more\":false,\"changes\":[{\"kind\":\"slot\",\"op\":\"upsert\","
		 "\"id\":\"S\",\"data\":{\"product\":\"P\",\"price_fen\":5,\"capacity\":0,"
		 "\"enabled\":true}}]}",
		 "changes[0].data.capacity: too small"},
		{"{\"cursor\":\"c1\",\"more\":false,\"changes\":[{\"kind\":\"price\",\"op\":\"upsert\","
		 "\"id\":\"p\",\"data\":{\"slot\":\"S\",\"price_fen\":1.5}}]}",
		 "changes[0].data.price_fen: not an integer"},
		{"{\"cursor\":\"c1\",\"more\":false,\"changes\":[{\"kind\":\"service\",\"op\":"
		 "\"upsert\",\"id\":\"v\",\"data\":{\"name_zh\":\"修鞋\",\"category\":\"shoe\","
		 "\"lat\":39.9,\"lon\":116.4}}]}",
		 "changes[0].data.lat: outside this kiosk's neighbourhood"},
		{"{\"cursor\":\"c1\",\"more\":false,\"changes\":[{\"kind\":\"service\",\"op\":"
		 "\"upsert\",\"id\":\"v\",\"data\":{\"name_zh\":\"修鞋\",\"category\":\"shoe\","
		 "\"lat\":131.2,\"lon\":121.4}}]}",
		 "changes[0].data.lat: out of range"},
		{"{\"cursor\":\"c1\",\"more\":false,\"changes\":[{\"kind\":\"courier\",\"op\":"
		 "\"upsert\",\"id\":\"c\",\"data\":{\"name\":\"a\",\"company\":\"SF\",\"pin_hash\":"
		 "\"pbkdf2-sha256$10$c2FsdA==$aGFzaA==\"}}]}",
		 "changes[0].data.pin_hash"},
		{"{\"cursor\":\"c1\",\"more\":false,\"changes\":[{\"kind\":\"command\",\"op\":"
		 "\"upsert\",\"id\":\"k\",\"data\":{\"type\":\"self_destruct\"}}]}",
		 "changes[0].data.type: unknown command"},
		{"{\"cursor\":\"c1\",\"more\":false,\"changes\":[{\"kind\":\"command\",\"op\":"
		 "\"delete\",\"id\":\"k\"}]}",
		 "changes[0].op: this kind cannot be deleted"},
		{"{\"cursor\":\"c1\",\"more\":false,\"changes\":[{\"kind\":\"product\",\"op\":"
		 "\"upsert\",\"id\":\"p\",\"data\":{\"name_zh\":5}}]}",
		 "changes[0].data.name_zh: not a string"},
		/* the platform sets rules for residents, never where the kiosk connects */
		{"{\"cursor\":\"c1\",\"more\":false,\"changes\":[{\"kind\":\"config\",\"op\":"
		 "\"upsert\",\"id\":\"u\",\"data\":{\"key\":\"platform.url\",\"value\":"
		 "\"http://evil.example\"}}]}",
		 "changes[0].data: platform.url: not a key the platform may set"},
		{"{\"cursor\":\"c1\",\"more\":false,\"changes\":[{\"kind\":\"config\",\"op\":"
		 "\"upsert\",\"id\":\"p\",\"data\":{\"key\":\"send.price_m_fen\",\"value\":-5}}]}",
		 "send.price_m_fen: -5 is outside"},
		/* a canteen's meal: its day, its kind, its deadline, its discounts */
		{"{\"cursor\":\"c1\",\"more\":false,\"changes\":[{\"kind\":\"meal\",\"op\":"
		 "\"upsert\",\"id\":\"m\",\"data\":{\"day\":\"2026-13-01\",\"canteen\":\"c\","
		 "\"name_zh\":\"饭\",\"name_en\":\"Rice\",\"kind\":\"lunch\",\"price_fen\":1500,"
		 "\"quota\":5,\"order_by\":\"2026-12-01T02:00:00Z\"}}]}",
		 "changes[0].data.day: not a day"},
		{"{\"cursor\":\"c1\",\"more\":false,\"changes\":[{\"kind\":\"meal\",\"op\":"
		 "\"upsert\",\"id\":\"m\",\"data\":{\"day\":\"2026-12-01\",\"canteen\":\"c\","
		 "\"name_zh\":\"饭\",\"name_en\":\"Rice\",\"kind\":\"brunch\",\"price_fen\":1500,"
		 "\"quota\":5,\"order_by\":\"2026-12-01T02:00:00Z\"}}]}",
		 "changes[0].data.kind: not lunch or dinner"},
		{"{\"cursor\":\"c1\",\"more\":false,\"changes\":[{\"kind\":\"meal\",\"op\":"
		 "\"upsert\",\"id\":\"m\",\"data\":{\"day\":\"2026-12-01\",\"canteen\":\"c\","
		 "\"name_zh\":\"饭\",\"name_en\":\"Rice\",\"kind\":\"lunch\",\"price_fen\":1500,"
		 "\"quota\":5,\"order_by\":\"tomorrow\"}}]}",
		 "changes[0].data.order_by: not a UTC time"},
		{"{\"cursor\":\"c1\",\"more\":false,\"changes\":[{\"kind\":\"meal\",\"op\":"
		 "\"upsert\",\"id\":\"m\",\"data\":{\"day\":\"2026-12-01\",\"canteen\":\"c\","
		 "\"name_zh\":\"饭\",\"name_en\":\"Rice\",\"kind\":\"lunch\",\"price_fen\":1500,"
		 "\"quota\":-1,\"order_by\":\"2026-12-01T02:00:00Z\"}}]}",
		 "changes[0].data.quota"},
		{"{\"cursor\":\"c1\",\"more\":false,\"changes\":[{\"kind\":\"config\",\"op\":"
		 "\"upsert\",\"id\":\"d\",\"data\":{\"key\":\"meal.discounts\",\"value\":"
		 "{\"60+\":{\"percent\":120}}}}]}",
		 "meal.discounts.60+.percent: expected a whole number 0..100"},
		{"{\"cursor\":\"c1\",\"more\":false,\"changes\":[{\"kind\":\"config\",\"op\":"
		 "\"upsert\",\"id\":\"d\",\"data\":{\"key\":\"meal.discounts\",\"value\":"
		 "{\"70+\":{\"percent\":10}}}}]}",
		 "meal.discounts.70+: not a tier"},
		{"{\"cursor\":\"\",\"more\":false,\"changes\":[]}", "cursor"},
		{"{\"cursor\":\"c1\",\"more\":\"no\",\"changes\":[]}", "more"},
		{"{\"cursor\":\"c1\",\"more\":false,\"changes\":{}}", "changes"},
		{"{\"cursor\":\"c1\",\"more\":false,\"changes\":[{\"kind\":\"slot\",\"op\":\"move\","
		 "\"id\":\"S\"}]}",
		 "changes[0].op"},
	};
	struct kiosk_changes_ctx ctx = {31.2304, 121.4737, 50};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct kiosk_change_page p;
		char why[160] = "";
		CHECK_INT(kiosk_changes_parse(t[i].body, strlen(t[i].body), &ctx, &p, why, sizeof why),
			  KIOSK_EPARSE);
		CHECK_HAS(why, t[i].why);
		CHECK_INT(p.n, 0);
		CHECK(p.ch == NULL);
	}
}

/* A broken changes answer: nothing applied, cursor unchanged, backed off. */
static void broken_change_answers_apply_nothing(void)
{
	struct plat_faults f;
	memset(&f, 0, sizeof f);
	snprintf(f.bad, sizeof f.bad, "types");
	struct rig r;
	rig_open(&r, &f);
	CHECK_INT(plat_add_changes(r.plat,
				   "{\"kind\":\"product\",\"op\":\"upsert\",\"id\":\"P1\",\"data\":"
				   "{\"name_zh\":\"水\",\"name_en\":\"Water\",\"category\":\"drink\"}}"),
		  0);
	char why[160];
	CHECK_INT(rig_link(&r, why, sizeof why), KIOSK_OK);
	CHECK(run_until(&r, backing_off, 10000));
	CHECK_INT(fx_int(r.st, "SELECT count(*) FROM product"), 0);
	memset(&f, 0, sizeof f);
	plat_set_faults(r.plat, &f);
	kiosk_sync_now(r.sync);
	CHECK(run_until(&r, settled, 10000));
	CHECK_INT(fx_int(r.st, "SELECT count(*) FROM product"), 1);
	rig_close(&r);
}

/* A self-signed certificate for 127.0.0.1 (and its key) made with the openssl tool into
 * dir/name.{crt,key}; the SHA-256 pin of its public key into pin ("sha256//…"). */
static void make_cert(const char *dir, const char *name, char *pin, size_t cap)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd,
		 "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
		 " -keyout %s/%s.key -out %s/%s.crt -days 2 -subj /CN=127.0.0.1"
		 " -addext subjectAltName=IP:127.0.0.1 2>/dev/null",
		 dir, name, dir, name);
	CHECK_INT(system(cmd), 0);
	snprintf(cmd, sizeof cmd,
		 "openssl x509 -in %s/%s.crt -pubkey -noout | openssl pkey -pubin -outform der"
		 " | openssl dgst -sha256 -binary | base64",
		 dir, name);
	FILE *f = popen(cmd, "r");
	char b64[128] = "";
	CHECK(f && fgets(b64, sizeof b64, f));
	if (f)
		pclose(f);
	b64[strcspn(b64, "\n")] = '\0';
	snprintf(pin, cap, "sha256//%s", b64);
}

static bool answered_once(struct rig *r)
{
	struct kiosk_sync_status s;
	kiosk_sync_status(r->sync, &s);
	return s.last_ok_ms > 0 || (s.attempt > 0 && !s.busy);
}

/* HTTPS: the platform's certificate in the CA file works; a certificate the CA file does
 * not vouch for is refused; a pinned key that does not match is refused; each refusal
 * stores nothing and says why. */
static void tls_is_verified_and_pinned(void)
{
	char dir[] = "/tmp/kiosk-tls-XXXXXX", crt[64], key[64], other[64], pin[128], wrong[128];
	CHECK(mkdtemp(dir) != NULL);
	make_cert(dir, "platform", pin, sizeof pin);
	make_cert(dir, "stranger", wrong, sizeof wrong);
	snprintf(crt, sizeof crt, "%s/platform.crt", dir);
	snprintf(key, sizeof key, "%s/platform.key", dir);
	snprintf(other, sizeof other, "%s/stranger.crt", dir);
	static const struct {
		const char *ca; /* "p": the platform's, "s": the stranger's */
		int pin;        /* 0 none, 1 right, 2 wrong */
		bool ok;
	} t[] = {{"p", 0, true}, {"s", 0, false}, {"p", 1, true}, {"p", 2, false}};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct rig r;
		rig_open_tls(&r, NULL, crt, key);
		add_events(&r, 3);
		snprintf(r.cfg.platform_ca_file, sizeof r.cfg.platform_ca_file, "%s",
			 t[i].ca[0] == 'p' ? crt : other);
		snprintf(r.cfg.platform_pinned_key, sizeof r.cfg.platform_pinned_key, "%s",
			 t[i].pin == 1 ? pin : t[i].pin == 2 ? wrong : "");
		char why[160];
		CHECK_INT(rig_link(&r, why, sizeof why), KIOSK_OK);
		CHECK(run_until(&r, t[i].ok ? drained : answered_once, 15000));
		struct kiosk_sync_status s;
		kiosk_sync_status(r.sync, &s);
		if (t[i].ok) {
			CHECK_INT(plat_int(&r, "SELECT count(*) FROM event"), 3);
			CHECK_INT(s.link, KIOSK_LINK_ONLINE);
		} else {
			CHECK_INT(plat_int(&r, "SELECT count(*) FROM event"), 0);
			CHECK_INT(unsent(&r), 3);
			CHECK_INT(s.link, KIOSK_LINK_OFFLINE);
			CHECK(s.last_error[0] != '\0');
		}
		rig_close(&r);
	}
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	CHECK_INT(system(cmd), 0);
}

/* A signed request from the test to the rig's platform, as a kiosk would send it; the
 * status, and the body into out (64 KiB). */
static long signed_call(struct rig *r, const char *method, const char *path,
			const char *body, char *out)
{
	uint8_t k[KIOSK_SECRET_MAX];
	size_t kl;
	CHECK_INT(kiosk_secret_load(r->secret, k, &kl), KIOSK_OK);
	char sig[KIOSK_SIG_LEN], h[3][160];
	long long ts = (long long)(kiosk_now_ms() / 1000);
	kiosk_sign(k, kl, method, path, ts, body, body ? strlen(body) : 0, sig);
	snprintf(h[0], sizeof h[0], "X-Kiosk-Device: K-T1");
	snprintf(h[1], sizeof h[1], "X-Kiosk-Timestamp: %lld", ts);
	snprintf(h[2], sizeof h[2], "X-Kiosk-Signature: %s", sig);
	struct curl_slist *hd = NULL;
	for (int i = 0; i < 3; i++)
		hd = curl_slist_append(hd, h[i]);
	long status = http(r, path, strcmp(method, "POST") == 0 ? (body ? body : "") : NULL, hd,
			   out);
	curl_slist_free_all(hd);
	return status;
}

/* The admin API: a POST without signing. */
static long admin_call(struct rig *r, const char *path, char *out)
{
	return http(r, path, "", NULL, out);
}

/* The local platform's QR payments keep the contract the kiosk's payment service will
 * use: one payment per order (a repeat is the same one), pending until paid, a cancelled
 * or expired one cannot be paid, a paid one cannot be cancelled, another kiosk's is not
 * found, bad requests are refused. */
static void platform_payments_keep_the_contract(void)
{
	struct rig r;
	rig_open(&r, NULL);
	static char out[65536];
	const char *order = "{\"order\":\"11111111-2222-4333-8444-555555555555\","
			    "\"amount_fen\":100,\"description\":\"超时保管费\"}";
	CHECK_INT(signed_call(&r, "POST", "/v1/payments", order, out), 201);
	cJSON *j = cJSON_Parse(out);
	char id[80], path[160];
	snprintf(id, sizeof id, "%s", cJSON_GetStringValue(cJSON_GetObjectItem(j, "payment")));
	CHECK(cJSON_GetStringValue(cJSON_GetObjectItem(j, "qr")) != NULL);
	CHECK(cJSON_GetStringValue(cJSON_GetObjectItem(j, "expires_at")) != NULL);
	cJSON_Delete(j);
	CHECK_INT(signed_call(&r, "POST", "/v1/payments", order, out), 201);
	CHECK_HAS(out, id); /* the same order, the same payment */
	snprintf(path, sizeof path, "/v1/payments/%s", id);
	CHECK_INT(signed_call(&r, "GET", path, NULL, out), 200);
	CHECK_HAS(out, "\"status\":\"pending\"");
	snprintf(path, sizeof path, "/admin/payments/%s/pay", id);
	CHECK_INT(admin_call(&r, path, out), 200);
	CHECK_INT(admin_call(&r, path, out), 409); /* paid once */
	snprintf(path, sizeof path, "/v1/payments/%s/cancel", id);
	CHECK_INT(signed_call(&r, "POST", path, "", out), 200);
	CHECK_HAS(out, "\"status\":\"paid\""); /* too late to cancel: refund via the outbox */
	CHECK_HAS(out, "paid_at");
	/* another order: cancelled, then it cannot be paid */
	const char *o2 = "{\"order\":\"21111111-2222-4333-8444-555555555555\","
			 "\"amount_fen\":1200,\"description\":\"寄付\"}";
	CHECK_INT(signed_call(&r, "POST", "/v1/payments", o2, out), 201);
	j = cJSON_Parse(out);
	snprintf(id, sizeof id, "%s", cJSON_GetStringValue(cJSON_GetObjectItem(j, "payment")));
	cJSON_Delete(j);
	snprintf(path, sizeof path, "/v1/payments/%s/cancel", id);
	CHECK_INT(signed_call(&r, "POST", path, "", out), 200);
	CHECK_HAS(out, "\"status\":\"cancelled\"");
	snprintf(path, sizeof path, "/admin/payments/%s/pay", id);
	CHECK_INT(admin_call(&r, path, out), 409);
	static const char *const bad[] = {
		"{\"order\":\"short\",\"amount_fen\":100,\"description\":\"x\"}",
		"{\"order\":\"31111111-2222-4333-8444-555555555555\",\"amount_fen\":0,"
		"\"description\":\"x\"}",
		"{\"order\":\"31111111-2222-4333-8444-555555555555\",\"amount_fen\":1.5,"
		"\"description\":\"x\"}",
		"not json",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK_INT(signed_call(&r, "POST", "/v1/payments", bad[i], out), 400);
	CHECK_INT(signed_call(&r, "GET", "/v1/payments/pay-nobody", NULL, out), 404);
	/* the page's "pay" button: a form that comes back to the page */
	const char *o3 = "{\"order\":\"41111111-2222-4333-8444-555555555555\","
			 "\"amount_fen\":350,\"description\":\"矿泉水\"}";
	CHECK_INT(signed_call(&r, "POST", "/v1/payments", o3, out), 201);
	j = cJSON_Parse(out);
	snprintf(id, sizeof id, "%s", cJSON_GetStringValue(cJSON_GetObjectItem(j, "payment")));
	cJSON_Delete(j);
	get_page(&r, out);
	CHECK_HAS(out, "QR payments waiting");
	CHECK_HAS(out, id);
	CHECK_HAS(out, "¥3.50");
	snprintf(path, sizeof path, "/admin/payments/%s/pay", id);
	CHECK_INT(http(&r, path, "from=page", NULL, out), 303);
	snprintf(path, sizeof path, "/v1/payments/%s", id);
	CHECK_INT(signed_call(&r, "GET", path, NULL, out), 200);
	CHECK_HAS(out, "\"status\":\"paid\"");
	rig_close(&r);
}

static bool has_product(struct rig *r)
{
	return fx_int(r->st, "SELECT count(*) FROM product") > 0;
}

/* A long queue does not keep the platform's changes out: after a few batches the pull
 * goes first, and the queue drains after it. */
static void changes_are_heard_during_a_long_drain(void)
{
	struct plat_faults f = {.delay_ms = 10};
	struct rig r;
	rig_open(&r, &f);
	add_events(&r, 5000);
	CHECK_INT(plat_add_changes(r.plat,
				   "{\"kind\":\"product\",\"op\":\"upsert\",\"id\":\"P1\",\"data\":"
				   "{\"name_zh\":\"水\",\"name_en\":\"Water\",\"category\":\"drink\"}}"),
		  0);
	char why[160];
	CHECK_INT(rig_link(&r, why, sizeof why), KIOSK_OK);
	CHECK(run_until(&r, has_product, 20000));
	CHECK(unsent(&r) > 0); /* heard before the queue was empty */
	CHECK(run_until(&r, drained, 30000));
	CHECK_INT(plat_int(&r, "SELECT count(*) FROM event"), 5000);
	rig_close(&r);
}

/* A platform that answers heartbeats with errors still gets every event: heartbeats back
 * off on their own. */
static void failing_heartbeats_hold_back_no_event(void)
{
	struct plat_faults f = {0};
	snprintf(f.fail_path, sizeof f.fail_path, "/v1/heartbeat");
	struct rig r;
	rig_open(&r, &f);
	add_events(&r, 300);
	char why[160];
	CHECK_INT(rig_link(&r, why, sizeof why), KIOSK_OK);
	CHECK(run_until(&r, drained, 15000));
	CHECK_INT(plat_int(&r, "SELECT count(*) FROM event"), 300);
	CHECK_INT(plat_int(&r, "SELECT count(*) FROM heartbeat"), 0); /* none got through */
	rig_close(&r);
}

/* n events nobody waits on (restocks), unlike help calls, which go before anything */
static void add_restocks(struct rig *r, int n)
{
	struct kiosk_product p = {"P1", "矿泉水", "Water", "drinks", ""};
	struct kiosk_slot sl = {"A1", "P1", 350, 1000, 0, true};
	CHECK_INT(kiosk_product_upsert(r->st, &p), KIOSK_OK);
	CHECK_INT(kiosk_slot_upsert(r->st, &sl), KIOSK_OK);
	for (int i = 0; i < n; i++)
		CHECK_INT(kiosk_slot_restock(r->st, "A1", 1, "OP1"), KIOSK_OK);
}

static int64_t heartbeats_in(struct rig *r)
{
	return plat_int(r, "SELECT count(*) FROM heartbeat");
}

static bool heartbeat_landed(struct rig *r)
{
	return heartbeats_in(r) > 0;
}

/* A platform slow to answer heartbeats (8 s each) holds back no event: the heartbeat has
 * a slot of its own, and every event is in while the first heartbeat is still being
 * answered (before: none in 30-40 s); then the heartbeat lands too. */
static void slow_heartbeats_hold_back_no_event(void)
{
	struct plat_faults f = {.slow_ms = 8000};
	snprintf(f.slow_path, sizeof f.slow_path, "/v1/heartbeat");
	struct rig r;
	rig_open(&r, &f);
	add_restocks(&r, 300);
	int64_t n = plat_int(&r, "SELECT count(*) FROM event");
	CHECK_INT(unsent(&r), 300);
	char why[160];
	CHECK_INT(rig_link(&r, why, sizeof why), KIOSK_OK);
	kiosk_sync_now(r.sync); /* a heartbeat due now, with the events waiting */
	CHECK(run_until(&r, drained, 20000));
	CHECK_INT(plat_int(&r, "SELECT count(*) FROM event") - n, 300);
	CHECK_INT(heartbeats_in(&r), 0); /* all of them in, the heartbeat still out */
	int64_t t0 = kiosk_mono_ms();
	struct kiosk_sync_status st;
	kiosk_sync_status(r.sync, &st);
	CHECK(st.busy);
	CHECK(run_until(&r, heartbeat_landed, 20000));
	printf("  events in; the heartbeat landed %lld ms later\n", (long long)(kiosk_mono_ms() - t0));
	rig_close(&r);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"signatures_match_the_contract", signatures_match_the_contract},
		{"backoff_is_full_jitter_and_capped", backoff_is_full_jitter_and_capped},
		{"batches_keep_the_limits", batches_keep_the_limits},
		{"bad_acks_are_refused", bad_acks_are_refused},
		{"bad_link_config_is_refused", bad_link_config_is_refused},
		{"push_delivers_everything_once", push_delivers_everything_once},
		{"wrong_secret_is_refused", wrong_secret_is_refused},
		{"skewed_clock_recovers_with_one_retry", skewed_clock_recovers_with_one_retry},
		{"refused_events_are_dead_lettered", refused_events_are_dead_lettered},
		{"broken_answers_ack_nothing", broken_answers_ack_nothing},
		{"lost_answers_and_failures_deliver_exactly_once",
		 lost_answers_and_failures_deliver_exactly_once},
		{"tls_is_verified_and_pinned", tls_is_verified_and_pinned},
		{"platform_payments_keep_the_contract", platform_payments_keep_the_contract},
		{"changes_arrive_page_by_page", changes_arrive_page_by_page},
		{"changes_are_heard_during_a_long_drain", changes_are_heard_during_a_long_drain},
		{"failing_heartbeats_hold_back_no_event", failing_heartbeats_hold_back_no_event},
		{"slow_heartbeats_hold_back_no_event", slow_heartbeats_hold_back_no_event},
		{"a_bad_change_refuses_its_whole_page", a_bad_change_refuses_its_whole_page},
		{"commands_run_at_most_once", commands_run_at_most_once},
		{"bad_pages_are_refused", bad_pages_are_refused},
		{"broken_change_answers_apply_nothing", broken_change_answers_apply_nothing},
		{0},
	};
	return test_main(argc, argv, cases);
}
