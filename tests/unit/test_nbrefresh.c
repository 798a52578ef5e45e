/* The neighbourhood rebuilt after a change, off the core thread: a service the platform
 * adds reaches the screens' neighbourhood (built on the worker with its own connection,
 * swapped in on the loop), while a screen holding the old one keeps it intact; and the
 * map's coverage report reaches the platform after the import and weekly. */
#include "core_fixture.h"
#include "plat_fixture.h"
#include "kiosk/coverage_view.h"
#include "kiosk/neighbourhood.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "../test.h"

#include <sqlite3.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static size_t places(struct kiosk_core *core)
{
	const struct kiosk_neighbourhood *nb = kiosk_core_neighbourhood(core);
	size_t n = nb ? nb->nplaces : 0;
	kiosk_neighbourhood_put(nb);
	return n;
}

/* The neighbourhood the core builds on its worker after start, by condition (≤ 20 s). */
static const struct kiosk_neighbourhood *built(struct kiosk_core *core)
{
	int64_t until = kiosk_mono_ms() + 20000;
	const struct kiosk_neighbourhood *nb;
	while (!(nb = kiosk_core_neighbourhood(core)) && kiosk_mono_ms() < until)
		usleep(5000);
	return nb;
}

static struct kiosk_snapshot settled(struct kiosk_core *core)
{
	struct kiosk_snapshot s;
	int64_t until = kiosk_mono_ms() + 20000;
	kiosk_core_snapshot(core, &s);
	while ((s.version == 0 || s.map_preparing) && kiosk_mono_ms() < until) {
		usleep(5000);
		kiosk_core_snapshot(core, &s);
	}
	return s;
}

/* The map file is read, stored and built into the neighbourhood on the core's worker
 * after start (start no longer waits for it, nor does the first frame); the snapshot
 * says "preparing" only until it is in. A broken map file leaves the kiosk serving, with
 * no map and nothing "preparing" for ever. */
static void the_map_is_read_after_start(void)
{
	cf_make_cfg();
	snprintf(cf_cfg.map_file, sizeof cf_cfg.map_file, "%s", ASSETS_DIR "/demo/neighbourhood.osm");
	struct kiosk_core *core = cf_start();
	const struct kiosk_neighbourhood *nb = built(core);
	CHECK(nb != NULL);
	CHECK(nb && nb->nsegments > 100 && nb->nplaces > 20);
	kiosk_neighbourhood_put(nb);
	struct kiosk_snapshot s = settled(core);
	CHECK(!s.map_preparing);
	kiosk_core_stop(core);
	cf_cleanup();

	cf_make_cfg();
	char bad[] = "/tmp/kiosk-badmap-XXXXXX";
	int fd = mkstemp(bad);
	CHECK(fd >= 0);
	CHECK_INT((int)write(fd, "hello", 5), 5);
	close(fd);
	snprintf(cf_cfg.map_file, sizeof cf_cfg.map_file, "%s", bad);
	core = cf_start();
	CHECK_INT(kiosk_core_send(core, KIOSK_CMD_HELLO), KIOSK_OK);
	s = settled(core);
	CHECK(s.version > 0 && !s.map_preparing);
	nb = kiosk_core_neighbourhood(core);
	CHECK(!nb || nb->nsegments == 0);
	kiosk_neighbourhood_put(nb);
	kiosk_core_stop(core);
	unlink(bad);
	cf_cleanup();
}

static void a_new_service_reaches_the_screens(void)
{
	cf_make_cfg();
	struct plat *plat = pf_start("K-N1", 7);
	struct kiosk_core *core = cf_start();
	const struct kiosk_neighbourhood *held = built(core);
	CHECK(held != NULL);
	size_t before = held ? held->nplaces : 0;
	char change[512];
	snprintf(change, sizeof change,
		 "{\"kind\":\"service\",\"op\":\"upsert\",\"id\":\"SVC-NEW\",\"data\":{"
		 "\"name_zh\":\"新开的修鞋铺\",\"name_en\":\"New cobbler\",\"category\":"
		 "\"repair.shoes\",\"lat\":%.6f,\"lon\":%.6f}}",
		 cf_cfg.geo_lat + 0.001, cf_cfg.geo_lon + 0.001);
	CHECK_INT(plat_add_changes(plat, change), 0);
	/* the change waits for the next pull (30 s) and the rebuild for the core's quarter-minute
	 * look (15 s): up to 60 s, by condition */
	int64_t until = kiosk_mono_ms() + 60000;
	while (places(core) == before && kiosk_mono_ms() < until)
		usleep(20000);
	CHECK_INT(places(core), before + 1);
	/* the screen that held the old one still has it, whole */
	CHECK_INT(held ? held->nplaces : 0, before);
	kiosk_neighbourhood_put(held);
	kiosk_core_stop(core);
	plat_stop(plat);
	cf_cleanup();
}

/* 一刻钟达标 reaches the platform: the report.coverage event after the map came in (worked
 * out on the worker), with every item of the standard and the kiosk's minutes; and again
 * when a week has passed since the last one. */
static void the_coverage_reaches_the_platform(void)
{
	cf_make_cfg();
	snprintf(cf_cfg.map_file, sizeof cf_cfg.map_file, "%s", ASSETS_DIR "/demo/neighbourhood.osm");
	struct plat *plat = pf_start("K-C1", 11);
	struct kiosk_core *core = cf_start();
	static const char count[] = "SELECT count(*) FROM event WHERE type = 'report.coverage'";
	int64_t until = kiosk_mono_ms() + 60000;
	while (plat_one(plat, count) < 1 && kiosk_mono_ms() < until)
		usleep(20000);
	CHECK_INT(plat_one(plat, count), 1);
	/* the demo: 11 items, 维修 every residence within 15 minutes */
	CHECK_INT(plat_one(plat, "SELECT json_array_length(data, '$.categories') FROM event"
				 " WHERE type = 'report.coverage'"),
		  11);
	/* counted where people live: the demo's 32 residential buildings and 和谐家园's land,
	 * sampled at 4 points (tools/gen_demo_map.py) */
	CHECK_INT(plat_one(plat, "SELECT json_extract(data, '$.residences') FROM event"
				 " WHERE type = 'report.coverage' AND json_extract(data, '$.rule') ="
				 " 'buildings_and_land'"),
		  36);
	CHECK_INT(plat_one(plat, "SELECT count(*) FROM event e, json_each(e.data, '$.categories') c"
				 " WHERE e.type = 'report.coverage' AND json_extract(c.value,"
				 " '$.category') = 'repair' AND json_extract(c.value,"
				 " '$.covered_share') = 1 AND json_extract(c.value,"
				 " '$.from_kiosk_min') > 0"),
		  1);
	/* 补什么: the convenience store first (the most residences outside its 5 minutes) */
	CHECK_INT(plat_one(plat, "SELECT json_extract(data, '$.gaps[0]') = 'convenience' FROM event"
				 " WHERE type = 'report.coverage'"),
		  1);
	CHECK_INT(cf_rows("SELECT count(*) FROM outbox WHERE type = 'report.coverage'"), 1);
	/* a week on (the last one's time set back), the next quarter-minute look sends another */
	char sql[160];
	snprintf(sql, sizeof sql,
		 "UPDATE sync_state SET value = value - %lld WHERE key = 'coverage_reported_ms'",
		 8LL * 86400 * 1000);
	sqlite3 *h;
	CHECK_INT(sqlite3_open(cf_cfg.store_path, &h), SQLITE_OK);
	sqlite3_busy_timeout(h, 5000);
	CHECK_INT(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	until = kiosk_mono_ms() + 60000;
	while (plat_one(plat, count) < 2 && kiosk_mono_ms() < until)
		usleep(20000);
	CHECK_INT(plat_one(plat, count), 2);
	kiosk_core_stop(core);
	plat_stop(plat);
	cf_cleanup();
}

static struct kiosk_cmd coverage_cmd(const char *op, int item)
{
	struct kiosk_cmd c = {.type = KIOSK_CMD_COVERAGE};
	snprintf(c.u.coverage.operator_id, sizeof c.u.coverage.operator_id, "%s", op);
	c.u.coverage.item = item;
	return c;
}

static bool one_view(const struct kiosk_snapshot *s)
{
	return s->coverage_views >= 1 && !s->coverage_working;
}

static bool two_views(const struct kiosk_snapshot *s)
{
	return s->coverage_views >= 2 && !s->coverage_working;
}

/* The maintenance page's 一刻钟达标: only for the operator logged in at the screen; worked
 * out on the worker (asked before the map is in, it waits for it); its table is the
 * report's, its heat the item asked for; let go when the page leaves. */
static void the_coverage_page_is_the_operators(void)
{
	cf_make_cfg();
	snprintf(cf_cfg.map_file, sizeof cf_cfg.map_file, "%s", ASSETS_DIR "/demo/neighbourhood.osm");
	struct kiosk_core *core = cf_start();
	/* nobody logged in, or someone else named: refused, nothing worked out */
	struct kiosk_cmd c = coverage_cmd("8001", -1);
	CHECK_INT(cf_submit(core, &c).rc, KIOSK_EDENIED);
	CHECK_INT(cf_ask(core, KIOSK_CMD_LOGIN_OPERATOR, 0, "8001", "2468").rc, KIOSK_OK);
	c = coverage_cmd("8002", -1);
	CHECK_INT(cf_submit(core, &c).rc, KIOSK_EDENIED);
	struct kiosk_snapshot s;
	kiosk_core_snapshot(core, &s);
	CHECK_INT(s.coverage_views, 0);
	CHECK(!s.coverage_working && kiosk_core_coverage(core) == NULL);
	/* the operator: the first to add (the demo: 便利店), then the item asked for */
	c = coverage_cmd("8001", -1);
	CHECK_INT(cf_submit(core, &c).rc, KIOSK_OK);
	CHECK(cf_until(core, one_view));
	const struct kiosk_coverage_view *v = kiosk_core_coverage(core);
	CHECK(v != NULL);
	if (v) {
		CHECK_INT(v->nitems, 11);
		CHECK_STR(v->items[v->item].id, "convenience");
		CHECK_STR(v->rule, "buildings_and_land");
		CHECK_INT((long long)v->residences, 36);
		CHECK_INT((long long)v->nres, 36);
		size_t outside = 0;
		for (size_t i = 0; i < v->nres; i++)
			outside += v->res[i].s < 0 || v->res[i].s > v->threshold_s;
		CHECK_INT((long long)outside,
			  llround((1 - v->items[v->item].share) * (double)v->residences));
		CHECK(v->nsegs > 100 && v->nplaces == v->items[v->item].places);
	}
	int hair = v ? kiosk_coverage_find(v, "hair") : -1;
	CHECK(hair >= 0);
	c = coverage_cmd("8001", hair);
	CHECK_INT(cf_submit(core, &c).rc, KIOSK_OK);
	CHECK(cf_until(core, two_views));
	const struct kiosk_coverage_view *w = kiosk_core_coverage(core);
	CHECK(w && w != v && w->item == hair && w->threshold_s == 8 * 60);
	/* the page held the first while the second came: intact until let go */
	CHECK(v && v->items[v->item].minutes == 5);
	kiosk_coverage_view_put(v);
	/* leaving: the core lets its view go (the page's own hold still good) */
	c = coverage_cmd("", KIOSK_COVERAGE_DROP);
	CHECK_INT(cf_submit(core, &c).rc, KIOSK_OK);
	CHECK(kiosk_core_coverage(core) == NULL);
	CHECK(w && w->nitems == 11);
	kiosk_coverage_view_put(w);
	kiosk_core_stop(core);
	cf_cleanup();
}

/* No street map: the view fails, said as such (the page words it), nothing held. */
static void the_coverage_page_without_a_map(void)
{
	cf_make_cfg();
	struct kiosk_core *core = cf_start();
	CHECK_INT(cf_ask(core, KIOSK_CMD_LOGIN_OPERATOR, 0, "8001", "2468").rc, KIOSK_OK);
	struct kiosk_cmd c = coverage_cmd("8001", -1);
	CHECK_INT(cf_submit(core, &c).rc, KIOSK_OK);
	CHECK(cf_until(core, one_view));
	struct kiosk_snapshot s;
	kiosk_core_snapshot(core, &s);
	CHECK_INT(s.coverage_rc, KIOSK_ENOENT);
	CHECK_STR(s.coverage_error, "no street map imported: nothing to measure");
	CHECK(kiosk_core_coverage(core) == NULL);
	kiosk_core_stop(core);
	cf_cleanup();
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"the_map_is_read_after_start", the_map_is_read_after_start},
		{"a_new_service_reaches_the_screens", a_new_service_reaches_the_screens},
		{"the_coverage_reaches_the_platform", the_coverage_reaches_the_platform},
		{"the_coverage_page_is_the_operators", the_coverage_page_is_the_operators},
		{"the_coverage_page_without_a_map", the_coverage_page_without_a_map},
		{0},
	};
	setenv("KIOSK_LOG", "warn", 0);
	return test_main(argc, argv, cases);
}
