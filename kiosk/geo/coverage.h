/* The quarter-hour standard for one category of place over the whole map, not just from
 * the kiosk: one walk seeded from every place of the category at once gives the minutes
 * from every street node to the nearest one; the residents (points snapped to the streets,
 * or every street node when the map says nothing of where people live) are counted within
 * the category's threshold, with the median and 90th percentile of their minutes, and the
 * minutes from the kiosk. The rule is stated in docs/coverage.md. Pure: no store, no
 * thread of its own (the caller runs it off the core and UI threads). */
#ifndef KIOSK_GEO_COVERAGE_H
#define KIOSK_GEO_COVERAGE_H

#include "kiosk/geo/route.h"

#include <stddef.h>

struct geo_coverage {
	size_t places;    /* sources walked from */
	size_t residents; /* counted */
	size_t within;    /* residents within the threshold */
	double share;     /* within / residents (0 with no residents) */
	/* seconds at the speed: nearest-rank percentiles over every resident, one with no
	 * path counted as beyond every threshold (GEO_UNREACHABLE when the rank falls on
	 * one); with no place at all every figure is GEO_UNREACHABLE and share 0 */
	double p50_s, p90_s;
	double from_kiosk_s; /* the kiosk to the nearest place, GEO_UNREACHABLE if none */
};

/* What the walks reuse from one category to the next (the costs, the residents' seconds,
 * the places by street): made for one graph, freed with geo_coverage_work_free. */
struct geo_coverage_work;
int geo_coverage_work_new(const struct geo_graph *g, struct geo_coverage_work **out);
void geo_coverage_work_free(struct geo_coverage_work *w);

/* The category whose nplaces places are given (snapped; the caller leaves out and counts
 * those no street is near), for nres residents (NULL: every street node), from the kiosk,
 * at speed (m/s), threshold_s the standard's. work: made for this graph. The
 * residents' seconds, in their order, into seconds_out when it is not NULL (nres entries,
 * or one per node). KIOSK_EINVAL for a snap off the graph or a speed ≤ 0; KIOSK_ENOMEM. */
int geo_coverage_of(const struct geo_graph *g, struct geo_coverage_work *work,
		    const struct geo_snap *places, size_t nplaces, const struct geo_snap *residents,
		    size_t nres, const struct geo_snap *kiosk, double speed, double threshold_s,
		    struct geo_coverage *out, double *seconds_out);

#endif
