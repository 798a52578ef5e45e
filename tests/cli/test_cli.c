/* The programs as a user runs them: exit codes, messages, and the headless screenshot. */
#include "../test.h"
#include "kiosk/flow/flow.h"
#include "../unit/store_fixture.h"
#include "kiosk/store/archive.h"
#include "hal/base/error.h"

#include <SDL.h>
#include <cjson/cJSON.h>
#include <SDL_image.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

struct run {
	int status; /* exit code, or 128+signal */
	char out[16384], err[65536];
};

/* Environment for the child: ours plus "K=V" overrides; "K=" (empty) removes K. */
static char **make_env(const char *const *over)
{
	size_t n = 0, m = 0;
	while (environ[n])
		n++;
	while (over && over[m])
		m++;
	char **env = calloc(n + m + 1, sizeof *env);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		int replaced = 0;
		for (size_t j = 0; j < m; j++) {
			size_t kl = (size_t)(strchr(over[j], '=') - over[j]);
			replaced |= strncmp(environ[i], over[j], kl + 1) == 0;
		}
		if (!replaced)
			env[k++] = environ[i];
	}
	for (size_t j = 0; j < m; j++)
		if (strchr(over[j], '=')[1])
			env[k++] = (char *)over[j];
	return env;
}

/* Starts argv with env over, its stdout and stderr in pipes; its stdin too when infd is
 * not NULL (a simulator's commands), else the test's own. */
static pid_t spawn_io(char *const argv[], const char *const *over, int *infd, int *outfd,
		      int *errfd)
{
	int pi[2] = {-1, -1}, po[2], pe[2];
	if ((infd && pipe2(pi, O_CLOEXEC)) || pipe2(po, O_CLOEXEC) || pipe2(pe, O_CLOEXEC))
		return -1;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	if (infd)
		posix_spawn_file_actions_adddup2(&fa, pi[0], 0);
	posix_spawn_file_actions_adddup2(&fa, po[1], 1);
	posix_spawn_file_actions_adddup2(&fa, pe[1], 2);
	char **env = make_env(over);
	pid_t pid;
	int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, env);
	posix_spawn_file_actions_destroy(&fa);
	free(env);
	if (infd) {
		close(pi[0]);
		*infd = pi[1];
	}
	close(po[1]);
	close(pe[1]);
	*outfd = po[0];
	*errfd = pe[0];
	return rc ? -1 : pid;
}

static pid_t spawn(char *const argv[], const char *const *over, int *outfd, int *errfd)
{
	return spawn_io(argv, over, NULL, outfd, errfd);
}

static pid_t spawn_fed(char *const argv[], int *infd, int *outfd, int *errfd)
{
	return spawn_io(argv, NULL, infd, outfd, errfd);
}

/* Reads both pipes until EOF (or until stop appears on stderr when stop is set). */
static void drain(int outfd, int errfd, struct run *r, const char *stop)
{
	size_t no = 0, ne = 0;
	struct pollfd p[2] = {{outfd, POLLIN, 0}, {errfd, POLLIN, 0}};
	int open_fds = 2;
	while (open_fds) {
		if (poll(p, 2, 10000) <= 0)
			break;
		for (int i = 0; i < 2; i++) {
			if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP)))
				continue;
			char *buf = i ? r->err : r->out;
			size_t *len = i ? &ne : &no, cap = i ? sizeof r->err : sizeof r->out;
			ssize_t got = read(p[i].fd, buf + *len, cap - 1 - *len);
			if (got <= 0) {
				p[i].fd = -1;
				open_fds--;
				continue;
			}
			*len += (size_t)got;
			buf[*len] = '\0';
		}
		if (stop && strstr(r->err, stop))
			return;
	}
}

static int wait_status(pid_t pid)
{
	int st;
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void run(char *const argv[], const char *const *env, struct run *r)
{
	int o, e;
	memset(r, 0, sizeof *r);
	pid_t pid = spawn(argv, env, &o, &e);
	CHECK(pid > 0);
	if (pid <= 0)
		return;
	drain(o, e, r, NULL);
	close(o);
	close(e);
	r->status = wait_status(pid);
}

#define D TEST_DATA_DIR "/"
#define MAXARG 12

static const struct {
	const char *name;
	const char *argv[MAXARG];
	const char *env[4];
	int status;
	const char *out, *err, *err2;
} table[] = {
	{"version", {KIOSK_BIN, "--version"}, {0}, 0, "kiosk " KIOSK_VERSION, NULL, NULL},
	{"help", {KIOSK_BIN, "--help"}, {0}, 0, "usage: kiosk", NULL, NULL},
	{"unknown flag", {KIOSK_BIN, "--bogus"}, {0}, 2, NULL, "unknown or incomplete option '--bogus'",
	 "usage: kiosk"},
	{"missing value", {KIOSK_BIN, "--config"}, {0}, 2, NULL, "option '--config'", "usage:"},
	{"stray argument", {KIOSK_BIN, "now"}, {0}, 2, NULL, "unexpected argument 'now'", "usage:"},
	{"check good config", {KIOSK_BIN, "--check-config", D "good.json"}, {0}, 0, "good.json: ok",
	 NULL, NULL},
	{"check bad config", {KIOSK_BIN, "--check-config", D "bad.json"}, {0}, 2, NULL,
	 "bad.json: $.lock.port: expected string", "bad.json: $.ui.idle_timeout_s: 1 is outside"},
	{"check missing config", {KIOSK_BIN, "--check-config", D "nope.json"}, {0}, 2, NULL,
	 "nope.json: cannot open: No such file", NULL},
	{"run with bad config", {KIOSK_BIN, "--headless", "--config", D "bad.json"}, {0}, 2, NULL,
	 "$.ui.lang: expected one of zh|en", NULL},
	{"no display", {KIOSK_BIN, "--simulate"}, {"SDL_VIDEODRIVER=x11", "DISPLAY=", "WAYLAND_DISPLAY="},
	 1, NULL, "no display available", "--headless"},
	{"no CJK font", {KIOSK_BIN, "--headless", "--screenshot", "/dev/null"},
	 {"FONTCONFIG_FILE=" D "nofonts.conf"}, 1, NULL, "no Chinese (CJK) font", "fonts-noto-cjk"},
	{"configured font missing", {KIOSK_BIN, "--headless", "--config", D "badfont.json",
	 "--screenshot", "/dev/null"}, {0}, 1, NULL, "font_missing file=/nonexistent/font.ttc",
	 "no Chinese (CJK) font"},
	{"failing script", {KIOSK_BIN, "--headless", "--simulate", "--config", D "run.json",
	 "--script", TEST_UI_DIR "/missing_widget.ui", "--screenshots", TEST_OUT_DIR}, {0}, 1, NULL,
	 "missing_widget.ui:2: tap: no visible widget", "screenshot: " TEST_OUT_DIR
	 "/missing_widget-fail.png"},
	{"locker without a port", {KIOSK_BIN, "--headless", "--config", D "real.json", "--screenshot",
	 "x.png"}, {0}, 1, NULL, "$.lock.port is empty", "--simulate"},
	/* The store the runs above made with --simulate holds the demo PINs. */
	{"demo store in a real run", {KIOSK_BIN, "--headless", "--config", D "run.json",
	 "--screenshot", "x.png"}, {0}, 1, NULL, "store kiosk.db is a demo store", "--simulate"},
	{"missing script", {KIOSK_BIN, "--headless", "--simulate", "--config", D "run.json", "--script",
	 D "nope.ui"}, {0}, 1, NULL,
	 "nope.ui: cannot open script", NULL},
	{"screenshots without script", {KIOSK_BIN, "--headless", "--screenshots", "/tmp"}, {0}, 2,
	 NULL, "--screenshots needs --script", NULL},
	{"kioskctl version", {KIOSKCTL_BIN, "--version"}, {0}, 0, "kioskctl " KIOSK_VERSION, NULL,
	 NULL},
	{"kioskctl help", {KIOSKCTL_BIN, "--help"}, {0}, 0, "usage: kioskctl", NULL, NULL},
	{"kioskctl unknown", {KIOSKCTL_BIN, "frobnicate"}, {0}, 2, NULL,
	 "unknown command or option 'frobnicate'", "usage:"},
	{"kioskctl nothing", {KIOSKCTL_BIN}, {0}, 2, NULL, "missing command", NULL},
	{"kioskctl command help", {KIOSKCTL_BIN, "locker", "--help"}, {0}, 0,
	 "usage: kioskctl locker list | open C", NULL, NULL},
	{"kioskctl hal help", {KIOSKCTL_BIN, "hal", "lock", "-h"}, {0}, 0,
	 "usage: kioskctl hal lock --driver D --port P", NULL, NULL},
	/* A class that does not exist is a usage error naming those that do. */
	{"kioskctl hal printer is print", {KIOSKCTL_BIN, "hal", "printer", "--help"}, {0}, 2, NULL,
	 "unknown device class 'printer' (classes: lock vend mdb usb print scan)", NULL},
	{"kioskctl sim printer needs a file", {KIOSKCTL_BIN, "sim", "printer"}, {0}, 2, NULL,
	 "kioskctl sim printer --out FILE", NULL},
	{"kioskctl hal unknown class", {KIOSKCTL_BIN, "hal", "door", "status"}, {0}, 2, NULL,
	 "unknown device class 'door' (classes: lock vend mdb usb print scan)", NULL},
	/* The printer's and the scanners' bench tools. */
	{"hal print test page", {KIOSKCTL_BIN, "hal", "print", "--device", "file:cli-receipt.bin",
	 "--test"}, {0}, 0, "printed the test page", NULL, NULL},
	{"hal print bad spec", {KIOSKCTL_BIN, "hal", "print", "--device", "printer0", "--test"},
	 {0}, 2, NULL, "printer0: not usb:VID:PID, lp:PATH, tcp:HOST:PORT or file:PATH", NULL},
	{"hal print gone", {KIOSKCTL_BIN, "hal", "print", "--device", "lp:/nonexistent/lp0",
	 "--status"}, {0}, 2, NULL, "/nonexistent/lp0: No such file", NULL},
	{"hal print nothing to do", {KIOSKCTL_BIN, "hal", "print", "--device", "file:x.bin"}, {0},
	 2, NULL, "usage: kioskctl hal usb list", NULL},
	{"hal usb list", {KIOSKCTL_BIN, "hal", "usb", "list"}, {0}, 0, "VID:PID", NULL, NULL},
	{"hal scan no scanner", {KIOSKCTL_BIN, "hal", "scan", "--device",
	 "serial:/nonexistent/ttyACM9", "--wait", "1"}, {0}, 2, NULL, "/nonexistent/ttyACM9", NULL},
	{"hal scan bad spec", {KIOSKCTL_BIN, "hal", "scan", "--device", "hid:zz:1"}, {0}, 2, NULL,
	 "hid:VID:PID: want two hex numbers", NULL},
	{"db check missing", {KIOSKCTL_BIN, "db", "check", "nope.db"}, {0}, 1, NULL,
	 "nope.db: no such database", NULL},
	{"db check garbage", {KIOSKCTL_BIN, "db", "check", D "bad.json"}, {0}, 1, NULL,
	 "bad.json: integrity check failed", NULL},
	{"db check foreign", {KIOSKCTL_BIN, "db", "check", "foreign.db"}, {0}, 1, NULL,
	 "foreign.db: unsupported version or foreign file", NULL},
	{"db usage", {KIOSKCTL_BIN, "db", "fix", "x.db"}, {0}, 2, NULL, "usage: kioskctl db", NULL},
	{"db check --full missing", {KIOSKCTL_BIN, "db", "check", "--full", "nope.db"}, {0}, 1,
	 NULL, "nope.db: no such database", NULL},
	{"db check bad option", {KIOSKCTL_BIN, "db", "check", "--whole", "x.db"}, {0}, 2, NULL,
	 "usage: kioskctl db check [--full] DB", NULL},
	{"outbox bad tail", {KIOSKCTL_BIN, "outbox", "x.db", "--tail", "ten"}, {0}, 2, NULL,
	 "--tail needs a positive number, got 'ten'", NULL},
	{"status nobody", {KIOSKCTL_BIN, "status", "--socket", "nobody.sock"}, {0}, 1, NULL,
	 "nobody.sock: no kiosk is running there", NULL},
	{"status bad config", {KIOSKCTL_BIN, "status", "--config", D "bad.json"}, {0}, 2, NULL,
	 "$.lock.port: expected string", NULL},
	/* the neighbourhood map and the directory, on a store file */
	{"map import demo", {KIOSKCTL_BIN, "map", "import", ASSETS_DIR "/demo/neighbourhood.osm",
	 "--db", "map.db"}, {0}, 0, "72 places", NULL, NULL},
	{"map import credits the demo's words", {KIOSKCTL_BIN, "map", "import",
	 ASSETS_DIR "/demo/neighbourhood.osm", "--db", "credit.db"}, {0}, 0,
	 "credited on screen: 虚构示例街区 · Fictional demo\n", NULL, NULL},
	{"map import credits OSM", {KIOSKCTL_BIN, "map", "import",
	 D "../../data/osm/berlin-siegessaeule.osm.gz", "--db", "credit.db"}, {0}, 0,
	 "credited on screen: © OpenStreetMap contributors\n", NULL, NULL},
	{"map import not a map", {KIOSKCTL_BIN, "map", "import", D "bad.json", "--db", "map.db"}, {0},
	 1, NULL, "not a GeoJSON FeatureCollection", "nothing imported"},
	{"map import missing", {KIOSKCTL_BIN, "map", "import", D "nope.osm", "--db", "map.db"}, {0},
	 1, NULL, "nope.osm: No such file", NULL},
	/* 一刻钟达标 over the whole map, by the shipped standard; an item with no place on the
	 * map says so (not 0 minutes); an operator's broken standard is named */
	{"report coverage", {KIOSKCTL_BIN, "report", "coverage", "--db", "map.db", "--from",
	 "31.2260,121.46997"}, {0}, 0, "| 维修 Repairs | 15 分钟 | 基础保障类 | 21 | 100% |", NULL,
	 NULL},
	{"report coverage json", {KIOSKCTL_BIN, "report", "coverage", "--db", "map.db", "--from",
	 "31.2260,121.46997", "--json"}, {0}, 0,
	 "{\"category\":\"convenience\",\"threshold_min\":5,\"tier\":\"basic\",\"places\":6,", NULL,
	 NULL},
	{"report coverage none on the map", {KIOSKCTL_BIN, "report", "coverage", "--db",
	 "credit.db", "--from", "52.5145,13.3501"}, {0}, 0,
	 "| 托育 Childcare | 15 分钟 | 基础保障类 | 0 | 本图内没有 none on this map | - | - | - |",
	 NULL, NULL},
	{"report coverage bad standard", {KIOSKCTL_BIN, "report", "coverage", "--db", "map.db",
	 "--standard", D "standard_bad.json"}, {0}, 1, NULL,
	 "$.items[0].minutes: expected an integer 1..60", NULL},
	{"report coverage no such db", {KIOSKCTL_BIN, "report", "coverage", "--db", "nope.db"}, {0},
	 1, NULL, "nope.db: no such database", NULL},
	{"report coverage html", {KIOSKCTL_BIN, "report", "coverage", "--db", "map.db", "--from",
	 "31.2260,121.46997", "--category", "key", "--out", "coverage.html"}, {0}, 0,
	 "wrote coverage.html", NULL, NULL},
	{"report coverage wrong kind", {KIOSKCTL_BIN, "report", "coverage", "--db", "map.db",
	 "--out", "coverage.docx"}, {0}, 2, NULL,
	 "coverage.docx: write a .html, .csv, .json or .png", NULL},
	{"report coverage category nobody counts", {KIOSKCTL_BIN, "report", "coverage", "--db",
	 "map.db", "--category", "bank", "--out", "c.png"}, {0}, 2, NULL,
	 "--category bank: no item of the standard counts it", NULL},
	{"report what", {KIOSKCTL_BIN, "report", "sales", "--db", "map.db"}, {0}, 2, NULL,
	 "usage: kioskctl report coverage", NULL},
	{"map times", {KIOSKCTL_BIN, "map", "times", "--db", "map.db", "--from", "31.2260,121.46997"},
	 {0}, 0, "id\tcategory\tname\tmetres\tseconds\n", NULL, NULL},
	{"map times bad from", {KIOSKCTL_BIN, "map", "times", "--db", "map.db", "--from", "north"},
	 {0}, 2, NULL, "--from north: want LAT,LON", NULL},
	{"map times bad speed", {KIOSKCTL_BIN, "map", "times", "--db", "map.db", "--speed", "0"},
	 {0}, 2, NULL, "--speed 0: want metres per second", NULL},
	{"map without db", {KIOSKCTL_BIN, "map", "times"}, {0}, 2, NULL, "--db DB is needed", NULL},
	{"directory by initials", {KIOSKCTL_BIN, "directory", "search", "--db", "map.db", "--from",
	 "31.2260,121.46997", "xx"}, {0}, 0, "\tshoe\t修鞋铺\t", NULL, NULL},
	{"directory polyphone", {KIOSKCTL_BIN, "directory", "search", "--db", "map.db", "yh"}, {0},
	 0, "\tbank\t工商银行\t", NULL, NULL},
	{"directory bad category", {KIOSKCTL_BIN, "directory", "search", "--db", "map.db",
	 "--category", "robots", "x"}, {0}, 2, NULL, "--category robots: not one of ours", NULL},
	{"directory nothing found", {KIOSKCTL_BIN, "directory", "search", "--db", "map.db", "qqqq"},
	 {0}, 1, "id\tcategory", NULL, NULL},
};

static void exit_codes_and_messages(void)
{
	static struct run r;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		run((char *const *)table[i].argv, table[i].env, &r);
		if (r.status != table[i].status)
			fprintf(stderr, "case '%s': exit %d, expected %d\nstderr:\n%s\n", table[i].name,
				r.status, table[i].status, r.err);
		CHECK_INT(r.status, table[i].status);
		if (table[i].out)
			CHECK_HAS(r.out, table[i].out);
		if (table[i].err)
			CHECK_HAS(r.err, table[i].err);
		if (table[i].err2)
			CHECK_HAS(r.err, table[i].err2);
	}
}

/* Loads a PNG and checks it is w×h and really drawn: many colours, and ink (dark text)
 * on the light background in the area below the header. */
static void check_png(const char *path, int w, int h)
{
	SDL_Surface *raw = IMG_Load(path);
	CHECK(raw != NULL);
	if (!raw) {
		fprintf(stderr, "IMG_Load(%s): %s\n", path, IMG_GetError());
		return;
	}
	SDL_Surface *s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
	SDL_FreeSurface(raw);
	CHECK_INT(s->w, w);
	CHECK_INT(s->h, h);
	uint32_t seen[256];
	int nseen = 0, dark = 0, samples = 0;
	for (int y = 0; y < s->h; y += 3) {
		const uint32_t *row = (const uint32_t *)((const uint8_t *)s->pixels + y * s->pitch);
		for (int x = 0; x < s->w; x += 3) {
			uint32_t px = row[x];
			int lum = (int)(((px >> 16) & 0xFF) + ((px >> 8) & 0xFF) + (px & 0xFF)) / 3;
			samples++;
			dark += lum < 80;
			int known = 0;
			for (int k = 0; k < nseen && !known; k++)
				known = seen[k] == px;
			if (!known && nseen < 256)
				seen[nseen++] = px;
		}
	}
	CHECK(nseen >= 64);             /* anti-aliased text and tiles, not a flat fill */
	CHECK(dark > samples / 200);    /* there is dark ink somewhere */
	CHECK(dark < samples / 2);      /* and it is not a black screen */
	SDL_FreeSurface(s);
}

static void headless_screenshot(void)
{
	static struct run r;
	const char *png = TEST_OUT_DIR "/home-portrait.png";
	unlink(png);
	const char *argv[] = {KIOSK_BIN,      "--headless", "--simulate", "--config",
			      D "run.json", "--screenshot", png,         NULL};
	run((char *const *)argv, NULL, &r);
	CHECK_INT(r.status, 0);
	CHECK_HAS(r.err, "event=screenshot");
	CHECK_HAS(r.err, "size=1080x1920");
	check_png(png, 1080, 1920);

	png = TEST_OUT_DIR "/home-landscape.png";
	const char *argv2[] = {KIOSK_BIN,  "--headless",   "--simulate", "--config", D "run.json",
			       "--landscape", "--screenshot", png,         NULL};
	run((char *const *)argv2, NULL, &r);
	CHECK_INT(r.status, 0);
	check_png(png, 1920, 1080);
}

/* An assets folder without icons: the home screen still draws (placeholder boxes), and
 * the missing file is named in the log. */
static void missing_icons_fall_back_visibly(void)
{
	static struct run r;
	CHECK(system("rm -rf noicons && mkdir -p noicons/i18n && cp " ASSETS_DIR "/i18n/*.po noicons/i18n/") == 0);
	FILE *f = fopen("noicons.json", "w");
	fputs("{\"device\":{\"key_file\":\"device.key\"},\"store\":{\"path\":\"kiosk.db\"},"
	      "\"control\":{\"socket\":\"control.sock\"},\"ui\":{\"assets\":\"noicons\"}}",
	      f);
	fclose(f);
	const char *argv[] = {KIOSK_BIN, "--headless", "--simulate", "--config", "noicons.json",
			      "--screenshot", "noicons.png", NULL};
	run((char *const *)argv, NULL, &r);
	CHECK_INT(r.status, 0);
	CHECK_HAS(r.err, "event=image_missing file=noicons/icons/pickup.svg");
	check_png("noicons.png", 1080, 1920);
}

/* A state folder any user may write is refused, naming it and the fix, and nothing is
 * made in it: someone else could move the store aside and the kiosk would start empty. */
static void world_writable_state_folder_is_refused(void)
{
	static struct run r;
	CHECK(system("rm -rf openfolder && mkdir openfolder && chmod 0777 openfolder") == 0);
	FILE *f = fopen("openfolder.json", "w");
	fputs("{\"device\":{\"key_file\":\"openfolder/device.key\"},"
	      "\"store\":{\"path\":\"openfolder/kiosk.db\"},"
	      "\"control\":{\"socket\":\"openfolder.sock\"}}",
	      f);
	fclose(f);
	const char *argv[] = {KIOSK_BIN, "--headless", "--simulate", "--config", "openfolder.json",
			      "--screenshot", "openfolder.png", NULL};
	run((char *const *)argv, NULL, &r);
	CHECK(r.status != 0);
	CHECK_HAS(r.err, "folder openfolder (for openfolder/kiosk.db) can be written by any user");
	CHECK_HAS(r.err, "chmod 700 openfolder");
	struct stat sb;
	CHECK(stat("openfolder/kiosk.db", &sb) != 0);
	CHECK(stat("openfolder/device.key", &sb) != 0);
	/* made private, it runs */
	CHECK(system("chmod 0700 openfolder") == 0);
	run((char *const *)argv, NULL, &r);
	CHECK_INT(r.status, 0);
}

/* With $.ui.click_sound a tap makes a sound: SDL's "disk" audio driver writes what would
 * be played to a file, where the click must show up as non-silent samples. */
static void click_sound_when_enabled(void)
{
	static struct run r;
	FILE *f = fopen("click.json", "w");
	fputs("{\"device\":{\"key_file\":\"device.key\"},\"store\":{\"path\":\"kiosk.db\"},"
	      "\"control\":{\"socket\":\"control.sock\"},\"ui\":{\"click_sound\":true}}",
	      f);
	fclose(f);
	f = fopen("click.ui", "w");
	fputs("tap home.help\nwait 100\ntap nav.back\n", f);
	fclose(f);
	unlink("click.raw");
	const char *argv[] = {KIOSK_BIN, "--headless", "--simulate", "--config", "click.json",
			      "--script", "click.ui", NULL};
	const char *env[] = {"SDL_AUDIODRIVER=disk", "SDL_DISKAUDIOFILE=click.raw",
			     "SDL_DISKAUDIODELAY=1", NULL};
	run((char *const *)argv, env, &r);
	CHECK_INT(r.status, 0);
	f = fopen("click.raw", "rb");
	CHECK(f != NULL);
	long loud = 0;
	short sample;
	while (f && fread(&sample, sizeof sample, 1, f) == 1)
		loud += sample > 2000 || sample < -2000;
	if (f)
		fclose(f);
	CHECK(loud > 10);
}

/* The technician's tools: a simulated WKLY board on a pty, the bench tool against it. */
/* Spoken guidance reaches the sound device: 长辈模式 on, the home screen's instruction is
 * synthesised (espeak-ng, Mandarin) and played; SDL's disk driver records the samples. */
static void speech_is_heard(void)
{
	static struct run r;
	FILE *f = fopen("speech.json", "w");
	fputs("{\"device\":{\"key_file\":\"device.key\"},\"store\":{\"path\":\"kiosk.db\"},"
	      "\"control\":{\"socket\":\"control.sock\"},\"ui\":{\"speech\":true}}",
	      f);
	fclose(f);
	f = fopen("speech.ui", "w");
	fputs("tap home.elderly\nexpect-spoken 请点您要办的事\n", f);
	fclose(f);
	unlink("speech.raw");
	const char *argv[] = {KIOSK_BIN, "--headless", "--simulate", "--config", "speech.json",
			      "--script", "speech.ui", NULL};
	const char *env[] = {"SDL_AUDIODRIVER=disk", "SDL_DISKAUDIOFILE=speech.raw",
			     "SDL_DISKAUDIODELAY=1", NULL};
	run((char *const *)argv, env, &r);
	CHECK_INT(r.status, 0);
	CHECK_HAS(r.err, "event=spoken lang=zh text=\"请点您要办的事");
	f = fopen("speech.raw", "rb");
	CHECK(f != NULL);
	long loud = 0;
	short sample;
	while (f && fread(&sample, sizeof sample, 1, f) == 1)
		loud += sample > 1000 || sample < -1000;
	if (f)
		fclose(f);
	CHECK(loud > 2000); /* a sentence, not a click */
}

static void lock_tools(void)
{
	static struct run r, sim;
	memset(&sim, 0, sizeof sim);
	const char *simv[] = {KIOSKCTL_BIN, "sim", "lock", "--driver", "wkly-24", "--link",
			      "lockbus", "--boards", "2", "--fault", "jam:1:9", NULL};
	int o, e;
	pid_t pid = spawn((char *const *)simv, NULL, &o, &e);
	CHECK(pid > 0);
	for (int i = 0; i < 100 && access("lockbus", F_OK) != 0; i++)
		usleep(10000);
	const char *open3[] = {KIOSKCTL_BIN, "hal", "lock", "--driver", "wkly-24", "--port",
			       "lockbus", "--board", "1", "open", "3", NULL};
	run((char *const *)open3, NULL, &r);
	CHECK_INT(r.status, 0);
	CHECK_HAS(r.out, "board 1 lock  3: open");
	CHECK_HAS(r.out, "board 1 lock  4: closed");
	const char *jam[] = {KIOSKCTL_BIN, "hal", "lock", "--driver", "wkly-24", "--port",
			     "lockbus", "--board", "1", "open", "9", NULL};
	run((char *const *)jam, NULL, &r);
	CHECK_INT(r.status, 1);
	CHECK_HAS(r.err, "board 1 lock 9: door stayed shut: jammed");
	const char *absent[] = {KIOSKCTL_BIN, "hal", "lock", "--driver", "wkly-24", "--port",
				"lockbus", "--board", "5", "status", NULL};
	run((char *const *)absent, NULL, &r);
	CHECK_INT(r.status, 1);
	CHECK_HAS(r.err, "board 5: no reply from the board");
	const char *nodrv[] = {KIOSKCTL_BIN, "hal", "lock", "--driver", "acme", "--port",
			       "lockbus", "status", NULL};
	run((char *const *)nodrv, NULL, &r);
	CHECK_INT(r.status, 1);
	CHECK_HAS(r.err, "no such port or driver");
	const char *badsim[] = {KIOSKCTL_BIN, "sim", "lock", "--driver", "kerong-cu16", "--link",
				"other", "--fault", "explode", NULL};
	run((char *const *)badsim, NULL, &r);
	CHECK_INT(r.status, 2);
	CHECK_HAS(r.err, "unknown fault 'explode'");
	kill(pid, SIGTERM);
	drain(o, e, &sim, NULL);
	close(o);
	close(e);
	CHECK_INT(wait_status(pid), 0);
	CHECK_HAS(sim.out, "simulating 2 wkly-24 board(s) at lockbus");
	CHECK(access("lockbus", F_OK) != 0); /* the link goes with the simulator */
}

/* The vending board's bench tool against its simulator on a pty: a sale's dispense with
 * the drop sensor (every report sent twice, and its first ACK lost: resent, acted on
 * once), a jammed slot, a
 * slot with no motor, a slot checked; refusals (a slot that is no number, no board on the
 * port, a board that never polls) in words with their exit codes. */
static void vend_tools(void)
{
	static struct run r, sim, quiet;
	memset(&sim, 0, sizeof sim);
	memset(&quiet, 0, sizeof quiet);
	const char *simv[] = {KIOSKCTL_BIN, "sim", "vend", "--driver", "fafb", "--link", "vendbus",
			      "--fault", "jam:3", "--fault", "no-motor:4", "--fault", "lost-ack",
			      "--fault", "resend", NULL};
	const char *silentv[] = {KIOSKCTL_BIN, "sim",	"vend",	    "--driver", "fafb", "--link",
				 "silentbus",  "--fault", "silent", NULL};
	int o, e, o2, e2;
	pid_t pid = spawn((char *const *)simv, NULL, &o, &e);
	pid_t pid2 = spawn((char *const *)silentv, NULL, &o2, &e2);
	CHECK(pid > 0 && pid2 > 0);
	for (int i = 0; i < 100 && (access("vendbus", F_OK) || access("silentbus", F_OK)); i++)
		usleep(10000);
	static const struct {
		const char *op, *slot;
		int status;
		const char *out;
	} cases[] = {
		{"dispense", "1", 0, "slot 1: dispensed"},
		{"dispense", "3", 1, "slot 3: jammed"},
		{"dispense", "4", 1, "slot 4: no motor"},
		{"check", "2", 0, "slot 2: normal"},
		{"dispense", "1", 0, "slot 1: dispensed"}, /* a second run: its own PackNO */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *v[] = {KIOSKCTL_BIN, "hal",	    "vend",	    "--driver", "fafb",
				   "--port",	 "vendbus", cases[i].op, cases[i].slot, NULL};
		run((char *const *)v, NULL, &r);
		CHECK_INT(r.status, cases[i].status);
		CHECK_HAS(r.out, cases[i].out);
	}
	const char *badslot[] = {KIOSKCTL_BIN, "hal",	  "vend",     "--driver", "fafb",
				 "--port",     "vendbus", "dispense", "0",	  NULL};
	run((char *const *)badslot, NULL, &r);
	CHECK_INT(r.status, 2);
	CHECK_HAS(r.err, "slot '0': expected 1..65535");
	const char *noport[] = {KIOSKCTL_BIN, "hal",	"vend",	    "--driver", "fafb",
				"--port",     "nobus", "dispense", "1",	NULL};
	run((char *const *)noport, NULL, &r);
	CHECK_INT(r.status, 2);
	CHECK_HAS(r.err, "kioskctl: nobus:");
	const char *silent[] = {KIOSKCTL_BIN, "hal",	    "vend",	"--driver", "fafb",
				"--port",     "silentbus", "dispense", "1",	    NULL};
	run((char *const *)silent, NULL, &r);
	CHECK_INT(r.status, 2);
	CHECK_HAS(r.err, "no board on silentbus (no POLL within 2 s)");
	kill(pid, SIGTERM);
	kill(pid2, SIGTERM);
	drain(o, e, &sim, NULL);
	drain(o2, e2, &quiet, NULL);
	close(o), close(e), close(o2), close(e2);
	CHECK_INT(wait_status(pid), 0);
	CHECK_INT(wait_status(pid2), 0);
	CHECK_HAS(sim.out, "simulating a fafb drive board (20 slots, 5 each) at vendbus");
	CHECK(access("vendbus", F_OK) != 0 && access("silentbus", F_OK) != 0);
}

/* The MDB bench tool against the simulated adapter: every device found and named; one
 * cashless sale approved with a card tapped (on the simulator's stdin), none without a
 * card, one denied by the reader; refusals (no device, a link not built, no adapter). */
static void mdb_tools(void)
{
	static struct run r, sim, bare;
	memset(&sim, 0, sizeof sim);
	memset(&bare, 0, sizeof bare);
	const char *simv[] = {KIOSKCTL_BIN, "sim",    "mdb",	 "--link", "mdbbus",
			      "--cashless", "--coin", "--bill", NULL};
	const char *barev[] = {KIOSKCTL_BIN, "sim", "mdb", "--link", "emptybus", NULL};
	int in, o, e, in2, o2, e2;
	pid_t pid = spawn_fed((char *const *)simv, &in, &o, &e);
	pid_t pid2 = spawn_fed((char *const *)barev, &in2, &o2, &e2);
	CHECK(pid > 0 && pid2 > 0);
	for (int i = 0; i < 100 && (access("mdbbus", F_OK) || access("emptybus", F_OK)); i++)
		usleep(10000);
	const char *probe[] = {KIOSKCTL_BIN, "hal", "mdb", "--link", "adapter", "--port", "mdbbus",
			       "probe", NULL};
	run((char *const *)probe, NULL, &r);
	CHECK_INT(r.status, 0);
	CHECK_HAS(r.out, "cashless reader: level 1, scale 1, decimals 2");
	CHECK_HAS(r.out, "coin changer: level 3, scale 10; tubes: 20 × 0.10, 10 × 0.50, 8 × 1.00");
	CHECK_HAS(r.out, "bill validator: level 1, scale 100; bills: 1.00 5.00 10.00");
	const char *vend[] = {KIOSKCTL_BIN, "hal",	     "mdb", "--link", "adapter", "--port",
			      "mdbbus",	    "cashless-vend", "150", "12",     "--wait",	 "5",
			      NULL};
	CHECK(write(in, "tap 500\n", 8) == 8);
	run((char *const *)vend, NULL, &r);
	CHECK_INT(r.status, 0);
	CHECK_HAS(r.out, "approved: 1.50 yuan for item 12 (the card had 5.00)");
	const char *nocard[] = {KIOSKCTL_BIN, "hal",	       "mdb", "--link", "adapter", "--port",
				"mdbbus",     "cashless-vend", "150", "12",	"--wait",  "1",
				NULL};
	run((char *const *)nocard, NULL, &r);
	CHECK_INT(r.status, 1);
	CHECK_HAS(r.out, "no card within 1 s");
	CHECK(write(in, "fault deny\ntap 500\n", 19) == 19);
	run((char *const *)vend, NULL, &r);
	CHECK_INT(r.status, 1);
	CHECK_HAS(r.out, "denied: 1.50 yuan for item 12");
	const char *none[] = {KIOSKCTL_BIN, "hal", "mdb", "--link", "adapter", "--port",
			      "emptybus", "probe", NULL};
	run((char *const *)none, NULL, &r);
	CHECK_INT(r.status, 1);
	CHECK_HAS(r.out, "no device answered");
	const char *uart9[] = {KIOSKCTL_BIN, "hal", "mdb", "--link", "uart9", "--port", "nobus9",
			       "probe", NULL};
	run((char *const *)uart9, NULL, &r);
	CHECK_INT(r.status, 2);
	CHECK_HAS(r.err, "no MDB uart9 link on nobus9");
	const char *usb9[] = {KIOSKCTL_BIN, "hal", "mdb", "--link", "usb9", "--port", "mdbbus",
			      "probe", NULL};
	run((char *const *)usb9, NULL, &r);
	CHECK_INT(r.status, 2);
	CHECK_HAS(r.err, "no MDB link \"usb9\" (there are: adapter, uart9)");
	const char *noad[] = {KIOSKCTL_BIN, "hal", "mdb", "--link", "adapter", "--port", "nobus",
			      "probe", NULL};
	run((char *const *)noad, NULL, &r);
	CHECK_INT(r.status, 2);
	CHECK_HAS(r.err, "no MDB adapter link on nobus");
	close(in);
	close(in2);
	kill(pid, SIGTERM);
	kill(pid2, SIGTERM);
	drain(o, e, &sim, NULL);
	drain(o2, e2, &bare, NULL);
	close(o), close(e), close(o2), close(e2);
	CHECK_INT(wait_status(pid), 0);
	CHECK_INT(wait_status(pid2), 0);
	CHECK_HAS(sim.out, "tap 500: ok");
	CHECK_HAS(sim.out, "fault deny: ok");
	CHECK(access("mdbbus", F_OK) != 0 && access("emptybus", F_OK) != 0);
}

static void sigterm_shuts_down_cleanly(void)
{
	static struct run r;
	memset(&r, 0, sizeof r);
	const char *argv[] = {KIOSK_BIN, "--headless", "--simulate", "--config", D "run.json", NULL};
	int o, e;
	pid_t pid = spawn((char *const *)argv, NULL, &o, &e);
	CHECK(pid > 0);
	drain(o, e, &r, "mod=ui event=ready");
	CHECK_HAS(r.err, "event=ready");
	/* One kiosk per store: a second one on the same config stops before it touches the
	 * store, the socket or a port, and says who holds it. */
	static struct run st;
	run((char *const *)argv, NULL, &st);
	CHECK_INT(st.status, 1);
	char holder[128];
	snprintf(holder, sizeof holder, "another kiosk is running (pid %ld)", (long)pid);
	CHECK_HAS(st.err, holder);
	CHECK(strstr(st.err, "mod=store") == NULL && strstr(st.err, "mod=control") == NULL);
	CHECK(strstr(st.err, "mod=ui") == NULL); /* nor opens a window */
	/* A second kiosk with a store of its own but the same control socket: refused the
	 * same way, before the screen, and the first one keeps its socket (below). */
	const char *same_socket[] = {KIOSK_BIN, "--headless", "--simulate", "--config",
				     D "run_same_socket.json", NULL};
	run((char *const *)same_socket, NULL, &st);
	CHECK_INT(st.status, 1);
	snprintf(holder, sizeof holder, "another kiosk is running (pid %ld) on control socket",
		 (long)pid);
	CHECK_HAS(st.err, holder);
	CHECK(strstr(st.err, "mod=ui") == NULL && strstr(st.err, "mod=control") == NULL);
	CHECK(access("second/kiosk.db", F_OK) != 0); /* its store was not even made */
	/* umask 0 (set in main), and still the store's files are the kiosk's alone. */
	static const char *const priv[] = {"kiosk.db", "kiosk.db-wal", "kiosk.db-shm",
					   "device.key", "kiosk.db.lock"};
	for (size_t i = 0; i < sizeof priv / sizeof priv[0]; i++) {
		struct stat sb;
		CHECK(stat(priv[i], &sb) == 0);
		if ((sb.st_mode & 0777) != 0600)
			fprintf(stderr, "%s: mode %o\n", priv[i], (unsigned)(sb.st_mode & 0777));
		CHECK((sb.st_mode & 0777) == 0600);
	}
	/* A map is not imported into the running kiosk's store (its write lock held while
	 * residents wait): refused at once, saying what to do instead, nothing changed. */
	const char *imp[] = {KIOSKCTL_BIN, "map", "import", ASSETS_DIR "/demo/neighbourhood.osm",
			     "--db", "kiosk.db", NULL};
	run((char *const *)imp, NULL, &st);
	CHECK_INT(st.status, 1);
	snprintf(holder, sizeof holder, "a kiosk is running (pid %ld) on kiosk.db: nothing imported",
		 (long)pid);
	CHECK_HAS(st.err, holder);
	CHECK_HAS(st.err, "map.file");
	/* The operator's CLI reaches the running kiosk over its control socket (the second
	 * one did not take it over or remove it). */
	const char *ctl[] = {KIOSKCTL_BIN, "status", "--config", D "run.json", NULL};
	/* asked until the simulated printer has answered its first status question */
	for (int i = 0; i < 200; i++) {
		run((char *const *)ctl, NULL, &st);
		if (st.status != 0 || strstr(st.out, "\"printer\":\"simulated\""))
			break;
	}
	CHECK_INT(st.status, 0);
	CHECK_HAS(st.out, "\"device\":\"K-TEST\"");
	CHECK_HAS(st.out, "\"store\":\"ok\"");
	CHECK_HAS(st.out, "\"lock\":\"simulated\"");
	/* --simulate plays every device: the vending board, the MDB card reader, coin changer
	 * and bill validator, a network receipt printer and a serial scanner; residents pay
	 * the machine by card or cash (QR only where a platform is linked: this kiosk has
	 * none), and the changer's tubes are counted. */
	CHECK_HAS(st.out, "\"vend\":\"simulated\"");
	CHECK_HAS(st.out, "\"mdb\":\"simulated\"");
	CHECK_HAS(st.out, "\"payment_methods\":[\"card\",\"cash\"]");
	CHECK_HAS(st.out, "\"mdb_devices\":{\"card\":\"ok\",\"coin\":\"ok\",\"bill\":\"ok\"}");
	CHECK_HAS(st.out, "\"coin_tubes\":[{\"fen\":10,\"coins\":20},");
	CHECK_HAS(st.out, "\"printer\":\"simulated\"");
	CHECK_HAS(st.out, "\"scanner\":\"simulated\"");
	/* The vending machine's audit file, read beside the running kiosk: the demo planogram
	 * with no sale yet, written whole to --out; a bad option changes nothing. */
	const char *dex[] = {KIOSKCTL_BIN, "dex", "export", "--config", D "run.json", NULL};
	run((char *const *)dex, NULL, &st);
	CHECK_INT(st.status, 0);
	CHECK_HAS(st.out, "DXS*K-TEST*VA*V0/6*1\r\nST*001*0001\r\n");
	CHECK_HAS(st.out, "VA1*0*0*0*0\r\n");
	CHECK_HAS(st.out, "PA1*12*2500*umbrella\r\nPA2*0*0*0*0\r\n");
	CHECK_HAS(st.out, "DXE*1*1\r\n");
	const char *dex_out[] = {KIOSKCTL_BIN, "dex", "export", "--config", D "run.json", "--out",
				 "audit.dex", NULL};
	run((char *const *)dex_out, NULL, &st);
	CHECK_INT(st.status, 0);
	CHECK(access("audit.dex", F_OK) == 0 && access("audit.dex.tmp", F_OK) != 0);
	const char *dex_bad[] = {KIOSKCTL_BIN, "dex", "export", "--out", NULL};
	run((char *const *)dex_bad, NULL, &st);
	CHECK_INT(st.status, 2);
	CHECK_HAS(st.err, "incomplete option '--out'");
	/* … and to its locker bank. */
	static const struct {
		const char *a, *b;
		int status;
		const char *out;
	} lk[] = {
		{"list", NULL, 0, "{\"id\":\"A03\",\"size\":\"L\",\"state\":\"free\",\"door\":\"closed\"}"},
		{"open", "A02", 0, "\"result\":\"ok\""},
		{"disable", "A03", 0, "\"result\":\"ok\""},
		{"open", "A03", 1, "\"error\":\"ESTATE\""},
		{"enable", "A03", 0, "\"result\":\"ok\""},
		{"open", "Z99", 1, "\"error\":\"ENOENT\""},
		{"explode", "A01", 1, "\"error\":\"EINVAL\""},
	};
	for (size_t i = 0; i < sizeof lk / sizeof lk[0]; i++) {
		const char *lv[] = {KIOSKCTL_BIN, "locker", "--config", D "run.json", lk[i].a, lk[i].b,
				    NULL};
		run((char *const *)lv, NULL, &st);
		CHECK_INT(st.status, lk[i].status);
		CHECK_HAS(st.out, lk[i].out);
	}
	const char *lv[] = {KIOSKCTL_BIN, "locker", "--config", D "run.json", "list", NULL};
	run((char *const *)lv, NULL, &st);
	CHECK_HAS(st.out, "{\"id\":\"A02\",\"size\":\"M\",\"state\":\"free\",\"door\":\"open\"}");
	kill(pid, SIGTERM);
	drain(o, e, &r, NULL);
	close(o);
	close(e);
	CHECK_INT(wait_status(pid), 0);
	CHECK_HAS(r.err, "event=loop_end");
	CHECK_HAS(r.err, "event=exit code=0");

	/* What it left behind is a sound store. */
	const char *chk[] = {KIOSKCTL_BIN, "db", "check", "kiosk.db", NULL};
	run((char *const *)chk, NULL, &st);
	CHECK_INT(st.status, 0);
	CHECK_HAS(st.out, "kiosk.db: ok");
}

static void outbox_masks_codes_and_check_finds_damage(void)
{
	static struct run r;
	char path[256], code[9], parcel[37];
	struct kiosk_store *st;
	struct kiosk_door door;
	fx_path(path, sizeof path);
	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
	fx_seed(st);
	kiosk_parcel_deposit_begin(st, "C1", "SF77", "13812345678", KIOSK_SIZE_S, parcel, &door);
	kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED);
	CHECK_INT(kiosk_parcel_deposit_commit(st, parcel, code), KIOSK_OK);
	kiosk_slot_restock(st, "A1", 2, "OP1");
	kiosk_store_close(st);

	const char *ob[] = {KIOSKCTL_BIN, "outbox", path, "--tail", "5", NULL};
	run((char *const *)ob, NULL, &r);
	CHECK_INT(r.status, 0);
	CHECK_HAS(r.out, "\"type\":\"parcel.deposited\"");
	CHECK_HAS(r.out, "\"pickup_code\":\"********\"");
	CHECK_HAS(r.out, "\"type\":\"inventory.restocked\"");
	CHECK(strstr(r.out, code) == NULL);
	const char *stats[] = {KIOSKCTL_BIN, "db", "stats", path, NULL};
	run((char *const *)stats, NULL, &r);
	CHECK_INT(r.status, 0);
	CHECK_HAS(r.out, "\"parcel\":1");
	CHECK_HAS(r.out, "\"outbox_unsent\":2");
	/* A file name with a quote and a backslash still gives valid JSON naming it. */
	char odd[300];
	snprintf(odd, sizeof odd, "%.*s/we\"ird\\.db", (int)(strrchr(path, '/') - path), path);
	CHECK(link(path, odd) == 0);
	const char *stats2[] = {KIOSKCTL_BIN, "db", "stats", odd, NULL};
	run((char *const *)stats2, NULL, &r);
	CHECK_INT(r.status, 0);
	cJSON *j = cJSON_Parse(r.out);
	CHECK(j != NULL);
	CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(j, "file")), odd);
	CHECK_INT((int)cJSON_GetNumberValue(cJSON_GetObjectItem(j, "parcel")), 1);
	cJSON_Delete(j);

	sqlite3 *db;
	sqlite3_open(path, &db);
	sqlite3_exec(db, "UPDATE audit SET detail = '{}' WHERE n = 2", NULL, NULL, NULL);
	sqlite3_close(db);
	const char *chk[] = {KIOSKCTL_BIN, "db", "check", path, NULL};
	run((char *const *)chk, NULL, &r);
	CHECK_INT(r.status, 1);
	CHECK_HAS(r.err, "audit chain broken at row 2");
	fx_cleanup(path);
}

/* db check from the checkpoint, and --full through the archive beside the store. */
static void check_full_reads_the_archive(void)
{
	static struct run r;
	char path[256], apath[300], code[9], parcel[37];
	struct kiosk_store *st;
	struct kiosk_door door;
	fx_path(path, sizeof path);
	CHECK_INT(fx_open(path, NULL, &st), KIOSK_OK);
	fx_seed(st);
	kiosk_parcel_deposit_begin(st, "C1", "SF78", "13812345678", KIOSK_SIZE_S, parcel, &door);
	kiosk_door_outcome_by_flows(st, door.op, KIOSK_DOOR_OPENED);
	CHECK_INT(kiosk_parcel_deposit_commit(st, parcel, code), KIOSK_OK);
	kiosk_slot_restock(st, "A1", 2, "OP1");
	kiosk_store_close(st);
	struct kiosk_archive_opts o = {.cutoff_ms = fx_now + 1};
	CHECK_INT(kiosk_store_archive(path, &o, NULL, NULL, 0), KIOSK_OK);
	const char *stats[] = {KIOSKCTL_BIN, "db", "stats", path, NULL};
	run((char *const *)stats, NULL, &r);
	CHECK_INT(r.status, 0);
	CHECK_HAS(r.out, "-archive.db\"");
	CHECK(strstr(r.out, "\"archived_audit_through\":0") == NULL);
	const char *chk[] = {KIOSKCTL_BIN, "db", "check", path, NULL};
	const char *full[] = {KIOSKCTL_BIN, "db", "check", "--full", path, NULL};
	run((char *const *)full, NULL, &r);
	CHECK_INT(r.status, 0);
	CHECK_HAS(r.out, "archive included");
	/* an archived audit row changed: the checkpoint's check cannot see it, --full does */
	CHECK_INT(kiosk_store_archive_path(path, apath, sizeof apath), KIOSK_OK);
	sqlite3 *db;
	sqlite3_open(apath, &db);
	sqlite3_exec(db, "UPDATE audit SET detail = '{}' WHERE n = 2", NULL, NULL, NULL);
	sqlite3_close(db);
	run((char *const *)chk, NULL, &r);
	CHECK_INT(r.status, 0);
	CHECK_HAS(r.out, "from the last checkpoint");
	run((char *const *)full, NULL, &r);
	CHECK_INT(r.status, 1);
	CHECK_HAS(r.err, "audit chain broken at row 2");
	fx_cleanup(path);
}

/* The store real.json names was made by a run without --simulate ("locker without a
 * port" above): --simulate gives it no demo PINs, and without its device key it is not
 * opened with a new one. */
static void key_and_demo_pins_belong_to_their_store(void)
{
	static struct run r;
	struct stat sb;
	CHECK(stat("real.db", &sb) == 0 && sb.st_size > 0);
	const char *argv[] = {KIOSK_BIN, "--headless", "--simulate", "--config", D "real.json",
			      "--screenshot", "real.png", NULL};
	run((char *const *)argv, NULL, &r);
	CHECK_INT(r.status, 0);
	CHECK_HAS(r.err, "event=demo_not_seeded store=real.db");
	CHECK(strstr(r.err, "demo_operator_seeded") == NULL);

	CHECK(rename("real.key", "real.key.saved") == 0);
	run((char *const *)argv, NULL, &r);
	CHECK_INT(r.status, 1);
	CHECK_HAS(r.err, "device key real.key is missing but store real.db exists");
	CHECK(access("real.key", F_OK) != 0); /* no new key was made */
	CHECK(rename("real.key.saved", "real.key") == 0);
	run((char *const *)argv, NULL, &r);
	CHECK_INT(r.status, 0);
}

/* A new user on a fresh machine: no config, no systemd, no root, no folders made. The
 * kiosk makes its own state and runtime folders (private) and runs; a --screenshots folder
 * that does not exist yet is made too. As root the child drops to nobody first. */
static void new_user_without_config(void)
{
	char dir[] = "/tmp/kiosk-newuser-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	CHECK(chmod(dir, 0777) == 0);
	char home[64], png[96], shots[96], runtime[64];
	snprintf(home, sizeof home, "%s/home", dir);
	snprintf(png, sizeof png, "%s/x.png", dir);
	snprintf(shots, sizeof shots, "%s/shots/deeper", dir);
	int o, e;
	int po[2], pe[2];
	CHECK(pipe(po) == 0 && pipe(pe) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(po[1], 1);
		dup2(pe[1], 2);
		if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
			_exit(90);
		clearenv();
		setenv("PATH", "/usr/bin:/bin", 1);
		setenv("HOME", home, 1);
		if (mkdir(home, 0700) != 0)
			_exit(91);
		execl(KIOSK_BIN, KIOSK_BIN, "--headless", "--simulate", "--screenshot", png,
		      (char *)NULL);
		_exit(92);
	}
	close(po[1]);
	close(pe[1]);
	o = po[0];
	e = pe[0];
	static struct run r;
	memset(&r, 0, sizeof r);
	drain(o, e, &r, NULL);
	close(o);
	close(e);
	r.status = wait_status(pid);
	if (r.status)
		fprintf(stderr, "stderr:\n%s\n", r.err);
	CHECK_INT(r.status, 0);
	check_png(png, 1080, 1920);
	char key[128];
	snprintf(key, sizeof key, "%s/.local/state/kiosk/device.key", home);
	struct stat sb;
	CHECK(stat(key, &sb) == 0 && (sb.st_mode & 0777) == 0600);
	snprintf(key, sizeof key, "%s/.local/state/kiosk", home);
	CHECK(stat(key, &sb) == 0 && (sb.st_mode & 0777) == 0700);
	snprintf(runtime, sizeof runtime, "/tmp/kiosk-%u", geteuid() == 0 ? 65534u : geteuid());
	CHECK(stat(runtime, &sb) == 0 && (sb.st_mode & 0777) == 0700);
	CHECK_HAS(r.err, "control.sock");

	/* --screenshots DIR, not there yet: made. */
	const char *argv[] = {KIOSK_BIN,  "--headless", "--simulate", "--config",    D "run.json",
			      "--script", TEST_UI_DIR "/home_entries.ui", "--screenshots", shots,
			      NULL};
	run((char *const *)argv, NULL, &r);
	CHECK_INT(r.status, 0);
	CHECK(stat(shots, &sb) == 0 && S_ISDIR(sb.st_mode));
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
}

/* A raster base map (an MBTiles file with magenta tiles around the demo kiosk, TMS rows)
 * is drawn under the streets of the map screen: the screenshot shows the tiles' colour;
 * the same map without the file shows none of it. */
static int magenta(const char *png)
{
	SDL_Surface *raw = IMG_Load(png);
	CHECK(raw != NULL);
	if (!raw)
		return -1;
	SDL_Surface *s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
	SDL_FreeSurface(raw);
	int n = 0;
	for (int y = 0; y < s->h; y += 2)
		for (int x = 0; x < s->w; x += 2) {
			uint32_t p = ((const uint32_t *)((const uint8_t *)s->pixels + y * s->pitch))[x];
			n += (p & 0xFFFFFF) == 0xFF00FF;
		}
	SDL_FreeSurface(s);
	return n;
}

static void base_map_tiles_are_drawn(void)
{
	/* one 256×256 magenta PNG, in memory */
	SDL_Surface *t = SDL_CreateRGBSurfaceWithFormat(0, 256, 256, 32, SDL_PIXELFORMAT_ARGB8888);
	SDL_FillRect(t, NULL, 0xFFFF00FF);
	static char png[65536];
	SDL_RWops *rw = SDL_RWFromMem(png, sizeof png);
	CHECK_INT(IMG_SavePNG_RW(t, rw, 0), 0);
	int len = (int)SDL_RWtell(rw);
	SDL_RWclose(rw);
	SDL_FreeSurface(t);
	char mb[512], cfg[512], ui[512], shots[512];
	snprintf(mb, sizeof mb, "%s/base.mbtiles", TEST_OUT_DIR);
	unlink(mb);
	sqlite3 *db;
	CHECK_INT(sqlite3_open(mb, &db), SQLITE_OK);
	sqlite3_exec(db, "CREATE TABLE metadata(name, value); INSERT INTO metadata VALUES"
			 " ('format', 'png'); CREATE TABLE tiles(zoom_level, tile_column, tile_row,"
			 " tile_data)", NULL, NULL, NULL);
	/* the demo gate's tile at zoom 16 and those around it */
	double lat = 31.2260 * M_PI / 180, lon = 121.46997;
	int z = 16, n = 1 << z;
	int cx = (int)((lon + 180) / 360 * n);
	int cy = (int)((1 - log(tan(lat) + 1 / cos(lat)) / M_PI) / 2 * n);
	sqlite3_stmt *q;
	sqlite3_prepare_v2(db, "INSERT INTO tiles VALUES(?, ?, ?, ?)", -1, &q, NULL);
	for (int dy = -2; dy <= 2; dy++)
		for (int dx = -2; dx <= 2; dx++) {
			sqlite3_bind_int(q, 1, z);
			sqlite3_bind_int(q, 2, cx + dx);
			sqlite3_bind_int(q, 3, n - 1 - (cy + dy)); /* TMS: rows from the south */
			sqlite3_bind_blob(q, 4, png, len, SQLITE_STATIC);
			CHECK_INT(sqlite3_step(q), SQLITE_DONE);
			sqlite3_reset(q);
		}
	sqlite3_finalize(q);
	sqlite3_close(db);
	for (int with = 1; with >= 0; with--) {
		snprintf(cfg, sizeof cfg, "%s/tiles-%d.json", TEST_OUT_DIR, with);
		FILE *f = fopen(cfg, "w");
		CHECK(f != NULL);
		fprintf(f,
			"{\"store\": {\"path\": \"%s/tiles.db\"}, \"device\": {\"key_file\":"
			" \"%s/tiles.key\"}, \"control\": {\"socket\": \"%s/tiles.sock\"},"
			" \"geo\": {\"lat\": 31.2260, \"lon\": 121.46997},"
			" \"map\": {\"mbtiles\": \"%s\"}}",
			TEST_OUT_DIR, TEST_OUT_DIR, TEST_OUT_DIR, with ? mb : "");
		fclose(f);
		snprintf(ui, sizeof ui, "%s/tiles.ui", TEST_OUT_DIR);
		f = fopen(ui, "w");
		CHECK(f != NULL);
		fprintf(f, "tap home.map\nexpect-screen map\nscreenshot tiles-%d.png\n", with);
		fclose(f);
		snprintf(shots, sizeof shots, "%s/tiles", TEST_OUT_DIR);
		static struct run r;
		char *argv[] = {KIOSK_BIN, "--headless", "--simulate", "--config", cfg, "--script", ui,
				"--screenshots", shots, NULL};
		run(argv, NULL, &r);
		if (r.status)
			fprintf(stderr, "stderr:\n%s\n", r.err);
		CHECK_INT(r.status, 0);
		char png_path[600];
		snprintf(png_path, sizeof png_path, "%s/tiles-%d.png", shots, with);
		int px = magenta(png_path);
		if (with)
			CHECK(px > 20000); /* tiles under most of the map */
		else
			CHECK_INT(px, 0);
	}
}

/* Street names follow their streets on the map: a north–south street's Chinese characters
 * stand one above the other, an east–west street's side by side; in English the street's
 * English name is turned along it (as the accessibility report places every text drawn). */
/* The UTF-8 character at p into ch; its length in bytes. */
static size_t one_char(const char *p, char ch[8])
{
	size_t n = 1;
	while (n < 7 && p[n] && ((unsigned char)p[n] & 0xC0) == 0x80)
		n++;
	memcpy(ch, p, n);
	ch[n] = '\0';
	return n;
}

static bool stacked(const cJSON *texts, const char *name, bool vertical)
{
	/* the name's characters, each found at the step from the one before */
	const char *p = name;
	char first[8];
	size_t k = one_char(p, first);
	const cJSON *t;
	cJSON_ArrayForEach(t, texts)
	{
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(t, "text")), first) != 0)
			continue;
		const cJSON *prev = t;
		const char *q = p + k;
		bool ok = true;
		while (*q && ok) {
			char ch[8];
			size_t n = one_char(q, ch);
			ok = false;
			const cJSON *u;
			cJSON_ArrayForEach(u, texts)
			{
				if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(u, "text")), ch) != 0)
					continue;
#define F(o, f) cJSON_GetNumberValue(cJSON_GetObjectItem(o, f))
				double pcx = F(prev, "x") + F(prev, "w") / 2, pcy = F(prev, "y") + F(prev, "h") / 2;
				double ucx = F(u, "x") + F(u, "w") / 2, ucy = F(u, "y") + F(u, "h") / 2;
				double along = vertical ? ucy - pcy : ucx - pcx;
				double across = vertical ? ucx - pcx : ucy - pcy;
				double size = vertical ? F(prev, "h") : F(prev, "w");
#undef F
				if (fabs(across) <= 3 && along >= size * 0.8 && along <= size * 1.6) {
					prev = u;
					ok = true;
					break;
				}
			}
			q += n;
		}
		if (ok)
			return true;
	}
	return false;
}

static void street_names_follow_their_streets(void)
{
	char cfg[512], ui[512], report[512], shots[512];
	static const char *const stale[] = {"names.db", "names.db-wal", "names.db-shm"};
	for (size_t i = 0; i < sizeof stale / sizeof stale[0]; i++)
		unlink(stale[i]); /* the demo imported afresh, by this build */
	snprintf(cfg, sizeof cfg, "%s/names.json", TEST_OUT_DIR);
	FILE *f = fopen(cfg, "w");
	CHECK(f != NULL);
	fprintf(f,
		"{\"store\": {\"path\": \"%s/names.db\"}, \"device\": {\"key_file\":"
		" \"%s/names.key\"}, \"control\": {\"socket\": \"%s/names.sock\"},"
		" \"geo\": {\"lat\": 31.2260, \"lon\": 121.46997}}",
		TEST_OUT_DIR, TEST_OUT_DIR, TEST_OUT_DIR);
	fclose(f);
	snprintf(ui, sizeof ui, "%s/names.ui", TEST_OUT_DIR);
	f = fopen(ui, "w");
	CHECK(f != NULL);
	/* closer in, and the repairs alone: a state of its own in the report; then English */
	fprintf(f, "tap home.map\nexpect-screen map\ntap map.zoom_in\ntap map.chip.repair\n"
		   "screenshot map-names.png\ntap English\nscreenshot map-names-en.png\n");
	fclose(f);
	snprintf(report, sizeof report, "%s/names.jsonl", TEST_OUT_DIR);
	snprintf(shots, sizeof shots, "%s/tiles", TEST_OUT_DIR);
	unlink(report);
	static struct run r;
	char *argv[] = {KIOSK_BIN, "--headless", "--simulate", "--config", cfg, "--script", ui,
			"--screenshots", shots, "--a11y-report", report, NULL};
	run(argv, NULL, &r);
	if (r.status)
		fprintf(stderr, "stderr:\n%s\n", r.err);
	CHECK_INT(r.status, 0);
	f = fopen(report, "r");
	CHECK(f != NULL);
	static char line[1 << 20];
	cJSON *map[2] = {NULL, NULL}; /* the last state in Chinese, in English */
	while (f && fgets(line, sizeof line, f)) {
		cJSON *j = cJSON_Parse(line);
		const char *scr = cJSON_GetStringValue(cJSON_GetObjectItem(j, "screen"));
		const char *lang = cJSON_GetStringValue(cJSON_GetObjectItem(j, "lang"));
		if (scr && lang && strcmp(scr, "map") == 0) {
			int en = strcmp(lang, "en") == 0;
			cJSON_Delete(map[en]);
			map[en] = j;
		} else {
			cJSON_Delete(j);
		}
	}
	if (f)
		fclose(f);
	CHECK(map[0] != NULL && map[1] != NULL);
	const cJSON *texts = cJSON_GetObjectItem(map[0], "texts");
	CHECK(stacked(texts, "桂花街", true));  /* runs north–south */
	CHECK(stacked(texts, "幸福路", false)); /* runs east–west */
	CHECK(!stacked(texts, "幸福路", true));
	CHECK(!stacked(texts, "桂花街", false));
	/* in English: the English names, each one text turned with its street */
	int tall = 0, wide = 0;
	const cJSON *t;
	cJSON_ArrayForEach(t, cJSON_GetObjectItem(map[1], "texts"))
	{
		const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(t, "text"));
		double w = cJSON_GetNumberValue(cJSON_GetObjectItem(t, "w"));
		double h = cJSON_GetNumberValue(cJSON_GetObjectItem(t, "h"));
		tall += strcmp(s, "Guihua Street") == 0 && h > 3 * w;
		wide += strcmp(s, "Xingfu Road") == 0 && w > 3 * h;
		CHECK(strcmp(s, "桂") != 0); /* no Chinese name where the map has an English one */
	}
	CHECK_INT(tall, 1);
	CHECK_INT(wide, 1);
	cJSON_Delete(map[0]);
	cJSON_Delete(map[1]);
}

int main(int argc, char **argv)
{
	/* The run config's store, key and socket are relative: they land in the build tree. */
	if (chdir(TEST_OUT_DIR) != 0)
		return 1;
	static const char *const stale[] = {"kiosk.db", "kiosk.db-wal", "kiosk.db-shm",
					    "real.db", "real.db-wal", "real.db-shm", "real.key"};
	for (size_t i = 0; i < sizeof stale / sizeof stale[0]; i++)
		unlink(stale[i]);
	/* The kiosk makes its files private by itself, whatever it inherits. */
	umask(0);
	sqlite3 *db;
	sqlite3_open("foreign.db", &db);
	sqlite3_exec(db, "CREATE TABLE IF NOT EXISTS accounts(x)", NULL, NULL, NULL);
	sqlite3_close(db);
	static const struct test_case cases[] = {
		{"exit_codes_and_messages", exit_codes_and_messages},
		{"headless_screenshot", headless_screenshot},
		{"key_and_demo_pins_belong_to_their_store", key_and_demo_pins_belong_to_their_store},
		{"new_user_without_config", new_user_without_config},
		{"sigterm_shuts_down_cleanly", sigterm_shuts_down_cleanly},
		{"missing_icons_fall_back_visibly", missing_icons_fall_back_visibly},
		{"click_sound_when_enabled", click_sound_when_enabled},
		{"speech_is_heard", speech_is_heard},
		{"lock_tools", lock_tools},
		{"vend_tools", vend_tools},
		{"mdb_tools", mdb_tools},
		{"outbox_masks_codes_and_check_finds_damage",
		 outbox_masks_codes_and_check_finds_damage},
		{"check_full_reads_the_archive", check_full_reads_the_archive},
		{"world_writable_state_folder_is_refused", world_writable_state_folder_is_refused},
		{"base_map_tiles_are_drawn", base_map_tiles_are_drawn},
		{"street_names_follow_their_streets", street_names_follow_their_streets},
		{0},
	};
	return test_main(argc, argv, cases);
}
