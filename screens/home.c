/* Home: the six entries a resident comes for, the two session toggles, device state. */
#include "screens/draw.h"
#include "screens/image.h"
#include "screens/screen.h"
#include "screens/strings.h"
#include "screens/widget.h"
#include "hal/base/error.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *id; /* also the string key */
	const char *icon;
	SDL_Color bg;
} entries[] = {
	{"home.shop", "shop.svg", {0xA0, 0x40, 0x00, 0xFF}},
	{"home.pickup", "pickup.svg", {0x1F, 0x5F, 0x8B, 0xFF}},
	{"home.send", "send.svg", {0x6C, 0x3A, 0x8E, 0xFF}},
	{"home.map", "map.svg", {0x1D, 0x6F, 0x42, 0xFF}},
	{"home.directory", "directory.svg", {0x7A, 0x4E, 0x0A, 0xFF}},
	{"home.help", "help.svg", {0xB0, 0x22, 0x22, 0xFF}},
};
#define NENTRIES (int)(sizeof entries / sizeof entries[0])

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
	if (strcmp(ev->id, "home.help") == 0)
		return ui_nav_push(ui, &ui_screen_help, NULL) == KIOSK_OK;
	if (strcmp(ev->id, "home.pickup") == 0)
		return ui_nav_push(ui, &ui_screen_pickup, NULL) == KIOSK_OK;
	if (strcmp(ev->id, "home.send") == 0)
		return ui_nav_push(ui, &ui_screen_send, NULL) == KIOSK_OK;
	if (strcmp(ev->id, "home.missing") == 0)
		return ui_nav_push(ui, &ui_screen_service, NULL) == KIOSK_OK;
	for (int i = 0; i < NENTRIES; i++) {
		if (strcmp(ev->id, entries[i].id) == 0) {
			/* Entries whose flows are not built yet say so honestly. */
			ui_nav_push(ui, &ui_screen_placeholder, entries[i].id);
			return 1;
		}
	}
	return 0;
}

static void draw_devices(struct ui *ui, SDL_Rect r)
{
	static const char *const state_key[] = {"dev.absent", "dev.simulated", "dev.not_built",
						 "dev.ok", "dev.fault"};
	char line[256];
	int n = snprintf(line, sizeof line, "%s: ", ui_tr(ui, "status.devices"));
	if (ui->snap.version == 0) {
		snprintf(line + n, sizeof line - (size_t)n, "%s", ui_tr(ui, "dev.starting"));
	} else {
		/* One word for all devices when they agree (the usual case), else per class. */
		bool same = true;
		for (int d = 1; d < KIOSK_DEV_COUNT; d++)
			same = same && ui->snap.dev[d] == ui->snap.dev[0];
		if (same) {
			snprintf(line + n, sizeof line - (size_t)n, "%s",
				 ui_tr(ui, state_key[ui->snap.dev[0]]));
		} else {
			for (int d = 0; d < KIOSK_DEV_COUNT && n < (int)sizeof line; d++)
				n += snprintf(line + n, sizeof line - (size_t)n, "%s %s  ",
					      kiosk_devclass_name((enum kiosk_devclass)d),
					      ui_tr(ui, state_key[ui->snap.dev[d]]));
		}
	}
	ui_text_fit(ui, line, ui_text_px(ui, 28), 28, UI_C_MUTED, false, r);
}

static void home_draw(struct ui *ui, SDL_Rect area)
{
	SDL_Rect rest = ui_inset(area, 40);
	SDL_Rect tag = ui_take_top(&rest, ui_text_px(ui, 44) + 16, 24);
	ui_text_fit(ui, ui_tr(ui, "home.touch"), ui_text_px(ui, 44), 28, UI_C_INK, true, tag);

	SDL_Rect status = ui_take_bottom(&rest, ui_text_px(ui, 28) + 12, 16);
	SDL_Rect toggles = ui_take_bottom(&rest, ui->elderly ? 140 : 120, 24);
	SDL_Rect missing = ui_take_bottom(&rest, ui_control_h(ui), 32);
	ui_button(ui, "home.missing", missing, "home.missing", (SDL_Color){0x2F, 0x4F, 0x6F, 0xFF});
	int cols = ui->landscape ? 3 : 2;
	for (int i = 0; i < NENTRIES; i++) {
		SDL_Rect cell = ui_grid_cell(rest, cols, NENTRIES / cols, 32, i);
		/* Icon above the words when the tile is tall enough for both. */
		int icon = cell.h >= 300 ? cell.h / 4 : 0;
		SDL_Rect words = cell;
		ui_button_bg(ui, entries[i].id, cell, entries[i].id, entries[i].bg, true);
		if (icon) {
			ui_image(ui, entries[i].icon,
				 (SDL_Rect){cell.x, cell.y + cell.h / 8, cell.w, icon});
			words.y += cell.h / 8 + icon;
			words.h -= cell.h / 8 + icon + cell.h / 16;
		}
		ui_button_label(ui, words, entries[i].id, icon ? 64 : 76);
	}
	ui_toggle(ui, "home.elderly", ui_grid_cell(toggles, 2, 1, 32, 0), "home.elderly",
		  ui->elderly, true);
	ui_toggle(ui, "home.lang", ui_grid_cell(toggles, 2, 1, 32, 1), "home.lang", false, false);
	draw_devices(ui, status);
}

const struct screen ui_screen_home = {
	.name = "home",
	.event = home_event,
	.draw = home_draw,
};
