/* The local platform's server: routes, contract checks, storage, faults. */
#include "tests/platform/plat_int.h"
#include "kiosk/crypto.h"
#include "kiosk/sync/sign.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <netinet/in.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <microhttpd.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_BODY (1024 * 1024)
#define MAX_EVENTS 500
#define SKEW_S 300





static const char *const schema =
	"PRAGMA journal_mode=WAL;"
	"CREATE TABLE IF NOT EXISTS event(device TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER"
	" NOT NULL, type TEXT NOT NULL, at TEXT NOT NULL, data TEXT NOT NULL, received_ms"
	" INTEGER NOT NULL, PRIMARY KEY(device, id), UNIQUE(device, seq));"
	"CREATE TABLE IF NOT EXISTS rejected(device TEXT NOT NULL, seq INTEGER NOT NULL,"
	" error TEXT NOT NULL, PRIMARY KEY(device, seq));"
	"CREATE TABLE IF NOT EXISTS change(seq INTEGER PRIMARY KEY AUTOINCREMENT, device TEXT,"
	" kind TEXT NOT NULL, op TEXT NOT NULL, id TEXT NOT NULL, data TEXT);"
	"CREATE TABLE IF NOT EXISTS payment(id TEXT PRIMARY KEY, device TEXT NOT NULL,"
	" order_id TEXT NOT NULL, amount_fen INTEGER NOT NULL, description TEXT NOT NULL,"
	" status TEXT NOT NULL, created_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL,"
	" paid_ms INTEGER, UNIQUE(device, order_id));"
	"CREATE TABLE IF NOT EXISTS heartbeat(device TEXT PRIMARY KEY, n INTEGER NOT NULL,"
	" body TEXT NOT NULL, at_ms INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS booking(code TEXT PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
	" device TEXT, carrier TEXT NOT NULL, size TEXT NOT NULL, paid INTEGER NOT NULL,"
	" pay_on_delivery INTEGER NOT NULL, amount_fen INTEGER NOT NULL, receiver_city TEXT,"
	" used_by TEXT);";

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t plat_now_ms(const struct plat *p)
{
	return now_ms() + (int64_t)p->f.skew_s * 1000;
}

static double rnd(struct plat *p)
{
	return (double)rand_r(&p->rng) / ((double)RAND_MAX + 1.0);
}

enum MHD_Result plat_answer(struct MHD_Connection *c, unsigned status, const char *body,
			      struct plat *p)
{
	struct MHD_Response *r =
		MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", "application/json");
	char date[64];
	time_t t = time(NULL) + (p ? p->f.skew_s : 0);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	MHD_add_response_header(r, "Date", date);
	enum MHD_Result rc = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return rc;
}

enum MHD_Result plat_error(struct MHD_Connection *c, unsigned status, const char *code,
			     const char *msg, struct plat *p)
{
	cJSON *j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "error", code);
	cJSON_AddStringToObject(j, "message", msg);
	char *s = cJSON_PrintUnformatted(j);
	enum MHD_Result rc = plat_answer(c, status, s ? s : "{}", p);
	cJSON_free(s);
	cJSON_Delete(j);
	return rc;
}

/* The device a signed request comes from, or -1 (and the 401 is queued). */
static int authenticate(struct plat *p, struct MHD_Connection *c, const char *method,
			const struct plat_conn *k, enum MHD_Result *rc)
{
	const char *dev = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Kiosk-Device");
	const char *ts = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Kiosk-Timestamp");
	const char *sig = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Kiosk-Signature");
	int d = -1;
	for (int i = 0; dev && i < p->o.ndevices; i++)
		if (strcmp(p->o.devices[i].id, dev) == 0)
			d = i;
	char *end = NULL;
	long long t = ts ? strtoll(ts, &end, 10) : 0;
	long long server = (long long)time(NULL) + p->f.skew_s;
	if (d < 0 || !ts || *end || !sig) {
		*rc = plat_error(c, 401, "unauthorized", "unknown device or missing signature", p);
		return -1;
	}
	if (t < server - SKEW_S || t > server + SKEW_S) {
		*rc = plat_error(c, 401, "clock_skew", "timestamp more than 300 s from the server's", p);
		return -1;
	}
	if (kiosk_sign_verify(p->secret[d], p->slen[d], method, k->uri, t, k->body, k->n, sig) !=
	    0) {
		if (getenv("PLATFORM_DEBUG"))
			fprintf(stderr, "platform: bad signature %s %s ts=%lld len=%zu sig=%s\n",
				method, k->uri, t, k->n, sig);
		*rc = plat_error(c, 401, "bad_signature", "the signature does not match", p);
		return -1;
	}
	return d;
}

/* The data fields each event type must carry (PLATFORM-API.md), NULL-separated. */
static const char *const types[][14] = {
	{"vend.paid", "order", "slot", "product", "amount_fen", "method"},
	{"vend.dispensed", "order", "slot"},
	{"vend.failed", "order", "slot", "reason"},
	{"payment.refund_requested", "order", "payment", "amount_fen", "method"},
	{"inventory.restocked", "slot", "count", "by"},
	{"inventory.adjusted", "slot", "delta", "reason"},
	{"parcel.deposited", "parcel", "tracking_no", "compartment", "size", "courier",
	 "phone_last4", "expires_at"},
	{"parcel.picked_up", "parcel", "compartment", "fee_fen"},
	{"parcel.expired_retrieved", "parcel", "courier"},
	{"parcel.send_requested", "parcel", "send_number", "carrier", "compartment", "size",
	 "amount_fen", "pay_method"},
	{"parcel.collected", "parcel", "carrier", "courier"},
	{"locker.fault", "compartment", "fault"},
	{"door.left_open", "compartment", "seconds"},
	{"door.forced", "compartment"},
	{"device.fault", "device", "fault"},
	{"help.requested", "lang", "elderly_mode"},
	{"feedback.rating", "context", "stars"},
	{"feedback.service_request", "category", "text"},
	{"command.done", "command", "result"},
	{"report.coverage", "generated_at", "residences", "rule", "categories"},
	{"meal.ordered", "order", "meal", "day", "canteen", "portions", "price_fen",
	 "discount_fen", "paid_fen", "pay_method", "tier", "phone_last4"},
	{"meal.cancelled", "order", "refund_fen"},
	{"meal.served", "order", "by"},
};

/* NULL when the event keeps the contract, else what it breaks. */
static const char *check_event(const cJSON *e, const char *reject_type)
{
	const cJSON *seq = cJSON_GetObjectItemCaseSensitive(e, "seq");
	const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "id"));
	const char *type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "type"));
	const char *at = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "at"));
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(e, "data");
	if (!cJSON_IsNumber(seq) || seq->valuedouble < 1)
		return "seq";
	if (!id || strlen(id) != 36)
		return "id";
	if (!at || strlen(at) != 24 || at[10] != 'T' || at[23] != 'Z')
		return "at";
	if (!cJSON_IsObject(data))
		return "data";
	if (!type)
		return "type";
	if (reject_type[0] && strcmp(type, reject_type) == 0)
		return "refused_by_test";
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		if (strcmp(types[i][0], type) != 0)
			continue;
		for (int k = 1; k < 14 && types[i][k]; k++)
			if (!cJSON_GetObjectItemCaseSensitive(data, types[i][k]))
				return types[i][k];
		return NULL;
	}
	return "unknown_type";
}

static enum MHD_Result post_events(struct plat *p, struct MHD_Connection *c, int d,
				   const struct plat_conn *k)
{
	const char *dev = p->o.devices[d].id;
	if (k->too_big)
		return plat_error(c, 413, "too_large", "over 1 MiB", p);
	cJSON *j = cJSON_ParseWithLength(k->body, k->n);
	const cJSON *evs = cJSON_GetObjectItemCaseSensitive(j, "events");
	const char *jdev = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "device"));
	if (!j || !cJSON_IsArray(evs) || !jdev || strcmp(jdev, dev) != 0) {
		cJSON_Delete(j);
		return plat_error(c, 400, "bad_request", "want {device, events[]} of the signing device", p);
	}
	int n = cJSON_GetArraySize(evs);
	if (n < 1 || n > MAX_EVENTS) {
		cJSON_Delete(j);
		return plat_error(c, 413, "too_many", "1 to 500 events per request", p);
	}
	cJSON *rej = cJSON_CreateArray();
	int64_t first_rejected = INT64_MAX, last = 0, prev = 0;
	bool order = true;
	sqlite3_exec(p->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	const cJSON *e;
	cJSON_ArrayForEach(e, evs)
	{
		const char *why = check_event(e, p->f.reject_type);
		int64_t seq = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(e, "seq"));
		if (seq <= prev)
			order = false;
		prev = seq;
		last = seq;
		if (!why) {
			sqlite3_stmt *s;
			char *data = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(e, "data"));
			sqlite3_prepare_v2(p->db,
					   "INSERT INTO event(device, id, seq, type, at, data,"
					   " received_ms) VALUES(?,?,?,?,?,?,?) ON CONFLICT(device, id)"
					   " DO NOTHING",
					   -1, &s, NULL);
			sqlite3_bind_text(s, 1, dev, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(s, 2, cJSON_GetStringValue(cJSON_GetObjectItem(e, "id")), -1,
					  SQLITE_TRANSIENT);
			sqlite3_bind_int64(s, 3, seq);
			sqlite3_bind_text(s, 4, cJSON_GetStringValue(cJSON_GetObjectItem(e, "type")), -1,
					  SQLITE_TRANSIENT);
			sqlite3_bind_text(s, 5, cJSON_GetStringValue(cJSON_GetObjectItem(e, "at")), -1,
					  SQLITE_TRANSIENT);
			sqlite3_bind_text(s, 6, data ? data : "{}", -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(s, 7, now_ms());
			int rc = sqlite3_step(s);
			bool stored = rc == SQLITE_DONE && sqlite3_changes(p->db) == 1;
			sqlite3_finalize(s);
			cJSON_free(data);
			if (stored && strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(e, "type")),
					     "parcel.send_requested") == 0)
				plat_booking_used(p, dev, cJSON_GetObjectItem(e, "data"));
			/* the same seq with another id: the kiosk broke its own numbering */
			if (rc == SQLITE_CONSTRAINT)
				why = "seq_reused";
		}
		if (why) {
			cJSON *r = cJSON_CreateObject();
			cJSON_AddNumberToObject(r, "seq", (double)seq);
			cJSON_AddStringToObject(r, "error", why);
			cJSON_AddItemToArray(rej, r);
			if (seq < first_rejected)
				first_rejected = seq;
			sqlite3_stmt *s;
			sqlite3_prepare_v2(p->db,
					   "INSERT OR REPLACE INTO rejected(device, seq, error)"
					   " VALUES(?,?,?)",
					   -1, &s, NULL);
			sqlite3_bind_text(s, 1, dev, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(s, 2, seq);
			sqlite3_bind_text(s, 3, why, -1, SQLITE_TRANSIENT);
			sqlite3_step(s);
			sqlite3_finalize(s);
		}
	}
	if (!order) {
		sqlite3_exec(p->db, "ROLLBACK", NULL, NULL, NULL);
		cJSON_Delete(rej);
		cJSON_Delete(j);
		return plat_error(c, 400, "bad_order", "events must be in increasing seq order", p);
	}
	sqlite3_exec(p->db, "COMMIT", NULL, NULL, NULL);
	cJSON_Delete(j);
	if (p->f.close_rate > 0 && rnd(p) < p->f.close_rate) {
		cJSON_Delete(rej);
		return MHD_NO; /* stored, but the kiosk never hears so: it must resend */
	}
	cJSON *out = cJSON_CreateObject();
	int64_t acked = cJSON_GetArraySize(rej) ? first_rejected - 1 : last;
	cJSON_AddNumberToObject(out, "acked_through", (double)acked);
	unsigned status = 200;
	if (cJSON_GetArraySize(rej)) {
		cJSON_AddItemToObject(out, "rejected", rej);
		status = 422;
	} else {
		cJSON_Delete(rej);
	}
	char *s = cJSON_PrintUnformatted(out);
	cJSON_Delete(out);
	enum MHD_Result rc;
	if (strcmp(p->f.bad, "truncated") == 0)
		rc = plat_answer(c, status, "{\"acked_through\": 1", p);
	else if (strcmp(p->f.bad, "types") == 0)
		rc = plat_answer(c, status, "{\"acked_through\": \"all\"}", p);
	else
		rc = plat_answer(c, status, s, p);
	cJSON_free(s);
	return rc;
}

static enum MHD_Result post_heartbeat(struct plat *p, struct MHD_Connection *c, int d,
				      const struct plat_conn *k)
{
	cJSON *j = cJSON_ParseWithLength(k->body, k->n);
	if (!j || !cJSON_IsObject(cJSON_GetObjectItem(j, "devices")) ||
	    !cJSON_IsNumber(cJSON_GetObjectItem(j, "outbox_depth"))) {
		cJSON_Delete(j);
		return plat_error(c, 400, "bad_request", "heartbeat wants devices{} and outbox_depth", p);
	}
	cJSON_Delete(j);
	sqlite3_stmt *s;
	sqlite3_prepare_v2(p->db,
			   "INSERT INTO heartbeat(device, n, body, at_ms) VALUES(?,1,?,?)"
			   " ON CONFLICT(device) DO UPDATE SET n = n + 1, body = excluded.body,"
			   " at_ms = excluded.at_ms",
			   -1, &s, NULL);
	sqlite3_bind_text(s, 1, p->o.devices[d].id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, k->body, (int)k->n, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 3, now_ms());
	sqlite3_step(s);
	sqlite3_finalize(s);
	char body[96], at[32];
	time_t t = time(NULL) + p->f.skew_s;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
	snprintf(body, sizeof body, "{\"server_time\":\"%s\"}", at);
	return plat_answer(c, 200, body, p);
}

/* GET /v1/changes?since=c<seq>&limit=n: the changes queued for this device (or for all)
 * after the cursor, oldest first. The cursor is opaque to the kiosk. */
static enum MHD_Result get_changes(struct plat *p, struct MHD_Connection *c, int d)
{
	const char *since = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "since");
	const char *lim = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "limit");
	long long after = 0;
	char *end = NULL;
	if (since && (since[0] != 'c' || (after = strtoll(since + 1, &end, 10)) < 0 || *end))
		return plat_error(c, 400, "bad_cursor", "since is not a cursor of ours", p);
	long limit = lim ? strtol(lim, &end, 10) : 100;
	if (lim && (*end || limit < 1 || limit > 1000))
		return plat_error(c, 400, "bad_limit", "limit is 1..1000", p);
	if (strcmp(p->f.bad, "truncated") == 0)
		return plat_answer(c, 200, "{\"cursor\": \"c1\", \"more\": fal", p);
	if (strcmp(p->f.bad, "types") == 0)
		return plat_answer(c, 200, "{\"cursor\": 5, \"more\": \"no\", \"changes\": {}}", p);
	sqlite3_stmt *s;
	sqlite3_prepare_v2(p->db,
			   "SELECT seq, kind, op, id, data FROM change WHERE seq > ?"
			   " AND (device IS NULL OR device = ?) ORDER BY seq LIMIT ?",
			   -1, &s, NULL);
	sqlite3_bind_int64(s, 1, after);
	sqlite3_bind_text(s, 2, p->o.devices[d].id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 3, limit + 1);
	cJSON *out = cJSON_CreateObject(), *arr = cJSON_CreateArray();
	long n = 0;
	long long last = after;
	bool more = false;
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (n == limit) {
			more = true;
			break;
		}
		cJSON *e = cJSON_CreateObject();
		last = sqlite3_column_int64(s, 0);
		cJSON_AddStringToObject(e, "kind", (const char *)sqlite3_column_text(s, 1));
		cJSON_AddStringToObject(e, "op", (const char *)sqlite3_column_text(s, 2));
		cJSON_AddStringToObject(e, "id", (const char *)sqlite3_column_text(s, 3));
		if (sqlite3_column_type(s, 4) != SQLITE_NULL)
			cJSON_AddItemToObject(e, "data",
					      cJSON_Parse((const char *)sqlite3_column_text(s, 4)));
		cJSON_AddItemToArray(arr, e);
		n++;
	}
	sqlite3_finalize(s);
	char cur[32];
	snprintf(cur, sizeof cur, "c%lld", last);
	cJSON_AddStringToObject(out, "cursor", cur);
	cJSON_AddBoolToObject(out, "more", more);
	cJSON_AddItemToObject(out, "changes", arr);
	char *text = cJSON_PrintUnformatted(out);
	cJSON_Delete(out);
	enum MHD_Result rc = plat_answer(c, 200, text ? text : "{}", p);
	cJSON_free(text);
	return rc;
}

/* Queues one change {kind, op, id, data?, device?} or an array of them, as the platform
 * would (no checks: tests send bad ones on purpose). 0, or -1 for what is not JSON. */
int plat_queue_changes(struct plat *p, const char *body, size_t len)
{
	cJSON *j = cJSON_ParseWithLength(body, len);
	if (!j || (!cJSON_IsObject(j) && !cJSON_IsArray(j))) {
		cJSON_Delete(j);
		return -1;
	}
	cJSON *one_item = cJSON_IsObject(j) ? j : NULL;
	int n = one_item ? 1 : cJSON_GetArraySize(j);
	sqlite3_exec(p->db, "BEGIN", NULL, NULL, NULL);
	for (int i = 0; i < n; i++) {
		const cJSON *e = one_item ? one_item : cJSON_GetArrayItem(j, i);
		sqlite3_stmt *s;
		sqlite3_prepare_v2(p->db,
				   "INSERT INTO change(device, kind, op, id, data) VALUES(?,?,?,?,?)",
				   -1, &s, NULL);
		const char *dev = cJSON_GetStringValue(cJSON_GetObjectItem(e, "device"));
		const char *kind = cJSON_GetStringValue(cJSON_GetObjectItem(e, "kind"));
		const char *op = cJSON_GetStringValue(cJSON_GetObjectItem(e, "op"));
		const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(e, "id"));
		char *data = cJSON_GetObjectItem(e, "data")
				     ? cJSON_PrintUnformatted(cJSON_GetObjectItem(e, "data"))
				     : NULL;
		if (dev)
			sqlite3_bind_text(s, 1, dev, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 2, kind ? kind : "", -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 3, op ? op : "upsert", -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 4, id ? id : "", -1, SQLITE_TRANSIENT);
		if (data)
			sqlite3_bind_text(s, 5, data, -1, SQLITE_TRANSIENT);
		sqlite3_step(s);
		sqlite3_finalize(s);
		cJSON_free(data);
	}
	sqlite3_exec(p->db, "COMMIT", NULL, NULL, NULL);
	cJSON_Delete(j);
	return 0;
}

/* POST /admin/changes */
static enum MHD_Result admin_changes(struct plat *p, struct MHD_Connection *c,
				     const struct plat_conn *k)
{
	if (plat_queue_changes(p, k->body, k->n) != 0)
		return plat_error(c, 400, "bad_request", "want a change or an array of changes", p);
	return plat_answer(c, 200, "{}", p);
}

int plat_add_changes(struct plat *p, const char *json)
{
	pthread_mutex_lock(&p->mu);
	int rc = plat_queue_changes(p, json, strlen(json));
	pthread_mutex_unlock(&p->mu);
	return rc;
}

static int64_t one(struct plat *p, const char *sql, const char *dev)
{
	sqlite3_stmt *s;
	int64_t v = 0;
	if (sqlite3_prepare_v2(p->db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	if (dev)
		sqlite3_bind_text(s, 1, dev, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

long long plat_one(struct plat *p, const char *sql)
{
	pthread_mutex_lock(&p->mu);
	long long v = one(p, sql, NULL);
	pthread_mutex_unlock(&p->mu);
	return v;
}

/* GET /admin/stats?device=ID: what the tests assert on. gaps counts the seqs below the
 * highest that are neither stored nor refused. */
static enum MHD_Result admin_stats(struct plat *p, struct MHD_Connection *c)
{
	const char *dev = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "device");
	if (!dev)
		dev = p->o.devices[0].id;
	int64_t n = one(p, "SELECT count(*) FROM event WHERE device = ?", dev);
	int64_t max = one(p, "SELECT coalesce(max(seq), 0) FROM event WHERE device = ?", dev);
	int64_t rej = one(p, "SELECT count(*) FROM rejected WHERE device = ?", dev);
	int64_t hb = one(p, "SELECT coalesce(max(n), 0) FROM heartbeat WHERE device = ?", dev);
	int64_t rmax = one(p, "SELECT coalesce(max(seq), 0) FROM rejected WHERE device = ?", dev);
	int64_t top = max > rmax ? max : rmax;
	char body[256];
	snprintf(body, sizeof body,
		 "{\"events\":%" PRId64 ",\"max_seq\":%" PRId64 ",\"rejected\":%" PRId64
		 ",\"gaps\":%" PRId64 ",\"heartbeats\":%" PRId64 "}",
		 n, max, rej, top - n - rej, hb);
	return plat_answer(c, 200, body, p);
}

/* GET /admin/events?device=ID&type=T: the stored events, oldest first. */
static enum MHD_Result admin_events(struct plat *p, struct MHD_Connection *c)
{
	const char *dev = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "device");
	const char *type = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "type");
	sqlite3_stmt *s;
	sqlite3_prepare_v2(p->db,
			   "SELECT seq, id, type, data FROM event WHERE device = ?"
			   " AND (?2 IS NULL OR type = ?2) ORDER BY seq LIMIT 1000",
			   -1, &s, NULL);
	sqlite3_bind_text(s, 1, dev ? dev : p->o.devices[0].id, -1, SQLITE_TRANSIENT);
	if (type)
		sqlite3_bind_text(s, 2, type, -1, SQLITE_TRANSIENT);
	cJSON *arr = cJSON_CreateArray();
	while (sqlite3_step(s) == SQLITE_ROW) {
		cJSON *e = cJSON_CreateObject();
		cJSON_AddNumberToObject(e, "seq", (double)sqlite3_column_int64(s, 0));
		cJSON_AddStringToObject(e, "id", (const char *)sqlite3_column_text(s, 1));
		cJSON_AddStringToObject(e, "type", (const char *)sqlite3_column_text(s, 2));
		cJSON_AddItemToObject(e, "data", cJSON_Parse((const char *)sqlite3_column_text(s, 3)));
		cJSON_AddItemToArray(arr, e);
	}
	sqlite3_finalize(s);
	char *out = cJSON_PrintUnformatted(arr);
	cJSON_Delete(arr);
	enum MHD_Result rc = plat_answer(c, 200, out ? out : "[]", p);
	cJSON_free(out);
	return rc;
}

static enum MHD_Result admin_faults(struct plat *p, struct MHD_Connection *c,
				    const struct plat_conn *k)
{
	cJSON *j = cJSON_ParseWithLength(k->body, k->n);
	if (!cJSON_IsObject(j)) {
		cJSON_Delete(j);
		return plat_error(c, 400, "bad_request", "want a JSON object", p);
	}
	const cJSON *v;
	if (cJSON_IsNumber(v = cJSON_GetObjectItem(j, "fail_rate")))
		p->f.fail_rate = v->valuedouble;
	if (cJSON_IsNumber(v = cJSON_GetObjectItem(j, "close_rate")))
		p->f.close_rate = v->valuedouble;
	if (cJSON_IsNumber(v = cJSON_GetObjectItem(j, "delay_ms")))
		p->f.delay_ms = v->valueint;
	if (cJSON_IsNumber(v = cJSON_GetObjectItem(j, "skew_s")))
		p->f.skew_s = v->valueint;
	if (cJSON_IsString(v = cJSON_GetObjectItem(j, "bad")))
		snprintf(p->f.bad, sizeof p->f.bad, "%s", v->valuestring);
	if (cJSON_IsString(v = cJSON_GetObjectItem(j, "reject_type")))
		snprintf(p->f.reject_type, sizeof p->f.reject_type, "%s", v->valuestring);
	if (cJSON_IsString(v = cJSON_GetObjectItem(j, "fail_path")))
		snprintf(p->f.fail_path, sizeof p->f.fail_path, "%s", v->valuestring);
	if (cJSON_IsString(v = cJSON_GetObjectItem(j, "slow_path")))
		snprintf(p->f.slow_path, sizeof p->f.slow_path, "%s", v->valuestring);
	if (cJSON_IsNumber(v = cJSON_GetObjectItem(j, "slow_ms")))
		p->f.slow_ms = v->valueint;
	cJSON_Delete(j);
	return plat_answer(c, 200, "{}", p);
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)cls;
	(void)c;
	struct plat_conn *k = calloc(1, sizeof *k);
	if (k)
		snprintf(k->uri, sizeof k->uri, "%s", uri);
	return k;
}

static void on_done(void *cls, struct MHD_Connection *c, void **con_cls,
		    enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	struct plat_conn *k = *con_cls;
	if (k) {
		free(k->body);
		free(k);
	}
	*con_cls = NULL;
}

/* Text for HTML: the five characters that matter escaped. */
void plat_html(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*s, f);
		}
	}
}

/* GET /: a page for the person running `make run`: each kiosk's last heartbeat, the
 * latest events it sent, the changes queued for it. Refreshes itself. */
static enum MHD_Result home_page(struct plat *p, struct MHD_Connection *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return MHD_NO;
	fputs("<!doctype html><meta charset=utf-8><meta http-equiv=refresh content=3>"
	      "<title>kiosk-platform</title><style>body{font-family:sans-serif;margin:2em}"
	      "td,th{border-bottom:1px solid #ccc;padding:4px 8px;text-align:left}"
	      "code{font-size:90%}</style><h1>Local operator platform</h1>"
	      "<p>For tests and the demo. Admin API: <code>/admin/stats</code>,"
	      " <code>/admin/events</code>, <code>POST /admin/changes</code>,"
	      " <code>POST /admin/send-bookings</code>, <code>POST /admin/residents</code>,"
	      " <code>POST /admin/demo-meals</code>, <code>POST /admin/faults</code>.</p>",
	      f);
	for (int d = 0; d < p->o.ndevices; d++) {
		const char *dev = p->o.devices[d].id;
		fputs("<h2>Kiosk ", f);
		plat_html(f, dev);
		fputs("</h2>", f);
		sqlite3_stmt *s;
		sqlite3_prepare_v2(p->db, "SELECT n, body, at_ms FROM heartbeat WHERE device = ?", -1,
				   &s, NULL);
		sqlite3_bind_text(s, 1, dev, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(s) == SQLITE_ROW) {
			fprintf(f, "<p>%lld heartbeats; last, %lld s ago: <code>",
				sqlite3_column_int64(s, 0),
				(long long)((now_ms() - sqlite3_column_int64(s, 2)) / 1000));
			plat_html(f, (const char *)sqlite3_column_text(s, 1));
			fputs("</code></p>", f);
		} else {
			fputs("<p>No heartbeat yet.</p>", f);
		}
		sqlite3_finalize(s);
		fprintf(f, "<p>%lld events stored, %lld refused.</p>",
			(long long)one(p, "SELECT count(*) FROM event WHERE device = ?", dev),
			(long long)one(p, "SELECT count(*) FROM rejected WHERE device = ?", dev));
		fputs("<table><tr><th>seq</th><th>type</th><th>data</th></tr>", f);
		sqlite3_prepare_v2(p->db,
				   "SELECT seq, type, data FROM event WHERE device = ?"
				   " ORDER BY seq DESC LIMIT 20",
				   -1, &s, NULL);
		sqlite3_bind_text(s, 1, dev, -1, SQLITE_TRANSIENT);
		while (sqlite3_step(s) == SQLITE_ROW) {
			fprintf(f, "<tr><td>%lld</td><td>", sqlite3_column_int64(s, 0));
			plat_html(f, (const char *)sqlite3_column_text(s, 1));
			fputs("</td><td><code>", f);
			plat_html(f, (const char *)sqlite3_column_text(s, 2));
			fputs("</code></td></tr>", f);
		}
		sqlite3_finalize(s);
		fputs("</table>", f);
		plat_coverage_rows(p, f, dev);
	}
	plat_payment_rows(p, f);
	plat_booking_rows(p, f);
	fputs("<h2>Changes queued</h2><table><tr><th>#</th><th>for</th><th>kind</th><th>op</th>"
	      "<th>id</th></tr>",
	      f);
	sqlite3_stmt *s;
	sqlite3_prepare_v2(p->db,
			   "SELECT seq, coalesce(device, 'all'), kind, op, id FROM change"
			   " ORDER BY seq DESC LIMIT 20",
			   -1, &s, NULL);
	while (sqlite3_step(s) == SQLITE_ROW) {
		fprintf(f, "<tr><td>%lld</td>", sqlite3_column_int64(s, 0));
		for (int i = 1; i < 5; i++) {
			fputs("<td>", f);
			plat_html(f, (const char *)sqlite3_column_text(s, i));
			fputs("</td>", f);
		}
		fputs("</tr>", f);
	}
	sqlite3_finalize(s);
	fputs("</table>", f);
	fclose(f);
	struct MHD_Response *r = MHD_create_response_from_buffer(len, buf, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(buf);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", "text/html; charset=utf-8");
	enum MHD_Result rc = MHD_queue_response(c, 200, r);
	MHD_destroy_response(r);
	return rc;
}

static enum MHD_Result route(struct plat *p, struct MHD_Connection *c, const char *url,
			     const char *method, struct plat_conn *k)
{
	bool get = strcmp(method, "GET") == 0, post = strcmp(method, "POST") == 0;
	if (get && strcmp(url, "/") == 0)
		return home_page(p, c);
	if (strncmp(url, "/admin/", 7) == 0) {
		if (get && strcmp(url, "/admin/stats") == 0)
			return admin_stats(p, c);
		if (get && strcmp(url, "/admin/events") == 0)
			return admin_events(p, c);
		if (get && strcmp(url, "/admin/payments") == 0)
			return plat_payment_list(p, c);
		if (post && strcmp(url, "/admin/faults") == 0)
			return admin_faults(p, c, k);
		if (post && strcmp(url, "/admin/changes") == 0)
			return admin_changes(p, c, k);
		if (post && strcmp(url, "/admin/residents") == 0)
			return plat_resident_admin(p, c, k);
		if (post && strcmp(url, "/admin/demo-meals") == 0)
			return plat_demo_meals_locked(p) == 0
				       ? plat_answer(c, 200, "{}", p)
				       : plat_error(c, 500, "internal", "demo meals not queued", p);
		if (post && strcmp(url, "/admin/send-bookings") == 0)
			return plat_booking_admin(p, c, k);
		if (post && strncmp(url, "/admin/payments/", 16) == 0) {
			char id[80], what[16];
			if (sscanf(url + 16, "%79[^/]/%15s", id, what) != 2)
				return plat_error(c, 404, "not_found", url, p);
			/* the page's button (its form says from=page) goes back to the page */
			bool form = k->body && strstr(k->body, "from=page") != NULL;
			return plat_payment_admin(p, c, id, what, form);
		}
		return plat_error(c, 404, "not_found", url, p);
	}
	if ((p->f.fail_rate > 0 && rnd(p) < p->f.fail_rate) ||
	    (p->f.fail_path[0] && strcmp(url, p->f.fail_path) == 0))
		return plat_error(c, 503, "unavailable", "injected failure", p);
	enum MHD_Result rc;
	int d = authenticate(p, c, method, k, &rc);
	if (d < 0)
		return rc;
	if (post && strcmp(url, "/v1/events") == 0)
		return post_events(p, c, d, k);
	if (post && strcmp(url, "/v1/heartbeat") == 0)
		return post_heartbeat(p, c, d, k);
	if (get && strcmp(url, "/v1/changes") == 0)
		return get_changes(p, c, d);
	if (post && strcmp(url, "/v1/payments") == 0)
		return plat_payment_create(p, c, d, k);
	if (post && strcmp(url, "/v1/residents/eligibility") == 0)
		return plat_eligibility(p, c, d, k);
	if (get && strncmp(url, "/v1/send-bookings/", 18) == 0)
		return plat_booking_get(p, c, d, url + 18);
	if (strncmp(url, "/v1/payments/", 13) == 0) {
		char id[80], tail[16] = "";
		int n = sscanf(url + 13, "%79[^/]/%15s", id, tail);
		if (get && n == 1)
			return plat_payment_get(p, c, d, id, false);
		if (post && n == 2 && strcmp(tail, "cancel") == 0)
			return plat_payment_get(p, c, d, id, true);
	}
	return plat_error(c, 404, "not_found", url, p);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *upload, size_t *upload_size, void **con_cls)
{
	(void)version;
	struct plat *p = cls;
	struct plat_conn *k = *con_cls;
	if (!k)
		return MHD_NO;
	if (!k->started) {
		k->started = true;
		return MHD_YES;
	}
	if (*upload_size) { /* the body, in pieces */
		if (k->n + *upload_size > MAX_BODY) {
			k->too_big = true;
		} else {
			char *b = realloc(k->body, k->n + *upload_size + 1);
			if (!b)
				return MHD_NO;
			memcpy(b + k->n, upload, *upload_size);
			k->body = b;
			k->n += *upload_size;
			k->body[k->n] = '\0';
		}
		*upload_size = 0;
		return MHD_YES;
	}
	int delay;
	pthread_mutex_lock(&p->mu);
	delay = p->f.delay_ms;
	if (p->f.slow_path[0] && strcmp(url, p->f.slow_path) == 0)
		delay += p->f.slow_ms; /* this connection's thread only: the others answer */
	pthread_mutex_unlock(&p->mu);
	if (delay > 0)
		usleep((useconds_t)delay * 1000);
	pthread_mutex_lock(&p->mu);
	enum MHD_Result rc = route(p, c, url, method, k);
	pthread_mutex_unlock(&p->mu);
	return rc;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *b = malloc(65536);
	size_t n = b ? fread(b, 1, 65535, f) : 0;
	fclose(f);
	if (b)
		b[n] = '\0';
	return b;
}

/* What start made besides the daemon and the database (the secrets cleansed first). */
static void plat_free(struct plat *p)
{
	for (int i = 0; i < PLAT_MAX_DEVICES; i++)
		kiosk_cleanse(p->secret[i], sizeof p->secret[i]);
	free(p->cert_pem);
	free(p->key_pem);
	pthread_mutex_destroy(&p->mu);
	free(p);
}

int plat_start(const struct plat_opts *o, struct plat **out, char *why, size_t wlen)
{
	*out = NULL;
	struct plat *p = calloc(1, sizeof *p);
	if (!p)
		return -1;
	p->o = *o;
	p->f = o->faults;
	p->rng = o->seed ? o->seed : (unsigned)time(NULL);
	pthread_mutex_init(&p->mu, NULL);
	for (int i = 0; i < o->ndevices; i++) {
		if (kiosk_secret_load(o->devices[i].secret_file, p->secret[i], &p->slen[i]) != 0) {
			snprintf(why, wlen, "device %s: secret %s unusable (missing, shorter than 32"
					    " bytes, or readable by others)",
				 o->devices[i].id, o->devices[i].secret_file);
			goto out_free;
		}
	}
	if (sqlite3_open(o->db, &p->db) != SQLITE_OK ||
	    sqlite3_exec(p->db, schema, NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(why, wlen, "database %s: %s", o->db, sqlite3_errmsg(p->db));
		goto out_db;
	}
	sqlite3_busy_timeout(p->db, 5000);
	if (plat_meals_init(p) != 0 || (o->demo_meals && plat_demo_meals_locked(p) != 0)) {
		snprintf(why, wlen, "database %s: residents and meals: %s", o->db,
			 sqlite3_errmsg(p->db));
		goto out_db;
	}
	/* No MHD_USE_ERROR_LOG: a connection closed on purpose (close_rate) is not news. */
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION;
	if (o->cert[0]) {
		p->cert_pem = slurp(o->cert);
		p->key_pem = slurp(o->key);
		if (!p->cert_pem || !p->key_pem) {
			snprintf(why, wlen, "cannot read %s or %s", o->cert, o->key);
			goto out_db;
		}
		flags |= MHD_USE_TLS;
	}
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)o->port)};
	if (inet_pton(AF_INET, o->host, &sa.sin_addr) != 1) {
		snprintf(why, wlen, "--listen: %s is not an IPv4 address", o->host);
		goto out_db;
	}
	/* Without TLS the list ends before the certificate options. */
	p->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, p, MHD_OPTION_SOCK_ADDR, &sa,
				MHD_OPTION_URI_LOG_CALLBACK, on_uri, p, MHD_OPTION_NOTIFY_COMPLETED,
				on_done, p, o->cert[0] ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END,
				p->cert_pem, MHD_OPTION_HTTPS_MEM_KEY, p->key_pem, MHD_OPTION_END);
	if (!p->d) {
		snprintf(why, wlen, "cannot listen on %s:%d", o->host, o->port);
		goto out_db;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(p->d, MHD_DAEMON_INFO_BIND_PORT);
	p->port = info ? info->port : o->port;
	if (o->port_file[0]) {
		char tmp[300];
		snprintf(tmp, sizeof tmp, "%s.tmp", o->port_file);
		FILE *f = fopen(tmp, "w");
		if (!f || fprintf(f, "%d\n", p->port) < 0 || fclose(f) != 0 ||
		    rename(tmp, o->port_file) != 0) {
			snprintf(why, wlen, "cannot write %s", o->port_file);
			MHD_stop_daemon(p->d);
			goto out_db;
		}
	}
	*out = p;
	return 0;
out_db:
	sqlite3_close(p->db);
out_free:
	plat_free(p);
	return -1;
}

int plat_port(const struct plat *p)
{
	return p->port;
}

void plat_set_faults(struct plat *p, const struct plat_faults *f)
{
	pthread_mutex_lock(&p->mu);
	p->f = *f;
	pthread_mutex_unlock(&p->mu);
}

void plat_stop(struct plat *p)
{
	if (!p)
		return;
	MHD_stop_daemon(p->d);
	sqlite3_close(p->db);
	plat_free(p);
}
