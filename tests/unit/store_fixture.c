#include "store_fixture.h"
#include "kiosk/crypto.h"
#include "hal/base/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int64_t fx_now = 1795867200000LL; /* 2026-11-28T12:00:00Z */

int64_t fx_clock(void)
{
	return fx_now;
}

void fx_path(char *out, size_t n)
{
	char dir[] = "/tmp/kiosk-store-XXXXXX";
	if (!mkdtemp(dir))
		abort();
	snprintf(out, n, "%s/kiosk.db", dir);
}

void fx_cleanup(const char *path)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "rm -rf '%.*s'", (int)(strrchr(path, '/') - path), path);
	if (system(cmd) != 0)
		fprintf(stderr, "cleanup failed: %s\n", cmd);
}

int fx_open(const char *path, const struct kiosk_store_opts *extra, struct kiosk_store **out)
{
	static const uint8_t key[KIOSK_DEVKEY_LEN] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
	struct kiosk_store_opts o = {0};
	if (extra)
		o = *extra;
	o.path = path;
	if (!o.device_key && !o.readonly)
		o.device_key = key;
	if (!o.now_ms)
		o.now_ms = fx_clock;
	return kiosk_store_open(&o, out);
}

void fx_digest(struct kiosk_store *st, char out[65])
{
	static const char *const tables[] = {"meta",   "product", "slot",   "vend_order",
					     "refund", "compartment", "person", "parcel",
					     "door_op", "guard",   "outbox", "dead_letter",
					     "service", "audit"};
	sqlite3 *db = kiosk_store_db(st);
	char *acc = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&acc, &len);
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
		char sql[128];
		snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY rowid", tables[t]);
		if (strcmp(tables[t], "person") == 0 || strcmp(tables[t], "guard") == 0)
			snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY 1", tables[t]);
		/* (the store's own "open until closed" mark is no state of the kiosk's) */
		if (strcmp(tables[t], "meta") == 0)
			snprintf(sql, sizeof sql, "SELECT * FROM meta WHERE key <> 'open' ORDER BY 1");
		sqlite3_stmt *s;
		if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
			abort();
		fprintf(f, "[%s]", tables[t]);
		while (sqlite3_step(s) == SQLITE_ROW) {
			for (int i = 0; i < sqlite3_column_count(s); i++) {
				const void *b = sqlite3_column_blob(s, i);
				int n = sqlite3_column_bytes(s, i);
				fprintf(f, "%d:", n);
				if (b)
					fwrite(b, 1, (size_t)n, f);
			}
			fputc('\n', f);
		}
		sqlite3_finalize(s);
	}
	fclose(f);
	uint8_t h[32];
	kiosk_sha256(acc, len, h);
	kiosk_hex(h, 32, out);
	free(acc);
}

long long fx_int(struct kiosk_store *st, const char *sql)
{
	sqlite3_stmt *s;
	long long v = -1;
	if (sqlite3_prepare_v2(kiosk_store_db(st), sql, -1, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, "fx_int: %s: %s\n", sql, sqlite3_errmsg(kiosk_store_db(st)));
		return -1;
	}
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

const char *fx_pinhash(const char *pin)
{
	static char h1234[KIOSK_PINHASH_MAX], h9999[KIOSK_PINHASH_MAX];
	char *h = strcmp(pin, "1234") == 0 ? h1234 : h9999;
	if (!*h && kiosk_pin_hash(pin, KIOSK_PIN_MIN_ITER, h, KIOSK_PINHASH_MAX) != KIOSK_OK)
		abort();
	return h;
}

void fx_seed(struct kiosk_store *st)
{
	struct kiosk_product p = {"P1", "矿泉水 550ml", "Water 550ml", "drinks", ""};
	struct kiosk_slot a1 = {"A1", "P1", 350, 10, 0, true};
	int rc = kiosk_product_upsert(st, &p);
	rc |= kiosk_slot_upsert(st, &a1);
	rc |= kiosk_compartment_add(st, "S1", 0, 1, KIOSK_SIZE_S);
	rc |= kiosk_compartment_add(st, "S2", 0, 2, KIOSK_SIZE_S);
	rc |= kiosk_compartment_add(st, "M1", 0, 3, KIOSK_SIZE_M);
	rc |= kiosk_compartment_add(st, "L1", 0, 4, KIOSK_SIZE_L);
	rc |= kiosk_person_upsert(st, "C1", "courier", "Wang", "SF", fx_pinhash("1234"));
	rc |= kiosk_person_upsert(st, "OP1", "operator", "Li", "", fx_pinhash("9999"));
	if (rc)
		abort();
}

const struct kiosk_send_req *fx_walkin(const char *carrier, enum kiosk_size size,
				       int64_t amount_fen)
{
	static struct kiosk_send_req r;
	memset(&r, 0, sizeof r);
	snprintf(r.carrier, sizeof r.carrier, "%s", carrier);
	r.size = size;
	r.amount_fen = amount_fen;
	r.pay = amount_fen ? KIOSK_SEND_BY_SENDER : KIOSK_SEND_BY_RECIPIENT;
	snprintf(r.phone, sizeof r.phone, "%s", "13800001234");
	return &r;
}
