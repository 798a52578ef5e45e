/* libFuzzer: bytes from an MDB link never crash its readers. The same input is read as a
 * uart9 PARMRK stream (the words then read as answers, as a master would, resuming after
 * each) and as adapter lines; every reader progresses and stays within its buffers, a
 * data answer's checksum holds, and a refused line keeps nothing. */
#include "hal/mdb/mdb_frames.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
	return 0;
}
