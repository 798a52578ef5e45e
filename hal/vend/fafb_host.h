/* The host's side of a fafb exchange (../shared/PROTOCOLS.md §3), as a state machine with
 * no I/O: the driver feeds it the board's bytes and sends what it says to send, within the
 * 100 ms the board waits. The board polls; the host answers a POLL with ONE command or ACK;
 * the board ACKs the command (or polls again: the host resends it, 5 times at most); the
 * host ACKs every report, and a report repeating the board's last PackNO is a resend: ACKed
 * again, acted on once. Tested byte for byte (unit.fafb), fuzzed (fuzz_fafb). */
#ifndef KIOSK_HAL_VEND_FAFB_HOST_H
#define KIOSK_HAL_VEND_FAFB_HOST_H

#include "hal/vend/fafb_frames.h"

#define FAFB_RESENDS 5
#define FAFB_RX_MAX 512

struct fafb_host {
	uint8_t rx[FAFB_RX_MAX]; /* bytes not yet a frame */
	size_t nrx;
	uint8_t pack;          /* the PackNO of the host's next command */
	bool out;              /* a command sent, its ACK not seen yet */
	struct fafb_frame cmd; /* … that command */
	int sends;             /* … sent this many times */
	bool board_seen;       /* a report came: board_pack is its PackNO */
	uint8_t board_pack;
};

enum fafb_event_kind {
	FAFB_EV_NONE,
	FAFB_EV_POLL,     /* the board asks: answer now (fafb_host_answer) */
	FAFB_EV_REPORT,   /* a report, new: act on it (ev.frame); ACK in ev.reply */
	FAFB_EV_RESEND,   /* the last report again: ACK in ev.reply, do not act */
	FAFB_EV_ACKED,    /* the command sent was ACKed: its exchange is over */
	FAFB_EV_JUNK,     /* bytes that are no frame, dropped (counted by the driver) */
};

struct fafb_event {
	enum fafb_event_kind kind;
	struct fafb_frame frame; /* REPORT, RESEND: the board's; ACKED: the host's command */
	uint8_t reply[8];        /* bytes to send at once (an ACK), nreply of them */
	size_t nreply;
};

void fafb_host_init(struct fafb_host *h);
/* The board's bytes in: as many as fit (returned); take events before feeding more. */
size_t fafb_host_feed(struct fafb_host *h, const uint8_t *in, size_t n);
/* The next event from the bytes fed so far: FAFB_EV_NONE when there is none yet. */
struct fafb_event fafb_host_next(struct fafb_host *h);

/* Answers a POLL: the command still out (a resend), else next (NULL: nothing queued; its
 * PackNO is set here), else ACK — bytes into out. *gave_up is set when the command out has
 * been sent FAFB_RESENDS + 1 times unACKed: it is dropped (its outcome unknown: the caller
 * says so) and the answer is ACK. Returns the bytes written (0: out too small). */
size_t fafb_host_answer(struct fafb_host *h, const struct fafb_frame *next, uint8_t *out,
			size_t cap, bool *took_next, bool *gave_up);

#endif
