/* The vending machine's drive board as the flows hear it: driver-neutral events (the
 * core's vending service, kiosk/vending.c, turns the board's frames into these), and the
 * slot numbering the store and the board share. */
#ifndef KIOSK_VEND_EVENT_H
#define KIOSK_VEND_EVENT_H

#include <stdbool.h>
#include <stdint.h>

#define KIOSK_VEND_MAX_SLOT 60 /* slots are the board's numbers, 1..60 ("1".."60" in the store) */

/* The drop sensor's record of a slot's last drive, as a check reports it. */
enum kiosk_vend_last {
	KIOSK_VEND_LAST_UNKNOWN = -1, /* no record (none since power-on, or a board without) */
	KIOSK_VEND_LAST_NOTHING = 0,  /* it ended without the item falling */
	KIOSK_VEND_LAST_FELL = 1,     /* the drop sensor saw the item fall */
};

enum kiosk_vend_ev_kind {
	KIOSK_VEV_SENT,     /* the command tagged tag reached the board (ACKed) */
	KIOSK_VEV_LOST,     /* the command tagged tag never reached it: nothing happened of it
			     * that anyone knows */
	KIOSK_VEV_DISPENSE, /* a dispense report for slot: status, final, dropped */
	KIOSK_VEV_CHECK,    /* a slot checked: status (its state), last (the drop sensor's
			     * record of its last drive) */
	KIOSK_VEV_MONEY,    /* the board's own devices took money: mode, fen */
	KIOSK_VEV_HEALTH,   /* the board started or stopped polling: ok, why */
	KIOSK_VEV_MACHINE,  /* its machine status changed (door, cooling: the snapshot has it) */
};

struct kiosk_vend_event {
	enum kiosk_vend_ev_kind kind;
	int64_t tag; /* the command this concerns (SENT, LOST; the last one sent for a report);
		      * -1: none of anyone's (the bus's own, or a report from before a restart) */
	int slot;
	int status;   /* DISPENSE: enum fafb_dispense; CHECK: enum fafb_slot_state */
	bool final;   /* DISPENSE: the outcome, not "dispensing" */
	bool dropped; /* DISPENSE: final, and the drop sensor saw the item fall */
	int last;     /* CHECK: enum kiosk_vend_last */
	int mode;     /* MONEY */
	int64_t fen;  /* MONEY */
	bool ok;      /* HEALTH */
	char words[48]; /* DISPENSE: the outcome in words; HEALTH: why not ok */
};

/* The MDB cashless reader as the flows hear it (kiosk/mdb.c): each step of a sale the
 * flow began, tagged. */
enum kiosk_card_ev_kind {
	KIOSK_CEV_WAITING,   /* enabled: the resident taps a card */
	KIOSK_CEV_APPROVED,  /* the card pays fen */
	KIOSK_CEV_DENIED,    /* declined: nothing charged (why) */
	KIOSK_CEV_ENDED,     /* the sale is over at the reader */
	KIOSK_CEV_CANCELLED, /* given up before approval: nothing charged */
	KIOSK_CEV_FAULT,     /* the reader could not (why): nothing charged */
	KIOSK_CEV_HEALTH,    /* the reader came back or went (ok, why) */
};
struct kiosk_card_event {
	enum kiosk_card_ev_kind kind;
	int64_t tag, fen;
	bool ok;
	char why[48];
};

/* Cash — the MDB coin changer and bill validator (kiosk/mdb.c) — as the flows hear it:
 * each step of a cash sale the flow began, tagged. */
enum kiosk_cash_ev_kind {
	KIOSK_XEV_WAITING, /* taking coins and notes; exact: some refused for want of change */
	KIOSK_XEV_IN,      /* money taken: total so far (fen: this coin or note) */
	KIOSK_XEV_REFUSED, /* a note given back (why) */
	KIOSK_XEV_PAID,    /* total reached the price: taking stopped */
	KIOSK_XEV_STOPPED, /* cancelled: taking stopped with total taken */
	KIOSK_XEV_PAYOUT,  /* fen of owed paid back (−1: unknown, why) */
	KIOSK_XEV_FAULT,   /* the changer could not (why) */
	KIOSK_XEV_HEALTH,  /* the changer came or went (ok) */
};
struct kiosk_cash_event {
	enum kiosk_cash_ev_kind kind;
	int64_t tag, fen, total, owed;
	bool exact, ok;
	char why[48];
};

/* The board's slot number of a store slot id ("1".."60"), or 0 when it is not one. */
int kiosk_vend_slot_no(const char *slot);

#endif
