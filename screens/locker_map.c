#include "screens/locker_map.h"
#include "screens/draw.h"
#include "screens/strings.h"
#include "screens/widget.h"

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
