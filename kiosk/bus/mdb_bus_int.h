/* Inside the MDB bus's worker (kiosk/bus/mdb_bus.c and the devices beside it): one
 * request on the link, what each device keeps, and the cash devices' part of a round and
 * of the jobs. Nothing here is seen by the core. */
#ifndef KIOSK_BUS_MDB_BUS_INT_H
#define KIOSK_BUS_MDB_BUS_INT_H

#include "kiosk/bus/bus.h"
#include "kiosk/bus/mdb_bus.h"
#include "hal/mdb/mdb_cash.h"

/* One request; KIOSK_ETIMEDOUT when nothing answers (p,TIMEOUT or no line). */
int mdb_bus_call(struct mdb_link *a, const uint8_t *b, size_t n, struct mdb_reply *r);
/* Posts an outcome (kind, tag, fen; the rest zero but why). */
void mdb_bus_post(struct kiosk_bus *bus, const struct kiosk_mdb_outcome *o);

enum cash_state { CASH_IDLE, CASH_TAKING, CASH_PAID, CASH_STOPPED };

/* The coin changer and bill validator, and the cash sale under way. Money is kept in fen
 * here; the devices' units are fen / scale. */
struct cash_dev {
	bool coin_up, bill_up;
	int64_t next_setup, last_poll;
	char coin_why[48], bill_why[48];
	/* changer */
	unsigned coin_scale;
	uint8_t coin_units[MDB_COIN_TYPES]; /* each type's credit, in coin units */
	struct mdb_tubes tubes;
	/* validator */
	unsigned bill_scale;
	uint8_t bill_units[MDB_BILL_TYPES];
	/* the sale */
	enum cash_state st;
	int64_t tag, price, total;
	uint16_t coin_mask, bill_mask; /* what is enabled now */
	bool held;                     /* a note in escrow, of type held_type */
	int held_type;
};

void cash_dev_init(struct cash_dev *c);
/* A round: set up what is not (now and then), poll what is. true when it talked. */
bool cash_dev_serve(struct cash_dev *c, struct mdb_link *a, struct kiosk_bus *bus,
		    int64_t now);
/* Jobs: each fills o (kind NONE when nothing is to be said). busy: a card sale is on. */
void cash_dev_begin(struct cash_dev *c, struct mdb_link *a, int64_t tag, int64_t price,
		    bool busy, struct kiosk_mdb_outcome *o);
void cash_dev_stop(struct cash_dev *c, struct mdb_link *a, struct kiosk_bus *bus,
		   int64_t tag, struct kiosk_mdb_outcome *o);
void cash_dev_payout(struct cash_dev *c, struct mdb_link *a, struct kiosk_bus *bus,
		     int64_t tag, int64_t fen, struct kiosk_mdb_outcome *o);

#endif
