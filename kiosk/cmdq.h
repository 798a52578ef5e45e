/* The UI → core command queue: a bounded ring of fixed-size commands guarded by a mutex,
 * with an eventfd the core's poll loop watches. Bounded so a stuck core shows up as
 * KIOSK_EBUSY at the UI instead of growing memory. */
#ifndef KIOSK_CMDQ_H
#define KIOSK_CMDQ_H

#include <stdbool.h>
#include <stdint.h>

/* Commands: one struct per command, in a tagged union; their results likewise
 * (struct kiosk_result in core.h). The core holds the session's authority: a courier or
 * operator named must be the one logged in with this session, and a parcel named must be
 * the one this session's own step produced; anything else is KIOSK_EDENIED and changes
 * nothing. The comment on each type names its struct and its result. */
enum kiosk_cmd_type {
	KIOSK_CMD_HELLO = 1,        /* UI is up: publish a fresh snapshot (no payload) */
	KIOSK_CMD_QUIT,             /* stop the core loop (no payload) */
	KIOSK_CMD_UI_ALIVE,         /* UI heartbeat for the watchdog (no payload) */
	KIOSK_CMD_HELP,             /* .help; result .help */
	KIOSK_CMD_FEEDBACK,         /* .feedback */
	KIOSK_CMD_SERVICE_REQ,      /* .service */
	KIOSK_CMD_LOGIN_OPERATOR,   /* .login; result .login (lockout wait) */
	KIOSK_CMD_COUNT_EVENTS,     /* .name = event type; result .count */
	KIOSK_CMD_CLOCK_SKEW,       /* .skew (test clock only) */
	KIOSK_CMD_OPEN_COMPARTMENT, /* .compartment (operator); result .door */
	KIOSK_CMD_SIM_LOCK,         /* .name = a line for the lock simulator (--simulate) */
	KIOSK_CMD_LOGIN_COURIER,    /* .login; result .login */
	KIOSK_CMD_DEPOSIT,          /* .deposit; result .door: the door opened for it */
	KIOSK_CMD_DEPOSIT_DONE,     /* .parcel: the courier's word it is in (only where the
				     * door could not tell: nothing sensed, or unfinished) */
	KIOSK_CMD_DEPOSIT_CANCEL,   /* .parcel */
	KIOSK_CMD_PICKUP_CHECK,     /* .code; result .pickup */
	KIOSK_CMD_PICKUP_OPEN,      /* (no payload) the door of the parcel this session's code
				     * checked, nothing owed; result .door */
	KIOSK_CMD_TEST_LAST_CODE,   /* test clock only; result .code */
	KIOSK_CMD_SET_COMPARTMENT,  /* .compartment (operator, disable); KIOSK_ELOOK: result
				     * .look says why the operator must look first */
	KIOSK_CMD_RETRIEVE,         /* .courier: the oldest expired parcel's door; result .door */
	KIOSK_CMD_REOPEN,           /* (no payload) the item-left reopen of this session's
				     * pickup; result .door */
	KIOSK_CMD_OPEN_ALL,         /* .operator_id: every usable empty door; result .opened */
	KIOSK_CMD_SEND_CARRIERS,    /* (no payload) result .carriers */
	KIOSK_CMD_SEND_START,       /* .send: a walk-in send; result .door: 到付 opens its door,
				     * 寄付 starts its QR payment (session .pay) and the door
				     * opens when it is paid */
	KIOSK_CMD_SEND_OPEN,        /* .parcel: another door after a jam; result .door */
	KIOSK_CMD_SEND_DONE,        /* .parcel: the door closed on it, the carrier is told */
	KIOSK_CMD_SEND_CANCEL,      /* .parcel: given up before it was in */
	KIOSK_CMD_COLLECT,          /* .courier: the oldest send of its carrier; result .door */
	KIOSK_CMD_COURIER_TASKS,    /* .courier; result .tasks */
	KIOSK_CMD_UNFINISHED,       /* .courier; result .unfinished */
	KIOSK_CMD_SESSION_END,      /* (no payload) the person left (home, idle): the core
				     * forgets the session's checked code, courier, operator */
	KIOSK_CMD_INSPECT,          /* .compartment (operator): open an out-of-service door to
				     * look inside; result .door */
	KIOSK_CMD_RESOLVE,          /* .compartment (operator, keep): what the operator found
				     * in a lost compartment */
	KIOSK_CMD_SYNC_NOW,         /* .all.operator_id: forget the backoff, sync at once */
	KIOSK_CMD_SEND_BOOKING,     /* .booking: look the code up online; result .booking, and
				     * then as SEND_START: the door opens, or the QR payment */
	KIOSK_CMD_PAY_FEE,          /* (no payload) a QR payment for this session's overdue
				     * fee (session .pay); paid, the door opens */
	KIOSK_CMD_PAY_CANCEL,       /* (no payload) the resident gives up this session's QR
				     * payment (cancelled at the platform) */
	KIOSK_CMD_EXT,              /* .name: served by a flow the caller added
				     * (kiosk_core_opts.flows), none built in; result .count */
	KIOSK_CMD_COVERAGE,         /* .coverage (the operator at the screen): 一刻钟达标 worked
				     * out on the worker for item (< 0: the first to add), the
				     * view then held by the core (kiosk_core_coverage); item
				     * KIOSK_COVERAGE_DROP lets the held view go */
	KIOSK_CMD_SIM_VEND,         /* .name = a line for the vending simulator (--simulate) */
	KIOSK_CMD_SIM_MDB,          /* .name = a line for the MDB simulator (--simulate):
				     * "tap FEN" a card, "fault deny" … */
	KIOSK_CMD_VEND_CHOOSE,      /* .vend.slot: this session's order for one item of it
				     * (session .vend); result .vend */
	KIOSK_CMD_VEND_PAY,         /* .vend.method (enum kiosk_vend_method): pay this
				     * session's order; paid, the board drives the slot */
	KIOSK_CMD_VEND_CANCEL,      /* (no payload) give the order up before it is dispensed:
				     * nothing taken, or the money back */
	KIOSK_CMD_VEND_RESTOCK,     /* .vend (operator): count items into slot (0: fill it;
				     * slot "": fill every slot); result .count: items added */
	KIOSK_CMD_VEND_SLOT,        /* .vend (operator): op (enum kiosk_slot_op) on slot; a test
				     * dispense is answered when the board has said: KIOSK_OK
				     * it fell (stock −1, inventory.adjusted), KIOSK_EDEVICE not
				     * (result .vend_test.words says how) */
	KIOSK_CMD_CASH_SETTLE,      /* .vend (operator): the change owed on the order whose
				     * reference (8 characters) is .slot was paid by hand */
	KIOSK_CMD_SCAN_AT,          /* .name: where the screen takes a scan now ("pickup",
				     * "courier_login", "deposit", "send"; "" none): a scan goes
				     * to the flow that serves that place */
	KIOSK_CMD_SIM_SCANNER,      /* .sim.line: a scan for the simulated scanner (--simulate) */
	KIOSK_CMD_SIM_PRINTER,      /* .name: a line for the simulated printer ("paper out") */
	KIOSK_CMD_USB_SEEN,         /* .name "printer 1" / "scanner 0": the USB watch saw a device
				     * of that role come (1) or go (0); the core's own */
	KIOSK_CMD_PRINT_VEND,       /* (no payload) this session's ended purchase: its receipt,
				     * or the voucher of what is owed; answered when printed */
	KIOSK_CMD_PRINT_SEND,       /* (no payload) this session's send, once in: its receipt
				     * with the send number and its QR; answered when printed */
	KIOSK_CMD_PRINT_DEPOSITS,   /* (no payload) the logged-in courier's deposits of this
				     * session on paper; answered when printed */
	KIOSK_CMD_PRINT_ROUTE,      /* .name = a place's id: the walk there from the kiosk, step
				     * by step, on paper (a view of the map: the core's) */
	KIOSK_CMD_MEAL_WHO,         /* .meal.phone or .meal.card: who eats (the platform asked,
				     * or its earlier answer kept); result .meal (pending online) */
	KIOSK_CMD_MEAL_ORDER,       /* .meal.id, .portions, .to_home, .by_card: this resident's
				     * order; free: the ticket at once, else its QR payment
				     * (session .pay) or the card reader's sale; result .meal */
	KIOSK_CMD_MEAL_BACK,        /* (no payload) the order being paid given up: the QR
				     * cancelled or the reader's sale stopped; nothing taken */
	KIOSK_CMD_MEAL_CANCEL,      /* .meal.number, .meal.phone: a ticket given back before its
				     * deadline; result .meal */
	KIOSK_CMD_MEAL_LOGIN,       /* .login: canteen staff at the screen */
	KIOSK_CMD_MEAL_SERVE,       /* .meal.number (or a ticket's QR text) by the canteen staff
				     * logged in: served once; result .meal */
	KIOSK_CMD_PRINT_MEAL,       /* (no payload) this session's ticket on paper */
	KIOSK_CMD_TYPE_COUNT
};
#define KIOSK_COVERAGE_DROP (-1000)

/* What an operator does to a slot (KIOSK_CMD_VEND_SLOT); PRICE: .count is the new price in
 * fen. */
enum kiosk_slot_op { KIOSK_SLOT_DISABLE, KIOSK_SLOT_ENABLE, KIOSK_SLOT_TEST, KIOSK_SLOT_PRICE };

/* How a send is paid, as commands and results say it (the store's enum kiosk_send_pay has
 * the same values). */
enum kiosk_send_payer { KIOSK_PAYER_RECIPIENT, KIOSK_PAYER_SENDER, KIOSK_PAYER_APP };

/* Sizes: ids as the store keeps them; a parcel id is a UUID. */
#define KIOSK_CMD_ID 32
#define KIOSK_CMD_PARCEL 37

struct kiosk_cmd {
	enum kiosk_cmd_type type;
	uint32_t req; /* request id the result is filed under; 0 = no result wanted */
	union {
		/* where: the screen ("" for 一键呼叫); problem: one of KIOSK_PROBLEMS or "" */
		struct { char lang[8]; bool elderly; char where[16]; char problem[24]; } help;
		struct { char context[32]; int stars; char comment[400]; } feedback;
		struct { char category[32]; char text[400]; } service;
		/* PIN cleansed by the core once used; the sender cleanses its own copy */
		struct { char id[KIOSK_CMD_ID]; char pin[16]; } login;
		struct { char text[64]; } name;
		struct { char line[400]; } sim; /* a scan may be longer than a name */
		struct { int64_t ms; } skew;
		struct {
			char id[16];
			char operator_id[KIOSK_CMD_ID];
			bool disable, keep;
		} compartment;
		struct { char courier[KIOSK_CMD_ID]; char tracking[64]; char phone[16]; int size; }
			deposit;
		struct { char parcel[KIOSK_CMD_PARCEL]; } parcel;
		struct { char digits[12]; } code; /* cleansed by the core once used */
		struct { char courier[KIOSK_CMD_ID]; } courier;
		struct { char operator_id[KIOSK_CMD_ID]; } all;
		/* a walk-in send: pay KIOSK_PAYER_RECIPIENT (到付) or _SENDER (寄付, price from
		 * the config); phone cleansed by the core once used; city "" = not given */
		struct { char carrier[32]; int size; int pay; char phone[16]; char city[32]; }
			send;
		struct { char code[16]; } booking; /* 6–12 letters or digits */
		struct { char operator_id[KIOSK_CMD_ID]; int item; } coverage;
		struct {
			char operator_id[KIOSK_CMD_ID];
			char slot[16];
			int method, count, op;
		} vend;
		/* phone cleansed by the core once used, as a send's */
		struct {
			char id[64], phone[16], card[96], number[24];
			int portions;
			bool to_home, by_card;
		} meal;
	} u;
};

#define KIOSK_CMDQ_CAP 64

struct kiosk_cmdq; /* opaque */

/* *out owned by the caller, freed with kiosk_cmdq_free(). */
int kiosk_cmdq_new(struct kiosk_cmdq **out);
void kiosk_cmdq_free(struct kiosk_cmdq *q);
/* The fd that becomes readable when commands are waiting. Owned by the queue. */
int kiosk_cmdq_fd(const struct kiosk_cmdq *q);
/* Any thread. KIOSK_EBUSY when full (nothing queued). */
int kiosk_cmdq_push(struct kiosk_cmdq *q, const struct kiosk_cmd *cmd);
/* Consumer thread. Returns 1 and fills *cmd, or 0 when empty (and clears the wake-up). */
int kiosk_cmdq_pop(struct kiosk_cmdq *q, struct kiosk_cmd *cmd);

#endif
