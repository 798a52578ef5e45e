/* The contract of a flow, and the ports through which it reaches the world.
 *
 * A flow (pickup, deposit, send, payment …) is a `const struct kiosk_flow` of hooks in one
 * file under kiosk/flow/, listed in the one table of kiosk/flow/flows.c, the way curl's
 * protocol handlers fill `struct Curl_handler`: it fills the hooks it needs and leaves the
 * rest NULL, and the generic machine (kiosk/core.c and its helpers) calls them without ever
 * asking which flow it is running. A flow includes this header and the domain services
 * (the store, the wire formats) — never the core's internals: everything it does to a
 * device, a payment, the platform, a timer or the screen goes through `struct kiosk_ports`.
 *
 * Every hook runs on the core thread and returns quickly (nothing in a flow waits for a
 * device or the network: it asks through a port and is called back). */
#ifndef KIOSK_FLOW_FLOW_H
#define KIOSK_FLOW_FLOW_H

#include "kiosk/core.h"
#include "kiosk/loop.h"
#include "kiosk/store/store.h"
#include "kiosk/vend_event.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Who asked. The UI's requests come from the person at the screen (whatever courier or
 * operator logged in there); the control socket's from a local user (root or the kiosk's
 * own user may change state, any other member of the socket's group may only read); remote
 * commands from the platform. Each handler decides what its actor may do: one entry and
 * one rule per operation, whoever calls. */
enum kiosk_actor_kind {
	KIOSK_ACTOR_SESSION,      /* the touch screen (or a scanner at it) */
	KIOSK_ACTOR_LOCAL_ADMIN,  /* kioskctl as root or the kiosk's user */
	KIOSK_ACTOR_LOCAL_READER, /* kioskctl as anyone else in the socket's group */
	KIOSK_ACTOR_PLATFORM,     /* a remote command */
};

struct kiosk_actor {
	enum kiosk_actor_kind kind;
	char name[32]; /* what the audit trail records: "kioskctl-uid0", "platform"; "" for a
			* session (its courier or operator id is recorded) */
};

/* A request in flight: who asked and where the answer goes (any of them, or none). */
struct kiosk_request {
	uint32_t req;     /* UI request id: its result is filed for the screen; 0 = none */
	int ctl;          /* control client waiting for the JSON answer; 0 = none */
	char remote[64];  /* platform command id: its command.done; "" = none */
	struct kiosk_actor actor;
};

/* Who logged in at the screen. Shared by the flows (a courier logged in by the courier
 * flow is the one the deposit flow serves), wiped with the session. */
struct kiosk_auth {
	char courier[32], operator_id[32];
	char canteen[32]; /* canteen staff (kiosk/flow/meal.c) */
	unsigned session; /* counts the sessions ended: work finishing later knows its own */
};

/* How a door a flow opened reads now, as the door monitor last read it. */
struct kiosk_door_reading {
	bool open;
	bool has_sensor; /* the board has an item sensor for this door */
	bool item;       /* … and it sees something (false without a sensor) */
};

/* How a payment a flow asked for ended (on_paid). */
enum kiosk_paid {
	KIOSK_PAID,            /* paid: go on (open the door) */
	KIOSK_PAID_REFUNDED,   /* paid too late for what it was for: given back */
	KIOSK_PAID_GIVEN_UP,   /* the resident gave the QR up (nothing taken) */
	KIOSK_PAID_UNATTENDED, /* paid with nobody at the screen (after a restart): undo what
				* it was for; the money goes back when the flow's undo refunds */
};

/* A handler returns a kiosk_err, or KIOSK_FLOW_PENDING when an outcome (a door, a
 * platform answer) will complete the request later. */
#define KIOSK_FLOW_PENDING 1

struct kiosk_flow;
struct kiosk_ports;
struct kiosk_receipt; /* kiosk/receipt.h */

/* What every hook is handed: the ports, the flow itself, and its state — `session`
 * (session_size bytes, zeroed when the person leaves) and `keep` (keep_size bytes, for the
 * life of the core). Owned by the core. */
struct kiosk_fctx {
	const struct kiosk_ports *p;
	const struct kiosk_flow *self;
	void *session;
	void *keep;
};

/* A platform call's tag (what its answer is handed back with) is shorter than this. */
#define KIOSK_FLOW_TAG 48

typedef void (*kiosk_call_fn)(void *arg, const char *tag, long status, const char *body,
			      size_t len);
typedef int64_t (*kiosk_flow_timer_fn)(struct kiosk_fctx *x, int id);

/* The world as a flow sees it. Filled by the core (kiosk/ports.c); a flow never stores a
 * pointer it got here beyond the hook, except the fctx itself (it lives as long as the
 * core, so it may be a callback's argument). */
struct kiosk_ports {
	struct kiosk_store *store;
	const struct kiosk_config *cfg; /* in effect: the file's, with the platform's settings */
	struct kiosk_auth *auth;
	bool test_clock; /* headless scripts and tests: the virtual clock is accepted */
	/* test clock only: the last pickup code made, which scripts type in place of the
	 * recipient reading the SMS (9 bytes); NULL otherwise */
	char *test_code;
	void *core;      /* the core's, for the port functions only */

	/* ---- devices ---- */
	/* Can a door be asked for now? KIOSK_ENOTSUP without a locker, KIOSK_EBUSY when no
	 * unlock can be queued. Ask before committing an intent. */
	int (*door_ready)(struct kiosk_fctx *x);
	/* Queues the unlock of a committed intent. The request rq (may be NULL: nobody waits)
	 * is answered when the outcome is in, with res (may be NULL) and the door's
	 * compartment in res.u.door; the flow's on_device_outcome runs first. Returns
	 * KIOSK_FLOW_PENDING, or an error (then the intent is settled as unknown: never left
	 * open-ended, never re-fired). */
	int (*door_open)(struct kiosk_fctx *x, const struct kiosk_request *rq,
			 const struct kiosk_result *res, const struct kiosk_door *door);
	/* Several doors for one request ("open all"): begin (returns a group id or an error),
	 * add each committed intent, end (returns KIOSK_FLOW_PENDING). The result's
	 * u.opened.n is how many opened, rc the first error. */
	int (*group_begin)(struct kiosk_fctx *x, const struct kiosk_request *rq);
	int (*group_add)(struct kiosk_fctx *x, int group, const struct kiosk_door *door);
	void (*group_error)(struct kiosk_fctx *x, int group, int rc);
	int (*group_end)(struct kiosk_fctx *x, int group);
	/* The door as the monitor last read it. */
	void (*door_read)(struct kiosk_fctx *x, const char *compartment,
			  struct kiosk_door_reading *out);
	/* A line for a device class's simulator (--simulate only): KIOSK_ENOTSUP without. */
	int (*device_sim)(struct kiosk_fctx *x, enum kiosk_devclass cls, const char *line);
	/* The vending machine's drive board: is it there and polling? KIOSK_OK; KIOSK_ENOTSUP
	 * none fitted; KIOSK_EDEVICE silent or not opened — why (cap bytes) says what. */
	int (*vend_ready)(struct kiosk_fctx *x, char *why, size_t cap);
	/* Drive a slot (drop sensor on) / check a slot at the board's next poll, for an
	 * intent already committed; *tag gets the command's tag: its events (on_vend) carry
	 * it. KIOSK_ENOTSUP, KIOSK_EINVAL (a slot the board cannot have), KIOSK_EBUSY. */
	int (*vend_drive)(struct kiosk_fctx *x, const char *slot, int64_t *tag);
	int (*vend_check)(struct kiosk_fctx *x, const char *slot, int64_t *tag);
	/* Select to buy: the board's own money devices take the money for slot; what they
	 * take comes as KIOSK_VEV_MONEY. KIOSK_ENOTSUP without them ($.vend.board_pays) or
	 * with none working. */
	int (*vend_select)(struct kiosk_fctx *x, const char *slot, int64_t *tag);
	/* The MDB card reader: there and set up? KIOSK_OK; KIOSK_ENOTSUP none; KIOSK_EDEVICE
	 * (why). A sale: begin (enable the reader for price_fen of item, *tag its tag; its steps
	 * come to on_card), end after approval (success: the item fell, charged; failure: not
	 * charged), cancel before approval. */
	int (*card_ready)(struct kiosk_fctx *x, char *why, size_t cap);
	int (*card_begin)(struct kiosk_fctx *x, int64_t price_fen, int item, int64_t *tag);
	int (*card_end)(struct kiosk_fctx *x, int64_t tag, bool success);
	int (*card_cancel)(struct kiosk_fctx *x, int64_t tag);
	/* The MDB coin changer (and bill validator, when fitted): there and set up? As
	 * card_ready. A sale: begin taking coins and notes toward price_fen (*tag; its steps
	 * come to on_cash), stop taking (cancel; nothing once paid), pay fen back after it was
	 * paid or stopped (0: nothing owed, the sale ends) — the payout is counted by the
	 * changer and said in on_cash. */
	int (*cash_ready)(struct kiosk_fctx *x, char *why, size_t cap);
	int (*cash_begin)(struct kiosk_fctx *x, int64_t price_fen, int64_t *tag);
	int (*cash_stop)(struct kiosk_fctx *x, int64_t tag);
	int (*cash_payout)(struct kiosk_fctx *x, int64_t tag, int64_t fen);
	/* The receipt printer: can it print now (there, answering, paper in)? Print r: rq (may
	 * be NULL) is answered with type when the printer is done — KIOSK_OK printed,
	 * KIOSK_EDEVICE (out of paper …), KIOSK_EIO / KIOSK_ETIMEDOUT (not printed whole). Returns
	 * KIOSK_FLOW_PENDING, or KIOSK_ENOTSUP (no printer), KIOSK_EDEVICE (cannot now),
	 * KIOSK_EBUSY. Nothing of a flow waits on it. */
	bool (*printer_ok)(struct kiosk_fctx *x);
	int (*print)(struct kiosk_fctx *x, const struct kiosk_request *rq, enum kiosk_cmd_type type,
		     const struct kiosk_receipt *r);

	/* ---- payments (the payment flow provides them; purpose names the flow whose
	 * on_paid hears how it ended) ---- */
	/* Starts this session's QR payment for what parcel owes. KIOSK_ENOTSUP without a
	 * platform, KIOSK_EBUSY while one is open. */
	int (*pay_start)(struct kiosk_fctx *x, enum kiosk_pay_purpose purpose, const char *parcel);
	/* Leaves this session's payment (cancelled at the platform). Nothing when none. */
	void (*pay_leave)(struct kiosk_fctx *x);
	/* A payment ended (called by the payment flow): the flow that pays for purpose hears
	 * it in on_paid. */
	void (*paid)(struct kiosk_fctx *x, enum kiosk_pay_purpose purpose, const char *parcel,
		     enum kiosk_paid how);

	/* ---- the screen and the requests ---- */
	/* Publishes a fresh snapshot and tells the UI. */
	void (*publish)(struct kiosk_fctx *x);
	/* Answers a request later (a platform answer): res->rc and res->u as for a handler. */
	void (*answer)(struct kiosk_fctx *x, const struct kiosk_request *rq,
		       const struct kiosk_result *res);

	/* ---- timers (on the core loop) ---- */
	/* fn returns the next delay in ms, or -1 to stop. Returns the timer id (> 0) or an
	 * error. */
	int (*timer_add)(struct kiosk_fctx *x, int64_t ms, kiosk_flow_timer_fn fn);
	void (*timer_del)(struct kiosk_fctx *x, int id);

	/* ---- the platform ---- */
	/* Is a platform link set up (not: is it online)? */
	bool (*platform)(struct kiosk_fctx *x);
	/* An HTTP call; fn(arg, tag, …) runs on the loop with the answer (status 0: no
	 * answer). KIOSK_ENOTSUP without a platform. */
	int (*platform_call)(struct kiosk_fctx *x, const char *method, const char *path,
			     const char *body, const char *tag, kiosk_call_fn fn, void *arg);
	/* Forget the backoff, sync at once. */
	void (*platform_now)(struct kiosk_fctx *x);
	/* What the person's session concerns, for a help call: every flow's help_about, the
	 * flow named as a->where first; fills only what is still "" in a. */
	void (*help_about)(struct kiosk_fctx *x, struct kiosk_help_about *a);
	/* A help call is in the outbox: push it at once, ahead of the heartbeat. */
	void (*platform_urgent)(struct kiosk_fctx *x);
	/* Is the platform known unreachable: no link, or its last request failed (backing
	 * off)? Not while the first request since start is still out. */
	bool (*platform_down)(struct kiosk_fctx *x);

	/* ---- slow work ---- */
	/* run(arg) on the core's worker thread (nothing of the core's may it touch), then
	 * done(arg, cancelled) back on the loop — cancelled when the core stopped first.
	 * KIOSK_EBUSY when the worker's queue is full. */
	int (*work)(struct kiosk_fctx *x, void (*run)(void *arg),
		    void (*done)(void *arg, bool cancelled), void *arg);

	/* ---- the clock ---- */
	/* Monotonic ms, plus the test clock's skew. */
	int64_t (*business_ms)(struct kiosk_fctx *x);
	/* UTC epoch ms, plus the test clock's skew: the store's clock (deadlines, days). */
	int64_t (*wall_ms)(struct kiosk_fctx *x);
	/* Test clock only: moves the business and store clocks on. */
	int (*clock_skew)(struct kiosk_fctx *x, int64_t ms);
};

/* One command type a flow serves. */
struct kiosk_cmd_handler {
	enum kiosk_cmd_type type;
	int (*run)(struct kiosk_fctx *x, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		   struct kiosk_result *res);
};

struct kiosk_pay_ops {
	int (*start)(struct kiosk_fctx *self, enum kiosk_pay_purpose purpose, const char *parcel);
	void (*leave)(struct kiosk_fctx *self);
};

struct kiosk_flow {
	const char *name; /* logs */
	size_t session_size, keep_size;
	/* Its commands, ended by a {0} entry. */
	const struct kiosk_cmd_handler *handlers;
	/* The payment purposes this flow takes money for, a bit (1u << purpose) each: on_paid
	 * hears how they end. 0 = none. */
	unsigned pays_for;
	/* A flow that provides payments to the others (the payment flow): what the ports
	 * pay_start and pay_leave call, with this flow's own context. NULL for the rest. */
	const struct kiosk_pay_ops *payments;
	/* What the outcomes of the doors this flow asks for do to their parcels: a row per
	 * purpose its intents record, ended by a {0} row; the store applies the move inside
	 * the outcome's transaction. NULL: its doors move no parcel. */
	const struct kiosk_door_rules *door_rules;
	/* Once, when the core starts (keep is zeroed): arm timers, settle what a restart left.
	 * Optional. */
	void (*on_start)(struct kiosk_fctx *x);
	/* Before the core stops. Optional. */
	void (*on_stop)(struct kiosk_fctx *x);
	/* A door this flow asked for: its outcome is recorded (rc as hal_lock_unlock():
	 * KIOSK_OK opened, KIOSK_EDEVICE jammed, else unknown or not sent). Optional. */
	void (*on_device_outcome)(struct kiosk_fctx *x, const struct kiosk_door *door, int rc);
	/* The vending board said something (kiosk/vending.h): every flow with this hook hears
	 * every event and acts on what concerns its own commands or orders. Optional. */
	void (*on_vend)(struct kiosk_fctx *x, const struct kiosk_vend_event *e);
	/* The card reader said something (a sale's step, its health): as on_vend. Optional. */
	void (*on_card)(struct kiosk_fctx *x, const struct kiosk_card_event *e);
	/* The coin changer / bill validator said something about a cash sale. Optional. */
	void (*on_cash)(struct kiosk_fctx *x, const struct kiosk_cash_event *e);
	/* A device round was applied (the doors were read): follow the doors. Optional. */
	void (*on_round)(struct kiosk_fctx *x);
	/* A payment for pays_for ended. Optional. */
	void (*on_paid)(struct kiosk_fctx *x, const char *parcel, enum kiosk_paid how);
	/* The person left (home, idle): let go of what was unfinished; the session state is
	 * zeroed after. Optional. */
	void (*on_session_end)(struct kiosk_fctx *x);
	/* With a session under way: what it concerns (its compartment, parcel, order), into
	 * the fields of a that are still "", for a help call made now. Optional. */
	void (*help_about)(struct kiosk_fctx *x, struct kiosk_help_about *a);
	/* The places (KIOSK_CMD_SCAN_AT's names) where a scan is this flow's, NULL-ended; and
	 * what it makes of one there: an intent (KIOSK_OK with intent->type set: the core runs
	 * it as the screen's command, its result filed for the screen), or text for the
	 * screen's field (KIOSK_OK, intent->type 0, res->u.scan.text), or an error filed as the
	 * result (KIOSK_EPARSE: not a code this place takes). Optional. */
	const char *const *scan_at;
	int (*on_scan)(struct kiosk_fctx *x, const char *where, const char *code,
		       struct kiosk_cmd *intent, struct kiosk_result *res);
	/* Fills this flow's part of the screen's view of the session. Optional. */
	void (*view)(struct kiosk_fctx *x, struct kiosk_session_view *v);
};

/* The table of every flow (kiosk/flow/flows.c), NULL-terminated. */
extern const struct kiosk_flow *const kiosk_flows[];
/* Every flow's door rules in one table (cap rows at most, ended by a {0} row): for tools
 * and tests that record outcomes without a core. Returns the rows filled. */
int kiosk_flows_door_rules(struct kiosk_door_rules *out, int cap);
/* kiosk_door_outcome() with every flow's rules (tools and tests that drive the store
 * without a core). */
int kiosk_door_outcome_by_flows(struct kiosk_store *st, int64_t op, enum kiosk_door_result r);

/* ---- helpers every flow shares (kiosk/flow/auth.c) ---- */

/* Terminates a fixed string member of a command (it came from another thread). */
#define KIOSK_TERM(member) ((member)[sizeof(member) - 1] = '\0')

/* Logs a courier or operator in at the screen with cmd's .login (session actors only);
 * on success the auth holds the id in who (32 bytes). res->u.login.wait_s gets the
 * lockout wait in seconds. */
int kiosk_flow_login(struct kiosk_fctx *x, const struct kiosk_request *rq,
		     struct kiosk_cmd *cmd, const char *role, char who[32],
		     struct kiosk_result *res);
/* May rq's actor act as the courier / operator id? A session only as the one logged in
 * there. */
bool kiosk_flow_is_courier(const struct kiosk_fctx *x, const struct kiosk_request *rq,
			   const char *id);
bool kiosk_flow_is_operator(const struct kiosk_fctx *x, const struct kiosk_request *rq,
			    const char *id);
/* May rq's actor do what an operator does at the bank (open, disable, enable a
 * compartment)? The operator logged in as id at the screen, a local admin, the platform. */
bool kiosk_flow_may_operate(const struct kiosk_fctx *x, const struct kiosk_request *rq,
			    const char *id);
/* A flow's help_about: its session's compartment, parcel and order (NULL: none) into the
 * fields of a that are still "". */
void kiosk_flow_help_about(struct kiosk_help_about *a, const char *compartment,
			   const char *parcel, const char *order);
/* ---- what a scanned code is (kiosk/flow/scancode.c) ---- */
/* The code itself, or a URL's last path segment (query and fragment left out), into out
 * (cap bytes); false when there is none or it does not fit. */
bool kiosk_flow_scan_last_segment(const char *scan, char *out, size_t cap);
/* min..max characters, each a letter, a digit or one of marks. */
bool kiosk_flow_scan_word(const char *scan, size_t min, size_t max, const char *marks);

/* The name the audit trail records for rq's actor (id for a session). */
const char *kiosk_flow_actor_name(const struct kiosk_request *rq, const char *id);

#endif
