/* Walking times: the street graph as CSR arrays (each edge both ways: pedestrians are not
 * bound by one-way streets), Dijkstra with a binary heap from one point, and points (the
 * kiosk, the services) snapped to their nearest edge — projected onto it, with the offset
 * walked too. Costs are seconds at 1 m/s (steps count double, a crossing adds a wait);
 * a speed divides them. A place on a street no path reaches is unreachable, never 0. */
#ifndef KIOSK_GEO_ROUTE_H
#define KIOSK_GEO_ROUTE_H

#include "kiosk/store/store.h"

#include <stdbool.h>
#include <stddef.h>

#define GEO_SPEED 1.2         /* m/s, a resident */
#define GEO_SPEED_ELDERLY 0.9 /* m/s, 长辈模式 */
#define GEO_CROSSING_S 20.0   /* the wait at a crossing, at 1 m/s */
#define GEO_UNREACHABLE (-1.0)

struct geo_graph; /* opaque */

/* Builds the graph from a map (copied; d may be freed after). Edges naming unknown nodes
 * are left out. KIOSK_ENOENT for a map without edges. */
int geo_graph_new(const struct kiosk_map_data *d, struct geo_graph **out);
void geo_graph_free(struct geo_graph *g);
size_t geo_graph_nodes(const struct geo_graph *g);
size_t geo_graph_edges(const struct geo_graph *g); /* undirected */

/* A point on the graph: edge e (index in the map's edges as kept), t along it from a
 * (0..1), off_m from the point to the street. */
struct geo_snap {
	int edge;
	double t, off_m;
};
/* A point farther than this from every street is not on the map: it has no walk. */
#define GEO_SNAP_MAX_M 1000.0

/* The nearest edge to (lat, lon) (a grid of cells, searched outward). KIOSK_ENOENT with an
 * empty graph, or when no street is within GEO_SNAP_MAX_M. */
int geo_snap(const struct geo_graph *g, double lat, double lon, struct geo_snap *out);

/* Costs from a source: per node, seconds at 1 m/s (GEO_UNREACHABLE where no path is).
 * Owned by the caller (geo_costs_free); reused across calls with the same graph. */
struct geo_costs;
int geo_costs_new(const struct geo_graph *g, struct geo_costs **out);
void geo_costs_free(struct geo_costs *c);
int geo_route_from(const struct geo_graph *g, const struct geo_snap *src, struct geo_costs *c);
/* Costs from the nearest of n sources at once (one walk, every source's edge ends seeded):
 * per node, as geo_route_from gives for the nearest source. Such costs have no single
 * source: geo_metres_to, geo_path_to and geo_path_hops find no path in them, and
 * geo_time_to does not see a walk along a source's own edge (the caller adds it). */
int geo_route_from_many(const struct geo_graph *g, const struct geo_snap *srcs, size_t n,
			struct geo_costs *c);
/* An edge's cost at 1 m/s (steps and crossings counted), GEO_UNREACHABLE past the end. */
double geo_edge_cost(const struct geo_graph *g, size_t edge);
/* Seconds to walk to dst at speed (m/s), or GEO_UNREACHABLE. */
double geo_time_to(const struct geo_graph *g, const struct geo_costs *c,
		   const struct geo_snap *dst, double speed);
/* Metres walked to dst (the same path), or GEO_UNREACHABLE. */
double geo_metres_to(const struct geo_graph *g, const struct geo_costs *c,
		     const struct geo_snap *dst);
/* The path to dst as points (lat, lon pairs into pts, at most max), from the source's
 * point to dst's; returns how many, 0 when unreachable. */
int geo_path_to(const struct geo_graph *g, const struct geo_costs *c, const struct geo_snap *src,
		const struct geo_snap *dst, double (*pts)[2], int max);

/* One stretch of a walk: along one edge, or the part of it between a snapped point and an
 * end. Positions are metres east (x) and north (y) of the map's centre. */
struct geo_hop {
	size_t edge;           /* the graph's edge */
	double x0, y0, x1, y1; /* where it starts and ends, in walking order */
	double metres;
	int ways; /* streets meeting where it ends (1 a dead end; 0 at the destination) */
};
/* The walk from the costs' source to dst, hop by hop in walking order, into hops (at most
 * max; NULL and 0 to count); how many there are, 0 when dst is unreachable. The walks to
 * and from the street (the snaps' off_m) are not hops. */
int geo_path_hops(const struct geo_graph *g, const struct geo_costs *c,
		  const struct geo_snap *dst, struct geo_hop *hops, int max);
/* (lat, lon) in the plane the hops use. */
void geo_project(const struct geo_graph *g, double lat, double lon, double *x, double *y);

/* The node's position and the edge's ends, for drawing. */
void geo_node_pos(const struct geo_graph *g, size_t node, double *lat, double *lon);
/* The box round every node (what a drawing of the streets fits to). */
void geo_graph_bounds(const struct geo_graph *g, double *minlat, double *minlon, double *maxlat,
		      double *maxlon);
void geo_edge_ends(const struct geo_graph *g, size_t edge, size_t *a, size_t *b);
/* The edge's index in the map the graph was built from. */
size_t geo_edge_source(const struct geo_graph *g, size_t edge);
/* The cost (at 1 m/s) to reach node, GEO_UNREACHABLE if none. */
double geo_node_cost(const struct geo_costs *c, size_t node);
/* Every node's, at once (geo_graph_nodes of them; borrowed until the next walk). */
const double *geo_node_costs(const struct geo_costs *c);

/* Walking from (lat, lon) to each of n places: metres and seconds at speed into the
 * arrays (GEO_UNREACHABLE where no path is, or when the graph is empty). */
int geo_walk_times(const struct geo_graph *g, double lat, double lon, double speed,
		   const struct kiosk_service *s, size_t n, double *metres, double *seconds);

#endif
