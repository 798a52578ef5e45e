/* libFuzzer: OSM XML into a map model — any bytes, never a crash, and what is accepted
 * keeps its shape: every edge between two nodes the model has, a finite non-negative
 * length, every place named, in a category of ours, at a valid position; a refusal says
 * why and leaves the model empty. */
#include "kiosk/geo/category.h"
#include "kiosk/geo/model.h"
#include "hal/base/error.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int has_node(const struct geo_model *m, int64_t id)
{
	for (size_t i = 0; i < m->nnodes; i++)
		if (m->nodes[i].id == id)
			return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct geo_model m;
	char why[160] = "";
	int rc = geo_model_from_osm((const char *)data, size, &m, why, sizeof why);
	if (rc != KIOSK_OK) {
		if ((rc == KIOSK_EPARSE && !why[0]) || m.nedges || m.npois || m.nodes)
			abort();
		return 0;
	}
	for (size_t i = 0; i < m.nedges; i++)
		if (!has_node(&m, m.edges[i].a) || !has_node(&m, m.edges[i].b) ||
		    !isfinite(m.edges[i].length_m) || m.edges[i].length_m < 0)
			abort();
	for (size_t i = 0; i < m.npois; i++)
		if (!m.pois[i].name_zh[0] || !geo_category_find(m.pois[i].category) ||
		    !(fabs(m.pois[i].lat) <= 90) || !(fabs(m.pois[i].lon) <= 180))
			abort();
	geo_model_free(&m);
	return 0;
}
