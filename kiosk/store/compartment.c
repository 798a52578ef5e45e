/* Compartments: the bank as the store keeps it, what the operator does to a compartment,
 * and what the door monitor finds. Door operations are in door.c. */
#include "kiosk/store/locker_int.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <string.h>

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


int kiosk_compartment_add(struct kiosk_store *st, const char *id, int board, int lock,
			  enum kiosk_size size)
{
	if (!st_valid_id(id, KIOSK_ID_MAX) || board < 0 || board > 31 || lock < 1 || lock > 24 ||
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
		st_q(st, "SELECT state, board, lock, size, item FROM compartment WHERE id = ?", "t",
		     id);
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
		out->item = sqlite3_column_int(s, 4) != 0;
	}
	sqlite3_reset(s);
	return rc == 1 ? KIOSK_OK : rc == 0 ? KIOSK_ENOENT : rc;
}

int kiosk_compartment_free_counts(struct kiosk_store *st, int counts[4])
{
	memset(counts, 0, 4 * sizeof counts[0]);
	sqlite3_stmt *s = st_q(st,
			       "SELECT size, count(*) FROM compartment WHERE state = 'free'"
			       " AND item = 0 GROUP BY size",
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

int st_comp_state(struct kiosk_store *st, const char *comp, const char *state)
{
	return st_do(st, "UPDATE compartment SET state = ?, reserved_until = NULL WHERE id = ?",
		     "tt", state, comp);
}

int st_comp_release(struct kiosk_store *st, const char *comp)
{
	if (!comp[0])
		return KIOSK_OK;
	return st_do(st,
		     "UPDATE compartment SET state = 'free', reserved_until = NULL"
		     " WHERE id = ? AND state = 'reserved'",
		     "t", comp);
}

/* Inside a transaction: the compartment's state is unknown now (locker.fault). */
int st_comp_lost(struct kiosk_store *st, const char *comp, const char *why)
{
	int rc = st_comp_state(st, comp, "unknown");
	if (rc)
		return rc;
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "compartment", comp);
	cJSON_AddStringToObject(d, "fault", why);
	rc = st_record(st, "kiosk", "compartment.unknown", comp, d, "locker.fault", d);
	cJSON_Delete(d);
	return rc;
}

/* Inside a transaction: a locker.fault event and the compartment marked faulty. */
int st_comp_fault(struct kiosk_store *st, const char *comp, const char *what, const char *actor)
{
	int rc = st_comp_state(st, comp, "faulty");
	if (rc)
		return rc;
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "compartment", comp);
	cJSON_AddStringToObject(d, "fault", what);
	rc = st_record(st, actor, "compartment.fault", comp, d, "locker.fault", d);
	cJSON_Delete(d);
	return rc;
}

/* Inside a transaction: what a compartment holds, by its parcel. settled = a parcel is in
 * it (deposited, expired, a deposited send); otherwise in_flight (37 bytes) gets the id of
 * a parcel still on its way in ("" when none) and paid whether money was taken for it. */
static int holds(struct kiosk_store *st, const char *comp, bool *settled, char in_flight[37],
		 bool *paid)
{
	*settled = *paid = false;
	in_flight[0] = '\0';
	sqlite3_stmt *s = st_q(st,
			       "SELECT id, state IN ('deposited','expired','send_deposited'),"
			       " state <> 'send_created' AND amount_fen > 0"
			       " FROM parcel WHERE compartment = ? AND active LIMIT 1",
			       "t", comp);
	if (!s)
		return KIOSK_EDB;
	int rc = st_step(st, s);
	if (rc == 1) {
		*settled = sqlite3_column_int(s, 1) != 0;
		*paid = sqlite3_column_int(s, 2) != 0;
		if (!*settled)
			st_col_text(s, 0, in_flight, 37);
	}
	sqlite3_reset(s);
	return rc < 0 ? rc : KIOSK_OK;
}

/* Inside a transaction: an operator brings a faulty or unknown compartment back. A parcel
 * inside keeps it occupied; a deposit or send that was on its way in when the door was
 * lost died with it (nobody is at the screen for it any more) and is cancelled — unless
 * money was taken, which only a refund can settle. */
static int bring_back(struct kiosk_store *st, const char *comp, const char *by,
		      const char **to)
{
	bool settled, paid;
	char parcel[37];
	int rc = holds(st, comp, &settled, parcel, &paid);
	if (rc)
		return rc;
	*to = settled ? "occupied" : "free";
	if (!parcel[0])
		return KIOSK_OK;
	if (paid)
		return KIOSK_ESTATE;
	rc = st_parcel_state(st, parcel, "cancelled");
	if (rc == KIOSK_OK)
		rc = st_do(st, "UPDATE parcel SET compartment = NULL WHERE id = ?", "t", parcel);
	return rc ? rc : st_record(st, by, "parcel.abandoned", parcel, NULL, NULL, NULL);
}

/* Inside a transaction: may a parcel be inside a lost compartment? When its item sensor
 * saw something, or a deposit or send was on its way in when its door was lost (the door
 * may have opened and closed on it), enabling it blind could cancel that parcel and hand
 * the compartment to the next courier: KIOSK_ELOOK, with what is known in *look. */
static int needs_look(struct kiosk_store *st, const char *comp, struct kiosk_look *look)
{
	struct kiosk_compartment c;
	bool settled, paid;
	char parcel[37];
	int rc = kiosk_compartment_get(st, comp, &c);
	if (rc == KIOSK_OK)
		rc = holds(st, comp, &settled, parcel, &paid);
	if (rc)
		return rc;
	if (look) {
		memset(look, 0, sizeof *look);
		look->item = c.item;
		if (parcel[0]) {
			struct parcel_row p;
			if (st_parcel_load(st, parcel, &p) == KIOSK_OK)
				snprintf(look->tracking, sizeof look->tracking, "%s",
					 strcmp(p.kind, "delivery") == 0 ? p.tracking : parcel);
			look->in_flight = true;
		}
	}
	return (c.item && !settled) || parcel[0] ? KIOSK_ELOOK : KIOSK_OK;
}

int kiosk_compartment_look(struct kiosk_store *st, const char *id, struct kiosk_look *look)
{
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = needs_look(st, id, look);
	st_rollback(st); /* a read */
	return rc == KIOSK_ELOOK ? KIOSK_OK : rc;
}

int kiosk_compartment_resolve(struct kiosk_store *st, const char *id, const char *by, bool keep)
{
	struct kiosk_compartment c;
	struct kiosk_look look;
	if (!st_valid_id(by, KIOSK_ID_MAX))
		return KIOSK_EINVAL;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = kiosk_compartment_get(st, id, &c);
	if (rc == KIOSK_OK && strcmp(c.state, "faulty") && strcmp(c.state, "unknown"))
		rc = KIOSK_ESTATE;
	if (rc == KIOSK_OK) {
		rc = needs_look(st, id, &look);
		rc = rc == KIOSK_ELOOK ? KIOSK_OK : rc ? rc : KIOSK_ESTATE; /* nothing to decide */
	}
	bool settled = false, paid;
	char parcel[37] = "";
	if (rc == KIOSK_OK)
		rc = holds(st, id, &settled, parcel, &paid);
	if (rc == KIOSK_OK && keep) {
		/* The operator saw the parcel inside: it is deposited after all (its code goes
		 * out as for any deposit), or the send is in for its carrier. */
		struct parcel_row p;
		char code[9];
		rc = parcel[0] ? st_parcel_load(st, parcel, &p) : KIOSK_ESTATE;
		if (rc == KIOSK_OK && strcmp(p.kind, "delivery") == 0)
			rc = st_deposit_commit(st, parcel, by, true, code);
		else if (rc == KIOSK_OK)
			rc = st_send_deposited(st, by, parcel);
		kiosk_cleanse(code, sizeof code);
	} else if (rc == KIOSK_OK) {
		/* Empty, says the operator. The sensor, where there is one, must agree. */
		const char *to = "free";
		rc = c.item ? KIOSK_EITEM : bring_back(st, id, by, &to);
		if (rc == KIOSK_OK)
			rc = st_comp_state(st, id, to);
	}
	if (rc == KIOSK_OK) {
		cJSON *d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "from", c.state);
		cJSON_AddStringToObject(d, "found", keep ? "parcel inside" : "empty");
		rc = st_record(st, by, "compartment.resolved", id, d, NULL, NULL);
		cJSON_Delete(d);
	}
	TX_END(st, rc);
}

int kiosk_compartment_item(struct kiosk_store *st, const char *id, bool item)
{
	return st_do(st, "UPDATE compartment SET item = ? WHERE id = ? AND item <> ?", "dtd",
		     (int)item, id, (int)item);
}

/* An operator's door intent, in a transaction of its own. */
static int operator_intent(struct kiosk_store *st, const char *id, const char *purpose,
			   const char *by, struct kiosk_door *door)
{
	if (!door || !st_valid_id(by, KIOSK_ID_MAX))
		return KIOSK_EINVAL;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = st_door_intent(st, id, purpose, NULL, by, door);
	TX_END(st, rc);
}

int kiosk_compartment_inspect_intent(struct kiosk_store *st, const char *id, const char *by,
				     struct kiosk_door *door)
{
	return operator_intent(st, id, "inspect", by, door);
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
	bool lost_one = rc == KIOSK_OK && strcmp(state, "free") == 0 &&
			(strcmp(c.state, "faulty") == 0 || strcmp(c.state, "unknown") == 0);
	if (rc == KIOSK_OK && lost_one)
		rc = needs_look(st, id, NULL);
	if (rc == KIOSK_OK && lost_one)
		rc = bring_back(st, id, by, &state);
	else if (rc == KIOSK_OK)
		rc = has_active_parcel(st, id, &inside);
	if (rc == KIOSK_OK && !lost_one && !inside && strcmp(state, "free") == 0 && c.item)
		rc = KIOSK_EITEM; /* nothing should be in there, and something is */
	if (rc == KIOSK_OK && inside && strcmp(state, "faulty") != 0)
		rc = KIOSK_ESTATE; /* a parcel is inside: only a fault may be recorded */
	if (rc == KIOSK_OK && strcmp(state, "faulty") == 0) {
		rc = st_comp_fault(st, id, "reported by operator", by);
	} else if (rc == KIOSK_OK) {
		cJSON *d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "from", c.state);
		cJSON_AddStringToObject(d, "to", state);
		rc = st_comp_state(st, id, state);
		if (rc == KIOSK_OK)
			rc = st_record(st, by, "compartment.set", id, d, NULL, NULL);
		cJSON_Delete(d);
	}
	TX_END(st, rc);
}

/* Inside a transaction: the smallest free compartment of at least `size`, reserved. */
int st_comp_allocate(struct kiosk_store *st, enum kiosk_size size, char comp[KIOSK_ID_MAX])
{
	sqlite3_stmt *s = st_q(st,
			       "SELECT id FROM compartment WHERE state = 'free' AND item = 0"
			       " AND size >= ? ORDER BY size, board, lock LIMIT 1",
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

int kiosk_compartment_open_intent(struct kiosk_store *st, const char *id, const char *by,
				  struct kiosk_door *door)
{
	return operator_intent(st, id, "maintenance", by, door);
}

int kiosk_compartment_lost(struct kiosk_store *st, const char *compartment)
{
	struct kiosk_compartment c;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = kiosk_compartment_get(st, compartment, &c);
	/* Out of service already (unknown, faulty, disabled): it stays what the operator
	 * will find, and is not handed back when the board answers. */
	if (rc == KIOSK_OK && (strcmp(c.state, "free") == 0 || strcmp(c.state, "reserved") == 0 ||
			       strcmp(c.state, "occupied") == 0))
		rc = st_comp_lost(st, compartment, "board does not answer");
	TX_END(st, rc);
}

/* Inside a transaction: a door whose own command went unanswered (a crash, a silent
 * board) closed on the parcel that was on its way in, as its item sensor shows: the
 * deposit (or send) is completed as if its door had been seen. */
static int completed_by_sensor(struct kiosk_store *st, const char *comp, const char *parcel)
{
	struct parcel_row p;
	char code[9];
	int rc = st_parcel_load(st, parcel, &p);
	if (rc == KIOSK_OK && strcmp(p.kind, "delivery") == 0)
		rc = st_deposit_commit(st, parcel, "kiosk", true, code);
	else if (rc == KIOSK_OK)
		rc = st_send_deposited(st, "kiosk", parcel);
	kiosk_cleanse(code, sizeof code);
	if (rc == KIOSK_OK) {
		cJSON *d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "parcel", parcel);
		cJSON_AddStringToObject(d, "by", "item sensor");
		rc = st_record(st, "kiosk", "compartment.found", comp, d, NULL, NULL);
		cJSON_Delete(d);
	}
	if (rc == KIOSK_OK)
		KLOG_INFO("store", "event=deposit_completed_by_sensor compartment=%s", comp);
	return rc;
}

int kiosk_compartment_found(struct kiosk_store *st, const char *compartment,
			    const struct kiosk_reading *seen)
{
	struct kiosk_compartment c;
	char purpose[16], door[12] = "", parcel[37];
	int64_t finished = 0;
	bool settled, paid;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = kiosk_compartment_get(st, compartment, &c);
	if (rc || strcmp(c.state, "unknown") != 0)
		goto out_end;
	rc = st_last_door_op(st, compartment, purpose, door, &finished);
	bool in_doubt = rc == 1 && (strcmp(door, "unknown") == 0 || strcmp(door, "opening") == 0);
	bool inspected = rc == 1 && strcmp(purpose, "inspect") == 0;
	if (rc >= 0)
		rc = holds(st, compartment, &settled, parcel, &paid);
	if (rc < 0)
		goto out_end;
	bool sensed = seen && seen->sensor && !seen->open;
	/* An operator who opened it to look decides; and a parcel whose own door went
	 * unanswered keeps the doubt even after other doors of that compartment. */
	if (inspected)
		goto out_end;
	int64_t unanswered = 0;
	if (parcel[0] && (rc = st_count(st,
					"SELECT count(*) FROM door_op WHERE parcel = ?"
					" AND state = 'unknown'",
					parcel, &unanswered)) < 0)
		goto out_end;
	in_doubt = in_doubt || unanswered;
	if (in_doubt) {
		/* A door whose own command went unanswered may have opened: the operator's to
		 * check, whatever the board says now — unless its item sensor shows the parcel
		 * that was on its way in, behind a closed door. */
		if (sensed && seen->item && parcel[0] && strcmp(door, "unknown") == 0)
			rc = completed_by_sensor(st, compartment, parcel);
		goto out_end;
	}
	if (sensed && seen->item && !settled)
		goto out_end; /* something inside that no parcel explains: the operator looks */
	rc = st_comp_state(st, compartment,
			   settled ? "occupied" : parcel[0] ? "reserved" : "free");
	/* An unpaid send's hold lapses as it would have. */
	if (rc == KIOSK_OK && parcel[0])
		rc = st_do(st,
			   "UPDATE compartment SET reserved_until = ? WHERE id = ? AND EXISTS(SELECT 1"
			   " FROM parcel WHERE id = ? AND state = 'send_created')",
			   "itt", st->now() + RESERVE_MS, compartment, parcel);
	if (rc == KIOSK_OK)
		rc = st_record(st, "kiosk", "compartment.found", compartment, NULL, NULL, NULL);
out_end:
	rc = rc < 0 ? rc : KIOSK_OK;
	TX_END(st, rc);
}

int kiosk_compartment_each(struct kiosk_store *st,
			   int (*fn)(void *arg, const struct kiosk_compartment *c), void *arg)
{
	struct kiosk_compartment all[256];
	int n = 0, rc;
	sqlite3_stmt *s = st_q(st,
			       "SELECT id, state, board, lock, size, item FROM compartment"
			       " ORDER BY board, lock LIMIT 256",
			       NULL);
	if (!s)
		return KIOSK_EDB;
	/* Copied out first: fn may write to the store. */
	while ((rc = st_step(st, s)) == 1) {
		struct kiosk_compartment *c = &all[n++];
		st_col_text(s, 0, c->id, sizeof c->id);
		st_col_text(s, 1, c->state, sizeof c->state);
		c->board = sqlite3_column_int(s, 2);
		c->lock = sqlite3_column_int(s, 3);
		c->size = (enum kiosk_size)sqlite3_column_int(s, 4);
		c->item = sqlite3_column_int(s, 5) != 0;
	}
	sqlite3_reset(s);
	if (rc < 0)
		return rc;
	for (int i = 0; i < n; i++)
		if (fn(arg, &all[i]))
			break;
	return KIOSK_OK;
}

/* Inside a transaction: unpaid send reservations past their time are released. Returns
 * how many, or a negative kiosk_err. */
static int release_expired(struct kiosk_store *st)
{
	char comps[64][KIOSK_ID_MAX], ids[64][37];
	int n = 0, rc, total = 0;
	sqlite3_stmt *s = st_q(st,
		 "SELECT p.id, p.compartment FROM parcel p JOIN compartment c ON c.id = p.compartment"
		 " WHERE p.state = 'send_created' AND p.active AND c.reserved_until < ? LIMIT 64",
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
		rc = st_parcel_state(st, ids[i], "cancelled");
		if (rc == KIOSK_OK)
			rc = st_comp_state(st, comps[i], "free");
		if (rc == KIOSK_OK)
			rc = st_record(st, "kiosk", "send.expired", ids[i], NULL, NULL, NULL);
		if (rc)
			return rc;
		total++;
	}
	return total;
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
			rc = st_comp_state(st, comps[i], "unknown");
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
	rc = release_expired(st);
	if (rc < 0)
		return rc;
	st->rec.reservations_released = rc;
	rc = st_takeout_recover(st);
	if (rc < 0)
		return rc;
	st->rec.takeouts_assumed_out = rc;
	return KIOSK_OK;
}

int kiosk_compartment_release_expired(struct kiosk_store *st)
{
	int rc = st_begin(st);
	if (rc)
		return rc;
	int n = release_expired(st);
	if (n < 0) {
		st_rollback(st);
		return n;
	}
	rc = st_commit(st);
	return rc ? rc : n;
}
