#include "screens/widget.h"
#include "screens/draw.h"
#include "screens/strings.h"
#include "hal/error.h"
#include "hal/log.h"

#include <stdio.h>
#include <string.h>

SDL_Rect ui_inset(SDL_Rect r, int pad)
{
	return (SDL_Rect){r.x + pad, r.y + pad, r.w - 2 * pad, r.h - 2 * pad};
}

SDL_Rect ui_grid_cell(SDL_Rect area, int cols, int rows, int gap, int i)
{
	int cw = (area.w - (cols - 1) * gap) / cols;
	int ch = (area.h - (rows - 1) * gap) / rows;
	int c = i % cols, r = i / cols;
	return (SDL_Rect){area.x + c * (cw + gap), area.y + r * (ch + gap), cw, ch};
}

SDL_Rect ui_take_top(SDL_Rect *rest, int h, int gap)
{
	SDL_Rect top = {rest->x, rest->y, rest->w, h};
	rest->y += h + gap;
	rest->h -= h + gap;
	return top;
}

SDL_Rect ui_take_bottom(SDL_Rect *rest, int h, int gap)
{
	rest->h -= h + gap;
	return (SDL_Rect){rest->x, rest->y + rest->h + gap, rest->w, h};
}

void ui_widgets_begin(struct ui *ui)
{
	ui->nwidgets = 0;
}

int ui_widget_add(struct ui *ui, const char *id, const char *label, SDL_Rect r)
{
	if (ui->nwidgets == UI_MAX_WIDGETS) {
		KLOG_ERROR("ui", "event=too_many_widgets id=%s", id);
		return KIOSK_ENOSPACE;
	}
	struct ui_widget *w = &ui->widgets[ui->nwidgets++];
	snprintf(w->id, sizeof w->id, "%s", id);
	snprintf(w->label, sizeof w->label, "%s", label ? label : "");
	w->r = r;
	return KIOSK_OK;
}

const struct ui_widget *ui_widget_find(const struct ui *ui, const char *id_or_label)
{
	for (int i = 0; i < ui->nwidgets; i++)
		if (strcmp(ui->widgets[i].id, id_or_label) == 0)
			return &ui->widgets[i];
	for (int i = 0; i < ui->nwidgets; i++)
		if (strcmp(ui->widgets[i].label, id_or_label) == 0)
			return &ui->widgets[i];
	return NULL;
}

const char *ui_widget_at(const struct ui *ui, int x, int y)
{
	SDL_Point p = {x, y};
	/* Last drawn is on top (dialogs are drawn after what they cover). */
	for (int i = ui->nwidgets - 1; i >= 0; i--)
		if (SDL_PointInRect(&p, &ui->widgets[i].r))
			return ui->widgets[i].id;
	return NULL;
}

void ui_button(struct ui *ui, const char *id, SDL_Rect r, const char *key, SDL_Color bg)
{
	bool pressed = strcmp(ui->pressed, id) == 0;
	ui_fill_round(ui, r, 28, pressed ? ui_darken(bg, 30) : bg);
	ui_widget_add(ui, id, ui_tr(ui, key), r);
	int p1 = ui_text_px(ui, r.h >= 200 ? 76 : 44), p2 = ui_text_px(ui, r.h >= 200 ? 36 : 28);
	int w1, h1, w2, h2;
	const char *t1 = ui_tr(ui, key), *t2 = ui_tr_other(ui, key);
	ui_text_size(ui, t1, p1, true, &w1, &h1);
	ui_text_size(ui, t2, p2, false, &w2, &h2);
	int y = r.y + (r.h - h1 - h2) / 2;
	SDL_Rect l1 = {r.x + 12, y, r.w - 24, h1}, l2 = {r.x + 12, y + h1, r.w - 24, h2};
	ui_text_fit(ui, t1, p1, 28, UI_C_WHITE, true, l1);
	ui_text_fit(ui, t2, p2, 28, UI_C_WHITE, false, l2);
}

void ui_toggle(struct ui *ui, const char *id, SDL_Rect r, const char *key, bool on,
	       bool show_mark)
{
	bool pressed = strcmp(ui->pressed, id) == 0;
	SDL_Color bg = on ? UI_C_HEADER : UI_C_PANEL;
	SDL_Color fg = on ? UI_C_WHITE : UI_C_INK;
	ui_fill_round(ui, r, 24, pressed ? ui_darken(UI_C_HEADER, 20) : UI_C_HEADER);
	ui_fill_round(ui, ui_inset(r, 4), 20, pressed ? ui_darken(bg, 15) : bg);
	ui_widget_add(ui, id, ui_tr(ui, key), r);
	/* The state mark: a filled square when on, a hollow one when off, so the state is
	 * visible without relying on colour alone. */
	SDL_Rect txt = ui_inset(r, 16);
	char line[128];
	snprintf(line, sizeof line, "%s", ui_tr(ui, key));
	if (show_mark) {
		int m = r.h / 3;
		SDL_Rect mark = {r.x + 28, r.y + (r.h - m) / 2, m, m};
		ui_fill(ui, mark, fg);
		if (!on)
			ui_fill(ui, ui_inset(mark, 5), bg);
		txt = (SDL_Rect){mark.x + m + 12, r.y, r.w - m - 52, r.h};
		snprintf(line, sizeof line, "%s %s", ui_tr(ui, key), ui_tr_other(ui, key));
	}
	ui_text_fit(ui, line, ui_text_px(ui, 36), 28, fg, true, txt);
}
