/* 助餐 — the community canteens' meals (included by store.h): the menus the platform sends
 * (`meal` changes), who eats at which price (the eligibility answers, kept as a keyed hash
 * of the phone or card → tier until valid_until), and meal orders — created → paid →
 * served, or cancelled — with the kiosk's quota per meal taken in the same transaction that
 * makes an order paid, so the kiosk never sells more than it was given, online or not. */
#ifndef KIOSK_STORE_MEAL_H
#define KIOSK_STORE_MEAL_H

#include "kiosk/store/store.h"

#define KIOSK_MEAL_PORTIONS_MAX 5

/* A meal on a canteen's menu. quota: the portions this kiosk may sell of it in all (the
 * platform's number; a change applies to what is left: left = quota − sold, never below
 * 0). sold: the portions of paid or served orders here (the store's count). */
struct kiosk_meal {
	char id[KIOSK_ID_MAX], day[11], canteen[KIOSK_ID_MAX], kind[8];
	char name_zh[64], name_en[64], image[64], note_zh[64], note_en[64];
	int64_t price_fen, order_by_ms; /* the deadline, UTC ms */
	int quota, sold;
	bool withdrawn; /* deleted by the platform: shown to nobody, its orders kept */
};
/* Creates or replaces a meal (sold is kept). KIOSK_EINVAL for a field out of range (the
 * wire parser checks the same). */
int kiosk_meal_upsert(struct kiosk_store *st, const struct kiosk_meal *m);
/* The platform withdrew it: no new orders; orders made keep it. */
int kiosk_meal_withdraw(struct kiosk_store *st, const char *id);
int kiosk_meal_get(struct kiosk_store *st, const char *id, struct kiosk_meal *out);
/* Meals of day from_day ("YYYY-MM-DD") on, not withdrawn, by day, lunch before dinner,
 * canteen: at most max into out. */
int kiosk_meal_list(struct kiosk_store *st, const char *from_day, struct kiosk_meal *out,
		    int max, int *n);

/* ---- who eats at which price ---- */
/* The platform's answer for a phone ("phone" kind, 11 digits) or a card (its code): tier
 * "60+", "80+", "90+" or "none", its opaque resident id, whether meals may be brought. */
struct kiosk_meal_elig {
	char tier[8], resident[64];
	bool delivery;
	int64_t valid_until_ms;
};
/* Kept under the keyed hash of who (never the phone or the card itself, never the name). */
int kiosk_meal_elig_put(struct kiosk_store *st, const char *kind, const char *who,
			const struct kiosk_meal_elig *e);
/* The platform no longer knows who: its kept answer goes (the platform's word wins). */
int kiosk_meal_elig_forget(struct kiosk_store *st, const char *kind, const char *who);
/* A kept answer still valid at now_ms; KIOSK_ENOENT when none (or expired). */
int kiosk_meal_elig_get(struct kiosk_store *st, const char *kind, const char *who,
			int64_t now_ms, struct kiosk_meal_elig *out);

/* ---- orders ---- */
struct kiosk_meal_ask {
	const char *meal;
	int portions;      /* 1 … max_portions */
	int max_portions;  /* the config's, at most KIOSK_MEAL_PORTIONS_MAX */
	bool delivery;     /* 送餐上门: only with elig.delivery */
	const char *tier;  /* "60+" … or "none"; "" unknown (full price) */
	int percent;       /* the tier's discount, 0 … 100 */
	const char *resident; /* "" unknown */
	const char *phone;    /* 11 digits (kept as last 4 + keyed hash), or NULL with card */
	const char *card;     /* a scanned card's code (kept as keyed hash), or NULL */
	int64_t now_ms;
};
struct kiosk_meal_order {
	char id[37], number[9], meal[KIOSK_ID_MAX], state[12], method[8], tier[8];
	char phone_last4[5], resident[64];
	int portions;
	bool delivery;
	int64_t price_fen, discount_fen, due_fen; /* due = what the resident pays */
};
/* An order for ask: refused before anything is written — KIOSK_ENOENT no such meal (or
 * withdrawn), KIOSK_EEXPIRED its deadline passed, KIOSK_ESOLDOUT fewer portions left,
 * KIOSK_EINVAL portions or who, KIOSK_EDENIED delivery not allowed. A free one (the tier's
 * 100%) is paid at once (method "free": quota taken, meal.ordered); the rest wait for
 * kiosk_meal_paid. */
int kiosk_meal_order(struct kiosk_store *st, const struct kiosk_meal_ask *ask,
		     struct kiosk_meal_order *out);
int kiosk_meal_order_get(struct kiosk_store *st, const char *id, struct kiosk_meal_order *out);
/* Paid (method "qr" or "card", ref the payment): the quota is taken in the same
 * transaction and meal.ordered goes out. KIOSK_ESOLDOUT (sold out meanwhile) or
 * KIOSK_EEXPIRED (paid after the deadline): nothing taken, the caller refunds. */
int kiosk_meal_paid(struct kiosk_store *st, const char *id, enum kiosk_pay_method m,
		    const char *ref, int64_t amount_fen);
/* A created order nobody paid (the resident left, the payment failed): cancelled. */
int kiosk_meal_drop(struct kiosk_store *st, const char *id);
/* The resident cancels by the ticket's number and the phone (or card) it was ordered
 * with, before the deadline: cancelled, its portions back in the quota, meal.cancelled,
 * and a paid one's refund through the outbox (payment.refund_requested, the same method).
 * KIOSK_ENOENT no such number, KIOSK_EDENIED the phone does not match, KIOSK_EEXPIRED
 * past the deadline, KIOSK_ESTATE served or cancelled already. */
int kiosk_meal_cancel(struct kiosk_store *st, const char *number, const char *kind,
		      const char *who, int64_t now_ms, struct kiosk_meal_order *out);
/* A paid order nobody holds the ticket of (paid with nobody at the screen): given back as
 * a cancel is, whatever the deadline. KIOSK_ESTATE when it is not paid. */
int kiosk_meal_undo(struct kiosk_store *st, const char *id);
/* Canteen staff serve the ticket (its number, or the QR's text) on its day (today, local
 * "YYYY-MM-DD"): meal.served once. KIOSK_EEXIST served already (已取过), KIOSK_ENOENT no
 * such ticket, KIOSK_ESTATE cancelled or not paid, KIOSK_EEXPIRED another day's. */
int kiosk_meal_serve(struct kiosk_store *st, const char *ticket, const char *today,
		     const char *by, struct kiosk_meal_order *out);
/* The ticket's number from a ticket's QR text ("MEAL:12345678") or the number typed. */
bool kiosk_meal_ticket_number(const char *ticket, char number[9]);
/* The last order paid by this phone or card (for "和上次一样"): its meal's kind and
 * canteen, the portions and the way. KIOSK_ENOENT when none. */
int kiosk_meal_last(struct kiosk_store *st, const char *kind, const char *who, char meal_kind[8],
		    char canteen[KIOSK_ID_MAX], int *portions, bool *delivery);

#endif
