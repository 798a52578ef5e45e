/* 助餐: menus, eligibility answers and meal orders (see meal.h). The quota is taken where
 * an order becomes paid, in that transaction, and given back where a paid order is
 * cancelled: meal.sold is always the portions of the paid and served orders. */
#include "kiosk/store/locker_int.h"
#include "kiosk/store/store_int.h"
#include "kiosk/crypto.h"
#include "hal/base/error.h"

#include <stdio.h>
#include <string.h>

static bool day_ok(const char *d)
{
	static const char fmt[] = "dddd-dd-dd";
	if (!d || strlen(d) != 10)
		return false;
	for (int i = 0; i < 10; i++)
		if (fmt[i] == 'd' ? (d[i] < '0' || d[i] > '9') : d[i] != '-')
			return false;
	return true;
}

static bool tier_ok(const char *t)
{
	return t && (!*t || !strcmp(t, "none") || !strcmp(t, "60+") || !strcmp(t, "80+") ||
		     !strcmp(t, "90+"));
}

int kiosk_meal_upsert(struct kiosk_store *st, const struct kiosk_meal *m)
{
	if (!m || !st_valid_id(m->id, sizeof m->id) || !day_ok(m->day) ||
	    !st_valid_id(m->canteen, sizeof m->canteen) || !st_valid_id(m->name_zh, 64) ||
	    !st_valid_id(m->name_en, 64) || (strcmp(m->kind, "lunch") && strcmp(m->kind, "dinner")) ||
	    m->price_fen < 0 || m->price_fen > 100000 || m->quota < 0 || m->quota > 10000 ||
	    m->order_by_ms <= 0)
		return KIOSK_EINVAL;
	return st_do(st,
		     "INSERT INTO meal(id, day, canteen, kind, name_zh, name_en, image, note_zh,"
		     " note_en, price_fen, quota, order_by_ms) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)"
		     " ON CONFLICT(id) DO UPDATE SET day = excluded.day, canteen = excluded.canteen,"
		     " kind = excluded.kind, name_zh = excluded.name_zh, name_en = excluded.name_en,"
		     " image = excluded.image, note_zh = excluded.note_zh, note_en = excluded.note_en,"
		     " price_fen = excluded.price_fen, quota = excluded.quota,"
		     " order_by_ms = excluded.order_by_ms, withdrawn = 0",
		     "tttttttttiii", m->id, m->day, m->canteen, m->kind, m->name_zh, m->name_en,
		     m->image, m->note_zh, m->note_en, m->price_fen, (int64_t)m->quota,
		     m->order_by_ms);
}

int kiosk_meal_withdraw(struct kiosk_store *st, const char *id)
{
	return st_do(st, "UPDATE meal SET withdrawn = 1 WHERE id = ?", "t", id);
}

#define MEAL_COLS                                                                                 \
	"id, day, canteen, kind, name_zh, name_en, image, note_zh, note_en, price_fen,"           \
	" order_by_ms, quota, sold, withdrawn"

static void meal_row(sqlite3_stmt *s, struct kiosk_meal *m)
{
	memset(m, 0, sizeof *m);
	st_col_text(s, 0, m->id, sizeof m->id);
	st_col_text(s, 1, m->day, sizeof m->day);
	st_col_text(s, 2, m->canteen, sizeof m->canteen);
	st_col_text(s, 3, m->kind, sizeof m->kind);
	st_col_text(s, 4, m->name_zh, sizeof m->name_zh);
	st_col_text(s, 5, m->name_en, sizeof m->name_en);
	st_col_text(s, 6, m->image, sizeof m->image);
	st_col_text(s, 7, m->note_zh, sizeof m->note_zh);
	st_col_text(s, 8, m->note_en, sizeof m->note_en);
	m->price_fen = sqlite3_column_int64(s, 9);
	m->order_by_ms = sqlite3_column_int64(s, 10);
	m->quota = sqlite3_column_int(s, 11);
	m->sold = sqlite3_column_int(s, 12);
	m->withdrawn = sqlite3_column_int(s, 13) != 0;
}

int kiosk_meal_get(struct kiosk_store *st, const char *id, struct kiosk_meal *out)
{
	if (!st_valid_id(id, KIOSK_ID_MAX))
		return KIOSK_EINVAL;
	sqlite3_stmt *s = st_q(st, "SELECT " MEAL_COLS " FROM meal WHERE id = ?", "t", id);
	if (!s)
		return KIOSK_EDB;
	int rc = st_step(st, s);
	if (rc == 1)
		meal_row(s, out);
	sqlite3_reset(s);
	return rc == 1 ? KIOSK_OK : rc == 0 ? KIOSK_ENOENT : rc;
}

int kiosk_meal_list(struct kiosk_store *st, const char *from_day, struct kiosk_meal *out,
		    int max, int *n)
{
	*n = 0;
	sqlite3_stmt *s = st_q(st,
			       "SELECT " MEAL_COLS " FROM meal WHERE day >= ? AND withdrawn = 0"
			       " ORDER BY day, kind = 'dinner', canteen, id",
			       "t", from_day);
	if (!s)
		return KIOSK_EDB;
	int rc;
	while ((rc = st_step(st, s)) == 1 && *n < max)
		meal_row(s, &out[(*n)++]);
	sqlite3_reset(s);
	return rc < 0 ? rc : KIOSK_OK;
}

/* ---- eligibility ---- */

static bool who_ok(const char *kind, const char *who)
{
	if (!kind || !who)
		return false;
	if (!strcmp(kind, "phone"))
		return st_valid_phone(who) != 0;
	return !strcmp(kind, "card") && st_valid_id(who, 257);
}

int kiosk_meal_elig_put(struct kiosk_store *st, const char *kind, const char *who,
			const struct kiosk_meal_elig *e)
{
	uint8_t h[32];
	if (!who_ok(kind, who) || !e || !tier_ok(e->tier) || !e->tier[0])
		return KIOSK_EINVAL;
	st_keyed(st, kind, who, h);
	return st_do(st,
		     "INSERT INTO meal_elig(who, tier, resident, delivery, valid_until_ms)"
		     " VALUES(?,?,?,?,?) ON CONFLICT(who) DO UPDATE SET tier = excluded.tier,"
		     " resident = excluded.resident, delivery = excluded.delivery,"
		     " valid_until_ms = excluded.valid_until_ms",
		     "bttdi", h, 32, e->tier, e->resident, (int)e->delivery, e->valid_until_ms);
}

int kiosk_meal_elig_forget(struct kiosk_store *st, const char *kind, const char *who)
{
	uint8_t h[32];
	if (!who_ok(kind, who))
		return KIOSK_EINVAL;
	st_keyed(st, kind, who, h);
	return st_do(st, "DELETE FROM meal_elig WHERE who = ?", "b", h, 32);
}

int kiosk_meal_elig_get(struct kiosk_store *st, const char *kind, const char *who,
			int64_t now_ms, struct kiosk_meal_elig *out)
{
	uint8_t h[32];
	if (!who_ok(kind, who) || !out)
		return KIOSK_EINVAL;
	st_keyed(st, kind, who, h);
	sqlite3_stmt *s = st_q(st,
			       "SELECT tier, resident, delivery, valid_until_ms FROM meal_elig"
			       " WHERE who = ? AND valid_until_ms > ?",
			       "bi", h, 32, now_ms);
	if (!s)
		return KIOSK_EDB;
	int rc = st_step(st, s);
	if (rc == 1) {
		memset(out, 0, sizeof *out);
		st_col_text(s, 0, out->tier, sizeof out->tier);
		st_col_text(s, 1, out->resident, sizeof out->resident);
		out->delivery = sqlite3_column_int(s, 2) != 0;
		out->valid_until_ms = sqlite3_column_int64(s, 3);
	}
	sqlite3_reset(s);
	return rc == 1 ? KIOSK_OK : rc == 0 ? KIOSK_ENOENT : rc;
}

/* ---- orders ---- */

#define ORDER_COLS                                                                                \
	"id, number, meal, state, coalesce(method,''), tier, phone_last4, resident, portions,"   \
	" delivery, price_fen, discount_fen, due_fen, coalesce(payment_ref,'')"

static int order_where(struct kiosk_store *st, const char *where, const char *arg,
		       struct kiosk_meal_order *o, char *ref, size_t refcap)
{
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT " ORDER_COLS " FROM meal_order WHERE %s = ?", where);
	sqlite3_stmt *s = st_q(st, sql, "t", arg);
	if (!s)
		return KIOSK_EDB;
	int rc = st_step(st, s);
	if (rc == 1) {
		memset(o, 0, sizeof *o);
		st_col_text(s, 0, o->id, sizeof o->id);
		st_col_text(s, 1, o->number, sizeof o->number);
		st_col_text(s, 2, o->meal, sizeof o->meal);
		st_col_text(s, 3, o->state, sizeof o->state);
		st_col_text(s, 4, o->method, sizeof o->method);
		st_col_text(s, 5, o->tier, sizeof o->tier);
		st_col_text(s, 6, o->phone_last4, sizeof o->phone_last4);
		st_col_text(s, 7, o->resident, sizeof o->resident);
		o->portions = sqlite3_column_int(s, 8);
		o->delivery = sqlite3_column_int(s, 9) != 0;
		o->price_fen = sqlite3_column_int64(s, 10);
		o->discount_fen = sqlite3_column_int64(s, 11);
		o->due_fen = sqlite3_column_int64(s, 12);
		if (ref)
			st_col_text(s, 13, ref, refcap);
	}
	sqlite3_reset(s);
	return rc == 1 ? KIOSK_OK : rc == 0 ? KIOSK_ENOENT : rc;
}

int kiosk_meal_order_get(struct kiosk_store *st, const char *id, struct kiosk_meal_order *out)
{
	if (!st_valid_id(id, 37) || !out)
		return KIOSK_EINVAL;
	return order_where(st, "id", id, out, NULL, 0);
}

/* Inside a transaction: the order becomes paid — the quota taken, meal.ordered out. */
static int take(struct kiosk_store *st, const struct kiosk_meal_order *o, const char *method,
		const char *ref, int64_t now_ms)
{
	struct kiosk_meal m;
	int rc = kiosk_meal_get(st, o->meal, &m);
	if (rc)
		return rc;
	if (now_ms >= m.order_by_ms)
		return KIOSK_EEXPIRED;
	if (m.quota - m.sold < o->portions)
		return KIOSK_ESOLDOUT;
	rc = st_do(st, "UPDATE meal SET sold = sold + ? WHERE id = ?", "it", (int64_t)o->portions,
		   o->meal);
	if (rc == KIOSK_OK)
		rc = st_do(st,
			   "UPDATE meal_order SET state = 'paid', method = ?, payment_ref = ?,"
			   " updated_ms = ? WHERE id = ? AND state = 'created'",
			   "ttit", method, ref, st->now(), o->id);
	if (rc == KIOSK_OK && st_changes(st) != 1)
		rc = KIOSK_ESTATE;
	if (rc)
		return rc;
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "order", o->id);
	cJSON_AddStringToObject(d, "meal", o->meal);
	cJSON_AddStringToObject(d, "day", m.day);
	cJSON_AddStringToObject(d, "canteen", m.canteen);
	cJSON_AddNumberToObject(d, "portions", o->portions);
	cJSON_AddNumberToObject(d, "price_fen", (double)o->price_fen);
	cJSON_AddNumberToObject(d, "discount_fen", (double)o->discount_fen);
	cJSON_AddNumberToObject(d, "paid_fen", (double)o->due_fen);
	cJSON_AddStringToObject(d, "pay_method", method);
	cJSON_AddStringToObject(d, "tier", o->tier[0] ? o->tier : "none");
	cJSON_AddStringToObject(d, o->delivery ? "delivery" : "pickup", o->delivery ? "home" : m.canteen);
	if (o->resident[0])
		cJSON_AddStringToObject(d, "resident", o->resident);
	cJSON_AddStringToObject(d, "phone_last4", o->phone_last4);
	cJSON_AddStringToObject(d, "number", o->number);
	rc = st_record(st, "resident", "meal.ordered", o->id, d, "meal.ordered", d);
	cJSON_Delete(d);
	return rc;
}

int kiosk_meal_order(struct kiosk_store *st, const struct kiosk_meal_ask *a,
		     struct kiosk_meal_order *out)
{
	struct kiosk_meal m;
	uint8_t h[32];
	if (!a || !out)
		return KIOSK_EINVAL;
	memset(out, 0, sizeof *out);
	if (kiosk_store_on_reserve(st))
		return KIOSK_EDISKFULL; /* the disk's last room is for pickups (reserve.c) */
	int maxp = a->max_portions < 1 ? 1 : a->max_portions > KIOSK_MEAL_PORTIONS_MAX
						     ? KIOSK_MEAL_PORTIONS_MAX : a->max_portions;
	const char *kind = a->phone ? "phone" : "card", *who = a->phone ? a->phone : a->card;
	if (a->portions < 1 || a->portions > maxp || !who_ok(kind, who) || !tier_ok(a->tier) ||
	    a->percent < 0 || a->percent > 100 || (a->resident && strlen(a->resident) >= 64))
		return KIOSK_EINVAL;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = kiosk_meal_get(st, a->meal, &m);
	if (rc == KIOSK_OK && m.withdrawn)
		rc = KIOSK_ENOENT;
	if (rc == KIOSK_OK && a->now_ms >= m.order_by_ms)
		rc = KIOSK_EEXPIRED;
	if (rc == KIOSK_OK && m.quota - m.sold < a->portions)
		rc = KIOSK_ESOLDOUT;
	if (rc == KIOSK_OK && a->delivery && (!a->resident || !a->resident[0]))
		rc = KIOSK_EDENIED; /* only the platform knows where to bring it */
	if (rc)
		goto out_rollback;
	st_keyed(st, kind, who, h);
	rc = kiosk_uuid(out->id);
	for (int tries = 0; rc == KIOSK_OK && tries < 8; tries++) {
		uint8_t r[4];
		if (kiosk_random(r, sizeof r))
			rc = KIOSK_EIO;
		uint32_t v = ((uint32_t)r[0] << 24 | (uint32_t)r[1] << 16 | (uint32_t)r[2] << 8 | r[3]) %
			     90000000u;
		snprintf(out->number, sizeof out->number, "%08u", (unsigned)(v + 10000000u));
		int64_t n = 0;
		rc = st_count(st, "SELECT count(*) FROM meal_order WHERE number = ?", out->number, &n);
		if (rc == KIOSK_OK && n == 0)
			break;
		out->number[0] = '\0';
	}
	if (rc == KIOSK_OK && !out->number[0])
		rc = KIOSK_EBUSY;
	if (rc)
		goto out_rollback;
	snprintf(out->meal, sizeof out->meal, "%s", m.id);
	snprintf(out->state, sizeof out->state, "created");
	snprintf(out->tier, sizeof out->tier, "%s", a->tier);
	snprintf(out->resident, sizeof out->resident, "%s", a->resident ? a->resident : "");
	snprintf(out->phone_last4, sizeof out->phone_last4, "%s", a->phone ? a->phone + 7 : "");
	out->portions = a->portions;
	out->delivery = a->delivery;
	out->price_fen = m.price_fen * a->portions;
	/* the discount rounds down to the fen: the canteen never gives more than its rule */
	out->discount_fen = out->price_fen * a->percent / 100;
	out->due_fen = out->price_fen - out->discount_fen;
	int64_t now = st->now();
	rc = st_do(st,
		   "INSERT INTO meal_order(id, number, meal, portions, delivery, tier, resident, who,"
		   " phone_last4, price_fen, discount_fen, due_fen, state, created_ms, updated_ms)"
		   " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,'created',?,?)",
		   "tttiittbtiiiii", out->id, out->number, m.id, (int64_t)a->portions,
		   (int64_t)a->delivery, out->tier, out->resident, h, 32, out->phone_last4,
		   out->price_fen, out->discount_fen, out->due_fen, now, now);
	if (rc == KIOSK_OK)
		rc = st_record(st, "resident", "meal.create", out->id, NULL, NULL, NULL);
	if (rc == KIOSK_OK && out->due_fen == 0) { /* eats free: nothing to pay */
		rc = take(st, out, "free", "", a->now_ms);
		if (rc == KIOSK_OK) {
			snprintf(out->state, sizeof out->state, "paid");
			snprintf(out->method, sizeof out->method, "free");
		}
	}
	if (rc)
		goto out_rollback;
	return st_commit(st);
out_rollback:
	st_rollback(st);
	memset(out, 0, sizeof *out);
	return rc;
}

int kiosk_meal_paid(struct kiosk_store *st, const char *id, enum kiosk_pay_method m,
		    const char *ref, int64_t amount_fen)
{
	struct kiosk_meal_order o;
	const char *method = kiosk_pay_method_name(m);
	if (!method || !ref || strlen(ref) >= 130)
		return KIOSK_EINVAL;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = kiosk_meal_order_get(st, id, &o);
	if (rc == KIOSK_OK && strcmp(o.state, "created") != 0)
		rc = KIOSK_ESTATE;
	if (rc == KIOSK_OK && amount_fen != o.due_fen)
		rc = KIOSK_EINVAL;
	if (rc == KIOSK_OK)
		rc = take(st, &o, method, ref, st->now());
	TX_END(st, rc);
}

int kiosk_meal_drop(struct kiosk_store *st, const char *id)
{
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = st_do(st,
		   "UPDATE meal_order SET state = 'cancelled', updated_ms = ? WHERE id = ? AND"
		   " state = 'created'",
		   "it", st->now(), id);
	if (rc == KIOSK_OK && st_changes(st) != 1)
		rc = KIOSK_ESTATE;
	if (rc == KIOSK_OK)
		rc = st_record(st, "resident", "meal.drop", id, NULL, NULL, NULL);
	TX_END(st, rc);
}

/* Inside a transaction: a paid order given back — its portions to the quota, meal.cancelled,
 * and a paid one's refund (the same method) through the outbox. */
static int give_back(struct kiosk_store *st, const struct kiosk_meal_order *o, const char *ref,
		     const char *actor)
{
	int rc = st_do(st, "UPDATE meal SET sold = max(0, sold - ?) WHERE id = ?", "it",
		       (int64_t)o->portions, o->meal);
	if (rc == KIOSK_OK)
		rc = st_do(st,
			   "UPDATE meal_order SET state = 'cancelled', updated_ms = ? WHERE id = ?"
			   " AND state = 'paid'",
			   "it", st->now(), o->id);
	if (rc == KIOSK_OK && st_changes(st) != 1)
		rc = KIOSK_ESTATE;
	bool refund = rc == KIOSK_OK && o->due_fen > 0;
	if (refund && !strcmp(o->method, "qr"))
		rc = st_do(st,
			   "UPDATE payment SET state = 'refunded', updated_ms = ? WHERE parcel = ?"
			   " AND purpose = 'meal' AND state = 'paid'",
			   "it", st->now(), o->id);
	if (rc == KIOSK_OK) {
		cJSON *d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "order", o->id);
		cJSON_AddNumberToObject(d, "refund_fen", (double)o->due_fen);
		rc = st_record(st, actor, "meal.cancelled", o->id, d, "meal.cancelled", d);
		cJSON_Delete(d);
	}
	if (rc == KIOSK_OK && refund) {
		cJSON *r = cJSON_CreateObject();
		cJSON_AddStringToObject(r, "order", o->id);
		cJSON_AddStringToObject(r, "payment", ref);
		cJSON_AddNumberToObject(r, "amount_fen", (double)o->due_fen);
		cJSON_AddStringToObject(r, "method", o->method);
		rc = st_record(st, actor, "payment.refund", o->id, NULL, "payment.refund_requested",
			       r);
		cJSON_Delete(r);
	}
	return rc;
}

int kiosk_meal_cancel(struct kiosk_store *st, const char *number, const char *kind,
		      const char *who, int64_t now_ms, struct kiosk_meal_order *out)
{
	struct kiosk_meal m;
	struct kiosk_meal_order o;
	char ref[130] = "";
	uint8_t h[32];
	int64_t match = 0;
	if (!number || strlen(number) != 8 || !who_ok(kind, who))
		return KIOSK_EINVAL;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = order_where(st, "number", number, &o, ref, sizeof ref);
	if (rc == KIOSK_OK) {
		st_keyed(st, kind, who, h);
		sqlite3_stmt *s = st_q(st, "SELECT count(*) FROM meal_order WHERE id = ? AND who = ?",
				       "tb", o.id, h, 32);
		rc = s ? st_step(st, s) : KIOSK_EDB;
		if (rc == 1)
			match = sqlite3_column_int64(s, 0);
		if (s)
			sqlite3_reset(s);
		rc = rc < 0 ? rc : match ? KIOSK_OK : KIOSK_EDENIED;
	}
	if (rc == KIOSK_OK && strcmp(o.state, "paid") != 0)
		rc = KIOSK_ESTATE;
	if (rc == KIOSK_OK)
		rc = kiosk_meal_get(st, o.meal, &m);
	if (rc == KIOSK_OK && now_ms >= m.order_by_ms)
		rc = KIOSK_EEXPIRED;
	if (rc == KIOSK_OK)
		rc = give_back(st, &o, ref, "resident");
	if (rc == KIOSK_OK && out) {
		*out = o;
		snprintf(out->state, sizeof out->state, "cancelled");
	}
	TX_END(st, rc);
}

int kiosk_meal_undo(struct kiosk_store *st, const char *id)
{
	struct kiosk_meal_order o;
	char ref[130] = "";
	if (!st_valid_id(id, 37))
		return KIOSK_EINVAL;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = order_where(st, "id", id, &o, ref, sizeof ref);
	if (rc == KIOSK_OK && strcmp(o.state, "paid") != 0)
		rc = KIOSK_ESTATE;
	if (rc == KIOSK_OK)
		rc = give_back(st, &o, ref, "kiosk");
	TX_END(st, rc);
}

bool kiosk_meal_ticket_number(const char *t, char number[9])
{
	if (!t)
		return false;
	if (!strncmp(t, "MEAL:", 5))
		t += 5;
	if (strlen(t) != 8)
		return false;
	for (int i = 0; i < 8; i++)
		if (t[i] < '0' || t[i] > '9')
			return false;
	memcpy(number, t, 9);
	return true;
}

int kiosk_meal_serve(struct kiosk_store *st, const char *ticket, const char *today,
		     const char *by, struct kiosk_meal_order *out)
{
	struct kiosk_meal m;
	struct kiosk_meal_order o;
	char number[9];
	if (!kiosk_meal_ticket_number(ticket, number) || !day_ok(today) || !st_valid_id(by, 32))
		return KIOSK_EINVAL;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = order_where(st, "number", number, &o, NULL, 0);
	if (rc == KIOSK_OK && out)
		*out = o;
	if (rc == KIOSK_OK && !strcmp(o.state, "served"))
		rc = KIOSK_EEXIST; /* 已取过 */
	else if (rc == KIOSK_OK && strcmp(o.state, "paid") != 0)
		rc = KIOSK_ESTATE;
	if (rc == KIOSK_OK)
		rc = kiosk_meal_get(st, o.meal, &m);
	if (rc == KIOSK_OK && strcmp(m.day, today) != 0)
		rc = KIOSK_EEXPIRED; /* another day's ticket */
	if (rc == KIOSK_OK)
		rc = st_do(st,
			   "UPDATE meal_order SET state = 'served', served_by = ?, updated_ms = ?"
			   " WHERE id = ? AND state = 'paid'",
			   "tit", by, st->now(), o.id);
	if (rc == KIOSK_OK) {
		cJSON *d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "order", o.id);
		cJSON_AddStringToObject(d, "by", by);
		rc = st_record(st, by, "meal.served", o.id, d, "meal.served", d);
		cJSON_Delete(d);
	}
	if (rc == KIOSK_OK && out)
		snprintf(out->state, sizeof out->state, "served");
	TX_END(st, rc);
}

int kiosk_meal_last(struct kiosk_store *st, const char *kind, const char *who, char meal_kind[8],
		    char canteen[KIOSK_ID_MAX], int *portions, bool *delivery)
{
	uint8_t h[32];
	if (!who_ok(kind, who))
		return KIOSK_EINVAL;
	st_keyed(st, kind, who, h);
	sqlite3_stmt *s = st_q(st,
			       "SELECT m.kind, m.canteen, o.portions, o.delivery FROM meal_order o"
			       " JOIN meal m ON m.id = o.meal WHERE o.who = ? AND o.state IN"
			       " ('paid','served') ORDER BY o.updated_ms DESC LIMIT 1",
			       "b", h, 32);
	if (!s)
		return KIOSK_EDB;
	int rc = st_step(st, s);
	if (rc == 1) {
		st_col_text(s, 0, meal_kind, 8);
		st_col_text(s, 1, canteen, KIOSK_ID_MAX);
		*portions = sqlite3_column_int(s, 2);
		*delivery = sqlite3_column_int(s, 3) != 0;
	}
	sqlite3_reset(s);
	return rc == 1 ? KIOSK_OK : rc == 0 ? KIOSK_ENOENT : rc;
}

/* Recovery: an order a restart left unpaid is cancelled (its QR payment, if the platform
 * says paid later, finds it gone and is refunded — never paid twice). */
int st_meal_recover(struct kiosk_store *st);

int st_meal_recover(struct kiosk_store *st)
{
	int rc = st_do(st,
		       "UPDATE meal_order SET state = 'cancelled', updated_ms = ? WHERE state ="
		       " 'created'",
		       "i", st->now());
	if (rc == KIOSK_OK)
		st->rec.meals_dropped += st_changes(st);
	return rc;
}
