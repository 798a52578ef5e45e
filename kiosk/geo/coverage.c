/* One category's coverage: a multi-source walk, then the residents counted. */
#include "kiosk/geo/coverage.h"
#include "kiosk/geo/category.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int cmp_snap_edge(const void *a, const void *b)
{
	const struct geo_snap *x = a, *y = b;
	return (x->edge > y->edge) - (x->edge < y->edge);
}


/* Seconds to the nearest place for a point on the streets: through either end of its
 * edge (the walk's costs), or straight along the edge from a place on the same edge
 * (which the costs of many sources do not see). by_edge: the places sorted by edge. */
static double seconds_at(const struct geo_graph *g, const struct geo_costs *c,
			 const struct geo_snap *by_edge, size_t n, const struct geo_snap *p,
			 double speed)
{
	if (p->edge < 0) /* a home no street is near (GEO_SNAP_NONE) */
		return GEO_UNREACHABLE;
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

/* The k-th smallest (from 0) of v[0..n) — quickselect, partly reordering v: linear, where
 * sorting 100 k residents per category cost more than the walk itself. A resident with no
 * path is INFINITY here, so it ranks last. */
static double select_kth(double *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;
	while (lo < hi) {
		double pivot = v[lo + (hi - lo) / 2];
		size_t i = lo, j = hi;
		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				double t = v[i];
				v[i] = v[j];
				v[j] = t;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return v[k];
	}
	return v[k];
}

/* The nearest-rank index of percentile q (0..1) among n. */
static size_t rank_of(size_t n, double q)
{
	size_t k = (size_t)ceil(q * (double)n);
	return (k ? k : 1) - 1;
}

static double seconds_or_none(double v)
{
	return isinf(v) ? GEO_UNREACHABLE : v;
}

/* *buf holds at least n items of size sz (grown, never shrunk). */
static int room(void **buf, size_t *have, size_t n, size_t sz)
{
	if (n <= *have)
		return KIOSK_OK;
	void *p = kiosk_realloc(*buf, n * sz);
	if (!p)
		return KIOSK_ENOMEM;
	*buf = p;
	*have = n;
	return KIOSK_OK;
}

/* The percentiles by bins: the residents' seconds counted into NBIN bins over
 * [0, 4 × the threshold) (with one bin past it and one for no path) in the pass that
 * computes them; then only the members of the bins holding the two ranks are gathered
 * and selected among. Exact — a bin's members all rank between the bins' before and after
 * it — and on 100 000 residents a third of the time of two quickselects over them all,
 * which had come to cost a fifth of the walks. */
#define NBIN 4096

struct geo_coverage_work {
	struct geo_costs *costs;
	double *secs;
	size_t nsecs;
	struct geo_snap *by_edge;
	size_t nby_edge;
	uint32_t bins[NBIN + 2]; /* …, past the range, no path */
	double *pick[2];         /* the members of the bins of p50 and p90 */
	size_t npick[2];
};

static size_t bin_of(double s, double scale)
{
	if (isinf(s))
		return NBIN + 1;
	double b = s * scale;
	return b >= NBIN ? NBIN : (size_t)b;
}

/* The bin holding rank k, and how many rank before it. */
static size_t bin_at(const uint32_t *bins, size_t k, size_t *before)
{
	size_t cum = 0, b = 0;
	while (b < NBIN + 1 && cum + bins[b] <= k)
		cum += bins[b++];
	*before = cum;
	return b;
}

/* Ranks k50 and k90 (k50 ≤ k90) of secs[0..n), binned in w->bins at scale. */
static int percentiles(struct geo_coverage_work *w, const double *secs, size_t n, double scale,
		       size_t k50, size_t k90, double *p50, double *p90)
{
	size_t before[2], b[2] = {bin_at(w->bins, k50, &before[0]), bin_at(w->bins, k90, &before[1])};
	for (int i = 0; i < 2; i++)
		if (b[i] < NBIN + 1 &&
		    room((void **)&w->pick[i], &w->npick[i], w->bins[b[i]], sizeof *w->pick[i]))
			return KIOSK_ENOMEM;
	size_t got[2] = {0, 0};
	for (size_t i = 0; i < n; i++) {
		size_t bi = bin_of(secs[i], scale);
		for (int j = 0; j < 2; j++)
			if (bi == b[j] && b[j] < NBIN + 1)
				w->pick[j][got[j]++] = secs[i];
	}
	size_t k[2] = {k50, k90};
	double *out[2] = {p50, p90};
	for (int j = 0; j < 2; j++)
		*out[j] = b[j] == NBIN + 1 ? GEO_UNREACHABLE
				   : seconds_or_none(select_kth(w->pick[j], got[j], k[j] - before[j]));
	return KIOSK_OK;
}

int geo_coverage_work_new(const struct geo_graph *g, struct geo_coverage_work **out)
{
	struct geo_coverage_work *w = kiosk_calloc(1, sizeof *w);
	if (!w)
		return KIOSK_ENOMEM;
	int rc = geo_costs_new(g, &w->costs);
	if (rc) {
		kiosk_free(w);
		return rc;
	}
	*out = w;
	return KIOSK_OK;
}

void geo_coverage_work_free(struct geo_coverage_work *w)
{
	if (!w)
		return;
	geo_costs_free(w->costs);
	kiosk_free(w->secs);
	kiosk_free(w->by_edge);
	kiosk_free(w->pick[0]);
	kiosk_free(w->pick[1]);
	kiosk_free(w);
}

int geo_coverage_of(const struct geo_graph *g, struct geo_coverage_work *w,
		    const struct geo_snap *places, size_t nplaces, const struct geo_snap *residents,
		    size_t nres, const struct geo_snap *kiosk, double speed, double threshold_s,
		    struct geo_coverage *out, double *seconds_out)
{
	memset(out, 0, sizeof *out);
	out->p50_s = out->p90_s = out->from_kiosk_s = GEO_UNREACHABLE;
	if (!g || !w || speed <= 0)
		return KIOSK_EINVAL;
	struct geo_costs *work = w->costs;
	size_t count = residents ? nres : geo_graph_nodes(g);
	out->places = nplaces;
	out->residents = count;
	int rc = geo_route_from_many(g, places, nplaces, work);
	if (rc)
		return rc;
	if (room((void **)&w->secs, &w->nsecs, count ? count : 1, sizeof *w->secs) ||
	    room((void **)&w->by_edge, &w->nby_edge, nplaces ? nplaces : 1, sizeof *w->by_edge))
		return KIOSK_ENOMEM;
	double *secs = w->secs;
	struct geo_snap *by_edge = w->by_edge;
	if (nplaces) {
		memcpy(by_edge, places, nplaces * sizeof *by_edge);
		qsort(by_edge, nplaces, sizeof *by_edge, cmp_snap_edge);
	}
	const double *node = geo_node_costs(work);
	/* one pass: the count within, the seconds out, and binned for the percentiles, a
	 * resident with no path as INFINITY (ranked last) */
	double scale = NBIN / fmax(4 * threshold_s, 1);
	memset(w->bins, 0, sizeof w->bins);
	for (size_t i = 0; i < count; i++) {
		double s = residents ? seconds_at(g, work, by_edge, nplaces, &residents[i], speed)
			   : node[i] < 0 ? GEO_UNREACHABLE
					 : node[i] / speed;
		if (seconds_out)
			seconds_out[i] = s;
		out->within += s >= 0 && s <= threshold_s;
		secs[i] = s < 0 ? INFINITY : s;
		w->bins[bin_of(secs[i], scale)]++;
	}
	if (nplaces) {
		if (count &&
		    percentiles(w, secs, count, scale, rank_of(count, 0.5), rank_of(count, 0.9),
				&out->p50_s, &out->p90_s))
			return KIOSK_ENOMEM;
		out->share = count ? (double)out->within / (double)count : 0;
		if (kiosk)
			out->from_kiosk_s = seconds_at(g, work, by_edge, nplaces, kiosk, speed);
	} else {
		out->within = 0;
	}
	return KIOSK_OK;
}

static bool counts(const struct geo_std_item *it, const char *category)
{
	for (int k = 0; k < it->ncats; k++)
		if (strcmp(it->cats[k], category) == 0)
			return true;
	return false;
}

void geo_coverage_node_seconds(const struct geo_graph *g, const struct geo_coverage_work *w,
			       double speed, double *out)
{
	const double *node = geo_node_costs(w->costs);
	for (size_t i = 0, n = geo_graph_nodes(g); i < n; i++)
		out[i] = node[i] < 0 ? GEO_UNREACHABLE : node[i] / speed;
}

int geo_coverage_snap_homes(const struct geo_graph *g, const struct kiosk_map_home *homes,
			    size_t n, struct geo_snap **out, size_t *off)
{
	*off = 0;
	*out = NULL;
	if (!n)
		return KIOSK_OK;
	if (!(*out = kiosk_malloc(n * sizeof **out)))
		return KIOSK_ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (geo_snap(g, homes[i].lat, homes[i].lon, &(*out)[i]) != KIOSK_OK) {
			(*out)[i] = (struct geo_snap){GEO_SNAP_NONE, 0, 0};
			(*off)++;
		}
	return KIOSK_OK;
}

int geo_coverage_items(const struct geo_graph *g, const struct kiosk_service *s, size_t n,
		       const struct geo_snap *homes, size_t nhomes,
		       const struct geo_standard *std, double lat, double lon,
		       const struct geo_cancel *cancel, struct geo_coverage_row *rows)
{
	if (!g || !geo_graph_nodes(g))
		return KIOSK_ENOENT;
	struct geo_coverage_work *w = NULL;
	struct geo_snap *places = kiosk_malloc((n ? n : 1) * sizeof *places), kiosk;
	bool have_kiosk = geo_snap(g, lat, lon, &kiosk) == KIOSK_OK;
	int rc = places ? geo_coverage_work_new(g, &w) : KIOSK_ENOMEM;
	for (int i = 0; rc == KIOSK_OK && i < std->nitems; i++) {
		const struct geo_std_item *it = &std->items[i];
		size_t np = 0;
		if (cancel && cancel->stop(cancel->arg)) {
			rc = KIOSK_ESTATE;
			break;
		}
		rows[i] = (struct geo_coverage_row){.item = i};
		for (size_t k = 0; k < n; k++) {
			if (!counts(it, s[k].category))
				continue;
			if (geo_snap(g, s[k].lat, s[k].lon, &places[np]) == KIOSK_OK)
				np++;
			else
				rows[i].off_map++;
		}
		rc = geo_coverage_of(g, w, places, np, nhomes ? homes : NULL, nhomes,
				     have_kiosk ? &kiosk : NULL,
				     GEO_SPEED, it->minutes * 60.0, &rows[i].c, NULL);
	}
	geo_coverage_work_free(w);
	kiosk_free(places);
	return rc;
}

void geo_coverage_wishes(const struct geo_standard *std, const struct kiosk_wish *w, size_t n,
			 struct geo_coverage_row *rows)
{
	for (int i = 0; i < std->nitems; i++) {
		rows[i].wishes = 0;
		for (size_t k = 0; k < n; k++)
			if (counts(&std->items[i], w[k].category))
				rows[i].wishes += w[k].n;
	}
}

static double weight(const struct geo_coverage_row *r)
{
	return (1 - r->c.share) * (1 + (double)r->wishes);
}

/* a before b in the list */
static bool ahead(const struct geo_coverage_row *a, const struct geo_coverage_row *b)
{
	if (weight(a) != weight(b))
		return weight(a) > weight(b);
	if (a->c.share != b->c.share)
		return a->c.share < b->c.share;
	return a->item < b->item;
}

int geo_coverage_gaps(const struct geo_standard *std, const struct geo_coverage_row *rows,
		      int *order)
{
	int n = 0;
	for (int i = 0; i < std->nitems; i++) {
		if (rows[i].c.share >= 1)
			continue;
		int at = n++;
		for (; at > 0 && ahead(&rows[i], &rows[order[at - 1]]); at--)
			order[at] = order[at - 1];
		order[at] = i;
	}
	return n;
}
