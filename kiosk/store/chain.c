/* The audit chain: each row's hash covers the row and the hash before it. Written by
 * st_record (store.c), walked by db check (check.c) and by the archive (archive.c), which
 * moves the chain's oldest rows out and leaves a checkpoint — the last moved row's n and
 * hash — that the first row kept here chains to. */
#include "kiosk/store/store_int.h"
#include "kiosk/crypto.h"
#include "hal/base/error.h"
#include "hal/base/alloc.h"

#include <stdio.h>
#include <string.h>

/* The hash covers every field with a length prefix, so no two rows can be made to hash
 * alike by moving bytes between fields. */
void st_audit_hash(const uint8_t prev[32], int64_t n, int64_t at, const char *actor,
		   const char *action, const char *subject, const char *detail, int64_t ev,
		   uint8_t out[32])
{
	char head[96];
	size_t len = 0, cap = 96 + strlen(actor) + strlen(action) + strlen(subject) +
			      strlen(detail) + 64;
	uint8_t *buf = kiosk_malloc(cap + 32);
	if (!buf) { /* hash something that cannot match, and the verifier will say so */
		memset(out, 0, 32);
		return;
	}
	memcpy(buf, prev, 32);
	len = 32;
	const char *f[] = {actor, action, subject, detail};
	int h = snprintf(head, sizeof head, "%lld|%lld|%lld|", (long long)n, (long long)at,
			 (long long)ev);
	memcpy(buf + len, head, (size_t)h);
	len += (size_t)h;
	for (int i = 0; i < 4; i++) {
		len += (size_t)snprintf((char *)buf + len, cap + 32 - len, "%zu:", strlen(f[i]));
		memcpy(buf + len, f[i], strlen(f[i]));
		len += strlen(f[i]);
	}
	kiosk_sha256(buf, len, out);
	kiosk_free(buf);
}

static int chain_fail(char *msg, size_t len, long long n, const char *why)
{
	snprintf(msg, len, "audit chain broken at row %lld%s", n, why);
	return KIOSK_ECORRUPT;
}

/* Does the row at s (n, at_ms, actor, action, subject, detail, event_seq or -1, prev,
 * hash) chain to prev and hash as its fields say? */
static bool row_holds(sqlite3_stmt *s, const uint8_t prev[32])
{
	const char *f[4];
	for (int i = 0; i < 4; i++)
		f[i] = (const char *)sqlite3_column_text(s, 2 + i);
	if (sqlite3_column_bytes(s, 7) != 32 || sqlite3_column_bytes(s, 8) != 32 || !f[0] ||
	    !f[1] || !f[2] || !f[3])
		return false;
	uint8_t want[32];
	st_audit_hash(prev, sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1), f[0], f[1],
		      f[2], f[3], sqlite3_column_int64(s, 6), want);
	return memcmp(sqlite3_column_blob(s, 7), prev, 32) == 0 &&
	       memcmp(sqlite3_column_blob(s, 8), want, 32) == 0;
}

int st_chain_start(sqlite3 *db, bool full, struct st_chain *c, char *msg, size_t len)
{
	memset(c, 0, sizeof *c);
	c->next_n = 1;
	if (full)
		return KIOSK_OK;
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(db,
				    "SELECT kind, n, hash, event_seq FROM main.audit_checkpoint"
				    " ORDER BY n DESC",
				    -1, &s, NULL);
	if (rc != SQLITE_OK)
		return KIOSK_EDB;
	bool first = true;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(s, 0);
		if (kind && strcmp(kind, "archived") == 0)
			c->archived_seq = sqlite3_column_int64(s, 3);
		if (!first)
			continue;
		first = false; /* the later checkpoint is where the walk starts */
		c->next_n = sqlite3_column_int64(s, 1) + 1;
		if (sqlite3_column_bytes(s, 2) == 32)
			memcpy(c->prev, sqlite3_column_blob(s, 2), 32);
		c->verified_in_main = kind && strcmp(kind, "verified") == 0;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return KIOSK_EDB;
	if (!c->verified_in_main)
		return KIOSK_OK;
	/* The verified row is still here: it must still hash as it did, over what it holds
	 * now (a row changed since would otherwise pass unseen: the walk starts after it). */
	rc = sqlite3_prepare_v2(db,
				"SELECT n, at_ms, actor, action, subject, detail,"
				" coalesce(event_seq, -1), prev, hash FROM main.audit WHERE n = ?",
				-1, &s, NULL);
	if (rc != SQLITE_OK)
		return KIOSK_EDB;
	sqlite3_bind_int64(s, 1, c->next_n - 1);
	rc = sqlite3_step(s);
	bool same = rc == SQLITE_ROW && sqlite3_column_bytes(s, 7) == 32 &&
		    row_holds(s, sqlite3_column_blob(s, 7)) &&
		    memcmp(sqlite3_column_blob(s, 8), c->prev, 32) == 0;
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return KIOSK_EDB;
	return same ? KIOSK_OK : chain_fail(msg, len, (long long)(c->next_n - 1), " (its checkpoint)");
}

int st_chain_walk(sqlite3 *db, const char *sql, struct st_chain *c, char *msg, size_t len)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return KIOSK_EDB;
	sqlite3_bind_int64(s, 1, c->next_n);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t n = sqlite3_column_int64(s, 0);
		if (n != c->next_n || !row_holds(s, c->prev)) {
			sqlite3_finalize(s);
			return chain_fail(msg, len, (long long)n, "");
		}
		memcpy(c->prev, sqlite3_column_blob(s, 8), 32);
		c->next_n++;
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? KIOSK_OK : KIOSK_EDB;
}
