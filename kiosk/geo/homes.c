#include "kiosk/geo/homes.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"

#include <math.h>
#include <string.h>

bool geo_home_building(const struct geo_tag *tags, int ntags)
{
	static const char *const kinds[] = {"residential", "apartments", "house",
					    "detached",    "semidetached_house", "terrace",
					    "bungalow",    "dormitory",  NULL};
	const char *b = geo_tag_get(tags, ntags, "building");
	for (int i = 0; b && kinds[i]; i++)
		if (strcmp(b, kinds[i]) == 0)
			return true;
	return false;
}

bool geo_home_land(const struct geo_tag *tags, int ntags)
{
	const char *l = geo_tag_get(tags, ntags, "landuse");
	return l && strcmp(l, "residential") == 0;
}

/* Metres east and north of (lat0, lon0): flat enough within a neighbourhood. */
#define M_PER_DEG_LAT 110540.0
#define M_PER_DEG_LON 111320.0

/* Even-odd rule over the ring's edges, in degrees (the same flat projection). */
static bool inside(const struct geo_ring *r, double lat, double lon)
{
	bool in = false;
	for (int i = 0, j = r->n - 1; i < r->n; j = i++) {
		double yi = r->pts[i][0], xi = r->pts[i][1], yj = r->pts[j][0], xj = r->pts[j][1];
		if ((yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi)
			in = !in;
	}
	return in;
}

static void bounds(const struct geo_ring *r, double *lat0, double *lon0, double *lat1,
		   double *lon1)
{
	*lat0 = *lat1 = r->pts[0][0];
	*lon0 = *lon1 = r->pts[0][1];
	for (int i = 1; i < r->n; i++) {
		*lat0 = fmin(*lat0, r->pts[i][0]);
		*lat1 = fmax(*lat1, r->pts[i][0]);
		*lon0 = fmin(*lon0, r->pts[i][1]);
		*lon1 = fmax(*lon1, r->pts[i][1]);
	}
}

static bool holds_building(const struct geo_ring *r, const struct kiosk_map_home *b, size_t nb)
{
	double lat0, lon0, lat1, lon1;
	bounds(r, &lat0, &lon0, &lat1, &lon1);
	for (size_t k = 0; k < nb; k++)
		if (b[k].lat >= lat0 && b[k].lat <= lat1 && b[k].lon >= lon0 && b[k].lon <= lon1 &&
		    inside(r, b[k].lat, b[k].lon))
			return true;
	return false;
}

static int add(struct kiosk_map_home **homes, size_t *n, size_t *cap, double lat, double lon)
{
	if (!(fabs(lat) <= 90 && fabs(lon) <= 180)) /* (a shape at a pole: not a neighbourhood) */
		return KIOSK_OK;
	if (kiosk_grow((void **)homes, cap, *n, sizeof **homes))
		return KIOSK_ENOMEM;
	(*homes)[(*n)++] = (struct kiosk_map_home){lat, lon, KIOSK_HOME_LAND};
	return KIOSK_OK;
}

/* The grid's points inside r, at cell centres from its south-west corner. */
static int sample(const struct geo_ring *r, struct kiosk_map_home **homes, size_t *n,
		  size_t *cap)
{
	double lat0, lon0, lat1, lon1;
	bounds(r, &lat0, &lon0, &lat1, &lon1);
	double mlon = M_PER_DEG_LON * cos(lat0 * M_PI / 180);
	double w = (lon1 - lon0) * mlon, h = (lat1 - lat0) * M_PER_DEG_LAT;
	double step = GEO_HOME_GRID_M;
	if (w * h > step * step * GEO_HOME_AREA_MAX)
		step = sqrt(w * h / GEO_HOME_AREA_MAX);
	size_t before = *n;
	for (double y = step / 2; y < h; y += step)
		for (double x = step / 2; x < w; x += step) {
			double lat = lat0 + y / M_PER_DEG_LAT, lon = lon0 + x / mlon;
			if (inside(r, lat, lon) && add(homes, n, cap, lat, lon))
				return KIOSK_ENOMEM;
		}
	if (*n > before)
		return KIOSK_OK;
	/* a yard smaller than a cell: one home at its middle (the closing point once) */
	int k = r->n;
	if (k > 1 && r->pts[0][0] == r->pts[k - 1][0] && r->pts[0][1] == r->pts[k - 1][1])
		k--;
	double lat = 0, lon = 0;
	for (int i = 0; i < k; i++) {
		lat += r->pts[i][0];
		lon += r->pts[i][1];
	}
	return add(homes, n, cap, lat / k, lon / k);
}

int geo_homes_of_land(const struct kiosk_map_home *buildings, size_t nb,
		      const struct geo_ring *areas, size_t na, struct kiosk_map_home **homes,
		      size_t *n, size_t *cap)
{
	if (!na)
		return KIOSK_OK;
	/* which areas to sample, decided before *homes grows (buildings may be in it) */
	bool *bare = kiosk_calloc(na, sizeof *bare);
	if (!bare)
		return KIOSK_ENOMEM;
	for (size_t a = 0; a < na; a++)
		bare[a] = areas[a].n >= 3 && !holds_building(&areas[a], buildings, nb);
	int rc = KIOSK_OK;
	for (size_t a = 0; rc == KIOSK_OK && a < na; a++)
		if (bare[a])
			rc = sample(&areas[a], homes, n, cap);
	kiosk_free(bare);
	return rc;
}
