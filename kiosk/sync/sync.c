#include "kiosk/sync/sync.h"
#include "kiosk/sync/sync_int.h"
#include "kiosk/crypto.h"
#include "kiosk/sync/http.h"
#include "kiosk/sync/sign.h"
#include "kiosk/sync/wire.h"
#include "kiosk/sync/changes.h"
#include "hal/base/alloc.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BACKOFF_BASE_MS 1000
#define BACKOFF_CAP_MS (5 * 60 * 1000)
#define IDLE_POLL_MS 500 /* how soon a new outbox event goes out when nobody kicks */
/* A kiosk that never stops making events still hears the platform: once a pull (or the
 * heartbeat) is due, at most this many more batches go before it. */
#define FAIR_BATCHES 4
/* While a help call is unsent, the link tries again within this (DESIGN: help is the one
 * event someone waits for at the kiosk). */
#define URGENT_RETRY_MS 5000

enum step { S_IDLE, S_PUSH, S_PULL };

struct kiosk_sync {
	struct kiosk_sync_opts o;
	const struct kiosk_config *cfg;
	struct kiosk_http *http;
	int timer;
	enum step step;
	struct kiosk_http_req req;
	char *body;
	int64_t first, last; /* seqs of the batch in flight */
	bool resigned;       /* this request was already retried after a 401 */
	/* The heartbeat has a slot of its own: a platform slow to answer it holds back no
	 * event (and events no heartbeat). */
	struct kiosk_http_req hb;
	char *hb_body;
	bool hb_busy, hb_resigned;
	int64_t next_try_mono, next_heartbeat_mono, next_pull_mono;
	char since[KIOSK_CURSOR_MAX]; /* the cursor the page in flight was asked from */
	int batches_since_pull;
	int hb_attempt; /* heartbeats failed in a row: they back off on their own */
	int64_t started_mono;
	struct kiosk_sync_status st;
	struct kiosk_sync_calls *calls; /* call.c */
};

int64_t kiosk_sync_backoff_ms(int attempt, uint32_t r)
{
	int64_t top = BACKOFF_BASE_MS;
	for (int i = 0; i < attempt && top < BACKOFF_CAP_MS; i++)
		top *= 2;
	if (top > BACKOFF_CAP_MS)
		top = BACKOFF_CAP_MS;
	return (int64_t)((uint64_t)r % (uint64_t)(top + 1));
}

/* A help call still unsent: it goes first, and failures wait at most URGENT_RETRY_MS. */
static bool urgent(struct kiosk_sync *s)
{
	bool any = false;
	return kiosk_outbox_urgent(s->o.store, &any) == KIOSK_OK && any;
}

static void changed(struct kiosk_sync *s)
{
	if (s->o.changed)
		s->o.changed(s->o.arg);
}

/* Says what went wrong, once per change (a link down for a day logs one line). what:
 * "events" / "heartbeat"; why: a parse reason, else the HTTP status or libcurl's words. */
static void set_error_of(struct kiosk_sync *s, const struct kiosk_http_req *r, const char *what,
			 const char *why)
{
	char e[128];
	if (why)
		snprintf(e, sizeof e, "%s: bad answer: %.100s", what, why);
	else if (r->status) {
		char code[40];
		kiosk_wire_error_code(r->resp, r->resp_len, code, sizeof code);
		snprintf(e, sizeof e, "%s: HTTP %ld%s%s", what, r->status, code[0] ? " " : "", code);
	}
	else
		snprintf(e, sizeof e, "%s: %.100s", what, r->err_text[0] ? r->err_text : "no answer");
	if (strcmp(e, s->st.last_error) != 0) {
		snprintf(s->st.last_error, sizeof s->st.last_error, "%s", e);
		KLOG_WARN("sync", "event=error what=\"%s\"", e);
	}
}

static void set_error(struct kiosk_sync *s, const char *what, const char *why)
{
	set_error_of(s, &s->req, what, why);
}

/* The request failed in a way worth retrying: wait, longer each time, never in step
 * with every other kiosk (full jitter), or as long as the server asked. */
static void back_off(struct kiosk_sync *s, long retry_after_s)
{
	uint32_t r = 0;
	kiosk_random(&r, sizeof r);
	int64_t ms = kiosk_sync_backoff_ms(s->st.attempt, r);
	if (retry_after_s >= 0 && retry_after_s * 1000 > ms)
		ms = retry_after_s * 1000 > BACKOFF_CAP_MS ? BACKOFF_CAP_MS : retry_after_s * 1000;
	if (ms > URGENT_RETRY_MS && urgent(s))
		ms = URGENT_RETRY_MS;
	s->st.attempt++;
	s->next_try_mono = kiosk_mono_ms() + ms;
	s->st.next_try_ms = kiosk_now_ms() + ms;
	bool was = s->st.link == KIOSK_LINK_ONLINE;
	s->st.link = KIOSK_LINK_OFFLINE;
	if (was)
		KLOG_WARN("sync", "event=offline retry_in_ms=%" PRId64, ms);
	changed(s);
}

static void answered(struct kiosk_sync *s)
{
	bool was = s->st.link == KIOSK_LINK_ONLINE;
	s->st.link = KIOSK_LINK_ONLINE;
	s->st.attempt = 0;
	s->st.next_try_ms = 0;
	s->next_try_mono = 0;
	s->st.last_ok_ms = kiosk_now_ms();
	s->st.last_error[0] = '\0';
	if (!was) {
		KLOG_INFO("sync", "event=online");
		changed(s);
	}
}

static void arm(struct kiosk_sync *s, int64_t ms);
static void step(struct kiosk_sync *s);

/* A 401: the signature or our clock. Take the server's clock from Date, keep the offset
 * (the store remembers it across restarts); true when it changed, so a re-signed retry
 * may now pass. */
bool kiosk_sync_learn_clock(struct kiosk_sync *s, int64_t date_s)
{
	if (date_s <= 0)
		return false;
	int64_t off = date_s - kiosk_now_ms() / 1000;
	if (off == s->st.clock_offset_s)
		return false; /* our clock was not the problem: the secret is */
	KLOG_WARN("sync", "event=clock_offset old_s=%" PRId64 " new_s=%" PRId64,
		  s->st.clock_offset_s, off);
	s->st.clock_offset_s = off;
	char v[24];
	snprintf(v, sizeof v, "%" PRId64, off);
	kiosk_syncstate_set(s->o.store, "clock_offset_s", v);
	return true;
}

/* A 401 with the server's Date: the clock learned, the request signed again, once. */
static bool clock_retry_of(struct kiosk_sync *s, struct kiosk_http_req *r, bool *resigned)
{
	if (*resigned)
		return false;
	*resigned = true;
	return kiosk_sync_learn_clock(s, r->date_s) && kiosk_http_start(s->http, r) == KIOSK_OK;
}

static bool clock_retry(struct kiosk_sync *s)
{
	return clock_retry_of(s, &s->req, &s->resigned);
}

struct kiosk_http *kiosk_sync_http(struct kiosk_sync *s)
{
	return s->http;
}

void kiosk_sync_answered(struct kiosk_sync *s)
{
	answered(s);
}

struct kiosk_sync_calls **kiosk_sync_calls_slot(struct kiosk_sync *s)
{
	return &s->calls;
}

static int push(struct kiosk_sync *s, int64_t after);

/* Returns true when a request is out again: the same one re-signed, or (all acked) the
 * next batch, sent before this one's ack is written so the disk's flush and the
 * platform's work overlap. */
static bool pushed(struct kiosk_sync *s)
{
	struct kiosk_http_req *r = &s->req;
	char why[128];
	struct kiosk_wire_ack ack;
	if (r->status == 200 || r->status == 422) {
		int rc = kiosk_wire_parse_ack(r->resp, r->resp_len, s->first, s->last, &ack, why,
					      sizeof why);
		if (rc) {
			set_error(s, "events", why);
			back_off(s, -1);
			return false;
		}
		if (ack.nrejected == 0 && ack.acked_through == s->last) {
			int64_t first = s->first, last = s->last;
			kiosk_free(s->body);
			s->body = NULL;
			s->req.body = NULL;
			int64_t now = kiosk_mono_ms();
			bool others_due = (!s->hb_busy && now >= s->next_heartbeat_mono) ||
					  (now >= s->next_pull_mono &&
					   s->batches_since_pull >= FAIR_BATCHES);
			bool next = !others_due && push(s, last) == KIOSK_OK;
			if (kiosk_outbox_ack(s->o.store, last) == KIOSK_OK)
				s->st.pushed += last - first + 1;
			answered(s);
			changed(s);
			if (next)
				return true;
			arm(s, 0);
			return false;
		}
		/* The refused ones leave the queue for the operator's eyes; the rest go on. */
		for (int i = 0; i < ack.nrejected; i++)
			if (kiosk_outbox_dead_letter(s->o.store, ack.rejected[i].seq,
						     ack.rejected[i].error) == KIOSK_OK)
				KLOG_WARN("sync", "event=rejected seq=%" PRId64 " error=\"%s\"",
					  ack.rejected[i].seq, ack.rejected[i].error);
		if (ack.acked_through >= s->first) {
			if (kiosk_outbox_ack(s->o.store, ack.acked_through) == KIOSK_OK)
				s->st.pushed += ack.acked_through - s->first + 1;
		}
		answered(s);
		changed(s);
		arm(s, 0); /* more may be waiting: go on at once */
		return false;
	}
	if (r->status == 401 && clock_retry(s))
		return true;
	set_error(s, "events", NULL);
	back_off(s, r->retry_after_s);
	return false;
}

/* A heartbeat that failed backs off on its own: the events still go (a platform that
 * answers heartbeats badly must not hold back a help call or a sale). */
static bool heartbeat_done(struct kiosk_sync *s)
{
	struct kiosk_http_req *r = &s->hb;
	if (r->status == 200) {
		answered(s);
		s->hb_attempt = 0;
		s->next_heartbeat_mono = kiosk_mono_ms() + (int64_t)s->cfg->platform_heartbeat_s * 1000;
		return false;
	}
	if (r->status == 401 && clock_retry_of(s, r, &s->hb_resigned))
		return true;
	set_error_of(s, r, "heartbeat", NULL);
	if (r->status == 0) { /* no answer at all: the link is down for everything */
		back_off(s, r->retry_after_s);
		return false;
	}
	uint32_t jitter = 0;
	kiosk_random(&jitter, sizeof jitter);
	int64_t ms = kiosk_sync_backoff_ms(++s->hb_attempt, jitter);
	if (r->retry_after_s >= 0 && r->retry_after_s * 1000 > ms)
		ms = r->retry_after_s * 1000;
	if (ms < 1000)
		ms = 1000;
	s->next_heartbeat_mono = kiosk_mono_ms() + ms;
	changed(s);
	return false;
}

static void on_hb_done(struct kiosk_http_req *r, void *arg)
{
	(void)r;
	struct kiosk_sync *s = arg;
	if (heartbeat_done(s))
		return; /* signed again and out: its body stays */
	s->hb_busy = false;
	kiosk_free(s->hb_body);
	s->hb_body = NULL;
	s->hb.body = NULL;
	kiosk_http_req_reset(&s->hb);
	changed(s); /* no longer busy: a status read now is true */
	arm(s, s->next_try_mono ? s->next_try_mono - kiosk_mono_ms() : 0);
}

/* A page of changes: checked whole, applied with its cursor in one transaction, or
 * refused whole (cursor unchanged, logged, backed off). */
static bool pulled(struct kiosk_sync *s)
{
	struct kiosk_http_req *r = &s->req;
	if (r->status != 200) {
		if (r->status == 401 && clock_retry(s))
			return true;
		set_error(s, "changes", NULL);
		back_off(s, r->retry_after_s);
		return false;
	}
	char why[160];
	struct kiosk_change_page page;
	struct kiosk_changes_ctx ctx = {s->cfg->geo_lat, s->cfg->geo_lon, 50.0};
	int rc = kiosk_changes_parse(r->resp, r->resp_len, &ctx, &page, why, sizeof why);
	if (rc == KIOSK_OK && page.more && strcmp(page.cursor, s->since) == 0) {
		snprintf(why, sizeof why, "cursor did not move (%.60s) although more is true",
			 page.cursor);
		kiosk_change_page_free(&page);
		rc = KIOSK_EPARSE;
	}
	if (rc) {
		set_error(s, "changes", why);
		back_off(s, -1);
		return false;
	}
	int bad = -1;
	rc = kiosk_changes_apply(s->o.store, &page, &bad);
	if (rc) {
		snprintf(why, sizeof why, "changes[%d] (%s %s) refused by the store: %s", bad,
			 bad >= 0 ? (page.ch[bad].del ? "delete" : "upsert") : "-",
			 bad >= 0 ? page.ch[bad].id : "-", kiosk_errname(rc));
		kiosk_change_page_free(&page);
		set_error(s, "changes", why);
		back_off(s, -1);
		return false;
	}
	if (page.n)
		KLOG_INFO("sync", "event=changes_applied n=%d more=%d", page.n, page.more);
	bool cmds = false, settings = false;
	for (int i = 0; i < page.n; i++) {
		cmds |= page.ch[i].kind == KIOSK_CH_COMMAND;
		settings |= page.ch[i].kind == KIOSK_CH_CONFIG;
	}
	s->next_pull_mono = page.more ? 0 : kiosk_mono_ms() + (int64_t)s->cfg->platform_pull_s * 1000;
	kiosk_change_page_free(&page);
	answered(s);
	if (settings && s->o.settings)
		s->o.settings(s->o.arg);
	if (cmds && s->o.commands)
		s->o.commands(s->o.arg);
	changed(s);
	arm(s, 0);
	return false;
}

static void on_done(struct kiosk_http_req *r, void *arg)
{
	(void)r;
	struct kiosk_sync *s = arg;
	enum step was = s->step;
	s->step = S_IDLE;
	bool again = was == S_PUSH ? pushed(s) : was == S_PULL ? pulled(s) : false;
	if (again) { /* a request is out again (re-signed, or the next batch): its body stays */
		s->step = was;
		return;
	}
	kiosk_free(s->body);
	s->body = NULL;
	s->req.body = NULL;
	kiosk_http_req_reset(&s->req);
	if (s->next_try_mono)
		arm(s, s->next_try_mono - kiosk_mono_ms());
}

static int start(struct kiosk_sync *s, enum step what, const char *path, char *body,
		 size_t len)
{
	s->req.method = "POST";
	snprintf(s->req.path, sizeof s->req.path, "%s", path);
	s->req.body = body;
	s->req.len = len;
	s->req.done = on_done;
	s->req.arg = s;
	s->body = body;
	s->resigned = false;
	int rc = kiosk_http_start(s->http, &s->req);
	if (rc) {
		kiosk_free(body);
		s->body = NULL;
		return rc;
	}
	s->step = what;
	return KIOSK_OK;
}

/* The next batch: the unsent events after seq `after`. */
static int push(struct kiosk_sync *s, int64_t after)
{
	struct kiosk_event_batch b = {0};
	int rc = kiosk_outbox_peek_after(s->o.store, after, KIOSK_WIRE_MAX_BATCH, &b);
	if (rc || b.n == 0) {
		kiosk_outbox_batch_free(&b);
		return rc ? rc : KIOSK_ENOENT;
	}
	char *body;
	size_t len;
	int used;
	rc = kiosk_wire_events(s->cfg->device_id, &b, KIOSK_WIRE_MAX_BODY, &body, &len, &used);
	if (rc == KIOSK_ENOSPACE) {
		/* One event over the batch limit can never go: set it aside, go on. */
		kiosk_outbox_dead_letter(s->o.store, b.ev[0].seq, "over the 1 MiB batch limit");
		kiosk_outbox_batch_free(&b);
		return KIOSK_OK;
	}
	if (rc) {
		kiosk_outbox_batch_free(&b);
		return rc;
	}
	s->first = b.ev[0].seq;
	s->last = b.ev[used - 1].seq;
	s->batches_since_pull++;
	snprintf(s->req.idempotency_key, sizeof s->req.idempotency_key,
		 "%s:%" PRId64 "-%" PRId64, s->cfg->device_id, s->first, s->last);
	kiosk_outbox_batch_free(&b);
	return start(s, S_PUSH, "/v1/events", body, len);
}

static int heartbeat(struct kiosk_sync *s)
{
	cJSON *j = cJSON_CreateObject();
	if (!j)
		return KIOSK_ENOMEM;
	char at[25];
	kiosk_wire_time(kiosk_now_ms(), at);
	int64_t unsent = 0, oldest = 0, dead = 0;
	kiosk_outbox_stats(s->o.store, &unsent, &oldest, &dead);
	cJSON_AddStringToObject(j, "at", at);
	cJSON_AddNumberToObject(j, "uptime_s", (double)((kiosk_mono_ms() - s->started_mono) / 1000));
	cJSON_AddStringToObject(j, "app_version", KIOSK_VERSION);
	cJSON_AddNumberToObject(j, "outbox_depth", (double)unsent);
	if (oldest) {
		char o[25];
		kiosk_wire_time(oldest, o);
		cJSON_AddStringToObject(j, "oldest_unsent_at", o);
	} else {
		cJSON_AddNullToObject(j, "oldest_unsent_at");
	}
	cJSON *faults = cJSON_AddArrayToObject(j, "faults");
	cJSON *devs = cJSON_AddObjectToObject(j, "devices");
	if (s->o.heartbeat && faults && devs)
		s->o.heartbeat(devs, faults, s->o.arg);
	char *body = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	if (!body)
		return KIOSK_ENOMEM;
	/* cJSON's buffer is ours to free with kiosk_free's partner: copy to keep one. */
	size_t len = strlen(body);
	char *own = kiosk_malloc(len + 1);
	if (own)
		memcpy(own, body, len + 1);
	cJSON_free(body);
	if (!own)
		return KIOSK_ENOMEM;
	struct kiosk_http_req *r = &s->hb;
	r->method = "POST";
	snprintf(r->path, sizeof r->path, "%s", "/v1/heartbeat");
	r->body = own;
	r->len = len;
	r->idempotency_key[0] = '\0';
	r->done = on_hb_done;
	r->arg = s;
	s->hb_body = own;
	s->hb_resigned = false;
	int rc = kiosk_http_start(s->http, r);
	if (rc) {
		kiosk_free(own);
		s->hb_body = NULL;
		r->body = NULL;
		return rc;
	}
	s->hb_busy = true;
	return KIOSK_OK;
}

/* The cursor in a query: unreserved characters as they are, the rest %XX. */
static void query_escape(const char *in, char *out, size_t cap)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t k = 0;
	for (const unsigned char *p = (const unsigned char *)in; *p && k + 4 < cap; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '_' || *p == '.' || *p == '~') {
			out[k++] = (char)*p;
		} else {
			out[k++] = '%';
			out[k++] = hex[*p >> 4];
			out[k++] = hex[*p & 15];
		}
	}
	out[k] = '\0';
}

static int pull(struct kiosk_sync *s)
{
	char q[3 * KIOSK_CURSOR_MAX + 8];
	if (kiosk_syncstate_get(s->o.store, "cursor", s->since, sizeof s->since) != KIOSK_OK)
		s->since[0] = '\0';
	query_escape(s->since, q, sizeof q);
	s->batches_since_pull = 0;
	s->req.method = "GET";
	if (s->since[0])
		snprintf(s->req.path, sizeof s->req.path, "/v1/changes?since=%s&limit=%d", q,
			 KIOSK_CHANGES_PAGE);
	else /* the first time: no since */
		snprintf(s->req.path, sizeof s->req.path, "/v1/changes?limit=%d", KIOSK_CHANGES_PAGE);
	s->req.body = NULL;
	s->req.len = 0;
	s->req.idempotency_key[0] = '\0';
	s->req.done = on_done;
	s->req.arg = s;
	s->body = NULL;
	s->resigned = false;
	int rc = kiosk_http_start(s->http, &s->req);
	if (rc == KIOSK_OK)
		s->step = S_PULL;
	return rc;
}

/* What to do next: nothing while a request is out or while backing off; else the
 * heartbeat when due, else the outbox, else the changes when due. */
static void step(struct kiosk_sync *s)
{
	int64_t now = kiosk_mono_ms();
	if (s->next_try_mono && now < s->next_try_mono) {
		arm(s, s->next_try_mono - now);
		return;
	}
	int rc;
	/* the heartbeat in its own slot, beside whatever else is out */
	if (!s->hb_busy && now >= s->next_heartbeat_mono && (rc = heartbeat(s)) != KIOSK_OK)
		KLOG_ERROR("sync", "event=heartbeat_not_started err=%s", kiosk_errname(rc));
	if (s->step != S_IDLE)
		return;
	bool pull_first = now >= s->next_pull_mono && s->batches_since_pull >= FAIR_BATCHES;
	/* A help call goes first (someone stands at the kiosk waiting), not before a pull
	 * that a long queue has kept waiting (fairness, below). */
	if (!pull_first && urgent(s) && push(s, 0) == KIOSK_OK)
		return;
	rc = pull_first ? KIOSK_ENOENT : push(s, 0);
	if (rc == KIOSK_OK)
		return;
	if (rc != KIOSK_ENOENT)
		KLOG_ERROR("sync", "event=push_not_started err=%s", kiosk_errname(rc));
	if (now >= s->next_pull_mono) {
		rc = pull(s);
		if (rc == KIOSK_OK)
			return;
		KLOG_ERROR("sync", "event=pull_not_started err=%s", kiosk_errname(rc));
	}
	int64_t wait = s->next_pull_mono - now;
	if (!s->hb_busy && s->next_heartbeat_mono - now < wait)
		wait = s->next_heartbeat_mono - now;
	arm(s, wait < IDLE_POLL_MS ? (wait > 0 ? wait : 0) : IDLE_POLL_MS);
}

static int64_t on_timer(struct kiosk_loop *loop, int id, void *arg)
{
	(void)loop;
	(void)id;
	struct kiosk_sync *s = arg;
	s->timer = 0;
	step(s);
	return -1;
}

static void arm(struct kiosk_sync *s, int64_t ms)
{
	if (s->timer)
		kiosk_loop_del_timer(s->o.loop, s->timer);
	int id = kiosk_loop_add_timer(s->o.loop, ms > 0 ? ms : 0, on_timer, s);
	s->timer = id > 0 ? id : 0;
}

int kiosk_sync_open(const struct kiosk_sync_opts *o, struct kiosk_sync **out, char *why,
		    size_t wlen)
{
	*out = NULL;
	snprintf(why, wlen, "%s", "");
	const struct kiosk_config *cfg = o->cfg;
	if (!cfg->platform_url[0])
		return KIOSK_OK;
	int rc = kiosk_config_url_ok(cfg->platform_url, why, wlen);
	if (rc)
		return rc;
	uint8_t secret[KIOSK_SECRET_MAX];
	size_t slen;
	rc = kiosk_secret_load(cfg->device_secret_file, secret, &slen);
	if (rc) {
		snprintf(why, wlen, "device secret %s: %s", cfg->device_secret_file,
			 rc == KIOSK_EPERM    ? "readable by group or others (chmod 600)"
			 : rc == KIOSK_EINVAL ? "shorter than 32 bytes"
					      : kiosk_strerror(rc));
		return KIOSK_ECONFIG;
	}
	struct kiosk_sync *s = kiosk_calloc(1, sizeof *s);
	if (!s) {
		kiosk_cleanse(secret, sizeof secret);
		return KIOSK_ENOMEM;
	}
	s->o = *o;
	s->cfg = cfg;
	char v[32];
	if (kiosk_syncstate_get(o->store, "clock_offset_s", v, sizeof v) == KIOSK_OK)
		s->st.clock_offset_s = strtoll(v, NULL, 10);
	struct kiosk_http_opts ho = {
		.base_url = cfg->platform_url,
		.ca_file = cfg->platform_ca_file,
		.pinned_key = cfg->platform_pinned_key,
		.device_id = cfg->device_id,
		.secret = secret,
		.secret_len = slen,
		.connect_timeout_ms = 5000,
		.total_timeout_ms = 30000,
		.clock_offset_s = &s->st.clock_offset_s,
	};
	rc = kiosk_http_new(o->loop, &ho, &s->http);
	kiosk_cleanse(secret, sizeof secret);
	if (rc) {
		kiosk_free(s);
		snprintf(why, wlen, "HTTP client: %s", kiosk_strerror(rc));
		return rc;
	}
	s->req.retry_after_s = -1;
	s->hb.retry_after_s = -1;
	s->started_mono = kiosk_mono_ms();
	s->st.link = KIOSK_LINK_OFFLINE; /* until the first answer */
	KLOG_INFO("sync", "event=link_start url=%s device=%s", cfg->platform_url, cfg->device_id);
	arm(s, 0);
	*out = s;
	return KIOSK_OK;
}

void kiosk_sync_close(struct kiosk_sync *s)
{
	if (!s)
		return;
	kiosk_http_free(s->http); /* aborts the requests in flight; their done does not run */
	kiosk_sync_calls_free(s->calls);
	kiosk_http_req_reset(&s->req);
	kiosk_free(s->body);
	kiosk_http_req_reset(&s->hb);
	kiosk_free(s->hb_body);
	if (s->timer)
		kiosk_loop_del_timer(s->o.loop, s->timer);
	kiosk_free(s);
}

void kiosk_sync_now(struct kiosk_sync *s)
{
	if (!s)
		return;
	s->st.attempt = 0;
	s->next_try_mono = 0;
	s->st.next_try_ms = 0;
	s->next_heartbeat_mono = 0;
	s->next_pull_mono = 0;
	arm(s, 0);
}

void kiosk_sync_urgent(struct kiosk_sync *s)
{
	if (!s)
		return;
	/* whatever the back-off had planned: now (a request in flight finishes first) */
	s->next_try_mono = 0;
	s->st.next_try_ms = 0;
	if (s->step == S_IDLE)
		arm(s, 0);
}

void kiosk_sync_kick(struct kiosk_sync *s)
{
	if (s && s->step == S_IDLE && !s->next_try_mono)
		arm(s, 0);
}

void kiosk_sync_status(const struct kiosk_sync *s, struct kiosk_sync_status *st)
{
	if (!s) {
		memset(st, 0, sizeof *st);
		return;
	}
	*st = s->st;
	st->busy = s->step != S_IDLE || s->hb_busy;
	st->pull_due = s->next_pull_mono <= kiosk_mono_ms();
}
