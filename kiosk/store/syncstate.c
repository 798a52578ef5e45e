/* The platform link's small state, kept with the data it describes so a restart resumes
 * where the link was (the cursor of the change pull, the server clock's offset). */
#include "kiosk/store/store_int.h"
#include "hal/base/error.h"

#include <stdio.h>
#include <string.h>

int kiosk_syncstate_get(struct kiosk_store *st, const char *key, char *buf, size_t cap)
{
	if (!st_valid_id(key, 64) || !buf || cap == 0)
		return KIOSK_EINVAL;
	return st_one_text(st, st_q(st, "SELECT value FROM sync_state WHERE key = ?", "t", key),
			   buf, cap);
}

int kiosk_syncstate_set(struct kiosk_store *st, const char *key, const char *value)
{
	if (!st_valid_id(key, 64) || !value || strlen(value) > 4096)
		return KIOSK_EINVAL;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = st_do(st, "INSERT INTO sync_state(key, value) VALUES(?, ?)"
		       " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
		   "tt", key, value);
	if (rc) {
		st_rollback(st);
		return rc;
	}
	return st_commit(st);
}

int kiosk_syncstate_each(struct kiosk_store *st, const char *prefix,
			 int (*fn)(void *arg, const char *key, const char *value), void *arg)
{
	char k[128], v[1024];
	size_t n = strlen(prefix);
	/* Read first, then called: fn may use the store. */
	struct { char k[128], v[1024]; } rows[32];
	int nrows = 0, rc;
	sqlite3_stmt *s = st_q(st,
			       "SELECT key, value FROM sync_state WHERE substr(key, 1, length(?1)) = ?1"
			       " ORDER BY key LIMIT 32",
			       "t", prefix);
	if (!s)
		return KIOSK_EDB;
	while ((rc = st_step(st, s)) == 1 && nrows < 32) {
		st_col_text(s, 0, k, sizeof k);
		st_col_text(s, 1, v, sizeof v);
		snprintf(rows[nrows].k, sizeof rows[nrows].k, "%s", k + (strlen(k) >= n ? n : 0));
		snprintf(rows[nrows].v, sizeof rows[nrows].v, "%s", v);
		nrows++;
	}
	sqlite3_reset(s);
	if (rc < 0)
		return rc;
	for (int i = 0; i < nrows; i++)
		if ((rc = fn(arg, rows[i].k, rows[i].v)))
			return rc;
	return KIOSK_OK;
}

void kiosk_store_set_rules(struct kiosk_store *st, const struct kiosk_fee_rule *fee,
			   int keep_days)
{
	if (fee && fee->block_h > 0)
		st->fee = *fee;
	if (keep_days > 0)
		st->keep_days = keep_days;
}

int kiosk_outbox_stats(struct kiosk_store *st, int64_t *unsent, int64_t *oldest_ms,
		       int64_t *dead)
{
	/* kept by every transaction that adds or sends an event: no count on each snapshot */
	int rc = st_count(st, "SELECT value FROM meta WHERE key = 'outbox_unsent'", NULL, unsent);
	if (rc == KIOSK_OK)
		rc = st_count(st,
			      "SELECT coalesce((SELECT at_ms FROM outbox WHERE sent = 0"
			      " ORDER BY seq LIMIT 1), 0)",
			      NULL, oldest_ms);
	if (rc == KIOSK_OK)
		rc = st_count(st, "SELECT count(*) FROM dead_letter", NULL, dead);
	return rc;
}
