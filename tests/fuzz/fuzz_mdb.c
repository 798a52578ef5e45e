/* libFuzzer: bytes from an MDB link never crash its readers. The same input is read as a
 * uart9 PARMRK stream (the words then read as answers, as a master would, resuming after
 * each) and as adapter lines; every reader progresses and stays within its buffers, a
 * data answer's checksum holds, and a refused line keeps nothing. The bytes are also read
 * as the changer's and validator's answers (setup, tubes, polls), and the change the
 * tubes they describe would pay is checked to add up. */
#include "hal/mdb/mdb_cash.h"
#include "hal/mdb/mdb_frames.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void cash(const uint8_t *data, size_t size)
{
	struct mdb_changer_setup cs;
	struct mdb_tubes tb;
	struct mdb_bill_setup bs;
	struct mdb_coin_event ce[8];
	struct mdb_bill_event be[8];
	size_t n = 0;
	mdb_bill_setup_parse(data, size, &bs);
	if (mdb_coin_poll_parse(data, size, ce, 8, &n) && n > 8)
		abort();
	if (mdb_bill_poll_parse(data, size, be, 8, &n) && n > 8)
		abort();
	if (!mdb_changer_setup_parse(data, size, &cs) || size < 9 ||
	    !mdb_tubes_parse(data + 7, size - 7 > 18 ? 18 : size - 7, &tb))
		return;
	/* the change for an amount the first two bytes name, from those tubes */
	int amount = (data[7] << 8 | data[8]) % (MDB_CHANGE_MAX + 1);
	uint8_t pay[MDB_COIN_TYPES];
	if (!mdb_change_plan(cs.credit, tb.count, amount, pay))
		return;
	int sum = 0;
	for (int t = 0; t < MDB_COIN_TYPES; t++) {
		if (pay[t] > tb.count[t] || (pay[t] && !cs.credit[t]))
			abort();
		sum += pay[t] * cs.credit[t];
	}
	if (sum != amount)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mdb_word w[256];
	size_t used = 0, nw = mdb_unmark(data, size, w, 256, &used);
	if (used > size || nw > 256)
		abort();
	for (size_t at = 0; at < nw;) {
		uint8_t d[MDB_MAX_BLOCK];
		size_t nd, u;
		enum mdb_answer a = mdb_answer(w + at, nw - at, d, &nd, &u);
		if (a == MDB_ANSWER_NEED)
			break;
		if (u == 0 || u > nw - at || nd > MDB_MAX_BLOCK)
			abort();
		if (a == MDB_ANSWER_DATA && mdb_chk(d, nd) != (uint8_t)w[at + nd])
			abort();
		at += u;
	}
	const char *p = (const char *)data, *end = p + size;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		struct mdb_reply r;
		const char *why = NULL;
		bool ok = mdb_adapter_parse(p, len, &r, &why);
		if (!why || r.ndata > MDB_MAX_BLOCK || (!ok && (r.ndata || !why[0])))
			abort();
		p += len;
	}
	cash(data, size);
	return 0;
}
