/* The core's side of the neighbourhood: the map file imported at start when newer (or another
 * file), the
 * neighbourhood rebuilt when the map or the services change, and handed to the screens. */
#include "kiosk/core_int.h"
#include "kiosk/geo/model.h"
#include "kiosk/neighbourhood_int.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void kiosk_core_map_import(struct kiosk_core *c)
{
	const char *file = c->cfg.map_file;
	struct stat sb;
	if (!file[0])
		return;
	if (stat(file, &sb) != 0) {
		KLOG_WARN("geo", "event=map_file_missing file=%s", file);
		return;
	}
	/* the stored map came from this file (by name) and is as new as it: nothing to do; a
	 * config naming another file brings that one in, however old */
	char at[32], src[256];
	const char *base = strrchr(file, '/');
	base = base ? base + 1 : file;
	if (kiosk_map_info(c->store, "imported_at", at, sizeof at) == KIOSK_OK &&
	    strtoll(at, NULL, 10) >= (long long)sb.st_mtime * 1000 &&
	    kiosk_map_info(c->store, "source", src, sizeof src) == KIOSK_OK && strcmp(src, base) == 0)
		return;
	struct geo_model m;
	char why[256] = "";
	int rc = geo_import_file(c->store, file, &m, why, sizeof why);
	if (rc)
		KLOG_ERROR("geo", "event=map_not_imported file=%s reason=\"%s\"", file, why);
	geo_model_free(&m);
}

void kiosk_core_map_refresh(struct kiosk_core *c)
{
	char v[96] = "";
	if (kiosk_map_version(c->store, v, sizeof v) != KIOSK_OK || strcmp(v, c->nb_version) == 0)
		return;
	struct kiosk_neighbourhood *nb;
	int rc = kiosk_neighbourhood_build(c->store, c->cfg.geo_lat, c->cfg.geo_lon, &nb);
	if (rc) {
		KLOG_ERROR("geo", "event=neighbourhood_not_built err=%s", kiosk_errname(rc));
		return;
	}
	kiosk_neighbourhood_tiles(nb, c->cfg.map_mbtiles);
	snprintf(c->nb_version, sizeof c->nb_version, "%s", v);
	pthread_mutex_lock(&c->snap_mu);
	const struct kiosk_neighbourhood *old = c->nb;
	c->nb = nb;
	pthread_mutex_unlock(&c->snap_mu);
	kiosk_neighbourhood_put(old); /* freed when no screen holds it any more */
	KLOG_INFO("geo", "event=neighbourhood places=%zu segments=%zu", nb->nplaces,
		  nb->nsegments);
}

const struct kiosk_neighbourhood *kiosk_core_neighbourhood(struct kiosk_core *core)
{
	pthread_mutex_lock(&core->snap_mu);
	const struct kiosk_neighbourhood *nb = core->nb;
	kiosk_neighbourhood_hold(nb);
	pthread_mutex_unlock(&core->snap_mu);
	return nb;
}
