/* Inside the core: its state, the session it holds for the person at the screen, and the
 * contract of a flow — a table of command handlers in one file per flow (kiosk/flow/),
 * the way drivers fill an ops table. core.c owns the thread, the queue, the snapshot and
 * the dispatch; the flows own the rules. Core thread only, except where a field says. */
#ifndef KIOSK_CORE_INT_H
#define KIOSK_CORE_INT_H

#include "kiosk/control.h"
#include "kiosk/core.h"
#include "kiosk/locker.h"
#include "kiosk/neighbourhood.h"
#include "kiosk/loop.h"
#include "kiosk/store/store.h"
#include "kiosk/sync/sync.h"

#include <pthread.h>
#include <stdatomic.h>

#define KIOSK_CORE_NRESULTS 16
#define KIOSK_CORE_NWAITERS 16

/* A request waiting for its doors' outcomes (one door, or all of "open all"): its result
 * is filed when the last one is in. */
struct kiosk_waiter {
	bool used;
	uint32_t req;  /* UI request, 0 = none */
	int ctl;       /* control client waiting, 0 = none */
	int left;      /* doors still out */
	int64_t opened;
	int first_err;
	struct kiosk_result res; /* filed when the last door is in */
	/* the flow's follow-up when the door outcome is in (may be NULL) */
	void (*done)(struct kiosk_core *c, const struct kiosk_door *door, int rc);
};

/* The person at the screen: what this session has proved and started. Wiped by
 * KIOSK_CMD_SESSION_END (home, idle) and never shared with kioskctl. */
struct kiosk_session {
	/* pickup: the parcel whose code was checked here, and where its door stands */
	enum kiosk_pickup_phase pickup;
	char pickup_parcel[37], pickup_comp[16];
	int64_t pickup_op;   /* the door operation of the pickup (or its reopen) */
	bool pickup_seen_open; /* the monitor read the door open since it opened */
	/* courier and operator logged in here */
	char courier[32], operator_id[32];
	/* the parcels this session's own steps produced: a deposit (or the unfinished one
	 * put to the courier), a send */
	char deposit_parcel[37], send_parcel[37];
	enum kiosk_deposit_phase deposit;
	char deposit_comp[16];
	int64_t deposit_op;
	enum kiosk_send_phase send;
	char send_comp[16];
	int64_t send_op;
	char send_phone[16]; /* the walk-in sender's mobile, for the deposit's event only */
	/* the QR payment of this session (fee or send), see kiosk/flow/pay.c */
	struct {
		enum kiosk_pay_phase phase;
		enum kiosk_pay_purpose purpose;
		char order[37], parcel[37], payment_id[96], qr[512];
		int64_t amount_fen, expires_ms;
		bool asking; /* a status request is out */
	} pay;
};

struct kiosk_core {
	struct kiosk_config cfg;      /* in effect: the file's, with the platform's settings */
	struct kiosk_config file_cfg; /* as the file (or the caller) gave it */
	bool simulate;
	kiosk_notify_fn notify;
	void *notify_arg;

	pthread_t thread;
	struct kiosk_store *store;
	int lock_fd; /* flock on "<store>.lock": one kiosk per store */
	struct kiosk_locker *locker; /* NULL: no compartments configured */
	struct kiosk_control *control;
	struct kiosk_sync *sync; /* NULL: no platform configured, or it could not start */
	char sync_why[160];      /* why there is no link although a platform is configured */
	/* remote_unlock commands whose door is out: the command.done waits for its outcome */
	struct {
		char compartment[16];
		char command[64];
	} remote[8];
	bool restart_requested; /* a remote reboot: the screen restarts when nobody is at it */
	struct kiosk_loop *loop;
	struct kiosk_cmdq *q;
	int64_t started_mono;
	unsigned long ticks;
	/* what the last snapshot showed of the bank, so a monitor round that changed
	 * nothing publishes nothing (the screen redraws only on change) */
	unsigned long shown_door_changes;
	bool shown_healthy;
	atomic_llong ui_alive_mono; /* any thread */

	pthread_mutex_t snap_mu;
	struct kiosk_snapshot snap;                        /* under snap_mu */
	struct kiosk_result results[KIOSK_CORE_NRESULTS]; /* under snap_mu */
	unsigned nresult;
	atomic_uint next_req; /* any thread */

	struct kiosk_session session;
	struct kiosk_waiter waiters[KIOSK_CORE_NWAITERS];
	struct {
		int64_t op;
		int waiter;
	} doors[KIOSK_MAX_COMPARTMENTS]; /* door operations out, and who waits (op 0 = free) */

	/* the neighbourhood the screens read (under snap_mu), and what it was built from */
	const struct kiosk_neighbourhood *nb;
	char nb_version[96];
	int pay_timer;       /* the 2 s poll of the session's payment, 0 = none */
	int reconcile_timer; /* payments left open (a restart, a resident gone) */
	bool reconciling;    /* a reconcile request is out */
	uint32_t booking_req; /* the UI request waiting on a booking lookup, 0 = none */

	bool test_clock;
	char test_code[9];    /* test clock only: the last pickup code made (scripts type it) */
	int64_t skew_ms;      /* test clock: added to the business clock */
	int64_t last_help_ms; /* business time of the last help call, 0 = none */
};

/* Handlers return a kiosk_err, or KIOSK_CORE_PENDING when a door outcome will complete
 * the request (kiosk_core_await_door). res->u is the result (the member the command's
 * comment names). */
#define KIOSK_CORE_PENDING 1

struct kiosk_cmd_handler {
	enum kiosk_cmd_type type;
	int (*run)(struct kiosk_core *c, struct kiosk_cmd *cmd, struct kiosk_result *res);
};

/* One flow: its name (logs) and its handlers, ended by a {0} entry. */
struct kiosk_flow {
	const char *name;
	const struct kiosk_cmd_handler *handlers;
};

extern const struct kiosk_flow kiosk_flow_pickup, kiosk_flow_courier, kiosk_flow_send,
	kiosk_flow_maint, kiosk_flow_resident, kiosk_flow_test, kiosk_flow_pay;

/* Publishes a fresh snapshot and tells the UI. */
void kiosk_core_publish(struct kiosk_core *c);
/* The business clock (monotonic, plus the test clock's skew). */
int64_t kiosk_core_business_ms(const struct kiosk_core *c);
/* Before committing a door intent: KIOSK_ENOTSUP without a locker, KIOSK_EBUSY when no
 * unlock can be queued now. */
int kiosk_core_door_ready(const struct kiosk_core *c);
/* Queues the unlock of a committed intent; the request (req, or control client ctl) is
 * answered when the outcome is in, with res (may be NULL) and the door's compartment in
 * res.u.door; done (may be NULL) runs first. Returns KIOSK_CORE_PENDING, or an error (then
 * the intent is settled as unknown: never left open-ended, never re-fired). */
int kiosk_core_await_door(struct kiosk_core *c, uint32_t req, int ctl,
			  const struct kiosk_result *res, const struct kiosk_door *door,
			  void (*done)(struct kiosk_core *, const struct kiosk_door *, int));
/* Opens several doors for one request ("open all"): begin, add each, end. The result's
 * u.opened.n is how many opened, rc the first error. */
int kiosk_core_group_begin(struct kiosk_core *c, uint32_t req, int ctl);
int kiosk_core_group_add(struct kiosk_core *c, int group, const struct kiosk_door *door);
int kiosk_core_group_end(struct kiosk_core *c, int group);
/* Opens every free, usable door (cleaning) for request req (0: none waits), the audit
 * naming by. KIOSK_CORE_PENDING while doors are out, or an error. */
int kiosk_core_open_all(struct kiosk_core *c, uint32_t req, const char *by);

/* Logs a courier or operator in with cmd's .login; on success the session holds the id
 * in who (32 bytes). res->u.login.wait_s gets the lockout wait in seconds. */
int kiosk_core_login(struct kiosk_core *c, struct kiosk_cmd *cmd, const char *role,
		     char who[32], struct kiosk_result *res);
/* Terminates a fixed string member of a command (it came from another thread). */
#define KIOSK_TERM(member) ((member)[sizeof(member) - 1] = '\0')

/* How a door this session opened reads now: still open; closed with the item sensor
 * seeing nothing; or closed on the parcel (or on a board without a sensor, where the
 * closing is all there is to go by). */
enum kiosk_door_reading { KIOSK_DOOR_STILL_OPEN, KIOSK_DOOR_CLOSED_EMPTY, KIOSK_DOOR_CLOSED_IN };
enum kiosk_door_reading kiosk_core_door_reading(const struct kiosk_core *c, const char *comp);

/* Is the courier / operator named the one logged in with this session? */
bool kiosk_core_is_courier(const struct kiosk_core *c, const char *id);
bool kiosk_core_is_operator(const struct kiosk_core *c, const char *id);

/* The neighbourhood (kiosk/core_map.c): $.map.file imported when newer than the stored
 * map; the screens' neighbourhood rebuilt when the map or the services changed. */
void kiosk_core_map_import(struct kiosk_core *c);
void kiosk_core_map_refresh(struct kiosk_core *c);

/* Files a request's result and tells the UI (a request answered later, off a network
 * answer). */
void kiosk_core_file_result(struct kiosk_core *c, const struct kiosk_result *res);

/* The payment service (kiosk/flow/pay.c), one for every flow that takes money. */
/* Starts this session's QR payment for what parcel owes (purpose); the session's .pay
 * follows it. KIOSK_ENOTSUP without a platform. When paid, the flow goes on by itself:
 * the pickup's or the send's door opens. */
int kiosk_pay_start(struct kiosk_core *c, enum kiosk_pay_purpose purpose, const char *parcel);
/* The resident leaves the session's payment: cancelled at the platform (kept to be settled
 * if it turns out paid). Nothing when none is open. */
void kiosk_pay_leave(struct kiosk_core *c);
/* At start and every minute: payments left open are settled with the platform. */
void kiosk_pay_reconcile_start(struct kiosk_core *c);
void kiosk_pay_stop(struct kiosk_core *c);
/* Paid: the session's flow goes on (pickup.c, send.c). */
void kiosk_flow_pickup_paid(struct kiosk_core *c);
void kiosk_flow_send_paid(struct kiosk_core *c);

/* Flow hooks the core calls: a monitor round was applied (pickup and deposit follow their
 * doors). */
void kiosk_flow_pickup_round(struct kiosk_core *c);
void kiosk_flow_courier_round(struct kiosk_core *c);
void kiosk_flow_send_round(struct kiosk_core *c);

#endif
