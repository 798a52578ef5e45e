/* make bench, UI rows: frame render time per screen at 1080×1920 on the software renderer
 * (beside the baseline of an empty clear + present of the same size, measured in the same
 * run) — the first frame after a resident's tap brings the screen up on a kiosk that was
 * at rest (the next screens drawn ahead), and the frames after it — and, from a real `kiosk --headless --simulate` process, cold start to first
 * frame (a restart on its existing store, and the first start of a new one), CPU of an
 * idle home screen over 10 s, proportional set size at rest, and peak RSS. */
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
	for (int elderly = 0; elderly < 2; elderly++) {
		for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
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

static double cpu_s(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	FILE *f = fopen(path, "r");
	unsigned long ut = 0, st = 0;
	if (f) {
		/* fields 14 and 15 after the ")" of the command name */
		char buf[1024];
		size_t n = fread(buf, 1, sizeof buf - 1, f);
		buf[n] = '\0';
		char *p = strrchr(buf, ')');
		if (p)
			sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st);
		fclose(f);
	}
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* The kiosk's log line "event=first_frame since_start_ms=N", waited for; -1 if none. */
static long first_frame_ms(const char *log)
{
	long first = -1;
	for (int i = 0; i < 100 && first < 0; i++) {
		usleep(50000);
		FILE *l = fopen(log, "r");
		char line[512];
		while (l && fgets(line, sizeof line, l)) {
			char *p = strstr(line, "event=first_frame since_start_ms=");
			if (p)
				first = atol(p + strlen("event=first_frame since_start_ms="));
		}
		if (l)
			fclose(l);
	}
	return first;
}

static pid_t start_kiosk(const char *kiosk, const char *cfg, const char *log)
{
	unlink(log);
	pid_t pid = fork();
	if (pid == 0) {
		if (!freopen(log, "w", stderr))
			_exit(127);
		execl(kiosk, kiosk, "--headless", "--simulate", "--config", cfg, (char *)NULL);
		_exit(127);
	}
	return pid;
}

static void stop_kiosk(pid_t pid)
{
	kill(pid, SIGTERM);
	int st;
	waitpid(pid, &st, 0);
}

/* Pss from /proc/PID/smaps_rollup, in KiB; -1 if unknown. */
static long pss_kb(pid_t pid)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/smaps_rollup", pid);
	FILE *f = fopen(path, "r");
	long kb = -1;
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "Pss: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

static void process_rows(const char *kiosk, const char *dir)
{
	char cfg[512], log[512];
	snprintf(cfg, sizeof cfg, "%s/run.json", dir);
	snprintf(log, sizeof log, "%s/kiosk.log", dir);
	FILE *f = fopen(cfg, "w");
	fprintf(f, "{\"device\":{\"key_file\":\"%s/run.key\"},\"store\":{\"path\":\"%s/run.db\"},"
		   "\"control\":{\"socket\":\"%s/run.sock\"}}",
		dir, dir, dir);
	fclose(f);
	/* The first start makes the store and the demo's accounts (a PIN hash each); every
	 * later start — each morning, after each power cut — opens what is there. */
	pid_t pid = start_kiosk(kiosk, cfg, log);
	long install = first_frame_ms(log);
	stop_kiosk(pid);
	pid = start_kiosk(kiosk, cfg, log);
	long first = first_frame_ms(log);
	/* At rest: past the quiet spell after which the font's pages go back. */
	sleep(3);
	double c0 = cpu_s(pid);
	sleep(10);
	double c1 = cpu_s(pid);
	long pss = pss_kb(pid);
	long hwm = kiosk_proc_status_kb(pid, "VmHWM:");
	stop_kiosk(pid);
	printf("\n| kiosk process | measured | target | verdict |\n|---|---|---|---|\n");
	printf("| cold start to first frame (a restart) | %ld ms | ≤ 100 ms | %s |\n", first,
	       first >= 0 && first <= 100 ? "met" : "MISSED");
	printf("| first start of a new kiosk (store made, demo accounts hashed) | %ld ms | — | "
	       "|\n",
	       install);
	printf("| CPU of an idle home screen over 10 s | %.2f %% of a core | < 1 %% | %s |\n",
	       (c1 - c0) * 10, (c1 - c0) * 10 < 1 ? "met" : "MISSED");
	printf("| proportional set size (Pss) at rest | %ld KiB | ≤ 40 MiB | %s |\n", pss,
	       pss > 0 && pss <= 40 * 1024 ? "met" : "MISSED");
	printf("| peak RSS (VmHWM) | %ld KiB | < 60 MiB | %s |\n", hwm,
	       hwm > 0 && hwm < 60 * 1024 ? "met" : "MISSED");
}

int main(int argc, char **argv)
{
	const char *kiosk = argc > 1 ? argv[1] : "kiosk"; /* argv[2]: an OSM sample, optional */
	char dir[] = "/tmp/kiosk-uibench-XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	setenv("KIOSK_LOG", "warn", 0);
	printf("UI: %d frames per screen (%d for the map panning), 1080x1920, SDL dummy video +"
	       " software renderer\n\n",
	       FRAMES, PAN_FRAMES);
	screens_table(dir, argc > 2 ? argv[2] : NULL);
	setenv("KIOSK_LOG", "info", 1);
	process_rows(kiosk, dir);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : 1;
}
