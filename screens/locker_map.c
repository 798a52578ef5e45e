#include "screens/locker_map.h"
#include "screens/ui/draw.h"
#include "screens/strings.h"
#include "screens/ui/widget.h"

#include <stdio.h>
#include <string.h>

void ui_locker_map(struct ui *ui, SDL_Rect r, const char *id)
{
	int cols = 0, rows = 0;
	for (int i = 0; i < ui->snap.ncompartments; i++) {
		const struct kiosk_compartment_view *v = &ui->snap.compartments[i];
		cols = v->column > cols ? v->column : cols;
		rows = v->row > rows ? v->row : rows;
	}
	if (!cols || !rows)
		return;
	/* Cells as large as fit, the bank centred: a map, not a stretched grid. */
	int gap = 6, cw = (r.w - gap * (cols - 1)) / cols, chh = (r.h - gap * (rows - 1)) / rows;
	int cell = cw < chh * 2 ? cw : chh * 2, h = chh < cell ? chh : cell;
	int w_all = cell * cols + gap * (cols - 1), h_all = h * rows + gap * (rows - 1);
	int x0 = r.x + (r.w - w_all) / 2, y0 = r.y + (r.h - h_all) / 2;
	ui_figure(ui, (SDL_Rect){x0, y0, w_all, h_all});
	for (int i = 0; i < ui->snap.ncompartments; i++) {
		const struct kiosk_compartment_view *v = &ui->snap.compartments[i];
		if (!v->column || !v->row)
			continue;
		SDL_Rect c = {x0 + (v->column - 1) * (cell + gap), y0 + (v->row - 1) * (h + gap), cell,
			      h};
		bool mine = strcmp(v->id, id) == 0;
		ui_fill_round(ui, c, 8, mine ? UI_C_HEADER : (SDL_Color){0xD8, 0xD4, 0xCC, 0xFF});
		if (mine)
			ui_text_fit(ui, v->id, h * 6 / 10, 16, UI_C_WHITE, true, ui_inset(c, 4));
	}
}

SDL_Rect ui_door_panel(struct ui *ui, SDL_Rect in, const struct ui_door_panel *d)
{
	int tp = ui_text_px(ui, 48), pp = ui_text_px(ui, 40), lp = ui_text_px(ui, d->alert ? 44 : 40);
	char place[160];
	ui_door_place(ui, d->comp, place, sizeof place);
	struct ui_item it[] = {
		{d->title ? tp + 16 : 0, 0},
		{240, 300},
		{pp + 12, 0},
		{300, 720},
		{ui_label_height(ui, d->todo, lp, true, in.w), 0},
		{d->door ? pp + 12 : 0, 0},
		{d->note ? ui_label_height(ui, d->note, pp, true, in.w) : 0, 0},
		{d->extra_h, 0},
	};
	SDL_Rect r[8];
	ui_column(in, 20, it, 8, r);
	if (d->title)
		ui_text_fit(ui, d->title, tp, 40, UI_C_INK, true, r[0]);
	ui_text_fit(ui, d->comp, r[1].h * 5 / 6, 40, UI_C_HEADER, true, r[1]);
	ui_text_fit(ui, place, pp, 28, UI_C_INK, true, r[2]);
	ui_locker_map(ui, r[3], d->comp);
	ui_label(ui, d->todo, lp, d->alert ? UI_C_ALERT : UI_C_INK, true, r[4], true);
	if (d->door)
		ui_text_fit(ui, d->door, pp, 32, UI_C_INK, true, r[5]);
	if (d->note)
		ui_label(ui, d->note, pp, UI_C_ALERT, true, r[6], true);
	return r[7];
}

void ui_door_place(const struct ui *ui, const char *id, char *out, size_t cap)
{
	const struct kiosk_compartment_view *v = ui_compartment(ui, id);
	if (!v || !v->column || !v->row) {
		snprintf(out, cap, "%s", "");
		return;
	}
	snprintf(out, cap, "%s%d%s%s%s%d%s", ui_tr(ui, "place.col_pre"), v->column,
		 ui_tr(ui, "place.col_post"), ui_tr(ui, "place.sep"), ui_tr(ui, "place.row_pre"),
		 v->row, ui_tr(ui, "place.row_post"));
}
