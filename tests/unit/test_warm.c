/* Home at rest draws the next screens ahead (screens/warm.c): a resident's tap then brings
 * up a screen whose texts are all in the text cache (its first frame rasterises nothing),
 * while nothing of the rehearsal shows or lingers — home is still the screen, with home's
 * own tap targets, and the core was asked nothing. Not while someone is touching the
 * kiosk, not away from home. A real UI (SDL dummy video, software renderer) on a real core
 * with the demo neighbourhood. */
#include "kiosk/config.h"
#include "kiosk/core.h"
#include "screens/app.h"
#include "screens/screen.h"
#include "screens/ui.h"
#include "screens/ui/textcache.h"
#include "screens/ui/widget.h"
#include "screens/warm.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "../test.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char dir[] = "/tmp/kiosk-warm-XXXXXX";
static struct kiosk_config cfg;
static struct ui *ui;
static struct kiosk_core *core;

static void open_all(void)
{
	kiosk_config_defaults(&cfg);
	snprintf(cfg.store_path, sizeof cfg.store_path, "%s/k.db", dir);
	snprintf(cfg.device_key_file, sizeof cfg.device_key_file, "%s/k.key", dir);
	snprintf(cfg.control_socket, sizeof cfg.control_socket, "%s/k.sock", dir);
	snprintf(cfg.map_file, sizeof cfg.map_file, "%s", ASSETS_DIR "/demo/neighbourhood.osm");
	cfg.geo_lat = 31.2260;
	cfg.geo_lon = 121.46997;
	struct ui_app_opts uo = {&cfg, true, false, 0};
	CHECK_INT(ui_app_open(&uo, &ui), KIOSK_OK);
	struct kiosk_core_opts co = {.cfg = &cfg, .simulate = true, .notify = ui_app_notify,
				     .notify_arg = ui};
	char why[256];
	CHECK_INT(kiosk_core_start(&co, &core, why, sizeof why), KIOSK_OK);
	ui->core = core;
	ui_app_wait_snapshot(ui, core, 5000);
	for (int i = 0; i < 500 && ui->snap.map_preparing; i++)
		ui_app_pump(ui, core, 10);
	/* the UI's clock held still, as a script's: home's header clock turning a minute
	 * while home is drawn again between rehearsals is a texture of home's own, not a
	 * rehearsal's (under a sanitizer the pass can take seconds) */
	ui->virtual_base_ms = kiosk_now_ms();
	ui_nav_home(ui, true);
	ui_app_frame(ui);
}

static void close_all(void)
{
	kiosk_core_stop(core);
	ui_app_close(ui);
}

/* Texts rasterised by the first frame of the screen a tap on home opens. */
static unsigned long first_frame_misses(const char *screen)
{
	ui_nav_home(ui, true);
	ui_app_frame(ui);
	ui_nav_push(ui, ui_screen_find(screen), NULL);
	unsigned long m0 = ui_textcache_misses(ui->texts);
	ui_app_frame(ui);
	return ui_textcache_misses(ui->texts) - m0;
}

static void rest(void)
{
	ui_nav_home(ui, true);
	ui_app_frame(ui);
	ui->last_touch_ms = ui_now_ms(ui) - 60000;
}

static void next_screens_are_drawn_ahead_unseen(void)
{
	/* cold: opening a screen for the first time rasterises its texts */
	CHECK(first_frame_misses("help") > 0);
	ui_warm_step(ui, ui_now_ms(ui)); /* away from home: nothing, and it starts over */
	rest();
	unsigned long m0 = ui_textcache_misses(ui->texts);
	struct kiosk_cache_stat before[3], after[3];
	ui_textcache_stat(ui->texts, before);
	int steps = 0;
	while (ui_warm_step(ui, ui_now_ms(ui)) && steps < 100)
		steps++;
	CHECK(steps >= 5);
	CHECK(ui_textcache_misses(ui->texts) > m0); /* it drew what it had not */
	/* ... into the texts' coverage, a byte a pixel: no texture is made for a screen
	 * nobody sees (textures took 6 MB here, most of the kiosk's memory at rest) */
	ui_textcache_stat(ui->texts, after);
	CHECK(after[2].entries > before[2].entries + 20);
	CHECK(after[0].entries <= before[0].entries);
	/* home is still what is up, with its own targets; nothing was asked of the core */
	CHECK_INT(ui->depth, 1);
	CHECK(ui_nav_current(ui) == &ui_screen_home);
	CHECK(!ui->dialog.open);
	CHECK(ui_widget_find(ui, "home.pickup") != NULL);
	CHECK(ui_widget_find(ui, "pickup.courier") == NULL);
	CHECK_INT(ui->snap.requests_waiting, 0);
	/* a resident's tap now: nothing left to rasterise */
	CHECK_INT(first_frame_misses("pickup"), 0);
	ui_warm_step(ui, ui_now_ms(ui)); /* the visit: the next rest draws ahead again */
	rest();
	while (ui_warm_step(ui, ui_now_ms(ui)))
		;
	CHECK_INT(first_frame_misses("map"), 0);
}

/* A texture not drawn for 2 s goes; its text's coverage stays, and drawing it again
 * rasterises nothing. */
static void textures_go_when_not_drawn_coverage_stays(void)
{
	ui_nav_home(ui, true);
	ui_app_frame(ui);
	struct kiosk_cache_stat st[3];
	ui_textcache_stat(ui->texts, st);
	CHECK(st[0].entries > 5 && st[2].entries >= st[0].entries);
	long covered = st[2].entries;
	ui_textcache_frame(ui->texts, ui_now_ms(ui) + KIOSK_CACHE_TEXTURE_IDLE_MS + 1500);
	ui_textcache_stat(ui->texts, st);
	CHECK_INT(st[0].entries, 0);
	CHECK_INT(st[0].bytes, 0);
	CHECK_INT(st[2].entries, covered);
	unsigned long m0 = ui_textcache_misses(ui->texts);
	ui_dirty(ui);
	ui_app_frame(ui);
	CHECK_INT(ui_textcache_misses(ui->texts), m0);
	ui_textcache_stat(ui->texts, st);
	CHECK(st[0].entries > 5);
	CHECK(ui_widget_find(ui, "home.pickup") != NULL);
}

static void not_while_someone_is_there(void)
{
	/* on another screen: nothing drawn, nothing to wake for (and the pass starts over) */
	ui_nav_home(ui, true);
	ui_nav_push(ui, ui_screen_find("help"), NULL);
	ui_app_frame(ui);
	ui->last_touch_ms = ui_now_ms(ui) - 60000;
	unsigned long m0 = ui_textcache_misses(ui->texts);
	CHECK(!ui_warm_step(ui, ui_now_ms(ui)));
	CHECK_INT(ui_textcache_misses(ui->texts), m0);
	CHECK(ui_nav_current(ui) == ui_screen_find("help"));
	CHECK_INT(ui->warm_next, 0);
	/* home, with a finger on the glass just now: still to do, but not now */
	ui_nav_home(ui, true);
	ui_app_frame(ui);
	ui->last_touch_ms = ui_now_ms(ui);
	m0 = ui_textcache_misses(ui->texts);
	CHECK(ui_warm_step(ui, ui_now_ms(ui)));
	CHECK_INT(ui_textcache_misses(ui->texts), m0);
	CHECK_INT(ui->warm_next, 0);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"next_screens_are_drawn_ahead_unseen", next_screens_are_drawn_ahead_unseen},
		{"not_while_someone_is_there", not_while_someone_is_there},
		{"textures_go_when_not_drawn_coverage_stays", textures_go_when_not_drawn_coverage_stays},
		{0},
	};
	setenv("KIOSK_LOG", "error", 0);
	if (!mkdtemp(dir))
		return 1;
	/* one UI for the process: espeak-ng's state does not start twice */
	open_all();
	int rc = test_main(argc, argv, cases);
	close_all();
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? rc : 1;
}
