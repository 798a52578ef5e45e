/* Calls a resident waits on (a QR payment, a booking code), beside the sync steps and
 * never behind them: each its own request on the same connection pool, signed, retried
 * once after a 401 with the server's clock, answered on the loop. */
#include "kiosk/sync/sync_int.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <string.h>

#define NCALLS 4

struct call {
	bool used, resigned;
	struct kiosk_http_req req;
	char *body;
	kiosk_sync_call_fn done;
	void *arg;
	char tag[KIOSK_SYNC_TAG];
	struct kiosk_sync *s;
};

struct kiosk_sync_calls {
	struct call c[NCALLS];
};

static void release(struct call *k)
{
	kiosk_http_req_reset(&k->req);
	kiosk_free(k->body);
	memset(k, 0, sizeof *k);
}

static void on_done(struct kiosk_http_req *r, void *arg)
{
	struct call *k = arg;
	if (r->status == 401 && !k->resigned) {
		k->resigned = true;
		if (kiosk_sync_learn_clock(k->s, r->date_s)) {
			kiosk_http_req_reset(r);
			if (kiosk_http_start(kiosk_sync_http(k->s), r) == KIOSK_OK)
				return;
		}
	}
	/* An answer that is not "busy, later" shows the platform is there. */
	if (r->status >= 200 && r->status < 500 && r->status != 408 && r->status != 429)
		kiosk_sync_answered(k->s);
	struct call copy = *k; /* done may start another call in this slot */
	k->used = false;
	copy.done(copy.arg, copy.tag, r->status, r->too_big ? NULL : r->resp,
		  r->too_big ? 0 : r->resp_len);
	kiosk_http_req_reset(&copy.req);
	kiosk_free(copy.body);
	if (!k->used)
		memset(k, 0, sizeof *k);
}

int kiosk_sync_call(struct kiosk_sync *s, const char *method, const char *path,
		    const char *body, const char *tag, kiosk_sync_call_fn done, void *arg)
{
	if (!s)
		return KIOSK_ENOTSUP;
	if (!done || strlen(path) >= sizeof ((struct kiosk_http_req *)0)->path ||
	    strlen(tag) >= KIOSK_SYNC_TAG)
		return KIOSK_EINVAL;
	struct kiosk_sync_calls **calls = kiosk_sync_calls_slot(s);
	if (!*calls && !(*calls = kiosk_calloc(1, sizeof **calls)))
		return KIOSK_ENOMEM;
	struct call *k = NULL;
	for (int i = 0; i < NCALLS && !k; i++)
		if (!(*calls)->c[i].used)
			k = &(*calls)->c[i];
	if (!k)
		return KIOSK_EBUSY;
	memset(k, 0, sizeof *k);
	if (body && !(k->body = kiosk_strdup(body)))
		return KIOSK_ENOMEM;
	k->used = true;
	k->s = s;
	k->done = done;
	k->arg = arg;
	snprintf(k->tag, sizeof k->tag, "%s", tag);
	k->req.method = method;
	snprintf(k->req.path, sizeof k->req.path, "%s", path);
	k->req.body = k->body;
	k->req.len = k->body ? strlen(k->body) : 0;
	k->req.retry_after_s = -1;
	k->req.done = on_done;
	k->req.arg = k;
	int rc = kiosk_http_start(kiosk_sync_http(s), &k->req);
	if (rc) {
		KLOG_WARN("sync", "event=call_not_started path=%s err=%s", path, kiosk_errname(rc));
		release(k);
	}
	return rc;
}

void kiosk_sync_calls_free(struct kiosk_sync_calls *calls)
{
	if (!calls)
		return;
	for (int i = 0; i < NCALLS; i++)
		if (calls->c[i].used)
			release(&calls->c[i]);
	kiosk_free(calls);
}
