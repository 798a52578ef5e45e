/* The vending machine's side of the store (included by store.h): the catalogue and the
 * planogram (products in slots, price, stock), and vend orders — created → paid →
 * dispensing (the intent, committed before the motor turns) → dispensed | failed (with
 * exactly one refund) — with what recovery and the operator settle. */
#ifndef KIOSK_STORE_VEND_H
#define KIOSK_STORE_VEND_H

#include "kiosk/store/store.h"

/* ---- catalogue and planogram ---- */
struct kiosk_product {
	char id[KIOSK_ID_MAX], name_zh[128], name_en[128], category[32], image[128];
};
int kiosk_product_upsert(struct kiosk_store *st, const struct kiosk_product *p);
/* Upserts n products in ONE transaction (a catalogue page from the platform): all or none.
 * KIOSK_EINVAL names nothing on its own: *bad (if not NULL) gets the index of the first
 * invalid product. */
int kiosk_product_import(struct kiosk_store *st, const struct kiosk_product *p, size_t n,
			 size_t *bad);

struct kiosk_slot {
	char id[KIOSK_ID_MAX], product[KIOSK_ID_MAX];
	int64_t price_fen;
	int capacity, stock;
	bool enabled;
};
/* Creates or updates a slot's product, price, capacity, enabled; stock is kept (a capacity
 * below the current stock is refused with KIOSK_EINVAL). */
int kiosk_slot_upsert(struct kiosk_store *st, const struct kiosk_slot *s);
int kiosk_slot_get(struct kiosk_store *st, const char *id, struct kiosk_slot *out);
/* The operator takes a slot out of sale (a lane that jams) or back; by is audited.
 * KIOSK_ENOENT for no such slot. */
int kiosk_slot_enable(struct kiosk_store *st, const char *slot, bool enabled, const char *by);
/* The operator's price for a slot at the machine (1 fen … KIOSK_SLOT_PRICE_MAX), audited
 * with what it was: orders made before keep theirs. KIOSK_ENOENT, KIOSK_EINVAL. */
#define KIOSK_SLOT_PRICE_MAX 99999
int kiosk_slot_price(struct kiosk_store *st, const char *slot, int64_t price_fen,
		     const char *by);
/* Adds count (1..capacity-stock) items; by = operator id. */
int kiosk_slot_restock(struct kiosk_store *st, const char *slot, int count, const char *by);
/* Corrects stock by delta (stock stays within 0..capacity); reason is required. */
int kiosk_slot_adjust(struct kiosk_store *st, const char *slot, int delta, const char *reason,
		      const char *by);

/* ---- vend orders ---- */
enum kiosk_pay_method { KIOSK_PAY_QR, KIOSK_PAY_MDB, KIOSK_PAY_CASH, KIOSK_PAY_BOARD };
const char *kiosk_pay_method_name(enum kiosk_pay_method m);

/* A new order for one item of slot; out gets the order id (a UUID). KIOSK_ESOLDOUT,
 * KIOSK_ENOENT (no slot), KIOSK_ESTATE (slot disabled or no product). */
int kiosk_vend_create(struct kiosk_store *st, const char *slot, char out[37]);
/* amount must equal the order's price; paid in cash, the cash put in must cover it. */
int kiosk_vend_paid(struct kiosk_store *st, const char *order, enum kiosk_pay_method m,
		    const char *payment_ref, int64_t amount_fen);
/* The intent: committed before the motor command is sent. */
int kiosk_vend_dispensing(struct kiosk_store *st, const char *order);
int kiosk_vend_dispensed(struct kiosk_store *st, const char *order);
/* Paid or dispensing → failed + exactly one refund request; created → cancelled. */
int kiosk_vend_failed(struct kiosk_store *st, const char *order, const char *reason);
/* Orders recovery left for the operator (a dispense nobody could prove): how many. */
int kiosk_vend_uncertain(struct kiosk_store *st, int64_t *n);
/* The operator looked at the machine: the uncertain order's item fell (dispensed) or not
 * (failed + refund). KIOSK_ESTATE for an order that is not uncertain; by is audited. */
int kiosk_vend_resolve(struct kiosk_store *st, const char *order, bool dispensed,
		       const char *by);

struct kiosk_order {
	char id[37], slot[KIOSK_ID_MAX], state[16], method[8], reason[64], payment_ref[130];
	int64_t price_fen, amount_fen;
	int64_t cash_fen; /* coins and notes put in for it */
	int64_t board_fen; /* what the drive board's own devices reported taking for it */
	bool refunded;
};
int kiosk_vend_get(struct kiosk_store *st, const char *order, struct kiosk_order *out);
/* The board never said how a dispense ended (it fell silent, the command was never
 * ACKed): the order stays dispensing, marked uncertain with why, for the board's record
 * (a check of the slot) or the operator to settle (kiosk_vend_resolve). Never refunded
 * blind, never assumed. KIOSK_ESTATE when the order is not dispensing. */
int kiosk_vend_unknown(struct kiosk_store *st, const char *order, const char *why);
/* The uncertain orders, oldest first (at most max, and 16). */
int kiosk_vend_uncertain_list(struct kiosk_store *st, struct kiosk_order *out, int max, int *n);

/* ---- cash (kiosk/store/cash.c) ---- */

/* The coins and notes put in for a created order come to total_fen (each deposit its own
 * commit, audited): a total only grows (KIOSK_EINVAL); KIOSK_ESTATE for an
 * order no longer open for money. */
int kiosk_cash_in(struct kiosk_store *st, const char *order, int64_t total_fen);
/* The drive board's own money devices have taken total_fen for a created order (each report
 * its own audited commit). The board keeps that money in its own escrow and its return
 * lever gives it back, so the kiosk never pays it out: a restart that finds an open order
 * holding board money cancels it and tells the platform (device.fault, device "vend",
 * fault "board_money_held", with the order and the sum) for the operator to settle against
 * the board's own counters — never a refund request, which could pay the resident twice.
 * KIOSK_EINVAL for a total that does not grow; KIOSK_ESTATE for an order no longer open. */
int kiosk_vend_board_in(struct kiosk_store *st, const char *order, int64_t total_fen);
/* A payout of what the order's cash still owes (change after its dispense, all of it after
 * a failure or cancel): begun (the intent, before the changer is told) and ended with what
 * the changer's own reports say it paid. Short: the rest is a debt (a device.fault event,
 * fault "change_owed", says due, paid, owed). begin: KIOSK_ENOENT when nothing is owed, KIOSK_ESTATE for an
 * order still open. */
struct kiosk_cash_payout {
	int64_t id, owed_fen;
	char order[37], kind[8]; /* "change", "refund", "return" */
};
int kiosk_cash_payout_begin(struct kiosk_store *st, const char *order,
			    struct kiosk_cash_payout *out);
int kiosk_cash_payout_end(struct kiosk_store *st, int64_t id, int64_t paid_fen);
/* The changer stopped answering midway: what it paid nobody knows — the operator counts
 * the tubes; until then all of it is counted as owed. */
int kiosk_cash_payout_unknown(struct kiosk_store *st, int64_t id, const char *why);
/* What the kiosk still owes for order (debts, and payouts a crash cut short), and in all. */
int kiosk_cash_owed(struct kiosk_store *st, const char *order, int64_t *owed_fen);
int kiosk_cash_debts(struct kiosk_store *st, int64_t *n, int64_t *fen);
/* The orders the kiosk owes cash on, oldest first (at most max, and 16). */
struct kiosk_cash_debt {
	char order[37];
	int64_t owed_fen, since_ms;
};
int kiosk_cash_debt_list(struct kiosk_store *st, struct kiosk_cash_debt *out, int max, int *n);
/* The operator paid an order's owed cash by hand: its debts settled, audited with by and
 * the sum. ref: the order's reference (its id's first 8 characters, either case).
 * KIOSK_ENOENT when nothing is owed on it, KIOSK_EINVAL for a bad or ambiguous reference. */
int kiosk_cash_settle(struct kiosk_store *st, const char *ref, const char *by);

/* A slot with its product, as the 购物 screen and the Stock page show it. */
struct kiosk_vend_item {
	char slot[16], product[KIOSK_ID_MAX], name_zh[64], name_en[64], category[32],
		image[64];
	int64_t price_fen;
	int capacity, stock;
	bool enabled;
};
/* Every slot with a product, by slot number (the planogram groups its kinds); at most max. */
int kiosk_vend_items(struct kiosk_store *st, struct kiosk_vend_item *out, int max, int *n);


/* What the audit export (kioskctl dex export, EVA-DTS style) reads: each slot's price and
 * its sales since the store began (dispenses and their value, kept as running totals that
 * archiving does not touch), the paid vends by method (enum kiosk_pay_method), and what was
 * given back (failed vends and refunds, of the orders still in the store). */
#define KIOSK_AUDIT_SLOTS 128
struct kiosk_vend_audit_slot {
	char slot[16], product[KIOSK_ID_MAX];
	int64_t price_fen, vends, fen;
};
struct kiosk_vend_audit {
	struct kiosk_vend_audit_slot slots[KIOSK_AUDIT_SLOTS];
	int nslots;
	struct { int64_t vends, fen; } by_method[4];
	int64_t failed, refunds, refunded_fen;
};
int kiosk_vend_audit(struct kiosk_store *st, struct kiosk_vend_audit *out);

#endif
