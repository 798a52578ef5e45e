/* A network receipt printer, simulated (kioskctl sim printer, the kiosk's --simulate): it
 * listens on a TCP port on the loopback, appends every job's bytes to a file, and answers
 * DLE EOT 1 and DLE EOT 4 with its state as a real printer does. stdin (or the core's sim
 * verb) changes that state: "paper out", "paper ok", "cover open", "cover closed", and
 * "unplug" / "plug" (it drops its connections and refuses new ones, as a printer
 * switched off). */
#ifndef KIOSK_HAL_PRINTER_SIM_H
#define KIOSK_HAL_PRINTER_SIM_H

#include <stddef.h>
#include <stdint.h>

struct printer_sim; /* opaque */

/* Listens on 127.0.0.1:port (0: any free port) and writes jobs to out_path (created, or
 * emptied: each run's jobs alone). KIOSK_OK, or the socket's or the file's error with why. */
int printer_sim_new(int port, const char *out_path, struct printer_sim **out, char *why,
		    size_t wlen);
void printer_sim_free(struct printer_sim *s);
int printer_sim_port(const struct printer_sim *s);
/* The listening socket (poll it, then step). */
int printer_sim_fd(const struct printer_sim *s);
/* Accepts, reads and answers whatever is waiting; never blocks. */
void printer_sim_step(struct printer_sim *s);
/* One stdin line. KIOSK_OK or KIOSK_EINVAL (not a command). */
int printer_sim_command(struct printer_sim *s, const char *line);
/* Bytes received since it began (the status questions included). The calls are safe
 * from any thread. */
uint64_t printer_sim_received(struct printer_sim *s);

#endif
