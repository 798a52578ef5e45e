/* libFuzzer: bytes from a lock bus (either protocol) never crash a decoder, and every
 * answer consumes a sane number of bytes, so the driver's read loop always progresses. */
#include "hal/lock/frames.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (int proto = 0; proto < 2; proto++) {
		const uint8_t *p = data;
		size_t left = size;
		while (left) {
			struct kr_frame k;
			struct wk_frame w;
			size_t used = 0;
			int d = proto ? wk_decode(p, left, &w, &used) : kr_decode(p, left, &k, &used);
			if (d == HAL_FRAME_NEED)
				break;
			if (used == 0 || used > left)
				abort(); /* no progress, or past the end */
			if (d == HAL_FRAME_OK && proto && (w.ndata < 0 || w.ndata > WK_MAX_DATA))
				abort();
			p += used;
			left -= used;
		}
	}
	return 0;
}
