/* The outbox: events waiting for the platform, acked by seq, refused ones dead-lettered. */
#include "kiosk/store/store_int.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <string.h>

void kiosk_outbox_batch_free(struct kiosk_event_batch *b)
{
	if (!b || !b->ev)
		return;
	for (int i = 0; i < b->n; i++) {
		if (b->ev[i].data) /* may hold a pickup code */
			kiosk_cleanse(b->ev[i].data, strlen(b->ev[i].data));
		kiosk_free(b->ev[i].data);
	}
	kiosk_free(b->ev);
	b->ev = NULL;
	b->n = 0;
}

int kiosk_outbox_peek(struct kiosk_store *st, int max, struct kiosk_event_batch *out)
{
	return kiosk_outbox_peek_after(st, 0, max, out);
}

int kiosk_outbox_peek_after(struct kiosk_store *st, int64_t after, int max,
			    struct kiosk_event_batch *out)
{
	if (!out || max < 1 || max > 500)
		return KIOSK_EINVAL;
	out->n = 0;
	out->ev = kiosk_calloc((size_t)max, sizeof *out->ev);
	if (!out->ev)
		return KIOSK_ENOMEM;
	sqlite3_stmt *s = st_q(st,
			       "SELECT seq, id, type, at_ms, data FROM outbox WHERE sent = 0"
			       " AND seq > ? ORDER BY seq LIMIT ?",
			       "id", after, max);
	int rc = s ? 0 : KIOSK_EDB;
	while (s && (rc = st_step(st, s)) == 1) {
		struct kiosk_event *e = &out->ev[out->n];
		e->seq = sqlite3_column_int64(s, 0);
		st_col_text(s, 1, e->id, sizeof e->id);
		st_col_text(s, 2, e->type, sizeof e->type);
		e->at_ms = sqlite3_column_int64(s, 3);
		e->data = kiosk_strdup((const char *)sqlite3_column_text(s, 4));
		if (!e->data) {
			rc = KIOSK_ENOMEM;
			break;
		}
		out->n++;
	}
	if (s)
		sqlite3_reset(s);
	if (rc < 0) {
		kiosk_outbox_batch_free(out);
		return rc;
	}
	return KIOSK_OK;
}

static int ack(struct kiosk_store *st, int64_t through)
{
	int64_t last = 0;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = st_count(st, "SELECT value FROM meta WHERE key = 'outbox_seq'", NULL, &last);
	if (rc == KIOSK_OK && (through < 1 || through > last))
		rc = KIOSK_EINVAL;
	/* The plain pickup code and sender's phone have reached the platform: they have no
	 * business here any more. */
	if (rc == KIOSK_OK)
		rc = st_do(st,
			   "UPDATE outbox SET data = json_remove(data, '$.pickup_code')"
			   " WHERE sent = 0 AND seq <= ? AND type = 'parcel.deposited'",
			   "i", through);
	if (rc == KIOSK_OK)
		rc = st_do(st,
			   "UPDATE outbox SET data = json_remove(data, '$.sender_phone')"
			   " WHERE sent = 0 AND seq <= ? AND type = 'parcel.send_requested'",
			   "i", through);
	if (rc == KIOSK_OK)
		rc = st_do(st, "UPDATE outbox SET sent = 1 WHERE sent = 0 AND seq <= ?", "i",
			   through);
	if (rc == KIOSK_OK)
		rc = st_do(st, "UPDATE meta SET value = value - ? WHERE key = 'outbox_unsent'", "i",
			   (int64_t)st_changes(st));
	if (rc) {
		st_rollback(st);
		return rc;
	}
	return st_commit(st);
}

int kiosk_outbox_ack(struct kiosk_store *st, int64_t through)
{
	/* An ack lost to a power cut costs one resend, which the platform keeps once: it
	 * need not wait for the disk's flush as a sale or a parcel does. */
	bool relaxed = st_relax(st); /* (not inside a bulk transaction) */
	int rc = ack(st, through);
	if (rc == KIOSK_OK) /* the plain codes and phones left the outbox rows */
		atomic_fetch_add(&st->erased, 1);
	st_unrelax(st, relaxed);
	return rc;
}

int kiosk_outbox_dead_letter(struct kiosk_store *st, int64_t seq, const char *error)
{
	if (seq < 1 || !st_valid_id(error, 256))
		return KIOSK_EINVAL;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = st_do(st,
		   "INSERT INTO dead_letter(seq, id, type, at_ms, data, error, moved_ms)"
		   " SELECT seq, id, type, at_ms,"
		   " json_remove(data, '$.pickup_code', '$.sender_phone'), ?, ?"
		   " FROM outbox WHERE seq = ? AND sent = 0",
		   "tii", error, st->now(), seq);
	if (rc == KIOSK_OK && st_changes(st) == 0)
		rc = KIOSK_ENOENT;
	if (rc == KIOSK_OK)
		rc = st_do(st, "DELETE FROM outbox WHERE seq = ?", "i", seq);
	if (rc == KIOSK_OK)
		rc = st_do(st, "UPDATE meta SET value = value - 1 WHERE key = 'outbox_unsent'", NULL);
	if (rc == KIOSK_OK)
		KLOG_WARN("outbox", "event=dead_letter seq=%lld", (long long)seq);
	if (rc) {
		st_rollback(st);
		return rc;
	}
	return st_commit(st);
}

int kiosk_outbox_last_code(struct kiosk_store *st, char *code)
{
	sqlite3_stmt *s = st_q(st,
			       "SELECT json_extract(data, '$.pickup_code') FROM outbox WHERE sent = 0"
			       " AND type = 'parcel.deposited' ORDER BY seq DESC LIMIT 1",
			       NULL);
	if (!s)
		return KIOSK_EDB;
	int rc = st_step(st, s);
	if (rc == 1)
		st_col_text(s, 0, code, 9);
	sqlite3_reset(s);
	return rc == 1 ? KIOSK_OK : rc == 0 ? KIOSK_ENOENT : rc;
}

int kiosk_outbox_count_type(struct kiosk_store *st, const char *type, int64_t *n)
{
	if (!st_valid_id(type, 40) || !n)
		return KIOSK_EINVAL;
	return st_count(st, "SELECT count(*) FROM outbox WHERE type = ?", type, n);
}

int kiosk_outbox_depth(struct kiosk_store *st, int64_t *unsent, int64_t *last_seq)
{
	int rc = st_count(st, "SELECT value FROM meta WHERE key = 'outbox_unsent'", NULL, unsent);
	if (rc == KIOSK_OK)
		rc = st_count(st, "SELECT value FROM meta WHERE key = 'outbox_seq'", NULL, last_seq);
	return rc;
}

int kiosk_outbox_fate(struct kiosk_store *st, int64_t seq, enum kiosk_event_fate *out)
{
	/* Gone from the outbox and not a dead letter: acked, and archived since. */
	sqlite3_stmt *s = st_q(st,
			       "SELECT CASE WHEN ?1 < 1 OR ?1 > (SELECT value FROM meta"
			       " WHERE key = 'outbox_seq') THEN -1"
			       " WHEN EXISTS(SELECT 1 FROM dead_letter WHERE seq = ?1) THEN 2"
			       " ELSE coalesce((SELECT sent FROM outbox WHERE seq = ?1), 1) END",
			       "i", seq);
	if (!s)
		return KIOSK_EDB;
	int rc = st_step(st, s);
	int64_t v = rc == 1 ? sqlite3_column_int64(s, 0) : -1;
	sqlite3_reset(s);
	if (rc < 0)
		return rc;
	if (v < 0)
		return KIOSK_ENOENT;
	*out = v == 2 ? KIOSK_EVENT_REFUSED : v == 1 ? KIOSK_EVENT_DELIVERED : KIOSK_EVENT_WAITING;
	return KIOSK_OK;
}

int kiosk_outbox_urgent(struct kiosk_store *st, bool *any)
{
	int64_t n = 0;
	int rc = st_count(st,
			  "SELECT EXISTS(SELECT 1 FROM outbox WHERE sent = 0"
			  " AND type = 'help.requested')",
			  NULL, &n);
	*any = n != 0;
	return rc;
}
