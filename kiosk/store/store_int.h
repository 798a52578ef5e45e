/* Inside the store: shared by the files of kiosk/store only. */
#ifndef KIOSK_STORE_INT_H
#define KIOSK_STORE_INT_H

#include "kiosk/store/archive.h"
#include "kiosk/store/store.h"
#include "kiosk/store/reserve.h"
#include "kiosk/caches.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sqlite3.h>

#define STMT_CACHE KIOSK_CACHE_STMT_ENTRIES
/* 'QHKS' — marks a SQLite file as ours, so a foreign database is refused. */
#define KIOSK_APP_ID 0x51484B53

#define ST_MEM_GUARDS 8
/* A lockout counted in memory while the store cannot write (guard.c). */
struct st_mem_guard {
	char name[48];
	int64_t fails, start, until, level;
};

struct kiosk_store {
	sqlite3 *db;
	uint8_t key[KIOSK_DEVKEY_LEN];
	struct kiosk_fee_rule fee;
	int keep_days;
	int64_t (*now)(void);
	kiosk_dispense_prover prove;
	void *prove_arg;
	struct kiosk_recovery rec;
	long alloc_failures; /* kiosk_alloc_failures() when the transaction began */
	bool disk_full_seen; /* a write failed for space since the owner last asked */
	atomic_bool on_reserve; /* the reserve given back and not kept again (reserve.c) */
	bool created;        /* kiosk_store_open made the file */
	int tx_depth;        /* 0: none; 1: BEGIN IMMEDIATE; more: savepoints inside it */
	bool sync_normal;    /* opened with synchronous=NORMAL (benchmarks) */
	struct st_mem_guard mem_guard[ST_MEM_GUARDS];
	struct {
		const char *sql; /* the literal's address is the key */
		sqlite3_stmt *stmt;
	} cache[STMT_CACHE];
	int ncache;
	char path[300];
	bool rw;      /* opened for writing: it marks itself open, and closed at close */
	bool unclean; /* the last run did not close it */
	/* the full page check after an unclean shutdown (verify.c) */
	pthread_mutex_t verify_mu;
	pthread_t verify_thread;
	bool verify_started;
	enum kiosk_verify verify;   /* under verify_mu */
	char verify_msg[160];       /* under verify_mu */
	/* the archiver (archiver.c): its thread, woken by kick or stop */
	int retention_days;
	atomic_uint erased;  /* secrets erased (codes): the archiver scrubs the WAL after */
	bool archiver_started;
	pthread_t archiver_thread;
	pthread_mutex_t archiver_mu;
	pthread_cond_t archiver_cv;
	volatile int archiver_stop; /* read between batches without the lock */
	bool archiver_kicked;                     /* under archiver_mu */
	struct kiosk_archive_stats archiver_last; /* under archiver_mu */
	int64_t archiver_at_ms;                   /* under archiver_mu */
	unsigned scrubs;                          /* under archiver_mu */
	char archiver_msg[200];                   /* under archiver_mu */
};

/* archiver.c: starts the store's archiver thread; stops and joins it (close). */
int st_archiver_start(struct kiosk_store *st);
void st_archiver_stop(struct kiosk_store *st);

/* verify.c: starts the page check on its own thread; joins it (close). */
int st_verify_start(struct kiosk_store *st);
void st_verify_join(struct kiosk_store *st);

/* A cached prepared statement for sql (a string literal), reset, with arguments bound by
 * fmt: 't' const char * (NULL binds NULL), 'i' int64_t, 'I' int64_t with negative binding
 * NULL, 'd' int, 'b' const void *, int length. NULL on error (logged). Prepared once, kept for the process lifetime. */
sqlite3_stmt *st_q(struct kiosk_store *st, const char *sql, const char *fmt, ...);
/* st_q and step to the end. Maps constraint failures: UNIQUE → KIOSK_EEXIST, FOREIGN KEY
 * → KIOSK_ENOENT, CHECK → KIOSK_EINVAL; other failures KIOSK_EDB. */
int st_do(struct kiosk_store *st, const char *sql, const char *fmt, ...);
/* Steps: 1 row, 0 done, negative kiosk_err (logged). */
int st_step(struct kiosk_store *st, sqlite3_stmt *s);
/* Changes made by the last statement. */
int st_changes(struct kiosk_store *st);
int st_err(struct kiosk_store *st, int sqlite_rc, const char *where);

/* Lockouts (guard.c). A policy: this many wrong attempts within window_ms lock for
 * base_ms, doubling with each lockout up to max_ms. */
struct st_guard_policy {
	int fails;
	int64_t window_ms, base_ms, max_ms;
};
extern const struct st_guard_policy st_guard_pickup, st_guard_login;
/* Wrong attempts name may still take before the lockout (1 … pol->fails). */
int st_guard_tries_left(struct kiosk_store *st, const char *name,
			const struct st_guard_policy *pol, int64_t now);
/* KIOSK_ELOCKED with *wait_s while name is locked (in the store or in memory). */
int st_guard_check(struct kiosk_store *st, const char *name, int64_t now, int *wait_s);
/* Counts a wrong attempt inside the caller's transaction: KIOSK_EDENIED, KIOSK_ELOCKED
 * (with *wait_s), or the store's error. */
int st_guard_fail(struct kiosk_store *st, const char *name, const struct st_guard_policy *pol,
		  int64_t now, int *wait_s);
/* The same, in memory, when the write failed. */
int st_guard_fail_mem(struct kiosk_store *st, const char *name,
		      const struct st_guard_policy *pol, int64_t now, int *wait_s);
/* A write that changes nothing, so that a right attempt fails as a wrong one does when the
 * disk is full (nobody learns from the answer which one it was). */
int st_guard_touch(struct kiosk_store *st, const char *name, int64_t now);

int st_begin(struct kiosk_store *st);
/* The next transaction commits without waiting for the disk's flush (synchronous=NORMAL),
 * for what a power cut may lose: it reaches the disk with the next synced commit, in
 * order. Not inside a transaction (then it does nothing and says false). st_unrelax puts
 * FULL back when st_relax said true. */
bool st_relax(struct kiosk_store *st);
void st_unrelax(struct kiosk_store *st, bool relaxed);
int st_commit(struct kiosk_store *st);
void st_rollback(struct kiosk_store *st);

/* Steps s (from st_q; NULL is KIOSK_EDB) once and copies its first column into dst:
 * KIOSK_OK, KIOSK_ENOENT for no row, or the step's error. Resets s. */
int st_one_text(struct kiosk_store *st, sqlite3_stmt *s, char *dst, size_t cap);
/* Copies column i as text into dst (empty string for NULL). */
void st_col_text(sqlite3_stmt *s, int i, char *dst, size_t cap);

/* Appends one audit row (hash-chained) and, when event_type is not NULL, one outbox event
 * with the next gap-free seq; the audit row points at the event. detail and data are
 * borrowed (may be NULL). Must run inside a transaction. */
int st_record(struct kiosk_store *st, const char *actor, const char *action,
	      const char *subject, const cJSON *detail, const char *event_type,
	      const cJSON *data);

/* A remote command's outcome: command_done row and command.done event (in the caller's
 * transaction). */
int st_command_done(struct kiosk_store *st, const char *id, const char *type,
		    const char *result);

/* Cash (cash.c), inside the caller's transaction: what an ended order's cash still owes
 * becomes a debt (nobody at the screen to pay it to); recovery's part. */
int st_cash_owe_unattended(struct kiosk_store *st, const char *order, const char *actor);
int st_cash_recover(struct kiosk_store *st);

/* Recovery, run by open inside its own transaction. */
int st_recover(struct kiosk_store *st);

/* The audit chain (chain.c). A row's hash over the row and the hash before it. */
void st_audit_hash(const uint8_t prev[32], int64_t n, int64_t at, const char *actor,
		   const char *action, const char *subject, const char *detail, int64_t ev,
		   uint8_t out[32]);
/* Where a walk of the chain stands: the next row expected and the hash it must chain to. */
struct st_chain {
	int64_t next_n;
	uint8_t prev[32];
	int64_t archived_seq;  /* events up to this seq had their audit rows archived */
	bool verified_in_main; /* started from a 'verified' checkpoint whose row is here */
};
/* The walk's start: with full, row 1 after zeros; otherwise the later of the store's
 * checkpoints ('archived', 'verified'), whose row, when still here, must still hash as
 * recorded. KIOSK_OK, KIOSK_ECORRUPT (msg says where), KIOSK_EDB. */
int st_chain_start(sqlite3 *db, bool full, struct st_chain *c, char *msg, size_t len);
/* Walks the rows sql returns (n, at_ms, actor, action, subject, detail, event_seq or -1,
 * prev, hash; ?1 bound to c->next_n), in n order, from c on: KIOSK_OK with c at the end,
 * KIOSK_ECORRUPT with "audit chain broken at row N" in msg, KIOSK_EDB. */
int st_chain_walk(sqlite3 *db, const char *sql, struct st_chain *c, char *msg, size_t len);

/* The map or the services changed (in the caller's transaction): the version the core
 * compares to rebuild its neighbourhood moves on. */
int st_map_bump(struct kiosk_store *st);

/* Small helpers shared by the domain files. */
int st_valid_id(const char *s, size_t max);
int st_count(struct kiosk_store *st, const char *sql, const char *arg, int64_t *out);

#endif
