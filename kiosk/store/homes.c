#include "kiosk/store/homes.h"
#include "kiosk/store/store_int.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"

int kiosk_map_homes(struct kiosk_store *st, struct kiosk_map_home **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	size_t cap = 0;
	int rc = KIOSK_OK, s1;
	sqlite3_stmt *q = st_q(st, "SELECT lat, lon, kind FROM map_home ORDER BY id", NULL);
	if (!q)
		return KIOSK_EDB;
	while ((s1 = st_step(st, q)) == 1) {
		if ((rc = kiosk_grow((void **)out, &cap, *n, sizeof **out)))
			break;
		(*out)[(*n)++] = (struct kiosk_map_home){
			sqlite3_column_double(q, 0), sqlite3_column_double(q, 1),
			sqlite3_column_int(q, 2) == KIOSK_HOME_LAND ? KIOSK_HOME_LAND
								    : KIOSK_HOME_BUILDING};
	}
	sqlite3_reset(q);
	if (rc == KIOSK_OK && s1 < 0)
		rc = s1;
	if (rc) {
		kiosk_free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}
