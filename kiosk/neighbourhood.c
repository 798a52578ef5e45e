/* The neighbourhood the screens read (kiosk/neighbourhood.h): built by the core from the
 * store, immutable once published, freed when its last holder lets it go. */
#include "kiosk/neighbourhood.h"
#include "kiosk/neighbourhood_int.h"
#include "kiosk/directory/search.h"
#include "kiosk/geo/category.h"
#include "kiosk/geo/directions.h"
#include "kiosk/geo/model.h"
#include "kiosk/geo/route.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct nb {
	struct kiosk_neighbourhood pub;
	struct kiosk_place *places;
	struct kiosk_segment *segs;
	char **names, **names_en;
	struct kiosk_service *svc; /* the places as services, in the same order (search) */
	struct dir_index *ix;
	struct dir_hit *hits;
	struct geo_graph *g;
	struct geo_costs *c;
	struct geo_snap src;
	bool has_src;
	sqlite3 *tiles; /* the MBTiles base map, NULL = none */
	sqlite3_stmt *tile_q;
	int minz, maxz;
};

static void nb_free(struct nb *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->pub.nnames; i++) {
		kiosk_free(n->names[i]);
		kiosk_free(n->names_en[i]);
	}
	kiosk_free(n->names);
	kiosk_free(n->names_en);
	kiosk_free(n->places);
	kiosk_free(n->segs);
	kiosk_free(n->svc);
	kiosk_free(n->hits);
	dir_index_free(n->ix);
	geo_costs_free(n->c);
	geo_graph_free(n->g);
	sqlite3_finalize(n->tile_q);
	sqlite3_close(n->tiles);
	kiosk_free(n);
}

void kiosk_neighbourhood_put(const struct kiosk_neighbourhood *nb)
{
	if (!nb)
		return;
	struct kiosk_neighbourhood *m = (struct kiosk_neighbourhood *)nb;
	if (__atomic_sub_fetch(&m->refs, 1, __ATOMIC_ACQ_REL) == 0)
		nb_free(m->priv);
}

void kiosk_neighbourhood_hold(const struct kiosk_neighbourhood *nb)
{
	if (nb)
		__atomic_add_fetch(&((struct kiosk_neighbourhood *)nb)->refs, 1, __ATOMIC_ACQ_REL);
}

static int by_seconds(const void *a, const void *b)
{
	const struct kiosk_place *x = a, *y = b;
	if ((x->seconds < 0) != (y->seconds < 0))
		return x->seconds < 0 ? 1 : -1;
	if (x->seconds != y->seconds)
		return x->seconds < y->seconds ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* A name's index, added on first sight (a street is many segments), with its English
 * name (the first segment that has one gives it). */
static int name_of(struct nb *n, size_t cap[2], const char *name, const char *en)
{
	if (!name[0])
		return -1;
	for (size_t i = n->pub.nnames; i-- > 0;)
		if (strcmp(n->names[i], name) == 0) {
			char *e;
			if (!n->names_en[i][0] && en[0] && (e = kiosk_strdup(en))) {
				kiosk_free(n->names_en[i]);
				n->names_en[i] = e;
			}
			return (int)i;
		}
	if (kiosk_grow((void **)&n->names, &cap[0], n->pub.nnames, sizeof *n->names) ||
	    kiosk_grow((void **)&n->names_en, &cap[1], n->pub.nnames, sizeof *n->names_en))
		return -1;
	char *zh = kiosk_strdup(name), *e = kiosk_strdup(en);
	if (!zh || !e) {
		kiosk_free(zh);
		kiosk_free(e);
		return -1;
	}
	n->names[n->pub.nnames] = zh;
	n->names_en[n->pub.nnames] = e;
	return (int)n->pub.nnames++;
}

static uint8_t kind_of(const char *k)
{
	static const char *const small[] = {"footway", "path", "steps", "pedestrian", "cycleway",
					    "track", "corridor", "bridleway", NULL};
	static const char *const mid[] = {"residential", "service", "living_street",
					  "unclassified", "road", NULL};
	for (int i = 0; small[i]; i++)
		if (strcmp(k, small[i]) == 0)
			return 0;
	for (int i = 0; mid[i]; i++)
		if (strcmp(k, mid[i]) == 0)
			return 1;
	return 2;
}

static int segments(struct nb *n, const struct kiosk_map_data *d)
{
	size_t m = geo_graph_edges(n->g), cap[2] = {0, 0};
	n->segs = kiosk_calloc(m ? m : 1, sizeof *n->segs);
	if (!n->segs)
		return KIOSK_ENOMEM;
	for (size_t e = 0; e < m; e++) {
		size_t a, b;
		geo_edge_ends(n->g, e, &a, &b);
		const struct kiosk_map_edge *src = &d->edges[geo_edge_source(n->g, e)];
		struct kiosk_segment *s = &n->segs[e];
		geo_node_pos(n->g, a, &s->lat0, &s->lon0);
		geo_node_pos(n->g, b, &s->lat1, &s->lon1);
		s->kind = kind_of(src->kind);
		s->cost0 = n->c ? (float)geo_node_cost(n->c, a) : -1;
		s->cost1 = n->c ? (float)geo_node_cost(n->c, b) : -1;
		s->name = name_of(n, cap, src->name, src->name_en);
	}
	n->pub.nsegments = m;
	n->pub.segments = n->segs;
	return KIOSK_OK;
}

int kiosk_neighbourhood_build(struct kiosk_store *st, double lat, double lon,
			      struct kiosk_neighbourhood **out)
{
	*out = NULL;
	struct nb *n = kiosk_calloc(1, sizeof *n);
	if (!n)
		return KIOSK_ENOMEM;
	n->pub.priv = n;
	n->pub.refs = 1;
	n->pub.kiosk_lat = lat;
	n->pub.kiosk_lon = lon;
	struct kiosk_map_data d;
	size_t ns = 0;
	struct kiosk_service *svc = NULL;
	int rc = kiosk_map_load(st, &d);
	if (rc == KIOSK_OK)
		rc = kiosk_service_all(st, &svc, &ns);
	if (rc) {
		kiosk_map_data_free(&d);
		nb_free(n);
		return rc;
	}
	/* a map imported before credits were kept came from OSM XML: OSM's credit */
	char src[16] = "";
	if (kiosk_map_info(st, "attribution", n->pub.attribution, sizeof n->pub.attribution) &&
	    kiosk_map_info(st, "source", src, sizeof src) == KIOSK_OK)
		snprintf(n->pub.attribution, sizeof n->pub.attribution, "%s", GEO_OSM_CREDIT);
	if (geo_graph_new(&d, &n->g) == KIOSK_OK && geo_snap(n->g, lat, lon, &n->src) == KIOSK_OK &&
	    geo_costs_new(n->g, &n->c) == KIOSK_OK && geo_route_from(n->g, &n->src, n->c) == KIOSK_OK)
		n->has_src = true;
	n->places = kiosk_calloc(ns ? ns : 1, sizeof *n->places);
	double *m1 = kiosk_malloc((ns + 1) * sizeof *m1), *s1 = kiosk_malloc((ns + 1) * sizeof *s1);
	rc = n->places && m1 && s1 ? KIOSK_OK : KIOSK_ENOMEM;
	/* Once at 1 m/s: a walk's time is its cost over the pace, whichever pace. */
	if (rc == KIOSK_OK)
		rc = geo_walk_times(n->has_src ? n->g : NULL, lat, lon, 1.0, svc, ns, m1, s1);
	double minla = lat, maxla = lat, minlo = lon, maxlo = lon;
	for (size_t i = 0; rc == KIOSK_OK && i < ns; i++) {
		struct kiosk_place *p = &n->places[i];
		const struct kiosk_service *s = &svc[i];
		snprintf(p->id, sizeof p->id, "%s", s->id);
		snprintf(p->name_zh, sizeof p->name_zh, "%s", s->name_zh);
		snprintf(p->name_en, sizeof p->name_en, "%s", s->name_en);
		snprintf(p->category, sizeof p->category, "%s", s->category);
		snprintf(p->address, sizeof p->address, "%s", s->address);
		snprintf(p->phone, sizeof p->phone, "%s", s->phone);
		snprintf(p->hours, sizeof p->hours, "%s", s->opening_hours);
		snprintf(p->description, sizeof p->description, "%s", s->description);
		p->lat = s->lat;
		p->lon = s->lon;
		p->metres = m1[i];
		p->seconds = s1[i] < 0 ? GEO_UNREACHABLE : s1[i] / GEO_SPEED;
		p->seconds_elderly = s1[i] < 0 ? GEO_UNREACHABLE : s1[i] / GEO_SPEED_ELDERLY;
		if (s->lat < minla) minla = s->lat;
		if (s->lat > maxla) maxla = s->lat;
		if (s->lon < minlo) minlo = s->lon;
		if (s->lon > maxlo) maxlo = s->lon;
	}
	kiosk_free(m1);
	kiosk_free(s1);
	kiosk_free(svc);
	if (rc == KIOSK_OK) {
		qsort(n->places, ns, sizeof *n->places, by_seconds);
		n->pub.places = n->places;
		n->pub.nplaces = ns;
		/* the search works on services: the places again, in the same order */
		n->svc = kiosk_calloc(ns ? ns : 1, sizeof *n->svc);
		n->hits = kiosk_calloc(ns ? ns : 1, sizeof *n->hits);
		double *secs = kiosk_malloc((ns + 1) * sizeof *secs);
		rc = n->svc && n->hits && secs ? KIOSK_OK : KIOSK_ENOMEM;
		for (size_t i = 0; rc == KIOSK_OK && i < ns; i++) {
			struct kiosk_service *s = &n->svc[i];
			memcpy(s->id, n->places[i].id, sizeof s->id);
			memcpy(s->name_zh, n->places[i].name_zh, sizeof s->name_zh);
			memcpy(s->name_en, n->places[i].name_en, sizeof s->name_en);
			snprintf(s->category, sizeof s->category, "%s", n->places[i].category);
			snprintf(s->opening_hours, sizeof s->opening_hours, "%s", n->places[i].hours);
			secs[i] = n->places[i].seconds;
		}
		if (rc == KIOSK_OK)
			rc = dir_index_new(n->svc, ns, secs, &n->ix);
		kiosk_free(secs);
	}
	if (rc == KIOSK_OK && n->g) {
		rc = segments(n, &d);
		for (size_t i = 0; i < n->pub.nsegments; i++) {
			const struct kiosk_segment *s = &n->segs[i];
			if (s->lat0 < minla) minla = s->lat0;
			if (s->lat0 > maxla) maxla = s->lat0;
			if (s->lon0 < minlo) minlo = s->lon0;
			if (s->lon0 > maxlo) maxlo = s->lon0;
		}
	}
	kiosk_map_data_free(&d);
	n->pub.names = (const char *const *)n->names;
	n->pub.names_en = (const char *const *)n->names_en;
	n->pub.min_lat = minla;
	n->pub.max_lat = maxla;
	n->pub.min_lon = minlo;
	n->pub.max_lon = maxlo;
	if (rc) {
		nb_free(n);
		return rc;
	}
	*out = &n->pub;
	return KIOSK_OK;
}

int kiosk_neighbourhood_search(const struct kiosk_neighbourhood *nb, const char *query,
			       const char *category, const struct tm *open_at, int *out, int max)
{
	struct nb *n = nb ? nb->priv : NULL;
	if (!n || !n->ix || max <= 0)
		return 0;
	if (open_at)
		dir_index_set_time(n->ix, open_at);
	struct dir_filter f = {category, open_at != NULL};
	int k = dir_search(n->ix, query, &f, n->hits, max < (int)nb->nplaces ? max : (int)nb->nplaces);
	for (int i = 0; i < k; i++)
		out[i] = (int)n->hits[i].i;
	return k;
}

enum kiosk_open kiosk_neighbourhood_open(const struct kiosk_neighbourhood *nb, size_t i,
					 const struct tm *t)
{
	if (!nb || i >= nb->nplaces)
		return KIOSK_HOURS_UNKNOWN;
	switch (dir_hours_open(nb->places[i].hours, t)) {
	case DIR_OPEN:
		return KIOSK_OPEN;
	case DIR_CLOSED:
		return KIOSK_CLOSED;
	default:
		return KIOSK_HOURS_UNKNOWN;
	}
}

bool kiosk_neighbourhood_in_circle(const struct kiosk_neighbourhood *nb, const char *category)
{
	for (size_t i = 0; nb && category && i < nb->nplaces; i++)
		if (strcmp(nb->places[i].category, category) == 0 && nb->places[i].seconds >= 0 &&
		    nb->places[i].seconds <= KIOSK_LIFE_CIRCLE_S)
			return true;
	return false;
}

bool kiosk_neighbourhood_hours_words(const struct kiosk_neighbourhood *nb, size_t i, bool en,
				     char *out, size_t len)
{
	if (len)
		out[0] = '\0';
	if (!nb || i >= nb->nplaces)
		return false;
	return dir_hours_words(nb->places[i].hours, en, out, len);
}

void kiosk_neighbourhood_address_en(const struct kiosk_neighbourhood *nb, size_t i, char *out,
				    size_t len)
{
	const char *a = nb && i < nb->nplaces ? nb->places[i].address : "";
	size_t best = 0, bk = 0;
	for (size_t k = 0; nb && k < nb->nnames; k++) {
		size_t n = strlen(nb->names[k]);
		if (n > best && nb->names_en[k][0] && strncmp(a, nb->names[k], n) == 0)
			best = n, bk = k;
	}
	if (best)
		snprintf(out, len, "%s%s", nb->names_en[bk], a + best);
	else
		snprintf(out, len, "%s", a);
}

int kiosk_neighbourhood_route(const struct kiosk_neighbourhood *nb, size_t i,
			      double (*pts)[2], int max)
{
	struct nb *n = nb ? nb->priv : NULL;
	struct geo_snap dst;
	if (!n || !n->has_src || i >= nb->nplaces || nb->places[i].seconds < 0 ||
	    geo_snap(n->g, nb->places[i].lat, nb->places[i].lon, &dst) != KIOSK_OK)
		return 0;
	int k = geo_path_to(n->g, n->c, &n->src, &dst, pts, max - 1);
	if (k > 0 && k < max) { /* and the last steps off the street to the door */
		pts[k][0] = nb->places[i].lat;
		pts[k][1] = nb->places[i].lon;
		k++;
	}
	return k;
}

static int edge_name(void *arg, size_t edge)
{
	const struct kiosk_neighbourhood *nb = arg;
	return edge < nb->nsegments ? nb->segments[edge].name : -1;
}

int kiosk_neighbourhood_steps(const struct kiosk_neighbourhood *nb, size_t i,
			      struct geo_directions *out)
{
	struct nb *n = nb ? nb->priv : NULL;
	struct geo_snap dst;
	memset(out, 0, sizeof *out);
	if (!n || !n->has_src || i >= nb->nplaces || nb->places[i].seconds < 0 ||
	    geo_snap(n->g, nb->places[i].lat, nb->places[i].lon, &dst) != KIOSK_OK)
		return KIOSK_ENOENT;
	struct geo_hop few[64], *hops = few;
	int nh = geo_path_hops(n->g, n->c, &dst, few, 64);
	if (nh > 64) { /* a long walk through many short edges */
		hops = kiosk_malloc((size_t)nh * sizeof *hops);
		if (!hops)
			return KIOSK_ENOMEM;
		nh = geo_path_hops(n->g, n->c, &dst, hops, nh);
	}
	double px, py;
	geo_project(n->g, nb->places[i].lat, nb->places[i].lon, &px, &py);
	int rc = geo_directions(hops, nh, edge_name, (void *)nb, n->src.off_m, dst.off_m, px, py,
				out);
	if (hops != few)
		kiosk_free(hops);
	return rc;
}

int kiosk_neighbourhood_directions(const struct kiosk_neighbourhood *nb, size_t i, bool en,
				   char *out, size_t len)
{
	struct geo_directions d;
	if (len)
		out[0] = '\0';
	if (kiosk_neighbourhood_steps(nb, i, &d) != KIOSK_OK)
		return 0;
	const struct kiosk_place *p = &nb->places[i];
	/* English: the map's English name where it has one, as the map draws it */
	const char *const *names = nb->names;
	const char **en_names = NULL;
	if (en && nb->nnames) {
		en_names = kiosk_malloc(nb->nnames * sizeof *en_names);
		if (!en_names)
			return 0;
		for (size_t k = 0; k < nb->nnames; k++)
			en_names[k] = nb->names_en[k][0] ? nb->names_en[k] : nb->names[k];
		names = en_names;
	}
	int lines = geo_directions_words(&d, names, nb->nnames,
					 en && p->name_en[0] ? p->name_en : p->name_zh, en, out, len);
	kiosk_free(en_names);
	return lines;
}

void kiosk_neighbourhood_tiles(struct kiosk_neighbourhood *nb, const char *mbtiles)
{
	struct nb *n = nb->priv;
	if (!mbtiles || !mbtiles[0])
		return;
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	int rc = sqlite3_open_v2(mbtiles, &db, SQLITE_OPEN_READONLY, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "SELECT min(zoom_level), max(zoom_level) FROM tiles", -1,
					&q, NULL);
	if (rc == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW &&
	    sqlite3_column_type(q, 0) == SQLITE_INTEGER) {
		n->minz = sqlite3_column_int(q, 0);
		n->maxz = sqlite3_column_int(q, 1);
	} else {
		rc = SQLITE_ERROR;
	}
	sqlite3_finalize(q);
	if (rc == SQLITE_OK && n->minz >= 0 && n->maxz <= 22 &&
	    sqlite3_prepare_v2(db,
			       "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ?"
			       " AND tile_row = ?",
			       -1, &n->tile_q, NULL) == SQLITE_OK) {
		n->tiles = db;
		KLOG_INFO("geo", "event=base_map file=%s zooms=%d-%d", mbtiles, n->minz, n->maxz);
		return;
	}
	KLOG_WARN("geo", "event=base_map_unusable file=%s reason=\"%s\"", mbtiles,
		  db ? sqlite3_errmsg(db) : "cannot open");
	sqlite3_close(db);
}

bool kiosk_neighbourhood_tile_zooms(const struct kiosk_neighbourhood *nb, int *minz, int *maxz)
{
	struct nb *n = nb ? nb->priv : NULL;
	if (!n || !n->tiles)
		return false;
	*minz = n->minz;
	*maxz = n->maxz;
	return true;
}

bool kiosk_neighbourhood_tile(const struct kiosk_neighbourhood *nb, int z, int x, int y,
			      const void **data, size_t *len)
{
	struct nb *n = nb ? nb->priv : NULL;
	if (!n || !n->tiles || z < n->minz || z > n->maxz || x < 0 || y < 0 || x >= (1 << z) ||
	    y >= (1 << z))
		return false;
	sqlite3_reset(n->tile_q);
	sqlite3_bind_int(n->tile_q, 1, z);
	sqlite3_bind_int(n->tile_q, 2, x);
	sqlite3_bind_int(n->tile_q, 3, (1 << z) - 1 - y); /* TMS counts rows from the south */
	if (sqlite3_step(n->tile_q) != SQLITE_ROW)
		return false;
	*data = sqlite3_column_blob(n->tile_q, 0);
	*len = (size_t)sqlite3_column_bytes(n->tile_q, 0);
	return *data != NULL && *len > 0;
}

bool kiosk_category(int i, const char **code, const char **zh, const char **en)
{
	int n = 0;
	while (geo_categories[n].code)
		n++;
	if (i < 0 || i >= n)
		return false;
	*code = geo_categories[i].code;
	*zh = geo_categories[i].zh;
	*en = geo_categories[i].en;
	return true;
}
