/* The MDB devices as the core sees them (core thread) — a cashless card reader, a coin
 * changer, a bill validator: the `adapter` link's bus (kiosk/bus/mdb_bus.h, whose worker
 * is the MDB master), its outcomes turned into card and cash events on the loop for the
 * flows, and — under --simulate — a simulated adapter with all three behind it on a pty
 * of its own, stepped by a thread. Nothing here decides anything about
 * an order: the flow that began a sale hears its steps and settles its order. */
#ifndef KIOSK_MDB_H
#define KIOSK_MDB_H

#include "kiosk/bus/mdb_bus.h"
#include "kiosk/config.h"
#include "kiosk/loop.h"
#include "kiosk/vend_event.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KIOSK_MDB_PORT_SIMULATOR "simulator"

struct kiosk_mdb;

struct kiosk_mdb_hooks {
	void (*on_event)(void *arg, const struct kiosk_card_event *e);
	void (*on_cash)(void *arg, const struct kiosk_cash_event *e);
	void *arg;
};

/* No MDB configured ($.mdb.driver "" and not simulating): *out NULL, KIOSK_OK. $.mdb.driver
 * "adapter" with $.mdb.port, or the simulator. An unknown driver or a port that cannot be
 * opened: an error, *why naming it. */
int kiosk_mdb_open(const struct kiosk_config *cfg, bool simulate, struct kiosk_loop *loop,
		    const struct kiosk_mdb_hooks *hooks, struct kiosk_mdb **out, char *why,
		    size_t why_len);
void kiosk_mdb_close(struct kiosk_mdb *c);
/* A sale for price_fen of item (the slot's number); *tag gets its tag. KIOSK_EBUSY, EINVAL. */
int kiosk_card_begin(struct kiosk_mdb *c, int64_t price_fen, int item, int64_t *tag);
/* After approval: the item fell (success: charged) or not (failure: not charged). */
int kiosk_card_end(struct kiosk_mdb *c, int64_t tag, bool success);
/* Before approval: given up. */
int kiosk_card_cancel(struct kiosk_mdb *c, int64_t tag);
/* Cash: a sale for price_fen (*tag its tag); stop taking (cancel); pay fen back once the
 * sale was paid or stopped (0: nothing owed, the sale just ends). */
int kiosk_cash_begin(struct kiosk_mdb *c, int64_t price_fen, int64_t *tag);
int kiosk_cash_stop(struct kiosk_mdb *c, int64_t tag);
int kiosk_cash_payout(struct kiosk_mdb *c, int64_t tag, int64_t fen);
/* True while any MDB device answers; else why. */
bool kiosk_mdb_health(struct kiosk_mdb *c, char *why, size_t cap);
/* Each device: ok, or why not; the coin tubes. */
void kiosk_mdb_status(struct kiosk_mdb *c, struct kiosk_mdb_status *out);
bool kiosk_mdb_simulated(const struct kiosk_mdb *c);
/* A line for the simulated adapter ("tap 1000", "fault deny"): KIOSK_ENOTSUP for a real one. */
int kiosk_mdb_sim(struct kiosk_mdb *c, const char *line);

#endif
