#include "kiosk/geo/route.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CELL_M 100.0 /* grid cell for snapping */

/* Positions are projected onto a plane around the map's centre (metres east and north):
 * within a neighbourhood the error is far below a step. */
struct geo_graph {
	size_t n, m;           /* nodes, undirected edges */
	double *lat, *lon;     /* per node */
	double *x, *y;         /* per node, metres */
	uint32_t *ea, *eb;     /* per edge: its ends */
	uint32_t *esrc;        /* per edge: its index in the map it was built from */
	double *elen, *ecost;  /* per edge: metres, seconds at 1 m/s */
	double max_ecost;      /* the longest edge's cost */
	uint32_t *off;         /* CSR: n + 1 offsets into adj */
	uint32_t *adj_to, *adj_edge;
	double lat0, lon0, kx, ky;
	/* grid: cells of CELL_M, each a list of edges passing through its box */
	int gw, gh;
	double gx0, gy0;
	uint32_t *cell_off, *cell_edges;
};

/* A queued node with the cost it was queued at: an entry whose node has been reached
 * cheaper since is skipped. */
struct hent {
	float cost;
	uint32_t v;
};
struct bucket {
	struct hent *a;
	uint32_t n, cap;
};

struct geo_costs {
	size_t n;
	struct geo_snap src; /* where the costs were counted from */
	double *cost;
	uint32_t *prev_edge; /* the edge each node was reached by (UINT32_MAX: a source end) */
	struct bucket *bk; /* the queue (below): nb buckets of BUCKET_S seconds, round */
	size_t nb, queued; /* … holding queued entries */
};

static void project(const struct geo_graph *g, double lat, double lon, double *x, double *y)
{
	*x = (lon - g->lon0) * g->kx;
	*y = (lat - g->lat0) * g->ky;
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = ((const struct kiosk_map_node *)a)->id, y = ((const struct kiosk_map_node *)b)->id;
	return x < y ? -1 : x > y;
}

static long find_node(const struct kiosk_map_node *sorted, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (sorted[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && sorted[lo].id == id ? (long)lo : -1;
}

void geo_graph_free(struct geo_graph *g)
{
	if (!g)
		return;
	void *arrays[] = {g->lat, g->lon, g->x, g->y, g->ea, g->eb, g->esrc, g->elen, g->ecost, g->off,
			  g->adj_to, g->adj_edge, g->cell_off, g->cell_edges};
	for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++)
		kiosk_free(arrays[i]);
	kiosk_free(g);
}

size_t geo_graph_nodes(const struct geo_graph *g)
{
	return g->n;
}

size_t geo_graph_edges(const struct geo_graph *g)
{
	return g->m;
}

/* The cells an edge's bounding box covers, each given the edge (count, then fill). */
static int build_grid(struct geo_graph *g)
{
	double minx = DBL_MAX, miny = DBL_MAX, maxx = -DBL_MAX, maxy = -DBL_MAX;
	for (size_t i = 0; i < g->n; i++) {
		minx = fmin(minx, g->x[i]);
		maxx = fmax(maxx, g->x[i]);
		miny = fmin(miny, g->y[i]);
		maxy = fmax(maxy, g->y[i]);
	}
	g->gx0 = minx;
	g->gy0 = miny;
	g->gw = (int)((maxx - minx) / CELL_M) + 1;
	g->gh = (int)((maxy - miny) / CELL_M) + 1;
	if (g->gw > 4096 || g->gh > 4096) /* a map hundreds of km wide: coarser is fine */
		return KIOSK_EINVAL;
	size_t cells = (size_t)g->gw * (size_t)g->gh;
	g->cell_off = kiosk_calloc(cells + 1, sizeof *g->cell_off);
	if (!g->cell_off)
		return KIOSK_ENOMEM;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t e = 0; e < g->m; e++) {
			uint32_t a = g->ea[e], b = g->eb[e];
			int cx0 = (int)((fmin(g->x[a], g->x[b]) - g->gx0) / CELL_M);
			int cx1 = (int)((fmax(g->x[a], g->x[b]) - g->gx0) / CELL_M);
			int cy0 = (int)((fmin(g->y[a], g->y[b]) - g->gy0) / CELL_M);
			int cy1 = (int)((fmax(g->y[a], g->y[b]) - g->gy0) / CELL_M);
			for (int cy = cy0; cy <= cy1; cy++)
				for (int cx = cx0; cx <= cx1; cx++) {
					size_t c = (size_t)cy * (size_t)g->gw + (size_t)cx;
					if (pass == 0)
						g->cell_off[c + 1]++;
					else
						g->cell_edges[g->cell_off[c]++] = (uint32_t)e;
				}
		}
		if (pass == 0) {
			for (size_t c = 0; c < cells; c++)
				g->cell_off[c + 1] += g->cell_off[c];
			g->cell_edges = kiosk_malloc((g->cell_off[cells] + 1) * sizeof *g->cell_edges);
			if (!g->cell_edges)
				return KIOSK_ENOMEM;
		} else { /* the fill moved each offset to the next cell's start: move back */
			for (size_t c = cells; c > 0; c--)
				g->cell_off[c] = g->cell_off[c - 1];
			g->cell_off[0] = 0;
		}
	}
	return KIOSK_OK;
}

int geo_graph_new(const struct kiosk_map_data *d, struct geo_graph **out)
{
	*out = NULL;
	if (!d->nedges || !d->nnodes || d->nnodes >= UINT32_MAX / 2 || d->nedges >= UINT32_MAX / 2)
		return KIOSK_ENOENT;
	struct kiosk_map_node *sorted = kiosk_malloc(d->nnodes * sizeof *sorted);
	struct geo_graph *g = kiosk_calloc(1, sizeof *g);
	int rc = sorted && g ? KIOSK_OK : KIOSK_ENOMEM;
	if (rc)
		goto out_free;
	memcpy(sorted, d->nodes, d->nnodes * sizeof *sorted);
	qsort(sorted, d->nnodes, sizeof *sorted, cmp_id);
	size_t n = d->nnodes;
	g->lat = kiosk_malloc(n * sizeof *g->lat);
	g->lon = kiosk_malloc(n * sizeof *g->lon);
	g->x = kiosk_malloc(n * sizeof *g->x);
	g->y = kiosk_malloc(n * sizeof *g->y);
	g->ea = kiosk_malloc(d->nedges * sizeof *g->ea);
	g->eb = kiosk_malloc(d->nedges * sizeof *g->eb);
	g->esrc = kiosk_malloc(d->nedges * sizeof *g->esrc);
	g->elen = kiosk_malloc(d->nedges * sizeof *g->elen);
	g->ecost = kiosk_malloc(d->nedges * sizeof *g->ecost);
	g->off = kiosk_calloc(n + 1, sizeof *g->off);
	if (!g->lat || !g->lon || !g->x || !g->y || !g->ea || !g->eb || !g->esrc || !g->elen ||
	    !g->ecost ||
	    !g->off) {
		rc = KIOSK_ENOMEM;
		goto out_free;
	}
	g->n = n;
	double slat = 0, slon = 0;
	for (size_t i = 0; i < n; i++) {
		g->lat[i] = sorted[i].lat;
		g->lon[i] = sorted[i].lon;
		slat += sorted[i].lat;
		slon += sorted[i].lon;
	}
	g->lat0 = slat / (double)n;
	g->lon0 = slon / (double)n;
	g->ky = 111320.0;
	g->kx = 111320.0 * cos(g->lat0 * M_PI / 180);
	for (size_t i = 0; i < n; i++)
		project(g, g->lat[i], g->lon[i], &g->x[i], &g->y[i]);
	for (size_t e = 0; e < d->nedges; e++) {
		const struct kiosk_map_edge *k = &d->edges[e];
		long a = find_node(sorted, n, k->a), b = find_node(sorted, n, k->b);
		if (a < 0 || b < 0 || a == b || !isfinite(k->length_m) || k->length_m < 0)
			continue;
		g->ea[g->m] = (uint32_t)a;
		g->eb[g->m] = (uint32_t)b;
		g->esrc[g->m] = (uint32_t)e;
		g->elen[g->m] = k->length_m;
		g->ecost[g->m] = k->length_m * ((k->flags & KIOSK_EDGE_STEPS) ? 2.0 : 1.0) +
				 ((k->flags & KIOSK_EDGE_CROSSING) ? GEO_CROSSING_S : 0);
		g->max_ecost = fmax(g->max_ecost, g->ecost[g->m]);
		g->off[a + 1]++;
		g->off[b + 1]++;
		g->m++;
	}
	if (!g->m) {
		rc = KIOSK_ENOENT;
		goto out_free;
	}
	for (size_t i = 0; i < n; i++)
		g->off[i + 1] += g->off[i];
	g->adj_to = kiosk_malloc(2 * g->m * sizeof *g->adj_to);
	g->adj_edge = kiosk_malloc(2 * g->m * sizeof *g->adj_edge);
	uint32_t *fill = kiosk_malloc(n * sizeof *fill);
	if (!g->adj_to || !g->adj_edge || !fill) {
		kiosk_free(fill);
		rc = KIOSK_ENOMEM;
		goto out_free;
	}
	memcpy(fill, g->off, n * sizeof *fill);
	for (size_t e = 0; e < g->m; e++) {
		uint32_t a = g->ea[e], b = g->eb[e];
		g->adj_to[fill[a]] = b;
		g->adj_edge[fill[a]++] = (uint32_t)e;
		g->adj_to[fill[b]] = a;
		g->adj_edge[fill[b]++] = (uint32_t)e;
	}
	kiosk_free(fill);
	rc = build_grid(g);
out_free:
	kiosk_free(sorted);
	if (rc) {
		geo_graph_free(g);
		return rc;
	}
	*out = g;
	return KIOSK_OK;
}

/* Distance from point p to edge e, with the projection's t. */
static double to_edge(const struct geo_graph *g, size_t e, double px, double py, double *t)
{
	double ax = g->x[g->ea[e]], ay = g->y[g->ea[e]], bx = g->x[g->eb[e]], by = g->y[g->eb[e]];
	double dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy;
	double u = l2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / l2 : 0;
	u = u < 0 ? 0 : u > 1 ? 1 : u;
	*t = u;
	double qx = ax + u * dx - px, qy = ay + u * dy - py;
	return sqrt(qx * qx + qy * qy);
}

int geo_snap(const struct geo_graph *g, double lat, double lon, struct geo_snap *out)
{
	if (!g || !g->m)
		return KIOSK_ENOENT;
	double px, py;
	project(g, lat, lon, &px, &py);
	int cx = (int)floor((px - g->gx0) / CELL_M), cy = (int)floor((py - g->gy0) / CELL_M);
	double best = DBL_MAX;
	int found = -1;
	double bt = 0;
	/* Rings of cells outward; an edge found in ring r may be beaten only by one within the
	 * next ring, so stop one ring after the best is closer than the ring's inner edge.
	 * Only the rings within GEO_SNAP_MAX_M are looked at, and of each only the cells on
	 * the grid: a point far off the map (a kiosk configured in another city) is an
	 * answer at once, not a search through millions of empty cells. */
	int maxr = (int)ceil(GEO_SNAP_MAX_M / CELL_M) + 1;
	for (int r = 0; r <= maxr; r++) {
		int y0 = cy - r < 0 ? 0 : cy - r, y1 = cy + r >= g->gh ? g->gh - 1 : cy + r;
		for (int y = y0; y <= y1; y++) {
			bool edge_row = abs(y - cy) == r;
			int x0 = cx - r < 0 ? 0 : cx - r, x1 = cx + r >= g->gw ? g->gw - 1 : cx + r;
			for (int x = x0; x <= x1; x++) {
				if (!edge_row && x != cx - r && x != cx + r) {
					x = cx + r - 1; /* the inside was seen in earlier rings */
					continue;
				}
				size_t c = (size_t)y * (size_t)g->gw + (size_t)x;
				for (uint32_t k = g->cell_off[c]; k < g->cell_off[c + 1]; k++) {
					double t, d = to_edge(g, g->cell_edges[k], px, py, &t);
					if (d < best || (d == best && (int)g->cell_edges[k] < found)) {
						best = d;
						bt = t;
						found = (int)g->cell_edges[k];
					}
				}
			}
		}
		if (found >= 0 && best <= (double)r * CELL_M)
			break;
	}
	if (best > GEO_SNAP_MAX_M)
		found = -1; /* not on this map */
	if (found < 0)
		return KIOSK_ENOENT;
	*out = (struct geo_snap){found, bt, best};
	return KIOSK_OK;
}

int geo_costs_new(const struct geo_graph *g, struct geo_costs **out)
{
	struct geo_costs *c = kiosk_calloc(1, sizeof *c);
	if (!c)
		return KIOSK_ENOMEM;
	c->n = g->n;
	c->cost = kiosk_malloc(g->n * sizeof *c->cost);
	c->prev_edge = kiosk_malloc(g->n * sizeof *c->prev_edge);
	if (!c->cost || !c->prev_edge) {
		geo_costs_free(c);
		return KIOSK_ENOMEM;
	}
	*out = c;
	return KIOSK_OK;
}

void geo_costs_free(struct geo_costs *c)
{
	if (!c)
		return;
	kiosk_free(c->cost);
	kiosk_free(c->prev_edge);
	for (size_t i = 0; i < c->nb; i++)
		kiosk_free(c->bk[i].a);
	kiosk_free(c->bk);
	kiosk_free(c);
}

/* Dijkstra's queue: buckets of BUCKET_S seconds (at 1 m/s: metres), taken in order, each
 * emptied in any order — Dial's queue, label-correcting: no node is ever closed, so one
 * reached cheaper after it was taken (by a street shorter than a bucket) is queued and
 * walked on again, and the costs come out exact. Queueing and taking cost the same
 * however many nodes wait: a many-source walk — the coverage report's, a wavefront round
 * every place at once, thousands of nodes waiting — costs what a single-source walk costs,
 * where a heap's sifting grew with the queue. The buckets go round: a cost is queued at
 * most the longest street (plus the spread of the sources' start) beyond the bucket being
 * emptied, and there are more buckets than that spans. */
#define BUCKET_S 2.0

static bool push(struct geo_costs *c, uint32_t v, double cost)
{
	/* (a cost is never below 0: fmax keeps a rounding's -0.0 or a NaN off the cast) */
	struct bucket *b = &c->bk[(uint64_t)(fmax(cost, 0) / BUCKET_S) % c->nb];
	if (b->n == b->cap) {
		uint32_t cap = b->cap ? 2 * b->cap : 64;
		struct hent *a = kiosk_realloc(b->a, cap * sizeof *a);
		if (!a)
			return false;
		b->a = a;
		b->cap = cap;
	}
	b->a[b->n++] = (struct hent){(float)cost, v};
	c->queued++;
	return true;
}

/* false when the queue could not grow (out of memory) */
static bool relax(struct geo_costs *c, uint32_t v, double cost, uint32_t edge)
{
	if (c->cost[v] >= 0 && c->cost[v] <= cost)
		return true;
	c->cost[v] = cost;
	c->prev_edge[v] = edge;
	return push(c, v, cost);
}

/* Buckets enough for a walk from these sources (grown, never shrunk). */
static bool buckets_for(const struct geo_graph *g, struct geo_costs *c, double spread)
{
	size_t need = (size_t)((g->max_ecost + spread) / BUCKET_S) + 2;
	if (need <= c->nb)
		return true;
	struct bucket *bk = kiosk_realloc(c->bk, need * sizeof *bk);
	if (!bk)
		return false;
	memset(bk + c->nb, 0, (need - c->nb) * sizeof *bk);
	c->bk = bk;
	c->nb = need;
	return true;
}

/* Dijkstra over costs reset, from every source snapped: the walk to the street counts, so
 * does the part of the edge to either end. KIOSK_ENOMEM when the queue cannot grow. */
static int walk(const struct geo_graph *g, const struct geo_snap *srcs, size_t n,
		struct geo_costs *c)
{
	for (size_t i = 0; i < g->n; i++)
		c->cost[i] = GEO_UNREACHABLE;
	double lo = INFINITY, hi = 0;
	for (size_t i = 0; i < n; i++) {
		double s = srcs[i].off_m, w = g->ecost[srcs[i].edge];
		lo = fmin(lo, s);
		hi = fmax(hi, s + w);
	}
	bool ok = buckets_for(g, c, n ? hi - lo : 0);
	for (size_t i = 0; i < c->nb; i++)
		c->bk[i].n = 0;
	c->queued = 0;
	for (size_t i = 0; ok && i < n; i++) {
		size_t e = (size_t)srcs[i].edge;
		ok = relax(c, g->ea[e], srcs[i].off_m + srcs[i].t * g->ecost[e], UINT32_MAX) &&
		     relax(c, g->eb[e], srcs[i].off_m + (1 - srcs[i].t) * g->ecost[e], UINT32_MAX);
	}
	for (uint64_t cur = n ? (uint64_t)(fmax(lo, 0) / BUCKET_S) : 0; ok && c->queued; cur++) {
		struct bucket *b = &c->bk[cur % c->nb];
		/* (b->n grows while it is emptied: a street shorter than a bucket queues here) */
		for (uint32_t i = 0; ok && i < b->n; i++) {
			struct hent e = b->a[i];
			double cu = c->cost[e.v];
			if (e.cost > (float)cu) /* reached cheaper since */
				continue;
			for (uint32_t k = g->off[e.v]; ok && k < g->off[e.v + 1]; k++) {
				double nc = cu + g->ecost[g->adj_edge[k]];
				uint32_t to = g->adj_to[k];
				if (c->cost[to] >= 0 && c->cost[to] <= nc)
					continue;
				ok = relax(c, to, nc, g->adj_edge[k]);
			}
		}
		c->queued -= b->n;
		b->n = 0;
	}
	if (ok)
		return KIOSK_OK;
	for (size_t i = 0; i < g->n; i++) /* half a walk is no walk */
		c->cost[i] = GEO_UNREACHABLE;
	return KIOSK_ENOMEM;
}

int geo_route_from(const struct geo_graph *g, const struct geo_snap *src, struct geo_costs *c)
{
	if (!g || !c || c->n != g->n || src->edge < 0 || (size_t)src->edge >= g->m)
		return KIOSK_EINVAL;
	int rc = walk(g, src, 1, c);
	c->src = rc ? (struct geo_snap){-1, 0, 0} : *src;
	return rc;
}

int geo_route_from_many(const struct geo_graph *g, const struct geo_snap *srcs, size_t n,
			struct geo_costs *c)
{
	if (!g || !c || c->n != g->n || (n && !srcs))
		return KIOSK_EINVAL;
	for (size_t i = 0; i < n; i++)
		if (srcs[i].edge < 0 || (size_t)srcs[i].edge >= g->m)
			return KIOSK_EINVAL;
	/* every source's edge ends seeded, as one source's; no one source: the paths and
	 * metres that need one refuse these costs */
	c->src = (struct geo_snap){-1, 0, 0};
	return walk(g, srcs, n, c);
}

double geo_edge_cost(const struct geo_graph *g, size_t edge)
{
	return edge < g->m ? g->ecost[edge] : GEO_UNREACHABLE;
}

/* Metres walked from the source to node v along the tree: the edges back to a source end,
 * the part of the source's edge to that end, and the walk to the street. */
static double metres_back(const struct geo_graph *g, const struct geo_costs *c, uint32_t v)
{
	double m = 0;
	while (c->prev_edge[v] != UINT32_MAX) {
		uint32_t pe = c->prev_edge[v];
		m += g->elen[pe];
		v = g->ea[pe] == v ? g->eb[pe] : g->ea[pe];
	}
	size_t se = (size_t)c->src.edge;
	return m + (v == g->ea[se] ? c->src.t : 1 - c->src.t) * g->elen[se] + c->src.off_m;
}

/* The best way to a snapped point: through either end of its edge or, on the source's own
 * edge, straight along it. *via: 0 end a, 1 end b, 2 along; its cost at 1 m/s. */
static double best_way(const struct geo_graph *g, const struct geo_costs *c,
		       const struct geo_snap *d, int *via)
{
	size_t e = (size_t)d->edge;
	double w = g->ecost[e], ca = c->cost[g->ea[e]], cb = c->cost[g->eb[e]];
	double best = GEO_UNREACHABLE;
	if (ca >= 0) {
		best = ca + d->t * w;
		*via = 0;
	}
	if (cb >= 0 && (best < 0 || cb + (1 - d->t) * w < best)) {
		best = cb + (1 - d->t) * w;
		*via = 1;
	}
	if (d->edge == c->src.edge) {
		double direct = c->src.off_m + fabs(d->t - c->src.t) * w;
		if (best < 0 || direct < best) {
			best = direct;
			*via = 2;
		}
	}
	return best < 0 ? GEO_UNREACHABLE : best + d->off_m;
}

static bool snap_ok(const struct geo_graph *g, const struct geo_snap *d)
{
	return d && d->edge >= 0 && (size_t)d->edge < g->m && d->t >= 0 && d->t <= 1;
}

double geo_time_to(const struct geo_graph *g, const struct geo_costs *c,
		   const struct geo_snap *dst, double speed)
{
	int via = 0;
	double cost = snap_ok(g, dst) ? best_way(g, c, dst, &via) : GEO_UNREACHABLE;
	return cost < 0 || speed <= 0 ? GEO_UNREACHABLE : cost / speed;
}

double geo_metres_to(const struct geo_graph *g, const struct geo_costs *c,
		     const struct geo_snap *dst)
{
	int via = 0;
	if (!snap_ok(g, dst) || !snap_ok(g, &c->src) || best_way(g, c, dst, &via) < 0)
		return GEO_UNREACHABLE; /* (many sources: no one path to measure) */
	size_t e = (size_t)dst->edge;
	if (via == 2)
		return c->src.off_m + fabs(dst->t - c->src.t) * g->elen[e] + dst->off_m;
	uint32_t v = via ? g->eb[e] : g->ea[e];
	return metres_back(g, c, v) + (via ? 1 - dst->t : dst->t) * g->elen[e] + dst->off_m;
}

int geo_path_to(const struct geo_graph *g, const struct geo_costs *c, const struct geo_snap *src,
		const struct geo_snap *dst, double (*pts)[2], int max)
{
	int via = 0;
	if (max < 2 || !snap_ok(g, dst) || !snap_ok(g, src) || !snap_ok(g, &c->src) ||
	    best_way(g, c, dst, &via) < 0)
		return 0;
	size_t e = (size_t)dst->edge, se = (size_t)src->edge;
	int n = 0;
	/* dst's point on its edge, back along the tree, then the source's point: reversed */
	pts[n][0] = g->lat[g->ea[e]] + dst->t * (g->lat[g->eb[e]] - g->lat[g->ea[e]]);
	pts[n][1] = g->lon[g->ea[e]] + dst->t * (g->lon[g->eb[e]] - g->lon[g->ea[e]]);
	n++;
	if (via != 2) {
		uint32_t v = via ? g->eb[e] : g->ea[e];
		for (;;) {
			if (n < max - 1) {
				pts[n][0] = g->lat[v];
				pts[n][1] = g->lon[v];
				n++;
			}
			uint32_t pe = c->prev_edge[v];
			if (pe == UINT32_MAX)
				break;
			v = g->ea[pe] == v ? g->eb[pe] : g->ea[pe];
		}
	}
	pts[n][0] = g->lat[g->ea[se]] + src->t * (g->lat[g->eb[se]] - g->lat[g->ea[se]]);
	pts[n][1] = g->lon[g->ea[se]] + src->t * (g->lon[g->eb[se]] - g->lon[g->ea[se]]);
	n++;
	for (int i = 0; i < n / 2; i++) {
		double t0 = pts[i][0], t1 = pts[i][1];
		pts[i][0] = pts[n - 1 - i][0];
		pts[i][1] = pts[n - 1 - i][1];
		pts[n - 1 - i][0] = t0;
		pts[n - 1 - i][1] = t1;
	}
	return n;
}

void geo_project(const struct geo_graph *g, double lat, double lon, double *x, double *y)
{
	project(g, lat, lon, x, y);
}

/* Along edge e from t0 to t1 (0 at its end a, 1 at b). */
static struct geo_hop hop_along(const struct geo_graph *g, size_t e, double t0, double t1,
				int ways)
{
	uint32_t a = g->ea[e], b = g->eb[e];
	double dx = g->x[b] - g->x[a], dy = g->y[b] - g->y[a];
	return (struct geo_hop){e,
				g->x[a] + t0 * dx,
				g->y[a] + t0 * dy,
				g->x[a] + t1 * dx,
				g->y[a] + t1 * dy,
				fabs(t1 - t0) * g->elen[e],
				ways};
}

static int degree(const struct geo_graph *g, uint32_t v)
{
	return (int)(g->off[v + 1] - g->off[v]);
}

int geo_path_hops(const struct geo_graph *g, const struct geo_costs *c,
		  const struct geo_snap *dst, struct geo_hop *hops, int max)
{
	int via = 0;
	if (!snap_ok(g, dst) || !snap_ok(g, &c->src) || best_way(g, c, dst, &via) < 0)
		return 0;
	size_t e = (size_t)dst->edge, se = (size_t)c->src.edge;
	if (via == 2) { /* along the source's own edge */
		if (max >= 1)
			hops[0] = hop_along(g, e, c->src.t, dst->t, 0);
		return 1;
	}
	uint32_t end = via ? g->eb[e] : g->ea[e];
	int n = 2; /* the source's part of its edge, the edges back along the tree, dst's part */
	for (uint32_t v = end; c->prev_edge[v] != UINT32_MAX; n++) {
		uint32_t pe = c->prev_edge[v];
		v = g->ea[pe] == v ? g->eb[pe] : g->ea[pe];
	}
	if (n > max)
		return n;
	int k = n - 1;
	hops[k--] = hop_along(g, e, via ? 1 : 0, dst->t, 0);
	uint32_t v = end;
	while (c->prev_edge[v] != UINT32_MAX) {
		uint32_t pe = c->prev_edge[v], u = g->ea[pe] == v ? g->eb[pe] : g->ea[pe];
		hops[k--] = hop_along(g, pe, u == g->ea[pe] ? 0 : 1, v == g->ea[pe] ? 0 : 1,
				      degree(g, v));
		v = u;
	}
	hops[k] = hop_along(g, se, c->src.t, v == g->ea[se] ? 0 : 1, degree(g, v));
	return n;
}

void geo_node_pos(const struct geo_graph *g, size_t node, double *lat, double *lon)
{
	*lat = g->lat[node];
	*lon = g->lon[node];
}

void geo_edge_ends(const struct geo_graph *g, size_t edge, size_t *a, size_t *b)
{
	*a = g->ea[edge];
	*b = g->eb[edge];
}

size_t geo_edge_source(const struct geo_graph *g, size_t edge)
{
	return g->esrc[edge];
}

const double *geo_node_costs(const struct geo_costs *c)
{
	return c->cost;
}

double geo_node_cost(const struct geo_costs *c, size_t node)
{
	return node < c->n ? c->cost[node] : GEO_UNREACHABLE;
}

int geo_walk_times(const struct geo_graph *g, double lat, double lon, double speed,
		   const struct kiosk_service *s, size_t n, double *metres, double *seconds)
{
	for (size_t i = 0; i < n; i++)
		metres[i] = seconds[i] = GEO_UNREACHABLE;
	struct geo_snap src;
	struct geo_costs *c = NULL;
	if (!g || geo_snap(g, lat, lon, &src) != KIOSK_OK)
		return KIOSK_OK; /* no streets: nothing is reachable */
	int rc = geo_costs_new(g, &c);
	if (rc == KIOSK_OK)
		rc = geo_route_from(g, &src, c);
	for (size_t i = 0; rc == KIOSK_OK && i < n; i++) {
		struct geo_snap d;
		if (geo_snap(g, s[i].lat, s[i].lon, &d) != KIOSK_OK)
			continue;
		seconds[i] = geo_time_to(g, c, &d, speed);
		metres[i] = geo_metres_to(g, c, &d);
	}
	geo_costs_free(c);
	return rc;
}

void geo_graph_bounds(const struct geo_graph *g, double *minlat, double *minlon, double *maxlat,
		      double *maxlon)
{
	*minlat = 90, *maxlat = -90, *minlon = 180, *maxlon = -180;
	for (size_t i = 0; i < g->n; i++) {
		*minlat = fmin(*minlat, g->lat[i]), *maxlat = fmax(*maxlat, g->lat[i]);
		*minlon = fmin(*minlon, g->lon[i]), *maxlon = fmax(*maxlon, g->lon[i]);
	}
}
