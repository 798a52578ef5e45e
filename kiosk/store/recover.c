/* Recovery at open: every intent without an outcome is resolved, in one transaction. */
#include "kiosk/store/store_int.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <string.h>

int st_vend_recover(struct kiosk_store *st);
int st_locker_recover(struct kiosk_store *st);
int st_send_recover(struct kiosk_store *st);
int st_meal_recover(struct kiosk_store *st);

int st_recover(struct kiosk_store *st)
{
	memset(&st->rec, 0, sizeof st->rec);
	int rc = st_begin(st);
	if (rc)
		return rc;
	rc = st_vend_recover(st);
	if (rc == KIOSK_OK) /* after the vends: the orders it ended owe their cash */
		rc = st_cash_recover(st);
	if (rc == KIOSK_OK)
		rc = st_locker_recover(st);
	if (rc == KIOSK_OK)
		rc = st_send_recover(st);
	if (rc == KIOSK_OK)
		rc = st_meal_recover(st);
	if (rc) {
		st_rollback(st);
		KLOG_ERROR("store", "event=recovery_failed err=%s", kiosk_errname(rc));
		return rc;
	}
	rc = st_commit(st);
	const struct kiosk_recovery *r = &st->rec;
	if (rc == KIOSK_OK && (r->vends_refunded || r->vends_proved || r->vends_cancelled ||
			       r->doors_unknown || r->reservations_released || r->sends_cancelled ||
			       r->sends_assumed_in || r->vends_uncertain || r->takeouts_assumed_out ||
			       r->payouts_unknown || r->cash_owed || r->board_money_held ||
			       r->meals_dropped))
		KLOG_WARN("store",
			  "event=recovered vends_refunded=%d vends_proved=%d vends_cancelled=%d"
			  " vends_uncertain=%d doors_unknown=%d reservations_released=%d"
			  " sends_cancelled=%d sends_assumed_in=%d takeouts_assumed_out=%d"
			  " payouts_unknown=%d cash_owed=%d board_money_held=%d meals_dropped=%d",
			  r->vends_refunded, r->vends_proved, r->vends_cancelled, r->vends_uncertain,
			  r->doors_unknown, r->reservations_released, r->sends_cancelled,
			  r->sends_assumed_in, r->takeouts_assumed_out, r->payouts_unknown,
			  r->cash_owed, r->board_money_held, r->meals_dropped);
	return rc;
}
