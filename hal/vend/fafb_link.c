#include "hal/vend/fafb_link.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"

int fafb_serve_one(struct hal_serial *s, const struct fafb_frame *cmd, int first_poll_ms,
		   int total_ms, fafb_report_fn on_report, void *arg)
{
	struct fafb_host h;
	fafb_host_init(&h);
	struct fafb_frame hello = fafb_status(0);
	const struct fafb_frame *queue[2] = {&hello, cmd};
	int queued = 0; /* of queue, taken so far */
	int64_t start = kiosk_mono_ms();
	bool polled = false, acked = false, done = false;
	for (;;) {
		int64_t now = kiosk_mono_ms();
		if (!polled && now - start >= first_poll_ms)
			return KIOSK_ETIMEDOUT;
		if (now - start >= total_ms)
			return KIOSK_EEXPIRED;
		uint8_t in[128];
		int n = hal_serial_read(s, in, sizeof in, 20);
		if (n == KIOSK_ETIMEDOUT)
			continue;
		if (n < 0)
			return n;
		for (size_t at = 0; at < (size_t)n;) {
			at += fafb_host_feed(&h, in + at, (size_t)n - at);
			struct fafb_event ev;
			while ((ev = fafb_host_next(&h)).kind != FAFB_EV_NONE) {
				if (ev.nreply) { /* a report's ACK, at once */
					int rc = hal_serial_write(s, ev.reply, ev.nreply);
					if (rc)
						return rc;
				}
				if (ev.kind == FAFB_EV_ACKED && queued == 2)
					acked = true; /* (the hello's ACK comes before cmd is taken) */
				if (ev.kind == FAFB_EV_REPORT && on_report(arg, &ev.frame))
					done = true;
				if (ev.kind != FAFB_EV_POLL)
					continue;
				polled = true;
				uint8_t out[300];
				bool took, gave_up;
				size_t k = fafb_host_answer(&h, queued < 2 ? queue[queued] : NULL, out,
							    sizeof out, &took, &gave_up);
				if (gave_up)
					return KIOSK_EPROTO;
				queued += took;
				int rc = hal_serial_write(s, out, k);
				if (rc || (done && acked)) /* (an ACK: the exchange is over) */
					return rc;
			}
		}
	}
}
