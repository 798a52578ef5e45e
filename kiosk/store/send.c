/* Sending a parcel (寄件): reserve, pay, deposit, collected by a courier of the carrier. */
#include "kiosk/store/locker_int.h"
#include "hal/clock.h"
#include "hal/error.h"
#include "hal/log.h"

#include <stdio.h>
#include <string.h>

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
	rc = st_comp_allocate(st, size, comp);
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
	rc = st_parcel_in(st, parcel, "|send_created|", &p);
	if (rc == KIOSK_OK && amount != p.amount)
		rc = KIOSK_EINVAL;
	if (rc == KIOSK_OK)
		rc = st_parcel_state(st, parcel, "send_paid");
	/* Paid: the reservation no longer expires. */
	if (rc == KIOSK_OK && p.comp[0])
		rc = st_do(st, "UPDATE compartment SET reserved_until = NULL WHERE id = ?", "t",
			   p.comp);
	if (rc == KIOSK_OK)
		rc = st_record_payment(st, "send.paid", parcel, m, ref, amount);
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
	rc = st_parcel_in(st, parcel, "|send_paid|", &p);
	/* Its compartment jammed earlier: take another one of the same size. */
	if (rc == KIOSK_OK && !p.comp[0]) {
		rc = st_comp_allocate(st, (enum kiosk_size)p.size, p.comp);
		if (rc == KIOSK_OK)
			rc = st_do(st, "UPDATE parcel SET compartment = ? WHERE id = ?", "tt",
				   p.comp, parcel);
	}
	if (rc == KIOSK_OK)
		rc = st_door_intent(st, p.comp, "send_deposit", parcel, "resident", door);
	TX_END(st, rc);
}

int kiosk_send_deposited(struct kiosk_store *st, const char *parcel)
{
	struct parcel_row p;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = st_parcel_in(st, parcel, "|send_depositing|", &p);
	if (rc == KIOSK_OK)
		rc = st_parcel_state(st, parcel, "send_deposited");
	if (rc == KIOSK_OK)
		rc = st_comp_state(st, p.comp, "occupied");
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
	rc = st_person_exists(st, courier, "courier", company);
	if (rc == KIOSK_OK)
		rc = st_parcel_in(st, parcel, "|send_deposited|", &p);
	if (rc == KIOSK_OK && strcmp(company, p.carrier) != 0)
		rc = KIOSK_EDENIED; /* another carrier's courier */
	if (rc == KIOSK_OK)
		rc = st_do(st, "UPDATE parcel SET courier = ? WHERE id = ?", "tt", courier, parcel);
	if (rc == KIOSK_OK)
		rc = st_door_intent(st, p.comp, "collect", parcel, courier, door);
	TX_END(st, rc);
}
