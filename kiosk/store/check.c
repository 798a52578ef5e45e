/* The five invariants of DESIGN.md, checked by one function that tests, the crash test and
 * `kioskctl db check` share. Each query returns the first offending row. */
#include "kiosk/store/store_int.h"
#include "hal/base/error.h"

#include <stdio.h>
#include <string.h>

struct rule {
	const char *what; /* printed with the offending id */
	const char *sql;  /* returns one text column for the first violation, or no row */
};

/* Every event of one type the kiosk ever committed (waiting, sent, or dead-lettered),
 * counted per the id it names: read once and grouped, so a rule that compares each order
 * or parcel with its events is linear in the history, not quadratic. */
#define EVENTS_PER(type, key)                                                                      \
	"WITH ev(type, data) AS (SELECT type, data FROM outbox"                                    \
	" UNION ALL SELECT type, data FROM dead_letter),"                                          \
	" n(id, k) AS MATERIALIZED (SELECT json_extract(data, '$." key "'), count(*) FROM ev"       \
	" WHERE type = '" type "' GROUP BY 1) "

static const struct rule rules[] = {
	{"1: paid order neither dispensed nor refunded, or both",
	 "SELECT id FROM vend_order o WHERE method IS NOT NULL"
	 " AND state NOT IN ('paid', 'dispensing')"
	 " AND (state = 'dispensed') + EXISTS(SELECT 1 FROM refund r WHERE r.order_id = o.id) <> 1"
	 " LIMIT 1"},
	{"1: refund for an order that was never paid",
	 "SELECT r.order_id FROM refund r JOIN vend_order o ON o.id = r.order_id"
	 " WHERE o.method IS NULL OR r.amount_fen <> o.amount_fen LIMIT 1"},
	{"2: compartment holds more than one active parcel",
	 "SELECT compartment FROM parcel WHERE active AND compartment IS NOT NULL"
	 " GROUP BY compartment HAVING count(*) > 1 LIMIT 1"},
	{"2: free compartment holds a parcel",
	 "SELECT c.id FROM compartment c WHERE c.state = 'free' AND EXISTS"
	 " (SELECT 1 FROM parcel p WHERE p.compartment = c.id AND p.active) LIMIT 1"},
	{"2: occupied compartment holds no parcel",
	 "SELECT c.id FROM compartment c WHERE c.state = 'occupied' AND NOT EXISTS"
	 " (SELECT 1 FROM parcel p WHERE p.compartment = c.id AND p.active) LIMIT 1"},
	{"2: deposited parcel without a compartment",
	 "SELECT id FROM parcel WHERE state IN ('deposited', 'expired', 'send_deposited')"
	 " AND compartment IS NULL LIMIT 1"},
	{"3: slot stock does not equal restocks - dispenses (+ adjustments)",
	 "SELECT id FROM slot s WHERE stock < 0 OR stock <> restocked - dispensed + adjusted"
	 " OR dispensed <> (SELECT count(*) FROM vend_order o WHERE o.slot = s.id"
	 " AND o.state = 'dispensed') LIMIT 1"},
	{"4: the unsent count differs from the unsent events",
	 "SELECT 'counted=' || value || ' unsent=' || (SELECT count(*) FROM outbox WHERE sent = 0)"
	 " FROM meta WHERE key = 'outbox_unsent' AND value <>"
	 " (SELECT count(*) FROM outbox WHERE sent = 0)"},
	{"4: outbox sequence has a gap or a duplicate",
	 "WITH ev(seq) AS (SELECT seq FROM outbox UNION ALL SELECT seq FROM dead_letter),"
	 " m(n) AS (SELECT value FROM meta WHERE key = 'outbox_seq')"
	 " SELECT 'events=' || (SELECT count(*) FROM ev) || ' distinct=' ||"
	 " (SELECT count(DISTINCT seq) FROM ev) || ' last=' || (SELECT n FROM m)"
	 " WHERE (SELECT count(*) FROM ev) <> (SELECT n FROM m)"
	 " OR (SELECT count(DISTINCT seq) FROM ev) <> (SELECT n FROM m)"
	 " OR coalesce((SELECT max(seq) FROM ev), 0) <> (SELECT n FROM m)"},
	/* Invariant 4 against the state changes themselves, not against the audit rows the
	 * same code writes: each state a change left behind has its one event, and each
	 * event its state. */
	{"4: dispensed order without exactly one vend.dispensed event",
	 EVENTS_PER("vend.dispensed", "order")
	 "SELECT o.id FROM vend_order o LEFT JOIN n ON n.id = o.id"
	 " WHERE (o.state = 'dispensed') <> coalesce(n.k, 0) LIMIT 1"},
	{"4: refund without exactly one payment.refund_requested event",
	 EVENTS_PER("payment.refund_requested", "order")
	 "SELECT o.id FROM vend_order o LEFT JOIN n ON n.id = o.id WHERE EXISTS(SELECT 1 FROM"
	 " refund r WHERE r.order_id = o.id) <> coalesce(n.k, 0) LIMIT 1"},
	{"4: delivery in the locker (or past it) without exactly one parcel.deposited event",
	 EVENTS_PER("parcel.deposited", "parcel")
	 "SELECT p.id FROM parcel p LEFT JOIN n ON n.id = p.id WHERE p.kind = 'delivery' AND"
	 " (p.state IN ('deposited', 'expired', 'picked_up', 'retrieved')) <> coalesce(n.k, 0)"
	 " LIMIT 1"},
	{"4: picked-up parcel without exactly one parcel.picked_up event",
	 EVENTS_PER("parcel.picked_up", "parcel")
	 "SELECT p.id FROM parcel p LEFT JOIN n ON n.id = p.id"
	 " WHERE (p.state = 'picked_up') <> coalesce(n.k, 0) LIMIT 1"},
	{"4: retrieved parcel without exactly one parcel.expired_retrieved event",
	 EVENTS_PER("parcel.expired_retrieved", "parcel")
	 "SELECT p.id FROM parcel p LEFT JOIN n ON n.id = p.id"
	 " WHERE (p.state = 'retrieved') <> coalesce(n.k, 0) LIMIT 1"},
	{"4: event without exactly one audit record",
	 "SELECT seq FROM (SELECT seq FROM outbox UNION ALL SELECT seq FROM dead_letter)"
	 " WHERE seq NOT IN (SELECT event_seq FROM audit WHERE event_seq IS NOT NULL)"
	 " UNION ALL SELECT event_seq FROM audit WHERE event_seq IS NOT NULL AND event_seq NOT IN"
	 " (SELECT seq FROM outbox UNION ALL SELECT seq FROM dead_letter) LIMIT 1"},
};

int kiosk_store_check(struct kiosk_store *st, char *msg, size_t msglen)
{
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		sqlite3_stmt *s = st_q(st, rules[i].sql, NULL);
		if (!s)
			return KIOSK_EDB;
		int rc = st_step(st, s);
		if (rc == 1) {
			const unsigned char *id = sqlite3_column_text(s, 0);
			snprintf(msg, msglen, "invariant %s: %s", rules[i].what,
				 id ? (const char *)id : "?");
		}
		sqlite3_reset(s);
		if (rc < 0)
			return rc;
		if (rc == 1)
			return KIOSK_ECORRUPT;
	}
	int rc = st_audit_verify(st, msg, msglen);
	if (rc == KIOSK_OK)
		snprintf(msg, msglen, "ok");
	return rc;
}
