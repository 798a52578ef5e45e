/* Delivery parcels: courier deposit, pickup codes with lockout, overdue fees, expiry. */
#include "kiosk/store/locker_int.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <string.h>



int st_parcel_load(struct kiosk_store *st, const char *id, struct parcel_row *p)
{
	if (!st_valid_id(id, 37))
		return KIOSK_EINVAL;
	sqlite3_stmt *s = st_q(st,
			       "SELECT state, kind, coalesce(compartment,''), coalesce(tracking_no,''),"
			       " carrier, coalesce(courier,''), coalesce(phone_last4,''), size,"
			       " amount_fen, fee_paid_fen, coalesce(deposited_ms,0),"
			       " coalesce(expires_ms,0) FROM parcel WHERE id = ?",
			       "t", id);
	if (!s)
		return KIOSK_EDB;
	int rc = st_step(st, s);
	if (rc == 1) {
		st_col_text(s, 0, p->state, sizeof p->state);
		st_col_text(s, 1, p->kind, sizeof p->kind);
		st_col_text(s, 2, p->comp, sizeof p->comp);
		st_col_text(s, 3, p->tracking, sizeof p->tracking);
		st_col_text(s, 4, p->carrier, sizeof p->carrier);
		st_col_text(s, 5, p->courier, sizeof p->courier);
		st_col_text(s, 6, p->last4, sizeof p->last4);
		p->size = sqlite3_column_int(s, 7);
		p->amount = sqlite3_column_int64(s, 8);
		p->fee_paid = sqlite3_column_int64(s, 9);
		p->deposited = sqlite3_column_int64(s, 10);
		p->expires = sqlite3_column_int64(s, 11);
	}
	sqlite3_reset(s);
	return rc == 1 ? KIOSK_OK : rc == 0 ? KIOSK_ENOENT : rc;
}

int st_parcel_in(struct kiosk_store *st, const char *id, const char *states,
		 struct parcel_row *p)
{
	int rc = st_parcel_load(st, id, p);
	if (rc)
		return rc;
	char want[24];
	snprintf(want, sizeof want, "|%s|", p->state);
	return strstr(states, want) ? KIOSK_OK : KIOSK_ESTATE;
}

int st_parcel_state(struct kiosk_store *st, const char *id, const char *state)
{
	/* A code that can open nothing any more is erased with it: its HMAC too (the page's
	 * old bytes are zeroed by secure_delete, and the WAL's copies go at the next scrub). */
	int rc = st_do(st,
		       "UPDATE parcel SET state = ?1, updated_ms = ?2, code_hmac = CASE WHEN ?1 IN"
		       " ('deposited', 'expired') THEN code_hmac END WHERE id = ?3",
		       "tit", state, st->now(), id);
	if (rc == KIOSK_OK && strcmp(state, "deposited") != 0 && strcmp(state, "expired") != 0)
		atomic_fetch_add(&st->erased, 1);
	/* The plain code waits in the outbox only for the platform's text message. Once the
	 * parcel is out of 'deposited' (picked up, expired, taken back, cancelled) the code
	 * opens nothing and is erased, whether or not the platform ever acked it. */
	if (rc == KIOSK_OK && strcmp(state, "deposited") != 0)
		rc = st_do(st,
			   "UPDATE outbox SET data = json_remove(data, '$.pickup_code')"
			   " WHERE type = 'parcel.deposited' AND sent = 0"
			   " AND json_extract(data, '$.parcel') = ?"
			   " AND json_extract(data, '$.pickup_code') IS NOT NULL",
			   "t", id);
	return rc;
}

int kiosk_parcel_unfinished(struct kiosk_store *st, const char *courier,
			    struct kiosk_parcel *out)
{
	char id[37];
	if (!out || !st_valid_id(courier, KIOSK_ID_MAX))
		return KIOSK_EINVAL;
	sqlite3_stmt *s = st_q(st,
			       "SELECT p.id FROM parcel p WHERE p.kind = 'delivery'"
			       " AND p.state = 'depositing' AND p.active AND p.courier = ? AND EXISTS(SELECT 1"
			       " FROM door_op d WHERE d.parcel = p.id AND d.purpose = 'deposit'"
			       " AND d.state = 'opened') ORDER BY p.created_ms, p.id LIMIT 1",
			       "t", courier);
	if (!s)
		return KIOSK_EDB;
	int rc = st_step(st, s);
	if (rc == 1)
		st_col_text(s, 0, id, sizeof id);
	sqlite3_reset(s);
	if (rc != 1)
		return rc == 0 ? KIOSK_ENOENT : rc;
	return kiosk_parcel_get(st, id, out);
}

int kiosk_parcel_get(struct kiosk_store *st, const char *parcel, struct kiosk_parcel *out)
{
	struct parcel_row p;
	if (!out)
		return KIOSK_EINVAL;
	int rc = st_parcel_load(st, parcel, &p);
	if (rc)
		return rc;
	memset(out, 0, sizeof *out);
	snprintf(out->id, sizeof out->id, "%s", parcel);
	snprintf(out->kind, sizeof out->kind, "%s", p.kind);
	snprintf(out->state, sizeof out->state, "%s", p.state);
	snprintf(out->compartment, sizeof out->compartment, "%s", p.comp);
	snprintf(out->tracking, sizeof out->tracking, "%s", p.tracking);
	snprintf(out->carrier, sizeof out->carrier, "%s", p.carrier);
	out->fee_paid_fen = p.fee_paid;
	out->expires_ms = p.expires;
	return KIOSK_OK;
}

int st_person_exists(struct kiosk_store *st, const char *id, const char *role,
			 char company[64])
{
	sqlite3_stmt *s = st_q(st, "SELECT company FROM person WHERE id = ? AND role = ?", "tt", id,
			       role);
	if (!s)
		return KIOSK_EDB;
	int rc = st_step(st, s);
	if (rc == 1 && company)
		st_col_text(s, 0, company, 64);
	sqlite3_reset(s);
	return rc == 1 ? KIOSK_OK : rc == 0 ? KIOSK_EDENIED : rc;
}

int st_valid_phone(const char *p)
{
	if (!p || strlen(p) != 11 || p[0] != '1')
		return 0;
	for (int i = 0; i < 11; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return 1;
}

/* Keyed hashes, domain-separated so a phone's HMAC can never equal a code's. */
void st_keyed(struct kiosk_store *st, const char *domain, const char *v, uint8_t out[32])
{
	char buf[64];
	int n = snprintf(buf, sizeof buf, "%s:%s", domain, v);
	kiosk_hmac_sha256(st->key, sizeof st->key, buf, (size_t)n, out);
	kiosk_cleanse(buf, sizeof buf);
}

int kiosk_parcel_deposit_begin(struct kiosk_store *st, const char *courier, const char *tracking,
			       const char *phone, enum kiosk_size size, char parcel[37],
			       struct kiosk_door *door)
{
	char comp[KIOSK_ID_MAX], id[37];
	uint8_t ph[32];
	if (kiosk_store_on_reserve(st))
		return KIOSK_EDISKFULL; /* the disk's last room is for pickups (reserve.c) */
	if (!parcel || !door || !st_valid_id(courier, KIOSK_ID_MAX) || !st_valid_id(tracking, 64) ||
	    !st_valid_phone(phone) || !kiosk_size_name(size))
		return KIOSK_EINVAL;
	parcel[0] = '\0';
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = st_person_exists(st, courier, "courier", NULL);
	int64_t dup = 0;
	if (rc == KIOSK_OK)
		rc = st_count(st, "SELECT count(*) FROM parcel WHERE tracking_no = ? AND active",
			      tracking, &dup);
	if (rc == KIOSK_OK && dup)
		rc = KIOSK_EEXIST;
	if (rc == KIOSK_OK)
		rc = st_comp_allocate(st, size, comp);
	if (rc == KIOSK_OK)
		rc = kiosk_uuid(id);
	if (rc == KIOSK_OK) {
		int64_t now = st->now();
		st_keyed(st, "phone", phone, ph);
		rc = st_do(st,
			   "INSERT INTO parcel(id, kind, state, compartment, size, tracking_no,"
			   " courier, phone_last4, phone_hmac, created_ms, updated_ms)"
			   " VALUES(?, 'delivery', 'depositing', ?, ?, ?, ?, ?, ?, ?, ?)",
			   "ttdtttbii", id, comp, (int)size, tracking, courier, phone + 7, ph, 32,
			   now, now);
	}
	if (rc == KIOSK_OK)
		rc = st_record(st, courier, "parcel.deposit_begin", id, NULL, NULL, NULL);
	if (rc == KIOSK_OK)
		rc = st_door_intent(st, comp, "deposit", id, courier, door);
	if (rc) {
		st_rollback(st);
		return rc;
	}
	rc = st_commit(st);
	if (rc == KIOSK_OK)
		memcpy(parcel, id, 37);
	return rc;
}

int st_door_opened_for(struct kiosk_store *st, const char *parcel, const char *purpose)
{
	sqlite3_stmt *s = st_q(st,
			       "SELECT state FROM door_op WHERE parcel = ? AND purpose = ?"
			       " ORDER BY id DESC LIMIT 1",
			       "tt", parcel, purpose);
	if (!s)
		return KIOSK_EDB;
	int rc = st_step(st, s);
	int ok = rc == 1 && strcmp((const char *)sqlite3_column_text(s, 0), "opened") == 0;
	sqlite3_reset(s);
	return rc < 0 ? rc : ok ? KIOSK_OK : KIOSK_ESTATE;
}

/* 8 uniform digits: reject the top of the 32-bit range so no digit string is likelier. */
int st_random_digits(char code[9])
{
	uint32_t r;
	do {
		int rc = kiosk_random(&r, sizeof r);
		if (rc)
			return rc;
	} while (r >= 4000000000u);
	snprintf(code, 9, "%08u", r % 100000000u);
	return KIOSK_OK;
}

int st_deposit_commit(struct kiosk_store *st, const char *parcel, const char *actor,
		      bool door_checked, char code[9])
{
	struct parcel_row p;
	uint8_t h[32];
	code[0] = '\0';
	int rc = st_parcel_load(st, parcel, &p);
	if (rc == KIOSK_OK && (strcmp(p.kind, "delivery") || strcmp(p.state, "depositing")))
		rc = KIOSK_ESTATE;
	if (rc == KIOSK_OK && !door_checked)
		rc = st_door_opened_for(st, parcel, "deposit");
	int64_t now = st->now(), expires = now + (int64_t)st->keep_days * 24 * HOUR_MS;
	/* Unique among active parcels: the index refuses a clash, and we draw again. */
	for (int tries = 0; rc == KIOSK_OK && tries < 8; tries++) {
		rc = st_random_digits(code);
		if (rc)
			break;
		st_keyed(st, "code", code, h);
		rc = st_do(st,
			   "UPDATE parcel SET state = 'deposited', code_hmac = ?, deposited_ms = ?,"
			   " expires_ms = ?, updated_ms = ? WHERE id = ?",
			   "biiit", h, 32, now, expires, now, parcel);
		if (rc != KIOSK_EEXIST)
			break;
		rc = KIOSK_OK;
		code[0] = '\0';
	}
	if (rc == KIOSK_OK && !code[0])
		rc = KIOSK_EBUSY;
	if (rc == KIOSK_OK)
		rc = st_comp_state(st, p.comp, "occupied");
	if (rc == KIOSK_OK) {
		char at[32];
		kiosk_format_utc(expires, at, sizeof at);
		cJSON *d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "parcel", parcel);
		cJSON_AddStringToObject(d, "tracking_no", p.tracking);
		cJSON_AddStringToObject(d, "compartment", p.comp);
		cJSON_AddStringToObject(d, "size", kiosk_size_name((enum kiosk_size)(p.size & 3)));
		cJSON_AddStringToObject(d, "courier", p.courier);
		cJSON_AddStringToObject(d, "phone_last4", p.last4);
		cJSON_AddStringToObject(d, "pickup_code", code); /* for the platform's SMS only */
		cJSON_AddStringToObject(d, "expires_at", at);
		rc = st_record(st, actor ? actor : p.courier, "parcel.deposited", parcel, NULL,
			       "parcel.deposited", d);
		/* cJSON's copy of the code is freed with d; clear it first. */
		cJSON *c = cJSON_GetObjectItem(d, "pickup_code");
		if (c && c->valuestring)
			kiosk_cleanse(c->valuestring, strlen(c->valuestring));
		cJSON_Delete(d);
	}
	kiosk_cleanse(h, sizeof h);
	if (rc) {
		kiosk_cleanse(code, 9);
		code[0] = '\0';
	}
	return rc;
}

int kiosk_parcel_deposit_commit(struct kiosk_store *st, const char *parcel, char code[9])
{
	if (!code)
		return KIOSK_EINVAL;
	code[0] = '\0';
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = st_deposit_commit(st, parcel, NULL, false, code);
	if (rc) {
		st_rollback(st);
		return rc;
	}
	rc = st_commit(st);
	if (rc) {
		kiosk_cleanse(code, 9);
		code[0] = '\0';
	}
	return rc;
}

int kiosk_parcel_deposit_cancel(struct kiosk_store *st, const char *parcel)
{
	struct parcel_row p;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = st_parcel_in(st, parcel, "|depositing|", &p);
	if (rc == KIOSK_OK)
		rc = st_parcel_state(st, parcel, "cancelled");
	if (rc == KIOSK_OK)
		rc = st_comp_release(st, p.comp);
	if (rc == KIOSK_OK)
		rc = st_record(st, p.courier, "parcel.deposit_cancel", parcel, NULL, NULL, NULL);
	TX_END(st, rc);
}

static int64_t fee_due(const struct kiosk_store *st, int64_t deposited, int64_t now)
{
	int64_t over = now - deposited - (int64_t)st->fee.free_h * HOUR_MS;
	if (over <= 0)
		return 0;
	int64_t block = (int64_t)st->fee.block_h * HOUR_MS;
	int64_t fee = (over + block - 1) / block * st->fee.block_fen;
	return fee > st->fee.cap_fen ? st->fee.cap_fen : fee;
}

int64_t st_fee_owed(struct kiosk_store *st, const struct parcel_row *p)
{
	return fee_due(st, p->deposited, st->now());
}

/* A wrong (or malformed) code: counted by the kiosk-wide guard, and an event. */
static int wrong_code(struct kiosk_store *st, int64_t now, int *wait_s)
{
	int result = st_guard_fail(st, "pickup", &st_guard_pickup, now, wait_s);
	if (result == KIOSK_EDENIED || result == KIOSK_ELOCKED) {
		cJSON *d = cJSON_CreateObject();
		cJSON_AddBoolToObject(d, "locked", result == KIOSK_ELOCKED);
		int rc = st_record(st, "resident", "pickup.wrong_code", "kiosk", d, NULL, NULL);
		cJSON_Delete(d);
		if (rc)
			return rc;
	}
	return result;
}

static int valid_code(const char *c)
{
	if (!c || strlen(c) != 8)
		return 0;
	for (int i = 0; i < 8; i++)
		if (c[i] < '0' || c[i] > '9')
			return 0;
	return 1;
}

int kiosk_pickup_check(struct kiosk_store *st, const char *code, struct kiosk_pickup *out,
		       int *wait_s)
{
	uint8_t h[32];
	int dummy;
	if (!wait_s)
		wait_s = &dummy;
	*wait_s = 0;
	if (!out)
		return KIOSK_EINVAL;
	memset(out, 0, sizeof *out);
	int rc = st_begin(st);
	if (rc)
		return rc;
	int64_t now = st->now();
	rc = st_guard_check(st, "pickup", now, wait_s);
	if (rc) {
		st_rollback(st);
		return rc;
	}
	bool wrong = !valid_code(code); /* a malformed code counts as a wrong one */
	if (!wrong) {
		st_keyed(st, "code", code, h);
		/* The index finds the row by HMAC; the HMAC is compared again in constant time
		 * so the answer's timing says nothing about how close a guess was. */
		sqlite3_stmt *s = st_q(st,
				       "SELECT id, compartment, phone_last4, deposited_ms,"
				       " fee_paid_fen, code_hmac FROM parcel WHERE code_hmac = ?"
				       " AND active AND state IN ('deposited','expired')",
				       "b", h, 32);
		int step = s ? st_step(st, s) : KIOSK_EDB;
		int match = step == 1 && sqlite3_column_bytes(s, 5) == 32 &&
			    kiosk_ct_equal(sqlite3_column_blob(s, 5), h, 32);
		if (match) {
			st_col_text(s, 0, out->parcel, sizeof out->parcel);
			st_col_text(s, 1, out->compartment, sizeof out->compartment);
			char last4[8];
			st_col_text(s, 2, last4, sizeof last4);
			snprintf(out->phone_masked, sizeof out->phone_masked, "*******%s", last4);
			out->fee_fen = fee_due(st, sqlite3_column_int64(s, 3), now);
			out->stored_ms = now - sqlite3_column_int64(s, 3);
			out->fee_paid_fen = sqlite3_column_int64(s, 4);
		}
		if (s)
			sqlite3_reset(s);
		kiosk_cleanse(h, sizeof h);
		if (step < 0) {
			st_rollback(st);
			return step;
		}
		wrong = !match;
	}
	/* Right or wrong, the answer needs a write that reaches the disk: with the disk full
	 * every code gets the same error (nobody can tell a right one from a wrong one), and
	 * a wrong one is still counted, in memory. */
	int result = wrong ? wrong_code(st, now, wait_s) : st_guard_touch(st, "pickup", now);
	rc = result == KIOSK_EDENIED || result == KIOSK_ELOCKED ? KIOSK_OK : result;
	if (rc == KIOSK_OK)
		rc = st_commit(st);
	else
		st_rollback(st);
	if (rc) {
		memset(out, 0, sizeof *out);
		if (wrong)
			st_guard_fail_mem(st, "pickup", &st_guard_pickup, now, wait_s);
		*wait_s = 0;
		return rc;
	}
	return result;
}

int kiosk_parcel_pay_fee(struct kiosk_store *st, const char *parcel, enum kiosk_pay_method m,
			 const char *ref, int64_t amount)
{
	struct parcel_row p;
	if (!kiosk_pay_method_name(m) || amount <= 0 || (ref && strlen(ref) > 128))
		return KIOSK_EINVAL;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = st_parcel_in(st, parcel, "|deposited|expired|", &p);
	if (rc == KIOSK_OK && p.fee_paid + amount > fee_due(st, p.deposited, st->now()))
		rc = KIOSK_EINVAL; /* never take more than is owed */
	if (rc == KIOSK_OK)
		rc = st_do(st, "UPDATE parcel SET fee_paid_fen = fee_paid_fen + ? WHERE id = ?",
			   "it", amount, parcel);
	if (rc == KIOSK_OK)
		rc = st_record_payment(st, "parcel.fee_paid", parcel, m, ref, amount);
	TX_END(st, rc);
}

int st_record_payment(struct kiosk_store *st, const char *action, const char *parcel,
		      enum kiosk_pay_method m, const char *ref, int64_t amount)
{
	cJSON *d = cJSON_CreateObject();
	cJSON_AddNumberToObject(d, "amount_fen", (double)amount);
	cJSON_AddStringToObject(d, "method", kiosk_pay_method_name(m));
	if (ref)
		cJSON_AddStringToObject(d, "payment", ref);
	int rc = st_record(st, "resident", action, parcel, d, NULL, NULL);
	cJSON_Delete(d);
	return rc;
}

int kiosk_pickup_open(struct kiosk_store *st, const char *parcel, struct kiosk_door *door)
{
	struct parcel_row p;
	if (!door)
		return KIOSK_EINVAL;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = st_parcel_in(st, parcel, "|deposited|expired|", &p);
	if (rc == KIOSK_OK && p.fee_paid < fee_due(st, p.deposited, st->now()))
		rc = KIOSK_EUNPAID;
	if (rc == KIOSK_OK)
		rc = st_door_intent(st, p.comp, "pickup", parcel, "resident", door);
	TX_END(st, rc);
}

int kiosk_parcel_expire_due(struct kiosk_store *st)
{
	char ids[32][37];
	int total = 0, n;
	do {
		int rc = st_begin(st);
		if (rc)
			return rc;
		n = 0;
		sqlite3_stmt *s = st_q(st,
				       "SELECT id FROM parcel WHERE state = 'deposited' AND active AND"
				       " expires_ms <= ? LIMIT 32",
				       "i", st->now());
		if (!s) {
			st_rollback(st);
			return KIOSK_EDB;
		}
		while ((rc = st_step(st, s)) == 1 && n < 32)
			st_col_text(s, 0, ids[n++], 37);
		sqlite3_reset(s);
		for (int i = 0; rc == KIOSK_OK && i < n; i++) {
			rc = st_parcel_state(st, ids[i], "expired");
			if (rc == KIOSK_OK)
				rc = st_record(st, "kiosk", "parcel.expired", ids[i], NULL, NULL,
					       NULL);
		}
		if (rc) {
			st_rollback(st);
			return rc;
		}
		rc = st_commit(st);
		if (rc)
			return rc;
		total += n;
	} while (n == 32);
	return total;
}

int kiosk_parcel_next_expired(struct kiosk_store *st, char out[37])
{
	int rc = kiosk_parcel_expire_due(st);
	if (rc < 0)
		return rc;
	sqlite3_stmt *s = st_q(st,
			       "SELECT id FROM parcel WHERE state = 'expired' AND active ORDER BY expires_ms"
			       " LIMIT 1",
			       NULL);
	if (!s)
		return KIOSK_EDB;
	rc = st_step(st, s);
	if (rc == 1)
		st_col_text(s, 0, out, 37);
	sqlite3_reset(s);
	return rc == 1 ? KIOSK_OK : rc == 0 ? KIOSK_ENOENT : rc;
}

int kiosk_parcel_retrieve_open(struct kiosk_store *st, const char *courier, const char *parcel,
			       struct kiosk_door *door)
{
	struct parcel_row p;
	if (!door || !st_valid_id(courier, KIOSK_ID_MAX))
		return KIOSK_EINVAL;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = st_person_exists(st, courier, "courier", NULL);
	if (rc == KIOSK_OK)
		rc = st_parcel_in(st, parcel, "|expired|", &p);
	if (rc == KIOSK_OK)
		rc = st_do(st, "UPDATE parcel SET courier = ? WHERE id = ?", "tt", courier, parcel);
	if (rc == KIOSK_OK)
		rc = st_door_intent(st, p.comp, "retrieve", parcel, courier, door);
	TX_END(st, rc);
}
