/* Products, slots (the planogram), restock and stock corrections. */
#include "kiosk/store/store_int.h"
#include "hal/base/error.h"

#include <stdio.h>
#include <string.h>

static int product_valid(const struct kiosk_product *p)
{
	return p && st_valid_id(p->id, sizeof p->id) && *p->name_zh && *p->name_en &&
	       *p->category;
}

/* Inside a transaction. */
static int product_put(struct kiosk_store *st, const struct kiosk_product *p)
{
	int rc = st_do(st,
		   "INSERT INTO product(id, name_zh, name_en, category, image) VALUES(?,?,?,?,?)"
		   " ON CONFLICT(id) DO UPDATE SET name_zh=excluded.name_zh,"
		   " name_en=excluded.name_en, category=excluded.category, image=excluded.image",
		   "ttttt", p->id, p->name_zh, p->name_en, p->category, p->image);
	if (rc == KIOSK_OK) {
		cJSON *d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "name_zh", p->name_zh);
		cJSON_AddStringToObject(d, "category", p->category);
		rc = st_record(st, "platform", "product.upsert", p->id, d, NULL, NULL);
		cJSON_Delete(d);
	}
	return rc;
}

int kiosk_product_upsert(struct kiosk_store *st, const struct kiosk_product *p)
{
	return kiosk_product_import(st, p, 1, NULL);
}

int kiosk_product_import(struct kiosk_store *st, const struct kiosk_product *p, size_t n,
			 size_t *bad)
{
	for (size_t i = 0; i < n; i++) {
		if (!product_valid(&p[i])) {
			if (bad)
				*bad = i;
			return KIOSK_EINVAL;
		}
	}
	int rc = st_begin(st);
	for (size_t i = 0; rc == KIOSK_OK && i < n; i++)
		rc = product_put(st, &p[i]);
	if (rc) {
		st_rollback(st);
		return rc;
	}
	return st_commit(st);
}

int kiosk_slot_upsert(struct kiosk_store *st, const struct kiosk_slot *s)
{
	if (!s || !st_valid_id(s->id, sizeof s->id) || !st_valid_id(s->product, sizeof s->product) ||
	    s->price_fen < 0 || s->capacity < 0 || s->capacity > 1000)
		return KIOSK_EINVAL;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = st_do(st,
		   "INSERT INTO slot(id, product, price_fen, capacity, enabled) VALUES(?,?,?,?,?)"
		   " ON CONFLICT(id) DO UPDATE SET product=excluded.product,"
		   " price_fen=excluded.price_fen, capacity=excluded.capacity,"
		   " enabled=excluded.enabled",
		   "ttidd", s->id, s->product, s->price_fen, s->capacity, (int)s->enabled);
	if (rc == KIOSK_OK) {
		cJSON *d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "product", s->product);
		cJSON_AddNumberToObject(d, "price_fen", (double)s->price_fen);
		cJSON_AddNumberToObject(d, "capacity", s->capacity);
		rc = st_record(st, "platform", "slot.upsert", s->id, d, NULL, NULL);
		cJSON_Delete(d);
	}
	if (rc) {
		st_rollback(st);
		return rc; /* CHECK(stock <= capacity) refuses a capacity below stock: EINVAL */
	}
	return st_commit(st);
}

int kiosk_slot_enable(struct kiosk_store *st, const char *slot, bool enabled, const char *by)
{
	int64_t n = 0;
	if (!st_valid_id(slot, KIOSK_ID_MAX) || !st_valid_id(by, KIOSK_ID_MAX))
		return KIOSK_EINVAL;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = st_count(st, "SELECT count(*) FROM slot WHERE id = ?", slot, &n);
	if (rc == KIOSK_OK && !n)
		rc = KIOSK_ENOENT;
	if (rc == KIOSK_OK)
		rc = st_do(st, "UPDATE slot SET enabled = ? WHERE id = ?", "dt", (int)enabled, slot);
	if (rc == KIOSK_OK)
		rc = st_record(st, by, enabled ? "slot.enable" : "slot.disable", slot, NULL, NULL,
			       NULL);
	if (rc) {
		st_rollback(st);
		return rc;
	}
	return st_commit(st);
}

int kiosk_slot_price(struct kiosk_store *st, const char *slot, int64_t price_fen,
		     const char *by)
{
	struct kiosk_slot sl;
	if (!st_valid_id(by, KIOSK_ID_MAX) || price_fen < 1 || price_fen > KIOSK_SLOT_PRICE_MAX)
		return KIOSK_EINVAL;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = kiosk_slot_get(st, slot, &sl);
	if (rc == KIOSK_OK)
		rc = st_do(st, "UPDATE slot SET price_fen = ? WHERE id = ?", "it", price_fen, slot);
	if (rc == KIOSK_OK) { /* what it was and is: the audit is where a price edit is kept */
		cJSON *d = cJSON_CreateObject();
		cJSON_AddNumberToObject(d, "was_fen", (double)sl.price_fen);
		cJSON_AddNumberToObject(d, "price_fen", (double)price_fen);
		rc = st_record(st, by, "slot.price", slot, d, NULL, NULL);
		cJSON_Delete(d);
	}
	if (rc) {
		st_rollback(st);
		return rc;
	}
	return st_commit(st);
}

int kiosk_slot_get(struct kiosk_store *st, const char *id, struct kiosk_slot *out)
{
	if (!st_valid_id(id, KIOSK_ID_MAX) || !out)
		return KIOSK_EINVAL;
	sqlite3_stmt *s = st_q(st,
			       "SELECT coalesce(product, ''), price_fen, capacity, stock, enabled"
			       " FROM slot WHERE id = ?",
			       "t", id);
	if (!s)
		return KIOSK_EDB;
	int rc = st_step(st, s);
	if (rc == 1) {
		memset(out, 0, sizeof *out);
		snprintf(out->id, sizeof out->id, "%s", id);
		st_col_text(s, 0, out->product, sizeof out->product);
		out->price_fen = sqlite3_column_int64(s, 1);
		out->capacity = sqlite3_column_int(s, 2);
		out->stock = sqlite3_column_int(s, 3);
		out->enabled = sqlite3_column_int(s, 4) != 0;
	}
	sqlite3_reset(s);
	return rc == 1 ? KIOSK_OK : rc == 0 ? KIOSK_ENOENT : rc;
}

/* Applies a stock change inside a transaction; the CHECK constraint is the last word on
 * "never below zero, never above capacity". */
static int change_stock(struct kiosk_store *st, const char *slot, int delta, bool restock,
			const char *reason, const char *by)
{
	struct kiosk_slot cur;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = kiosk_slot_get(st, slot, &cur);
	if (rc == KIOSK_OK && (cur.stock + delta < 0 || cur.stock + delta > cur.capacity))
		rc = KIOSK_EINVAL;
	if (rc) {
		st_rollback(st);
		return rc;
	}
	rc = st_do(st,
		   restock ? "UPDATE slot SET stock = stock + ?1, restocked = restocked + ?1"
			     " WHERE id = ?2"
			   : "UPDATE slot SET stock = stock + ?1, adjusted = adjusted + ?1"
			     " WHERE id = ?2",
		   "dt", delta, slot);
	cJSON *data = cJSON_CreateObject();
	cJSON_AddStringToObject(data, "slot", slot);
	if (restock) {
		cJSON_AddNumberToObject(data, "count", delta);
		cJSON_AddStringToObject(data, "by", by);
	} else {
		cJSON_AddNumberToObject(data, "delta", delta);
		cJSON_AddStringToObject(data, "reason", reason);
	}
	if (rc == KIOSK_OK)
		rc = st_record(st, by, restock ? "slot.restock" : "slot.adjust", slot, data,
			       restock ? "inventory.restocked" : "inventory.adjusted", data);
	cJSON_Delete(data);
	if (rc) {
		st_rollback(st);
		return rc;
	}
	return st_commit(st);
}

int kiosk_slot_restock(struct kiosk_store *st, const char *slot, int count, const char *by)
{
	if (count <= 0 || !st_valid_id(by, KIOSK_ID_MAX))
		return KIOSK_EINVAL;
	return change_stock(st, slot, count, true, NULL, by);
}

int kiosk_slot_adjust(struct kiosk_store *st, const char *slot, int delta, const char *reason,
		      const char *by)
{
	if (delta == 0 || !st_valid_id(reason, 128) || !st_valid_id(by, KIOSK_ID_MAX))
		return KIOSK_EINVAL;
	return change_stock(st, slot, delta, false, reason, by);
}
