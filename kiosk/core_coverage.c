/* The core's side of 一刻钟达标: the report.coverage event to the platform after each map
 * import, once a week, and once on a store that never sent one. The report is a walk per
 * item of the standard over the whole map (up to a second on a large one): worked out on
 * the worker thread with a read-only connection of its own, its event recorded on the
 * loop in one short transaction. */
#include "kiosk/core_int.h"
#include "kiosk/coverage_report.h"
#include "kiosk/coverage_view.h"
#include "kiosk/store/wishes.h"
#include "hal/base/alloc.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <string.h>

#define WEEK_MS (7LL * 86400 * 1000)

/* The worker's stop, as the coverage's cancel: a report under way ends within one walk
 * when the core stops. */
static bool stopping(void *work)
{
	return kiosk_work_stopping(work);
}

/* What both jobs (the event's report, the page's view) start from: the store and the
 * standard by path, the kiosk's place, the time, the worker to ask about stopping. */
struct job_base {
	struct kiosk_core *c;
	struct kiosk_work *work;
	char store[KIOSK_PATH_MAX], standard[KIOSK_PATH_MAX];
	double lat, lon;
	int64_t now_ms;
	struct geo_cancel cancel;
	char why[256];
	int rc;
};

static void job_base_init(struct job_base *b, struct kiosk_core *c)
{
	b->c = c;
	b->work = c->work;
	snprintf(b->store, sizeof b->store, "%s", c->cfg.store_path);
	kiosk_coverage_standard_path(c->cfg.ui_assets, b->standard, sizeof b->standard);
	b->lat = c->cfg.geo_lat;
	b->lon = c->cfg.geo_lon;
	b->now_ms = kiosk_core_store_ms();
	b->cancel = (struct geo_cancel){stopping, c->work};
}

/* Worker: a read-only connection of the job's own; NULL with rc and why set. */
static struct kiosk_store *job_open(struct job_base *b)
{
	struct kiosk_store_opts o = {.path = b->store, .readonly = true};
	struct kiosk_store *st = NULL;
	if ((b->rc = kiosk_store_open(&o, &st)))
		snprintf(b->why, sizeof b->why, "the store: %s", kiosk_strerror(b->rc));
	return b->rc ? NULL : st;
}

struct coverage_job {
	struct job_base b;
	struct kiosk_coverage_report r; /* (large: on the heap, with the job) */
	cJSON *data;
};

static void coverage_run(void *arg)
{
	struct coverage_job *j = arg;
	struct kiosk_store *st = job_open(&j->b);
	if (!st)
		return;
	j->b.rc = kiosk_coverage_report_cancellable(st, j->b.standard, j->b.lat, j->b.lon,
						    j->b.now_ms, &j->b.cancel, &j->r, j->b.why,
						    sizeof j->b.why);
	kiosk_store_close(st);
	if (j->b.rc == KIOSK_OK && !(j->data = kiosk_coverage_json(&j->r, j->b.now_ms)))
		j->b.rc = KIOSK_ENOMEM;
}

static void coverage_done(void *arg, bool cancelled)
{
	struct coverage_job *j = arg;
	struct kiosk_core *c = j->b.c;
	c->coverage_running = false;
	if (!cancelled && j->b.rc == KIOSK_OK) {
		int rc = kiosk_event_coverage(c->store, j->data);
		if (rc == KIOSK_OK)
			KLOG_INFO("geo", "event=coverage_reported items=%d gaps=%d residences=%zu",
				  j->r.std.nitems, j->r.ngaps, j->r.residences);
		else
			KLOG_WARN("geo", "event=coverage_not_recorded err=%s", kiosk_errname(rc));
	} else if (!cancelled) {
		/* not again for an hour: a broken standard stays broken until someone mends it */
		c->coverage_retry_mono = kiosk_mono_ms() + 3600 * 1000;
		KLOG_WARN("geo", "event=coverage_not_reported reason=\"%s\"", j->b.why);
	}
	cJSON_Delete(j->data);
	kiosk_free(j);
}

static void coverage_async(struct kiosk_core *c)
{
	struct coverage_job *j = kiosk_calloc(1, sizeof *j);
	if (!j)
		return;
	job_base_init(&j->b, c);
	if (kiosk_work_submit(c->work, coverage_run, coverage_done, j) == KIOSK_OK) {
		c->coverage_running = true;
		c->coverage_due = false;
	} else {
		kiosk_free(j); /* the queue is full: the next tick asks again */
	}
}

static void view_async(struct kiosk_core *c, int item);

void kiosk_core_coverage_tick(struct kiosk_core *c)
{
	if (c->cov_again && !c->cov_building && !c->map_reading && !c->nb_building) {
		c->cov_again = false;
		view_async(c, c->cov_next);
	}
	/* after the import's neighbourhood is in (its map in the store, read by then), on a
	 * map with streets */
	if (c->coverage_running || c->map_reading || c->nb_building || !c->nb ||
	    !c->nb->nsegments || kiosk_mono_ms() < c->coverage_retry_mono)
		return;
	int64_t last = c->coverage_due ? 0 : kiosk_coverage_last_ms(c->store);
	if (c->coverage_due || last == 0 || kiosk_core_store_ms() - last >= WEEK_MS)
		coverage_async(c);
}

/* ---- the maintenance page's view ---- */

struct view_job {
	struct job_base b;
	int item;
	struct kiosk_coverage_view *v;
};

static void view_run(void *arg)
{
	struct view_job *j = arg;
	struct kiosk_store *st = job_open(&j->b);
	if (!st)
		return;
	j->b.rc = kiosk_coverage_view_build(st, j->b.standard, j->b.lat, j->b.lon, j->item,
					    j->b.now_ms, &j->b.cancel, &j->v, j->b.why,
					    sizeof j->b.why);
	kiosk_store_close(st);
}


/* The view in, for the screen to take; the next one asked meanwhile started. */
static void view_done(void *arg, bool cancelled)
{
	struct view_job *j = arg;
	struct kiosk_core *c = j->b.c;
	c->cov_building = false;
	if (!cancelled) {
		const struct kiosk_coverage_view *old = NULL;
		pthread_mutex_lock(&c->snap_mu);
		if (j->b.rc == KIOSK_OK) {
			old = c->cov_view;
			c->cov_view = j->v;
			j->v = NULL;
			c->cov_error[0] = '\0';
			c->cov_rc = KIOSK_OK;
		} else {
			snprintf(c->cov_error, sizeof c->cov_error, "%.159s", j->b.why);
			c->cov_rc = j->b.rc;
		}
		c->cov_views++;
		pthread_mutex_unlock(&c->snap_mu);
		kiosk_coverage_view_put(old); /* freed when the screen lets it go too */
		if (j->b.rc)
			KLOG_WARN("geo", "event=coverage_view_failed reason=\"%s\"", j->b.why);
		if (c->cov_again) {
			c->cov_again = false;
			view_async(c, c->cov_next);
		}
		kiosk_core_publish(c);
	}
	kiosk_coverage_view_put(j->v);
	kiosk_free(j);
}

static void view_async(struct kiosk_core *c, int item)
{
	/* one at a time, and on the map as imported: the latest asked goes next (when the
	 * import's neighbourhood is in: kiosk_core_coverage_tick) */
	if (c->cov_building || c->map_reading || c->nb_building) {
		c->cov_again = true;
		c->cov_next = item;
		return;
	}
	struct view_job *j = kiosk_calloc(1, sizeof *j);
	if (!j)
		return;
	job_base_init(&j->b, c);
	j->item = item;
	if (kiosk_work_submit(c->work, view_run, view_done, j) == KIOSK_OK)
		c->cov_building = true;
	else
		kiosk_free(j);
}

static void view_drop(struct kiosk_core *c)
{
	pthread_mutex_lock(&c->snap_mu);
	const struct kiosk_coverage_view *old = c->cov_view;
	c->cov_view = NULL;
	c->cov_error[0] = '\0';
	c->cov_rc = KIOSK_OK;
	pthread_mutex_unlock(&c->snap_mu);
	c->cov_again = false;
	kiosk_coverage_view_put(old);
}

void kiosk_core_coverage_cmd(struct kiosk_core *c, const struct kiosk_request *rq,
			     const struct kiosk_cmd *cmd)
{
	struct kiosk_result res = {.rc = KIOSK_OK};
	char id[KIOSK_CMD_ID];
	snprintf(id, sizeof id, "%.*s", (int)sizeof id - 1, cmd->u.coverage.operator_id);
	if (cmd->u.coverage.item == KIOSK_COVERAGE_DROP)
		view_drop(c); /* anyone may let it go */
	else if (!c->auth.operator_id[0] || strcmp(id, c->auth.operator_id) != 0)
		res.rc = KIOSK_EDENIED; /* the operator logged in at the screen only */
	else
		view_async(c, cmd->u.coverage.item);
	kiosk_core_publish(c);
	kiosk_core_answer(c, rq, &res);
}

void kiosk_core_coverage_stop(struct kiosk_core *c)
{
	kiosk_coverage_view_put(c->cov_view);
	c->cov_view = NULL;
}

const struct kiosk_coverage_view *kiosk_core_coverage(struct kiosk_core *core)
{
	pthread_mutex_lock(&core->snap_mu);
	const struct kiosk_coverage_view *v = core->cov_view;
	kiosk_coverage_view_hold(v);
	pthread_mutex_unlock(&core->snap_mu);
	return v;
}
