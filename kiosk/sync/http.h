/* HTTP to the platform on the core loop: libcurl's multi interface driven by the loop's
 * fds and timers (socket and timer callbacks), so a slow or silent server never holds the
 * thread that opens doors. One connection pool for every request (reused, HTTP/2 when
 * the server offers it); TLS verified against the configured CA file (the system store
 * when empty) and an optional pinned public key; plain HTTP only to loopback. Every
 * request is signed (kiosk/sync/sign.h) when it starts. */
#ifndef KIOSK_SYNC_HTTP_H
#define KIOSK_SYNC_HTTP_H

#include "kiosk/loop.h"
#include "kiosk/sync/sign.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kiosk_http; /* opaque */

struct kiosk_http_opts {
	const char *base_url;   /* "https://platform.example" (no trailing path) */
	const char *ca_file;    /* "" = the system store */
	const char *pinned_key; /* "" = none; else as CURLOPT_PINNEDPUBLICKEY */
	const char *device_id;
	const uint8_t *secret;  /* copied */
	size_t secret_len;
	long connect_timeout_ms, total_timeout_ms;
	/* the server clock's offset from ours in seconds (learned on a 401), added to the
	 * signature's timestamp; read when a request starts */
	const int64_t *clock_offset_s;
};

/* One request. The caller owns it (and body) until done runs; done runs on the loop
 * thread, once, after the transfer ended (status 0: no HTTP answer, err says why). */
struct kiosk_http_req {
	const char *method; /* "GET" or "POST" */
	char path[1024];    /* with query: "/v1/changes?since=…" (a cursor escaped: ≤ 3×255) */
	const char *body;   /* NULL for GET */
	size_t len;
	char idempotency_key[96]; /* "" = none */
	void (*done)(struct kiosk_http_req *r, void *arg);
	void *arg;
	/* the outcome */
	long status;
	char *resp; /* owned by the request until kiosk_http_req_reset(); NUL-terminated */
	size_t resp_len;
	bool too_big;        /* the answer passed the response limit: cut off, not used */
	int err;             /* KIOSK_OK, or why there is no answer (ETIMEDOUT, EIO, EDENIED: TLS) */
	char err_text[128];  /* libcurl's words for it */
	int64_t date_s;      /* the Date header, 0 if none */
	long retry_after_s;  /* Retry-After (seconds), -1 if none */
	/* private */
	void *easy, *hdrs;
	struct kiosk_http *h;
};

int kiosk_http_new(struct kiosk_loop *loop, const struct kiosk_http_opts *o,
		   struct kiosk_http **out);
/* Aborts every request in flight (their done does not run) and frees. */
void kiosk_http_free(struct kiosk_http *h);
/* Starts r; KIOSK_OK or an error (then done will not run). */
int kiosk_http_start(struct kiosk_http *h, struct kiosk_http_req *r);
/* Frees what r's outcome holds, so r can be reused. */
void kiosk_http_req_reset(struct kiosk_http_req *r);
/* Requests in flight. */
int kiosk_http_busy(const struct kiosk_http *h);

#endif
