/* Shared by the locker files of the store (compartment.c, parcel.c, send.c). */
#ifndef KIOSK_STORE_LOCKER_INT_H
#define KIOSK_STORE_LOCKER_INT_H

#include "kiosk/store/store_int.h"

#define HOUR_MS (3600LL * 1000)
#define RESERVE_MS (10LL * 60 * 1000) /* an unpaid send keeps its compartment this long */

/* Every write operation has the same shape: begin, work, commit or roll back. */
#define TX_END(st, rc)                                                                             \
	do {                                                                                       \
		if (rc) {                                                                          \
			st_rollback(st);                                                           \
			return rc;                                                                 \
		}                                                                                  \
		return st_commit(st);                                                              \
	} while (0)

struct parcel_row {
	char state[16], kind[10], comp[KIOSK_ID_MAX], tracking[64], carrier[32], courier[64];
	char last4[8];
	int size;
	int64_t amount, fee_paid, deposited, expires;
};

/* All inside the caller's transaction. */
int st_parcel_load(struct kiosk_store *st, const char *id, struct parcel_row *p);
int st_parcel_state(struct kiosk_store *st, const char *id, const char *state);
/* Loads the parcel and checks it is in one of states ("|deposited|expired|"):
 * KIOSK_ESTATE when it is not, the load's error when there is no such parcel. */
int st_parcel_in(struct kiosk_store *st, const char *id, const char *states,
		 struct parcel_row *p);
/* KIOSK_EDENIED when there is no such person in that role; company copied when not NULL. */
int st_person_exists(struct kiosk_store *st, const char *id, const char *role, char company[64]);
int st_comp_state(struct kiosk_store *st, const char *comp, const char *state);
/* A parcel on its way in gave up its compartment: free again if still reserved for it; one
 * the monitor lost (unknown) or found faulty stays so for the operator. comp may be "". */
int st_comp_release(struct kiosk_store *st, const char *comp);
/* The compartment's state is unknown now (compartment.unknown, locker.fault), or faulty
 * (compartment.fault, locker.fault) — what the operator must look at. */
int st_comp_lost(struct kiosk_store *st, const char *comp, const char *why);
int st_comp_fault(struct kiosk_store *st, const char *comp, const char *what, const char *actor);
/* The compartment's most recent door operation: 1 and its purpose (16 bytes), state (12)
 * and end time, 0 when it never had one, or a negative kiosk_err. */
int st_last_door_op(struct kiosk_store *st, const char *comp, char purpose[16], char state[12],
		    int64_t *finished_ms);
/* Reserves the smallest free compartment of at least size; KIOSK_ENOFREE when none. */
int st_comp_allocate(struct kiosk_store *st, enum kiosk_size size, char comp[KIOSK_ID_MAX]);
/* Commits nothing itself: records the door-opening intent (KIOSK_EBUSY while another door
 * command on that compartment has no outcome; KIOSK_ESTATE for a faulty, disabled or
 * unknown compartment) and fills *door for the driver. */
int st_door_intent(struct kiosk_store *st, const char *comp, const char *purpose,
		   const char *parcel, const char *actor, struct kiosk_door *door);

/* A deposit's parcel is in: the code is made (for the platform's SMS) and the compartment
 * occupied. door_checked: someone other than the deposit's own door outcome vouches for
 * it (the item sensor after a restart, an operator who looked); else its door must have
 * opened. actor NULL = the courier. The code is wiped on failure. */
int st_deposit_commit(struct kiosk_store *st, const char *parcel, const char *actor,
		      bool door_checked, char code[9]);
/* A send on its way in (created, paid or depositing) is in its compartment. */
int st_send_deposited(struct kiosk_store *st, const char *actor, const char *parcel);

/* The whole overdue fee due now for a delivery parcel (paid or not). */
int64_t st_fee_owed(struct kiosk_store *st, const struct parcel_row *p);
/* The last door operation for a parcel and purpose must have opened: KIOSK_OK, or
 * KIOSK_ESTATE. */
int st_door_opened_for(struct kiosk_store *st, const char *parcel, const char *purpose);
/* Recovery: takeouts whose door opened before a restart and were not finished are taken
 * out unless the compartment's item sensor last saw something. Returns how many, or a
 * negative kiosk_err. */
int st_takeout_recover(struct kiosk_store *st);
/* 8 uniform random digits (getrandom). */
int st_random_digits(char out[9]);
/* The send's number: the one it has, or a new one issued now (unique on the device: a
 * clash draws again). number (9 bytes) gets it. */
int st_send_number(struct kiosk_store *st, const char *parcel, char number[9]);
/* A mobile number: 11 digits from 1. */
int st_valid_phone(const char *p);
/* Keyed hashes (HMAC with the device key), domain-separated so a phone's can never equal
 * a code's. */
void st_keyed(struct kiosk_store *st, const char *domain, const char *v, uint8_t out[32]);
/* A paid payment given back: refunded, with its payment.refund_requested event. */
int st_payment_refund(struct kiosk_store *st, const char *order, const char *why);
/* The open payments of a parcel given up are to be cancelled; a paid one is refunded. */
int st_payment_parcel_gone(struct kiosk_store *st, const char *parcel);

/* The audit record of a payment taken for a parcel (fee, or the price of a send). */
int st_record_payment(struct kiosk_store *st, const char *action, const char *parcel,
		      enum kiosk_pay_method m, const char *ref, int64_t amount);

#endif
