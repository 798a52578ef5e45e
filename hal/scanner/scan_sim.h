/* A serial code scanner, simulated (kioskctl sim scanner, the kiosk's --simulate): a pty
 * at a path of the caller's choosing; each command line is a scan, written as the scanner
 * writes it, the code and CR LF. "--cr" scanners end with CR alone. */
#ifndef KIOSK_HAL_SCAN_SIM_H
#define KIOSK_HAL_SCAN_SIM_H

#include <stdbool.h>
#include <stddef.h>

struct scan_sim; /* opaque */

int scan_sim_new(const char *link_path, bool cr_only, struct scan_sim **out);
void scan_sim_free(struct scan_sim *s);
/* The pty's master (what the scanner writes to). */
int scan_sim_fd(const struct scan_sim *s);
/* Nothing to do between scans: a scanner speaks only when a code is shown to it. */
void scan_sim_step(struct scan_sim *s);
/* One scan: its text, sent as is (bytes and all) with the line end. KIOSK_OK, KIOSK_EIO
 * when the pty would not take it, KIOSK_EINVAL for an empty scan. */
int scan_sim_command(struct scan_sim *s, const char *line);

#endif
