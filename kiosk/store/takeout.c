/* A courier's takeout — an expired parcel taken back (retrieval), a resident's send
 * collected for its carrier (collection) — committed when its door, which opened for the
 * courier, closes on an empty compartment: never on the opening alone, as the parcel may
 * still be inside. */
#include "kiosk/store/locker_int.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <string.h>

/* Inside a transaction: the parcel is out; its compartment is free; the platform told. */
static int taken_out(struct kiosk_store *st, const char *parcel, const struct parcel_row *p,
		     const char *actor)
{
	bool retrieve = strcmp(p->kind, "delivery") == 0;
	int rc = st_parcel_state(st, parcel, retrieve ? "retrieved" : "collected");
	if (rc == KIOSK_OK)
		rc = st_comp_state(st, p->comp, "free");
	if (rc)
		return rc;
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "parcel", parcel);
	if (!retrieve)
		cJSON_AddStringToObject(d, "carrier", p->carrier);
	cJSON_AddStringToObject(d, "courier", p->courier);
	rc = st_record(st, actor ? actor : p->courier,
		       retrieve ? "parcel.retrieved" : "parcel.collected", parcel, NULL,
		       retrieve ? "parcel.expired_retrieved" : "parcel.collected", d);
	cJSON_Delete(d);
	return rc;
}

int kiosk_takeout_done(struct kiosk_store *st, const char *parcel)
{
	struct parcel_row p;
	if (!parcel)
		return KIOSK_EINVAL;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = st_parcel_load(st, parcel, &p);
	bool retrieve = rc == KIOSK_OK && strcmp(p.kind, "delivery") == 0;
	if (rc == KIOSK_OK)
		rc = st_parcel_in(st, parcel, retrieve ? "|expired|" : "|send_deposited|", &p);
	if (rc == KIOSK_OK)
		rc = st_door_opened_for(st, parcel, retrieve ? "retrieve" : "collect");
	if (rc == KIOSK_OK)
		rc = taken_out(st, parcel, &p, NULL);
	TX_END(st, rc);
}

int st_takeout_recover(struct kiosk_store *st)
{
	/* Each parcel still in its compartment whose last door operation is a takeout that
	 * opened: the courier had it in hand when the kiosk stopped. */
	char ids[64][37];
	int n = 0, rc, done = 0;
	sqlite3_stmt *s = st_q(st,
		 "SELECT p.id FROM parcel p JOIN compartment c ON c.id = p.compartment"
		 " WHERE p.state IN ('expired', 'send_deposited') AND p.active AND c.item = 0"
		 " AND (SELECT d.purpose || '/' || d.state FROM door_op d WHERE d.parcel = p.id"
		 "      ORDER BY d.id DESC LIMIT 1) IN ('retrieve/opened', 'collect/opened')"
		 " LIMIT 64",
		 NULL);
	if (!s)
		return KIOSK_EDB;
	while ((rc = st_step(st, s)) == 1 && n < 64)
		st_col_text(s, 0, ids[n++], 37);
	sqlite3_reset(s);
	if (rc < 0)
		return rc;
	for (int i = 0; i < n; i++) {
		struct parcel_row p;
		rc = st_parcel_load(st, ids[i], &p);
		if (rc == KIOSK_OK)
			rc = taken_out(st, ids[i], &p, "recovery");
		if (rc)
			return rc;
		done++;
	}
	if (done)
		KLOG_WARN("store", "event=takeouts_assumed_out n=%d", done);
	return done;
}
