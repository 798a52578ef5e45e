#include "kiosk/config.h"
#include "kiosk/paths.h"
#include "hal/lock/lock.h"
#include "hal/printer/printer.h"
#include "hal/scanner/scanner.h"
#include "hal/base/alloc.h"
#include "hal/base/error.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <sys/stat.h>

enum kind {
	K_STR, K_ENUM, K_INT, K_BOOL, K_NUM,
	K_DIMS, /* "41x8x51": int[3], each min..max */
	K_TIERS /* {"60+": {"percent": 20}, "80+": …, "90+": …}: int[3], each 0..100 */
};

/* One row per key. The table is the schema: the parser, the defaults and the error
 * messages all come from it, so a new key is one line. */
struct field {
	const char *path; /* JSON path without the leading "$." */
	enum kind kind;
	size_t off, size;
	const char *def;    /* default, as text */
	double min, max;    /* K_INT, K_NUM */
	const char *choice; /* K_ENUM: '|'-separated */
};

#define F(p, k, m, d, lo, hi, ch)                                                                 \
	{p, k, offsetof(struct kiosk_config, m), sizeof(((struct kiosk_config *)0)->m), d, lo, hi, ch}
#define STR(p, m, d) F(p, K_STR, m, d, 0, 0, NULL)
#define DEV(cls)                                                                                   \
	STR(#cls ".driver", cls.driver, ""), STR(#cls ".port", cls.port, "")

static const struct field fields[] = {
	STR("device.id", device_id, "K-0001"),
	/* "" = derived (kiosk/paths.h): the state folder's device.key and kiosk.db, the
	 * runtime folder's control.sock */
	STR("device.key_file", device_key_file, ""),
	STR("store.path", store_path, ""),
	/* finished history older than this leaves the store for the archive beside it (the
	 * platform keeps the record); 0 = keep everything in the store */
	F("store.retention_days", K_INT, store_retention_days, "90", 0, 3650, NULL),
	/* the secret shared with the platform for signing (not the device key); "" = the
	 * state folder's device.secret */
	STR("device.secret_file", device_secret_file, ""),
	STR("platform.url", platform_url, ""),
	STR("platform.ca_file", platform_ca_file, ""),
	STR("platform.pinned_key", platform_pinned_key, ""),
	F("platform.heartbeat_s", K_INT, platform_heartbeat_s, "60", 5, 3600, NULL),
	F("platform.pull_s", K_INT, platform_pull_s, "30", 1, 3600, NULL),
	F("ui.lang", K_ENUM, ui_lang, "zh", 0, 0, "zh|en"),
	F("ui.orientation", K_ENUM, ui_orientation, "portrait", 0, 0, "portrait|landscape"),
	F("ui.width", K_INT, ui_width, "540", 200, 8192, NULL),
	F("ui.height", K_INT, ui_height, "960", 200, 8192, NULL),
	F("ui.fullscreen", K_BOOL, ui_fullscreen, "false", 0, 0, NULL),
	/* the vending board's own coin, note and card devices take money (select to buy,
	 * money collected reports) */
	F("vend.board_pays", K_BOOL, vend_board_pays, "false", 0, 0, NULL),
	F("ui.click_sound", K_BOOL, ui_click_sound, "false", 0, 0, NULL),
	F("ui.speech", K_BOOL, ui_speech, "true", 0, 0, NULL),
	F("ui.speech_volume", K_INT, ui_speech_volume, "80", 0, 100, NULL),
	STR("ui.font", ui_font, ""),
	STR("ui.assets", ui_assets, ""),
	F("ui.font_index", K_INT, ui_font_index, "0", 0, 255, NULL),
	F("ui.idle_timeout_s", K_INT, ui_idle_timeout_s, "60", 10, 3600, NULL),
	STR("ui.timezone", ui_timezone, "Asia/Shanghai"),
	F("log.level", K_ENUM, log_level, "info", 0, 0, "debug|info|warn|error"),
	STR("control.socket", control_socket, ""),
	F("geo.lat", K_NUM, geo_lat, "31.2304", -90, 90, NULL),
	F("geo.lon", K_NUM, geo_lon, "121.4737", -180, 180, NULL),
	/* an .osm or GeoJSON file imported at start when no map is stored or it is newer;
	 * "" = none (--simulate then takes the demo neighbourhood) */
	STR("map.file", map_file, ""),
	/* an MBTiles file (SQLite, TMS rows) drawn under the streets; "" = none */
	STR("map.mbtiles", map_mbtiles, ""),
	/* the most of a map file read (unpacked), at start and by kioskctl map import */
	F("map.max_mb", K_INT, map_max_mb, "200", 1, 4096, NULL),
	STR("help.phone", help_phone, "12345"),
	/* a help call the platform has not acknowledged within this is shown as not got
	 * through (the hotline instead), while it keeps trying */
	F("help.ack_wait_s", K_INT, help_ack_wait_s, "20", 1, 120, NULL),
	F("parcel.keep_days", K_INT, parcel_keep_days, "3", 1, 30, NULL),
	F("parcel.free_hours", K_INT, parcel_free_hours, "18", 0, 168, NULL),
	F("parcel.fee_block_hours", K_INT, parcel_fee_block_hours, "12", 1, 168, NULL),
	F("parcel.fee_block_fen", K_INT, parcel_fee_block_fen, "50", 0, 100000, NULL),
	F("parcel.fee_cap_fen", K_INT, parcel_fee_cap_fen, "300", 0, 1000000, NULL),
	/* 寄付: what the sender pays here, by size (first weight; the carrier settles the
	 * rest with the sender by phone) */
	F("send.price_s_fen", K_INT, send_price_fen[0], "1000", 1, 1000000, NULL),
	F("send.price_m_fen", K_INT, send_price_fen[1], "1200", 1, 1000000, NULL),
	F("send.price_l_fen", K_INT, send_price_fen[2], "1500", 1, 1000000, NULL),
	F("send.price_xl_fen", K_INT, send_price_fen[3], "2000", 1, 1000000, NULL),
	/* inside each size of door, width x height x depth in cm: shown beside the sizes so
	 * a sender can tell whether a parcel fits (the bank's own, from its maker's sheet) */
	F("meal.discounts", K_TIERS, meal_discount_pct, "20/50/100", 0, 100, NULL),
	F("meal.max_portions", K_INT, meal_max_portions, "2", 1, 5, NULL),
	STR("meal.full_price_note_zh", meal_full_price_note_zh, "到食堂出示证件可退差价"),
	STR("meal.full_price_note_en", meal_full_price_note_en,
	    "Show your ID at the canteen to get the difference back"),
	F("send.size_s_cm", K_DIMS, send_size_cm[0], "41x8x51", 1, 300, NULL),
	F("send.size_m_cm", K_DIMS, send_size_cm[1], "41x19x51", 1, 300, NULL),
	F("send.size_l_cm", K_DIMS, send_size_cm[2], "41x31x51", 1, 300, NULL),
	F("send.size_xl_cm", K_DIMS, send_size_cm[3], "41x45x51", 1, 300, NULL),
	DEV(lock),
	DEV(vend),
	DEV(mdb),
	DEV(printer),
	DEV(scanner),
};
#define NFIELDS (sizeof fields / sizeof fields[0])

static void diag_add(struct kiosk_config_diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void diag_add(struct kiosk_config_diag *d, const char *fmt, ...)
{
	if (d->count < KIOSK_CONFIG_MAX_ERRORS) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(d->msg[d->count], sizeof d->msg[0], fmt, ap);
		va_end(ap);
	}
	d->count++;
}

static int enum_has(const char *choices, const char *v)
{
	size_t n = strlen(v);
	for (const char *p = choices; *p;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if (len == n && strncmp(p, v, n) == 0)
			return 1;
		p += len + (bar ? 1 : 0);
	}
	return 0;
}

/* Stores a value given as text (defaults) or as JSON (file) into its field. */
static void set_text(struct kiosk_config *c, const struct field *f, const char *v)
{
	char *dst = (char *)c + f->off;
	switch (f->kind) {
	case K_STR:
	case K_ENUM:
		snprintf(dst, f->size, "%s", v);
		break;
	case K_INT:
		*(int *)(void *)dst = (int)strtol(v, NULL, 10);
		break;
	case K_BOOL:
		*(bool *)(void *)dst = strcmp(v, "true") == 0;
		break;
	case K_NUM:
		*(double *)(void *)dst = strtod(v, NULL);
		break;
	case K_DIMS: {
		int *d = (int *)(void *)dst;
		if (sscanf(v, "%dx%dx%d", &d[0], &d[1], &d[2]) != 3)
			d[0] = d[1] = d[2] = 0;
		break;
	}
	case K_TIERS: {
		int *d = (int *)(void *)dst;
		if (sscanf(v, "%d/%d/%d", &d[0], &d[1], &d[2]) != 3)
			d[0] = d[1] = d[2] = 0;
		break;
	}
	}
}

/* Paths left empty come from the environment (systemd's folders, else XDG's). */
static void derive_paths(struct kiosk_config *cfg)
{
	char dir[KIOSK_PATH_MAX - 16];
	if (kiosk_paths_state_dir(dir, sizeof dir) == KIOSK_OK) {
		if (!cfg->device_key_file[0])
			snprintf(cfg->device_key_file, sizeof cfg->device_key_file, "%s/device.key",
				 dir);
		if (!cfg->device_secret_file[0])
			snprintf(cfg->device_secret_file, sizeof cfg->device_secret_file,
				 "%s/device.secret", dir);
		if (!cfg->store_path[0])
			snprintf(cfg->store_path, sizeof cfg->store_path, "%s/kiosk.db", dir);
	}
	/* A socket's path is at most 107 bytes: a longer folder leaves it empty, and the
	 * control socket then says so by name. */
	if (!cfg->control_socket[0] && kiosk_paths_runtime_dir(dir, 90) == KIOSK_OK)
		snprintf(cfg->control_socket, sizeof cfg->control_socket, "%s/control.sock", dir);
}

void kiosk_config_defaults(struct kiosk_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	for (size_t i = 0; i < NFIELDS; i++)
		set_text(cfg, &fields[i], fields[i].def);
	derive_paths(cfg);
}

static const char *kind_name(enum kind k)
{
	static const char *const n[] = {"string", "string", "integer", "boolean", "number",
					"dimensions", "tier discounts"};
	return n[k];
}

static void set_json(struct kiosk_config *c, const struct field *f, const cJSON *v,
		     struct kiosk_config_diag *d)
{
	char *dst = (char *)c + f->off;
	switch (f->kind) {
	case K_STR:
	case K_ENUM:
		if (!cJSON_IsString(v)) {
			diag_add(d, "$.%s: expected string", f->path);
			return;
		}
		if (strlen(v->valuestring) >= f->size) {
			diag_add(d, "$.%s: longer than %zu bytes", f->path, f->size - 1);
			return;
		}
		if (f->kind == K_ENUM && !enum_has(f->choice, v->valuestring)) {
			diag_add(d, "$.%s: expected one of %s", f->path, f->choice);
			return;
		}
		snprintf(dst, f->size, "%s", v->valuestring);
		return;
	case K_BOOL:
		if (!cJSON_IsBool(v)) {
			diag_add(d, "$.%s: expected boolean", f->path);
			return;
		}
		*(bool *)(void *)dst = cJSON_IsTrue(v);
		return;
	case K_INT:
	case K_NUM:
		if (!cJSON_IsNumber(v) ||
		    (f->kind == K_INT && (v->valuedouble != floor(v->valuedouble)))) {
			diag_add(d, "$.%s: expected %s", f->path, kind_name(f->kind));
			return;
		}
		if (!(v->valuedouble >= f->min && v->valuedouble <= f->max)) {
			diag_add(d, "$.%s: %g is outside %g..%g", f->path, v->valuedouble, f->min,
				 f->max);
			return;
		}
		if (f->kind == K_INT)
			*(int *)(void *)dst = (int)v->valuedouble;
		else
			*(double *)(void *)dst = v->valuedouble;
		return;
	case K_DIMS: { /* "WxHxD", whole centimetres, nothing else */
		int w, h, dd, end = -1;
		const char *t = cJSON_GetStringValue(v);
		if (!t || sscanf(t, "%3dx%3dx%3d%n", &w, &h, &dd, &end) != 3 || t[end] ||
		    w < f->min || w > f->max || h < f->min || h > f->max || dd < f->min ||
		    dd > f->max || !isdigit((unsigned char)t[0])) {
			diag_add(d, "$.%s: expected width x height x depth in whole cm (%g..%g), "
				    "like \"41x8x51\"", f->path, f->min, f->max);
			return;
		}
		int *o = (int *)(void *)dst;
		o[0] = w, o[1] = h, o[2] = dd;
		return;
	}
	case K_TIERS: {
		char why[120];
		if (kiosk_config_tiers_parse(v, (int *)(void *)dst, why, sizeof why))
			diag_add(d, "$.%s%s", f->path, why);
		return;
	}
	}
}

/* Is path (without "$.") a prefix section of some field, i.e. an object we descend into? */
static int is_section(const char *path)
{
	size_t n = strlen(path);
	for (size_t i = 0; i < NFIELDS; i++)
		if (strncmp(fields[i].path, path, n) == 0 && fields[i].path[n] == '.')
			return 1;
	return 0;
}

static const struct field *find_field(const char *path)
{
	for (size_t i = 0; i < NFIELDS; i++)
		if (strcmp(fields[i].path, path) == 0)
			return &fields[i];
	return NULL;
}

static bool int_in(const cJSON *v, int lo, int hi)
{
	return cJSON_IsNumber(v) && v->valuedouble == floor(v->valuedouble) &&
	       v->valuedouble >= lo && v->valuedouble <= hi;
}

/* $.lock.compartments: [{"id": "A01", "board": 0, "lock": 1, "size": "M"}, …], each with
 * an optional place on the bank, "column" (from the left) and "row" (from the top), both
 * from 1, for the resident's "which door" (default: column board + 1, row lock). Every
 * entry is checked; a lock or a place named twice is refused (two doors cannot share a
 * latch, nor a spot). */
static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7F)
			return true;
	return false;
}

int kiosk_config_url_ok(const char *url, char *why, size_t wlen)
{
	const char *host = strncmp(url, "https://", 8) == 0  ? url + 8
			   : strncmp(url, "http://", 7) == 0 ? url + 7
							      : NULL;
	if (!host) {
		snprintf(why, wlen, "not an https:// URL");
		return KIOSK_ECONFIG;
	}
	size_t authority = strcspn(host, "/?#");
	if (!authority) {
		snprintf(why, wlen, "no host after the scheme");
		return KIOSK_ECONFIG;
	}
	if (memchr(host, '@', authority)) {
		snprintf(why, wlen, "a user or password in the URL (user@host): the device key "
				    "signs requests, nothing else goes in it");
		return KIOSK_ECONFIG;
	}
	for (const char *p = url; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7F) {
			snprintf(why, wlen, "a space or control byte in the URL");
			return KIOSK_ECONFIG;
		}
	if (host == url + 8)
		return KIOSK_OK;
	/* Plain HTTP only where no one else is on the wire: this machine. */
	static const char *const loop[] = {"127.0.0.1", "localhost", "[::1]"};
	for (size_t i = 0; i < sizeof loop / sizeof loop[0]; i++) {
		size_t n = strlen(loop[i]);
		if (strncmp(host, loop[i], n) == 0 && (host[n] == ':' || host[n] == '/' || !host[n]))
			return KIOSK_OK;
	}
	snprintf(why, wlen, "plain http:// is allowed to loopback only; use https://");
	return KIOSK_ECONFIG;
}

/* The files the kiosk opens are what they claim: an existing store, key or secret that
 * is a directory or a FIFO (which would hang the open) is named now, not at start. */
static void check_files(const struct kiosk_config *c, struct kiosk_config_diag *d)
{
	static const struct {
		const char *key;
		size_t off;
	} files[] = {{"store.path", offsetof(struct kiosk_config, store_path)},
		     {"device.key_file", offsetof(struct kiosk_config, device_key_file)},
		     {"device.secret_file", offsetof(struct kiosk_config, device_secret_file)}};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		const char *path = (const char *)c + files[i].off;
		struct stat sb;
		if (!path[0] || stat(path, &sb) != 0 || S_ISREG(sb.st_mode))
			continue;
		diag_add(d, "$.%s: %s is %s, not a file", files[i].key, path,
			 S_ISDIR(sb.st_mode)	? "a directory"
			 : S_ISFIFO(sb.st_mode) ? "a FIFO"
						: "a device or socket");
	}
}

/* The printer and the scanner are fitted when their port names a device: a spec, as
 * `kioskctl hal print --device` and `hal scan --device` take it ("usb:0416:5011",
 * "serial:/dev/kiosk-scan0"). Their driver, when given, is the spec's scheme. */
static void check_peripherals(const struct kiosk_config *c, struct kiosk_config_diag *d)
{
	char why[160];
	const struct {
		const char *cls;
		const struct kiosk_device_cfg *dc;
		int (*check)(const char *, char *, size_t);
	} p[] = {{"printer", &c->printer, printer_spec_check},
		 {"scanner", &c->scanner, scanner_spec_check}};
	for (size_t i = 0; i < sizeof p / sizeof p[0]; i++) {
		const struct kiosk_device_cfg *dc = p[i].dc;
		if (!dc->port[0]) {
			if (dc->driver[0])
				diag_add(d, "$.%s.port: empty: name the device (a spec such as %s)",
					 p[i].cls, i ? "serial:/dev/kiosk-scan0" : "usb:0416:5011");
			continue;
		}
		if (p[i].check(dc->port, why, sizeof why)) {
			diag_add(d, "$.%s.port: %s", p[i].cls, why);
			continue;
		}
		size_t n = strlen(dc->driver);
		if (n && (strncmp(dc->port, dc->driver, n) != 0 || dc->port[n] != ':'))
			diag_add(d, "$.%s.driver: '%s' is not the port's kind (%.*s)", p[i].cls,
				 dc->driver, (int)strcspn(dc->port, ":"), dc->port);
	}
}

/* The same limits the kiosk applies at start, so that the checker passes only what the
 * kiosk runs: the driver must be one of this build's, and it must have each board and
 * lock the compartments name. */
static void check_lock_driver(const struct kiosk_config *c, struct kiosk_config_diag *d)
{
	if (!c->ncompartments)
		return;
	const char *name = c->lock.driver[0] ? c->lock.driver : "kerong-cu16";
	const struct hal_lock_driver *drv = hal_lock_driver_find(name);
	if (!drv) {
		diag_add(d, "$.lock.driver: '%s' is not one of this build's lock drivers", name);
		return;
	}
	for (int i = 0; i < c->ncompartments; i++) {
		const struct kiosk_compartment_cfg *k = &c->compartments[i];
		if (k->board >= drv->max_boards)
			diag_add(d, "$.lock.compartments[%d].board: %d is outside 0..%d for %s", i,
				 k->board, drv->max_boards - 1, name);
		if (k->lock > drv->locks_per_board)
			diag_add(d, "$.lock.compartments[%d].lock: %d is outside 1..%d for %s", i,
				 k->lock, drv->locks_per_board, name);
	}
}

/* A key given twice in one object: cJSON keeps both and lookups take the first, so one
 * of the two is silently ignored. Refused with its path. */
static void duplicate_keys(const cJSON *node, const char *path, struct kiosk_config_diag *d)
{
	int i = 0;
	for (const cJSON *m = node ? node->child : NULL; m; m = m->next, i++) {
		char sub[160];
		if (cJSON_IsObject(node)) {
			for (const cJSON *o = node->child; o != m; o = o->next)
				if (o->string && m->string && strcmp(o->string, m->string) == 0) {
					diag_add(d, "%s.%.60s: given twice", path, m->string);
					break;
				}
			snprintf(sub, sizeof sub, "%s.%.60s", path, m->string ? m->string : "");
		} else {
			snprintf(sub, sizeof sub, "%s[%d]", path, i);
		}
		if (cJSON_IsObject(m) || cJSON_IsArray(m))
			duplicate_keys(m, sub, d);
	}
}

static void compartments(struct kiosk_config *c, const cJSON *arr, struct kiosk_config_diag *d)
{
	if (!cJSON_IsArray(arr)) {
		diag_add(d, "$.lock.compartments: expected array");
		return;
	}
	int i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
	{
		const cJSON *id = cJSON_GetObjectItem(e, "id"), *b = cJSON_GetObjectItem(e, "board"),
			    *l = cJSON_GetObjectItem(e, "lock"), *s = cJSON_GetObjectItem(e, "size"),
			    *col = cJSON_GetObjectItem(e, "column"), *row = cJSON_GetObjectItem(e, "row");
		int before = d->count;
		if (i >= KIOSK_MAX_COMPARTMENTS) {
			diag_add(d, "$.lock.compartments: more than %d", KIOSK_MAX_COMPARTMENTS);
			return;
		}
		if (!cJSON_IsObject(e)) {
			diag_add(d, "$.lock.compartments[%d]: expected object", i);
		} else {
			if (!cJSON_IsString(id) || !*id->valuestring || strlen(id->valuestring) > 15)
				diag_add(d, "$.lock.compartments[%d].id: expected string of 1..15 bytes",
					 i);
			else if (has_control(id->valuestring))
				diag_add(d, "$.lock.compartments[%d].id: control character", i);
			if (!cJSON_IsNumber(b) || b->valuedouble != floor(b->valuedouble) ||
			    b->valuedouble < 0 || b->valuedouble > 31)
				diag_add(d, "$.lock.compartments[%d].board: expected integer 0..31", i);
			if (!cJSON_IsNumber(l) || l->valuedouble != floor(l->valuedouble) ||
			    l->valuedouble < 1 || l->valuedouble > 24)
				diag_add(d, "$.lock.compartments[%d].lock: expected integer 1..24", i);
			if (!cJSON_IsString(s) || !enum_has("S|M|L|XL", s->valuestring))
				diag_add(d, "$.lock.compartments[%d].size: expected one of S|M|L|XL", i);
			if (col && !int_in(col, 1, KIOSK_MAX_PLACE))
				diag_add(d, "$.lock.compartments[%d].column: expected integer 1..%d", i,
					 KIOSK_MAX_PLACE);
			if (row && !int_in(row, 1, KIOSK_MAX_PLACE))
				diag_add(d, "$.lock.compartments[%d].row: expected integer 1..%d", i,
					 KIOSK_MAX_PLACE);
			const cJSON *m;
			cJSON_ArrayForEach(m, e)
			{
				if (strcmp(m->string, "id") && strcmp(m->string, "board") &&
				    strcmp(m->string, "lock") && strcmp(m->string, "size") &&
				    strcmp(m->string, "column") && strcmp(m->string, "row"))
					diag_add(d, "$.lock.compartments[%d].%s: unknown key", i,
						 m->string);
			}
		}
		if (d->count == before) {
			struct kiosk_compartment_cfg *k = &c->compartments[i];
			snprintf(k->id, sizeof k->id, "%s", id->valuestring);
			k->board = (int)b->valuedouble;
			k->lock = (int)l->valuedouble;
			snprintf(k->size, sizeof k->size, "%s", s->valuestring);
			k->column = col ? (int)col->valuedouble : k->board + 1;
			k->row = row ? (int)row->valuedouble : k->lock;
			for (int j = 0; j < i; j++) {
				const struct kiosk_compartment_cfg *o = &c->compartments[j];
				if (o->board == k->board && o->lock == k->lock)
					diag_add(d,
						 "$.lock.compartments[%d]: board %d lock %d is already"
						 " compartment %s",
						 i, k->board, k->lock, o->id);
				else if (o->column == k->column && o->row == k->row)
					diag_add(d,
						 "$.lock.compartments[%d]: column %d row %d is already"
						 " compartment %s",
						 i, k->column, k->row, o->id);
				else if (strcmp(o->id, k->id) == 0)
					diag_add(d, "$.lock.compartments[%d].id: %s is used twice", i,
						 k->id);
			}
		}
		i++;
	}
	c->ncompartments = i;
}

static void walk(struct kiosk_config *c, const cJSON *obj, const char *prefix,
		 struct kiosk_config_diag *d)
{
	const cJSON *m;
	cJSON_ArrayForEach(m, obj)
	{
		char path[128];
		int n = snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "",
				 m->string ? m->string : "");
		if (n < 0 || (size_t)n >= sizeof path) {
			diag_add(d, "$.%.60s...: key path too long", prefix);
			continue;
		}
		const struct field *f = find_field(path);
		if (strcmp(path, "lock.compartments") == 0) {
			compartments(c, m, d);
		} else if (f) {
			set_json(c, f, m, d);
		} else if (is_section(path)) {
			if (cJSON_IsObject(m))
				walk(c, m, path, d);
			else
				diag_add(d, "$.%s: expected object", path);
		} else {
			diag_add(d, "$.%s: unknown key", path);
		}
	}
}

int kiosk_config_parse(const char *text, size_t len, struct kiosk_config *cfg,
		       struct kiosk_config_diag *diag)
{
	diag->count = 0;
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (!root) {
		/* cJSON points at the byte it stopped on; turn it into a line number. */
		int line = 1;
		const char *stop = end ? end : text;
		for (const char *p = text; p < stop && p < text + len; p++)
			line += *p == '\n';
		diag_add(diag, "$: invalid JSON near line %d", line);
		return KIOSK_ECONFIG;
	}
	struct kiosk_config tmp;
	kiosk_config_defaults(&tmp);
	if (!cJSON_IsObject(root)) {
		diag_add(diag, "$: expected object");
	} else {
		duplicate_keys(root, "$", diag);
		walk(&tmp, root, "", diag);
		if (!diag->count) {
			check_lock_driver(&tmp, diag);
			check_peripherals(&tmp, diag);
		}
		char why[160];
		if (tmp.platform_url[0] && kiosk_config_url_ok(tmp.platform_url, why, sizeof why))
			diag_add(diag, "$.platform.url: %s", why);
	}
	cJSON_Delete(root);
	/* cJSON ends a string at an escaped NUL: "kiosk.db\u0000x" would quietly be another
	 * path than the one written */
	for (size_t i = 0; i + 6 <= len; i++)
		if (text[i] == '\\' && text[i + 1] == 'u' && strncmp(text + i + 2, "0000", 4) == 0) {
			diag_add(diag, "$: a string holds \\u0000 (a NUL byte), which no path or "
				       "name may");
			break;
		}
	derive_paths(&tmp); /* a path set to "" explicitly */
	check_files(&tmp, diag); /* every error in one run: these too */
	if (diag->count)
		return KIOSK_ECONFIG;
	*cfg = tmp;
	return KIOSK_OK;
}

int kiosk_config_load(const char *path, struct kiosk_config *cfg, struct kiosk_config_diag *diag)
{
	enum { LIMIT = 1 << 20 };
	int rc = KIOSK_ECONFIG;
	diag->count = 0;
	FILE *f = fopen(path, "rb");
	if (!f) {
		diag_add(diag, "%s: cannot open: %s", path, strerror(errno));
		return KIOSK_ECONFIG;
	}
	char *buf = kiosk_malloc(LIMIT + 1);
	if (!buf) {
		rc = KIOSK_ENOMEM;
		goto out_close;
	}
	size_t n = fread(buf, 1, LIMIT + 1, f);
	if (ferror(f)) {
		diag_add(diag, "%s: read error", path);
		goto out_free;
	}
	if (n > LIMIT) {
		diag_add(diag, "%s: larger than 1 MiB", path);
		goto out_free;
	}
	rc = kiosk_config_parse(buf, n, cfg, diag);
out_free:
	kiosk_free(buf);
out_close:
	fclose(f);
	return rc;
}

/* What the operator's platform may set (a `config` change): the kiosk's rules for
 * residents, never where it connects, what it trusts, or its hardware. */
static const char *const remote_keys[] = {
	"help.phone",	      "ui.idle_timeout_s",     "parcel.keep_days",
	"parcel.free_hours",  "parcel.fee_block_hours", "parcel.fee_block_fen",
	"parcel.fee_cap_fen", "send.price_s_fen",	 "send.price_m_fen",
	"send.price_l_fen",   "send.price_xl_fen",	 "platform.heartbeat_s",
	"platform.pull_s",    "meal.discounts",	 "meal.max_portions",
	"meal.full_price_note_zh", "meal.full_price_note_en",
};

int kiosk_config_set_remote(struct kiosk_config *cfg, const char *key, const char *json,
			    char *why, size_t wlen)
{
	const struct field *f = NULL;
	for (size_t i = 0; i < sizeof remote_keys / sizeof remote_keys[0]; i++)
		if (strcmp(remote_keys[i], key) == 0)
			f = find_field(key);
	if (!f) {
		snprintf(why, wlen, "%.60s: not a key the platform may set", key);
		return KIOSK_EPERM;
	}
	cJSON *v = cJSON_Parse(json);
	struct kiosk_config_diag d = {0};
	struct kiosk_config next = *cfg;
	if (!v)
		diag_add(&d, "$.%s: not JSON", f->path);
	else
		set_json(&next, f, v, &d);
	cJSON_Delete(v);
	if (d.count) {
		snprintf(why, wlen, "%s", d.msg[0]);
		return KIOSK_EINVAL;
	}
	*cfg = next;
	return KIOSK_OK;
}
