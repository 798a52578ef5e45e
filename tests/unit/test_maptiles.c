/* The base map's tiles are read and decoded on the map's own reader, never on the UI
 * thread: a frame asks and draws what is in; what comes in wakes a frame; a tile the file
 * lacks (or cannot decode) is asked once; a burst of asks is bounded and served in the
 * end; closing with asks in flight stops cleanly. A real MBTiles file (SQLite, TMS rows),
 * a real core's neighbourhood, SDL's software renderer. */
#include "kiosk/config.h"
#include "kiosk/neighbourhood.h"
#include "screens/map_tiles.h"
#include "screens/ui.h"
#include "hal/base/clock.h"
#include "core_fixture.h"
#include "../test.h"

#include <SDL_image.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#define Z 16
#define X0 54000
#define Y0 26000

static char mbtiles[128];
static struct ui ui;

static int tms(int y)
{
	return (1 << Z) - 1 - y;
}

/* A file with 40 magenta tiles from (X0, Y0) along the row, and one tile that is not an
 * image at (X0, Y0 + 1). */
static void make_file(void)
{
	SDL_Surface *t = SDL_CreateRGBSurfaceWithFormat(0, 256, 256, 32, SDL_PIXELFORMAT_ARGB8888);
	SDL_FillRect(t, NULL, 0xFFFF00FF);
	static char png[65536];
	SDL_RWops *rw = SDL_RWFromMem(png, sizeof png);
	CHECK_INT(IMG_SavePNG_RW(t, rw, 0), 0);
	int len = (int)SDL_RWtell(rw);
	SDL_RWclose(rw);
	SDL_FreeSurface(t);
	snprintf(mbtiles, sizeof mbtiles, "%s/base.mbtiles", cf_dir);
	sqlite3 *db;
	CHECK_INT(sqlite3_open(mbtiles, &db), SQLITE_OK);
	sqlite3_exec(db, "CREATE TABLE metadata(name, value); CREATE TABLE tiles(zoom_level,"
			 " tile_column, tile_row, tile_data)", NULL, NULL, NULL);
	sqlite3_stmt *q;
	sqlite3_prepare_v2(db, "INSERT INTO tiles VALUES(?, ?, ?, ?)", -1, &q, NULL);
	for (int i = 0; i <= 40; i++) {
		sqlite3_bind_int(q, 1, Z);
		sqlite3_bind_int(q, 2, i < 40 ? X0 + i : X0);
		sqlite3_bind_int(q, 3, tms(i < 40 ? Y0 : Y0 + 1));
		if (i < 40)
			sqlite3_bind_blob(q, 4, png, len, SQLITE_STATIC);
		else
			sqlite3_bind_blob(q, 4, "not a picture", 13, SQLITE_STATIC);
		CHECK_INT(sqlite3_step(q), SQLITE_DONE);
		sqlite3_reset(q);
	}
	sqlite3_finalize(q);
	sqlite3_close(db);
}

static const struct kiosk_neighbourhood *start(struct kiosk_core **core)
{
	cf_make_cfg();
	make_file();
	snprintf(cf_cfg.map_file, sizeof cf_cfg.map_file, "%s", ASSETS_DIR "/demo/neighbourhood.osm");
	snprintf(cf_cfg.map_mbtiles, sizeof cf_cfg.map_mbtiles, "%s", mbtiles);
	*core = cf_start();
	const struct kiosk_neighbourhood *nb = NULL;
	for (int64_t until = kiosk_mono_ms() + 20000; !nb && kiosk_mono_ms() < until;) {
		nb = kiosk_core_neighbourhood(*core);
		if (!nb)
			SDL_Delay(10);
	}
	CHECK(nb != NULL);
	return nb;
}

static void stop(struct kiosk_core *core, const struct kiosk_neighbourhood *nb)
{
	map_tiles_close();
	kiosk_neighbourhood_put(nb);
	kiosk_core_stop(core);
	cf_cleanup();
}

/* Takes in what came (as a frame does) until nothing is on its way: how many came with
 * an image. Waits on the reader, 10 s at most. */
static int settle(void)
{
	int in[64][3], n = 0;
	for (int64_t until = kiosk_mono_ms() + 10000; kiosk_mono_ms() < until;) {
		n += map_tiles_collect(&ui, in, 64);
		if (!map_tiles_waiting())
			break;
		SDL_Delay(1);
	}
	return n;
}

static void a_tile_is_read_off_the_ui_thread(void)
{
	struct kiosk_core *core;
	const struct kiosk_neighbourhood *nb = start(&core);
	map_tiles_open(nb);
	/* asked, not read here: the frame goes on without it */
	CHECK(map_tiles_get(&ui, Z, X0, Y0) == NULL);
	CHECK_INT(map_tiles_waiting(), 1);
	CHECK(map_tiles_get(&ui, Z, X0, Y0) == NULL); /* asked once */
	CHECK_INT(map_tiles_waiting(), 1);
	CHECK_INT(settle(), 1);
	SDL_Texture *tex = map_tiles_get(&ui, Z, X0, Y0);
	CHECK(tex != NULL);
	int w = 0, h = 0;
	if (tex)
		SDL_QueryTexture(tex, NULL, NULL, &w, &h);
	CHECK_INT(w, 256);
	CHECK_INT(h, 256);
	struct kiosk_cache_stat st;
	map_tiles_stat(&st);
	CHECK_INT(st.entries, 1);
	CHECK_INT(st.bytes, 256 * 256 * 4);
	stop(core, nb);
}

static void a_missing_or_broken_tile_is_asked_once(void)
{
	struct kiosk_core *core;
	const struct kiosk_neighbourhood *nb = start(&core);
	map_tiles_open(nb);
	CHECK(map_tiles_get(&ui, Z, X0 + 100, Y0) == NULL); /* not in the file */
	CHECK(map_tiles_get(&ui, Z, X0, Y0 + 1) == NULL);   /* in it, not an image */
	CHECK(map_tiles_get(&ui, Z, -1, Y0) == NULL);       /* off the world */
	CHECK_INT(map_tiles_waiting(), 3);
	CHECK_INT(settle(), 0); /* came back, with nothing to draw */
	CHECK(map_tiles_get(&ui, Z, X0 + 100, Y0) == NULL);
	CHECK(map_tiles_get(&ui, Z, X0, Y0 + 1) == NULL);
	CHECK_INT(map_tiles_waiting(), 0); /* known, not asked again */
	struct kiosk_cache_stat st;
	map_tiles_stat(&st);
	CHECK_INT(st.entries, 0);
	stop(core, nb);
}

/* A pan that reveals 40 tiles at once: 32 are asked, the rest in a later frame; every one
 * is drawn in the end, and the cache keeps to its bound. */
static void a_burst_of_asks_is_bounded_and_served(void)
{
	struct kiosk_core *core;
	const struct kiosk_neighbourhood *nb = start(&core);
	map_tiles_open(nb);
	for (int i = 0; i < 40; i++)
		map_tiles_get(&ui, Z, X0 + i, Y0);
	CHECK(map_tiles_waiting() <= 32);
	int got = 0;
	for (int frame = 0; frame < 10; frame++) {
		got += settle();
		int have = 0;
		for (int i = 0; i < 40; i++)
			have += map_tiles_get(&ui, Z, X0 + i, Y0) != NULL;
		if (have == 40)
			break;
	}
	CHECK_INT(got, 40);
	int have = 0;
	for (int i = 0; i < 40; i++)
		have += map_tiles_get(&ui, Z, X0 + i, Y0) != NULL;
	CHECK_INT(have, 40);
	struct kiosk_cache_stat st;
	map_tiles_stat(&st);
	CHECK(st.entries <= st.max_entries);
	stop(core, nb);
}

/* Leaving the map while tiles are on their way: the reader stops, nothing is left. */
static void closing_with_asks_in_flight(void)
{
	struct kiosk_core *core;
	const struct kiosk_neighbourhood *nb = start(&core);
	map_tiles_open(nb);
	for (int i = 0; i < 32; i++)
		map_tiles_get(&ui, Z, X0 + i, Y0);
	map_tiles_close();
	CHECK_INT(map_tiles_waiting(), 0);
	CHECK(map_tiles_get(&ui, Z, X0, Y0) == NULL); /* closed: nothing asked */
	CHECK_INT(map_tiles_waiting(), 0);
	stop(core, nb);
}

/* A neighbourhood without a base map: nothing is asked, nothing waits. */
static void no_base_map_no_reader(void)
{
	struct kiosk_core *core;
	const struct kiosk_neighbourhood *nb = start(&core);
	kiosk_neighbourhood_put(nb);
	kiosk_core_stop(core);
	cf_cleanup();
	cf_make_cfg();
	snprintf(cf_cfg.map_file, sizeof cf_cfg.map_file, "%s", ASSETS_DIR "/demo/neighbourhood.osm");
	core = cf_start();
	nb = NULL;
	for (int64_t until = kiosk_mono_ms() + 20000; !nb && kiosk_mono_ms() < until;)
		if (!(nb = kiosk_core_neighbourhood(core)))
			SDL_Delay(10);
	map_tiles_open(nb);
	CHECK(map_tiles_get(&ui, Z, X0, Y0) == NULL);
	CHECK_INT(map_tiles_waiting(), 0);
	stop(core, nb);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"a_tile_is_read_off_the_ui_thread", a_tile_is_read_off_the_ui_thread},
		{"a_missing_or_broken_tile_is_asked_once", a_missing_or_broken_tile_is_asked_once},
		{"a_burst_of_asks_is_bounded_and_served", a_burst_of_asks_is_bounded_and_served},
		{"closing_with_asks_in_flight", closing_with_asks_in_flight},
		{"no_base_map_no_reader", no_base_map_no_reader},
		{0},
	};
	setenv("KIOSK_LOG", "error", 0);
	SDL_Surface *canvas = SDL_CreateRGBSurfaceWithFormat(0, 64, 64, 32, SDL_PIXELFORMAT_ARGB8888);
	ui.ren = SDL_CreateSoftwareRenderer(canvas);
	int rc = test_main(argc, argv, cases);
	SDL_DestroyRenderer(ui.ren);
	SDL_FreeSurface(canvas);
	SDL_Quit();
	return rc;
}
