/* The platform's changes, a page at a time: every change and the page's cursor in one
 * transaction (nested transactions are savepoints: the upserts the maintenance screens
 * use alone are reused here as they are). Server state wins for catalogue, prices,
 * services and credentials; the kiosk's own sales and parcels are never touched. */
#include "kiosk/store/store_int.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

static const char *const command_names[] = {"remote_unlock", "open_all_for_cleaning",
					    "disable_compartment", "set_message", "reboot"};

/* A command of this id ran (or was queued) before: at most once. */
static int command_seen(struct kiosk_store *st, const char *id, bool *seen)
{
	int64_t n = 0;
	int rc = st_count(st, "SELECT count(*) FROM command_done WHERE id = ?", id, &n);
	*seen = n > 0;
	return rc;
}

/* command.done in the outbox and the row that makes the command never run again. */
int st_command_done(struct kiosk_store *st, const char *id, const char *type,
		    const char *result)
{
	int rc = st_do(st,
		       "INSERT INTO command_done(id, type, result, at_ms) VALUES(?,?,?,?)"
		       " ON CONFLICT(id) DO UPDATE SET result = excluded.result,"
		       " at_ms = excluded.at_ms",
		       "ttti", id, type, result, st->now());
	if (rc)
		return rc;
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "command", id);
	cJSON_AddStringToObject(d, "result", result);
	rc = st_record(st, "platform", "command.done", id, d, "command.done", d);
	cJSON_Delete(d);
	return rc;
}

static int run_command(struct kiosk_store *st, const struct kiosk_change *c)
{
	bool seen;
	int rc = command_seen(st, c->id, &seen);
	if (rc || seen) {
		if (seen)
			KLOG_INFO("sync", "event=command_repeat id=%s (ran before)", c->id);
		return rc;
	}
	const char *type = command_names[c->u.command.type];
	switch (c->u.command.type) {
	case KIOSK_RC_DISABLE: {
		/* A compartment that cannot be disabled now (a parcel in it) is the command's
		 * result, not a reason to refuse the whole page. */
		int r = kiosk_compartment_set(st, c->u.command.compartment, "disabled", "platform");
		return st_command_done(st, c->id, type, r == KIOSK_OK ? "ok" : kiosk_errname(r));
	}
	case KIOSK_RC_SET_MESSAGE: {
		cJSON *m = cJSON_CreateObject();
		cJSON_AddStringToObject(m, "zh", c->u.command.text_zh);
		cJSON_AddStringToObject(m, "en", c->u.command.text_en);
		cJSON_AddNumberToObject(m, "until", (double)c->u.command.until_ms);
		char *t = cJSON_PrintUnformatted(m);
		cJSON_Delete(m);
		if (!t)
			return KIOSK_ENOMEM;
		rc = st_do(st,
			   "INSERT INTO sync_state(key, value) VALUES('message', ?)"
			   " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
			   "t", t);
		cJSON_free(t);
		return rc ? rc : st_command_done(st, c->id, type, "ok");
	}
	default:
		/* A door or a reboot: the core carries it out after this page is in. Recorded
		 * now, so a crash before it runs can never make it run twice. */
		rc = st_do(st,
			   "INSERT INTO command_done(id, type, result, at_ms) VALUES(?,?,'queued',?)",
			   "tti", c->id, type, st->now());
		if (rc == KIOSK_OK && c->u.command.compartment[0])
			rc = st_do(st,
				   "INSERT INTO sync_state(key, value) VALUES('cmdarg.' || ?, ?)"
				   " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
				   "tt", c->id, c->u.command.compartment);
		return rc;
	}
}

static int apply_one(struct kiosk_store *st, const struct kiosk_change *c)
{
	switch (c->kind) {
	case KIOSK_CH_PRODUCT:
		if (c->del) /* refused while a slot still sells it */
			return st_do(st, "DELETE FROM product WHERE id = ?", "t", c->id);
		return kiosk_product_upsert(st, &c->u.product);
	case KIOSK_CH_SLOT:
		if (c->del) /* stock and sales history stay: the slot stops selling */
			return st_do(st, "UPDATE slot SET enabled = 0 WHERE id = ?", "t", c->id);
		return kiosk_slot_upsert(st, &c->u.slot);
	case KIOSK_CH_PRICE: {
		struct kiosk_slot s;
		int rc = kiosk_slot_get(st, c->u.price.slot, &s);
		if (rc)
			return rc;
		s.price_fen = c->u.price.price_fen;
		return kiosk_slot_upsert(st, &s);
	}
	case KIOSK_CH_SERVICE:
		if (c->del) {
			int rc = kiosk_service_delete(st, c->id);
			return rc == KIOSK_ENOENT ? KIOSK_OK : rc; /* gone already: as asked */
		}
		return kiosk_service_import(st, &c->u.service, 1, NULL);
	case KIOSK_CH_COURIER:
	case KIOSK_CH_OPERATOR: {
		/* an operator of the canteen serves meal tickets, nothing more */
		const char *role = c->kind == KIOSK_CH_COURIER			   ? "courier"
				   : strcmp(c->u.person.role, "canteen") == 0 ? "canteen"
									     : "operator";
		if (c->del) /* an operator deleted: whichever role the kiosk keeps it under */
			return st_do(st,
				     "DELETE FROM person WHERE id = ? AND (role = ? OR (? = 'operator'"
				     " AND role = 'canteen'))",
				     "ttt", c->id, role, role);
		return kiosk_person_upsert(st, c->id, role, c->u.person.name,
					   c->kind == KIOSK_CH_COURIER ? c->u.person.company : "",
					   c->u.person.pin_hash);
	}
	case KIOSK_CH_CONFIG: {
		char key[80];
		snprintf(key, sizeof key, "config.%s", c->u.config.key);
		return st_do(st,
			     "INSERT INTO sync_state(key, value) VALUES(?, ?)"
			     " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
			     "tt", key, c->u.config.value);
	}
	case KIOSK_CH_COMMAND:
		return run_command(st, c);
	case KIOSK_CH_MEAL:
		if (c->del) /* its orders keep it: withdrawn from the menu */
			return kiosk_meal_withdraw(st, c->id);
		return kiosk_meal_upsert(st, &c->u.meal);
	}
	return KIOSK_EINVAL;
}

/* Every change of p in the transaction under way, stopping at the first refused (*bad).
 * With stock (a seed): each slot's first stock too, a restock like any other, so the
 * stock ledger adds up. */
static int apply_all(struct kiosk_store *st, const struct kiosk_change_page *p,
		     const int *stock, const char *by, int *bad)
{
	int rc = KIOSK_OK;
	for (int i = 0; i < p->n && rc == KIOSK_OK; i++) {
		rc = apply_one(st, &p->ch[i]);
		if (rc == KIOSK_OK && stock && p->ch[i].kind == KIOSK_CH_SLOT && stock[i] > 0)
			rc = kiosk_slot_restock(st, p->ch[i].id, stock[i], by);
		if (rc)
			*bad = i;
	}
	return rc;
}

int kiosk_changes_apply(struct kiosk_store *st, const struct kiosk_change_page *p, int *bad)
{
	*bad = -1;
	if (!p || !p->cursor[0])
		return KIOSK_EINVAL;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = apply_all(st, p, NULL, NULL, bad);
	if (rc == KIOSK_OK)
		rc = st_do(st,
			   "INSERT INTO sync_state(key, value) VALUES('cursor', ?)"
			   " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
			   "t", p->cursor);
	if (rc) {
		st_rollback(st);
		return rc;
	}
	return st_commit(st);
}

int kiosk_catalogue_seed(struct kiosk_store *st, const struct kiosk_change_page *p,
			 const int *stock, const char *by, int *bad)
{
	*bad = -1;
	for (int i = 0; p && i < p->n; i++)
		if ((p->ch[i].kind != KIOSK_CH_PRODUCT && p->ch[i].kind != KIOSK_CH_SLOT) ||
		    p->ch[i].del || stock[i] < 0) {
			*bad = i;
			return KIOSK_EINVAL;
		}
	if (!p)
		return KIOSK_EINVAL;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = apply_all(st, p, stock, by, bad);
	if (rc) {
		st_rollback(st);
		return rc;
	}
	return st_commit(st);
}

int kiosk_message_get(struct kiosk_store *st, int64_t now_ms, char *zh, char *en,
		      int64_t *until_ms)
{
	char v[1024];
	zh[0] = en[0] = '\0';
	int rc = kiosk_syncstate_get(st, "message", v, sizeof v);
	if (rc)
		return rc;
	cJSON *m = cJSON_Parse(v);
	const char *z = cJSON_GetStringValue(cJSON_GetObjectItem(m, "zh"));
	const char *e = cJSON_GetStringValue(cJSON_GetObjectItem(m, "en"));
	double until = cJSON_GetNumberValue(cJSON_GetObjectItem(m, "until"));
	rc = z && e && until > (double)now_ms ? KIOSK_OK : KIOSK_ENOENT;
	if (rc == KIOSK_OK) {
		snprintf(zh, 256, "%s", z);
		snprintf(en, 256, "%s", e);
		if (until_ms)
			*until_ms = (int64_t)until;
	}
	cJSON_Delete(m);
	return rc;
}

int kiosk_command_next(struct kiosk_store *st, char *id, enum kiosk_command_type *type,
		       char *compartment)
{
	char t[32] = "";
	id[0] = compartment[0] = '\0';
	sqlite3_stmt *s = st_q(st,
			       "SELECT c.id, c.type, coalesce(a.value, '') FROM command_done c"
			       " LEFT JOIN sync_state a ON a.key = 'cmdarg.' || c.id"
			       " WHERE c.result = 'queued' ORDER BY c.at_ms, c.rowid LIMIT 1",
			       NULL);
	if (!s)
		return KIOSK_EDB;
	int rc = st_step(st, s);
	if (rc == 1) {
		st_col_text(s, 0, id, 64);
		st_col_text(s, 1, t, sizeof t);
		st_col_text(s, 2, compartment, 16);
	}
	sqlite3_reset(s);
	if (rc != 1)
		return rc == 0 ? KIOSK_ENOENT : rc;
	*type = KIOSK_RC_REBOOT;
	for (int i = 0; i < 5; i++)
		if (strcmp(t, command_names[i]) == 0)
			*type = (enum kiosk_command_type)i;
	rc = st_begin(st);
	if (rc == KIOSK_OK)
		rc = st_do(st, "UPDATE command_done SET result = 'running' WHERE id = ?", "t", id);
	if (rc) {
		st_rollback(st);
		return rc;
	}
	return st_commit(st);
}

int kiosk_command_finish(struct kiosk_store *st, const char *id, const char *result)
{
	char type[32] = "";
	int rc = st_one_text(st, st_q(st, "SELECT type FROM command_done WHERE id = ?", "t", id),
			     type, sizeof type);
	if (rc)
		return rc;
	rc = st_begin(st);
	if (rc == KIOSK_OK)
		rc = st_command_done(st, id, type, result);
	if (rc) {
		st_rollback(st);
		return rc;
	}
	return st_commit(st);
}

int kiosk_command_settle(struct kiosk_store *st)
{
	int n = 0;
	char id[64];
	for (int guard = 0; guard < 1000; guard++) {
		if (st_one_text(st,
				st_q(st,
				     "SELECT id FROM command_done WHERE result IN ('queued','running')"
				     " LIMIT 1",
				     NULL),
				id, sizeof id) != KIOSK_OK)
			break;
		if (kiosk_command_finish(st, id, "interrupted") != KIOSK_OK)
			break;
		KLOG_WARN("sync", "event=command_interrupted id=%s (not run again)", id);
		n++;
	}
	return n;
}
