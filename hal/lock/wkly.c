/* 24-channel "WKLY" boards (PROTOCOLS.md §2): RS485 9600 8N1, replies carry the door
 * state, and the board pushes door changes unasked (85), which are kept for poll_event. */
#include "hal/lock/frames.h"
#include "hal/lock/xfer.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#define REPLY_MS 300
#define TRIES 3
#define QUEUE 32

struct wkly {
	struct lock_bus bus;
	struct lock_proto proto;
	struct hal_lock_event q[QUEUE]; /* pushed door changes not yet taken */
	int qhead, qlen;
};

static int wk_dec(const uint8_t *b, size_t n, void *f, size_t *used)
{
	return wk_decode(b, n, f, used);
}

/* The reply to a request: same board, same command, and for a one-channel command the
 * same channel — where the manual puts it (ST CH DOOR), or first in a board variant's
 * shorter query-one reply (CH DOOR, 10 bytes). Anything else (a late reply to an earlier
 * request) is not it. */
static int wk_match(const void *frame, const void *want)
{
	const struct wk_frame *f = frame, *w = want;
	if (f->cmd != w->cmd || f->addr != w->addr)
		return 0;
	if (w->ndata == 0)
		return 1;
	if (f->ndata >= 3)
		return f->data[1] == w->data[0];
	return f->cmd == WK_QUERY && f->ndata == 2 && f->data[0] == w->data[0];
}

static void wk_other(void *arg, const void *frame)
{
	struct wkly *w = arg;
	const struct wk_frame *f = frame;
	if (f->cmd != WK_PUSH || f->ndata != 2 || f->data[0] < 1 || f->data[0] > 24)
		return;
	if (w->qlen == QUEUE) { /* oldest dropped: the next status read corrects it */
		w->qhead = (w->qhead + 1) % QUEUE;
		w->qlen--;
	}
	w->q[(w->qhead + w->qlen++) % QUEUE] =
		(struct hal_lock_event){f->addr, f->data[0], f->data[1] == 0x01};
}

static int wk_open(void *priv, struct hal_serial *port, struct hal_lock_stats *stats)
{
	struct wkly *w = priv;
	w->bus.port = port;
	w->bus.stats = stats;
	w->proto = (struct lock_proto){wk_dec, sizeof(struct wk_frame), wk_match, wk_other, w};
	return KIOSK_OK;
}

/* tries: reads are repeated freely; an OPEN is sent once per call (see wk_unlock). */
static int request(struct wkly *w, int board, uint8_t cmd, const uint8_t *data, int n,
		   struct wk_frame *reply, int tries)
{
	struct wk_frame f = {.addr = (uint8_t)board, .cmd = cmd, .ndata = n};
	if (n)
		memcpy(f.data, data, (size_t)n);
	uint8_t tx[64];
	size_t len = wk_encode(&f, tx, sizeof tx);
	struct wk_frame want = {.addr = (uint8_t)board, .cmd = cmd, .ndata = n ? 1 : 0};
	if (n)
		want.data[0] = data[0];
	return lock_request(&w->bus, &w->proto, tx, len, &want, reply, REPLY_MS, tries);
}

static int wk_status(void *priv, int board, struct hal_lock_status *out)
{
	struct wk_frame r;
	int rc = request(priv, board, WK_QUERY_ALL, NULL, 0, &r, TRIES);
	if (rc)
		return rc;
	if (r.ndata != 26 || r.data[1] != 24)
		return KIOSK_EPROTO;
	memset(out, 0, sizeof *out);
	out->nlocks = 24;
	for (int i = 0; i < 24; i++)
		out->closed[i] = r.data[2 + i] == 0x01;
	return KIOSK_OK;
}

/* Is the door open? Asked with query-one; a reply that is not the manual's (ST 00, the
 * channel, DOOR) — a variant's 10-byte CH DOOR, or anything else — is confirmed with
 * query-all before anything is concluded from it. */
static int door_open(struct wkly *w, int board, uint8_t ch, bool *open)
{
	struct wk_frame r;
	int rc = request(w, board, WK_QUERY, &ch, 1, &r, TRIES);
	if (rc == KIOSK_OK && r.ndata == 3 && r.data[0] == 0x00 && r.data[1] == ch) {
		*open = r.data[2] == 0x00;
		return KIOSK_OK;
	}
	if (rc != KIOSK_OK && rc != KIOSK_EPROTO)
		return rc; /* the board is silent: unknown */
	KLOG_INFO("lock", "event=query_one_unexpected board=%d lock=%d rc=%d ndata=%d "
		  "action=query_all", board, ch, rc, rc == KIOSK_OK ? r.ndata : -1);
	struct hal_lock_status st;
	rc = wk_status(w, board, &st);
	if (rc == KIOSK_OK)
		*open = !st.closed[ch - 1];
	return rc;
}

/* An OPEN is never repeated blindly: a board that opened the door but whose reply was
 * lost (or late) would pulse it again, and a reply that never came says nothing about the
 * door. After a missing reply the door is read (a read may be repeated); only a door that
 * reads closed gets a second OPEN, once. */
static int wk_unlock(void *priv, int board, int lock)
{
	struct wk_frame r;
	uint8_t ch = (uint8_t)lock;
	struct wkly *w = priv;
	for (int attempt = 0; attempt < 2; attempt++) {
		int rc = request(w, board, WK_OPEN, &ch, 1, &r, 1);
		if (attempt == 0)
			w->bus.stats->unlock_tx_us = w->bus.stats->tx_done_us;
		if (rc == KIOSK_OK && r.ndata == 3 && r.data[0] == 0x00 && r.data[2] == 0x00)
			return KIOSK_OK;
		if (rc != KIOSK_OK && rc != KIOSK_ETIMEDOUT && rc != KIOSK_EPROTO)
			return rc;
		bool answered = rc == KIOSK_OK;
		if (answered)
			usleep(100000); /* "failed" or "still closed": the latch may need a moment */
		bool open = false;
		int q = door_open(w, board, ch, &open);
		if (q)
			return q; /* the board is silent: unknown, and no second frame */
		if (open)
			return KIOSK_OK; /* it opened; its reply was lost or late */
		if (answered) { /* the board said it tried, and the door reads shut: jammed */
			KLOG_WARN("lock", "event=door_jammed board=%d lock=%d status=0x%02X", board,
				  lock, r.ndata ? r.data[0] : 0);
			return KIOSK_EDEVICE;
		}
		KLOG_WARN("lock", "event=open_unanswered_door_closed board=%d lock=%d attempt=%d",
			  board, lock, attempt + 1);
	}
	return KIOSK_EDEVICE;
}

static int wk_unlock_all(void *priv, int board)
{
	struct wk_frame r;
	int rc = request(priv, board, WK_OPEN_ALL, NULL, 0, &r, 1);
	if (rc)
		return rc;
	return r.ndata >= 1 && r.data[0] == 0x00 ? KIOSK_OK : KIOSK_EDEVICE;
}

static int wk_poll_event(void *priv, struct hal_lock_event *ev, int timeout_ms)
{
	struct wkly *w = priv;
	if (!w->qlen) {
		int rc = lock_listen(&w->bus, &w->proto, timeout_ms);
		if (rc)
			return rc;
	}
	if (!w->qlen)
		return 0;
	*ev = w->q[w->qhead];
	w->qhead = (w->qhead + 1) % QUEUE;
	w->qlen--;
	return 1;
}

const struct hal_lock_driver hal_lock_wkly = {
	.name = "wkly-24",
	.desc = "24-channel WKLY style lock board, RS485 9600 8N1, pushes door changes",
	.priv_size = sizeof(struct wkly),
	.baud = 9600,
	.max_boards = 32,
	.locks_per_board = 24,
	.open = wk_open,
	.status = wk_status,
	.unlock = wk_unlock,
	.unlock_all = wk_unlock_all,
	.poll_event = wk_poll_event,
};
