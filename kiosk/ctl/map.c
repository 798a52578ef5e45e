/* kioskctl map … and directory …: the neighbourhood map and the service directory, on a
 * store file, for an operator preparing a kiosk (or a technician checking one). */
#include "kiosk/config.h"
#include "kiosk/crypto.h"
#include "kiosk/ctl/ctl.h"
#include "kiosk/directory/search.h"
#include "kiosk/geo/category.h"
#include "kiosk/coverage_out.h"
#include "kiosk/coverage_report.h"
#include "kiosk/geo/coverage.h"
#include "kiosk/geo/model.h"
#include "kiosk/geo/route.h"
#include "kiosk/paths.h"
#include "kiosk/store/store.h"
#include "hal/base/alloc.h"
#include "hal/base/clock.h"
#include "hal/base/error.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { EXIT_FAIL = 1, EXIT_USAGE = 2 };

/* The store, writable: its device key is the one beside it (the kiosk's layout), made if
 * the store is new. */
static int open_rw(const char *db, struct kiosk_store **st)
{
	char key_path[512];
	const char *slash = strrchr(db, '/');
	snprintf(key_path, sizeof key_path, "%.*sdevice.key", slash ? (int)(slash - db + 1) : 0, db);
	struct stat sb;
	bool exists = stat(db, &sb) == 0;
	uint8_t key[KIOSK_DEVKEY_LEN];
	int rc = kiosk_devkey_load(key_path, key, !exists);
	if (rc) {
		fprintf(stderr, "kioskctl: %s: %s\n", key_path, kiosk_strerror(rc));
		return EXIT_FAIL;
	}
	struct kiosk_store_opts o = {.path = db, .device_key = key};
	rc = kiosk_store_open(&o, st);
	kiosk_cleanse(key, sizeof key);
	if (rc) {
		fprintf(stderr, "kioskctl: %s: %s\n", db, kiosk_strerror(rc));
		return EXIT_FAIL;
	}
	return 0;
}

static int open_ro(const char *db, struct kiosk_store **st)
{
	struct stat sb;
	if (stat(db, &sb) != 0) {
		fprintf(stderr, "kioskctl: %s: no such database\n", db);
		return EXIT_FAIL;
	}
	struct kiosk_store_opts o = {.path = db, .readonly = true};
	int rc = kiosk_store_open(&o, st);
	if (rc) {
		fprintf(stderr, "kioskctl: %s: %s\n", db, kiosk_strerror(rc));
		return EXIT_FAIL;
	}
	return 0;
}

/* Options shared by the commands; the rest are words. */
struct opts {
	const char *db, *config, *category, *standard, *out;
	bool json;
	double lat, lon, speed;
	bool from, open_now;
	const char *words[4];
	int nwords;
};

static bool parse_num(const char *s, double lo, double hi, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/* The kiosk's config when --config names it, else the defaults; its errors printed. */
static int load_cfg(const struct opts *o, struct kiosk_config *cfg)
{
	struct kiosk_config_diag d;
	kiosk_config_defaults(cfg);
	if (!o->config || kiosk_config_load(o->config, cfg, &d) == KIOSK_OK)
		return 0;
	for (int k = 0; k < d.count && k < KIOSK_CONFIG_MAX_ERRORS; k++)
		fprintf(stderr, "%s: %s\n", o->config, d.msg[k]);
	return -1;
}
/* 0, or EXIT_USAGE with what was wrong said. */
static int parse_opts(int argc, char **argv, struct opts *o)
{
	memset(o, 0, sizeof *o);
	o->speed = GEO_SPEED;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--open-now") == 0 || strcmp(a, "--json") == 0) {
			o->open_now |= a[2] == 'o';
			o->json |= a[2] == 'j';
			continue;
		}
		if (a[0] == '-' && a[1] == '-' && !v) {
			fprintf(stderr, "kioskctl: %s needs a value\n", a);
			return EXIT_USAGE;
		}
		if (strcmp(a, "--db") == 0) {
			o->db = v;
		} else if (strcmp(a, "--config") == 0) {
			o->config = v;
		} else if (strcmp(a, "--standard") == 0) {
			o->standard = v;
		} else if (strcmp(a, "--out") == 0) {
			o->out = v;
		} else if (strcmp(a, "--category") == 0) {
			if (!geo_category_find(v)) {
				fprintf(stderr, "kioskctl: --category %s: not one of ours (", v);
				for (const struct geo_category *c = geo_categories; c->code; c++)
					fprintf(stderr, "%s%s", c->code, c[1].code ? " " : ")\n");
				return EXIT_USAGE;
			}
			o->category = v;
		} else if (strcmp(a, "--from") == 0) {
			char lat[64], lon[64];
			if (sscanf(v, "%63[^,],%63s", lat, lon) != 2 || !parse_num(lat, -90, 90, &o->lat) ||
			    !parse_num(lon, -180, 180, &o->lon)) {
				fprintf(stderr, "kioskctl: --from %s: want LAT,LON in degrees\n", v);
				return EXIT_USAGE;
			}
			o->from = true;
		} else if (strcmp(a, "--speed") == 0) {
			if (!parse_num(v, 0.1, 10, &o->speed)) {
				fprintf(stderr, "kioskctl: --speed %s: want metres per second, 0.1 to 10\n",
					v);
				return EXIT_USAGE;
			}
		} else if (a[0] == '-' && a[1] == '-') {
			fprintf(stderr, "kioskctl: unknown option %s\n", a);
			return EXIT_USAGE;
		} else {
			if (o->nwords == 4) {
				fprintf(stderr, "kioskctl: too many words\n");
				return EXIT_USAGE;
			}
			o->words[o->nwords++] = a;
			continue;
		}
		i++;
	}
	if (!o->db) {
		fprintf(stderr, "kioskctl: --db DB is needed\n");
		return EXIT_USAGE;
	}
	if (!o->from) { /* the kiosk's own position, from its config */
		struct kiosk_config cfg;
		if (load_cfg(o, &cfg))
			return EXIT_USAGE;
		o->lat = cfg.geo_lat;
		o->lon = cfg.geo_lon;
	}
	return 0;
}

static int import(const struct opts *o)
{
	if (o->nwords != 2) {
		fputs("usage: kioskctl map import FILE --db DB [--config FILE]\n", stderr);
		return EXIT_USAGE;
	}
	/* the kiosk's own limit when its config is named, else the default */
	struct kiosk_config cfg;
	if (load_cfg(o, &cfg))
		return EXIT_USAGE;
	/* read first (the slow part), the store untouched: a broken file changes nothing */
	struct geo_model m;
	char why[256] = "";
	int rc = geo_model_read_file(o->words[1], (size_t)cfg.map_max_mb << 20, &m, why, sizeof why);
	if (rc) {
		fprintf(stderr, "kioskctl: %s (nothing imported)\n", why[0] ? why : kiosk_strerror(rc));
		geo_model_free(&m);
		return EXIT_FAIL;
	}
	/* A running kiosk's store is not written under it: the import would hold its write
	 * lock while residents wait. Held as a kiosk holds it, so none starts meanwhile. */
	int lock_fd = -1;
	long holder = 0;
	rc = kiosk_paths_lock(o->db, &lock_fd, &holder);
	if (rc) {
		if (rc == KIOSK_EBUSY)
			fprintf(stderr,
				"kioskctl: a kiosk is running (pid %ld) on %s: nothing imported. Name the "
				"file as map.file in its config (it is read at its next start, off its "
				"screen), or stop the kiosk and import again\n",
				holder, o->db);
		else
			fprintf(stderr, "kioskctl: %s: %s\n", o->db, kiosk_strerror(rc));
		geo_model_free(&m);
		return EXIT_FAIL;
	}
	struct kiosk_store *st;
	rc = open_rw(o->db, &st);
	if (rc == 0) {
		rc = geo_model_store(st, &m, o->words[1], why, sizeof why);
		kiosk_store_close(st);
		if (rc) {
			fprintf(stderr, "kioskctl: %s (nothing imported)\n",
				why[0] ? why : kiosk_strerror(rc));
			rc = EXIT_FAIL;
		}
	}
	close(lock_fd);
	if (rc) {
		geo_model_free(&m);
		return rc;
	}
	printf("imported %s: %zu street nodes, %zu street segments from %lld ways, %zu places, %zu"
	       " homes\n",
	       o->words[1], m.nnodes, m.nedges, (long long)m.ways, m.npois, m.nhomes);
	for (int i = 0; i < GEO_SKIP_COUNT; i++)
		if (m.skipped[i])
			printf("skipped %lld: %s\n", (long long)m.skipped[i], geo_skip_name((enum geo_skip)i));
	/* what the map screen will credit: an operator sees it before residents do */
	printf("credited on screen: %s\n",
	       m.attribution[0] ? m.attribution : "nobody (the file names no source)");
	geo_model_free(&m);
	return 0;
}

/* The stored map's graph and every service, with the walk to each from o's point. */
struct walk {
	struct kiosk_service *s;
	size_t n;
	double *metres, *seconds;
};

static int walk_all(struct kiosk_store *st, const struct opts *o, struct walk *w)
{
	memset(w, 0, sizeof *w);
	struct kiosk_map_data d;
	struct geo_graph *g = NULL;
	int rc = kiosk_service_all(st, &w->s, &w->n);
	if (rc == KIOSK_OK)
		rc = kiosk_map_load(st, &d);
	if (rc == KIOSK_OK) {
		if (geo_graph_new(&d, &g) == KIOSK_ENOENT)
			fputs("kioskctl: no street map imported: every place is unreachable\n", stderr);
		kiosk_map_data_free(&d);
	}
	w->metres = kiosk_malloc((w->n + 1) * sizeof *w->metres);
	w->seconds = kiosk_malloc((w->n + 1) * sizeof *w->seconds);
	if (rc == KIOSK_OK && (!w->metres || !w->seconds))
		rc = KIOSK_ENOMEM;
	if (rc == KIOSK_OK)
		rc = geo_walk_times(g, o->lat, o->lon, o->speed, w->s, w->n, w->metres, w->seconds);
	geo_graph_free(g);
	return rc;
}

static void walk_free(struct walk *w)
{
	kiosk_free(w->s);
	kiosk_free(w->metres);
	kiosk_free(w->seconds);
}

static void tsv(const char *s)
{
	for (; *s; s++)
		putchar(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
}

static void row(const struct walk *w, size_t i)
{
	tsv(w->s[i].id);
	putchar('\t');
	tsv(w->s[i].category);
	putchar('\t');
	tsv(w->s[i].name_zh);
	if (w->seconds[i] < 0)
		fputs("\tunreachable\tunreachable", stdout);
	else
		printf("\t%.0f\t%.0f", w->metres[i], w->seconds[i]);
}

static const struct walk *sort_w;
static int by_time(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	double sx = sort_w->seconds[x], sy = sort_w->seconds[y];
	if ((sx < 0) != (sy < 0))
		return sx < 0 ? 1 : -1;
	return sx < sy ? -1 : sx > sy ? 1 : strcmp(sort_w->s[x].id, sort_w->s[y].id);
}

static int times(const struct opts *o)
{
	if (o->nwords != 1) {
		fputs("usage: kioskctl map times --db DB [--from LAT,LON] [--speed M_PER_S]\n", stderr);
		return EXIT_USAGE;
	}
	struct kiosk_store *st;
	int rc = open_ro(o->db, &st);
	if (rc)
		return rc;
	struct walk w;
	rc = walk_all(st, o, &w);
	kiosk_store_close(st);
	size_t *order = kiosk_malloc((w.n + 1) * sizeof *order);
	if (rc || !order) {
		fprintf(stderr, "kioskctl: %s\n", kiosk_strerror(rc ? rc : KIOSK_ENOMEM));
		walk_free(&w);
		kiosk_free(order);
		return EXIT_FAIL;
	}
	for (size_t i = 0; i < w.n; i++)
		order[i] = i;
	sort_w = &w;
	qsort(order, w.n, sizeof *order, by_time);
	puts("id\tcategory\tname\tmetres\tseconds");
	for (size_t i = 0; i < w.n; i++) {
		row(&w, order[i]);
		putchar('\n');
	}
	kiosk_free(order);
	walk_free(&w);
	return 0;
}

static int search(const struct opts *o)
{
	if (o->nwords != 2) {
		fputs("usage: kioskctl directory search --db DB [--from LAT,LON] [--category C]"
		      " [--open-now] QUERY\n",
		      stderr);
		return EXIT_USAGE;
	}
	struct kiosk_store *st;
	int rc = open_ro(o->db, &st);
	if (rc)
		return rc;
	struct walk w;
	struct dir_index *ix = NULL;
	rc = walk_all(st, o, &w);
	kiosk_store_close(st);
	if (rc == KIOSK_OK)
		rc = dir_index_new(w.s, w.n, w.seconds, &ix);
	struct dir_hit *hits = kiosk_malloc((w.n + 1) * sizeof *hits);
	if (rc || !hits) {
		fprintf(stderr, "kioskctl: %s\n", kiosk_strerror(rc ? rc : KIOSK_ENOMEM));
		dir_index_free(ix);
		kiosk_free(hits);
		walk_free(&w);
		return EXIT_FAIL;
	}
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	dir_index_set_time(ix, &tm);
	static const char *const open_words[] = {"hours unknown", "open", "closed"};
	struct dir_filter f = {o->category, o->open_now};
	int n = dir_search(ix, o->words[1], &f, hits, (int)w.n + 1);
	puts("id\tcategory\tname\tmetres\tseconds\topen");
	for (int i = 0; i < n; i++) {
		row(&w, hits[i].i);
		printf("\t%s\n", open_words[dir_index_open(ix, hits[i].i)]);
	}
	dir_index_free(ix);
	kiosk_free(hits);
	walk_free(&w);
	return n ? 0 : EXIT_FAIL;
}

int ctl_map(int argc, char **argv)
{
	struct opts o;
	int rc = parse_opts(argc, argv, &o);
	if (rc)
		return rc;
	if (o.nwords >= 1 && strcmp(o.words[0], "import") == 0)
		return import(&o);
	if (o.nwords >= 1 && strcmp(o.words[0], "times") == 0)
		return times(&o);
	fputs("usage: kioskctl map import FILE --db DB [--config FILE] | kioskctl map times --db DB"
	      " [--from LAT,LON] [--speed M_PER_S]\n",
	      stderr);
	return EXIT_USAGE;
}

/* Minutes with one decimal, or "-" where there is no walk. */
static void minutes(char *out, size_t cap, double s)
{
	if (s < 0)
		snprintf(out, cap, "-");
	else
		snprintf(out, cap, "%.1f", s / 60);
}

/* The first item of std counting place category cat, or -1. */
static int item_counting(const struct geo_standard *std, const char *cat)
{
	for (int i = 0; i < std->nitems; i++)
		for (int c = 0; c < std->items[i].ncats; c++)
			if (strcmp(std->items[i].cats[c], cat) == 0)
				return i;
	return -1;
}

/* 一刻钟达标: every item of the standard over the whole map, and what to add first. */
static int coverage(const struct opts *o)
{
	char why[256] = "", path[600];
	/* --standard, else the installed one, else the source tree's (a build in place) */
	kiosk_coverage_standard_path(NULL, path, sizeof path);
	if (o->standard)
		snprintf(path, sizeof path, "%s", o->standard);
	struct kiosk_store *st;
	int rc = open_ro(o->db, &st);
	if (rc)
		return rc;
	static struct kiosk_coverage_report r;
	int64_t now = kiosk_now_ms();
	rc = kiosk_coverage_report(st, path, o->lat, o->lon, now, &r, why, sizeof why);
	/* the heat map's item: the one counting --category, else the first to add, else the
	 * first */
	int item = o->category ? item_counting(&r.std, o->category) : r.ngaps ? r.gaps[0] : 0;
	if (rc == KIOSK_OK && item < 0) {
		snprintf(why, sizeof why, "--category %s: no item of the standard counts it",
			 o->category);
		rc = KIOSK_EINVAL;
	}
	struct kiosk_coverage_heat heat = {0};
	bool want_map = o->out && (strstr(o->out, ".png") || strstr(o->out, ".html"));
	if (rc == KIOSK_OK && want_map &&
	    (rc = kiosk_coverage_heat(st, &r.std, item, o->lat, o->lon, &heat)))
		snprintf(why, sizeof why, "the heat map: %s", kiosk_strerror(rc));
	kiosk_store_close(st);
	if (rc) {
		fprintf(stderr, "kioskctl: %s\n", why);
		return rc == KIOSK_EINVAL ? EXIT_USAGE : EXIT_FAIL;
	}
	if (o->out) {
		rc = kiosk_coverage_write(o->out, &r, want_map ? &heat : NULL, now, why, sizeof why);
		kiosk_coverage_heat_free(&heat);
		if (rc) {
			fprintf(stderr, "kioskctl: %s\n", why);
			return rc == KIOSK_EINVAL ? EXIT_USAGE : EXIT_FAIL;
		}
		printf("wrote %s\n", o->out);
		return 0;
	}
	if (o->json) { /* the report.coverage event's fields (PLATFORM-API.md) */
		cJSON *j = kiosk_coverage_json(&r, now);
		char *text = j ? cJSON_PrintUnformatted(j) : NULL;
		cJSON_Delete(j);
		if (!text)
			return EXIT_FAIL;
		puts(text);
		cJSON_free(text);
		return 0;
	}
	printf("一刻钟达标: %zu residences (%s; docs/coverage.md)", r.residences,
	       kiosk_coverage_rule_words(r.rule));
	if (r.homes_off_street)
		printf(", %zu of them with no street within 1 km (beyond every standard)",
		       r.homes_off_street);
	printf("\n\n");
	printf("| 项目 item | 标准 | 层级 tier | 处数 places | 达标 within | 中位 p50 min | p90 min | "
	       "本亭 from kiosk min | 需求 wishes 30 d |\n|---|---|---|---:|---:|---:|---:|---:|---:|\n");
	for (int i = 0; i < r.std.nitems; i++) {
		const struct geo_std_item *it = &r.std.items[i];
		const struct geo_coverage *c = &r.rows[i].c;
		char p50[16], p90[16], from[16];
		minutes(p50, sizeof p50, c->p50_s);
		minutes(p90, sizeof p90, c->p90_s);
		minutes(from, sizeof from, c->from_kiosk_s);
		if (!c->places)
			printf("| %s %s | %d 分钟 | %s | 0 | 本图内没有 none on this map | - | - | - |"
			       " %ld |\n",
			       it->name_zh, it->name_en, it->minutes,
			       it->tier == GEO_STD_BASIC ? "基础保障类" : "品质提升类", r.rows[i].wishes);
		else
			printf("| %s %s | %d 分钟 | %s | %zu | %.0f%% | %s | %s | %s | %ld |\n",
			       it->name_zh, it->name_en, it->minutes,
			       it->tier == GEO_STD_BASIC ? "基础保障类" : "品质提升类", c->places,
			       c->share * 100, p50, p90, from, r.rows[i].wishes);
	}
	printf("\n补什么 what to add first (the share of residences outside the standard, weighed"
	       " by the residents' wishes here):\n");
	for (int k = 0; k < r.ngaps; k++) {
		const struct geo_coverage_row *row = &r.rows[r.gaps[k]];
		const struct geo_std_item *it = &r.std.items[row->item];
		printf("%d. %s %s: %.0f%% outside %d minutes, %ld wish%s%s\n", k + 1, it->name_zh,
		       it->name_en, (1 - row->c.share) * 100, it->minutes, row->wishes,
		       row->wishes == 1 ? "" : "es",
		       row->c.places ? "" : " (本图内没有 none on this map)");
	}
	if (!r.ngaps)
		printf("nothing: every residence has every item within its minutes\n");
	return 0;
}

int ctl_report(int argc, char **argv)
{
	struct opts o;
	int rc = parse_opts(argc, argv, &o);
	if (rc)
		return rc;
	if (o.nwords == 1 && strcmp(o.words[0], "coverage") == 0)
		return coverage(&o);
	fputs("usage: kioskctl report coverage --db DB [--from LAT,LON] [--config FILE]"
	      " [--standard FILE] [--json] [--category C] [--out FILE.html|.csv|.json|.png]\n",
	      stderr);
	return EXIT_USAGE;
}

int ctl_directory(int argc, char **argv)
{
	struct opts o;
	int rc = parse_opts(argc, argv, &o);
	if (rc)
		return rc;
	if (o.nwords >= 1 && strcmp(o.words[0], "search") == 0)
		return search(&o);
	fputs("usage: kioskctl directory search --db DB [--from LAT,LON] [--category C]"
	      " [--open-now] QUERY\n",
	      stderr);
	return EXIT_USAGE;
}
