/* Shared by the map importers' fuzz targets: what an accepted model must be, and what a
 * refusal must leave. Aborts otherwise. */
#ifndef KIOSK_FUZZ_MODEL_CHECK_H
#define KIOSK_FUZZ_MODEL_CHECK_H

#include "kiosk/geo/category.h"
#include "kiosk/geo/model.h"
#include "hal/base/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int has_node(const struct geo_model *m, int64_t id)
{
	for (size_t i = 0; i < m->nnodes; i++)
		if (m->nodes[i].id == id)
			return 1;
	return 0;
}

static void check_model(int rc, struct geo_model *m, const char *why)
{
	if (rc != KIOSK_OK) {
		if ((rc == KIOSK_EPARSE && !why[0]) || m->nedges || m->npois || m->nodes ||
		    m->nhomes || m->homes)
			abort();
		return;
	}
	for (size_t i = 0; i < m->nedges; i++)
		if (!has_node(m, m->edges[i].a) || !has_node(m, m->edges[i].b) ||
		    !isfinite(m->edges[i].length_m) || m->edges[i].length_m < 0)
			abort();
	for (size_t i = 0; i < m->npois; i++)
		if (!m->pois[i].name_zh[0] || !geo_category_find(m->pois[i].category) ||
		    !(fabs(m->pois[i].lat) <= 90) || !(fabs(m->pois[i].lon) <= 180))
			abort();
	for (size_t i = 0; i < m->nhomes; i++)
		if (!(fabs(m->homes[i].lat) <= 90) || !(fabs(m->homes[i].lon) <= 180) ||
		    (m->homes[i].kind != KIOSK_HOME_BUILDING && m->homes[i].kind != KIOSK_HOME_LAND))
			abort();
	/* the credit is one line that fits its room */
	size_t n = strnlen(m->attribution, sizeof m->attribution);
	if (n == sizeof m->attribution)
		abort();
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)m->attribution[i] < 0x20 || m->attribution[i] == 0x7F)
			abort();
	geo_model_free(m);
}

#endif
