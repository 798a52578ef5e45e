/* The transaction core: every sale, parcel, compartment and stock change, durable in one
 * SQLite file (WAL, synchronous=FULL, foreign keys, BEGIN IMMEDIATE for every write).
 *
 * Each public operation below is ONE transaction that also appends its audit row (hash
 * chained) and, for the changes the platform hears about, its outbox event. An operation
 * that returns an error has changed nothing. Hardware side effects follow the intent-first
 * rule: the intent (dispensing, door opening) is committed before the command goes on the
 * wire, the outcome after. kiosk_store_open() runs recovery for intents without outcome.
 *
 * One writer: a store handle belongs to one thread (the core thread). Strings returned in
 * out-structs are copied into fixed fields; nothing returned needs freeing unless said. */
#ifndef KIOSK_STORE_H
#define KIOSK_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/crypto.h"
#include "kiosk/errors.h"

struct kiosk_store; /* opaque */

#define KIOSK_STORE_SCHEMA 19
#define KIOSK_ID_MAX 64

/* Overdue fee rule for parcels: free for free_h hours after deposit, then block_fen per
 * started block_h hours, capped at cap_fen. */
struct kiosk_fee_rule {
	int free_h, block_h;
	int64_t block_fen, cap_fen;
};

/* Recovery asks this when a dispense was under way at the crash: return 1 if the board's
 * status / drop sensor proves the item fell, 0 otherwise (→ failed + refund). Without a
 * prover (no vending board to ask) such an order is left for the operator: still
 * dispensing, marked uncertain (kiosk_vend_uncertain, kiosk_vend_resolve). */
typedef int (*kiosk_dispense_prover)(void *arg, const char *order, const char *slot);

struct kiosk_store_opts {
	const char *path;
	const uint8_t *device_key; /* KIOSK_DEVKEY_LEN bytes; copied */
	const char *vfs;           /* NULL = SQLite's default; tests pass a fault-injecting one */
	bool synchronous_normal;   /* benchmark only: synchronous=NORMAL instead of FULL */
	bool readonly;             /* inspection (kioskctl): no migration, no recovery, no
				    * writes; device_key may be NULL */
	bool bulk; /* a second connection for long work on a worker thread (the map import):
		    * it writes in short transactions of its own. The file must be open and
		    * migrated already (KIOSK_ESTATE otherwise): no migration, no recovery, no
		    * open mark, no archiver; device_key may be NULL (it makes no codes) */
	struct kiosk_fee_rule fee; /* zeroed = default 18 h free, 50 fen / 12 h, cap 300 fen */
	int parcel_keep_days;      /* days before a deposited parcel expires; 0 = 3 */
	kiosk_dispense_prover prove_dispense;
	void *prove_arg;
	int64_t (*now_ms)(void); /* clock; NULL = kiosk_now_ms. Tests move time with it.
				  * Called from the archiver's thread too: must be thread-safe. */
	int retention_days;      /* history older than this moves to the archive; 0 = never */
};

/* Routes SQLite's and cJSON's allocations through kiosk_malloc, once per process. Must
 * come before any other use of SQLite to take effect; kiosk_store_open() calls it. */
void kiosk_store_global_init(void);
/* SQLite's memory now, over every connection of the process (page caches, prepared
 * statements, schemas), in bytes; any thread. */
size_t kiosk_store_memory_used(void);

/* Opens (creating or migrating) the store and runs recovery. Refuses a file that is not
 * ours (KIOSK_EVERSION, and then the file is left byte for byte as it was: nothing is
 * written before its application_id and user_version are read), written by a newer
 * schema (KIOSK_EVERSION), damaged (KIOSK_ECORRUPT), or that we may not write
 * (KIOSK_EPERM: a read-only file or folder is refused here, not found at the first
 * write), with the reason logged; never repairs silently. A new store file is created
 * 0600 whatever the umask (SQLite gives its -wal and -shm the same mode), and an
 * existing one of ours is made 0600. *out owned by the caller, closed with
 * kiosk_store_close(); NULL on failure. */
int kiosk_store_open(const struct kiosk_store_opts *opts, struct kiosk_store **out);
/* Whether the open above created the file (a new, empty store). */
bool kiosk_store_created(const struct kiosk_store *st);
/* The demo mark: a store made by --simulate holds demo PINs and says so. */
int kiosk_store_mark_demo(struct kiosk_store *st);
int kiosk_store_is_demo(struct kiosk_store *st, bool *demo);
/* Can the store be written again (after KIOSK_EDISKFULL)? One tiny transaction that writes
 * a page (a counter set to itself), so the disk's space is really tried: KIOSK_OK, or the
 * error it still gives. */
int kiosk_store_probe_write(struct kiosk_store *st);
/* Did a write fail for want of space since the last call (any operation, any caller of
 * this connection)? Cleared by asking. */
bool kiosk_store_disk_full_seen(struct kiosk_store *st);
/* Counts of open intents (paid / dispensing orders, opening doors); 0 after recovery. */
int kiosk_store_open_intents(struct kiosk_store *st, int64_t *n);
void kiosk_store_close(struct kiosk_store *st);

/* Bulk work (benchmarks building years of history): every operation between begin and
 * end runs inside one transaction (each its own savepoint). Never for the kiosk itself:
 * a crash in between loses all of it. */
int kiosk_store_bulk_begin(struct kiosk_store *st);
int kiosk_store_bulk_end(struct kiosk_store *st);

/* What recovery did at open (for logs and tests). */
struct kiosk_recovery {
	int vends_refunded, vends_proved, vends_cancelled, doors_unknown, reservations_released;
	int vends_uncertain; /* dispenses nobody could prove: left for the operator */
	int board_money_held; /* open orders with money at the board: told, for the operator */
	int meals_dropped; /* meal orders left unpaid: cancelled */
	int takeouts_assumed_out; /* takeouts whose door had opened, nothing sensed inside */
	int sends_cancelled; /* 到付 sends whose door never opened: nobody is at the screen */
	int sends_assumed_in; /* sends whose door had opened: taken as deposited */
	int payouts_unknown; /* cash payouts the crash cut short: the operator counts */
	int cash_owed;       /* orders whose cash was owed with nobody left to pay: debts */
};
void kiosk_store_last_recovery(const struct kiosk_store *st, struct kiosk_recovery *out);

/* Catalogue, planogram and vend orders. */
#include "kiosk/store/vend.h"
/* 助餐: menus, eligibility, meal orders. */
#include "kiosk/store/meal.h"

/* ---- neighbourhood services (directory, map) ---- */
struct kiosk_service {
	char id[KIOSK_ID_MAX], name_zh[128], name_en[128], category[32];
	double lat, lon;
	char address[160], phone[32], opening_hours[128], description[256];
};
/* Upserts n services in ONE transaction (a page from the platform): all or none;
 * KIOSK_EINVAL with *bad = index of the first invalid one (no id or name, bad position). */
int kiosk_service_import(struct kiosk_store *st, const struct kiosk_service *s, size_t n,
			 size_t *bad);
int kiosk_service_delete(struct kiosk_store *st, const char *id);

/* All services (the platform's and the imported), sorted by id; *out owned by the caller
 * (kiosk_free). */
int kiosk_service_all(struct kiosk_store *st, struct kiosk_service **out, size_t *n);

/* ---- the neighbourhood map (kiosk/geo fills it) ---- */
struct kiosk_map_node {
	int64_t id;
	double lat, lon;
};
#define KIOSK_EDGE_STEPS 1u    /* stairs: slower, and hard for the elderly */
#define KIOSK_EDGE_CROSSING 2u /* a road crossing: a wait */
struct kiosk_map_edge {
	int64_t a, b;
	double length_m;
	char kind[24];  /* the OSM highway value: footway, residential … */
	unsigned flags; /* KIOSK_EDGE_* */
	char name[96];    /* name:zh, else name */
	char name_en[96]; /* name:en, "" when the map has none */
};
struct kiosk_map_data {
	struct kiosk_map_node *nodes;
	size_t nnodes;
	struct kiosk_map_edge *edges;
	size_t nedges;
	struct kiosk_service *pois; /* imported places: ids "osm-n…", "osm-w…", "geo-…" */
	size_t npois;
	/* whom the data is credited to on screen ("" none); borrowed. Loaded: NULL */
	const char *attribution;
	struct kiosk_map_home *homes; size_t nhomes; /* homes.h; loaded: none (its loader) */
};
/* Replaces the map and the imported places with d in one transaction (the platform's
 * services stay); source says where it came from (a file name, for the operator). */
int kiosk_map_replace(struct kiosk_store *st, const struct kiosk_map_data *d, const char *source);
/* The stored map (nodes sorted by id); the arrays are the caller's (kiosk_map_data_free).
 * pois is left empty: kiosk_service_all has them with the platform's. */
int kiosk_map_load(struct kiosk_store *st, struct kiosk_map_data *out);
void kiosk_map_data_free(struct kiosk_map_data *d);
/* What the map and the services are now: a counter, as text, that every import and every
 * service change moves on (one row, not a scan): the core rebuilds its neighbourhood on
 * change. */
int kiosk_map_version(struct kiosk_store *st, char *buf, size_t cap);
/* map_info's value for key ("source", "imported_at", "attribution"); KIOSK_ENOENT when
 * none (a map imported before credits were kept has no "attribution": it was OSM XML). */
int kiosk_map_info(struct kiosk_store *st, const char *key, char *buf, size_t cap);

/* ---- compartments ---- */
enum kiosk_size { KIOSK_SIZE_S, KIOSK_SIZE_M, KIOSK_SIZE_L, KIOSK_SIZE_XL };
const char *kiosk_size_name(enum kiosk_size s);
int kiosk_size_parse(const char *s, enum kiosk_size *out);

/* board 0..31, lock 1..24 as on the label. KIOSK_EEXIST when the id or the (board, lock)
 * is taken. */
int kiosk_compartment_add(struct kiosk_store *st, const char *id, int board, int lock,
			  enum kiosk_size size);
/* Operator actions: "disabled", "free" (enable), "faulty". Refused (KIOSK_ESTATE) while a
 * parcel is inside, except marking it faulty — and enabling a faulty or unknown one, which
 * the operator has checked: a parcel inside keeps it occupied, a deposit or send still on
 * its way in is cancelled (refused when money was taken for it). */
int kiosk_compartment_set(struct kiosk_store *st, const char *id, const char *state,
			  const char *by);
/* Enabling ("free") a faulty or unknown compartment that may hold a parcel — its item
 * sensor saw something, or a deposit or send was on its way in when its door was lost —
 * is refused with KIOSK_ELOOK and nothing changes: the operator opens the door
 * (kiosk_compartment_inspect_intent), looks, and says what is inside
 * (kiosk_compartment_resolve). A compartment whose sensor sees something it should not
 * hold is never made free (KIOSK_EITEM) nor allocated. */
struct kiosk_door;
struct kiosk_look {
	bool item;         /* the sensor sees something */
	bool in_flight;    /* a deposit or send was on its way in */
	char tracking[64]; /* its tracking number (a send: its id) */
};
/* What kiosk_compartment_set would ask about: KIOSK_OK and *look (all false when nothing). */
int kiosk_compartment_look(struct kiosk_store *st, const char *id, struct kiosk_look *look);
/* The operator's answer. keep: the parcel on its way in is inside — a deposit is
 * committed (its code made for the platform's SMS), a send is in for its carrier.
 * !keep: empty — refused (KIOSK_EITEM) while the sensor sees something; the parcel on its
 * way in is cancelled (refused when money was taken) and the compartment is free.
 * KIOSK_ESTATE when the compartment is not faulty or unknown, or there is nothing to
 * decide (or keep with no parcel on its way in). */
int kiosk_compartment_resolve(struct kiosk_store *st, const char *id, const char *by, bool keep);
/* The door monitor's item reading, kept with the compartment (no audit: a reading, not an
 * action). */
int kiosk_compartment_item(struct kiosk_store *st, const char *id, bool item);
/* The operator opens an out-of-service door to look inside (purpose "inspect"): allowed
 * whatever the compartment's state, one command at a time. */
int kiosk_compartment_inspect_intent(struct kiosk_store *st, const char *id, const char *by,
				     struct kiosk_door *door);
struct kiosk_compartment {
	char id[KIOSK_ID_MAX], state[12];
	int board, lock;
	enum kiosk_size size;
	bool item; /* its item sensor's last reading (false where the board has none) */
};
int kiosk_compartment_get(struct kiosk_store *st, const char *id, struct kiosk_compartment *out);
/* Releases unpaid send reservations past their time (10 min); returns how many. The core
 * calls it periodically; recovery at open does too. */
int kiosk_compartment_release_expired(struct kiosk_store *st);
/* Free compartments per size. */
int kiosk_compartment_free_counts(struct kiosk_store *st, int counts[4]);

/* ---- door operations (intent-first) ---- */
struct kiosk_door {
	int64_t op;                        /* door operation id */
	char compartment[KIOSK_ID_MAX];
	int board, lock;
};
/* The outcome of a door command: opened; jammed (stayed shut); unknown (the board did
 * not answer: the door may or may not have opened, and it is never re-fired); or not sent
 * (its deadline passed before the frame reached the wire: the door certainly stayed shut,
 * the compartment is fine, and the intent is undone — a deposit's reservation freed). */
enum kiosk_door_result {
	KIOSK_DOOR_OPENED,
	KIOSK_DOOR_JAMMED,
	KIOSK_DOOR_UNKNOWN,
	KIOSK_DOOR_NOT_SENT
};
/* The operator opens a compartment from maintenance (or the platform's remote_unlock):
 * the intent, for a compartment that is not faulty, disabled or unknown. */
int kiosk_compartment_open_intent(struct kiosk_store *st, const char *id, const char *by,
				  struct kiosk_door *door);
/* "Your item is still inside": a resident may have the door opened once more within
 * 5 minutes of their pickup, for that compartment only. KIOSK_EDENIED otherwise. */
int kiosk_door_reopen_after_pickup(struct kiosk_store *st, const char *compartment,
				   struct kiosk_door *door);
/* What the door monitor saw: a door open with no command behind it (door.forced), or a
 * door left open after use for `seconds` (door.left_open). One event each call. */
int kiosk_door_alarm(struct kiosk_store *st, const char *compartment, bool forced, int seconds);
/* The board holding the compartment stopped answering: its state is unknown until the
 * operator checks it (locker.fault "no reply"). No-op if it is already unknown. */
int kiosk_compartment_lost(struct kiosk_store *st, const char *compartment);
/* A door's reading from its board (kiosk_compartment_found). */
struct kiosk_reading {
	bool sensor; /* the board has an item sensor */
	bool open, item;
};
/* Its board answers again: a compartment lost that way goes back to what its parcel makes
 * it (occupied, reserved or free). Left unknown when its last door command went unanswered
 * (the door may have opened: an operator checks) — except that a closed door whose item
 * sensor (seen, may be NULL) shows the deposit or send that was on its way in completes
 * it — when the sensor sees something no parcel explains, and when it is not unknown. */
int kiosk_compartment_found(struct kiosk_store *st, const char *compartment,
			    const struct kiosk_reading *seen);
/* Calls fn for every compartment (in board, lock order). fn returns 0 to go on. The
 * kiosk_compartment passed is borrowed for the call. */
int kiosk_compartment_each(struct kiosk_store *st,
			   int (*fn)(void *arg, const struct kiosk_compartment *c), void *arg);
/* Seconds since the last door command on the compartment opened it, or -1 when its last
 * door operation is not an "opened" one. */
int kiosk_door_open_since(struct kiosk_store *st, const char *compartment, int64_t *ms);
/* What a door's outcome does to the parcel behind it: the rule of the flow that asked for
 * the door (kiosk/flow/), applied by the store inside the outcome's own transaction. */
enum kiosk_parcel_move {
	KIOSK_MOVE_NONE,
	KIOSK_MOVE_PICKED_UP,       /* picked up: its compartment free, parcel.picked_up */
	KIOSK_MOVE_SEND_DEPOSITING, /* a send on its way in */
	KIOSK_MOVE_DEPOSIT_CANCEL,  /* a deposit that never went in: cancelled */
	KIOSK_MOVE_DEPOSIT_CANCEL_RELEASE, /* … and its reserved compartment free again */
	KIOSK_MOVE_SEND_DETACH,     /* a send that never went in keeps its parcel, not the
				     * compartment */
	KIOSK_MOVE_SEND_DETACH_RELEASE, /* … which is free again */
};
struct kiosk_door_rules {
	const char *purpose; /* as the intent recorded it ("pickup"); NULL ends a table */
	const char *from;    /* the parcel states in which an opened door moves it ("|a|b|");
			      * in any other the outcome is recorded and moves nothing */
	enum kiosk_parcel_move opened, jammed, not_sent;
};
/* Records a door's outcome: the op's state, door.result, the compartment faulty (jammed)
 * or unknown (no reply), and the parcel moved by the row of rules (a table ended by a NULL
 * purpose; NULL for none) for the op's purpose — no row, no move. KIOSK_ESTATE for an op
 * that is not opening. */
int kiosk_door_outcome(struct kiosk_store *st, int64_t op, enum kiosk_door_result r,
		       const struct kiosk_door_rules *rules);

/* ---- people ---- */
/* role: "courier" or "operator"; pin_hash in the platform's pbkdf2 format. */
int kiosk_person_upsert(struct kiosk_store *st, const char *id, const char *role,
			const char *name, const char *company, const char *pin_hash);
int kiosk_person_count(struct kiosk_store *st, const char *role, int64_t *n);
/* KIOSK_OK; KIOSK_EDENIED (wrong PIN or unknown id: the same answer, so ids cannot be
 * probed); KIOSK_ELOCKED after 5 wrong PINs, *wait_s set. */
int kiosk_person_login(struct kiosk_store *st, const char *id, const char *role, const char *pin,
		       int *wait_s);
/* The same in three steps, so the key derivation (tens of milliseconds, up to
 * KIOSK_PIN_MAX_ITER rounds) runs where nobody waits behind it and no write lock is held:
 * begin reads the person's hash into hash (a decoy's for an unknown id: *known false, the
 * same work) and refuses a locked one (KIOSK_ELOCKED, *wait_s); the caller verifies the PIN
 * against hash on any thread; finish counts and audits the answer in one transaction
 * (KIOSK_OK, KIOSK_EDENIED, KIOSK_ELOCKED with *wait_s). */
int kiosk_person_login_begin(struct kiosk_store *st, const char *id, const char *role,
			     char hash[KIOSK_PINHASH_MAX], bool *known, int *wait_s);
int kiosk_person_login_finish(struct kiosk_store *st, const char *id, const char *role,
			      bool known, bool pin_ok, int *wait_s);

/* ---- parcels: delivery ---- */
/* Courier deposit, step 1: allocates the smallest free compartment that fits, creates the
 * parcel and commits the door-opening intent. KIOSK_ENOFREE, KIOSK_EEXIST (tracking number
 * already in the locker), KIOSK_EINVAL (phone not 11 digits, …). */
int kiosk_parcel_deposit_begin(struct kiosk_store *st, const char *courier, const char *tracking,
			       const char *phone, enum kiosk_size size, char parcel[37],
			       struct kiosk_door *door);
/* Step 2, door closed on the parcel: issues the pickup code (8 digits, out, NUL-ended) —
 * the only time the kiosk holds it in plain text besides the outbox event. */
int kiosk_parcel_deposit_commit(struct kiosk_store *st, const char *parcel, char code[9]);
/* The courier gave up before closing: compartment free again. */
int kiosk_parcel_deposit_cancel(struct kiosk_store *st, const char *parcel);

struct kiosk_pickup {
	char parcel[37], compartment[KIOSK_ID_MAX], phone_masked[16];
	int64_t fee_fen, fee_paid_fen;
	int64_t stored_ms; /* how long it has been in the locker: the fee's reason */
};
/* Checks a pickup code. KIOSK_EDENIED (wrong; *wait_s = 0) or KIOSK_ELOCKED (*wait_s =
 * seconds left) — 5 wrong in 10 min lock the kiosk for 5 min, doubling to 1 h. */
int kiosk_pickup_check(struct kiosk_store *st, const char *code, struct kiosk_pickup *out,
		       int *wait_s);
/* How many more wrong codes the kiosk takes before that lockout (1 … 5): what a resident
 * is told after a wrong one. */
int kiosk_pickup_tries_left(struct kiosk_store *st);
/* When the pickup lockout (too many wrong codes) ends, UTC ms; 0 when there is none. */
int64_t kiosk_pickup_locked_until(struct kiosk_store *st);
/* Records an overdue fee payment for the parcel. */
int kiosk_parcel_pay_fee(struct kiosk_store *st, const char *parcel, enum kiosk_pay_method m,
			 const char *payment_ref, int64_t amount_fen);
/* Door-opening intent for pickup. KIOSK_EUNPAID while the fee is not paid. */
int kiosk_pickup_open(struct kiosk_store *st, const char *parcel, struct kiosk_door *door);
/* Marks deposited parcels past their keep time as expired; returns how many, or error. */
int kiosk_parcel_expire_due(struct kiosk_store *st);
/* The oldest expired parcel still in the locker (id into out, 37 bytes), after marking
 * those past their keep time expired. KIOSK_ENOENT when there is none. */
int kiosk_parcel_next_expired(struct kiosk_store *st, char out[37]);
/* A courier takes back an expired parcel: door intent. */
int kiosk_parcel_retrieve_open(struct kiosk_store *st, const char *courier, const char *parcel,
			       struct kiosk_door *door);

/* ---- parcels: sending (寄件) ---- */
/* How a send is paid: 到付 (the recipient pays the carrier; the kiosk takes nothing), 寄付
 * (the sender pays here by QR before the door opens), or booked and paid in an app. */
enum kiosk_send_pay { KIOSK_SEND_BY_RECIPIENT, KIOSK_SEND_BY_SENDER, KIOSK_SEND_BOOKED_PAID };
const char *kiosk_send_pay_name(enum kiosk_send_pay p);

/* A resident's send. A walk-in gives the sender's mobile (11 digits, kept as last 4 digits
 * and HMAC; the plain number goes to the platform once, in the deposit's event); a booked
 * send names its booking instead. city: the recipient's city, "" = not given. */
struct kiosk_send_req {
	char carrier[32];
	enum kiosk_size size;
	enum kiosk_send_pay pay;
	int64_t amount_fen; /* 0 for 到付; the price for 寄付 and the booking's amount */
	char phone[16];
	char city[32];
	char booking[40];
};
/* A settled send (到付, or booked and paid): created with its door intent in one
 * transaction; parcel (37 bytes) gets its id. KIOSK_ENOENT when no courier of that carrier
 * is registered here (nobody would collect it), KIOSK_ENOFREE when no compartment of that
 * size or larger is free, KIOSK_EEXIST for a booking already deposited, KIOSK_EINVAL for a
 * walk-in without a valid phone or a city that is not plain text. */
int kiosk_send_begin(struct kiosk_store *st, const struct kiosk_send_req *r, char parcel[37],
		     struct kiosk_door *door);
/* 寄付: the send, unpaid, its compartment reserved for 10 minutes while the resident pays
 * (kiosk_payment_new); the same refusals. */
int kiosk_send_create(struct kiosk_store *st, const struct kiosk_send_req *r, char parcel[37]);
int kiosk_send_paid(struct kiosk_store *st, const char *parcel, enum kiosk_pay_method m,
		    const char *payment_ref, int64_t amount_fen);
int kiosk_send_open(struct kiosk_store *st, const char *parcel, struct kiosk_door *door);
/* A courier's takeout (retrieval: kiosk_parcel_retrieve_open; collection:
 * kiosk_send_collect_open) is done: its door opened and closed on an empty compartment
 * (or, without an item sensor, closed). The parcel is retrieved / collected, its
 * compartment free, the platform told. KIOSK_ESTATE when its takeout door has not opened
 * or the parcel moved on. Until then the parcel stays where it is. */
int kiosk_takeout_done(struct kiosk_store *st, const char *parcel);
/* The send's number (9 bytes: 8 digits): issued when the send was made, the one on its
 * receipt and in its parcel.send_requested. KIOSK_ENOENT for no such send. */
int kiosk_send_number(struct kiosk_store *st, const char *parcel, char number[9]);
/* The door closed on it: the carrier is told (parcel.send_requested). sender_phone: the
 * walk-in sender's plain number for that one event (erased from the outbox on ack), NULL
 * when the session no longer has it (after a restart: the event carries none). */
int kiosk_send_deposited(struct kiosk_store *st, const char *parcel, const char *sender_phone);
/* A courier of the parcel's carrier collects it (door intent). */
int kiosk_send_collect_open(struct kiosk_store *st, const char *courier, const char *parcel,
			    struct kiosk_door *door);
/* The resident gives up before the parcel is in: its compartment is free again; money taken
 * for it here is refunded (payment.refund_requested) in the same transaction, and a payment
 * still open is marked for cancelling. Refused (KIOSK_ESTATE) once it is deposited. */
int kiosk_send_cancel(struct kiosk_store *st, const char *parcel);
/* The oldest deposited send of this courier's carrier (id into out, 37 bytes);
 * KIOSK_ENOENT when there is none, KIOSK_EDENIED for someone who is not a courier. */
int kiosk_send_next_to_collect(struct kiosk_store *st, const char *courier, char out[37]);
/* What waits for this courier: expired parcels to take back (any company's: whoever
 * delivers here takes them) and sends of the courier's own company to collect.
 * KIOSK_EDENIED for someone who is not a courier. */
int kiosk_courier_tasks(struct kiosk_store *st, const char *courier, int64_t *expired,
			int64_t *sends);
/* The carriers residents can send with: the companies of the couriers registered here,
 * sorted; at most max into out. */
int kiosk_send_carriers(struct kiosk_store *st, char out[][32], int max, int *n);

/* ---- QR payments (fee at pickup, 寄付, a vend) ----
 * A payment row is written before the platform is asked; its order id (a UUID) makes
 * asking again safe. States: creating → pending (the platform gave a payment id and a QR)
 * → paid | expired | cancelled; cancelling = the resident left, the platform not told yet;
 * paid → refunded when what it paid for can no longer happen. For a vend, `parcel` is the
 * vend order's id. */
enum kiosk_pay_purpose {
	KIOSK_PAY_FOR_FEE, KIOSK_PAY_FOR_SEND, KIOSK_PAY_FOR_VEND, KIOSK_PAY_FOR_MEAL
};
#define KIOSK_PAY_PURPOSES 4
/* "fee", "send", "vend", "meal"; NULL for another value. */
const char *kiosk_pay_purpose_name(enum kiosk_pay_purpose p);
struct kiosk_payment {
	char order[37], parcel[37], payment_id[96], state[12], description[128];
	enum kiosk_pay_purpose purpose;
	int64_t amount_fen, created_ms;
};
/* A payment for what parcel owes now: the overdue fee still unpaid (deposited or expired),
 * the price of an unpaid send (send_created), or of a vend order not yet paid (created). order (37 bytes) gets its id. KIOSK_ESTATE
 * when nothing is owed; KIOSK_EBUSY while another payment for it is still open (pending,
 * or being cancelled). */
int kiosk_payment_new(struct kiosk_store *st, enum kiosk_pay_purpose purpose,
		      const char *parcel, char order[37]);
int kiosk_payment_get(struct kiosk_store *st, const char *order, struct kiosk_payment *out);
/* The platform answered the create: creating → pending with its payment id. */
int kiosk_payment_created(struct kiosk_store *st, const char *order, const char *payment_id);
/* The resident left before paying: to be cancelled at the platform (creating / pending →
 * cancelling). */
int kiosk_payment_leave(struct kiosk_store *st, const char *order);
/* The platform's final word other than paid: "expired" or "cancelled". */
int kiosk_payment_closed(struct kiosk_store *st, const char *order, const char *state);
/* The platform says paid: applied to its parcel (fee recorded, or the send paid) in one
 * transaction — or, when that can no longer happen (the send was given up, the fee was
 * paid meanwhile), refunded through the outbox. *refunded says which (may be NULL). A
 * payment already paid or refunded is left as it is (KIOSK_OK). */
int kiosk_payment_paid(struct kiosk_store *st, const char *order, bool *refunded);
/* How many payments are not final. */
int kiosk_payment_count_open(struct kiosk_store *st, int64_t *n);
/* Payments not final (creating, pending, cancelling), oldest first, at most max. */
int kiosk_payment_open(struct kiosk_store *st, struct kiosk_payment *out, int max, int *n);

struct kiosk_parcel {
	char id[37], kind[10], state[16], compartment[KIOSK_ID_MAX], tracking[64], carrier[32];
	int64_t fee_paid_fen, expires_ms;
};
int kiosk_parcel_get(struct kiosk_store *st, const char *parcel, struct kiosk_parcel *out);
/* This courier's oldest deposit left unfinished with its door opened — the kiosk restarted,
 * or the screen was left, before the door was closed on it — for the courier to finish
 * (the parcel is in) or cancel. KIOSK_ENOENT when there is none. */
int kiosk_parcel_unfinished(struct kiosk_store *st, const char *courier,
			    struct kiosk_parcel *out);

/* ---- booking codes (寄件码) typed at the screen ----
 * Guarded against guessing like pickup codes (5 wrong in 10 minutes lock for 5 minutes,
 * doubling to an hour), with a counter of their own: a booking-code guesser does not lock
 * the residents' pickups, nor the other way round. */
/* KIOSK_OK, or KIOSK_ELOCKED with *wait_s while locked (nothing is asked then). */
int kiosk_booking_guard_check(struct kiosk_store *st, int *wait_s);
/* The answer to one typed code: wrong (malformed, or unknown to the platform) is counted
 * and audited — KIOSK_EDENIED, or KIOSK_ELOCKED with *wait_s on the attempt that locks;
 * right — KIOSK_OK. */
int kiosk_booking_attempt(struct kiosk_store *st, bool wrong, int *wait_s);

/* ---- events the platform hears about ---- */
/* What a resident's trouble is about (help.requested's context, so staff know what to
 * bring): the screen they were on, the problem they chose (one of KIOSK_PROBLEMS; "" for
 * 一键呼叫), and what their session concerned ("" where nothing). */
struct kiosk_help_about {
	char where[16], problem[24], compartment[16], parcel[37], order[16];
};
#define KIOSK_PROBLEMS "|door_not_open|parcel_missing|wrong_or_damaged|forgot_code|payment|other|"
/* A help call; about NULL (or its where "") carries no context. KIOSK_EINVAL for a
 * language other than zh/en, a problem not in KIOSK_PROBLEMS, or fields that are not ids. */
int kiosk_event_help_about(struct kiosk_store *st, const char *lang, bool elderly,
			   const struct kiosk_help_about *about);
/* Would kiosk_event_help_about take them? (checked before anything else is decided) */
bool kiosk_help_about_ok(const char *lang, const struct kiosk_help_about *about);
int kiosk_event_help(struct kiosk_store *st, const char *lang, bool elderly);
int kiosk_event_feedback(struct kiosk_store *st, const char *context, int stars,
			 const char *comment);
int kiosk_event_service_request(struct kiosk_store *st, const char *category, const char *text);
/* A device that stopped serving (the printer out of paper, a scanner gone): the contract's
 * device.fault [device, fault], with the reason in words. */
int kiosk_event_device_fault(struct kiosk_store *st, const char *device, const char *fault,
			     const char *why);

/* ---- outbox ---- */
struct kiosk_event {
	int64_t seq, at_ms;
	char id[37], type[40];
	char *data; /* JSON object text, owned by the batch */
};
struct kiosk_event_batch {
	int n;
	struct kiosk_event *ev; /* owned; free with kiosk_outbox_batch_free() */
};
/* Up to max (≤ 500) unsent events in seq order. */
int kiosk_outbox_peek(struct kiosk_store *st, int max, struct kiosk_event_batch *out);
/* The same, after seq `after` (the next batch while the last one's ack is being written). */
int kiosk_outbox_peek_after(struct kiosk_store *st, int64_t after, int max,
			    struct kiosk_event_batch *out);
void kiosk_outbox_batch_free(struct kiosk_event_batch *b);
/* Marks every event with seq ≤ through sent, and erases the plain pickup code from the
 * acked parcel.deposited events. KIOSK_EINVAL if through is beyond the last event. */
int kiosk_outbox_ack(struct kiosk_store *st, int64_t through);
/* Moves one event the platform refused for good to the dead-letter table. */
int kiosk_outbox_dead_letter(struct kiosk_store *st, int64_t seq, const char *error);
/* Test hook (scripts stand in for the SMS): the pickup code of the newest unsent
 * parcel.deposited event into code (9 bytes). KIOSK_ENOENT when there is none. */
int kiosk_outbox_last_code(struct kiosk_store *st, char *code);
/* Events of one type still in the outbox (sent or not). */
int kiosk_outbox_count_type(struct kiosk_store *st, const char *type, int64_t *n);
/* Events not yet sent, and the last seq. */
int kiosk_outbox_depth(struct kiosk_store *st, int64_t *unsent, int64_t *last_seq);
/* What became of the event seq: still waiting for the platform, delivered (the platform
 * acknowledged it: stored, and for a help call, staff paged), or refused for good (a dead
 * letter). KIOSK_ENOENT for a seq never issued. */
enum kiosk_event_fate { KIOSK_EVENT_WAITING, KIOSK_EVENT_DELIVERED, KIOSK_EVENT_REFUSED };
int kiosk_outbox_fate(struct kiosk_store *st, int64_t seq, enum kiosk_event_fate *out);
/* Is an event that must reach the platform at once (a help call) still unsent? The link
 * pushes before anything else and retries within seconds while one is. */
int kiosk_outbox_urgent(struct kiosk_store *st, bool *any);

/* Outbox figures for the operator: events not sent, the time of the oldest of them (0:
 * none), and the dead letters. */
int kiosk_outbox_stats(struct kiosk_store *st, int64_t *unsent, int64_t *oldest_ms,
		       int64_t *dead);

/* ---- the platform link's own state (sync_state: cursor, clock offset, last success) ---- */
/* The value of key into buf (cap bytes); KIOSK_ENOENT when never set. */
int kiosk_syncstate_get(struct kiosk_store *st, const char *key, char *buf, size_t cap);
int kiosk_syncstate_set(struct kiosk_store *st, const char *key, const char *value);
/* Calls fn for every key starting with prefix (in key order), with the key after the
 * prefix; stops at fn's first non-zero return and returns it. */
int kiosk_syncstate_each(struct kiosk_store *st, const char *prefix,
			 int (*fn)(void *arg, const char *key, const char *value), void *arg);
/* The parcel rules when the operator changes them: the fee and the keeping time. */
void kiosk_store_set_rules(struct kiosk_store *st, const struct kiosk_fee_rule *fee,
			   int keep_days);

/* ---- changes from the platform (GET /v1/changes), already validated ---- */
enum kiosk_change_kind {
	KIOSK_CH_PRODUCT, KIOSK_CH_SLOT, KIOSK_CH_PRICE, KIOSK_CH_SERVICE, KIOSK_CH_COURIER,
	KIOSK_CH_OPERATOR, KIOSK_CH_CONFIG, KIOSK_CH_COMMAND, KIOSK_CH_MEAL
};
enum kiosk_command_type {
	KIOSK_RC_REMOTE_UNLOCK, KIOSK_RC_OPEN_ALL, KIOSK_RC_DISABLE, KIOSK_RC_SET_MESSAGE,
	KIOSK_RC_REBOOT
};
struct kiosk_change {
	enum kiosk_change_kind kind;
	bool del; /* op "delete" */
	char id[KIOSK_ID_MAX];
	union {
		struct kiosk_product product;
		struct kiosk_slot slot;
		struct { char slot[KIOSK_ID_MAX]; int64_t price_fen; } price;
		struct kiosk_service service;
		struct kiosk_meal meal;
		struct { char name[64], company[32], role[16], pin_hash[160]; } person;
		struct { char key[64], value[256]; } config;
		struct {
			enum kiosk_command_type type;
			char compartment[16];
			char text_zh[256], text_en[256];
			int64_t until_ms;
		} command;
	} u;
};
struct kiosk_change_page {
	char cursor[256];
	bool more;
	int n;
	struct kiosk_change *ch; /* owned; kiosk_change_page_free() */
};
/* Applies a page and stores its cursor in ONE transaction: all or nothing (*bad: the
 * index of the change refused, -1 for none). A command whose id ran before is skipped
 * (at most once); one that runs here (disable_compartment, set_message) records its
 * command.done now; one the core must carry out (a door, a reboot) is recorded as
 * 'queued' for kiosk_command_next(). */
int kiosk_changes_apply(struct kiosk_store *st, const struct kiosk_change_page *p, int *bad);
/* A catalogue shipped with the kiosk (the demo's), not the platform's: its products and
 * slots (upserts only) and each slot change's first stock (stock[i], restocked by by) in
 * ONE transaction, without a cursor. KIOSK_EINVAL (*bad: the index) for any other change,
 * the store's error else; nothing is written unless all is. */
int kiosk_catalogue_seed(struct kiosk_store *st, const struct kiosk_change_page *p,
			 const int *stock, const char *by, int *bad);
/* The oldest remote command waiting for the core ('queued'): its id (64 bytes), type and
 * compartment (16 bytes, "" for none); marked 'running' so it is handed out once.
 * KIOSK_ENOENT when none waits. */
int kiosk_command_next(struct kiosk_store *st, char *id, enum kiosk_command_type *type,
		       char *compartment);
/* A command's outcome ("ok", "jammed", an error name …): its command.done event. */
int kiosk_command_finish(struct kiosk_store *st, const char *id, const char *result);
/* At start: commands a previous run handed out or queued but never finished are reported
 * "interrupted" — never carried out again (a door must not open twice). Returns how many. */
int kiosk_command_settle(struct kiosk_store *st);

/* The home-screen message from set_message, if one is on now: texts into zh/en (256
 * bytes each), its end in *until_ms (may be NULL). KIOSK_ENOENT when none or expired. */
int kiosk_message_get(struct kiosk_store *st, int64_t now_ms, char *zh, char *en,
		      int64_t *until_ms);

/* ---- integrity ---- */
/* Checks the five invariants of DESIGN.md and the audit chain. KIOSK_OK, or
 * KIOSK_ECORRUPT with the first violation described in msg.
 * kiosk_store_check is incremental: the rows still in the store (live ones and history
 * younger than the retention), with what left for the archive counted, and the audit
 * chain from its last checkpoint (where the archive cut it, or where the archive pass last
 * verified it). Linear in what the store holds, not in its years.
 * kiosk_store_check_full reads the archive too (attached, read-only when the store is):
 * every event since seq 1, every order and parcel ever, the whole chain from row 1.
 * Refused by name when history was archived and the archive file is missing. */
int kiosk_store_check(struct kiosk_store *st, char *msg, size_t msglen);
int kiosk_store_check_full(struct kiosk_store *st, char *msg, size_t msglen);

/* The full page check (PRAGMA quick_check) is not run on every open: only after an unclean
 * shutdown (the last run did not close the store), on a thread of its own, its verdict
 * kept here for status. msg (may be NULL) gets SQLite's words when damaged. */
enum kiosk_verify {
	KIOSK_VERIFY_NOT_NEEDED, /* the store was closed cleanly last time */
	KIOSK_VERIFY_RUNNING,
	KIOSK_VERIFY_OK,
	KIOSK_VERIFY_DAMAGED,
};
enum kiosk_verify kiosk_store_verify_state(struct kiosk_store *st, char *msg, size_t cap);
const char *kiosk_verify_name(enum kiosk_verify v);
/* Did the last run close this store? (false for a new store) */
bool kiosk_store_unclean(const struct kiosk_store *st);

/* For kioskctl and tests: borrowed handle to the underlying database (read-only use). */
struct sqlite3 *kiosk_store_db(struct kiosk_store *st);
/* Every statement the store has prepared so far, with SQLite's query plan for it (the
 * detail lines of EXPLAIN QUERY PLAN, one per line): fn(arg, sql, plan) for each; fn
 * returns nonzero to stop. For the tests that keep every hot query an index search. */
int kiosk_store_plans(struct kiosk_store *st,
		      int (*fn)(void *arg, const char *sql, const char *plan), void *arg);

#endif
