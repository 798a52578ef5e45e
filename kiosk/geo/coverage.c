/* One category's coverage: a multi-source walk, then the residents counted. */
#include "kiosk/geo/coverage.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_snap_edge(const void *a, const void *b)
{
	const struct geo_snap *x = a, *y = b;
	return (x->edge > y->edge) - (x->edge < y->edge);
}

/* Sorted by seconds, a resident with no path after every one with a path. */
static int cmp_secs(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	if (x < 0 || y < 0)
		return (x < 0) - (y < 0);
	return (x > y) - (x < y);
}

/* Seconds to the nearest place for a point on the streets: through either end of its
 * edge (the walk's costs), or straight along the edge from a place on the same edge
 * (which the costs of many sources do not see). by_edge: the places sorted by edge. */
static double seconds_at(const struct geo_graph *g, const struct geo_costs *c,
			 const struct geo_snap *by_edge, size_t n, const struct geo_snap *p,
			 double speed)
{
	double best = geo_time_to(g, c, p, 1.0);
	struct geo_snap key = {p->edge, 0, 0};
	const struct geo_snap *hit = n ? bsearch(&key, by_edge, n, sizeof key, cmp_snap_edge) : NULL;
	if (hit) {
		while (hit > by_edge && hit[-1].edge == p->edge) /* the first on this edge */
			hit--;
		double w = geo_edge_cost(g, (size_t)p->edge);
		for (; hit < by_edge + n && hit->edge == p->edge; hit++) {
			double direct = hit->off_m + fabs(hit->t - p->t) * w + p->off_m;
			if (best < 0 || direct < best)
				best = direct;
		}
	}
	return best < 0 ? GEO_UNREACHABLE : best / speed;
}

/* The nearest-rank percentile q (0..1) of n sorted seconds. */
static double rank(const double *s, size_t n, double q)
{
	if (!n)
		return GEO_UNREACHABLE;
	size_t k = (size_t)ceil(q * (double)n);
	return s[(k ? k : 1) - 1];
}

int geo_coverage_of(const struct geo_graph *g, struct geo_costs *work,
		    const struct geo_snap *places, size_t nplaces, const struct geo_snap *residents,
		    size_t nres, const struct geo_snap *kiosk, double speed, double threshold_s,
		    struct geo_coverage *out, double *seconds_out)
{
	memset(out, 0, sizeof *out);
	out->p50_s = out->p90_s = out->from_kiosk_s = GEO_UNREACHABLE;
	if (!g || !work || speed <= 0)
		return KIOSK_EINVAL;
	size_t count = residents ? nres : geo_graph_nodes(g);
	out->places = nplaces;
	out->residents = count;
	int rc = geo_route_from_many(g, places, nplaces, work);
	if (rc)
		return rc;
	struct geo_snap *by_edge = NULL;
	double *secs = kiosk_malloc((count ? count : 1) * sizeof *secs);
	if (nplaces)
		by_edge = kiosk_malloc(nplaces * sizeof *by_edge);
	if (!secs || (nplaces && !by_edge)) {
		rc = KIOSK_ENOMEM;
		goto out_free;
	}
	if (nplaces) {
		memcpy(by_edge, places, nplaces * sizeof *by_edge);
		qsort(by_edge, nplaces, sizeof *by_edge, cmp_snap_edge);
	}
	for (size_t i = 0; i < count; i++) {
		if (residents) {
			secs[i] = seconds_at(g, work, by_edge, nplaces, &residents[i], speed);
		} else {
			double c = geo_node_cost(work, i);
			secs[i] = c < 0 ? GEO_UNREACHABLE : c / speed;
		}
		out->within += secs[i] >= 0 && secs[i] <= threshold_s;
	}
	if (seconds_out)
		memcpy(seconds_out, secs, count * sizeof *secs);
	if (nplaces) {
		qsort(secs, count, sizeof *secs, cmp_secs);
		out->p50_s = rank(secs, count, 0.5);
		out->p90_s = rank(secs, count, 0.9);
		out->share = count ? (double)out->within / (double)count : 0;
		if (kiosk)
			out->from_kiosk_s = seconds_at(g, work, by_edge, nplaces, kiosk, speed);
	} else {
		out->within = 0;
	}
out_free:
	kiosk_free(by_edge);
	kiosk_free(secs);
	return rc;
}
