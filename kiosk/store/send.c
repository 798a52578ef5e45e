/* Sending a parcel (寄件): reserve, pay, deposit, collected by a courier of the carrier. */
#include "kiosk/store/locker_int.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <string.h>

const char *kiosk_send_pay_name(enum kiosk_send_pay p)
{
	static const char *const names[] = {"recipient", "sender", "booking"};
	return (unsigned)p < 3 ? names[p] : NULL;
}

/* The recipient's city as typed or chosen: short plain text (no control bytes, no quotes
 * that would need care downstream). */
static bool valid_city(const char *c)
{
	size_t n = strnlen(c, 32);
	if (n >= 32)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)c[i] < 0x20 || c[i] == 0x7F || c[i] == '"' || c[i] == '\\')
			return false;
	return true;
}

static bool valid_req(const struct kiosk_send_req *r)
{
	if (!r || !st_valid_id(r->carrier, 32) || !kiosk_size_name(r->size) ||
	    !kiosk_send_pay_name(r->pay) || r->amount_fen < 0 || r->amount_fen > 1000000 ||
	    !valid_city(r->city) || strnlen(r->booking, 40) >= 40)
		return false;
	if (r->booking[0]) /* booked: no phone asked, the booking has the sender's */
		return st_valid_id(r->booking, 40) && !r->phone[0];
	/* a walk-in gives a phone, and pays here or on delivery, never "booked" */
	return st_valid_phone(r->phone) && r->pay != KIOSK_SEND_BOOKED_PAID;
}

/* Inside a transaction: a new send in state, in the smallest free compartment that fits
 * (reserved for it); comp and id (37 bytes) filled. */
static int new_send(struct kiosk_store *st, const struct kiosk_send_req *r, const char *state,
		    char comp[KIOSK_ID_MAX], char id[37])
{
	int64_t couriers = 0, used = 0;
	/* A carrier none of whose couriers comes here would never collect it. */
	int rc = st_count(st, "SELECT count(*) FROM person WHERE role = 'courier' AND company = ?",
			  r->carrier, &couriers);
	if (rc == KIOSK_OK && couriers == 0)
		rc = KIOSK_ENOENT;
	if (rc == KIOSK_OK && r->booking[0])
		rc = st_count(st, "SELECT count(*) FROM parcel WHERE booking = ? AND"
			      " state <> 'cancelled'", r->booking, &used);
	if (rc == KIOSK_OK && used)
		rc = KIOSK_EEXIST;
	if (rc == KIOSK_OK)
		rc = st_comp_allocate(st, r->size, comp);
	if (rc == KIOSK_OK)
		rc = kiosk_uuid(id);
	if (rc)
		return rc;
	int64_t now = st->now();
	uint8_t ph[32];
	bool phone = r->phone[0] != '\0';
	if (phone)
		st_keyed(st, "phone", r->phone, ph);
	rc = st_do(st,
		   "INSERT INTO parcel(id, kind, state, compartment, size, carrier,"
		   " amount_fen, pay_method, booking, receiver_city, phone_last4, phone_hmac,"
		   " created_ms, updated_ms) VALUES(?, 'send', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		   "tttdtittttbii", id, state, comp, (int)r->size, r->carrier, r->amount_fen,
		   kiosk_send_pay_name(r->pay), r->booking[0] ? r->booking : NULL,
		   r->city[0] ? r->city : NULL, phone ? r->phone + 7 : NULL, phone ? ph : NULL,
		   phone ? 32 : 0, now, now);
	char number[9];
	if (rc == KIOSK_OK)
		rc = st_send_number(st, id, number);
	if (rc)
		return rc;
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "send_number", number);
	cJSON_AddStringToObject(d, "pay_method", kiosk_send_pay_name(r->pay));
	if (r->booking[0])
		cJSON_AddStringToObject(d, "booking", r->booking);
	rc = st_record(st, "resident", "send.create", id, d, NULL, NULL);
	cJSON_Delete(d);
	return rc;
}

int kiosk_send_create(struct kiosk_store *st, const struct kiosk_send_req *r, char parcel[37])
{
	char comp[KIOSK_ID_MAX], id[37];
	if (kiosk_store_on_reserve(st))
		return KIOSK_EDISKFULL; /* the disk's last room is for pickups (reserve.c) */
	if (!parcel || !valid_req(r) || r->pay != KIOSK_SEND_BY_SENDER || r->amount_fen <= 0)
		return KIOSK_EINVAL;
	parcel[0] = '\0';
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = new_send(st, r, "send_created", comp, id);
	if (rc) {
		st_rollback(st);
		return rc;
	}
	rc = st_commit(st);
	if (rc == KIOSK_OK)
		memcpy(parcel, id, 37);
	return rc;
}

int kiosk_send_paid(struct kiosk_store *st, const char *parcel, enum kiosk_pay_method m,
		    const char *ref, int64_t amount)
{
	struct parcel_row p;
	if (!kiosk_pay_method_name(m) || (ref && strlen(ref) > 128))
		return KIOSK_EINVAL;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = st_parcel_in(st, parcel, "|send_created|", &p);
	if (rc == KIOSK_OK && amount != p.amount)
		rc = KIOSK_EINVAL;
	if (rc == KIOSK_OK)
		rc = st_parcel_state(st, parcel, "send_paid");
	/* Paid: the reservation no longer expires. */
	if (rc == KIOSK_OK && p.comp[0])
		rc = st_do(st, "UPDATE compartment SET reserved_until = NULL WHERE id = ?", "t",
			   p.comp);
	if (rc == KIOSK_OK)
		rc = st_record_payment(st, "send.paid", parcel, m, ref, amount);
	TX_END(st, rc);
}

int kiosk_send_open(struct kiosk_store *st, const char *parcel, struct kiosk_door *door)
{
	struct parcel_row p;
	if (!door)
		return KIOSK_EINVAL;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = st_parcel_in(st, parcel, "|send_paid|", &p);
	/* Its compartment jammed earlier: take another one of the same size. */
	if (rc == KIOSK_OK && !p.comp[0]) {
		rc = st_comp_allocate(st, (enum kiosk_size)p.size, p.comp);
		if (rc == KIOSK_OK)
			rc = st_do(st, "UPDATE parcel SET compartment = ? WHERE id = ?", "tt",
				   p.comp, parcel);
	}
	if (rc == KIOSK_OK)
		rc = st_door_intent(st, p.comp, "send_deposit", parcel, "resident", door);
	TX_END(st, rc);
}

/* The send's number as stored ("" when it has none yet): 1, 0 for no such send, or a
 * negative kiosk_err. */
static int stored_number(struct kiosk_store *st, const char *parcel, char number[9])
{
	number[0] = '\0';
	sqlite3_stmt *s = st_q(st, "SELECT coalesce(send_number, '') FROM parcel WHERE id = ?"
				   " AND kind = 'send'",
			       "t", parcel);
	int rc = s ? st_step(st, s) : KIOSK_EDB;
	if (rc == 1)
		st_col_text(s, 0, number, 9);
	if (s)
		sqlite3_reset(s);
	return rc;
}

int st_send_number(struct kiosk_store *st, const char *parcel, char number[9])
{
	int rc = stored_number(st, parcel, number);
	if (rc <= 0)
		return rc < 0 ? rc : KIOSK_ENOENT;
	/* The unique index refuses a number issued before, and we draw again. */
	for (int tries = 0; !number[0] && tries < 8; tries++) {
		rc = st_random_digits(number);
		if (rc == KIOSK_OK)
			rc = st_do(st, "UPDATE parcel SET send_number = ? WHERE id = ?", "tt", number,
				   parcel);
		if (rc == KIOSK_EEXIST)
			number[0] = '\0';
		else if (rc)
			return rc;
	}
	return number[0] ? KIOSK_OK : KIOSK_EBUSY;
}

int kiosk_send_number(struct kiosk_store *st, const char *parcel, char number[9])
{
	int rc = stored_number(st, parcel, number);
	return rc < 0 ? rc : rc == 0 || !number[0] ? KIOSK_ENOENT : KIOSK_OK;
}

/* Inside a transaction: the send is in its compartment; the carrier is told. */
static int deposited(struct kiosk_store *st, const char *actor, const char *parcel,
		     const struct parcel_row *p, const char *sender_phone)
{
	int rc = st_parcel_state(st, parcel, "send_deposited");
	if (rc == KIOSK_OK)
		rc = st_comp_state(st, p->comp, "occupied");
	if (rc)
		return rc;
	char number[9];
	rc = st_send_number(st, parcel, number); /* a send made before numbers gets one now */
	if (rc)
		return rc;
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "parcel", parcel);
	cJSON_AddStringToObject(d, "send_number", number);
	cJSON_AddStringToObject(d, "carrier", p->carrier);
	cJSON_AddStringToObject(d, "compartment", p->comp);
	cJSON_AddStringToObject(d, "size", kiosk_size_name((enum kiosk_size)p->size));
	cJSON_AddNumberToObject(d, "amount_fen", (double)p->amount);
	char more[3][48];
	sqlite3_stmt *s = st_q(st,
			       "SELECT coalesce(pay_method,'recipient'), coalesce(booking,''),"
			       " coalesce(receiver_city,'') FROM parcel WHERE id = ?",
			       "t", parcel);
	rc = s ? st_step(st, s) : KIOSK_EDB;
	for (int i = 0; i < 3; i++)
		more[i][0] = '\0';
	if (rc == 1)
		for (int i = 0; i < 3; i++)
			st_col_text(s, i, more[i], sizeof more[i]);
	if (s)
		sqlite3_reset(s);
	cJSON_AddStringToObject(d, "pay_method", more[0]);
	if (more[1][0])
		cJSON_AddStringToObject(d, "booking", more[1]);
	if (more[2][0])
		cJSON_AddStringToObject(d, "receiver_city", more[2]);
	/* Sent once so the carrier can call; erased from the outbox on ack. */
	if (sender_phone && st_valid_phone(sender_phone) && strcmp(sender_phone + 7, p->last4) == 0)
		cJSON_AddStringToObject(d, "sender_phone", sender_phone);
	rc = rc < 0 ? rc : st_record(st, actor, "send.deposited", parcel, NULL,
				     "parcel.send_requested", d);
	cJSON_Delete(d);
	return rc;
}

int st_send_deposited(struct kiosk_store *st, const char *actor, const char *parcel)
{
	struct parcel_row p;
	int rc = st_parcel_in(st, parcel, "|send_created|send_paid|send_depositing|", &p);
	return rc ? rc : deposited(st, actor, parcel, &p, NULL);
}

int kiosk_send_deposited(struct kiosk_store *st, const char *parcel, const char *sender_phone)
{
	struct parcel_row p;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = st_parcel_in(st, parcel, "|send_depositing|", &p);
	if (rc == KIOSK_OK)
		rc = deposited(st, "resident", parcel, &p, sender_phone);
	TX_END(st, rc);
}

int kiosk_send_collect_open(struct kiosk_store *st, const char *courier, const char *parcel,
			    struct kiosk_door *door)
{
	struct parcel_row p;
	char company[64] = "";
	if (!door || !st_valid_id(courier, KIOSK_ID_MAX))
		return KIOSK_EINVAL;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = st_person_exists(st, courier, "courier", company);
	if (rc == KIOSK_OK)
		rc = st_parcel_in(st, parcel, "|send_deposited|", &p);
	if (rc == KIOSK_OK && strcmp(company, p.carrier) != 0)
		rc = KIOSK_EDENIED; /* another carrier's courier */
	if (rc == KIOSK_OK)
		rc = st_do(st, "UPDATE parcel SET courier = ? WHERE id = ?", "tt", courier, parcel);
	if (rc == KIOSK_OK)
		rc = st_door_intent(st, p.comp, "collect", parcel, courier, door);
	TX_END(st, rc);
}

/* Settled sends — 到付 (the recipient pays the carrier on delivery) or booked and paid in
 * an app — take no money here and nothing waits for a payment. The send is created settled
 * and its door intent committed in the same transaction, so no crash can leave a settled
 * send without a door operation (nor a reservation nobody releases). */
int kiosk_send_begin(struct kiosk_store *st, const struct kiosk_send_req *r, char parcel[37],
		     struct kiosk_door *door)
{
	char comp[KIOSK_ID_MAX], id[37];
	if (kiosk_store_on_reserve(st))
		return KIOSK_EDISKFULL; /* the disk's last room is for pickups (reserve.c) */
	if (!parcel || !door || !valid_req(r) || r->pay == KIOSK_SEND_BY_SENDER ||
	    (r->pay == KIOSK_SEND_BY_RECIPIENT && r->amount_fen != 0))
		return KIOSK_EINVAL;
	parcel[0] = '\0';
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = new_send(st, r, "send_paid", comp, id);
	if (rc == KIOSK_OK)
		rc = st_do(st, "UPDATE compartment SET reserved_until = NULL WHERE id = ?", "t",
			   comp);
	if (rc == KIOSK_OK)
		rc = st_door_intent(st, comp, "send_deposit", id, "resident", door);
	if (rc) {
		st_rollback(st);
		return rc;
	}
	rc = st_commit(st);
	if (rc == KIOSK_OK)
		memcpy(parcel, id, 37);
	return rc;
}

/* Inside a transaction: the send is given up before it was in; its compartment is
 * released. */
static int cancelled(struct kiosk_store *st, const char *actor, const char *parcel,
		     const struct parcel_row *p)
{
	int rc = st_parcel_state(st, parcel, "cancelled");
	if (rc == KIOSK_OK)
		rc = st_comp_release(st, p->comp);
	/* Money taken for it goes back; a payment still open is not to be paid. */
	if (rc == KIOSK_OK)
		rc = st_payment_parcel_gone(st, parcel);
	return rc ? rc : st_record(st, actor, "send.cancel", parcel, NULL, NULL, NULL);
}

int kiosk_send_cancel(struct kiosk_store *st, const char *parcel)
{
	struct parcel_row p;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = st_parcel_in(st, parcel, "|send_created|send_paid|send_depositing|", &p);
	/* Money taken here goes back through its QR payment; money taken any other way (none
	 * yet) the kiosk could not give back, so such a send stays and help is called. A
	 * booking paid in an app stays the platform's to settle. */
	int64_t by_qr = 0, sender = 0;
	if (rc == KIOSK_OK && strcmp(p.state, "send_created") != 0 && p.amount > 0)
		rc = st_count(st, "SELECT count(*) FROM parcel WHERE id = ? AND"
			      " coalesce(pay_method, 'sender') = 'sender'", parcel, &sender);
	if (rc == KIOSK_OK && sender)
		rc = st_count(st, "SELECT count(*) FROM payment WHERE parcel = ? AND state = 'paid'",
			      parcel, &by_qr);
	if (rc == KIOSK_OK && sender && !by_qr)
		rc = KIOSK_ESTATE;
	if (rc == KIOSK_OK)
		rc = cancelled(st, "resident", parcel, &p);
	TX_END(st, rc);
}

int kiosk_send_next_to_collect(struct kiosk_store *st, const char *courier, char out[37])
{
	char company[64] = "";
	if (!out || !st_valid_id(courier, KIOSK_ID_MAX))
		return KIOSK_EINVAL;
	out[0] = '\0';
	int rc = st_person_exists(st, courier, "courier", company);
	if (rc)
		return rc;
	sqlite3_stmt *s = st_q(st,
			       "SELECT id FROM parcel WHERE state = 'send_deposited' AND active AND carrier = ?"
			       " ORDER BY updated_ms, id LIMIT 1",
			       "t", company);
	if (!s)
		return KIOSK_EDB;
	rc = st_step(st, s);
	if (rc == 1)
		st_col_text(s, 0, out, 37);
	sqlite3_reset(s);
	return rc == 1 ? KIOSK_OK : rc == 0 ? KIOSK_ENOENT : rc;
}

int kiosk_courier_tasks(struct kiosk_store *st, const char *courier, int64_t *expired,
			int64_t *sends)
{
	char company[64] = "";
	*expired = *sends = 0;
	if (!st_valid_id(courier, KIOSK_ID_MAX))
		return KIOSK_EINVAL;
	int rc = st_person_exists(st, courier, "courier", company);
	if (rc == KIOSK_OK) {
		int n = kiosk_parcel_expire_due(st);
		rc = n < 0 ? n : KIOSK_OK;
	}
	if (rc == KIOSK_OK)
		rc = st_count(st, "SELECT count(*) FROM parcel WHERE state = 'expired' AND active", NULL,
			      expired);
	if (rc == KIOSK_OK)
		rc = st_count(st, "SELECT count(*) FROM parcel WHERE state = 'send_deposited' AND active"
			      " AND carrier = ?", company, sends);
	return rc;
}

int kiosk_send_carriers(struct kiosk_store *st, char out[][32], int max, int *n)
{
	*n = 0;
	sqlite3_stmt *s = st_q(st,
			       "SELECT DISTINCT company FROM person WHERE role = 'courier'"
			       " AND company <> '' ORDER BY company",
			       NULL);
	if (!s)
		return KIOSK_EDB;
	int rc;
	while ((rc = st_step(st, s)) == 1 && *n < max)
		st_col_text(s, 0, out[(*n)++], 32);
	sqlite3_reset(s);
	return rc < 0 ? rc : KIOSK_OK;
}

/* Recovery, inside open's transaction. A send on its way in when the kiosk stopped has
 * nobody at the screen for it any more:
 * - settled 到付 (nothing paid) whose door never opened: cancelled, its compartment free
 *   (one the restart left unknown stays so for the operator);
 * - its door had opened: the resident may well have put the parcel in and closed the door,
 *   so it is taken as deposited and the carrier told — a courier finding it empty is a
 *   smaller harm than a parcel left in a compartment the kiosk thinks is free;
 * - one settled (到付, booked) or paid by QR whose door never opened: cancelled, the QR
 *   payment refunded; one paid any other way (none yet) waits for the operator;
 * - unpaid (send_created) lapses with its reservation (its payment, if any, is looked up
 *   again: paid late, it is refunded then). */
int st_send_recover(struct kiosk_store *st);

int st_send_recover(struct kiosk_store *st)
{
	char ids[64][37], states[64][16];
	int n = 0, rc;
	sqlite3_stmt *s = st_q(st,
			       "SELECT id, state FROM parcel WHERE active AND kind = 'send' AND"
			       " (state = 'send_depositing' OR (state = 'send_paid' AND"
			       "  (amount_fen = 0 OR pay_method = 'booking' OR EXISTS(SELECT 1 FROM"
			       "   payment WHERE payment.parcel = parcel.id AND payment.state = 'paid'))))"
			       " LIMIT 64",
			       NULL);
	if (!s)
		return KIOSK_EDB;
	while ((rc = st_step(st, s)) == 1 && n < 64) {
		st_col_text(s, 0, ids[n], 37);
		st_col_text(s, 1, states[n], 16);
		n++;
	}
	sqlite3_reset(s);
	if (rc < 0)
		return rc;
	for (int i = 0; i < n; i++) {
		struct parcel_row p;
		rc = st_parcel_load(st, ids[i], &p);
		if (rc == KIOSK_OK && strcmp(states[i], "send_depositing") == 0) {
			rc = deposited(st, "recovery", ids[i], &p, NULL);
			st->rec.sends_assumed_in++;
		} else if (rc == KIOSK_OK) {
			rc = cancelled(st, "recovery", ids[i], &p);
			st->rec.sends_cancelled++;
		}
		if (rc)
			return rc;
	}
	return KIOSK_OK;
}
