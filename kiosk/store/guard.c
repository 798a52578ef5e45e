/* Lockouts against guessing: pickup codes (per kiosk) and courier / operator PINs (per
 * person), one rule for both. A lockout escalates (5 min, doubling, capped) and the
 * escalation is forgiven only after a quiet day without a wrong attempt — a right code
 * in between does not reset it, or a guesser with one parcel of his own could reset it
 * at will. When the store cannot write (disk full), attempts are still counted in
 * memory, so guessing stays limited while the disk is full. */
#include "kiosk/store/store_int.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <string.h>

#define QUIET_MS (24LL * 3600 * 1000)

const struct st_guard_policy st_guard_pickup = {5, 10LL * 60 * 1000, 5LL * 60 * 1000,
						60LL * 60 * 1000};
const struct st_guard_policy st_guard_login = {5, 60LL * 60 * 1000, 5LL * 60 * 1000,
					       60LL * 60 * 1000};
/* booking codes: the pickup code's rule, its own counter ("booking") */
static const struct st_guard_policy st_guard_booking = {5, 10LL * 60 * 1000, 5LL * 60 * 1000,
							60LL * 60 * 1000};

struct guard_row {
	int64_t fails, start, until, level;
};

/* The in-memory row for name: found, or a free (or the oldest) slot taken over. */
static struct st_mem_guard *mem_slot(struct kiosk_store *st, const char *name, bool take)
{
	struct st_mem_guard *oldest = &st->mem_guard[0];
	for (int i = 0; i < ST_MEM_GUARDS; i++) {
		struct st_mem_guard *m = &st->mem_guard[i];
		if (m->name[0] && strcmp(m->name, name) == 0)
			return m;
		if (!m->name[0] || m->until < oldest->until)
			oldest = m;
	}
	if (!take)
		return NULL;
	memset(oldest, 0, sizeof *oldest);
	snprintf(oldest->name, sizeof oldest->name, "%s", name);
	return oldest;
}

static int load(struct kiosk_store *st, const char *name, struct guard_row *g)
{
	memset(g, 0, sizeof *g);
	sqlite3_stmt *s = st_q(st,
			       "SELECT fails, window_start, level, locked_until FROM guard"
			       " WHERE name = ?",
			       "t", name);
	if (!s)
		return KIOSK_EDB;
	int rc = st_step(st, s);
	if (rc == 1) {
		g->fails = sqlite3_column_int64(s, 0);
		g->start = sqlite3_column_int64(s, 1);
		g->level = sqlite3_column_int64(s, 2);
		g->until = sqlite3_column_int64(s, 3);
	}
	sqlite3_reset(s);
	return rc < 0 ? rc : KIOSK_OK;
}

int st_guard_check(struct kiosk_store *st, const char *name, int64_t now, int *wait_s)
{
	struct guard_row g;
	int rc = load(st, name, &g);
	if (rc)
		return rc;
	struct st_mem_guard *m = mem_slot(st, name, false);
	int64_t until = m && m->until > g.until ? m->until : g.until;
	if (until > now) {
		*wait_s = (int)((until - now + 999) / 1000);
		return KIOSK_ELOCKED;
	}
	return KIOSK_OK;
}

/* One more wrong attempt on g: KIOSK_EDENIED, or KIOSK_ELOCKED with *wait_s. */
static int count(const struct st_guard_policy *pol, struct guard_row *g, int64_t now,
		 int *wait_s)
{
	/* Forgiven after a quiet day: the last wrong attempt was at most a window after
	 * start (a later one opens a new window), or at the lockout's end. */
	int64_t last = g->start + pol->window_ms > g->until ? g->start + pol->window_ms : g->until;
	if (g->level && now - last > QUIET_MS)
		g->level = 0;
	if (now - g->start > pol->window_ms) {
		g->fails = 0;
		g->start = now;
	}
	*wait_s = 0;
	if (++g->fails < pol->fails)
		return KIOSK_EDENIED;
	int64_t lock = pol->base_ms << (g->level < 4 ? g->level : 4);
	if (lock > pol->max_ms)
		lock = pol->max_ms;
	g->level++;
	g->until = now + lock;
	g->fails = 0;
	g->start = now;
	*wait_s = (int)(lock / 1000);
	return KIOSK_ELOCKED;
}

int st_guard_tries_left(struct kiosk_store *st, const char *name,
			const struct st_guard_policy *pol, int64_t now)
{
	struct guard_row g;
	if (load(st, name, &g))
		return pol->fails; /* unknown: the rule's count, never a lower one that is not so */
	struct st_mem_guard *m = mem_slot(st, name, false);
	int64_t fails = now - g.start > pol->window_ms ? 0 : g.fails;
	if (m && now - m->start <= pol->window_ms && m->fails > fails)
		fails = m->fails;
	int left = pol->fails - (int)fails;
	return left < 1 ? 1 : left;
}

int st_guard_fail(struct kiosk_store *st, const char *name, const struct st_guard_policy *pol,
		  int64_t now, int *wait_s)
{
	struct guard_row g;
	int rc = load(st, name, &g);
	if (rc)
		return rc;
	int result = count(pol, &g, now, wait_s);
	rc = st_do(st,
		   "INSERT INTO guard(name, fails, window_start, locked_until, level)"
		   " VALUES(?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET"
		   " fails = excluded.fails, window_start = excluded.window_start,"
		   " locked_until = excluded.locked_until, level = excluded.level",
		   "tiiii", name, g.fails, g.start, g.until, g.level);
	return rc ? rc : result;
}

int st_guard_touch(struct kiosk_store *st, const char *name, int64_t now)
{
	return st_do(st,
		     "INSERT INTO guard(name, fails, window_start, locked_until, level)"
		     " VALUES(?, 0, ?, 0, 0) ON CONFLICT(name) DO UPDATE SET fails = fails",
		     "ti", name, now);
}

int st_guard_fail_mem(struct kiosk_store *st, const char *name,
		      const struct st_guard_policy *pol, int64_t now, int *wait_s)
{
	struct st_mem_guard *m = mem_slot(st, name, true);
	struct guard_row g = {m->fails, m->start, m->until, m->level};
	int result = count(pol, &g, now, wait_s);
	m->fails = g.fails;
	m->start = g.start;
	m->until = g.until;
	m->level = g.level;
	KLOG_WARN("guard", "event=counted_in_memory name=%s locked=%d", name,
		  result == KIOSK_ELOCKED);
	return result;
}

int64_t kiosk_pickup_locked_until(struct kiosk_store *st)
{
	int wait_s = 0;
	int64_t now = st->now();
	if (st_guard_check(st, "pickup", now, &wait_s) != KIOSK_ELOCKED)
		return 0;
	return now + (int64_t)wait_s * 1000;
}

int kiosk_pickup_tries_left(struct kiosk_store *st)
{
	return st_guard_tries_left(st, "pickup", &st_guard_pickup, st->now());
}

int kiosk_booking_guard_check(struct kiosk_store *st, int *wait_s)
{
	int dummy;
	if (!wait_s)
		wait_s = &dummy;
	*wait_s = 0;
	return st_guard_check(st, "booking", st->now(), wait_s);
}

int kiosk_booking_attempt(struct kiosk_store *st, bool wrong, int *wait_s)
{
	int dummy;
	if (!wait_s)
		wait_s = &dummy;
	*wait_s = 0;
	int64_t now = st->now();
	int rc = st_begin(st);
	if (rc)
		return rc;
	int result = wrong ? st_guard_fail(st, "booking", &st_guard_booking, now, wait_s)
			   : st_guard_touch(st, "booking", now);
	rc = result == KIOSK_EDENIED || result == KIOSK_ELOCKED ? KIOSK_OK : result;
	if (rc == KIOSK_OK && wrong) {
		cJSON *d = cJSON_CreateObject();
		cJSON_AddBoolToObject(d, "locked", result == KIOSK_ELOCKED);
		rc = st_record(st, "resident", "send.wrong_booking", "kiosk", d, NULL, NULL);
		cJSON_Delete(d);
	}
	if (rc == KIOSK_OK)
		rc = st_commit(st);
	else
		st_rollback(st);
	if (rc && wrong) /* the disk cannot take it: counted in memory all the same */
		return st_guard_fail_mem(st, "booking", &st_guard_booking, now, wait_s);
	return rc ? rc : result;
}
