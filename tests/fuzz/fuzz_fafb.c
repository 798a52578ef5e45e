/* libFuzzer: bytes from the vending drive board never crash the fafb decoder; every answer
 * consumes a sane number of bytes (the driver's read loop always progresses); a frame
 * decoded encodes back to the very bytes it came from; the report readers never read past
 * a frame's text. */
#include "hal/vend/fafb_frames.h"
#include "hal/vend/fafb_host.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data;
	size_t left = size;
	while (left) {
		struct fafb_frame f;
		size_t used = 0;
		int d = fafb_decode(p, left, &f, &used);
		if (d == HAL_FRAME_NEED)
			break;
		if (used == 0 || used > left)
			abort(); /* no progress, or past the end */
		if (d == HAL_FRAME_OK) {
			uint8_t again[4 + 1 + FAFB_MAX_TEXT + 1];
			size_t n = fafb_encode(&f, again, sizeof again);
			if (n != used || memcmp(again, p, n) != 0)
				abort();
			uint8_t st, mode;
			uint16_t slot;
			uint32_t fen;
			struct fafb_machine m;
			char words[32];
			if (fafb_dispense_report(&f, &st, &slot) && !fafb_dispense_words(st, words, sizeof words))
				abort();
			(void)fafb_check_reply(&f, &st, &slot);
			uint8_t last;
			if (fafb_check_last(&f, &last) && f.cmd != FAFB_CHECK_REPLY)
				abort(); /* only a check reply carries the drop sensor's record */
			(void)fafb_money(&f, &mode, &fen);
			(void)fafb_machine_status(&f, &m);
		}
		p += used;
		left -= used;
	}
	/* the host engine over the same bytes: every event leaves it sane, and every POLL is
	 * answered with a frame */
	struct fafb_host h;
	fafb_host_init(&h);
	struct fafb_frame next = fafb_drive(0, 1, true, false);
	for (size_t at = 0; at < size;) {
		at += fafb_host_feed(&h, data + at, size - at);
		for (;;) {
			struct fafb_event ev = fafb_host_next(&h);
			if (ev.kind == FAFB_EV_NONE)
				break;
			if (h.nrx > FAFB_RX_MAX || h.pack == 0 || ev.nreply > sizeof ev.reply)
				abort();
			if (ev.kind == FAFB_EV_POLL) {
				uint8_t out[300];
				bool took, gave_up;
				if (!fafb_host_answer(&h, &next, out, sizeof out, &took, &gave_up))
					abort();
			}
		}
	}
	return 0;
}
