#include "hal/mdb/mdb_uart9.h"
#include "hal/serial.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"

#include <string.h>

/* 11 bits a byte (start, 8, the 9th, stop) at 9600: about 1.15 ms; the first byte of an
 * answer is due MDB_ANSWER_MS after the request's last left, the next within the same. */
#define BYTE_US 1146
#define SLACK_MS 10

static int wait_ms(size_t bytes)
{
	return (int)(bytes * BYTE_US / 1000) + MDB_ANSWER_MS + SLACK_MS;
}

int mdb_uart9_exchange(const struct mdb_uart9_port *p, const uint8_t *b, size_t n,
		       struct mdb_reply *r)
{
	mdb_word req[MDB_MAX_BLOCK + 1];
	size_t nreq = mdb_request(b, n, req, MDB_MAX_BLOCK + 1);
	memset(r, 0, sizeof *r);
	if (!nreq)
		return KIOSK_EINVAL;
	const mdb_word *out = req;
	size_t nout = nreq;
	const mdb_word ack = MDB_ACK, ret = MDB_RET;
	for (int attempt = 0;; attempt++) {
		int rc = p->send(p->arg, out, nout);
		if (rc)
			return rc;
		uint8_t raw[2 * (MDB_MAX_BLOCK + 1) * 3];
		size_t nraw = 0;
		int budget = wait_ms(nout);
		for (;;) {
			int got = p->read(p->arg, raw + nraw, sizeof raw - nraw, budget);
			if (got == KIOSK_ETIMEDOUT) {
				r->kind = MDB_REPLY_TIMEOUT; /* nothing, or an answer cut short */
				return KIOSK_OK;
			}
			if (got < 0)
				return got;
			nraw += (size_t)got;
			budget = wait_ms(1);
			mdb_word w[2 * (MDB_MAX_BLOCK + 1)];
			size_t used = 0, nw = mdb_unmark(raw, nraw, w, sizeof w / sizeof w[0], &used);
			size_t nd = 0, u = 0;
			enum mdb_answer a = mdb_answer(w, nw, r->data, &nd, &u);
			if (a == MDB_ANSWER_NEED && nraw < sizeof raw)
				continue;
			if (a == MDB_ANSWER_ACK || a == MDB_ANSWER_NAK) {
				r->kind = a == MDB_ANSWER_ACK ? MDB_REPLY_ACK : MDB_REPLY_NACK;
				return KIOSK_OK;
			}
			if (a == MDB_ANSWER_DATA) {
				r->kind = MDB_REPLY_DATA;
				r->ndata = nd;
				return p->send(p->arg, &ack, 1); /* taken */
			}
			break; /* bad (or too long): ask again */
		}
		if (attempt == MDB_RETRIES) {
			r->kind = MDB_REPLY_ERR;
			r->ndata = 0;
			return KIOSK_OK;
		}
		out = &ret; /* RET: the peripheral says its answer again */
		nout = 1;
	}
}

struct mdb_uart9 {
	struct hal_serial *s;
	int mark; /* the parity set now: −1 not yet */
};

static int port_send(void *arg, const mdb_word *w, size_t n)
{
	struct mdb_uart9 *u = arg;
	for (size_t i = 0; i < n; i++) {
		int mark = (w[i] & MDB_MODE) != 0;
		if (mark != u->mark) {
			int rc = hal_serial_stick_parity(u->s, mark);
			if (rc)
				return rc;
			u->mark = mark;
		}
		uint8_t byte = (uint8_t)w[i];
		int rc = hal_serial_write(u->s, &byte, 1);
		if (rc)
			return rc;
	}
	return KIOSK_OK;
}

static int port_read(void *arg, uint8_t *buf, size_t cap, int timeout_ms)
{
	return hal_serial_read(((struct mdb_uart9 *)arg)->s, buf, cap, timeout_ms);
}

int mdb_uart9_open(const char *path, struct mdb_uart9 **out)
{
	*out = NULL;
	struct mdb_uart9 *u = kiosk_calloc(1, sizeof *u);
	if (!u)
		return KIOSK_ENOMEM;
	int rc = hal_serial_open(path, MDB_UART9_BAUD, &u->s);
	if (rc == KIOSK_OK)
		rc = hal_serial_stick_parity(u->s, false);
	if (rc) {
		mdb_uart9_close(u);
		return rc;
	}
	*out = u;
	return KIOSK_OK;
}

void mdb_uart9_close(struct mdb_uart9 *u)
{
	if (!u)
		return;
	hal_serial_close(u->s);
	kiosk_free(u);
}

int mdb_uart9_call(struct mdb_uart9 *u, const uint8_t *b, size_t n, struct mdb_reply *r)
{
	struct mdb_uart9_port p = {port_send, port_read, u};
	hal_serial_flush(u->s); /* a late answer must not answer this request */
	return mdb_uart9_exchange(&p, b, n, r);
}

int mdb_uart9_bus_reset(struct mdb_uart9 *u)
{
	return hal_serial_break(u->s);
}
