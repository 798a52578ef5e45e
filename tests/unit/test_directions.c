/* Walking directions in words: the steps' streets, turns and metres on a street plan drawn
 * by hand, on the demo neighbourhood and on an OSM sample (every walk's steps add up to the
 * route's length), and the words in Chinese and English. */
#include "store_fixture.h"
#include "kiosk/geo/directions.h"
#include "kiosk/geo/model.h"
#include "kiosk/geo/route.h"
#include "kiosk/neighbourhood_int.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"
#include "../test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define M_LAT (1 / 110540.0)                          /* a metre north, in degrees */
#define M_LON (1 / (111320.0 * cos(31.0 * M_PI / 180))) /* a metre east at 31° N */

static char path[256];
static struct kiosk_store *st;

static int name_by_index(void *arg, size_t edge)
{
	return ((const int *)arg)[edge];
}

/* A plan: 长寿路 runs east 200 m from (0, 0) to a crossing at (200, 0), where 和平街 goes
 * north 150 m and 长寿路 goes on east; a 6 m footway crosses from 和平街's foot to its far
 * side. Nodes: 1 (0,0), 2 (200,0), 3 (200,150), 4 (300,0), 5 (206,0) … */
static void turns_on_a_plan_drawn_by_hand(void)
{
	struct kiosk_map_node nodes[] = {{1, 31.0, 121.0},
					 {2, 31.0, 121.0 + 200 * M_LON},
					 {3, 31.0 + 150 * M_LAT, 121.0 + 200 * M_LON},
					 {4, 31.0, 121.0 + 300 * M_LON},
					 {5, 31.0 + 80 * M_LAT, 121.0 + 200 * M_LON},
					 {6, 31.0 + 80 * M_LAT, 121.0 + 207 * M_LON},
					 {7, 31.0 + 80 * M_LAT, 121.0 + 260 * M_LON}};
	struct kiosk_map_edge edges[] = {
		{1, 2, 200, "residential", 0, "长寿路", "Changshou Road"},
		{2, 4, 100, "residential", 0, "长寿路", "Changshou Road"},
		{2, 5, 80, "residential", 0, "和平街", "Heping Street"},
		{5, 3, 70, "residential", 0, "和平街", "Heping Street"},
		{5, 6, 7, "footway", 0, "", ""},
		{6, 7, 53, "footway", 0, "幸福路", "Xingfu Road"},
	};
	int names[] = {0, 0, 1, 1, -1, 2};
	const char *zh[] = {"长寿路", "和平街", "幸福路"};
	const char *en[] = {"Changshou Road", "Heping Street", "Xingfu Road"};
	struct kiosk_map_data d = {nodes, 7, edges, 6, NULL, 0, NULL, NULL, 0};
	struct geo_graph *g;
	struct geo_costs *c;
	CHECK_INT(geo_graph_new(&d, &g), KIOSK_OK);
	CHECK_INT(geo_costs_new(g, &c), KIOSK_OK);
	/* the kiosk 10 m south of 长寿路, 20 m from its west end */
	struct geo_snap src, dst;
	CHECK_INT(geo_snap(g, 31.0 - 10 * M_LAT, 121.0 + 20 * M_LON, &src), KIOSK_OK);
	CHECK_INT(geo_route_from(g, &src, c), KIOSK_OK);
	/* a place 8 m west of 和平街, 120 m up it */
	double plat = 31.0 + 120 * M_LAT, plon = 121.0 + 192 * M_LON, px, py;
	CHECK_INT(geo_snap(g, plat, plon, &dst), KIOSK_OK);
	struct geo_hop hops[16];
	int nh = geo_path_hops(g, c, &dst, hops, 16);
	CHECK_INT(nh, 3); /* part of 长寿路, 和平街's first edge, part of its second */
	CHECK_INT(geo_path_hops(g, c, &dst, NULL, 0), 3); /* counted without room */
	geo_project(g, plat, plon, &px, &py);
	struct geo_directions dir;
	CHECK_INT(geo_directions(hops, nh, name_by_index, names, src.off_m, dst.off_m, px, py, &dir),
		  KIOSK_OK);
	CHECK_INT(dir.n, 2);
	CHECK_INT(dir.step[0].name, 0);
	CHECK_INT(dir.step[0].heading, 2); /* east */
	CHECK(fabs(dir.step[0].metres - (10 + 180)) < 1.5);
	CHECK_INT(dir.step[1].name, 1);
	CHECK_INT(dir.step[1].turn, GEO_TURN_LEFT);
	CHECK(fabs(dir.step[1].metres - (120 + 8)) < 1.5);
	CHECK_INT(dir.side, -1); /* west of a street walked north: on the left */
	CHECK(fabs(dir.metres - geo_metres_to(g, c, &dst)) < 0.5);
	char words[512];
	CHECK_INT(geo_directions_words(&dir, zh, 3, "王师傅修鞋", false, words, sizeof words), 3);
	CHECK_STR(words, "沿长寿路向东走约190米\n到和平街路口左转，走约130米\n到达王师傅修鞋，在您左手边");
	CHECK_INT(geo_directions_words(&dir, en, 3, "Master Wang", true, words, sizeof words), 3);
	CHECK_STR(words, "Head east on Changshou Road for about 190 m\n"
			 "Turn left onto Heping Street, about 130 m\nArrive at Master Wang, on your left");
	/* too little room: whole lines only, never half a line */
	CHECK_INT(geo_directions_words(&dir, en, 3, "Master Wang", true, words, 60), 1);
	CHECK_STR(words, "Head east on Changshou Road for about 190 m");
	/* across the 7 m footway onto 幸福路: the footway is folded, the turn is read from
	 * 和平街 (north) to 幸福路 (east): right */
	CHECK_INT(geo_snap(g, 31.0 + 85 * M_LAT, 121.0 + 250 * M_LON, &dst), KIOSK_OK);
	nh = geo_path_hops(g, c, &dst, hops, 16);
	CHECK_INT(nh, 4);
	geo_project(g, 31.0 + 85 * M_LAT, 121.0 + 250 * M_LON, &px, &py);
	CHECK_INT(geo_directions(hops, nh, name_by_index, names, src.off_m, dst.off_m, px, py, &dir),
		  KIOSK_OK);
	CHECK_INT(dir.n, 3);
	CHECK_INT(dir.step[1].name, 1);
	CHECK_INT(dir.step[2].name, 2);
	CHECK_INT(dir.step[2].turn, GEO_TURN_RIGHT);
	CHECK(fabs(dir.metres - geo_metres_to(g, c, &dst)) < 0.5);
	CHECK_INT(dir.side, -1); /* north of a street walked east */
	CHECK_INT(geo_directions_words(&dir, zh, 3, "菜场", false, words, sizeof words), 4);
	CHECK_STR(words, "沿长寿路向东走约190米\n到和平街路口左转，走约90米\n"
			 "到幸福路路口右转，走约50米\n到达菜场，在您左手边");
	/* no hops: no directions */
	CHECK_INT(geo_directions(hops, 0, name_by_index, names, 0, 0, 0, 0, &dir), KIOSK_ENOENT);
	CHECK_INT(dir.n, 0);
	geo_costs_free(c);
	geo_graph_free(g);
}

static void metres_are_said_roundly(void)
{
	CHECK_INT(geo_round_metres(3), 10);
	CHECK_INT(geo_round_metres(194), 190);
	CHECK_INT(geo_round_metres(195), 200);
	CHECK_INT(geo_round_metres(640), 650);
	CHECK_INT(geo_round_metres(1220), 1200);
}

/* Every place's walk: steps that add up to the route's length (within 5 %), a heading to
 * start and a turn for each later step, named streets from the map, words for each. */
static void every_walk_adds_up(const struct kiosk_neighbourhood *nb, int *with_turns)
{
	int reached = 0;
	*with_turns = 0;
	for (size_t i = 0; i < nb->nplaces; i++) {
		const struct kiosk_place *p = &nb->places[i];
		struct geo_directions d;
		int rc = kiosk_neighbourhood_steps(nb, i, &d);
		char words[2048];
		int lines = kiosk_neighbourhood_directions(nb, i, false, words, sizeof words);
		if (p->seconds < 0) {
			CHECK_INT(rc, KIOSK_ENOENT);
			CHECK_INT(lines, 0);
			CHECK_STR(words, "");
			continue;
		}
		CHECK_INT(rc, KIOSK_OK);
		reached++;
		CHECK(d.n >= 1);
		CHECK(fabs(d.metres - p->metres) <= 0.05 * p->metres + 0.5);
		CHECK_INT(d.step[0].turn, GEO_TURN_START);
		for (int k = 0; k < d.n; k++) {
			CHECK(d.step[k].name >= -1 && d.step[k].name < (int)nb->nnames);
			CHECK(k == 0 || d.step[k].turn != GEO_TURN_START);
			CHECK(d.n == 1 || d.step[k].metres >= GEO_STEP_MIN_M);
			/* a new step is a new street or a turn */
			CHECK(k == 0 || d.step[k].name != d.step[k - 1].name ||
			      d.step[k].turn != GEO_TURN_STRAIGHT);
		}
		*with_turns += d.n > 1;
		CHECK_INT(lines, d.n + 1);
		CHECK(strstr(words, p->name_zh) != NULL);
		CHECK_INT(kiosk_neighbourhood_directions(nb, i, true, words, sizeof words), d.n + 1);
		CHECK(strncmp(words, "Head ", 5) == 0);
	}
	CHECK(reached > 0);
}

/* The walk to the place named: its streets ("-" for a path without a name) and how each
 * step starts ("E" a heading, "L"/"R" a turn, "l"/"r" a slight one, "S" straight), as
 * "长寿路 E|桂花街 L|幸福路 L". */
static void walk_of(const struct kiosk_neighbourhood *nb, const char *name, char *out, size_t len)
{
	static const char turns[] = "?SlLLrRR", heads[] = "NNEESSWW";
	out[0] = '\0';
	for (size_t i = 0; i < nb->nplaces; i++) {
		struct geo_directions d;
		if (strcmp(nb->places[i].name_zh, name) != 0 ||
		    kiosk_neighbourhood_steps(nb, i, &d) != KIOSK_OK)
			continue;
		size_t k = 0;
		for (int j = 0; j < d.n && k < len; j++) {
			const struct geo_step *s = &d.step[j];
			k += (size_t)snprintf(out + k, len - k, "%s%s %c", j ? "|" : "",
					      s->name >= 0 ? nb->names[s->name] : "-",
					      j ? turns[s->turn] : heads[s->heading]);
		}
	}
}

static void demo_neighbourhood(void)
{
	fx_path(path, sizeof path);
	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
	struct geo_model m;
	char why[256] = "";
	CHECK_INT(geo_import_file(st, ASSETS_DIR "/demo/neighbourhood.osm", 0, &m, why, sizeof why),
		  KIOSK_OK);
	geo_model_free(&m);
	struct kiosk_neighbourhood *nb;
	CHECK_INT(kiosk_neighbourhood_build(st, 31.2260, 121.46997, &nb), KIOSK_OK);
	int turns = 0;
	every_walk_adds_up(nb, &turns);
	CHECK(turns > 10);
	/* as the demo's plan has them (assets/demo/neighbourhood.osm): from the gate on 长寿路
	 * east, up 桂花街 to 幸福路 */
	char walk[256], words[2048];
	walk_of(nb, "菜鸟驿站", walk, sizeof walk);
	CHECK_STR(walk, "长寿路 E|桂花街 L|幸福路 L");
	walk_of(nb, "街角修车铺", walk, sizeof walk);
	CHECK_STR(walk, "长寿路 W|枫林路 R|幸福路 L");
	walk_of(nb, "王师傅修鞋", walk, sizeof walk);
	CHECK_STR(walk, "长寿路 E");
	for (size_t i = 0; i < nb->nplaces; i++)
		if (strcmp(nb->places[i].name_zh, "菜鸟驿站") == 0) {
			CHECK_INT(kiosk_neighbourhood_directions(nb, i, false, words, sizeof words), 4);
			CHECK_STR(words, "沿长寿路向东走约40米\n到桂花街路口左转，走约110米\n"
					 "到幸福路路口左转，走约60米\n到达菜鸟驿站，在您右手边");
			CHECK_INT(kiosk_neighbourhood_directions(nb, i, true, words, sizeof words), 4);
			CHECK_STR(words, "Head east on Changshou Road for about 40 m\n"
					 "Turn left onto Guihua Street, about 110 m\n"
					 "Turn left onto Xingfu Road, about 60 m\n"
					 "Arrive at Cainiao Station, on your right");
		}
	if (getenv("SHOW"))
		for (size_t i = 0; i < nb->nplaces; i++) {
			kiosk_neighbourhood_directions(nb, i, false, words, sizeof words);
			printf("%s (%.0f m)\n%s\n\n", nb->places[i].name_zh, nb->places[i].metres, words);
		}
	kiosk_neighbourhood_put(nb);
	kiosk_store_close(st);
	fx_cleanup(path);
}

/* 服务指南's 本社区15分钟内：有 / 无: a place of the category within 15 minutes' walk at a
 * resident's pace, counting neither one farther nor one no path reaches. */
static void the_life_circle_has_it_or_not(void)
{
	struct kiosk_place p[4] = {{.category = "shoe", .seconds = 901},
				   {.category = "key", .seconds = 900},
				   {.category = "bike", .seconds = -1},
				   {.category = "shoe", .seconds = 1500}};
	struct kiosk_neighbourhood nb = {.nplaces = 4, .places = p};
	CHECK(kiosk_neighbourhood_in_circle(&nb, "key"));
	CHECK(!kiosk_neighbourhood_in_circle(&nb, "shoe"));
	CHECK(!kiosk_neighbourhood_in_circle(&nb, "bike"));
	CHECK(!kiosk_neighbourhood_in_circle(&nb, "pharmacy"));
	CHECK(!kiosk_neighbourhood_in_circle(NULL, "key"));
	p[0].seconds = 899;
	CHECK(kiosk_neighbourhood_in_circle(&nb, "shoe"));
}

static void osm_sample(void)
{
	fx_path(path, sizeof path);
	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
	struct geo_model m;
	char why[256] = "";
	CHECK_INT(geo_import_file(st, SHARED_OSM "/aberdeen-old-town.osm.gz", 0, &m, why, sizeof why),
		  KIOSK_OK);
	geo_model_free(&m);
	struct kiosk_neighbourhood *nb;
	/* a kiosk in the middle of the sample (its bounds' centre) */
	CHECK_INT(kiosk_neighbourhood_build(st, 57.1512, -2.0979, &nb), KIOSK_OK);
	int turns = 0;
	every_walk_adds_up(nb, &turns);
	CHECK(turns > 5);
	/* Old Aberdeen's streets as they meet: down Seamount Road to the Gallowgate, a lane
	 * through to Loch Street, John Street, Jopp's Lane */
	char walk[512], words[2048];
	walk_of(nb, "Foundry Cycles", walk, sizeof walk);
	CHECK_STR(walk, "Seamount Road S|Gallowgate R|- L|Loch Street R|John Street l|Jopp's Lane R");
	walk_of(nb, "Starbucks Coffee", walk, sizeof walk);
	CHECK_STR(walk, "Seamount Road S|Gallowgate L");
	if (getenv("SHOW"))
		for (size_t i = 0; i < nb->nplaces; i++) {
			kiosk_neighbourhood_directions(nb, i, true, words, sizeof words);
			printf("%s (%.0f m)\n%s\n\n", nb->places[i].name_zh, nb->places[i].metres, words);
		}
	kiosk_neighbourhood_put(nb);
	kiosk_store_close(st);
	fx_cleanup(path);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"turns_on_a_plan_drawn_by_hand", turns_on_a_plan_drawn_by_hand},
		{"metres_are_said_roundly", metres_are_said_roundly},
		{"demo_neighbourhood", demo_neighbourhood},
		{"the_life_circle_has_it_or_not", the_life_circle_has_it_or_not},
		{"osm_sample", osm_sample},
		{0},
	};
	setenv("KIOSK_LOG", "warn", 0);
	return test_main(argc, argv, cases);
}
