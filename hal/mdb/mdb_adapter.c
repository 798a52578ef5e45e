#include "hal/mdb/mdb_adapter.h"
#include "hal/base/alloc.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"

#include <string.h>

#define ANSWER_MS 500

struct mdb_adapter {
	struct hal_serial *s;
	char line[160];
	size_t n;
};

/* Sends a line and reads the answer line into *r. */
static int exchange(struct mdb_adapter *a, const char *req, size_t len, struct mdb_reply *r)
{
	hal_serial_flush(a->s); /* a late answer must not answer this request */
	a->n = 0;
	int rc = hal_serial_write(a->s, req, len);
	if (rc)
		return rc;
	int64_t until = kiosk_mono_ms() + ANSWER_MS;
	for (;;) {
		int left = (int)(until - kiosk_mono_ms());
		if (left <= 0)
			return KIOSK_ETIMEDOUT;
		uint8_t c;
		int got = hal_serial_read(a->s, &c, 1, left);
		if (got == KIOSK_ETIMEDOUT)
			return KIOSK_ETIMEDOUT;
		if (got < 0)
			return got;
		if (a->n == sizeof a->line)
			return KIOSK_EPROTO; /* no line is this long */
		a->line[a->n++] = (char)c;
		if (c == '\n') {
			const char *why;
			return mdb_adapter_parse(a->line, a->n, r, &why) ? KIOSK_OK : KIOSK_EPROTO;
		}
	}
}

int mdb_adapter_open(const char *path, struct mdb_adapter **out)
{
	*out = NULL;
	struct mdb_adapter *a = kiosk_calloc(1, sizeof *a);
	if (!a)
		return KIOSK_ENOMEM;
	int rc = hal_serial_open(path, MDB_ADAPTER_BAUD, &a->s);
	struct mdb_reply r;
	if (rc == KIOSK_OK)
		rc = exchange(a, "M,1\n", 4, &r);
	if (rc == KIOSK_OK && r.kind != MDB_REPLY_ACK)
		rc = KIOSK_EPROTO;
	if (rc) {
		mdb_adapter_close(a);
		return rc;
	}
	*out = a;
	return KIOSK_OK;
}

void mdb_adapter_close(struct mdb_adapter *a)
{
	if (!a)
		return;
	hal_serial_close(a->s);
	kiosk_free(a);
}

int mdb_adapter_call(struct mdb_adapter *a, const uint8_t *b, size_t n, struct mdb_reply *r)
{
	char line[2 + 2 * MDB_MAX_BLOCK + 2];
	size_t len = mdb_adapter_request(b, n, line, sizeof line);
	return len ? exchange(a, line, len, r) : KIOSK_EINVAL;
}

int mdb_adapter_bus_reset(struct mdb_adapter *a)
{
	char line[16];
	struct mdb_reply r;
	size_t len = mdb_adapter_reset(line, sizeof line);
	int rc = exchange(a, line, len, &r);
	return rc ? rc : r.kind == MDB_REPLY_ACK ? KIOSK_OK : KIOSK_EPROTO;
}
