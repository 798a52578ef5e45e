/* The MDB cashless reader's bus, on the generic bus (kiosk/bus/bus.h): its worker is the
 * MDB master (VMC) for the reader behind the `adapter` link — it sets the reader up,
 * POLLs it every 100 ms while a sale is under way (every second otherwise, to know it is
 * there), and carries out the core's sale steps as jobs. One sale at a time:
 *
 *   begin (enable the reader: "tap your card") → the card's session → the vend request for
 *   the price → approved | denied → end (vend success when the item fell, vend failure
 *   when not: the reader does not charge, or gives back) → session complete → disabled.
 *
 * Each step that happened is posted as an outcome (kiosk_card_outcome), once. */
#ifndef KIOSK_BUS_MDB_BUS_H
#define KIOSK_BUS_MDB_BUS_H

#include "hal/mdb/mdb_adapter.h"

#include <stdbool.h>
#include <stdint.h>

enum kiosk_card_kind {
	KIOSK_CARD_NONE,      /* nothing (a job that had nothing to say) */
	KIOSK_CARD_WAITING,   /* the reader is enabled for the sale tagged tag: a card */
	KIOSK_CARD_APPROVED,  /* the card pays fen for it */
	KIOSK_CARD_DENIED,    /* the card does not (no funds, refused): nothing charged */
	KIOSK_CARD_ENDED,     /* the sale is over at the reader (after approval: charged only
			       * when it was ended a success) */
	KIOSK_CARD_CANCELLED, /* given up before any approval: nothing charged */
	KIOSK_CARD_FAULT,     /* the reader could not do it (why); nothing charged */
};

struct kiosk_card_outcome {
	enum kiosk_card_kind kind;
	int64_t tag;
	int64_t fen;
	char why[48];
};

struct kiosk_mdb_bus;

/* Starts the worker on an open adapter; it owns a from here on. *out owned by the caller;
 * on failure a is still the caller's. */
int kiosk_mdb_bus_start(struct mdb_adapter *a, struct kiosk_mdb_bus **out);
void kiosk_mdb_bus_stop(struct kiosk_mdb_bus *b);
/* Core: the sale's steps (never wait; KIOSK_EBUSY when the queue is full). price_fen must
 * be what the reader can ask (1 … 65535 of its scale). */
int kiosk_mdb_bus_begin(struct kiosk_mdb_bus *b, int64_t tag, int64_t price_fen, int item);
int kiosk_mdb_bus_end(struct kiosk_mdb_bus *b, int64_t tag, bool success);
int kiosk_mdb_bus_cancel(struct kiosk_mdb_bus *b, int64_t tag);
int kiosk_mdb_bus_fd(const struct kiosk_mdb_bus *b);
int kiosk_mdb_bus_take(struct kiosk_mdb_bus *b, struct kiosk_card_outcome *out);
/* True while the reader answers (set up); else why (cap bytes). */
bool kiosk_mdb_bus_health(struct kiosk_mdb_bus *b, char *why, size_t cap);

#endif
