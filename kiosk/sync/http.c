#include "kiosk/sync/http.h"
#include "kiosk/crypto.h"
#include "kiosk/sync/wire.h"
#include "hal/base/alloc.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <curl/curl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define KIOSK_HTTP_MAX_INFLIGHT 8

struct kiosk_http {
	struct kiosk_loop *loop;
	CURLM *multi;
	int timer; /* the loop timer standing for curl's, 0 = none */
	char base[512], ca[256], pin[256], device[64];
	uint8_t secret[KIOSK_SECRET_MAX];
	size_t slen;
	long connect_ms, total_ms;
	const int64_t *offset;
	struct kiosk_http_req *inflight[KIOSK_HTTP_MAX_INFLIGHT];
};

static void on_fd(struct kiosk_loop *loop, int fd, short revents, void *arg);

/* curl says which sockets to watch; the loop watches them. */
static int sock_cb(CURL *e, curl_socket_t s, int what, void *userp, void *socketp)
{
	(void)e;
	(void)socketp;
	struct kiosk_http *h = userp;
	if (what == CURL_POLL_REMOVE) {
		kiosk_loop_del_fd(h->loop, s);
		return 0;
	}
	short ev = (short)((what & CURL_POLL_IN ? POLLIN : 0) | (what & CURL_POLL_OUT ? POLLOUT : 0));
	if (kiosk_loop_add_fd(h->loop, s, ev, on_fd, h) != KIOSK_OK)
		KLOG_ERROR("http", "event=no_fd_slot fd=%d", s);
	return 0;
}

static void finish(struct kiosk_http *h)
{
	CURLMsg *m;
	int left;
	while ((m = curl_multi_info_read(h->multi, &left))) {
		if (m->msg != CURLMSG_DONE)
			continue;
		struct kiosk_http_req *r = NULL;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
		CURLcode res = m->data.result;
		curl_multi_remove_handle(h->multi, m->easy_handle);
		if (!r)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &r->status);
		if (res != CURLE_OK) {
			r->status = 0;
			r->err = res == CURLE_OPERATION_TIMEDOUT	  ? KIOSK_ETIMEDOUT
				 : res == CURLE_PEER_FAILED_VERIFICATION ||
						 res == CURLE_SSL_CACERT_BADFILE ||
						 res == CURLE_SSL_PINNEDPUBKEYNOTMATCH ||
						 res == CURLE_SSL_CONNECT_ERROR
					 ? KIOSK_EDENIED
				 : r->too_big ? KIOSK_ENOSPACE
					      : KIOSK_EIO;
			if (!r->err_text[0])
				snprintf(r->err_text, sizeof r->err_text, "%s", curl_easy_strerror(res));
		}
		curl_easy_cleanup(m->easy_handle);
		curl_slist_free_all(r->hdrs);
		r->easy = r->hdrs = NULL;
		for (int i = 0; i < KIOSK_HTTP_MAX_INFLIGHT; i++)
			if (h->inflight[i] == r)
				h->inflight[i] = NULL;
		r->done(r, r->arg);
	}
}

static void on_fd(struct kiosk_loop *loop, int fd, short revents, void *arg)
{
	(void)loop;
	struct kiosk_http *h = arg;
	int running = 0;
	int ev = (revents & POLLIN ? CURL_CSELECT_IN : 0) | (revents & POLLOUT ? CURL_CSELECT_OUT : 0) |
		 (revents & (POLLERR | POLLHUP) ? CURL_CSELECT_ERR : 0);
	curl_multi_socket_action(h->multi, fd, ev, &running);
	finish(h);
}

static int64_t on_timer(struct kiosk_loop *loop, int id, void *arg)
{
	(void)loop;
	(void)id;
	struct kiosk_http *h = arg;
	h->timer = 0; /* curl re-arms through timer_cb if it needs to */
	int running = 0;
	curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	finish(h);
	return -1;
}

static int timer_cb(CURLM *m, long ms, void *userp)
{
	(void)m;
	struct kiosk_http *h = userp;
	if (h->timer)
		kiosk_loop_del_timer(h->loop, h->timer);
	h->timer = 0;
	if (ms >= 0) {
		int id = kiosk_loop_add_timer(h->loop, ms, on_timer, h);
		h->timer = id > 0 ? id : 0;
	}
	return 0;
}

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	struct kiosk_http_req *r = arg;
	size_t len = size * n;
	if (r->resp_len + len > KIOSK_WIRE_MAX_RESPONSE) {
		r->too_big = true;
		snprintf(r->err_text, sizeof r->err_text, "answer over %d bytes",
			 KIOSK_WIRE_MAX_RESPONSE);
		return 0; /* aborts the transfer */
	}
	char *q = kiosk_realloc(r->resp, r->resp_len + len + 1);
	if (!q)
		return 0;
	memcpy(q + r->resp_len, p, len);
	r->resp = q;
	r->resp_len += len;
	r->resp[r->resp_len] = '\0';
	return len;
}

static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
	struct kiosk_http_req *r = arg;
	size_t len = size * n;
	char line[160];
	snprintf(line, sizeof line, "%.*s", (int)(len < sizeof line - 1 ? len : sizeof line - 1), p);
	line[strcspn(line, "\r\n")] = '\0';
	if (strncasecmp(line, "Date:", 5) == 0) {
		time_t t = curl_getdate(line + 5, NULL);
		r->date_s = t > 0 ? (int64_t)t : 0;
	} else if (strncasecmp(line, "Retry-After:", 12) == 0) {
		char *end;
		long v = strtol(line + 12, &end, 10);
		if (end != line + 12 && v >= 0)
			r->retry_after_s = v;
		else { /* an HTTP date */
			time_t t = curl_getdate(line + 12, NULL);
			if (t > 0)
				r->retry_after_s = (long)(t - time(NULL) > 0 ? t - time(NULL) : 0);
		}
	}
	return len;
}

int kiosk_http_new(struct kiosk_loop *loop, const struct kiosk_http_opts *o,
		   struct kiosk_http **out)
{
	*out = NULL;
	if (o->secret_len > KIOSK_SECRET_MAX)
		return KIOSK_EINVAL;
	static bool global;
	if (!global) { /* once per process; the core thread is the only user */
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			return KIOSK_EIO;
		global = true;
	}
	struct kiosk_http *h = kiosk_calloc(1, sizeof *h);
	if (!h)
		return KIOSK_ENOMEM;
	h->loop = loop;
	snprintf(h->base, sizeof h->base, "%s", o->base_url);
	size_t bl = strlen(h->base);
	while (bl && h->base[bl - 1] == '/')
		h->base[--bl] = '\0';
	snprintf(h->ca, sizeof h->ca, "%s", o->ca_file ? o->ca_file : "");
	snprintf(h->pin, sizeof h->pin, "%s", o->pinned_key ? o->pinned_key : "");
	snprintf(h->device, sizeof h->device, "%s", o->device_id);
	memcpy(h->secret, o->secret, o->secret_len);
	h->slen = o->secret_len;
	h->connect_ms = o->connect_timeout_ms > 0 ? o->connect_timeout_ms : 5000;
	h->total_ms = o->total_timeout_ms > 0 ? o->total_timeout_ms : 30000;
	h->offset = o->clock_offset_s;
	h->multi = curl_multi_init();
	if (!h->multi) {
		kiosk_free(h);
		return KIOSK_ENOMEM;
	}
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, sock_cb);
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
	curl_multi_setopt(h->multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
	curl_multi_setopt(h->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 4L);
	*out = h;
	return KIOSK_OK;
}

void kiosk_http_free(struct kiosk_http *h)
{
	if (!h)
		return;
	/* Abort what is in flight; their done does not run. */
	for (int i = 0; i < KIOSK_HTTP_MAX_INFLIGHT; i++) {
		struct kiosk_http_req *r = h->inflight[i];
		if (!r)
			continue;
		curl_multi_remove_handle(h->multi, r->easy);
		curl_easy_cleanup(r->easy);
		curl_slist_free_all(r->hdrs);
		r->easy = r->hdrs = NULL;
	}
	if (h->timer)
		kiosk_loop_del_timer(h->loop, h->timer);
	curl_multi_cleanup(h->multi);
	kiosk_cleanse(h->secret, sizeof h->secret);
	kiosk_free(h);
}

void kiosk_http_req_reset(struct kiosk_http_req *r)
{
	kiosk_free(r->resp);
	r->resp = NULL;
	r->resp_len = 0;
	r->status = 0;
	r->too_big = false;
	r->err = KIOSK_OK;
	r->err_text[0] = '\0';
	r->date_s = 0;
	r->retry_after_s = -1;
}

int kiosk_http_busy(const struct kiosk_http *h)
{
	int n = 0;
	for (int i = 0; h && i < KIOSK_HTTP_MAX_INFLIGHT; i++)
		n += h->inflight[i] != NULL;
	return n;
}

int kiosk_http_start(struct kiosk_http *h, struct kiosk_http_req *r)
{
	int slot = -1;
	for (int i = 0; i < KIOSK_HTTP_MAX_INFLIGHT && slot < 0; i++)
		if (!h->inflight[i])
			slot = i;
	if (slot < 0)
		return KIOSK_EBUSY;
	kiosk_http_req_reset(r);
	char url[1600], hdr[160], sig[KIOSK_SIG_LEN];
	snprintf(url, sizeof url, "%s%s", h->base, r->path);
	long long ts = (long long)(kiosk_now_ms() / 1000 + (h->offset ? *h->offset : 0));
	if (kiosk_sign(h->secret, h->slen, r->method, r->path, ts, r->body, r->body ? r->len : 0,
		       sig) != KIOSK_OK)
		return KIOSK_EINVAL;
	CURL *e = curl_easy_init();
	if (!e)
		return KIOSK_ENOMEM;
	struct curl_slist *hd = NULL;
	snprintf(hdr, sizeof hdr, "X-Kiosk-Device: %s", h->device);
	hd = curl_slist_append(hd, hdr);
	snprintf(hdr, sizeof hdr, "X-Kiosk-Timestamp: %lld", ts);
	hd = curl_slist_append(hd, hdr);
	snprintf(hdr, sizeof hdr, "X-Kiosk-Signature: %s", sig);
	hd = curl_slist_append(hd, hdr);
	if (r->idempotency_key[0]) {
		snprintf(hdr, sizeof hdr, "Idempotency-Key: %s", r->idempotency_key);
		hd = curl_slist_append(hd, hdr);
	}
	if (r->body)
		hd = curl_slist_append(hd, "Content-Type: application/json");
	hd = curl_slist_append(hd, "Expect:"); /* no 100-continue round trip */
	if (!hd) {
		curl_easy_cleanup(e);
		return KIOSK_ENOMEM;
	}
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, hd);
	curl_easy_setopt(e, CURLOPT_PRIVATE, r);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, h->connect_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, h->total_ms);
	/* a link that trickles (under 100 B/s for 15 s) is as good as down */
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 100L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, 15L);
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https,http");
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (h->ca[0])
		curl_easy_setopt(e, CURLOPT_CAINFO, h->ca);
	if (h->pin[0])
		curl_easy_setopt(e, CURLOPT_PINNEDPUBLICKEY, h->pin);
	if (strcmp(r->method, "POST") == 0) {
		curl_easy_setopt(e, CURLOPT_POST, 1L);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->body ? r->body : "");
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(r->body ? r->len : 0));
	}
	r->easy = e;
	r->hdrs = hd;
	r->h = h;
	if (curl_multi_add_handle(h->multi, e) != CURLM_OK) {
		curl_slist_free_all(hd);
		curl_easy_cleanup(e);
		r->easy = r->hdrs = NULL;
		return KIOSK_EIO;
	}
	h->inflight[slot] = r;
	return KIOSK_OK;
}
