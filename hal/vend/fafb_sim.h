/* The fafb drive board played on the far side of a pty (../shared/PROTOCOLS.md §3): it
 * polls every 200 ms, ACKs the host's commands (acting once on a resent one), drives slots
 * with stock and reports dispensing then the outcome, resending a report until it is ACKed
 * (five times), and reports money its own payment devices took. Faults make a board's bad
 * days: a jammed slot, a slot with no motor, a lost ACK, resent reports, silence. */
#ifndef KIOSK_HAL_VEND_FAFB_SIM_H
#define KIOSK_HAL_VEND_FAFB_SIM_H

#include "hal/vend/fafb_frames.h"

#include <stdbool.h>

#define FAFB_SIM_SLOTS 60
#define FAFB_SIM_LATENCIES 4096

struct fafb_sim; /* opaque */

/* slots 1..nslots, each with stock items. *out owned by the caller (fafb_sim_free, which
 * removes the link). */
int fafb_sim_new(const char *link_path, int nslots, int stock, struct fafb_sim **out);
void fafb_sim_free(struct fafb_sim *s);
/* "jam:SLOT" (turns, the drop sensor sees nothing: jammed), "no-motor:SLOT", "lost-ack"
 * (the host's first ACK of each report is lost: the board resends it), "resend" (every
 * report sent twice), "silent" (no POLL, no answer), "clear". KIOSK_EINVAL otherwise. */
int fafb_sim_fault(struct fafb_sim *s, const char *spec);
/* A stdin line: "money MODE FEN" (a payment at the board's own devices), "stock SLOT N",
 * "last SLOT STATUS" (the drop sensor's record of the slot's last drive, as a board that
 * ran on through a host's crash keeps it), "door open|closed", "cooling fault|ok" (what
 * its machine status says), "fault SPEC". KIOSK_EINVAL otherwise. */
int fafb_sim_command(struct fafb_sim *s, const char *line);
int fafb_sim_fd(const struct fafb_sim *s);
/* Reads what came, answers, polls and resends when due (call at least every 20 ms). Every
 * call may come from any thread (the kiosk's --simulate steps it on a thread of its own and
 * feeds it lines from the core). A check reply carries the slot's last drive (the drop
 * sensor's record, fafb_check_last). */
void fafb_sim_step(struct fafb_sim *s);
/* What it holds, for tests: stock of a slot, drives acted on (a resent drive counts once). */
int fafb_sim_stock(struct fafb_sim *s, int slot);
unsigned long fafb_sim_drives(struct fafb_sim *s);

/* The bench's figures (mono µs, kiosk_mono_us). The answer time of each POLL since the last
 * call (its write to the host's next frame read), at most cap into ms, and the polls left
 * unanswered until the next was due; both restart. */
int fafb_sim_poll_latencies(struct fafb_sim *s, double *ms, int cap, unsigned long *unanswered);
/* When the last DRIVE frame was read whole (0: none yet). */
int64_t fafb_sim_drive_at(struct fafb_sim *s);
/* The first POLL sent at or after t among the last sixteen (0: none yet). */
int64_t fafb_sim_poll_after(struct fafb_sim *s, int64_t t);

#endif
