/* The receipt printer's bus, on the generic bus (kiosk/bus/bus.h): its worker opens the
 * printer the spec names (hal/printer/printer.h), carries each job (bytes the core built,
 * handed over) and asks the printer's state every few seconds. A printer that stalls, runs
 * out of paper or is switched off delays only this bus; a job it could not take whole is
 * reported failed, and the printer is opened again on the next round. */
#ifndef KIOSK_BUS_PRINT_BUS_H
#define KIOSK_BUS_PRINT_BUS_H

#include "hal/printer/printer.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KIOSK_PRINT_STATUS_MS 3000
#define KIOSK_PRINT_JOB_MS 15000 /* a receipt is a few KiB: longer is a stalled printer */

enum kiosk_print_outcome_kind { KIOSK_PRINT_DONE, KIOSK_PRINT_STATE };

struct kiosk_print_outcome {
	enum kiosk_print_outcome_kind kind;
	int64_t job; /* DONE: the job's id */
	int rc;      /* DONE: KIOSK_OK printed; KIOSK_EDEVICE refused (paper out, error);
		      * KIOSK_ETIMEDOUT / KIOSK_EIO not taken whole; KIOSK_EEXPIRED never sent */
	enum printer_state state; /* as the printer said after the job, or at the round */
	char why[96];             /* a state that is not ok: the reason in words */
};

struct kiosk_print_bus; /* opaque */

int kiosk_print_bus_start(const char *spec, struct kiosk_print_bus **out);
void kiosk_print_bus_stop(struct kiosk_print_bus *b);
/* Core: a job of n bytes (copied), tagged job. KIOSK_EBUSY when jobs are queued already,
 * KIOSK_ENOMEM. */
int kiosk_print_bus_submit(struct kiosk_print_bus *b, int64_t job, const uint8_t *bytes,
			   size_t n);
int kiosk_print_bus_fd(const struct kiosk_print_bus *b);
int kiosk_print_bus_take(struct kiosk_print_bus *b, struct kiosk_print_outcome *out);
/* Core: ask the printer's state now (it was just plugged in). */
void kiosk_print_bus_poll_now(struct kiosk_print_bus *b);
/* What the printer said when last asked (PRINTER_OFFLINE before it answered). */
enum printer_state kiosk_print_bus_state(struct kiosk_print_bus *b);
/* Whether the printer has been asked at all yet (its first round is under way until). */
bool kiosk_print_bus_known(struct kiosk_print_bus *b);
/* True while the printer is there and says it can print; else why. */
bool kiosk_print_bus_health(struct kiosk_print_bus *b, char *why, size_t cap);

#endif
