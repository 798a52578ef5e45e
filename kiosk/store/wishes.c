#include "kiosk/store/wishes.h"
#include "kiosk/store/store_int.h"
#include "hal/base/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int kiosk_wishes_since(struct kiosk_store *st, int64_t since_ms, struct kiosk_wish *out,
		       size_t max, size_t *n)
{
	*n = 0;
	sqlite3_stmt *q = st_q(st,
			       "SELECT json_extract(data, '$.category') AS c, count(*) FROM outbox"
			       " WHERE type = 'feedback.service_request' AND at_ms >= ? AND c IS NOT"
			       " NULL GROUP BY c ORDER BY 2 DESC, c",
			       "i", since_ms);
	if (!q)
		return KIOSK_EDB;
	int s1;
	while ((s1 = st_step(st, q)) == 1 && *n < max) {
		st_col_text(q, 0, out[*n].category, sizeof out[*n].category);
		out[*n].n = (long)sqlite3_column_int64(q, 1);
		(*n)++;
	}
	sqlite3_reset(q);
	return s1 < 0 ? s1 : KIOSK_OK;
}

int kiosk_event_coverage(struct kiosk_store *st, const cJSON *data)
{
	if (!data)
		return KIOSK_EINVAL;
	char now[24];
	snprintf(now, sizeof now, "%lld", (long long)st->now());
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = st_record(st, "kiosk", "coverage_report", "report.coverage", NULL, "report.coverage",
		       data);
	if (rc == KIOSK_OK)
		rc = st_do(st, "INSERT INTO sync_state(key, value) VALUES('coverage_reported_ms', ?)"
			       " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
			   "t", now);
	if (rc) {
		st_rollback(st);
		return rc;
	}
	return st_commit(st);
}

int64_t kiosk_coverage_last_ms(struct kiosk_store *st)
{
	char v[24];
	if (kiosk_syncstate_get(st, "coverage_reported_ms", v, sizeof v) != KIOSK_OK)
		return 0;
	return strtoll(v, NULL, 10);
}
