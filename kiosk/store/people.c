/* Couriers, operators and canteen staff: PIN hashes from the platform, login with lockout. */
#include "kiosk/store/store_int.h"
#include "hal/base/error.h"

#include <stdio.h>
#include <string.h>


int kiosk_person_upsert(struct kiosk_store *st, const char *id, const char *role,
			const char *name, const char *company, const char *pin_hash)
{
	if (!st_valid_id(id, KIOSK_ID_MAX) || !role ||
	    (strcmp(role, "courier") && strcmp(role, "operator") && strcmp(role, "canteen")) ||
	    !st_valid_id(name, 64) ||
	    (company && strlen(company) >= 64) || kiosk_pin_hash_valid(pin_hash) != KIOSK_OK)
		return KIOSK_EINVAL;
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = st_do(st,
		   "INSERT INTO person(id, role, name, company, pin_hash) VALUES(?,?,?,?,?)"
		   " ON CONFLICT(id, role) DO UPDATE SET name = excluded.name,"
		   " company = excluded.company, pin_hash = excluded.pin_hash",
		   "ttttt", id, role, name, company ? company : "", pin_hash);
	if (rc == KIOSK_OK) {
		cJSON *d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "role", role);
		rc = st_record(st, "platform", "person.upsert", id, d, NULL, NULL);
		cJSON_Delete(d);
	}
	if (rc) {
		st_rollback(st);
		return rc;
	}
	return st_commit(st);
}

int kiosk_person_count(struct kiosk_store *st, const char *role, int64_t *n)
{
	if (!role || !n)
		return KIOSK_EINVAL;
	return st_count(st, "SELECT count(*) FROM person WHERE role = ?", role, n);
}

/* A real hash with an unguessable PIN: unknown ids cost the same time as known ones. */
static const char decoy[] = "pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==$"
			    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

int kiosk_person_login_begin(struct kiosk_store *st, const char *id, const char *role,
			     char hash[KIOSK_PINHASH_MAX], bool *known, int *wait_s)
{
	int dummy;
	if (!wait_s)
		wait_s = &dummy;
	*wait_s = 0;
	*known = false;
	snprintf(hash, KIOSK_PINHASH_MAX, "%s", decoy);
	if (!st_valid_id(id, KIOSK_ID_MAX) || !role)
		return KIOSK_EINVAL;
	sqlite3_stmt *s = st_q(st, "SELECT pin_hash FROM person WHERE id = ? AND role = ?", "tt",
			       id, role);
	int found = s ? st_step(st, s) : KIOSK_EDB;
	if (found == 1)
		st_col_text(s, 0, hash, KIOSK_PINHASH_MAX);
	if (s)
		sqlite3_reset(s);
	if (found < 0)
		return found;
	*known = found == 1;
	if (!*known)
		return KIOSK_OK;
	char guard[48];
	snprintf(guard, sizeof guard, "login:%s:%s", role, id);
	return st_guard_check(st, guard, st->now(), wait_s);
}

static int finish(struct kiosk_store *st, const char *id, const char *role, bool pin_ok,
		  int *wait_s)
{
	int rc = st_begin(st);
	if (rc)
		return rc;
	int64_t now = st->now();
	char guard[48];
	snprintf(guard, sizeof guard, "login:%s:%s", role, id);
	/* locked while the PIN was being checked (other attempts): still locked */
	if ((rc = st_guard_check(st, guard, now, wait_s)) != KIOSK_OK) {
		st_rollback(st);
		return rc;
	}
	/* The same lockout rule as pickup codes, per person: escalating, forgiven after a
	 * quiet day, not by the next right PIN. */
	int result = pin_ok ? st_guard_touch(st, guard, now)
			    : st_guard_fail(st, guard, &st_guard_login, now, wait_s);
	rc = result == KIOSK_EDENIED || result == KIOSK_ELOCKED ? KIOSK_OK : result;
	if (rc == KIOSK_OK)
		rc = st_record(st, id, pin_ok ? "login.ok" : "login.failed", role, NULL, NULL,
			       NULL);
	if (rc) {
		st_rollback(st);
		if (!pin_ok)
			st_guard_fail_mem(st, guard, &st_guard_login, now, wait_s);
		return rc;
	}
	rc = st_commit(st);
	if (rc && !pin_ok)
		st_guard_fail_mem(st, guard, &st_guard_login, now, wait_s);
	return rc ? rc : result;
}

int kiosk_person_login_finish(struct kiosk_store *st, const char *id, const char *role,
			      bool known, bool pin_ok, int *wait_s)
{
	int dummy;
	if (!wait_s)
		wait_s = &dummy;
	*wait_s = 0;
	if (!st_valid_id(id, KIOSK_ID_MAX) || !role)
		return KIOSK_EINVAL;
	if (!known)
		return KIOSK_EDENIED;
	/* A right PIN's record need not wait for the disk's flush on the core's thread: lost
	 * to a power cut, so is the session it began, and anything the session did was
	 * synced and took the record to the disk before it. A wrong PIN's count waits: a
	 * power cut must not forgive it. */
	bool relaxed = pin_ok && st_relax(st);
	int rc = finish(st, id, role, pin_ok, wait_s);
	st_unrelax(st, relaxed);
	return rc;
}

int kiosk_person_login(struct kiosk_store *st, const char *id, const char *role, const char *pin,
		       int *wait_s)
{
	char hash[KIOSK_PINHASH_MAX];
	bool known = false;
	if (!pin || !*pin || strlen(pin) > 32)
		return KIOSK_EINVAL;
	int rc = kiosk_person_login_begin(st, id, role, hash, &known, wait_s);
	if (rc)
		return rc;
	bool ok = kiosk_pin_verify(pin, hash) == KIOSK_OK;
	return kiosk_person_login_finish(st, id, role, known, ok, wait_s);
}
