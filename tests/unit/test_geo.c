/* The neighbourhood map: importing real OSM samples and the demo data (counts, categories,
 * names, a connected street graph), bad files refused with nothing written, GeoJSON, and
 * the walking router against a brute-force reference, with snapping and unreachable
 * places. */
#include "faultvfs.h"
#include "store_fixture.h"
#include "kiosk/geo/build.h"
#include "kiosk/geo/category.h"
#include "kiosk/geo/model.h"
#include "kiosk/geo/route.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"
#include "../test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char path[256];
static struct kiosk_store *st;

static void setup(void)
{
	fx_path(path, sizeof path);
	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
}

static void teardown(void)
{
	kiosk_store_close(st);
	fx_cleanup(path);
}

/* The share of nodes in the largest connected part of the stored graph. */
static double connected_share(void)
{
	struct kiosk_map_data d;
	struct geo_graph *g;
	CHECK_INT(kiosk_map_load(st, &d), KIOSK_OK);
	CHECK_INT(geo_graph_new(&d, &g), KIOSK_OK);
	struct geo_costs *c;
	CHECK_INT(geo_costs_new(g, &c), KIOSK_OK);
	size_t best = 0;
	/* from a few starting edges: the largest part reached is the main one */
	for (size_t e = 0; e < geo_graph_edges(g); e += geo_graph_edges(g) / 7 + 1) {
		struct geo_snap s = {(int)e, 0.5, 0};
		CHECK_INT(geo_route_from(g, &s, c), KIOSK_OK);
		size_t n = 0;
		for (size_t i = 0; i < geo_graph_nodes(g); i++)
			n += geo_node_cost(c, i) >= 0;
		best = n > best ? n : best;
	}
	double share = (double)best / (double)geo_graph_nodes(g);
	geo_costs_free(c);
	geo_graph_free(g);
	kiosk_map_data_free(&d);
	return share;
}

static void imports_the_osm_samples(void)
{
	setup();
	struct geo_model m;
	char why[256] = "";
	CHECK_INT(geo_import_file(st, SHARED_OSM "/aberdeen-old-town.osm.gz", 0, &m, why, sizeof why),
		  KIOSK_OK);
	CHECK(m.nedges > 900);
	CHECK(m.ways > 150);
	CHECK_INT((long long)m.npois, 26);
	CHECK(m.skipped[GEO_SKIP_NO_CATEGORY] > 10); /* pubs, churches: not in our list */
	/* cafés and takeaways are 餐饮 now, part of the life circle */
	CHECK(fx_int(st, "SELECT count(*) FROM service WHERE category = 'restaurant'") >= 10);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM service WHERE id = 'osm-n1072702298' AND"
			     " category = 'bike' AND name_zh = 'Foundry Cycles' AND source = 'map'"),
		  1);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM map_edge WHERE kind = 'motorway'"), 0);
	CHECK(connected_share() > 0.8);
	geo_model_free(&m);
	/* Berlin: the roundabout's motorway-like roads are left out; streets remain */
	CHECK_INT(geo_import_file(st, SHARED_OSM "/berlin-siegessaeule.osm.gz", 0, &m, why, sizeof why),
		  KIOSK_OK);
	CHECK(m.nedges > 1000);
	CHECK(m.skipped[GEO_SKIP_NOT_WALKABLE] > 0);
	CHECK(m.skipped[GEO_SKIP_RELATION] > 0);
	/* the second import replaced the first: no Aberdeen place is left */
	CHECK_INT(fx_int(st, "SELECT count(*) FROM service WHERE source = 'map'"), (long long)m.npois);
	geo_model_free(&m);
	teardown();
}

static void imports_the_demo_neighbourhood(void)
{
	setup();
	struct geo_model m;
	char why[256] = "";
	CHECK_INT(geo_import_file(st, ASSETS_DIR "/demo/neighbourhood.osm", 0, &m, why, sizeof why),
		  KIOSK_OK);
	CHECK_INT((long long)m.npois, 72);
	/* every category of ours has a place */
	for (const struct geo_category *c = geo_categories; c->code; c++) {
		char sql[160];
		snprintf(sql, sizeof sql, "SELECT count(*) >= 2 FROM service WHERE category = '%s'",
			 c->code);
		CHECK_INT(fx_int(st, sql), 1);
	}
	CHECK_INT(fx_int(st, "SELECT count(*) FROM service WHERE name_zh = '王师傅修鞋' AND"
			     " name_en = 'Master Wang Shoe Repair' AND category = 'shoe' AND"
			     " opening_hours = '08:00-18:00' AND address = '长寿路 130'"),
		  1);
	/* a breakfast stall that is also fast food is 早餐, not 餐饮; a barber is 美容美发 */
	CHECK_INT(fx_int(st, "SELECT count(*) FROM service WHERE name_zh = '阿婆生煎' AND"
			     " category = 'breakfast'"),
		  1);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM service WHERE name_zh = '老街理发' AND"
			     " category = 'beauty'"),
		  1);
	CHECK(m.skipped[GEO_SKIP_NOT_WALKABLE] >= 2); /* the elevated road, the private one */
	CHECK_INT((long long)m.skipped[GEO_SKIP_NO_NAME], 1);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM map_edge WHERE flags & 1"), 1); /* steps */
	/* streets keep their English names for the map in English */
	CHECK(fx_int(st, "SELECT count(*) FROM map_edge WHERE name = '长寿路' AND"
			 " name_en = 'Changshou Road'") > 3);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM map_edge WHERE name = '长寿路人行天桥' AND"
			     " name_en = ''"),
		  1);
	CHECK(fx_int(st, "SELECT count(*) FROM map_edge WHERE flags & 2") >= 1); /* crossing */
	CHECK(connected_share() > 0.99);
	/* every place reachable from the demo kiosk's gate */
	struct kiosk_service *s;
	size_t n;
	struct kiosk_map_data d;
	struct geo_graph *g;
	CHECK_INT(kiosk_service_all(st, &s, &n), KIOSK_OK);
	CHECK_INT(kiosk_map_load(st, &d), KIOSK_OK);
	CHECK_INT(geo_graph_new(&d, &g), KIOSK_OK);
	double *metres = kiosk_malloc(n * sizeof *metres), *secs = kiosk_malloc(n * sizeof *secs);
	CHECK_INT(geo_walk_times(g, 31.2260, 121.46997, GEO_SPEED, s, n, metres, secs), KIOSK_OK);
	for (size_t i = 0; i < n; i++) {
		CHECK(secs[i] > 0);
		CHECK(secs[i] < 15 * 60); /* a quarter hour: the life circle */
	}
	kiosk_free(metres);
	kiosk_free(secs);
	kiosk_free(s);
	geo_graph_free(g);
	kiosk_map_data_free(&d);
	geo_model_free(&m);
	teardown();
}

/* A broken file: a clear reason, and the map already there is left as it was. */
static void bad_files_change_nothing(void)
{
	setup();
	struct geo_model m;
	char why[256] = "", before[65], after[65];
	CHECK_INT(geo_import_file(st, ASSETS_DIR "/demo/neighbourhood.osm", 0, &m, why, sizeof why),
		  KIOSK_OK);
	geo_model_free(&m);
	fx_digest(st, before);
	static const struct {
		const char *text, *why;
		int rc;
	} t[] = {
		{"<osm><node id=\"1\" lat=\"1\" lon=\"2\"></osm>", "line 1: mismatched tag",
		 KIOSK_EPARSE},
		{"<?xml version=\"1.0\"?>\n<osm>\n<node id=\"1\"", "line 3", KIOSK_EPARSE},
		{"<gpx><trk/></gpx>", "no <osm> element", KIOSK_EPARSE},
		{"{\"type\": \"Feature\"}", "not a GeoJSON FeatureCollection", KIOSK_EPARSE},
		{"{\"type\": \"FeatureCollection\", \"features\": [", "not JSON", KIOSK_EPARSE},
		{"hello", "neither OpenStreetMap XML nor GeoJSON", KIOSK_EPARSE},
		{"<osm></osm>", "no walkable street and no place", KIOSK_ENOENT},
	};
	char file[300];
	snprintf(file, sizeof file, "%s.in", path);
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		FILE *f = fopen(file, "w");
		CHECK(f != NULL);
		fputs(t[i].text, f);
		fclose(f);
		why[0] = '\0';
		CHECK_INT(geo_import_file(st, file, 0, &m, why, sizeof why), t[i].rc);
		CHECK_HAS(why, t[i].why);
		geo_model_free(&m);
	}
	why[0] = '\0';
	CHECK_INT(geo_import_file(st, "/nonexistent/x.osm", 0, &m, why, sizeof why), KIOSK_ENOENT);
	CHECK_HAS(why, "No such file");
	/* Larger than the limit, counted unpacked (Berlin's 190 KB .gz is 1.7 MB): refused
	 * naming the limit and its key, as is a GeoJSON of 20 000 points past it. */
	why[0] = '\0';
	CHECK_INT(geo_import_file(st, SHARED_OSM "/berlin-siegessaeule.osm.gz", 1u << 20, &m, why,
				  sizeof why),
		  KIOSK_ENOSPACE);
	CHECK_HAS(why, "larger than 1 MB unpacked (map.max_mb");
	geo_model_free(&m);
	FILE *f = fopen(file, "w");
	CHECK(f != NULL);
	fputs("{\"type\": \"FeatureCollection\", \"features\": [", f);
	for (int i = 0; i < 20000; i++)
		fprintf(f, "%s{\"type\": \"Feature\", \"properties\": {\"amenity\": \"bench\"},"
			" \"geometry\": {\"type\": \"Point\", \"coordinates\": [121.%06d, 31.%06d]}}",
			i ? ", " : "", i, i);
	fputs("]}", f);
	fclose(f);
	why[0] = '\0';
	CHECK_INT(geo_import_file(st, file, 1u << 20, &m, why, sizeof why), KIOSK_ENOSPACE);
	CHECK_HAS(why, "larger than 1 MB unpacked (map.max_mb; a GeoJSON at most 16)");
	geo_model_free(&m);
	fx_digest(st, after);
	CHECK_STR(after, before);
	remove(file);
	teardown();
}

/* Elements a file gets wrong are skipped and counted, the rest imported. */
static void bad_elements_are_skipped_with_counts(void)
{
	char huge[400], text[4096], long_name[200] = "";
	memset(huge, 'x', 300);
	huge[300] = '\0';
	for (int i = 0; i < 40; i++)
		strcat(long_name, "路"); /* 120 bytes: more than a street name keeps */
	snprintf(text, sizeof text,
		 "<osm>"
		 "<node id=\"1\" lat=\"31.0\" lon=\"121.0\"/>"
		 "<node id=\"2\" lat=\"31.001\" lon=\"121.0\"/>"
		 "<node id=\"3\" lat=\"95\" lon=\"121.0\"/>"              /* latitude past 90 */
		 "<node id=\"4\" lat=\"31.0\" lon=\"121.001\"><tag k=\"shop\" v=\"bicycle\"/>"
		 "<tag k=\"name\" v=\"%s\"/></node>"                        /* tag too long */
		 "<way id=\"10\"><nd ref=\"1\"/><nd ref=\"2\"/><nd ref=\"99\"/>"
		 "<tag k=\"highway\" v=\"footway\"/></way>"                 /* 99: missing */
		 "<way id=\"11\"><nd ref=\"1\"/><nd ref=\"2\"/>"
		 "<tag k=\"highway\" v=\"motorway\"/></way>"
		 "<way id=\"12\"><nd ref=\"1\"/><nd ref=\"2\"/><tag k=\"highway\" v=\"path\"/>"
		 "<tag k=\"foot\" v=\"no\"/></way>"
		 "<node id=\"5\" lat=\"31.0\" lon=\"121.002\"><tag k=\"shop\" v=\"laundry\"/>"
		 "<tag k=\"name\" v=\"  \"/></node>"                      /* a blank name */
		 "<node id=\"6\" lat=\"31.0\" lon=\"121.003\"><tag k=\"shop\" v=\"laundry\"/>"
		 "<tag k=\"name\" v=\"洗&#10;衣\"/></node>"               /* a newline in it */
		 "<way id=\"13\"><nd ref=\"1\"/><nd ref=\"2\"/><tag k=\"highway\" v=\"path\"/>"
		 "<tag k=\"name\" v=\"%s\"/><tag k=\"name:en\" v=\"Long&#10;Road\"/></way>"
		 "<relation id=\"20\"><member type=\"way\" ref=\"10\"/></relation>"
		 "</osm>",
		 huge, long_name);
	struct geo_model m;
	char why[128];
	CHECK_INT(geo_model_from_osm(text, strlen(text), &m, why, sizeof why), KIOSK_OK);
	CHECK_INT((long long)m.nedges, 2); /* 1-2 of way 10, and of way 13 */
	CHECK_INT((long long)strlen(m.edges[1].name), 93); /* 31 characters, none cut */
	CHECK_STR(m.edges[1].name_en, "Long Road");      /* one line on the map */
	CHECK_INT((long long)m.skipped[GEO_SKIP_BAD_COORDS], 1);
	CHECK_INT((long long)m.skipped[GEO_SKIP_TAG_TOO_LONG], 1);
	CHECK_INT((long long)m.skipped[GEO_SKIP_MISSING_NODE], 1);
	CHECK_INT((long long)m.skipped[GEO_SKIP_NOT_WALKABLE], 2);
	CHECK_INT((long long)m.skipped[GEO_SKIP_RELATION], 1);
	CHECK_INT((long long)m.skipped[GEO_SKIP_NO_NAME], 1);
	CHECK_INT((long long)m.npois, 1);
	CHECK_STR(m.pois[0].name_zh, "洗 衣"); /* no line break on screen */
	CHECK(fabs(m.edges[0].length_m - 111.2) < 0.5);
	geo_model_free(&m);
}

static void geojson_lines_meet_and_points_are_places(void)
{
	static const char text[] =
		"{\"type\": \"FeatureCollection\", \"features\": ["
		"{\"type\": \"Feature\", \"properties\": {\"highway\": \"residential\", \"name\": "
		"\"东街\"}, \"geometry\": {\"type\": \"LineString\", \"coordinates\": [[121.0, 31.0],"
		" [121.001, 31.0]]}},"
		"{\"type\": \"Feature\", \"properties\": {\"highway\": \"footway\"}, \"geometry\":"
		" {\"type\": \"LineString\", \"coordinates\": [[121.001, 31.0], [121.001, 31.001]]}},"
		"{\"type\": \"Feature\", \"properties\": {\"shop\": \"laundry\", \"name\": \"洗衣店\","
		" \"opening_hours\": \"24/7\"}, \"geometry\": {\"type\": \"Point\", \"coordinates\":"
		" [121.0005, 31.0001]}},"
		"{\"type\": \"Feature\", \"properties\": {}, \"geometry\": {\"type\": \"Polygon\","
		" \"coordinates\": []}},"
		"{\"type\": \"Feature\", \"properties\": {\"highway\": \"path\"}, \"geometry\":"
		" {\"type\": \"LineString\", \"coordinates\": [[500, 31]]}}"
		"]}";
	struct geo_model m;
	char why[128];
	CHECK_INT(geo_model_from_geojson(text, strlen(text), &m, why, sizeof why), KIOSK_OK);
	CHECK_INT((long long)m.nedges, 2);
	CHECK_INT((long long)m.nnodes, 3); /* the shared corner is one node */
	CHECK_INT((long long)m.npois, 1);
	CHECK_STR(m.pois[0].name_zh, "洗衣店");
	CHECK_STR(m.pois[0].category, "laundry");
	CHECK(strncmp(m.pois[0].id, "geo-", 4) == 0);
	CHECK_INT((long long)m.skipped[GEO_SKIP_BAD_FEATURE], 2);
	geo_model_free(&m);
}

/* The map screen credits the data as its file states: OpenStreetMap's in the form its
 * licence asks for, another source's own words, and a made-up map is not passed off as
 * OSM's. */
static void credits_what_the_file_states(void)
{
	setup();
	struct geo_model m;
	char why[256] = "", got[160];
	CHECK_INT(geo_import_file(st, SHARED_OSM "/aberdeen-old-town.osm.gz", 0, &m, why, sizeof why),
		  KIOSK_OK);
	CHECK_STR(m.attribution, "© OpenStreetMap contributors");
	CHECK_INT(kiosk_map_info(st, "attribution", got, sizeof got), KIOSK_OK);
	CHECK_STR(got, "© OpenStreetMap contributors");
	geo_model_free(&m);
	CHECK_INT(geo_import_file(st, ASSETS_DIR "/demo/neighbourhood.osm", 0, &m, why, sizeof why),
		  KIOSK_OK);
	CHECK_STR(m.attribution, "虚构示例街区 · Fictional demo");
	CHECK_INT(kiosk_map_info(st, "attribution", got, sizeof got), KIOSK_OK);
	CHECK_STR(got, "虚构示例街区 · Fictional demo");
	geo_model_free(&m);
	teardown();

	static const struct {
		const char *head, *want; /* the file up to its elements, whom it credits */
	} t[] = {
		/* OSM XML that says nothing: the format OSM's data comes in, so OSM's credit */
		{"<osm version=\"0.6\" generator=\"JOSM\">", "© OpenStreetMap contributors"},
		{"<osm copyright=\"OpenStreetMap and contributors\">", "© OpenStreetMap contributors"},
		{"<osm copyright=\"  徐汇区测绘所 2026\t\">", "徐汇区测绘所 2026"},
		{"<osm copyright=\"a&#10;b\">", "a b"},
		{"{\"type\": \"FeatureCollection\", \"copyright\": \"The data included in this document"
		 " is from www.openstreetmap.org. The data is made available under ODbL.\","
		 " \"features\": [",
		 "© OpenStreetMap contributors"},
		{"{\"type\": \"FeatureCollection\", \"attribution\": \"街道办\", \"features\": [", "街道办"},
		/* GeoJSON that names no source: nobody is credited (it need not be OSM's) */
		{"{\"type\": \"FeatureCollection\", \"features\": [", ""},
	};
	static const char osm_way[] =
		"<node id=\"1\" lat=\"31.0\" lon=\"121.0\"/><node id=\"2\" lat=\"31.001\" lon=\"121.0\"/>"
		"<way id=\"3\"><nd ref=\"1\"/><nd ref=\"2\"/><tag k=\"highway\" v=\"path\"/></way></osm>";
	static const char json_way[] =
		"{\"type\": \"Feature\", \"properties\": {\"highway\": \"path\"}, \"geometry\":"
		" {\"type\": \"LineString\", \"coordinates\": [[121.0, 31.0], [121.0, 31.001]]}}]}";
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char text[600];
		bool json = t[i].head[0] == '{';
		snprintf(text, sizeof text, "%s%s", t[i].head, json ? json_way : osm_way);
		CHECK_INT(json ? geo_model_from_geojson(text, strlen(text), &m, why, sizeof why)
			       : geo_model_from_osm(text, strlen(text), &m, why, sizeof why),
			  KIOSK_OK);
		CHECK_INT((long long)m.nedges, 1);
		CHECK_STR(m.attribution, t[i].want);
		geo_model_free(&m);
	}
	/* a long statement is cut at a character, never inside one */
	char stated[400] = "", out[GEO_ATTRIBUTION_MAX];
	for (int i = 0; i < 100; i++)
		strcat(stated, "测");
	geo_attribution(stated, false, out);
	CHECK_INT((long long)strlen(out), 126); /* 42 characters of 3 bytes fit in 127 */
	CHECK_STR(out + 123, "测");
}

/* A store from before streets had English names (schema v5, the map imported): opened by
 * this build, its streets get the column (empty) and the map forgets when it was
 * imported, so the kiosk's next start imports $.map.file again, English names with it;
 * the map itself is kept until then. */
static long long stage_rows(void)
{
	return fx_int(st, "SELECT (SELECT count(*) FROM map_node_stage) +"
			  " (SELECT count(*) FROM map_edge_stage)");
}

/* A map import goes in by short transactions into stage tables and then one swap: cut
 * short anywhere (a write fails, as on a full disk or a pulled card), the map is the one
 * the kiosk had, whole, and the stage is emptied again; the next import goes through. A
 * second connection made for the work (as the core's worker opens) does the same. */
static void an_import_cut_short_keeps_the_map_it_had(void)
{
	fx_path(path, sizeof path);
	struct kiosk_store_opts o = {.vfs = "faulty"};
	CHECK_INT(fx_open(path, &o, &st), KIOSK_OK);
	struct geo_model m;
	char why[256] = "", src[64];
	CHECK_INT(geo_import_file(st, SHARED_OSM "/aberdeen-old-town.osm.gz", 0, &m, why, sizeof why),
		  KIOSK_OK);
	geo_model_free(&m);
	long long nodes = fx_int(st, "SELECT count(*) FROM map_node");
	long long edges = fx_int(st, "SELECT count(*) FROM map_edge");
	long long places = fx_int(st, "SELECT count(*) FROM service WHERE source = 'map'");
	long long audit = fx_int(st, "SELECT count(*) FROM audit");
	CHECK_INT(stage_rows(), 0);
	CHECK_INT(geo_model_read_file(SHARED_OSM "/berlin-siegessaeule.osm.gz", 0, &m, why,
				      sizeof why),
		  KIOSK_OK);
	int cut = 0;
	for (int nth = 1; nth < 400; nth += nth < 8 ? 1 : 13) {
		faultvfs_fail_at(nth);
		int rc = geo_model_store(st, &m, "berlin-siegessaeule.osm.gz", why, sizeof why);
		faultvfs_fail_at(0);
		if (rc == KIOSK_OK)
			break; /* the fault came after the whole import */
		cut++;
		CHECK(strstr(why, "the store refused the map") != NULL);
		CHECK_INT(fx_int(st, "SELECT count(*) FROM map_node"), nodes);
		CHECK_INT(fx_int(st, "SELECT count(*) FROM map_edge"), edges);
		CHECK_INT(fx_int(st, "SELECT count(*) FROM service WHERE source = 'map'"), places);
		CHECK_INT(kiosk_map_info(st, "source", src, sizeof src), KIOSK_OK);
		CHECK_STR(src, "aberdeen-old-town.osm.gz");
		CHECK_INT(fx_int(st, "SELECT count(*) FROM audit"), audit);
		CHECK_INT(stage_rows(), 0);
	}
	CHECK(cut > 10);
	/* on a connection of its own, as the core's worker imports (what a fault after the
	 * swap left in the stage goes first) */
	audit = fx_int(st, "SELECT count(*) FROM audit WHERE action = 'map.import'");
	struct kiosk_store_opts bo = {.path = path, .bulk = true, .now_ms = fx_clock};
	struct kiosk_store *bulk;
	CHECK_INT(kiosk_store_open(&bo, &bulk), KIOSK_OK);
	CHECK_INT(geo_model_store(bulk, &m, "berlin-siegessaeule.osm.gz", why, sizeof why),
		  KIOSK_OK);
	kiosk_store_close(bulk);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM map_edge"), (long long)m.nedges);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM service WHERE source = 'map'"),
		  (long long)m.npois);
	CHECK_INT(kiosk_map_info(st, "source", src, sizeof src), KIOSK_OK);
	CHECK_STR(src, "berlin-siegessaeule.osm.gz");
	CHECK_INT(stage_rows(), 0);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM audit WHERE action = 'map.import'"), audit + 1);
	char msg[256];
	CHECK_INT(kiosk_store_check(st, msg, sizeof msg), KIOSK_OK);
	CHECK_STR(msg, "ok");
	geo_model_free(&m);
	teardown();
	/* a second connection never migrates: an older file is the kiosk's to open first */
	fx_path(path, sizeof path);
	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
	kiosk_store_close(st);
	sqlite3 *db;
	CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
	CHECK_INT(sqlite3_exec(db, "PRAGMA user_version = 12", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	bo.path = path;
	CHECK_INT(kiosk_store_open(&bo, &bulk), KIOSK_ESTATE);
	fx_cleanup(path);
}

static void an_old_map_is_imported_again(void)
{
	setup();
	struct geo_model m;
	char why[256] = "", at[32];
	CHECK_INT(geo_import_file(st, ASSETS_DIR "/demo/neighbourhood.osm", 0, &m, why, sizeof why),
		  KIOSK_OK);
	geo_model_free(&m);
	long long edges = fx_int(st, "SELECT count(*) FROM map_edge");
	kiosk_store_close(st);
	/* back to v5 as it was: no name_en (v6), no send_number (v7), no uncertain (v8), none
	 * of v9's indexes, no unsent counter (v10), nothing of the archive's (v11), no unsent
	 * help index (v12), no stage tables for the next import (v13), no homes (v14), no
	 * audit totals (v16), no cash (v17), no board money (v18), no meals (v19) */
	sqlite3 *db;
	CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
	CHECK_INT(sqlite3_exec(db, "DELETE FROM meta WHERE key IN ('outbox_unsent',"
			       " 'events_archived'); DROP TABLE audit_checkpoint;"
			       " DROP INDEX outbox_unsent_help;"
			       " DROP TABLE map_node_stage; DROP TABLE map_edge_stage;"
			       " DROP TABLE map_home; DROP TABLE map_home_stage;"
			       " DROP INDEX parcel_done; DROP INDEX vend_order_done;"
			       " ALTER TABLE slot DROP COLUMN archived_dispensed;"
			       " DROP INDEX door_op_opening; DROP INDEX door_op_compartment;"
			       " DROP INDEX door_op_parcel; DROP INDEX parcel_live;"
			       " DROP INDEX vend_order_slot; DROP INDEX outbox_code_parcel;"
			       " ALTER TABLE vend_order DROP COLUMN uncertain;"
			       " DROP INDEX parcel_send_number; ALTER TABLE parcel DROP COLUMN"
			       " send_number; ALTER TABLE map_edge DROP COLUMN name_en;"
			       " ALTER TABLE slot DROP COLUMN sold_fen; DROP TABLE vend_total;"
			       " DROP TABLE cash_payout; ALTER TABLE vend_order DROP COLUMN cash_fen;"
			       " ALTER TABLE vend_order DROP COLUMN board_fen;"
			       " DROP TABLE meal_order; DROP TABLE meal_elig; DROP TABLE meal;"
			       " PRAGMA user_version = 5",
			       NULL, NULL, NULL),
		  SQLITE_OK);
	sqlite3_close(db);
	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
	CHECK_INT(fx_int(st, "PRAGMA user_version"), KIOSK_STORE_SCHEMA);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM map_edge"), edges);
	CHECK_INT(fx_int(st, "SELECT count(*) FROM map_edge WHERE name_en <> ''"), 0);
	CHECK_INT(kiosk_map_info(st, "imported_at", at, sizeof at), KIOSK_ENOENT);
	CHECK_INT(geo_import_file(st, ASSETS_DIR "/demo/neighbourhood.osm", 0, &m, why, sizeof why),
		  KIOSK_OK);
	geo_model_free(&m);
	CHECK(fx_int(st, "SELECT count(*) FROM map_edge WHERE name_en = 'Changshou Road'") > 3);
	teardown();
}

/* ---- the router against a brute-force reference ---- */

static unsigned seed = 12345;
static unsigned rnd(unsigned n)
{
	seed = seed * 1103515245u + 12345u;
	return (seed >> 8) % n;
}

/* A random graph of nn nodes on a small patch, ne edges (some may form islands). */
static void random_graph(struct kiosk_map_data *d, size_t nn, size_t ne)
{
	memset(d, 0, sizeof *d);
	d->nodes = kiosk_calloc(nn, sizeof *d->nodes);
	d->edges = kiosk_calloc(ne, sizeof *d->edges);
	d->nnodes = nn;
	for (size_t i = 0; i < nn; i++)
		d->nodes[i] = (struct kiosk_map_node){(int64_t)(i * 7 + 3), 31.0 + rnd(1000) * 1e-5,
						     121.0 + rnd(1000) * 1e-5};
	for (size_t e = 0; e < ne; e++) {
		size_t a = rnd((unsigned)nn), b = rnd((unsigned)nn);
		struct kiosk_map_edge *k = &d->edges[d->nedges++];
		k->a = d->nodes[a].id;
		k->b = d->nodes[b].id;
		k->length_m = geo_distance_m(d->nodes[a].lat, d->nodes[a].lon, d->nodes[b].lat,
					     d->nodes[b].lon);
		k->flags = rnd(10) == 0 ? KIOSK_EDGE_STEPS : rnd(10) == 0 ? KIOSK_EDGE_CROSSING : 0;
		snprintf(k->kind, sizeof k->kind, "footway");
	}
}

/* Floyd–Warshall over node indices sorted by id (the graph's order). */
static void reference(const struct kiosk_map_data *d, double *dist)
{
	size_t n = d->nnodes;
	for (size_t i = 0; i < n * n; i++)
		dist[i] = INFINITY;
	for (size_t i = 0; i < n; i++)
		dist[i * n + i] = 0;
	for (size_t e = 0; e < d->nedges; e++) {
		const struct kiosk_map_edge *k = &d->edges[e];
		size_t a = (size_t)(k->a - 3) / 7, b = (size_t)(k->b - 3) / 7;
		if (a == b)
			continue;
		double w = k->length_m * ((k->flags & KIOSK_EDGE_STEPS) ? 2 : 1) +
			   ((k->flags & KIOSK_EDGE_CROSSING) ? GEO_CROSSING_S : 0);
		if (w < dist[a * n + b])
			dist[a * n + b] = dist[b * n + a] = w;
	}
	for (size_t k = 0; k < n; k++)
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < n; j++)
				if (dist[i * n + k] + dist[k * n + j] < dist[i * n + j])
					dist[i * n + j] = dist[i * n + k] + dist[k * n + j];
}

static void router_matches_brute_force(void)
{
	for (int round = 0; round < 30; round++) {
		struct kiosk_map_data d;
		size_t nn = 5 + rnd(30), ne = nn + rnd((unsigned)nn * 2);
		random_graph(&d, nn, ne);
		struct geo_graph *g;
		if (geo_graph_new(&d, &g) != KIOSK_OK) { /* every edge a loop: nothing to route */
			kiosk_map_data_free(&d);
			continue;
		}
		double *dist = kiosk_malloc(nn * nn * sizeof *dist);
		reference(&d, dist);
		struct geo_costs *c;
		CHECK_INT(geo_costs_new(g, &c), KIOSK_OK);
		/* start at an edge's end (t = 0: its a end, no walk to the street) */
		size_t e = rnd((unsigned)geo_graph_edges(g)), a, b;
		geo_edge_ends(g, e, &a, &b);
		struct geo_snap s = {(int)e, 0, 0};
		CHECK_INT(geo_route_from(g, &s, c), KIOSK_OK);
		for (size_t v = 0; v < nn; v++) {
			double want = dist[a * nn + v], got = geo_node_cost(c, v);
			if (isinf(want))
				CHECK(got == GEO_UNREACHABLE);
			else
				CHECK(fabs(got - want) < 1e-6 * (1 + want));
		}
		geo_costs_free(c);
		geo_graph_free(g);
		kiosk_free(dist);
		kiosk_map_data_free(&d);
	}
}

/* A street and an island: a place by the street is reached with its offset walked; a place
 * on the island is unreachable, not 0. */
static void snapping_and_unreachable(void)
{
	struct kiosk_map_node nodes[] = {{1, 31.0, 121.0}, {2, 31.0, 121.001},
					 {3, 31.01, 121.0}, {4, 31.01, 121.001}};
	struct kiosk_map_edge edges[] = {{1, 2, 95.3, "residential", 0, "", ""},
					 {3, 4, 95.3, "footway", 0, "", ""}};
	struct kiosk_map_data d = {nodes, 4, edges, 2, NULL, 0, NULL, NULL, 0};
	struct geo_graph *g;
	CHECK_INT(geo_graph_new(&d, &g), KIOSK_OK);
	struct geo_snap s;
	/* 20 m north of the street's middle */
	CHECK_INT(geo_snap(g, 31.0 + 20 / 110540.0, 121.0005, &s), KIOSK_OK);
	CHECK_INT(s.edge, 0);
	CHECK(fabs(s.t - 0.5) < 0.01);
	CHECK(fabs(s.off_m - 20) < 0.5);
	struct kiosk_service places[2] = {0};
	places[0].lat = 31.0 - 10 / 110540.0; /* 10 m south of the street, near its east end */
	places[0].lon = 121.0009;
	places[1].lat = 31.01;
	places[1].lon = 121.0005; /* on the island */
	double metres[2], secs[2];
	CHECK_INT(geo_walk_times(g, 31.0 + 20 / 110540.0, 121.0005, 1.0, places, 2, metres, secs),
		  KIOSK_OK);
	/* 20 m to the street, 0.4 of it along, 10 m off it */
	CHECK(fabs(metres[0] - (20 + 0.4 * 95.3 + 10)) < 1.5);
	CHECK(fabs(secs[0] - metres[0]) < 1e-6);
	CHECK(metres[1] == GEO_UNREACHABLE);
	CHECK(secs[1] == GEO_UNREACHABLE);
	/* slower in 长辈模式 */
	double slow[2];
	CHECK_INT(geo_walk_times(g, 31.0 + 20 / 110540.0, 121.0005, GEO_SPEED_ELDERLY, places, 2,
				 metres, slow),
		  KIOSK_OK);
	CHECK(slow[0] > secs[0] / GEO_SPEED);
	/* the path drawn runs from the kiosk's point to the place's along the street */
	struct geo_costs *c;
	struct geo_snap dst;
	double pts[16][2];
	CHECK_INT(geo_costs_new(g, &c), KIOSK_OK);
	CHECK_INT(geo_route_from(g, &s, c), KIOSK_OK);
	CHECK_INT(geo_snap(g, places[0].lat, places[0].lon, &dst), KIOSK_OK);
	int n = geo_path_to(g, c, &s, &dst, pts, 16);
	CHECK(n >= 2);
	CHECK(fabs(pts[0][1] - 121.0005) < 1e-6);
	CHECK(fabs(pts[n - 1][1] - 121.0009) < 2e-5);
	/* off the map: 900 m from a street is on it, 1.5 km is not, another city is not (an
	 * answer at once, not a search outward through the empty world) */
	CHECK_INT(geo_snap(g, 31.0 - 900 / 110540.0, 121.0005, &dst), KIOSK_OK);
	CHECK(fabs(dst.off_m - 900) < 10); /* the router projects a degree as 111.32 km */
	CHECK_INT(geo_snap(g, 31.0 - 1500 / 110540.0, 121.0005, &dst), KIOSK_ENOENT);
	CHECK_INT(geo_snap(g, 52.5145, 13.3501, &dst), KIOSK_ENOENT);
	CHECK_INT(geo_snap(g, -89.9, -179.9, &dst), KIOSK_ENOENT);
	CHECK_INT(geo_walk_times(g, 52.5145, 13.3501, 1.0, places, 2, metres, secs), KIOSK_OK);
	CHECK(secs[0] == GEO_UNREACHABLE && metres[0] == GEO_UNREACHABLE);
	places[0].lat = 31.0 - 1500 / 110540.0; /* a place far off every street: no walk */
	CHECK_INT(geo_walk_times(g, 31.0, 121.0005, 1.0, places, 2, metres, secs), KIOSK_OK);
	CHECK(secs[0] == GEO_UNREACHABLE);
	geo_costs_free(c);
	geo_graph_free(g);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"imports_the_osm_samples", imports_the_osm_samples},
		{"imports_the_demo_neighbourhood", imports_the_demo_neighbourhood},
		{"bad_files_change_nothing", bad_files_change_nothing},
		{"bad_elements_are_skipped_with_counts", bad_elements_are_skipped_with_counts},
		{"geojson_lines_meet_and_points_are_places", geojson_lines_meet_and_points_are_places},
		{"credits_what_the_file_states", credits_what_the_file_states},
		{"an_old_map_is_imported_again", an_old_map_is_imported_again},
		{"an_import_cut_short_keeps_the_map_it_had", an_import_cut_short_keeps_the_map_it_had},
		{"router_matches_brute_force", router_matches_brute_force},
		{"snapping_and_unreachable", snapping_and_unreachable},
		{0},
	};
	setenv("KIOSK_LOG", "warn", 0);
	faultvfs_register();
	return test_main(argc, argv, cases);
}
