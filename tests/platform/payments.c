/* The local platform's QR payments (PLATFORM-API.md, "POST /v1/payments"): one payment
 * per (device, order), pending until someone pays it (the admin API, or the "pay" button
 * on the page at /), expires after five minutes, or the kiosk cancels it. */
#include "tests/platform/plat_int.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PAY_TTL_MS (5 * 60 * 1000)

static void iso(int64_t ms, char out[32])
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + strlen(out), 32 - strlen(out), ".%03dZ", (int)(ms % 1000));
}

/* A pending payment past its time is expired, whoever asks. */
static void expire_due(struct plat *p)
{
	sqlite3_stmt *s;
	sqlite3_prepare_v2(p->db,
			   "UPDATE payment SET status = 'expired' WHERE status = 'pending'"
			   " AND expires_ms <= ?",
			   -1, &s, NULL);
	sqlite3_bind_int64(s, 1, plat_now_ms(p));
	sqlite3_step(s);
	sqlite3_finalize(s);
}

static enum MHD_Result payment_json(struct plat *p, struct MHD_Connection *c, unsigned status,
				    const char *id, bool created)
{
	sqlite3_stmt *s;
	sqlite3_prepare_v2(p->db,
			   "SELECT id, status, expires_ms, paid_ms FROM payment WHERE id = ?", -1,
			   &s, NULL);
	sqlite3_bind_text(s, 1, id, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_finalize(s);
		return plat_error(c, 404, "not_found", "no such payment", p);
	}
	cJSON *o = cJSON_CreateObject();
	char t[32], qr[128];
	const char *pid = (const char *)sqlite3_column_text(s, 0);
	if (created) {
		snprintf(qr, sizeof qr, "https://pay.example.invalid/q/%s", pid);
		cJSON_AddStringToObject(o, "payment", pid);
		cJSON_AddStringToObject(o, "qr", qr);
		iso(sqlite3_column_int64(s, 2), t);
		cJSON_AddStringToObject(o, "expires_at", t);
	} else {
		cJSON_AddStringToObject(o, "status", (const char *)sqlite3_column_text(s, 1));
		if (sqlite3_column_type(s, 3) != SQLITE_NULL) {
			iso(sqlite3_column_int64(s, 3), t);
			cJSON_AddStringToObject(o, "paid_at", t);
		}
	}
	sqlite3_finalize(s);
	char *text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	enum MHD_Result rc = plat_answer(c, status, text ? text : "{}", p);
	cJSON_free(text);
	return rc;
}

enum MHD_Result plat_payment_create(struct plat *p, struct MHD_Connection *c, int d,
				    const struct plat_conn *k)
{
	cJSON *j = cJSON_ParseWithLength(k->body, k->n);
	const char *order = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "order"));
	const cJSON *amount = cJSON_GetObjectItemCaseSensitive(j, "amount_fen");
	const char *desc = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "description"));
	if (!order || strlen(order) != 36 || !cJSON_IsNumber(amount) || amount->valuedouble < 1 ||
	    amount->valuedouble > 1000000 || amount->valuedouble != (double)(int64_t)amount->valuedouble ||
	    !desc || strlen(desc) > 200) {
		cJSON_Delete(j);
		return plat_error(c, 400, "bad_request",
				  "want order (uuid), amount_fen (1..1000000), description", p);
	}
	char id[96], ord[40];
	snprintf(ord, sizeof ord, "%s", order); /* j goes before the last use */
	order = ord;
	snprintf(id, sizeof id, "pay-%.63s-%.8s", p->o.devices[d].id, order);
	sqlite3_stmt *s;
	sqlite3_prepare_v2(p->db,
			   "INSERT INTO payment(id, device, order_id, amount_fen, description, status,"
			   " created_ms, expires_ms) VALUES(?,?,?,?,?,'pending',?,?)"
			   " ON CONFLICT(device, order_id) DO NOTHING",
			   -1, &s, NULL);
	int64_t now = plat_now_ms(p);
	sqlite3_bind_text(s, 1, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, p->o.devices[d].id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 3, order, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 4, (int64_t)amount->valuedouble);
	sqlite3_bind_text(s, 5, desc, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 6, now);
	sqlite3_bind_int64(s, 7, now + PAY_TTL_MS);
	sqlite3_step(s);
	sqlite3_finalize(s);
	cJSON_Delete(j);
	/* The same order again is the same payment (its id), never a second one. */
	sqlite3_prepare_v2(p->db, "SELECT id FROM payment WHERE device = ? AND order_id = ?", -1,
			   &s, NULL);
	sqlite3_bind_text(s, 1, p->o.devices[d].id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, order, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(s) == SQLITE_ROW)
		snprintf(id, sizeof id, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return payment_json(p, c, 201, id, true);
}

/* GET /v1/payments/<id> and POST /v1/payments/<id>/cancel, for the device's own. */
enum MHD_Result plat_payment_get(struct plat *p, struct MHD_Connection *c, int d,
				 const char *id, bool cancel)
{
	expire_due(p);
	sqlite3_stmt *s;
	sqlite3_prepare_v2(p->db, "SELECT count(*) FROM payment WHERE id = ? AND device = ?", -1,
			   &s, NULL);
	sqlite3_bind_text(s, 1, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, p->o.devices[d].id, -1, SQLITE_TRANSIENT);
	bool mine = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) == 1;
	sqlite3_finalize(s);
	if (!mine)
		return plat_error(c, 404, "not_found", "no such payment for this device", p);
	if (cancel) { /* a paid one stays paid: the kiosk refunds through the outbox */
		sqlite3_prepare_v2(p->db,
				   "UPDATE payment SET status = 'cancelled' WHERE id = ?"
				   " AND status = 'pending'",
				   -1, &s, NULL);
		sqlite3_bind_text(s, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_step(s);
		sqlite3_finalize(s);
	}
	return payment_json(p, c, 200, id, false);
}

/* POST /admin/payments/<id>/pay | /expire: what the payer's phone (or time) does. */
enum MHD_Result plat_payment_admin(struct plat *p, struct MHD_Connection *c, const char *id,
				   const char *what, bool form)
{
	expire_due(p);
	bool pay = strcmp(what, "pay") == 0;
	if (!pay && strcmp(what, "expire") != 0)
		return plat_error(c, 404, "not_found", "pay or expire", p);
	sqlite3_stmt *s;
	sqlite3_prepare_v2(p->db,
			   pay ? "UPDATE payment SET status = 'paid', paid_ms = ? WHERE id = ?"
				 " AND status = 'pending'"
			       : "UPDATE payment SET status = 'expired' WHERE id = ?2"
				 " AND status = 'pending' AND ?1 IS NOT NULL",
			   -1, &s, NULL);
	sqlite3_bind_int64(s, 1, plat_now_ms(p));
	sqlite3_bind_text(s, 2, id, -1, SQLITE_TRANSIENT);
	sqlite3_step(s);
	int changed = sqlite3_changes(p->db);
	sqlite3_finalize(s);
	if (!changed)
		return plat_error(c, 409, "not_pending", "only a pending payment can change", p);
	if (form) {
		struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"",
									 MHD_RESPMEM_PERSISTENT);
		if (!r)
			return MHD_NO;
		MHD_add_response_header(r, "Location", "/");
		enum MHD_Result rc = MHD_queue_response(c, 303, r);
		MHD_destroy_response(r);
		return rc;
	}
	return payment_json(p, c, 200, id, false);
}

/* The pending payments as HTML rows with a "pay" button (the page at /). */
void plat_payment_rows(struct plat *p, FILE *f)
{
	expire_due(p);
	sqlite3_stmt *s;
	sqlite3_prepare_v2(p->db,
			   "SELECT id, device, amount_fen, description FROM payment"
			   " WHERE status = 'pending' ORDER BY created_ms DESC LIMIT 20",
			   -1, &s, NULL);
	fputs("<h2>QR payments waiting</h2><table><tr><th>payment</th><th>kiosk</th>"
	      "<th>amount</th><th>for</th><th></th></tr>",
	      f);
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(s, 0);
		int64_t fen = sqlite3_column_int64(s, 2);
		fputs("<tr><td>", f);
		plat_html(f, id);
		fputs("</td><td>", f);
		plat_html(f, (const char *)sqlite3_column_text(s, 1));
		fprintf(f, "</td><td>¥%lld.%02lld</td><td>", (long long)(fen / 100),
			(long long)(fen % 100));
		plat_html(f, (const char *)sqlite3_column_text(s, 3));
		fputs("</td><td><form method=post action=\"/admin/payments/", f);
		plat_html(f, id);
		fputs("/pay\"><input type=hidden name=from value=page><button>pay</button></form>"
		      "</td></tr>",
		      f);
	}
	sqlite3_finalize(s);
	fputs("</table>", f);
}

int plat_payment_decide(struct plat *p, const char *what)
{
	bool pay = strcmp(what, "pay") == 0;
	pthread_mutex_lock(&p->mu);
	expire_due(p);
	sqlite3_stmt *s;
	sqlite3_prepare_v2(p->db,
			   "UPDATE payment SET status = ?1, paid_ms = CASE WHEN ?1 = 'paid' THEN ?2"
			   " END WHERE id = (SELECT id FROM payment WHERE status = 'pending'"
			   " ORDER BY created_ms DESC LIMIT 1)",
			   -1, &s, NULL);
	sqlite3_bind_text(s, 1, pay ? "paid" : "expired", -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, plat_now_ms(p));
	sqlite3_step(s);
	int changed = sqlite3_changes(p->db);
	sqlite3_finalize(s);
	pthread_mutex_unlock(&p->mu);
	return changed == 1 ? 0 : -1;
}

/* GET /admin/payments: the pending ones, newest first — what a payer's phone would see. */
enum MHD_Result plat_payment_list(struct plat *p, struct MHD_Connection *c)
{
	expire_due(p);
	sqlite3_stmt *s;
	sqlite3_prepare_v2(p->db,
			   "SELECT id, device, amount_fen, description FROM payment"
			   " WHERE status = 'pending' ORDER BY created_ms DESC LIMIT 100",
			   -1, &s, NULL);
	cJSON *a = cJSON_CreateArray();
	while (sqlite3_step(s) == SQLITE_ROW) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "payment", (const char *)sqlite3_column_text(s, 0));
		cJSON_AddStringToObject(o, "device", (const char *)sqlite3_column_text(s, 1));
		cJSON_AddNumberToObject(o, "amount_fen", (double)sqlite3_column_int64(s, 2));
		cJSON_AddStringToObject(o, "description", (const char *)sqlite3_column_text(s, 3));
		cJSON_AddItemToArray(a, o);
	}
	sqlite3_finalize(s);
	char *text = cJSON_PrintUnformatted(a);
	cJSON_Delete(a);
	enum MHD_Result rc = plat_answer(c, 200, text ? text : "[]", p);
	cJSON_free(text);
	return rc;
}
