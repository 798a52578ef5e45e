/* The five invariants of DESIGN.md, checked by one function that tests, the crash test and
 * `kioskctl db check` share. Each query returns the first offending row. */
#include "kiosk/store/store_int.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct rule {
	const char *what; /* printed with the offending id */
	const char *sql;  /* returns one text column for the first violation, or no row */
	bool full_only;   /* needs the archive attached */
};

/* The rules read the history through views (made per check below): the store's own rows
 * for the incremental check, with what left for the archive counted (x_base, x_slot_base);
 * the store's and the archive's rows together for the full one, with nothing counted.
 *   x_events(seq, type, data)  every event committed: waiting, sent, dead-lettered
 *   x_orders, x_refunds, x_parcels, x_audit(n, event_seq)
 *   x_base(archived_events, archived_seq)  events moved out; events up to archived_seq
 *                              had their audit rows moved out
 *   x_slot_base(id, n)         each slot's dispensed orders moved out */
static const char *const views_incremental =
	"CREATE TEMP VIEW x_events AS SELECT seq, type, data FROM main.outbox"
	" UNION ALL SELECT seq, type, data FROM main.dead_letter;"
	"CREATE TEMP VIEW x_orders AS SELECT id, slot, state, method, amount_fen FROM main.vend_order;"
	"CREATE TEMP VIEW x_refunds AS SELECT order_id, amount_fen FROM main.refund;"
	"CREATE TEMP VIEW x_parcels AS SELECT id, kind, state FROM main.parcel;"
	"CREATE TEMP VIEW x_audit AS SELECT n, event_seq FROM main.audit;"
	"CREATE TEMP VIEW x_base(archived_events, archived_seq) AS SELECT"
	" coalesce((SELECT value FROM main.meta WHERE key = 'events_archived'), 0),"
	" coalesce((SELECT event_seq FROM main.audit_checkpoint WHERE kind = 'archived'), 0);"
	"CREATE TEMP VIEW x_slot_base(id, n) AS SELECT id, archived_dispensed FROM main.slot;";

/* A row in both files is a move a kill interrupted (copied, not yet deleted): once. */
static const char *const views_full =
	"CREATE TEMP VIEW x_events AS SELECT seq, type, data FROM main.outbox"
	" UNION ALL SELECT seq, type, data FROM main.dead_letter"
	" UNION ALL SELECT seq, type, data FROM arch.outbox WHERE seq NOT IN"
	" (SELECT seq FROM main.outbox);"
	"CREATE TEMP VIEW x_orders AS SELECT id, slot, state, method, amount_fen FROM main.vend_order"
	" UNION ALL SELECT id, slot, state, method, amount_fen FROM arch.vend_order"
	" WHERE id NOT IN (SELECT id FROM main.vend_order);"
	"CREATE TEMP VIEW x_refunds AS SELECT order_id, amount_fen FROM main.refund"
	" UNION ALL SELECT order_id, amount_fen FROM arch.refund"
	" WHERE id NOT IN (SELECT id FROM main.refund);"
	"CREATE TEMP VIEW x_parcels AS SELECT id, kind, state FROM main.parcel"
	" UNION ALL SELECT id, kind, state FROM arch.parcel"
	" WHERE id NOT IN (SELECT id FROM main.parcel);"
	"CREATE TEMP VIEW x_audit AS SELECT n, event_seq FROM main.audit"
	" UNION ALL SELECT n, event_seq FROM arch.audit WHERE n NOT IN (SELECT n FROM main.audit);"
	"CREATE TEMP VIEW x_base(archived_events, archived_seq) AS SELECT 0, 0;"
	"CREATE TEMP VIEW x_slot_base(id, n) AS SELECT id, 0 FROM main.slot;";

static const char *const views_drop =
	"DROP VIEW IF EXISTS temp.x_events; DROP VIEW IF EXISTS temp.x_orders;"
	" DROP VIEW IF EXISTS temp.x_refunds; DROP VIEW IF EXISTS temp.x_parcels;"
	" DROP VIEW IF EXISTS temp.x_audit; DROP VIEW IF EXISTS temp.x_base;"
	" DROP VIEW IF EXISTS temp.x_slot_base;";

/* Each order or parcel against its events of one type, in one GROUP BY over both (sorted
 * once: linear-logarithmic in the history, never a scan per row). The entity rows say
 * how many events each should have (want); an id that is no entity here is not judged
 * (its order or parcel left for the archive first, or never was one of this kind). */
#define PER_ENTITY(entities, type, key)                                                            \
	"SELECT id FROM (SELECT id, want, 1 AS e, 0 AS got FROM (" entities ")"                    \
	" UNION ALL SELECT json_extract(data, '$." key "'), 0, 0, 1 FROM x_events"                 \
	" WHERE type = '" type "') GROUP BY id HAVING sum(e) > 0 AND sum(want) <> sum(got) LIMIT 1"

static const struct rule rules[] = {
	{"1: paid order neither dispensed nor refunded, or both",
	 "SELECT id FROM x_orders o WHERE method IS NOT NULL"
	 " AND state NOT IN ('paid', 'dispensing')"
	 " AND (state = 'dispensed') + EXISTS(SELECT 1 FROM x_refunds r WHERE r.order_id = o.id)"
	 " <> 1 LIMIT 1", false},
	{"1: refund for an order that was never paid",
	 "SELECT r.order_id FROM x_refunds r JOIN x_orders o ON o.id = r.order_id"
	 " WHERE o.method IS NULL OR r.amount_fen <> o.amount_fen LIMIT 1", false},
	/* Cash (schema v17): what an order's coins and notes owe back — change after its
	 * dispense, all of it after a failure or cancel — is paid back or owed, never more,
	 * never forgotten (the payout is begun in the same step that ends the order). */
	{"1: cash given back or owed beyond what was put in",
	 "SELECT o.id FROM main.vend_order o JOIN main.cash_payout p ON p.order_id = o.id"
	 " GROUP BY o.id HAVING sum(p.owed_fen) > max(o.cash_fen) - max(CASE WHEN o.state ="
	 " 'dispensed' AND o.method = 'cash' THEN o.amount_fen ELSE 0 END) LIMIT 1", false},
	{"1: cash of an ended order neither given back nor owed",
	 "SELECT o.id FROM main.vend_order o WHERE o.cash_fen > 0 AND o.state IN ('dispensed',"
	 " 'failed', 'cancelled') AND o.cash_fen - (CASE WHEN o.state = 'dispensed' AND"
	 " o.method = 'cash' THEN o.amount_fen ELSE 0 END) > (SELECT coalesce(sum(owed_fen), 0)"
	 " FROM main.cash_payout p WHERE p.order_id = o.id) LIMIT 1", false},
	/* 助餐 (schema v19): a meal's sold portions are its paid and served orders' (taken
	 * where an order is paid, given back where one is cancelled), so the kiosk never
	 * sells past what it counted; a meal order is paid once and a cancelled paid one is
	 * refunded once. Meal orders never leave for the archive. */
	{"1: a meal's sold portions differ from its paid and served orders",
	 "SELECT m.id FROM main.meal m WHERE m.sold <> (SELECT coalesce(sum(o.portions), 0)"
	 " FROM main.meal_order o WHERE o.meal = m.id AND o.state IN ('paid', 'served'))"
	 " LIMIT 1", false},
	{"1: meal order without exactly one meal.ordered event",
	 PER_ENTITY("SELECT id, method IS NOT NULL AS want FROM main.meal_order", "meal.ordered",
		    "order"),
	 false},
	{"1: cancelled paid meal order without exactly one refund",
	 PER_ENTITY("SELECT id, 1 AS want FROM main.meal_order WHERE state = 'cancelled' AND"
		    " method IN ('qr', 'mdb') AND due_fen > 0",
		    "payment.refund_requested", "order"),
	 false},
	{"2: compartment holds more than one active parcel",
	 "SELECT compartment FROM main.parcel WHERE active AND compartment IS NOT NULL"
	 " GROUP BY compartment HAVING count(*) > 1 LIMIT 1", false},
	{"2: free compartment holds a parcel",
	 "SELECT c.id FROM main.compartment c WHERE c.state = 'free' AND EXISTS"
	 " (SELECT 1 FROM main.parcel p WHERE p.compartment = c.id AND p.active) LIMIT 1", false},
	{"2: occupied compartment holds no parcel",
	 "SELECT c.id FROM main.compartment c WHERE c.state = 'occupied' AND NOT EXISTS"
	 " (SELECT 1 FROM main.parcel p WHERE p.compartment = c.id AND p.active) LIMIT 1", false},
	{"2: deposited parcel without a compartment",
	 "SELECT id FROM main.parcel WHERE state IN ('deposited', 'expired', 'send_deposited')"
	 " AND compartment IS NULL LIMIT 1", false},
	{"3: slot stock does not equal restocks - dispenses (+ adjustments)",
	 "WITH d(slot, k) AS MATERIALIZED (SELECT slot, count(*) FROM x_orders"
	 " WHERE state = 'dispensed' GROUP BY slot)"
	 " SELECT s.id FROM main.slot s JOIN x_slot_base b ON b.id = s.id"
	 " LEFT JOIN d ON d.slot = s.id WHERE s.stock < 0"
	 " OR s.stock <> s.restocked - s.dispensed + s.adjusted"
	 " OR s.dispensed <> b.n + coalesce(d.k, 0) LIMIT 1", false},
	{"3: a slot's archived dispenses differ from the archive's",
	 "SELECT s.id FROM main.slot s WHERE s.archived_dispensed <> (SELECT count(*) FROM"
	 " arch.vend_order o WHERE o.slot = s.id AND o.state = 'dispensed'"
	 " AND o.id NOT IN (SELECT id FROM main.vend_order)) LIMIT 1",
	 true},
	{"4: the unsent count differs from the unsent events",
	 "SELECT 'counted=' || value || ' unsent=' || (SELECT count(*) FROM main.outbox"
	 " WHERE sent = 0) FROM main.meta WHERE key = 'outbox_unsent' AND value <>"
	 " (SELECT count(*) FROM main.outbox WHERE sent = 0)", false},
	/* Here plus archived must be the whole sequence, each seq once, none past the last:
	 * with nothing archived (or in the full check) that is exactly 1..last. */
	{"4: outbox sequence has a gap or a duplicate",
	 "WITH m(last) AS (SELECT value FROM main.meta WHERE key = 'outbox_seq'),"
	 " c(total, uniq, lo, hi) AS (SELECT count(*), count(DISTINCT seq), min(seq), max(seq)"
	 " FROM x_events)"
	 " SELECT 'events=' || total || ' archived=' || archived_events || ' distinct=' || uniq"
	 " || ' last=' || last FROM c, m, x_base"
	 " WHERE total + archived_events <> last OR uniq <> total OR coalesce(lo, 1) < 1"
	 " OR coalesce(hi, 0) > last", false},
	/* Invariant 4 against the state changes themselves, not against the audit rows the
	 * same code writes: each state a change left behind has its one event, and each
	 * event its state. (An order or parcel leaves for the archive before its events do,
	 * never after: one still here has all of them here.) */
	{"4: dispensed order without exactly one vend.dispensed event",
	 PER_ENTITY("SELECT id, state = 'dispensed' AS want FROM x_orders", "vend.dispensed",
		    "order"),
	 false},
	{"4: refund without exactly one payment.refund_requested event",
	 PER_ENTITY("SELECT id, 0 AS want FROM x_orders UNION ALL SELECT order_id, 1 FROM x_refunds",
		    "payment.refund_requested", "order"),
	 false},
	{"4: delivery in the locker (or past it) without exactly one parcel.deposited event",
	 PER_ENTITY("SELECT id, state IN ('deposited', 'expired', 'picked_up', 'retrieved') AS want"
		    " FROM x_parcels WHERE kind = 'delivery'",
		    "parcel.deposited", "parcel"),
	 false},
	{"4: picked-up parcel without exactly one parcel.picked_up event",
	 PER_ENTITY("SELECT id, state = 'picked_up' AS want FROM x_parcels", "parcel.picked_up",
		    "parcel"),
	 false},
	{"4: retrieved parcel without exactly one parcel.expired_retrieved event",
	 PER_ENTITY("SELECT id, state = 'retrieved' AS want FROM x_parcels",
		    "parcel.expired_retrieved", "parcel"),
	 false},
	/* Events up to archived_seq had their audit rows moved out first; every later event
	 * has its one row here, and every row here its event. */
	{"4: event without exactly one audit record",
	 "SELECT seq FROM x_events WHERE seq > (SELECT archived_seq FROM x_base)"
	 " AND seq NOT IN (SELECT event_seq FROM x_audit WHERE event_seq IS NOT NULL)"
	 " UNION ALL SELECT event_seq FROM x_audit WHERE event_seq IS NOT NULL AND event_seq"
	 " NOT IN (SELECT seq FROM x_events)"
	 " UNION ALL SELECT event_seq FROM x_audit WHERE event_seq IS NOT NULL"
	 " GROUP BY event_seq HAVING count(*) > 1 LIMIT 1", false},
};

static int run_rules(struct kiosk_store *st, bool attached, char *msg, size_t msglen)
{
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		if (rules[i].full_only && !attached)
			continue;
		sqlite3_stmt *s = NULL;
		int64_t t0 = kiosk_mono_us();
		int rc = sqlite3_prepare_v2(st->db, rules[i].sql, -1, &s, NULL);
		if (rc != SQLITE_OK)
			return st_err(st, rc, rules[i].what);
		rc = sqlite3_step(s);
		KLOG_DEBUG("store", "event=check_rule rule=\"%s\" us=%lld", rules[i].what,
			   (long long)(kiosk_mono_us() - t0));
		if (rc == SQLITE_ROW) {
			const unsigned char *id = sqlite3_column_text(s, 0);
			snprintf(msg, msglen, "invariant %s: %s", rules[i].what,
				 id ? (const char *)id : "?");
		}
		sqlite3_finalize(s);
		if (rc == SQLITE_ROW)
			return KIOSK_ECORRUPT;
		if (rc != SQLITE_DONE)
			return st_err(st, rc, rules[i].what);
	}
	return KIOSK_OK;
}

#define CHAIN_COLS "n, at_ms, actor, action, subject, detail, coalesce(event_seq, -1), prev, hash"

/* Has anything ever left for the archive? Then the full check needs it. */
static int archived_any(struct kiosk_store *st, bool *any)
{
	int64_t n = 0;
	int rc = st_count(st,
			  "SELECT (SELECT value FROM meta WHERE key = 'events_archived') +"
			  " (SELECT count(*) FROM audit_checkpoint WHERE kind = 'archived') +"
			  " (SELECT coalesce(sum(archived_dispensed), 0) FROM slot)",
			  NULL, &n);
	*any = n > 0;
	return rc;
}

static int check(struct kiosk_store *st, bool full, char *msg, size_t msglen)
{
	char apath[sizeof st->path + 16];
	bool attached = false, named =
		kiosk_store_archive_path(st->path, apath, sizeof apath) == KIOSK_OK;
	int rc = KIOSK_OK;
	if (full && named && access(apath, F_OK) == 0) {
		sqlite3_stmt *s = NULL;
		rc = sqlite3_prepare_v2(st->db, "ATTACH ? AS arch", -1, &s, NULL);
		if (rc == SQLITE_OK) {
			sqlite3_bind_text(s, 1, apath, -1, SQLITE_STATIC);
			rc = sqlite3_step(s);
		}
		sqlite3_finalize(s);
		if (rc != SQLITE_DONE)
			return st_err(st, rc, "attach archive");
		attached = true;
		/* made but never written to (its first pass died before its tables): none */
		/* (not through the statement cache: arch is gone once the check ends) */
		rc = sqlite3_prepare_v2(st->db,
					"SELECT 1 FROM arch.sqlite_schema WHERE name = 'audit'", -1, &s,
					NULL);
		bool tables = rc == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW;
		sqlite3_finalize(s);
		rc = KIOSK_OK;
		if (!tables) {
			sqlite3_exec(st->db, "DETACH arch", NULL, NULL, NULL);
			attached = false;
		}
	}
	if (full && !attached) {
		bool any = false;
		if ((rc = archived_any(st, &any)))
			return rc;
		if (any) {
			snprintf(msg, msglen, "history was archived but the archive %s is missing",
				 named ? apath : "file");
			return KIOSK_ECORRUPT;
		}
	}
	sqlite3_exec(st->db, views_drop, NULL, NULL, NULL);
	rc = sqlite3_exec(st->db, attached ? views_full : views_incremental, NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		rc = st_err(st, rc, "check views");
		goto out_views;
	}
	rc = run_rules(st, attached, msg, msglen);
	if (rc)
		goto out_views;
	struct st_chain c;
	rc = st_chain_start(st->db, full, &c, msg, msglen);
	if (rc == KIOSK_OK && attached)
		rc = st_chain_walk(st->db,
				   "SELECT " CHAIN_COLS " FROM arch.audit WHERE n >= ?1 AND n NOT IN"
				   " (SELECT n FROM main.audit) UNION ALL SELECT " CHAIN_COLS
				   " FROM main.audit WHERE n >= ?1 ORDER BY 1",
				   &c, msg, msglen);
	else if (rc == KIOSK_OK)
		rc = st_chain_walk(st->db, "SELECT " CHAIN_COLS " FROM main.audit WHERE n >= ?1"
				   " ORDER BY n", &c, msg, msglen);
	if (rc == KIOSK_OK)
		snprintf(msg, msglen, "ok");
out_views:
	sqlite3_exec(st->db, views_drop, NULL, NULL, NULL);
	if (attached)
		sqlite3_exec(st->db, "DETACH arch", NULL, NULL, NULL);
	return rc;
}

int kiosk_store_check(struct kiosk_store *st, char *msg, size_t msglen)
{
	return check(st, false, msg, msglen);
}

int kiosk_store_check_full(struct kiosk_store *st, char *msg, size_t msglen)
{
	return check(st, true, msg, msglen);
}
