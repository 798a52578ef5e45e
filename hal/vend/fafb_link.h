/* The host's side of fafb on a serial port, for one command at a time (the bench tool; the
 * kiosk's bus serves the board the same way from its mailbox): the board's POLLs answered —
 * the command on the first, resent until ACKed — its reports ACKed, each handed over once,
 * until the caller has what it waited for and the board POLLs again (an exchange is over
 * only then: PROTOCOLS.md §3, our rule). */
#ifndef KIOSK_HAL_VEND_FAFB_LINK_H
#define KIOSK_HAL_VEND_FAFB_LINK_H

#include "hal/serial.h"
#include "hal/vend/fafb_host.h"

#define FAFB_BAUD 57600

/* A report the board sent (once, however often it came); true when it is the last one the
 * caller waits for. */
typedef bool (*fafb_report_fn)(void *arg, const struct fafb_frame *report);

/* Serves s for cmd. A host that starts afresh cannot know the PackNO of the board's last
 * exchange, and a command that repeats it is taken for a resend and not acted on: so a
 * machine-status request goes first (fafb_hello), whose PackNO the command's then follows —
 * one of the two differs from the board's last, and it is the command's. KIOSK_OK: cmd ACKed, on_report said done, and the board polled again.
 * KIOSK_ETIMEDOUT: no POLL within first_poll_ms (no board on the port); KIOSK_EPROTO: cmd
 * never ACKed (sent six times: its outcome unknown); KIOSK_EEXPIRED: total_ms passed
 * before the report came; KIOSK_EIO. */
int fafb_serve_one(struct hal_serial *s, const struct fafb_frame *cmd, int first_poll_ms,
		   int total_ms, fafb_report_fn on_report, void *arg);

#endif
