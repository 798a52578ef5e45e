/* Vend orders: created → paid → dispensing (intent) → dispensed | failed (+ one refund). */
#include "kiosk/store/store_int.h"
#include "hal/base/error.h"

#include <stdio.h>
#include <string.h>

static const char *const methods[] = {"qr", "mdb", "cash", "board"};

const char *kiosk_pay_method_name(enum kiosk_pay_method m)
{
	return (unsigned)m < 4 ? methods[m] : NULL;
}

int kiosk_vend_get(struct kiosk_store *st, const char *order, struct kiosk_order *out)
{
	if (!st_valid_id(order, 37) || !out)
		return KIOSK_EINVAL;
	sqlite3_stmt *s = st_q(st,
			       "SELECT slot, state, coalesce(method,''), coalesce(reason,''),"
			       " price_fen, coalesce(amount_fen, 0),"
			       " EXISTS(SELECT 1 FROM refund WHERE order_id = vend_order.id),"
			       " coalesce(payment_ref, ''), cash_fen, board_fen FROM vend_order WHERE id = ?",
			       "t", order);
	if (!s)
		return KIOSK_EDB;
	int rc = st_step(st, s);
	if (rc == 1) {
		memset(out, 0, sizeof *out);
		snprintf(out->id, sizeof out->id, "%s", order);
		st_col_text(s, 0, out->slot, sizeof out->slot);
		st_col_text(s, 1, out->state, sizeof out->state);
		st_col_text(s, 2, out->method, sizeof out->method);
		st_col_text(s, 3, out->reason, sizeof out->reason);
		out->price_fen = sqlite3_column_int64(s, 4);
		out->amount_fen = sqlite3_column_int64(s, 5);
		out->refunded = sqlite3_column_int(s, 6) != 0;
		st_col_text(s, 7, out->payment_ref, sizeof out->payment_ref);
		out->cash_fen = sqlite3_column_int64(s, 8);
		out->board_fen = sqlite3_column_int64(s, 9);
	}
	sqlite3_reset(s);
	return rc == 1 ? KIOSK_OK : rc == 0 ? KIOSK_ENOENT : rc;
}

int kiosk_vend_create(struct kiosk_store *st, const char *slot, char out[37])
{
	struct kiosk_slot s;
	char id[37];
	if (kiosk_store_on_reserve(st))
		return KIOSK_EDISKFULL; /* the disk's last room is for pickups (reserve.c) */
	if (!out)
		return KIOSK_EINVAL;
	out[0] = '\0';
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = kiosk_slot_get(st, slot, &s);
	if (rc == KIOSK_OK && (!s.enabled || !*s.product))
		rc = KIOSK_ESTATE;
	if (rc == KIOSK_OK && s.stock <= 0)
		rc = KIOSK_ESOLDOUT;
	if (rc == KIOSK_OK)
		rc = kiosk_uuid(id);
	if (rc == KIOSK_OK) {
		int64_t now = st->now();
		rc = st_do(st,
			   "INSERT INTO vend_order(id, slot, product, price_fen, state, created_ms,"
			   " updated_ms) VALUES(?,?,?,?,'created',?,?)",
			   "tttiii", id, slot, s.product, s.price_fen, now, now);
	}
	if (rc == KIOSK_OK)
		rc = st_record(st, "resident", "vend.create", id, NULL, NULL, NULL);
	if (rc) {
		st_rollback(st);
		return rc;
	}
	rc = st_commit(st);
	if (rc == KIOSK_OK)
		memcpy(out, id, 37);
	return rc;
}

/* Moves an order from `from` to `to` inside the caller's transaction; KIOSK_ESTATE when it
 * is not in `from`, KIOSK_ENOENT when there is no such order. */
static int transition(struct kiosk_store *st, const char *order, const char *from,
		      const char *to, struct kiosk_order *o)
{
	int rc = kiosk_vend_get(st, order, o);
	if (rc)
		return rc;
	if (strcmp(o->state, from) != 0)
		return KIOSK_ESTATE;
	return st_do(st, "UPDATE vend_order SET state = ?, updated_ms = ? WHERE id = ?", "tit", to,
		     st->now(), order);
}

int kiosk_vend_paid(struct kiosk_store *st, const char *order, enum kiosk_pay_method m,
		    const char *ref, int64_t amount)
{
	struct kiosk_order o;
	if (!kiosk_pay_method_name(m) || (ref && strlen(ref) > 128) || amount <= 0)
		return KIOSK_EINVAL;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = transition(st, order, "created", "paid", &o);
	if (rc == KIOSK_OK && (amount != o.price_fen || (m == KIOSK_PAY_CASH && o.cash_fen < amount)))
		rc = KIOSK_EINVAL;
	if (rc == KIOSK_OK)
		rc = st_do(st,
			   "UPDATE vend_order SET method = ?, payment_ref = ?, amount_fen = ?"
			   " WHERE id = ?",
			   "ttit", methods[m], ref, amount, order);
	if (rc == KIOSK_OK) {
		struct kiosk_slot s;
		rc = kiosk_slot_get(st, o.slot, &s);
		cJSON *d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "order", order);
		cJSON_AddStringToObject(d, "slot", o.slot);
		cJSON_AddStringToObject(d, "product", s.product);
		cJSON_AddNumberToObject(d, "amount_fen", (double)amount);
		cJSON_AddStringToObject(d, "method", methods[m]);
		if (rc == KIOSK_OK)
			rc = st_record(st, "resident", "vend.paid", order, NULL, "vend.paid", d);
		cJSON_Delete(d);
	}
	if (rc) {
		st_rollback(st);
		return rc;
	}
	return st_commit(st);
}

int kiosk_vend_dispensing(struct kiosk_store *st, const char *order)
{
	struct kiosk_order o;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = transition(st, order, "paid", "dispensing", &o);
	if (rc == KIOSK_OK)
		rc = st_record(st, "kiosk", "vend.dispensing", order, NULL, NULL, NULL);
	if (rc) {
		st_rollback(st);
		return rc;
	}
	return st_commit(st);
}

/* Inside a transaction: order is dispensing → dispensed, stock follows. A dispense the
 * board confirms with zero stock on record means the count was wrong: the item existed,
 * so it is recorded as an automatic +1 adjustment rather than refused. */
static int mark_dispensed(struct kiosk_store *st, const char *order, const char *actor)
{
	struct kiosk_order o;
	int rc = transition(st, order, "dispensing", "dispensed", &o);
	if (rc == KIOSK_OK)
		rc = st_do(st,
			   "UPDATE slot SET adjusted = adjusted + (stock = 0),"
			   " stock = max(stock, 1) - 1, dispensed = dispensed + 1,"
			   " sold_fen = sold_fen + ? WHERE id = ?",
			   "it", o.amount_fen, o.slot);
	/* the audit's totals by how it was paid (kiosk_vend_audit) */
	if (rc == KIOSK_OK)
		rc = st_do(st,
			   "INSERT INTO vend_total(method, vends, fen) VALUES(?, 1, ?) ON CONFLICT(method)"
			   " DO UPDATE SET vends = vends + 1, fen = fen + excluded.fen",
			   "ti", o.method[0] ? o.method : "qr", o.amount_fen);
	if (rc == KIOSK_OK) {
		cJSON *d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "order", order);
		cJSON_AddStringToObject(d, "slot", o.slot);
		rc = st_record(st, actor, "vend.dispensed", order, NULL, "vend.dispensed", d);
		cJSON_Delete(d);
	}
	return rc;
}

int kiosk_vend_dispensed(struct kiosk_store *st, const char *order)
{
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = mark_dispensed(st, order, "kiosk");
	if (rc) {
		st_rollback(st);
		return rc;
	}
	return st_commit(st);
}

/* A restart found board money in an order nobody finished paying: the board holds it (its
 * return lever may already have given it back), so the operator settles it against the
 * board's counters — told, never refunded blind (kiosk_vend_board_in). */
static int board_money_held(struct kiosk_store *st, const struct kiosk_order *o)
{
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "device", "vend");
	cJSON_AddStringToObject(d, "fault", "board_money_held");
	cJSON_AddStringToObject(d, "order", o->id);
	cJSON_AddStringToObject(d, "slot", o->slot);
	cJSON_AddNumberToObject(d, "board_fen", (double)o->board_fen);
	cJSON_AddNumberToObject(d, "price_fen", (double)o->price_fen);
	int rc = st_record(st, "recovery", "vend.board_money_held", o->id, d, "device.fault", d);
	cJSON_Delete(d);
	if (rc == KIOSK_OK)
		st->rec.board_money_held++;
	return rc;
}

/* Inside a transaction: the order failed; a paid one gets exactly one refund request. */
static int mark_failed(struct kiosk_store *st, const char *order, const char *reason,
		       const char *actor)
{
	struct kiosk_order o;
	int rc = kiosk_vend_get(st, order, &o);
	if (rc)
		return rc;
	if (strcmp(o.state, "created") == 0) {
		rc = transition(st, order, "created", "cancelled", &o);
		if (rc == KIOSK_OK)
			rc = st_record(st, actor, "vend.cancel", order, NULL, NULL, NULL);
		if (rc == KIOSK_OK && o.board_fen > 0 && strcmp(actor, "recovery") == 0)
			rc = board_money_held(st, &o);
		return rc;
	}
	if (strcmp(o.state, "paid") != 0 && strcmp(o.state, "dispensing") != 0)
		return KIOSK_ESTATE;
	rc = transition(st, order, o.state, "failed", &o);
	if (rc == KIOSK_OK)
		rc = st_do(st, "UPDATE vend_order SET reason = ? WHERE id = ?", "tt", reason, order);
	if (rc == KIOSK_OK)
		rc = st_do(st,
			   "INSERT INTO refund(order_id, amount_fen, method, created_ms)"
			   " VALUES(?,?,?,?)",
			   "titi", order, o.amount_fen, o.method, st->now());
	/* A QR payment's own row says so too (its refund is this one event, not a second). */
	if (rc == KIOSK_OK)
		rc = st_do(st,
			   "UPDATE payment SET state = 'refunded', updated_ms = ? WHERE parcel = ?"
			   " AND purpose = 'vend' AND state = 'paid'",
			   "it", st->now(), order);
	cJSON *f = cJSON_CreateObject(), *r = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "order", order);
	cJSON_AddStringToObject(f, "slot", o.slot);
	cJSON_AddStringToObject(f, "reason", reason);
	cJSON_AddStringToObject(r, "order", order);
	cJSON_AddStringToObject(r, "payment", o.payment_ref);
	cJSON_AddNumberToObject(r, "amount_fen", (double)o.amount_fen);
	cJSON_AddStringToObject(r, "method", o.method);
	if (rc == KIOSK_OK)
		rc = st_record(st, actor, "vend.failed", order, NULL, "vend.failed", f);
	if (rc == KIOSK_OK)
		rc = st_record(st, actor, "payment.refund", order, NULL,
			       "payment.refund_requested", r);
	cJSON_Delete(f);
	cJSON_Delete(r);
	return rc;
}

int kiosk_vend_failed(struct kiosk_store *st, const char *order, const char *reason)
{
	if (!st_valid_id(reason, 64))
		return KIOSK_EINVAL;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = mark_failed(st, order, reason, "kiosk");
	if (rc) {
		st_rollback(st);
		return rc;
	}
	return st_commit(st);
}

/* Recovery's view of open orders (see recover.c). */
int st_vend_recover(struct kiosk_store *st);

int st_vend_recover(struct kiosk_store *st)
{
	/* Collect ids first: the statement must not stay open while rows change. */
	char ids[64][37], states[64][16], slots[64][KIOSK_ID_MAX];
	int n = 0, rc;
	do {
		n = 0;
		sqlite3_stmt *s = st_q(st,
				       "SELECT id, state, slot FROM vend_order WHERE state IN"
				       " ('created','paid','dispensing') AND uncertain = 0 LIMIT 64",
				       NULL);
		if (!s)
			return KIOSK_EDB;
		while ((rc = st_step(st, s)) == 1 && n < 64) {
			st_col_text(s, 0, ids[n], sizeof ids[n]);
			st_col_text(s, 1, states[n], sizeof states[n]);
			st_col_text(s, 2, slots[n], sizeof slots[n]);
			n++;
		}
		sqlite3_reset(s);
		if (rc < 0)
			return rc;
		for (int i = 0; i < n; i++) {
			bool dispensing = strcmp(states[i], "dispensing") == 0;
			if (dispensing && !st->prove) {
				/* No board to ask: neither refunded blind nor assumed; the
				 * operator looks at the machine (kiosk_vend_resolve). */
				rc = st_do(st, "UPDATE vend_order SET uncertain = 1 WHERE id = ?", "t",
					   ids[i]);
				if (rc == KIOSK_OK)
					rc = st_record(st, "recovery", "vend.uncertain", ids[i], NULL,
						       NULL, NULL);
				st->rec.vends_uncertain++;
			} else if (dispensing && st->prove(st->prove_arg, ids[i], slots[i])) {
				rc = mark_dispensed(st, ids[i], "recovery");
				st->rec.vends_proved++;
			} else {
				rc = mark_failed(st, ids[i],
						 strcmp(states[i], "dispensing") == 0
							 ? "uncertain after restart"
							 : "interrupted by restart",
						 "recovery");
				if (strcmp(states[i], "created") == 0)
					st->rec.vends_cancelled++;
				else
					st->rec.vends_refunded++;
			}
			if (rc)
				return rc;
		}
	} while (n == 64);
	return KIOSK_OK;
}

int kiosk_vend_uncertain(struct kiosk_store *st, int64_t *n)
{
	return st_count(st, "SELECT count(*) FROM vend_order WHERE state = 'dispensing' AND"
			    " uncertain = 1", NULL, n);
}

int kiosk_vend_resolve(struct kiosk_store *st, const char *order, bool dispensed,
		       const char *by)
{
	int64_t n = 0;
	if (!order || !st_valid_id(by, 64))
		return KIOSK_EINVAL;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = st_count(st, "SELECT count(*) FROM vend_order WHERE id = ? AND state = 'dispensing'"
			  " AND uncertain = 1", order, &n);
	if (rc == KIOSK_OK && !n)
		rc = KIOSK_ESTATE;
	if (rc == KIOSK_OK)
		rc = st_do(st, "UPDATE vend_order SET uncertain = 0 WHERE id = ?", "t", order);
	if (rc == KIOSK_OK)
		rc = dispensed ? mark_dispensed(st, order, by)
			       : mark_failed(st, order, "not dispensed (operator checked)", by);
	/* cash the order still owes (its change, or all of it): nobody is waiting at the
	 * changer for it by now — a debt, told to the platform */
	if (rc == KIOSK_OK)
		rc = st_cash_owe_unattended(st, order, by);
	if (rc) {
		st_rollback(st);
		return rc;
	}
	return st_commit(st);
}

int kiosk_vend_unknown(struct kiosk_store *st, const char *order, const char *why)
{
	struct kiosk_order o;
	if (!st_valid_id(why, 64))
		return KIOSK_EINVAL;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = kiosk_vend_get(st, order, &o);
	if (rc == KIOSK_OK && strcmp(o.state, "dispensing") != 0)
		rc = KIOSK_ESTATE;
	if (rc == KIOSK_OK)
		rc = st_do(st, "UPDATE vend_order SET uncertain = 1, reason = ?, updated_ms = ?"
			   " WHERE id = ?", "tit", why, st->now(), order);
	if (rc == KIOSK_OK)
		rc = st_record(st, "kiosk", "vend.uncertain", order, NULL, NULL, NULL);
	if (rc) {
		st_rollback(st);
		return rc;
	}
	return st_commit(st);
}

int kiosk_vend_uncertain_list(struct kiosk_store *st, struct kiosk_order *out, int max, int *n)
{
	char ids[16][37];
	int m = 0, rc = KIOSK_OK;
	*n = 0;
	sqlite3_stmt *s = st_q(st, "SELECT id FROM vend_order WHERE state = 'dispensing' AND"
			       " uncertain = 1 ORDER BY created_ms, id LIMIT 16", NULL);
	if (!s)
		return KIOSK_EDB;
	while (m < 16 && m < max && (rc = st_step(st, s)) == 1)
		st_col_text(s, 0, ids[m++], 37);
	sqlite3_reset(s);
	if (rc < 0)
		return rc;
	for (int i = 0; i < m; i++) {
		if ((rc = kiosk_vend_get(st, ids[i], &out[*n])))
			return rc;
		(*n)++;
	}
	return KIOSK_OK;
}

int kiosk_vend_items(struct kiosk_store *st, struct kiosk_vend_item *out, int max, int *n)
{
	int rc = KIOSK_OK;
	*n = 0;
	sqlite3_stmt *s = st_q(st,
			       "SELECT s.id, p.id, p.name_zh, p.name_en, p.category, p.image,"
			       " s.price_fen, s.capacity, s.stock, s.enabled FROM slot s JOIN"
			       " product p ON p.id = s.product ORDER BY length(s.id), s.id",
			       NULL);
	if (!s)
		return KIOSK_EDB;
	while (*n < max && (rc = st_step(st, s)) == 1) {
		struct kiosk_vend_item *it = &out[(*n)++];
		memset(it, 0, sizeof *it);
		st_col_text(s, 0, it->slot, sizeof it->slot);
		st_col_text(s, 1, it->product, sizeof it->product);
		st_col_text(s, 2, it->name_zh, sizeof it->name_zh);
		st_col_text(s, 3, it->name_en, sizeof it->name_en);
		st_col_text(s, 4, it->category, sizeof it->category);
		st_col_text(s, 5, it->image, sizeof it->image);
		it->price_fen = sqlite3_column_int64(s, 6);
		it->capacity = sqlite3_column_int(s, 7);
		it->stock = sqlite3_column_int(s, 8);
		it->enabled = sqlite3_column_int(s, 9) != 0;
	}
	sqlite3_reset(s);
	return rc < 0 ? rc : KIOSK_OK;
}

int kiosk_vend_audit(struct kiosk_store *st, struct kiosk_vend_audit *out)
{
	int rc;
	memset(out, 0, sizeof *out);
	sqlite3_stmt *s = st_q(st,
			       "SELECT s.id, coalesce(s.product, ''), s.price_fen, s.dispensed,"
			       " s.sold_fen FROM slot s ORDER BY length(s.id), s.id",
			       NULL);
	if (!s)
		return KIOSK_EDB;
	while (out->nslots < KIOSK_AUDIT_SLOTS && (rc = st_step(st, s)) == 1) {
		struct kiosk_vend_audit_slot *a = &out->slots[out->nslots++];
		st_col_text(s, 0, a->slot, sizeof a->slot);
		st_col_text(s, 1, a->product, sizeof a->product);
		a->price_fen = sqlite3_column_int64(s, 2);
		a->vends = sqlite3_column_int64(s, 3);
		a->fen = sqlite3_column_int64(s, 4);
	}
	sqlite3_reset(s);
	s = st_q(st, "SELECT method, vends, fen FROM vend_total", NULL);
	if (!s)
		return KIOSK_EDB;
	while ((rc = st_step(st, s)) == 1) {
		char m[8];
		st_col_text(s, 0, m, sizeof m);
		for (int i = 0; i < 4; i++)
			if (strcmp(m, methods[i]) == 0) {
				out->by_method[i].vends = sqlite3_column_int64(s, 1);
				out->by_method[i].fen = sqlite3_column_int64(s, 2);
			}
	}
	sqlite3_reset(s);
	if (rc < 0)
		return rc;
	/* failed vends and refunds: what the kiosk gave back, of the orders still here (the
	 * archive keeps the older ones) */
	rc = st_count(st, "SELECT count(*) FROM vend_order WHERE state = 'failed'", NULL,
		      &out->failed);
	if (rc == KIOSK_OK)
		rc = st_count(st, "SELECT coalesce(sum(amount_fen), 0) FROM refund", NULL,
			      &out->refunded_fen);
	if (rc == KIOSK_OK)
		rc = st_count(st, "SELECT count(*) FROM refund", NULL, &out->refunds);
	return rc;
}
