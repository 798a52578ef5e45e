/* Cash of a vend order: the coins and notes a resident put in (vend_order.cash_fen, each
 * deposit its own commit, so a crash never forgets money taken), and what the changer paid
 * back — change, a refund, money returned on cancel — as payouts: the intent ("paying")
 * committed before the changer is told, the outcome counted from the changer's own tube
 * reports. These are audited; the platform's contract has no event for them (it hears the
 * sale as vend.paid, method cash, and a failed one's payment.refund_requested). What the
 * changer could not pay is a debt the resident is shown and the platform told, as the
 * contract's device.fault (device "mdb", fault "change_owed" or "payout_unknown", with the
 * order and the sums). */
#include "kiosk/store/store_int.h"
#include "hal/base/error.h"

#include <stdio.h>
#include <string.h>

/* Money put in for a created order, at our devices (cash) or the board's: the running
 * total, audited per report. */
static int money_in(struct kiosk_store *st, const char *order, int64_t total_fen, bool board)
{
	struct kiosk_order o;
	if (total_fen <= 0)
		return KIOSK_EINVAL;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = kiosk_vend_get(st, order, &o);
	if (rc == KIOSK_OK && (strcmp(o.state, "created") != 0 || o.method[0]))
		rc = KIOSK_ESTATE; /* money for an order that is paid or over: the flow pays it back */
	int64_t before = board ? o.board_fen : o.cash_fen;
	if (rc == KIOSK_OK && total_fen <= before)
		rc = KIOSK_EINVAL; /* a total only grows */
	if (rc == KIOSK_OK)
		rc = st_do(st,
			   board ? "UPDATE vend_order SET board_fen = ?, updated_ms = ? WHERE id = ?"
				 : "UPDATE vend_order SET cash_fen = ?, updated_ms = ? WHERE id = ?",
			   "iit", total_fen, st->now(), order);
	if (rc == KIOSK_OK) {
		cJSON *d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "order", order);
		cJSON_AddNumberToObject(d, "fen", (double)(total_fen - before));
		cJSON_AddNumberToObject(d, "total_fen", (double)total_fen);
		rc = st_record(st, "resident", board ? "payment.board_in" : "payment.cash_in", order,
			       d, NULL, NULL);
		cJSON_Delete(d);
	}
	if (rc) {
		st_rollback(st);
		return rc;
	}
	return st_commit(st);
}

int kiosk_cash_in(struct kiosk_store *st, const char *order, int64_t total_fen)
{
	return money_in(st, order, total_fen, false);
}

int kiosk_vend_board_in(struct kiosk_store *st, const char *order, int64_t total_fen)
{
	return money_in(st, order, total_fen, true);
}

/* What the order's cash still owes the resident beyond its payouts so far: change after a
 * dispense, everything after a failure or a cancel; nothing while it is open. */
static int due(struct kiosk_store *st, const char *order, int64_t *out, const char **kind)
{
	struct kiosk_order o;
	int64_t out_before = 0;
	*out = 0;
	int rc = kiosk_vend_get(st, order, &o);
	if (rc)
		return rc;
	bool done = strcmp(o.state, "dispensed") == 0;
	if (!done && strcmp(o.state, "failed") != 0 && strcmp(o.state, "cancelled") != 0)
		return KIOSK_ESTATE;
	rc = st_count(st, "SELECT coalesce(sum(owed_fen), 0) FROM cash_payout WHERE order_id = ?",
		      order, &out_before);
	if (rc)
		return rc;
	int64_t kept = done && strcmp(o.method, "cash") == 0 ? o.amount_fen : 0;
	*out = o.cash_fen - kept - out_before;
	*kind = done ? "change" : strcmp(o.state, "failed") == 0 ? "refund" : "return";
	return KIOSK_OK;
}

static int payout_event(struct kiosk_store *st, const char *actor, const char *order,
			const char *kind, int64_t owed, int64_t paid, const char *state)
{
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "order", order);
	cJSON_AddStringToObject(d, "kind", kind);
	cJSON_AddNumberToObject(d, "due_fen", (double)owed);
	if (strcmp(state, "unknown") == 0)
		cJSON_AddNullToObject(d, "paid_fen"); /* nobody knows: the operator counts */
	else
		cJSON_AddNumberToObject(d, "paid_fen", (double)paid);
	cJSON_AddNumberToObject(d, "owed_fen", strcmp(state, "unknown") == 0 ? (double)owed
									   : (double)(owed - paid));
	cJSON_AddStringToObject(d, "state", state);
	bool owes = strcmp(state, "paid") != 0;
	if (owes) { /* the platform's word for it: a device fault, with what is owed */
		cJSON_AddStringToObject(d, "device", "mdb");
		cJSON_AddStringToObject(d, "fault", strcmp(state, "unknown") == 0 ? "payout_unknown"
										 : "change_owed");
	}
	int rc = st_record(st, actor, "payment.cash_out", order, d, owes ? "device.fault" : NULL,
			   owes ? d : NULL);
	cJSON_Delete(d);
	return rc;
}

int kiosk_cash_payout_begin(struct kiosk_store *st, const char *order,
			    struct kiosk_cash_payout *out)
{
	const char *kind = "";
	int64_t owed = 0;
	memset(out, 0, sizeof *out);
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = due(st, order, &owed, &kind);
	if (rc == KIOSK_OK && owed <= 0)
		rc = KIOSK_ENOENT; /* nothing owed */
	if (rc == KIOSK_OK)
		rc = st_do(st,
			   "INSERT INTO cash_payout(order_id, kind, owed_fen, state, created_ms,"
			   " updated_ms) VALUES(?,?,?,'paying',?,?)",
			   "ttiii", order, kind, owed, st->now(), st->now());
	if (rc == KIOSK_OK) {
		out->id = sqlite3_last_insert_rowid(st->db);
		rc = st_record(st, "kiosk", "payment.cash_paying", order, NULL, NULL, NULL);
	}
	if (rc) {
		st_rollback(st);
		return rc;
	}
	snprintf(out->order, sizeof out->order, "%s", order);
	snprintf(out->kind, sizeof out->kind, "%s", kind);
	out->owed_fen = owed;
	return st_commit(st);
}

/* The payout id under way: its order, kind, owed. KIOSK_ESTATE when it is not paying. */
static int paying(struct kiosk_store *st, int64_t id, char order[37], char kind[8], int64_t *owed)
{
	sqlite3_stmt *s = st_q(st,
			       "SELECT order_id, kind, owed_fen FROM cash_payout WHERE id = ?"
			       " AND state = 'paying'",
			       "i", id);
	int rc = s ? st_step(st, s) : KIOSK_EDB;
	if (rc == 1) {
		st_col_text(s, 0, order, 37);
		st_col_text(s, 1, kind, 8);
		*owed = sqlite3_column_int64(s, 2);
	}
	if (s)
		sqlite3_reset(s);
	return rc == 1 ? KIOSK_OK : rc == 0 ? KIOSK_ESTATE : rc;
}

int kiosk_cash_payout_end(struct kiosk_store *st, int64_t id, int64_t paid_fen)
{
	char order[37] = "", kind[8] = "";
	int64_t owed = 0;
	if (paid_fen < 0)
		return KIOSK_EINVAL;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = paying(st, id, order, kind, &owed);
	if (rc == KIOSK_OK && paid_fen > owed)
		rc = KIOSK_EINVAL; /* the changer never pays more than it was told */
	const char *state = paid_fen == owed ? "paid" : "debt";
	if (rc == KIOSK_OK)
		rc = st_do(st, "UPDATE cash_payout SET paid_fen = ?, state = ?, updated_ms = ?"
			       " WHERE id = ?",
			   "itii", paid_fen, state, st->now(), id);
	if (rc == KIOSK_OK)
		rc = payout_event(st, "kiosk", order, kind, owed, paid_fen, state);
	if (rc) {
		st_rollback(st);
		return rc;
	}
	return st_commit(st);
}

int kiosk_cash_payout_unknown(struct kiosk_store *st, int64_t id, const char *why)
{
	char order[37] = "", kind[8] = "";
	int64_t owed = 0;
	(void)why;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = paying(st, id, order, kind, &owed);
	if (rc == KIOSK_OK)
		rc = st_do(st, "UPDATE cash_payout SET state = 'unknown', updated_ms = ? WHERE id = ?",
			   "ii", st->now(), id);
	if (rc == KIOSK_OK)
		rc = payout_event(st, "kiosk", order, kind, owed, 0, "unknown");
	if (rc) {
		st_rollback(st);
		return rc;
	}
	return st_commit(st);
}

int kiosk_cash_owed(struct kiosk_store *st, const char *order, int64_t *owed_fen)
{
	return st_count(st,
			"SELECT coalesce(sum(owed_fen - paid_fen), 0) FROM cash_payout"
			" WHERE order_id = ? AND state IN ('debt','unknown')",
			order, owed_fen);
}

int kiosk_cash_debts(struct kiosk_store *st, int64_t *n, int64_t *fen)
{
	int rc = st_count(st, "SELECT count(*) FROM cash_payout WHERE state IN ('debt','unknown')",
			  NULL, n);
	if (rc == KIOSK_OK)
		rc = st_count(st,
			      "SELECT coalesce(sum(owed_fen - paid_fen), 0) FROM cash_payout"
			      " WHERE state IN ('debt','unknown')",
			      NULL, fen);
	return rc;
}

/* Inside a transaction (recovery, or the operator/board settling an order nobody is at the
 * screen for): whatever the order's cash still owes becomes a debt at once, with nobody
 * there to pay it to. */
int st_cash_owe_unattended(struct kiosk_store *st, const char *order, const char *actor)
{
	const char *kind = "";
	int64_t owed = 0;
	int rc = due(st, order, &owed, &kind);
	if (rc == KIOSK_ESTATE)
		return KIOSK_OK; /* still open */
	if (rc || owed <= 0)
		return rc;
	rc = st_do(st,
		   "INSERT INTO cash_payout(order_id, kind, owed_fen, state, created_ms, updated_ms)"
		   " VALUES(?,?,?,'debt',?,?)",
		   "ttiii", order, kind, owed, st->now(), st->now());
	return rc ? rc : payout_event(st, actor, order, kind, owed, 0, "debt");
}

/* Recovery: a payout cut short by the crash is neither assumed paid nor unpaid — the
 * operator counts the tubes (its event says so) — and every cash order that ended with
 * money due and no payout owes it. */
int st_cash_recover(struct kiosk_store *st)
{
	char ids[64][37], kinds[64][8];
	int64_t pid[64], owed[64];
	int n = 0, rc;
	sqlite3_stmt *s = st_q(st,
			       "SELECT id, order_id, kind, owed_fen FROM cash_payout WHERE state ="
			       " 'paying' LIMIT 64",
			       NULL);
	if (!s)
		return KIOSK_EDB;
	while ((rc = st_step(st, s)) == 1 && n < 64) {
		pid[n] = sqlite3_column_int64(s, 0);
		st_col_text(s, 1, ids[n], sizeof ids[n]);
		st_col_text(s, 2, kinds[n], sizeof kinds[n]);
		owed[n] = sqlite3_column_int64(s, 3);
		n++;
	}
	sqlite3_reset(s);
	if (rc < 0)
		return rc;
	for (int i = 0; i < n; i++) {
		rc = st_do(st, "UPDATE cash_payout SET state = 'unknown', updated_ms = ? WHERE id = ?",
			   "ii", st->now(), pid[i]);
		if (rc == KIOSK_OK)
			rc = payout_event(st, "recovery", ids[i], kinds[i], owed[i], 0, "unknown");
		if (rc)
			return rc;
		st->rec.payouts_unknown++;
	}
	do {
	n = 0;
	s = st_q(st,
		 "SELECT id FROM vend_order o WHERE cash_fen > 0 AND state IN ('dispensed','failed',"
		 "'cancelled') AND cash_fen - (CASE WHEN state = 'dispensed' AND method = 'cash'"
		 " THEN amount_fen ELSE 0 END) > (SELECT coalesce(sum(owed_fen), 0) FROM"
		 " cash_payout p WHERE p.order_id = o.id) LIMIT 64",
		 NULL);
	if (!s)
		return KIOSK_EDB;
	while ((rc = st_step(st, s)) == 1 && n < 64)
		st_col_text(s, 0, ids[n++], sizeof ids[0]);
	sqlite3_reset(s);
	if (rc < 0)
		return rc;
	for (int i = 0; i < n; i++) {
		rc = st_cash_owe_unattended(st, ids[i], "recovery");
		if (rc)
			return rc;
		st->rec.cash_owed++;
	}
	} while (n == 64);
	return KIOSK_OK;
}

int kiosk_cash_debt_list(struct kiosk_store *st, struct kiosk_cash_debt *out, int max, int *n)
{
	*n = 0;
	sqlite3_stmt *s = st_q(st,
			       "SELECT order_id, sum(owed_fen - paid_fen), min(created_ms) FROM"
			       " cash_payout WHERE state IN ('debt','unknown') GROUP BY order_id"
			       " ORDER BY min(created_ms) LIMIT 16",
			       NULL);
	if (!s)
		return KIOSK_EDB;
	int rc;
	while ((rc = st_step(st, s)) == 1 && *n < max) {
		struct kiosk_cash_debt *d = &out[(*n)++];
		memset(d, 0, sizeof *d);
		st_col_text(s, 0, d->order, sizeof d->order);
		d->owed_fen = sqlite3_column_int64(s, 1);
		d->since_ms = sqlite3_column_int64(s, 2);
	}
	sqlite3_reset(s);
	return rc < 0 ? rc : KIOSK_OK;
}

int kiosk_cash_settle(struct kiosk_store *st, const char *ref, const char *by)
{
	char order[37] = "";
	int64_t orders = 0, owed = 0;
	if (!ref || strlen(ref) != 8 || strspn(ref, "0123456789abcdefABCDEF") != 8 ||
	    !st_valid_id(by, KIOSK_ID_MAX))
		return KIOSK_EINVAL;
	char like[10];
	for (int i = 0; i < 8; i++) /* references are an order id's first 8 characters */
		like[i] = (char)(ref[i] >= 'A' && ref[i] <= 'F' ? ref[i] - 'A' + 'a' : ref[i]);
	like[8] = '%', like[9] = '\0';
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = st_count(st, "SELECT count(DISTINCT order_id) FROM cash_payout WHERE state IN"
			  " ('debt','unknown') AND order_id LIKE ?", like, &orders);
	if (rc == KIOSK_OK && orders != 1)
		rc = orders ? KIOSK_EINVAL : KIOSK_ENOENT; /* none owed, or the reference is not one */
	if (rc == KIOSK_OK) {
		sqlite3_stmt *s = st_q(st, "SELECT order_id FROM cash_payout WHERE state IN"
					   " ('debt','unknown') AND order_id LIKE ? LIMIT 1", "t", like);
		rc = s ? st_one_text(st, s, order, sizeof order) : KIOSK_EDB;
	}
	if (rc == KIOSK_OK)
		rc = kiosk_cash_owed(st, order, &owed);
	if (rc == KIOSK_OK)
		rc = st_do(st, "UPDATE cash_payout SET state = 'settled', updated_ms = ? WHERE"
			       " order_id = ? AND state IN ('debt','unknown')",
			   "it", st->now(), order);
	if (rc == KIOSK_OK) { /* audited: who paid what by hand (the contract has no event) */
		cJSON *d = cJSON_CreateObject();
		cJSON_AddNumberToObject(d, "owed_fen", (double)owed);
		rc = st_record(st, by, "payment.cash_settled", order, d, NULL, NULL);
		cJSON_Delete(d);
	}
	if (rc) {
		st_rollback(st);
		return rc;
	}
	return st_commit(st);
}
