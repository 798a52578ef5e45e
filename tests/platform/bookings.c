/* The local platform's send bookings (PLATFORM-API.md, "GET /v1/send-bookings/<code>"):
 * created by the admin API (what a carrier's app would do), looked up by a kiosk, used
 * once — when that kiosk's parcel.send_requested names it. */
#include "tests/platform/plat_int.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static bool code_ok(const char *code)
{
	size_t n = code ? strlen(code) : 0;
	if (n < 6 || n > 12)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)code[i]))
			return false;
	return true;
}

static const char *str(const cJSON *j, const char *name)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, name));
}

/* 0, or -1 with what was wrong. */
static int add(struct plat *p, const char *json, size_t len, const char **why)
{
	cJSON *j = cJSON_ParseWithLength(json, len);
	const char *code = str(j, "code"), *carrier = str(j, "carrier"), *size = str(j, "size");
	const char *city = str(j, "receiver_city"), *device = str(j, "device");
	const cJSON *amount = cJSON_GetObjectItemCaseSensitive(j, "amount_fen");
	const cJSON *paid = cJSON_GetObjectItemCaseSensitive(j, "paid");
	*why = !code_ok(code) ? "code: 6-12 letters or digits"
	       : !carrier || !*carrier || strlen(carrier) > 31 ? "carrier"
	       : !size || (strcmp(size, "S") && strcmp(size, "M") && strcmp(size, "L") &&
			   strcmp(size, "XL"))
		       ? "size: S, M, L or XL"
	       : !cJSON_IsNumber(amount) || amount->valuedouble < 0 ||
			       amount->valuedouble > 1000000
		       ? "amount_fen: 0..1000000"
	       : !cJSON_IsBool(paid) ? "paid: true or false"
				     : NULL;
	if (*why) {
		cJSON_Delete(j);
		return -1;
	}
	sqlite3_stmt *s;
	sqlite3_prepare_v2(p->db,
			   "INSERT INTO booking(code, id, device, carrier, size, paid, pay_on_delivery,"
			   " amount_fen, receiver_city) VALUES(?1, 'BK-' || ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
			   -1, &s, NULL);
	sqlite3_bind_text(s, 1, code, -1, SQLITE_TRANSIENT);
	if (device)
		sqlite3_bind_text(s, 2, device, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 3, carrier, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 4, size, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(s, 5, cJSON_IsTrue(paid));
	sqlite3_bind_int(s, 6, cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "pay_on_delivery")));
	sqlite3_bind_int64(s, 7, (int64_t)amount->valuedouble);
	if (city)
		sqlite3_bind_text(s, 8, city, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	cJSON_Delete(j);
	if (rc != SQLITE_DONE) {
		*why = "code exists";
		return -1;
	}
	return 0;
}

enum MHD_Result plat_booking_admin(struct plat *p, struct MHD_Connection *c,
				   const struct plat_conn *k)
{
	const char *why;
	if (add(p, k->body, k->n, &why) != 0)
		return plat_error(c, 400, "bad_request", why, p);
	return plat_answer(c, 201, "{}", p);
}

int plat_add_booking(struct plat *p, const char *json)
{
	const char *why;
	pthread_mutex_lock(&p->mu);
	int rc = add(p, json, strlen(json), &why);
	pthread_mutex_unlock(&p->mu);
	return rc;
}

enum MHD_Result plat_booking_get(struct plat *p, struct MHD_Connection *c, int d,
				 const char *code)
{
	if (!code_ok(code))
		return plat_error(c, 404, "not_found", "no such booking", p);
	sqlite3_stmt *s;
	sqlite3_prepare_v2(p->db,
			   "SELECT id, coalesce(device, ''), carrier, size, paid, pay_on_delivery,"
			   " amount_fen, receiver_city, used_by FROM booking WHERE code = ?",
			   -1, &s, NULL);
	sqlite3_bind_text(s, 1, code, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_finalize(s);
		return plat_error(c, 404, "not_found", "no such booking", p);
	}
	const char *dev = (const char *)sqlite3_column_text(s, 1);
	enum MHD_Result rc;
	if (dev[0] && strcmp(dev, p->o.devices[d].id) != 0) {
		rc = plat_error(c, 409, "other_device", "booked for another kiosk", p);
	} else if (sqlite3_column_type(s, 8) != SQLITE_NULL) {
		rc = plat_error(c, 409, "used", "already deposited", p);
	} else {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "booking", (const char *)sqlite3_column_text(s, 0));
		cJSON_AddStringToObject(o, "carrier", (const char *)sqlite3_column_text(s, 2));
		cJSON_AddStringToObject(o, "size", (const char *)sqlite3_column_text(s, 3));
		cJSON_AddBoolToObject(o, "paid", sqlite3_column_int(s, 4));
		if (sqlite3_column_int(s, 5))
			cJSON_AddBoolToObject(o, "pay_on_delivery", 1);
		cJSON_AddNumberToObject(o, "amount_fen", (double)sqlite3_column_int64(s, 6));
		if (sqlite3_column_type(s, 7) != SQLITE_NULL)
			cJSON_AddStringToObject(o, "receiver_city",
						(const char *)sqlite3_column_text(s, 7));
		char *text = cJSON_PrintUnformatted(o);
		cJSON_Delete(o);
		rc = plat_answer(c, 200, text ? text : "{}", p);
		cJSON_free(text);
	}
	sqlite3_finalize(s);
	return rc;
}

void plat_booking_used(struct plat *p, const char *device, const cJSON *data)
{
	const char *id = str(data, "booking");
	if (!id)
		return;
	sqlite3_stmt *s;
	sqlite3_prepare_v2(p->db,
			   "UPDATE booking SET used_by = ?1 WHERE id = ?2 AND used_by IS NULL"
			   " AND (device IS NULL OR device = ?1)",
			   -1, &s, NULL);
	sqlite3_bind_text(s, 1, device, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, id, -1, SQLITE_TRANSIENT);
	sqlite3_step(s);
	sqlite3_finalize(s);
}

void plat_booking_rows(struct plat *p, FILE *f)
{
	sqlite3_stmt *s;
	sqlite3_prepare_v2(p->db,
			   "SELECT code, carrier, size, paid, amount_fen, coalesce(receiver_city, ''),"
			   " coalesce(used_by, '') FROM booking ORDER BY rowid DESC LIMIT 20",
			   -1, &s, NULL);
	fputs("<h2>Send bookings</h2><table><tr><th>code</th><th>carrier</th><th>size</th>"
	      "<th>paid</th><th>amount</th><th>to</th><th>used by</th></tr>",
	      f);
	while (sqlite3_step(s) == SQLITE_ROW) {
		fputs("<tr>", f);
		for (int i = 0; i < 7; i++) {
			fputs("<td>", f);
			if (i == 3)
				fputs(sqlite3_column_int(s, 3) ? "yes" : "no", f);
			else if (i == 4)
				fprintf(f, "¥%lld.%02lld", sqlite3_column_int64(s, 4) / 100,
					sqlite3_column_int64(s, 4) % 100);
			else
				plat_html(f, (const char *)sqlite3_column_text(s, i));
			fputs("</td>", f);
		}
		fputs("</tr>", f);
	}
	sqlite3_finalize(s);
	fputs("</table>", f);
}
