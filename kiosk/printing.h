/* The core's receipt printer service: the printer the config names ($.printer.port, a
 * spec), or under --simulate a simulated network printer on the loopback whose jobs land
 * in a file beside the store (<store>.printer-sim.bin) — unless the configured printer is
 * a file, which is used as it is. Jobs go to its bus; each job's end
 * and every change of the printer's state come back through the hooks. */
#ifndef KIOSK_PRINTING_H
#define KIOSK_PRINTING_H

#include "kiosk/config.h"
#include "kiosk/loop.h"
#include "kiosk/bus/print_bus.h"

#include <stdbool.h>
#include <stddef.h>

struct kiosk_printing;

struct kiosk_printing_hooks {
	void (*on_done)(void *arg, const struct kiosk_print_outcome *o);
	void (*on_health)(void *arg, bool ok, const char *why);
	void *arg;
};

/* *out NULL (and KIOSK_OK) when no printer is fitted and none is simulated. */
int kiosk_printing_open(const struct kiosk_config *cfg, bool simulate, struct kiosk_loop *loop,
			const struct kiosk_printing_hooks *hooks, struct kiosk_printing **out,
			char *why, size_t why_len);
void kiosk_printing_close(struct kiosk_printing *p);
/* Queues a job (bytes copied); *job its id, named again in on_done. */
int kiosk_printing_submit(struct kiosk_printing *p, const uint8_t *bytes, size_t n,
			  int64_t *job);
bool kiosk_printing_health(struct kiosk_printing *p, char *why, size_t cap);
/* Whether the printer has been asked yet (at start, its first answer is on its way). */
bool kiosk_printing_known(struct kiosk_printing *p);
enum printer_state kiosk_printing_state(struct kiosk_printing *p);
/* The printer was just plugged in: asked at once, not at the next round. */
void kiosk_printing_poke(struct kiosk_printing *p);
bool kiosk_printing_simulated(const struct kiosk_printing *p);
/* A line for the simulated printer ("paper out", "unplug" …): KIOSK_ENOTSUP without. */
int kiosk_printing_sim(struct kiosk_printing *p, const char *line);
/* Where the simulated printer writes its jobs ("" without one). */
const char *kiosk_printing_sim_file(const struct kiosk_printing *p);

#endif
