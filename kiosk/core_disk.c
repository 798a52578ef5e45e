/* The core's side of a full disk: the store's reserve (kiosk/store/reserve.c) kept whole
 * from start, given back the moment a write fails for space — pickups and door outcomes go
 * on in its room, new parcels are refused with "disk full" — and the full state left only
 * once the reserve could be made whole again (space truly back, not the reserve's own
 * room). Making it writes and syncs megabytes: on the worker, never on this loop. */
#include "kiosk/core_int.h"
#include "kiosk/store/reserve.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

struct keep_job {
	struct kiosk_core *c;
	int rc;
};

static void keep_run(void *arg)
{
	struct keep_job *j = arg;
	j->rc = kiosk_store_reserve_keep(j->c->store);
}

static void keep_done(void *arg, bool cancelled)
{
	struct keep_job *j = arg;
	struct kiosk_core *c = j->c;
	int rc = j->rc;
	kiosk_free(j);
	if (cancelled)
		return;
	c->reserve_busy = false;
	if (rc == KIOSK_OK && c->disk_full) {
		/* and the store itself takes a write */
		rc = kiosk_store_probe_write(c->store);
		(void)kiosk_store_disk_full_seen(c->store); /* the probe's own failure: known */
		if (rc == KIOSK_OK) {
			c->disk_full = false;
			KLOG_INFO("core", "event=disk_space_back");
			kiosk_core_publish(c);
		}
	} else if (rc != KIOSK_OK && !c->disk_full) {
		/* no room for the reserve at all: the disk is as good as full, and said so */
		KLOG_ERROR("core", "event=disk_full store=%s reason=no_room_for_reserve",
			   c->cfg.store_path);
		kiosk_core_disk_full(c);
		kiosk_core_publish(c);
	}
}

static void keep_async(struct kiosk_core *c)
{
	if (c->reserve_busy)
		return;
	struct keep_job *j = kiosk_calloc(1, sizeof *j);
	if (!j)
		return;
	j->c = c;
	if (kiosk_work_submit(c->work, keep_run, keep_done, j) == KIOSK_OK)
		c->reserve_busy = true;
	else
		kiosk_free(j);
}

void kiosk_core_disk_start(struct kiosk_core *c)
{
	keep_async(c);
}

void kiosk_core_disk_full(struct kiosk_core *c)
{
	if (c->disk_full)
		return;
	c->disk_full = true;
	kiosk_store_reserve_release(c->store);
}

void kiosk_core_disk_tick(struct kiosk_core *c)
{
	if (c->disk_full)
		keep_async(c);
}
