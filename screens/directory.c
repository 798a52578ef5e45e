/* 服务指南 The service directory: category tiles and a search (the letter keyboard takes
 * pinyin initials — "xx" finds 修鞋), a list of places with whether they are open and how
 * many minutes' walk (slower in 长辈模式), and a place's page: address, hours, phone, what
 * it does, a QR code of it all to take away, and "show on map". It reads the core's
 * neighbourhood; it decides nothing about it. */
#include "screens/ui/draw.h"
#include "screens/ui/handwriting.h"
#include "screens/place.h"
#include "screens/screen.h"
#include "screens/strings.h"
#include "screens/ui/widget.h"
#include "kiosk/neighbourhood.h"
#include "hal/base/error.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define MAX_HITS 60

static struct {
	const struct kiosk_neighbourhood *nb;
	enum { CATS, TYPING, LIST, DETAIL } st;
	char query[32];
	char category[32]; /* "" = none */
	int hits[MAX_HITS], nhits, page;
	int place; /* DETAIL: index into places */
	int cat_page; /* 长辈模式 shows the categories a page at a time */
	bool to_map; /* a place's map was opened above: coming back keeps the page */
	size_t was_places; /* the neighbourhood's size when left, to notice a new one */
	/* 手写: the pad instead of the letter keyboard; the candidates for the strokes so far
	 * (recognised again when a stroke ends: ui->sketch.strokes moved on) */
	bool hand;
	char cands[5][8];
	int ncands;
	unsigned long seen_strokes;
} d;

/* The local time now, for "open now". */
static struct tm local_now(const struct ui *ui)
{
	time_t t = (time_t)(ui_now_ms(ui) / 1000);
	struct tm tm;
	localtime_r(&t, &tm);
	return tm;
}

static void search(struct ui *ui)
{
	(void)ui;
	d.nhits = kiosk_neighbourhood_search(d.nb, d.query, d.category, NULL, d.hits, MAX_HITS);
	d.page = 0;
}

/* Held only while shown: the core may replace it meanwhile (a new import). */
static void dir_enter(struct ui *ui)
{
	d.nb = kiosk_core_neighbourhood(ui->core);
	bool back = d.to_map && d.nb && d.nb->nplaces == d.was_places;
	if (!back) { /* a fresh visit (or the places changed under us): from the top */
		const struct kiosk_neighbourhood *nb = d.nb;
		memset(&d, 0, sizeof d);
		d.nb = nb;
		d.place = -1;
	}
	d.to_map = false;
}

static void dir_leave(struct ui *ui)
{
	(void)ui;
	d.was_places = d.nb ? d.nb->nplaces : 0;
	kiosk_neighbourhood_put(d.nb);
	d.nb = NULL;
}

static int per_page(const struct ui *ui)
{
	return ui->elderly ? 4 : 6;
}

/* "步行 5 分钟" at this resident's pace, or why not. */
void ui_walk_text(const struct ui *ui, const struct kiosk_place *p, char *out, size_t cap)
{
	double s = ui->elderly ? p->seconds_elderly : p->seconds;
	if (s < 0) {
		snprintf(out, cap, "%s", ui_tr(ui, "dir.unreachable"));
		return;
	}
	int min = (int)ceil(s / 60);
	snprintf(out, cap, ui->lang == UI_ZH ? "步行%d分钟" : "%d min walk", min < 1 ? 1 : min);
}

const char *ui_open_key(enum kiosk_open o)
{
	return o == KIOSK_OPEN ? "dir.open" : o == KIOSK_CLOSED ? "dir.closed" : "dir.hours_unknown";
}

/* The category's name in the current language (its code when unknown). */
const char *ui_category_name(const struct ui *ui, const char *code)
{
	const char *c, *zh, *en;
	for (int i = 0; kiosk_category(i, &c, &zh, &en); i++)
		if (strcmp(c, code) == 0)
			return ui->lang == UI_ZH ? zh : en;
	return code;
}

/* One drawn picture per category (assets/icons/cat-<code>.svg, white strokes on the
 * tile's or pin's colour); a category we do not list gets the shop's. */
const char *ui_category_icon(const char *code, char *buf, size_t cap)
{
	const char *c, *zh, *en;
	for (int i = 0; kiosk_category(i, &c, &zh, &en); i++)
		if (strcmp(c, code) == 0) {
			snprintf(buf, cap, "cat-%s.svg", c);
			return buf;
		}
	return "shop.svg";
}

static int dir_event(struct ui *ui, const struct ui_event *ev)
{
	ui_dirty(ui);
	if (!d.nb)
		return 0;
	if (strncmp(ev->id, "dir.cat.", 8) == 0 && d.st == CATS) {
		snprintf(d.category, sizeof d.category, "%s", ev->id + 8);
		d.query[0] = '\0';
		search(ui);
		d.st = LIST;
		return 1;
	}
	if (strcmp(ev->id, "dir.cat_more") == 0 && d.st == CATS) {
		d.cat_page++;
		return 1;
	}
	if (strcmp(ev->id, "dir.search") == 0 && d.st == CATS) {
		if (!ui->hw && !ui->hw_tried) { /* 手写 is offered when its model opens (mapped) */
			ui->hw_tried = true;
			ui_hw_open(NULL, &ui->hw);
		}
		d.st = TYPING;
		d.category[0] = '\0';
		search(ui);
		return 1;
	}
	if (d.st == TYPING && strcmp(ev->id, "dir.handwrite") == 0 && ui->hw) {
		d.hand = true;
		ui_hw_clear(ui->hw);
		d.ncands = 0;
		return 1;
	}
	if (d.st == TYPING && strcmp(ev->id, "dir.keyboard") == 0) {
		d.hand = false;
		return 1;
	}
	if (d.st == TYPING && d.hand && strcmp(ev->id, "hw.delete") == 0) {
		ui_edit(d.query, sizeof d.query, "key.back");
		search(ui);
		return 1;
	}
	if (d.st == TYPING && d.hand && strcmp(ev->id, "hw.search") == 0) {
		d.st = LIST;
		return 1;
	}
	if (d.st == TYPING && d.hand && strcmp(ev->id, "hw.clear") == 0) {
		ui_hw_clear(ui->hw);
		d.ncands = 0;
		return 1;
	}
	int c;
	if (d.st == TYPING && d.hand && ui_event_index(ev, "hw.cand.", d.ncands, &c)) {
		/* the character chosen joins the query, and the pad is ready for the next */
		size_t n = strlen(d.query);
		if (n + strlen(d.cands[c]) < sizeof d.query)
			snprintf(d.query + n, sizeof d.query - n, "%s", d.cands[c]);
		ui_hw_clear(ui->hw);
		d.ncands = 0;
		search(ui);
		return 1;
	}
	if (d.st == TYPING && strcmp(ev->id, "key.ok") == 0) {
		d.st = LIST;
		return 1;
	}
	if (d.st == TYPING && ui_edit(d.query, sizeof d.query, ev->id)) {
		search(ui);
		return 1;
	}
	if (strncmp(ev->id, "dir.place.", 10) == 0 && (d.st == LIST || d.st == TYPING)) {
		int k = atoi(ev->id + 10);
		if (k >= 0 && k < d.nhits) {
			d.place = d.hits[k];
			d.st = DETAIL;
		}
		return 1;
	}
	if (strcmp(ev->id, "dir.next") == 0 && d.st == LIST) {
		if ((d.page + 1) * per_page(ui) < d.nhits)
			d.page++;
		return 1;
	}
	if (strcmp(ev->id, "dir.prev") == 0 && d.st == LIST) {
		if (d.page > 0)
			d.page--;
		return 1;
	}
	if (strcmp(ev->id, "dir.show_map") == 0 && d.st == DETAIL && d.place >= 0) {
		char id[64];
		snprintf(id, sizeof id, "%s", d.nb->places[d.place].id);
		d.to_map = true;
		return ui_nav_push(ui, &ui_screen_map, id) == KIOSK_OK;
	}
	if (strcmp(ev->id, "nav.back") == 0 && d.st != CATS) {
		d.st = d.st == DETAIL ? (d.nhits ? LIST : CATS) : CATS;
		return 1;
	}
	return 0;
}

/* One place as a row: its name, and a line of category · open · minutes. */
static void place_row(struct ui *ui, SDL_Rect r, int k, const struct kiosk_place *p,
		      const struct tm *now)
{
	char id[24], line[200], walk[48];
	snprintf(id, sizeof id, "dir.place.%d", k);
	const char *name = ui->lang == UI_ZH ? p->name_zh : p->name_en;
	ui_fill_round(ui, r, 20, UI_C_PANEL);
	ui_widget_add(ui, id, name, r, UI_ROLE_BUTTON);
	int tp = ui_text_px(ui, 40), sp = ui_text_px(ui, 30);
	SDL_Rect in = ui_inset(r, 20);
	SDL_Rect top = ui_take_top(&in, tp + 8, 4);
	ui_text_fit(ui, name, tp, 28, UI_C_INK, true, top);
	ui_walk_text(ui, p, walk, sizeof walk);
	enum kiosk_open o = kiosk_neighbourhood_open(d.nb, (size_t)(p - d.nb->places), now);
	snprintf(line, sizeof line, "%s · %s · %s", ui_category_name(ui, p->category),
		 ui_tr(ui, ui_open_key(o)), walk);
	ui_text_fit(ui, line, sp, 24, o == KIOSK_OPEN ? UI_C_HEADER : UI_C_MUTED, false, in);
}

static void draw_list(struct ui *ui, SDL_Rect rest, bool live)
{
	struct tm now = local_now(ui);
	int live_rows = ui->elderly ? 2 : 3; /* fewer, larger, over the larger keyboard */
	int n = live ? (d.nhits < live_rows ? d.nhits : live_rows) : per_page(ui);
	int first = live ? 0 : d.page * per_page(ui);
	if (!d.nhits) {
		ui_label(ui, ui_tr(ui, "dir.none_found"), ui_text_px(ui, 34), UI_C_MUTED, false, rest,
			 true);
		return;
	}
	struct ui_item it[8];
	int shown = 0;
	/* rows as tall as a page of them allows: large targets from the top, not a band of
	 * small ones in the middle */
	int rows = live ? live_rows : per_page(ui);
	int tall = (rest.h - 16 * (rows - 1)) / rows;
	for (int k = first; k < d.nhits && shown < n; k++, shown++)
		it[shown] = (struct ui_item){ui_text_px(ui, 40) + ui_text_px(ui, 30) + 60, tall};
	SDL_Rect r[8];
	ui_column(rest, 16, it, shown, r);
	for (int k = 0; k < shown; k++)
		place_row(ui, r[k], first + k, &d.nb->places[d.hits[first + k]], &now);
}

/* The categories as tiles; in 长辈模式 eight at a time (larger), with 更多类别 to go on. */
static void draw_cats(struct ui *ui, SDL_Rect rest, SDL_Rect bottom)
{
	int ch = ui_control_h(ui);
	ui_field(ui, "dir.search", ui_take_top(&rest, ch, 20), "", UI_FIELD_PLAIN, false,
		 "dir.search_hint");
	int n = 0;
	const char *code, *zh, *en;
	while (kiosk_category(n, &code, &zh, &en))
		n++;
	int per = ui->elderly ? 8 : n, pages = (n + per - 1) / per;
	int page = d.cat_page % pages, first = page * per;
	/* a landscape panel: twice the columns, so the tiles keep their height */
	int cols = (ui->elderly ? 2 : 3) * (rest.w > rest.h * 2 ? 2 : 1);
	int rows = (per + cols - 1) / cols;
	for (int i = first; i < n && i < first + per && kiosk_category(i, &code, &zh, &en); i++) {
		char id[48];
		snprintf(id, sizeof id, "dir.cat.%s", code);
		char icon[48];
		ui_button_icon_text(ui, id, ui_grid_cell(rest, cols, rows, 12, i - first),
				    ui_category_icon(code, icon, sizeof icon),
				    ui->lang == UI_ZH ? zh : en, UI_C_HEADER, UI_C_WHITE);
	}
	if (pages > 1) {
		ui_button(ui, "nav.back", ui_grid_cell(bottom, 2, 1, 20, 0), "nav.back", UI_C_MUTED);
		ui_button(ui, "dir.cat_more", ui_grid_cell(bottom, 2, 1, 20, 1), "dir.cat_more",
			  UI_C_HEADER);
	} else {
		ui_button(ui, "nav.back", bottom, "nav.back", UI_C_MUTED);
	}
}

/* The phone as a tel: URI takes digits and a leading + only, so a tap dials it; the
 * position is a geo: URI (WGS84, as OSM gives it; map apps open it). */
void ui_take_away_text(const struct ui *ui, const struct kiosk_place *p, const char *name,
		       const char *address, const char *hours, const char *steps, char *out,
		       size_t len)
{
	char tel[40];
	size_t t = 0;
	for (const char *c = p->phone; *c && t + 1 < sizeof tel; c++)
		if ((*c >= '0' && *c <= '9') || (*c == '+' && t == 0))
			tel[t++] = *c;
	tel[t] = '\0';
	size_t k = (size_t)snprintf(out, len, "%s", name);
	if (address[0] && k < len)
		k += (size_t)snprintf(out + k, len - k, "\n%s", address);
	if (hours[0] && k < len)
		k += (size_t)snprintf(out + k, len - k, "\n%s%s%s", ui_tr(ui, "dir.hours"),
				      ui_tr(ui, "punct.colon"), hours);
	if (tel[0] && k < len)
		k += (size_t)snprintf(out + k, len - k, "\ntel:%s", tel);
	if (steps && steps[0] && k + 1 < len) {
		out[k++] = '\n';
		ui_number_lines(steps, out + k, len - k);
		k += strlen(out + k);
	}
	if (k < len)
		snprintf(out + k, len - k, "\ngeo:%.6f,%.6f", p->lat, p->lon);
}

void ui_number_lines(const char *text, char *out, size_t len)
{
	size_t k = 0;
	if (len)
		out[0] = '\0';
	for (int n = 1; *text; n++) {
		const char *nl = strchr(text, '\n');
		size_t l = nl ? (size_t)(nl - text) : strlen(text);
		int w = snprintf(out + k, len - k, "%s%d. %.*s", k ? "\n" : "", n, (int)l, text);
		if (w < 0 || k + (size_t)w >= len) {
			out[k] = '\0'; /* whole lines only */
			return;
		}
		k += (size_t)w;
		text += l + (nl ? 1 : 0);
	}
}

void ui_place_lines(const struct ui *ui, const struct kiosk_neighbourhood *nb, size_t i,
		    char *address, size_t alen, char *hours, size_t hlen)
{
	bool en = ui->lang != UI_ZH;
	/* hours in the resident's words, never OSM's raw syntax; unknown when not understood */
	if (!kiosk_neighbourhood_hours_words(nb, i, en, hours, hlen) && nb->places[i].hours[0])
		snprintf(hours, hlen, "%s", ui_tr(ui, "dir.hours_ask"));
	if (en)
		kiosk_neighbourhood_address_en(nb, i, address, alen);
	else
		snprintf(address, alen, "%s", nb->places[i].address);
}

static void draw_detail(struct ui *ui, SDL_Rect rest, SDL_Rect bottom)
{
	const struct kiosk_place *p = &d.nb->places[d.place];
	struct tm now = local_now(ui);
	enum kiosk_open o = kiosk_neighbourhood_open(d.nb, (size_t)d.place, &now);
	char walk[48], status[200], qr[900];
	ui_walk_text(ui, p, walk, sizeof walk);
	snprintf(status, sizeof status, "%s · %s · %s", ui_category_name(ui, p->category),
		 ui_tr(ui, ui_open_key(o)), walk);
	const char *name = ui->lang == UI_ZH ? p->name_zh : p->name_en;
	char hours[200], address[200];
	ui_place_lines(ui, d.nb, (size_t)d.place, address, sizeof address, hours, sizeof hours);
	ui_take_away_text(ui, p, name, address, hours, NULL, qr, sizeof qr);
	const char *rows[][2] = {{"dir.address", address},
				 {"dir.hours", hours},
				 {"dir.phone", p->phone},
				 {"dir.about", p->description}};
	char lines[4][400];
	int nlines = 0, px = ui_text_px(ui, 34);
	for (int i = 0; i < 4; i++)
		if (rows[i][1][0])
			snprintf(lines[nlines++], sizeof lines[0], "%s%s%s", ui_tr(ui, rows[i][0]),
				 ui_tr(ui, "punct.colon"), rows[i][1]);
	ui_fill_round(ui, rest, 32, UI_C_PANEL);
	SDL_Rect in = ui_inset(rest, 32);
	struct ui_item it[8] = {{ui_text_px(ui, 52) + 12, 0}, {ui_text_px(ui, 34) + 12, 0}};
	for (int i = 0; i < nlines; i++)
		it[2 + i] = (struct ui_item){ui_label_height(ui, lines[i], px, false, in.w), 0};
	it[2 + nlines] = (struct ui_item){260, 480};
	it[3 + nlines] = (struct ui_item){ui_text_px(ui, 30) + 8, 0};
	SDL_Rect r[8];
	ui_column(in, 12, it, 4 + nlines, r);
	ui_text_fit(ui, name, ui_text_px(ui, 52), 32, UI_C_INK, true, r[0]);
	ui_text_fit(ui, status, ui_text_px(ui, 34), 24, o == KIOSK_OPEN ? UI_C_HEADER : UI_C_MUTED,
		    true, r[1]);
	for (int i = 0; i < nlines; i++)
		ui_label(ui, lines[i], px, UI_C_INK, false, r[2 + i], false);
	ui_qr(ui, qr, r[2 + nlines]);
	ui_text_fit(ui, ui_tr(ui, "dir.take_away"), ui_text_px(ui, 30), 24, UI_C_MUTED, false,
		    r[3 + nlines]);
	ui_button(ui, "nav.back", ui_grid_cell(bottom, 2, 1, 20, 0), "nav.back", UI_C_MUTED);
	ui_button_state(ui, "dir.show_map", ui_grid_cell(bottom, 2, 1, 20, 1), "dir.show_map",
			UI_C_HEADER, p->seconds >= 0 || d.nb->nsegments);
}

/* The handwriting pad in r: the candidates for the strokes so far in a row of large
 * keys, the pad (square) with the strokes drawn, and 重写 / 删除 / 搜索 beside it. */
static void draw_pad(struct ui *ui, SDL_Rect r)
{
	if (ui->sketch.strokes != d.seen_strokes || !ui_hw_strokes(ui->hw)) {
		d.seen_strokes = ui->sketch.strokes;
		d.ncands = ui_hw_candidates(ui->hw, d.cands, 5);
	}
	int ch = ui_control_h(ui);
	SDL_Rect row = ui_take_top(&r, ch, 16);
	if (d.ncands) {
		for (int i = 0; i < d.ncands; i++) {
			char id[24];
			snprintf(id, sizeof id, "hw.cand.%d", i);
			ui_button_text(ui, id, ui_grid_cell(row, 5, 1, 12, i), d.cands[i], UI_C_HEADER,
				       UI_C_WHITE, UI_ROLE_KEY);
		}
	} else {
		ui_text_fit(ui, ui_tr(ui, "hw.hint"), ui_text_px(ui, 34), 28, UI_C_MUTED, false, row);
	}
	int side = r.h < r.w - 280 ? r.h : r.w - 280;
	SDL_Rect pad = {r.x, r.y, side, side};
	SDL_Rect keys = {r.x + side + 20, r.y, r.w - side - 20, side};
	ui_fill_round(ui, pad, 16, UI_C_WHITE);
	ui_figure(ui, pad);
	/* the 田字格 guide a child learns on: the middle lines, faint */
	SDL_SetRenderDrawColor(ui->ren, 0xD8, 0xD4, 0xCC, 0xFF);
	SDL_RenderDrawLine(ui->ren, pad.x + side / 2, pad.y + 8, pad.x + side / 2, pad.y + side - 8);
	SDL_RenderDrawLine(ui->ren, pad.x + 8, pad.y + side / 2, pad.x + side - 8, pad.y + side / 2);
	SDL_SetRenderDrawColor(ui->ren, 0x1B, 0x1F, 0x23, 0xFF);
	for (int s = 0; s < ui_hw_strokes(ui->hw); s++) {
		const int(*pts)[2];
		int n = ui_hw_stroke(ui->hw, s, &pts);
		for (int i = 0; i < n; i++) { /* a round pen: squares along each segment */
			int x0 = pts[i > 0 ? i - 1 : 0][0], y0 = pts[i > 0 ? i - 1 : 0][1];
			int steps = abs(pts[i][0] - x0) + abs(pts[i][1] - y0);
			steps = steps / 3 + 1;
			for (int k = 0; k <= steps; k++) {
				SDL_Rect dot = {pad.x + x0 + (pts[i][0] - x0) * k / steps - 6,
						pad.y + y0 + (pts[i][1] - y0) * k / steps - 6, 12, 12};
				SDL_RenderFillRect(ui->ren, &dot);
			}
		}
	}
	ui->sketch.active = true;
	ui->sketch.area = pad;
	ui_button(ui, "hw.clear", ui_grid_cell(keys, 1, 3, 16, 0), "hw.clear", UI_C_MUTED);
	ui_button(ui, "hw.delete", ui_grid_cell(keys, 1, 3, 16, 1), "hw.delete", UI_C_MUTED);
	ui_button(ui, "hw.search", ui_grid_cell(keys, 1, 3, 16, 2), "hw.search", UI_C_HEADER);
}

static void dir_draw(struct ui *ui, SDL_Rect area)
{
	SDL_Rect rest = ui_inset(area, 40);
	int ch = ui_control_h(ui);
	SDL_Rect t = ui_take_top(&rest, ui_text_px(ui, 56) + 16, 16);
	ui_text_fit(ui, ui_tr(ui, "home.directory"), ui_text_px(ui, 56), 40, UI_C_INK, true, t);
	SDL_Rect bottom = ui_take_bottom(&rest, ch, 20);
	if (!d.nb || !d.nb->nplaces) {
		ui_message(ui, rest, "alert.svg", NULL, UI_C_INK, ui_tr(ui, "dir.no_data"), UI_C_INK,
			   true);
		ui_button(ui, "nav.back", bottom, "nav.back", UI_C_MUTED);
		return;
	}
	switch (d.st) {
	case CATS:
		draw_cats(ui, rest, bottom);
		return;
	case TYPING: {
		if (ui->hw) { /* the letters or a finger: 手写 for who cannot type pinyin */
			ui_button(ui, "nav.back", ui_grid_cell(bottom, 2, 1, 20, 0), "nav.back",
				  UI_C_MUTED);
			ui_button(ui, d.hand ? "dir.keyboard" : "dir.handwrite",
				  ui_grid_cell(bottom, 2, 1, 20, 1), d.hand ? "dir.keyboard" : "dir.handwrite",
				  UI_C_HEADER);
		} else {
			ui_button(ui, "nav.back", bottom, "nav.back", UI_C_MUTED);
		}
		ui_field(ui, "dir.query", ui_take_top(&rest, ch, 16), d.query, UI_FIELD_PLAIN, true,
			 "dir.search_hint");
		snprintf(ui->variant, sizeof ui->variant, "typing"); /* its own sizes to compare */
		int kb = ui->elderly ? rest.h * 62 / 100 : rest.h / 2;
		SDL_Rect keys = ui_take_bottom(&rest, kb, 16);
		draw_list(ui, rest, true);
		if (d.hand)
			draw_pad(ui, keys);
		else
			ui_keypad(ui, keys, UI_KEYPAD_LETTERS, "dir.show_all");
		return;
	}
	case LIST: {
		char head[160];
		snprintf(head, sizeof head, ui->lang == UI_ZH ? "%s · %d 处" : "%s · %d places",
			 d.category[0] ? ui_category_name(ui, d.category) : d.query, d.nhits);
		SDL_Rect h = ui_take_top(&rest, ui_text_px(ui, 36) + 12, 12);
		if (d.category[0]) { /* and whether the life circle has one: 有 / 无 */
			SDL_Rect c = {h.x + h.w / 2, h.y, h.w - h.w / 2, h.h};
			h.w /= 2;
			bool in = kiosk_neighbourhood_in_circle(d.nb, d.category);
			ui_text_fit(ui, ui_tr(ui, in ? "dir.circle_yes" : "dir.circle_no"),
				    ui_text_px(ui, 36), 24, UI_C_INK, true, c);
		}
		ui_text_fit(ui, head, ui_text_px(ui, 36), 24, UI_C_MUTED, true, h);
		bool pages = d.nhits > per_page(ui);
		if (pages) {
			ui_button(ui, "nav.back", ui_grid_cell(bottom, 3, 1, 16, 0), "nav.back",
				  UI_C_MUTED);
			ui_button_state(ui, "dir.prev", ui_grid_cell(bottom, 3, 1, 16, 1), "dir.prev",
					UI_C_HEADER, d.page > 0);
			ui_button_state(ui, "dir.next", ui_grid_cell(bottom, 3, 1, 16, 2), "dir.next",
					UI_C_HEADER, (d.page + 1) * per_page(ui) < d.nhits);
		} else {
			ui_button(ui, "nav.back", bottom, "nav.back", UI_C_MUTED);
		}
		draw_list(ui, rest, false);
		return;
	}
	case DETAIL:
		draw_detail(ui, rest, bottom);
		return;
	}
}

static const char *dir_speech(const struct ui *ui)
{
	(void)ui;
	return d.st == TYPING ? "say.dir_search"
	       : d.st == CATS ? "say.dir"
	       : d.st == LIST ? "say.dir_list"
	       : d.st == DETAIL ? "say.dir_place"
			      : NULL;
}

/* 朗读 on a list: the places on this page with their minutes; on a place's page: what it
 * is, whether open, how far, where, and when. */
static bool dir_say(const struct ui *ui, char *out, size_t len)
{
	bool zh = ui->lang == UI_ZH;
	const char *stop = zh ? "。" : ". ", *comma = zh ? "，" : ", ";
	size_t k = 0;
	if (d.st == LIST && d.nhits) {
		k += (size_t)snprintf(out, len, "%s%s", ui_tr(ui, "say.dir_list"), stop);
		int first = d.page * per_page(ui);
		for (int i = first; i < d.nhits && i < first + per_page(ui) && k < len; i++) {
			const struct kiosk_place *p = &d.nb->places[d.hits[i]];
			char walk[48];
			ui_walk_text(ui, p, walk, sizeof walk);
			k += (size_t)snprintf(out + k, len - k, "%s%s%s%s", zh ? p->name_zh : p->name_en,
					      comma, walk, stop);
		}
		return true;
	}
	if (d.st != DETAIL || d.place < 0)
		return false;
	const struct kiosk_place *p = &d.nb->places[d.place];
	struct tm now = local_now(ui);
	char walk[48], address[200], hours[200];
	ui_walk_text(ui, p, walk, sizeof walk);
	ui_place_lines(ui, d.nb, (size_t)d.place, address, sizeof address, hours, sizeof hours);
	k += (size_t)snprintf(out, len, "%s%s%s%s%s%s%s%s", zh ? p->name_zh : p->name_en, stop,
			      ui_category_name(ui, p->category), comma,
			      ui_tr(ui, ui_open_key(kiosk_neighbourhood_open(d.nb, (size_t)d.place,
									     &now))),
			      comma, walk, stop);
	if (address[0] && k < len)
		k += (size_t)snprintf(out + k, len - k, "%s%s%s%s", ui_tr(ui, "dir.address"),
				      ui_tr(ui, "punct.colon"), address, stop);
	if (hours[0] && k < len)
		snprintf(out + k, len - k, "%s%s%s%s", ui_tr(ui, "dir.hours"),
			 ui_tr(ui, "punct.colon"), hours, stop);
	return true;
}

static const char *const dir_exits[] = {"dir.show_map", "dir.cat_more", NULL};

const struct screen ui_screen_directory = {
	.name = "directory",
	.exits = dir_exits,
	.speech = dir_speech,
	.say = dir_say,
	.enter = dir_enter,
	.leave = dir_leave,
	.event = dir_event,
	.draw = dir_draw,
};
