/* The honest "not built yet" screen for maintenance sections that do not exist yet
 * (residents never see one: home shows only built entries). */
#include "screens/ui/draw.h"
#include "screens/screen.h"
#include "screens/strings.h"
#include "screens/ui/widget.h"

static void placeholder_draw(struct ui *ui, SDL_Rect area)
{
	SDL_Rect rest = ui_inset(area, 60);
	SDL_Rect back = ui_take_bottom(&rest, ui->elderly ? 160 : 140, 40);
	SDL_Rect panel = ui_take_top(&rest, rest.h, 0);
	ui_fill_round(ui, panel, 32, UI_C_PANEL);
	SDL_Rect in = ui_inset(panel, 48);
	const char *what = ui->arg[0] ? ui->arg : "soon.title";
	SDL_Rect l = ui_take_top(&in, ui_text_px(ui, 96) + 20, 16);
	ui_text_fit(ui, ui_tr(ui, what), ui_text_px(ui, 96), 40, UI_C_INK, true, l);
	l = ui_take_top(&in, ui_text_px(ui, 40) + 12, 48);
	ui_text_fit(ui, ui_tr_other(ui, what), ui_text_px(ui, 40), 28, UI_C_MUTED, false, l);
	l = ui_take_top(&in, ui_text_px(ui, 56) + 16, 32);
	ui_text_fit(ui, ui_tr(ui, "soon.title"), ui_text_px(ui, 56), 28, UI_C_HEADER, true, l);
	l = ui_take_top(&in, ui_text_px(ui, 36) + 12, 16);
	ui_text_fit(ui, ui_tr(ui, "soon.body"), ui_text_px(ui, 36), 28, UI_C_INK, false, l);
	l = ui_take_top(&in, ui_text_px(ui, 36) + 12, 16);
	ui_text_fit(ui, ui_tr(ui, "soon.next"), ui_text_px(ui, 36), 28, UI_C_INK, false, l);
	ui_button(ui, "nav.back", back, "nav.back", UI_C_HEADER);
}

const struct screen ui_screen_placeholder = {
	.name = "placeholder",
	.flags = UI_SCREEN_OPERATOR,
	.draw = placeholder_draw,
};
