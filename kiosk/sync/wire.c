#include "kiosk/sync/wire.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int kiosk_wire_parse(const char *body, size_t len, cJSON **out, char *why, size_t wlen)
{
	*out = NULL;
	if (!body || len == 0) {
		snprintf(why, wlen, "empty body");
		return KIOSK_EPARSE;
	}
	if (len > KIOSK_WIRE_MAX_RESPONSE) {
		snprintf(why, wlen, "body over %d bytes", KIOSK_WIRE_MAX_RESPONSE);
		return KIOSK_EPARSE;
	}
	/* Depth first, outside strings: cJSON recurses, and a server (or anything on the
	 * path) must not be able to make the core thread recurse a thousand deep. */
	int depth = 0;
	bool str = false, esc = false;
	for (size_t i = 0; i < len; i++) {
		char ch = body[i];
		if (str) {
			if (esc)
				esc = false;
			else if (ch == '\\')
				esc = true;
			else if (ch == '"')
				str = false;
			continue;
		}
		if (ch == '"')
			str = true;
		else if (ch == '{' || ch == '[') {
			if (++depth > KIOSK_WIRE_MAX_DEPTH) {
				snprintf(why, wlen, "nested deeper than %d", KIOSK_WIRE_MAX_DEPTH);
				return KIOSK_EPARSE;
			}
		} else if (ch == '}' || ch == ']')
			depth--;
	}
	cJSON *j = cJSON_ParseWithLength(body, len);
	if (!j) {
		snprintf(why, wlen, "not JSON");
		return KIOSK_EPARSE;
	}
	if (!cJSON_IsObject(j)) {
		cJSON_Delete(j);
		snprintf(why, wlen, "not a JSON object");
		return KIOSK_EPARSE;
	}
	*out = j;
	return KIOSK_OK;
}

void kiosk_wire_time(int64_t ms, char out[25])
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	if (!gmtime_r(&t, &tm)) {
		snprintf(out, 25, "1970-01-01T00:00:00.000Z");
		return;
	}
	char day[20];
	strftime(day, sizeof day, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, 25, "%.19s.%03dZ", day, (int)(ms % 1000 + 1000) % 1000);
}

/* A growing buffer for bodies; on allocation failure it stays failed. */
struct buf {
	char *p;
	size_t n, cap;
	bool failed;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->n + n + 1)
			cap *= 2;
		char *p = kiosk_realloc(b->p, cap);
		if (!p) {
			b->failed = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

/* A JSON string of s (ids and types are ours and plain; escaped all the same). */
static void put_str(struct buf *b, const char *s)
{
	put(b, "\"", 1);
	for (const char *p = s; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch == '"' || ch == '\\') {
			char e[2] = {'\\', (char)ch};
			put(b, e, 2);
		} else if (ch < 0x20) {
			char e[8];
			snprintf(e, sizeof e, "\\u%04x", ch);
			puts_(b, e);
		} else {
			put(b, p, 1);
		}
	}
	put(b, "\"", 1);
}

int kiosk_wire_events(const char *device, const struct kiosk_event_batch *b, size_t max_bytes,
		      char **body, size_t *len, int *used)
{
	*body = NULL;
	*len = 0;
	*used = 0;
	struct buf out = {0};
	puts_(&out, "{\"device\":");
	put_str(&out, device);
	puts_(&out, ",\"events\":[");
	/* The events are built straight into the body (their data is JSON text the store
	 * wrote): no tree per event, so a 500-event batch costs one pass. */
	for (int i = 0; i < b->n && i < KIOSK_WIRE_MAX_BATCH; i++) {
		const struct kiosk_event *e = &b->ev[i];
		size_t mark = out.n;
		char head[96], at[25];
		kiosk_wire_time(e->at_ms, at);
		snprintf(head, sizeof head, "%s{\"seq\":%" PRId64 ",\"id\":", i ? "," : "", e->seq);
		puts_(&out, head);
		put_str(&out, e->id);
		puts_(&out, ",\"type\":");
		put_str(&out, e->type);
		puts_(&out, ",\"at\":\"");
		puts_(&out, at);
		puts_(&out, "\",\"data\":");
		puts_(&out, e->data && e->data[0] ? e->data : "{}");
		puts_(&out, "}");
		if (out.failed)
			break;
		if (out.n + 2 > max_bytes) { /* "]}" still to come */
			out.n = mark;
			out.p[mark] = '\0';
			break;
		}
		(*used)++;
	}
	puts_(&out, "]}");
	if (out.failed) {
		kiosk_free(out.p);
		*used = 0;
		return KIOSK_ENOMEM;
	}
	if (*used == 0) {
		kiosk_free(out.p);
		return b->n ? KIOSK_ENOSPACE : KIOSK_EINVAL;
	}
	*body = out.p;
	*len = out.n;
	return KIOSK_OK;
}

int64_t kiosk_wire_parse_time(const char *s)
{
	struct tm tm = {0};
	int ms = 0;
	const char *end = s ? strptime(s, "%Y-%m-%dT%H:%M:%S", &tm) : NULL;
	if (!end)
		return -1;
	if (*end == '.') {
		if (sscanf(end + 1, "%3d", &ms) != 1 || ms < 0)
			return -1;
		end += 4;
	}
	if (strcmp(end, "Z") != 0)
		return -1;
	return (int64_t)timegm(&tm) * 1000 + ms;
}

int kiosk_wire_get_int(const cJSON *o, const char *name, int64_t lo, int64_t hi, int64_t *v)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, name);
	if (!cJSON_IsNumber(x))
		return KIOSK_EPARSE;
	double d = x->valuedouble;
	if (d < (double)lo || d > (double)hi || d != (double)(int64_t)d)
		return KIOSK_EPARSE;
	*v = (int64_t)d;
	return KIOSK_OK;
}

int kiosk_wire_parse_ack(const char *body, size_t len, int64_t first, int64_t last,
			 struct kiosk_wire_ack *out, char *why, size_t wlen)
{
	memset(out, 0, sizeof *out);
	cJSON *j;
	int rc = kiosk_wire_parse(body, len, &j, why, wlen);
	if (rc)
		return rc;
	if (kiosk_wire_get_int(j, "acked_through", first - 1, last, &out->acked_through) != KIOSK_OK) {
		snprintf(why, wlen, "acked_through missing or not in %" PRId64 "..%" PRId64,
			 first - 1, last);
		rc = KIOSK_EPARSE;
		goto out_json;
	}
	const cJSON *rej = cJSON_GetObjectItemCaseSensitive(j, "rejected");
	if (rej && !cJSON_IsArray(rej)) {
		snprintf(why, wlen, "rejected is not an array");
		rc = KIOSK_EPARSE;
		goto out_json;
	}
	const cJSON *r;
	cJSON_ArrayForEach(r, rej)
	{
		int64_t seq;
		if (!cJSON_IsObject(r) || kiosk_wire_get_int(r, "seq", first, last, &seq) != KIOSK_OK) {
			snprintf(why, wlen, "rejected[].seq missing or not in %" PRId64 "..%" PRId64,
				 first, last);
			rc = KIOSK_EPARSE;
			goto out_json;
		}
		if (seq <= out->acked_through) {
			snprintf(why, wlen, "seq %" PRId64 " both acked and rejected", seq);
			rc = KIOSK_EPARSE;
			goto out_json;
		}
		if (out->nrejected == KIOSK_WIRE_MAX_REJECTED)
			continue; /* the rest come back on the next push */
		out->rejected[out->nrejected].seq = seq;
		const char *e = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "error"));
		/* kept as a plain word list for the operator: no control bytes */
		size_t k = 0;
		for (const char *p = e ? e : "rejected"; *p && k + 1 < sizeof out->rejected[0].error;
		     p++)
			out->rejected[out->nrejected].error[k++] =
				(unsigned char)*p < 0x20 ? ' ' : *p;
		out->rejected[out->nrejected].error[k] = '\0';
		out->nrejected++;
	}
out_json:
	cJSON_Delete(j);
	if (rc)
		memset(out, 0, sizeof *out);
	return rc;
}

void kiosk_wire_error_code(const char *body, size_t len, char *code, size_t cap)
{
	char why[64];
	cJSON *j;
	code[0] = '\0';
	if (kiosk_wire_parse(body, len, &j, why, sizeof why) != KIOSK_OK)
		return;
	const char *e = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "error"));
	if (e)
		snprintf(code, cap, "%s", e);
	cJSON_Delete(j);
}
