/* The vend flow's own parts, shared by its files: kiosk/flow/vend.c (choosing, the
 * dispense, recovery, maintenance), kiosk/flow/vend_cash.c (paying with coins and notes
 * at the kiosk's MDB changer and validator), kiosk/flow/vend_board.c (paying at the drive
 * board's own money devices) and kiosk/flow/vend_print.c (the receipt). Nothing outside
 * the flow includes it. */
#ifndef KIOSK_FLOW_VEND_INT_H
#define KIOSK_FLOW_VEND_INT_H

#include "kiosk/flow/flow.h"

#define WATCH_MS 30000   /* a drive the board has not reported on by then: outcome unknown */
#define RECOVER_MS 2000  /* how often uncertain orders are looked at while the board answers */
#define ASKED 8

struct vend {
	enum kiosk_vend_phase phase;
	char order[37], slot[8];
	int64_t price_fen;
	char reason[48];
	bool by_card;     /* paying at the card reader */
	bool card_on;     /* … the reader enabled for it: a card may be tapped */
	int64_t card_tag; /* its sale */
	/* paying in cash: taking (the changer enabled), what went in, whether only exact
	 * money is taken; and after it, the change or money given back, and what is owed */
	bool by_cash, cash_on, cash_exact;
	int64_t cash_fen;
	enum kiosk_cash_phase cash_back;
	int64_t back_fen, owed_fen;
	/* paying at the board's own money devices: what they reported so far */
	bool by_board;
	int64_t board_fen;
};

struct vend_keep {
	/* the dispense on the board (one at a time: the machine has one delivery port) */
	char order[37], slot[8];
	int64_t tag;
	bool acked;
	int watch_timer;
	int64_t card_tag; /* paid by card: its sale, ended by the dispense's outcome (0 none) */
	/* the cash sale (one at a time: the changer has one cup): its order, and the payout
	 * of what it owes once the order ended (the store's payout id) */
	int64_t cash_tag;
	char cash_order[37];
	int64_t payout_id;
	/* the order the board's own devices take money for (vend_board.c), and the sum */
	char board_order[37];
	int64_t board_fen;
	/* recovery: a check out for an uncertain order, and the orders the board's record
	 * could not settle (not asked again until the board comes back) */
	int recover_timer;
	int64_t check_tag;
	char check_order[37];
	char asked[ASKED][37];
	int nasked;
	/* an operator's test dispense on the board (no order: a request waits for it) */
	bool testing;
	int64_t test_tag;
	char test_slot[8], test_by[32];
	struct kiosk_request test_rq;
	int test_timer;
};

#define S(x) ((struct vend *)(x)->session)
#define K(x) ((struct vend_keep *)(x)->keep)

/* vend.c: is order the one on screen; say its phase there; fail it (the money back);
 * dispense it (paid). */
bool vend_mine(const struct kiosk_fctx *x, const char *order);
void vend_say(struct kiosk_fctx *x, const char *order, enum kiosk_vend_phase phase,
	      const char *reason);
void vend_fail(struct kiosk_fctx *x, const char *order, const char *reason);
void vend_dispense(struct kiosk_fctx *x, const char *order);

/* vend_cash.c: PAY by cash; the changer's events; the order ended (dispensed, failed,
 * cancelled): what its cash owes is paid back; the resident left while paying. */
int vend_cash_pay(struct kiosk_fctx *x);
void vend_on_cash(struct kiosk_fctx *x, const struct kiosk_cash_event *e);
void vend_cash_over(struct kiosk_fctx *x, const char *order);
void vend_cash_drop(struct kiosk_fctx *x);
/* vend_print.c: the ended order's receipt or voucher to the printer (KIOSK_CMD_PRINT_VEND). */
int vend_print(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
	       struct kiosk_result *res);
/* vend_board.c: PAY at the board's own devices; a money report; the resident left. */
int vend_board_pay(struct kiosk_fctx *x);
void vend_board_money(struct kiosk_fctx *x, const struct kiosk_vend_event *e);
void vend_board_drop(struct kiosk_fctx *x);
/* KIOSK_CMD_CASH_SETTLE: an operator paid an order's owed cash by hand. */
int vend_cash_settle(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		     struct kiosk_result *res);

#endif
