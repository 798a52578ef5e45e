/* 便民地图 The neighbourhood map: streets drawn as thick lines coloured by how far they are
 * on foot (5, 10, 15 minutes from the kiosk, at this resident's pace), street names, pins
 * by category, "you are here"; one finger pans, two pinch, +/− zoom; a pin tapped shows
 * its card and the walk drawn on the map. Category chips filter the pins. Reads the core's
 * neighbourhood; the data's credit (OpenStreetMap's, or what the file states) stays on screen. */
#include "screens/ui/draw.h"
#include "screens/ui/image.h"
#include "screens/map_layer.h"
#include "screens/map_tiles.h"
#include "screens/map_names.h"
#include "screens/place.h"
#include "screens/screen.h"
#include "screens/print_offer.h"
#include "screens/strings.h"
#include "screens/ui/widget.h"
#include "kiosk/neighbourhood.h"
#include "hal/base/error.h"

#include <SDL_image.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_ROUTE 512
#define MIN_SCALE 0.3 /* metres per pixel, zoomed in */
#define MAX_SCALE 8.0

static struct {
	const struct kiosk_neighbourhood *nb;
	double clat, clon; /* the centre of the view */
	double scale;      /* metres per canvas pixel */
	double ox, oy;     /* where the map's pixel (0, 0), the kiosk's position, is on screen */
	int sel;           /* the place tapped, -1 = none */
	int chip;
	struct ui_print print; /* the walk to the chosen place on paper */
	double route[MAX_ROUTE][2];
	int nroute;
	/* the walk to the chosen place in words, for steps_sel in steps_lang */
	char steps[1400];
	int steps_sel, steps_lang;
	SDL_Rect view;
	SDL_Rect credit; /* the data's credit in the view's corner: pins' tags keep off it */
	struct map_names *names; /* the streets' stretches, for their names */
	bool fit; /* frame the map at the first frame (the view's size is known then) */
	bool fit_place; /* … keeping the centre between the kiosk and the chosen place */
	bool keep_clear; /* next frame: the chosen place and the kiosk out from under controls */
	bool panned;     /* moved by a finger still on the map: kept clear once it lifts */
} m;

/* Pin filters: groups of categories a resident thinks in. */
static const struct {
	const char *id, *cats;
} chips[] = {
	{"map.chip.all", ""},
	{"map.chip.repair", "|key|shoe|bike|tailor|appliance|phone|watch|hardware|"},
	{"map.chip.food", "|breakfast|restaurant|canteen|market|convenience|"},
	{"map.chip.care", "|elderly|childcare|pharmacy|optician|"},
	{"map.chip.life", "|laundry|beauty|print|housekeeping|parcel|bank|sports|"},
};
#define NCHIPS (int)(sizeof chips / sizeof chips[0])

static bool shown(const struct kiosk_place *p)
{
	if (!chips[m.chip].cats[0])
		return true;
	char want[40];
	snprintf(want, sizeof want, "|%s|", p->category);
	return strstr(chips[m.chip].cats, want) != NULL;
}

/* Metres per degree of longitude, at the kiosk's latitude: one projection for the whole
 * map, so a street keeps its pixels while the view pans (the street layer's tiles). */
static double kx(void)
{
	return 111320.0 * cos((m.nb ? m.nb->kiosk_lat : m.clat) * M_PI / 180);
}

static void to_screen(double lat, double lon, float *x, float *y)
{
	*x = (float)(m.ox + (lon - m.nb->kiosk_lon) * kx() / m.scale);
	*y = (float)(m.oy - (lat - m.nb->kiosk_lat) * 110540.0 / m.scale);
}

static void from_screen(double x, double y, double *lat, double *lon)
{
	*lon = m.nb->kiosk_lon + (x - m.ox) * m.scale / kx();
	*lat = m.nb->kiosk_lat - (y - m.oy) * m.scale / 110540.0;
}

/* The view's centre decides where the kiosk's pixel is, to the whole pixel (tiles and
 * pins then agree). */
static void set_origin(void)
{
	m.ox = (double)lround(m.view.x + m.view.w / 2.0 - (m.clon - m.nb->kiosk_lon) * kx() / m.scale);
	m.oy = (double)lround(m.view.y + m.view.h / 2.0 + (m.clat - m.nb->kiosk_lat) * 110540.0 / m.scale);
}


static void select_place(int i)
{
	m.sel = i;
	if (m.print.st != UI_PRINT_ASKED)
		memset(&m.print, 0, sizeof m.print); /* another place's walk is its own */
	m.nroute = i >= 0 ? kiosk_neighbourhood_route(m.nb, (size_t)i, m.route, MAX_ROUTE) : 0;
	m.steps_sel = -2;
	m.keep_clear = true;
}

/* The walk to the chosen place step by step, in the language on screen ("" when there
 * is none); worked out again only when the place or the language changes. */
static const char *steps(const struct ui *ui)
{
	if (m.steps_sel != m.sel || m.steps_lang != (int)ui->lang) {
		m.steps[0] = '\0';
		if (m.sel >= 0)
			kiosk_neighbourhood_directions(m.nb, (size_t)m.sel, ui->lang == UI_EN, m.steps,
						       sizeof m.steps);
		m.steps_sel = m.sel;
		m.steps_lang = (int)ui->lang;
	}
	return m.steps;
}

/* The view on a neighbourhood just taken: around the kiosk, or the place asked for. */
static void map_start(struct ui *ui)
{
	m.sel = -1;
	m.nroute = 0;
	m.steps_sel = -2;
	m.chip = 0;
	m.scale = ui->elderly ? 0.5 : 0.6; /* a few blocks across: pins apart, names legible */
	m.clat = m.nb ? m.nb->kiosk_lat : 0;
	m.clon = m.nb ? m.nb->kiosk_lon : 0;
	map_tiles_open(m.nb);
	m.fit = true;
	m.fit_place = false;
	m.keep_clear = true;
	/* opened for a place ("show on map"): it is selected, the view between it and us */
	for (size_t i = 0; m.nb && ui->arg[0] && i < m.nb->nplaces; i++)
		if (strcmp(m.nb->places[i].id, ui->arg) == 0) {
			select_place((int)i);
			m.fit_place = true;
		}
	if (m.nb && map_names_build(m.nb, kx(), &m.names) != KIOSK_OK)
		m.names = NULL; /* the map without street names */
}

static void map_enter(struct ui *ui)
{
	m.nb = kiosk_core_neighbourhood(ui->core);
	map_start(ui);
}

static void map_leave(struct ui *ui)
{
	(void)ui;
	map_tiles_close(); /* its reader uses the neighbourhood: stopped before it goes */
	map_layer_drop();
	map_names_free(m.names);
	m.names = NULL;
	kiosk_neighbourhood_put(m.nb);
	m.nb = NULL;
}

/* Web Mercator: the tile column and row (fractional) of a position at zoom z. */
static void tile_xy(double lat, double lon, int z, double *x, double *y)
{
	double n = (double)(1 << z), r = lat * M_PI / 180;
	*x = (lon + 180) / 360 * n;
	*y = (1 - log(tan(r) + 1 / cos(r)) / M_PI) / 2 * n;
}

static double tile_lat(double y, int z)
{
	double n = M_PI - 2 * M_PI * y / (double)(1 << z);
	return atan(sinh(n)) * 180 / M_PI;
}

/* The raster base map under the streets in area (pixels of the current target): the zoom
 * whose pixels are nearest ours, every tile the area touches, each placed by its corners. */
static void draw_base(struct ui *ui, SDL_Rect area)
{
	int minz, maxz;
	if (!kiosk_neighbourhood_tile_zooms(m.nb, &minz, &maxz))
		return;
	double res0 = 156543.03392 * cos(m.nb->kiosk_lat * M_PI / 180); /* m/px at zoom 0 */
	int z = (int)lround(log2(res0 / m.scale));
	z = z < minz ? minz : z > maxz ? maxz : z;
	double la0, lo0, la1, lo1, x0, y0, x1, y1;
	from_screen(area.x, area.y, &la0, &lo0);
	from_screen(area.x + area.w, area.y + area.h, &la1, &lo1);
	tile_xy(la0, lo0, z, &x0, &y0);
	tile_xy(la1, lo1, z, &x1, &y1);
	SDL_RenderSetClipRect(ui->ren, &area);
	for (int ty = (int)floor(y0); ty <= (int)floor(y1) && ty - (int)floor(y0) < 16; ty++)
		for (int tx = (int)floor(x0); tx <= (int)floor(x1) && tx - (int)floor(x0) < 16; tx++) {
			SDL_Texture *t = map_tiles_get(ui, z, tx, ty);
			if (!t)
				continue;
			double n = (double)(1 << z);
			float ax, ay, bx, by;
			to_screen(tile_lat(ty, z), tx / n * 360 - 180, &ax, &ay);
			to_screen(tile_lat(ty + 1, z), (tx + 1) / n * 360 - 180, &bx, &by);
			SDL_FRect r = {ax, ay, bx - ax, by - ay};
			SDL_RenderCopyF(ui->ren, t, NULL, &r);
		}
	SDL_RenderSetClipRect(ui->ren, NULL);
}

/* Base-map tiles that came in since the last frame: the street tiles drawn over where
 * they go are drawn again, with them. */
static void base_arrivals(struct ui *ui)
{
	int in[48][3];
	int n = map_tiles_collect(ui, in, 48);
	for (int k = 0; k < n; k++) {
		int z = in[k][0], tx = in[k][1], ty = in[k][2];
		double w = (double)(1 << z);
		float ax, ay, bx, by;
		to_screen(tile_lat(ty, z), tx / w * 360 - 180, &ax, &ay);
		to_screen(tile_lat(ty + 1, z), (tx + 1) / w * 360 - 180, &bx, &by);
		map_layer_refresh((SDL_Rect){(int)floorf(ax - (float)m.ox) - 1,
					     (int)floorf(ay - (float)m.oy) - 1,
					     (int)ceilf(bx - ax) + 2, (int)ceilf(by - ay) + 2});
	}
}

/* Where the view's centre goes on one axis: on the kiosk, unless the view would then
 * show past the edge of the map on one side while there is map left on the other (a
 * kiosk at a compound's gate on the last street); the whole map's middle when it all
 * fits. The kiosk stays in view either way. */
static double frame(double kiosk, double lo, double hi, double half)
{
	if (hi - lo <= 2 * half)
		return (lo + hi) / 2;
	if (kiosk - half < lo)
		return lo + half;
	if (kiosk + half > hi)
		return hi - half;
	return kiosk;
}

static void fit_view(int ch)
{
	/* closer in until the map fills the view across its narrower side (a wide
	 * neighbourhood on a tall screen leaves no empty band; the rest is a pan away),
	 * never further out than the first view's scale */
	double wm = (m.nb->max_lon - m.nb->min_lon) * kx(), hm = (m.nb->max_lat - m.nb->min_lat) * 110540.0;
	double cover = fmin(wm / (m.view.w - 96), hm / (m.view.h - 96));
	if (m.view.w > 96 && m.view.h > 96 && cover > 0 && cover < m.scale)
		m.scale = fmax(MIN_SCALE, cover);
	/* the map's edge a little inside the view: the last street whole, not on the border;
	 * around the kiosk, or the middle of the walk to a chosen place */
	double pad = 48 * m.scale, dlat = pad / 110540.0, dlon = pad / kx();
	double lat = m.nb->kiosk_lat, lon = m.nb->kiosk_lon;
	if (m.fit_place && m.sel >= 0) {
		/* the whole walk in view: its box, with room for the pins and the controls,
		 * zoomed out as far as that needs (and no further than the map allows) */
		double la0 = lat, la1 = lat, lo0 = lon, lo1 = lon;
		for (int i = 0; i < m.nroute; i++) {
			la0 = fmin(la0, m.route[i][0]), la1 = fmax(la1, m.route[i][0]);
			lo0 = fmin(lo0, m.route[i][1]), lo1 = fmax(lo1, m.route[i][1]);
		}
		la0 = fmin(la0, m.nb->places[m.sel].lat), la1 = fmax(la1, m.nb->places[m.sel].lat);
		lo0 = fmin(lo0, m.nb->places[m.sel].lon), lo1 = fmax(lo1, m.nb->places[m.sel].lon);
		int room = 2 * (ch + 40); /* a control's width each side, and a pin's */
		if (m.view.w > room && m.view.h > room) {
			double need = fmax((lo1 - lo0) * kx() / (m.view.w - room),
					   (la1 - la0) * 110540.0 / (m.view.h - room));
			if (need > m.scale)
				m.scale = fmin(MAX_SCALE, need);
		}
		lat = (la0 + la1) / 2;
		lon = (lo0 + lo1) / 2;
		pad = 48 * m.scale, dlat = pad / 110540.0, dlon = pad / kx();
	}
	m.clat = frame(lat, m.nb->min_lat - dlat, m.nb->max_lat + dlat,
		       m.view.h * m.scale / 110540.0 / 2);
	m.clon = frame(lon, m.nb->min_lon - dlon, m.nb->max_lon + dlon,
		       m.view.w * m.scale / kx() / 2);
}

static void zoom(double f)
{
	m.scale = fmin(MAX_SCALE, fmax(MIN_SCALE, m.scale * f));
	m.keep_clear = true;
}

static int map_event(struct ui *ui, const struct ui_event *ev)
{
	ui_dirty(ui);
	if (!m.nb)
		return 0;
	if (strcmp(ev->id, "map.zoom_in") == 0) {
		zoom(1 / 1.5); /* which spreads the map out from the centre: maybe under a control */
		return 1;
	}
	if (strcmp(ev->id, "map.zoom_out") == 0) {
		zoom(1.5);
		return 1;
	}
	if (strcmp(ev->id, "map.here") == 0) {
		m.clat = m.nb->kiosk_lat;
		m.clon = m.nb->kiosk_lon;
		m.keep_clear = true;
		return 1;
	}
	if (strcmp(ev->id, "map.card_close") == 0) {
		select_place(-1);
		return 1;
	}
	if (m.sel >= 0 &&
	    ui_print_event(ui, &m.print, ev->id, KIOSK_CMD_PRINT_ROUTE, m.nb->places[m.sel].id))
		return 1;
	for (int i = 0; i < NCHIPS; i++)
		if (strcmp(ev->id, chips[i].id) == 0) {
			m.chip = i;
			if (m.sel >= 0 && !shown(&m.nb->places[m.sel]))
				select_place(-1);
			return 1;
		}
	if (strncmp(ev->id, "map.near.", 9) == 0) { /* from the nearest list: its walk, in view */
		int i = atoi(ev->id + 9);
		if (i >= 0 && (size_t)i < m.nb->nplaces) {
			select_place(i);
			m.fit = m.fit_place = true;
		}
		return 1;
	}
	if (strncmp(ev->id, "map.pin.", 8) == 0) {
		/* framed with its walk too: the card takes the lower part of the map, where
		 * the pin and the kiosk may have been */
		int i = atoi(ev->id + 8);
		if (i >= 0 && (size_t)i < m.nb->nplaces) {
			select_place(i);
			m.fit = m.fit_place = true;
		}
		return 1;
	}
	return 0;
}

/* The walking time's colour: 5, 10, 15 minutes, further, none. One hue, darker when
 * closer: green-yellow-orange would read as a traffic map's 畅通/缓行/拥堵. */
static SDL_Color reach(double seconds)
{
	if (seconds < 0)
		return (SDL_Color){0xC9, 0xC6, 0xBF, 0xFF};
	if (seconds <= 300)
		return (SDL_Color){0x0E, 0x5A, 0x47, 0xFF};
	if (seconds <= 600)
		return (SDL_Color){0x5A, 0xB2, 0x97, 0xFF};
	if (seconds <= 900)
		return (SDL_Color){0xB2, 0xDE, 0xCE, 0xFF};
	return (SDL_Color){0xD8, 0xD4, 0xCC, 0xFF};
}

static bool on_view(float x, float y, int pad)
{
	double vx = m.view.x, vy = m.view.y, vw = m.view.w, vh = m.view.h;
	return x >= vx - pad && x <= vx + vw + pad && y >= vy - pad && y <= vy + vh + pad;
}

/* The streets in area (pixels of the current target), thick and coloured by the walk
 * from the kiosk at this pace; a segment is drawn when its box, widened by its
 * thickness, meets the area (a long street crossing it with both ends outside too). */
static void draw_streets(struct ui *ui, SDL_Rect area, double speed)
{
	static SDL_Vertex *v;
	static size_t cap;
	size_t need = m.nb->nsegments * 6;
	if (need > cap) {
		SDL_Vertex *nv = realloc(v, need * sizeof *v);
		if (!nv)
			return;
		v = nv;
		cap = need;
	}
	size_t n = 0;
	float wz = (float)(1.2 / m.scale);
	float ax0 = (float)area.x, ay0 = (float)area.y;
	float ax1 = (float)(area.x + area.w), ay1 = (float)(area.y + area.h);
	for (size_t i = 0; i < m.nb->nsegments; i++) {
		const struct kiosk_segment *s = &m.nb->segments[i];
		float x0, y0, x1, y1;
		to_screen(s->lat0, s->lon0, &x0, &y0);
		to_screen(s->lat1, s->lon1, &x1, &y1);
		float w = (s->kind == 0 ? 10.0f : s->kind == 1 ? 16.0f : 24.0f) * wz;
		w = w < 4 ? 4 : w;
		if (fmaxf(x0, x1) + w < ax0 || fminf(x0, x1) - w > ax1 || fmaxf(y0, y1) + w < ay0 ||
		    fminf(y0, y1) - w > ay1)
			continue;
		double c = s->cost0 < 0 ? s->cost1 : s->cost1 < 0 ? s->cost0 : fmin(s->cost0, s->cost1);
		ui_quad(&v[n], x0, y0, x1, y1, w, reach(c < 0 ? -1 : c / speed));
		n += 6;
	}
	SDL_RenderSetClipRect(ui->ren, &area);
	SDL_SetRenderDrawBlendMode(ui->ren, SDL_BLENDMODE_NONE); /* opaque: written, not blended */
	if (n)
		SDL_RenderGeometry(ui->ren, NULL, v, (int)n, NULL, 0);
	SDL_SetRenderDrawBlendMode(ui->ren, SDL_BLENDMODE_BLEND);
	SDL_RenderSetClipRect(ui->ren, NULL);
}

/* One tile of the street layer: the map's background, the base map, the streets. */
static void layer_tile(struct ui *ui, int tx, int ty, void *arg)
{
	double speed = *(const double *)arg, ox = m.ox, oy = m.oy;
	m.ox = -(double)tx * MAP_LAYER_TILE; /* the map's pixel (0, 0) in the tile's pixels */
	m.oy = -(double)ty * MAP_LAYER_TILE;
	SDL_Rect all = {0, 0, MAP_LAYER_TILE, MAP_LAYER_TILE};
	SDL_SetRenderDrawColor(ui->ren, 0xEE, 0xEB, 0xE3, 0xFF);
	SDL_RenderClear(ui->ren);
	draw_base(ui, all);
	draw_streets(ui, all, speed);
	m.ox = ox;
	m.oy = oy;
}

/* What the tiles were drawn for: a new value draws them again. */
static unsigned long layer_gen(double speed)
{
	static const void *nb;
	static double scale, sp;
	static unsigned long gen;
	if (nb != m.nb || scale != m.scale || sp != speed) {
		nb = m.nb;
		scale = m.scale;
		sp = speed;
		gen++;
	}
	return gen;
}

/* The walk to the chosen place, over the streets. */
static void draw_route(struct ui *ui)
{
	if (m.nroute < 2)
		return;
	SDL_Vertex rv[6 * MAX_ROUTE];
	int k = 0;
	for (int i = 0; i + 1 < m.nroute; i++) {
		float x0, y0, x1, y1;
		to_screen(m.route[i][0], m.route[i][1], &x0, &y0);
		to_screen(m.route[i + 1][0], m.route[i + 1][1], &x1, &y1);
		ui_quad(&rv[k], x0, y0, x1, y1, 12, (SDL_Color){0x1E, 0x5A, 0xC8, 0xFF});
		k += 6;
	}
	SDL_RenderSetClipRect(ui->ren, &m.view);
	SDL_RenderGeometry(ui->ren, NULL, rv, k, NULL, 0);
	SDL_RenderSetClipRect(ui->ren, NULL);
}

/* What is already on the map (pins, you are here): names and pins keep off each other so
 * every one stays readable and tappable. */
static SDL_Rect taken[256];
static int ntaken;

static bool free_at(const SDL_Rect *r)
{
	for (int i = 0; i < ntaken; i++)
		if (SDL_HasIntersection(r, &taken[i]))
			return false;
	return true;
}

static SDL_Color pin_colour(const char *cat)
{
	/* the repairs, the map's first purpose, each a colour of its own so 配钥匙 and 修鞋
	 * are told apart at a glance (white icons on all of them keep AA contrast) */
	static const struct {
		const char *cat;
		SDL_Color c;
	} repair[] = {
		{"key", {0x8E, 0x44, 0xAD, 0xFF}},	 {"shoe", {0x6D, 0x4C, 0x41, 0xFF}},
		{"bike", {0x00, 0x69, 0x7C, 0xFF}},	 {"tailor", {0xAD, 0x14, 0x57, 0xFF}},
		{"appliance", {0x28, 0x35, 0x93, 0xFF}}, {"phone", {0x45, 0x5A, 0x64, 0xFF}},
		{"watch", {0x6A, 0x1B, 0x9A, 0xFF}},	 {"hardware", {0x5D, 0x40, 0x37, 0xFF}},
	};
	for (size_t i = 0; i < sizeof repair / sizeof repair[0]; i++)
		if (strcmp(repair[i].cat, cat) == 0)
			return repair[i].c;
	for (int i = 1; i < NCHIPS; i++) {
		char want[40];
		snprintf(want, sizeof want, "|%s|", cat);
		if (strstr(chips[i].cats, want)) {
			static const SDL_Color c[] = {{0, 0, 0, 0},
						      {0x8E, 0x44, 0xAD, 0xFF},
						      {0xC0, 0x57, 0x1E, 0xFF},
						      {0xB0, 0x22, 0x52, 0xFF},
						      {0x1F, 0x5F, 0x8B, 0xFF}};
			return c[i];
		}
	}
	return UI_C_HEADER;
}

/* Pins' names beside them where there is room, the chosen one first and then the nearest
 * (places are nearest first), a few at most: a name that would cover a pin, a control or
 * another name waits for a closer zoom. shown[] are the pins drawn, with their boxes. */
#define PIN_NAMES 6
static void pin_names(struct ui *ui, const int *shown_i, const SDL_Rect *box, int n)
{
	int px = ui_text_px(ui, 24), named = 0;
	for (int pass = 0; pass < 2; pass++)
		for (int k = 0; k < n && named < PIN_NAMES + 1; k++) {
			if ((shown_i[k] == m.sel) != (pass == 0))
				continue;
			const struct kiosk_place *p = &m.nb->places[shown_i[k]];
			const char *name = ui->lang == UI_ZH ? p->name_zh : p->name_en;
			SDL_Rect b = box[k];
			/* the least of a tag on each side (a narrow letter, half a line): taken
			 * there, no tag fits; among a dense cluster of pins most are, and their
			 * names need not be measured (measuring them all cost a millisecond) */
			int least = 12 + px / 3, cy = b.y + b.h / 2 - px / 4;
			SDL_Rect least_r = {b.x + b.w + 2, cy, least, px / 2},
				 least_l = {b.x - 2 - least, cy, least, px / 2};
			if (!(least_r.x + least_r.w <= m.view.x + m.view.w && free_at(&least_r)) &&
			    !(least_l.x >= m.view.x && free_at(&least_l)))
				continue;
			int w, h;
			ui_text_size(ui, name, px, true, &w, &h);
			SDL_Rect sides[2] = {{b.x + b.w + 2, b.y + (b.h - h) / 2 - 2, w + 12, h + 4},
					     {b.x - w - 14, b.y + (b.h - h) / 2 - 2, w + 12, h + 4}};
			for (int s = 0; s < 2; s++) {
				SDL_Rect t = sides[s];
				if (t.x < m.view.x || t.x + t.w > m.view.x + m.view.w || !free_at(&t))
					continue;
				taken[ntaken++] = t;
				ui_fill_round(ui, t, 8, UI_C_WHITE);
				ui_text(ui, name, px, UI_C_INK, true, t.x + 6, t.y + 2, UI_ALIGN_LEFT);
				named++;
				break;
			}
			if (ntaken >= 255)
				return;
		}
}

static void draw_pins(struct ui *ui)
{
	int r = ui->elderly ? 38 : 28; /* 长辈模式: never lower than a chosen pin */
	/* you are here, first: nothing covers it; its tag below it, or above near the
	 * bottom, and kept inside the map */
	float x, y;
	to_screen(m.nb->kiosk_lat, m.nb->kiosk_lon, &x, &y);
	bool me_shown = on_view(x, y, -20);
	SDL_Rect me = {(int)x - 18, (int)y - 18, 36, 36};
	int hp = ui_text_px(ui, 28), w, h;
	ui_text_size(ui, ui_tr(ui, "map.you_are_here"), hp, true, &w, &h);
	SDL_Rect tag = {(int)x - w / 2 - 8, (int)y + 24, w + 16, h + 4};
	if (tag.y + tag.h > m.view.y + m.view.h || SDL_HasIntersection(&tag, &m.credit))
		tag.y = (int)y - 24 - tag.h;
	if (tag.x < m.view.x)
		tag.x = m.view.x;
	if (tag.x + tag.w > m.view.x + m.view.w)
		tag.x = m.view.x + m.view.w - tag.w;
	if (me_shown) {
		taken[ntaken++] = ui_inset(me, -6);
		taken[ntaken++] = tag;
	}
	/* pins, nearest first; one that would hide another is left for a closer zoom, and the
	 * chosen one is always shown */
	int shown_i[128], nshown = 0;
	SDL_Rect boxes[128];
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < m.nb->nplaces && ntaken < 256; i++) {
			const struct kiosk_place *p = &m.nb->places[i];
			bool sel = (int)i == m.sel;
			if (sel != (pass == 0))
				continue;
			to_screen(p->lat, p->lon, &x, &y);
			if (!shown(p) || !on_view(x, y, -r))
				continue;
			int rr = sel ? r + 8 : r;
			SDL_Rect box = {(int)x - rr, (int)y - rr, 2 * rr, 2 * rr};
			SDL_Rect hit = ui_inset(box, -8);
			if (!sel && !free_at(&hit))
				continue;
			taken[ntaken++] = hit;
			if (nshown < 128) {
				shown_i[nshown] = (int)i;
				boxes[nshown++] = box;
			}
			ui_fill_round(ui, box, rr, sel ? UI_C_ALERT : pin_colour(p->category));
			/* the category's picture says what it is at a glance */
			char icon[48];
			ui_image(ui, ui_category_icon(p->category, icon, sizeof icon),
				 ui_inset(box, rr * 3 / 10));
			char id[32];
			snprintf(id, sizeof id, "map.pin.%zu", i);
			ui_widget_add(ui, id, ui->lang == UI_ZH ? p->name_zh : p->name_en, hit,
				      UI_ROLE_BUTTON);
		}
	}
	pin_names(ui, shown_i, boxes, nshown);
	if (!me_shown)
		return;
	ui_fill_round(ui, me, 18, (SDL_Color){0xD3, 0x2F, 0x2F, 0xFF});
	ui_fill_round(ui, tag, 8, (SDL_Color){0xB7, 0x1C, 0x1C, 0xFF});
	ui_text(ui, ui_tr(ui, "map.you_are_here"), hp, UI_C_WHITE, true, tag.x + tag.w / 2,
		tag.y + 2, UI_ALIGN_CENTER);
}

/* The chosen place's card: its name, what it is and how far, its address, and the walk
 * step by step beside a QR code that carries the steps away on a phone (offline, no map
 * app needed). Laid out once to measure (r.h 0: returns the height it needs), then drawn. */
static int card(struct ui *ui, SDL_Rect r, bool draw)
{
	const struct kiosk_place *p = &m.nb->places[m.sel];
	int np = ui_text_px(ui, 44), lp = ui_text_px(ui, 32), sp = ui_text_px(ui, 30);
	int hp = ui_text_px(ui, 28), ch = ui_control_h(ui), qr = 260;
	char address[200], hours[200], numbered[1600];
	ui_place_lines(ui, m.nb, (size_t)m.sel, address, sizeof address, hours, sizeof hours);
	const char *walk_steps = steps(ui);
	ui_number_lines(walk_steps, numbered, sizeof numbered);
	SDL_Rect in = ui_inset(r, 20);
	int text_w = in.w - qr - 24;
	int body = 0;
	if (walk_steps[0]) {
		int sh = ui_label_height(ui, numbered, sp, false, text_w) + hp + 8;
		body = sh > qr ? sh : qr;
	}
	int need = 40 + np + 12 + lp + 12 + (address[0] ? lp + 12 : 0) + body + 12 + ch;
	if (!draw)
		return need;
	time_t t = (time_t)(ui_now_ms(ui) / 1000);
	struct tm now;
	localtime_r(&t, &now);
	enum kiosk_open o = kiosk_neighbourhood_open(m.nb, (size_t)m.sel, &now);
	char walk[48], line[200];
	ui_walk_text(ui, p, walk, sizeof walk);
	snprintf(line, sizeof line, "%s · %s · %s", ui_category_name(ui, p->category),
		 ui_tr(ui, ui_open_key(o)), walk);
	ui_fill_round(ui, r, 24, UI_C_PANEL);
	SDL_Rect close = ui_take_bottom(&in, ch, 12);
	const char *name = ui->lang == UI_ZH ? p->name_zh : p->name_en;
	ui_text_fit(ui, name, np, 28, UI_C_INK, true, ui_take_top(&in, np + 8, 4));
	ui_text_fit(ui, line, lp, 22, o == KIOSK_OPEN ? UI_C_HEADER : UI_C_MUTED, true,
		    ui_take_top(&in, lp + 8, 4));
	if (address[0])
		ui_text_fit(ui, address, lp, 22, UI_C_INK, false, ui_take_top(&in, lp + 8, 4));
	if (walk_steps[0]) { /* what is left: a card cut to half the screen has a smaller QR */
		SDL_Rect b = ui_take_top(&in, in.h, 0);
		int side = b.h < qr ? b.h : qr;
		SDL_Rect code = {b.x + b.w - side, b.y, side, side};
		text_w = b.w - side - 24; /* the steps take the room a smaller code leaves */
		SDL_Rect hint = {b.x, b.y + b.h - hp - 4, text_w, hp + 4};
		char take[1900];
		ui_take_away_text(ui, p, name, address, "", walk_steps, take, sizeof take);
		ui_label(ui, numbered, sp, UI_C_INK, false,
			 (SDL_Rect){b.x, b.y, text_w, b.h - hint.h - 4}, false);
		ui_qr(ui, take, code);
		/* beside the code, at its foot: what it is for */
		ui_text(ui, ui_tr(ui, "map.take_away"), hp, UI_C_MUTED, false, code.x - 16,
			hint.y, UI_ALIGN_RIGHT);
	}
	if (ui_print_shown(ui, &m.print)) { /* 打印路线 beside 关闭 */
		ui_print_draw(ui, &m.print, ui_grid_cell(close, 2, 1, 12, 0), "print.route");
		close = ui_grid_cell(close, 2, 1, 12, 1);
	}
	ui_button(ui, "map.card_close", close, "map.card_close", UI_C_MUTED);
	return need;
}

/* The categories the nearest list names: the chip's, and the repairs under 全部 (the
 * map is the neighbourhood's repair map first). */
static const char *near_cats(void)
{
	return chips[m.chip].cats[0] ? chips[m.chip].cats : chips[1].cats;
}

/* The nearest place of category cat that a walk reaches, or -1 (places are nearest
 * first). */
static int nearest_of(const char *cat, size_t n)
{
	for (size_t i = 0; i < m.nb->nplaces; i++)
		if (m.nb->places[i].seconds >= 0 && strncmp(m.nb->places[i].category, cat, n) == 0 &&
		    !m.nb->places[i].category[n])
			return (int)i;
	return -1;
}

/* "最近的": under the map with no place chosen, the nearest place of each of the chip's
 * categories (the repairs under 全部) with its minutes and metres; a tap shows its walk.
 * Returns the height it needs (r.h 0: measure only). */
static int nearest_list(struct ui *ui, SDL_Rect r, bool draw)
{
	int idx[12], n = 0;
	for (const char *c = near_cats() + 1; *c && n < 12;) {
		const char *bar = strchr(c, '|');
		if (!bar)
			break;
		int i = nearest_of(c, (size_t)(bar - c));
		if (i >= 0)
			idx[n++] = i;
		c = bar + 1;
	}
	if (!n)
		return 0;
	/* two columns, a line each: the icon, the category, minutes and metres; where a
	 * name and its minutes do not fit side by side (长辈模式 in English), the minutes
	 * go under the name */
	int cols = n > 1 ? 2 : 1, rows = (n + cols - 1) / cols;
	int px = ui_text_px(ui, 28), hp = ui_text_px(ui, 30), lw, lh;
	ui_text_size(ui, "Hg", px, true, &lw, &lh);
	int line_h = px + 26 > (ui->elderly ? 72 : 48) ? px + 26 : ui->elderly ? 72 : 48;
	int cell_w = (r.w - (cols - 1) * 8) / cols, is = line_h - 12;
	bool stacked = false;
	for (int k = 0; k < n; k++) {
		const struct kiosk_place *p = &m.nb->places[idx[k]];
		int nw, nh, fw, fh;
		ui_text_size(ui, ui_category_name(ui, p->category), px, true, &nw, &nh);
		ui_text_size(ui, ui->lang == UI_ZH ? "99分钟" : "99 min", px, false, &fw, &fh);
		stacked |= nw > cell_w - is - fw - 40;
	}
	int cell_h = stacked ? 2 * lh + 20 : line_h;
	int need = hp + 12 + rows * cell_h + (rows - 1) * 8;
	if (!draw)
		return need;
	ui_text(ui, ui_tr(ui, "map.nearest"), hp, UI_C_INK, true, r.x, r.y, UI_ALIGN_LEFT);
	SDL_Rect grid = {r.x, r.y + hp + 12, r.w, r.h - hp - 12};
	for (int k = 0; k < n; k++) {
		const struct kiosk_place *p = &m.nb->places[idx[k]];
		SDL_Rect cell = ui_grid_cell(grid, cols, rows, 8, k);
		char id[32], icon[48], far[64];
		snprintf(id, sizeof id, "map.near.%d", idx[k]);
		bool pressed = strcmp(ui->pressed, id) == 0;
		ui_fill_round(ui, cell, 16, pressed ? ui_darken(UI_C_PANEL, 15) : UI_C_PANEL);
		char label[200]; /* "配钥匙：安心锁匠": what it is, then which */
		snprintf(label, sizeof label, "%s%s%s", ui_category_name(ui, p->category),
			 ui_tr(ui, "punct.colon"), ui->lang == UI_ZH ? p->name_zh : p->name_en);
		ui_widget_add(ui, id, label, cell, UI_ROLE_BUTTON);
		SDL_Rect ir = {cell.x + 8, cell.y + (cell.h - is) / 2, is, is};
		ui_fill_round(ui, ir, is / 2, pin_colour(p->category));
		ui_image(ui, ui_category_icon(p->category, icon, sizeof icon), ui_inset(ir, is * 3 / 10));
		double s = ui->elderly ? p->seconds_elderly : p->seconds;
		int min = (int)ceil(s / 60);
		snprintf(far, sizeof far, ui->lang == UI_ZH ? "%d分钟 %ld米" : "%d min %ld m",
			 min < 1 ? 1 : min, lround(p->metres / 10) * 10);
		int fw, fh, nw, nh;
		ui_text_size(ui, far, px, false, &fw, &fh);
		ui_text_size(ui, ui_category_name(ui, p->category), px, true, &nw, &nh);
		int text_x = ir.x + is + 8, text_w = cell.x + cell.w - 12 - text_x;
		if (stacked) { /* the name, and under it how far */
			SDL_Rect name = {text_x, cell.y + 8, text_w, lh};
			ui_text_fit(ui, ui_category_name(ui, p->category), px, 28, UI_C_INK, true, name);
			ui_text(ui, far, px, UI_C_INK, false, text_x, cell.y + 12 + lh, UI_ALIGN_LEFT);
			continue;
		}
		if (nw > text_w - fw - 28) { /* a long name: the minutes alone */
			snprintf(far, sizeof far, ui->lang == UI_ZH ? "%d分钟" : "%d min",
				 min < 1 ? 1 : min);
			ui_text_size(ui, far, px, false, &fw, &fh);
		}
		ui_text(ui, far, px, UI_C_INK, false, cell.x + cell.w - 12, cell.y + (cell.h - fh) / 2,
			UI_ALIGN_RIGHT);
		SDL_Rect name = {text_x, cell.y, text_w - fw - 28, cell.h};
		ui_text_fit(ui, ui_category_name(ui, p->category), px, 28, UI_C_INK, true, name);
	}
	return need;
}

/* Pans so the mark at (lat, lon) — mark is its box around that point: a pin, or the
 * kiosk's dot with its label — is clear of every control, by moving the map left of
 * them (the centre may go the controls' width past the map's edge for this). */
static void keep_clear(double lat, double lon, SDL_Rect mark, const SDL_Rect *controls, int n)
{
	for (int i = 0; i < n; i++) {
		float x, y;
		to_screen(lat, lon, &x, &y);
		SDL_Rect at = {(int)lroundf(x) + mark.x, (int)lroundf(y) + mark.y, mark.w, mark.h};
		SDL_Rect c = ui_inset(controls[i], -8);
		if (!controls[i].w || !SDL_HasIntersection(&at, &c))
			continue;
		double dx = (double)(at.x + at.w) - (c.x - 8.0); /* the map moves left this much */
		m.clon += dx * m.scale / kx();
		set_origin();
	}
}

/* The kiosk's mark: its dot, and its label under it (draw_pins). */
static SDL_Rect me_mark(struct ui *ui)
{
	int w, h;
	ui_text_size(ui, ui_tr(ui, "map.you_are_here"), ui_text_px(ui, 28), true, &w, &h);
	SDL_Rect dot = {-24, -24, 48, 48}, tag = {-w / 2 - 8, 24, w + 16, h + 4}, both;
	SDL_UnionRect(&dot, &tag, &both);
	return both;
}

static void map_draw(struct ui *ui, SDL_Rect area)
{
	SDL_Rect rest = ui_inset(area, 24);
	int ch = ui_control_h(ui);
	SDL_Rect t = ui_take_top(&rest, ui_text_px(ui, 56) + 16, 12);
	ui_text_fit(ui, ui_tr(ui, "home.map"), ui_text_px(ui, 56), 40, UI_C_INK, true, t);
	SDL_Rect bottom = ui_take_bottom(&rest, ch, 16);
	if (!m.nb && (m.nb = kiosk_core_neighbourhood(ui->core)) != NULL)
		map_start(ui); /* it was being prepared when the screen opened: here now */
	if (!m.nb || !m.nb->nsegments) {
		if (ui->snap.map_preparing) { /* read and built on the core's worker */
			SDL_Rect msg = ui_take_top(&rest, rest.h / 2, 0);
			ui_message(ui, msg, NULL, NULL, UI_C_INK, ui_tr(ui, "map.preparing"),
				   UI_C_INK, true);
			ui_spinner(ui, rest);
		} else {
			ui_message(ui, rest, "alert.svg", NULL, UI_C_INK, ui_tr(ui, "map.no_map"),
				   UI_C_INK, true);
		}
		ui_button(ui, "nav.back", bottom, "nav.back", UI_C_MUTED);
		return;
	}
	/* pan and pinch from the shell */
	if (ui->pan.dx || ui->pan.dy) {
		m.clon -= ui->pan.dx * m.scale / kx();
		m.clat += ui->pan.dy * m.scale / 110540.0;
		ui->pan.dx = ui->pan.dy = 0;
		m.panned = true;
	}
	if (m.panned && !ui->pan.dragging) { /* the finger lifted: put nothing under a control */
		m.panned = false;
		m.keep_clear = true;
	}
	if (ui->pan.zoom != 0) {
		zoom(exp(-ui->pan.zoom));
		ui->pan.zoom = 0;
	}
	/* keep what there is in sight: the centre stays within the neighbourhood, or the
	 * controls' width beyond it (so a place on its edge can still be moved out from
	 * under them) */
	double slack = (3 * ch + 96) * m.scale;
	m.clat = fmin(m.nb->max_lat + slack / 110540.0, fmax(m.nb->min_lat - slack / 110540.0, m.clat));
	m.clon = fmin(m.nb->max_lon + slack / kx(), fmax(m.nb->min_lon - slack / kx(), m.clon));
	/* chips, then the map, then the legend */
	SDL_Rect chiprow = ui_take_top(&rest, ch * 3 / 4, 12);
	for (int i = 0; i < NCHIPS; i++)
		ui_button_text(ui, chips[i].id, ui_grid_cell(chiprow, NCHIPS, 1, 8, i),
			       ui_tr(ui, chips[i].id), i == m.chip ? UI_C_HEADER : UI_C_DISABLED,
			       i == m.chip ? UI_C_WHITE : UI_C_INK, UI_ROLE_BUTTON);
	int lp = ui_text_px(ui, 28);
	SDL_Rect legend = ui_take_bottom(&rest, lp + 16, 8);
	SDL_Rect cardr = {0}, nearr = {0};
	if (m.sel < 0) {
		int need = nearest_list(ui, (SDL_Rect){rest.x, rest.y, rest.w, 0}, false);
		if (need)
			nearr = ui_take_bottom(&rest, need, 12);
	}
	if (m.sel >= 0) { /* the card as tall as it needs, the map keeping at least 2/5 */
		int need = card(ui, (SDL_Rect){rest.x, rest.y, rest.w, 0}, false);
		cardr = ui_take_bottom(&rest, need < rest.h * 3 / 5 ? need : rest.h * 3 / 5, 12);
	}
	m.view = rest;
	/* the data's credit in one corner, zoom and "where am I" in the other: pins' tags and
	 * names keep off them */
	int ap = ui_text_px(ui, 28);
	m.credit = (SDL_Rect){0};
	if (m.nb->attribution[0]) {
		int w, h;
		ui_text_size(ui, m.nb->attribution, ap, false, &w, &h);
		w = w + 12 < m.view.w ? w + 12 : m.view.w;
		m.credit = (SDL_Rect){m.view.x + m.view.w - w - 4, m.view.y + m.view.h - h - 8, w, h + 4};
	}
	SDL_Rect ar = m.credit;
	int zb = ch;
	SDL_Rect zr = {m.view.x + m.view.w - zb - 12, m.view.y + 12, zb, zb};
	SDL_Rect here = {zr.x - zb, zr.y + 2 * (zb + 12), 2 * zb, zb};
	if (here.y + here.h + 12 > m.view.y + m.view.h) /* a short view: beside the zoom */
		here = (SDL_Rect){zr.x - 2 * zb - 12, zr.y, 2 * zb, zb};
	SDL_Rect controls[] = {{zr.x, zr.y, zb, 2 * zb + 12}, here, ar};
	if (m.fit) {
		fit_view(ch);
		m.fit = false;
	}
	set_origin();
	/* nothing the resident looks for under a control: the place just chosen, and the
	 * resident's own position, are moved out from under them */
	if (m.keep_clear) {
		int pr = (ui->elderly ? 38 : 28) + 8 + 8; /* a chosen pin and its tap (draw_pins) */
		if (m.sel >= 0)
			keep_clear(m.nb->places[m.sel].lat, m.nb->places[m.sel].lon,
				   (SDL_Rect){-pr, -pr, 2 * pr, 2 * pr}, controls, 3);
		keep_clear(m.nb->kiosk_lat, m.nb->kiosk_lon, me_mark(ui), controls, 3);
		m.keep_clear = false;
	}
	ui_fill(ui, m.view, (SDL_Color){0xEE, 0xEB, 0xE3, 0xFF});
	ui->pan.view = m.view;
	ui->pan.active = true;
	double speed = ui->elderly ? 0.9 : 1.2;
	base_arrivals(ui);
	if (!map_layer_draw(ui, m.view, (int)m.ox, (int)m.oy, layer_gen(speed), layer_tile, &speed)) {
		draw_base(ui, m.view);
		draw_streets(ui, m.view, speed);
	}
	ui->waiting = map_tiles_waiting() > 0; /* asked for by the frame just drawn */
	draw_route(ui);
	ui_figure(ui, m.view);
	ntaken = 0;
	for (size_t i = 0; i < sizeof controls / sizeof controls[0]; i++)
		taken[ntaken++] = ui_inset(controls[i], -8);
	draw_pins(ui); /* a pin under a control would be hidden and its tap taken */
	map_names_draw(ui, m.names, m.nb, m.view, to_screen, taken, ntaken);
	ui_button_text(ui, "map.zoom_in", zr, "+", UI_C_HEADER, UI_C_WHITE, UI_ROLE_BUTTON);
	zr.y += zb + 12;
	ui_button_text(ui, "map.zoom_out", zr, "−", UI_C_HEADER, UI_C_WHITE, UI_ROLE_BUTTON);
	ui_button(ui, "map.here", here, "map.here", UI_C_HEADER);
	if (ar.w) { /* as the file states it */
		ui_fill(ui, ar, UI_C_WHITE);
		ui_text_fit(ui, m.nb->attribution, ap, ap, UI_C_INK, false, ar);
	}
	/* the legend: what the street colours mean */
	static const char *const keys[] = {"map.min5", "map.min10", "map.min15"};
	static const double secs[] = {300, 600, 900};
	for (int i = 0; i < 3; i++) {
		SDL_Rect cell = ui_grid_cell(legend, 3, 1, 12, i);
		SDL_Rect sw = {cell.x, cell.y + cell.h / 2 - 8, 48, 16};
		ui_fill_round(ui, sw, 6, reach(secs[i]));
		ui_text(ui, ui_tr(ui, keys[i]), lp, UI_C_INK, false, cell.x + 60, cell.y + 6,
			UI_ALIGN_LEFT);
	}
	if (m.sel >= 0)
		card(ui, cardr, true);
	else if (nearr.h)
		nearest_list(ui, nearr, true);
	ui_button(ui, "nav.back", bottom, "nav.back", UI_C_MUTED);
}

/* 朗读 with a place chosen: its name, how far, and the walk step by step. */
static bool map_say(const struct ui *ui, char *out, size_t len)
{
	if (m.sel < 0 || !steps(ui)[0])
		return false;
	const struct kiosk_place *p = &m.nb->places[m.sel];
	bool zh = ui->lang == UI_ZH;
	char walk[48];
	ui_walk_text(ui, p, walk, sizeof walk);
	size_t k = (size_t)snprintf(out, len, "%s%s%s%s", zh ? p->name_zh : p->name_en,
				    zh ? "，" : ", ", walk, zh ? "。" : ". ");
	for (const char *c = steps(ui); *c; c++) {
		if (k + 8 >= len && (*c & 0xC0) != 0x80)
			break; /* at a character's start, never inside one */
		if (*c != '\n') {
			out[k++] = *c;
			continue;
		}
		k += (size_t)snprintf(out + k, len - k, "%s", zh ? "。" : ". ");
	}
	if (k < len)
		snprintf(out + k, len - k, "%s", zh ? "。" : ".");
	return true;
}

static const char *map_speech(const struct ui *ui)
{
	(void)ui;
	return m.sel >= 0 ? "say.map_place" : "say.map";
}

/* The street layer's tiles, and the base map's decoded tiles. */
static int map_caches(struct kiosk_cache_stat *out, int max)
{
	if (max < 2)
		return 0;
	map_layer_stat(&out[0]);
	map_tiles_stat(&out[1]);
	return 2;
}

static void map_tick(struct ui *ui)
{
	ui_print_tick(ui, &m.print);
}

const struct screen ui_screen_map = {
	.name = "map",
	.speech = map_speech,
	.say = map_say,
	.caches = map_caches,
	.enter = map_enter,
	.leave = map_leave,
	.event = map_event,
	.draw = map_draw,
	.tick = map_tick,
};
