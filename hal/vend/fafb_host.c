#include "hal/vend/fafb_host.h"

#include <string.h>

void fafb_host_init(struct fafb_host *h)
{
	memset(h, 0, sizeof *h);
	h->pack = 1;
}

size_t fafb_host_feed(struct fafb_host *h, const uint8_t *in, size_t n)
{
	size_t room = sizeof h->rx - h->nrx, take = n < room ? n : room;
	memcpy(h->rx + h->nrx, in, take);
	h->nrx += take;
	return take;
}

static void ack_into(struct fafb_event *ev)
{
	struct fafb_frame a = fafb_ack();
	ev->nreply = fafb_encode(&a, ev->reply, sizeof ev->reply);
}

struct fafb_event fafb_host_next(struct fafb_host *h)
{
	struct fafb_event ev = {.kind = FAFB_EV_NONE};
	size_t used = 0;
	int d = fafb_decode(h->rx, h->nrx, &ev.frame, &used);
	if (d == HAL_FRAME_NEED) {
		if (h->nrx == sizeof h->rx) { /* full of what is no frame: let it go */
			h->nrx = 0;
			ev.kind = FAFB_EV_JUNK;
		}
		return ev;
	}
	memmove(h->rx, h->rx + used, h->nrx - used);
	h->nrx -= used;
	if (d == HAL_FRAME_JUNK) {
		ev.kind = FAFB_EV_JUNK;
		return ev;
	}
	switch (ev.frame.cmd) {
	case FAFB_POLL:
		ev.kind = FAFB_EV_POLL;
		break;
	case FAFB_ACK:
		if (h->out) { /* the command's exchange is over: the next gets the next PackNO */
			ev.kind = FAFB_EV_ACKED;
			ev.frame = h->cmd;
			h->out = false;
			h->pack = fafb_next_pack(h->pack);
		}
		break;
	default: /* a report (or a reply): ACKed; acted on once */
		ack_into(&ev);
		if (h->board_seen && ev.frame.pack == h->board_pack) {
			ev.kind = FAFB_EV_RESEND;
		} else {
			ev.kind = FAFB_EV_REPORT;
			h->board_seen = true;
			h->board_pack = ev.frame.pack;
		}
	}
	return ev;
}

size_t fafb_host_answer(struct fafb_host *h, const struct fafb_frame *next, uint8_t *out,
			size_t cap, bool *took_next, bool *gave_up)
{
	*took_next = *gave_up = false;
	if (h->out && h->sends > FAFB_RESENDS) { /* never ACKed: dropped */
		h->out = false;
		*gave_up = true;
		h->pack = fafb_next_pack(h->pack);
	}
	if (!h->out && next) {
		h->cmd = *next;
		h->cmd.has_pack = true;
		h->cmd.pack = h->pack;
		h->out = true;
		h->sends = 0;
		*took_next = true;
	}
	if (h->out) {
		size_t n = fafb_encode(&h->cmd, out, cap);
		if (n)
			h->sends++;
		return n;
	}
	struct fafb_frame a = fafb_ack();
	return fafb_encode(&a, out, cap);
}
