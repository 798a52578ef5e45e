/* The MDB bus, on the generic bus (kiosk/bus/bus.h): its worker is the MDB master (VMC)
 * for what sits behind the `adapter` link — a cashless reader, a coin changer, a bill
 * validator, each found and set up on its own (an absent one is retried now and then). It
 * POLLs them every 100 ms while a sale is under way (every second otherwise, to know they
 * are there), and carries out the core's sale steps as jobs. One sale at a time, by card
 * or by cash:
 *
 *   card: begin (enable the reader: "tap your card") → the card's session → the vend
 *   request for the price → approved | denied → end (vend success when the item fell, vend
 *   failure when not: the reader does not charge, or gives back) → session complete.
 *
 *   cash (kiosk/bus/cash_dev.c): begin (coins and notes enabled — only those whose
 *   overpay the tubes can change) → each coin, each note stacked from escrow → the price
 *   reached: taking stops (paid) | cancel: taking stops → payout of what the flow says is
 *   owed, counted from the changer's tube reports.
 *
 * Each step that happened is posted as an outcome (kiosk_mdb_outcome), once. */
#ifndef KIOSK_BUS_MDB_BUS_H
#define KIOSK_BUS_MDB_BUS_H

#include "hal/mdb/mdb_link.h"

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
	KIOSK_CASH_WAITING,   /* coins/notes enabled for the sale; exact: some refused for
			       * want of change ("exact money only") */
	KIOSK_CASH_IN,        /* money taken: total so far (fen: this coin or note) */
	KIOSK_CASH_REFUSED,   /* a note given back from escrow (why) */
	KIOSK_CASH_PAID,      /* total reached the price: taking stopped */
	KIOSK_CASH_STOPPED,   /* cancelled: taking stopped, total was taken */
	KIOSK_CASH_PAYOUT,    /* paid out fen of owed, by the tubes' count (fen −1: unknown,
			       * the changer stopped answering midway) */
	KIOSK_CASH_FAULT,     /* the changer could not (why) */
};

struct kiosk_mdb_outcome {
	enum kiosk_card_kind kind;
	int64_t tag;
	int64_t fen;
	int64_t total, owed;
	bool exact;
	char why[48];
};

struct kiosk_mdb_bus;

/* Starts the worker on an open adapter; it owns a from here on. *out owned by the caller;
 * on failure a is still the caller's. */
int kiosk_mdb_bus_start(struct mdb_link *a, struct kiosk_mdb_bus **out);
void kiosk_mdb_bus_stop(struct kiosk_mdb_bus *b);
/* Core: the sale's steps (never wait; KIOSK_EBUSY when the queue is full). price_fen must
 * be what the reader can ask (1 … 65535 of its scale). */
int kiosk_mdb_bus_begin(struct kiosk_mdb_bus *b, int64_t tag, int64_t price_fen, int item);
int kiosk_mdb_bus_end(struct kiosk_mdb_bus *b, int64_t tag, bool success);
int kiosk_mdb_bus_cancel(struct kiosk_mdb_bus *b, int64_t tag);
int kiosk_mdb_bus_fd(const struct kiosk_mdb_bus *b);
/* Cash: begin a sale for price_fen; stop taking (cancel; a sale already paid is not
 * stopped); pay fen out (change, refund, return), once the sale stopped or was paid. */
int kiosk_mdb_bus_cash_begin(struct kiosk_mdb_bus *b, int64_t tag, int64_t price_fen);
int kiosk_mdb_bus_cash_stop(struct kiosk_mdb_bus *b, int64_t tag);
int kiosk_mdb_bus_cash_payout(struct kiosk_mdb_bus *b, int64_t tag, int64_t fen);
int kiosk_mdb_bus_take(struct kiosk_mdb_bus *b, struct kiosk_mdb_outcome *out);
/* True while any device answers; else why (cap bytes). */
bool kiosk_mdb_bus_health(struct kiosk_mdb_bus *b, char *why, size_t cap);

/* Each device as the worker last saw it (copied under the bus's lock). */
struct kiosk_mdb_status {
	bool card_ok, coin_ok, bill_ok;
	char card_why[48], coin_why[48], bill_why[48];
	int ntubes;
	int64_t tube_fen[16]; /* each tube's coin value */
	int tube_count[16];
};
void kiosk_mdb_bus_status(struct kiosk_mdb_bus *b, struct kiosk_mdb_status *out);

#endif
