/* Widgets: drawn each frame, registered by stable id for hit testing and tests. */
#ifndef KIOSK_SCREENS_WIDGET_H
#define KIOSK_SCREENS_WIDGET_H

#include "screens/ui.h"

/* Layout helpers, so screens place widgets by structure and not by typed pixels. */
SDL_Rect ui_inset(SDL_Rect r, int pad);
/* Cell i (row-major) of a cols×rows grid filling area with gap between cells. */
SDL_Rect ui_grid_cell(SDL_Rect area, int cols, int rows, int gap, int i);
/* Splits r horizontally: the top part of height h (the rest is returned in *rest). */
SDL_Rect ui_take_top(SDL_Rect *rest, int h, int gap);
SDL_Rect ui_take_bottom(SDL_Rect *rest, int h, int gap);

/* Starts a frame: forgets last frame's widgets. */
void ui_widgets_begin(struct ui *ui);
/* Registers a tappable area; KIOSK_ENOSPACE when the frame has too many (logged). */
int ui_widget_add(struct ui *ui, const char *id, const char *label, SDL_Rect r);
/* The widget with this id, or else with exactly this visible label; NULL if none. */
const struct ui_widget *ui_widget_find(const struct ui *ui, const char *id_or_label);
/* The id of the widget at canvas point (x, y), or NULL. Borrowed until the next frame. */
const char *ui_widget_at(const struct ui *ui, int x, int y);

/* A large button: primary text in the current language, secondary in the other; drawn
 * darker while pressed. key is a string key (screens/strings.h). */
void ui_button(struct ui *ui, const char *id, SDL_Rect r, const char *key, SDL_Color bg);
/* A toggle. With show_mark its on/off state is a filled or hollow square (not colour
 * alone) and the label is shown in both languages; without, it shows only the current
 * language's text (for the language switch, whose text names the other language). */
void ui_toggle(struct ui *ui, const char *id, SDL_Rect r, const char *key, bool on,
	       bool show_mark);

#endif
