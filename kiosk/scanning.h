/* The core's code scanner service: the scanner the config names ($.scanner.port, a spec),
 * or under --simulate a simulated serial scanner beside the store (scans come from the
 * `sim scanner` verb, through the same bytes a real one sends). Each scan goes to the
 * core (hooks.on_scan), which routes it to the flow on screen; health changes are said. */
#ifndef KIOSK_SCANNING_H
#define KIOSK_SCANNING_H

#include "kiosk/config.h"
#include "kiosk/loop.h"
#include "kiosk/bus/scan_bus.h"

#include <stdbool.h>
#include <stddef.h>

struct kiosk_scanning;

struct kiosk_scanning_hooks {
	void (*on_scan)(void *arg, const struct kiosk_scan_outcome *o);
	void (*on_health)(void *arg, bool ok, const char *why);
	void *arg;
};

/* *out NULL (and KIOSK_OK) when no scanner is fitted and none is simulated. */
int kiosk_scanning_open(const struct kiosk_config *cfg, bool simulate, struct kiosk_loop *loop,
			const struct kiosk_scanning_hooks *hooks, struct kiosk_scanning **out,
			char *why, size_t why_len);
void kiosk_scanning_close(struct kiosk_scanning *s);
bool kiosk_scanning_health(struct kiosk_scanning *s, char *why, size_t cap);
bool kiosk_scanning_simulated(const struct kiosk_scanning *s);
/* A scan for the simulated scanner (--simulate): KIOSK_ENOTSUP without one. */
int kiosk_scanning_sim(struct kiosk_scanning *s, const char *line);

#endif
