/* Kerong KR-CU16 style boards (PROTOCOLS.md §1): RS485 19200 8N1, 16 locks a board.
 * Unlock is not reliably answered, so an unlock is confirmed by reading the door open. */
#include "hal/lock/frames.h"
#include "hal/lock/xfer.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <string.h>
#include <unistd.h>

#define REPLY_MS 150
#define TRIES 3

struct kerong {
	struct lock_bus bus;
};

static int kr_dec(const uint8_t *b, size_t n, void *f, size_t *used)
{
	return kr_decode(b, n, f, used);
}

static int kr_match(const void *frame, const void *want)
{
	const struct kr_frame *f = frame, *w = want;
	return f->cmd == KR_STATUS && f->addr == w->addr;
}

static const struct lock_proto proto = {kr_dec, sizeof(struct kr_frame), kr_match, NULL, NULL};

static int kr_open(void *priv, struct hal_serial *port, struct hal_lock_stats *stats)
{
	struct kerong *k = priv;
	k->bus.port = port;
	k->bus.stats = stats;
	return KIOSK_OK;
}

static int send(struct kerong *k, uint8_t addr, uint8_t cmd, struct kr_frame *reply)
{
	struct kr_frame f = {.addr = addr, .cmd = cmd}, want = {.addr = (uint8_t)(addr & 0xF0)};
	uint8_t tx[9];
	size_t n = kr_encode(&f, tx, sizeof tx);
	return lock_request(&k->bus, &proto, tx, n, reply ? &want : NULL, reply, REPLY_MS, TRIES);
}

static int kr_status(void *priv, int board, struct hal_lock_status *out)
{
	struct kr_frame r;
	int rc = send(priv, (uint8_t)(board << 4), KR_QUERY, &r);
	if (rc)
		return rc;
	memset(out, 0, sizeof *out);
	out->nlocks = 16;
	out->has_item_sensor = true;
	/* bit n of L1 = lock n+1, of L2 = lock n+9; 1 = closed / item present */
	for (int i = 0; i < 16; i++) {
		out->closed[i] = (r.data[i / 8] >> (i % 8)) & 1;
		out->item[i] = (r.data[2 + i / 8] >> (i % 8)) & 1;
	}
	return KIOSK_OK;
}

/* Pulse, then read the door: open within 3 reads over ~1 s, else pulse once more, then
 * call it jammed (our rule, PROTOCOLS.md §1). */
static int kr_unlock(void *priv, int board, int lock)
{
	struct kerong *k = priv;
	struct hal_lock_status st;
	for (int pulse = 0; pulse < 2; pulse++) {
		int rc = send(k, (uint8_t)(board << 4 | (lock - 1)), KR_UNLOCK, NULL);
		if (rc)
			return rc;
		if (pulse == 0)
			k->bus.stats->unlock_tx_us = k->bus.stats->tx_done_us;
		for (int read = 0; read < 3; read++) {
			usleep(read == 0 ? 30000 : 300000);
			rc = kr_status(k, board, &st);
			if (rc)
				return rc;
			if (!st.closed[lock - 1])
				return KIOSK_OK;
		}
		KLOG_WARN("lock", "event=still_closed board=%d lock=%d pulse=%d", board, lock,
			  pulse + 1);
	}
	return KIOSK_EDEVICE;
}

static int kr_unlock_all(void *priv, int board)
{
	return send(priv, (uint8_t)(board << 4), KR_UNLOCK_ALL, NULL);
}

const struct hal_lock_driver hal_lock_kerong = {
	.name = "kerong-cu16",
	.desc = "Kerong KR-CU16 style lock board, RS485 19200 8N1, 16 locks",
	.priv_size = sizeof(struct kerong),
	.baud = 19200,
	.max_boards = 16,
	.locks_per_board = 16,
	.open = kr_open,
	.status = kr_status,
	.unlock = kr_unlock,
	.unlock_all = kr_unlock_all,
};
