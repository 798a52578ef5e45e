/* The application core and its thread.
 *
 * The core owns every device fd, timer, the database writer and the network; it runs on
 * its own thread in one poll loop so a hardware timeout never freezes the screen. The UI
 * talks to it only through this header: commands in (kiosk_core_send), notifications out
 * (the notify callback, called on the core thread — it must only hand the note over, e.g.
 * SDL_PushEvent) and snapshots read by copy (kiosk_core_snapshot). */
#ifndef KIOSK_CORE_H
#define KIOSK_CORE_H

#include "kiosk/cmdq.h"
#include "kiosk/config.h"
#include "kiosk/errors.h"

#include <stdbool.h>
#include <stdint.h>

enum kiosk_devclass {
	KIOSK_DEV_LOCK,
	KIOSK_DEV_VEND,
	KIOSK_DEV_MDB,
	KIOSK_DEV_PRINTER,
	KIOSK_DEV_SCANNER,
	KIOSK_DEV_COUNT
};

enum kiosk_devstate {
	KIOSK_DEVSTATE_ABSENT,    /* not fitted: no driver configured */
	KIOSK_DEVSTATE_SIMULATED, /* --simulate */
	KIOSK_DEVSTATE_NOT_BUILT, /* configured, but its driver is not part of this build yet */
	KIOSK_DEVSTATE_OK,
	KIOSK_DEVSTATE_FAULT,
};

/* A compartment's state as the store keeps it. */
enum kiosk_comp_state {
	KIOSK_COMP_FREE,
	KIOSK_COMP_RESERVED, /* held for a parcel on its way in */
	KIOSK_COMP_OCCUPIED,
	KIOSK_COMP_DISABLED, /* taken out of service by an operator */
	KIOSK_COMP_FAULTY,   /* its door jammed */
	KIOSK_COMP_UNKNOWN,  /* its board did not answer: the operator looks */
	KIOSK_COMP_STATE_COUNT
};
/* "free", "reserved" … as the store, kioskctl and the platform say it. */
const char *kiosk_comp_state_name(enum kiosk_comp_state s);

/* A compartment as the screens see it. */
struct kiosk_compartment_view {
	char id[16];
	enum kiosk_comp_state state;
	bool in_service; /* free, reserved or occupied: an operator may disable it; otherwise
			  * it may be enabled (after looking) */
	char size[3];
	bool door_open; /* as the door monitor last read it */
	bool left_open; /* … and open for longer than the core allows (KIOSK_DOOR_LEFT_OPEN_S):
			 * door.left_open was raised */
	bool item;      /* item sensor (boards that have one) */
	uint8_t column, row; /* place on the bank, from the left and the top, from 1; 0 = not
			      * known (a config built without the parser) */
};

/* Where the resident's pickup stands, as the core decides it (the screen only shows it). */
enum kiosk_pickup_phase {
	KIOSK_PICKUP_NONE,        /* no code checked in this session */
	KIOSK_PICKUP_FEE,         /* code checked, an overdue fee is owed: the door stays shut */
	KIOSK_PICKUP_CHECKED,     /* code checked, nothing owed: the door may open */
	KIOSK_PICKUP_OPENING,     /* unlock sent, outcome awaited */
	KIOSK_PICKUP_OPEN,        /* the door opened and was not yet read closed */
	KIOSK_PICKUP_DONE,        /* the door closed, the compartment empty */
	KIOSK_PICKUP_LEFT_INSIDE, /* the door closed on the item (item sensor): reopen offered */
	KIOSK_PICKUP_STUCK,       /* the door did not open (jammed, or the board did not answer) */
};

/* Where the courier's deposit stands, as the core decides it from the door and the item
 * sensor (the screen only shows it). */
enum kiosk_deposit_phase {
	KIOSK_DEPOSIT_NONE,
	KIOSK_DEPOSIT_OPENING,    /* unlock sent */
	KIOSK_DEPOSIT_OPEN,       /* the door opened: put the parcel in, close the door */
	KIOSK_DEPOSIT_DONE,       /* closed on the parcel: committed, the code is on its way */
	KIOSK_DEPOSIT_EMPTY,      /* closed, but the item sensor sees nothing: the courier
				   * confirms it is in (DEPOSIT_DONE) or cancels */
	KIOSK_DEPOSIT_UNFINISHED, /* an earlier deposit put to this courier to settle */
	KIOSK_DEPOSIT_STUCK,      /* the door did not open (jammed, or no answer) */
};

/* Where the resident's send stands, decided by the core like the deposit. */
enum kiosk_send_phase {
	KIOSK_SEND_NONE,
	KIOSK_SEND_PAYING,  /* 寄付: the QR payment first (session .pay), then the door */
	KIOSK_SEND_OPENING,
	KIOSK_SEND_OPEN,  /* put the parcel in, close the door */
	KIOSK_SEND_DONE,  /* closed on it: the carrier is told */
	KIOSK_SEND_EMPTY, /* closed, the item sensor sees nothing: confirm or cancel */
	KIOSK_SEND_STUCK, /* the door did not open */
};

/* Where the courier's takeout stands (an expired parcel taken back, a send collected),
 * decided by the core from the door and the item sensor. */
enum kiosk_takeout_phase {
	KIOSK_TAKEOUT_NONE,
	KIOSK_TAKEOUT_OPENING,     /* unlock sent */
	KIOSK_TAKEOUT_OPEN,        /* the door opened: take the parcel out, close the door */
	KIOSK_TAKEOUT_DONE,        /* closed on an empty compartment: retrieved / collected */
	KIOSK_TAKEOUT_LEFT_INSIDE, /* closed with the parcel still inside (item sensor): nothing
				    * was marked; the courier may open it again */
	KIOSK_TAKEOUT_STUCK,       /* the door did not open */
};

/* Where this session's QR payment stands (the fee at pickup, a 寄付 send). */
enum kiosk_pay_phase {
	KIOSK_PAY_NONE,
	KIOSK_PAY_CREATING, /* asking the platform for a QR */
	KIOSK_PAY_SHOWN,    /* the QR is up: the core asks every 2 s whether it is paid */
	KIOSK_PAY_PAID,     /* paid: the flow goes on (the door opens) */
	KIOSK_PAY_EXPIRED,  /* not paid in time: a new one may be asked for */
	KIOSK_PAY_OFFLINE,  /* the platform could not be reached: nothing was taken */
	KIOSK_PAY_FAILED,   /* the platform refused, or its answer was unreadable */
	KIOSK_PAY_REFUNDED, /* paid too late for what it was for: given back */
};

/* Where the resident's purchase from the vending machine stands (kiosk/flow/vend.c). */
enum kiosk_vend_phase {
	KIOSK_VEND_NONE,
	KIOSK_VEND_CHOSEN,     /* an item chosen, its order made: how to pay */
	KIOSK_VEND_PAYING,     /* the payment is under way (session .pay for QR) */
	KIOSK_VEND_DISPENSING, /* paid: the board drives the slot */
	KIOSK_VEND_DONE,       /* the drop sensor saw it fall: take the item */
	KIOSK_VEND_FAILED,     /* nothing fell (jam, no motor, board away): the money is
				* being given back by the way it came (refund requested) */
	KIOSK_VEND_UNKNOWN,    /* the board never said how it ended: recorded for the board's
				* record or an operator to settle; never refunded blind */
	KIOSK_VEND_RETURNED,   /* cancelled after money went in: given back (session .vend_back) */
};
/* Where a resident's 助餐 order stands (kiosk/flow/meal.c). */
enum kiosk_meal_phase {
	KIOSK_MEAL_NONE,
	KIOSK_MEAL_ASKING,   /* who eats at which price: the platform is being asked */
	KIOSK_MEAL_CHOOSING, /* known (or full price): the menu at this resident's prices */
	KIOSK_MEAL_PAYING,   /* the order made, its QR payment under way (session .pay) */
	KIOSK_MEAL_DONE,     /* paid (or free): the ticket */
	KIOSK_MEAL_REFUNDED, /* paid when it could no longer be sold (sold out, the deadline
			      * passed): the money is being given back (refund requested) */
	KIOSK_MEAL_CANCELLED /* a ticket cancelled by its number and phone: money back */
};
/* A meal on the menu as this resident would pay for it. */
#define KIOSK_MEAL_VIEW_MAX 16
struct kiosk_meal_view {
	char id[64], day[11], canteen[64], kind[8];
	char name_zh[64], name_en[64], image[40], note_zh[64], note_en[64];
	int64_t price_fen, due_fen; /* each portion: the canteen's price, and after the tier */
	int64_t order_by_ms;        /* UTC */
	int16_t left;               /* portions this kiosk may still sell */
	bool open;                  /* before its deadline, portions left */
};

/* Money a cash purchase gives back — change after the item, everything after a failure
 * or a cancel — as the changer pays it (kiosk/flow/vend_cash.c). */
enum kiosk_cash_phase {
	KIOSK_CASH_BACK_NONE,   /* nothing to give back (or not yet known) */
	KIOSK_CASH_BACK_PAYING, /* the changer is paying back_fen */
	KIOSK_CASH_BACK_PAID,   /* back_fen is in the cup */
	KIOSK_CASH_BACK_SHORT,  /* back_fen is in the cup, owed_fen more is owed: a voucher */
};
/* How a resident pays the machine. Only those whose devices are present and healthy are
 * offered (snapshot .vend_methods, a bit each). */
enum kiosk_vend_method {
	KIOSK_VEND_BY_QR,
	KIOSK_VEND_BY_CARD,
	KIOSK_VEND_BY_CASH,
	KIOSK_VEND_BY_BOARD, /* the drive board's own money devices ($.vend.board_pays) */
};

/* A slot with its product, as the 购物 screen and the Stock page show it. */
struct kiosk_vend_view {
	char slot[8], name_zh[48], name_en[48], category[24], image[40];
	int64_t price_fen;
	int16_t capacity, stock;
	bool enabled;
};
#define KIOSK_VEND_VIEW_MAX 60

/* The session at the screen (one person at a time), as the core holds it. */
/* The last help call, as the platform's answer makes it true (kiosk/flow/resident.c). */
enum kiosk_help_phase {
	KIOSK_HELP_NONE,
	KIOSK_HELP_CALLING,     /* in the outbox, being sent: nobody has been told yet */
	KIOSK_HELP_RECEIVED,    /* the platform acknowledged it: the duty staff were paged */
	KIOSK_HELP_UNREACHABLE, /* offline, refused, or unacknowledged for $.help.ack_wait_s:
				 * nobody has been told; the call stays queued */
};

struct kiosk_session_view {
	enum kiosk_pickup_phase pickup;
	char pickup_compartment[16];
	char courier[32];  /* logged-in courier, "" = none */
	enum kiosk_deposit_phase deposit;
	enum kiosk_send_phase send;
	char send_compartment[16]; /* the send's door once it opens */
	char send_number[9];       /* the send's number once it is in (KIOSK_SEND_DONE): the
				    * resident's receipt, and its QR code */
	enum kiosk_pay_phase pay;
	int64_t pay_amount_fen;
	int64_t pay_expires_ms; /* UTC */
	char pay_qr[512];       /* what the QR code shows */
	char operator_id[32]; /* logged-in operator, "" = none */
	enum kiosk_takeout_phase takeout;
	char takeout_compartment[16];
	/* a door of this session is opening or open: the person is busy at the bank, not
	 * idle, and the idle timeout waits */
	bool door_busy;
	enum kiosk_help_phase help;
	/* the pickup keypad is locked (too many wrong codes) until then, UTC ms; 0 = not:
	 * known before anyone types (the next resident sees it at once) */
	int64_t pickup_locked_until_ms;
	/* the purchase: its phase, slot, price, the order's reference (what the resident
	 * quotes: the order id's first 8 characters, upper case), and what went wrong */
	enum kiosk_vend_phase vend;
	char vend_slot[8];
	int64_t vend_price_fen;
	char vend_ref[9];
	char vend_reason[48];
	bool vend_by_card; /* PAYING: at the card reader, not by QR … */
	bool vend_card_on; /* … and the reader is enabled: a card may be tapped now */
	bool vend_by_cash; /* PAYING in coins and notes … */
	bool vend_cash_on; /* … the changer takes them now … */
	bool vend_cash_exact; /* … only money the tubes can change (exact money only) */
	bool vend_by_board;   /* PAYING at the vending machine's own devices … */
	int64_t vend_board_fen; /* … what it reported taken so far */
	int64_t vend_cash_fen; /* put in so far */
	enum kiosk_cash_phase vend_back;
	int64_t vend_back_fen, vend_owed_fen; /* given back; still owed (the voucher) */
	/* 助餐 (kiosk/flow/meal.c): who eats at which price — the tier ("60+", "80+", "90+",
	 * "none"; "" not known: the full price), its discount, how it is known (online, an
	 * earlier answer kept, or not at all because the platform could not be asked) — the
	 * menu at those prices, "和上次一样" (tomorrow's meal of the kind last ordered), and
	 * the order or ticket */
	enum kiosk_meal_phase meal;
	char meal_tier[8];
	int meal_percent;
	bool meal_cached, meal_offline, meal_delivery; /* delivery: meals may be brought */
	char meal_name_masked[32], meal_phone_last4[5];
	char meal_same[64]; /* "" none */
	int meal_same_portions;
	bool meal_same_delivery;
	char meal_number[9], meal_ordered[64]; /* the ticket's number, and its meal's id */
	int meal_portions;
	bool meal_to_home;
	int64_t meal_due_fen;
	char meal_method[8]; /* "qr", "mdb", "free" */
	bool meal_card_offered; /* the card reader is there and set up: a way to pay */
	bool meal_by_card, meal_card_on; /* PAYING at the reader; it takes a card now */
	char meal_reason[48];
	char meal_staff[32]; /* canteen staff logged in at the screen, "" none */
	int nmeals;
	struct kiosk_meal_view meals[KIOSK_MEAL_VIEW_MAX];
	/* The last scan (a code scanner): scan_seq counts them. Where the screen took scans
	 * (scan_at, as the screen said), the flow serving that place made it a request whose
	 * result is filed under scan_req, as if the screen had sent it; elsewhere, or not a
	 * code at all, scan_refused says so (scan_req 0) and why ("not_here", "too_long",
	 * "unprintable"). */
	uint32_t scan_seq, scan_req;
	char scan_at[16];
	bool scan_refused;
	char scan_why[16];
};

/* The rules the operator may change from the platform (a `config` change) that screens
 * show or follow: the core's effective config, not the file's. */
struct kiosk_settings {
	char help_phone[24];
	int idle_timeout_s;
	int send_price_fen[4]; /* 寄付 by size: S, M, L, XL */
	int meal_max_portions;
	char meal_full_price_note_zh[128], meal_full_price_note_en[128];
};

/* An immutable copy of what the screens may show. */
struct kiosk_snapshot {
	uint64_t version; /* increases with every change */
	int64_t now_ms;   /* UTC epoch ms when taken */
	int64_t uptime_s;
	bool simulate;
	struct kiosk_settings settings;
	enum kiosk_devstate dev[KIOSK_DEV_COUNT];
	bool printer_no_paper; /* the printer says it is out of paper (its fault's reason) */
	char dev_why[KIOSK_DEV_COUNT][96]; /* a fault's reason, as its bus found it ("" none) */
	int64_t outbox_unsent; /* events waiting for the platform */
	int64_t payments_open; /* QR payments the platform has not settled yet */
	/* the platform link: residents see only online / offline; the operator the rest */
	enum kiosk_net { KIOSK_NET_NONE, KIOSK_NET_OFFLINE, KIOSK_NET_ONLINE } net;
	bool net_connecting; /* offline only because the first attempt since start is still
			      * out: the screen says "connecting", not "offline" */
	int64_t outbox_oldest_ms;  /* UTC ms of the oldest unsent event, 0 = none */
	int64_t dead_letters;      /* events the platform refused for good */
	int64_t sync_last_ok_ms;   /* last answered request, 0 = never */
	int64_t sync_next_try_ms;  /* next attempt while backing off, 0 = none */
	bool sync_pull_due;        /* changes are waiting to be asked for (or in flight) */
	/* the map is being read or the neighbourhood built, with none to show yet: the map
	 * says "preparing", not "no map" */
	bool map_preparing;
	/* 一刻钟达标 (KIOSK_CMD_COVERAGE): being worked out; views made so far (a new one to
	 * take with kiosk_core_coverage); why the last one asked for failed ("" none), and
	 * its kiosk_err (0 none; KIOSK_ENOENT: no street map imported) */
	bool coverage_working;
	uint32_t coverage_views;
	char coverage_error[160];
	int coverage_rc;
	/* the store's disk is full: "存储空间已满，请联系运维" until a write goes through */
	bool disk_full;
	/* the operator's message for the home screen (set_message), "" = none; shown until */
	char message_zh[256], message_en[256];
	int64_t message_until_ms;
	/* the platform asked for a restart: the UI exits (systemd starts it again) as soon as
	 * nobody is using the kiosk */
	bool restart_requested;
	char sync_error[160];      /* what went wrong last ("" = nothing, or link not set up) */
	int ncompartments;
	struct kiosk_compartment_view compartments[KIOSK_MAX_COMPARTMENTS];
	int free_by_size[4]; /* free compartments: S, M, L, XL */
	/* a parcel of this size has a compartment now (the smallest free one at least this
	 * large is taken): S, M, L, XL */
	bool size_available[4];
	/* Can the bank take a parcel in now? */
	enum kiosk_bank {
		KIOSK_BANK_NONE,       /* no locker bank fitted */
		KIOSK_BANK_OK,         /* some compartment is free */
		KIOSK_BANK_FULL,       /* every compartment is in use */
		KIOSK_BANK_FAULT_FULL, /* none free, and a board does not answer */
	} bank;
	/* the vending machine: can it sell now (a board polling), else why; how it may be
	 * paid (1 << enum kiosk_vend_method); its slots */
	bool vend_ready;
	char vend_why[96];
	unsigned vend_methods;
	int64_t vend_slowest_us; /* the board's slowest answer to a poll so far (limit 100 ms) */
	/* the machine as its board last said: known, its door open, its cooling faulty */
	bool vend_machine_known, vend_door_open, vend_cooling_fault;
	/* the MDB devices that answer, and the changer's tubes (coin value, coins in it) */
	bool mdb_card, mdb_coin, mdb_bill;
	int ntubes;
	int64_t tube_fen[8];
	int tube_count[8];
	/* cash the machine owes residents (payouts it could not finish, or a crash cut short) */
	int64_t cash_debts, cash_debt_fen;
	int ndebts;
	struct { char ref[9]; int64_t owed_fen; } debts[4]; /* the oldest: what staff pay */
	int nvend;
	struct kiosk_vend_view vend_items[KIOSK_VEND_VIEW_MAX];
	struct kiosk_session_view session;
	/* progress counters, so tests and scripts wait on conditions instead of sleeping */
	int requests_waiting;      /* requests whose doors' outcomes (or slow work: a PIN being
				    * checked) are not in yet */
	unsigned long lock_rounds; /* door-monitor rounds applied */
};

enum kiosk_note {
	KIOSK_NOTE_SNAPSHOT = 1, /* a new snapshot is ready */
	KIOSK_NOTE_STOPPED,      /* the core loop has ended */
	KIOSK_NOTE_RESULT,       /* a request's result is ready: kiosk_core_result() */
};

/* The outcome of a request, kept until read (a small ring: the UI reads promptly). The
 * union member is the one its command's comment names (kiosk/cmdq.h). */
struct kiosk_result {
	uint32_t req;
	enum kiosk_cmd_type type;
	int rc; /* KIOSK_OK or a kiosk_err */
	union {
		struct { int64_t wait_s; } login; /* KIOSK_ELOCKED: seconds left */
		struct { bool already; } help;   /* a call within 2 min: the same call */
		struct { int64_t n; } count;
		/* the order made: its id (a receipt's QR, kioskctl), the reference a resident
		 * quotes, its price */
		struct { char order[37]; char ref[9]; int64_t price_fen; } vend;
		struct { char words[48]; } vend_test; /* a test dispense: how it ended */
		/* a door opened (or tried): its parcel (when the command picks one) */
		/* tracking: what a courier takes out (a retrieval or a collection), "" else */
		struct {
			char parcel[KIOSK_CMD_PARCEL];
			char compartment[16];
			char tracking[64];
		} door;
		/* checked: the compartment and the fee owed; or KIOSK_ELOCKED's wait */
		/* a code checked: its door, what is owed and why (hours stored; the rule: free
		 * hours, then fen per started block of hours), or the lockout's wait */
		struct {
			char compartment[16];
			int64_t owed_fen, wait_s;
			int tries_left; /* after a wrong code: how many more before the lockout */
			int stored_h, free_h, block_h;
			int64_t block_fen, paid_fen;
		} pickup;
		struct { int64_t n; } opened;
		struct { bool item, in_flight; char tracking[64]; } look;
		struct { int n; char names[8][32]; } carriers;
		struct { int64_t expired, sends; } tasks;
		struct { char parcel[KIOSK_CMD_PARCEL]; char tracking_tail[9]; char compartment[16]; }
			unfinished;
		struct { char digits[9]; } code;
		/* a scan a flow took as text for the screen's field (a badge's courier id, a
		 * tracking number) */
		struct { char text[64]; } scan;
		/* 助餐: the order's ticket number and what the resident pays; a served or
		 * cancelled ticket's meal and state */
		struct {
			char number[9], meal[64], state[12];
			int64_t due_fen;
			int portions;
		} meal;
		/* a booking looked up: the send it became (then as a walk-in's) */
		struct {
			char parcel[KIOSK_CMD_PARCEL];
			char carrier[32], city[32];
			int size, pay; /* enum kiosk_send_payer */
			int64_t amount_fen;
			int wait_s; /* KIOSK_ELOCKED: too many wrong codes, seconds left */
		} booking;
	} u;
};

typedef void (*kiosk_notify_fn)(void *arg, enum kiosk_note note);

/* One kiosk per store and per control socket: flocks on "<store>.lock" and
 * "<socket>.lock" (the folders made, private, first). Taken before anything else starts —
 * the screen included — so a second kiosk neither opens a window nor touches the first
 * one's socket. -1 where not held. */
struct kiosk_claim {
	int store_fd, socket_fd;
};
/* KIOSK_EBUSY with why naming the other kiosk's pid and the path; else as the folders
 * and the store's checks say. *out is released with kiosk_claim_release(). */
int kiosk_core_claim(const struct kiosk_config *cfg, struct kiosk_claim *out, char *why,
		     size_t why_len);
void kiosk_claim_release(struct kiosk_claim *cl);

struct kiosk_core_opts {
	const struct kiosk_config *cfg; /* copied */
	/* Held by the caller (taken over by the core, and set to -1s, on any return of
	 * kiosk_core_start), or NULL: the core claims for itself. */
	struct kiosk_claim *claim;
	bool simulate;
	kiosk_notify_fn notify; /* may be NULL */
	void *notify_arg;
	bool test_clock; /* accept KIOSK_CMD_CLOCK_SKEW (headless UI scripts) */
	/* More flows after the built-in ones (kiosk/flow/flow.h), NULL-terminated; NULL for
	 * none. A flow added here is run exactly as a built-in one. */
	const struct kiosk_flow *const *flows;
};

struct kiosk_core; /* opaque */
struct kiosk_flow;

/* Loads the device key, opens the store (running recovery), opens the control socket and
 * starts the core thread. On failure *why (why_len bytes) says what could not be opened,
 * naming the file. *out owned by the caller until kiosk_core_stop(). */
int kiosk_core_start(const struct kiosk_core_opts *opts, struct kiosk_core **out, char *why,
		     size_t why_len);
/* Any thread: a command without payload or result (HELLO, UI_ALIVE, QUIT). KIOSK_EBUSY
 * when the queue is full. */
int kiosk_core_send(struct kiosk_core *core, enum kiosk_cmd_type type);
/* Any thread: sends cmd (copied; its type and union member filled by the caller) whose
 * result is wanted; *req (may be NULL) gets its id, never 0. String members are cut at
 * their last byte (the core terminates them). KIOSK_EBUSY when the queue is full. */
int kiosk_core_submit(struct kiosk_core *core, const struct kiosk_cmd *cmd, uint32_t *req);
/* Any thread: 1 and *out filled (and the result forgotten) when req's result is in. */
int kiosk_core_result(struct kiosk_core *core, uint32_t req, struct kiosk_result *out);
/* Any thread: how many requests were ever sent (scripts wait until a tap's chain of
 * requests has run out). */
unsigned kiosk_core_requests_sent(struct kiosk_core *core);
/* Any thread: copies the latest snapshot. */
void kiosk_core_snapshot(struct kiosk_core *core, struct kiosk_snapshot *out);
/* Stops the loop, joins the thread and frees everything. NULL is fine. */
void kiosk_core_stop(struct kiosk_core *core);
/* Any thread: the core's caches (kiosk/caches.h) — SQLite's memory over every connection
 * — with their bounds, into out; how many written (at most max). */
struct kiosk_cache_stat;
int kiosk_core_caches(struct kiosk_cache_stat *out, int max);

const char *kiosk_devclass_name(enum kiosk_devclass c);
const char *kiosk_devstate_name(enum kiosk_devstate s);

#endif
