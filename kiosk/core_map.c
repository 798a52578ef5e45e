/* The core's side of the neighbourhood: the map file imported at start when newer (or
 * another file), the neighbourhood built at start and rebuilt — on the worker thread, with
 * a connection of its own — when the map or the services change, and handed to the
 * screens by one pointer swap. */
#include "kiosk/core_int.h"
#include "kiosk/geo/model.h"
#include "kiosk/neighbourhood_int.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The screens were told the map is being prepared: tell them it no longer is (only then,
 * so that nothing else publishes for a neighbourhood rebuilt in the background). */
static void publish_if_preparing(struct kiosk_core *c)
{
	pthread_mutex_lock(&c->snap_mu);
	bool said = c->snap.map_preparing;
	pthread_mutex_unlock(&c->snap_mu);
	if (said)
		kiosk_core_publish(c);
}

/* The map file read and written into the store on the worker, with a connection of its
 * own: the streets go in by short transactions and in by one quick swap (store/map.c), so
 * the core's own writes — a pickup meanwhile — wait a few milliseconds at most. Then the
 * neighbourhood is built, also on the worker. Meanwhile the screens are up, the map
 * saying it is being prepared. */
struct import_job {
	struct kiosk_core *c;
	char file[KIOSK_PATH_MAX], store[KIOSK_PATH_MAX];
	size_t max;
	char why[256];
	int rc;
};

static void import_run(void *arg)
{
	struct import_job *j = arg;
	struct geo_model m;
	j->rc = geo_model_read_file(j->file, j->max, &m, j->why, sizeof j->why);
	if (j->rc)
		return;
	struct kiosk_store_opts o = {.path = j->store, .bulk = true, .now_ms = kiosk_core_store_ms};
	struct kiosk_store *st;
	j->rc = kiosk_store_open(&o, &st);
	if (j->rc)
		snprintf(j->why, sizeof j->why, "the store: %s", kiosk_strerror(j->rc));
	else
		j->rc = geo_model_store(st, &m, j->file, j->why, sizeof j->why);
	kiosk_store_close(st);
	geo_model_free(&m);
}

static void import_done(void *arg, bool cancelled)
{
	struct import_job *j = arg;
	struct kiosk_core *c = j->c;
	c->map_reading = false;
	if (!cancelled && j->rc)
		KLOG_ERROR("geo", "event=map_not_imported file=%s reason=\"%s\"", j->file, j->why);
	if (!cancelled && j->rc == KIOSK_OK)
		c->coverage_due = true; /* once its neighbourhood is in */
	kiosk_free(j);
	if (!cancelled) {
		kiosk_core_map_refresh_async(c);
		publish_if_preparing(c); /* a broken file: "no map" now, not "preparing" */
	}
}

/* Is the configured map file newer than (or other than) the stored map? */
static bool import_needed(struct kiosk_core *c, const char *file)
{
	struct stat sb;
	if (!file[0])
		return false;
	if (stat(file, &sb) != 0) {
		KLOG_WARN("geo", "event=map_file_missing file=%s", file);
		return false;
	}
	/* the stored map came from this file (by name) and is as new as it: nothing to do; a
	 * config naming another file brings that one in, however old */
	char at[32], src[256];
	const char *base = strrchr(file, '/');
	base = base ? base + 1 : file;
	return !(kiosk_map_info(c->store, "imported_at", at, sizeof at) == KIOSK_OK &&
		 strtoll(at, NULL, 10) >= (long long)sb.st_mtime * 1000 &&
		 kiosk_map_info(c->store, "source", src, sizeof src) == KIOSK_OK &&
		 strcmp(src, base) == 0);
}

void kiosk_core_map_start(struct kiosk_core *c)
{
	if (!import_needed(c, c->cfg.map_file)) {
		kiosk_core_map_refresh_async(c);
		return;
	}
	struct import_job *j = kiosk_calloc(1, sizeof *j);
	if (!j)
		return;
	j->c = c;
	snprintf(j->file, sizeof j->file, "%s", c->cfg.map_file);
	snprintf(j->store, sizeof j->store, "%s", c->cfg.store_path);
	j->max = (size_t)c->cfg.map_max_mb << 20;
	if (kiosk_work_submit(c->work, import_run, import_done, j) == KIOSK_OK) {
		c->map_reading = true;
	} else {
		kiosk_free(j);
		kiosk_core_map_refresh_async(c);
	}
}

/* The new neighbourhood goes to the screens by one pointer swap: a screen holding the old
 * one keeps it until it lets go. */
static void install(struct kiosk_core *c, struct kiosk_neighbourhood *nb, const char *version)
{
	snprintf(c->nb_version, sizeof c->nb_version, "%s", version);
	pthread_mutex_lock(&c->snap_mu);
	const struct kiosk_neighbourhood *old = c->nb;
	c->nb = nb;
	pthread_mutex_unlock(&c->snap_mu);
	kiosk_neighbourhood_put(old); /* freed when no screen holds it any more */
	KLOG_INFO("geo", "event=neighbourhood places=%zu segments=%zu", nb->nplaces,
		  nb->nsegments);
}

struct nb_job {
	struct kiosk_core *c;
	char path[KIOSK_PATH_MAX], mbtiles[KIOSK_PATH_MAX], version[96];
	double lat, lon;
	struct kiosk_neighbourhood *nb;
	int rc;
};

static void nb_run(void *arg)
{
	struct nb_job *j = arg;
	struct kiosk_store_opts o = {.path = j->path, .readonly = true};
	struct kiosk_store *st;
	j->rc = kiosk_store_open(&o, &st);
	if (j->rc)
		return;
	j->rc = kiosk_neighbourhood_build(st, j->lat, j->lon, &j->nb);
	if (j->rc == KIOSK_OK)
		kiosk_neighbourhood_tiles(j->nb, j->mbtiles);
	kiosk_store_close(st);
}

static void nb_done(void *arg, bool cancelled)
{
	struct nb_job *j = arg;
	j->c->nb_building = false;
	if (!cancelled && j->rc == KIOSK_OK) {
		install(j->c, j->nb, j->version);
		j->nb = NULL;
		publish_if_preparing(j->c); /* the map is ready */
		kiosk_core_coverage_tick(j->c); /* its coverage, when an import brought it */
	} else if (!cancelled) {
		KLOG_ERROR("geo", "event=neighbourhood_not_built err=%s", kiosk_errname(j->rc));
	}
	if (j->nb)
		kiosk_neighbourhood_put(j->nb);
	kiosk_free(j);
}

void kiosk_core_map_refresh_async(struct kiosk_core *c)
{
	kiosk_core_coverage_tick(c); /* (asked at the same quarter minute) */
	char v[96] = "";
	if (c->nb_building || kiosk_map_version(c->store, v, sizeof v) != KIOSK_OK ||
	    strcmp(v, c->nb_version) == 0)
		return;
	struct nb_job *j = kiosk_calloc(1, sizeof *j);
	if (!j)
		return;
	j->c = c;
	snprintf(j->path, sizeof j->path, "%s", c->cfg.store_path);
	snprintf(j->mbtiles, sizeof j->mbtiles, "%s", c->cfg.map_mbtiles);
	snprintf(j->version, sizeof j->version, "%s", v);
	j->lat = c->cfg.geo_lat;
	j->lon = c->cfg.geo_lon;
	if (kiosk_work_submit(c->work, nb_run, nb_done, j) == KIOSK_OK)
		c->nb_building = true;
	else
		kiosk_free(j); /* the queue is full: the next tick tries again */
}

const struct kiosk_neighbourhood *kiosk_core_neighbourhood(struct kiosk_core *core)
{
	pthread_mutex_lock(&core->snap_mu);
	const struct kiosk_neighbourhood *nb = core->nb;
	kiosk_neighbourhood_hold(nb);
	pthread_mutex_unlock(&core->snap_mu);
	return nb;
}
