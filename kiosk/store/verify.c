/* The store's full page check (PRAGMA quick_check) off the hot path: never on every open
 * (on a large store it is most of the start-up, before systemd hears the kiosk is ready),
 * only after an unclean shutdown, on a thread of its own with its own read-only
 * connection (WAL lets it read beside the writer). Its verdict is kept for status. */
#include "kiosk/store/store_int.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <string.h>

static void *verify_main(void *arg)
{
	struct kiosk_store *st = arg;
	sqlite3 *db = NULL;
	char msg[160] = "";
	enum kiosk_verify v = KIOSK_VERIFY_DAMAGED;
	int rc = sqlite3_open_v2(st->path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
	sqlite3_stmt *s = NULL;
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "PRAGMA quick_check(8)", -1, &s, NULL);
	if (rc == SQLITE_OK) {
		size_t n = 0;
		while (sqlite3_step(s) == SQLITE_ROW && n < sizeof msg - 1) {
			const char *t = (const char *)sqlite3_column_text(s, 0);
			int w = snprintf(msg + n, sizeof msg - n, "%s%s", n ? "; " : "", t ? t : "");
			n += w > 0 ? (size_t)w : 0;
		}
		v = strcmp(msg, "ok") == 0 ? KIOSK_VERIFY_OK : KIOSK_VERIFY_DAMAGED;
	} else {
		snprintf(msg, sizeof msg, "%s", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	if (v == KIOSK_VERIFY_OK)
		KLOG_INFO("store", "event=verified file=%s", st->path);
	else
		KLOG_ERROR("store", "event=damaged file=%s detail=\"%s\"", st->path, msg);
	pthread_mutex_lock(&st->verify_mu);
	st->verify = v;
	snprintf(st->verify_msg, sizeof st->verify_msg, "%s", msg);
	pthread_mutex_unlock(&st->verify_mu);
	return NULL;
}

int st_verify_start(struct kiosk_store *st)
{
	st->verify = KIOSK_VERIFY_RUNNING;
	int perr = pthread_create(&st->verify_thread, NULL, verify_main, st);
	if (perr) {
		st->verify = KIOSK_VERIFY_NOT_NEEDED;
		KLOG_ERROR("store", "event=verify_not_started errno=%d", perr);
		return kiosk_err_from_errno(perr);
	}
	st->verify_started = true;
	KLOG_WARN("store", "event=unclean_shutdown file=%s check=started", st->path);
	return KIOSK_OK;
}

void st_verify_join(struct kiosk_store *st)
{
	if (st->verify_started)
		pthread_join(st->verify_thread, NULL);
	st->verify_started = false;
}

enum kiosk_verify kiosk_store_verify_state(struct kiosk_store *st, char *msg, size_t cap)
{
	pthread_mutex_lock(&st->verify_mu);
	enum kiosk_verify v = st->verify;
	if (msg && cap)
		snprintf(msg, cap, "%s", st->verify_msg);
	pthread_mutex_unlock(&st->verify_mu);
	return v;
}

const char *kiosk_verify_name(enum kiosk_verify v)
{
	static const char *const names[] = {"not_needed", "running", "ok", "damaged"};
	return (unsigned)v < sizeof names / sizeof names[0] ? names[v] : "?";
}
