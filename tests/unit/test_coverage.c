/* The quarter-hour coverage of one category: every figure exact on a town drawn by hand
 * (shares, p50/p90, the kiosk's minutes, a resident beside a place on the same street, an
 * unreachable corner, a category with no place), and the multi-source walk checked against
 * plain single-source walks from 50 nodes of a real OSM sample. */
#include "store_fixture.h"
#include "kiosk/coverage_out.h"
#include "kiosk/coverage_report.h"
#include "kiosk/store/homes.h"
#include "kiosk/geo/coverage.h"
#include "kiosk/geo/model.h"
#include "kiosk/geo/route.h"
#include "kiosk/geo/standard.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"
#include "../test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

/* a metre east at 31° N: 1 / (111320 cos 31°), as a constant for the tables below */
#define M_LON (1 / 95419.8639)
#define NEAR(a, b) (fabs((a) - (b)) < 1e-6)

/* 长寿路 runs east: A (0 m) - B (100) - C (200) - D (300) - E (400), four footways of 100 m;
 * F - G, 100 m, lie 2 km north with no path to them (a cut-off corner). */
static struct kiosk_map_node town_nodes[] = {
	{1, 31.0, 121.0},
	{2, 31.0, 121.0 + 100 * M_LON},
	{3, 31.0, 121.0 + 200 * M_LON},
	{4, 31.0, 121.0 + 300 * M_LON},
	{5, 31.0, 121.0 + 400 * M_LON},
	{6, 31.02, 121.0},
	{7, 31.02, 121.0 + 100 * M_LON},
};
static struct kiosk_map_edge town_edges[] = {
	{1, 2, 100, "footway", 0, "长寿路", ""}, {2, 3, 100, "footway", 0, "长寿路", ""},
	{3, 4, 100, "footway", 0, "长寿路", ""}, {4, 5, 100, "footway", 0, "长寿路", ""},
	{6, 7, 100, "footway", 0, "", ""},
};

static struct geo_snap at(const struct geo_graph *g, double metres_east)
{
	struct geo_snap s = {-1, 0, 0};
	CHECK_INT(geo_snap(g, 31.0, 121.0 + metres_east * M_LON, &s), KIOSK_OK);
	s.off_m = 0; /* on the street exactly (the projection's rounding aside) */
	return s;
}

static void figures_on_a_town_drawn_by_hand(void)
{
	struct kiosk_map_data d = {town_nodes, 7, town_edges, 5, NULL, 0, NULL, NULL, 0};
	struct geo_graph *g;
	struct geo_costs *c;
	struct geo_coverage_work *w;
	CHECK_INT(geo_graph_new(&d, &g), KIOSK_OK);
	CHECK_INT(geo_costs_new(g, &c), KIOSK_OK);
	CHECK_INT(geo_coverage_work_new(g, &w), KIOSK_OK);
	struct geo_coverage cv;
	struct geo_snap kiosk = at(g, 400); /* at E */

	/* One place, at A; every street node a resident (7), at 1 m/s, 250 s to meet: A, B
	 * and C do (3/7); sorted 0 100 200 300 400 ∞ ∞: p50 the 4th (300), p90 the 7th (∞). */
	struct geo_snap a = at(g, 0);
	double secs[7];
	CHECK_INT(geo_coverage_of(g, w, &a, 1, NULL, 0, &kiosk, 1.0, 250, &cv, secs), KIOSK_OK);
	CHECK_INT((int)cv.residents, 7);
	CHECK_INT((int)cv.within, 3);
	CHECK(NEAR(cv.share, 3.0 / 7));
	CHECK(NEAR(cv.p50_s, 300));
	CHECK(cv.p90_s == GEO_UNREACHABLE);
	CHECK(NEAR(cv.from_kiosk_s, 400));
	int unreachable = 0;
	for (int i = 0; i < 7; i++)
		unreachable += secs[i] == GEO_UNREACHABLE;
	CHECK_INT(unreachable, 2); /* F and G */

	/* At a resident's pace (1.2 m/s) the same walks take longer: 240 s meets A, B (0, 83)
	 * and C (167), not D (250). */
	CHECK_INT(geo_coverage_of(g, w, &a, 1, NULL, 0, &kiosk, 1.2, 240, &cv, NULL), KIOSK_OK);
	CHECK_INT((int)cv.within, 3);
	CHECK(NEAR(cv.p50_s, 250));
	CHECK(NEAR(cv.from_kiosk_s, 400 / 1.2));

	/* Two places, A and E: 0 100 200 100 0 ∞ ∞ — 5 within 250, p50 100, the kiosk (at E)
	 * 0 away. */
	struct geo_snap ae[2] = {a, kiosk};
	CHECK_INT(geo_coverage_of(g, w, ae, 2, NULL, 0, &kiosk, 1.0, 250, &cv, NULL), KIOSK_OK);
	CHECK_INT((int)cv.within, 5);
	CHECK(NEAR(cv.p50_s, 100));
	CHECK(NEAR(cv.from_kiosk_s, 0));

	/* Residents where they live: one at 350 m (between D and E), one at 130 m, and one
	 * beside a place in the middle of B-C: the place at 150 m, the resident at 180 m is 30 m
	 * away along their own street (through B or C it would be 130 or 70). */
	struct geo_snap mid = at(g, 150);
	struct geo_snap res[3] = {at(g, 350), at(g, 130), at(g, 180)};
	double rs[3];
	CHECK_INT(geo_coverage_of(g, w, &mid, 1, res, 3, &kiosk, 1.0, 100, &cv, rs), KIOSK_OK);
	CHECK(NEAR(rs[0], 200));
	CHECK(NEAR(rs[1], 20));
	CHECK(NEAR(rs[2], 30));
	CHECK_INT((int)cv.within, 2);
	CHECK(NEAR(cv.share, 2.0 / 3));
	CHECK(NEAR(cv.p50_s, 30));
	CHECK(NEAR(cv.p90_s, 200));
	CHECK(NEAR(cv.from_kiosk_s, 250));

	/* No place of the category on this map: nothing within, no minutes (not 0). */
	CHECK_INT(geo_coverage_of(g, w, NULL, 0, NULL, 0, &kiosk, 1.0, 250, &cv, NULL), KIOSK_OK);
	CHECK_INT((int)cv.within, 0);
	CHECK(cv.share == 0);
	CHECK(cv.p50_s == GEO_UNREACHABLE && cv.p90_s == GEO_UNREACHABLE);
	CHECK(cv.from_kiosk_s == GEO_UNREACHABLE);

	/* Refusals: a place off the graph, a speed of 0. */
	struct geo_snap off = {99, 0, 0};
	CHECK_INT(geo_coverage_of(g, w, &off, 1, NULL, 0, &kiosk, 1.0, 250, &cv, NULL), KIOSK_EINVAL);
	CHECK_INT(geo_coverage_of(g, w, &a, 1, NULL, 0, &kiosk, 0, 250, &cv, NULL), KIOSK_EINVAL);
	/* The many-source costs measure no path: no metres, no points from them. */
	CHECK_INT(geo_route_from_many(g, ae, 2, c), KIOSK_OK);
	CHECK(geo_metres_to(g, c, &mid) == GEO_UNREACHABLE);
	geo_costs_free(c);
	geo_coverage_work_free(w);
	geo_graph_free(g);
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Aberdeen's old town: the minutes from every street node to the nearest of its places
 * (all of them, as one category) match, at 50 nodes spread over the map, the nearest
 * place as plain single-source walks from each node find it. */
static void many_sources_match_single_walks_on_an_osm_sample(void)
{
	struct geo_model m;
	char why[256] = "";
	CHECK_INT(geo_model_read_file(SHARED_OSM "/aberdeen-old-town.osm.gz", 0, &m, why, sizeof why),
		  KIOSK_OK);
	struct kiosk_map_data d = {m.nodes, m.nnodes, m.edges, m.nedges, NULL, 0, NULL, NULL, 0};
	struct geo_graph *g;
	struct geo_costs *one;
	struct geo_coverage_work *many;
	CHECK_INT(geo_graph_new(&d, &g), KIOSK_OK);
	CHECK_INT(geo_coverage_work_new(g, &many), KIOSK_OK);
	CHECK_INT(geo_costs_new(g, &one), KIOSK_OK);
	struct geo_snap *places = kiosk_calloc(m.npois, sizeof *places);
	size_t n = 0;
	for (size_t i = 0; i < m.npois; i++)
		if (geo_snap(g, m.pois[i].lat, m.pois[i].lon, &places[n]) == KIOSK_OK)
			n++;
	CHECK(n > 20);
	size_t nodes = geo_graph_nodes(g);
	double *secs = kiosk_malloc(nodes * sizeof *secs);
	struct geo_coverage cv;
	CHECK_INT(geo_coverage_of(g, many, places, n, NULL, 0, NULL, 1.0, 900, &cv, secs), KIOSK_OK);
	int checked = 0, reached = 0;
	for (size_t k = 0; k < 50; k++) {
		size_t v = k * nodes / 50;
		double lat, lon;
		geo_node_pos(g, v, &lat, &lon);
		struct geo_snap from;
		CHECK_INT(geo_snap(g, lat, lon, &from), KIOSK_OK);
		CHECK_INT(geo_route_from(g, &from, one), KIOSK_OK);
		double best = GEO_UNREACHABLE;
		for (size_t i = 0; i < n; i++) {
			double t = geo_time_to(g, one, &places[i], 1.0);
			if (t >= 0 && (best < 0 || t < best))
				best = t;
		}
		if ((best < 0) != (secs[v] < 0) || (best >= 0 && fabs(best - secs[v]) > 0.01))
			fprintf(stderr, "node %zu: single walks %.3f s, many sources %.3f s\n", v, best,
				secs[v]);
		CHECK((best < 0) == (secs[v] < 0));
		CHECK(best < 0 || fabs(best - secs[v]) <= 0.01);
		checked++;
		reached += best >= 0;
	}
	CHECK_INT(checked, 50);
	/* the percentiles (found by selection) are the sorted seconds' nearest ranks */
	double *sorted = kiosk_malloc(nodes * sizeof *sorted);
	for (size_t i = 0; i < nodes; i++)
		sorted[i] = secs[i] < 0 ? INFINITY : secs[i];
	qsort(sorted, nodes, sizeof *sorted, cmp_d);
	double p50 = sorted[(size_t)ceil(0.5 * (double)nodes) - 1];
	double p90 = sorted[(size_t)ceil(0.9 * (double)nodes) - 1];
	CHECK(isinf(p50) ? cv.p50_s == GEO_UNREACHABLE : NEAR(cv.p50_s, p50));
	CHECK(isinf(p90) ? cv.p90_s == GEO_UNREACHABLE : NEAR(cv.p90_s, p90));
	/* … whatever the threshold the bins are drawn over: most residents past it, or all
	 * in one bin */
	static const double thresholds[] = {1, 30, 300, 1e6};
	for (size_t t = 0; t < sizeof thresholds / sizeof thresholds[0]; t++) {
		struct geo_coverage tc;
		CHECK_INT(geo_coverage_of(g, many, places, n, NULL, 0, NULL, 1.0, thresholds[t], &tc,
					  NULL),
			  KIOSK_OK);
		CHECK(isinf(p50) ? tc.p50_s == GEO_UNREACHABLE : NEAR(tc.p50_s, p50));
		CHECK(isinf(p90) ? tc.p90_s == GEO_UNREACHABLE : NEAR(tc.p90_s, p90));
	}
	size_t within = 0;
	for (size_t i = 0; i < nodes; i++)
		within += secs[i] >= 0 && secs[i] <= 900;
	CHECK_INT((int)cv.within, (int)within);
	kiosk_free(sorted);
	CHECK(reached > 40);
	printf("  %zu nodes, %zu places: %d of 50 sampled nodes checked reach one\n", nodes, n,
	       reached);
	kiosk_free(secs);
	kiosk_free(places);
	geo_costs_free(one);
	geo_coverage_work_free(many);
	geo_graph_free(g);
	geo_model_free(&m);
}

/* The shipped standard: the ministry's figures, the programme's three groups. */
static void the_shipped_standard(void)
{
	struct geo_standard s;
	char why[200] = "";
	CHECK_INT(geo_standard_load(ASSETS_DIR "/coverage/standard.json", &s, why, sizeof why),
		  KIOSK_OK);
	CHECK_STR(why, "");
	int conv = geo_standard_find(&s, "convenience"), rep = geo_standard_find(&s, "repair");
	CHECK(conv >= 0 && rep >= 0);
	CHECK_INT(s.items[conv].minutes, 5);
	CHECK_INT(s.items[geo_standard_find(&s, "breakfast")].minutes, 8);
	CHECK_INT(s.items[geo_standard_find(&s, "market")].minutes, 8);
	CHECK_INT(s.items[rep].minutes, 15);
	CHECK_INT(s.items[rep].tier, GEO_STD_BASIC);
	CHECK_INT(s.items[geo_standard_find(&s, "fitness")].tier, GEO_STD_QUALITY);
	CHECK_INT(s.items[rep].ncats, 7); /* every repair category counts for 维修 */
	CHECK_INT(s.ngroups, 3);
	CHECK_STR(s.groups[0].name_zh, "一店一早");
	CHECK_INT(s.groups[1].items[1], rep); /* 一菜一修: the market and the repairs */
	CHECK_STR(s.groups[2].name_zh, "一老一小");
}

/* 需求清单: the residents' wishes at the kiosk, the last 30 days, weigh 补什么 — an item
 * fewer residences lack but many residents ask for comes first; one every residence has
 * is not on the list, however wished for; a wrong category counts for nothing. */
static void wishes_weigh_what_to_add_first(void)
{
	char path[256];
	struct kiosk_store *st;
	fx_path(path, sizeof path);
	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
	int64_t t0 = fx_now;
	CHECK_INT(kiosk_event_service_request(st, "shoe", "鞋跟坏了"), KIOSK_OK); /* 31 days ago */
	fx_now += 1LL * 86400 * 1000;
	for (int i = 0; i < 3; i++)
		CHECK_INT(kiosk_event_service_request(st, "key", ""), KIOSK_OK);
	CHECK_INT(kiosk_event_service_request(st, "shoe", ""), KIOSK_OK);
	CHECK_INT(kiosk_event_service_request(st, "pharmacy", ""), KIOSK_OK);
	CHECK_INT(kiosk_event_service_request(st, "elderly", ""), KIOSK_OK);
	CHECK_INT(kiosk_event_service_request(st, "unicorn", ""), KIOSK_OK); /* no such category */
	fx_now = t0 + 31LL * 86400 * 1000;
	struct kiosk_wish w[8];
	size_t n;
	CHECK_INT(kiosk_wishes_since(st, fx_now - 30LL * 86400 * 1000, w, 8, &n), KIOSK_OK);
	CHECK_INT((long long)n, 5);
	CHECK_STR(w[0].category, "key");
	CHECK_INT(w[0].n, 3);
	CHECK_INT(kiosk_wishes_since(st, 0, w, 8, &n), KIOSK_OK); /* all of them: shoe twice */
	CHECK_STR(w[0].category, "key");
	CHECK_STR(w[1].category, "shoe");
	CHECK_INT(w[1].n, 2);
	CHECK_INT(kiosk_wishes_since(st, fx_now - 30LL * 86400 * 1000, w, 8, &n), KIOSK_OK);
	kiosk_store_close(st);
	fx_cleanup(path);

	struct geo_standard std;
	char why[200] = "";
	CHECK_INT(geo_standard_load(ASSETS_DIR "/coverage/standard.json", &std, why, sizeof why),
		  KIOSK_OK);
	int rep = geo_standard_find(&std, "repair"), ph = geo_standard_find(&std, "pharmacy"),
	    conv = geo_standard_find(&std, "convenience"), eld = geo_standard_find(&std, "elderly");
	CHECK(rep >= 0 && ph >= 0 && conv >= 0);
	struct geo_coverage_row rows[GEO_STD_MAX_ITEMS] = {{0}};
	for (int i = 0; i < std.nitems; i++)
		rows[i] = (struct geo_coverage_row){.item = i, .c = {.places = 1, .share = 1}};
	rows[rep].c.share = 0.8;  /* 20 % outside, 4 wishes (keys 3, shoes 1): 0.2 × 5 = 1.0 */
	rows[ph].c.share = 0.6;   /* 40 % outside, 1 wish: 0.4 × 2 = 0.8 */
	rows[conv].c.share = 0.5; /* 50 % outside, no wish: 0.5 */
	geo_coverage_wishes(&std, w, n, rows);
	CHECK_INT(rows[rep].wishes, 4);
	CHECK_INT(rows[ph].wishes, 1);
	CHECK_INT(rows[conv].wishes, 0);
	CHECK(eld >= 0);
	CHECK_INT(rows[eld].wishes, 1); /* wished for, and every residence has it */
	long total = 0;
	for (int i = 0; i < std.nitems; i++)
		total += rows[i].wishes;
	CHECK_INT(total, 6); /* the unicorn counts for nothing */
	int order[GEO_STD_MAX_ITEMS];
	CHECK_INT(geo_coverage_gaps(&std, rows, order), 3);
	CHECK_INT(order[0], rep);
	CHECK_INT(order[1], ph);
	CHECK_INT(order[2], conv);
	/* without the wishes: the share left outside alone */
	geo_coverage_wishes(&std, NULL, 0, rows);
	CHECK_INT(geo_coverage_gaps(&std, rows, order), 3);
	CHECK_INT(order[0], conv);
	CHECK_INT(order[1], ph);
	CHECK_INT(order[2], rep);
}

/* Pixels of the PNG (RGB, filter 0 rows as written) equal to c. */
static long pixels_of(const unsigned char *png, size_t n, const unsigned char c[3], int *w, int *h)
{
	CHECK(n > 33 && memcmp(png, "\x89PNG\r\n\x1a\n", 8) == 0);
	CHECK(memcmp(png + 12, "IHDR", 4) == 0);
	*w = png[16] << 24 | png[17] << 16 | png[18] << 8 | png[19];
	*h = png[20] << 24 | png[21] << 16 | png[22] << 8 | png[23];
	CHECK(memcmp(png + 37, "IDAT", 4) == 0);
	uLong zn = (uLong)png[33] << 24 | (uLong)png[34] << 16 | (uLong)png[35] << 8 | png[36];
	uLongf raw_n = (uLongf)*h * (1 + (uLongf)*w * 3); /* (both ≤ KIOSK_HEAT_PX) */
	unsigned char *raw = malloc(raw_n);
	uLongf got = raw_n;
	CHECK_INT(uncompress(raw, &got, png + 41, zn), Z_OK);
	CHECK_INT((long long)got, (long long)raw_n);
	long k = 0;
	for (int y = 0; y < *h; y++)
		for (int x = 0; x < *w; x++)
			k += memcmp(raw + (size_t)y * (1 + (size_t)*w * 3) + 1 + (size_t)x * 3, c, 3) == 0;
	free(raw);
	return k;
}

static bool file_has(const char *path, const char *what)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	static char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return strstr(buf, what) != NULL;
}

/* The report as a community worker takes it to a meeting, on the demo neighbourhood: the
 * heat map marks exactly the residences outside an item's minutes (none for 维修, every
 * one of them for the convenience store, 18 %); the CSV, JSON and HTML carry every item;
 * a file of another kind, or one that cannot be written, is refused by name and nothing
 * (not even a part) is left. */
static void the_report_for_a_meeting(void)
{
	char path[256], out[300];
	struct kiosk_store *st;
	fx_path(path, sizeof path);
	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
	struct geo_model m;
	char why[256] = "";
	CHECK_INT(geo_import_file(st, ASSETS_DIR "/demo/neighbourhood.osm", 0, &m, why, sizeof why),
		  KIOSK_OK);
	geo_model_free(&m);
	static struct kiosk_coverage_report r;
	CHECK_INT(kiosk_coverage_report(st, ASSETS_DIR "/coverage/standard.json", 31.2260,
					121.46997, fx_now, &r, why, sizeof why),
		  KIOSK_OK);
	int conv = geo_standard_find(&r.std, "convenience"), rep = geo_standard_find(&r.std, "repair");
	CHECK(r.rows[conv].c.share > 0.5 && r.rows[conv].c.share < 1);
	CHECK(r.rows[rep].c.share == 1);
	static const unsigned char outside[3] = {0xC0, 0x39, 0x2B};
	int w, h;
	struct kiosk_coverage_heat heat;
	unsigned char *png;
	size_t n;
	CHECK_INT(kiosk_coverage_heat(st, &r.std, rep, 31.2260, 121.46997, &heat), KIOSK_OK);
	CHECK_INT(kiosk_coverage_png(&heat, &png, &n), KIOSK_OK);
	CHECK_INT(pixels_of(png, n, outside, &w, &h), 0);
	CHECK(w <= KIOSK_HEAT_PX && h <= KIOSK_HEAT_PX && (w == KIOSK_HEAT_PX || h == KIOSK_HEAT_PX));
	kiosk_free(png);
	kiosk_coverage_heat_free(&heat);
	CHECK_INT(kiosk_coverage_heat(st, &r.std, conv, 31.2260, 121.46997, &heat), KIOSK_OK);
	size_t beyond = 0;
	CHECK_INT((long long)heat.nhomes, (long long)r.residences);
	for (size_t i = 0; i < heat.nhomes; i++)
		beyond += heat.home_seconds[i] < 0 || heat.home_seconds[i] > heat.threshold_s;
	CHECK_INT((long long)beyond,
		  (long long)lround((1 - r.rows[conv].c.share) * (double)r.residences));
	CHECK_INT(kiosk_coverage_png(&heat, &png, &n), KIOSK_OK);
	CHECK(pixels_of(png, n, outside, &w, &h) >= (long)beyond * 9); /* a dot each */
	kiosk_free(png);
	CHECK_INT(kiosk_coverage_heat(st, &r.std, 99, 0, 0, &(struct kiosk_coverage_heat){0}),
		  KIOSK_EINVAL);
	/* the files */
	snprintf(out, sizeof out, "%s.csv", path);
	CHECK_INT(kiosk_coverage_write(out, &r, NULL, fx_now, why, sizeof why), KIOSK_OK);
	CHECK(file_has(out, "item,name_zh,name_en,threshold_min"));
	CHECK(file_has(out, "\"repair\",\"维修\",\"Repairs\",15,basic,21,0,1.000,"));
	snprintf(out, sizeof out, "%s.json", path);
	CHECK_INT(kiosk_coverage_write(out, &r, NULL, fx_now, why, sizeof why), KIOSK_OK);
	CHECK(file_has(out, "\"covered_share\":"));
	CHECK(file_has(out, "\"gaps\":[\"convenience\""));
	snprintf(out, sizeof out, "%s.html", path);
	CHECK_INT(kiosk_coverage_write(out, &r, &heat, fx_now, why, sizeof why), KIOSK_OK);
	for (int i = 0; i < r.std.nitems; i++)
		CHECK(file_has(out, r.std.items[i].name_zh));
	CHECK(file_has(out, "补什么"));
	CHECK(file_has(out, "<img alt=\"heat map\" src=\"data:image/png;base64,iVBORw0KGgo"));
	/* credited as the map screen credits it: the demo is made up, not OpenStreetMap's */
	CHECK(file_has(out, "地图数据 Map data: 虚构示例街区 · Fictional demo"));
	CHECK(!file_has(out, "OpenStreetMap"));
	snprintf(out, sizeof out, "%s.png", path);
	CHECK_INT(kiosk_coverage_write(out, &r, &heat, fx_now, why, sizeof why), KIOSK_OK);
	FILE *f = fopen(out, "rb");
	unsigned char head[16] = {0};
	CHECK(f && fread(head, 1, sizeof head, f) == sizeof head);
	if (f)
		fclose(f);
	CHECK(memcmp(head, "\x89PNG\r\n\x1a\n", 8) == 0 && memcmp(head + 12, "IHDR", 4) == 0);
	/* refusals: nothing written */
	snprintf(out, sizeof out, "%s.txt", path);
	CHECK_INT(kiosk_coverage_write(out, &r, &heat, fx_now, why, sizeof why), KIOSK_EINVAL);
	CHECK(strstr(why, "write a .html, .csv, .json or .png") != NULL);
	CHECK(access(out, F_OK) != 0);
	CHECK_INT(kiosk_coverage_write("/nonexistent/r.csv", &r, NULL, fx_now, why, sizeof why),
		  KIOSK_EIO);
	CHECK(strstr(why, "/nonexistent/r.csv: No such file") != NULL);
	snprintf(out, sizeof out, "%s.csv.part", path);
	CHECK(access(out, F_OK) != 0);
	kiosk_coverage_heat_free(&heat);
	kiosk_store_close(st);
	fx_cleanup(path);
}

/* Stops at its third asking: the core stopping while the report is worked out. */
static bool third_time(void *arg)
{
	return ++*(int *)arg == 3;
}

/* Where people live, from a map drawn by hand (metres east, north of 31° N, 121° E): 长寿路
 * from 0 to 400 m, a convenience store at its west end. A block of flats at (100, 30); a
 * house 3 km north, no street near; residential land 100 m square at (200..300, 50..150)
 * with no building (sampled: (225|275, 75|125)); land around the flats (not sampled); a
 * 20 m yard at (350..370, 20..40) (one home, its middle); land cut by the file's edge (left
 * out). */
#define N_LAT (1 / 110540.0)
static void homes_where_people_live(void)
{
	static const struct {
		int id;
		double x, y;
	} pts[] = {{1, 0, 0},	  {2, 400, 0},	{10, 90, 20},  {11, 110, 20}, {12, 110, 40},
		   {13, 90, 40},  {20, 200, 50}, {21, 300, 50}, {22, 300, 150}, {23, 200, 150},
		   {30, 80, 10},  {31, 130, 10}, {32, 130, 60}, {33, 80, 60},	{40, 350, 20},
		   {41, 370, 20}, {42, 370, 40}, {43, 350, 40}, {50, 0, 3000}};
	char osm[8192];
	size_t at = (size_t)snprintf(osm, sizeof osm, "<osm version=\"0.6\">");
	for (size_t i = 0; i < sizeof pts / sizeof pts[0]; i++)
		at += (size_t)snprintf(osm + at, sizeof osm - at,
				       "<node id=\"%d\" lat=\"%.9f\" lon=\"%.9f\"%s", pts[i].id,
				       31.0 + pts[i].y * N_LAT, 121.0 + pts[i].x * M_LON,
				       pts[i].id == 50 ? "><tag k=\"building\" v=\"house\"/></node>"
						       : "/>");
	snprintf(osm + at, sizeof osm - at, "%s",
		 "<node id=\"3\" lat=\"31.0\" lon=\"121.0\"><tag k=\"shop\" v=\"convenience\"/>"
		 "<tag k=\"name\" v=\"好邻居\"/></node>"
		 "<way id=\"100\"><nd ref=\"1\"/><nd ref=\"2\"/><tag k=\"highway\" v=\"footway\"/></way>"
		 "<way id=\"101\"><nd ref=\"10\"/><nd ref=\"11\"/><nd ref=\"12\"/><nd ref=\"13\"/>"
		 "<nd ref=\"10\"/><tag k=\"building\" v=\"apartments\"/></way>"
		 "<way id=\"102\"><nd ref=\"20\"/><nd ref=\"21\"/><nd ref=\"22\"/><nd ref=\"23\"/>"
		 "<nd ref=\"20\"/><tag k=\"landuse\" v=\"residential\"/></way>"
		 "<way id=\"103\"><nd ref=\"30\"/><nd ref=\"31\"/><nd ref=\"32\"/><nd ref=\"33\"/>"
		 "<nd ref=\"30\"/><tag k=\"landuse\" v=\"residential\"/></way>"
		 "<way id=\"104\"><nd ref=\"40\"/><nd ref=\"41\"/><nd ref=\"42\"/><nd ref=\"43\"/>"
		 "<nd ref=\"40\"/><tag k=\"landuse\" v=\"residential\"/></way>"
		 "<way id=\"105\"><nd ref=\"20\"/><nd ref=\"21\"/><nd ref=\"99\"/><nd ref=\"20\"/>"
		 "<tag k=\"landuse\" v=\"residential\"/></way>"
		 "<way id=\"106\"><nd ref=\"40\"/><nd ref=\"41\"/><nd ref=\"42\"/><nd ref=\"40\"/>"
		 "<tag k=\"building\" v=\"yes\"/></way></osm>");
	struct geo_model m;
	char why[256] = "";
	CHECK_INT(geo_model_from_osm(osm, strlen(osm), &m, why, sizeof why), KIOSK_OK);
	/* the flats, the house, the land's four, the yard's one; not building=yes, not the
	 * land cut short, not the land around the flats */
	CHECK_INT((long long)m.nhomes, 7);
	static const struct {
		double x, y;
		enum kiosk_home_kind kind;
	} want[] = {{0, 3000, KIOSK_HOME_BUILDING}, {100, 30, KIOSK_HOME_BUILDING},
		    {225, 75, KIOSK_HOME_LAND},	    {275, 75, KIOSK_HOME_LAND},
		    {225, 125, KIOSK_HOME_LAND},    {275, 125, KIOSK_HOME_LAND},
		    {360, 30, KIOSK_HOME_LAND}};
	for (size_t i = 0; i < 7 && i < m.nhomes; i++) {
		CHECK(fabs((m.homes[i].lat - 31.0) / N_LAT - want[i].y) < 0.01);
		CHECK(fabs((m.homes[i].lon - 121.0) / M_LON - want[i].x) < 0.01);
		CHECK_INT(m.homes[i].kind, want[i].kind);
	}
	CHECK(m.skipped[GEO_SKIP_MISSING_NODE] >= 1);
	/* into the store with the map, and counted there */
	char path[256];
	struct kiosk_store *st;
	fx_path(path, sizeof path);
	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
	CHECK_INT(geo_model_store(st, &m, "hand.osm", why, sizeof why), KIOSK_OK);
	struct kiosk_map_home *h;
	size_t nh;
	CHECK_INT(kiosk_map_homes(st, &h, &nh), KIOSK_OK);
	CHECK_INT((long long)nh, 7);
	for (size_t i = 0; i < nh && i < 7; i++)
		CHECK(h[i].lat == m.homes[i].lat && h[i].lon == m.homes[i].lon &&
		      h[i].kind == m.homes[i].kind);
	kiosk_free(h);
	static struct kiosk_coverage_report r;
	CHECK_INT(kiosk_coverage_report(st, ASSETS_DIR "/coverage/standard.json", 31.0, 121.0,
					fx_now, &r, why, sizeof why),
		  KIOSK_OK);
	CHECK_STR(r.rule, "buildings_and_land");
	CHECK_INT((long long)r.residences, 7);
	/* cancelled between two items' walks: stopped there, said so */
	static struct kiosk_coverage_report stopped;
	int asked = 0;
	struct geo_cancel cancel = {third_time, &asked};
	CHECK_INT(kiosk_coverage_report_cancellable(st, ASSETS_DIR "/coverage/standard.json", 31.0,
						    121.0, fx_now, &cancel, &stopped, why,
						    sizeof why),
		  KIOSK_ESTATE);
	CHECK_INT(asked, 3);
	CHECK_STR(why, "stopped");
	CHECK_INT((long long)r.homes_off_street, 1);
	/* at 1.2 m/s within 5 minutes (360 m): the flats (130 m), (225, 75) 300 m, (275, 75) and
	 * (225, 125) 350 m; not (275, 125) 400 m, the yard 390 m, the house (no street) */
	const struct geo_coverage *c = &r.rows[geo_standard_find(&r.std, "convenience")].c;
	CHECK_INT((long long)c->within, 4);
	CHECK(NEAR(c->share, 4.0 / 7));
	CHECK(fabs(c->p50_s - 350 / 1.2) < 2);
	CHECK(c->p90_s == GEO_UNREACHABLE); /* the 7th of 7: the house no street reaches */
	struct kiosk_coverage_heat heat;
	CHECK_INT(kiosk_coverage_heat(st, &r.std, geo_standard_find(&r.std, "convenience"), 31.0,
				      121.0, &heat),
		  KIOSK_OK);
	CHECK_INT((long long)heat.nhomes, 7);
	CHECK(heat.nhomes == 7 && heat.home_seconds[0] < 0 && fabs(heat.home_seconds[1] - 130 / 1.2) < 2);
	kiosk_coverage_heat_free(&heat);
	/* a map that says nothing of where people live replaces them: street nodes again */
	geo_model_free(&m);
	CHECK_INT(geo_model_from_osm(osm, (size_t)(strstr(osm, "<way id=\"101\"") - osm), &m, why, sizeof why),
		  KIOSK_EPARSE); /* (cut: not well-formed) */
	geo_model_free(&m);
	static const char bare[] = "<osm><node id=\"1\" lat=\"31\" lon=\"121\"/><node id=\"2\""
				   " lat=\"31\" lon=\"121.001\"/><way id=\"9\"><nd ref=\"1\"/>"
				   "<nd ref=\"2\"/><tag k=\"highway\" v=\"footway\"/></way></osm>";
	CHECK_INT(geo_model_from_osm(bare, strlen(bare), &m, why, sizeof why), KIOSK_OK);
	CHECK_INT(geo_model_store(st, &m, "bare.osm", why, sizeof why), KIOSK_OK);
	geo_model_free(&m);
	CHECK_INT(kiosk_map_homes(st, &h, &nh), KIOSK_OK);
	CHECK_INT((long long)nh, 0);
	CHECK(h == NULL);
	CHECK_INT(kiosk_coverage_report(st, ASSETS_DIR "/coverage/standard.json", 31.0, 121.0,
					fx_now, &r, why, sizeof why),
		  KIOSK_OK);
	CHECK_STR(r.rule, "street_nodes");
	CHECK_INT((long long)r.residences, 2);
	kiosk_store_close(st);
	fx_cleanup(path);
}

/* An operator's edit gone wrong: refused naming the path, nothing taken. */
static void a_bad_standard_names_its_fault(void)
{
	static const struct {
		const char *json, *why;
	} t[] = {
		{"", "$: not JSON"},
		{"[]", "$: expected an object"},
		{"{\"items\": []}", "$.items: expected 1..24 items"},
		{"{\"items\": [{\"id\": \"a\", \"name_zh\": \"甲\", \"name_en\": \"A\", \"minutes\": 0,"
		 " \"tier\": \"basic\", \"categories\": [\"shoe\"]}]}",
		 "$.items[0].minutes: expected an integer 1..60"},
		{"{\"items\": [{\"id\": \"a\", \"name_zh\": \"甲\", \"name_en\": \"A\", \"minutes\": 7.5,"
		 " \"tier\": \"basic\", \"categories\": [\"shoe\"]}]}",
		 "$.items[0].minutes: expected an integer 1..60"},
		{"{\"items\": [{\"id\": \"a\", \"name_zh\": \"甲\", \"name_en\": \"A\", \"minutes\": 5,"
		 " \"tier\": \"gold\", \"categories\": [\"shoe\"]}]}",
		 "$.items[0].tier: expected \"basic\" (基础保障类) or \"quality\" (品质提升类)"},
		{"{\"items\": [{\"id\": \"a\", \"name_zh\": \"甲\", \"name_en\": \"A\", \"minutes\": 5,"
		 " \"tier\": \"basic\", \"categories\": [\"shoes\"]}]}",
		 "$.items[0].categories[0]: 'shoes' is not one of our categories (docs/categories.md)"},
		{"{\"items\": [{\"id\": \"a\", \"name_zh\": \"甲\", \"name_en\": \"A\", \"minutes\": 5,"
		 " \"tier\": \"basic\", \"categories\": [\"shoe\"]}, {\"id\": \"a\", \"name_zh\": \"乙\","
		 " \"name_en\": \"B\", \"minutes\": 5, \"tier\": \"basic\", \"categories\": [\"key\"]}]}",
		 "$.items[1].id: 'a' is already item 0"},
		{"{\"items\": [{\"id\": \"a\", \"name_en\": \"A\", \"minutes\": 5, \"tier\": \"basic\","
		 " \"categories\": [\"shoe\"]}]}",
		 "$.items[0].name_zh: expected a string of 1..47 bytes"},
		{"{\"items\": [{\"id\": \"a\", \"name_zh\": \"甲\", \"name_en\": \"A\", \"minutes\": 5,"
		 " \"tier\": \"basic\", \"categories\": [\"shoe\"]}], \"groups\": [{\"name_zh\": \"组\","
		 " \"name_en\": \"G\", \"items\": [\"b\"]}]}",
		 "$.groups[0].items[0]: 'b' is not an item of this standard"},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct geo_standard s, before;
		memset(&s, 0x5A, sizeof s);
		before = s;
		char why[200] = "";
		CHECK_INT(geo_standard_parse(t[i].json, strlen(t[i].json), &s, why, sizeof why),
			  KIOSK_EPARSE);
		CHECK_STR(why, t[i].why);
		CHECK(memcmp(&s, &before, sizeof s) == 0);
	}
	struct geo_standard s;
	char why[200] = "";
	CHECK_INT(geo_standard_load("/nonexistent/standard.json", &s, why, sizeof why), KIOSK_ENOENT);
	CHECK_HAS(why, "/nonexistent/standard.json: No such file");
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"figures_on_a_town_drawn_by_hand", figures_on_a_town_drawn_by_hand},
		{"many_sources_match_single_walks_on_an_osm_sample",
		 many_sources_match_single_walks_on_an_osm_sample},
		{"the_shipped_standard", the_shipped_standard},
		{"a_bad_standard_names_its_fault", a_bad_standard_names_its_fault},
		{"wishes_weigh_what_to_add_first", wishes_weigh_what_to_add_first},
		{"the_report_for_a_meeting", the_report_for_a_meeting},
		{"homes_where_people_live", homes_where_people_live},
		{0},
	};
	return test_main(argc, argv, cases);
}
