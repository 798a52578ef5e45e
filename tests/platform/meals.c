/* The local platform's 助餐 side (PLATFORM-API.md, "POST /v1/residents/eligibility" and the
 * `meal` change kind): the residents it knows (a demo few, more through the admin API), the
 * answer a kiosk asks for by phone or card, and a demo week of menus for two of the demo
 * neighbourhood's canteens, queued as `meal` changes. */
#include "tests/platform/plat_int.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *const residents_sql =
	"CREATE TABLE IF NOT EXISTS resident(id TEXT PRIMARY KEY, phone TEXT UNIQUE, card TEXT"
	" UNIQUE, tier TEXT NOT NULL, name_masked TEXT NOT NULL, delivery INTEGER NOT NULL);"
	"INSERT OR IGNORE INTO resident VALUES"
	" ('R-1001', '13900001111', 'ELDER-0001', '60+', '张*英', 0),"
	" ('R-1002', '13900002222', 'ELDER-0002', '90+', '王*华', 1),"
	" ('R-1003', '13900003333', NULL, '80+', '李*明', 1),"
	" ('R-1004', '13900004444', NULL, 'none', '赵*', 0);";

int plat_meals_init(struct plat *p)
{
	return sqlite3_exec(p->db, residents_sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* POST /admin/residents {"id", "phone"?, "card"?, "tier", "name_masked", "delivery"} */
enum MHD_Result plat_resident_admin(struct plat *p, struct MHD_Connection *c,
				    const struct plat_conn *k)
{
	cJSON *j = cJSON_ParseWithLength(k->body ? k->body : "", k->n);
	const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "id"));
	const char *phone = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "phone"));
	const char *card = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "card"));
	const char *tier = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "tier"));
	const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "name_masked"));
	const cJSON *dl = cJSON_GetObjectItemCaseSensitive(j, "delivery");
	enum MHD_Result rc;
	if (!id || !tier || !name || !cJSON_IsBool(dl) || (!phone && !card)) {
		rc = plat_error(c, 400, "bad_request", "id, tier, name_masked, delivery, phone|card", p);
	} else {
		sqlite3_stmt *s;
		sqlite3_prepare_v2(p->db, "INSERT OR REPLACE INTO resident VALUES(?,?,?,?,?,?)", -1,
				   &s, NULL);
		sqlite3_bind_text(s, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 2, phone, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 3, card, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 4, tier, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 5, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(s, 6, cJSON_IsTrue(dl));
		int r = sqlite3_step(s);
		sqlite3_finalize(s);
		rc = r == SQLITE_DONE ? plat_answer(c, 201, "{}", p)
				      : plat_error(c, 400, "bad_request", "not stored", p);
	}
	cJSON_Delete(j);
	return rc;
}

static void utc_text(int64_t ms, char out[32])
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* POST /v1/residents/eligibility {"phone"} | {"card"} → the resident's tier for 30 days. */
enum MHD_Result plat_eligibility(struct plat *p, struct MHD_Connection *c, int d,
				 const struct plat_conn *k)
{
	(void)d;
	cJSON *j = cJSON_ParseWithLength(k->body ? k->body : "", k->n);
	const char *phone = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "phone"));
	const char *card = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "card"));
	enum MHD_Result rc;
	if (!j || !!phone == !!card) {
		cJSON_Delete(j);
		return plat_error(c, 400, "bad_request", "phone or card", p);
	}
	sqlite3_stmt *s;
	sqlite3_prepare_v2(p->db,
			   phone ? "SELECT id, tier, name_masked, delivery FROM resident WHERE phone = ?"
				 : "SELECT id, tier, name_masked, delivery FROM resident WHERE card = ?",
			   -1, &s, NULL);
	sqlite3_bind_text(s, 1, phone ? phone : card, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(s) != SQLITE_ROW) {
		rc = plat_error(c, 404, "not_found", "no such resident", p);
	} else {
		char until[32];
		utc_text(plat_now_ms(p) + 30LL * 86400000, until);
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "tier", (const char *)sqlite3_column_text(s, 1));
		cJSON_AddStringToObject(o, "valid_until", until);
		cJSON_AddStringToObject(o, "name_masked", (const char *)sqlite3_column_text(s, 2));
		cJSON_AddStringToObject(o, "resident", (const char *)sqlite3_column_text(s, 0));
		cJSON_AddBoolToObject(o, "delivery", sqlite3_column_int(s, 3));
		char *text = cJSON_PrintUnformatted(o);
		cJSON_Delete(o);
		rc = plat_answer(c, 200, text ? text : "{}", p);
		cJSON_free(text);
	}
	sqlite3_finalize(s);
	cJSON_Delete(j);
	return rc;
}

/* A week of lunches and dinners from today (Beijing's calendar) at two canteens of the
 * demo neighbourhood (长寿社区食堂 osm-n1247, 幸福助餐点 osm-n1249): lunch orders close at
 * 09:30 the same day, dinner at 15:30. Returns the changes as a JSON array (caller frees). */
static char *demo_week(int64_t now_ms)
{
	static const struct {
		const char *zh, *en, *img, *note_zh, *note_en;
	} dishes[] = {
		{"红烧狮子头套餐", "Braised meatball set", "demo/meals/rice-set.svg", "低盐少油",
		 "Low salt, little oil"},
		{"番茄鸡蛋面", "Tomato and egg noodles", "demo/meals/noodles.svg", "软烂",
		 "Soft"},
		{"小米南瓜粥配包子", "Millet porridge and buns", "demo/meals/porridge.svg", "软烂易嚼",
		 "Soft, easy to chew"},
		{"荠菜猪肉水饺", "Pork dumplings", "demo/meals/dumplings.svg",
		 "", ""},
		{"清蒸鲈鱼套餐", "Steamed sea bass set", "", "低盐少油", "Low salt, little oil"},
	};
	static const char *const canteens[] = {"osm-n1247", "osm-n1249"};
	const int n = (int)(sizeof dishes / sizeof dishes[0]);
	cJSON *a = cJSON_CreateArray();
	int64_t local0 = (now_ms + 8 * 3600000LL) / 86400000 * 86400000; /* today, 00:00 +8 */
	for (int day = 0; day < 7; day++)
		for (int ci = 0; ci < 2; ci++)
			for (int meal = 0; meal < 2; meal++) {
				int64_t d0 = local0 + day * 86400000LL;
				time_t t = (time_t)(d0 / 1000);
				struct tm tm;
				gmtime_r(&t, &tm);
				char dayname[16], id[64], by[32];
				strftime(dayname, sizeof dayname, "%Y-%m-%d", &tm);
				snprintf(id, sizeof id, "%s-%s-%s", canteens[ci], dayname,
					 meal ? "dinner" : "lunch");
				/* 09:30 / 15:30 Beijing = 01:30Z / 07:30Z */
				utc_text(d0 - 8 * 3600000LL + (meal ? 15 : 9) * 3600000LL + 1800000,
					 by);
				int k = (day * 2 + ci * 3 + meal) % n;
				cJSON *ch = cJSON_CreateObject(), *dd = cJSON_CreateObject();
				cJSON_AddStringToObject(ch, "kind", "meal");
				cJSON_AddStringToObject(ch, "op", "upsert");
				cJSON_AddStringToObject(ch, "id", id);
				cJSON_AddStringToObject(dd, "day", dayname);
				cJSON_AddStringToObject(dd, "canteen", canteens[ci]);
				cJSON_AddStringToObject(dd, "name_zh", dishes[k].zh);
				cJSON_AddStringToObject(dd, "name_en", dishes[k].en);
				cJSON_AddStringToObject(dd, "kind", meal ? "dinner" : "lunch");
				cJSON_AddNumberToObject(dd, "price_fen", meal ? 1200 : ci ? 1500 : 1800);
				cJSON_AddNumberToObject(dd, "quota", meal ? 15 : 20);
				cJSON_AddStringToObject(dd, "order_by", by);
				if (dishes[k].img[0])
					cJSON_AddStringToObject(dd, "image_url", dishes[k].img);
				if (dishes[k].note_zh[0]) {
					cJSON_AddStringToObject(dd, "note_zh", dishes[k].note_zh);
					cJSON_AddStringToObject(dd, "note_en", dishes[k].note_en);
				}
				cJSON_AddItemToObject(ch, "data", dd);
				cJSON_AddItemToArray(a, ch);
			}
	char *text = cJSON_PrintUnformatted(a);
	cJSON_Delete(a);
	return text;
}

int plat_demo_meals_locked(struct plat *p)
{
	char *week = demo_week(plat_now_ms(p));
	int rc = week ? plat_queue_changes(p, week, strlen(week)) : -1;
	cJSON_free(week);
	return rc;
}

int plat_demo_meals(struct plat *p)
{
	pthread_mutex_lock(&p->mu);
	int rc = plat_demo_meals_locked(p);
	pthread_mutex_unlock(&p->mu);
	return rc;
}
