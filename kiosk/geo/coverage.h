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
#include "kiosk/geo/standard.h"
#include "kiosk/store/homes.h"
#include "kiosk/store/store.h"
#include "kiosk/store/wishes.h"

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

/* One row of the report: a standard's item over the whole map. */
struct geo_coverage_row {
	int item;             /* index in the standard */
	size_t off_map;       /* its places no street is near: left out, counted */
	struct geo_coverage c; /* at a resident's pace (GEO_SPEED), its minutes the threshold */
	long wishes;           /* residents' wishes for its categories (geo_coverage_wishes) */
};

/* A resident's snap that is on no street: a home farther than GEO_SNAP_MAX_M from every
 * street, which no path reaches (counted beyond every threshold). */
#define GEO_SNAP_NONE (-1)

/* The n homes snapped to their nearest streets, into *out (the caller's: kiosk_free; NULL
 * for none); those no street is near are GEO_SNAP_NONE, counted into *off. KIOSK_ENOMEM. */
int geo_coverage_snap_homes(const struct geo_graph *g, const struct kiosk_map_home *homes,
			    size_t n, struct geo_snap **out, size_t *off);

/* Asked between the walks of a long piece of work: true stops it (the core is stopping). */
struct geo_cancel {
	bool (*stop)(void *arg);
	void *arg;
};

/* Every item of std over the map: the places are those of the services (n) whose category
 * the item counts; the residents the nhomes homes snapped (geo_coverage_snap_homes), or
 * every street node when the map says nothing of where people live (nhomes 0:
 * docs/coverage.md); from (lat, lon), the kiosk. rows: std->nitems of them, in the
 * standard's order. cancel (NULL: none) is asked before each item's walk: KIOSK_ESTATE
 * when it said stop. KIOSK_ENOENT with no street map; KIOSK_ENOMEM. */
int geo_coverage_items(const struct geo_graph *g, const struct kiosk_service *s, size_t n,
		       const struct geo_snap *homes, size_t nhomes,
		       const struct geo_standard *std, double lat, double lon,
		       const struct geo_cancel *cancel, struct geo_coverage_row *rows);

/* After geo_coverage_of on w: the seconds from every street node of g to the nearest
 * place, at speed (GEO_UNREACHABLE where no path is), into out (one a node). */
void geo_coverage_node_seconds(const struct geo_graph *g, const struct geo_coverage_work *w,
			       double speed, double *out);

/* The wishes (a count a category) added up into each item's rows[i].wishes: a wish counts
 * for every item that counts its category. */
void geo_coverage_wishes(const struct geo_standard *std, const struct kiosk_wish *w, size_t n,
			 struct geo_coverage_row *rows);
/* 补什么, what to add first: the items some residence does not have within their minutes,
 * ranked by the share left outside × (1 + the wishes for it), then by the share outside,
 * then in the standard's order; their indices into order (std->nitems room), their number
 * returned. docs/coverage.md states the rule. */
int geo_coverage_gaps(const struct geo_standard *std, const struct geo_coverage_row *rows,
		      int *order);

#endif
