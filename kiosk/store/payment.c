/* QR payments for what a parcel owes: the overdue fee at pickup, the price of a 寄付 send.
 * Written before the platform is asked and moved only by the platform's answers, so a
 * payment open at a power cut is asked about again, and money taken for something that can
 * no longer happen is given back through the outbox (payment.refund_requested). */
#include "kiosk/store/locker_int.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <string.h>

static const char *const purposes[] = {"fee", "send", "vend", "meal"};

const char *kiosk_pay_purpose_name(enum kiosk_pay_purpose p)
{
	return (unsigned)p < KIOSK_PAY_PURPOSES ? purposes[p] : NULL;
}

/* Inside a transaction: what vend order `order` costs while it waits for its money. */
static int vend_owed(struct kiosk_store *st, const char *order, int64_t *amount,
		     char desc[128])
{
	char name[128] = "";
	struct kiosk_order o;
	int rc = kiosk_vend_get(st, order, &o);
	if (rc)
		return rc;
	if (strcmp(o.state, "created") != 0)
		return KIOSK_ESTATE;
	sqlite3_stmt *s = st_q(st, "SELECT p.name_zh FROM vend_order o JOIN product p ON"
			       " p.id = o.product WHERE o.id = ?", "t", order);
	if (!s)
		return KIOSK_EDB;
	if (st_step(st, s) == 1)
		st_col_text(s, 0, name, sizeof name);
	sqlite3_reset(s);
	*amount = o.price_fen;
	snprintf(desc, 128, "购物 %.100s", name);
	return KIOSK_OK;
}

/* A meal order not yet paid: what it costs the resident — while it can still be sold
 * (before the deadline, portions left); after that a payment is given back. */
static int meal_owed(struct kiosk_store *st, const char *order, int64_t *amount, char desc[128])
{
	struct kiosk_meal_order o;
	struct kiosk_meal m;
	int rc = kiosk_meal_order_get(st, order, &o);
	if (rc == KIOSK_OK && strcmp(o.state, "created") != 0)
		rc = KIOSK_ESTATE;
	if (rc == KIOSK_OK)
		rc = kiosk_meal_get(st, o.meal, &m);
	if (rc == KIOSK_OK && (st->now() >= m.order_by_ms || m.quota - m.sold < o.portions))
		rc = KIOSK_ESTATE;
	if (rc)
		return rc;
	*amount = o.due_fen;
	snprintf(desc, 128, "助餐 %.60s ×%d", m.name_zh, o.portions);
	return KIOSK_OK;
}

/* Inside a transaction: what the parcel owes now for purpose, or 0. */
static int owed(struct kiosk_store *st, enum kiosk_pay_purpose purpose, const char *parcel,
		int64_t *amount, char desc[128])
{
	struct parcel_row p;
	*amount = 0;
	if (purpose == KIOSK_PAY_FOR_VEND)
		return vend_owed(st, parcel, amount, desc);
	if (purpose == KIOSK_PAY_FOR_MEAL)
		return meal_owed(st, parcel, amount, desc);
	int rc = st_parcel_in(st, parcel,
			      purpose == KIOSK_PAY_FOR_FEE ? "|deposited|expired|" : "|send_created|",
			      &p);
	if (rc)
		return rc;
	if (purpose == KIOSK_PAY_FOR_FEE) {
		*amount = st_fee_owed(st, &p) - p.fee_paid;
		snprintf(desc, 128, "快递超时保管费 %s", p.comp);
	} else {
		*amount = p.amount;
		snprintf(desc, 128, "寄件 %s %s", p.carrier, kiosk_size_name((enum kiosk_size)p.size));
	}
	return KIOSK_OK;
}

int kiosk_payment_new(struct kiosk_store *st, enum kiosk_pay_purpose purpose,
		      const char *parcel, char order[37])
{
	char id[37], desc[128];
	int64_t amount = 0, open = 0;
	if (!order || !kiosk_pay_purpose_name(purpose) || !st_valid_id(parcel, 37))
		return KIOSK_EINVAL;
	order[0] = '\0';
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = owed(st, purpose, parcel, &amount, desc);
	if (rc == KIOSK_OK && amount <= 0)
		rc = KIOSK_ESTATE;
	/* One open payment per parcel: a second QR could be paid too. A left one being
	 * cancelled must be settled first (it may yet turn out paid). */
	if (rc == KIOSK_OK)
		rc = st_count(st, "SELECT count(*) FROM payment WHERE parcel = ? AND state IN"
			      " ('creating','pending','cancelling')", parcel, &open);
	if (rc == KIOSK_OK && open)
		rc = KIOSK_EBUSY;
	if (rc == KIOSK_OK)
		rc = kiosk_uuid(id);
	if (rc == KIOSK_OK) {
		int64_t now = st->now();
		rc = st_do(st,
			   "INSERT INTO payment(order_id, purpose, parcel, amount_fen, description,"
			   " state, created_ms, updated_ms) VALUES(?, ?, ?, ?, ?, 'creating', ?, ?)",
			   "tttitii", id, purposes[purpose], parcel, amount, desc, now, now);
	}
	if (rc == KIOSK_OK && purpose == KIOSK_PAY_FOR_SEND)
		/* The send keeps its compartment while the resident pays. */
		rc = st_do(st,
			   "UPDATE compartment SET reserved_until = ? WHERE id ="
			   " (SELECT compartment FROM parcel WHERE id = ?) AND state = 'reserved'",
			   "it", st->now() + RESERVE_MS, parcel);
	if (rc) {
		st_rollback(st);
		return rc;
	}
	rc = st_commit(st);
	if (rc == KIOSK_OK)
		memcpy(order, id, 37);
	return rc;
}

static void row(sqlite3_stmt *s, struct kiosk_payment *o)
{
	char purpose[8];
	st_col_text(s, 0, o->order, sizeof o->order);
	st_col_text(s, 1, o->parcel, sizeof o->parcel);
	st_col_text(s, 2, o->payment_id, sizeof o->payment_id);
	st_col_text(s, 3, o->state, sizeof o->state);
	st_col_text(s, 4, o->description, sizeof o->description);
	st_col_text(s, 5, purpose, sizeof purpose);
	o->purpose = KIOSK_PAY_FOR_FEE;
	for (int i = 0; i < KIOSK_PAY_PURPOSES; i++)
		if (strcmp(purpose, purposes[i]) == 0)
			o->purpose = (enum kiosk_pay_purpose)i;
	o->amount_fen = sqlite3_column_int64(s, 6);
	o->created_ms = sqlite3_column_int64(s, 7);
}

#define COLS                                                                                       \
	"SELECT order_id, parcel, coalesce(payment_id,''), state, description, purpose,"        \
	" amount_fen, created_ms FROM payment"

int kiosk_payment_get(struct kiosk_store *st, const char *order, struct kiosk_payment *out)
{
	if (!out || !st_valid_id(order, 37))
		return KIOSK_EINVAL;
	sqlite3_stmt *s = st_q(st, COLS " WHERE order_id = ?", "t", order);
	if (!s)
		return KIOSK_EDB;
	int rc = st_step(st, s);
	if (rc == 1)
		row(s, out);
	sqlite3_reset(s);
	return rc == 1 ? KIOSK_OK : rc == 0 ? KIOSK_ENOENT : rc;
}

int kiosk_payment_count_open(struct kiosk_store *st, int64_t *n)
{
	return st_count(st, "SELECT count(*) FROM payment WHERE state IN"
			" ('creating','pending','cancelling')", NULL, n);
}

int kiosk_payment_open(struct kiosk_store *st, struct kiosk_payment *out, int max, int *n)
{
	*n = 0;
	sqlite3_stmt *s = st_q(st,
			       COLS " WHERE state IN ('creating','pending','cancelling')"
				    " ORDER BY created_ms, order_id",
			       NULL);
	if (!s)
		return KIOSK_EDB;
	int rc;
	while (*n < max && (rc = st_step(st, s)) == 1)
		row(s, &out[(*n)++]);
	sqlite3_reset(s);
	return *n == max || rc == 0 ? KIOSK_OK : rc;
}

/* Moves order from one of states ("|a|b|") to next: KIOSK_ESTATE when it is in another. */
static int move(struct kiosk_store *st, const char *order, const char *states, const char *next,
		const char *payment_id)
{
	struct kiosk_payment p;
	int rc = kiosk_payment_get(st, order, &p);
	if (rc)
		return rc;
	char want[24];
	snprintf(want, sizeof want, "|%s|", p.state);
	if (!strstr(states, want))
		return KIOSK_ESTATE;
	return st_do(st,
		     "UPDATE payment SET state = ?, payment_id = coalesce(?, payment_id),"
		     " updated_ms = ? WHERE order_id = ?",
		     "ttit", next, payment_id, st->now(), order);
}

/* A payment id goes into a URL path: letters, digits, '-', '_', '.' only. */
static bool plain_id(const char *id)
{
	if (!st_valid_id(id, 96))
		return false;
	for (const char *p = id; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      *p == '-' || *p == '_' || *p == '.'))
			return false;
	return true;
}

int kiosk_payment_created(struct kiosk_store *st, const char *order, const char *payment_id)
{
	if (!plain_id(payment_id))
		return KIOSK_EINVAL;
	/* One being cancelled keeps its state: it is the id it needed for the cancel. */
	struct kiosk_payment p;
	int rc = kiosk_payment_get(st, order, &p);
	if (rc)
		return rc;
	return move(st, order, "|creating|cancelling|",
		    strcmp(p.state, "cancelling") == 0 ? "cancelling" : "pending", payment_id);
}

int kiosk_payment_leave(struct kiosk_store *st, const char *order)
{
	return move(st, order, "|creating|pending|", "cancelling", NULL);
}

int kiosk_payment_closed(struct kiosk_store *st, const char *order, const char *state)
{
	if (!state || (strcmp(state, "expired") != 0 && strcmp(state, "cancelled") != 0))
		return KIOSK_EINVAL;
	return move(st, order, "|creating|pending|cancelling|", state, NULL);
}

int st_payment_refund(struct kiosk_store *st, const char *order, const char *why)
{
	struct kiosk_payment p;
	int rc = kiosk_payment_get(st, order, &p);
	if (rc == KIOSK_OK)
		rc = st_do(st,
			   "UPDATE payment SET state = 'refunded', updated_ms = ? WHERE order_id = ?"
			   " AND state IN ('creating','pending','cancelling','paid')",
			   "it", st->now(), order);
	if (rc == KIOSK_OK && st_changes(st) == 0)
		rc = KIOSK_ESTATE; /* refunded already, or never paid */
	if (rc)
		return rc;
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "order", order);
	cJSON_AddStringToObject(d, "payment", p.payment_id);
	cJSON_AddNumberToObject(d, "amount_fen", (double)p.amount_fen);
	cJSON_AddStringToObject(d, "method", kiosk_pay_method_name(KIOSK_PAY_QR));
	cJSON *detail = cJSON_CreateObject();
	cJSON_AddStringToObject(detail, "why", why);
	rc = st_record(st, "kiosk", "payment.refund", p.parcel, detail,
		       "payment.refund_requested", d);
	cJSON_Delete(d);
	cJSON_Delete(detail);
	if (rc == KIOSK_OK)
		KLOG_INFO("store", "event=refund_requested order=%s amount_fen=%lld why=\"%s\"", order,
			  (long long)p.amount_fen, why);
	return rc;
}

int st_payment_parcel_gone(struct kiosk_store *st, const char *parcel)
{
	char orders[8][37];
	int n = 0, rc;
	sqlite3_stmt *s = st_q(st,
			       "SELECT order_id FROM payment WHERE parcel = ? AND state = 'paid'"
			       " LIMIT 8",
			       "t", parcel);
	if (!s)
		return KIOSK_EDB;
	while (n < 8 && (rc = st_step(st, s)) == 1)
		st_col_text(s, 0, orders[n++], 37);
	sqlite3_reset(s);
	if (n < 8 && rc < 0)
		return rc;
	for (int i = 0; i < n; i++)
		if ((rc = st_payment_refund(st, orders[i], "send given up")))
			return rc;
	return st_do(st,
		     "UPDATE payment SET state = 'cancelling', updated_ms = ? WHERE parcel = ? AND"
		     " state IN ('creating','pending')",
		     "it", st->now(), parcel);
}

/* Inside a transaction: applies a paid payment to its parcel, or says it cannot be. */
static int apply(struct kiosk_store *st, const struct kiosk_payment *p, bool *applied)
{
	int64_t amount = 0;
	char desc[128];
	*applied = false;
	int rc = owed(st, p->purpose, p->parcel, &amount, desc);
	if (rc == KIOSK_ESTATE || rc == KIOSK_ENOENT || (rc == KIOSK_OK && amount < p->amount_fen))
		return KIOSK_OK; /* moved on, or owes less now: given back */
	if (rc)
		return rc;
	*applied = true;
	/* Nested: these run as savepoints inside this transaction. */
	switch (p->purpose) {
	case KIOSK_PAY_FOR_FEE:
		return kiosk_parcel_pay_fee(st, p->parcel, KIOSK_PAY_QR, p->payment_id,
					    p->amount_fen);
	case KIOSK_PAY_FOR_SEND:
		return kiosk_send_paid(st, p->parcel, KIOSK_PAY_QR, p->payment_id, p->amount_fen);
	case KIOSK_PAY_FOR_VEND:
		return kiosk_vend_paid(st, p->parcel, KIOSK_PAY_QR, p->payment_id, p->amount_fen);
	case KIOSK_PAY_FOR_MEAL:
		return kiosk_meal_paid(st, p->parcel, KIOSK_PAY_QR, p->payment_id, p->amount_fen);
	}
	return KIOSK_EINVAL;
}

int kiosk_payment_paid(struct kiosk_store *st, const char *order, bool *refunded)
{
	struct kiosk_payment p;
	bool applied = false;
	if (refunded)
		*refunded = false;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = kiosk_payment_get(st, order, &p);
	if (rc == KIOSK_OK && (strcmp(p.state, "paid") == 0 || strcmp(p.state, "refunded") == 0)) {
		st_rollback(st);
		return KIOSK_OK; /* told twice: once is what counts */
	}
	if (rc == KIOSK_OK)
		rc = apply(st, &p, &applied);
	if (rc == KIOSK_OK && applied)
		rc = st_do(st, "UPDATE payment SET state = 'paid', updated_ms = ? WHERE order_id = ?",
			   "it", st->now(), order);
	else if (rc == KIOSK_OK)
		rc = st_payment_refund(st, order, "paid after the parcel moved on");
	if (rc == KIOSK_OK && refunded)
		*refunded = !applied;
	TX_END(st, rc);
}
