/* Home: the entries a resident comes for, the two session toggles. An entry whose flow
 * is not built is not shown at all (the grid adapts): half a home screen leading to
 * "coming soon" pages is a promise the kiosk does not keep. Device states are not a
 * resident's business here (maintenance shows them). */
#include "screens/ui/draw.h"
#include "screens/ui/image.h"
#include "screens/screen.h"
#include "screens/scan.h"
#include "screens/strings.h"
#include "screens/ui/widget.h"
#include "hal/base/error.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *id; /* also the string key */
	const char *icon;
	SDL_Color bg;
	const struct screen *to; /* NULL: not built yet, not shown */
	int elderly_rank;        /* 长辈模式 home shows the four best offered (the most used; 一键呼叫 the
				  * full-width one), the rest behind 更多 */
	enum kiosk_devclass needs; /* shown only where this device is fitted; COUNT: none */
} entries[] = {
	{"home.shop", "shop.svg", {0xA0, 0x40, 0x00, 0xFF}, &ui_screen_shop, 7, KIOSK_DEV_VEND},
	{"home.pickup", "pickup.svg", {0x1F, 0x5F, 0x8B, 0xFF}, &ui_screen_pickup, 1, KIOSK_DEV_COUNT},
	/* 助餐: the elderly's meal, among their first four where the canteens send menus */
	{"home.meal", "meal.svg", {0xB0, 0x4A, 0x12, 0xFF}, &ui_screen_meal, 3, KIOSK_DEV_COUNT},
	{"home.send", "send.svg", {0x6C, 0x3A, 0x8E, 0xFF}, &ui_screen_send, 4, KIOSK_DEV_COUNT},
	{"home.map", "map.svg", {0x1D, 0x6F, 0x42, 0xFF}, &ui_screen_map, 5, KIOSK_DEV_COUNT},
	{"home.directory", "directory.svg", {0x7A, 0x4E, 0x0A, 0xFF}, &ui_screen_directory, 6, KIOSK_DEV_COUNT},
	{"home.help", "help.svg", {0xB0, 0x22, 0x22, 0xFF}, &ui_screen_help, 2, KIOSK_DEV_COUNT},
	/* the wish list: a line under the tiles, and a tile behind 更多 in 长辈模式 */
	{"home.missing", "directory.svg", {0x2F, 0x4F, 0x6F, 0xFF}, &ui_screen_service, 8, KIOSK_DEV_COUNT},
};
#define NENTRIES (int)(sizeof entries / sizeof entries[0])
#define ELDERLY_ENTRIES 4
#define HELP_ENTRY 6    /* 一键呼叫: full width and largest in 长辈模式 */
#define MISSING_ENTRY 7 /* 缺什么服务: not a tile on the everyday home */
#define MEAL_ENTRY 2    /* 助餐: only where there is a menu to order from */

/* Is entry i offered here: built, and its device fitted (a kiosk without a vending machine
 * has no 购物)? */
static bool offered(const struct ui *ui, int i)
{
	if (i == MEAL_ENTRY && ui->snap.session.nmeals == 0)
		return false; /* no canteen sends this kiosk a menu */
	return entries[i].to &&
	       (entries[i].needs == KIOSK_DEV_COUNT ||
		ui->snap.dev[entries[i].needs] != KIOSK_DEVSTATE_ABSENT);
}

/* Is entry i on this home (offered; in 长辈模式 one of the four, when there are more)? And
 * are there more than the home shows (the 更多 tile)? */
static int built(const struct ui *ui)
{
	int n = 0;
	for (int i = 0; i < NENTRIES; i++)
		n += offered(ui, i);
	return n;
}

/* 更多 is offered only when it holds at least two entries: a page of one is a detour. */
static bool more_offered(const struct ui *ui)
{
	return built(ui) - ELDERLY_ENTRIES >= 2;
}

static bool on_home(const struct ui *ui, int i)
{
	if (!offered(ui, i))
		return false;
	if (!ui->elderly)
		return i != MISSING_ENTRY;
	/* the four best-ranked of those offered here (助餐 absent, the next moves up) */
	int before = 0;
	for (int j = 0; j < NENTRIES; j++)
		before += offered(ui, j) && entries[j].elderly_rank < entries[i].elderly_rank;
	return !more_offered(ui) || before < ELDERLY_ENTRIES;
}

static int home_event(struct ui *ui, const struct ui_event *ev)
{
	if (ev->type != UI_EV_TAP)
		return 0;
	if (strcmp(ev->id, "home.elderly") == 0) {
		ui->elderly = !ui->elderly;
		ui_dirty(ui);
		return 1;
	}
	if (strcmp(ev->id, "home.lang") == 0) {
		ui->lang = ui->lang == UI_ZH ? UI_EN : UI_ZH;
		ui_dirty(ui);
		return 1;
	}
	if (strcmp(ev->id, "home.more") == 0)
		return ui_nav_push(ui, &ui_screen_more, NULL) == KIOSK_OK;
	for (int i = 0; i < NENTRIES; i++)
		if (offered(ui, i) && strcmp(ev->id, entries[i].id) == 0)
			return ui_nav_push(ui, entries[i].to, NULL) == KIOSK_OK;
	return 0;
}

/* The entries as large tiles in area: home's (more = false), or the ones 更多 leads to. */
static void draw_tile(struct ui *ui, int i, SDL_Rect cell);

static void draw_tiles(struct ui *ui, SDL_Rect rest, bool more)
{
	int idx[NENTRIES + 1], shown = 0;
	/* 长辈模式: 一键呼叫 across the foot, the largest target, apart from the grid */
	bool help_row = !more && ui->elderly && offered(ui, HELP_ENTRY);
	for (int i = 0; i < NENTRIES; i++)
		if (offered(ui, i) && on_home(ui, i) != more && !(help_row && i == HELP_ENTRY) &&
		    !(more && i == MISSING_ENTRY && !ui->elderly))
			idx[shown++] = i;
	bool more_tile = !more && ui->elderly && more_offered(ui);
	if (more_tile)
		idx[shown++] = -1;
	int cols = ui->landscape ? 3 : 2, rows = (shown + cols - 1) / cols;
	int gap = !help_row ? 32 : ui->landscape ? 12 : 24; /* 长辈模式: height to the tiles */
	if (help_row) { /* landscape: the tiles in one row over it */
		cols = ui->landscape ? shown : 2;
		rows = (shown + cols - 1) / cols;
		/* a tile's height across the whole width: the largest target by far, and
		 * the tiles above keep at least the everyday home's size (ui.a11y) */
		int hh = (rest.h - gap * rows) / (rows + 1);
		SDL_Rect help = ui_take_bottom(&rest, hh, gap);
		draw_tile(ui, HELP_ENTRY, help);
	}
	if (more) /* a few: one column of wide tiles */
		cols = 1, rows = shown;
	for (int k = 0; k < shown; k++) {
		int i = idx[k];
		SDL_Rect cell = ui_grid_cell(rest, cols, rows, gap, k);
		/* A last row not filled: its tiles share the row's width. */
		int last = (rows - 1) * cols, in_last = shown - last;
		if (k >= last && in_last < cols) {
			SDL_Rect row = ui_grid_cell(rest, 1, rows, gap, rows - 1);
			cell = ui_grid_cell(row, in_last, 1, gap, k - last);
		}
		draw_tile(ui, i, cell);
	}
}

/* Entry i's tile (-1: 更多): its colour, its picture above the words when tall enough. */
static void draw_tile(struct ui *ui, int i, SDL_Rect cell)
{
	const char *id = i >= 0 ? entries[i].id : "home.more";
	const char *icon_file = i >= 0 ? entries[i].icon : "more.svg";
	SDL_Color bg = i >= 0 ? entries[i].bg : (SDL_Color){0x3E, 0x4A, 0x55, 0xFF};
	int icon = cell.h >= 300 ? cell.h / 4 : 0;
	SDL_Rect words = cell;
	ui_button_bg(ui, id, cell, id, bg, true);
	if (icon) {
		ui_image(ui, icon_file, (SDL_Rect){cell.x, cell.y + cell.h / 8, cell.w, icon});
		words.y += cell.h / 8 + icon;
		words.h -= cell.h / 8 + icon + cell.h / 16;
	}
	ui_button_label(ui, words, id, icon ? 64 : 76);
}

static void home_draw(struct ui *ui, SDL_Rect area)
{
	SDL_Rect rest = ui_inset(area, 40);
	/* The operator's notice (set_message from the platform): above the entries, in the
	 * resident's language, until its time is up. */
	const char *msg = ui->lang == UI_EN ? ui->snap.message_en : ui->snap.message_zh;
	bool notice = msg[0] && ui->snap.message_until_ms > ui_now_ms(ui);
	if (ui->elderly) {
		/* 长辈模式: one band of a fixed height holds the instruction, or the notice in
		 * its place, so the tiles never move when a notice comes or goes */
		int px = ui_text_px(ui, 36);
		int lh, lw;
		ui_text_size(ui, "国", px, true, &lw, &lh);
		SDL_Rect band = ui_take_top(&rest, 2 * lh + 16, 16); /* two lines */
		if (notice) {
			ui_fill_round(ui, band, 20, (SDL_Color){0xFF, 0xF1, 0xC7, 0xFF});
			ui_label(ui, msg, px, UI_C_INK, true, ui_inset(band, 8), true);
			snprintf(ui->variant, sizeof ui->variant, "notice");
		} else {
			ui_text_fit(ui, ui_tr(ui, "home.touch"), ui_text_px(ui, 44), 28, UI_C_INK,
				    true, band);
		}
		SDL_Rect toggles = ui_take_bottom(&rest, ui_control_h(ui), 16);
		draw_tiles(ui, rest, false);
		ui_toggle(ui, "home.elderly", ui_grid_cell(toggles, 2, 1, 32, 0), "home.elderly_on",
			  true, true);
		ui_toggle(ui, "home.lang", ui_grid_cell(toggles, 2, 1, 32, 1), "home.lang", false,
			  false);
		return;
	}
	SDL_Rect tag = ui_take_top(&rest, ui_text_px(ui, 44) + 16, 24);
	ui_text_fit(ui, ui_tr(ui, "home.touch"), ui_text_px(ui, 44), 28, UI_C_INK, true, tag);
	if (notice) {
		int px = ui_text_px(ui, 36);
		int h = ui_label_height(ui, msg, px, true, rest.w - 40) + 40;
		SDL_Rect band = ui_take_top(&rest, h, 24);
		ui_fill_round(ui, band, 20, (SDL_Color){0xFF, 0xF1, 0xC7, 0xFF});
		ui_label(ui, msg, px, UI_C_INK, true, ui_inset(band, 20), true);
		snprintf(ui->variant, sizeof ui->variant, "notice");
	}

	SDL_Rect toggles = ui_take_bottom(&rest, 120, 24);
	SDL_Rect missing = ui_take_bottom(&rest, ui_control_h(ui), 32);
	ui_button(ui, "home.missing", missing, "home.missing", entries[MISSING_ENTRY].bg);
	draw_tiles(ui, rest, false);
	/* On, the toggle says so in words, not only by a filled mark. */
	ui_toggle(ui, "home.elderly", ui_grid_cell(toggles, 2, 1, 32, 0), "home.elderly", false,
		  true);
	ui_toggle(ui, "home.lang", ui_grid_cell(toggles, 2, 1, 32, 1), "home.lang", false, false);
}

/* Names every entry on the screen (长辈模式 has its own words: "say.home.elderly"). */
static const char *home_speech(const struct ui *ui)
{
	(void)ui;
	return "say.home";
}

/* A pickup QR shown to the scanner at home: 取件 opens with it being checked (the resident
 * need not find the button first). */
static const char *home_scan_place(const struct ui *ui)
{
	(void)ui;
	return "home";
}

static void home_tick(struct ui *ui)
{
	uint32_t req;
	if (!ui_scan_taken(ui, "home", &req))
		return;
	ui->scan_handoff = req; /* the pickup screen follows it as its own check */
	if (ui_nav_push(ui, &ui_screen_pickup, NULL) != KIOSK_OK)
		ui->scan_handoff = 0;
}

const struct screen ui_screen_home = {
	.name = "home",
	.speech = home_speech,
	.scan_place = home_scan_place,
	.event = home_event,
	.draw = home_draw,
	.tick = home_tick,
};

/* 更多 More (长辈模式): the entries home keeps off its four large ones. */
static int more_event(struct ui *ui, const struct ui_event *ev)
{
	for (int i = 0; i < NENTRIES; i++)
		if (offered(ui, i) && strcmp(ev->id, entries[i].id) == 0)
			return ui_nav_push(ui, entries[i].to, NULL) == KIOSK_OK;
	return 0;
}

static void more_draw(struct ui *ui, SDL_Rect area)
{
	SDL_Rect rest = ui_inset(area, 40);
	SDL_Rect t = ui_take_top(&rest, ui_text_px(ui, 56) + 16, 24);
	ui_text_fit(ui, ui_tr(ui, "home.more"), ui_text_px(ui, 56), 40, UI_C_INK, true, t);
	SDL_Rect bottom = ui_take_bottom(&rest, ui_control_h(ui), 32);
	ui_button(ui, "nav.back", bottom, "nav.back", UI_C_MUTED);
	draw_tiles(ui, rest, true);
}

static const char *more_speech(const struct ui *ui)
{
	(void)ui;
	return "say.more";
}

const struct screen ui_screen_more = {
	.name = "more",
	.flags = UI_SCREEN_ELDERLY_ONLY,
	.speech = more_speech,
	.event = more_event,
	.draw = more_draw,
};
