/* Inside the core: its state, shared by the files of the generic machine — core.c (thread,
 * queue, dispatch, start and stop), snapshot.c, doors.c (device operations and who waits
 * for them), ports.c (what flows are handed), ctl_server.c, remote.c and boot.c. No flow
 * includes this: flows see kiosk/flow/flow.h. Core thread only, except where a field
 * says. */
#ifndef KIOSK_CORE_INT_H
#define KIOSK_CORE_INT_H

#include "kiosk/control.h"
#include "kiosk/core.h"
#include "kiosk/flow/flow.h"
#include "kiosk/locker.h"
#include "kiosk/neighbourhood.h"
#include "kiosk/loop.h"
#include "kiosk/vending.h"
#include "kiosk/mdb.h"
#include "kiosk/scanning.h"
#include "kiosk/printing.h"
#include "kiosk/receipt.h"
#include "hal/usb.h"
#include "kiosk/work.h"
#include "kiosk/store/store.h"
#include "kiosk/sync/sync.h"

#include <pthread.h>
#include <stdatomic.h>

#define KIOSK_CORE_NRESULTS 16
#define KIOSK_CORE_NWAITERS 16
#define KIOSK_CORE_NFLOWS 16
#define KIOSK_CORE_NTIMERS 16
#define KIOSK_CORE_NPRINTS 4

/* A request waiting for its doors' outcomes (one door, or all of "open all"): its result
 * is filed when the last one is in. */
struct kiosk_waiter {
	bool used;
	struct kiosk_request rq;
	int flow; /* the flow that asked: its on_device_outcome hears each door; -1 = none */
	int left; /* doors still out */
	int64_t opened;
	int first_err;
	struct kiosk_result res; /* filed when the last door is in */
};

/* A flow timer: the loop's timer id and the flow it calls back. */
struct kiosk_flow_timer {
	struct kiosk_core *c;
	int id, flow;
	kiosk_flow_timer_fn fn;
};

struct kiosk_core {
	struct kiosk_config cfg;      /* in effect: the file's, with the platform's settings */
	struct kiosk_config file_cfg; /* as the file (or the caller) gave it */
	bool simulate;
	kiosk_notify_fn notify;
	void *notify_arg;

	pthread_t thread;
	struct kiosk_store *store;
	struct kiosk_claim claim; /* one kiosk per store and per control socket */
	struct kiosk_locker *locker; /* NULL: no compartments configured */
	struct kiosk_vending *vending; /* NULL: no vending machine, or it could not be opened */
	char vend_why[160];            /* … why, when it is configured */
	struct kiosk_mdb *mdb; /* NULL: no MDB link (card reader, coins, notes), or it could */
	char mdb_why[160];     /* not be opened: why, when it is configured */
	struct kiosk_printing *printing; /* NULL: no printer fitted, or it could not start */
	char print_why[160];
	char print_fault[24]; /* the device.fault last sent ("" while it prints) */
	struct {
		int64_t job; /* 0 = free */
		enum kiosk_cmd_type type;
		struct kiosk_request rq;
	} prints[KIOSK_CORE_NPRINTS]; /* receipts on their way to paper, and who waits */
	struct usb_watch *usb_watch; /* NULL: no USB printer or scanner configured, or no USB */
	struct kiosk_scanning *scanning; /* NULL: no scanner fitted, or it could not start */
	char scan_why[160];
	/* where the screen takes a scan now (KIOSK_CMD_SCAN_AT), and the last scan, as the
	 * session view shows it */
	char scan_at[16];
	uint32_t scan_seq, scan_req;
	bool scan_refused;
	char scan_why_last[16];
	struct kiosk_control *control;
	struct kiosk_sync *sync; /* NULL: no platform configured, or it could not start */
	char sync_why[160];      /* why there is no link although a platform is configured */
	bool restart_requested; /* a remote reboot: the screen restarts when nobody is at it */
	struct kiosk_loop *loop;
	struct kiosk_work *work; /* slow work off this thread (PIN checks) */
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

	/* the flows: one context each (its session and keep state), and who logged in */
	const struct kiosk_flow *const *extra_flows; /* the caller's, after the table */
	struct kiosk_ports ports;
	struct kiosk_auth auth;
	int nflows;
	struct kiosk_fctx fx[KIOSK_CORE_NFLOWS];
	const struct kiosk_cmd_handler *handler_of[KIOSK_CMD_TYPE_COUNT];
	int flow_of[KIOSK_CMD_TYPE_COUNT];
	struct kiosk_flow_timer timers[KIOSK_CORE_NTIMERS];

	struct kiosk_waiter waiters[KIOSK_CORE_NWAITERS];
	struct {
		int64_t op;
		int waiter;
	} doors[KIOSK_MAX_COMPARTMENTS]; /* door operations out, and who waits (op 0 = free) */

	/* the neighbourhood the screens read (under snap_mu), and what it was built from */
	const struct kiosk_neighbourhood *nb;
	char nb_version[96];
	bool nb_building; /* a rebuild is on the worker thread */
	bool map_reading; /* the map file is being read on the worker thread */
	bool coverage_due;     /* a map came in: the coverage report follows its neighbourhood */
	bool coverage_running; /* the report is being worked out on the worker thread */
	int64_t coverage_retry_mono; /* a report failed: not asked again before (mono ms) */
	/* the maintenance page's view (under snap_mu), its build on the worker, and the item
	 * asked for while one was building (built next) */
	const struct kiosk_coverage_view *cov_view;
	bool cov_building, cov_again;
	int cov_next;
	uint32_t cov_views;
	char cov_error[160];
	int cov_rc;
	/* the store answered "disk full": said on screen and in status, new deposits and
	 * sends refused by the store itself, pickups served as far as it can; probed each
	 * tick until a write goes through again */
	bool disk_full;
	bool reserve_busy; /* the store's reserve being made on the worker (core_disk.c) */

	bool test_clock;
	char test_code[9]; /* test clock only: the last pickup code made (scripts type it) */
	int64_t skew_ms; /* test clock: added to the business clock */
};

/* ---- snapshot.c ---- */
/* Publishes a fresh snapshot and tells the UI. */
void kiosk_core_publish(struct kiosk_core *c);
/* A monitor round was applied: the flows follow their doors, the screen sees changes. */
void kiosk_core_round(struct kiosk_core *c);
/* The business clock (monotonic, plus the test clock's skew). */
int64_t kiosk_core_business_ms(const struct kiosk_core *c);
/* The store's clock (UTC, plus the test clock's skew). */
int64_t kiosk_core_store_ms(void);
extern atomic_llong kiosk_core_test_skew_ms;

/* ---- doors.c: device operations and the requests waiting on them ---- */
int kiosk_core_door_ready(const struct kiosk_core *c);
/* flow: the asking flow's index (-1 = none). As the door_open port. */
int kiosk_core_await_door(struct kiosk_core *c, int flow, const struct kiosk_request *rq,
			  const struct kiosk_result *res, const struct kiosk_door *door);
int kiosk_core_group_begin(struct kiosk_core *c, const struct kiosk_request *rq);
int kiosk_core_group_add(struct kiosk_core *c, int group, const struct kiosk_door *door);
void kiosk_core_group_error(struct kiosk_core *c, int group, int rc);
int kiosk_core_group_end(struct kiosk_core *c, int group);
void kiosk_core_door_read(const struct kiosk_core *c, const char *comp,
			  struct kiosk_door_reading *out);
/* The locker's hook: the rules a door's outcome is recorded with (its asking flow's). */
const struct kiosk_door_rules *kiosk_core_door_rules(void *arg, const struct kiosk_door *door);
/* The locker's hook: a door's outcome was recorded. */
void kiosk_core_on_door(void *arg, const struct kiosk_door *door, int rc);
/* Answers a request: its UI result, its control client, its remote command. */
void kiosk_core_answer(struct kiosk_core *c, const struct kiosk_request *rq,
		       const struct kiosk_result *res);

/* ---- core.c: the dispatch ---- */
/* Runs cmd for rq through the one handler table (cmd's strings are cleansed after) and
 * publishes. Returns KIOSK_FLOW_PENDING when rq is answered later (kiosk_core_answer, when
 * the outcome is in); anything else is the result now, in *res (rc set), for the caller
 * to answer. */
int kiosk_core_run(struct kiosk_core *c, const struct kiosk_request *rq, struct kiosk_cmd *cmd,
		   struct kiosk_result *res);

/* ---- ports.c ---- */
/* Fills c->ports and every flow's context (allocating its state); a flow table that
 * cannot be run (two handlers for one command) is refused, *why naming the flow. */
int kiosk_core_ports_init(struct kiosk_core *c, char *why, size_t why_len);
void kiosk_core_ports_free(struct kiosk_core *c);
/* Every flow: on_start, on_stop, on_round, on_session_end (then its session zeroed). */
void kiosk_core_flows_start(struct kiosk_core *c);
void kiosk_core_flows_stop(struct kiosk_core *c);
void kiosk_core_flows_round(struct kiosk_core *c);
void kiosk_core_flows_session_end(struct kiosk_core *c);
void kiosk_core_flows_view(struct kiosk_core *c, struct kiosk_session_view *v);
/* The flows' session state, for a cheap "did the round change anything": a hash. */
uint64_t kiosk_core_flows_digest(const struct kiosk_core *c);

/* ---- ctl_server.c: kioskctl's requests ---- */
size_t kiosk_core_on_control(void *arg, const struct kiosk_control_peer *peer, const char *req,
			     char *out, size_t cap);
/* The JSON line of an answer to a control client. */
void kiosk_core_control_answer(struct kiosk_core *c, int ctl, const struct kiosk_result *res);

/* ---- remote.c: what the platform sends ---- */
void kiosk_core_on_sync_commands(void *arg);
void kiosk_core_on_sync_settings(void *arg);
void kiosk_core_on_heartbeat(struct cJSON *devices, struct cJSON *faults, void *arg);
/* The config in effect: the file's, with every setting the platform sent on top. */
void kiosk_core_apply_settings(struct kiosk_core *c);

/* ---- core_print.c: receipts to the printer ---- */
bool kiosk_core_printer_ok(struct kiosk_core *c);
/* KIOSK_FLOW_PENDING (rq answered with type when the printer is done), KIOSK_ENOTSUP,
 * KIOSK_EDEVICE (cannot print now), KIOSK_EBUSY. */
int kiosk_core_print(struct kiosk_core *c, const struct kiosk_request *rq,
		     enum kiosk_cmd_type type, const struct kiosk_receipt *r);
void kiosk_core_print_done(struct kiosk_core *c, const struct kiosk_print_outcome *o);
void kiosk_core_print_health(struct kiosk_core *c, bool ok, const char *why);
/* KIOSK_CMD_PRINT_ROUTE: the walk to a place on paper, answered when printed. */
void kiosk_core_print_route(struct kiosk_core *c, const struct kiosk_request *rq,
			    const struct kiosk_cmd *cmd);
/* KIOSK_CMD_USB_SEEN: a USB printer or scanner came or went. */
void kiosk_core_usb_seen(struct kiosk_core *c, const struct kiosk_cmd *cmd);

/* ---- core_scan.c: a scan routed to the flow that serves where the screen is ---- */
/* The scanner's scan (the scanner service's hook). */
void kiosk_core_on_scan(struct kiosk_core *c, const struct kiosk_scan_outcome *o);
/* KIOSK_CMD_SCAN_AT: where the screen takes scans now. */
void kiosk_core_scan_at(struct kiosk_core *c, const struct kiosk_cmd *cmd);
/* The session view's scan fields; forgotten with the session. */
void kiosk_core_scan_view(const struct kiosk_core *c, struct kiosk_session_view *v);
void kiosk_core_scan_forget(struct kiosk_core *c);

/* ---- devices.c: the device services (the bank, the vending board) ---- */
/* Opens the locker (its failure stops the start, *why naming it) and the vending board
 * (its failure is logged and kept in vend_why: the rest of the kiosk serves on). */
int kiosk_core_devices_open(struct kiosk_core *c, char *why, size_t why_len);
void kiosk_core_devices_close(struct kiosk_core *c);

/* ---- boot.c ---- */
/* Opens the store (one kiosk per store, the device key, the demo rules). */
int kiosk_core_open_store(struct kiosk_core *c, char *why, size_t why_len);
/* The device classes' states as configured (before any bus reports). */
void kiosk_core_init_devices(struct kiosk_core *c);

/* ---- core_map.c: the neighbourhood ---- */
/* At start: the map file read (when newer) and the neighbourhood built, both on the
 * worker, the screens up meanwhile. */
void kiosk_core_map_start(struct kiosk_core *c);
/* A full disk (core_disk.c): the store's reserve made at start; a write failed for space
 * (the reserve given back, new parcels refused); tried again every few seconds. */
void kiosk_core_disk_start(struct kiosk_core *c);
void kiosk_core_disk_full(struct kiosk_core *c);
void kiosk_core_disk_tick(struct kiosk_core *c);
/* The same after start: built on the worker thread (its own read-only connection), the
 * screens' pointer swapped back on the loop; nothing when a build is under way. */
void kiosk_core_map_refresh_async(struct kiosk_core *c);
/* core_coverage.c: the report.coverage event, worked out on the worker thread (its own
 * read-only connection) and recorded on the loop — after a map import (coverage_due),
 * and when a week has passed since the last one (asked every quarter minute). */
void kiosk_core_coverage_tick(struct kiosk_core *c);
/* KIOSK_CMD_COVERAGE: the view for the operator at the screen, built on the worker (answered
 * at once: KIOSK_OK asked, KIOSK_EDENIED for anyone else); the held view let go at stop. */
void kiosk_core_coverage_cmd(struct kiosk_core *c, const struct kiosk_request *rq,
			     const struct kiosk_cmd *cmd);
void kiosk_core_coverage_stop(struct kiosk_core *c);

#endif
