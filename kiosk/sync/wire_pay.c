/* The bytes of QR payments, send bookings and meal eligibility (PLATFORM-API.md): read
 * field by field, all or nothing, like every other answer. */
#include "kiosk/sync/wire.h"
#include "hal/base/error.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* A string member of 1..cap-1 printable bytes (UTF-8 passes; no control bytes). */
static int text(const cJSON *o, const char *name, char *dst, size_t cap, bool required,
		char *why, size_t wlen)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	dst[0] = '\0';
	if (!v || cJSON_IsNull(v)) {
		if (required)
			snprintf(why, wlen, "%s missing", name);
		return required ? KIOSK_EPARSE : KIOSK_OK;
	}
	const char *s = cJSON_GetStringValue(v);
	size_t n = s ? strlen(s) : 0;
	const char *what = !s ? "not a string" : n >= cap ? "too long" : n == 0 ? "empty" : NULL;
	for (size_t i = 0; !what && i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
			what = "control character";
	if (what) {
		snprintf(why, wlen, "%s: %s", name, what);
		return KIOSK_EPARSE;
	}
	memcpy(dst, s, n + 1);
	return KIOSK_OK;
}

static int boolean(const cJSON *o, const char *name, bool *out, bool required, char *why,
		   size_t wlen)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	*out = false;
	if (!v && !required)
		return KIOSK_OK;
	if (!cJSON_IsBool(v)) {
		snprintf(why, wlen, "%s missing or not true/false", name);
		return KIOSK_EPARSE;
	}
	*out = cJSON_IsTrue(v);
	return KIOSK_OK;
}

int kiosk_wire_parse_payment(const char *body, size_t len, struct kiosk_wire_payment *out,
			     char *why, size_t wlen)
{
	memset(out, 0, sizeof *out);
	cJSON *j;
	char at[40];
	int rc = kiosk_wire_parse(body, len, &j, why, wlen);
	if (rc)
		return rc;
	if ((rc = text(j, "payment", out->payment, sizeof out->payment, true, why, wlen)) ||
	    (rc = text(j, "qr", out->qr, sizeof out->qr, true, why, wlen)) ||
	    (rc = text(j, "expires_at", at, sizeof at, true, why, wlen)))
		goto out_json;
	/* the id goes into a path: letters, digits, '-', '_', '.' only */
	for (const char *p = out->payment; *p && !rc; p++)
		if (!isalnum((unsigned char)*p) && !strchr("-_.", *p)) {
			snprintf(why, wlen, "payment: not a plain id");
			rc = KIOSK_EPARSE;
		}
	if (!rc && (out->expires_ms = kiosk_wire_parse_time(at)) < 0) {
		snprintf(why, wlen, "expires_at: not a UTC time");
		rc = KIOSK_EPARSE;
	}
out_json:
	cJSON_Delete(j);
	if (rc)
		memset(out, 0, sizeof *out);
	return rc;
}

int kiosk_wire_parse_pay_status(const char *body, size_t len, char status[12], char *why,
				size_t wlen)
{
	static const char *const known[] = {"pending", "paid", "expired", "cancelled"};
	cJSON *j;
	status[0] = '\0';
	int rc = kiosk_wire_parse(body, len, &j, why, wlen);
	if (rc)
		return rc;
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "status"));
	rc = KIOSK_EPARSE;
	for (size_t i = 0; s && i < sizeof known / sizeof known[0]; i++)
		if (strcmp(s, known[i]) == 0) {
			snprintf(status, 12, "%s", known[i]);
			rc = KIOSK_OK;
		}
	if (rc)
		snprintf(why, wlen, "status missing or not pending/paid/expired/cancelled");
	cJSON_Delete(j);
	return rc;
}

char *kiosk_wire_payment_request(const char *order, int64_t amount_fen, const char *description)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "order", order);
	cJSON_AddNumberToObject(o, "amount_fen", (double)amount_fen);
	cJSON_AddStringToObject(o, "description", description);
	char *text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return text;
}

int kiosk_wire_parse_booking(const char *body, size_t len, struct kiosk_wire_booking *out,
			     char *why, size_t wlen)
{
	memset(out, 0, sizeof *out);
	cJSON *j;
	char size[4];
	int rc = kiosk_wire_parse(body, len, &j, why, wlen);
	if (rc)
		return rc;
	if ((rc = text(j, "booking", out->booking, sizeof out->booking, true, why, wlen)) ||
	    (rc = text(j, "carrier", out->carrier, sizeof out->carrier, true, why, wlen)) ||
	    (rc = text(j, "size", size, sizeof size, true, why, wlen)) ||
	    (rc = boolean(j, "paid", &out->paid, true, why, wlen)) ||
	    (rc = boolean(j, "pay_on_delivery", &out->pay_on_delivery, false, why, wlen)) ||
	    (rc = text(j, "receiver_city", out->city, sizeof out->city, false, why, wlen)))
		goto out_json;
	enum kiosk_size sz;
	if (kiosk_size_parse(size, &sz) != KIOSK_OK) {
		snprintf(why, wlen, "size: not S, M, L or XL");
		rc = KIOSK_EPARSE;
		goto out_json;
	}
	out->size = (int)sz;
	if (kiosk_wire_get_int(j, "amount_fen", 0, 1000000, &out->amount_fen) != KIOSK_OK) {
		snprintf(why, wlen, "amount_fen missing or not 0..1000000");
		rc = KIOSK_EPARSE;
		goto out_json;
	}
	if (!out->paid && !out->pay_on_delivery && out->amount_fen == 0) {
		snprintf(why, wlen, "unpaid booking with amount_fen 0");
		rc = KIOSK_EPARSE;
	}
out_json:
	cJSON_Delete(j);
	if (rc)
		memset(out, 0, sizeof *out);
	return rc;
}

bool kiosk_wire_booking_code_ok(const char *code)
{
	size_t n = code ? strlen(code) : 0;
	if (n < 6 || n > 12)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)code[i]))
			return false;
	return true;
}

int kiosk_wire_parse_eligibility(const char *body, size_t len, int64_t now_ms,
				 struct kiosk_wire_elig *out, char *why, size_t wlen)
{
	memset(out, 0, sizeof *out);
	cJSON *j;
	char until[40];
	int rc = kiosk_wire_parse(body, len, &j, why, wlen);
	if (rc)
		return rc;
	if ((rc = text(j, "tier", out->tier, sizeof out->tier, true, why, wlen)) ||
	    (rc = text(j, "valid_until", until, sizeof until, false, why, wlen)) ||
	    (rc = text(j, "name_masked", out->name_masked, sizeof out->name_masked, false, why,
		       wlen)) ||
	    (rc = text(j, "resident", out->resident, sizeof out->resident, false, why, wlen)) ||
	    (rc = boolean(j, "delivery", &out->delivery, false, why, wlen)))
		goto out_json;
	if (strcmp(out->tier, "60+") && strcmp(out->tier, "80+") && strcmp(out->tier, "90+") &&
	    strcmp(out->tier, "none")) {
		snprintf(why, wlen, "tier: not 60+, 80+, 90+ or none");
		rc = KIOSK_EPARSE;
		goto out_json;
	}
	/* kept no longer than the contract's 30 days, whatever the answer says */
	int64_t most = now_ms + 30LL * 86400000;
	out->valid_until_ms = most;
	if (until[0]) {
		int64_t t = kiosk_wire_parse_time(until);
		if (t <= 0) {
			snprintf(why, wlen, "valid_until: not a UTC time");
			rc = KIOSK_EPARSE;
			goto out_json;
		}
		out->valid_until_ms = t < most ? t : most;
	}
out_json:
	cJSON_Delete(j);
	if (rc)
		memset(out, 0, sizeof *out);
	return rc;
}
