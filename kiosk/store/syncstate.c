/* The platform link's small state, kept with the data it describes so a restart resumes
 * where the link was (the cursor of the change pull, the server clock's offset). */
#include "kiosk/store/store_int.h"
#include "hal/base/error.h"

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

int kiosk_outbox_stats(struct kiosk_store *st, int64_t *unsent, int64_t *oldest_ms,
		       int64_t *dead)
{
	int rc = st_count(st, "SELECT count(*) FROM outbox WHERE sent = 0", NULL, unsent);
	if (rc == KIOSK_OK)
		rc = st_count(st,
			      "SELECT coalesce((SELECT at_ms FROM outbox WHERE sent = 0"
			      " ORDER BY seq LIMIT 1), 0)",
			      NULL, oldest_ms);
	if (rc == KIOSK_OK)
		rc = st_count(st, "SELECT count(*) FROM dead_letter", NULL, dead);
	return rc;
}
