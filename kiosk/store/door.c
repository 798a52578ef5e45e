/* Door operations, intent-first: the intent is recorded before the unlock frame goes on
 * the wire, its outcome after. What an outcome means for the parcel behind the door is the
 * rule of the flow that asked for it (its table of struct kiosk_door_rules, one row per
 * purpose); the store applies the move the rule names inside the outcome's transaction. */
#include "kiosk/store/locker_int.h"
#include "hal/base/error.h"

#include <stdio.h>
#include <string.h>

/* Inside a transaction: the door-opening intent, committed before the unlock frame. */
int st_door_intent(struct kiosk_store *st, const char *comp, const char *purpose,
		       const char *parcel, const char *actor, struct kiosk_door *door)
{
	struct kiosk_compartment c;
	int rc = kiosk_compartment_get(st, comp, &c);
	if (rc)
		return rc;
	/* Out of service, a door opens only for an operator who came to look. */
	if (strcmp(purpose, "inspect") != 0 &&
	    (strcmp(c.state, "faulty") == 0 || strcmp(c.state, "disabled") == 0 ||
	     strcmp(c.state, "unknown") == 0))
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

/* The compartment's most recent door operation: 1 and its purpose, state and end time,
 * 0 when it never had one, or a negative kiosk_err. */
int st_last_door_op(struct kiosk_store *st, const char *comp, char purpose[16],
			char state[12], int64_t *finished_ms)
{
	sqlite3_stmt *s = st_q(st,
			       "SELECT purpose, state, coalesce(finished_ms, 0) FROM door_op"
			       " WHERE compartment = ? ORDER BY id DESC LIMIT 1",
			       "t", comp);
	if (!s)
		return KIOSK_EDB;
	int rc = st_step(st, s);
	if (rc == 1) {
		st_col_text(s, 0, purpose, 16);
		st_col_text(s, 1, state, 12);
		*finished_ms = sqlite3_column_int64(s, 2);
	}
	sqlite3_reset(s);
	return rc;
}

/* ---- what an outcome does to the parcel: the moves a flow's rules name ---- */

/* Inside the outcome's transaction: the parcel behind a door that opened, moved on and
 * told. */
static int picked_up(struct kiosk_store *st, const struct parcel_row *p, const char *parcel,
		     const char *comp)
{
	int rc = st_parcel_state(st, parcel, "picked_up");
	if (rc == KIOSK_OK)
		rc = st_comp_state(st, comp, "free");
	if (rc)
		return rc;
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "parcel", parcel);
	cJSON_AddStringToObject(d, "compartment", comp);
	cJSON_AddNumberToObject(d, "fee_fen", (double)p->fee_paid);
	rc = st_record(st, "resident", "parcel.picked_up", parcel, NULL, "parcel.picked_up", d);
	cJSON_Delete(d);
	return rc;
}

/* A deposit that never went in gives up its parcel (and, when the door never opened, its
 * reserved compartment; a jammed one is faulty now and stays so). */
static int deposit_given_up(struct kiosk_store *st, const char *parcel, const char *comp,
			    bool release)
{
	int rc = st_parcel_state(st, parcel, "cancelled");
	if (rc == KIOSK_OK && release)
		rc = st_comp_release(st, comp);
	if (rc == KIOSK_OK)
		rc = st_record(st, "kiosk", "parcel.deposit_cancel", parcel, NULL, NULL, NULL);
	return rc;
}

/* A send that never went in keeps its parcel (another door may be tried) but not the
 * compartment. */
static int send_detached(struct kiosk_store *st, const char *parcel, const char *comp,
			 bool release)
{
	int rc = st_do(st, "UPDATE parcel SET compartment = NULL WHERE id = ?", "t", parcel);
	return rc || !release ? rc : st_comp_release(st, comp);
}

/* Inside the outcome's transaction: one move. */
static int apply(struct kiosk_store *st, enum kiosk_parcel_move m, const struct parcel_row *p,
		 const char *parcel, const char *comp)
{
	switch (m) {
	case KIOSK_MOVE_NONE:
		return KIOSK_OK;
	case KIOSK_MOVE_PICKED_UP:
		return picked_up(st, p, parcel, comp);
	case KIOSK_MOVE_SEND_DEPOSITING:
		return st_parcel_state(st, parcel, "send_depositing");
	case KIOSK_MOVE_DEPOSIT_CANCEL:
	case KIOSK_MOVE_DEPOSIT_CANCEL_RELEASE:
		return deposit_given_up(st, parcel, comp, m == KIOSK_MOVE_DEPOSIT_CANCEL_RELEASE);
	case KIOSK_MOVE_SEND_DETACH:
	case KIOSK_MOVE_SEND_DETACH_RELEASE:
		return send_detached(st, parcel, comp, m == KIOSK_MOVE_SEND_DETACH_RELEASE);
	}
	return KIOSK_EINVAL;
}

/* The asking flow's rule for purpose, or NULL (then nothing moves). */
static const struct kiosk_door_rules *rule_of(const struct kiosk_door_rules *rules,
					      const char *purpose)
{
	for (; rules && rules->purpose; rules++)
		if (strcmp(rules->purpose, purpose) == 0)
			return rules;
	return NULL;
}

/* What an outcome means for the parcel behind the door, by the asking flow's rule. The door
 * jammed: its compartment is faulty whatever the rule. It opened: the parcel moves only from
 * the states the rule names — if it moved on meanwhile, the outcome must not move it again
 * (nor free a compartment someone else now uses). */
static int parcel_outcome(struct kiosk_store *st, const struct kiosk_door_rules *rule,
			  enum kiosk_door_result r, const char *parcel, const char *comp)
{
	struct parcel_row p;
	int rc = r == KIOSK_DOOR_JAMMED ? st_comp_fault(st, comp, "jammed", "kiosk") : KIOSK_OK;
	enum kiosk_parcel_move m = !rule		     ? KIOSK_MOVE_NONE
				   : r == KIOSK_DOOR_OPENED  ? rule->opened
				   : r == KIOSK_DOOR_JAMMED  ? rule->jammed
				   : r == KIOSK_DOOR_NOT_SENT ? rule->not_sent
							      : KIOSK_MOVE_NONE;
	if (rc || !parcel[0] || (m == KIOSK_MOVE_NONE && r != KIOSK_DOOR_OPENED) || !rule)
		return rc;
	rc = st_parcel_load(st, parcel, &p);
	if (rc)
		return rc;
	char want[24];
	snprintf(want, sizeof want, "|%s|", p.state);
	if (r == KIOSK_DOOR_OPENED && rule->from && !strstr(rule->from, want))
		return st_record(st, "kiosk", "door.opened_unexpected", parcel, NULL, NULL, NULL);
	return apply(st, m, &p, parcel, comp);
}

int kiosk_door_outcome(struct kiosk_store *st, int64_t op, enum kiosk_door_result r,
		       const struct kiosk_door_rules *rules)
{
	char comp[KIOSK_ID_MAX], purpose[16], parcel[37], state[12];
	if (op <= 0 || (r != KIOSK_DOOR_OPENED && r != KIOSK_DOOR_JAMMED &&
			r != KIOSK_DOOR_UNKNOWN && r != KIOSK_DOOR_NOT_SENT))
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
	const char *outcome = r == KIOSK_DOOR_OPENED	 ? "opened"
			      : r == KIOSK_DOOR_JAMMED	 ? "jammed"
			      : r == KIOSK_DOOR_NOT_SENT ? "not_sent"
							 : "unknown";
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
	if (rc == KIOSK_OK && r == KIOSK_DOOR_UNKNOWN)
		rc = st_comp_lost(st, comp, "no reply to the door command");
	else if (rc == KIOSK_OK)
		rc = parcel_outcome(st, rule_of(rules, purpose), r, parcel, comp);
	TX_END(st, rc);
}

int kiosk_door_reopen_after_pickup(struct kiosk_store *st, const char *compartment,
				   struct kiosk_door *door)
{
	char purpose[16], state[12];
	int64_t finished = 0;
	if (!door)
		return KIOSK_EINVAL;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = st_last_door_op(st, compartment, purpose, state, &finished);
	int ok = rc == 1 && strcmp(purpose, "pickup") == 0 && strcmp(state, "opened") == 0 &&
		 st->now() - finished <= 5 * 60 * 1000;
	rc = rc < 0 ? rc : ok ? KIOSK_OK : KIOSK_EDENIED;
	if (rc == KIOSK_OK)
		rc = st_door_intent(st, compartment, "reopen", NULL, "resident", door);
	TX_END(st, rc);
}

int kiosk_door_alarm(struct kiosk_store *st, const char *compartment, bool forced, int seconds)
{
	struct kiosk_compartment c;
	if (seconds < 0)
		return KIOSK_EINVAL;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = kiosk_compartment_get(st, compartment, &c);
	if (rc == KIOSK_OK) {
		cJSON *d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "compartment", compartment);
		if (!forced)
			cJSON_AddNumberToObject(d, "seconds", seconds);
		rc = st_record(st, "kiosk", forced ? "door.forced" : "door.left_open", compartment,
			       d, forced ? "door.forced" : "door.left_open", d);
		cJSON_Delete(d);
	}
	TX_END(st, rc);
}

int kiosk_door_open_since(struct kiosk_store *st, const char *compartment, int64_t *ms)
{
	char purpose[16], state[12];
	int64_t finished = 0;
	int rc = st_last_door_op(st, compartment, purpose, state, &finished);
	*ms = rc == 1 && strcmp(state, "opened") == 0 ? st->now() - finished : -1;
	return rc < 0 ? rc : KIOSK_OK;
}
