/* Compartments, door operations (intent-first), delivery and send parcels, pickup codes. */
#include "kiosk/store/store_int.h"
#include "hal/clock.h"
#include "hal/error.h"
#include "hal/log.h"

#include <stdio.h>
#include <string.h>

#define HOUR_MS (3600LL * 1000)
#define RESERVE_MS (10LL * 60 * 1000)
#define GUARD_WINDOW_MS (10LL * 60 * 1000)
#define GUARD_FAILS 5
#define GUARD_BASE_MS (5LL * 60 * 1000)
#define GUARD_MAX_MS (60LL * 60 * 1000)

static const char *const sizes[] = {"S", "M", "L", "XL"};

const char *kiosk_size_name(enum kiosk_size s)
{
	return (unsigned)s < 4 ? sizes[s] : NULL;
}

int kiosk_size_parse(const char *s, enum kiosk_size *out)
{
	for (int i = 0; s && i < 4; i++) {
		if (strcmp(s, sizes[i]) == 0) {
			*out = (enum kiosk_size)i;
			return KIOSK_OK;
		}
	}
	return KIOSK_EINVAL;
}

/* Every write operation has the same shape: begin, work, commit or roll back. */
#define TX_END(st, rc)                                                                             \
	do {                                                                                       \
		if (rc) {                                                                          \
			st_rollback(st);                                                           \
			return rc;                                                                 \
		}                                                                                  \
		return st_commit(st);                                                              \
	} while (0)

int kiosk_compartment_add(struct kiosk_store *st, const char *id, int board, int lock,
			  enum kiosk_size size)
{
	if (!st_valid_id(id, KIOSK_ID_MAX) || board < 0 || board > 31 || lock < 0 || lock > 23 ||
	    !kiosk_size_name(size))
		return KIOSK_EINVAL;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = st_do(st, "INSERT INTO compartment(id, board, lock, size) VALUES(?,?,?,?)", "tddd", id,
		   board, lock, (int)size);
	if (rc == KIOSK_OK) {
		cJSON *d = cJSON_CreateObject();
		cJSON_AddNumberToObject(d, "board", board);
		cJSON_AddNumberToObject(d, "lock", lock);
		cJSON_AddStringToObject(d, "size", sizes[size]);
		rc = st_record(st, "config", "compartment.add", id, d, NULL, NULL);
		cJSON_Delete(d);
	}
	TX_END(st, rc);
}

int kiosk_compartment_get(struct kiosk_store *st, const char *id, struct kiosk_compartment *out)
{
	if (!st_valid_id(id, KIOSK_ID_MAX) || !out)
		return KIOSK_EINVAL;
	sqlite3_stmt *s =
		st_q(st, "SELECT state, board, lock, size FROM compartment WHERE id = ?", "t", id);
	if (!s)
		return KIOSK_EDB;
	int rc = st_step(st, s);
	if (rc == 1) {
		memset(out, 0, sizeof *out);
		snprintf(out->id, sizeof out->id, "%s", id);
		st_col_text(s, 0, out->state, sizeof out->state);
		out->board = sqlite3_column_int(s, 1);
		out->lock = sqlite3_column_int(s, 2);
		out->size = (enum kiosk_size)sqlite3_column_int(s, 3);
	}
	sqlite3_reset(s);
	return rc == 1 ? KIOSK_OK : rc == 0 ? KIOSK_ENOENT : rc;
}

int kiosk_compartment_free_counts(struct kiosk_store *st, int counts[4])
{
	memset(counts, 0, 4 * sizeof counts[0]);
	sqlite3_stmt *s = st_q(st,
			       "SELECT size, count(*) FROM compartment WHERE state = 'free'"
			       " GROUP BY size",
			       NULL);
	if (!s)
		return KIOSK_EDB;
	int rc;
	while ((rc = st_step(st, s)) == 1) {
		int sz = sqlite3_column_int(s, 0);
		if (sz >= 0 && sz < 4)
			counts[sz] = sqlite3_column_int(s, 1);
	}
	sqlite3_reset(s);
	return rc < 0 ? rc : KIOSK_OK;
}

static int has_active_parcel(struct kiosk_store *st, const char *comp, int64_t *n)
{
	return st_count(st, "SELECT count(*) FROM parcel WHERE compartment = ? AND active", comp, n);
}

static int set_comp_state(struct kiosk_store *st, const char *comp, const char *state)
{
	return st_do(st, "UPDATE compartment SET state = ?, reserved_until = NULL WHERE id = ?",
		     "tt", state, comp);
}

/* Inside a transaction: a locker.fault event and the compartment marked faulty. */
static int fault(struct kiosk_store *st, const char *comp, const char *what, const char *actor)
{
	int rc = set_comp_state(st, comp, "faulty");
	if (rc)
		return rc;
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "compartment", comp);
	cJSON_AddStringToObject(d, "fault", what);
	rc = st_record(st, actor, "compartment.fault", comp, d, "locker.fault", d);
	cJSON_Delete(d);
	return rc;
}

int kiosk_compartment_set(struct kiosk_store *st, const char *id, const char *state,
			  const char *by)
{
	struct kiosk_compartment c;
	int64_t inside = 0;
	if (!state || !st_valid_id(by, KIOSK_ID_MAX) ||
	    (strcmp(state, "disabled") && strcmp(state, "free") && strcmp(state, "faulty")))
		return KIOSK_EINVAL;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = kiosk_compartment_get(st, id, &c);
	if (rc == KIOSK_OK)
		rc = has_active_parcel(st, id, &inside);
	if (rc == KIOSK_OK && inside && strcmp(state, "faulty") != 0)
		rc = KIOSK_ESTATE; /* a parcel is inside: only a fault may be recorded */
	if (rc == KIOSK_OK && strcmp(state, "faulty") == 0) {
		rc = fault(st, id, "reported by operator", by);
	} else if (rc == KIOSK_OK) {
		cJSON *d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "from", c.state);
		cJSON_AddStringToObject(d, "to", state);
		rc = set_comp_state(st, id, state);
		if (rc == KIOSK_OK)
			rc = st_record(st, by, "compartment.set", id, d, NULL, NULL);
		cJSON_Delete(d);
	}
	TX_END(st, rc);
}

/* Inside a transaction: the smallest free compartment of at least `size`, reserved. */
static int allocate(struct kiosk_store *st, enum kiosk_size size, char comp[KIOSK_ID_MAX])
{
	sqlite3_stmt *s = st_q(st,
			       "SELECT id FROM compartment WHERE state = 'free' AND size >= ?"
			       " ORDER BY size, board, lock LIMIT 1",
			       "d", (int)size);
	if (!s)
		return KIOSK_EDB;
	int rc = st_step(st, s);
	if (rc == 1)
		st_col_text(s, 0, comp, KIOSK_ID_MAX);
	sqlite3_reset(s);
	if (rc <= 0)
		return rc == 0 ? KIOSK_ENOFREE : rc;
	return st_do(st,
		     "UPDATE compartment SET state = 'reserved', reserved_until = ? WHERE id = ?",
		     "it", st->now() + RESERVE_MS, comp);
}

/* Inside a transaction: the door-opening intent, committed before the unlock frame. */
static int door_intent(struct kiosk_store *st, const char *comp, const char *purpose,
		       const char *parcel, const char *actor, struct kiosk_door *door)
{
	struct kiosk_compartment c;
	int rc = kiosk_compartment_get(st, comp, &c);
	if (rc)
		return rc;
	if (strcmp(c.state, "faulty") == 0 || strcmp(c.state, "disabled") == 0 ||
	    strcmp(c.state, "unknown") == 0)
		return KIOSK_ESTATE;
	/* One door command per compartment at a time: a second intent while the first has no
	 * outcome would let a late "opened" act on whatever the compartment holds by then. */
	int64_t pending = 0;
	rc = st_count(st, "SELECT count(*) FROM door_op WHERE compartment = ? AND state = 'opening'",
		      comp, &pending);
	if (rc)
		return rc;
	if (pending)
		return KIOSK_EBUSY;
	rc = st_do(st,
		   "INSERT INTO door_op(compartment, purpose, parcel, state, created_ms)"
		   " VALUES(?,?,?,'opening',?)",
		   "ttti", comp, purpose, parcel, st->now());
	if (rc)
		return rc;
	memset(door, 0, sizeof *door);
	door->op = sqlite3_last_insert_rowid(st->db);
	snprintf(door->compartment, sizeof door->compartment, "%s", comp);
	door->board = c.board;
	door->lock = c.lock;
	cJSON *d = cJSON_CreateObject();
	cJSON_AddNumberToObject(d, "op", (double)door->op);
	cJSON_AddStringToObject(d, "purpose", purpose);
	rc = st_record(st, actor, "door.opening", comp, d, NULL, NULL);
	cJSON_Delete(d);
	return rc;
}

struct parcel_row {
	char state[16], kind[10], comp[KIOSK_ID_MAX], tracking[64], carrier[32], courier[64];
	char last4[8];
	int size;
	int64_t amount, fee_paid, deposited, expires;
};

static int parcel_load(struct kiosk_store *st, const char *id, struct parcel_row *p)
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

static int parcel_state(struct kiosk_store *st, const char *id, const char *state)
{
	return st_do(st, "UPDATE parcel SET state = ?, updated_ms = ? WHERE id = ?", "tit", state,
		     st->now(), id);
}

int kiosk_parcel_get(struct kiosk_store *st, const char *parcel, struct kiosk_parcel *out)
{
	struct parcel_row p;
	if (!out)
		return KIOSK_EINVAL;
	int rc = parcel_load(st, parcel, &p);
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

static int person_exists(struct kiosk_store *st, const char *id, const char *role,
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

static int valid_phone(const char *p)
{
	if (!p || strlen(p) != 11 || p[0] != '1')
		return 0;
	for (int i = 0; i < 11; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return 1;
}

/* Keyed hashes, domain-separated so a phone's HMAC can never equal a code's. */
static void keyed(struct kiosk_store *st, const char *domain, const char *v, uint8_t out[32])
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
	if (!parcel || !door || !st_valid_id(courier, KIOSK_ID_MAX) || !st_valid_id(tracking, 64) ||
	    !valid_phone(phone) || !kiosk_size_name(size))
		return KIOSK_EINVAL;
	parcel[0] = '\0';
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = person_exists(st, courier, "courier", NULL);
	int64_t dup = 0;
	if (rc == KIOSK_OK)
		rc = st_count(st, "SELECT count(*) FROM parcel WHERE tracking_no = ? AND active",
			      tracking, &dup);
	if (rc == KIOSK_OK && dup)
		rc = KIOSK_EEXIST;
	if (rc == KIOSK_OK)
		rc = allocate(st, size, comp);
	if (rc == KIOSK_OK)
		rc = kiosk_uuid(id);
	if (rc == KIOSK_OK) {
		int64_t now = st->now();
		keyed(st, "phone", phone, ph);
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
		rc = door_intent(st, comp, "deposit", id, courier, door);
	if (rc) {
		st_rollback(st);
		return rc;
	}
	rc = st_commit(st);
	if (rc == KIOSK_OK)
		memcpy(parcel, id, 37);
	return rc;
}

/* The last door operation for a parcel and purpose must have opened. */
static int door_opened_for(struct kiosk_store *st, const char *parcel, const char *purpose)
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
static int make_code(char code[9])
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

int kiosk_parcel_deposit_commit(struct kiosk_store *st, const char *parcel, char code[9])
{
	struct parcel_row p;
	uint8_t h[32];
	if (!code)
		return KIOSK_EINVAL;
	code[0] = '\0';
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = parcel_load(st, parcel, &p);
	if (rc == KIOSK_OK && (strcmp(p.kind, "delivery") || strcmp(p.state, "depositing")))
		rc = KIOSK_ESTATE;
	if (rc == KIOSK_OK)
		rc = door_opened_for(st, parcel, "deposit");
	int64_t now = st->now(), expires = now + (int64_t)st->keep_days * 24 * HOUR_MS;
	/* Unique among active parcels: the index refuses a clash, and we draw again. */
	for (int tries = 0; rc == KIOSK_OK && tries < 8; tries++) {
		rc = make_code(code);
		if (rc)
			break;
		keyed(st, "code", code, h);
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
		rc = set_comp_state(st, p.comp, "occupied");
	if (rc == KIOSK_OK) {
		char at[32];
		kiosk_format_utc(expires, at, sizeof at);
		cJSON *d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "parcel", parcel);
		cJSON_AddStringToObject(d, "tracking_no", p.tracking);
		cJSON_AddStringToObject(d, "compartment", p.comp);
		cJSON_AddStringToObject(d, "size", sizes[p.size & 3]);
		cJSON_AddStringToObject(d, "courier", p.courier);
		cJSON_AddStringToObject(d, "phone_last4", p.last4);
		cJSON_AddStringToObject(d, "pickup_code", code); /* for the platform's SMS only */
		cJSON_AddStringToObject(d, "expires_at", at);
		rc = st_record(st, p.courier, "parcel.deposited", parcel, NULL, "parcel.deposited",
			       d);
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
	rc = parcel_load(st, parcel, &p);
	if (rc == KIOSK_OK && strcmp(p.state, "depositing") != 0)
		rc = KIOSK_ESTATE;
	if (rc == KIOSK_OK)
		rc = parcel_state(st, parcel, "cancelled");
	if (rc == KIOSK_OK)
		rc = st_do(st,
			   "UPDATE compartment SET state = 'free', reserved_until = NULL"
			   " WHERE id = ? AND state = 'reserved'",
			   "t", p.comp);
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

/* Wrong-code lockout, per kiosk. Returns KIOSK_ELOCKED with *wait_s while locked. */
static int guard_check(struct kiosk_store *st, int64_t now, int *wait_s)
{
	int64_t until = 0;
	int rc = st_count(st, "SELECT locked_until FROM guard WHERE name = ?", "pickup", &until);
	if (rc)
		return rc;
	if (until > now) {
		*wait_s = (int)((until - now + 999) / 1000);
		return KIOSK_ELOCKED;
	}
	return KIOSK_OK;
}

static int guard_fail(struct kiosk_store *st, int64_t now, int *wait_s)
{
	int64_t fails = 0, start = 0, level = 0, until = 0;
	sqlite3_stmt *s = st_q(st,
			       "SELECT fails, window_start, level, locked_until FROM guard"
			       " WHERE name = 'pickup'",
			       NULL);
	if (!s)
		return KIOSK_EDB;
	int rc = st_step(st, s);
	if (rc == 1) {
		fails = sqlite3_column_int64(s, 0);
		start = sqlite3_column_int64(s, 1);
		level = sqlite3_column_int64(s, 2);
		until = sqlite3_column_int64(s, 3);
	}
	sqlite3_reset(s);
	if (rc < 0)
		return rc;
	if (now - start > GUARD_WINDOW_MS) {
		fails = 0;
		start = now;
	}
	if (until && now - until > 24 * HOUR_MS)
		level = 0; /* a quiet day forgives earlier lockouts */
	int result = KIOSK_EDENIED;
	*wait_s = 0;
	if (++fails >= GUARD_FAILS) {
		int64_t lock = GUARD_BASE_MS << (level < 4 ? level : 4);
		if (lock > GUARD_MAX_MS)
			lock = GUARD_MAX_MS;
		level++;
		until = now + lock;
		fails = 0;
		start = now;
		*wait_s = (int)(lock / 1000);
		result = KIOSK_ELOCKED;
	}
	rc = st_do(st,
		   "INSERT INTO guard(name, fails, window_start, locked_until, level)"
		   " VALUES('pickup', ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET"
		   " fails = excluded.fails, window_start = excluded.window_start,"
		   " locked_until = excluded.locked_until, level = excluded.level",
		   "iiii", fails, start, until, level);
	if (rc == KIOSK_OK) {
		cJSON *d = cJSON_CreateObject();
		cJSON_AddBoolToObject(d, "locked", result == KIOSK_ELOCKED);
		rc = st_record(st, "resident", "pickup.wrong_code", "kiosk", d, NULL, NULL);
		cJSON_Delete(d);
	}
	return rc ? rc : result;
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
	rc = guard_check(st, now, wait_s);
	if (rc) {
		st_rollback(st);
		return rc;
	}
	if (!valid_code(code)) {
		/* A malformed code counts as a wrong one: same answer, same lockout. */
		rc = guard_fail(st, now, wait_s);
		goto out_commit;
	}
	keyed(st, "code", code, h);
	/* The index finds the row by HMAC; the HMAC is compared again in constant time so
	 * the answer's timing says nothing about how close a guess was. */
	sqlite3_stmt *s = st_q(st,
			       "SELECT id, compartment, phone_last4, deposited_ms, fee_paid_fen,"
			       " code_hmac FROM parcel WHERE code_hmac = ? AND state IN"
			       " ('deposited','expired')",
			       "b", h, 32);
	if (!s) {
		rc = KIOSK_EDB;
		goto out_commit;
	}
	int step = st_step(st, s);
	int match = step == 1 && sqlite3_column_bytes(s, 5) == 32 &&
		    kiosk_ct_equal(sqlite3_column_blob(s, 5), h, 32);
	if (match) {
		st_col_text(s, 0, out->parcel, sizeof out->parcel);
		st_col_text(s, 1, out->compartment, sizeof out->compartment);
		char last4[8];
		st_col_text(s, 2, last4, sizeof last4);
		snprintf(out->phone_masked, sizeof out->phone_masked, "*******%s", last4);
		out->fee_fen = fee_due(st, sqlite3_column_int64(s, 3), now);
		out->fee_paid_fen = sqlite3_column_int64(s, 4);
	}
	sqlite3_reset(s);
	kiosk_cleanse(h, sizeof h);
	if (step < 0)
		rc = step;
	else if (!match)
		rc = guard_fail(st, now, wait_s);
out_commit:
	if (rc == KIOSK_EDENIED || rc == KIOSK_ELOCKED) {
		/* The refusal itself is state (the lockout counter): commit it. */
		int c = st_commit(st);
		return c ? c : rc;
	}
	if (rc) {
		st_rollback(st);
		return rc;
	}
	st_rollback(st); /* a read: nothing to keep */
	return KIOSK_OK;
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
	rc = parcel_load(st, parcel, &p);
	if (rc == KIOSK_OK && strcmp(p.state, "deposited") && strcmp(p.state, "expired"))
		rc = KIOSK_ESTATE;
	if (rc == KIOSK_OK && p.fee_paid + amount > fee_due(st, p.deposited, st->now()))
		rc = KIOSK_EINVAL; /* never take more than is owed */
	if (rc == KIOSK_OK)
		rc = st_do(st, "UPDATE parcel SET fee_paid_fen = fee_paid_fen + ? WHERE id = ?",
			   "it", amount, parcel);
	if (rc == KIOSK_OK) {
		cJSON *d = cJSON_CreateObject();
		cJSON_AddNumberToObject(d, "amount_fen", (double)amount);
		cJSON_AddStringToObject(d, "method", kiosk_pay_method_name(m));
		if (ref)
			cJSON_AddStringToObject(d, "payment", ref);
		rc = st_record(st, "resident", "parcel.fee_paid", parcel, d, NULL, NULL);
		cJSON_Delete(d);
	}
	TX_END(st, rc);
}

int kiosk_pickup_open(struct kiosk_store *st, const char *parcel, struct kiosk_door *door)
{
	struct parcel_row p;
	if (!door)
		return KIOSK_EINVAL;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = parcel_load(st, parcel, &p);
	if (rc == KIOSK_OK && strcmp(p.state, "deposited") && strcmp(p.state, "expired"))
		rc = KIOSK_ESTATE;
	if (rc == KIOSK_OK && p.fee_paid < fee_due(st, p.deposited, st->now()))
		rc = KIOSK_EUNPAID;
	if (rc == KIOSK_OK)
		rc = door_intent(st, p.comp, "pickup", parcel, "resident", door);
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
				       "SELECT id FROM parcel WHERE state = 'deposited' AND"
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
			rc = parcel_state(st, ids[i], "expired");
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

int kiosk_parcel_retrieve_open(struct kiosk_store *st, const char *courier, const char *parcel,
			       struct kiosk_door *door)
{
	struct parcel_row p;
	if (!door || !st_valid_id(courier, KIOSK_ID_MAX))
		return KIOSK_EINVAL;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = person_exists(st, courier, "courier", NULL);
	if (rc == KIOSK_OK)
		rc = parcel_load(st, parcel, &p);
	if (rc == KIOSK_OK && strcmp(p.state, "expired") != 0)
		rc = KIOSK_ESTATE;
	if (rc == KIOSK_OK)
		rc = st_do(st, "UPDATE parcel SET courier = ? WHERE id = ?", "tt", courier, parcel);
	if (rc == KIOSK_OK)
		rc = door_intent(st, p.comp, "retrieve", parcel, courier, door);
	TX_END(st, rc);
}

int kiosk_send_create(struct kiosk_store *st, const char *carrier, enum kiosk_size size,
		      int64_t amount_fen, char parcel[37])
{
	char comp[KIOSK_ID_MAX], id[37];
	if (!parcel || !st_valid_id(carrier, 32) || !kiosk_size_name(size) || amount_fen <= 0)
		return KIOSK_EINVAL;
	parcel[0] = '\0';
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = allocate(st, size, comp);
	if (rc == KIOSK_OK)
		rc = kiosk_uuid(id);
	if (rc == KIOSK_OK) {
		int64_t now = st->now();
		rc = st_do(st,
			   "INSERT INTO parcel(id, kind, state, compartment, size, carrier,"
			   " amount_fen, created_ms, updated_ms)"
			   " VALUES(?, 'send', 'send_created', ?, ?, ?, ?, ?, ?)",
			   "ttdtiii", id, comp, (int)size, carrier, amount_fen, now, now);
	}
	if (rc == KIOSK_OK)
		rc = st_record(st, "resident", "send.create", id, NULL, NULL, NULL);
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
	rc = parcel_load(st, parcel, &p);
	if (rc == KIOSK_OK && strcmp(p.state, "send_created") != 0)
		rc = KIOSK_ESTATE;
	if (rc == KIOSK_OK && amount != p.amount)
		rc = KIOSK_EINVAL;
	if (rc == KIOSK_OK)
		rc = parcel_state(st, parcel, "send_paid");
	/* Paid: the reservation no longer expires. */
	if (rc == KIOSK_OK && p.comp[0])
		rc = st_do(st, "UPDATE compartment SET reserved_until = NULL WHERE id = ?", "t",
			   p.comp);
	if (rc == KIOSK_OK) {
		cJSON *d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "method", kiosk_pay_method_name(m));
		cJSON_AddNumberToObject(d, "amount_fen", (double)amount);
		rc = st_record(st, "resident", "send.paid", parcel, d, NULL, NULL);
		cJSON_Delete(d);
	}
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
	rc = parcel_load(st, parcel, &p);
	if (rc == KIOSK_OK && strcmp(p.state, "send_paid") != 0)
		rc = KIOSK_ESTATE;
	/* Its compartment jammed earlier: take another one of the same size. */
	if (rc == KIOSK_OK && !p.comp[0]) {
		rc = allocate(st, (enum kiosk_size)p.size, p.comp);
		if (rc == KIOSK_OK)
			rc = st_do(st, "UPDATE parcel SET compartment = ? WHERE id = ?", "tt",
				   p.comp, parcel);
	}
	if (rc == KIOSK_OK)
		rc = door_intent(st, p.comp, "send_deposit", parcel, "resident", door);
	TX_END(st, rc);
}

int kiosk_send_deposited(struct kiosk_store *st, const char *parcel)
{
	struct parcel_row p;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = parcel_load(st, parcel, &p);
	if (rc == KIOSK_OK && strcmp(p.state, "send_depositing") != 0)
		rc = KIOSK_ESTATE;
	if (rc == KIOSK_OK)
		rc = parcel_state(st, parcel, "send_deposited");
	if (rc == KIOSK_OK)
		rc = set_comp_state(st, p.comp, "occupied");
	if (rc == KIOSK_OK) {
		cJSON *d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "parcel", parcel);
		cJSON_AddStringToObject(d, "carrier", p.carrier);
		cJSON_AddStringToObject(d, "compartment", p.comp);
		cJSON_AddNumberToObject(d, "amount_fen", (double)p.amount);
		rc = st_record(st, "resident", "send.deposited", parcel, NULL,
			       "parcel.send_requested", d);
		cJSON_Delete(d);
	}
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
	rc = person_exists(st, courier, "courier", company);
	if (rc == KIOSK_OK)
		rc = parcel_load(st, parcel, &p);
	if (rc == KIOSK_OK && strcmp(p.state, "send_deposited") != 0)
		rc = KIOSK_ESTATE;
	if (rc == KIOSK_OK && strcmp(company, p.carrier) != 0)
		rc = KIOSK_EDENIED; /* another carrier's courier */
	if (rc == KIOSK_OK)
		rc = st_do(st, "UPDATE parcel SET courier = ? WHERE id = ?", "tt", courier, parcel);
	if (rc == KIOSK_OK)
		rc = door_intent(st, p.comp, "collect", parcel, courier, door);
	TX_END(st, rc);
}

/* What an opened door means for its parcel, by purpose. */
static int door_opened(struct kiosk_store *st, const char *purpose, const char *parcel,
		       const char *comp)
{
	static const struct {
		const char *purpose, *states;
	} expect[] = {{"pickup", "|deposited|expired|"},
		      {"retrieve", "|expired|"},
		      {"collect", "|send_deposited|"},
		      {"send_deposit", "|send_paid|"},
		      {"deposit", "|depositing|"}};
	struct parcel_row p;
	int rc = parcel[0] ? parcel_load(st, parcel, &p) : KIOSK_OK;
	if (rc || !parcel[0])
		return rc;
	/* The door did open, and that is recorded; but if the parcel moved on meanwhile, the
	 * outcome must not move it again (nor free a compartment someone else now uses). */
	char want[24];
	snprintf(want, sizeof want, "|%s|", p.state);
	for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++)
		if (strcmp(expect[i].purpose, purpose) == 0 && !strstr(expect[i].states, want))
			return st_record(st, "kiosk", "door.opened_unexpected", parcel, NULL, NULL,
					 NULL);
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "parcel", parcel);
	if (strcmp(purpose, "pickup") == 0) {
		cJSON_AddStringToObject(d, "compartment", comp);
		cJSON_AddNumberToObject(d, "fee_fen", (double)p.fee_paid);
		rc = parcel_state(st, parcel, "picked_up");
		if (rc == KIOSK_OK)
			rc = set_comp_state(st, comp, "free");
		if (rc == KIOSK_OK)
			rc = st_do(st, "UPDATE guard SET level = 0 WHERE name = 'pickup'", NULL);
		if (rc == KIOSK_OK)
			rc = st_record(st, "resident", "parcel.picked_up", parcel, NULL,
				       "parcel.picked_up", d);
	} else if (strcmp(purpose, "retrieve") == 0) {
		cJSON_AddStringToObject(d, "courier", p.courier);
		rc = parcel_state(st, parcel, "retrieved");
		if (rc == KIOSK_OK)
			rc = set_comp_state(st, comp, "free");
		if (rc == KIOSK_OK)
			rc = st_record(st, p.courier, "parcel.retrieved", parcel, NULL,
				       "parcel.expired_retrieved", d);
	} else if (strcmp(purpose, "collect") == 0) {
		rc = parcel_state(st, parcel, "collected");
		if (rc == KIOSK_OK)
			rc = set_comp_state(st, comp, "free");
		if (rc == KIOSK_OK)
			rc = st_record(st, p.courier, "parcel.collected", parcel, NULL, NULL, NULL);
	} else if (strcmp(purpose, "send_deposit") == 0) {
		rc = parcel_state(st, parcel, "send_depositing");
	}
	/* "deposit": the parcel stays depositing until the courier closes the door. */
	cJSON_Delete(d);
	return rc;
}

/* What a jammed door means: the compartment is faulty; a parcel not yet inside moves on. */
static int door_jammed(struct kiosk_store *st, const char *purpose, const char *parcel,
		       const char *comp)
{
	int rc = fault(st, comp, "jammed", "kiosk");
	if (rc || !parcel[0])
		return rc;
	if (strcmp(purpose, "deposit") == 0) {
		rc = parcel_state(st, parcel, "cancelled");
		if (rc == KIOSK_OK)
			rc = st_record(st, "kiosk", "parcel.deposit_cancel", parcel, NULL, NULL,
				       NULL);
	} else if (strcmp(purpose, "send_deposit") == 0) {
		rc = st_do(st, "UPDATE parcel SET compartment = NULL WHERE id = ?", "t", parcel);
	}
	return rc;
}

int kiosk_door_result(struct kiosk_store *st, int64_t op, enum kiosk_door_result r)
{
	char comp[KIOSK_ID_MAX], purpose[16], parcel[37], state[12];
	if (op <= 0 || (r != KIOSK_DOOR_OPENED && r != KIOSK_DOOR_JAMMED))
		return KIOSK_EINVAL;
	int rc = st_begin(st);
	if (rc)
		return rc;
	sqlite3_stmt *s = st_q(st,
			       "SELECT compartment, purpose, coalesce(parcel, ''), state FROM door_op"
			       " WHERE id = ?",
			       "i", op);
	rc = s ? st_step(st, s) : KIOSK_EDB;
	if (rc == 1) {
		st_col_text(s, 0, comp, sizeof comp);
		st_col_text(s, 1, purpose, sizeof purpose);
		st_col_text(s, 2, parcel, sizeof parcel);
		st_col_text(s, 3, state, sizeof state);
		rc = strcmp(state, "opening") == 0 ? KIOSK_OK : KIOSK_ESTATE;
	} else if (rc == 0) {
		rc = KIOSK_ENOENT;
	}
	if (s)
		sqlite3_reset(s);
	const char *outcome = r == KIOSK_DOOR_OPENED ? "opened" : "jammed";
	if (rc == KIOSK_OK)
		rc = st_do(st, "UPDATE door_op SET state = ?, finished_ms = ? WHERE id = ?", "tii",
			   outcome, st->now(), op);
	if (rc == KIOSK_OK) {
		cJSON *d = cJSON_CreateObject();
		cJSON_AddNumberToObject(d, "op", (double)op);
		cJSON_AddStringToObject(d, "outcome", outcome);
		rc = st_record(st, "kiosk", "door.result", comp, d, NULL, NULL);
		cJSON_Delete(d);
	}
	if (rc == KIOSK_OK)
		rc = r == KIOSK_DOOR_OPENED ? door_opened(st, purpose, parcel, comp)
					    : door_jammed(st, purpose, parcel, comp);
	TX_END(st, rc);
}

/* Recovery: doors with an intent and no outcome become unknown — never re-fired; and
 * unpaid send reservations past their time are released. Inside open's transaction. */
int st_locker_recover(struct kiosk_store *st);

int st_locker_recover(struct kiosk_store *st)
{
	char comps[64][KIOSK_ID_MAX];
	int64_t ops[64];
	int n = 0, rc;
	sqlite3_stmt *s = st_q(st, "SELECT id, compartment FROM door_op WHERE state = 'opening'"
				   " LIMIT 64", NULL);
	if (!s)
		return KIOSK_EDB;
	while ((rc = st_step(st, s)) == 1 && n < 64) {
		ops[n] = sqlite3_column_int64(s, 0);
		st_col_text(s, 1, comps[n], KIOSK_ID_MAX);
		n++;
	}
	sqlite3_reset(s);
	if (rc < 0)
		return rc;
	for (int i = 0; i < n; i++) {
		rc = st_do(st, "UPDATE door_op SET state = 'unknown' WHERE id = ?", "i", ops[i]);
		if (rc == KIOSK_OK)
			rc = set_comp_state(st, comps[i], "unknown");
		if (rc == KIOSK_OK) {
			cJSON *d = cJSON_CreateObject();
			cJSON_AddStringToObject(d, "compartment", comps[i]);
			cJSON_AddStringToObject(d, "fault", "door state unknown after restart");
			rc = st_record(st, "recovery", "door.unknown", comps[i], d, "locker.fault",
				       d);
			cJSON_Delete(d);
		}
		if (rc)
			return rc;
		st->rec.doors_unknown++;
	}
	/* Unpaid send reservations that ran out. */
	char ids[64][37];
	n = 0;
	s = st_q(st,
		 "SELECT p.id, p.compartment FROM parcel p JOIN compartment c ON c.id = p.compartment"
		 " WHERE p.state = 'send_created' AND c.reserved_until < ? LIMIT 64",
		 "i", st->now());
	if (!s)
		return KIOSK_EDB;
	while ((rc = st_step(st, s)) == 1 && n < 64) {
		st_col_text(s, 0, ids[n], 37);
		st_col_text(s, 1, comps[n], KIOSK_ID_MAX);
		n++;
	}
	sqlite3_reset(s);
	if (rc < 0)
		return rc;
	for (int i = 0; i < n; i++) {
		rc = parcel_state(st, ids[i], "cancelled");
		if (rc == KIOSK_OK)
			rc = set_comp_state(st, comps[i], "free");
		if (rc == KIOSK_OK)
			rc = st_record(st, "recovery", "send.expired", ids[i], NULL, NULL, NULL);
		if (rc)
			return rc;
		st->rec.reservations_released++;
	}
	return KIOSK_OK;
}
