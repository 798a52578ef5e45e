/* Neighbourhood services (修车, 配钥匙, 社区食堂 …) as the platform sends them. */
#include "kiosk/store/store_int.h"
#include "hal/base/error.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int service_valid(const struct kiosk_service *s)
{
	return s && st_valid_id(s->id, sizeof s->id) && *s->name_zh && *s->name_en &&
	       st_valid_id(s->category, sizeof s->category) && isfinite(s->lat) &&
	       isfinite(s->lon) && fabs(s->lat) <= 90 && fabs(s->lon) <= 180;
}

int kiosk_service_import(struct kiosk_store *st, const struct kiosk_service *s, size_t n,
			 size_t *bad)
{
	for (size_t i = 0; i < n; i++) {
		if (!service_valid(&s[i])) {
			if (bad)
				*bad = i;
			return KIOSK_EINVAL;
		}
	}
	int rc = st_begin(st);
	for (size_t i = 0; rc == KIOSK_OK && i < n; i++) {
		sqlite3_stmt *q = st_q(st,
				       "INSERT INTO service(id, name_zh, name_en, category, lat, lon,"
				       " address, phone, opening_hours, description)"
				       " VALUES(?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET"
				       " name_zh=excluded.name_zh, name_en=excluded.name_en,"
				       " category=excluded.category, lat=excluded.lat, lon=excluded.lon,"
				       " address=excluded.address, phone=excluded.phone,"
				       " opening_hours=excluded.opening_hours,"
				       " description=excluded.description",
				       "tttt", s[i].id, s[i].name_zh, s[i].name_en, s[i].category);
		if (!q) {
			rc = KIOSK_EDB;
			break;
		}
		sqlite3_bind_double(q, 5, s[i].lat);
		sqlite3_bind_double(q, 6, s[i].lon);
		sqlite3_bind_text(q, 7, s[i].address, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 8, s[i].phone, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 9, s[i].opening_hours, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 10, s[i].description, -1, SQLITE_TRANSIENT);
		rc = st_step(st, q);
		sqlite3_reset(q);
		if (rc == 0)
			rc = st_record(st, "platform", "service.upsert", s[i].id, NULL, NULL, NULL);
	}
	if (rc == KIOSK_OK)
		rc = st_map_bump(st);
	if (rc) {
		st_rollback(st);
		return rc;
	}
	return st_commit(st);
}

int kiosk_service_delete(struct kiosk_store *st, const char *id)
{
	if (!st_valid_id(id, KIOSK_ID_MAX))
		return KIOSK_EINVAL;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = st_do(st, "DELETE FROM service WHERE id = ?", "t", id);
	if (rc == KIOSK_OK && st_changes(st) == 0)
		rc = KIOSK_ENOENT;
	if (rc == KIOSK_OK)
		rc = st_record(st, "platform", "service.delete", id, NULL, NULL, NULL);
	if (rc == KIOSK_OK)
		rc = st_map_bump(st);
	if (rc) {
		st_rollback(st);
		return rc;
	}
	return st_commit(st);
}
