/* make bench, UI rows: frame render time per screen at 1080×1920 on the software renderer
 * (beside the baseline of an empty clear + present of the same size, measured in the same
 * run) — the first frame after a resident's tap brings the screen up on a kiosk that was
 * at rest (the next screens drawn ahead), and the frames after it. The kiosk process's
 * rows (start, CPU, memory) are proc_bench.c's. */
#include "kiosk/config.h"
#include "kiosk/core.h"
#include "screens/app.h"
#include "screens/screen.h"
#include "screens/ui.h"
#include "screens/ui/font.h"
#include "screens/warm.h"
#include "hal/base/clock.h"
#include "hal/base/mem.h"
#include "hal/base/error.h"

#include "bench.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FRAMES 60
#define PAN_FRAMES 300 /* a p99 of the panning map, not its one worst frame */

/* p50 and p99 of n frames drawn by draw(); *first: the first of them. */
static void measure_n(struct ui *ui, void (*draw)(struct ui *), int n, double *p50, double *p99,
		      double *first)
{
	static double t[PAN_FRAMES];
	n = n > PAN_FRAMES ? PAN_FRAMES : n;
	for (int i = 0; i < n; i++) {
		double s = bench_now_us();
		draw(ui);
		SDL_RenderPresent(ui->ren);
		t[i] = bench_now_us() - s;
	}
	if (first)
		*first = t[0] / 1000;
	qsort(t, (size_t)n, sizeof t[0], bench_cmp_d);
	*p50 = t[n / 2] / 1000;
	*p99 = t[n * 99 / 100] / 1000;
}

static void measure(struct ui *ui, void (*draw)(struct ui *), double *p50, double *p99,
		    double *first)
{
	measure_n(ui, draw, FRAMES, p50, p99, first);
}

static void empty_frame(struct ui *ui)
{
	SDL_SetRenderDrawColor(ui->ren, 0xF4, 0xF1, 0xEA, 0xFF);
	SDL_RenderClear(ui->ren);
}

/* A frame of the map with the finger moved since the last: a pan in a circle. */
static void pan_frame(struct ui *ui)
{
	static int k;
	k++;
	ui->pan.dx += (k / 15) % 2 ? 9 : -9;
	ui->pan.dy += (k / 30) % 2 ? 7 : -7;
	ui_dirty(ui);
	ui_app_frame(ui);
}

/* The map opened afresh and panned: one table row. */
static void pan_row(struct ui *ui, struct kiosk_core *core, bool elderly, const char *label,
		    double b50)
{
	ui_nav_home(ui, true);
	ui->elderly = elderly;
	ui_nav_push(ui, ui_screen_find("map"), NULL);
	ui_app_pump(ui, core, 100);
	double p50, p99;
	measure_n(ui, pan_frame, PAN_FRAMES, &p50, &p99, NULL);
	printf("| %s | — | — | p99 < 8 | %.2f | %.2f | %.2f | %.1f |\n", label, p50, p99, b50,
	       p50 / b50);
}

/* a screen's first frame, each time after home was at rest; the second worst of them is
 * said (p98: one spike of the machine in fifty is not the screen's) */
#define TAPS 50

/* A resident's tap on a kiosk at rest: from another screen back home, home at rest (it
 * draws the next screens ahead, warm.c, and gives the font's pages back), then the tap —
 * as home's tiles open the screen (the placeholder says what it stands for; an operator's
 * page is opened from the login). The screen stays up; the time of its first frame. */
static double tap_from_rest(struct ui *ui, struct kiosk_core *core, int elderly,
			    const char *name, bool home)
{
	ui_nav_push(ui, ui_screen_find(home ? "placeholder" : "help"), "home.shop");
	ui_app_frame(ui);
	ui_warm_step(ui, ui_now_ms(ui)); /* (the loop's turn on that screen) */
	ui_nav_home(ui, true);
	ui->elderly = elderly;
	ui->last_touch_ms = ui_now_ms(ui) - 60000;
	while (ui_warm_step(ui, ui_now_ms(ui)))
		;
	/* the operator's pages behind the login, the login at rest a moment */
	if (!home && strncmp(name, "maint_", 6) == 0 && strcmp(name, "maint_login") != 0) {
		ui_nav_push(ui, &ui_screen_maint_login, NULL);
		ui_app_frame(ui);
		ui->last_touch_ms = ui_now_ms(ui) - 60000;
		while (ui_warm_step(ui, ui_now_ms(ui)))
			;
	}
	if (!home)
		ui_nav_push(ui, ui_screen_find(name), strcmp(name, "placeholder") ? NULL : "home.shop");
	ui_fonts_give_back(ui->fonts);
	/* Let the core answer what the screen asked on entry (the send screen's carriers):
	 * the frame measured is the screen a resident sees. */
	ui_app_pump(ui, core, 100);
	double s = bench_now_us();
	ui_app_frame(ui);
	SDL_RenderPresent(ui->ren);
	return (bench_now_us() - s) / 1000;
}

static void screens_table(const char *dir, const char *osm)
{
	struct kiosk_config cfg;
	kiosk_config_defaults(&cfg);
	snprintf(cfg.store_path, sizeof cfg.store_path, "%s/ui.db", dir);
	snprintf(cfg.device_key_file, sizeof cfg.device_key_file, "%s/ui.key", dir);
	snprintf(cfg.control_socket, sizeof cfg.control_socket, "%s/ui.sock", dir);
	/* A 16-door Kerong bank on its simulator, as the demo has: the locker screens draw a
	 * real grid and real free counts. */
	snprintf(cfg.lock.driver, sizeof cfg.lock.driver, "kerong-cu16");
	static const char *const sizes[] = {"S", "S", "M", "M", "L", "XL"};
	for (int i = 0; i < 16; i++) {
		struct kiosk_compartment_cfg *k = &cfg.compartments[i];
		snprintf(k->id, sizeof k->id, "A%02d", i + 1);
		k->board = 0;
		k->lock = i + 1;
		snprintf(k->size, sizeof k->size, "%s", sizes[i % 6]);
		k->column = i / 4 + 1;
		k->row = i % 4 + 1;
	}
	cfg.ncompartments = 16;
	struct ui *ui;
	struct ui_app_opts uo = {&cfg, true, false, 0};
	if (ui_app_open(&uo, &ui) != KIOSK_OK)
		exit(1);
	/* the demo neighbourhood, from the demo kiosk's gate: the map and directory draw it */
	snprintf(cfg.map_file, sizeof cfg.map_file, "%.200s/demo/neighbourhood.osm",
		 ui_app_assets(ui));
	cfg.geo_lat = 31.2260;
	cfg.geo_lon = 121.46997;
	struct kiosk_core *core;
	char why[256];
	struct kiosk_core_opts co = {.cfg = &cfg, .simulate = true, .notify = ui_app_notify,
				     .notify_arg = ui};
	if (kiosk_core_start(&co, &core, why, sizeof why) != KIOSK_OK) {
		fprintf(stderr, "bench: %s\n", why);
		exit(1);
	}
	ui_app_wait_snapshot(ui, core, 2000);
	double b50, b99;
	measure(ui, empty_frame, &b50, &b99, NULL);
	/* The kiosk's own first frame (home, at start) is counted in the cold start below;
	 * the rows are what a resident waits for after a tap on a kiosk that is running. */
	ui_app_frame(ui);
	SDL_RenderPresent(ui->ren);
	printf("| screen | first frame p50 ms | first frame p98 ms (2nd worst of %d taps) | target |"
	       " frames p50"
	       " ms | frames p99 ms | baseline p50 ms (clear + present) | p50 ratio |\n"
	       "|---|---|---|---|---|---|---|---|\n",
	       TAPS);
	double worst = 0;
	const char *worst_name = "";
	static const char *const names[] = {"home",	   "placeholder", "help",
					    "service",	   "rating",	  "maint_login",
					    "maint_menu",  "pickup",	  "courier",
					    "send",	   "maint_lockers", "directory",
					    "map"};
	const char *only = getenv("KIOSK_BENCH_SCREEN"); /* that screen's rows only */
	for (int elderly = 0; elderly < 2; elderly++) {
		for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
			if (only && strcmp(only, names[i]) != 0)
				continue;
			static double taps[TAPS];
			for (int k = 0; k < TAPS; k++)
				taps[k] = tap_from_rest(ui, core, elderly, names[i], i == 0);
			qsort(taps, TAPS, sizeof taps[0], bench_cmp_d);
			double first = taps[TAPS - 2];
			double p50, p99;
			measure(ui, ui_app_frame, &p50, &p99, NULL);
			printf("| %s%s | %.2f | %.2f | ≤ 8 | %.2f | %.2f | %.2f | %.1f |\n", names[i],
			       elderly ? " (长辈模式)" : "", taps[TAPS / 2], first, p50, p99, b50,
			       p50 / b50);
			if (first > worst) {
				worst = first;
				worst_name = names[i];
			}
		}
	}
	printf("| **every screen's first frame** | | p98 worst %.2f (%s) | ≤ 8 | %s | | | |\n",
	       worst, worst_name, worst <= 8 ? "met" : "MISSED");
	if (only)
		return;
	/* The map while a finger pans it: every frame moved, every street re-projected. */
	pan_row(ui, core, false, "map, panning", b50);
	pan_row(ui, core, true, "map, panning (长辈模式)", b50);
	kiosk_core_stop(core);
	/* A real map's streets at every angle: Latin names turned along them (a texture
	 * rotated per name per frame), Berlin's Großer Stern from its OSM sample. */
	if (osm) {
		snprintf(cfg.map_file, sizeof cfg.map_file, "%s", osm);
		cfg.geo_lat = 52.5145;
		cfg.geo_lon = 13.3501;
		if (kiosk_core_start(&co, &core, why, sizeof why) != KIOSK_OK) {
			fprintf(stderr, "bench: %s\n", why);
			exit(1);
		}
		ui_app_wait_snapshot(ui, core, 2000);
		pan_row(ui, core, false, "map, panning, OSM sample (turned names)", b50);
		kiosk_core_stop(core);
	}
	ui_app_close(ui);
}

int main(int argc, char **argv)
{
	/* argv[2]: an OSM sample, optional (argv[1], the kiosk, is proc_bench.c's) */
	char dir[] = "/tmp/kiosk-uibench-XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	setenv("KIOSK_LOG", "warn", 0);
	printf("UI: %d frames per screen (%d for the map panning), 1080x1920, SDL dummy video +"
	       " software renderer\n\n",
	       FRAMES, PAN_FRAMES);
	/* KIOSK_BENCH_SCREEN=name: that screen's rows only. */
	screens_table(dir, argc > 2 ? argv[2] : NULL);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : 1;
}
