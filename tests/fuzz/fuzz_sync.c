/* libFuzzer: the platform's answers (events acks, pages of changes, error bodies, QR
 * payments, payment states, send bookings, meal eligibility) parse without crashing, within the size and
 * nesting limits, and what is accepted keeps the contract: an ack inside the range that
 * was sent, a page of at most 200 changes with a cursor, a payment id fit for a path, a
 * known state, a booking of a known size and amount, every string terminated. The first
 * byte picks the parser; a page of changes is read again as a demo catalogue. */
#include "kiosk/sync/changes.h"
#include "kiosk/assets.h"
#include "kiosk/demo_catalogue.h"
#include "kiosk/sync/wire.h"
#include "hal/base/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const char *body = (const char *)data + 1;
	size_t len = size - 1;
	char why[160];
	switch (data[0] % 8) { /* the seeds start '0'..'6' */
	case 3: {
		struct kiosk_wire_payment w;
		int rc = kiosk_wire_parse_payment(body, len, &w, why, sizeof why);
		if (rc == KIOSK_OK) {
			if (!w.payment[0] || !memchr(w.payment, 0, sizeof w.payment) ||
			    strpbrk(w.payment, "/?# ") || !memchr(w.qr, 0, sizeof w.qr) || !w.qr[0] ||
			    w.expires_ms < 0)
				abort();
		} else if (rc != KIOSK_EPARSE || w.payment[0] || w.qr[0]) {
			abort();
		}
		break;
	}
	case 4: {
		char st[12];
		int rc = kiosk_wire_parse_pay_status(body, len, st, why, sizeof why);
		if (rc == KIOSK_OK ? strcmp(st, "pending") && strcmp(st, "paid") &&
					     strcmp(st, "expired") && strcmp(st, "cancelled")
				   : rc != KIOSK_EPARSE || st[0])
			abort();
		break;
	}
	case 5: {
		struct kiosk_wire_booking b;
		int rc = kiosk_wire_parse_booking(body, len, &b, why, sizeof why);
		if (rc == KIOSK_OK) {
			if (!b.booking[0] || !b.carrier[0] || b.size < 0 || b.size > 3 ||
			    b.amount_fen < 0 || b.amount_fen > 1000000 ||
			    !memchr(b.city, 0, sizeof b.city))
				abort();
		} else if (rc != KIOSK_EPARSE || b.booking[0]) {
			abort();
		}
		break;
	}
	case 6:
	case 7: {
		struct kiosk_wire_elig e;
		int rc = kiosk_wire_parse_eligibility(body, len, 1795867200000LL, &e, why,
						      sizeof why);
		if (rc == KIOSK_OK) {
			if ((strcmp(e.tier, "60+") && strcmp(e.tier, "80+") && strcmp(e.tier, "90+") &&
			     strcmp(e.tier, "none")) ||
			    e.valid_until_ms > 1795867200000LL + 30LL * 86400000 ||
			    !memchr(e.resident, 0, sizeof e.resident) ||
			    !memchr(e.name_masked, 0, sizeof e.name_masked))
				abort();
		} else if (rc != KIOSK_EPARSE || e.tier[0]) {
			abort();
		}
		break;
	}
	case 0: {
		struct kiosk_wire_ack a;
		int rc = kiosk_wire_parse_ack(body, len, 100, 599, &a, why, sizeof why);
		if (rc == KIOSK_OK) {
			if (a.acked_through < 99 || a.acked_through > 599 || a.nrejected < 0 ||
			    a.nrejected > KIOSK_WIRE_MAX_REJECTED)
				abort();
			for (int i = 0; i < a.nrejected; i++)
				if (a.rejected[i].seq <= a.acked_through || a.rejected[i].seq > 599 ||
				    !memchr(a.rejected[i].error, 0, sizeof a.rejected[i].error))
					abort();
		} else if (rc != KIOSK_EPARSE || a.acked_through || a.nrejected) {
			abort();
		}
		break;
	}
	case 1: {
		struct kiosk_change_page p;
		struct kiosk_changes_ctx ctx = {31.2304, 121.4737, 50};
		int rc = kiosk_changes_parse(body, len, &ctx, &p, why, sizeof why);
		if (rc == KIOSK_OK) {
			if (!p.cursor[0] || p.n < 0 || p.n > KIOSK_CHANGES_PAGE || (p.n && !p.ch))
				abort();
			for (int i = 0; i < p.n; i++) {
				const struct kiosk_change *c = &p.ch[i];
				if (!c->id[0] || !memchr(c->id, 0, sizeof c->id))
					abort();
				/* a meal: a day, lunch or dinner, a deadline */
				if (c->kind == KIOSK_CH_MEAL && !c->del &&
				    (strlen(c->u.meal.day) != 10 || c->u.meal.order_by_ms <= 0 ||
				     (strcmp(c->u.meal.kind, "lunch") && strcmp(c->u.meal.kind, "dinner"))))
					abort();
			}
			kiosk_change_page_free(&p);
		} else if ((rc != KIOSK_EPARSE && rc != KIOSK_ENOMEM) || p.n || p.ch) {
			abort();
		}
		/* the same page as a demo catalogue: products and slots only, each slot's
		 * stock within its capacity, every picture one of ours */
		struct kiosk_demo_catalogue d;
		rc = kiosk_demo_catalogue_parse(body, len, &d, why, sizeof why);
		if (rc == KIOSK_OK) {
			for (int i = 0; i < d.page.n; i++) {
				const struct kiosk_change *c = &d.page.ch[i];
				if (c->del || (c->kind != KIOSK_CH_PRODUCT && c->kind != KIOSK_CH_SLOT) ||
				    d.stock[i] < 0 ||
				    (c->kind == KIOSK_CH_SLOT && d.stock[i] > c->u.slot.capacity) ||
				    (c->kind == KIOSK_CH_PRODUCT && c->u.product.image[0] &&
				     !kiosk_asset_picture_ok(c->u.product.image)))
					abort();
			}
			kiosk_demo_catalogue_free(&d);
		} else if ((rc != KIOSK_EPARSE && rc != KIOSK_ENOMEM) || d.page.n || d.page.ch) {
			abort();
		}
		break;
	}
	default: {
		char code[40];
		kiosk_wire_error_code(body, len, code, sizeof code);
		if (!memchr(code, 0, sizeof code))
			abort();
	}
	}
	return 0;
}
