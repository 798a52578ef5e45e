#include "kiosk/coverage_view.h"
#include "kiosk/coverage_report.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define M_LAT 110540.0 /* metres a degree of latitude; of longitude, × cos(latitude) */

struct frame {
	double lat0, lon0, mlon;
};

static void at(const struct frame *f, double lat, double lon, float *x, float *y)
{
	*x = (float)((lon - f->lon0) * f->mlon);
	*y = (float)((lat - f->lat0) * M_LAT);
}

/* The heat's arrays, from the report's walk for one item. */
static int fill(struct kiosk_coverage_view *v, const struct kiosk_coverage_heat *h)
{
	const struct geo_graph *g = h->g;
	size_t nn = geo_graph_nodes(g), ne = geo_graph_edges(g);
	double minlat, maxlat, minlon, maxlon;
	geo_graph_bounds(g, &minlat, &minlon, &maxlat, &maxlon);
	struct frame f = {minlat, minlon, 111320.0 * cos((minlat + maxlat) / 2 * M_PI / 180)};
	at(&f, maxlat, maxlon, &v->w_m, &v->h_m);
	at(&f, h->kiosk_lat, h->kiosk_lon, &v->kiosk_x, &v->kiosk_y);
	v->nres = h->nhomes ? h->nhomes : nn;
	struct kiosk_heat_seg *segs = kiosk_malloc((ne ? ne : 1) * sizeof *segs);
	struct kiosk_heat_point *res = kiosk_malloc((v->nres ? v->nres : 1) * sizeof *res);
	struct kiosk_heat_point *pl = kiosk_malloc((h->nplaces ? h->nplaces : 1) * sizeof *pl);
	v->segs = segs;
	v->res = res;
	v->places = pl;
	if (!segs || !res || !pl)
		return KIOSK_ENOMEM;
	for (size_t e = 0; e < ne; e++) {
		size_t a, b;
		double la, lo, lb, lob;
		geo_edge_ends(g, e, &a, &b);
		geo_node_pos(g, a, &la, &lo);
		geo_node_pos(g, b, &lb, &lob);
		at(&f, la, lo, &segs[e].x0, &segs[e].y0);
		at(&f, lb, lob, &segs[e].x1, &segs[e].y1);
		segs[e].s0 = (float)h->seconds[a];
		segs[e].s1 = (float)h->seconds[b];
	}
	v->nsegs = ne;
	for (size_t i = 0; i < v->nres; i++) {
		double la, lo;
		if (h->nhomes) {
			la = h->homes[i].lat;
			lo = h->homes[i].lon;
		} else {
			geo_node_pos(g, i, &la, &lo);
		}
		at(&f, la, lo, &res[i].x, &res[i].y);
		res[i].s = (float)(h->nhomes ? h->home_seconds[i] : h->seconds[i]);
	}
	for (size_t p = 0; p < h->nplaces; p++) {
		size_t a, b;
		double la, lo, lb, lob, t = h->places[p].t;
		geo_edge_ends(g, (size_t)h->places[p].edge, &a, &b);
		geo_node_pos(g, a, &la, &lo);
		geo_node_pos(g, b, &lb, &lob);
		at(&f, la + (lb - la) * t, lo + (lob - lo) * t, &pl[p].x, &pl[p].y);
		pl[p].s = 0;
	}
	v->nplaces = h->nplaces;
	return KIOSK_OK;
}

void kiosk_coverage_shade(double s, double threshold, unsigned char c[3])
{
	static const unsigned char near[3] = {0x08, 0x30, 0x6B}, far[3] = {0x9E, 0xCA, 0xE1},
				   out[3] = {0xD0, 0xD0, 0xD0};
	if (s < 0 || s > threshold) {
		memcpy(c, out, 3);
		return;
	}
	double t = s / threshold;
	for (int i = 0; i < 3; i++)
		c[i] = (unsigned char)lround(near[i] + (far[i] - near[i]) * t);
}

int kiosk_coverage_find(const struct kiosk_coverage_view *v, const char *id)
{
	for (int i = 0; i < v->nitems; i++)
		if (strcmp(v->items[i].id, id) == 0)
			return i;
	return -1;
}

/* The report's figures as the table shows them. */
static void table(struct kiosk_coverage_view *v, const struct kiosk_coverage_report *r)
{
	v->nitems = r->std.nitems < KIOSK_COVERAGE_ITEMS ? r->std.nitems : KIOSK_COVERAGE_ITEMS;
	for (int i = 0; i < v->nitems; i++) {
		const struct geo_std_item *it = &r->std.items[i];
		const struct geo_coverage *c = &r->rows[i].c;
		struct kiosk_coverage_item *o = &v->items[i];
		snprintf(o->id, sizeof o->id, "%s", it->id);
		snprintf(o->name_zh, sizeof o->name_zh, "%s", it->name_zh);
		snprintf(o->name_en, sizeof o->name_en, "%s", it->name_en);
		o->minutes = it->minutes;
		o->basic = it->tier == GEO_STD_BASIC;
		o->places = c->places;
		o->share = c->share;
		o->p50_s = c->p50_s;
		o->p90_s = c->p90_s;
		o->from_kiosk_s = c->from_kiosk_s;
		o->wishes = r->rows[i].wishes;
	}
	for (int k = 0; k < r->ngaps; k++)
		if (r->gaps[k] < v->nitems)
			v->gaps[v->ngaps++] = r->gaps[k];
	v->residences = r->residences;
	v->residences_off_street = r->homes_off_street;
	snprintf(v->rule, sizeof v->rule, "%s", r->rule ? r->rule : "");
}

static void view_free(struct kiosk_coverage_view *v)
{
	kiosk_free((void *)v->segs);
	kiosk_free((void *)v->res);
	kiosk_free((void *)v->places);
	kiosk_free(v);
}

int kiosk_coverage_view_build(struct kiosk_store *st, const char *standard_path, double lat,
			      double lon, int item, int64_t now_ms,
			      const struct geo_cancel *cancel, struct kiosk_coverage_view **out,
			      char *why, size_t wlen)
{
	*out = NULL;
	struct kiosk_coverage_view *v = kiosk_calloc(1, sizeof *v);
	struct kiosk_coverage_report *r = kiosk_calloc(1, sizeof *r); /* (large) */
	int rc = v && r ? kiosk_coverage_report_cancellable(st, standard_path, lat, lon, now_ms,
							    cancel, r, why, wlen)
			: KIOSK_ENOMEM;
	if (rc) {
		kiosk_free(r);
		if (v)
			view_free(v);
		return rc;
	}
	table(v, r);
	if (item < 0 || item >= v->nitems)
		item = v->ngaps ? v->gaps[0] : 0;
	v->item = item;
	v->generated_ms = now_ms;
	v->refs = 1;
	struct kiosk_coverage_heat h;
	rc = kiosk_coverage_heat(st, &r->std, item, lat, lon, &h);
	kiosk_free(r);
	if (rc == KIOSK_OK) {
		v->threshold_s = h.threshold_s;
		rc = fill(v, &h);
		kiosk_coverage_heat_free(&h);
	}
	if (rc) {
		snprintf(why, wlen, "the heat map: %s", kiosk_strerror(rc));
		view_free(v);
		return rc;
	}
	*out = v;
	return KIOSK_OK;
}

void kiosk_coverage_view_hold(const struct kiosk_coverage_view *v)
{
	if (v)
		__atomic_add_fetch(&((struct kiosk_coverage_view *)v)->refs, 1, __ATOMIC_ACQ_REL);
}

void kiosk_coverage_view_put(const struct kiosk_coverage_view *v)
{
	if (v && __atomic_sub_fetch(&((struct kiosk_coverage_view *)v)->refs, 1, __ATOMIC_ACQ_REL) == 0)
		view_free((struct kiosk_coverage_view *)v);
}
