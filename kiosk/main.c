/* kiosk: the program. The only file that sees all three layers: it reads the config,
 * opens the UI, starts the core with the UI's notify callback, and tears both down. */
#include "kiosk/config.h"
#include "kiosk/core.h"
#include "kiosk/paths.h"
#include "kiosk/store/store.h"
#include "screens/app.h"
#include "screens/ui/script.h"
#include "hal/base/alloc.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"
#include "hal/base/log.h"

#include <getopt.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* Exit codes: 0 ok, 1 the kiosk could not run here (display, font, devices), 2 the
 * command line or the config is wrong. */
enum { EXIT_RUN = 1, EXIT_USAGE = 2 };

#define DEFAULT_CONFIG "/etc/kiosk/kiosk.json"

static void usage(FILE *f)
{
	fputs("usage: kiosk [--config FILE] [--simulate] [--headless] [--landscape]\n"
	      "             [--screenshot PNG] [--script FILE [--screenshots DIR]]\n"
	      "             [--version] [--help]\n"
	      "       kiosk --check-config FILE\n"
	      "\n"
	      "  --config FILE       JSON configuration (default " DEFAULT_CONFIG
	      " if present,\n"
	      "                      else built-in defaults)\n"
	      "  --simulate          run every device on its simulator\n"
	      "  --headless          no display: SDL dummy video driver, software renderer\n"
	      "  --landscape         lay out for a 1920x1080 panel\n"
	      "  --screenshot PNG    draw the home screen once, write it as PNG, exit\n"
	      "  --script FILE       run a UI script (taps and checks), exit 0 if it held\n"
	      "  --screenshots DIR   where the script's screenshots go (default .)\n"
	      "  --a11y-report FILE  with --script: sizes and contrast of every screen visited\n"
	      "  --orientation O     portrait (1080x1920, default) or landscape (1920x1080)\n"
	      "  --check-config FILE check a configuration file, print every error, exit\n"
	      "  --version           print the version\n",
	      f);
}

static int print_diag(const char *file, const struct kiosk_config_diag *d)
{
	int shown = d->count < KIOSK_CONFIG_MAX_ERRORS ? d->count : KIOSK_CONFIG_MAX_ERRORS;
	for (int i = 0; i < shown; i++)
		fprintf(stderr, "%s: %s\n", file, d->msg[i]);
	if (d->count > shown)
		fprintf(stderr, "%s: ... and %d more errors\n", file, d->count - shown);
	return EXIT_USAGE;
}

struct args {
	const char *config, *check, *screenshot, *script, *shots, *a11y;
	int simulate, headless, landscape;
	int64_t started_mono;
};

static int parse_args(int argc, char **argv, struct args *a)
{
	enum { O_CHECK = 256, O_SHOT, O_SCRIPT, O_SHOTS, O_A11Y, O_ORIENT };
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'},
		{"simulate", no_argument, NULL, 's'},
		{"headless", no_argument, NULL, 'H'},
		{"landscape", no_argument, NULL, 'L'},
		{"screenshot", required_argument, NULL, O_SHOT},
		{"check-config", required_argument, NULL, O_CHECK},
		{"script", required_argument, NULL, O_SCRIPT},
		{"screenshots", required_argument, NULL, O_SHOTS},
		{"a11y-report", required_argument, NULL, O_A11Y},
		{"orientation", required_argument, NULL, O_ORIENT},
		{"version", no_argument, NULL, 'V'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	int c;
	opterr = 0; /* we print our own message */
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'c': a->config = optarg; break;
		case 's': a->simulate = 1; break;
		case 'H': a->headless = 1; break;
		case 'L': a->landscape = 1; break;
		case O_SHOT: a->screenshot = optarg; break;
		case O_CHECK: a->check = optarg; break;
		case O_SCRIPT: a->script = optarg; break;
		case O_SHOTS: a->shots = optarg; break;
		case O_A11Y: a->a11y = optarg; break;
		case O_ORIENT:
			if (strcmp(optarg, "landscape") && strcmp(optarg, "portrait")) {
				fprintf(stderr, "kiosk: --orientation takes portrait or landscape,"
						" not '%s'\n", optarg);
				return EXIT_USAGE;
			}
			a->landscape = strcmp(optarg, "landscape") == 0;
			break;
		case 'V': printf("kiosk %s\n", KIOSK_VERSION); exit(0);
		case 'h': usage(stdout); exit(0);
		default:
			fprintf(stderr, "kiosk: unknown or incomplete option '%s'\n",
				argv[optind - 1]);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if ((a->shots || a->a11y) && !a->script) {
		fprintf(stderr, "kiosk: %s needs --script\n", a->shots ? "--screenshots" : "--a11y-report");
		return EXIT_USAGE;
	}
	if (a->script && a->screenshot) {
		fputs("kiosk: --script and --screenshot exclude each other\n", stderr);
		return EXIT_USAGE;
	}
	if (optind < argc) {
		fprintf(stderr, "kiosk: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return EXIT_USAGE;
	}
	return 0;
}

/* After a UI script: the store the run left keeps the design's invariants (every paid order
 * dispensed or refunded, stock = restocks − dispenses, one event per change, the audit
 * chain) — whatever the script did, a run that breaks one fails. */
static int script_store_holds(const char *path)
{
	struct kiosk_store *st;
	char msg[512] = "";
	struct kiosk_store_opts o = {.path = path, .readonly = true};
	int rc = kiosk_store_open(&o, &st);
	if (rc == KIOSK_OK) {
		rc = kiosk_store_check(st, msg, sizeof msg);
		kiosk_store_close(st);
	}
	if (rc)
		fprintf(stderr, "kiosk: after the script, the store %s %s: %s\n", path,
			rc == KIOSK_ECORRUPT ? "breaks an invariant" : "cannot be checked",
			msg[0] ? msg : kiosk_strerror(rc));
	return rc;
}

static int load_config(const char *path, struct kiosk_config *cfg)
{
	struct kiosk_config_diag diag;
	kiosk_config_defaults(cfg);
	if (!path && access(DEFAULT_CONFIG, F_OK) == 0)
		path = DEFAULT_CONFIG;
	if (path && kiosk_config_load(path, cfg, &diag) != KIOSK_OK)
		return print_diag(path, &diag);
	return 0;
}

static int run(const struct args *a, const struct kiosk_config *cfg)
{
	struct ui *ui = NULL;
	struct kiosk_core *core = NULL;
	struct ui_app_opts uo = {cfg, a->headless, a->landscape, a->started_mono};
	/* One kiosk per store and per control socket, claimed before the screen starts: a
	 * second one says why and opens no window. */
	char why[512];
	struct kiosk_claim claim;
	int rc = kiosk_core_claim(cfg, &claim, why, sizeof why);
	if (rc) {
		fprintf(stderr, "kiosk: cannot start: %s\n", why[0] ? why : kiosk_strerror(rc));
		return EXIT_RUN;
	}
	rc = ui_app_open(&uo, &ui);
	if (rc)
		kiosk_claim_release(&claim);
	if (rc == KIOSK_ENODISPLAY) {
		fputs("kiosk: no display available.\n"
		      "  Run it on the panel (X11, Wayland, or the console through KMS/DRM), or\n"
		      "  without a screen: kiosk --headless --simulate --screenshot home.png\n",
		      stderr);
		return EXIT_RUN;
	}
	if (rc == KIOSK_ENOFONT) {
		fputs("kiosk: no Chinese (CJK) font found through fontconfig.\n"
		      "  Install one: apt-get install fonts-noto-cjk (or fonts-wqy-microhei),\n"
		      "  or name a font file in the config: \"ui\": {\"font\": \"/path/font.ttc\"}\n",
		      stderr);
		return EXIT_RUN;
	}
	if (rc) {
		fprintf(stderr, "kiosk: cannot start the screen: %s\n", kiosk_strerror(rc));
		return EXIT_RUN;
	}
	/* Simulated hardware comes with the demo neighbourhood, unless a map is configured. */
	static struct kiosk_config run_cfg;
	run_cfg = *cfg;
	if (a->simulate && !run_cfg.map_file[0])
		snprintf(run_cfg.map_file, sizeof run_cfg.map_file, "%.200s/demo/neighbourhood.osm",
			 ui_app_assets(ui));
	struct kiosk_core_opts co = {
		.cfg = &run_cfg,
		.claim = &claim,
		.simulate = a->simulate != 0,
		.notify = ui_app_notify,
		.notify_arg = ui,
		.test_clock = a->script != NULL,
	};
	rc = kiosk_core_start(&co, &core, why, sizeof why);
	if (rc) {
		fprintf(stderr, "kiosk: cannot start: %s\n", why[0] ? why : kiosk_strerror(rc));
		goto out_ui;
	}
	if (a->shots && (rc = kiosk_paths_make_dir(a->shots)) != KIOSK_OK) {
		fprintf(stderr, "kiosk: --screenshots %s: cannot create it: %s\n", a->shots,
			kiosk_strerror(rc));
		rc = EXIT_RUN;
		goto out_core;
	}
	if (a->script)
		rc = ui_script_run(ui, core, a->script, a->shots, a->a11y);
	else if (a->screenshot)
		rc = ui_app_screenshot(ui, core, 2000, a->screenshot);
	else
		rc = ui_app_run(ui, core);
out_core:
	kiosk_core_stop(core);
	if (a->script && rc == KIOSK_OK)
		rc = script_store_holds(run_cfg.store_path);
out_ui:
	ui_app_close(ui);
	/* The maintenance menu's "exit to desktop" is exit code 64, which the systemd unit
	 * does not restart (RestartPreventExitStatus=64). */
	if (!a->script && !a->screenshot && rc == 64)
		return 64;
	return rc ? EXIT_RUN : 0;
}

int main(int argc, char **argv)
{
	struct args a = {.started_mono = kiosk_mono_ms()};
	struct kiosk_config cfg;
	kiosk_alloc_long_running();
	int rc = parse_args(argc, argv, &a);
	if (rc)
		return rc;
	if (a.check) {
		rc = load_config(a.check, &cfg);
		if (rc == 0)
			printf("%s: ok\n", a.check);
		return rc;
	}
	rc = load_config(a.config, &cfg);
	if (rc)
		return rc;
	enum kiosk_log_level lvl;
	if (!getenv("KIOSK_LOG") && kiosk_log_parse_level(cfg.log_level, &lvl) == KIOSK_OK)
		kiosk_log_set_level(lvl);
	/* Local time for the clock on screen; logs and the store stay in UTC. */
	setenv("TZ", cfg.ui_timezone, 1);
	tzset();
	KLOG_INFO("main", "event=start version=%s device=%s simulate=%d headless=%d", KIOSK_VERSION,
		  cfg.device_id, a.simulate, a.headless);
	rc = run(&a, &cfg);
	KLOG_INFO("main", "event=exit code=%d", rc);
	return rc;
}
